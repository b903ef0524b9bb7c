package scenario

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
)

// TestAftermath applies the aftermath to the state the demo leaves and
// checks what issue 7 asks of the demo: Swedish, French and other foreign
// nationals with cases and notifications, a death-penalty alert, and one
// completed repatriation of a mother and her children.
func TestAftermath(t *testing.T) {
	o := applyDemo(Config{Seed: testSeed}) // a state of its own: the aftermath changes it
	if o.err != nil {
		t.Fatal(o.err)
	}
	s := o.state
	idx := int64(o.events)
	first := true
	var last time.Time
	h := sha256.New()
	err := Aftermath(context.Background(), Config{Seed: testSeed}, s, func(req []custody.Event) error {
		for i := range req {
			e := &req[i]
			if e.RecordedAt.Before(e.OccurredAt) || (!first && e.RecordedAt.Before(last)) || e.RecordedAt.Before(recordedFrom) {
				t.Errorf("event %d (%s) recorded at %v, occurred %v, previous recorded %v", idx+int64(i), e.Type, e.RecordedAt, e.OccurredAt, last)
			}
			first, last = false, e.RecordedAt
			json.NewEncoder(h).Encode(e)
		}
		if _, _, err := s.ApplyAll(idx, req); err != nil {
			return fmt.Errorf("request at %d: %w", idx, err)
		}
		idx += int64(len(req))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range custody.CheckInvariants(s) {
		t.Errorf("invariant: %v", err)
	}
	// Every person in the ministry's custody has a case.
	withCase := map[custody.PersonID]bool{}
	stages := map[custody.CaseStage]int{}
	for _, c := range s.Cases {
		withCase[c.Case.Person] = true
		stages[c.Stage]++
	}
	for id, ps := range s.Persons {
		if ps.Location.Status.OnRoll() && ps.Location.Authority == iraqMoJ && !withCase[id] {
			t.Fatalf("%s is held by the ministry with no case", id)
		}
	}
	// Swedish and French nationals have cases and notifications.
	for _, c := range []string{"SE", "FR"} {
		cases, notes, acked := 0, 0, 0
		for _, cs := range s.Cases {
			if slices.Contains(cs.Nationals, c) {
				cases++
			}
		}
		for _, n := range s.Notifications {
			if n.Country == c {
				notes++
				if n.Status == custody.NotificationAcknowledged {
					acked++
				}
			}
		}
		if cases == 0 || notes == 0 || acked == 0 {
			t.Errorf("%s nationals: %d cases, %d notifications (%d acknowledged)", c, cases, notes, acked)
		}
	}
	// Death-penalty alerts: a Swede's charge, a French death sentence.
	var seCharge, frSentence bool
	for _, x := range s.OpenExposures() {
		seCharge = seCharge || (x.Reason == custody.ExposureCharge && slices.Contains(x.Countries, "SE"))
		frSentence = frSentence || (x.Reason == custody.ExposureSentence && slices.Contains(x.Countries, "FR"))
		if p := s.Persons[x.Person]; !slices.ContainsFunc(p.Person.Nationalities, func(n string) bool { return slices.Contains(x.Countries, n) }) {
			t.Errorf("alert %d for %v about %s of %v", x.Seq, x.Countries, x.Person, p.Person.Nationalities)
		}
	}
	if !seCharge || !frSentence {
		t.Errorf("open alerts: a Swede's charge %v, a French death sentence %v", seCharge, frSentence)
	}
	// Some notifications are overdue (the demo's gap for monitors).
	overdue := 0
	for _, n := range s.Notifications {
		if n.Overdue(date(2026, time.April, 1), custody.DefaultNotifyWithin) {
			overdue++
		}
	}
	if overdue == 0 {
		t.Error("no overdue notification")
	}
	// The repatriation of a mother and her children is complete.
	r := s.Repatriations[RepatriationRequestID]
	if r == nil || !r.Closed || len(r.Persons) < 3 { // a mother and her children
		t.Fatalf("repatriation %+v", r)
	}
	mother := s.Persons[r.Persons[0].Person]
	if mother.Person.Category != custody.Woman {
		t.Errorf("the first repatriated is a %s", mother.Person.Category)
	}
	for _, x := range r.Persons {
		p := s.Persons[x.Person]
		if p.Location.Status != custody.StatusRepatriated || p.Location.Authority != "state-se" {
			t.Errorf("%s: %+v", x.Person, p.Location)
		}
		if x.Person != mother.Person.ID && !slices.Contains(p.Person.Family, custody.FamilyLink{Relation: custody.ChildOf, Person: mother.Person.ID}) {
			t.Errorf("%s is not the mother's child", x.Person)
		}
	}
	t.Logf("cases by stage %v; %d notifications (%d overdue at 2026-04-01); %d alerts open; %d events; digest %x",
		stages, len(s.Notifications), overdue, len(s.OpenExposures()), idx-int64(o.events), h.Sum(nil)[:8])
}
