package scenario

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
)

// The aftermath of the transfer, February and March 2026: the charges and
// the states' positions on the death penalty published; the consular
// notifications that custody created delivered (most of them) and
// acknowledged; a case under the Anti-Terrorism Law for every man in Iraqi
// Ministry of Justice custody, some heard, tried, sentenced and appealed;
// and the repatriation of a Swedish mother and her children from Roj.
//
// The aftermath is generated from the state the operation left (st, which
// it only reads): which notifications are owed, who is held where. It is
// deterministic given that state and the seed.

// Users of the aftermath.
var (
	mojAdmin    = custody.Actor{User: "admin.iraq-moj", Authority: iraqMoJ, Site: "Baghdad"}
	mojConsular = custody.Actor{User: "consular-desk.iraq-moj", Authority: iraqMoJ, Site: "Baghdad"}
	govConsular = custody.Actor{User: "consular-desk.syrian-gov", Authority: syrianGov, Site: "Damascus"}
	ccConsular  = custody.Actor{User: "legal.centcom", Authority: centcom, Site: "Baghdad"}
)

// Consuls in the demo: they acknowledge notifications and ask for
// repatriations. Their users are the demo's consular logins.
var consuls = map[string]custody.Actor{
	"SE": {User: "consul-se", Authority: "state-se", Site: "Embassy of Sweden, Baghdad"},
	"FR": {User: "consul-fr", Authority: "state-fr", Site: "Embassy of France, Baghdad"},
	"RU": {User: "consular", Authority: "state-ru", Site: "Embassy of Russia, Baghdad"},
}

// recordedFrom is when the aftermath's recording begins, after the last
// event of the operation was recorded.
var recordedFrom = date(2026, time.February, 14)

// lastTransferDay is the day whose notifications the ministry has not yet
// delivered when the demo ends: they show as overdue.
var lastTransferDay = date(2026, time.February, 12)

// RepatriationRequestID is the demo's completed repatriation.
const RepatriationRequestID custody.RepatriationID = "REP-SE-2026-001"

// act is one request of the aftermath, at a field time.
type act struct {
	at  time.Time
	by  custody.Actor
	ps  []custody.Payload
	ord int // insertion order, for a stable sort
}

// Aftermath emits the aftermath's requests, in time order, with keys
// "demo-<seed>-a<n>". cfg.FirstIndex is not used.
func Aftermath(ctx context.Context, cfg Config, st *custody.State, emit func([]custody.Event) error) error {
	r := rand.New(rand.NewPCG(cfg.Seed, 0x6166746572))
	var acts []act
	add := func(at time.Time, by custody.Actor, ps ...custody.Payload) {
		acts = append(acts, act{at: at, by: by, ps: ps, ord: len(acts)})
	}
	ch, pos := custody.DefaultCharges(), custody.DefaultPositions()
	// In force from the first transfer; entered with the rest of the
	// legal records, after the operation (recorded_at below).
	add(date(2026, time.January, 20), mojAdmin, &ch, &pos)
	notifications(r, st, add)
	cases(r, st, add)
	if err := repatriation(st, add); err != nil {
		return err
	}
	slices.SortStableFunc(acts, func(a, b act) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.ord, b.ord)
	})
	// The legal desks entered their records once the operation was over:
	// every event is recorded after recordedFrom, in field-time order.
	em := &emitter{ctx: ctx, emit: emit, prefix: fmt.Sprintf("demo-%d-a", cfg.Seed), last: recordedFrom}
	for _, a := range acts {
		for _, p := range a.ps {
			em.add(p, a.at, time.Duration(20+r.IntN(240))*time.Minute, a.by)
		}
		if err := em.flush(); err != nil {
			return err
		}
	}
	return nil
}

