package custody

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// checkState checks the invariants with CheckInvariants and again,
// independently, from the outside.
func checkState(t testing.TB, s *State) {
	t.Helper()
	for _, err := range CheckInvariants(s) {
		t.Errorf("CheckInvariants: %v", err)
	}
	onRoll := map[PersonID]FacilityID{}
	for f, roll := range s.roll {
		fs, ok := s.Facilities[f]
		if !ok {
			if len(roll) > 0 {
				t.Errorf("roll of unregistered facility %s: %v", f, s.Roll(f))
			}
			continue
		}
		if fs.Count != len(roll) {
			t.Errorf("%s: count %d, roll %d", f, fs.Count, len(roll))
		}
		for p := range roll {
			if other, dup := onRoll[p]; dup {
				t.Errorf("%s on the rolls of %s and %s", p, other, f)
			}
			onRoll[p] = f
		}
	}
	for f, fs := range s.Facilities {
		if len(s.roll[f]) == 0 && fs.Count != 0 {
			t.Errorf("%s: count %d, empty roll", f, fs.Count)
		}
	}
	for id, ps := range s.Persons {
		l := ps.Location
		f, on := onRoll[id]
		switch {
		case l.Status.OnRoll() && (!on || f != l.Facility):
			t.Errorf("%s %s in %s but on the roll of %q", id, l.Status, l.Facility, f)
		case !l.Status.OnRoll() && on:
			t.Errorf("%s %s but on the roll of %s", id, l.Status, f)
		case l.Status == StatusHeld && l.Authority != s.Facilities[l.Facility].Controller:
			t.Errorf("%s held in %s in the custody of %s, but %s controls it", id, l.Facility, l.Authority, s.Facilities[l.Facility].Controller)
		case l.Status == StatusHospitalised && (l.Authority == "" || s.Facilities[l.Facility].Facility.Kind != Hospital):
			t.Errorf("%s hospitalised: %+v", id, l)
		case l.Status == StatusEscaped:
			if e := s.Escapes[l.Escape]; e == nil || !e.Open() || e.Person != id {
				t.Errorf("%s at large, escape %d is %+v", id, l.Escape, e)
			}
		}
	}
	for seq, e := range s.Escapes {
		if !e.Open() {
			continue
		}
		if l := s.Persons[e.Person].Location; l.Status != StatusEscaped || l.Escape != seq {
			t.Errorf("escape %d of %s is open but the person is %+v", seq, e.Person, l)
		}
	}
}

// randomWorld makes requests, valid and invalid, over a small world.
type randomWorld struct {
	*world
	rng        *rand.Rand
	ids        []PersonID
	facilities []FacilityID
	escapes    []int64
	registered []PersonID // in the order of registration, so the run is the same every time
}

func (r *randomWorld) facility() FacilityID { return r.facilities[r.rng.IntN(len(r.facilities))] }

func (r *randomWorld) authority() AuthorityID {
	return []AuthorityID{sdf, gov, irq}[r.rng.IntN(3)]
}

// mostly returns right with probability 0.8, else wrong.
func mostly[T any](r *randomWorld, right T, wrong func() T) T {
	if r.rng.IntN(5) > 0 {
		return right
	}
	return wrong()
}

func (r *randomWorld) payloads() []Payload {
	id := r.ids[r.rng.IntN(len(r.ids))]
	if len(r.registered) > 0 && r.rng.IntN(10) < 7 {
		id = r.registered[r.rng.IntN(len(r.registered))]
	}
	ps := r.s.Persons[id]
	var l Location
	if ps != nil {
		l = ps.Location
	}
	here := func() FacilityID {
		if l.Facility != "" {
			return l.Facility
		}
		return r.facility()
	}
	switch r.rng.IntN(14) {
	case 0, 1, 2: // registration, usually of someone new, usually with an admission
		if n := len(r.registered); n < len(r.ids) && r.rng.IntN(5) > 0 {
			id = r.ids[n]
		}
		p := person(id)
		if r.rng.IntN(5) == 0 {
			p.Family = []FamilyLink{{Relation: SiblingOf, Person: r.ids[r.rng.IntN(len(r.ids))]}}
		}
		if r.rng.IntN(20) == 0 {
			p.Category = "adult"
		}
		if r.rng.IntN(10) == 0 {
			return []Payload{&PersonRegistered{Person: p}}
		}
		return []Payload{&PersonRegistered{Person: p}, admission(id, r.facility())}
	case 3:
		return []Payload{admission(id, r.facility())}
	case 4:
		return []Payload{transfer(id, mostly(r, here(), r.facility), r.facility())}
	case 5:
		return []Payload{release(id, mostly(r, here(), r.facility))}
	case 6:
		return []Payload{&Escaped{Person: id, Facility: mostly(r, here(), r.facility)}}
	case 7:
		esc := mostly(r, l.Escape, func() int64 {
			if len(r.escapes) > 0 && r.rng.IntN(2) == 0 {
				return r.escapes[r.rng.IntN(len(r.escapes))]
			}
			return r.rng.Int64N(r.next + 1)
		})
		return []Payload{&Recaptured{Person: id, Escape: esc, Facility: r.facility()}}
	case 8:
		if r.rng.IntN(3) == 0 {
			return []Payload{death(id, mostly(r, l.Facility, r.facility))}
		}
		return []Payload{admission(id, r.facility())}
	case 9, 10:
		return []Payload{&Hospitalised{Person: id, From: mostly(r, here(), r.facility), Hospital: mostly(r, hospital, r.facility)}}
	case 11:
		return []Payload{&Returned{Person: id, Hospital: mostly(r, here(), r.facility), Facility: r.facility()}}
	case 12:
		corrects := r.rng.Int64N(r.next + 1)
		if ps != nil && r.rng.IntN(5) > 0 {
			corrects = ps.Identity[r.rng.IntN(len(ps.Identity))]
		}
		p := person(id)
		p.Birth = BirthDate{Date: fmt.Sprintf("19%02d-0%d-1%d", r.rng.IntN(100), 1+r.rng.IntN(9), r.rng.IntN(10))}
		return []Payload{&IdentityCorrected{Corrects: corrects, Reason: "documents", Person: p}}
	default:
		f := r.facility()
		return []Payload{&ControlChanged{Facility: f, From: mostly(r, r.s.Facilities[f].Controller, r.authority), To: r.authority()}}
	}
}

