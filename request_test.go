package custody

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// populated is the base world with persons in every kind of place:
// p1, p2 in hasakah; p3 in alhol; p4 in the annex; p5 in hospital (sent
// from alhol); p6 at large (escaped from hasakah); p7 released; p8 dead.
func populated(t testing.TB) (w *world, esc6 int64) {
	w = newWorld(t).base()
	w.admit("p1", hasakah)
	w.admit("p2", hasakah)
	w.admit("p3", alhol)
	w.admit("p4", annex)
	w.hospitalised("p5", alhol)
	esc6 = w.escaped("p6", hasakah)
	w.admit("p7", hasakah)
	w.must(release("p7", hasakah))
	w.dead("p8", alhol)
	return w, esc6
}

// TestRejectedRequestUndone: a request whose last event fails leaves the
// state exactly as it was, whatever the earlier events did.
func TestRejectedRequestUndone(t *testing.T) {
	for _, c := range []struct {
		name string
		req  func(w *world, esc6 int64) []Payload
		rule Rule
	}{
		{"registration, admission and transfer, then a release from the wrong facility", func(w *world, _ int64) []Payload {
			return []Payload{
				&PersonRegistered{Person: person("p9")}, admission("p9", hasakah),
				transfer("p1", hasakah, alhol),
				release("p2", alhol),
			}
		}, RuleNotHeldHere},
		{"control change, escape and recapture, then hospitalisation to a camp", func(w *world, _ int64) []Payload {
			return []Payload{
				&ControlChanged{Facility: alhol, From: sdf, To: gov},
				&Escaped{Person: "p3", Facility: alhol},
				&Recaptured{Person: "p3", Escape: w.next + 1, Facility: hasakah},
				&Hospitalised{Person: "p4", From: annex, Hospital: alhol},
			}
		}, RuleHospital},
		{"new authority and facility with persons in it, then a recapture of the dead", func(w *world, esc6 int64) []Payload {
			return []Payload{
				&AuthorityRegistered{Authority: Authority{ID: "us", Name: Name{Latin: []string{"CENTCOM"}}, Kind: Coalition, Country: "US"}},
				&FacilityRegistered{Facility: Facility{ID: "transit", Name: Name{Latin: []string{"Transit point"}}, Kind: Transit, Security: SecurityHigh, Controller: "us"}},
				&PersonRegistered{Person: person("p9")}, admission("p9", "transit"),
				transfer("p1", hasakah, "transit"),
				death("p2", hasakah),
				&Recaptured{Person: "p2", Escape: esc6, Facility: hasakah},
			}
		}, RuleDeceased},
		{"recapture, death closing an escape, correction, then a registration placed nowhere", func(w *world, esc6 int64) []Payload {
			return []Payload{
				&Recaptured{Person: "p6", Escape: esc6, Facility: alhol},
				&Escaped{Person: "p6", Facility: alhol},
				death("p6", ""),
				&IdentityCorrected{Corrects: w.s.Persons["p2"].Registered, Reason: "documents", Person: person("p2")},
				&PersonRegistered{Person: person("p9")},
			}
		}, RuleConservation},
		{"return from hospital, control change of the hospital, then a duplicate authority", func(w *world, _ int64) []Payload {
			return []Payload{
				&Returned{Person: "p5", Hospital: hospital, Facility: annex},
				&ControlChanged{Facility: hospital, From: sdf, To: gov},
				&ControlChanged{Facility: alhol, From: sdf, To: irq},
				admission("p7", baghdad),
				&AuthorityRegistered{Authority: Authority{ID: irq, Name: Name{Latin: []string{"Iraq"}}, Kind: Ministry}},
			}
		}, RuleDuplicate},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, esc6 := populated(t)
			events := w.evs(c.req(w, esc6)...)
			before := snapshot(t, w.s)
			_, err := w.req(events...)
			sameState(t, "rejected request", before, snapshot(t, w.s))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want a *custody.Error", err)
			}
			last := events[len(events)-1]
			if e.Rule != c.rule || e.Event != last.Type || e.Key != last.Key {
				t.Errorf("got rule %q event %q key %q, want rule %q and the last event %s %s (%v)", e.Rule, e.Event, e.Key, c.rule, last.Type, last.Key, err)
			}
			// Without the offending event the request is accepted, so the
			// earlier events did change the state before they were undone.
			if _, err := w.req(events[:len(events)-1]...); err != nil && c.rule != RuleConservation {
				t.Fatalf("the request without its last event: %v", err)
			}
			if c.rule != RuleConservation && snapshot(t, w.s) == before {
				t.Error("the earlier events change nothing: the test proves nothing")
			}
		})
	}
}

