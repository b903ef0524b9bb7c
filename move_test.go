package custody

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencustody/custody/ledger"
)

// The move world: the SDF hands men held in Ghwayran to the Iraqi Ministry
// of Justice's al-Karkh prison, escorted by CENTCOM (a third authority) or
// by one of the two sides.
const (
	centcom = AuthorityID("centcom")
	iraqMoJ = AuthorityID("iraq-moj")
	france  = AuthorityID("france") // a side of no move

	ghwayran = FacilityID("ghwayran")          // origin prison, SDF
	panorama = FacilityID("panorama")          // another SDF prison, not an origin of the allocation
	karkh    = FacilityID("karkh")             // destination prison, Iraqi MoJ, small capacity
	natHosp  = FacilityID("national-hospital") // hospital, SDF

	alloc1 = AllocationID("hasakah-to-iraq")
)

// moveWorld is a world of moves. Every request goes through try, which
// checks the invariants after each accepted one.
type moveWorld struct {
	*world
	men     []PersonID // held in ghwayran at the start
	changes []Change   // per accepted event, by log index - 1
}

// newMoveWorld builds the move world: 4 authorities, 4 facilities (karkh
// holds 10), the default reference lists, 14 men in ghwayran, a woman in
// ghwayran (w-1), a man in panorama (P-001), and an allocation of up to 12
// men from ghwayran to karkh.
func newMoveWorld(t testing.TB) *moveWorld { return buildMoveWorld(t, 10, 12, 14) }

func buildMoveWorld(t testing.TB, capacity, target, men int) *moveWorld {
	t.Helper()
	w := &moveWorld{world: newWorld(t)}
	for _, a := range []Authority{
		{ID: sdf, Name: Name{Arabic: "قسد", Latin: []string{"SDF"}}, Kind: NonStateForce, Country: "SY"},
		{ID: centcom, Name: Name{Latin: []string{"US Central Command"}}, Kind: Coalition, Country: "US"},
		{ID: iraqMoJ, Name: Name{Arabic: "وزارة العدل", Latin: []string{"Iraqi Ministry of Justice"}}, Kind: Ministry, Country: "IQ"},
		{ID: france, Name: Name{Latin: []string{"France"}}, Kind: ForeignState, Country: "FR"},
	} {
		w.do(sdf, &AuthorityRegistered{Authority: a})
	}
	for _, f := range []Facility{
		{ID: ghwayran, Name: Name{Latin: []string{"Ghwayran prison"}}, Kind: Prison, Capacity: 5000, Security: SecurityMaximum, Controller: sdf, Place: Place{Name: "Hasakah", Country: "SY"}},
		{ID: panorama, Name: Name{Latin: []string{"Panorama prison"}}, Kind: Prison, Capacity: 5000, Security: SecurityMaximum, Controller: sdf, Place: Place{Name: "Hasakah", Country: "SY"}},
		{ID: karkh, Name: Name{Latin: []string{"al-Karkh prison"}}, Kind: Destination, Capacity: capacity, Security: SecurityMaximum, Controller: iraqMoJ, Place: Place{Name: "Baghdad", Country: "IQ"}},
		{ID: natHosp, Name: Name{Latin: []string{"Hasakah national hospital"}}, Kind: Hospital, Capacity: 200, Security: SecurityLow, Controller: sdf, Place: Place{Name: "Hasakah", Country: "SY"}},
	} {
		w.do(sdf, &FacilityRegistered{Facility: f})
	}
	for _, r := range DefaultReferences() {
		w.do(sdf, &r)
	}
	for i := range men {
		w.men = append(w.men, w.newMan(fmt.Sprintf("M-%03d", i+1), ghwayran))
	}
	woman := person("w-1")
	woman.Sex, woman.Category = Female, Woman
	w.do(sdf, &PersonRegistered{Person: woman}, admission("w-1", ghwayran))
	w.newMan("P-001", panorama)
	w.do(iraqMoJ, &AllocationCreated{Allocation: Allocation{
		ID: alloc1, Name: "men from Ghwayran to al-Karkh", OrderedBy: iraqMoJ, Target: target,
		Criteria: Criteria{Categories: []Category{Man}, Origins: []FacilityID{ghwayran}}, Destinations: []FacilityID{karkh},
	}})
	return w
}

// newMan registers a man and admits him to f.
func (w *moveWorld) newMan(id string, f FacilityID) PersonID {
	w.t.Helper()
	w.do(sdf, &PersonRegistered{Person: person(PersonID(id))}, admission(PersonID(id), f))
	return PersonID(id)
}

// by wraps p in an event recorded by a user of authority a.
func (w *moveWorld) by(a AuthorityID, p Payload) Event {
	e := w.ev(p)
	e.By = Actor{User: string(a) + "-officer", Authority: a, Site: "field"}
	return e
}

// try applies a request. If it is accepted, the invariants must hold.
func (w *moveWorld) try(events ...Event) error {
	w.t.Helper()
	changes, err := w.req(events...)
	if err != nil {
		return err
	}
	w.changes = append(w.changes, changes...)
	checkState(w.t, w.s)
	checkMoves(w.t, w.s)
	if w.t.Failed() {
		w.t.Fatalf("invariants broken after the request %s", describe(events))
	}
	return nil
}

func describe(events []Event) string {
	var b strings.Builder
	for _, e := range events {
		d, _ := json.Marshal(e.Data)
		fmt.Fprintf(&b, "\n  %s by %s: %s", e.Type, e.By.Authority, d)
	}
	return b.String()
}

// do applies a request of payloads by a user of authority a, which must
// be accepted, and returns the log index of its first event.
func (w *moveWorld) do(a AuthorityID, ps ...Payload) int64 {
	w.t.Helper()
	first := w.next
	events := make([]Event, len(ps))
	for i, p := range ps {
		events[i] = w.by(a, p)
	}
	if err := w.try(events...); err != nil {
		w.t.Fatalf("request rejected: %v%s", err, describe(events))
	}
	return first
}

// refused applies e, which must be refused under rule without changing
// anything, with a message naming person (if any), the move and the text
// given.
func (w *moveWorld) refused(t testing.TB, e Event, rule Rule, p PersonID, msg ...string) *Error {
	t.Helper()
	before := dump(t, w.s)
	err := w.try(e)
	sameState(t, "refused request", before, dump(t, w.s))
	if err == nil {
		t.Fatalf("%s accepted, want refused under rule %s", describe([]Event{e}), rule)
	}
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is a %T, not a *custody.Error", err, err)
	}
	if ce.Rule != rule || ce.Person != p || ce.Event != e.Type || ce.Key != e.Key {
		t.Errorf("got rule %q person %q event %q key %q, want rule %q person %q event %q key %q\n(%v)",
			ce.Rule, ce.Person, ce.Event, ce.Key, rule, p, e.Type, e.Key, err)
	}
	if ce.Code == Internal || ce.Code == "" {
		t.Errorf("code %q for a refused request", ce.Code)
	}
	text := err.Error()
	want := slices.Clone(msg)
	if p != "" {
		want = append(want, "person "+string(p))
	}
	if id := e.MoveOf(); id != "" {
		want = append(want, string(id))
	}
	for _, s := range want {
		if !strings.Contains(text, s) {
			t.Errorf("error %q does not say %q", text, s)
		}
	}
	return ce
}

// dump is everything of a state, as JSON: what snapshot shows and the
// reference lists, allocations, moves and alerts.
func dump(t testing.TB, s *State) string {
	t.Helper()
	b, err := json.MarshalIndent(struct {
		References  map[ListID][]*ReferenceList
		Allocations map[AllocationID]*AllocationState
		Moves       map[MoveID]*MoveState
		Alerts      map[int64]*Alert
	}{s.References, s.Allocations, s.Moves, s.Alerts}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return snapshot(t, s) + "\n" + string(b)
}

// liveDump is a compact dump for the random test, cheap enough for every
// step: the persons and facilities, the open moves in full, and of the
// moves that have ended (which no rule edits again) only their stage.
func liveDump(t testing.TB, s *State) string {
	t.Helper()
	rolls := map[FacilityID][]PersonID{} // an empty roll and no roll are the same
	for f := range s.roll {
		if r := s.Roll(f); len(r) > 0 {
			rolls[f] = r
		}
	}
	moves := map[MoveID]any{}
	for id, m := range s.Moves {
		if m.Status.Open() {
			moves[id] = m
		} else {
			moves[id] = m.Status
		}
	}
	b, err := json.Marshal(struct {
		Authorities map[AuthorityID]*Authority
		Facilities  map[FacilityID]*FacilityState
		Persons     map[PersonID]*PersonState
		Escapes     map[int64]*Escape
		Rolls       map[FacilityID][]PersonID
		References  map[ListID][]*ReferenceList
		Allocations map[AllocationID]*AllocationState
		Moves       map[MoveID]any
		Alerts      map[int64]*Alert
	}{s.Authorities, s.Facilities, s.Persons, s.Escapes, rolls, s.References, s.Allocations, moves, s.Alerts})
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "},", "},\n") // lines, for diff
}

