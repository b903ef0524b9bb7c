package custody

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// AllocationState is an allocation and the moves planned under it.
type AllocationState struct {
	Allocation Allocation `json:"allocation"`
	Created    int64      `json:"created"` // log index
	Moves      []MoveID   `json:"moves"`
}

// Handover is one two-sided handover of persons aboard a move: opened by
// the releasing side's confirmation (log index Seq), completed person by
// person by the receiving side.
type Handover struct {
	Seq        int64              `json:"seq"`
	Stage      HandoverStage      `json:"stage"`
	From       AuthorityID        `json:"from"`
	To         AuthorityID        `json:"to"`
	ReleasedBy string             `json:"released_by"`
	ReleasedAt time.Time          `json:"released_at"`
	Persons    []PersonID         `json:"persons"`
	Received   map[PersonID]int64 `json:"received,omitempty"` // log index of the confirmation
	Refused    map[PersonID]int64 `json:"refused,omitempty"`
}

// Pending reports whether person p awaits the receiving side's answer.
func (h *Handover) Pending(p PersonID) bool {
	if !slices.Contains(h.Persons, p) {
		return false
	}
	_, rec := h.Received[p]
	_, ref := h.Refused[p]
	return !rec && !ref
}

// Count is a headcount taken on a move, and what was expected.
type Count struct {
	Seq      int64     `json:"seq"`
	Stage    string    `json:"stage"` // "departure", "leg 2", "arrival"
	Expected int       `json:"expected"`
	Counted  int       `json:"counted"`
	At       time.Time `json:"at"`
}

// NotBoardedEntry is why a manifested person did not board.
type NotBoardedEntry struct {
	Seq    int64  `json:"seq"`
	Reason Reason `json:"reason"`
}

// MoveState is a move and everything that has happened to it.
type MoveState struct {
	Move       Move                         `json:"move"`
	Status     MoveStatus                   `json:"status"`
	Planned    int64                        `json:"planned"`
	Frozen     int64                        `json:"frozen,omitempty"` // log index of the start of boarding
	Manifest   []Seat                       `json:"manifest"`         // by vehicle and seat
	Boarded    map[PersonID]int64           `json:"boarded,omitempty"`
	NotBoarded map[PersonID]NotBoardedEntry `json:"not_boarded,omitempty"`
	Aboard     map[PersonID]bool            `json:"aboard,omitempty"`
	Handovers  []*Handover                  `json:"handovers,omitempty"`
	HandedOver map[PersonID]int64           `json:"handed_over,omitempty"` // received at arrival
	Incidents  map[PersonID]int64           `json:"incidents,omitempty"`   // escape, death or evacuation on the way
	Counts     []Count                      `json:"counts,omitempty"`
	Departed   time.Time                    `json:"departed,omitzero"`
	Arrived    time.Time                    `json:"arrived,omitzero"`
	Ended      int64                        `json:"ended,omitempty"` // log index of the close or abort
}

// clone returns a deep copy, so that a rejected request can restore the
// move as it was.
func (m *MoveState) clone() *MoveState {
	c := *m
	c.Manifest = slices.Clone(m.Manifest)
	c.Boarded = maps.Clone(m.Boarded)
	c.NotBoarded = maps.Clone(m.NotBoarded)
	c.Aboard = maps.Clone(m.Aboard)
	c.HandedOver = maps.Clone(m.HandedOver)
	c.Incidents = maps.Clone(m.Incidents)
	c.Counts = slices.Clone(m.Counts)
	c.Handovers = nil // nil stays nil: an undone request leaves the move exactly as it was
	if m.Handovers != nil {
		c.Handovers = make([]*Handover, len(m.Handovers))
	}
	for i, h := range m.Handovers {
		hc := *h
		hc.Persons = slices.Clone(h.Persons)
		hc.Received = maps.Clone(h.Received)
		hc.Refused = maps.Clone(h.Refused)
		c.Handovers[i] = &hc
	}
	return &c
}

