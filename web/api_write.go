package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	custody "github.com/opencustody/custody"
)

// The JSON API's writes. Each is one request of events, recorded through
// Server.record: in the user's name, under the Idempotency-Key header,
// checked by the access policy against the state it applies to, all or
// nothing. Bodies are read strictly: a member the request does not have,
// a value of the wrong type or a missing member is refused, naming it.

// maxFuture is how far in the future an occurred_at may be (clocks of
// field devices drift).
const maxFuture = 5 * time.Minute

// writeResult answers a write: the log indexes of its events, whether it
// was a replay of a request already recorded, and the latest checkpoint.
type writeResult struct {
	Seqs       []int64         `json:"seqs"`
	Replayed   bool            `json:"replayed"`
	Checkpoint *checkpointJSON `json:"checkpoint"`
}

// recordAndAnswer records events and answers 201, or 200 for a replay.
func (s *Server) recordAndAnswer(w http.ResponseWriter, r *http.Request, events ...custody.Event) error {
	ctx := r.Context()
	res, err := s.record(ctx, r, events...)
	if err != nil {
		return err
	}
	cp, err := s.latestCheckpoint(ctx)
	if err != nil {
		return err
	}
	code := http.StatusCreated
	if res.Replayed {
		code = http.StatusOK
	}
	return writeJSON(w, code, writeResult{Seqs: res.Seqs, Replayed: res.Replayed, Checkpoint: cp})
}

func badInput(format string, args ...any) error {
	return custody.Errorf(custody.Invalid, format, args...)
}

// checkOccurred refuses a time in the future.
func (s *Server) checkOccurred(at time.Time, where string) error {
	if !at.IsZero() && at.After(s.cfg.Now().Add(maxFuture)) {
		return badInput("member %s: %s is in the future", where, at.UTC().Format(time.RFC3339))
	}
	return nil
}

// eventInput is one event of a request, as a client sends it: the server
// sets who recorded it, when, and its key.
type eventInput struct {
	Type       custody.EventType `json:"type"`
	OccurredAt time.Time         `json:"occurred_at,omitzero"`
	Data       jsontext.Value    `json:"data"`
}

// event decodes the input's data strictly into the payload of its type.
// where is the input's JSON pointer in the request ("" for the body).
func (s *Server) event(in *eventInput, where string) (custody.Event, error) {
	if in.Type == "" {
		return custody.Event{}, badInput("member %s/type is required", where)
	}
	if len(in.Data) == 0 || in.Data.Kind() == 'n' {
		return custody.Event{}, badInput("member %s/data is required", where)
	}
	p, err := custody.NewPayload(in.Type)
	if err != nil {
		return custody.Event{}, badInput("member %s/type: %q is not an event type", where, in.Type)
	}
	if err := decodeData(in.Data, p, where+"/data"); err != nil {
		return custody.Event{}, err
	}
	if err := s.checkOccurred(in.OccurredAt, where+"/occurred_at"); err != nil {
		return custody.Event{}, err
	}
	return custody.Event{Type: in.Type, OccurredAt: in.OccurredAt, Data: p}, nil
}

// decodeData decodes a member of a request strictly into v; errors name
// the member by its pointer in the whole request.
func decodeData(data []byte, v any, where string) error {
	err := jsonv2.Unmarshal(data, v, jsonv2.RejectUnknownMembers(true))
	if err == nil {
		return nil
	}
	var se *jsonv2.SemanticError
	if errors.As(err, &se) {
		se.JSONPointer = jsontext.Pointer(where) + se.JSONPointer
	}
	return jsonError(err)
}

type eventsRequest struct {
	Events []eventInput `json:"events"`
}

// maxRequestEvents bounds the events of one request.
const maxRequestEvents = 1000

// apiRecord records a request of any events, all or nothing.
func (s *Server) apiRecord(w http.ResponseWriter, r *http.Request) error {
	var req eventsRequest
	if err := decodeJSON(w, r, maxBody, &req); err != nil {
		return err
	}
	switch {
	case req.Events == nil:
		return badInput("member /events is required")
	case len(req.Events) == 0:
		return badInput("member /events is empty: a request records at least one event")
	case len(req.Events) > maxRequestEvents:
		return badInput("member /events holds %d events: at most %d a request", len(req.Events), maxRequestEvents)
	}
	events := make([]custody.Event, len(req.Events))
	for i := range req.Events {
		e, err := s.event(&req.Events[i], fmt.Sprintf("/events/%d", i))
		if err != nil {
			return err
		}
		events[i] = e
	}
	return s.recordAndAnswer(w, r, events...)
}

