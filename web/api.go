package web

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/sqlstore"
)

// The JSON API's reads. Lists are scoped by the access policy in the
// query (persons) or person by person and move by move (escapes, moves,
// alerts); long lists are paged by key: a page's "next" is the "after"
// (or, for the audit trail, the "before") of the next one. Every read of
// a person's record is recorded in the audit trail before it is answered.

// Page sizes of the lists that can be long.
const (
	maxPersonPage = 500
	maxEventPage  = 1000
	maxReadPage   = 1000
	maxMovePage   = 1000
)

// checkpointJSON is a signed checkpoint of the log: its text (a signed
// note, C2SP tlog-checkpoint) and what it says, checked with the log's
// verifier key.
type checkpointJSON struct {
	Origin   string    `json:"origin"`
	Size     int64     `json:"size"`
	RootHash tlog.Hash `json:"root_hash"`
	Text     string    `json:"text"`
}

// latestCheckpoint returns the latest signed checkpoint, its signature
// checked.
func (s *Server) latestCheckpoint(ctx context.Context) (*checkpointJSON, error) {
	note, err := s.store.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if note == nil {
		return nil, custody.Errorf(custody.NotFound, "the log is empty: no checkpoint yet")
	}
	size, root, err := ledger.OpenCheckpoint(note, s.store.VerifierKey(), s.store.Origin())
	if err != nil {
		return nil, fmt.Errorf("open the latest checkpoint: %w", err)
	}
	return &checkpointJSON{Origin: s.store.Origin(), Size: size, RootHash: root, Text: string(note)}, nil
}

// statusJSON is what anyone may know of the log: no detainee figures.
type statusJSON struct {
	Origin      string `json:"origin"`
	VerifierKey string `json:"verifier_key"`
	Size        int64  `json:"size"`
	Checkpoint  string `json:"checkpoint,omitempty"`
}

