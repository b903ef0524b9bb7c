package scenario

import (
	"math/rand/v2"
	"slices"
	"time"

	custody "github.com/opencustody/custody"
)

// The operation of January and February 2026, after the history: see the
// timeline of SCENARIO.md.

// Figures of the operation, exact.
const (
	firstPhase    = 150  // moved on 2026-01-21 from Gweiran, Hasakah
	byFeb5        = 4583 // transferred by Thursday 2026-02-05
	totalTransfer = 7000 // transferred in all, by 2026-02-12
	escapes       = 120  // from Shaddadeh during the clashes
	diedAtLarge   = 2
	atLarge       = 9 // still at large at the end
	releases      = 30
	batchSize     = 75 // persons per convoy or flight

	hospitalisedWomen    = 2 // from al-Hol, before and after the government takes it
	hospitalisedChildren = 1 // from the annex
	hospitalisedMen      = 3 // from Gweiran
)

// controlChanges are the facilities that pass to the Syrian government.
var controlChanges = []struct {
	fac           int
	at            time.Time
	circumstances string
}{
	{fShaddadeh, time.Date(2026, 1, 20, 7, 0, 0, 0, time.UTC), "taken by government forces during clashes with the SDF"},
	{fAlHol, time.Date(2026, 1, 21, 9, 0, 0, 0, time.UTC), "Syrian government forces entered the camp as the SDF withdrew"},
	{fAqtan, time.Date(2026, 1, 25, 14, 0, 0, 0, time.UTC), "handed over to government forces after the siege, under the truce arrangements"},
}

// transferDay is how many are transferred on a day.
type transferDay struct {
	day time.Time
	n   int
}

// transferSchedule is the transfer day by day: 150 on 2026-01-21, then
// even daily numbers reaching 4,583 by 2026-02-05 and 7,000 by 2026-02-12.
func transferSchedule() []transferDay {
	days := []transferDay{{date(2026, time.January, 21), firstPhase}}
	split := func(from, to time.Time, total int) {
		n := int(to.Sub(from).Hours()/24) + 1
		for k := range n {
			c := total / n
			if k < total%n {
				c++
			}
			days = append(days, transferDay{from.AddDate(0, 0, k), c})
		}
	}
	split(date(2026, time.January, 22), date(2026, time.February, 5), byFeb5-firstPhase)
	split(date(2026, time.February, 6), date(2026, time.February, 12), totalTransfer-byFeb5)
	return days
}

type actKind uint8

const (
	aDestination actKind = iota
	aControl
	aEscape
	aRecapture
	aDied
	aHospitalised
	aReturned
	aReleased
)

// action is one event of the operation, planned before it is emitted.
type action struct {
	t      int64 // occurred, Unix seconds
	kind   actKind
	person int32 // person number
	fac    uint8 // the facility concerned, or the origin
	to     uint8 // destination, hospital or facility of return or recapture
	note   uint8 // index into the texts of the kind; the control change; a move's vehicle or leg
	mv     int16 // the move, of a move action
}

// noFacility marks a death at large.
const noFacility = 255

func at(t time.Time) int64 { return t.Unix() }

// candidate is a man who may be transferred.
type candidate struct {
	unit int
	rank int
	key  uint64
}

