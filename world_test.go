package custody

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The test world: authorities, facilities and persons built through
// events, the way a user builds them.
const (
	sdf = AuthorityID("sdf") // holds everything at the start
	gov = AuthorityID("gov") // Syrian government
	irq = AuthorityID("irq") // Iraqi Ministry of Justice

	hasakah  = FacilityID("hasakah")  // prison, SDF
	alhol    = FacilityID("alhol")    // camp, SDF
	annex    = FacilityID("annex")    // camp-section of alhol, SDF
	hospital = FacilityID("hospital") // hospital, SDF
	baghdad  = FacilityID("baghdad")  // destination prison, Iraq
)

// t0 is when the world begins; every event happens a minute after the last.
var t0 = time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)

// world is a State driven through ApplyAll, keeping the accepted log.
type world struct {
	t     testing.TB
	s     *State
	next  int64   // the log index the next accepted event gets
	log   []Event // accepted events; log[i] has index i+1
	n     int     // events made, for keys and times
	clerk Actor
}

func newWorld(t testing.TB) *world {
	return &world{t: t, s: NewState(), next: 1, clerk: Actor{User: "registrar1", Authority: sdf, Site: "hasakah"}}
}

// ev wraps p in an event with a fresh key and a time after every earlier one.
func (w *world) ev(p Payload) Event {
	w.n++
	at := t0.Add(time.Duration(w.n) * time.Minute)
	e := NewEvent(p, at, at.Add(time.Second), w.clerk, fmt.Sprintf("k%d", w.n))
	e.Salt = "c2FsdHNhbHRzYWx0c2FsdA"
	return e
}

// evs wraps each payload in an event.
func (w *world) evs(ps ...Payload) []Event {
	events := make([]Event, len(ps))
	for i, p := range ps {
		events[i] = w.ev(p)
	}
	return events
}

// req applies one request. If accepted, its events join the log.
func (w *world) req(events ...Event) ([]Change, error) {
	w.t.Helper()
	_, changes, err := w.s.ApplyAll(w.next, events)
	if err != nil {
		return nil, err
	}
	if len(changes) != len(events) {
		w.t.Fatalf("ApplyAll returned %d changes for %d events", len(changes), len(events))
	}
	w.log = append(w.log, events...)
	w.next += int64(len(events))
	return changes, nil
}

// must applies a request that must be accepted and returns the log index
// of its first event.
func (w *world) must(ps ...Payload) int64 {
	w.t.Helper()
	first := w.next
	if _, err := w.req(w.evs(ps...)...); err != nil {
		w.t.Fatalf("request rejected: %v", err)
	}
	return first
}

// base registers three authorities and five facilities (a camp with a
// section, a prison, a hospital and a destination prison).
func (w *world) base() *world {
	w.t.Helper()
	for _, a := range []Authority{
		{ID: sdf, Name: Name{Arabic: "قسد", Latin: []string{"SDF"}}, Kind: NonStateForce, Country: "SY"},
		{ID: gov, Name: Name{Latin: []string{"Syrian government"}}, Kind: Ministry, Country: "SY"},
		{ID: irq, Name: Name{Latin: []string{"Iraqi Ministry of Justice"}}, Kind: Ministry, Country: "IQ"},
	} {
		w.must(&AuthorityRegistered{Authority: a})
	}
	for _, f := range []Facility{
		{ID: hasakah, Name: Name{Latin: []string{"Ghwayran prison"}}, Kind: Prison, Capacity: 5000, Security: SecurityMaximum, Controller: sdf, Place: Place{Name: "Hasakah", Country: "SY"}},
		{ID: alhol, Name: Name{Latin: []string{"al-Hol"}}, Kind: Camp, Capacity: 60000, Security: SecurityMedium, Controller: sdf, Place: Place{Name: "al-Hol", Country: "SY"}},
		{ID: annex, Name: Name{Latin: []string{"al-Hol annex"}}, Kind: CampSection, Parent: alhol, Capacity: 8000, Security: SecurityHigh, Controller: sdf, Place: Place{Name: "al-Hol", Country: "SY"}},
		{ID: hospital, Name: Name{Latin: []string{"Hasakah national hospital"}}, Kind: Hospital, Capacity: 200, Security: SecurityLow, Controller: sdf, Place: Place{Name: "Hasakah", Country: "SY"}},
		{ID: baghdad, Name: Name{Latin: []string{"al-Karkh prison"}}, Kind: Destination, Capacity: 10000, Security: SecurityMaximum, Controller: irq, Place: Place{Name: "Baghdad", Country: "IQ"}},
	} {
		w.must(&FacilityRegistered{Facility: f})
	}
	return w
}

// person returns a valid identity record.
func person(id PersonID) Person {
	return Person{
		ID:            id,
		Name:          Name{Arabic: "محمد " + string(id), Latin: []string{"Muhammad " + string(id)}},
		Sex:           Male,
		Birth:         BirthDate{Date: "1990-01-01", Estimated: true},
		Nationalities: []string{"IQ"},
		Category:      Man,
	}
}

func admission(id PersonID, f FacilityID) *Admitted {
	return &Admitted{Person: id, Facility: f, TakenBy: "unit 7", OrderedBy: sdf, Grounds: "membership"}
}

// admit registers a person and admits them to f in one request, and
// returns the log index of the registration.
func (w *world) admit(id PersonID, f FacilityID) int64 {
	w.t.Helper()
	p := person(id)
	return w.must(&PersonRegistered{Person: p}, admission(id, f))
}

func death(id PersonID, f FacilityID) *Died {
	return &Died{Person: id, Facility: f, Circumstances: "in custody", Cause: "illness", Remains: "returned to family"}
}

func release(id PersonID, f FacilityID) *Released {
	return &Released{Person: id, Facility: f, Reason: "end-of-detention", AuthorisedBy: sdf}
}

func transfer(id PersonID, from, to FacilityID) *Transferred {
	return &Transferred{Person: id, From: from, To: to, OrderedBy: sdf}
}

// snapshot is everything a user could observe of a state: its maps, the
// roll of every facility and what CheckInvariants says.
func snapshot(t testing.TB, s *State) string {
	t.Helper()
	rolls := map[FacilityID][]PersonID{}
	for f := range s.Facilities {
		rolls[f] = s.Roll(f)
	}
	for f := range s.roll { // a roll for an unregistered facility shows too
		if r := s.Roll(f); len(r) > 0 {
			rolls[f] = r
		}
	}
	var inv []string
	for _, err := range CheckInvariants(s) {
		inv = append(inv, err.Error())
	}
	b, err := json.MarshalIndent(struct {
		Authorities map[AuthorityID]*Authority
		Facilities  map[FacilityID]*FacilityState
		Persons     map[PersonID]*PersonState
		Escapes     map[int64]*Escape
		Rolls       map[FacilityID][]PersonID
		Invariants  []string
	}{s.Authorities, s.Facilities, s.Persons, s.Escapes, rolls, inv}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// diff returns the first lines where two snapshots differ.
func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(al), len(bl)) {
		x, y := "", ""
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			lo := max(0, i-3)
			return fmt.Sprintf("line %d:\n  before: %s\n  after:  %s\ncontext before:\n%s", i+1, x, y, strings.Join(al[lo:min(len(al), i+3)], "\n"))
		}
	}
	return ""
}

// sameState fails the test if the two snapshots differ.
func sameState(t testing.TB, what, before, after string) {
	t.Helper()
	if before != after {
		t.Errorf("%s: state changed:\n%s", what, diff(before, after))
	}
}
