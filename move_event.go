package custody

// Events of allocations and moves. A move runs: planned → boarding
// (manifests frozen) → departed → counted at each leg → arrived → handed
// over → closed, or aborted before it leaves. Every stage is an event and
// every count is checked against the persons aboard.

// Event types of allocations, moves and reference data.
const (
	TypeReferencePublished EventType = "reference.published"
	TypeAllocationCreated  EventType = "allocation.created"
	TypeMovePlanned        EventType = "move.planned"
	TypeManifestAmended    EventType = "move.manifest_amended"
	TypeBoardingStarted    EventType = "move.boarding_started"
	TypeBoarded            EventType = "move.boarded"
	TypeNotBoarded         EventType = "move.not_boarded"
	TypeDeparted           EventType = "move.departed"
	TypeCounted            EventType = "move.counted"
	TypeArrived            EventType = "move.arrived"
	TypeHandoverReleased   EventType = "move.handover_released"
	TypeHandoverReceived   EventType = "move.handover_received"
	TypeHandoverRefused    EventType = "move.handover_refused"
	TypeEvacuated          EventType = "move.evacuated"
	TypeMoveClosed         EventType = "move.closed"
	TypeMoveAborted        EventType = "move.aborted"
)

// AllocationCreated opens an allocation.
type AllocationCreated struct {
	Allocation Allocation `json:"allocation"`
}

// MovePlanned plans a move with its manifest: every person in a seat of a
// vehicle. Each person must be held at the origin, selected by the
// allocation's criteria and on no other open manifest; the destination must
// have room for them, counting every open move into it.
type MovePlanned struct {
	Move     Move   `json:"move"`
	Manifest []Seat `json:"manifest"`
}

// ManifestAmended changes a manifest. Once boarding has started (the
// manifests are frozen) a reason from the manifest-change list is required.
type ManifestAmended struct {
	Move   MoveID     `json:"move"`
	Add    []Seat     `json:"add,omitempty"`
	Remove []PersonID `json:"remove,omitempty"`
	Reason Reason     `json:"reason,omitzero"`
}

// BoardingStarted freezes the move's manifests and opens boarding.
type BoardingStarted struct {
	Move MoveID `json:"move"`
}

// Boarded records one person checked against the manifest and boarded:
// by scanning the QR code of their wristband (Code holds what was read) or
// by a typed ID. The person stays in the custody of whoever held them.
type Boarded struct {
	Move    MoveID     `json:"move"`
	Vehicle string     `json:"vehicle"`
	Person  PersonID   `json:"person"`
	Scan    ScanMethod `json:"scan"`
	Code    string     `json:"code,omitempty"`
}

// NotBoarded records why a manifested person did not board, with a reason
// from the not-boarded list. The person stays where they are.
type NotBoarded struct {
	Move   MoveID   `json:"move"`
	Person PersonID `json:"person"`
	Reason Reason   `json:"reason"`
}

// Departed records the move leaving, with the headcount at departure.
type Departed struct {
	Move  MoveID `json:"move"`
	Count int    `json:"count"`
}

// Counted records a headcount at a leg of the route (1 = the first leg), or,
// with Leg 0, a recount where the move stands, on the way or at the
// destination before every person is handed over.
type Counted struct {
	Move  MoveID `json:"move"`
	Leg   int    `json:"leg"`
	Count int    `json:"count"`
}

// Arrived records the move's arrival at its destination, with the
// headcount on arrival.
type Arrived struct {
	Move  MoveID `json:"move"`
	Count int    `json:"count"`
}

// HandoverReleased is the releasing side's confirmation: a user of the
// authority holding the persons confirms handing them to To. Custody does
// not pass until the receiving side confirms each person.
type HandoverReleased struct {
	Move    MoveID        `json:"move"`
	Stage   HandoverStage `json:"stage"`
	To      AuthorityID   `json:"to"`
	Persons []PersonID    `json:"persons"`
}

// HandoverReceived is the receiving side's confirmation, by a user of the
// receiving authority, of persons of the handover at log index Handover,
// each with their identity checked. Custody passes person by person; at
// arrival each is admitted to the destination.
type HandoverReceived struct {
	Move            MoveID     `json:"move"`
	Handover        int64      `json:"handover"`
	Persons         []PersonID `json:"persons"`
	IdentityChecked bool       `json:"identity_checked"`
}