// TestUndo: the undo function ApplyAll returns reverts a successful request
// exactly, and the same request can then be applied again.
func TestUndo(t *testing.T) {
	w, esc6 := populated(t)
	first := w.next
	events := w.evs(
		&AuthorityRegistered{Authority: Authority{ID: "us", Name: Name{Latin: []string{"CENTCOM"}}, Kind: Coalition}},
		&FacilityRegistered{Facility: Facility{ID: "transit", Name: Name{Latin: []string{"Transit"}}, Kind: Transit, Security: SecurityHigh, Controller: "us"}},
		&PersonRegistered{Person: person("p9")}, admission("p9", annex),
		&ControlChanged{Facility: alhol, From: sdf, To: gov},
		transfer("p1", hasakah, "transit"),
		release("p2", hasakah),
		&Recaptured{Person: "p6", Escape: esc6, Facility: alhol},
		&Escaped{Person: "p3", Facility: alhol},
		death("p3", ""),
		&Returned{Person: "p5", Hospital: hospital, Facility: hasakah},
		&Hospitalised{Person: "p4", From: annex, Hospital: hospital},
		&IdentityCorrected{Corrects: w.s.Persons["p4"].Registered, Reason: "documents", Person: person("p4")},
		admission("p7", baghdad),
	)
	before := snapshot(t, w.s)
	undo, changes, err := w.s.ApplyAll(first, events)
	if err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, w.s)
	if after == before {
		t.Fatal("the request changed nothing")
	}
	if errs := CheckInvariants(w.s); errs != nil {
		t.Fatalf("invariants after the request: %v", errs)
	}
	undo()
	sameState(t, "undone request", before, snapshot(t, w.s))

	_, again, err := w.s.ApplyAll(first, events)
	if err != nil {
		t.Fatalf("the request again after undo: %v", err)
	}
	sameState(t, "request applied again", after, snapshot(t, w.s))
	if !reflect.DeepEqual(changes, again) {
		t.Errorf("changes differ the second time:\n%+v\n%+v", changes, again)
	}
}

