package custody

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// errNoRules says that applyMoveEvent has no rules for an event.
var errNoRules = errors.New("no move rules")

// applyMoveEvent applies the events of allocations and moves. A rejection
// names the move it concerns.
func (s *State) applyMoveEvent(seq int64, e *Event, u *journal) error {
	err := s.applyMoveRules(seq, e, u)
	var re *Error
	if id := moveOf(e.Data); id != "" && errors.As(err, &re) && !strings.Contains(re.Msg, string(id)) {
		re.Msg = fmt.Sprintf("move %s: %s", id, re.Msg)
	}
	return err
}

func (s *State) applyMoveRules(seq int64, e *Event, u *journal) error {
	switch d := e.Data.(type) {
	case *AllocationCreated:
		return s.applyAllocation(seq, e, d, u)
	case *MovePlanned:
		return s.applyMovePlanned(seq, e, d, u)
	case *ManifestAmended:
		return s.applyAmended(e, d, u)
	case *BoardingStarted:
		return s.applyBoardingStarted(seq, e, d, u)
	case *Boarded:
		return s.applyBoarded(seq, e, d, u)
	case *NotBoarded:
		return s.applyNotBoarded(seq, e, d, u)
	case *Departed:
		return s.applyDeparted(seq, e, d, u)
	case *Counted:
		return s.applyCounted(seq, e, d, u)
	case *Arrived:
		return s.applyArrived(seq, e, d, u)
	case *HandoverReleased:
		return s.applyReleasedHandover(seq, e, d, u)
	case *HandoverReceived:
		return s.applyReceived(seq, e, d, u)
	case *HandoverRefused:
		return s.applyRefused(seq, e, d, u)
	case *Evacuated:
		return s.applyEvacuated(seq, e, d, u)
	case *MoveClosed:
		return s.applyClosed(seq, e, d, u)
	case *MoveAborted:
		return s.applyAborted(seq, e, d, u)
	}
	return errNoRules
}

// editMove returns move id for changing: the first change of a request
// copies it, and the undo puts the copy back.
func (s *State) editMove(id MoveID, u *journal) *MoveState {
	m := s.Moves[id]
	if !slices.Contains(u.ch.Moves, id) {
		u.ch.Moves = append(u.ch.Moves, id)
	}
	if u.copied[id] {
		return m
	}
	if u.copied == nil {
		u.copied = map[MoveID]bool{}
	}
	u.copied[id] = true
	old := m.clone()
	u.add(func() { s.Moves[id] = old })
	return m
}

func (s *State) needMove(e *Event, id MoveID, p PersonID) (*MoveState, error) {
	if id == "" {
		return nil, s.reject(e, p, "", RuleRequired, "move is empty")
	}
	m, ok := s.Moves[id]
	if !ok {
		return nil, &Error{Code: NotFound, Rule: RuleStage, Event: e.Type, Key: e.Key, Person: p, Msg: fmt.Sprintf("no move %q is planned", id)}
	}
	return m, nil
}

// needStage requires the move to be at one of the stages.
func (s *State) needStage(e *Event, m *MoveState, p PersonID, stages ...MoveStatus) error {
	if slices.Contains(stages, m.Status) {
		return nil
	}
	want := make([]string, len(stages))
	for i, st := range stages {
		want[i] = string(st)
	}
	return s.reject(e, p, "", RuleStage, "move %s is %s; this needs it %s", m.Move.ID, m.Status, strings.Join(want, " or "))
}

func (s *State) applyAllocation(seq int64, e *Event, d *AllocationCreated, u *journal) error {
	a := d.Allocation
	if err := a.Validate(); err != nil {
		return s.reject(e, "", "", RuleRequired, "allocation %q: %v", a.ID, err)
	}
	if _, dup := s.Allocations[a.ID]; dup {
		return s.reject(e, "", "", RuleDuplicate, "allocation %q is already created", a.ID)
	}
	if err := s.needAuthority(e, "", "", a.OrderedBy, "ordered_by"); err != nil {
		return err
	}
	for _, f := range append(slices.Clone(a.Destinations), a.Criteria.Origins...) {
		if _, err := s.needFacility(e, "", f, "allocation facility"); err != nil {
			return err
		}
	}
	s.Allocations[a.ID] = &AllocationState{Allocation: a, Created: seq}
	u.add(func() { delete(s.Allocations, a.ID) })
	u.ch.Allocations = append(u.ch.Allocations, a.ID)
	return nil
}

