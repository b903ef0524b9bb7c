package custody

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// EventType names the kind of an event. It is the "type" field of the
// encoded event and never changes meaning once released.
type EventType string

// Event types.
const (
	TypeAuthorityRegistered EventType = "authority.registered"
	TypeFacilityRegistered  EventType = "facility.registered"
	TypeControlChanged      EventType = "facility.control_changed"
	TypePersonRegistered    EventType = "person.registered"
	TypeIdentityCorrected   EventType = "person.identity_corrected"
	TypeAdmitted            EventType = "custody.admitted"
	TypeTransferred         EventType = "custody.transferred"
	TypeReleased            EventType = "custody.released"
	TypeEscaped             EventType = "custody.escaped"
	TypeRecaptured          EventType = "custody.recaptured"
	TypeDied                EventType = "custody.died"
	TypeHospitalised        EventType = "custody.hospitalised"
	TypeReturned            EventType = "custody.returned_from_hospital"
)

// Actor is who recorded an event: the user, the authority they act for and
// the site they recorded it at.
type Actor struct {
	User      string      `json:"user"`
	Authority AuthorityID `json:"authority"`
	Site      string      `json:"site,omitempty"`
}

// Event is one entry of the log. Its canonical encoding (RFC 8785 of the JSON
// below) is the leaf of the Merkle tree. Salt makes the leaf hash reveal
// nothing about the content.
type Event struct {
	Type       EventType `json:"type"`
	OccurredAt time.Time `json:"occurred_at"` // when it happened in the field
	RecordedAt time.Time `json:"recorded_at"` // when the system got it
	By         Actor     `json:"by"`
	Key        string    `json:"key"`  // idempotency key
	Salt       string    `json:"salt"` // 16 random bytes, base64url
	Data       Payload   `json:"data"`
}

// Payload is the type-specific content of an event.
type Payload interface {
	// EventType is the type this payload belongs to.
	EventType() EventType
}

// NewEvent returns an event of p's type. Times are normalised to UTC with
// microsecond precision so that every store keeps them exactly.
func NewEvent(p Payload, occurred, recorded time.Time, by Actor, key string) Event {
	return Event{
		Type:       p.EventType(),
		OccurredAt: NormTime(occurred),
		RecordedAt: NormTime(recorded),
		By:         by,
		Key:        key,
		Data:       p,
	}
}

// NormTime returns t in UTC truncated to the microsecond, the precision
// every store keeps.
func NormTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// UnmarshalJSON decodes an event, choosing the payload type by "type".
// Members that an event does not have are refused: nothing can hide in an
// event's encoding.
func (e *Event) UnmarshalJSON(b []byte) error {
	return jsonv2.Unmarshal(b, e)
}

// UnmarshalJSONFrom decodes an event from a JSON v2 decoder in one pass
// over the envelope (verify decodes every event of the log).
func (e *Event) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if tok, err := dec.ReadToken(); err != nil {
		return fmt.Errorf("decode event: %w", err)
	} else if tok.Kind() != '{' {
		return fmt.Errorf("decode event: want an object, got %v", tok.Kind())
	}
	var (
		out  Event
		data jsontext.Value
		err  error
	)
	// A caller that already knows the type (DecodeEvent) presets the
	// payload, and "data" is decoded straight into it in the one pass.
	preset := e.Data
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return fmt.Errorf("decode event: %w", err)
		}
		field := name.String()
		switch field {
		case "type":
			var t string
			err = jsonv2.UnmarshalDecode(dec, &t)
			out.Type = EventType(t)
		case "occurred_at":
			err = jsonv2.UnmarshalDecode(dec, &out.OccurredAt)
		case "recorded_at":
			err = jsonv2.UnmarshalDecode(dec, &out.RecordedAt)
		case "by":
			err = jsonv2.UnmarshalDecode(dec, &out.By, jsonv2.RejectUnknownMembers(true))
		case "key":
			err = jsonv2.UnmarshalDecode(dec, &out.Key)
		case "salt":
			err = jsonv2.UnmarshalDecode(dec, &out.Salt)
		case "data":
			if preset != nil {
				err = jsonv2.UnmarshalDecode(dec, preset, jsonv2.RejectUnknownMembers(true))
				out.Data = preset
				break
			}
			var v jsontext.Value
			if v, err = dec.ReadValue(); err == nil {
				data = v.Clone()
			}
		default:
			return fmt.Errorf("decode event: unknown member %q", field)
		}
		if err != nil {
			return fmt.Errorf("decode event member %q: %w", field, err)
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return fmt.Errorf("decode event: %w", err)
	}
	if out.Data != nil {
		if out.Data.EventType() != out.Type {
			return errTypeHint
		}
		*e = out
		return nil
	}
	p, err := NewPayload(out.Type)
	if err != nil {
		return err
	}
	if len(data) > 0 {
		if err := jsonv2.Unmarshal(data, p, jsonv2.RejectUnknownMembers(true)); err != nil {
			return fmt.Errorf("decode %s data: %w", out.Type, err)
		}
	}
	out.Data = p
	*e = out
	return nil
}

