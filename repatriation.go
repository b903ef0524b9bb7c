package custody

import (
	"fmt"
	"slices"
	"time"
)

// Repatriation. A state asks for named nationals (men, and women and
// children in the camps); the authority holding each person decides; the
// person is handed over to the state's authority, both sides confirming,
// after which they are out of custody, "repatriated", and their record is
// closed: kept, never deleted, with nothing more recorded on it.

// RepatriationID identifies a repatriation request.
type RepatriationID string

// Event types of repatriation.
const (
	TypeRepatriationRequested EventType = "repatriation.requested"
	TypeRepatriationDecided   EventType = "repatriation.decided"
	TypeRepatriationReleased  EventType = "repatriation.released"
	TypeRepatriationReceived  EventType = "repatriation.received"
)

// StatusRepatriated is the out-of-custody state of a person handed over to
// their state: the record is closed.
const StatusRepatriated Status = "repatriated"

// Rules of repatriation.
const (
	RuleRepatriation Rule = "repatriation" // requested by the person's state, decided by the holder, handed over by both sides
	RuleClosed       Rule = "closed"       // nothing is recorded on a closed (repatriated) record
)

// RepatriationRequest is what a state asks.
type RepatriationRequest struct {
	ID        RepatriationID `json:"id"`
	Country   string         `json:"country"`   // the requesting state
	Authority AuthorityID    `json:"authority"` // the state's authority that will receive them
	Persons   []PersonID     `json:"persons"`
	Note      string         `json:"note,omitempty"`
}

// Refusal is a holder's refusal to repatriate one person, with its reason.
type Refusal struct {
	Person PersonID `json:"person"`
	Reason string   `json:"reason"`
}

// RepatriationRequested records a state's request.
type RepatriationRequested struct {
	Request RepatriationRequest `json:"request"`
}

// RepatriationDecided records the holder's decision on some of the persons
// requested.
type RepatriationDecided struct {
	Request  RepatriationID `json:"request"`
	Approved []PersonID     `json:"approved,omitempty"`
	Refused  []Refusal      `json:"refused,omitempty"`
}

// RepatriationReleased is the holder's side of the handover: it releases
// approved persons to the state's authority at a place.
type RepatriationReleased struct {
	Request RepatriationID `json:"request"`
	Persons []PersonID     `json:"persons"`
	Place   string         `json:"place"` // the handover point
}

// RepatriationReceived is the state's side: it receives persons released
// to it, who leave custody, repatriated.
type RepatriationReceived struct {
	Request RepatriationID `json:"request"`
	Persons []PersonID     `json:"persons"`
}

func (*RepatriationRequested) EventType() EventType { return TypeRepatriationRequested }
func (*RepatriationDecided) EventType() EventType   { return TypeRepatriationDecided }
func (*RepatriationReleased) EventType() EventType  { return TypeRepatriationReleased }
func (*RepatriationReceived) EventType() EventType  { return TypeRepatriationReceived }

// Repatriation decisions of one person.
const (
	RepatriationApproved = "approved"
	RepatriationRefused  = "refused"
)

// Repatriate is where one person of a request stands.
type Repatriate struct {
	Person     PersonID    `json:"person"`
	Decision   string      `json:"decision,omitempty"` // approved, refused, or empty while undecided
	Reason     string      `json:"reason,omitempty"`   // of a refusal
	DecidedBy  AuthorityID `json:"decided_by,omitempty"`
	Decided    int64       `json:"decided,omitempty"`
	Released   int64       `json:"released,omitempty"`
	ReleasedBy AuthorityID `json:"released_by,omitempty"`
	Place      string      `json:"place,omitempty"`
	Received   int64       `json:"received,omitempty"`
	ReceivedAt time.Time   `json:"received_at,omitzero"`
}

// RepatriationState is a request and where each of its persons stands.
type RepatriationState struct {
	Request     RepatriationRequest `json:"request"`
	Requested   int64               `json:"requested"`
	RequestedAt time.Time           `json:"requested_at"`
	By          string              `json:"by"`
	Persons     []Repatriate        `json:"persons"`
	Closed      bool                `json:"closed"` // every person refused or received
}

func (r *RepatriationState) find(p PersonID) int {
	return slices.IndexFunc(r.Persons, func(x Repatriate) bool { return x.Person == p })
}