// notifications delivers the pending notifications by (authority, state,
// day of custody), a note verbale each, and has the demo's consuls
// acknowledge theirs. Left undelivered, and so overdue: the Syrian
// government's to every state but Iraq, and the ministry's for the last
// transfer day.
func notifications(r *rand.Rand, st *custody.State, add func(time.Time, custody.Actor, ...custody.Payload)) {
	type group struct {
		auth    custody.AuthorityID
		country string
		day     time.Time
	}
	groups := map[group][]*custody.Notification{}
	for _, n := range st.Notifications {
		if n.Status != custody.NotificationPending {
			continue
		}
		g := group{n.Authority, n.Country, n.CustodyAt.Truncate(24 * time.Hour)}
		groups[g] = append(groups[g], n)
	}
	keys := slices.SortedFunc(maps.Keys(groups), func(a, b group) int {
		return cmp.Or(a.day.Compare(b.day), strings.Compare(string(a.auth), string(b.auth)), strings.Compare(a.country, b.country))
	})
	for _, g := range keys {
		ns := groups[g]
		slices.SortFunc(ns, func(a, b *custody.Notification) int { return strings.Compare(string(a.ID), string(b.ID)) })
		var by custody.Actor
		post := "consular section, Embassy of " + nationName(g.country) + ", Baghdad"
		switch g.auth {
		case iraqMoJ:
			if !g.day.Before(lastTransferDay) {
				continue
			}
			by = mojConsular
		case centcom:
			by = ccConsular
		case syrianGov:
			if g.country != "IQ" {
				continue
			}
			by, post = govConsular, "consular section, Embassy of Iraq, Damascus"
		default:
			continue
		}
		last := ns[len(ns)-1].CustodyAt
		for _, n := range ns {
			if n.CustodyAt.After(last) {
				last = n.CustodyAt
			}
		}
		ids := make([]custody.NotificationID, len(ns))
		for i, n := range ns {
			ids[i] = n.ID
		}
		at := last.Add(time.Duration(10+r.IntN(50)) * time.Hour)
		ref := fmt.Sprintf("%s/CN/%s/%s", strings.ToUpper(string(g.auth)), g.day.Format("20060102"), g.country)
		add(at, by, &custody.ConsularNotified{Country: g.country, Notifications: ids, Means: "note verbale", To: post, Reference: ref})
		if c, ok := consuls[g.country]; ok {
			add(at.Add(time.Duration(20+r.IntN(100))*time.Hour), c, &custody.ConsularAcknowledged{Country: g.country, Notifications: ids, Note: "received; consular access requested"})
		}
	}
}

func nationName(code string) string {
	for _, n := range nations {
		if n.code == code {
			return n.name
		}
	}
	return code
}

// courts by the destination's region.
var courts = map[string]string{
	"Baghdad": "Central Criminal Court of Iraq, al-Karkh, Baghdad",
	"Dhi Qar": "Dhi Qar Criminal Court, Nasiriyah",
	"Babil":   "Babil Criminal Court, Hilla",
}

const cassation = "Federal Court of Cassation, Baghdad"

// cases opens a case for every person in the ministry's custody, charges
// them, and takes some through hearings, trial, sentence and appeal. At
// least one French national is sentenced to death and appeals; every
// Swedish national in the ministry's custody is charged with membership
// (whose maximum penalty is death).
func cases(r *rand.Rand, st *custody.State, add func(time.Time, custody.Actor, ...custody.Payload)) {
	var held []*custody.PersonState
	for _, ps := range st.Persons {
		if l := ps.Location; l.Status.OnRoll() && l.Authority == iraqMoJ {
			held = append(held, ps)
		}
	}
	slices.SortFunc(held, func(a, b *custody.PersonState) int { return strings.Compare(string(a.Person.ID), string(b.Person.ID)) })
	frenchDeath := false
	for i, ps := range held {
		id := ps.Person.ID
		fac := st.Facilities[ps.Location.Facility]
		court := courts[fac.Facility.Place.Region]
		if court == "" {
			court = courts["Baghdad"]
		}
		judge := custody.Actor{User: "judge." + string(fac.Facility.ID), Authority: iraqMoJ, Site: fac.Facility.Place.Name}
		cid := custody.CaseID(fmt.Sprintf("ATL-2026-%05d", i+1))
		at := ps.Location.Since.Add(time.Duration(40+r.IntN(100)) * time.Hour)
		charges := []custody.ChargeRef{{Code: "atl-4-1-membership", Version: 1}}
		national := func(c string) bool { return slices.Contains(ps.Person.Nationalities, c) }
		switch k := r.IntN(100); {
		case k < 10:
			charges = append(charges, custody.ChargeRef{Code: "atl-4-1-act", Version: 1})
		case k < 15 && !national("SE"):
			charges = []custody.ChargeRef{{Code: "atl-4-2-concealment", Version: 1}}
		}
		add(at, judge,
			&custody.CaseOpened{Case: custody.Case{ID: cid, Person: id, Jurisdiction: iraqMoJ, Court: court,
				Committee: fmt.Sprintf("Investigative Committee %d (%s)", 1+r.IntN(12), fac.Facility.Place.Region), Reference: string(cid)}},
			&custody.CaseCharged{Case: cid, Person: id, Charges: charges})
		death := charges[0].Code != "atl-4-2-concealment"
		// The French national who is tried first is sentenced to death:
		// French citizens handed over earlier were tried and sentenced.
		forceFrench := national("FR") && !frenchDeath && death
		k := r.IntN(100)
		if k >= 30 && !forceFrench {
			continue // still under investigation
		}
		at = at.Add(time.Duration(5+r.IntN(15)) * 24 * time.Hour)
		add(at, judge, &custody.CaseHearing{Case: cid, Person: id, Court: court, Summary: "investigative hearing: statement taken, interpreter present", Counsel: r.IntN(3) > 0})
		if k >= 12 && !forceFrench {
			continue
		}
		at = at.Add(time.Duration(4+r.IntN(10)) * 24 * time.Hour)
		if k == 0 && !forceFrench {
			add(at, judge, &custody.CaseDecided{Case: cid, Person: id, Decision: custody.DecisionDismissed, Note: "insufficient evidence of membership"})
			continue
		}
		add(at, judge, &custody.CaseDecided{Case: cid, Person: id, Decision: custody.DecisionReferred})
		at = at.Add(time.Duration(3+r.IntN(10)) * 24 * time.Hour)
		add(at, judge, &custody.CaseHearing{Case: cid, Person: id, Court: court, Summary: "trial hearing: evidence heard, defence submissions", Counsel: true})
		if k >= 6 && !forceFrench {
			continue
		}
		at = at.Add(time.Duration(1+r.IntN(5)) * 24 * time.Hour)
		sentence := custody.Penalty{Kind: custody.PenaltyYears, Years: 15}
		switch {
		case forceFrench || (death && k < 2):
			sentence = custody.Penalty{Kind: custody.PenaltyDeath}
		case death && k < 5:
			sentence = custody.Penalty{Kind: custody.PenaltyLife}
		}
		add(at, judge, &custody.CaseDecided{Case: cid, Person: id, Decision: custody.DecisionConvicted},
			&custody.CaseSentenced{Case: cid, Person: id, Sentence: sentence, Court: court})
		if sentence.Kind == custody.PenaltyDeath {
			frenchDeath = frenchDeath || forceFrench
			add(at.Add(48*time.Hour), judge, &custody.CaseAppealed{Case: cid, Person: id, By: "automatic", Court: cassation})
		}
	}
}

