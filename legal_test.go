package custody

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// idNamer names authorities and facilities by their IDs.
type idNamer struct{}

func (idNamer) AuthorityName(id AuthorityID) string { return string(id) }
func (idNamer) FacilityName(id FacilityID) string   { return string(id) }

const (
	stateSE = AuthorityID("state-se")
	stateFR = AuthorityID("state-fr")
)

// legalWorld is the base world with two foreign states' authorities, the
// charges and the positions published, a Swede and an Iraqi transferred to
// Iraqi custody, and a Swedish mother with two children in al-Hol.
func legalWorld(t *testing.T) *world {
	w := newWorld(t).base()
	w.must(&AuthorityRegistered{Authority: Authority{ID: stateSE, Name: Name{Latin: []string{"Sweden"}}, Kind: ForeignState, Country: "SE"}})
	w.must(&AuthorityRegistered{Authority: Authority{ID: stateFR, Name: Name{Latin: []string{"France"}}, Kind: ForeignState, Country: "FR"}})
	ch, pos := DefaultCharges(), DefaultPositions()
	w.must(&ch, &pos)
	for _, p := range []struct {
		id   PersonID
		nats []string
	}{{"SE1", []string{"SE"}}, {"IQ1", []string{"IQ"}}, {"FR1", []string{"FR", "MA"}}} {
		pp := person(p.id)
		pp.Nationalities = p.nats
		w.must(&PersonRegistered{Person: pp}, admission(p.id, hasakah))
		w.must(transfer(p.id, hasakah, baghdad))
	}
	mother := person("SEW")
	mother.Sex, mother.Category, mother.Nationalities = Female, Woman, []string{"SE"}
	w.must(&PersonRegistered{Person: mother}, admission("SEW", alhol))
	for _, c := range []PersonID{"SEC1", "SEC2"} {
		child := person(c)
		child.Category, child.Under12, child.Nationalities = Boy, true, []string{"SE"}
		child.Family = []FamilyLink{{Person: "SEW", Relation: "mother"}}
		w.must(&PersonRegistered{Person: child}, admission(c, alhol))
	}
	return w
}

// as makes the following events recorded by user of authority a.
func (w *world) as(user string, a AuthorityID) *world {
	w.clerk = Actor{User: user, Authority: a}
	return w
}

func wantRule(t *testing.T, err error, r Rule) {
	t.Helper()
	var ce *Error
	if !errors.As(err, &ce) || ce.Rule != r {
		t.Fatalf("error %v, want rule %s", err, r)
	}
}