func (s *State) applyRepatriationRequested(seq int64, e *Event, d *RepatriationRequested, u *journal) error {
	q := d.Request
	switch {
	case q.ID == "":
		return s.reject(e, "", "", RuleRequired, "request id is empty")
	case len(q.Persons) == 0:
		return s.reject(e, "", "", RuleRequired, "a request names at least one person")
	}
	if _, dup := s.Repatriations[q.ID]; dup {
		return s.reject(e, "", "", RuleDuplicate, "repatriation request %s is already recorded", q.ID)
	}
	if err := s.needAuthority(e, "", "", q.Authority, "authority"); err != nil {
		return err
	}
	if a := s.Authorities[q.Authority]; a.Kind != ForeignState || a.Country != q.Country {
		return s.reject(e, "", "", RuleRepatriation, "authority %s is not the foreign-state authority of %s", q.Authority, q.Country)
	}
	for i, p := range q.Persons {
		ps, err := s.needPerson(e, p)
		if err != nil {
			return err
		}
		switch {
		case !slices.Contains(ps.Person.Nationalities, q.Country):
			return s.reject(e, p, "", RuleRepatriation, "person %d (%s) is not a national of %s", i+1, p, q.Country)
		case !ps.Location.Status.InCustody():
			return s.reject(e, p, "", RuleRepatriation, "person %d (%s) is not in custody (status %s)", i+1, p, ps.Location.Status)
		case slices.Contains(q.Persons[:i], p):
			return s.reject(e, p, "", RuleRepatriation, "person %d (%s) is named twice", i+1, p)
		}
		if other := s.pendingRepatriation(p); other != "" {
			return s.reject(e, p, "", RuleRepatriation, "person %d (%s) is already in request %s", i+1, p, other)
		}
	}
	r := &RepatriationState{Request: q, Requested: seq, RequestedAt: e.OccurredAt, By: e.By.User}
	for _, p := range q.Persons {
		r.Persons = append(r.Persons, Repatriate{Person: p})
	}
	s.Repatriations[q.ID] = r
	u.add(func() { delete(s.Repatriations, q.ID) })
	u.repatriation(q.ID)
	for _, p := range q.Persons {
		u.person(p)
	}
	return nil
}

// pendingRepatriation returns the open request a person is in and not yet
// refused or received, or "".
func (s *State) pendingRepatriation(p PersonID) RepatriationID {
	for id, r := range s.Repatriations {
		if r.Closed {
			continue
		}
		if i := r.find(p); i >= 0 && r.Persons[i].Decision != RepatriationRefused && r.Persons[i].Received == 0 {
			return id
		}
	}
	return ""
}

// openRepatriation finds request id, not closed.
func (s *State) openRepatriation(e *Event, id RepatriationID) (*RepatriationState, error) {
	r, ok := s.Repatriations[id]
	switch {
	case id == "":
		return nil, s.reject(e, "", "", RuleRequired, "request is empty")
	case !ok:
		return nil, &Error{Code: NotFound, Rule: RuleRepatriation, Event: e.Type, Key: e.Key, Msg: fmt.Sprintf("no repatriation request %q", id)}
	case r.Closed:
		return nil, s.reject(e, "", "", RuleRepatriation, "repatriation request %s is closed", id)
	}
	return r, nil
}

// change copies the request for undo, lets f change the copy's persons and
// installs it.
func (s *State) changeRepatriation(r *RepatriationState, u *journal, f func(ps []Repatriate)) {
	old := *r
	r.Persons = slices.Clone(r.Persons)
	f(r.Persons)
	r.Closed = !slices.ContainsFunc(r.Persons, func(x Repatriate) bool { return x.Decision != RepatriationRefused && x.Received == 0 })
	u.add(func() { *r = old })
	u.repatriation(r.Request.ID)
}

// heldBy requires person p of request r to be in custody of the event's
// authority, held in a facility.
func (s *State) heldBy(e *Event, r *RepatriationState, p PersonID) (int, error) {
	i := r.find(p)
	if i < 0 {
		return 0, s.reject(e, p, "", RuleRepatriation, "%s is not in request %s", p, r.Request.ID)
	}
	ps, err := s.needPerson(e, p)
	if err != nil {
		return 0, err
	}
	if l := ps.Location; l.Status != StatusHeld || l.Authority != e.By.Authority {
		return 0, s.reject(e, p, "", RuleWrongAuthority, "%s is not held by %s (status %s, custody %s): the holder decides and hands over", p, e.By.Authority, l.Status, l.Authority)
	}
	return i, nil
}

