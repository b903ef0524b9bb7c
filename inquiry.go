package custody

import (
	"fmt"
	"slices"
	"time"
)

// Family inquiries. A relative asks a family desk where someone is; the
// desk records the inquiry, the system proposes candidates from the name
// index, the desk confirms or rejects each, and the answer given is what
// policy releases to relatives (FamilyRelease), recorded as given.

// InquiryID identifies an inquiry.
type InquiryID string

// Event types of inquiries.
const (
	TypeInquiryOpened   EventType = "inquiry.opened"
	TypeInquiryDecided  EventType = "inquiry.decided"
	TypeInquiryAnswered EventType = "inquiry.answered"
)

// Rules of inquiries.
const (
	RuleInquiry       Rule = "inquiry"        // an inquiry is opened once, decided and answered while open
	RuleUnconfirmed   Rule = "unconfirmed"    // an answer about a person follows the desk's confirmation of that person
	RuleAnswerRelease Rule = "answer-release" // an answer releases only what policy releases to relatives
)

// Sought is what the asker knows of the person sought.
type Sought struct {
	Names       []string `json:"names"`                 // in any script, as the asker gives them
	Age         int      `json:"age,omitempty"`         // approximate age in years, 0 if unknown
	Sex         Sex      `json:"sex,omitempty"`         // if known
	Origin      string   `json:"origin,omitempty"`      // place of origin
	Father      string   `json:"father,omitempty"`      // father's name
	Mother      string   `json:"mother,omitempty"`      // mother's name
	Nationality string   `json:"nationality,omitempty"` // ISO 3166-1 alpha-2, if known
}

// Asker is who asks, and what they are to the person sought.
type Asker struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship"` // mother, brother, wife...
	Contact      string `json:"contact,omitempty"`
}

// Inquiry is a family's question about a relative.
type Inquiry struct {
	ID     InquiryID `json:"id"`
	Sought Sought    `json:"sought"`
	Asker  Asker     `json:"asker"`
}

// Validate checks the inquiry on its own.
func (q *Inquiry) Validate() error {
	switch {
	case q.ID == "":
		return fmt.Errorf("id is empty")
	case len(q.Sought.Names) == 0 || slices.Contains(q.Sought.Names, ""):
		return fmt.Errorf("sought.names: give at least one name, none empty")
	case q.Asker.Name == "":
		return fmt.Errorf("asker.name is empty")
	case q.Asker.Relationship == "":
		return fmt.Errorf("asker.relationship is empty")
	case q.Sought.Age < 0 || q.Sought.Age > 120:
		return fmt.Errorf("sought.age %d is not 0 (unknown) to 120", q.Sought.Age)
	}
	switch q.Sought.Sex {
	case "", Male, Female, SexUnknown:
	default:
		return fmt.Errorf("sought.sex %q is not one of male, female, unknown", q.Sought.Sex)
	}
	if n := q.Sought.Nationality; n != "" && (len(n) != 2 || n[0] < 'A' || n[0] > 'Z' || n[1] < 'A' || n[1] > 'Z') {
		return fmt.Errorf("sought.nationality %q is not an ISO 3166-1 alpha-2 code", n)
	}
	return nil
}

// InquiryOpened records an inquiry.
type InquiryOpened struct {
	Inquiry Inquiry `json:"inquiry"`
}

// InquiryDecided records the desk's decision on one candidate: the person
// sought is (Confirmed) or is not this registered person.
type InquiryDecided struct {
	Inquiry   InquiryID `json:"inquiry"`
	Person    PersonID  `json:"person"`
	Confirmed bool      `json:"confirmed"`
	Note      string    `json:"note,omitempty"`
}

// InquiryAnswered records the answer given, and closes the inquiry. Person
// is the confirmed person the answer is about, or empty when nobody was
// found; the answer holds exactly what was released.
type InquiryAnswered struct {
	Inquiry InquiryID    `json:"inquiry"`
	Person  PersonID     `json:"person,omitempty"`
	Answer  FamilyAnswer `json:"answer"`
}

func (*InquiryOpened) EventType() EventType   { return TypeInquiryOpened }
func (*InquiryDecided) EventType() EventType  { return TypeInquiryDecided }
func (*InquiryAnswered) EventType() EventType { return TypeInquiryAnswered }

// InquiryStatus is where an inquiry stands.
type InquiryStatus string

// Inquiry statuses.
const (
	InquiryOpen   InquiryStatus = "open"
	InquiryClosed InquiryStatus = "answered"
)

// Decision is one of the desk's decisions on a candidate.
type Decision struct {
	Person    PersonID  `json:"person"`
	Confirmed bool      `json:"confirmed"`
	Note      string    `json:"note,omitempty"`
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	By        string    `json:"by"`
}