// checkMoves checks, from the outside, what the moves must keep: a person
// aboard is aboard exactly one move, which has boarded them, in the custody
// of the origin's controller or the escort; each move's balance adds up;
// a closed move balances and has no open alert.
func checkMoves(t testing.TB, s *State) {
	t.Helper()
	aboardOn := map[PersonID]MoveID{}
	for _, id := range slices.Sorted(maps.Keys(s.Moves)) {
		m := s.Moves[id]
		b := m.Balance()
		manifested := map[PersonID]bool{}
		for _, st := range m.Manifest {
			if manifested[st.Person] {
				t.Errorf("move %s: %s twice on the manifest", id, st.Person)
			}
			manifested[st.Person] = true
		}
		for p := range m.Boarded {
			if !manifested[p] {
				t.Errorf("move %s: %s boarded but not on the manifest", id, p)
			}
			if _, nb := m.NotBoarded[p]; nb {
				t.Errorf("move %s: %s both boarded and not boarded", id, p)
			}
		}
		for p := range m.NotBoarded {
			if !manifested[p] {
				t.Errorf("move %s: %s not boarded but not on the manifest", id, p)
			}
		}
		if b.Unresolved < 0 || b.Manifested != b.Boarded+b.NotBoarded+b.Unresolved {
			t.Errorf("move %s: balance %+v does not add up", id, b)
		}
		for p := range m.Aboard {
			if other, dup := aboardOn[p]; dup {
				t.Errorf("%s aboard both %s and %s", p, other, id)
			}
			aboardOn[p] = id
			if _, ok := m.Boarded[p]; !ok {
				t.Errorf("move %s: %s aboard but never boarded", id, p)
			}
			ps := s.Persons[p]
			if ps == nil {
				continue
			}
			if a := ps.Location.Authority; a != s.Facilities[m.Move.Origin].Controller && a != m.Move.Escort {
				t.Errorf("move %s: %s aboard in the custody of %s, neither the origin's controller nor the escort", id, p, a)
			}
		}
		if m.Status == StageAborted {
			if len(m.Aboard) != 0 {
				t.Errorf("aborted move %s has %d persons aboard", id, len(m.Aboard))
			}
			continue
		}
		if b.Boarded != b.HandedOver+b.Incidents+b.Aboard {
			t.Errorf("move %s: boarded %d ≠ handed over %d + incidents %d + aboard %d", id, b.Boarded, b.HandedOver, b.Incidents, b.Aboard)
		}
		for p := range m.HandedOver {
			if m.Aboard[p] || m.Incidents[p] != 0 {
				t.Errorf("move %s: %s handed over and still aboard or lost on the way", id, p)
			}
		}
		for p := range m.Incidents {
			if m.Aboard[p] {
				t.Errorf("move %s: %s lost on the way and still aboard", id, p)
			}
		}
		if m.Status == StageClosed {
			if err := b.Check(); err != nil {
				t.Errorf("closed move %s does not balance: %v", id, err)
			}
			for _, a := range s.OpenAlerts() {
				if a.Move == id {
					t.Errorf("closed move %s has open alert %s", id, a)
				}
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.Persons)) {
		l := s.Persons[id].Location
		if m, ok := aboardOn[id]; ok != (l.Status == StatusAboard) || ok && m != l.Move {
			t.Errorf("%s is %s (move %q) but aboard move %q by the moves' lists", id, l.Status, l.Move, m)
		}
	}
}

// testMove is a land move from ghwayran to karkh in two buses of 6 seats,
// with two legs.
func testMove(id MoveID, escort AuthorityID) Move {
	dep := t0.Add(48 * time.Hour)
	return Move{ID: id, Allocation: alloc1, Mode: ByLand, Origin: ghwayran, Destination: karkh, Escort: escort,
		Departure: dep, Arrival: dep.Add(9 * time.Hour),
		Vehicles: []Vehicle{
			{ID: "bus-1", Kind: "armoured bus", Label: "SDF-101", Seats: 6},
			{ID: "bus-2", Kind: "armoured bus", Label: "SDF-102", Seats: 6},
		},
		Legs: []Leg{{Kind: LegCheckpoint, Place: "Tal Tamr"}, {Kind: LegBorder, Place: "Rabia"}},
	}
}

// seats seats persons in order: 6 in bus-1, then bus-2.
func seats(ps ...PersonID) []Seat {
	out := make([]Seat, len(ps))
	for i, p := range ps {
		out[i] = Seat{Person: p, Vehicle: fmt.Sprintf("bus-%d", 1+i/6), Seat: 1 + i%6}
	}
	return out
}

func planned(id MoveID, escort AuthorityID, ps ...PersonID) *MovePlanned {
	return &MovePlanned{Move: testMove(id, escort), Manifest: seats(ps...)}
}

// plan plans move id with persons ps and returns its log index.
func (w *moveWorld) plan(id MoveID, escort AuthorityID, ps ...PersonID) int64 {
	w.t.Helper()
	return w.do(sdf, planned(id, escort, ps...))
}

// boarding plans move id and starts boarding.
func (w *moveWorld) boarding(id MoveID, escort AuthorityID, ps ...PersonID) {
	w.t.Helper()
	w.plan(id, escort, ps...)
	w.do(sdf, &BoardingStarted{Move: id})
}

// boarded returns the event boarding p on move id, in their vehicle, by
// their wristband.
func (w *moveWorld) boardedEv(id MoveID, p PersonID) *Boarded {
	st, _ := w.s.Moves[id].SeatOf(p)
	return &Boarded{Move: id, Vehicle: st.Vehicle, Person: p, Scan: ScanQR, Code: WristbandCode(p)}
}

// board boards persons ps on move id, by a user of the origin's controller.
func (w *moveWorld) board(id MoveID, ps ...PersonID) {
	w.t.Helper()
	for _, p := range ps {
		w.do(sdf, w.boardedEv(id, p))
	}
}

// reason returns the current reason for code in list.
func (w *moveWorld) reason(list ListID, code string) Reason {
	w.t.Helper()
	r, err := w.s.CurrentReason(list, code)
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

// handover releases ps on move id at stage from the holder to to and has
// to receive them; it returns the handover's log index.
func (w *moveWorld) handover(id MoveID, stage HandoverStage, from, to AuthorityID, ps ...PersonID) int64 {
	w.t.Helper()
	h := w.do(from, &HandoverReleased{Move: id, Stage: stage, To: to, Persons: ps})
	w.do(to, &HandoverReceived{Move: id, Handover: h, Persons: ps, IdentityChecked: true})
	return h
}

// departed boards ps on move id escorted by escort, hands them to a
// third-authority escort, and departs with the right count.
func (w *moveWorld) departed(id MoveID, escort AuthorityID, ps ...PersonID) {
	w.t.Helper()
	w.boarding(id, escort, ps...)
	w.board(id, ps...)
	if escort != sdf && escort != iraqMoJ {
		w.handover(id, AtDeparture, sdf, escort, ps...)
	}
	w.do(escort, &Departed{Move: id, Count: len(ps)})
}

// arrived runs move id up to its arrival, counted right at every leg.
func (w *moveWorld) arrived(id MoveID, escort AuthorityID, ps ...PersonID) {
	w.t.Helper()
	w.departed(id, escort, ps...)
	for leg := range w.s.Moves[id].Move.Legs {
		w.do(escort, &Counted{Move: id, Leg: leg + 1, Count: len(ps)})
	}
	w.do(escort, &Arrived{Move: id, Count: len(ps)})
}

func (w *moveWorld) man(i int) PersonID { return w.men[i] }

// moveCase is a request about moves that must be refused.
type moveCase struct {
	name             string
	capacity, target int                      // of the world, if not the default
	req              func(w *moveWorld) Event // builds the state, returns the request
	rule             Rule
	person           PersonID
	facility         FacilityID
	msg              []string
}

func moveCases() []moveCase {
	m := func(i int) PersonID { return PersonID(fmt.Sprintf("M-%03d", i)) }
	six := []PersonID{m(1), m(2), m(3), m(4), m(5), m(6)}
	return []moveCase{
		// boarding
		{name: "boarding a person not on the manifest", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "bus-2", Person: m(7), Scan: ScanQR, Code: WristbandCode(m(7))})
		}, rule: RuleNotOnManifest, person: m(7), msg: []string{"refused", "not on the manifest"}},
		{name: "boarding by a typed ID a person not on the manifest", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "bus-1", Person: "P-001", Scan: ScanTyped})
		}, rule: RuleNotOnManifest, person: "P-001", msg: []string{"not on the manifest"}},
		{name: "boarding on the wrong vehicle", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "bus-2", Person: m(1), Scan: ScanQR, Code: WristbandCode(m(1))})
		}, rule: RuleNotOnManifest, person: m(1), msg: []string{"bus-1, seat 1", "not of bus-2"}},
		{name: "boarding on a vehicle of no move", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "truck-9", Person: m(1), Scan: ScanTyped})
		}, rule: RuleNotOnManifest, person: m(1), msg: []string{"truck-9"}},
		{name: "wristband with wrong check digits", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			code := WristbandCode(m(1))
			bad := code[:len(code)-2] + fmt.Sprintf("%02d", (checkDigits(string(m(1)))+1)%100)
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "bus-1", Person: m(1), Scan: ScanQR, Code: bad})
		}, rule: RuleWristband, person: m(1), msg: []string{"check digits"}},
		{name: "wristband misread: one character of the ID", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			code := strings.Replace(WristbandCode(m(1)), "M-001", "M-007", 1)
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "bus-1", Person: m(1), Scan: ScanQR, Code: code})
		}, rule: RuleWristband, person: m(1), msg: []string{"check digits"}},
		{name: "another person's wristband", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "bus-1", Person: m(1), Scan: ScanQR, Code: WristbandCode(m(2))})
		}, rule: RuleWristband, person: m(1), msg: []string{"M-002's"}},
		{name: "a QR code that is not a wristband", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "bus-1", Person: m(1), Scan: ScanQR, Code: "https://example.org/M-001"})
		}, rule: RuleWristband, person: m(1), msg: []string{"not a custody wristband code"}},
		{name: "a QR scan with no code", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "bus-1", Person: m(1), Scan: ScanQR})
		}, rule: RuleWristband, person: m(1)},
		{name: "boarding with no scan method", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "bus-1", Person: m(1)})
		}, rule: RuleRequired, person: m(1), msg: []string{"scan"}},
		{name: "boarding before boarding started", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, six...)
			return w.by(sdf, w.boardedEv("mv1", m(1)))
		}, rule: RuleStage, person: m(1), msg: []string{"is planned", "boarding"}},
		{name: "boarding twice", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", m(1))
			return w.by(sdf, w.boardedEv("mv1", m(1)))
		}, rule: RuleAlreadyBoarded, person: m(1), msg: []string{"already boarded"}},
		{name: "boarding someone recorded as not boarded", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.do(sdf, &NotBoarded{Move: "mv1", Person: m(1), Reason: w.reason(ListNotBoarded, "medical-unfit")})
			return w.by(sdf, w.boardedEv("mv1", m(1)))
		}, rule: RuleAlreadyBoarded, person: m(1), msg: []string{"not boarded", "medical-unfit"}},
		{name: "boarding someone taken to hospital since the manifest", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.do(sdf, &Hospitalised{Person: m(1), From: ghwayran, Hospital: natHosp, Reason: "fever"})
			return w.by(sdf, w.boardedEv("mv1", m(1)))
		}, rule: RuleNotHeld, person: m(1), facility: ghwayran, msg: []string{"hospitalised"}},
		{name: "boarding a move never planned", req: func(w *moveWorld) Event {
			return w.by(sdf, &Boarded{Move: "mv9", Vehicle: "bus-1", Person: m(1), Scan: ScanTyped})
		}, rule: RuleStage, person: m(1), msg: []string{"no move"}},
		{name: "boarding after departure", req: func(w *moveWorld) Event {
			w.boarding("mv1", sdf, six...)
			w.board("mv1", six[1:]...)
			w.do(sdf, &NotBoarded{Move: "mv1", Person: m(1), Reason: w.reason(ListNotBoarded, "not-present")})
			w.do(sdf, &Departed{Move: "mv1", Count: 5})
			return w.by(sdf, &Boarded{Move: "mv1", Vehicle: "bus-1", Person: m(1), Scan: ScanTyped})
		}, rule: RuleStage, person: m(1), msg: []string{"departed"}},

		// not boarded
		{name: "not boarded with a code of no list version", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &NotBoarded{Move: "mv1", Person: m(2), Reason: Reason{Code: "refused-to-go", Version: 1}})
		}, rule: RuleReference, person: m(2), msg: []string{`"refused-to-go"`, "not-boarded"}},
		{name: "not boarded with an unpublished version", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &NotBoarded{Move: "mv1", Person: m(2), Reason: Reason{Code: "medical-unfit", Version: 2}})
		}, rule: RuleReference, person: m(2), msg: []string{"version 2", "1 published"}},
		{name: "not boarded with a code dropped from the version named", req: func(w *moveWorld) Event {
			w.publishNotBoarded2()
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &NotBoarded{Move: "mv1", Person: m(2), Reason: Reason{Code: "seat-unavailable", Version: 2}})
		}, rule: RuleReference, person: m(2), msg: []string{"not in version 2"}},
		{name: "not boarded with a code of another list", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &NotBoarded{Move: "mv1", Person: m(2), Reason: Reason{Code: "weather", Version: 1}})
		}, rule: RuleReference, person: m(2), msg: []string{"weather"}},
		{name: "not boarded without a reason", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &NotBoarded{Move: "mv1", Person: m(2)})
		}, rule: RuleRequired, person: m(2), msg: []string{"reason"}},
		{name: "not boarded, not on the manifest", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &NotBoarded{Move: "mv1", Person: m(8), Reason: w.reason(ListNotBoarded, "not-present")})
		}, rule: RuleNotOnManifest, person: m(8), msg: []string{"not on the manifest"}},
		{name: "not boarded twice", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.do(sdf, &NotBoarded{Move: "mv1", Person: m(2), Reason: w.reason(ListNotBoarded, "not-present")})
			return w.by(sdf, &NotBoarded{Move: "mv1", Person: m(2), Reason: w.reason(ListNotBoarded, "in-hospital")})
		}, rule: RuleAlreadyBoarded, person: m(2), msg: []string{"already recorded as not boarded"}},
		{name: "not boarded after boarding", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", m(2))
			return w.by(sdf, &NotBoarded{Move: "mv1", Person: m(2), Reason: w.reason(ListNotBoarded, "not-present")})
		}, rule: RuleAlreadyBoarded, person: m(2), msg: []string{"boarded"}},

		// manifest
		{name: "manifest: a person held elsewhere", req: func(w *moveWorld) Event {
			return w.by(sdf, planned("mv1", centcom, m(1), "P-001"))
		}, rule: RuleNotHeldHere, person: "P-001", facility: ghwayran, msg: []string{"panorama"}},
		{name: "manifest: a person in hospital", req: func(w *moveWorld) Event {
			w.do(sdf, &Hospitalised{Person: m(3), From: ghwayran, Hospital: natHosp})
			return w.by(sdf, planned("mv1", centcom, m(1), m(3)))
		}, rule: RuleNotHeld, person: m(3), facility: ghwayran, msg: []string{"hospitalised"}},
		{name: "manifest: a deceased person", req: func(w *moveWorld) Event {
			w.do(sdf, death(m(3), ghwayran))
			return w.by(sdf, planned("mv1", centcom, m(1), m(3)))
		}, rule: RuleDeceased, person: m(3)},
		{name: "manifest: an unregistered person", req: func(w *moveWorld) Event {
			return w.by(sdf, planned("mv1", centcom, m(1), "ghost"))
		}, rule: RuleUnknownPerson, person: "ghost"},
		{name: "manifest: a person on another open manifest", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, m(1), m(2))
			return w.by(sdf, planned("mv2", centcom, m(3), m(2)))
		}, rule: RuleOnOtherManifest, person: m(2), msg: []string{"open move mv1"}},
		{name: "manifest: a person aboard another move", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, m(1), m(2))
			w.board("mv1", m(2))
			return w.by(sdf, planned("mv2", centcom, m(3), m(2)))
		}, rule: RuleNotHeld, person: m(2), facility: ghwayran, msg: []string{"aboard"}},
		{name: "manifest: a seat beyond the vehicle's", req: func(w *moveWorld) Event {
			p := planned("mv1", centcom, m(1), m(2))
			p.Manifest[1].Seat = 7
			return w.by(sdf, p)
		}, rule: RuleManifest, person: m(2), msg: []string{"seat 7", "1 to 6"}},
		{name: "manifest: seat 0", req: func(w *moveWorld) Event {
			p := planned("mv1", centcom, m(1))
			p.Manifest[0].Seat = 0
			return w.by(sdf, p)
		}, rule: RuleManifest, person: m(1), msg: []string{"seat 0"}},
		{name: "manifest: a vehicle of no move", req: func(w *moveWorld) Event {
			p := planned("mv1", centcom, m(1))
			p.Manifest[0].Vehicle = "bus-3"
			return w.by(sdf, p)
		}, rule: RuleManifest, person: m(1), msg: []string{`"bus-3"`}},
		{name: "manifest: a seat taken", req: func(w *moveWorld) Event {
			p := planned("mv1", centcom, m(1), m(2))
			p.Manifest[1].Seat = 1
			return w.by(sdf, p)
		}, rule: RuleManifest, person: m(2), msg: []string{"seat 1 of bus-1", "M-001's"}},
		{name: "manifest: a person twice", req: func(w *moveWorld) Event {
			return w.by(sdf, planned("mv1", centcom, m(1), m(2), m(1)))
		}, rule: RuleManifest, person: m(1), msg: []string{"already on this manifest"}},
		{name: "manifest: more persons than the vehicles' seats", req: func(w *moveWorld) Event {
			p := planned("mv1", centcom, w.men[:12]...)
			p.Manifest = append(p.Manifest, Seat{Person: m(13), Vehicle: "bus-1", Seat: 1})
			return w.by(sdf, p)
		}, rule: RuleManifest, msg: []string{"13 persons", "12 seats"}},
		{name: "manifest: above the allocation's target", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, six...)
			return w.by(sdf, planned("mv2", sdf, w.men[6:13]...))
		}, rule: RuleAllocation, msg: []string{"13 persons", "target of 12"}},
		{name: "manifest: the destination's capacity, counting other open moves", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, six...)
			return w.by(sdf, planned("mv2", sdf, w.men[6:11]...))
		}, rule: RuleCapacity, facility: karkh, msg: []string{"holds 0 of 10", "6 more are on open moves", "no room for 5"}},
		{name: "manifest: the destination's capacity, counting those already held", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, m(1), m(2), m(3))
			w.handover("mv1", AtArrival, centcom, iraqMoJ, m(1), m(2), m(3))
			w.do(centcom, &MoveClosed{Move: "mv1"})
			return w.by(sdf, planned("mv2", sdf, w.men[3:11]...))
		}, rule: RuleCapacity, facility: karkh, msg: []string{"holds 3 of 10", "no room for 8"}},
		{name: "manifest: a woman, and the allocation moves men", req: func(w *moveWorld) Event {
			return w.by(sdf, planned("mv1", centcom, m(1), "w-1"))
		}, rule: RuleCriteria, person: "w-1", msg: []string{"woman", string(alloc1)}},
		{name: "manifest: an origin the allocation does not move from", req: func(w *moveWorld) Event {
			p := planned("mv1", centcom, "P-001")
			p.Move.Origin = panorama
			return w.by(sdf, p)
		}, rule: RuleCriteria, person: "P-001", msg: []string{"criteria"}},
		{name: "move to a destination not of the allocation", req: func(w *moveWorld) Event {
			p := planned("mv1", centcom, m(1))
			p.Move.Destination = panorama
			return w.by(sdf, p)
		}, rule: RuleAllocation, facility: panorama, msg: []string{"not a destination"}},
		{name: "move under no allocation", req: func(w *moveWorld) Event {
			p := planned("mv1", centcom, m(1))
			p.Move.Allocation = "other"
			return w.by(sdf, p)
		}, rule: RuleAllocation, msg: []string{`"other"`}},
		{name: "move escorted by an unregistered authority", req: func(w *moveWorld) Event {
			return w.by(sdf, planned("mv1", "wagner", m(1)))
		}, rule: RuleUnknownAuthority, msg: []string{`"wagner"`}},
		{name: "move planned twice", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, m(1))
			return w.by(sdf, planned("mv1", centcom, m(2)))
		}, rule: RuleDuplicate, msg: []string{"already planned"}},
		{name: "move without vehicles", req: func(w *moveWorld) Event {
			p := planned("mv1", centcom)
			p.Move.Vehicles = nil
			return w.by(sdf, p)
		}, rule: RuleRequired, msg: []string{"no vehicle"}},

		// amendments
		{name: "amending a frozen manifest without a reason", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{m(6)}})
		}, rule: RuleFrozen, msg: []string{"frozen", "manifest-change"}},
		{name: "amending with a reason of no list version", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{m(6)}, Reason: Reason{Code: "whim", Version: 1}})
		}, rule: RuleReference, msg: []string{`"whim"`}},
		{name: "amending: taking off a boarded person", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", m(6))
			return w.by(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{m(6)}, Reason: w.reason(ListManifestChange, "medical")})
		}, rule: RuleAlreadyBoarded, person: m(6), msg: []string{"has boarded"}},
		{name: "amending: taking off a person not on it", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, six...)
			return w.by(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{m(9)}})
		}, rule: RuleNotOnManifest, person: m(9), msg: []string{"not on the manifest"}},
		{name: "amending: the same person taken off twice", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, six...)
			return w.by(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{m(6), m(6)}, Add: seats(m(7), m(8))})
		}, rule: RuleManifest, person: m(6), msg: []string{"twice"}},
		{name: "amending: a swap that fills the destination beyond capacity", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, w.men[:10]...)
			add := seats(w.men[:12]...)[9:] // M-010's seat again (freed), and two free seats
			add[0].Person, add[1].Person, add[2].Person = m(11), m(12), m(13)
			return w.by(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{m(9), m(10)}, Add: add})
		}, rule: RuleCapacity, facility: karkh, msg: []string{"no room for 3"}},
		{name: "amending: a swap beyond the allocation's target", capacity: 100, target: 10, req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, w.men[:10]...)
			add := seats(w.men[:12]...)[9:]
			add[0].Person, add[1].Person, add[2].Person = m(11), m(12), m(13)
			return w.by(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{m(9), m(10)}, Add: add})
		}, rule: RuleAllocation, msg: []string{"11 persons", "target of 10"}},
		{name: "amending: adding a person on another open manifest", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, m(1), m(2))
			w.plan("mv2", centcom, m(3))
			return w.by(sdf, &ManifestAmended{Move: "mv2", Add: []Seat{{Person: m(1), Vehicle: "bus-2", Seat: 6}}})
		}, rule: RuleOnOtherManifest, person: m(1), msg: []string{"open move mv1"}},
		{name: "amending: adding into a taken seat", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, m(1), m(2))
			return w.by(sdf, &ManifestAmended{Move: "mv1", Add: []Seat{{Person: m(3), Vehicle: "bus-1", Seat: 2}}})
		}, rule: RuleManifest, person: m(3), msg: []string{"M-002's"}},
		{name: "amending: nothing", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, m(1), m(2))
			return w.by(sdf, &ManifestAmended{Move: "mv1"})
		}, rule: RuleRequired, msg: []string{"nobody"}},
		{name: "amending after departure", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, m(1), m(2))
			return w.by(sdf, &ManifestAmended{Move: "mv1", Add: seats(m(3)), Reason: w.reason(ListManifestChange, "planner-correction")})
		}, rule: RuleStage, msg: []string{"departed"}},

		// departure
		{name: "departure with manifested persons unresolved", req: func(w *moveWorld) Event {
			w.boarding("mv1", sdf, six...)
			w.board("mv1", m(1), m(3), m(4), m(5))
			return w.by(sdf, &Departed{Move: "mv1", Count: 4})
		}, rule: RuleBalance, msg: []string{"2 manifested persons", "M-002, M-006"}},
		{name: "departure before the third-authority escort has custody", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			return w.by(centcom, &Departed{Move: "mv1", Count: 6})
		}, rule: RuleStage, person: m(1), msg: []string{"custody of sdf", "escort centcom"}},
		{name: "departure with one person not yet received by the escort", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
			w.do(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: six[:5], IdentityChecked: true})
			return w.by(centcom, &Departed{Move: "mv1", Count: 6})
		}, rule: RuleStage, person: m(6), msg: []string{"custody of sdf"}},
		{name: "departure with nobody aboard", req: func(w *moveWorld) Event {
			w.boarding("mv1", sdf, m(1))
			w.do(sdf, &NotBoarded{Move: "mv1", Person: m(1), Reason: w.reason(ListNotBoarded, "security-hold")})
			return w.by(sdf, &Departed{Move: "mv1", Count: 0})
		}, rule: RuleBalance, msg: []string{"nobody is aboard", "abort"}},
		{name: "departure before boarding", req: func(w *moveWorld) Event {
			w.plan("mv1", sdf, m(1))
			return w.by(sdf, &Departed{Move: "mv1", Count: 1})
		}, rule: RuleStage, msg: []string{"planned"}},
		{name: "departure with a negative count", req: func(w *moveWorld) Event {
			w.boarding("mv1", sdf, m(1))
			w.board("mv1", m(1))
			return w.by(sdf, &Departed{Move: "mv1", Count: -1})
		}, rule: RuleRequired, msg: []string{"negative"}},
		{name: "departure twice", req: func(w *moveWorld) Event {
			w.departed("mv1", sdf, m(1))
			return w.by(sdf, &Departed{Move: "mv1", Count: 1})
		}, rule: RuleStage, msg: []string{"departed"}},

		// handover
		{name: "release at departure confirmed by a user of the wrong authority", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			return w.by(iraqMoJ, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
		}, rule: RuleWrongAuthority, person: m(1), msg: []string{"user of sdf", `"iraq-moj"`}},
		{name: "release at departure confirmed by the escort itself", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			return w.by(centcom, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
		}, rule: RuleWrongAuthority, person: m(1), msg: []string{"user of sdf"}},
		{name: "release at departure to someone other than the escort", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			return w.by(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: iraqMoJ, Persons: six})
		}, rule: RuleWrongAuthority, msg: []string{"escort centcom"}},
		{name: "release at departure when the escort is a side", req: func(w *moveWorld) Event {
			w.boarding("mv1", sdf, six...)
			w.board("mv1", six...)
			return w.by(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: sdf, Persons: six})
		}, rule: RuleStage, msg: []string{"once, at arrival"}},
		{name: "release of a person not aboard", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six[1:]...)
			return w.by(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
		}, rule: RuleNotAboard, person: m(1), msg: []string{"not aboard"}},
		{name: "release naming a person twice", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			return w.by(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: []PersonID{m(1), m(2), m(1)}})
		}, rule: RuleAlreadyHandedOver, person: m(1), msg: []string{"twice"}},
		{name: "release naming nobody", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom})
		}, rule: RuleRequired, msg: []string{"nobody"}},
		{name: "a second release while the first is pending", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
			w.do(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: six[:3], IdentityChecked: true})
			return w.by(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six[3:4]})
		}, rule: RuleAlreadyHandedOver, person: m(4), msg: []string{"awaiting the receiving side"}},
		{name: "a second release of a person received", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			w.handover("mv1", AtDeparture, sdf, centcom, six...)
			return w.by(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six[:1]})
		}, rule: RuleAlreadyHandedOver, person: m(1), msg: []string{"already handed over at departure"}},
		{name: "receipt confirmed by a user of the wrong authority", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
			return w.by(sdf, &HandoverReceived{Move: "mv1", Handover: h, Persons: six, IdentityChecked: true})
		}, rule: RuleWrongAuthority, msg: []string{"user of centcom", `"sdf"`}},
		{name: "receipt at arrival confirmed by the escort", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			h := w.do(centcom, &HandoverReleased{Move: "mv1", Stage: AtArrival, To: iraqMoJ, Persons: six})
			return w.by(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: six, IdentityChecked: true})
		}, rule: RuleWrongAuthority, msg: []string{"user of iraq-moj"}},
		{name: "receipt without identity checks", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
			return w.by(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: six})
		}, rule: RuleIdentityCheck, msg: []string{"identity"}},
		{name: "a second receipt of a person received", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.handover("mv1", AtDeparture, sdf, centcom, six...)
			return w.by(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: six[2:3], IdentityChecked: true})
		}, rule: RuleAlreadyHandedOver, person: m(3), msg: []string{"already handed over"}},
		{name: "a second receipt at arrival", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			h := w.handover("mv1", AtArrival, centcom, iraqMoJ, six[:2]...)
			return w.by(iraqMoJ, &HandoverReceived{Move: "mv1", Handover: h, Persons: six[1:2], IdentityChecked: true})
		}, rule: RuleAlreadyHandedOver, person: m(2), msg: []string{"already handed over at arrival"}},
		{name: "receipt of a person refused in that handover", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
			w.do(centcom, &HandoverRefused{Move: "mv1", Handover: h, Person: m(2), Reason: w.reason(ListHandoverRefused, "medical")})
			return w.by(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: six[:2], IdentityChecked: true})
		}, rule: RuleAlreadyHandedOver, person: m(2), msg: []string{"refused", "hand them over again"}},
		{name: "receipt of a person not in the handover", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six[:3]})
			return w.by(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: six[2:4], IdentityChecked: true})
		}, rule: RuleNotOnManifest, person: m(4), msg: []string{"not in handover"}},
		{name: "receipt naming an event that is not a handover", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(centcom, &HandoverReceived{Move: "mv1", Handover: 3, Persons: six, IdentityChecked: true})
		}, rule: RuleStage, msg: []string{"event 3 is not a handover"}},
		{name: "receipt at arrival into a full destination", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			for i := range 5 {
				w.newMan(fmt.Sprintf("K-%03d", i+1), karkh)
			}
			h := w.do(centcom, &HandoverReleased{Move: "mv1", Stage: AtArrival, To: iraqMoJ, Persons: six})
			return w.by(iraqMoJ, &HandoverReceived{Move: "mv1", Handover: h, Persons: six, IdentityChecked: true})
		}, rule: RuleCapacity, facility: karkh, msg: []string{"holds 5 of 10", "no room for 6"}},
		{name: "release at arrival before arrival", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six...)
			return w.by(centcom, &HandoverReleased{Move: "mv1", Stage: AtArrival, To: iraqMoJ, Persons: six})
		}, rule: RuleStage, msg: []string{"departed", "arrived"}},
		{name: "release at arrival to an authority other than the destination's", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			return w.by(centcom, &HandoverReleased{Move: "mv1", Stage: AtArrival, To: sdf, Persons: six})
		}, rule: RuleWrongAuthority, facility: karkh, msg: []string{"iraq-moj, which controls karkh"}},
		{name: "release at arrival by the origin when the escort holds the persons", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			return w.by(sdf, &HandoverReleased{Move: "mv1", Stage: AtArrival, To: iraqMoJ, Persons: six})
		}, rule: RuleWrongAuthority, person: m(1), msg: []string{"user of centcom"}},
		{name: "release at arrival when escorted by the receiving side, by the receiving side", req: func(w *moveWorld) Event {
			w.arrived("mv1", iraqMoJ, six...)
			return w.by(iraqMoJ, &HandoverReleased{Move: "mv1", Stage: AtArrival, To: iraqMoJ, Persons: six})
		}, rule: RuleWrongAuthority, person: m(1), msg: []string{"user of sdf"}},
		{name: "release with an unknown stage", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			return w.by(centcom, &HandoverReleased{Move: "mv1", Stage: "border", To: iraqMoJ, Persons: six})
		}, rule: RuleRequired, msg: []string{`"border"`}},
		{name: "refusal by a user of the releasing side", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
			return w.by(sdf, &HandoverRefused{Move: "mv1", Handover: h, Person: m(1), Reason: w.reason(ListHandoverRefused, "medical")})
		}, rule: RuleWrongAuthority, person: m(1), msg: []string{"receiving side centcom"}},
		{name: "refusal without a reason", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
			return w.by(centcom, &HandoverRefused{Move: "mv1", Handover: h, Person: m(1)})
		}, rule: RuleRequired, person: m(1), msg: []string{"handover-refused"}},
		{name: "refusal with a reason of another list", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
			return w.by(centcom, &HandoverRefused{Move: "mv1", Handover: h, Person: m(1), Reason: Reason{Code: "court-order", Version: 1}})
		}, rule: RuleReference, person: m(1), msg: []string{"court-order"}},
		{name: "refusal of a person already received", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			w.board("mv1", six...)
			h := w.handover("mv1", AtDeparture, sdf, centcom, six...)
			return w.by(centcom, &HandoverRefused{Move: "mv1", Handover: h, Person: m(1), Reason: w.reason(ListHandoverRefused, "medical")})
		}, rule: RuleAlreadyHandedOver, person: m(1), msg: []string{"not awaiting"}},

		// counts and closing
		{name: "closing with an unexplained count", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			w.do(centcom, &Counted{Move: "mv1", Leg: 0, Count: 5})
			w.handover("mv1", AtArrival, centcom, iraqMoJ, six...)
			return w.by(iraqMoJ, &MoveClosed{Move: "mv1"})
		}, rule: RuleBalance, msg: []string{"alert", "counted 5, expected 6"}},
		{name: "closing with persons still aboard", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			w.handover("mv1", AtArrival, centcom, iraqMoJ, six[:4]...)
			return w.by(iraqMoJ, &MoveClosed{Move: "mv1"})
		}, rule: RuleBalance, msg: []string{"boarded 6 ≠ handed over 4", "2 still aboard"}},
		{name: "closing before arrival", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six...)
			return w.by(centcom, &MoveClosed{Move: "mv1"})
		}, rule: RuleStage, msg: []string{"departed"}},
		{name: "closing by a user of an unrelated authority", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			w.handover("mv1", AtArrival, centcom, iraqMoJ, six...)
			return w.by(france, &MoveClosed{Move: "mv1"})
		}, rule: RuleWrongAuthority, msg: []string{`"france"`}},
		{name: "closing twice", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			w.handover("mv1", AtArrival, centcom, iraqMoJ, six...)
			w.do(iraqMoJ, &MoveClosed{Move: "mv1"})
			return w.by(iraqMoJ, &MoveClosed{Move: "mv1"})
		}, rule: RuleStage, msg: []string{"closed"}},
		{name: "count at a leg the route does not have", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six...)
			return w.by(centcom, &Counted{Move: "mv1", Leg: 3, Count: 6})
		}, rule: RuleStage, msg: []string{"leg 3", "1 to 2"}},
		{name: "count at a leg after arrival", req: func(w *moveWorld) Event {
			w.arrived("mv1", centcom, six...)
			return w.by(centcom, &Counted{Move: "mv1", Leg: 2, Count: 6})
		}, rule: RuleStage, msg: []string{"arrived"}},
		{name: "recount before departure", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(centcom, &Counted{Move: "mv1", Leg: 0, Count: 0})
		}, rule: RuleStage, msg: []string{"boarding"}},
		{name: "arrival before departure", req: func(w *moveWorld) Event {
			w.boarding("mv1", centcom, six...)
			return w.by(centcom, &Arrived{Move: "mv1", Count: 0})
		}, rule: RuleStage, msg: []string{"boarding"}},

		// abort
		{name: "abort after departure", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six...)
			return w.by(sdf, &MoveAborted{Move: "mv1", Reason: w.reason(ListMoveAborted, "security")})
		}, rule: RuleStage, msg: []string{"departed"}},
		{name: "abort without a reason", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, six...)
			return w.by(sdf, &MoveAborted{Move: "mv1"})
		}, rule: RuleRequired, msg: []string{"move-aborted"}},
		{name: "abort with a reason of another list", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, six...)
			return w.by(sdf, &MoveAborted{Move: "mv1", Reason: Reason{Code: "medical-unfit", Version: 1}})
		}, rule: RuleReference, msg: []string{"medical-unfit"}},
		{name: "abort by an authority that is no side of the move", req: func(w *moveWorld) Event {
			w.plan("mv1", centcom, six...)
			return w.by(france, &MoveAborted{Move: "mv1", Reason: w.reason(ListMoveAborted, "security")})
		}, rule: RuleWrongAuthority, msg: []string{`"france"`}},

		// incidents on the way
		{name: "evacuation to a place that is not a hospital", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six...)
			return w.by(centcom, &Evacuated{Move: "mv1", Person: m(1), Hospital: panorama, Condition: "wound"})
		}, rule: RuleHospital, person: m(1), facility: panorama, msg: []string{"prison"}},
		{name: "evacuation of a person not aboard", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six...)
			return w.by(centcom, &Evacuated{Move: "mv1", Person: m(7), Hospital: natHosp, Condition: "wound"})
		}, rule: RuleNotAboard, person: m(7), msg: []string{"not aboard"}},
		{name: "evacuation without a condition", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six...)
			return w.by(centcom, &Evacuated{Move: "mv1", Person: m(1), Hospital: natHosp})
		}, rule: RuleRequired, person: m(1), msg: []string{"condition"}},
		{name: "escape from a move the person is not aboard", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six[:3]...)
			w.departed("mv2", sdf, six[3:]...)
			return w.by(centcom, &Escaped{Person: m(5), Move: "mv1"})
		}, rule: RuleNotAboard, person: m(5), msg: []string{"not aboard"}},
		{name: "escape from a move naming a facility", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six...)
			return w.by(centcom, &Escaped{Person: m(1), Move: "mv1", Facility: ghwayran})
		}, rule: RuleNotHeldHere, person: m(1), facility: ghwayran, msg: []string{"names no facility"}},
		{name: "escape of a person aboard, naming no move", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six...)
			return w.by(centcom, &Escaped{Person: m(1)})
		}, rule: RuleNotHeld, person: m(1), msg: []string{"aboard"}},
		{name: "death aboard naming no move", req: func(w *moveWorld) Event {
			w.departed("mv1", centcom, six...)
			return w.by(centcom, death(m(1), ""))
		}, rule: RuleNotAboard, person: m(1), msg: []string{"mv1: name it"}},
	}
}

