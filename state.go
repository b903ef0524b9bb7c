package custody

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Status is where a person is, in or out of custody.
type Status string

// Statuses. Held and Hospitalised are in custody, in a facility; the others
// are stated out-of-custody states. The empty status is "nowhere", which the
// conservation invariant forbids at the end of every request.
const (
	StatusHeld         Status = "held"
	StatusHospitalised Status = "hospitalised"
	StatusReleased     Status = "released"
	StatusEscaped      Status = "escaped" // at large; the escape clock runs
	StatusDeceased     Status = "deceased"
	StatusAboard       Status = "aboard" // aboard a move, in the custody of its escort or the releasing authority
)

// OnRoll reports whether the status puts the person on a facility's roll
// (held there, or in hospital).
func (s Status) OnRoll() bool { return s == StatusHeld || s == StatusHospitalised }

// InCustody reports whether the person is in someone's custody: on a roll
// or aboard a move.
func (s Status) InCustody() bool { return s.OnRoll() || s == StatusAboard }

// Location is where a person is now and in whose custody.
type Location struct {
	Status    Status      `json:"status"`
	Facility  FacilityID  `json:"facility,omitempty"`
	Move      MoveID      `json:"move,omitempty"`      // the move aboard which, when aboard
	Authority AuthorityID `json:"authority,omitempty"` // in whose custody, when in custody
	Since     time.Time   `json:"since"`               // occurred_at of the event that put them here
	SinceSeq  int64       `json:"since_seq"`           // log index of that event
	Escape    int64       `json:"escape,omitempty"`    // the open escape's log index, while at large
}

// PersonState is a person's identity and current location.
type PersonState struct {
	Person     Person   `json:"person"`
	Registered int64    `json:"registered"` // log index of the registration
	Identity   []int64  `json:"identity"`   // log indexes of the registration and every correction
	Location   Location `json:"location"`
	Merged     *Merge   `json:"merged,omitempty"` // the merge in force, while the record is merged into another
}

// ControlPeriod is one period of a facility's control by an authority.
type ControlPeriod struct {
	Authority AuthorityID `json:"authority"`
	From      time.Time   `json:"from"`
	Seq       int64       `json:"seq"`
}

// FacilityState is a facility, who controls it now and since when, and how
// many persons it holds.
type FacilityState struct {
	Facility   Facility        `json:"facility"`
	Controller AuthorityID     `json:"controller"`
	Control    []ControlPeriod `json:"control"`
	Count      int             `json:"count"` // maintained by events; must equal the roll
}

// Escape is a "missing from custody" clock: open from the escape until a
// recapture (or a death) closes it.
type Escape struct {
	Seq      int64      `json:"seq"`
	Person   PersonID   `json:"person"`
	Facility FacilityID `json:"facility"`       // where from, or empty if from a move
	Move     MoveID     `json:"move,omitempty"` // the move escaped from
	At       time.Time  `json:"at"`
	ClosedBy int64      `json:"closed_by,omitempty"` // log index of the recapture or death
	ClosedAt time.Time  `json:"closed_at,omitzero"`
}

// Open reports whether the clock still runs.
func (e *Escape) Open() bool { return e.ClosedBy == 0 }

// State is the current state of the operation: a projection of the log.
// It is not safe for concurrent use; the store's one writer owns it.
type State struct {
	Authorities map[AuthorityID]*Authority
	Facilities  map[FacilityID]*FacilityState
	Persons     map[PersonID]*PersonState
	Escapes     map[int64]*Escape
	References  map[ListID][]*ReferenceList // every version of each list
	Allocations map[AllocationID]*AllocationState
	Moves       map[MoveID]*MoveState
	Alerts      map[int64]*Alert
	Inquiries   map[InquiryID]*InquiryState
	// Legal proceedings and consular matters.
	Cases          map[CaseID]*CaseState
	Exposures      map[int64]*Exposure // death-penalty alerts, by Exposure.Key
	Notifications  map[NotificationID]*Notification
	Repatriations  map[RepatriationID]*RepatriationState
	ChargeLists    []*ChargeList    // every version of the charges
	PositionTables []*PositionTable // every version of the death-penalty positions
	roll           map[FacilityID]map[PersonID]struct{}
	casesOf        map[PersonID][]CaseID
	alertsOf       map[CaseID][]int64 // keys of each case's death-penalty alerts, oldest first
}