// TestRandomRequests drives a small world (3 authorities, 5 facilities
// with a section and a hospital, 200 persons) through thousands of valid
// and invalid requests. After every one the invariants hold and a rejected
// one changed nothing; at the end Restore and Replay rebuild the same state.
func TestRandomRequests(t *testing.T) {
	const steps = 4000
	r := &randomWorld{
		world:      newWorld(t).base(),
		rng:        rand.New(rand.NewPCG(2026, 11)),
		facilities: []FacilityID{hasakah, alhol, annex, hospital, baghdad},
	}
	for i := range 200 {
		r.ids = append(r.ids, PersonID(fmt.Sprintf("r%03d", i)))
	}
	base := len(r.log)
	changes := make([]Change, base) // per accepted event, by log index - 1; the base world's are not compared
	accepted, rejected := map[EventType]int{}, map[Rule]int{}
	for step := range steps {
		var ps []Payload
		for range 1 + r.rng.IntN(3)*r.rng.IntN(2) { // mostly one-event requests
			ps = append(ps, r.payloads()...)
		}
		events := r.evs(ps...)
		first := r.next
		before := cloneState(r.s)
		ch, err := r.req(events...)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == Internal || e.Event == "" {
				t.Fatalf("step %d: bad error %v (%#v)", step, err, e)
			}
			rejected[e.Rule]++
			if !equalStates(before, r.s) {
				sameState(t, fmt.Sprintf("step %d: rejected request (%v)", step, err), snapshot(t, before), snapshot(t, r.s))
			}
		} else {
			changes = append(changes, ch...)
			for i, e := range events {
				accepted[e.Type]++
				switch d := e.Data.(type) {
				case *Escaped:
					r.escapes = append(r.escapes, first+int64(i))
				case *PersonRegistered:
					r.registered = append(r.registered, d.Person.ID)
				}
			}
		}
		checkState(t, r.s)
		if t.Failed() {
			t.Fatalf("step %d: %d events %v, err %v", step, len(events), events, err)
		}
	}
	t.Logf("accepted %v", accepted)
	t.Logf("rejected %v", rejected)
	for _, typ := range []EventType{TypePersonRegistered, TypeAdmitted, TypeTransferred, TypeReleased, TypeEscaped, TypeRecaptured,
		TypeDied, TypeHospitalised, TypeReturned, TypeIdentityCorrected, TypeControlChanged} {
		if accepted[typ] < 5 {
			t.Errorf("only %d %s accepted: the test does not exercise it", accepted[typ], typ)
		}
	}
	if len(rejected) < 10 {
		t.Errorf("only rules %v broken: the test does not exercise the rules", rejected)
	}
	want := snapshot(t, r.s)

	t.Run("Restore", func(t *testing.T) {
		restored := restoreCopy(t, r.s)
		checkState(t, restored)
		sameState(t, "restored", want, snapshot(t, restored))

		// The restored state behaves as the original: the same requests
		// give the same results.
		for step := range 300 {
			events := r.evs(r.payloads()...)
			_, _, err1 := r.s.ApplyAll(r.next, events)
			_, _, err2 := restored.ApplyAll(r.next, events)
			if fmt.Sprint(err1) != fmt.Sprint(err2) {
				t.Fatalf("step %d: original says %v, restored %v", step, err1, err2)
			}
			if err1 == nil {
				r.next += int64(len(events))
			}
		}
		sameState(t, "restored, after more requests", snapshot(t, r.s), snapshot(t, restored))
		checkState(t, restored)
	})

	t.Run("Replay", func(t *testing.T) {
		b, err := json.Marshal(r.log)
		if err != nil {
			t.Fatal(err)
		}
		var decoded []Event
		if err := json.Unmarshal(b, &decoded); err != nil {
			t.Fatal(err)
		}
		for name, log := range map[string][]Event{"events": r.log, "decoded events": decoded} {
			fresh := NewState()
			for i := range log {
				ch, err := fresh.Replay(int64(i+1), &log[i])
				if err != nil {
					t.Fatalf("%s: replay of event %d: %v", name, i+1, err)
				}
				if i >= base && !reflect.DeepEqual(ch, changes[i]) {
					t.Errorf("%s: event %d (%s): replay changes %+v, ApplyAll's %+v", name, i+1, log[i].Type, ch, changes[i])
				}
			}
			checkState(t, fresh)
			sameState(t, name+" replayed", want, snapshot(t, fresh))
		}
	})
}