// InquiryState is an inquiry, the decisions on it and the answer given.
type InquiryState struct {
	Inquiry   Inquiry       `json:"inquiry"`
	Status    InquiryStatus `json:"status"`
	Desk      string        `json:"desk"` // the user who opened it
	Opened    int64         `json:"opened"`
	OpenedAt  time.Time     `json:"opened_at"`
	Decisions []Decision    `json:"decisions,omitempty"`
	Answer    *FamilyAnswer `json:"answer,omitempty"`
	Person    PersonID      `json:"person,omitempty"` // whom the answer is about
	Answered  int64         `json:"answered,omitempty"`
}

// Confirmed reports whether the desk's latest decision on p confirms them.
func (q *InquiryState) Confirmed(p PersonID) bool {
	for i := len(q.Decisions) - 1; i >= 0; i-- {
		if q.Decisions[i].Person == p {
			return q.Decisions[i].Confirmed
		}
	}
	return false
}

func (s *State) applyInquiryOpened(seq int64, e *Event, d *InquiryOpened, u *journal) error {
	if err := d.Inquiry.Validate(); err != nil {
		return s.reject(e, "", "", RuleRequired, "inquiry: %v", err)
	}
	if _, ok := s.Inquiries[d.Inquiry.ID]; ok {
		return s.reject(e, "", "", RuleInquiry, "inquiry %s is already open", d.Inquiry.ID)
	}
	id := d.Inquiry.ID
	s.Inquiries[id] = &InquiryState{Inquiry: d.Inquiry, Status: InquiryOpen, Desk: e.By.User, Opened: seq, OpenedAt: e.OccurredAt}
	u.add(func() { delete(s.Inquiries, id) })
	u.inquiry(id)
	return nil
}

func (s *State) openInquiry(e *Event, id InquiryID) (*InquiryState, error) {
	q, ok := s.Inquiries[id]
	switch {
	case id == "":
		return nil, s.reject(e, "", "", RuleRequired, "inquiry is empty")
	case !ok:
		return nil, &Error{Code: NotFound, Rule: RuleInquiry, Event: e.Type, Key: e.Key, Msg: fmt.Sprintf("no inquiry %q", id)}
	case q.Status != InquiryOpen:
		return nil, s.reject(e, "", "", RuleInquiry, "inquiry %s is already answered (log index %d)", id, q.Answered)
	}
	return q, nil
}

func (s *State) applyInquiryDecided(seq int64, e *Event, d *InquiryDecided, u *journal) error {
	q, err := s.openInquiry(e, d.Inquiry)
	if err != nil {
		return err
	}
	if _, ok := s.Persons[d.Person]; !ok {
		return s.reject(e, d.Person, "", RuleUnknownPerson, "no person %q is registered", d.Person)
	}
	old := q.Decisions
	q.Decisions = append(q.Decisions[:len(q.Decisions):len(q.Decisions)],
		Decision{Person: d.Person, Confirmed: d.Confirmed, Note: d.Note, Seq: seq, At: e.OccurredAt, By: e.By.User})
	u.add(func() { q.Decisions = old })
	u.inquiry(d.Inquiry)
	return nil
}

func (s *State) applyInquiryAnswered(seq int64, e *Event, d *InquiryAnswered, u *journal) error {
	q, err := s.openInquiry(e, d.Inquiry)
	if err != nil {
		return err
	}
	a := d.Answer
	switch {
	case d.Person == "" && (a.Found || len(a.Facts) > 0):
		return s.reject(e, "", "", RuleUnconfirmed, "an answer that releases facts names the confirmed person")
	case d.Person != "" && !a.Found:
		return s.reject(e, d.Person, "", RuleRequired, "an answer about a person says found")
	case d.Person != "" && !q.Confirmed(d.Person):
		return s.reject(e, d.Person, "", RuleUnconfirmed, "the desk has not confirmed %s for inquiry %s", d.Person, d.Inquiry)
	}
	for i, f := range a.Facts {
		if !slices.Contains(ReleaseFields, f.Field) || f.Value == "" {
			return s.reject(e, d.Person, "", RuleAnswerRelease, "answer fact %d: %q is not a field released to relatives, or its value is empty", i+1, f.Field)
		}
	}
	old := *q
	q.Status, q.Answer, q.Person, q.Answered = InquiryClosed, &a, d.Person, seq
	u.add(func() { *q = old })
	u.inquiry(d.Inquiry)
	if d.Person != "" {
		u.person(d.Person) // the answer is part of the person's timeline
	}
	return nil
}