// committed returns how many persons open moves into facility f will still
// bring: manifested, less those handed over, not boarded, or lost on the
// way. A move excluded is not counted.
func (s *State) committed(f FacilityID, except MoveID) int {
	n := 0
	for id, m := range s.Moves {
		if id == except || !m.Status.Open() || m.Move.Destination != f {
			continue
		}
		n += len(m.Manifest) - len(m.HandedOver) - len(m.NotBoarded) - len(m.Incidents)
	}
	return n
}

// allocated returns how many persons the moves of an allocation carry or
// will carry: not counting aborted moves, persons not boarded, nor persons
// lost on the way (escaped, dead, evacuated), who may be moved again.
func (s *State) allocated(a *AllocationState) int {
	n := 0
	for _, id := range a.Moves {
		if m := s.Moves[id]; m.Status != StageAborted {
			n += len(m.Manifest) - len(m.NotBoarded) - len(m.Incidents)
		}
	}
	return n
}

// onOpenManifest returns the open move, other than except, whose manifest
// holds p.
func (s *State) onOpenManifest(p PersonID, except MoveID) (MoveID, bool) {
	for id, m := range s.Moves {
		if id == except || !m.Status.Open() {
			continue
		}
		if _, ok := m.SeatOf(p); ok {
			if _, nb := m.NotBoarded[p]; !nb {
				return id, true
			}
		}
	}
	return "", false
}

// checkSeats checks manifest lines to be added to move m: each person
// registered, held at the origin, selected by the allocation, on no other
// open manifest, once, in a free seat of a vehicle of the move.
func (s *State) checkSeats(e *Event, m *MoveState, a *AllocationState, seats []Seat) error {
	taken := map[string]PersonID{}
	listed := map[PersonID]bool{}
	for _, st := range m.Manifest {
		taken[fmt.Sprintf("%s/%d", st.Vehicle, st.Seat)] = st.Person
		listed[st.Person] = true
	}
	for i, st := range seats {
		line := fmt.Sprintf("manifest line %d", i+1)
		ps, err := s.needPerson(e, st.Person)
		if err != nil {
			return err
		}
		v, ok := m.Move.Vehicle(st.Vehicle)
		switch {
		case !ok:
			return s.reject(e, st.Person, "", RuleManifest, "%s: vehicle %q is not a vehicle of move %s", line, st.Vehicle, m.Move.ID)
		case st.Seat < 1 || st.Seat > v.Seats:
			return s.reject(e, st.Person, "", RuleManifest, "%s: seat %d is not a seat of %s (1 to %d)", line, st.Seat, v.ID, v.Seats)
		case listed[st.Person]:
			return s.reject(e, st.Person, "", RuleManifest, "%s: the person is already on this manifest", line)
		}
		key := fmt.Sprintf("%s/%d", st.Vehicle, st.Seat)
		if other, ok := taken[key]; ok {
			return s.reject(e, st.Person, "", RuleManifest, "%s: seat %d of %s is already %s's", line, st.Seat, st.Vehicle, other)
		}
		taken[key], listed[st.Person] = st.Person, true
		if err := s.needHeldAt(e, ps, m.Move.Origin, "origin"); err != nil {
			return err
		}
		if !a.Allocation.Criteria.Selects(&ps.Person, m.Move.Origin) {
			return s.reject(e, st.Person, "", RuleCriteria, "%s: the person (%s, tier %d, %v) does not meet the criteria of allocation %s", line, ps.Person.Category, ps.Person.RiskTier, ps.Person.Nationalities, a.Allocation.ID)
		}
		if other, ok := s.onOpenManifest(st.Person, m.Move.ID); ok {
			return s.reject(e, st.Person, "", RuleOnOtherManifest, "%s: the person is already on the manifest of open move %s", line, other)
		}
	}
	return nil
}

// checkRoom checks that destination f has room for n more persons, counting
// every open move into it.
func (s *State) checkRoom(e *Event, f FacilityID, n int, except MoveID) error {
	fs := s.Facilities[f]
	if fs.Facility.Capacity == 0 {
		return nil // capacity not known: not limited
	}
	held, coming := fs.Count, s.committed(f, except)
	if held+coming+n > fs.Facility.Capacity {
		return s.reject(e, "", f, RuleCapacity, "%s holds %d of %d, %d more are on open moves into it: no room for %d more", f, held, fs.Facility.Capacity, coming, n)
	}
	return nil
}