func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) error {
	st := statusJSON{Origin: s.store.Origin(), VerifierKey: s.store.VerifierKey()}
	cp, err := s.latestCheckpoint(r.Context())
	switch {
	case err == nil:
		st.Size, st.Checkpoint = cp.Size, cp.Text
	case custody.ErrorCode(err) != custody.NotFound:
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}

func (s *Server) apiCheckpoint(w http.ResponseWriter, r *http.Request) error {
	cp, err := s.latestCheckpoint(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cp)
}

// allActions are the actions of the access policy, as "me" lists them.
var allActions = []custody.Action{custody.ViewOperation, custody.SearchPersons, custody.ViewAllocations, custody.ViewMoves,
	custody.ReadLog, custody.ReadAudit, custody.ManageUsers, custody.RecordEvents, custody.ViewCases, custody.ViewConsular}

// scopeJSON is the part of the register a user may read.
type scopeJSON struct {
	All           bool                 `json:"all"`
	Facilities    []custody.FacilityID `json:"facilities,omitempty"`
	Nationalities []string             `json:"nationalities,omitempty"`
	Holder        custody.AuthorityID  `json:"holder,omitempty"`
	Escort        custody.AuthorityID  `json:"escort,omitempty"`
	Receiver      custody.AuthorityID  `json:"receiver,omitempty"`
}

type meJSON struct {
	User  custody.User     `json:"user"`
	Can   []custody.Action `json:"can"`
	Scope scopeJSON        `json:"scope"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	me := meJSON{User: *u, Can: []custody.Action{}}
	for _, a := range allActions {
		if custody.Can(u, a) {
			me.Can = append(me.Can, a)
		}
	}
	sc := custody.PersonScope(u)
	me.Scope = scopeJSON{All: sc.All, Facilities: sc.Facilities, Nationalities: sc.Nationalities, Holder: sc.Holder, Escort: sc.Escort, Receiver: sc.Receiver}
	return writeJSON(w, http.StatusOK, me)
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) error {
	st, err := s.store.Stats(r.Context())
	if err != nil {
		return err
	}
	// Lists, never null.
	for _, l := range []*[]sqlstore.Count{&st.ByStatus, &st.ByAuthority, &st.ByCategory, &st.ByNationality, &st.Legal.CasesByStage, &st.Legal.Notifications} {
		if *l == nil {
			*l = []sqlstore.Count{}
		}
	}
	if st.ByFacility == nil {
		st.ByFacility = []sqlstore.FacilityCount{}
	}
	if st.Transfer.ByDay == nil {
		st.Transfer.ByDay = []sqlstore.DayCount{}
	}
	return writeJSON(w, http.StatusOK, st)
}

func (s *Server) apiAuthorities(w http.ResponseWriter, r *http.Request) error {
	m, err := s.store.Authorities(r.Context())
	if err != nil {
		return err
	}
	out := make([]*custody.Authority, 0, len(m))
	for _, id := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[id])
	}
	return writeJSON(w, http.StatusOK, map[string]any{"authorities": out})
}

func (s *Server) apiFacilities(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.store.Facilities(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"facilities": fs})
}

func (s *Server) apiFacility(w http.ResponseWriter, r *http.Request) error {
	f, err := s.store.Facility(r.Context(), custody.FacilityID(r.PathValue("id")))
	if err != nil {
		return err
	}
	if f.Control == nil {
		f.Control = []custody.ControlPeriod{}
	}
	return writeJSON(w, http.StatusOK, f)
}

// apiFacilityRoll lists the persons on a facility's roll that the user
// may read.
func (s *Server) apiFacilityRoll(w http.ResponseWriter, r *http.Request) error {
	id := custody.FacilityID(r.PathValue("id"))
	if _, err := s.store.Facility(r.Context(), id); err != nil {
		return err
	}
	q, err := personQuery(r)
	if err != nil {
		return err
	}
	q.Facility = id
	page, err := s.store.ListPersons(r.Context(), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

// apiPersons lists the persons the user may read, filtered by the query
// parameters q, facility, status, nationality and category, by ID.
func (s *Server) apiPersons(w http.ResponseWriter, r *http.Request) error {
	q, err := personQuery(r)
	if err != nil {
		return err
	}
	page, err := s.store.ListPersons(r.Context(), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

var (
	personStatuses   = []custody.Status{custody.StatusHeld, custody.StatusHospitalised, custody.StatusReleased, custody.StatusEscaped, custody.StatusDeceased, custody.StatusAboard, custody.StatusRepatriated}
	personCategories = []custody.Category{custody.Man, custody.Woman, custody.Boy, custody.Girl}
)

// personQuery reads a list of persons' query parameters, scoped to the
// request's user.
func personQuery(r *http.Request) (sqlstore.PersonQuery, error) {
	v := r.URL.Query()
	q := sqlstore.PersonQuery{
		Scope:       custody.PersonScope(userOf(r)),
		Text:        v.Get("q"),
		Facility:    custody.FacilityID(v.Get("facility")),
		Status:      custody.Status(v.Get("status")),
		Nationality: v.Get("nationality"),
		Category:    custody.Category(v.Get("category")),
		After:       custody.PersonID(v.Get("after")),
	}
	if q.Status != "" && !slices.Contains(personStatuses, q.Status) {
		return q, custody.Errorf(custody.Invalid, "query parameter status: %q is not one of %s", q.Status, joinNames(personStatuses))
	}
	if q.Category != "" && !slices.Contains(personCategories, q.Category) {
		return q, custody.Errorf(custody.Invalid, "query parameter category: %q is not one of %s", q.Category, joinNames(personCategories))
	}
	if n := q.Nationality; n != "" && (len(n) != 2 || strings.ToUpper(n) != n) {
		return q, custody.Errorf(custody.Invalid, "query parameter nationality: %q is not an ISO 3166-1 alpha-2 code (two capital letters)", n)
	}
	var err error
	q.Limit, err = limitParam(r, 50, maxPersonPage)
	return q, err
}

func joinNames[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// limitParam reads the query parameter "limit": def if absent, at most
// max.
func limitParam(r *http.Request, def, max int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, custody.Errorf(custody.Invalid, "query parameter limit: %q is not a positive number", v)
	}
	return min(n, max), nil
}

// intParam reads an integer query parameter, def if absent.
func intParam(r *http.Request, name string, def, least int64) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < least {
		return 0, custody.Errorf(custody.Invalid, "query parameter %s: %q is not a number of at least %d", name, v, least)
	}
	return n, nil
}

// apiPerson answers a person's full record: identity, names, aliases,
// family links and where they are now.
func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.readPerson(r, custody.PersonID(r.PathValue("id")))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rec.State)
}

// apiWhereabouts answers where a person is now, in one query.
func (s *Server) apiWhereabouts(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := custody.PersonID(r.PathValue("id"))
	u := userOf(r)
	wh, err := s.store.WhereIs(ctx, id)
	if err != nil {
		if custody.ErrorCode(err) == custody.NotFound {
			return notInScope(id)
		}
		return err
	}
	if !custody.CanReadPerson(u, wh.Facts) {
		// WhereIs knows the move of a person aboard, not of one only
		// manifested: an escort or a receiver is confirmed with the
		// full facts before being refused.
		if u.Role != custody.RoleEscort && u.Role != custody.RoleReceiver {
			return notInScope(id)
		}
		rec, err := s.store.PersonFacts(ctx, id)
		if err != nil {
			return err
		}
		if !custody.CanReadPerson(u, rec.Facts) {
			return notInScope(id)
		}
	}
	if err := s.audit(r, id); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, wh)
}

// eventJSON is an event of the log as the API shows it: its log index,
// its content, and its leaf hash and proof where asked for.
type eventJSON struct {
	Seq        int64             `json:"seq"`
	Type       custody.EventType `json:"type"`
	OccurredAt time.Time         `json:"occurred_at"`
	RecordedAt time.Time         `json:"recorded_at"`
	By         custody.Actor     `json:"by"`
	Key        string            `json:"key"`
	Salt       string            `json:"salt"`
	Data       custody.Payload   `json:"data"`
	LeafHash   *tlog.Hash        `json:"leaf_hash,omitempty"`
	Proof      *proofStatus      `json:"proof,omitempty"`
}

func newEventJSON(seq int64, e *custody.Event) eventJSON {
	return eventJSON{Seq: seq, Type: e.Type, OccurredAt: e.OccurredAt, RecordedAt: e.RecordedAt, By: e.By, Key: e.Key, Salt: e.Salt, Data: e.Data}
}

// proofStatus says whether an event's inclusion in the latest signed
// checkpoint was proved: "verified" (the proof was checked against the
// checkpoint's root), "pending" (recorded after it) or "failed". Receipt
// is the offline proof (ledger.ReceiptProof's text form).
type proofStatus struct {
	Status         string `json:"status"`
	CheckpointSize int64  `json:"checkpoint_size"`
	Receipt        string `json:"receipt,omitempty"`
}

// Proof personStatuses.
const (
	proofVerified = "verified"
	proofPending  = "pending"
	proofFailed   = "failed"
)

// prove proves the leaf at seq is in the tree of checkpoint cp and checks
// the proof.
func (s *Server) prove(ctx context.Context, cp *checkpointJSON, seq int64, leaf tlog.Hash) (proofStatus, tlog.RecordProof, error) {
	st := proofStatus{Status: proofPending, CheckpointSize: cp.Size}
	if seq >= cp.Size {
		return st, nil, nil
	}
	p, err := s.store.InclusionProof(ctx, cp.Size, seq)
	if err != nil {
		return st, nil, fmt.Errorf("prove event %d: %w", seq, err)
	}
	if err := tlog.CheckRecord(p, cp.Size, cp.RootHash, seq, leaf); err != nil {
		s.log.ErrorContext(ctx, "inclusion proof does not check", "seq", seq, "size", cp.Size, "err", err)
		st.Status = proofFailed
		return st, p, nil
	}
	st.Status = proofVerified
	st.Receipt = (&ledger.ReceiptProof{Index: seq, Leaf: leaf, Proof: p, Checkpoint: []byte(cp.Text)}).Encode()
	return st, p, nil
}

type timelineJSON struct {
	Person     custody.PersonID `json:"person"`
	Checkpoint *checkpointJSON  `json:"checkpoint"`
	Entries    []eventJSON      `json:"entries"`
}

// apiTimeline answers a person's events, each with its inclusion proof in
// the latest checkpoint, checked here.
func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := custody.PersonID(r.PathValue("id"))
	if _, err := s.readPerson(r, id); err != nil {
		return err
	}
	tl, err := s.store.Timeline(ctx, id)
	if err != nil {
		return err
	}
	cp, err := s.latestCheckpoint(ctx)
	if err != nil {
		return err
	}
	out := timelineJSON{Person: id, Checkpoint: cp, Entries: make([]eventJSON, len(tl))}
	for i := range tl {
		t := &tl[i]
		e := newEventJSON(t.Seq, &t.Event)
		e.LeafHash = &t.LeafHash
		st, _, err := s.prove(ctx, cp, t.Seq, t.LeafHash)
		if err != nil {
			return err
		}
		e.Proof = &st
		out.Entries[i] = e
	}
	return writeJSON(w, http.StatusOK, out)
}

type readPage struct {
	Reads []sqlstore.PersonRead `json:"reads"`
	Next  string                `json:"next,omitempty"` // the "before" of the next page
}

// reads answers a page of the audit trail.
func (s *Server) reads(w http.ResponseWriter, r *http.Request, f sqlstore.ReadFilter) error {
	var err error
	if f.Before, err = intParam(r, "before", 0, 1); err != nil {
		return err
	}
	if f.Limit, err = limitParam(r, 100, maxReadPage); err != nil {
		return err
	}
	reads, err := s.store.PersonReads(r.Context(), f)
	if err != nil {
		return err
	}
	page := readPage{Reads: reads}
	if page.Reads == nil {
		page.Reads = []sqlstore.PersonRead{}
	}
	if len(reads) == f.Limit {
		page.Next = strconv.FormatInt(reads[len(reads)-1].ID, 10)
	}
	return writeJSON(w, http.StatusOK, page)
}

// apiPersonReads answers who read a person's record (the monitor's
// audit trail of one person).
func (s *Server) apiPersonReads(w http.ResponseWriter, r *http.Request) error {
	return s.reads(w, r, sqlstore.ReadFilter{Person: r.PathValue("id")})
}

// apiAudit answers the audit trail, filtered by user and person.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	return s.reads(w, r, sqlstore.ReadFilter{User: v.Get("user"), Person: v.Get("person")})
}

type escapesJSON struct {
	Escapes []custody.Escape `json:"escapes"`
	// Hidden counts the open escapes of persons the user may not read:
	// they are counted, not named.
	Hidden int `json:"hidden"`
}

// apiEscapes answers the open "missing from custody" clocks of the
// persons the user may read.
func (s *Server) apiEscapes(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	all, err := s.store.OpenEscapes(ctx)
	if err != nil {
		return err
	}
	out := escapesJSON{Escapes: []custody.Escape{}}
	for _, e := range all {
		ok, err := s.mayRead(ctx, u, e.Person)
		if err != nil {
			return err
		}
		if ok {
			out.Escapes = append(out.Escapes, e)
		} else {
			out.Hidden++
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// mayRead reports whether u may read person id's record (false for a
// person not registered).
func (s *Server) mayRead(ctx context.Context, u *custody.User, id custody.PersonID) (bool, error) {
	switch sc := custody.PersonScope(u); {
	case sc.All:
		return true, nil
	case sc.None():
		return false, nil
	}
	rec, err := s.store.PersonFacts(ctx, id)
	if err != nil {
		if custody.ErrorCode(err) == custody.NotFound {
			return false, nil
		}
		return false, err
	}
	return custody.CanReadPerson(u, rec.Facts), nil
}

func (s *Server) apiAllocations(w http.ResponseWriter, r *http.Request) error {
	as, err := s.store.Allocations(r.Context())
	if err != nil {
		return err
	}
	for _, a := range as {
		fixAllocation(a)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"allocations": as})
}

func (s *Server) apiAllocation(w http.ResponseWriter, r *http.Request) error {
	a, err := s.store.Allocation(r.Context(), custody.AllocationID(r.PathValue("id")))
	if err != nil {
		return err
	}
	fixAllocation(a)
	return writeJSON(w, http.StatusOK, a)
}

// fixAllocation makes an allocation's lists lists, never null.
func fixAllocation(a *custody.AllocationState) {
	if a.Moves == nil {
		a.Moves = []custody.MoveID{}
	}
	if a.Allocation.Destinations == nil {
		a.Allocation.Destinations = []custody.FacilityID{}
	}
}

// controllers returns the authority controlling each facility now.
func (s *Server) controllers(ctx context.Context) (map[custody.FacilityID]custody.AuthorityID, error) {
	fs, err := s.store.Facilities(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[custody.FacilityID]custody.AuthorityID, len(fs))
	for _, f := range fs {
		out[f.ID] = f.Controller
	}
	return out, nil
}

// moveFacts are the policy's facts of a move, from the controllers of
// its origin and destination now.
func moveFacts(m *custody.Move, ctrl map[custody.FacilityID]custody.AuthorityID) custody.MoveFacts {
	return custody.MoveFacts{Origin: m.Origin, Releaser: ctrl[m.Origin], Escort: m.Escort, Receiver: ctrl[m.Destination], Allocation: m.Allocation}
}

func summaryFacts(m *sqlstore.MoveSummary, ctrl map[custody.FacilityID]custody.AuthorityID) custody.MoveFacts {
	return moveFacts(&custody.Move{Origin: m.Origin, Destination: m.Destination, Escort: m.Escort, Allocation: m.Allocation}, ctrl)
}

// visibleMoves returns the moves q selects that u may see.
func (s *Server) visibleMoves(ctx context.Context, u *custody.User, q sqlstore.MoveQuery) ([]sqlstore.MoveSummary, error) {
	ctrl, err := s.controllers(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.store.MovesFor(ctx, q)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for i := range all {
		if custody.CanViewMove(u, summaryFacts(&all[i], ctrl)) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

type movePage struct {
	Moves []sqlstore.MoveSummary `json:"moves"`
	Next  custody.MoveID         `json:"next,omitempty"`
}

var moveStages = []custody.MoveStatus{custody.StagePlanned, custody.StageBoarding, custody.StageDeparted, custody.StageArrived, custody.StageClosed, custody.StageAborted}

// apiMoves lists the moves the user may see, by scheduled departure,
// filtered by the query parameters status, allocation, origin and escort.
func (s *Server) apiMoves(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := sqlstore.MoveQuery{Allocation: custody.AllocationID(v.Get("allocation")), Escort: custody.AuthorityID(v.Get("escort"))}
	if st := custody.MoveStatus(v.Get("status")); st != "" {
		if !slices.Contains(moveStages, st) {
			return custody.Errorf(custody.Invalid, "query parameter status: %q is not one of %s", st, joinNames(moveStages))
		}
		q.Stages = []custody.MoveStatus{st}
	}
	if o := v.Get("origin"); o != "" {
		q.Origins = []custody.FacilityID{custody.FacilityID(o)}
	}
	limit, err := limitParam(r, 100, maxMovePage)
	if err != nil {
		return err
	}
	moves, err := s.visibleMoves(r.Context(), userOf(r), q)
	if err != nil {
		return err
	}
	if after := custody.MoveID(v.Get("after")); after != "" {
		i := slices.IndexFunc(moves, func(m sqlstore.MoveSummary) bool { return m.ID == after })
		if i < 0 {
			return custody.Errorf(custody.Invalid, "query parameter after: no move %q in this list", after)
		}
		moves = moves[i+1:]
	}
	page := movePage{Moves: moves}
	if len(moves) > limit {
		page.Moves = moves[:limit]
		page.Next = moves[limit-1].ID
	}
	return writeJSON(w, http.StatusOK, page)
}

// moveJSON is a move, everything that happened to it, and its counts.
type moveJSON struct {
	*custody.MoveState
	Balance custody.Balance `json:"balance"`
}

// apiMove answers a move the user may see (any other is not found).
func (s *Server) apiMove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := custody.MoveID(r.PathValue("id"))
	m, err := s.store.Move(ctx, id)
	if err != nil {
		if custody.ErrorCode(err) == custody.NotFound {
			return noMove(id)
		}
		return err
	}
	ctrl, err := s.controllers(ctx)
	if err != nil {
		return err
	}
	if !custody.CanViewMove(userOf(r), moveFacts(&m.Move, ctrl)) {
		return noMove(id)
	}
	if m.Manifest == nil {
		m.Manifest = []custody.Seat{}
	}
	if m.Move.Vehicles == nil {
		m.Move.Vehicles = []custody.Vehicle{}
	}
	return writeJSON(w, http.StatusOK, moveJSON{MoveState: m, Balance: m.Balance()})
}

func noMove(id custody.MoveID) error {
	return custody.Errorf(custody.NotFound, "no move %q that you may see", id)
}

// apiAlerts answers the discrepancy alerts of the moves the user may see:
// the open ones, or all with all=true.
func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	all := false
	switch v := r.URL.Query().Get("all"); v {
	case "", "false":
	case "true":
		all = true
	default:
		return custody.Errorf(custody.Invalid, "query parameter all: %q is not true or false", v)
	}
	alerts, err := s.store.Alerts(ctx, !all)
	if err != nil {
		return err
	}
	moves, err := s.visibleMoves(ctx, userOf(r), sqlstore.MoveQuery{})
	if err != nil {
		return err
	}
	visible := make(map[custody.MoveID]bool, len(moves))
	for _, m := range moves {
		visible[m.ID] = true
	}
	out := []*custody.Alert{}
	for _, a := range alerts {
		if visible[a.Move] {
			out = append(out, a)
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"alerts": out})
}

type eventPage struct {
	Events []eventJSON `json:"events"`
	Next   string      `json:"next,omitempty"` // the "after" of the next page
}

// apiEvents answers the log itself, in order, a page at a time.
func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) error {
	after, err := intParam(r, "after", -1, -1)
	if err != nil {
		return err
	}
	limit, err := limitParam(r, 100, maxEventPage)
	if err != nil {
		return err
	}
	entries, err := s.store.Events(r.Context(), after, limit)
	if err != nil {
		return err
	}
	page := eventPage{Events: make([]eventJSON, len(entries))}
	for i := range entries {
		page.Events[i] = newEventJSON(entries[i].Seq, &entries[i].Event)
	}
	if len(entries) == limit {
		page.Next = strconv.FormatInt(entries[len(entries)-1].Seq, 10)
	}
	return writeJSON(w, http.StatusOK, page)
}

// readEvent returns the event at the path's log index and its canonical
// body if the user may read it: the monitor may read any event; anyone
// else an event whose persons (sqlstore.EventPersons) include one they may
// read. The read is recorded against each person the event names.
func (s *Server) readEvent(r *http.Request) (int64, custody.Event, []byte, error) {
	ctx := r.Context()
	v := r.PathValue("seq")
	seq, err := strconv.ParseInt(v, 10, 64)
	if err != nil || seq < 0 {
		return 0, custody.Event{}, nil, custody.Errorf(custody.Invalid, "the log index %q is not a number of at least 0", v)
	}
	e, body, err := s.store.Event(ctx, seq)
	if err != nil {
		return 0, custody.Event{}, nil, err
	}
	named, _ := e.Subjects()
	if u := userOf(r); !custody.Can(u, custody.ReadLog) {
		ok, err := s.mayReadEvent(ctx, u, seq, named)
		if err != nil {
			return 0, custody.Event{}, nil, err
		}
		if !ok {
			return 0, custody.Event{}, nil, custody.Errorf(custody.NotFound, "no event at log index %d that you may see", seq)
		}
	}
	if err := s.audit(r, named...); err != nil {
		return 0, custody.Event{}, nil, err
	}
	return seq, e, body, nil
}

// mayReadEvent reports whether u may read at least one person of the
// event at seq: first those it names, on their full facts, then the
// others of its timeline entries (a control change is on the timeline of
// everyone held in the facility) on the facts of their records, a batch
// at a time. Those facts lack only the move a person is on or
// manifested for, so they never admit more than the full facts do.
func (s *Server) mayReadEvent(ctx context.Context, u *custody.User, seq int64, named []custody.PersonID) (bool, error) {
	if custody.PersonScope(u).None() {
		return false, nil
	}
	for _, p := range named {
		if ok, err := s.mayRead(ctx, u, p); ok || err != nil {
			return ok, err
		}
	}
	persons, err := s.store.EventPersons(ctx, seq)
	if err != nil {
		return false, err
	}
	for chunk := range slices.Chunk(persons, 500) {
		states, err := s.store.Persons(ctx, chunk)
		if err != nil {
			return false, err
		}
		for _, st := range states {
			f := custody.PersonFacts{Nationalities: st.Person.Nationalities, Facility: st.Location.Facility, Holder: st.Location.Authority}
			if custody.CanReadPerson(u, f) {
				return true, nil
			}
		}
	}
	return false, nil
}

func (s *Server) apiEvent(w http.ResponseWriter, r *http.Request) error {
	seq, e, body, err := s.readEvent(r)
	if err != nil {
		return err
	}
	out := newEventJSON(seq, &e)
	leaf := ledger.LeafHash(body)
	out.LeafHash = &leaf
	return writeJSON(w, http.StatusOK, out)
}

// proofJSON is the proof that an event is in the log: its leaf hash, the
// inclusion proof in the tree of the latest checkpoint (checked here),
// and the same as an offline receipt.
type proofJSON struct {
	Seq        int64           `json:"seq"`
	LeafHash   tlog.Hash       `json:"leaf_hash"`
	Status     string          `json:"status"`
	Checkpoint *checkpointJSON `json:"checkpoint"`
	Proof      []tlog.Hash     `json:"proof"`
	Receipt    string          `json:"receipt,omitempty"`
}

func (s *Server) apiProof(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	seq, _, body, err := s.readEvent(r)
	if err != nil {
		return err
	}
	cp, err := s.latestCheckpoint(ctx)
	if err != nil {
		return err
	}
	leaf := ledger.LeafHash(body)
	st, p, err := s.prove(ctx, cp, seq, leaf)
	if err != nil {
		return err
	}
	out := proofJSON{Seq: seq, LeafHash: leaf, Status: st.Status, Checkpoint: cp, Proof: p, Receipt: st.Receipt}
	if out.Proof == nil {
		out.Proof = []tlog.Hash{}
	}
	return writeJSON(w, http.StatusOK, out)
}