// HandoverRefused is the receiving side refusing one person of a handover,
// with a reason from the handover-refused list. The person stays aboard in
// the releasing authority's custody until handed over again.
type HandoverRefused struct {
	Move     MoveID   `json:"move"`
	Handover int64    `json:"handover"`
	Person   PersonID `json:"person"`
	Reason   Reason   `json:"reason"`
}

// Evacuated records a medical evacuation from a move to a hospital; custody
// stays with the authority that held the person aboard.
type Evacuated struct {
	Move      MoveID     `json:"move"`
	Person    PersonID   `json:"person"`
	Hospital  FacilityID `json:"hospital"`
	Condition string     `json:"condition"`
}

// MoveClosed closes a move whose counts balance.
type MoveClosed struct {
	Move MoveID `json:"move"`
}

// MoveAborted calls a move off before it departs; anyone aboard returns to
// the origin, in the custody of its controlling authority.
type MoveAborted struct {
	Move   MoveID `json:"move"`
	Reason Reason `json:"reason"`
}

// EventType implementations.
func (*AllocationCreated) EventType() EventType { return TypeAllocationCreated }
func (*MovePlanned) EventType() EventType       { return TypeMovePlanned }
func (*ManifestAmended) EventType() EventType   { return TypeManifestAmended }
func (*BoardingStarted) EventType() EventType   { return TypeBoardingStarted }
func (*Boarded) EventType() EventType           { return TypeBoarded }
func (*NotBoarded) EventType() EventType        { return TypeNotBoarded }
func (*Departed) EventType() EventType          { return TypeDeparted }
func (*Counted) EventType() EventType           { return TypeCounted }
func (*Arrived) EventType() EventType           { return TypeArrived }
func (*HandoverReleased) EventType() EventType  { return TypeHandoverReleased }
func (*HandoverReceived) EventType() EventType  { return TypeHandoverReceived }
func (*HandoverRefused) EventType() EventType   { return TypeHandoverRefused }
func (*Evacuated) EventType() EventType         { return TypeEvacuated }
func (*MoveClosed) EventType() EventType        { return TypeMoveClosed }
func (*MoveAborted) EventType() EventType       { return TypeMoveAborted }

// movePayload returns a zero payload of a move, allocation or reference
// event type, or nil.
func movePayload(t EventType) Payload {
	switch t {
	case TypeReferencePublished:
		return &ReferencePublished{}
	case TypeAllocationCreated:
		return &AllocationCreated{}
	case TypeMovePlanned:
		return &MovePlanned{}
	case TypeManifestAmended:
		return &ManifestAmended{}
	case TypeBoardingStarted:
		return &BoardingStarted{}
	case TypeBoarded:
		return &Boarded{}
	case TypeNotBoarded:
		return &NotBoarded{}
	case TypeDeparted:
		return &Departed{}
	case TypeCounted:
		return &Counted{}
	case TypeArrived:
		return &Arrived{}
	case TypeHandoverReleased:
		return &HandoverReleased{}
	case TypeHandoverReceived:
		return &HandoverReceived{}
	case TypeHandoverRefused:
		return &HandoverRefused{}
	case TypeEvacuated:
		return &Evacuated{}
	case TypeMoveClosed:
		return &MoveClosed{}
	case TypeMoveAborted:
		return &MoveAborted{}
	}
	return nil
}

// moveOf returns the move an event is about, or "".
func moveOf(p Payload) MoveID {
	switch d := p.(type) {
	case *MovePlanned:
		return d.Move.ID
	case *ManifestAmended:
		return d.Move
	case *BoardingStarted:
		return d.Move
	case *Boarded:
		return d.Move
	case *NotBoarded:
		return d.Move
	case *Departed:
		return d.Move
	case *Counted:
		return d.Move
	case *Arrived:
		return d.Move
	case *HandoverReleased:
		return d.Move
	case *HandoverReceived:
		return d.Move
	case *HandoverRefused:
		return d.Move
	case *Evacuated:
		return d.Move
	case *MoveClosed:
		return d.Move
	case *MoveAborted:
		return d.Move
	case *Escaped:
		return d.Move
	case *Died:
		return d.Move
	}
	return ""
}

// MoveOf returns the move event e is about, or "".
func (e *Event) MoveOf() MoveID { return moveOf(e.Data) }