// NewState returns an empty state.
func NewState() *State {
	return &State{
		Authorities:   map[AuthorityID]*Authority{},
		Facilities:    map[FacilityID]*FacilityState{},
		Persons:       map[PersonID]*PersonState{},
		Escapes:       map[int64]*Escape{},
		References:    map[ListID][]*ReferenceList{},
		Allocations:   map[AllocationID]*AllocationState{},
		Moves:         map[MoveID]*MoveState{},
		Alerts:        map[int64]*Alert{},
		Inquiries:     map[InquiryID]*InquiryState{},
		Cases:         map[CaseID]*CaseState{},
		Exposures:     map[int64]*Exposure{},
		Notifications: map[NotificationID]*Notification{},
		Repatriations: map[RepatriationID]*RepatriationState{},
		roll:          map[FacilityID]map[PersonID]struct{}{},
		casesOf:       map[PersonID][]CaseID{},
		alertsOf:      map[CaseID][]int64{},
	}
}

// Roll returns the persons held in facility f (not its sections), sorted.
func (s *State) Roll(f FacilityID) []PersonID {
	ids := make([]PersonID, 0, len(s.roll[f]))
	for id := range s.roll[f] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Sections returns the facilities whose parent is f, sorted.
func (s *State) Sections(f FacilityID) []FacilityID {
	var ids []FacilityID
	for id, fs := range s.Facilities {
		if fs.Facility.Parent == f {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// controlScope is the facility and its sections.
func (s *State) controlScope(f FacilityID) []FacilityID {
	return append([]FacilityID{f}, s.Sections(f)...)
}

// Change lists what one event changed in the state: the rows of current
// state a store must rewrite, and the persons whose timeline the event is
// part of.
type Change struct {
	Persons       []PersonID
	Facilities    []FacilityID
	Authorities   []AuthorityID
	Escapes       []int64
	References    []ListID
	Allocations   []AllocationID
	Moves         []MoveID
	Alerts        []int64
	Inquiries     []InquiryID
	Cases         []CaseID
	Exposures     []int64
	Notifications []NotificationID
	Repatriations []RepatriationID
	Legal         []LegalRef
}

// journal collects the inverse of each mutation, so that a failed request,
// or a transaction that did not commit, leaves the state as it was, and what
// each event changed.
type journal struct {
	undo []func()
	ch   *Change
	seen map[PersonID]bool // persons already in ch, once ch is large
	// moves copied before this request first changed them: the undo puts
	// the copy back.
	copied map[MoveID]bool
	// persons the current event put in a new authority's custody, and
	// persons it took out of custody for good: apply derives consular
	// notifications and ends death-penalty alerts from them.
	custody []PersonID
	ended   []PersonID
}

func (u *journal) add(f func()) { u.undo = append(u.undo, f) }

func (u *journal) run() {
	for i := len(u.undo) - 1; i >= 0; i-- {
		u.undo[i]()
	}
}

func (u *journal) person(id PersonID) {
	// A control change touches tens of thousands of persons: past a few,
	// look them up in a set rather than the list.
	if len(u.ch.Persons) < 16 {
		if !slices.Contains(u.ch.Persons, id) {
			u.ch.Persons = append(u.ch.Persons, id)
		}
		return
	}
	if u.seen == nil {
		u.seen = make(map[PersonID]bool, 2*len(u.ch.Persons))
		for _, p := range u.ch.Persons {
			u.seen[p] = true
		}
	}
	if !u.seen[id] {
		u.seen[id] = true
		u.ch.Persons = append(u.ch.Persons, id)
	}
}

func (u *journal) inquiry(id InquiryID) {
	if !slices.Contains(u.ch.Inquiries, id) {
		u.ch.Inquiries = append(u.ch.Inquiries, id)
	}
}

func (u *journal) caseChanged(id CaseID) {
	if !slices.Contains(u.ch.Cases, id) {
		u.ch.Cases = append(u.ch.Cases, id)
	}
}

func (u *journal) exposure(key int64) {
	if !slices.Contains(u.ch.Exposures, key) {
		u.ch.Exposures = append(u.ch.Exposures, key)
	}
}

func (u *journal) notification(id NotificationID) {
	// A control change may create thousands: they are new, so no
	// duplicate check is needed past the first few.
	if len(u.ch.Notifications) > 16 || !slices.Contains(u.ch.Notifications, id) {
		u.ch.Notifications = append(u.ch.Notifications, id)
	}
}

func (u *journal) repatriation(id RepatriationID) {
	if !slices.Contains(u.ch.Repatriations, id) {
		u.ch.Repatriations = append(u.ch.Repatriations, id)
	}
}

func (u *journal) facility(id FacilityID) {
	if !slices.Contains(u.ch.Facilities, id) {
		u.ch.Facilities = append(u.ch.Facilities, id)
	}
}

// ApplyAll applies events as one request: the first gets log index first,
// the next first+1, and so on. Either every event applies and the
// conservation invariant holds for every person they touch, or the state is
// unchanged and the error names the event, the person and the rule. The
// returned undo function reverts the whole request (used when the store
// fails to commit it).
//
// The changes returned are one per event, in order.
func (s *State) ApplyAll(first int64, events []Event) (undo func(), changes []Change, err error) {
	return s.ApplyAllChecked(first, events, nil)
}

// ApplyAllChecked is ApplyAll with check (if not nil) run before each event
// against the state the event applies to: after the request's earlier
// events (a case opened and charged in one request is checked as such).
// A check's error rejects the whole request, as a rule would.
func (s *State) ApplyAllChecked(first int64, events []Event, check func(*State, *Event) error) (undo func(), changes []Change, err error) {
	u := &journal{}
	changes = make([]Change, len(events))
	touched := map[PersonID]*Event{} // the last event of the request naming each person
	for i := range events {
		e := &events[i]
		u.ch, u.seen = &changes[i], nil
		if check != nil {
			if err := check(s, e); err != nil {
				u.run()
				return nil, nil, err
			}
		}
		if err := s.apply(first+int64(i), e, u); err != nil {
			u.run()
			return nil, nil, err
		}
		ps, _ := e.Subjects()
		for _, p := range ps {
			touched[p] = e
		}
	}
	for _, p := range slices.Sorted(maps.Keys(touched)) {
		if err := s.checkPlaced(touched[p], p); err != nil {
			u.run()
			return nil, nil, err
		}
	}
	return u.run, changes, nil
}

// Apply applies one event as a request of its own.
func (s *State) Apply(seq int64, e Event) error {
	_, _, err := s.ApplyAll(seq, []Event{e})
	return err
}

// Replay applies one event already in the log, checking each event's rules
// but not the end-of-request placement (a registration and its admission
// are separate log entries). After a replay, CheckInvariants checks the
// whole state.
func (s *State) Replay(seq int64, e *Event) (Change, error) {
	u := &journal{ch: &Change{}}
	if err := s.apply(seq, e, u); err != nil {
		u.run()
		return Change{}, err
	}
	return *u.ch, nil
}

// Parts are the stored parts of a state (a store's projections).
type Parts struct {
	Authorities    []*Authority
	Facilities     []*FacilityState
	Persons        []*PersonState
	Escapes        []*Escape
	References     []*ReferenceList
	Allocations    []*AllocationState
	Moves          []*MoveState
	Alerts         []*Alert
	Inquiries      []*InquiryState
	Cases          []*CaseState
	Exposures      []*Exposure
	Notifications  []*Notification
	Repatriations  []*RepatriationState
	ChargeLists    []*ChargeList
	PositionTables []*PositionTable
}

// Restore rebuilds a state from its stored parts. Rolls are rebuilt from
// the persons' locations; counts are kept as stored, so CheckInvariants
// shows any disagreement.
func Restore(parts Parts) *State {
	s := NewState()
	for _, a := range parts.Authorities {
		s.Authorities[a.ID] = a
	}
	for _, f := range parts.Facilities {
		s.Facilities[f.Facility.ID] = f
	}
	for _, p := range parts.Persons {
		s.Persons[p.Person.ID] = p
		if l := p.Location; l.Status.OnRoll() {
			r := s.roll[l.Facility]
			if r == nil {
				r = map[PersonID]struct{}{}
				s.roll[l.Facility] = r
			}
			r[p.Person.ID] = struct{}{}
		}
	}
	for _, e := range parts.Escapes {
		s.Escapes[e.Seq] = e
	}
	lists := slices.Clone(parts.References)
	slices.SortFunc(lists, func(a, b *ReferenceList) int { return cmp.Compare(a.Seq, b.Seq) })
	for _, l := range lists {
		s.References[l.List] = append(s.References[l.List], l)
	}
	for _, a := range parts.Allocations {
		s.Allocations[a.Allocation.ID] = a
	}
	for _, m := range parts.Moves {
		s.Moves[m.Move.ID] = m
	}
	for _, a := range parts.Alerts {
		s.Alerts[a.Seq] = a
	}
	for _, q := range parts.Inquiries {
		s.Inquiries[q.Inquiry.ID] = q
	}
	cases := slices.Clone(parts.Cases)
	slices.SortFunc(cases, func(a, b *CaseState) int { return cmp.Compare(a.Opened, b.Opened) })
	for _, c := range cases {
		s.Cases[c.Case.ID] = c
		s.casesOf[c.Case.Person] = append(s.casesOf[c.Case.Person], c.Case.ID)
	}
	exps := slices.SortedFunc(slices.Values(parts.Exposures), func(a, b *Exposure) int { return cmp.Compare(a.Key(), b.Key()) })
	for _, x := range exps {
		s.Exposures[x.Key()] = x
		s.alertsOf[x.Case] = append(s.alertsOf[x.Case], x.Key())
	}
	for _, n := range parts.Notifications {
		s.Notifications[n.ID] = n
	}
	for _, r := range parts.Repatriations {
		s.Repatriations[r.Request.ID] = r
	}
	s.ChargeLists = slices.SortedFunc(slices.Values(parts.ChargeLists), func(a, b *ChargeList) int { return cmp.Compare(a.Version, b.Version) })
	s.PositionTables = slices.SortedFunc(slices.Values(parts.PositionTables), func(a, b *PositionTable) int { return cmp.Compare(a.Version, b.Version) })
	return s
}

// checkPlaced checks, at the end of a request, the place of person id, whom
// event e (the last of the request to name them) left there.
func (s *State) checkPlaced(e *Event, id PersonID) error {
	ps, ok := s.Persons[id]
	if !ok {
		return nil
	}
	if err := s.checkLocation(ps); err != nil {
		return &Error{Code: Invalid, Rule: RuleConservation, Event: e.Type, Key: e.Key, Person: id, Msg: err.Error()}
	}
	return nil
}

// checkLocation checks that a person is in exactly one place or a stated
// out-of-custody state.
func (s *State) checkLocation(ps *PersonState) error {
	l := ps.Location
	switch l.Status {
	case StatusHeld, StatusHospitalised:
		if _, ok := s.Facilities[l.Facility]; !ok {
			return fmt.Errorf("status %s in unknown facility %q", l.Status, l.Facility)
		}
		if _, ok := s.roll[l.Facility][ps.Person.ID]; !ok {
			return fmt.Errorf("status %s in %s but not on its roll", l.Status, l.Facility)
		}
		if l.Authority == "" {
			return fmt.Errorf("status %s in %s in nobody's custody", l.Status, l.Facility)
		}
	case StatusAboard:
		m, ok := s.Moves[l.Move]
		switch {
		case !ok:
			return fmt.Errorf("aboard unknown move %q", l.Move)
		case !m.Aboard[ps.Person.ID]:
			return fmt.Errorf("aboard move %s but not on its list of persons aboard", l.Move)
		case l.Authority == "":
			return fmt.Errorf("aboard move %s in nobody's custody", l.Move)
		case l.Facility != "":
			return fmt.Errorf("aboard move %s but also placed in %s", l.Move, l.Facility)
		}
	case StatusReleased, StatusDeceased:
		if l.Facility != "" {
			return fmt.Errorf("status %s but still placed in %s", l.Status, l.Facility)
		}
	case StatusRepatriated:
		if l.Facility != "" || l.Move != "" {
			return fmt.Errorf("status %s but still placed in %q%q", l.Status, l.Facility, l.Move)
		}
		if a := s.Authorities[l.Authority]; a == nil || a.Kind != ForeignState {
			return fmt.Errorf("repatriated to %q, which is not a foreign state's authority", l.Authority)
		}
	case StatusEscaped:
		if e, ok := s.Escapes[l.Escape]; !ok || !e.Open() {
			return fmt.Errorf("status escaped without an open escape clock")
		}
	case StatusMerged:
		if ps.Merged == nil || l.Facility != "" {
			return fmt.Errorf("status merged without a merge in force, or still placed in %q", l.Facility)
		}
		if _, ok := s.Persons[ps.Merged.Into]; !ok {
			return fmt.Errorf("merged into unknown person %q", ps.Merged.Into)
		}
	case "":
		return fmt.Errorf("registered but placed nowhere: admit the person in the same request")
	default:
		return fmt.Errorf("unknown status %q", l.Status)
	}
	return nil
}

// CheckInvariants checks the whole state: conservation (each person in
// exactly one place or a stated out-of-custody state, on exactly one roll)
// and counts (each facility's count equals its roll). It returns every
// violation, sorted, or nil.
func CheckInvariants(s *State) []error {
	var errs []error
	onRolls := map[PersonID]FacilityID{}
	for _, f := range slices.Sorted(maps.Keys(s.roll)) {
		for _, p := range s.Roll(f) {
			if other, dup := onRolls[p]; dup {
				errs = append(errs, &Error{Code: Internal, Rule: RuleConservation, Person: p, Msg: fmt.Sprintf("on the rolls of both %s and %s", other, f)})
			}
			onRolls[p] = f
			if _, ok := s.Persons[p]; !ok {
				errs = append(errs, &Error{Code: Internal, Rule: RuleUnknownPerson, Person: p, Facility: f, Msg: "on a roll but never registered"})
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.Persons)) {
		ps := s.Persons[id]
		if err := s.checkLocation(ps); err != nil {
			errs = append(errs, &Error{Code: Internal, Rule: RuleConservation, Person: id, Msg: err.Error()})
		}
		if f, ok := onRolls[id]; ok && (!ps.Location.Status.OnRoll() || ps.Location.Facility != f) {
			errs = append(errs, &Error{Code: Internal, Rule: RuleConservation, Person: id, Facility: f, Msg: fmt.Sprintf("on the roll of %s but status %s in %q", f, ps.Location.Status, ps.Location.Facility)})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.Facilities)) {
		if c, n := s.Facilities[id].Count, len(s.roll[id]); c != n {
			errs = append(errs, &Error{Code: Internal, Rule: RuleCounts, Facility: id, Msg: fmt.Sprintf("count %d but %d on the roll", c, n)})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.Moves)) {
		m := s.Moves[id]
		for _, p := range slices.Sorted(maps.Keys(m.Aboard)) {
			if ps, ok := s.Persons[p]; !ok || ps.Location.Status != StatusAboard || ps.Location.Move != id {
				errs = append(errs, &Error{Code: Internal, Rule: RuleConservation, Person: p, Msg: fmt.Sprintf("aboard move %s by its list, but not by the person's location", id)})
			}
		}
		if b := m.Balance(); m.Status != StageAborted && (b.Boarded != b.HandedOver+b.Incidents+b.Aboard || b.Unresolved < 0) {
			errs = append(errs, &Error{Code: Internal, Rule: RuleBalance, Msg: fmt.Sprintf("move %s: counts do not add up: %+v", id, b)})
		}
		if m.Status == StageClosed {
			if err := m.Balance().Check(); err != nil {
				errs = append(errs, &Error{Code: Internal, Rule: RuleBalance, Msg: fmt.Sprintf("move %s is closed but its counts do not balance: %v", id, err)})
			}
		}
	}
	for _, a := range s.OpenAlerts() {
		if _, ok := s.Moves[a.Move]; !ok {
			errs = append(errs, &Error{Code: Internal, Rule: RuleBalance, Msg: fmt.Sprintf("alert %d names unknown move %s", a.Seq, a.Move)})
		}
	}
	return errs
}