var errTypeHint = errors.New("decode event: the type does not match the preset payload")

// DecodeEvent decodes an event's canonical encoding. Canonical member order
// puts "type" last, after "data"; DecodeEvent reads the type from the end
// first so that the data is decoded in the same pass (verify and catch-up
// decode every event of the log). Any other input decodes as with
// json.Unmarshal.
func DecodeEvent(b []byte) (Event, error) {
	var e Event
	if t := typeHint(b); t != "" {
		if p, err := NewPayload(t); err == nil {
			e.Data = p
			if err := jsonv2.Unmarshal(b, &e); err == nil {
				return e, nil
			}
			e = Event{} // decode again without the hint, for the right error
		}
	}
	err := jsonv2.Unmarshal(b, &e)
	return e, err
}

// typeHint returns the value of a canonical body's last member if it is
// "type", or "".
func typeHint(b []byte) EventType {
	i := bytes.LastIndex(b, []byte(`,"type":"`))
	if i < 0 {
		return ""
	}
	rest := b[i+len(`,"type":"`):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 || string(rest[j:]) != `"}` {
		return ""
	}
	return EventType(rest[:j])
}

// NewPayload returns a pointer to a zero payload of type t.
func NewPayload(t EventType) (Payload, error) {
	switch t {
	case TypeAuthorityRegistered:
		return &AuthorityRegistered{}, nil
	case TypeFacilityRegistered:
		return &FacilityRegistered{}, nil
	case TypeControlChanged:
		return &ControlChanged{}, nil
	case TypePersonRegistered:
		return &PersonRegistered{}, nil
	case TypeIdentityCorrected:
		return &IdentityCorrected{}, nil
	case TypeAdmitted:
		return &Admitted{}, nil
	case TypeTransferred:
		return &Transferred{}, nil
	case TypeReleased:
		return &Released{}, nil
	case TypeEscaped:
		return &Escaped{}, nil
	case TypeRecaptured:
		return &Recaptured{}, nil
	case TypeDied:
		return &Died{}, nil
	case TypeHospitalised:
		return &Hospitalised{}, nil
	case TypeReturned:
		return &Returned{}, nil
	case TypePersonMerged:
		return &PersonMerged{}, nil
	case TypePersonUnmerged:
		return &PersonUnmerged{}, nil
	case TypeInquiryOpened:
		return &InquiryOpened{}, nil
	case TypeInquiryDecided:
		return &InquiryDecided{}, nil
	case TypeInquiryAnswered:
		return &InquiryAnswered{}, nil
	case TypeChargesPublished:
		return &ChargesPublished{}, nil
	case TypePositionsPublished:
		return &PositionsPublished{}, nil
	case TypeCaseOpened:
		return &CaseOpened{}, nil
	case TypeCaseCharged:
		return &CaseCharged{}, nil
	case TypeCaseHearing:
		return &CaseHearing{}, nil
	case TypeCaseDecided:
		return &CaseDecided{}, nil
	case TypeCaseSentenced:
		return &CaseSentenced{}, nil
	case TypeCaseAppealed:
		return &CaseAppealed{}, nil
	case TypeCaseAppealDecided:
		return &CaseAppealDecided{}, nil
	case TypeConsularNotified:
		return &ConsularNotified{}, nil
	case TypeConsularAcknowledged:
		return &ConsularAcknowledged{}, nil
	case TypeRepatriationRequested:
		return &RepatriationRequested{}, nil
	case TypeRepatriationDecided:
		return &RepatriationDecided{}, nil
	case TypeRepatriationReleased:
		return &RepatriationReleased{}, nil
	case TypeRepatriationReceived:
		return &RepatriationReceived{}, nil
	}
	if p := movePayload(t); p != nil {
		return p, nil
	}
	return nil, &Error{Code: Invalid, Event: t, Msg: fmt.Sprintf("unknown event type %q", t)}
}

// Subjects returns the persons and facilities an event names directly.
// (A control change also changes the custody of everyone inside the
// facility: the Change that State.ApplyAll returns lists them.)
func (e *Event) Subjects() (persons []PersonID, facilities []FacilityID) {
	switch d := e.Data.(type) {
	case *AuthorityRegistered:
	case *FacilityRegistered:
		facilities = append(facilities, d.Facility.ID)
	case *ControlChanged:
		facilities = append(facilities, d.Facility)
	case *PersonRegistered:
		persons = append(persons, d.Person.ID)
	case *IdentityCorrected:
		persons = append(persons, d.Person.ID)
	case *Admitted:
		persons, facilities = append(persons, d.Person), append(facilities, d.Facility)
	case *Transferred:
		persons, facilities = append(persons, d.Person), append(facilities, d.From, d.To)
	case *Released:
		persons, facilities = append(persons, d.Person), append(facilities, d.Facility)
	case *Escaped:
		persons = append(persons, d.Person)
		if d.Facility != "" {
			facilities = append(facilities, d.Facility)
		}
	case *Recaptured:
		persons, facilities = append(persons, d.Person), append(facilities, d.Facility)
	case *Died:
		persons = append(persons, d.Person)
		if d.Facility != "" {
			facilities = append(facilities, d.Facility)
		}
	case *Hospitalised:
		persons, facilities = append(persons, d.Person), append(facilities, d.From, d.Hospital)
	case *Returned:
		persons, facilities = append(persons, d.Person), append(facilities, d.Hospital, d.Facility)
	case *MovePlanned:
		for _, st := range d.Manifest {
			persons = append(persons, st.Person)
		}
		facilities = append(facilities, d.Move.Origin, d.Move.Destination)
	case *ManifestAmended:
		for _, st := range d.Add {
			persons = append(persons, st.Person)
		}
		persons = append(persons, d.Remove...)
	case *Boarded:
		persons = append(persons, d.Person)
	case *NotBoarded:
		persons = append(persons, d.Person)
	case *HandoverReleased:
		persons = append(persons, d.Persons...)
	case *HandoverReceived:
		persons = append(persons, d.Persons...)
	case *HandoverRefused:
		persons = append(persons, d.Person)
	case *Evacuated:
		persons, facilities = append(persons, d.Person), append(facilities, d.Hospital)
	case *PersonMerged:
		persons = append(persons, d.Kept, d.Merged)
	case *PersonUnmerged:
		persons = append(persons, d.Kept, d.Person)
	case *InquiryAnswered:
		if d.Person != "" {
			persons = append(persons, d.Person)
		}
	case *CaseOpened:
		persons = append(persons, d.Case.Person)
	case *CaseCharged:
		persons = append(persons, d.Person)
	case *CaseHearing:
		persons = append(persons, d.Person)
	case *CaseDecided:
		persons = append(persons, d.Person)
	case *CaseSentenced:
		persons = append(persons, d.Person)
	case *CaseAppealed:
		persons = append(persons, d.Person)
	case *CaseAppealDecided:
		persons = append(persons, d.Person)
	case *ConsularNotified:
		for _, n := range d.Notifications {
			persons = append(persons, n.Person())
		}
	case *ConsularAcknowledged:
		for _, n := range d.Notifications {
			persons = append(persons, n.Person())
		}
	case *RepatriationRequested:
		persons = append(persons, d.Request.Persons...)
	case *RepatriationDecided:
		persons = append(persons, d.Approved...)
		for _, r := range d.Refused {
			persons = append(persons, r.Person)
		}
	case *RepatriationReleased:
		persons = append(persons, d.Persons...)
	case *RepatriationReceived:
		persons = append(persons, d.Persons...)
	}
	return persons, facilities
}

// AuthorityRegistered adds an authority.
type AuthorityRegistered struct {
	Authority Authority `json:"authority"`
}

// FacilityRegistered adds a facility, controlled by Facility.Controller.
type FacilityRegistered struct {
	Facility Facility `json:"facility"`
}

// ControlChanged passes a facility, and everyone held in it (and in its
// sections), from one authority's control and custody to another's.
type ControlChanged struct {
	Facility      FacilityID  `json:"facility"`
	From          AuthorityID `json:"from"`
	To            AuthorityID `json:"to"`
	Circumstances string      `json:"circumstances,omitempty"` // "taken by force", "handed over under the peace process"
}

// PersonRegistered adds a person to the registry. A registration is placed
// by an admission in the same request: nobody is ever registered nowhere.
type PersonRegistered struct {
	Person Person `json:"person"`
}

// IdentityCorrected replaces a person's identity record. Corrects is the log
// index of the registration or earlier correction it corrects.
type IdentityCorrected struct {
	Corrects int64  `json:"corrects"`
	Reason   string `json:"reason"`
	Person   Person `json:"person"`
}

// Admitted places a person in a facility, in the custody of its controlling
// authority: when (occurred_at), by whom, on whose order, on what grounds.
type Admitted struct {
	Person    PersonID    `json:"person"`
	Facility  FacilityID  `json:"facility"`
	TakenBy   string      `json:"taken_by"`   // the unit or officer who took the person
	OrderedBy AuthorityID `json:"ordered_by"` // the authority that ordered the detention
	Order     string      `json:"order,omitempty"`
	Grounds   string      `json:"grounds"`
}

// Transferred moves a held person from one facility to another in one
// event; custody passes to the destination's controlling authority. (Moves
// with manifests and two-sided handovers supersede it for planned moves.)
type Transferred struct {
	Person    PersonID    `json:"person"`
	From      FacilityID  `json:"from"`
	To        FacilityID  `json:"to"`
	OrderedBy AuthorityID `json:"ordered_by"`
	Reference string      `json:"reference,omitempty"` // operation or batch reference
}

// Released ends custody.
type Released struct {
	Person       PersonID    `json:"person"`
	Facility     FacilityID  `json:"facility"`
	Reason       string      `json:"reason"` // reference-list code
	AuthorisedBy AuthorityID `json:"authorised_by"`
	Destination  string      `json:"destination,omitempty"`
}

// Escaped opens a "missing from custody" clock until a Recaptured closes it.
type Escaped struct {
	Person        PersonID   `json:"person"`
	Facility      FacilityID `json:"facility"`       // empty for an escape from a move
	Move          MoveID     `json:"move,omitempty"` // the move escaped from
	Circumstances string     `json:"circumstances,omitempty"`
}

// Recaptured closes the escape at log index Escape and admits the person to
// Facility.
type Recaptured struct {
	Person   PersonID   `json:"person"`
	Escape   int64      `json:"escape"`
	Facility FacilityID `json:"facility"`
	TakenBy  string     `json:"taken_by,omitempty"`
}

// Died records a death in custody (or at large, if Facility is empty):
// circumstances, cause and where the remains went.
type Died struct {
	Person        PersonID   `json:"person"`
	Facility      FacilityID `json:"facility,omitempty"`
	Move          MoveID     `json:"move,omitempty"` // the move the person died aboard
	Circumstances string     `json:"circumstances"`
	Cause         string     `json:"cause"`
	Remains       string     `json:"remains"`
}

// Hospitalised moves a held person from a facility to a hospital; custody
// stays with the authority that held them.
type Hospitalised struct {
	Person   PersonID   `json:"person"`
	From     FacilityID `json:"from"`
	Hospital FacilityID `json:"hospital"`
	Reason   string     `json:"reason,omitempty"`
}

// Returned brings a person back from hospital to a facility.
type Returned struct {
	Person   PersonID   `json:"person"`
	Hospital FacilityID `json:"hospital"`
	Facility FacilityID `json:"facility"`
}

// EventType implementations.
func (*AuthorityRegistered) EventType() EventType { return TypeAuthorityRegistered }
func (*FacilityRegistered) EventType() EventType  { return TypeFacilityRegistered }
func (*ControlChanged) EventType() EventType      { return TypeControlChanged }
func (*PersonRegistered) EventType() EventType    { return TypePersonRegistered }
func (*IdentityCorrected) EventType() EventType   { return TypeIdentityCorrected }
func (*Admitted) EventType() EventType            { return TypeAdmitted }
func (*Transferred) EventType() EventType         { return TypeTransferred }
func (*Released) EventType() EventType            { return TypeReleased }
func (*Escaped) EventType() EventType             { return TypeEscaped }
func (*Recaptured) EventType() EventType          { return TypeRecaptured }
func (*Died) EventType() EventType                { return TypeDied }
func (*Hospitalised) EventType() EventType        { return TypeHospitalised }
func (*Returned) EventType() EventType            { return TypeReturned }