// SeatOf returns the manifest line of person p.
func (m *MoveState) SeatOf(p PersonID) (Seat, bool) {
	for _, s := range m.Manifest {
		if s.Person == p {
			return s, true
		}
	}
	return Seat{}, false
}

// Handover returns the handover opened at log index seq.
func (m *MoveState) Handover(seq int64) *Handover {
	for _, h := range m.Handovers {
		if h.Seq == seq {
			return h
		}
	}
	return nil
}

// PendingHandover returns the open handover person p is in, if any.
func (m *MoveState) PendingHandover(p PersonID) *Handover {
	for _, h := range m.Handovers {
		if h.Pending(p) {
			return h
		}
	}
	return nil
}

// Balance is a move's counts: manifested = boarded + not boarded (and
// unresolved, until every manifested person is one or the other); boarded
// = handed over + incidents + still aboard.
type Balance struct {
	Manifested int `json:"manifested"`
	Boarded    int `json:"boarded"`
	NotBoarded int `json:"not_boarded"`
	Unresolved int `json:"unresolved"` // manifested, neither boarded nor not boarded
	HandedOver int `json:"handed_over"`
	Incidents  int `json:"incidents"`
	Aboard     int `json:"aboard"`
}

// Balance returns the move's counts.
func (m *MoveState) Balance() Balance {
	b := Balance{Manifested: len(m.Manifest), Boarded: len(m.Boarded), NotBoarded: len(m.NotBoarded),
		HandedOver: len(m.HandedOver), Incidents: len(m.Incidents), Aboard: len(m.Aboard)}
	b.Unresolved = b.Manifested - b.Boarded - b.NotBoarded
	return b
}

// Check returns why the counts do not balance, or nil: manifested must
// equal boarded + not boarded, and boarded must equal handed over +
// incidents, with nobody left aboard.
func (b Balance) Check() error {
	switch {
	case b.Manifested != b.Boarded+b.NotBoarded:
		return fmt.Errorf("manifested %d ≠ boarded %d + not boarded %d (%d unresolved)", b.Manifested, b.Boarded, b.NotBoarded, b.Unresolved)
	case b.Boarded != b.HandedOver+b.Incidents:
		return fmt.Errorf("boarded %d ≠ handed over %d + incidents on the way %d (%d still aboard)", b.Boarded, b.HandedOver, b.Incidents, b.Aboard)
	case b.Aboard != 0:
		return fmt.Errorf("%d persons are still aboard", b.Aboard)
	}
	return nil
}

// AlertKind says what an alert is about.
type AlertKind string

// Alert kinds.
const (
	AlertCount AlertKind = "count" // a headcount differs from the persons aboard
)

// Alert is a discrepancy that stays open until an event explains it.
type Alert struct {
	Seq         int64     `json:"seq"`
	Kind        AlertKind `json:"kind"`
	Move        MoveID    `json:"move"`
	Stage       string    `json:"stage"`
	Expected    int       `json:"expected"`
	Counted     int       `json:"counted"`
	At          time.Time `json:"at"`
	ClosedBy    int64     `json:"closed_by,omitempty"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	Explanation string    `json:"explanation,omitempty"`
}

// Open reports whether the alert is still open.
func (a *Alert) Open() bool { return a.ClosedBy == 0 }

// String describes the alert in one line.
func (a *Alert) String() string {
	s := fmt.Sprintf("alert %d: move %s, %s: counted %d, expected %d", a.Seq, a.Move, a.Stage, a.Counted, a.Expected)
	if !a.Open() {
		s += fmt.Sprintf(" — closed by event %d: %s", a.ClosedBy, a.Explanation)
	}
	return s
}

// OpenAlerts returns the open alerts, by log index.
func (s *State) OpenAlerts() []*Alert {
	var out []*Alert
	for _, k := range slices.Sorted(maps.Keys(s.Alerts)) {
		if a := s.Alerts[k]; a.Open() {
			out = append(out, a)
		}
	}
	return out
}