func (s *State) applyMovePlanned(seq int64, e *Event, d *MovePlanned, u *journal) error {
	mv := d.Move
	if err := mv.Validate(); err != nil {
		return s.reject(e, "", "", RuleRequired, "move %q: %v", mv.ID, err)
	}
	if _, dup := s.Moves[mv.ID]; dup {
		return s.reject(e, "", "", RuleDuplicate, "move %q is already planned", mv.ID)
	}
	a, ok := s.Allocations[mv.Allocation]
	if !ok {
		return &Error{Code: NotFound, Rule: RuleAllocation, Event: e.Type, Key: e.Key, Msg: fmt.Sprintf("no allocation %q", mv.Allocation)}
	}
	if _, err := s.needFacility(e, "", mv.Origin, "origin"); err != nil {
		return err
	}
	if _, err := s.needFacility(e, "", mv.Destination, "destination"); err != nil {
		return err
	}
	if !slices.Contains(a.Allocation.Destinations, mv.Destination) {
		return s.reject(e, "", mv.Destination, RuleAllocation, "%s is not a destination of allocation %s (%v)", mv.Destination, a.Allocation.ID, a.Allocation.Destinations)
	}
	if err := s.needAuthority(e, "", "", mv.Escort, "escort"); err != nil {
		return err
	}
	for _, l := range mv.Legs {
		if l.Lockout != "" {
			if _, err := s.needFacility(e, "", l.Lockout, "lockout"); err != nil {
				return err
			}
		}
	}
	if len(d.Manifest) > mv.Seats() {
		return s.reject(e, "", "", RuleManifest, "%d persons on the manifest but the vehicles have %d seats", len(d.Manifest), mv.Seats())
	}
	m := &MoveState{Move: mv, Status: StagePlanned, Planned: seq}
	if err := s.checkSeats(e, m, a, d.Manifest); err != nil {
		return err
	}
	if n := s.allocated(a) + len(d.Manifest); n > a.Allocation.Target {
		return s.reject(e, "", "", RuleAllocation, "allocation %s would carry %d persons, above its target of %d", a.Allocation.ID, n, a.Allocation.Target)
	}
	if err := s.checkRoom(e, mv.Destination, len(d.Manifest), ""); err != nil {
		return err
	}
	m.Manifest = sortedSeats(d.Manifest)
	s.Moves[mv.ID] = m
	u.add(func() { delete(s.Moves, mv.ID) })
	u.ch.Moves = append(u.ch.Moves, mv.ID)
	oldMoves := a.Moves
	a.Moves = append(a.Moves[:len(a.Moves):len(a.Moves)], mv.ID)
	u.add(func() { a.Moves = oldMoves })
	u.ch.Allocations = append(u.ch.Allocations, a.Allocation.ID)
	for _, st := range m.Manifest {
		u.person(st.Person)
	}
	return nil
}

func sortedSeats(seats []Seat) []Seat {
	out := slices.Clone(seats)
	slices.SortFunc(out, func(a, b Seat) int {
		if c := strings.Compare(a.Vehicle, b.Vehicle); c != 0 {
			return c
		}
		return a.Seat - b.Seat
	})
	return out
}

func (s *State) applyAmended(e *Event, d *ManifestAmended, u *journal) error {
	m, err := s.needMove(e, d.Move, "")
	if err != nil {
		return err
	}
	if err := s.needStage(e, m, "", StagePlanned, StageBoarding); err != nil {
		return err
	}
	if len(d.Add) == 0 && len(d.Remove) == 0 {
		return s.reject(e, "", "", RuleRequired, "the amendment adds and removes nobody")
	}
	if m.Frozen != 0 || d.Reason.Code != "" {
		if m.Frozen != 0 && d.Reason.Code == "" {
			return s.reject(e, "", "", RuleFrozen, "the manifests of move %s were frozen when boarding started (event %d): a change needs a reason from the %s list", m.Move.ID, m.Frozen, ListManifestChange)
		}
		if err := s.checkReason(e, "", ListManifestChange, d.Reason); err != nil {
			return err
		}
	}
	removing := map[PersonID]bool{}
	for _, p := range d.Remove {
		if removing[p] {
			return s.reject(e, p, "", RuleManifest, "the person is named twice in the persons to remove")
		}
		removing[p] = true
		if _, ok := m.SeatOf(p); !ok {
			return s.reject(e, p, "", RuleNotOnManifest, "the person is not on the manifest of move %s", m.Move.ID)
		}
		if _, ok := m.Boarded[p]; ok {
			return s.reject(e, p, "", RuleAlreadyBoarded, "the person has boarded move %s (event %d) and cannot be taken off the manifest", m.Move.ID, m.Boarded[p])
		}
		if _, ok := m.NotBoarded[p]; ok {
			return s.reject(e, p, "", RuleAlreadyBoarded, "the person is recorded as not boarded (event %d)", m.NotBoarded[p].Seq)
		}
	}
	m = s.editMove(d.Move, u)
	m.Manifest = slices.DeleteFunc(m.Manifest, func(st Seat) bool { return slices.Contains(d.Remove, st.Person) })
	if err := s.checkSeats(e, m, s.Allocations[m.Move.Allocation], d.Add); err != nil {
		return err
	}
	if len(m.Manifest)+len(d.Add) > m.Move.Seats() {
		return s.reject(e, "", "", RuleManifest, "%d persons on the manifest but the vehicles have %d seats", len(m.Manifest)+len(d.Add), m.Move.Seats())
	}
	if len(d.Add) > len(d.Remove) {
		// The manifest grows. The persons removed are already off it, so
		// the allocation and the destination count the persons added in
		// full (counting len(Add)-len(Remove) would subtract them twice).
		a := s.Allocations[m.Move.Allocation]
		if got := s.allocated(a) + len(d.Add); got > a.Allocation.Target {
			return s.reject(e, "", "", RuleAllocation, "allocation %s would carry %d persons, above its target of %d", a.Allocation.ID, got, a.Allocation.Target)
		}
		if err := s.checkRoom(e, m.Move.Destination, len(d.Add), ""); err != nil {
			return err
		}
	}
	m.Manifest = sortedSeats(append(m.Manifest, d.Add...))
	for _, st := range d.Add {
		u.person(st.Person)
	}
	for _, p := range d.Remove {
		u.person(p)
	}
	return nil
}