// publishNotBoarded2 publishes version 2 of the not-boarded list: it drops
// seat-unavailable and adds deceased.
func (w *moveWorld) publishNotBoarded2() {
	w.t.Helper()
	v1 := w.s.References[ListNotBoarded][0]
	entries := slices.DeleteFunc(slices.Clone(v1.Entries), func(e ReferenceEntry) bool { return e.Code == "seat-unavailable" })
	entries = append(entries, ReferenceEntry{Code: "deceased", Label: "died before boarding", LabelAr: "توفي قبل الصعود"})
	w.do(sdf, &ReferencePublished{List: ListNotBoarded, Version: 2, Entries: entries})
}

func TestMoveRules(t *testing.T) {
	for _, c := range moveCases() {
		t.Run(c.name, func(t *testing.T) {
			w := newMoveWorld(t)
			if c.capacity != 0 {
				w = buildMoveWorld(t, c.capacity, c.target, 14)
			}
			e := c.req(w)
			ce := w.refused(t, e, c.rule, c.person, c.msg...)
			if ce.Facility != c.facility {
				t.Errorf("facility %q, want %q (%v)", ce.Facility, c.facility, ce)
			}
		})
	}
}

// TestMoveRulesCovered: every rule of moves has a case above.
func TestMoveRulesCovered(t *testing.T) {
	covered := map[Rule]bool{}
	for _, c := range moveCases() {
		covered[c.rule] = true
	}
	for _, r := range []Rule{
		RuleReference, RuleAllocation, RuleCriteria, RuleManifest, RuleOnOtherManifest,
		RuleNotOnManifest, RuleFrozen, RuleStage, RuleAlreadyBoarded, RuleNotAboard,
		RuleWrongAuthority, RuleAlreadyHandedOver, RuleIdentityCheck, RuleWristband,
		RuleBalance, RuleCapacity,
	} {
		if !covered[r] {
			t.Errorf("no move case for %s", r)
		}
	}
}