func TestConsularNotification(t *testing.T) {
	w := legalWorld(t)
	se := NotificationIDOf("SE1", irq, "SE")
	// Coming into the Iraqi ministry's custody created a notification to
	// Sweden; none to Iraq for the Iraqi, none for the SDF's custody (not a
	// state), and one to each state of the dual national.
	var ids []NotificationID
	for id := range w.s.Notifications {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	want := []NotificationID{"FR1/irq/FR", "FR1/irq/MA", "SE1/irq/SE"}
	if !slices.Equal(ids, want) {
		t.Fatalf("notifications %v, want %v", ids, want)
	}
	n := w.s.Notifications[se]
	if n.Status != NotificationPending || n.CustodyAt.IsZero() || se.Person() != "SE1" {
		t.Fatalf("notification %+v", n)
	}
	if !n.Overdue(n.CustodyAt.Add(DefaultNotifyWithin+1), DefaultNotifyWithin) || n.Overdue(n.CustodyAt.Add(DefaultNotifyWithin), DefaultNotifyWithin) {
		t.Error("overdue: not after the window, or already at it")
	}
	// A consul cannot acknowledge before delivery; only the owing
	// authority delivers, once.
	_, err := w.as("consul", stateSE).req(w.ev(&ConsularAcknowledged{Country: "SE", Notifications: []NotificationID{se}}))
	wantRule(t, err, RuleNotification)
	_, err = w.as("reg", sdf).req(w.ev(&ConsularNotified{Country: "SE", Notifications: []NotificationID{se}, Means: "note verbale", To: "Embassy of Sweden, Baghdad"}))
	wantRule(t, err, RuleNotification)
	_, err = w.as("judge", irq).req(w.ev(&ConsularNotified{Country: "FR", Notifications: []NotificationID{se}, Means: "note verbale", To: "Embassy"}))
	wantRule(t, err, RuleNotification) // owed to Sweden, not France
	w.as("judge", irq).must(&ConsularNotified{Country: "SE", Notifications: []NotificationID{se}, Means: "note verbale", To: "Embassy of Sweden, Baghdad", Reference: "MOJ/2026/17"})
	if n := w.s.Notifications[se]; n.Status != NotificationDelivered || n.To != "Embassy of Sweden, Baghdad" || n.Overdue(n.CustodyAt.Add(1000*DefaultNotifyWithin), DefaultNotifyWithin) {
		t.Fatalf("after delivery: %+v", n)
	}
	_, err = w.req(w.ev(&ConsularNotified{Country: "SE", Notifications: []NotificationID{se}, Means: "again", To: "Embassy"}))
	wantRule(t, err, RuleNotification)
	w.as("consul", stateSE).must(&ConsularAcknowledged{Country: "SE", Notifications: []NotificationID{se}})
	if n := w.s.Notifications[se]; n.Status != NotificationAcknowledged || n.AcknowledgedBy != "consul" {
		t.Fatalf("after acknowledgement: %+v", n)
	}
	// The delivery is in the person's timeline and names them.
	e := w.log[len(w.log)-2]
	if ps, _ := e.Subjects(); !slices.Equal(ps, []PersonID{"SE1"}) {
		t.Errorf("delivery subjects %v", ps)
	}
	// Coming back into the same authority's custody does not owe a second
	// notification; a new authority's custody does.
	w.as("admin", gov).must(&ControlChanged{Facility: baghdad, From: irq, To: gov})
	if _, ok := w.s.Notifications[NotificationIDOf("SE1", gov, "SE")]; !ok {
		t.Error("a control change to another state's authority created no notification")
	}
	if _, ok := w.s.Notifications[NotificationIDOf("IQ1", gov, "IQ")]; !ok {
		t.Error("the Iraqi in Syrian custody is owed a notification to Iraq")
	}
	if errs := CheckInvariants(w.s); len(errs) > 0 {
		t.Fatal(errs)
	}
}

func openCase(id CaseID, p PersonID) *CaseOpened {
	return &CaseOpened{Case: Case{ID: id, Person: p, Jurisdiction: irq, Court: "Karkh Criminal Court", Committee: "Investigative committee 3"}}
}

func TestCaseAndExposure(t *testing.T) {
	w := legalWorld(t).as("judge", irq)
	// A case is opened by the authority holding the person.
	_, err := w.req(w.ev(&CaseOpened{Case: Case{ID: "C0", Person: "SEW", Jurisdiction: irq, Court: "c", Committee: "k"}}))
	wantRule(t, err, RuleCase)
	w.must(openCase("C1", "SE1"))
	_, err = w.req(w.ev(openCase("C1b", "SE1")))
	wantRule(t, err, RuleCase) // one open case at a time
	// A step names the case's person.
	_, err = w.req(w.ev(&CaseHearing{Case: "C1", Person: "IQ1", Court: "c", Summary: "s"}))
	wantRule(t, err, RuleCase)
	// Decisions follow charges; unknown charges and versions are refused.
	_, err = w.req(w.ev(&CaseDecided{Case: "C1", Person: "SE1", Decision: DecisionReferred}))
	wantRule(t, err, RuleCase)
	_, err = w.req(w.ev(&CaseCharged{Case: "C1", Person: "SE1", Charges: []ChargeRef{{Code: "atl-4-1-membership", Version: 2}}}))
	wantRule(t, err, RuleReference)
	// A request is atomic: a good step and a bad one record nothing.
	before := len(w.s.Cases["C1"].Steps)
	_, err = w.req(w.evs(&CaseHearing{Case: "C1", Person: "SE1", Court: "c", Summary: "first"}, &CaseDecided{Case: "C1", Person: "SE1", Decision: "maybe"})...)
	wantRule(t, err, RuleRequired)
	if got := len(w.s.Cases["C1"].Steps); got != before {
		t.Fatalf("a rejected request left %d steps, want %d", got, before)
	}

	// Charged with membership (death): the Swede's exposure opens, for
	// Sweden only; the Iraqi's identical charge raises none.
	w.must(&CaseCharged{Case: "C1", Person: "SE1", Charges: []ChargeRef{{Code: "atl-4-1-membership", Version: 1}, {Code: "atl-4-2-concealment", Version: 1}}})
	w.must(openCase("C2", "IQ1"), &CaseCharged{Case: "C2", Person: "IQ1", Charges: []ChargeRef{{Code: "atl-4-1-membership", Version: 1}}})
	open := w.s.OpenExposures()
	if len(open) != 1 || open[0].Person != "SE1" || open[0].Reason != ExposureCharge || !slices.Equal(open[0].Countries, []string{"SE"}) {
		t.Fatalf("open exposures after charging: %+v", open)
	}
	if c := w.s.Cases["C1"]; c.MaxPenalty == nil || c.MaxPenalty.Kind != PenaltyDeath {
		t.Fatalf("max penalty %v", c.MaxPenalty)
	}
	// Amending the charges to concealment only (life) ends the exposure;
	// charging membership again opens a new one.
	w.must(&CaseCharged{Case: "C1", Person: "SE1", Charges: []ChargeRef{{Code: "atl-4-2-concealment", Version: 1}}})
	if len(w.s.OpenExposures()) != 0 {
		t.Fatal("the exposure stayed open after the death charge was dropped")
	}
	w.must(&CaseCharged{Case: "C1", Person: "SE1", Charges: []ChargeRef{{Code: "atl-4-1-membership", Version: 1}}})
	w.must(&CaseHearing{Case: "C1", Person: "SE1", Court: "Karkh", Summary: "confession read", Counsel: true},
		&CaseDecided{Case: "C1", Person: "SE1", Decision: DecisionReferred},
		&CaseDecided{Case: "C1", Person: "SE1", Decision: DecisionConvicted})
	w.must(&CaseSentenced{Case: "C1", Person: "SE1", Sentence: Penalty{Kind: PenaltyDeath}, Court: "Karkh"})
	open = w.s.OpenExposures()
	if len(open) != 1 || open[0].Reason != ExposureSentence {
		t.Fatalf("after a death sentence: %+v", open)
	}
	w.must(&CaseAppealed{Case: "C1", Person: "SE1", By: "automatic", Court: "Federal Court of Cassation"})
	_, err = w.req(w.ev(&CaseAppealDecided{Case: "C1", Person: "SE1", Outcome: AppealCommuted, Sentence: &Penalty{Kind: PenaltyDeath}}))
	wantRule(t, err, RuleCase) // not lighter
	w.must(&CaseAppealDecided{Case: "C1", Person: "SE1", Outcome: AppealCommuted, Sentence: &Penalty{Kind: PenaltyLife}})
	c := w.s.Cases["C1"]
	if c.Stage != CaseStageFinal || c.Sentence.Kind != PenaltyLife || len(w.s.OpenExposures()) != 0 {
		t.Fatalf("after commutation: stage %s sentence %v open %v", c.Stage, c.Sentence, w.s.OpenExposures())
	}
	if len(w.s.Exposures) != 3 {
		t.Errorf("%d alerts in all, want 3 (charge, charge again, sentence)", len(w.s.Exposures))
	}
	_, err = w.req(w.ev(&CaseHearing{Case: "C1", Person: "SE1", Court: "c", Summary: "s"}))
	wantRule(t, err, RuleCase) // final

	// A sentence graver than the charges' maximum is refused.
	pp := person("FR2")
	pp.Nationalities = []string{"FR"}
	w.as("reg", sdf).must(&PersonRegistered{Person: pp}, admission("FR2", hasakah))
	w.must(transfer("FR2", hasakah, baghdad))
	w.as("judge", irq).must(openCase("C3", "FR2"), &CaseCharged{Case: "C3", Person: "FR2", Charges: []ChargeRef{{Code: "atl-4-2-concealment", Version: 1}}},
		&CaseDecided{Case: "C3", Person: "FR2", Decision: DecisionReferred}, &CaseDecided{Case: "C3", Person: "FR2", Decision: DecisionConvicted})
	_, err = w.req(w.ev(&CaseSentenced{Case: "C3", Person: "FR2", Sentence: Penalty{Kind: PenaltyDeath}, Court: "Karkh"}))
	wantRule(t, err, RuleCase)
	// Death ends the Iraqi's case's exposure... he has none; the
	// Frenchman's charge exposure (none: concealment) stays none. A death
	// charge on the French dual national raises an alert for France only
	// (Morocco is abolitionist in practice: also opposed).
	w.must(openCase("C4", "FR1"), &CaseCharged{Case: "C4", Person: "FR1", Charges: []ChargeRef{{Code: "atl-4-1-act", Version: 1}}})
	open = w.s.OpenExposures()
	if len(open) != 1 || !slices.Equal(open[0].Countries, []string{"FR", "MA"}) {
		t.Fatalf("the dual national's alert: %+v", open)
	}
	// Released from custody, the exposure ends with the release.
	w.as("reg", irq).must(&Released{Person: "FR1", Facility: baghdad, Reason: "court-order", AuthorisedBy: irq})
	if len(w.s.OpenExposures()) != 0 {
		t.Fatal("a release left the alert open")
	}
	if errs := CheckInvariants(w.s); len(errs) > 0 {
		t.Fatal(errs)
	}
}

func TestRepatriation(t *testing.T) {
	w := legalWorld(t)
	family := []PersonID{"SEW", "SEC1", "SEC2"}
	req := &RepatriationRequested{Request: RepatriationRequest{ID: "R1", Country: "SE", Authority: stateSE, Persons: family}}
	// A state asks for its own nationals only, to its own authority.
	bad := *req
	bad.Request.Persons = []PersonID{"SEW", "IQ1"}
	_, err := w.as("consul", stateSE).req(w.ev(&bad))
	wantRule(t, err, RuleRepatriation)
	bad = *req
	bad.Request.Authority = stateFR
	_, err = w.req(w.ev(&bad))
	wantRule(t, err, RuleRepatriation)
	w.must(req)
	_, err = w.req(w.ev(&RepatriationRequested{Request: RepatriationRequest{ID: "R2", Country: "SE", Authority: stateSE, Persons: []PersonID{"SEW"}}}))
	wantRule(t, err, RuleRepatriation) // already requested

	// Only the holder decides and releases; the state receives only what
	// was released.
	_, err = w.as("judge", irq).req(w.ev(&RepatriationDecided{Request: "R1", Approved: family}))
	wantRule(t, err, RuleWrongAuthority)
	w.as("reg", sdf).must(&RepatriationDecided{Request: "R1", Approved: family})
	_, err = w.as("consul", stateSE).req(w.ev(&RepatriationReceived{Request: "R1", Persons: family}))
	wantRule(t, err, RuleRepatriation)
	w.as("reg", sdf).must(&RepatriationReleased{Request: "R1", Persons: family, Place: "Semalka crossing"})
	_, err = w.as("consul", stateFR).req(w.ev(&RepatriationReceived{Request: "R1", Persons: family}))
	wantRule(t, err, RuleWrongAuthority)
	w.as("consul", stateSE).must(&RepatriationReceived{Request: "R1", Persons: family})

	for _, p := range family {
		l := w.s.Persons[p].Location
		if l.Status != StatusRepatriated || l.Authority != stateSE || l.Facility != "" || l.Status.InCustody() {
			t.Errorf("%s after the handover: %+v", p, l)
		}
	}
	if r := w.s.Repatriations["R1"]; !r.Closed {
		t.Errorf("the request is not closed: %+v", r)
	}
	if w.s.Facilities[alhol].Count != 0 {
		t.Errorf("al-Hol still counts %d", w.s.Facilities[alhol].Count)
	}
	// A family asking is told of the repatriation.
	a := ComposeAnswer(ReleaseFields, w.s.Persons["SEC1"], nil, idNamer{})
	if len(a.Facts) != 1 || a.Facts[0].Field != ReleaseRelease || !strings.Contains(a.Facts[0].Value, "repatriated on") || !strings.Contains(a.Facts[0].Value, "state-se") {
		t.Errorf("the family's answer: %+v", a)
	}
	// The record is closed, not deleted: nothing more is recorded on it.
	_, err = w.as("reg", sdf).req(w.ev(admission("SEW", alhol)))
	wantRule(t, err, RuleClosed)
	if _, ok := w.s.Persons["SEW"]; !ok {
		t.Fatal("the record is gone")
	}
	if errs := CheckInvariants(w.s); len(errs) > 0 {
		t.Fatal(errs)
	}
}

func TestLegalReferenceRules(t *testing.T) {
	w := newWorld(t).base()
	ch := DefaultCharges()
	ch.Version = 2
	_, err := w.req(w.ev(&ch))
	wantRule(t, err, RuleReference)
	pos := DefaultPositions()
	pos.AsOf = "31/12/2024"
	_, err = w.req(w.ev(&pos))
	wantRule(t, err, RuleRequired)
	pos = DefaultPositions()
	pos.Positions = append(pos.Positions, StatePosition{Country: "SE", Position: Retentionist})
	_, err = w.req(w.ev(&pos))
	wantRule(t, err, RuleReference)
	ch = DefaultCharges()
	pos = DefaultPositions()
	w.must(&ch, &pos)
	if w.s.Charges().Version != 1 || w.s.Positions().AsOf != "2024-12-31" {
		t.Fatal("published reference data not in force")
	}
	if p, ok := w.s.Positions().Of("SE"); !ok || p.Position != Abolitionist || p.Since != 1972 {
		t.Errorf("Sweden: %+v", p)
	}
}

// TestPositionsRaiseAlerts: a new version of the positions in which a
// state now opposes the death penalty raises alerts for its nationals
// already exposed; the Iraqi charged with a death charge is one.
func TestPositionsRaiseAlerts(t *testing.T) {
	w := legalWorld(t).as("judge", irq)
	w.must(openCase("C2", "IQ1"), &CaseCharged{Case: "C2", Person: "IQ1", Charges: []ChargeRef{{Code: "atl-4-1-membership", Version: 1}}})
	if len(w.s.OpenExposures()) != 0 {
		t.Fatal("an alert for a national of a retentionist state")
	}
	pos := DefaultPositions()
	pos.Version, pos.AsOf = 2, "2027-01-01"
	for i, p := range pos.Positions {
		if p.Country == "IQ" {
			pos.Positions[i] = StatePosition{Country: "IQ", Position: Abolitionist, Since: 2026}
		}
	}
	w.as("admin", sdf).must(&pos)
	open := w.s.OpenExposures()
	if len(open) != 1 || open[0].Person != "IQ1" || open[0].Positions != 2 || !slices.Equal(open[0].Countries, []string{"IQ"}) {
		t.Fatalf("after the new positions: %+v", open)
	}
}

func TestLegalPolicy(t *testing.T) {
	w := legalWorld(t).as("judge", irq)
	w.must(openCase("C1", "SE1"))
	judge := &User{Name: "judge", Role: RoleJudicial, Authority: irq}
	otherJudge := &User{Name: "gjudge", Role: RoleJudicial, Authority: gov}
	consulSE := &User{Name: "consul", Role: RoleConsular, Authority: stateSE, Nationalities: []string{"SE"}}
	consulFR := &User{Name: "fconsul", Role: RoleConsular, Authority: stateFR, Nationalities: []string{"FR"}}
	for _, tc := range []struct {
		u  *User
		p  Payload
		ok bool
	}{
		{judge, &CaseHearing{Case: "C1", Person: "SE1", Court: "c", Summary: "s"}, true},
		{otherJudge, &CaseHearing{Case: "C1", Person: "SE1", Court: "c", Summary: "s"}, false},
		{consulSE, &CaseHearing{Case: "C1", Person: "SE1", Court: "c", Summary: "s"}, false},
		{judge, &ConsularNotified{Country: "SE", Notifications: []NotificationID{"SE1/irq/SE"}, Means: "m", To: "t"}, true},
		{otherJudge, &ConsularNotified{Country: "SE", Notifications: []NotificationID{"SE1/irq/SE"}, Means: "m", To: "t"}, false},
		{consulSE, &ConsularAcknowledged{Country: "SE", Notifications: []NotificationID{"SE1/irq/SE"}}, true},
		{consulFR, &ConsularAcknowledged{Country: "SE", Notifications: []NotificationID{"SE1/irq/SE"}}, false},
		{consulSE, &RepatriationRequested{Request: RepatriationRequest{ID: "R", Country: "SE", Authority: stateSE, Persons: []PersonID{"SEW"}}}, true},
		{consulFR, &RepatriationRequested{Request: RepatriationRequest{ID: "R", Country: "SE", Authority: stateSE, Persons: []PersonID{"SEW"}}}, false},
		{judge, &RepatriationDecided{Request: "R", Approved: []PersonID{"SEW"}}, false}, // held by the SDF
	} {
		e := NewEvent(tc.p, t0, t0, Actor{User: tc.u.Name, Authority: tc.u.Authority}, "k")
		if err := CanRecord(tc.u, w.s, &e); (err == nil) != tc.ok {
			t.Errorf("%s records %s: %v, want allowed %v", tc.u.Name, e.Type, err, tc.ok)
		}
	}
	// Refusals about what is outside the user's scope are "not found", the
	// same for what exists and what does not: they tell nothing.
	sdfReg := &User{Name: "reg", Role: RoleRegistrar, Authority: sdf, Facilities: []FacilityID{hasakah}}
	for _, tc := range []struct {
		u           *User
		real, ghost Payload
	}{
		{otherJudge, &CaseOpened{Case: Case{ID: "C9", Person: "SE1", Jurisdiction: gov, Court: "c", Committee: "k"}},
			&CaseOpened{Case: Case{ID: "C9", Person: "NOBODY", Jurisdiction: gov, Court: "c", Committee: "k"}}},
		{sdfReg, &ConsularNotified{Country: "SE", Notifications: []NotificationID{"SE1/irq/SE"}, Means: "m", To: "t"},
			&ConsularNotified{Country: "SE", Notifications: []NotificationID{"NOBODY/irq/SE"}, Means: "m", To: "t"}},
		{consulSE, &RepatriationRequested{Request: RepatriationRequest{ID: "R", Country: "SE", Authority: stateSE, Persons: []PersonID{"IQ1"}}},
			&RepatriationRequested{Request: RepatriationRequest{ID: "R", Country: "SE", Authority: stateSE, Persons: []PersonID{"NOBODY"}}}},
		{otherJudge, &CaseHearing{Case: "C1", Person: "SE1", Court: "c", Summary: "s"}, &CaseHearing{Case: "C404", Person: "SE1", Court: "c", Summary: "s"}},
	} {
		var codes []Code
		for _, p := range []Payload{tc.real, tc.ghost} {
			e := NewEvent(p, t0, t0, Actor{User: tc.u.Name, Authority: tc.u.Authority}, "k")
			var ce *Error
			if err := CanRecord(tc.u, w.s, &e); !errors.As(err, &ce) {
				t.Fatalf("%s records %s: %v", tc.u.Name, e.Type, err)
			}
			codes = append(codes, ce.Code)
		}
		if codes[0] != NotFound || codes[1] != NotFound {
			t.Errorf("%s: refusals %v for what exists and what does not, want not found for both", tc.u.Name, codes)
		}
	}
	c := w.s.Cases["C1"]
	n := w.s.Notifications["SE1/irq/SE"]
	for _, tc := range []struct {
		u      *User
		case_  bool
		notice bool
	}{
		{judge, true, true}, {otherJudge, false, false}, {consulSE, true, true}, {consulFR, false, false},
		{&User{Name: "m", Role: RoleMonitor}, true, true}, {&User{Name: "f", Role: RoleFamilyDesk}, false, false},
	} {
		if got := CanViewCase(tc.u, c); got != tc.case_ {
			t.Errorf("%s sees the case: %v", tc.u.Name, got)
		}
		if got := CanViewNotification(tc.u, n); got != tc.notice {
			t.Errorf("%s sees the notification: %v", tc.u.Name, got)
		}
	}
}