// TestChanges: the Change of each event lists the persons, facilities,
// authorities and escapes whose current state it changed.
func TestChanges(t *testing.T) {
	w, esc6 := populated(t)
	p8reg := w.s.Persons["p8"].Registered
	next := w.next
	for _, c := range []struct {
		name string
		p    Payload
		want Change
	}{
		{"authority", &AuthorityRegistered{Authority: Authority{ID: "us", Name: Name{Latin: []string{"CENTCOM"}}, Kind: Coalition}},
			Change{Authorities: []AuthorityID{"us"}}},
		{"facility", &FacilityRegistered{Facility: Facility{ID: "transit", Name: Name{Latin: []string{"Transit"}}, Kind: Transit, Security: SecurityHigh, Controller: "us"}},
			Change{Facilities: []FacilityID{"transit"}}},
		{"transfer", transfer("p1", hasakah, "transit"),
			Change{Persons: []PersonID{"p1"}, Facilities: []FacilityID{hasakah, "transit"}}},
		{"release", release("p2", hasakah),
			Change{Persons: []PersonID{"p2"}, Facilities: []FacilityID{hasakah}}},
		{"readmission", admission("p2", baghdad),
			Change{Persons: []PersonID{"p2"}, Facilities: []FacilityID{baghdad}}},
		{"escape", &Escaped{Person: "p3", Facility: alhol},
			Change{Persons: []PersonID{"p3"}, Facilities: []FacilityID{alhol}, Escapes: []int64{next + 5}}},
		{"recapture", &Recaptured{Person: "p6", Escape: esc6, Facility: annex},
			Change{Persons: []PersonID{"p6"}, Facilities: []FacilityID{annex}, Escapes: []int64{esc6}}},
		{"death at large closes the escape", death("p3", ""),
			Change{Persons: []PersonID{"p3"}, Escapes: []int64{next + 5}}},
		{"hospitalisation", &Hospitalised{Person: "p4", From: annex, Hospital: hospital},
			Change{Persons: []PersonID{"p4"}, Facilities: []FacilityID{annex, hospital}}},
		{"return", &Returned{Person: "p5", Hospital: hospital, Facility: hasakah},
			Change{Persons: []PersonID{"p5"}, Facilities: []FacilityID{hospital, hasakah}}},
		{"correction of the dead", &IdentityCorrected{Corrects: p8reg, Reason: "identified", Person: person("p8")},
			Change{Persons: []PersonID{"p8"}}},
		{"registration", &PersonRegistered{Person: person("p9")}, // and its admission below
			Change{Persons: []PersonID{"p9"}}},
		{"admission", admission("p9", alhol),
			Change{Persons: []PersonID{"p9"}, Facilities: []FacilityID{alhol}}},
	} {
		// One request per event, except the registration and its admission.
		if c.name == "admission" {
			continue
		}
		events := []Event{w.ev(c.p)}
		wants := []Change{c.want}
		if c.name == "registration" {
			events = append(events, w.ev(admission("p9", alhol)))
			wants = append(wants, Change{Persons: []PersonID{"p9"}, Facilities: []FacilityID{alhol}})
		}
		changes, err := w.req(events...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !reflect.DeepEqual(changes, wants) {
			t.Errorf("%s: changes\n%+v\nwant\n%+v", c.name, changes, wants)
		}
	}
}

// TestControlChange: a control change passes everyone held in the facility
// and its sections into the new authority's custody in one event; persons
// in hospital stay in the custody of the authority that sent them.
func TestControlChange(t *testing.T) {
	w := newWorld(t).base()
	w.admit("c1", alhol)
	w.admit("c2", alhol)
	w.admit("s1", annex)
	w.admit("s2", annex)
	w.admit("h1", hasakah)
	w.hospitalised("m1", alhol)   // sent to hospital from alhol, by the SDF
	w.hospitalised("m2", annex)   // from the annex
	w.hospitalised("m3", hasakah) // from another facility
	w.admit("x1", hasakah)
	w.must(release("x1", hasakah))
	w.escaped("x2", alhol)

	seq := w.next
	e := w.ev(&ControlChanged{Facility: alhol, From: sdf, To: gov, Circumstances: "handed over under the peace process"})
	changes, err := w.req(e)
	if err != nil {
		t.Fatal(err)
	}
	// The Iraqis now in the Syrian government's custody are owed a
	// consular notification each.
	want := Change{Persons: []PersonID{"c1", "c2", "s1", "s2"}, Facilities: []FacilityID{alhol, annex},
		Notifications: []NotificationID{"c1/gov/IQ", "c2/gov/IQ", "s1/gov/IQ", "s2/gov/IQ"}}
	if !reflect.DeepEqual(changes, []Change{want}) {
		t.Errorf("changes %+v, want %+v", changes, []Change{want})
	}
	for _, id := range []PersonID{"c1", "c2", "s1", "s2"} {
		l := w.s.Persons[id].Location
		if l.Status != StatusHeld || l.Authority != gov || l.SinceSeq != seq || !l.Since.Equal(e.OccurredAt) {
			t.Errorf("%s: location %+v, want held in the custody of gov since event %d", id, l, seq)
		}
	}
	for _, id := range []PersonID{"h1", "m1", "m2", "m3"} {
		if a := w.s.Persons[id].Location.Authority; a != sdf {
			t.Errorf("%s: in the custody of %s, want still sdf", id, a)
		}
	}
	for _, f := range []FacilityID{alhol, annex} {
		fs := w.s.Facilities[f]
		last := fs.Control[len(fs.Control)-1]
		if fs.Controller != gov || len(fs.Control) != 2 || last.Authority != gov || last.Seq != seq {
			t.Errorf("%s: controller %s, control %+v; want gov since event %d", f, fs.Controller, fs.Control, seq)
		}
	}
	if c := w.s.Facilities[hasakah].Controller; c != sdf {
		t.Errorf("hasakah controller %s, want sdf", c)
	}
	// Back from hospital to the annex, m1 passes into the custody of its
	// controller now.
	w.must(&Returned{Person: "m1", Hospital: hospital, Facility: annex})
	if a := w.s.Persons["m1"].Location.Authority; a != gov {
		t.Errorf("m1 back in the annex in the custody of %s, want gov", a)
	}

	// The hospital changes hands: its patients stay in the custody of the
	// authority that sent them.
	changes, err = w.req(w.ev(&ControlChanged{Facility: hospital, From: sdf, To: irq}))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Change{Facilities: []FacilityID{hospital}}); !reflect.DeepEqual(changes, []Change{want}) {
		t.Errorf("hospital control change: changes %+v, want %+v", changes, []Change{want})
	}
	for _, id := range []PersonID{"m2", "m3"} {
		if l := w.s.Persons[id].Location; l.Status != StatusHospitalised || l.Authority != sdf {
			t.Errorf("%s: %+v, want hospitalised in the custody of sdf", id, l)
		}
	}
	if errs := CheckInvariants(w.s); errs != nil {
		t.Errorf("invariants: %v", errs)
	}
}