// TestBoarding: boarding by QR code or typed ID; the person stays in the
// custody of whoever held them and leaves the origin's roll.
func TestBoarding(t *testing.T) {
	w := newMoveWorld(t)
	w.boarding("mv1", centcom, w.men[:3]...)
	seq := w.do(sdf, w.boardedEv("mv1", w.man(0)))
	w.do(sdf, &Boarded{Move: "mv1", Vehicle: "bus-1", Person: w.man(1), Scan: ScanTyped})
	for i, p := range w.men[:2] {
		l := w.s.Persons[p].Location
		if l.Status != StatusAboard || l.Move != "mv1" || l.Authority != sdf || l.Facility != "" {
			t.Errorf("%s: %+v, want aboard mv1 in the custody of sdf", p, l)
		}
		if i == 0 && l.SinceSeq != seq {
			t.Errorf("%s: since event %d, want %d", p, l.SinceSeq, seq)
		}
		if slices.Contains(w.s.Roll(ghwayran), p) {
			t.Errorf("%s still on the roll of ghwayran", p)
		}
	}
	if b := w.s.Moves["mv1"].Balance(); b != (Balance{Manifested: 3, Boarded: 2, Unresolved: 1, Aboard: 2}) {
		t.Errorf("balance %+v", b)
	}
	// A scanner adds a newline: the code still reads.
	w.do(sdf, &Boarded{Move: "mv1", Vehicle: "bus-1", Person: w.man(2), Scan: ScanQR, Code: WristbandCode(w.man(2)) + "\r\n"})
}

// TestNotBoardedVersions: a reason names a version of the not-boarded
// list; after version 2 is published, a device still on version 1 may use
// it, and version 2's new codes are accepted.
func TestNotBoardedVersions(t *testing.T) {
	w := newMoveWorld(t)
	w.publishNotBoarded2()
	if r := w.reason(ListNotBoarded, "deceased"); r.Version != 2 {
		t.Errorf("CurrentReason(deceased) = %+v, want version 2", r)
	}
	if _, err := w.s.CurrentReason(ListNotBoarded, "seat-unavailable"); err == nil {
		t.Error("CurrentReason gives a code version 2 dropped")
	}
	w.boarding("mv1", sdf, w.men[:3]...)
	w.do(sdf, &NotBoarded{Move: "mv1", Person: w.man(0), Reason: Reason{Code: "seat-unavailable", Version: 1, Note: "bus 2 short of a seat"}})
	w.do(sdf, &NotBoarded{Move: "mv1", Person: w.man(1), Reason: Reason{Code: "medical-unfit", Version: 2}})
	nb := w.s.Moves["mv1"].NotBoarded
	if nb[w.man(0)].Reason.Version != 1 || nb[w.man(1)].Reason.Version != 2 {
		t.Errorf("not boarded: %+v", nb)
	}
	// Not boarded, they stay where they are, and are free for another move.
	if l := w.s.Persons[w.man(0)].Location; l.Status != StatusHeld || l.Facility != ghwayran {
		t.Errorf("not boarded %s is %+v", w.man(0), l)
	}
	w.plan("mv2", sdf, w.man(0))
}