func (s *State) applyBoardingStarted(seq int64, e *Event, d *BoardingStarted, u *journal) error {
	m, err := s.needMove(e, d.Move, "")
	if err != nil {
		return err
	}
	if err := s.needStage(e, m, "", StagePlanned); err != nil {
		return err
	}
	m = s.editMove(d.Move, u)
	m.Status, m.Frozen = StageBoarding, seq
	return nil
}

func (s *State) applyBoarded(seq int64, e *Event, d *Boarded, u *journal) error {
	m, err := s.needMove(e, d.Move, d.Person)
	if err != nil {
		return err
	}
	ps, err := s.needPerson(e, d.Person)
	if err != nil {
		return err
	}
	if err := s.needStage(e, m, d.Person, StageBoarding); err != nil {
		return err
	}
	switch d.Scan {
	case ScanQR:
		id, err := ParseWristband(d.Code)
		if err != nil {
			return s.reject(e, d.Person, "", RuleWristband, "%v", err)
		}
		if id != d.Person {
			return s.reject(e, d.Person, "", RuleWristband, "the wristband scanned is %s's, not this person's", id)
		}
	case ScanTyped:
	default:
		return s.reject(e, d.Person, "", RuleRequired, "scan %q is not qr or typed", d.Scan)
	}
	st, ok := m.SeatOf(d.Person)
	if !ok {
		return s.reject(e, d.Person, "", RuleNotOnManifest, "refused: the person is not on the manifest of move %s", m.Move.ID)
	}
	if st.Vehicle != d.Vehicle {
		return s.reject(e, d.Person, "", RuleNotOnManifest, "refused: the person is on the manifest of %s, seat %d, not of %s", st.Vehicle, st.Seat, d.Vehicle)
	}
	if at, ok := m.Boarded[d.Person]; ok {
		return s.reject(e, d.Person, "", RuleAlreadyBoarded, "the person already boarded (event %d)", at)
	}
	if nb, ok := m.NotBoarded[d.Person]; ok {
		return s.reject(e, d.Person, "", RuleAlreadyBoarded, "the person is recorded as not boarded (event %d, %s)", nb.Seq, nb.Reason.Code)
	}
	if err := s.needHeldAt(e, ps, m.Move.Origin, "origin"); err != nil {
		return err
	}
	m = s.editMove(d.Move, u)
	if m.Boarded == nil {
		m.Boarded = map[PersonID]int64{}
	}
	if m.Aboard == nil {
		m.Aboard = map[PersonID]bool{}
	}
	m.Boarded[d.Person], m.Aboard[d.Person] = seq, true
	s.setLocation(ps, Location{Status: StatusAboard, Move: d.Move, Authority: ps.Location.Authority, Since: e.OccurredAt, SinceSeq: seq}, u)
	return nil
}

