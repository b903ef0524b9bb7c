package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// testLegal: cases, death-penalty alerts, consular notifications and a
// repatriation are kept as projections that the reads return, that a
// reopened store restores (the next step is checked against them) and that
// verify rebuilds from the log.
func testLegal(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("lg"))
	MustAppend(t, f.s, Registrations("lg", 0, 8, PrisonA)) // nationalities SY, IQ, TN, SE in turn
	at := time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)
	ev := func(p custody.Payload, by custody.Actor, key string) custody.Event {
		at = at.Add(time.Minute)
		return custody.NewEvent(p, at, at, by, "lg-"+key)
	}
	judge := custody.Actor{User: "judge", Authority: "iraq-moj"}
	consul := custody.Actor{User: "consul.se", Authority: "state-se"}
	ch, pos := custody.DefaultCharges(), custody.DefaultPositions()
	MustAppend(t, f.s, [][]custody.Event{
		{ev(&custody.AuthorityRegistered{Authority: custody.Authority{ID: "state-se", Name: custody.Name{Latin: []string{"Sweden"}}, Kind: custody.ForeignState, Country: "SE"}}, actor, "se")},
		{ev(&ch, actor, "charges"), ev(&pos, actor, "positions")},
		Transfer("lg", 1, 1, PrisonA, Destination), // Iraqi: no notification
		Transfer("lg", 2, 2, PrisonA, Destination), // Tunisian
		Transfer("lg", 3, 3, PrisonA, Destination), // Swede
	})
	se := custody.NotificationIDOf(pid(3), "iraq-moj", "SE")
	MustAppend(t, f.s, [][]custody.Event{
		{ev(&custody.CaseOpened{Case: custody.Case{ID: "C-1", Person: pid(3), Jurisdiction: "iraq-moj", Court: "Karkh Criminal Court", Committee: "Committee 2"}}, judge, "open"),
			ev(&custody.CaseCharged{Case: "C-1", Person: pid(3), Charges: []custody.ChargeRef{{Code: "atl-4-1-membership", Version: 1}}}, judge, "charge")},
		{ev(&custody.ConsularNotified{Country: "SE", Notifications: []custody.NotificationID{se}, Means: "note verbale", To: "Embassy of Sweden, Baghdad"}, judge, "notify")},
		{ev(&custody.RepatriationRequested{Request: custody.RepatriationRequest{ID: "R-1", Country: "SE", Authority: "state-se", Persons: []custody.PersonID{pid(7)}}}, consul, "request")},
		{ev(&custody.RepatriationDecided{Request: "R-1", Approved: []custody.PersonID{pid(7)}}, actor, "decide")},
		{ev(&custody.RepatriationReleased{Request: "R-1", Persons: []custody.PersonID{pid(7)}, Place: "Semalka"}, actor, "release")},
		{ev(&custody.RepatriationReceived{Request: "R-1", Persons: []custody.PersonID{pid(7)}}, consul, "receive")},
	})
	check := func(when string) {
		t.Helper()
		cs, err := f.s.Cases(ctx, "iraq-moj")
		if err != nil || len(cs) != 1 || cs[0].Case.ID != "C-1" || cs[0].MaxPenalty == nil || cs[0].MaxPenalty.Kind != custody.PenaltyDeath {
			t.Fatalf("%s: cases %+v %v", when, cs, err)
		}
		if c, err := f.s.Case(ctx, "C-1"); err != nil || len(c.Steps) < 2 {
			t.Fatalf("%s: case %+v %v", when, c, err)
		}
		if cs, err := f.s.CasesOf(ctx, pid(1)); err != nil || len(cs) != 0 {
			t.Fatalf("%s: cases of another person %v %v", when, cs, err)
		}
		xs, err := f.s.Exposures(ctx, true)
		if err != nil || len(xs) != 1 || xs[0].Person != pid(3) || xs[0].Countries[0] != "SE" {
			t.Fatalf("%s: open exposures %+v %v", when, xs, err)
		}
		ns, err := f.s.Notifications(ctx, sqlstore.NotificationFilter{Countries: []string{"SE"}})
		if err != nil || len(ns) != 1 || ns[0].ID != se || ns[0].Status != custody.NotificationDelivered {
			t.Fatalf("%s: Swedish notifications %+v %v", when, ns, err)
		}
		overdue := sqlstore.NotificationFilter{Status: custody.NotificationPending, Before: at}
		if n, err := f.s.CountNotifications(ctx, overdue); err != nil || n != 1 {
			t.Fatalf("%s: pending notifications: %d %v (want the Tunisian's)", when, n, err)
		}
		rs, err := f.s.Repatriations(ctx, "SE")
		if err != nil || len(rs) != 1 || !rs[0].Closed {
			t.Fatalf("%s: repatriations %+v %v", when, rs, err)
		}
		if rs, _ := f.s.Repatriations(ctx, "FR"); len(rs) != 0 {
			t.Fatalf("%s: France's repatriations %+v", when, rs)
		}
		charges, positions, err := f.s.LegalReference(ctx)
		if err != nil || len(charges) != 1 || len(positions) != 1 || positions[0].AsOf == "" {
			t.Fatalf("%s: legal reference %v %v %v", when, charges, positions, err)
		}
		ps, err := f.s.Persons(ctx, []custody.PersonID{pid(7)})
		if err != nil || ps[pid(7)].Location.Status != custody.StatusRepatriated {
			t.Fatalf("%s: repatriated person %+v %v", when, ps[pid(7)], err)
		}
		if _, err := f.s.Verify(ctx, ""); err != nil {
			t.Fatalf("%s: verify: %v", when, err)
		}
	}
	check("after append")
	f.reopen(t)
	check("after reopen")
	// The restored state knows the case, its alert and the closed record.
	MustAppend(t, f.s, [][]custody.Event{{ev(&custody.CaseDecided{Case: "C-1", Person: pid(3), Decision: custody.DecisionReferred}, judge, "refer"),
		ev(&custody.CaseDecided{Case: "C-1", Person: pid(3), Decision: custody.DecisionAcquitted}, judge, "acquit")}})
	if xs, err := f.s.Exposures(ctx, true); err != nil || len(xs) != 0 {
		t.Fatalf("after the acquittal: open exposures %+v %v", xs, err)
	}
	_, err := f.s.Append(ctx, ev(&custody.Admitted{Person: pid(7), Facility: PrisonA, TakenBy: "x", OrderedBy: "sdf", Grounds: "x"}, actor, "readmit"))
	var ce *custody.Error
	if !errors.As(err, &ce) || ce.Rule != custody.RuleClosed {
		t.Fatalf("an admission of a repatriated person: %v", err)
	}
	if _, err := f.s.Verify(ctx, ""); err != nil {
		t.Fatalf("verify: %v", err)
	}
}