// restoreCopy restores a state from deep copies of s's parts, the way a
// store would load them.
func restoreCopy(t testing.TB, s *State) *State {
	t.Helper()
	var (
		as []*Authority
		fs []*FacilityState
		ps []*PersonState
		es []*Escape
	)
	for _, a := range s.Authorities {
		as = append(as, a)
	}
	for _, f := range s.Facilities {
		fs = append(fs, f)
	}
	for _, p := range s.Persons {
		ps = append(ps, p)
	}
	for _, e := range s.Escapes {
		es = append(es, e)
	}
	copyJSON(t, &as)
	copyJSON(t, &fs)
	copyJSON(t, &ps)
	copyJSON(t, &es)
	return Restore(Parts{Authorities: as, Facilities: fs, Persons: ps, Escapes: es})
}

// copyJSON replaces *v by a deep copy made through JSON.
func copyJSON[T any](t testing.TB, v *T) {
	t.Helper()
	b, err := json.Marshal(*v)
	if err != nil {
		t.Fatal(err)
	}
	var c T
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	*v = c
}

// TestRestoreShowsDisagreement: Restore keeps stored counts, so that
// CheckInvariants names a facility whose count disagrees with its roll, and
// a person placed where no roll has them.
func TestRestoreShowsDisagreement(t *testing.T) {
	w, _ := populated(t)
	s := restoreCopy(t, w.s)
	if errs := CheckInvariants(s); errs != nil {
		t.Fatalf("invariants of the untouched copy: %v", errs)
	}
	s.Facilities[hasakah].Count++
	s.Persons["p7"].Location = Location{Status: StatusReleased, Facility: alhol}
	s.Persons["p6"].Location.Escape = 999
	var got []string
	for _, err := range CheckInvariants(s) {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%v is not a *custody.Error", err)
		}
		got = append(got, fmt.Sprintf("%s %s %s", e.Rule, e.Person, e.Facility))
	}
	want := []string{
		"conservation p6 ",
		"conservation p7 ",
		"counts  hasakah",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CheckInvariants found %q, want %q", got, want)
	}
}

// cloneState returns a copy of s that shares nothing s changes in place.
func cloneState(s *State) *State {
	c := NewState()
	for id, a := range s.Authorities {
		a := *a
		c.Authorities[id] = &a
	}
	for id, f := range s.Facilities {
		f := *f
		f.Control = slices.Clone(f.Control)
		c.Facilities[id] = &f
	}
	for id, p := range s.Persons {
		p := *p
		p.Identity = slices.Clone(p.Identity)
		c.Persons[id] = &p
	}
	for seq, e := range s.Escapes {
		e := *e
		c.Escapes[seq] = &e
	}
	for f, roll := range s.roll {
		if len(roll) > 0 {
			c.roll[f] = maps.Clone(roll)
		}
	}
	return c
}

// equalStates reports whether a and b hold the same thing (an empty roll
// and no roll are the same).
func equalStates(a, b *State) bool {
	rolls := func(s *State) map[FacilityID]map[PersonID]struct{} {
		m := map[FacilityID]map[PersonID]struct{}{}
		for f, roll := range s.roll {
			if len(roll) > 0 {
				m[f] = roll
			}
		}
		return m
	}
	return reflect.DeepEqual(a.Authorities, b.Authorities) &&
		reflect.DeepEqual(a.Facilities, b.Facilities) &&
		reflect.DeepEqual(a.Persons, b.Persons) &&
		reflect.DeepEqual(a.Escapes, b.Escapes) &&
		reflect.DeepEqual(rolls(a), rolls(b))
}
