package web

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// The legal tests' world, added to a fixture's copy of the demo: the
// published charges and death-penalty positions (custody.DefaultCharges
// and DefaultPositions, unless the demo has published some already), a
// Swede and a Frenchman admitted five days ago to an Iraqi Ministry of
// Justice prison with a Tunisian (which creates their consular
// notifications, overdue after the default 72 hours), a case against each opened and charged by
// the Iraqi judge — the Swede under a charge that carries death (which
// raises an alert for Sweden), the Frenchman under one that does not —
// and a repatriation request from each one's state.

// legalWorld names what setupLegal recorded.
type legalWorld struct {
	swede, french           custody.PersonID
	spare                   custody.PersonID // a Tunisian held with them, with no case
	sweName, frName         string           // Latin names, as pages show them
	sweCase, frCase         custody.CaseID
	sweNote, frNote         custody.NotificationID
	sweRep, frRep           custody.RepatriationID
	version                 int    // of the charges
	deathCharge, lifeCharge string // codes of that version
}

// setupLegal records the legal world on f's store (directly, as the demo
// loader does: the policy is the web's to test, not the setup's).
func setupLegal(t testing.TB, f *fixture) *legalWorld {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	w := &legalWorld{
		swede: "NES-990001", french: "NES-990002", spare: "NES-990003",
		sweName: "Oskar Vallgren", frName: "Mathis Girard",
		sweRep: "REP-SE-001", frRep: "REP-FR-001",
	}
	w.sweCase, w.frCase = caseIDFor(w.swede, 1), caseIDFor(w.french, 1)
	w.sweNote = custody.NotificationIDOf(w.swede, "iraq-moj", "SE")
	w.frNote = custody.NotificationIDOf(w.french, "iraq-moj", "FR")
	n := 0
	// add records one request of events.
	add := func(at time.Time, by custody.Actor, ps ...custody.Payload) {
		t.Helper()
		var evs []custody.Event
		for _, p := range ps {
			n++
			evs = append(evs, custody.NewEvent(p, at, time.Time{}, by, fmt.Sprintf("legal-setup-%d", n)))
		}
		if _, err := f.store.Append(ctx, evs...); err != nil {
			t.Fatalf("legal setup, %s: %v", ps[0].EventType(), err)
		}
	}
	admin := custody.Actor{User: "admin", Site: "test"}
	cs, ps, err := f.store.LegalReference(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) == 0 {
		d := custody.DefaultCharges()
		add(now.Add(-10*24*time.Hour), admin, &d)
		cs = append(cs, &custody.ChargeList{Version: d.Version, Source: d.Source, Charges: d.Charges})
	}
	if len(ps) == 0 {
		d := custody.DefaultPositions()
		add(now.Add(-10*24*time.Hour), admin, &d)
	}
	cur := cs[len(cs)-1]
	w.version = cur.Version
	for _, c := range cur.Charges {
		switch {
		case c.Max.Kind == custody.PenaltyDeath && w.deathCharge == "":
			w.deathCharge = c.Code
		case c.Max.Kind == custody.PenaltyLife && w.lifeCharge == "":
			w.lifeCharge = c.Code
		}
	}
	if w.deathCharge == "" || w.lifeCharge == "" {
		t.Fatalf("the charges of version %d carry no death or no life penalty", cur.Version)
	}

	registrar := custody.Actor{User: "moj-registrar", Authority: "iraq-moj", Site: "test"}
	judge := custody.Actor{User: "judicial", Authority: "iraq-moj", Site: "test"}
	admitted := now.Add(-5 * 24 * time.Hour)
	for _, p := range []struct {
		id              custody.PersonID
		latin, ar, from string
	}{{w.swede, w.sweName, "أوسكار فالغرين", "SE"}, {w.french, w.frName, "ماتيس جيرار", "FR"}, {w.spare, "Karim Ben Salah", "كريم بن صالح", "TN"}} {
		add(admitted, registrar, &custody.PersonRegistered{Person: custody.Person{ID: p.id, Name: custody.Name{Arabic: p.ar, Latin: []string{p.latin}},
			Sex: custody.Male, Nationalities: []string{p.from}, Category: custody.Man}},
			&custody.Admitted{Person: p.id, Facility: "iq-moj-central", TakenBy: "Counter-Terrorism Service",
				OrderedBy: "iraq-moj", Grounds: "Anti-Terrorism Law No. 13 of 2005, Article 4"})
	}
	for _, c := range []struct {
		id     custody.CaseID
		person custody.PersonID
		charge string
	}{{w.sweCase, w.swede, w.deathCharge}, {w.frCase, w.french, w.lifeCharge}} {
		add(now.Add(-4*24*time.Hour), judge, &custody.CaseOpened{Case: custody.Case{ID: c.id, Person: c.person, Jurisdiction: "iraq-moj",
			Court: "Karkh Criminal Court, Baghdad", Committee: "Investigative Committee 3", Reference: "IC3/" + string(c.person)}})
		add(now.Add(-3*24*time.Hour), judge, &custody.CaseCharged{Case: c.id, Person: c.person,
			Charges: []custody.ChargeRef{{Code: c.charge, Version: w.version}}})
	}
	add(now.Add(-2*24*time.Hour), custody.Actor{User: "consul-sweden", Authority: "state-se", Site: "test"}, &custody.RepatriationRequested{
		Request: custody.RepatriationRequest{ID: w.sweRep, Country: "SE", Authority: "state-se", Persons: []custody.PersonID{w.swede}}})
	add(now.Add(-2*24*time.Hour), custody.Actor{User: "consular", Authority: "state-fr", Site: "test"}, &custody.RepatriationRequested{
		Request: custody.RepatriationRequest{ID: w.frRep, Country: "FR", Authority: "state-fr", Persons: []custody.PersonID{w.french}}})
	return w
}

// newLegalFixture is a fixture with the legal world.
func newLegalFixture(t testing.TB) (*fixture, *legalWorld) {
	t.Helper()
	f := newFixture(t)
	return f, setupLegal(t, f)
}

// heldByMoJ returns a man of the demo held by the Iraqi Ministry of
// Justice at iq-moj-baghdad, of nationality nat and no other.
func heldByMoJ(t testing.TB, f *fixture, nat string) custody.PersonID {
	t.Helper()
	page, err := f.store.ListPersons(context.Background(), sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Facility: "iq-moj-baghdad",
		Status: custody.StatusHeld, Category: custody.Man, Nationality: nat, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Persons {
		if slices.Equal(p.Nationalities, []string{nat}) {
			return p.ID
		}
	}
	t.Fatalf("no %s man held at iq-moj-baghdad", nat)
	return ""
}