// TestManifestAmendments: before boarding a manifest changes freely; once
// frozen, only with a reason; a person can change seats in one amendment.
func TestManifestAmendments(t *testing.T) {
	w := newMoveWorld(t)
	w.plan("mv1", centcom, w.men[:4]...)
	w.do(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{w.man(3)}, Add: []Seat{{Person: w.man(4), Vehicle: "bus-2", Seat: 1}}})
	w.do(sdf, &BoardingStarted{Move: "mv1"})
	if w.s.Moves["mv1"].Frozen == 0 {
		t.Fatal("boarding did not freeze the manifest")
	}
	w.do(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{w.man(2)},
		Add:    []Seat{{Person: w.man(2), Vehicle: "bus-2", Seat: 6}, {Person: w.man(3), Vehicle: "bus-1", Seat: 3}},
		Reason: w.reason(ListManifestChange, "vehicle-change")})
	want := []Seat{{w.man(0), "bus-1", 1}, {w.man(1), "bus-1", 2}, {w.man(3), "bus-1", 3}, {w.man(4), "bus-2", 1}, {w.man(2), "bus-2", 6}}
	if got := w.s.Moves["mv1"].Manifest; !reflect.DeepEqual(got, want) {
		t.Errorf("manifest %v, want %v", got, want)
	}
	// The person taken off is free for another move.
	w.do(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{w.man(4)}, Reason: w.reason(ListManifestChange, "medical")})
	w.plan("mv2", sdf, w.man(4))
}

// TestCapacityCountsOpenMovesOnly: an aborted move no longer holds room at
// the destination, nor persons on its manifest.
func TestCapacityCountsOpenMovesOnly(t *testing.T) {
	w := newMoveWorld(t)
	w.plan("mv1", centcom, w.men[:6]...)
	w.refused(t, w.by(sdf, planned("mv2", sdf, w.men[6:11]...)), RuleCapacity, "", "karkh")
	w.do(sdf, &MoveAborted{Move: "mv1", Reason: w.reason(ListMoveAborted, "weather")})
	w.plan("mv2", sdf, w.men[:10]...)
}

// TestDepartureHandover: a third-authority escort takes custody at
// departure, person by person; the move departs only when it holds all.
func TestDepartureHandover(t *testing.T) {
	w := newMoveWorld(t)
	six := w.men[:6]
	w.boarding("mv1", centcom, six...)
	w.board("mv1", six...)
	w.refused(t, w.by(centcom, &Departed{Move: "mv1", Count: 6}), RuleStage, six[0])
	h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
	if l := w.s.Persons[six[0]].Location; l.Authority != sdf {
		t.Errorf("released but not received: custody %s, want still sdf", l.Authority)
	}
	rec := w.do(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: six[:4], IdentityChecked: true})
	for i, p := range six {
		l := w.s.Persons[p].Location
		want := sdf
		if i < 4 {
			want = centcom
			if l.SinceSeq != rec {
				t.Errorf("%s: since %d, want the receipt %d", p, l.SinceSeq, rec)
			}
		}
		if l.Status != StatusAboard || l.Move != "mv1" || l.Authority != want {
			t.Errorf("%s: %+v, want aboard in the custody of %s", p, l, want)
		}
	}
	w.refused(t, w.by(centcom, &Departed{Move: "mv1", Count: 6}), RuleStage, six[4])
	w.do(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: six[4:], IdentityChecked: true})
	hv := w.s.Moves["mv1"].Handover(h)
	if hv.From != sdf || hv.To != centcom || hv.ReleasedBy != "sdf-officer" || len(hv.Received) != 6 {
		t.Errorf("handover %+v", hv)
	}
	w.do(centcom, &Departed{Move: "mv1", Count: 6})
	if m := w.s.Moves["mv1"]; m.Status != StageDeparted || len(w.s.OpenAlerts()) != 0 {
		t.Errorf("move %s, alerts %v", m.Status, w.s.OpenAlerts())
	}
}

// TestHandoverRefusedThenAgain: a person refused stays aboard in the
// releasing side's custody and can be handed over again.
func TestHandoverRefusedThenAgain(t *testing.T) {
	w := newMoveWorld(t)
	six := w.men[:6]
	w.boarding("mv1", centcom, six...)
	w.board("mv1", six...)
	h1 := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six})
	w.do(centcom, &HandoverRefused{Move: "mv1", Handover: h1, Person: six[1], Reason: w.reason(ListHandoverRefused, "documents-missing")})
	w.do(centcom, &HandoverReceived{Move: "mv1", Handover: h1, Persons: []PersonID{six[0], six[2], six[3], six[4], six[5]}, IdentityChecked: true})
	if l := w.s.Persons[six[1]].Location; l.Status != StatusAboard || l.Authority != sdf {
		t.Errorf("refused person: %+v, want aboard in the custody of sdf", l)
	}
	if h := w.s.Moves["mv1"].PendingHandover(six[1]); h != nil {
		t.Errorf("refused person still pending in handover %d", h.Seq)
	}
	h2 := w.handover("mv1", AtDeparture, sdf, centcom, six[1])
	if h2 == h1 || w.s.Persons[six[1]].Location.Authority != centcom {
		t.Errorf("second handover %d: custody %s", h2, w.s.Persons[six[1]].Location.Authority)
	}
	w.do(centcom, &Departed{Move: "mv1", Count: 6})
}

// TestArrivalPersonByPerson: at arrival custody passes person by person:
// the received are held at the destination in its controller's custody,
// the others still aboard in the escort's.
func TestArrivalPersonByPerson(t *testing.T) {
	w := newMoveWorld(t)
	six := w.men[:6]
	w.arrived("mv1", centcom, six...)
	h := w.do(centcom, &HandoverReleased{Move: "mv1", Stage: AtArrival, To: iraqMoJ, Persons: six})
	rec := w.do(iraqMoJ, &HandoverReceived{Move: "mv1", Handover: h, Persons: six[:2], IdentityChecked: true})
	for i, p := range six {
		l := w.s.Persons[p].Location
		if i < 2 {
			if l.Status != StatusHeld || l.Facility != karkh || l.Authority != iraqMoJ || l.Move != "" || l.SinceSeq != rec {
				t.Errorf("%s received: %+v, want held in karkh by iraq-moj since %d", p, l, rec)
			}
		} else if l.Status != StatusAboard || l.Move != "mv1" || l.Authority != centcom {
			t.Errorf("%s not yet received: %+v, want aboard mv1 in the custody of centcom", p, l)
		}
	}
	if got := w.s.Roll(karkh); !slices.Equal(got, six[:2]) {
		t.Errorf("roll of karkh %v", got)
	}
	if b := w.s.Moves["mv1"].Balance(); b.HandedOver != 2 || b.Aboard != 4 {
		t.Errorf("balance %+v", b)
	}
	w.refused(t, w.by(iraqMoJ, &MoveClosed{Move: "mv1"}), RuleBalance, "", "still aboard")
	w.do(iraqMoJ, &HandoverReceived{Move: "mv1", Handover: h, Persons: six[2:], IdentityChecked: true})
	closed := w.do(iraqMoJ, &MoveClosed{Move: "mv1"})
	m := w.s.Moves["mv1"]
	if m.Status != StageClosed || m.Ended != closed || m.Balance().Check() != nil {
		t.Errorf("move %s ended %d balance %+v", m.Status, m.Ended, m.Balance())
	}
	// Closed, its persons are free for the next move.
	if _, on := w.s.onOpenManifest(six[0], ""); on {
		t.Error("a person of a closed move is still on an open manifest")
	}
}

// TestMoveBySides: escorted by one of the sides, custody passes once, at
// arrival, from the origin's controller to the destination's.
func TestMoveBySides(t *testing.T) {
	for _, escort := range []AuthorityID{sdf, iraqMoJ} {
		t.Run(string(escort), func(t *testing.T) {
			w := newMoveWorld(t)
			ps := w.men[:3]
			w.arrived("mv1", escort, ps...)
			for _, p := range ps {
				if a := w.s.Persons[p].Location.Authority; a != sdf {
					t.Errorf("%s aboard in the custody of %s, want sdf", p, a)
				}
			}
			w.handover("mv1", AtArrival, sdf, iraqMoJ, ps...)
			w.do(escort, &MoveClosed{Move: "mv1"})
		})
	}
}

// TestCountAlerts: a count that differs opens an alert; an incident that
// explains it, or a count that agrees, closes it; a move with an open alert
// cannot close.
func TestCountAlerts(t *testing.T) {
	alertOf := func(t *testing.T, w *moveWorld, seq int64) *Alert {
		t.Helper()
		a := w.s.Alerts[seq]
		if a == nil {
			t.Fatalf("no alert %d (alerts %v)", seq, w.s.Alerts)
		}
		return a
	}
	t.Run("evacuation explains", func(t *testing.T) {
		w := newMoveWorld(t)
		six := w.men[:6]
		w.departed("mv1", centcom, six...)
		c := w.do(centcom, &Counted{Move: "mv1", Leg: 1, Count: 5})
		if a := w.s.OpenAlerts(); len(a) != 1 || a[0].Seq != c || a[0].Expected != 6 || a[0].Counted != 5 || a[0].Move != "mv1" || a[0].Kind != AlertCount {
			t.Fatalf("open alerts %v, want one of the count at %d", a, c)
		}
		ev := w.do(centcom, &Evacuated{Move: "mv1", Person: six[3], Hospital: natHosp, Condition: "heart attack"})
		if a := alertOf(t, w, c); a.Open() || a.ClosedBy != ev || !strings.Contains(a.Explanation, "medical evacuation of "+string(six[3])) {
			t.Errorf("alert %s, want closed by the evacuation %d", a, ev)
		}
		l := w.s.Persons[six[3]].Location
		if l.Status != StatusHospitalised || l.Facility != natHosp || l.Authority != centcom {
			t.Errorf("evacuated: %+v, want in hospital in the custody of centcom", l)
		}
		if b := w.s.Moves["mv1"].Balance(); b.Incidents != 1 || b.Aboard != 5 {
			t.Errorf("balance %+v", b)
		}
	})
	t.Run("escape explains", func(t *testing.T) {
		w := newMoveWorld(t)
		six := w.men[:6]
		w.departed("mv1", sdf, six...)
		c := w.do(sdf, &Counted{Move: "mv1", Leg: 2, Count: 4})
		esc := w.do(sdf, &Escaped{Person: six[0], Move: "mv1", Circumstances: "jumped at the border"})
		if !alertOf(t, w, c).Open() {
			t.Error("one escape closed an alert two persons short")
		}
		if e := w.s.Escapes[esc]; e == nil || e.Move != "mv1" || e.Facility != "" || !e.Open() {
			t.Errorf("escape %+v", e)
		}
		w.do(sdf, &Died{Person: six[1], Move: "mv1", Circumstances: "shot during the escape", Cause: "gunshot", Remains: "Rabia hospital morgue"})
		if a := alertOf(t, w, c); a.Open() {
			t.Errorf("alert %s still open after the escape and the death", a)
		}
		// The escape clock runs; a recapture returns the person to a facility.
		w.do(sdf, &Recaptured{Person: six[0], Escape: esc, Facility: ghwayran, TakenBy: "patrol"})
		w.do(sdf, &Arrived{Move: "mv1", Count: 4})
		w.handover("mv1", AtArrival, sdf, iraqMoJ, six[2:]...)
		w.do(iraqMoJ, &MoveClosed{Move: "mv1"})
		if b := w.s.Moves["mv1"].Balance(); b != (Balance{Manifested: 6, Boarded: 6, HandedOver: 4, Incidents: 2}) {
			t.Errorf("balance %+v", b)
		}
	})
	t.Run("recount agrees", func(t *testing.T) {
		w := newMoveWorld(t)
		six := w.men[:6]
		w.departed("mv1", centcom, six...)
		c := w.do(centcom, &Counted{Move: "mv1", Leg: 1, Count: 7})
		w.do(centcom, &Arrived{Move: "mv1", Count: 6})
		if a := alertOf(t, w, c); a.Open() || !strings.Contains(a.Explanation, "agrees") {
			t.Errorf("alert %s, want closed by the agreeing count at arrival", a)
		}
		w.handover("mv1", AtArrival, centcom, iraqMoJ, six...)
		w.do(iraqMoJ, &MoveClosed{Move: "mv1"})
	})
	t.Run("recount at arrival", func(t *testing.T) {
		// Counted at arrival 5 for 6 aboard: only a recount at the
		// destination (leg 0) can correct a miscount there.
		w := newMoveWorld(t)
		six := w.men[:6]
		w.departed("mv1", centcom, six...)
		arr := w.do(centcom, &Arrived{Move: "mv1", Count: 5})
		w.refused(t, w.by(centcom, &MoveClosed{Move: "mv1"}), RuleBalance, "")
		rc := w.do(centcom, &Counted{Move: "mv1", Leg: 0, Count: 6})
		if a := alertOf(t, w, arr); a.Open() || a.ClosedBy != rc {
			t.Errorf("alert %s, want closed by the recount %d", a, rc)
		}
		if c := w.s.Moves["mv1"].Counts; c[len(c)-1].Stage != "recount (arrived)" {
			t.Errorf("counts %+v", c)
		}
		w.handover("mv1", AtArrival, centcom, iraqMoJ, six...)
		w.do(centcom, &MoveClosed{Move: "mv1"})
	})
	t.Run("escape recorded after part was received", func(t *testing.T) {
		// Counted at arrival 5 for 6: five are received, then the sixth
		// is recorded as escaped on the way. The escape explains the
		// alert although nobody else is aboard any longer.
		w := newMoveWorld(t)
		six := w.men[:6]
		w.departed("mv1", centcom, six...)
		arr := w.do(centcom, &Arrived{Move: "mv1", Count: 5})
		w.handover("mv1", AtArrival, centcom, iraqMoJ, six[:5]...)
		esc := w.do(centcom, &Escaped{Person: six[5], Move: "mv1", Circumstances: "missing at the arrival count"})
		if a := alertOf(t, w, arr); a.Open() || a.ClosedBy != esc {
			t.Errorf("alert %s, want closed by the escape %d", a, esc)
		}
		w.do(iraqMoJ, &MoveClosed{Move: "mv1"})
	})
	t.Run("only incidents recorded after a count explain it", func(t *testing.T) {
		w := newMoveWorld(t)
		six := w.men[:6]
		w.departed("mv1", centcom, six...)
		c := w.do(centcom, &Counted{Move: "mv1", Leg: 1, Count: 4}) // 6 aboard: two missing
		w.do(centcom, &Escaped{Person: six[0], Move: "mv1"})
		c2 := w.do(centcom, &Counted{Move: "mv1", Leg: 2, Count: 3}) // 5 aboard: two missing
		w.do(centcom, &Evacuated{Move: "mv1", Person: six[1], Hospital: natHosp, Condition: "fever"})
		if a := alertOf(t, w, c); a.Open() {
			t.Errorf("alert %s still open: the escape and the evacuation since explain it", a)
		}
		if a := alertOf(t, w, c2); !a.Open() {
			t.Errorf("alert %s closed: only the evacuation came after it", a)
		}
		w.do(centcom, &Died{Person: six[2], Move: "mv1", Circumstances: "found dead aboard", Cause: "unknown", Remains: "morgue"})
		if len(w.s.OpenAlerts()) != 0 {
			t.Errorf("open alerts %v", w.s.OpenAlerts())
		}
	})
	t.Run("overcount", func(t *testing.T) {
		w := newMoveWorld(t)
		six := w.men[:6]
		w.departed("mv1", centcom, six...)
		c := w.do(centcom, &Counted{Move: "mv1", Leg: 1, Count: 7})
		w.do(centcom, &Escaped{Person: six[0], Move: "mv1"})
		if !alertOf(t, w, c).Open() {
			t.Error("an escape explained a count of one person too many")
		}
		w.do(centcom, &Arrived{Move: "mv1", Count: 5})
		w.handover("mv1", AtArrival, centcom, iraqMoJ, six[1:]...)
		w.do(iraqMoJ, &MoveClosed{Move: "mv1"})
	})
}