// incidentTypes are the events of POST /incidents.
var incidentTypes = []custody.EventType{custody.TypeEscaped, custody.TypeRecaptured, custody.TypeDied,
	custody.TypeHospitalised, custody.TypeReturned, custody.TypeEvacuated}

// apiIncident records one incident: an escape, recapture, death,
// hospitalisation, return from hospital or evacuation from a move.
func (s *Server) apiIncident(w http.ResponseWriter, r *http.Request) error {
	var in eventInput
	if err := decodeJSON(w, r, maxBody, &in); err != nil {
		return err
	}
	if in.Type != "" && !slices.Contains(incidentTypes, in.Type) {
		return badInput("member /type: %q is not an incident: one of %s", in.Type, joinNames(incidentTypes))
	}
	e, err := s.event(&in, "")
	if err != nil {
		return err
	}
	return s.recordAndAnswer(w, r, e)
}

type allocationRequest struct {
	custody.Allocation `json:",inline"`
	OccurredAt         time.Time `json:"occurred_at,omitzero"`
}

// apiCreateAllocation opens an allocation.
func (s *Server) apiCreateAllocation(w http.ResponseWriter, r *http.Request) error {
	var req allocationRequest
	if err := decodeJSON(w, r, maxBody, &req); err != nil {
		return err
	}
	a := req.Allocation
	switch {
	case a.ID == "":
		return badInput("member /id is required")
	case a.Name == "":
		return badInput("member /name is required")
	case a.OrderedBy == "":
		return badInput("member /ordered_by is required")
	case len(a.Destinations) == 0:
		return badInput("member /destinations is required: at least one destination")
	}
	if err := s.checkOccurred(req.OccurredAt, "/occurred_at"); err != nil {
		return err
	}
	return s.recordAndAnswer(w, r, custody.Event{Type: custody.TypeAllocationCreated, OccurredAt: req.OccurredAt, Data: &custody.AllocationCreated{Allocation: a}})
}

type movePlanRequest struct {
	Move       *custody.Move  `json:"move"`
	Manifest   []custody.Seat `json:"manifest"`
	OccurredAt time.Time      `json:"occurred_at,omitzero"`
}

// apiPlanMove plans a move with its manifest.
func (s *Server) apiPlanMove(w http.ResponseWriter, r *http.Request) error {
	var req movePlanRequest
	if err := decodeJSON(w, r, maxBody, &req); err != nil {
		return err
	}
	switch {
	case req.Move == nil:
		return badInput("member /move is required")
	case req.Move.ID == "":
		return badInput("member /move/id is required")
	case req.Manifest == nil:
		return badInput("member /manifest is required")
	}
	for i, st := range req.Manifest {
		if st.Person == "" {
			return badInput("member /manifest/%d/person is required", i)
		}
	}
	if err := s.checkOccurred(req.OccurredAt, "/occurred_at"); err != nil {
		return err
	}
	return s.recordAndAnswer(w, r, custody.Event{Type: custody.TypeMovePlanned, OccurredAt: req.OccurredAt,
		Data: &custody.MovePlanned{Move: *req.Move, Manifest: req.Manifest}})
}

// apiMoveAction records one stage action on a move.
func (s *Server) apiMoveAction(w http.ResponseWriter, r *http.Request) error {
	id := custody.MoveID(r.PathValue("id"))
	name := r.PathValue("action")
	act := newMoveAction(name)
	if act == nil {
		return custody.Errorf(custody.NotFound, "no action %q on a move: one of %s", name, joinNames(moveActionNames))
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, maxBody, act); err != nil {
			return err
		}
	}
	p, err := act.payload(r.Context(), s, id)
	if err != nil {
		return err
	}
	at := act.occurred()
	if err := s.checkOccurred(at, "/occurred_at"); err != nil {
		return err
	}
	return s.recordAndAnswer(w, r, custody.Event{Type: p.EventType(), OccurredAt: at, Data: p})
}