// repatriation: Sweden asks for a Swedish mother and her children held in
// Roj; the SDF approves and hands them over at the Semalka crossing; the
// Swedish consul receives them.
func repatriation(st *custody.State, add func(time.Time, custody.Actor, ...custody.Payload)) error {
	roj := facilities[fRoj].f.ID
	children := map[custody.PersonID][]custody.PersonID{}
	for _, ps := range st.Persons {
		for _, l := range ps.Person.Family {
			if l.Relation == custody.ChildOf && ps.Location.Status == custody.StatusHeld && ps.Location.Facility == roj {
				children[l.Person] = append(children[l.Person], ps.Person.ID)
			}
		}
	}
	// The Swedish mother in Roj with the most children there (the first
	// by ID among equals).
	var mother *custody.PersonState
	for _, id := range slices.Sorted(maps.Keys(children)) {
		ps := st.Persons[id]
		if ps != nil && slices.Contains(ps.Person.Nationalities, "SE") && ps.Location.Status == custody.StatusHeld && ps.Location.Facility == roj && ps.Location.Authority == sdf &&
			(mother == nil || len(children[id]) > len(children[mother.Person.ID])) {
			mother = ps
		}
	}
	if mother == nil {
		return fmt.Errorf("aftermath: no Swedish mother with children held in Roj to repatriate")
	}
	family := append([]custody.PersonID{mother.Person.ID}, slices.Sorted(slices.Values(children[mother.Person.ID]))...)
	se := consuls["SE"]
	at := date(2026, time.March, 2).Add(10 * time.Hour)
	add(at, se, &custody.RepatriationRequested{Request: custody.RepatriationRequest{ID: RepatriationRequestID, Country: "SE", Authority: se.Authority, Persons: family,
		Note: "Sweden asks for the repatriation of a Swedish mother and her children for reception by the social services"}})
	reg := registrar(fRoj, sdf)
	add(at.Add(5*24*time.Hour), reg, &custody.RepatriationDecided{Request: RepatriationRequestID, Approved: family})
	handover := date(2026, time.March, 16).Add(9 * time.Hour)
	add(handover, reg, &custody.RepatriationReleased{Request: RepatriationRequestID, Persons: family, Place: "Semalka–Faysh Khabur crossing"})
	add(handover.Add(40*time.Minute), se, &custody.RepatriationReceived{Request: RepatriationRequestID, Persons: family})
	return nil
}