// TestBalanceCheck: the balance a move must reach to close.
func TestBalanceCheck(t *testing.T) {
	for _, c := range []struct {
		b    Balance
		want string // part of the error, or "" for nil
	}{
		{Balance{Manifested: 6, Boarded: 5, NotBoarded: 1, HandedOver: 4, Incidents: 1}, ""},
		{Balance{}, ""},
		{Balance{Manifested: 6, Boarded: 4, NotBoarded: 1, Unresolved: 1, HandedOver: 4}, "1 unresolved"},
		{Balance{Manifested: 6, Boarded: 6, HandedOver: 4, Incidents: 1, Aboard: 1}, "1 still aboard"},
		{Balance{Manifested: 6, Boarded: 6, HandedOver: 5}, "boarded 6 ≠ handed over 5"},
		{Balance{Manifested: 6, Boarded: 6, HandedOver: 6, Aboard: 1}, "1 persons are still aboard"},
	} {
		err := c.b.Check()
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: Check() = %v, want %q", c.b, err, c.want)
		}
	}
}

// TestAbort: before departure an abort returns everyone aboard to the
// origin, in its controller's custody, and frees the manifest.
func TestAbort(t *testing.T) {
	w := newMoveWorld(t)
	six := w.men[:6]
	w.boarding("mv1", centcom, six...)
	w.board("mv1", six[:4]...)
	w.handover("mv1", AtDeparture, sdf, centcom, six[:2]...) // two in the escort's custody
	w.do(sdf, &NotBoarded{Move: "mv1", Person: six[4], Reason: w.reason(ListNotBoarded, "not-present")})
	ab := w.do(sdf, &MoveAborted{Move: "mv1", Reason: w.reason(ListMoveAborted, "security")})
	for _, p := range six[:4] {
		l := w.s.Persons[p].Location
		if l.Status != StatusHeld || l.Facility != ghwayran || l.Authority != sdf || l.SinceSeq != ab {
			t.Errorf("%s after the abort: %+v, want held in ghwayran by sdf", p, l)
		}
	}
	m := w.s.Moves["mv1"]
	if m.Status != StageAborted || m.Ended != ab || len(m.Aboard) != 0 {
		t.Errorf("move %s ended %d aboard %v", m.Status, m.Ended, m.Aboard)
	}
	if got := w.s.Facilities[ghwayran].Count; got != len(w.men)+1 {
		t.Errorf("ghwayran count %d, want %d", got, len(w.men)+1)
	}
	w.refused(t, w.by(sdf, w.boardedEv("mv1", six[5])), RuleStage, six[5], "aborted")
	w.plan("mv2", sdf, six...)
}

// scriptedRun runs several moves through every stage and incident; try
// checks the invariants after every accepted request.
func scriptedRun(t *testing.T) *moveWorld {
	w := buildMoveWorld(t, 40, 40, 30)
	m := w.men
	// mv1: CENTCOM escorts 10 men; one is not boarded, one is refused by the
	// escort and handed over again, one is evacuated, one escapes (and is
	// recaptured), one miscount is corrected at the next leg.
	w.plan("mv1", centcom, m[:10]...)
	w.do(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{m[9]}, Add: []Seat{{Person: m[10], Vehicle: "bus-2", Seat: 6}}})
	w.do(sdf, &BoardingStarted{Move: "mv1"})
	w.do(sdf, &NotBoarded{Move: "mv1", Person: m[0], Reason: w.reason(ListNotBoarded, "in-hospital")})
	w.board("mv1", m[1:9]...)
	w.do(sdf, &ManifestAmended{Move: "mv1", Remove: []PersonID{m[10]}, Add: []Seat{{Person: m[11], Vehicle: "bus-2", Seat: 5}}, Reason: w.reason(ListManifestChange, "security")})
	w.board("mv1", m[11])
	aboard1 := append(slices.Clone(m[1:9]), m[11])
	h := w.do(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: aboard1})
	w.do(centcom, &HandoverRefused{Move: "mv1", Handover: h, Person: m[2], Reason: w.reason(ListHandoverRefused, "identity-mismatch")})
	w.do(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: slices.DeleteFunc(slices.Clone(aboard1), func(p PersonID) bool { return p == m[2] }), IdentityChecked: true})
	w.handover("mv1", AtDeparture, sdf, centcom, m[2])

	// mv2, at the same time: escorted by the SDF, 5 men, an aborted first try.
	w.plan("mv2", sdf, m[12:17]...)
	w.do(sdf, &BoardingStarted{Move: "mv2"})
	w.board("mv2", m[12:14]...)
	w.do(sdf, &MoveAborted{Move: "mv2", Reason: w.reason(ListMoveAborted, "vehicle")})
	w.plan("mv3", sdf, m[12:17]...)
	w.do(sdf, &BoardingStarted{Move: "mv3"})
	w.board("mv3", m[12:17]...)
	w.do(sdf, &Departed{Move: "mv3", Count: 5})

	w.do(centcom, &Departed{Move: "mv1", Count: 9})
	w.do(centcom, &Counted{Move: "mv1", Leg: 1, Count: 8})
	w.do(centcom, &Evacuated{Move: "mv1", Person: m[5], Hospital: natHosp, Condition: "appendicitis"})
	w.do(centcom, &Counted{Move: "mv1", Leg: 2, Count: 7})
	esc := w.do(centcom, &Escaped{Person: m[6], Move: "mv1", Circumstances: "ran at the border crossing"})
	w.do(centcom, &Arrived{Move: "mv1", Count: 7})
	w.do(sdf, &Recaptured{Person: m[6], Escape: esc, Facility: panorama, TakenBy: "border guard"})

	w.do(sdf, &Counted{Move: "mv3", Leg: 1, Count: 5})
	w.do(sdf, &Died{Person: m[16], Move: "mv3", Circumstances: "collapsed aboard", Cause: "cardiac arrest", Remains: "returned to family in Deir ez-Zor"})
	w.do(sdf, &Arrived{Move: "mv3", Count: 4})

	// Arrival: person by person, a refusal and a second release.
	h1 := w.do(centcom, &HandoverReleased{Move: "mv1", Stage: AtArrival, To: iraqMoJ, Persons: []PersonID{m[1], m[2], m[3], m[4]}})
	w.do(iraqMoJ, &HandoverReceived{Move: "mv1", Handover: h1, Persons: []PersonID{m[1], m[2]}, IdentityChecked: true})
	w.do(iraqMoJ, &HandoverRefused{Move: "mv1", Handover: h1, Person: m[3], Reason: w.reason(ListHandoverRefused, "documents-missing")})
	w.do(iraqMoJ, &HandoverReceived{Move: "mv1", Handover: h1, Persons: []PersonID{m[4]}, IdentityChecked: true})
	w.handover("mv1", AtArrival, centcom, iraqMoJ, m[3], m[7], m[8], m[11])
	w.do(iraqMoJ, &MoveClosed{Move: "mv1"})
	w.handover("mv3", AtArrival, sdf, iraqMoJ, m[12:16]...)
	w.do(sdf, &MoveClosed{Move: "mv3"})

	// Back from hospital, the evacuated man goes on a later move.
	w.do(sdf, &Returned{Person: m[5], Hospital: natHosp, Facility: ghwayran})
	w.arrived("mv4", centcom, m[5], m[0], m[20])
	w.handover("mv4", AtArrival, centcom, iraqMoJ, m[5], m[0], m[20])
	w.do(centcom, &MoveClosed{Move: "mv4"})

	for id, want := range map[MoveID]Balance{
		"mv1": {Manifested: 10, Boarded: 9, NotBoarded: 1, HandedOver: 7, Incidents: 2},
		"mv2": {Manifested: 5, Boarded: 2, Unresolved: 3},
		"mv3": {Manifested: 5, Boarded: 5, HandedOver: 4, Incidents: 1},
		"mv4": {Manifested: 3, Boarded: 3, HandedOver: 3},
	} {
		if got := w.s.Moves[id].Balance(); got != want {
			t.Errorf("%s: balance %+v, want %+v", id, got, want)
		}
	}
	if got, want := len(w.s.Roll(karkh)), 14; got != want {
		t.Errorf("karkh holds %d, want %d", got, want)
	}
	if got := w.s.Facilities[karkh].Count; got != 14 {
		t.Errorf("karkh count %d", got)
	}
	for _, a := range w.s.Alerts {
		if a.Open() {
			t.Errorf("alert still open: %s", a)
		}
	}
	if len(w.s.Alerts) != 2 {
		t.Errorf("alerts %v, want the two of mv1", w.s.Alerts)
	}
	return w
}

// TestMoveConservation: a long scripted run; after every accepted request
// the invariants hold (checked by try).
func TestMoveConservation(t *testing.T) {
	w := scriptedRun(t)
	if errs := CheckInvariants(w.s); errs != nil {
		t.Fatal(errs)
	}
}

// TestMoveReplay: replaying the log one event at a time gives the same
// state, and the same changes, as the requests did; so does the log
// decoded from its canonical encoding.
func TestMoveReplay(t *testing.T) {
	w := scriptedRun(t)
	want := dump(t, w.s)
	decoded := make([]Event, len(w.log))
	for i, e := range w.log {
		b, err := ledger.Canonical(e)
		if err != nil {
			t.Fatal(err)
		}
		if decoded[i], err = DecodeEvent(b); err != nil {
			t.Fatalf("event %d: %v", i+1, err)
		}
	}
	for name, log := range map[string][]Event{"events": w.log, "decoded": decoded} {
		s := NewState()
		for i := range log {
			ch, err := s.Replay(int64(i+1), &log[i])
			if err != nil {
				t.Fatalf("%s: replay of event %d: %v", name, i+1, err)
			}
			if !reflect.DeepEqual(ch, w.changes[i]) {
				t.Errorf("%s: event %d (%s): replay changes %+v, the request's %+v", name, i+1, log[i].Type, ch, w.changes[i])
			}
		}
		if errs := CheckInvariants(s); errs != nil {
			t.Errorf("%s: invariants after replay: %v", name, errs)
		}
		sameState(t, name+" replayed", want, dump(t, s))
	}
}