// moveAction is the body of one stage action on a move.
type moveAction interface {
	// payload checks the body and returns the event it records on move
	// id.
	payload(ctx context.Context, s *Server, id custody.MoveID) (custody.Payload, error)
	occurred() time.Time
}

// moveActionNames are the actions of POST /api/v1/moves/{id}/{action}.
var moveActionNames = []string{"start-boarding", "board", "not-boarded", "depart", "count", "arrive",
	"release", "receive", "refuse", "evacuate", "close", "abort"}

// newMoveAction returns an empty body of the named action, or nil.
func newMoveAction(name string) moveAction {
	switch name {
	case "start-boarding":
		return &startBoardingAction{}
	case "board":
		return &boardAction{}
	case "not-boarded":
		return &notBoardedAction{}
	case "depart":
		return &departAction{}
	case "count":
		return &countAction{}
	case "arrive":
		return &arriveAction{}
	case "release":
		return &releaseAction{}
	case "receive":
		return &receiveAction{}
	case "refuse":
		return &refuseAction{}
	case "evacuate":
		return &evacuateAction{}
	case "close":
		return &closeAction{}
	case "abort":
		return &abortAction{}
	}
	return nil
}

// actionTime is the optional time of an action (the server's time if absent).
type actionTime struct {
	OccurredAt time.Time `json:"occurred_at,omitzero"`
}

func (w *actionTime) occurred() time.Time { return w.OccurredAt }

type startBoardingAction struct {
	actionTime `json:",inline"`
}

func (a *startBoardingAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	return &custody.BoardingStarted{Move: id}, nil
}

type boardAction struct {
	actionTime `json:",inline"`
	Vehicle    string             `json:"vehicle"`
	Person     custody.PersonID   `json:"person"`
	Scan       custody.ScanMethod `json:"scan"`
	Code       string             `json:"code"`
}

// payload of a boarding: with a wristband scan the person may be left to
// the code, and the vehicle to the manifest.
func (a *boardAction) payload(ctx context.Context, s *Server, id custody.MoveID) (custody.Payload, error) {
	switch a.Scan {
	case "":
		return nil, badInput("member /scan is required: qr (a wristband scanned, with its code) or typed")
	case custody.ScanQR:
		if a.Code == "" {
			return nil, badInput("member /code is required with scan qr: the code read from the wristband")
		}
		if a.Person == "" {
			p, err := custody.ParseWristband(a.Code)
			if err != nil {
				return nil, &custody.Error{Code: custody.Invalid, Rule: custody.RuleWristband, Msg: "member /code: " + err.Error()}
			}
			a.Person = p
		}
	case custody.ScanTyped:
		if a.Person == "" {
			return nil, badInput("member /person is required with scan typed")
		}
	default:
		return nil, badInput("member /scan: %q is not qr or typed", a.Scan)
	}
	if a.Vehicle == "" {
		m, err := s.store.Move(ctx, id)
		if err != nil && custody.ErrorCode(err) != custody.NotFound {
			return nil, err
		}
		if m != nil {
			if st, ok := m.SeatOf(a.Person); ok {
				a.Vehicle = st.Vehicle
			}
		}
	}
	return &custody.Boarded{Move: id, Vehicle: a.Vehicle, Person: a.Person, Scan: a.Scan, Code: a.Code}, nil
}

// needReason requires a reason's code and version.
func needReason(r custody.Reason, where string) error {
	switch {
	case r.Code == "":
		return badInput("member %s/code is required", where)
	case r.Version == 0:
		return badInput("member %s/version is required: the version of the reference list the code is from", where)
	}
	return nil
}

type notBoardedAction struct {
	actionTime `json:",inline"`
	Person     custody.PersonID `json:"person"`
	Reason     *custody.Reason  `json:"reason"`
}

func (a *notBoardedAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	switch {
	case a.Person == "":
		return nil, badInput("member /person is required")
	case a.Reason == nil:
		return nil, badInput("member /reason is required: a code of the not-boarded list and its version")
	}
	if err := needReason(*a.Reason, "/reason"); err != nil {
		return nil, err
	}
	return &custody.NotBoarded{Move: id, Person: a.Person, Reason: *a.Reason}, nil
}

type departAction struct {
	actionTime `json:",inline"`
	Count      *int `json:"count"`
}