func (s *State) applyRepatriationDecided(seq int64, e *Event, d *RepatriationDecided, u *journal) error {
	r, err := s.openRepatriation(e, d.Request)
	if err != nil {
		return err
	}
	if len(d.Approved)+len(d.Refused) == 0 {
		return s.reject(e, "", "", RuleRequired, "a decision approves or refuses at least one person")
	}
	type dec struct {
		i      int
		reason string
	}
	var decs []dec
	seen := map[PersonID]bool{}
	add := func(p PersonID, reason string) error {
		i, err := s.heldBy(e, r, p)
		if err != nil {
			return err
		}
		if seen[p] || r.Persons[i].Decision != "" {
			return s.reject(e, p, "", RuleRepatriation, "%s is already decided", p)
		}
		seen[p] = true
		decs = append(decs, dec{i, reason})
		return nil
	}
	for _, p := range d.Approved {
		if err := add(p, ""); err != nil {
			return err
		}
	}
	for _, x := range d.Refused {
		if x.Reason == "" {
			return s.reject(e, x.Person, "", RuleRequired, "a refusal gives its reason")
		}
		if err := add(x.Person, x.Reason); err != nil {
			return err
		}
	}
	s.changeRepatriation(r, u, func(ps []Repatriate) {
		for _, x := range decs {
			p := &ps[x.i]
			p.Decision, p.Reason, p.DecidedBy, p.Decided = RepatriationApproved, x.reason, e.By.Authority, seq
			if x.reason != "" {
				p.Decision = RepatriationRefused
			}
			u.person(p.Person)
		}
	})
	return nil
}

func (s *State) applyRepatriationReleased(seq int64, e *Event, d *RepatriationReleased, u *journal) error {
	r, err := s.openRepatriation(e, d.Request)
	if err != nil {
		return err
	}
	if len(d.Persons) == 0 || d.Place == "" {
		return s.reject(e, "", "", RuleRequired, "a handover names its persons and its place")
	}
	var idx []int
	for k, p := range d.Persons {
		i, err := s.heldBy(e, r, p)
		if err != nil {
			return err
		}
		switch x := r.Persons[i]; {
		case x.Decision != RepatriationApproved:
			return s.reject(e, p, "", RuleRepatriation, "%s is not approved for repatriation (decision %q)", p, x.Decision)
		case x.Released != 0 || slices.Contains(d.Persons[:k], p):
			return s.reject(e, p, "", RuleAlreadyHandedOver, "%s is already released to %s", p, r.Request.Authority)
		}
		idx = append(idx, i)
	}
	s.changeRepatriation(r, u, func(ps []Repatriate) {
		for _, i := range idx {
			ps[i].Released, ps[i].ReleasedBy, ps[i].Place = seq, e.By.Authority, d.Place
			u.person(ps[i].Person)
		}
	})
	return nil
}

func (s *State) applyRepatriationReceived(seq int64, e *Event, d *RepatriationReceived, u *journal) error {
	r, err := s.openRepatriation(e, d.Request)
	if err != nil {
		return err
	}
	if e.By.Authority != r.Request.Authority {
		return s.reject(e, "", "", RuleWrongAuthority, "the persons are received by a user of %s, not %s", r.Request.Authority, e.By.Authority)
	}
	if len(d.Persons) == 0 {
		return s.reject(e, "", "", RuleRequired, "persons is empty")
	}
	var idx []int
	for k, p := range d.Persons {
		i := r.find(p)
		if i < 0 {
			return s.reject(e, p, "", RuleRepatriation, "%s is not in request %s", p, r.Request.ID)
		}
		x := r.Persons[i]
		ps, err := s.needPerson(e, p)
		if err != nil {
			return err
		}
		switch {
		case x.Released == 0:
			return s.reject(e, p, "", RuleRepatriation, "%s has not been released by the holder: both sides confirm a handover", p)
		case x.Received != 0 || slices.Contains(d.Persons[:k], p):
			return s.reject(e, p, "", RuleAlreadyHandedOver, "%s is already received", p)
		case ps.Location.Status != StatusHeld || ps.Location.Authority != x.ReleasedBy:
			return s.reject(e, p, "", RuleRepatriation, "%s is no longer held by %s, who released them (status %s)", p, x.ReleasedBy, ps.Location.Status)
		}
		idx = append(idx, i)
	}
	s.changeRepatriation(r, u, func(ps []Repatriate) {
		for _, i := range idx {
			ps[i].Received, ps[i].ReceivedAt = seq, e.OccurredAt
		}
	})
	for _, i := range idx {
		ps := s.Persons[r.Persons[i].Person]
		s.setLocation(ps, Location{Status: StatusRepatriated, Authority: r.Request.Authority, Since: e.OccurredAt, SinceSeq: seq}, u)
	}
	return nil
}