func (s *State) applyNotBoarded(seq int64, e *Event, d *NotBoarded, u *journal) error {
	m, err := s.needMove(e, d.Move, d.Person)
	if err != nil {
		return err
	}
	if _, err := s.needPerson(e, d.Person); err != nil {
		return err
	}
	if err := s.needStage(e, m, d.Person, StagePlanned, StageBoarding); err != nil {
		return err
	}
	if _, ok := m.SeatOf(d.Person); !ok {
		return s.reject(e, d.Person, "", RuleNotOnManifest, "the person is not on the manifest of move %s", m.Move.ID)
	}
	if at, ok := m.Boarded[d.Person]; ok {
		return s.reject(e, d.Person, "", RuleAlreadyBoarded, "the person boarded (event %d)", at)
	}
	if nb, ok := m.NotBoarded[d.Person]; ok {
		return s.reject(e, d.Person, "", RuleAlreadyBoarded, "the person is already recorded as not boarded (event %d)", nb.Seq)
	}
	if err := s.checkReason(e, d.Person, ListNotBoarded, d.Reason); err != nil {
		return err
	}
	m = s.editMove(d.Move, u)
	if m.NotBoarded == nil {
		m.NotBoarded = map[PersonID]NotBoardedEntry{}
	}
	m.NotBoarded[d.Person] = NotBoardedEntry{Seq: seq, Reason: d.Reason}
	u.person(d.Person)
	return nil
}

// count records a headcount on move m and opens an alert if it differs
// from the persons aboard; a count that agrees closes the move's open
// count alerts (the earlier count was wrong).
func (s *State) count(seq int64, e *Event, m *MoveState, stage string, n int, u *journal) error {
	if n < 0 {
		return s.reject(e, "", "", RuleRequired, "count %d is negative", n)
	}
	expected := len(m.Aboard)
	m.Counts = append(m.Counts, Count{Seq: seq, Stage: stage, Expected: expected, Counted: n, At: e.OccurredAt})
	for _, p := range slices.Sorted(maps.Keys(m.Aboard)) { // sorted, so that the Change is the same on every replay
		u.person(p)
	}
	if n != expected {
		s.Alerts[seq] = &Alert{Seq: seq, Kind: AlertCount, Move: m.Move.ID, Stage: stage, Expected: expected, Counted: n, At: e.OccurredAt}
		u.add(func() { delete(s.Alerts, seq) })
		u.ch.Alerts = append(u.ch.Alerts, seq)
		return nil
	}
	s.closeAlerts(seq, e, m, fmt.Sprintf("the count at %s agrees with the %d persons aboard", stage, n), func(*Alert) bool { return true }, u)
	return nil
}

// closeAlerts closes the open alerts of move m that ok accepts.
func (s *State) closeAlerts(seq int64, e *Event, m *MoveState, why string, ok func(*Alert) bool, u *journal) {
	for _, k := range slices.Sorted(maps.Keys(s.Alerts)) {
		a := s.Alerts[k]
		if a.Move != m.Move.ID || !a.Open() || !ok(a) {
			continue
		}
		a.ClosedBy, a.ClosedAt, a.Explanation = seq, e.OccurredAt, why
		u.ch.Alerts = append(u.ch.Alerts, k)
		u.add(func() { a.ClosedBy, a.ClosedAt, a.Explanation = 0, time.Time{}, "" })
	}
}

func (s *State) applyDeparted(seq int64, e *Event, d *Departed, u *journal) error {
	m, err := s.needMove(e, d.Move, "")
	if err != nil {
		return err
	}
	if err := s.needStage(e, m, "", StageBoarding); err != nil {
		return err
	}
	if b := m.Balance(); b.Unresolved > 0 {
		var missing []string
		for _, st := range m.Manifest {
			_, bo := m.Boarded[st.Person]
			_, nb := m.NotBoarded[st.Person]
			if !bo && !nb && len(missing) < 5 {
				missing = append(missing, string(st.Person))
			}
		}
		return s.reject(e, "", "", RuleBalance, "%d manifested persons are neither boarded nor recorded as not boarded with a reason (%s…)", b.Unresolved, strings.Join(missing, ", "))
	}
	if len(m.Aboard) == 0 {
		return s.reject(e, "", "", RuleBalance, "nobody is aboard move %s: abort it instead", m.Move.ID)
	}
	for _, p := range slices.Sorted(maps.Keys(m.Aboard)) {
		if a := s.Persons[p].Location.Authority; a != m.Move.Escort && s.escortTakesCustody(m) {
			return s.reject(e, p, "", RuleStage, "the person is still in the custody of %s: hand them over to the escort %s before departure", a, m.Move.Escort)
		}
	}
	m = s.editMove(d.Move, u)
	m.Status, m.Departed = StageDeparted, e.OccurredAt
	return s.count(seq, e, m, "departure", d.Count, u)
}

// escortTakesCustody reports whether the move's escort is a third
// authority, which takes custody at departure and gives it at arrival.
func (s *State) escortTakesCustody(m *MoveState) bool {
	origin := s.Facilities[m.Move.Origin].Controller
	dest := s.Facilities[m.Move.Destination].Controller
	return m.Move.Escort != origin && m.Move.Escort != dest
}