// operationPlan plans every action of 2026, in order.
func (g *generator) operationPlan(r *rand.Rand) []action {
	units := g.plan.units
	var acts []action
	add := func(a action) { acts = append(acts, a) }
	for k := range len(facilities) - fFirstDest {
		add(action{t: at(time.Date(2026, 1, 16, 8, 0, 0, 0, time.UTC)), kind: aDestination, fac: uint8(fFirstDest + k)})
	}
	for k, c := range controlChanges {
		add(action{t: at(c.at), kind: aControl, fac: uint8(c.fac), note: uint8(k)})
	}

	// Who: lists of units by role, in plan order, then drawn from.
	var shaddadeh, aqtan, pool, holMothers, annexMothers, holOrphans []int
	for i := range units {
		u := &units[i]
		if u.reserved {
			continue
		}
		switch {
		case u.kind == kMan && int(u.fac) == fShaddadeh:
			shaddadeh = append(shaddadeh, i)
		case u.kind == kMan && int(u.fac) == fAqtan:
			aqtan = append(aqtan, i)
		case u.kind == kMan:
			pool = append(pool, i)
		case u.kind == kFamily && int(u.fac) == fAlHol:
			holMothers = append(holMothers, i)
		case u.kind == kFamily && int(u.fac) == fAnnex && u.under12+u.adol > 0:
			annexMothers = append(annexMothers, i)
		case u.kind == kOrphan && int(u.fac) == fAlHol && u.nat == natSY:
			holOrphans = append(holOrphans, i)
		}
	}
	draw := func(from []int, n int) []int {
		s := slices.Clone(from)
		r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		return s[:min(n, len(s))]
	}
	day := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
	jitter := func(t time.Time, span time.Duration) int64 { return at(t) + r.Int64N(int64(span/time.Second)) }

	// Shaddadeh: escapes during the clashes of the night of 19 to 20 January,
	// before the government takes the prison; most recaptured in the next
	// days, two found dead, a few still at large.
	for k, i := range draw(shaddadeh, escapes) {
		p := units[i].id
		t := jitter(day(time.January, 19, 20), 9*time.Hour)
		add(action{t: t, kind: aEscape, person: p, fac: fShaddadeh, note: uint8(r.IntN(len(escapeCircumstances)))})
		switch {
		case k < diedAtLarge:
			add(action{t: at(day(time.January, 23+4*k, 9+7*k)), kind: aDied, person: p, fac: noFacility, note: uint8(k)})
		case k < diedAtLarge+atLarge:
		default:
			days := 0 // most within three days, a few weeks later
			for days < 20 && r.IntN(100) < 65 {
				days++
			}
			to, note := fShaddadeh, r.IntN(3)
			if r.IntN(5) == 0 {
				to, note = fGweiran, 3+r.IntN(2)
			}
			t := jitter(day(time.January, 20, 10).AddDate(0, 0, days), 10*time.Hour)
			add(action{t: t, kind: aRecapture, person: p, to: uint8(to), note: uint8(note)})
		}
	}
	// Al-Aqtan is shelled on 22 January: one man killed.
	for _, i := range draw(aqtan, 1) {
		add(action{t: at(day(time.January, 22, 6)) + 600, kind: aDied, person: units[i].id, fac: fAqtan, note: 2})
	}
	// Two women of al-Hol in hospital before the government takes the camp,
	// back after; a child of the annex in hospital in February.
	for k, i := range draw(holMothers, hospitalisedWomen) {
		p := units[i].id
		add(action{t: at(day(time.January, 18, 9)) + int64(k)*5400, kind: aHospitalised, person: p, fac: fAlHol, to: fHospital, note: uint8(k)})
		add(action{t: at(day(time.January, 26+k, 10)), kind: aReturned, person: p, fac: fAlHol, to: fHospital})
	}
	for _, i := range draw(annexMothers, hospitalisedChildren) {
		p := units[i].id + 1
		add(action{t: at(day(time.February, 2, 8)), kind: aHospitalised, person: p, fac: fAnnex, to: fHospital, note: 2})
		add(action{t: at(day(time.February, 7, 11)), kind: aReturned, person: p, fac: fAnnex, to: fHospital})
	}
	// Syrian children released from al-Hol to their families.
	for _, i := range draw(holOrphans, releases) {
		t := timeIn(r, date(2026, time.February, 3), date(2026, time.February, 10))
		add(action{t: t, kind: aReleased, person: units[i].id, fac: fAlHol, note: uint8(r.IntN(len(releaseTowns)))})
	}

	// The transfer. Only men, only from prisons under SDF control on the day
	// (Shaddadeh is taken on 20 January, before the first transfer; Al-Aqtan
	// is besieged from 22 January and handed over on the 25th, so nobody is
	// moved from it). Order of priority, as the reports describe it: the
	// first-tier leaders first, then tier 2, then those not yet assessed,
	// then tier 3; within a tier, Iraqis (whom Iraq prosecutes) and other
	// foreigners before Syrians. The first 150, on 21 January, all come
	// from Gweiran in Hasakah.
	cands := make([]candidate, len(pool))
	for k, i := range pool {
		u := &units[i]
		rank := [...]int{2, 0, 1, 3}[u.tier] * 2
		if u.nat == natSY {
			rank++
		}
		cands[k] = candidate{unit: i, rank: rank, key: r.Uint64()}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	var first, rest []candidate
	for _, c := range cands {
		if len(first) < firstPhase && int(units[c.unit].fac) == fGweiran {
			first = append(first, c)
		} else {
			rest = append(rest, c)
		}
	}
	selected := append(first, rest[:totalTransfer-firstPhase]...)
	left := rest[totalTransfer-firstPhase:]
	acts = g.planTransfers(r, acts, selected)

	// Men of Gweiran who stay behind spend some days in hospital.
	n := 0
	for _, c := range left {
		if int(units[c.unit].fac) != fGweiran || n == hospitalisedMen {
			continue
		}
		p := units[c.unit].id
		add(action{t: jitter(day(time.January, 23+n, 5), 10*time.Hour), kind: aHospitalised, person: p, fac: fGweiran, to: fHospital, note: uint8(3 + n)})
		add(action{t: jitter(day(time.January, 29+2*n, 8), 6*time.Hour), kind: aReturned, person: p, fac: fGweiran, to: fHospital})
		n++
	}
	slices.SortStableFunc(acts, func(a, b action) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	return acts
}

// operation emits the actions of 2026 that g.ops planned, each as a
// request of its own (a move action as a few).
func (g *generator) operation() error {
	r := g.opsRand
	escaped := map[int32]int64{}
	for _, a := range g.ops {
		if a.kind >= aAllocation {
			if err := g.moveAction(r, a); err != nil {
				return err
			}
			continue
		}
		t := time.Unix(a.t, 0).UTC()
		id := pid(a.person)
		minutes := func(lo, hi int) time.Duration { return time.Duration(lo+r.IntN(hi-lo)) * time.Minute }
		switch a.kind {
		case aDestination:
			by := custody.Actor{User: "admin.iraq-moj", Authority: iraqMoJ, Site: "Baghdad"}
			g.em.add(&custody.FacilityRegistered{Facility: facilities[a.fac].f}, t, minutes(10, 30), by)
		case aControl:
			c := controlChanges[a.note]
			g.em.add(&custody.ControlChanged{Facility: facilities[a.fac].f.ID, From: g.ctrl[a.fac], To: syrianGov, Circumstances: c.circumstances},
				t, minutes(30, 90), registrar(int(a.fac), syrianGov))
			for i, fs := range facilities {
				if i == int(a.fac) || fs.f.Parent == facilities[a.fac].f.ID {
					g.ctrl[i] = syrianGov // the facility and its sections
				}
			}
		case aEscape:
			escaped[a.person] = g.em.add(&custody.Escaped{Person: id, Facility: facilities[a.fac].f.ID, Circumstances: escapeCircumstances[a.note]},
				t, minutes(60, 180), registrar(int(a.fac), g.ctrl[a.fac]))
		case aRecapture:
			g.em.add(&custody.Recaptured{Person: id, Escape: escaped[a.person], Facility: facilities[a.to].f.ID, TakenBy: recapturedBy[a.note]},
				t, minutes(20, 240), registrar(int(a.to), g.ctrl[a.to]))
		case aDied:
			d := deaths[a.note]
			by := registrar(fShaddadeh, syrianGov)
			died := &custody.Died{Person: id, Circumstances: d.circumstances, Cause: d.cause, Remains: d.remains}
			if a.fac != noFacility {
				died.Facility, by = facilities[a.fac].f.ID, registrar(int(a.fac), g.ctrl[a.fac])
			}
			g.em.add(died, t, minutes(60, 600), by)
		case aHospitalised:
			g.em.add(&custody.Hospitalised{Person: id, From: facilities[a.fac].f.ID, Hospital: facilities[a.to].f.ID, Reason: hospitalReasons[a.note]},
				t, minutes(15, 120), registrar(int(a.fac), g.ctrl[a.fac]))
		case aReturned:
			g.em.add(&custody.Returned{Person: id, Hospital: facilities[a.to].f.ID, Facility: facilities[a.fac].f.ID},
				t, minutes(15, 120), registrar(int(a.fac), g.ctrl[a.fac]))
		case aReleased:
			g.em.add(&custody.Released{Person: id, Facility: facilities[a.fac].f.ID, Reason: "family-reintegration", AuthorisedBy: syrianGov,
				Destination: "extended family, " + releaseTowns[a.note] + ", Deir ez-Zor governorate (reintegration programme)"},
				t, minutes(30, 240), registrar(int(a.fac), g.ctrl[a.fac]))
		}
		if err := g.em.flush(); err != nil {
			return err
		}
	}
	return nil
}

var escapeCircumstances = []string{
	"escaped during the clashes around the prison as government forces advanced",
	"escaped through a breach in the perimeter wall during the fighting",
	"missing at the headcount after the guards withdrew",
}

var recapturedBy = []string{
	"Syrian Ministry of Interior, General Security patrol, al-Shaddadi",
	"Syrian army checkpoint, Shaddadeh–Hasakah road",
	"Syrian government internal security, search operation, Markada",
	"SDF Asayish checkpoint, Hasakah southern entrance",
	"SDF Anti-Terror Units (YAT), Hasakah",
}

var deaths = []struct{ circumstances, cause, remains string }{
	{"killed in an exchange of fire with a government search patrol while at large", "gunshot wounds",
		"buried by the municipality in al-Shaddadi cemetery; grave marked and recorded"},
	{"found drowned in the Khabur river while at large", "drowning",
		"held at the forensic medicine department, Hasakah, pending identification by relatives"},
	{"killed when shells struck the prison during the siege", "blast injuries",
		"buried by the prison administration in the prison grounds; grave location recorded"},
}

var hospitalReasons = []string{
	"complications of pregnancy", "acute kidney infection", "severe dehydration",
	"acute appendicitis", "suspected tuberculosis", "fracture after a fall",
}

var releaseTowns = []string{"al-Mayadin", "al-Bukamal", "Hajin", "al-Shaafah", "Deir ez-Zor city", "al-Susah"}