// TestMoveUndo: a request of many move events that fails at its last
// leaves everything as it was; ApplyAll's undo reverts an accepted one.
func TestMoveUndo(t *testing.T) {
	w := newMoveWorld(t)
	six := w.men[:6]
	w.boarding("mv1", centcom, six...)
	w.board("mv1", six...)
	h := w.next
	req := []Event{
		w.by(sdf, &HandoverReleased{Move: "mv1", Stage: AtDeparture, To: centcom, Persons: six}),
		w.by(centcom, &HandoverReceived{Move: "mv1", Handover: h, Persons: six, IdentityChecked: true}),
		w.by(centcom, &Departed{Move: "mv1", Count: 5}),
		w.by(centcom, &Evacuated{Move: "mv1", Person: six[0], Hospital: natHosp, Condition: "wound"}),
		w.by(sdf, &ReferencePublished{List: ListMoveAborted, Version: 2, Entries: []ReferenceEntry{{Code: "x", Label: "x"}}}),
		w.by(sdf, planned("mv2", sdf, w.men[6:9]...)),
		w.by(sdf, &AllocationCreated{Allocation: Allocation{ID: "a2", Name: "a2", OrderedBy: sdf, Target: 1, Destinations: []FacilityID{karkh}}}),
		w.by(centcom, &Arrived{Move: "mv1", Count: 5}),
	}
	before := dump(t, w.s)
	bad := append(slices.Clone(req), w.by(france, &MoveClosed{Move: "mv1"}))
	if err := w.try(bad...); err == nil {
		t.Fatal("accepted")
	}
	sameState(t, "refused request", before, dump(t, w.s))

	undo, _, err := w.s.ApplyAll(w.next, req)
	if err != nil {
		t.Fatal(err)
	}
	if dump(t, w.s) == before {
		t.Fatal("the request changed nothing")
	}
	undo()
	sameState(t, "undone request", before, dump(t, w.s))
}

// TestMoveStateClone: the copy an undo puts back shares nothing with the
// move it was taken from and equals it exactly, nil and empty alike.
func TestMoveStateClone(t *testing.T) {
	if c := (&MoveState{}).clone(); !reflect.DeepEqual(c, &MoveState{}) {
		t.Errorf("clone of an empty move %+v", c)
	}
	w := scriptedRun(t)
	for _, id := range slices.Sorted(maps.Keys(w.s.Moves)) {
		m := w.s.Moves[id]
		want := dump(t, w.s)
		c := m.clone()
		if !reflect.DeepEqual(c, m) {
			t.Fatalf("%s: clone differs", id)
		}
		c.Manifest = append(c.Manifest[:0], Seat{Person: "x"})
		for _, mp := range []map[PersonID]int64{c.Boarded, c.HandedOver, c.Incidents} {
			clear(mp)
		}
		clear(c.NotBoarded)
		clear(c.Aboard)
		if len(c.Counts) > 0 {
			c.Counts[0].Counted = -7
		}
		for _, h := range c.Handovers {
			h.Persons[0] = "x"
			clear(h.Received)
			clear(h.Refused)
		}
		sameState(t, string(id)+" after its clone changed", want, dump(t, w.s))
	}
}

// movePayloads has one payload of every move event type with every field
// set, and the incidents on a move.
func movePayloads() []Payload {
	at := time.Date(2026, 2, 3, 6, 0, 0, 0, time.UTC)
	mv := testMove("mv1", centcom)
	mv.Mode = ByAir
	mv.Legs = []Leg{{Kind: LegOvernight, Place: "Qamishli", Planned: at.Add(time.Hour), Lockout: panorama, Note: "lockout <overnight> & \"guard\""}}
	r := Reason{Code: "medical", Version: 2, Note: "fever, 39 °C"}
	return []Payload{
		&ReferencePublished{List: ListNotBoarded, Version: 2, Entries: []ReferenceEntry{{Code: "deceased", Label: "died", LabelAr: "توفي"}}},
		&AllocationCreated{Allocation: Allocation{ID: alloc1, Name: "men", OrderedBy: iraqMoJ, Target: 7000,
			Criteria:     Criteria{Categories: []Category{Man, Boy}, Origins: []FacilityID{ghwayran}, Nationalities: []string{"IQ"}, RiskTiers: []int{1, 2}},
			Destinations: []FacilityID{karkh}}},
		&MovePlanned{Move: mv, Manifest: []Seat{{Person: "M-001", Vehicle: "bus-1", Seat: 3}}},
		&ManifestAmended{Move: "mv1", Add: []Seat{{Person: "M-002", Vehicle: "bus-2", Seat: 1}}, Remove: []PersonID{"M-001"}, Reason: r},
		&BoardingStarted{Move: "mv1"},
		&Boarded{Move: "mv1", Vehicle: "bus-2", Person: "M-002", Scan: ScanQR, Code: WristbandCode("M-002")},
		&NotBoarded{Move: "mv1", Person: "M-003", Reason: r},
		&Departed{Move: "mv1", Count: 12},
		&Counted{Move: "mv1", Leg: 2, Count: 11},
		&Arrived{Move: "mv1", Count: 11},
		&HandoverReleased{Move: "mv1", Stage: AtArrival, To: iraqMoJ, Persons: []PersonID{"M-002", "M-004"}},
		&HandoverReceived{Move: "mv1", Handover: 99, Persons: []PersonID{"M-002"}, IdentityChecked: true},
		&HandoverRefused{Move: "mv1", Handover: 99, Person: "M-004", Reason: r},
		&Evacuated{Move: "mv1", Person: "M-005", Hospital: natHosp, Condition: "wound"},
		&MoveClosed{Move: "mv1"},
		&MoveAborted{Move: "mv1", Reason: r},
		&Escaped{Person: "M-006", Move: "mv1", Circumstances: "at the border"},
		&Died{Person: "M-007", Move: "mv1", Circumstances: "aboard", Cause: "heat", Remains: "morgue"},
	}
}

// TestMoveEventEncoding: every move payload round-trips through its
// canonical encoding (as the ledger writes it) and DecodeEvent, and
// NewPayload knows every move type.
func TestMoveEventEncoding(t *testing.T) {
	types := []EventType{TypeReferencePublished, TypeAllocationCreated, TypeMovePlanned, TypeManifestAmended,
		TypeBoardingStarted, TypeBoarded, TypeNotBoarded, TypeDeparted, TypeCounted, TypeArrived,
		TypeHandoverReleased, TypeHandoverReceived, TypeHandoverRefused, TypeEvacuated, TypeMoveClosed, TypeMoveAborted}
	seen := map[EventType]bool{}
	for _, p := range movePayloads() {
		seen[p.EventType()] = true
		e := NewEvent(p, t0, t0.Add(time.Hour), Actor{User: "u1", Authority: centcom, Site: "Rabia"}, "key-"+string(p.EventType()))
		e.Salt = "AAECAwQFBgcICQoLDA0ODw"
		b, err := ledger.Canonical(e)
		if err != nil {
			t.Fatalf("%s: %v", e.Type, err)
		}
		got, err := DecodeEvent(b)
		if err != nil {
			t.Fatalf("%s: %v\n%s", e.Type, err, b)
		}
		if !reflect.DeepEqual(got, e) {
			t.Errorf("%s: round trip\n got %#v\nwant %#v\n%s", e.Type, got.Data, e.Data, b)
		}
		if b2, _ := ledger.Canonical(got); string(b2) != string(b) {
			t.Errorf("%s: encodings differ:\n%s\n%s", e.Type, b, b2)
		}
		if id := e.MoveOf(); (id == "") != (e.Type == TypeReferencePublished || e.Type == TypeAllocationCreated) {
			t.Errorf("%s: MoveOf = %q", e.Type, id)
		}
		var u Event // and through json.Unmarshal, without the type hint
		if err := json.Unmarshal(b, &u); err != nil || !reflect.DeepEqual(u, e) {
			t.Errorf("%s: json.Unmarshal: %v", e.Type, err)
		}
	}
	for _, typ := range types {
		if !seen[typ] {
			t.Errorf("no sample payload of type %s", typ)
		}
		p, err := NewPayload(typ)
		if err != nil || p.EventType() != typ || !reflect.ValueOf(p).Elem().IsZero() {
			t.Errorf("NewPayload(%q) = %#v, %v", typ, p, err)
		}
	}
	// A member that is not in the payload is refused.
	b, _ := ledger.Canonical(NewEvent(&MoveClosed{Move: "mv1"}, t0, t0, Actor{User: "u", Authority: sdf}, "k"))
	b = []byte(strings.Replace(string(b), `"move":"mv1"`, `"move":"mv1","reason":"x"`, 1))
	if _, err := DecodeEvent(b); err == nil {
		t.Errorf("decoded %s", b)
	}
}

// moveRandom drives moves with random actions, mostly valid.
type moveRandom struct {
	*moveWorld
	rng      *rand.Rand
	moves    int // moves planned so far
	persons  int // persons admitted so far
	accepted map[EventType]int
	rejected map[Rule]int
}

