package scenario

import (
	"time"

	custody "github.com/opencustody/custody"
)

// Targets are the figures the demo aims at. Every one is exact, and the
// same for every seed: the seed decides who is who, not how many.
type Targets struct {
	Persons          int // registration records: Men + WomenAndChildren (over 50,000)
	Men              int // 8,950 men, all in prisons
	WomenAndChildren int // 43,250 women and children, in camps and rehabilitation centres
	Women            int
	Children         int // under 18
	Under12          int // 25,000 ("about 25,000" in the reports)
	Adolescents      int // 12 to 17
	RehabBoys        int // adolescent boys in rehabilitation centres (counted in Children)
	DuplicatePairs   int // persons registered twice; the second records are counted above

	TierOne, TierTwo, TierThree, NotAssessed int // men by risk tier

	Gweiran       int              // men in Gweiran (Panorama) prison
	AlHol         AlHol            // al-Hol camp and its annex
	Roj           int              // Roj camp
	Sweden        Count            // 10 men, 5 women, 10 children
	ByNationality map[string]Count // by first nationality
	Nationalities int              // countries of origin (about 60)

	Facilities          int                        // places of detention in north-east Syria (27)
	Destinations        int                        // Iraqi Ministry of Justice destination prisons
	DestinationCapacity int                        // their capacity together
	Population          map[custody.FacilityID]int // persons admitted to each facility
	TakenOver           []custody.FacilityID       // facilities passed to the Syrian government

	Escapes          int // from Shaddadeh during the clashes
	Recaptured       int
	DiedAtLarge      int
	AtLarge          int // still at large at the end: open escape clocks
	KilledInShelling int // at Al-Aqtan
	Hospitalised     int // and returned
	Released         int // Syrian children released to their families from al-Hol

	Transfers   []Milestone // cumulative number handed over at arrival in Iraq
	Transferred int         // in all: 7,000
}

// AlHol are al-Hol's women and children by origin; the foreign nationals are
// held in its high-security annex.
type AlHol struct{ Total, Syrians, Iraqis, Foreign int }

// Count is a number of men, women and children.
type Count struct{ Men, Women, Children int }

// Milestone is the cumulative number transferred by the end of a day (By is
// midnight UTC after it): persons a destination prison received at the end
// of a move (move.handover_received of the arrival handover), by the day
// the receiving side confirmed them.
type Milestone struct {
	By         time.Time
	Cumulative int
}

// Figures returns the figures the demo aims at.
func Figures() Targets {
	f := Targets{
		Men:         totalMen,
		Under12:     totalUnder12,
		TierOne:     tierOneMen,
		TierTwo:     tierTwoMen,
		NotAssessed: notAssessedMen,
		TierThree:   totalMen - tierOneMen - tierTwoMen - notAssessedMen,

		DuplicatePairs:   dupMen + dupWomen,
		Facilities:       nesFacilities,
		Destinations:     len(facilities) - fFirstDest,
		Population:       map[custody.FacilityID]int{},
		ByNationality:    map[string]Count{},
		Escapes:          escapes,
		Recaptured:       escapes - diedAtLarge - atLarge,
		DiedAtLarge:      diedAtLarge,
		AtLarge:          atLarge,
		KilledInShelling: 1,
		Hospitalised:     hospitalisedWomen + hospitalisedChildren + hospitalisedMen,
		Released:         releases,
		Transferred:      totalTransfer,
	}
	for _, c := range controlChanges {
		f.TakenOver = append(f.TakenOver, facilities[c.fac].f.ID)
	}
	for i, fs := range facilities {
		if i >= fFirstDest {
			f.DestinationCapacity += fs.f.Capacity
		}
		if fs.men > 0 {
			f.Population[fs.f.ID] = fs.men
		}
	}
	f.Gweiran = facilities[fGweiran].men
	for i, n := range menByNation() {
		c := f.ByNationality[nations[i].code]
		c.Men += n
		f.ByNationality[nations[i].code] = c
	}
	for _, b := range blocks() {
		f.WomenAndChildren += b.n
		f.Women += b.women
		f.Adolescents += b.adol
		if b.rehab {
			f.RehabBoys += b.n
		}
		id := facilities[b.fac].f.ID
		f.Population[id] += b.n
		c := f.ByNationality[nations[b.nat].code]
		c.Women += b.women
		c.Children += b.n - b.women
		f.ByNationality[nations[b.nat].code] = c
		switch {
		case b.fac == fAlHol && b.nat == natSY:
			f.AlHol.Syrians += b.n
		case b.fac == fAlHol && b.nat == natIQ:
			f.AlHol.Iraqis += b.n
		case b.fac == fAnnex:
			f.AlHol.Foreign += b.n
		case b.fac == fRoj:
			f.Roj += b.n
		}
	}
	f.AlHol.Total = f.AlHol.Syrians + f.AlHol.Iraqis + f.AlHol.Foreign
	f.Children = f.WomenAndChildren - f.Women
	f.Persons = f.Men + f.WomenAndChildren
	f.Sweden = f.ByNationality[sweden]
	f.Nationalities = len(f.ByNationality)
	sum := 0
	for _, d := range transferSchedule() {
		sum += d.n
		if d.day.Equal(date(2026, time.January, 21)) || d.day.Equal(date(2026, time.February, 5)) || sum == totalTransfer {
			f.Transfers = append(f.Transfers, Milestone{By: d.day.AddDate(0, 0, 1), Cumulative: sum})
		}
	}
	return f
}

// DuplicatePair is a person registered twice: First is the first
// registration, Second the later one, under other spellings of the same
// name, with the same parents' names and birth date, in the same facility.
type DuplicatePair struct {
	First, Second custody.PersonID
}

// DuplicatePairs returns the duplicate registrations the demo for cfg
// contains, in the order of the second registrations.
func DuplicatePairs(cfg Config) []DuplicatePair {
	p := buildPlan(cfg.Seed)
	var out []DuplicatePair
	for _, u := range p.units {
		if u.kind == kDup {
			out = append(out, DuplicatePair{First: pid(p.units[u.ref].id), Second: pid(u.id)})
		}
	}
	return out
}