func (s *State) applyCounted(seq int64, e *Event, d *Counted, u *journal) error {
	m, err := s.needMove(e, d.Move, "")
	if err != nil {
		return err
	}
	if d.Leg == 0 {
		// A recount where the move stands: the only way to correct a
		// miscount at arrival, or on a route without legs.
		if err := s.needStage(e, m, "", StageDeparted, StageArrived); err != nil {
			return err
		}
		m = s.editMove(d.Move, u)
		return s.count(seq, e, m, fmt.Sprintf("recount (%s)", m.Status), d.Count, u)
	}
	if err := s.needStage(e, m, "", StageDeparted); err != nil {
		return err
	}
	if d.Leg < 1 || d.Leg > len(m.Move.Legs) {
		return s.reject(e, "", "", RuleStage, "leg %d is not a leg of move %s (1 to %d, or 0 for a recount)", d.Leg, m.Move.ID, len(m.Move.Legs))
	}
	m = s.editMove(d.Move, u)
	l := m.Move.Legs[d.Leg-1]
	return s.count(seq, e, m, fmt.Sprintf("leg %d (%s, %s)", d.Leg, l.Kind, l.Place), d.Count, u)
}

func (s *State) applyArrived(seq int64, e *Event, d *Arrived, u *journal) error {
	m, err := s.needMove(e, d.Move, "")
	if err != nil {
		return err
	}
	if err := s.needStage(e, m, "", StageDeparted); err != nil {
		return err
	}
	m = s.editMove(d.Move, u)
	m.Status, m.Arrived = StageArrived, e.OccurredAt
	return s.count(seq, e, m, "arrival", d.Count, u)
}

func (s *State) applyReleasedHandover(seq int64, e *Event, d *HandoverReleased, u *journal) error {
	m, err := s.needMove(e, d.Move, "")
	if err != nil {
		return err
	}
	if len(d.Persons) == 0 {
		return s.reject(e, "", "", RuleRequired, "the handover names nobody")
	}
	switch d.Stage {
	case AtDeparture:
		if err := s.needStage(e, m, "", StageBoarding); err != nil {
			return err
		}
		if !s.escortTakesCustody(m) {
			return s.reject(e, "", "", RuleStage, "the escort %s is a side of the move: custody passes once, at arrival", m.Move.Escort)
		}
		if d.To != m.Move.Escort {
			return s.reject(e, "", "", RuleWrongAuthority, "at departure the persons go to the escort %s, not %s", m.Move.Escort, d.To)
		}
	case AtArrival:
		if err := s.needStage(e, m, "", StageArrived); err != nil {
			return err
		}
		if want := s.Facilities[m.Move.Destination].Controller; d.To != want {
			return s.reject(e, "", m.Move.Destination, RuleWrongAuthority, "at arrival the persons go to %s, which controls %s, not %s", want, m.Move.Destination, d.To)
		}
	default:
		return s.reject(e, "", "", RuleRequired, "stage %q is not departure or arrival", d.Stage)
	}
	seen := map[PersonID]bool{}
	for _, p := range d.Persons {
		if seen[p] {
			return s.reject(e, p, "", RuleAlreadyHandedOver, "the person is named twice in the handover")
		}
		seen[p] = true
		if _, err := s.needPerson(e, p); err != nil {
			return err
		}
		if err := s.checkHandedOnce(e, m, p, d.Stage); err != nil {
			return err
		}
		if !m.Aboard[p] {
			return s.reject(e, p, "", RuleNotAboard, "the person is not aboard move %s", m.Move.ID)
		}
		holder := s.Persons[p].Location.Authority
		if holder == d.To {
			return s.reject(e, p, "", RuleAlreadyHandedOver, "the person is already in the custody of %s", d.To)
		}
		if e.By.Authority != holder {
			return s.reject(e, p, "", RuleWrongAuthority, "the releasing side must be confirmed by a user of %s, which holds the person, not of %q", holder, e.By.Authority)
		}
		if h := m.PendingHandover(p); h != nil {
			return s.reject(e, p, "", RuleAlreadyHandedOver, "the person is already in handover %d, awaiting the receiving side", h.Seq)
		}
	}
	m = s.editMove(d.Move, u)
	m.Handovers = append(m.Handovers, &Handover{Seq: seq, Stage: d.Stage, From: e.By.Authority, To: d.To,
		ReleasedBy: e.By.User, ReleasedAt: e.OccurredAt, Persons: slices.Clone(d.Persons)})
	for _, p := range d.Persons {
		u.person(p)
	}
	return nil
}