// TestDeathClosesEscape: a death at large closes the open escape clock, and
// nothing can be recorded for the person afterwards.
func TestDeathClosesEscape(t *testing.T) {
	w := newWorld(t).base()
	esc := w.escaped("p1", hasakah)
	if !w.s.Escapes[esc].Open() {
		t.Fatal("escape clock not open")
	}
	died := w.must(death("p1", ""))
	e := w.s.Escapes[esc]
	if e.Open() || e.ClosedBy != died || !e.ClosedAt.Equal(w.log[died-1].OccurredAt) {
		t.Errorf("escape %+v, want closed by event %d", e, died)
	}
	if l := w.s.Persons["p1"].Location; l.Status != StatusDeceased || l.Facility != "" || l.SinceSeq != died {
		t.Errorf("location %+v, want deceased since event %d", l, died)
	}
	if errs := CheckInvariants(w.s); errs != nil {
		t.Errorf("invariants: %v", errs)
	}
}

// TestRecapture: a recapture closes the escape it names and places the
// person in the custody of the facility's controller.
func TestRecapture(t *testing.T) {
	w := newWorld(t).base()
	esc := w.escaped("p1", hasakah)
	if got := w.s.Roll(hasakah); len(got) != 0 {
		t.Errorf("roll of hasakah after the escape: %v", got)
	}
	rec := w.must(&Recaptured{Person: "p1", Escape: esc, Facility: baghdad, TakenBy: "patrol"})
	if e := w.s.Escapes[esc]; e.Open() || e.ClosedBy != rec {
		t.Errorf("escape %+v, want closed by %d", e, rec)
	}
	l := w.s.Persons["p1"].Location
	if l.Status != StatusHeld || l.Facility != baghdad || l.Authority != irq || l.Escape != 0 {
		t.Errorf("location %+v, want held in baghdad by irq", l)
	}
	if got := w.s.Roll(baghdad); !slices.Equal(got, []PersonID{"p1"}) {
		t.Errorf("roll of baghdad %v", got)
	}
}