func pickOne[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// some returns a random non-empty subset of xs, in order.
func some[T any](rng *rand.Rand, xs []T) []T {
	var out []T
	for _, x := range xs {
		if rng.IntN(3) > 0 {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		out = append(out, pickOne(rng, xs))
	}
	return out
}

// bad is true one time in six: then the action is made wrong.
func (r *moveRandom) bad() bool { return r.rng.IntN(6) == 0 }

func (r *moveRandom) openMoves() []*MoveState {
	var out []*MoveState
	for _, id := range slices.Sorted(maps.Keys(r.s.Moves)) {
		if m := r.s.Moves[id]; m.Status.Open() {
			out = append(out, m)
		}
	}
	return out
}

// free returns the persons held in ghwayran on no open manifest.
func (r *moveRandom) free() []PersonID {
	var out []PersonID
	for _, p := range r.s.Roll(ghwayran) {
		if _, on := r.s.onOpenManifest(p, ""); !on && r.s.Persons[p].Person.Category == Man {
			out = append(out, p)
		}
	}
	return out
}

func (r *moveRandom) unresolved(m *MoveState) []PersonID {
	var out []PersonID
	for _, st := range m.Manifest {
		_, b := m.Boarded[st.Person]
		_, nb := m.NotBoarded[st.Person]
		if !b && !nb {
			out = append(out, st.Person)
		}
	}
	return out
}

// aboard returns the persons aboard m, not pending in a handover, in the
// custody of a.
func (r *moveRandom) aboard(m *MoveState, a AuthorityID) []PersonID {
	var out []PersonID
	for _, p := range slices.Sorted(maps.Keys(m.Aboard)) {
		if r.s.Persons[p].Location.Authority == a && m.PendingHandover(p) == nil {
			out = append(out, p)
		}
	}
	return out
}

func (r *moveRandom) anyone() PersonID {
	ids := slices.Sorted(maps.Keys(r.s.Persons))
	return pickOne(r.rng, ids)
}

func (r *moveRandom) authority() AuthorityID {
	return pickOne(r.rng, []AuthorityID{sdf, centcom, iraqMoJ, france})
}

func (r *moveRandom) reason(list ListID) Reason {
	if r.bad() {
		return pickOne(r.rng, []Reason{{}, {Code: "whim", Version: 1}, {Code: "medical", Version: 9}, {Code: "weather", Version: 1}})
	}
	l := r.s.References[list][0]
	return Reason{Code: pickOne(r.rng, l.Entries).Code, Version: 1}
}

// step returns the next request.
func (r *moveRandom) step() []Event {
	if len(r.free()) < 15 && r.rng.IntN(3) == 0 {
		return r.admit()
	}
	if roll := r.s.Roll(karkh); len(roll) > 20 && r.rng.IntN(3) == 0 {
		return []Event{r.by(iraqMoJ, &Released{Person: pickOne(r.rng, roll), Facility: karkh, Reason: "sentence-served", AuthorisedBy: iraqMoJ})}
	}
	if r.rng.IntN(15) == 0 {
		return r.housekeeping()
	}
	open := r.openMoves()
	if len(open) == 0 || len(open) < 4 && r.rng.IntN(8) == 0 {
		return r.plan()
	}
	m := pickOne(r.rng, open)
	if r.rng.IntN(10) == 0 {
		return r.wild(m)
	}
	switch m.Status {
	case StagePlanned:
		switch r.rng.IntN(10) {
		case 0:
			return r.amend(m)
		case 1:
			return r.notBoard(m)
		case 2:
			return r.abort(m)
		}
		return []Event{r.by(sdf, &BoardingStarted{Move: m.Move.ID})}
	case StageBoarding:
		if r.rng.IntN(25) == 0 {
			return r.abort(m)
		}
		if r.rng.IntN(20) == 0 {
			return r.amend(m)
		}
		if len(r.unresolved(m)) > 0 {
			if r.rng.IntN(6) == 0 {
				return r.notBoard(m)
			}
			return r.board(m)
		}
		if r.s.escortTakesCustody(m) && len(r.aboardNot(m, m.Move.Escort)) > 0 {
			return r.handover(m, AtDeparture)
		}
		return r.count(m, &Departed{Move: m.Move.ID})
	case StageDeparted:
		switch r.rng.IntN(8) {
		case 0:
			return r.incident(m)
		case 1, 2:
			return r.count(m, &Counted{Move: m.Move.ID, Leg: r.rng.IntN(len(m.Move.Legs) + 2)})
		}
		return r.count(m, &Arrived{Move: m.Move.ID})
	case StageArrived:
		switch r.rng.IntN(10) {
		case 0:
			return r.incident(m)
		case 1:
			return r.count(m, &Counted{Move: m.Move.ID})
		}
		if len(m.Aboard) > 0 {
			return r.handover(m, AtArrival)
		}
		if len(r.s.OpenAlerts()) > 0 && r.rng.IntN(2) == 0 {
			return r.count(m, &Counted{Move: m.Move.ID})
		}
		by := pickOne(r.rng, []AuthorityID{sdf, iraqMoJ, m.Move.Escort})
		if r.bad() {
			by = france
		}
		return []Event{r.by(by, &MoveClosed{Move: m.Move.ID})}
	}
	return r.wild(m)
}

// aboardNot returns the persons aboard m not in the custody of a.
func (r *moveRandom) aboardNot(m *MoveState, a AuthorityID) []PersonID {
	var out []PersonID
	for _, p := range slices.Sorted(maps.Keys(m.Aboard)) {
		if r.s.Persons[p].Location.Authority != a {
			out = append(out, p)
		}
	}
	return out
}

func (r *moveRandom) plan() []Event {
	free := r.free()
	if len(free) == 0 {
		return r.housekeeping()
	}
	r.moves++
	id := MoveID(fmt.Sprintf("mv%03d", r.moves))
	r.rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	ps := free[:1+r.rng.IntN(min(12, len(free)))]
	p := planned(id, pickOne(r.rng, []AuthorityID{centcom, centcom, sdf, iraqMoJ}), ps...)
	if len(p.Move.Legs) > 0 && r.rng.IntN(3) == 0 {
		p.Move.Legs = p.Move.Legs[:r.rng.IntN(len(p.Move.Legs))]
	}
	if r.bad() {
		switch r.rng.IntN(4) {
		case 0:
			p.Manifest[0].Person = r.anyone()
		case 1:
			p.Manifest[0].Seat = 1 + r.rng.IntN(8)
		case 2:
			p.Manifest[0].Vehicle = "bus-9"
		default:
			p.Move.Escort = r.authority()
		}
	}
	return []Event{r.by(sdf, p)}
}

func (r *moveRandom) amend(m *MoveState) []Event {
	d := &ManifestAmended{Move: m.Move.ID}
	if un := r.unresolved(m); len(un) > 0 && r.rng.IntN(2) == 0 {
		d.Remove = []PersonID{pickOne(r.rng, un)}
	}
	if free := r.free(); len(free) > 0 {
		taken := map[[2]any]bool{}
		for _, st := range m.Manifest {
			taken[[2]any{st.Vehicle, st.Seat}] = true
		}
		for _, st := range seats(make([]PersonID, 12)...) {
			if !taken[[2]any{st.Vehicle, st.Seat}] {
				d.Add = []Seat{{Person: pickOne(r.rng, free), Vehicle: st.Vehicle, Seat: st.Seat}}
				break
			}
		}
	}
	if m.Frozen != 0 || r.rng.IntN(4) == 0 {
		d.Reason = r.reason(ListManifestChange)
	}
	if r.bad() && len(d.Add) > 0 {
		d.Add[0].Person = r.anyone()
	}
	return []Event{r.by(sdf, d)}
}

func (r *moveRandom) board(m *MoveState) []Event {
	p := pickOne(r.rng, r.unresolved(m))
	st, _ := m.SeatOf(p)
	d := &Boarded{Move: m.Move.ID, Vehicle: st.Vehicle, Person: p, Scan: ScanQR, Code: WristbandCode(p)}
	if r.rng.IntN(4) == 0 {
		d.Scan, d.Code = ScanTyped, ""
	}
	if r.bad() {
		switch r.rng.IntN(4) {
		case 0:
			d.Code = WristbandCode(r.anyone())
		case 1:
			d.Vehicle = pickOne(r.rng, []string{"bus-1", "bus-2", "bus-3"})
		case 2:
			d.Person = r.anyone()
			d.Code = WristbandCode(d.Person)
		default:
			d.Code = strings.Replace(d.Code, "M-", "M_", 1)
		}
	}
	return []Event{r.by(sdf, d)}
}

func (r *moveRandom) notBoard(m *MoveState) []Event {
	p := r.anyone()
	if un := r.unresolved(m); len(un) > 0 && !r.bad() {
		p = pickOne(r.rng, un)
	}
	return []Event{r.by(sdf, &NotBoarded{Move: m.Move.ID, Person: p, Reason: r.reason(ListNotBoarded)})}
}

func (r *moveRandom) abort(m *MoveState) []Event {
	return []Event{r.by(r.authority(), &MoveAborted{Move: m.Move.ID, Reason: r.reason(ListMoveAborted)})}
}

// count makes a headcount event (Departed, Counted or Arrived), usually
// right.
func (r *moveRandom) count(m *MoveState, p Payload) []Event {
	n := len(m.Aboard)
	if r.rng.IntN(8) == 0 {
		n += pickOne(r.rng, []int{-2, -1, 1})
	}
	switch d := p.(type) {
	case *Departed:
		d.Count = n
	case *Counted:
		d.Count = n
	case *Arrived:
		d.Count = n
	}
	return []Event{r.by(pickOne(r.rng, []AuthorityID{m.Move.Escort, sdf}), p)}
}

// handover releases, receives or refuses persons at stage.
func (r *moveRandom) handover(m *MoveState, stage HandoverStage) []Event {
	// A pending handover is answered first, most of the time.
	for _, h := range m.Handovers {
		var pending []PersonID
		for _, p := range h.Persons {
			if h.Pending(p) && m.Aboard[p] {
				pending = append(pending, p)
			}
		}
		if len(pending) == 0 || r.rng.IntN(5) == 0 {
			continue
		}
		by := h.To
		if r.bad() {
			by = r.authority()
		}
		if r.rng.IntN(8) == 0 {
			return []Event{r.by(by, &HandoverRefused{Move: m.Move.ID, Handover: h.Seq, Person: pickOne(r.rng, pending), Reason: r.reason(ListHandoverRefused)})}
		}
		ps := some(r.rng, pending)
		if r.bad() {
			ps = append(ps, r.anyone())
		}
		return []Event{r.by(by, &HandoverReceived{Move: m.Move.ID, Handover: h.Seq, Persons: ps, IdentityChecked: !r.bad()})}
	}
	from, to := r.s.Facilities[m.Move.Origin].Controller, m.Move.Escort
	if stage == AtArrival {
		to = r.s.Facilities[m.Move.Destination].Controller
		if r.s.escortTakesCustody(m) {
			from = m.Move.Escort
		}
	}
	ps := r.aboard(m, from)
	if len(ps) == 0 {
		return r.wild(m)
	}
	ps = some(r.rng, ps)
	by := from
	if r.bad() {
		switch r.rng.IntN(3) {
		case 0:
			by = r.authority()
		case 1:
			to = r.authority()
		default:
			ps = append(ps, r.anyone())
		}
	}
	return []Event{r.by(by, &HandoverReleased{Move: m.Move.ID, Stage: stage, To: to, Persons: ps})}
}

func (r *moveRandom) incident(m *MoveState) []Event {
	p := r.anyone()
	if len(m.Aboard) > 0 && !r.bad() {
		p = pickOne(r.rng, slices.Sorted(maps.Keys(m.Aboard)))
	}
	by := m.Move.Escort
	switch r.rng.IntN(3) {
	case 0:
		return []Event{r.by(by, &Evacuated{Move: m.Move.ID, Person: p, Hospital: natHosp, Condition: "wound"})}
	case 1:
		return []Event{r.by(by, &Escaped{Person: p, Move: m.Move.ID, Circumstances: "ambush"})}
	}
	return []Event{r.by(by, &Died{Person: p, Move: m.Move.ID, Circumstances: "ambush", Cause: "gunshot", Remains: "morgue"})}
}

// wild is any move event on m, with random persons and authorities.
func (r *moveRandom) wild(m *MoveState) []Event {
	id, p, a := m.Move.ID, r.anyone(), r.authority()
	var h int64
	if len(m.Handovers) > 0 {
		h = pickOne(r.rng, m.Handovers).Seq
	}
	ps := []Payload{
		&BoardingStarted{Move: id},
		&Boarded{Move: id, Vehicle: "bus-1", Person: p, Scan: ScanTyped},
		&NotBoarded{Move: id, Person: p, Reason: r.reason(ListNotBoarded)},
		&Departed{Move: id, Count: len(m.Aboard)},
		&Counted{Move: id, Leg: r.rng.IntN(4), Count: len(m.Aboard)},
		&Arrived{Move: id, Count: len(m.Aboard)},
		&HandoverReleased{Move: id, Stage: pickOne(r.rng, []HandoverStage{AtDeparture, AtArrival}), To: r.authority(), Persons: []PersonID{p}},
		&HandoverReceived{Move: id, Handover: h, Persons: []PersonID{p}, IdentityChecked: true},
		&HandoverRefused{Move: id, Handover: h, Person: p, Reason: r.reason(ListHandoverRefused)},
		&Evacuated{Move: id, Person: p, Hospital: pickOne(r.rng, []FacilityID{natHosp, karkh}), Condition: "fever"},
		&Escaped{Person: p, Move: id},
		&MoveClosed{Move: id},
		&MoveAborted{Move: id, Reason: r.reason(ListMoveAborted)},
		&ManifestAmended{Move: id, Remove: []PersonID{p}, Reason: r.reason(ListManifestChange)},
	}
	return []Event{r.by(a, pickOne(r.rng, ps))}
}

// housekeeping keeps the world turning: new men at the origin, releases
// from the destination, recaptures and returns from hospital.
func (r *moveRandom) housekeeping() []Event {
	switch r.rng.IntN(4) {
	case 0:
		return r.admit()
	case 1:
		if roll := r.s.Roll(karkh); len(roll) > 0 {
			return []Event{r.by(iraqMoJ, &Released{Person: pickOne(r.rng, roll), Facility: karkh, Reason: "sentence-served", AuthorisedBy: iraqMoJ})}
		}
	case 2:
		for _, seq := range slices.Sorted(maps.Keys(r.s.Escapes)) {
			if e := r.s.Escapes[seq]; e.Open() {
				return []Event{r.by(sdf, &Recaptured{Person: e.Person, Escape: seq, Facility: ghwayran})}
			}
		}
	}
	for _, p := range r.s.Roll(natHosp) {
		return []Event{r.by(sdf, &Returned{Person: p, Hospital: natHosp, Facility: ghwayran})}
	}
	return []Event{r.by(sdf, &Hospitalised{Person: r.anyone(), From: ghwayran, Hospital: natHosp})}
}

// admit registers a new man and admits him to the origin.
func (r *moveRandom) admit() []Event {
	r.persons++
	id := PersonID(fmt.Sprintf("N-%04d", r.persons))
	return []Event{r.by(sdf, &PersonRegistered{Person: person(id)}), r.by(sdf, admission(id, ghwayran))}
}

// TestMoveRandom drives moves through thousands of random requests, valid
// and not: after each the invariants hold and a refused request changed
// nothing; at the end replay rebuilds the same state.
func TestMoveRandom(t *testing.T) {
	const steps = 2500
	for _, seed := range []uint64{1, 2026} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := &moveRandom{moveWorld: buildMoveWorld(t, 40, 1_000_000, 40), rng: rand.New(rand.NewPCG(seed, 7)),
				accepted: map[EventType]int{}, rejected: map[Rule]int{}}
			before := liveDump(t, r.s)
			for step := range steps {
				events := r.step()
				err := r.try(events...)
				if err != nil {
					var e *Error
					if !errors.As(err, &e) || e.Code == Internal || e.Event == "" || e.Rule == "" {
						t.Fatalf("step %d: bad error %v (%#v)%s", step, err, e, describe(events))
					}
					r.rejected[e.Rule]++
					if after := liveDump(t, r.s); after != before {
						t.Fatalf("step %d: refused request (%v) changed the state:\n%s%s", step, err, diff(before, after), describe(events))
					}
					continue
				}
				for _, e := range events {
					r.accepted[e.Type]++
				}
				before = liveDump(t, r.s)
			}
			t.Logf("accepted %v", r.accepted)
			t.Logf("rejected %v", r.rejected)
			for _, typ := range []EventType{TypeMovePlanned, TypeManifestAmended, TypeBoardingStarted, TypeBoarded, TypeNotBoarded,
				TypeDeparted, TypeCounted, TypeArrived, TypeHandoverReleased, TypeHandoverReceived, TypeHandoverRefused,
				TypeEvacuated, TypeEscaped, TypeDied, TypeMoveClosed, TypeMoveAborted} {
				if r.accepted[typ] < 3 {
					t.Errorf("only %d %s accepted: the test does not exercise it", r.accepted[typ], typ)
				}
			}
			if len(r.rejected) < 12 {
				t.Errorf("only rules %v broken", r.rejected)
			}
			s := NewState()
			for i := range r.log {
				if _, err := s.Replay(int64(i+1), &r.log[i]); err != nil {
					t.Fatalf("replay of event %d: %v", i+1, err)
				}
			}
			sameState(t, "replayed", dump(t, r.s), dump(t, s))
		})
	}
}

// TestInvariantsSeeMoveDamage: CheckInvariants names a move whose counts
// no longer add up, and a person whose location and move disagree.
func TestInvariantsSeeMoveDamage(t *testing.T) {
	w := newMoveWorld(t)
	six := w.men[:6]
	w.departed("mv1", centcom, six...)
	delete(w.s.Moves["mv1"].Aboard, six[2]) // lost with no event
	var rules []Rule
	for _, err := range CheckInvariants(w.s) {
		rules = append(rules, err.(*Error).Rule)
		if !strings.Contains(err.Error(), "mv1") {
			t.Errorf("%v does not name the move", err)
		}
	}
	if !slices.Contains(rules, RuleBalance) || !slices.Contains(rules, RuleConservation) {
		t.Errorf("invariant errors of rules %v, want balance and conservation", rules)
	}
}