// checkHandedOnce refuses a person already handed over at this stage.
func (s *State) checkHandedOnce(e *Event, m *MoveState, p PersonID, stage HandoverStage) error {
	for _, h := range m.Handovers {
		if at, ok := h.Received[p]; ok && h.Stage == stage {
			return s.reject(e, p, "", RuleAlreadyHandedOver, "the person was already handed over at %s to %s (event %d)", stage, h.To, at)
		}
	}
	return nil
}

func (s *State) applyReceived(seq int64, e *Event, d *HandoverReceived, u *journal) error {
	m, err := s.needMove(e, d.Move, "")
	if err != nil {
		return err
	}
	h := m.Handover(d.Handover)
	if h == nil {
		return s.reject(e, "", "", RuleStage, "event %d is not a handover of move %s", d.Handover, m.Move.ID)
	}
	if e.By.Authority != h.To {
		return s.reject(e, "", "", RuleWrongAuthority, "the receiving side must be confirmed by a user of %s, not of %q", h.To, e.By.Authority)
	}
	if len(d.Persons) == 0 {
		return s.reject(e, "", "", RuleRequired, "the confirmation names nobody")
	}
	if !d.IdentityChecked {
		return s.reject(e, "", "", RuleIdentityCheck, "each person's identity must be checked before custody is accepted")
	}
	seen := map[PersonID]bool{}
	for _, p := range d.Persons {
		if seen[p] {
			return s.reject(e, p, "", RuleAlreadyHandedOver, "the person is named twice in the confirmation")
		}
		seen[p] = true
		if err := s.checkHandedOnce(e, m, p, h.Stage); err != nil {
			return err
		}
		if !slices.Contains(h.Persons, p) {
			return s.reject(e, p, "", RuleNotOnManifest, "the person is not in handover %d", h.Seq)
		}
		if at, ok := h.Refused[p]; ok {
			return s.reject(e, p, "", RuleAlreadyHandedOver, "the person was refused in handover %d (event %d): hand them over again", h.Seq, at)
		}
		if !m.Aboard[p] {
			return s.reject(e, p, "", RuleNotAboard, "the person is no longer aboard move %s", m.Move.ID)
		}
	}
	if h.Stage == AtArrival {
		if err := s.checkRoom(e, m.Move.Destination, len(d.Persons), m.Move.ID); err != nil {
			return err
		}
	}
	m = s.editMove(d.Move, u)
	h = m.Handover(d.Handover)
	if h.Received == nil {
		h.Received = map[PersonID]int64{}
	}
	dest := s.Facilities[m.Move.Destination]
	for _, p := range d.Persons {
		h.Received[p] = seq
		ps := s.Persons[p]
		if h.Stage == AtDeparture {
			l := ps.Location
			l.Authority, l.Since, l.SinceSeq = h.To, e.OccurredAt, seq
			s.setLocation(ps, l, u)
			continue
		}
		if m.HandedOver == nil {
			m.HandedOver = map[PersonID]int64{}
		}
		m.HandedOver[p] = seq
		delete(m.Aboard, p)
		s.setLocation(ps, Location{Status: StatusHeld, Facility: dest.Facility.ID, Authority: dest.Controller, Since: e.OccurredAt, SinceSeq: seq}, u)
	}
	return nil
}

func (s *State) applyRefused(seq int64, e *Event, d *HandoverRefused, u *journal) error {
	m, err := s.needMove(e, d.Move, d.Person)
	if err != nil {
		return err
	}
	h := m.Handover(d.Handover)
	if h == nil {
		return s.reject(e, d.Person, "", RuleStage, "event %d is not a handover of move %s", d.Handover, m.Move.ID)
	}
	if e.By.Authority != h.To {
		return s.reject(e, d.Person, "", RuleWrongAuthority, "only a user of the receiving side %s may refuse, not of %q", h.To, e.By.Authority)
	}
	if !h.Pending(d.Person) || !m.Aboard[d.Person] {
		return s.reject(e, d.Person, "", RuleAlreadyHandedOver, "the person is not awaiting an answer in handover %d", h.Seq)
	}
	if err := s.checkReason(e, d.Person, ListHandoverRefused, d.Reason); err != nil {
		return err
	}
	m = s.editMove(d.Move, u)
	h = m.Handover(d.Handover)
	if h.Refused == nil {
		h.Refused = map[PersonID]int64{}
	}
	h.Refused[d.Person] = seq
	u.person(d.Person)
	return nil
}