func (a *departAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	if a.Count == nil {
		return nil, badInput("member /count is required: the headcount at departure")
	}
	return &custody.Departed{Move: id, Count: *a.Count}, nil
}

type countAction struct {
	actionTime `json:",inline"`
	Leg        int  `json:"leg"`
	Count      *int `json:"count"`
}

func (a *countAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	if a.Count == nil {
		return nil, badInput("member /count is required: the headcount")
	}
	return &custody.Counted{Move: id, Leg: a.Leg, Count: *a.Count}, nil
}

type arriveAction struct {
	actionTime `json:",inline"`
	Count      *int `json:"count"`
}

func (a *arriveAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	if a.Count == nil {
		return nil, badInput("member /count is required: the headcount on arrival")
	}
	return &custody.Arrived{Move: id, Count: *a.Count}, nil
}

type releaseAction struct {
	actionTime `json:",inline"`
	Stage      custody.HandoverStage `json:"stage"`
	To         custody.AuthorityID   `json:"to"`
	Persons    []custody.PersonID    `json:"persons"`
}

func (a *releaseAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	switch {
	case a.Stage == "":
		return nil, badInput("member /stage is required: departure or arrival")
	case a.To == "":
		return nil, badInput("member /to is required: the authority the persons are handed to")
	case len(a.Persons) == 0:
		return nil, badInput("member /persons is required: the persons handed over")
	}
	return &custody.HandoverReleased{Move: id, Stage: a.Stage, To: a.To, Persons: a.Persons}, nil
}

type receiveAction struct {
	actionTime      `json:",inline"`
	Handover        *int64             `json:"handover"`
	Persons         []custody.PersonID `json:"persons"`
	IdentityChecked *bool              `json:"identity_checked"`
}

func (a *receiveAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	switch {
	case a.Handover == nil:
		return nil, badInput("member /handover is required: the log index of the releasing side's confirmation")
	case len(a.Persons) == 0:
		return nil, badInput("member /persons is required: the persons received")
	case a.IdentityChecked == nil:
		return nil, badInput("member /identity_checked is required")
	}
	return &custody.HandoverReceived{Move: id, Handover: *a.Handover, Persons: a.Persons, IdentityChecked: *a.IdentityChecked}, nil
}

type refuseAction struct {
	actionTime `json:",inline"`
	Handover   *int64           `json:"handover"`
	Person     custody.PersonID `json:"person"`
	Reason     *custody.Reason  `json:"reason"`
}

func (a *refuseAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	switch {
	case a.Handover == nil:
		return nil, badInput("member /handover is required: the log index of the releasing side's confirmation")
	case a.Person == "":
		return nil, badInput("member /person is required")
	case a.Reason == nil:
		return nil, badInput("member /reason is required: a code of the handover-refused list and its version")
	}
	if err := needReason(*a.Reason, "/reason"); err != nil {
		return nil, err
	}
	return &custody.HandoverRefused{Move: id, Handover: *a.Handover, Person: a.Person, Reason: *a.Reason}, nil
}

type evacuateAction struct {
	actionTime `json:",inline"`
	Person     custody.PersonID   `json:"person"`
	Hospital   custody.FacilityID `json:"hospital"`
	Condition  string             `json:"condition"`
}

func (a *evacuateAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	switch {
	case a.Person == "":
		return nil, badInput("member /person is required")
	case a.Hospital == "":
		return nil, badInput("member /hospital is required")
	case a.Condition == "":
		return nil, badInput("member /condition is required")
	}
	return &custody.Evacuated{Move: id, Person: a.Person, Hospital: a.Hospital, Condition: a.Condition}, nil
}

type closeAction struct {
	actionTime `json:",inline"`
}

func (a *closeAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	return &custody.MoveClosed{Move: id}, nil
}

type abortAction struct {
	actionTime `json:",inline"`
	Reason     *custody.Reason `json:"reason"`
}

func (a *abortAction) payload(_ context.Context, _ *Server, id custody.MoveID) (custody.Payload, error) {
	if a.Reason == nil {
		return nil, badInput("member /reason is required: a code of the move-aborted list and its version")
	}
	if err := needReason(*a.Reason, "/reason"); err != nil {
		return nil, err
	}
	return &custody.MoveAborted{Move: id, Reason: *a.Reason}, nil
}