// incidentOnMove takes person ps off move id for an escape, a death or a
// medical evacuation on the way, and closes the move's count alerts the
// incident explains.
func (s *State) incidentOnMove(seq int64, e *Event, ps *PersonState, id MoveID, what string, u *journal) error {
	m, err := s.needMove(e, id, ps.Person.ID)
	if err != nil {
		return err
	}
	if l := ps.Location; l.Status != StatusAboard || l.Move != id || !m.Aboard[ps.Person.ID] {
		return s.reject(e, ps.Person.ID, "", RuleNotAboard, "the person is not aboard move %s (status %s)", id, l.Status)
	}
	m = s.editMove(id, u)
	if m.Incidents == nil {
		m.Incidents = map[PersonID]int64{}
	}
	m.Incidents[ps.Person.ID] = seq
	delete(m.Aboard, ps.Person.ID)
	// An alert is explained when the incidents recorded since its count
	// account for the persons missing from it. (Comparing the count with
	// the persons aboard now would be wrong once some have been handed
	// over at arrival.)
	s.closeAlerts(seq, e, m, fmt.Sprintf("the %s of %s (event %d) explains the difference", what, ps.Person.ID, seq),
		func(a *Alert) bool {
			since := 0
			for _, at := range m.Incidents {
				if at > a.Seq {
					since++
				}
			}
			return a.Expected-since == a.Counted
		}, u)
	return nil
}

func (s *State) applyEvacuated(seq int64, e *Event, d *Evacuated, u *journal) error {
	ps, err := s.needPerson(e, d.Person)
	if err != nil {
		return err
	}
	h, err := s.needFacility(e, d.Person, d.Hospital, "hospital")
	if err != nil {
		return err
	}
	if h.Facility.Kind != Hospital {
		return s.reject(e, d.Person, d.Hospital, RuleHospital, "%s is a %s, not a hospital", d.Hospital, h.Facility.Kind)
	}
	if d.Condition == "" {
		return s.reject(e, d.Person, "", RuleRequired, "condition is empty")
	}
	auth := ps.Location.Authority
	if err := s.incidentOnMove(seq, e, ps, d.Move, "medical evacuation", u); err != nil {
		return err
	}
	s.setLocation(ps, Location{Status: StatusHospitalised, Facility: d.Hospital, Authority: auth, Since: e.OccurredAt, SinceSeq: seq}, u)
	return nil
}

func (s *State) applyClosed(seq int64, e *Event, d *MoveClosed, u *journal) error {
	m, err := s.needMove(e, d.Move, "")
	if err != nil {
		return err
	}
	if err := s.needStage(e, m, "", StageArrived); err != nil {
		return err
	}
	if sides := s.moveSides(m); !slices.Contains(sides, e.By.Authority) {
		return s.reject(e, "", "", RuleWrongAuthority, "a move is closed by a user of %v, not of %q", sides, e.By.Authority)
	}
	if err := m.Balance().Check(); err != nil {
		return s.reject(e, "", "", RuleBalance, "move %s cannot close: %v", m.Move.ID, err)
	}
	for _, a := range s.OpenAlerts() {
		if a.Move == m.Move.ID {
			return s.reject(e, "", "", RuleBalance, "move %s cannot close: alert %d is open (%s: counted %d, expected %d)", m.Move.ID, a.Seq, a.Stage, a.Counted, a.Expected)
		}
	}
	m = s.editMove(d.Move, u)
	m.Status, m.Ended = StageClosed, seq
	return nil
}

// moveSides are the authorities a move concerns: the origin's controller,
// the destination's and the escort.
func (s *State) moveSides(m *MoveState) []AuthorityID {
	return []AuthorityID{s.Facilities[m.Move.Origin].Controller, s.Facilities[m.Move.Destination].Controller, m.Move.Escort}
}

func (s *State) applyAborted(seq int64, e *Event, d *MoveAborted, u *journal) error {
	m, err := s.needMove(e, d.Move, "")
	if err != nil {
		return err
	}
	if err := s.needStage(e, m, "", StagePlanned, StageBoarding); err != nil {
		return err
	}
	if err := s.checkReason(e, "", ListMoveAborted, d.Reason); err != nil {
		return err
	}
	if sides := s.moveSides(m); !slices.Contains(sides, e.By.Authority) {
		return s.reject(e, "", "", RuleWrongAuthority, "a move is aborted by a user of %v, not of %q", sides, e.By.Authority)
	}
	m = s.editMove(d.Move, u)
	origin := s.Facilities[m.Move.Origin]
	for _, p := range slices.Sorted(maps.Keys(m.Aboard)) {
		s.setLocation(s.Persons[p], Location{Status: StatusHeld, Facility: origin.Facility.ID, Authority: origin.Controller, Since: e.OccurredAt, SinceSeq: seq}, u)
	}
	for _, st := range m.Manifest {
		u.person(st.Person)
	}
	m.Aboard = nil
	m.Status, m.Ended = StageAborted, seq
	return nil
}
