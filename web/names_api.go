package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/personindex"
)

// Names: search by name however it is written, the duplicate check of a
// registration, merges and unmerges, and the probable duplicates of the
// register. Everything goes through the register's names index, kept
// current from the log (personindex), and every result is cut to the
// reader's scope.

// matchJSON is one search result.
type matchJSON struct {
	ID          custody.PersonID `json:"id"`
	DisplayName string           `json:"display_name"`
	Score       float64          `json:"score"`
	Probable    bool             `json:"probable"` // at or above the match threshold
	Name        string           `json:"name"`     // the record's name form that matched best
	Reasons     []names.Reason   `json:"reasons"`
}

// readable is the scope filter of a search: whether u may read person id.
func (s *Server) readable(ctx context.Context, u *custody.User) func(custody.PersonID) (bool, error) {
	return func(id custody.PersonID) (bool, error) {
		_, ok, err := s.readableOne(ctx, u, id)
		return ok, err
	}
}

// searchQuery reads a names query from URL parameters: name (repeatable),
// father, mother, birth_year, nationality.
func searchQuery(r *http.Request) (names.Query, error) {
	v := r.URL.Query()
	var q names.Query
	for _, n := range v["name"] {
		if n = strings.TrimSpace(n); n != "" {
			q.Names = append(q.Names, n)
		}
	}
	if len(q.Names) == 0 {
		return q, badInput("parameter name is required: the name sought, in any script")
	}
	if f := strings.TrimSpace(v.Get("father")); f != "" {
		q.Father = []string{f}
	}
	if m := strings.TrimSpace(v.Get("mother")); m != "" {
		q.Mother = []string{m}
	}
	if y := v.Get("birth_year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 2100 {
			return q, badInput("parameter birth_year: %q is not a year", y)
		}
		q.BirthYear, q.BirthYearSlack = n, 2
	}
	if c := strings.ToUpper(strings.TrimSpace(v.Get("nationality"))); c != "" {
		if len(c) != 2 {
			return q, badInput("parameter nationality: %q is not an ISO 3166-1 alpha-2 code", c)
		}
		q.Nationality = c
	}
	return q, nil
}

// search runs q for the request's user: up to limit matches in their scope.
func (s *Server) search(ctx context.Context, u *custody.User, q names.Query, limit int) ([]matchJSON, error) {
	// The scope check reads each candidate's record: keep the names shown.
	shown := map[custody.PersonID]string{}
	admit := func(id custody.PersonID) (bool, error) {
		rec, ok, err := s.readableOne(ctx, u, id)
		if ok {
			shown[id] = rec.State.Person.Name.Display()
		}
		return ok, err
	}
	ms, err := s.names.Search(ctx, q, limit, admit)
	if err != nil {
		return nil, err
	}
	out := make([]matchJSON, 0, len(ms))
	for _, m := range ms {
		id := custody.PersonID(m.ID)
		mj := matchJSON{ID: id, Score: m.Score, Probable: m.Score >= names.Threshold, Name: m.Name, Reasons: m.Reasons, DisplayName: shown[id]}
		if mj.Reasons == nil {
			mj.Reasons = []names.Reason{}
		}
		out = append(out, mj)
	}
	return out, nil
}

// apiSearchPersons finds persons by name, in the reader's scope, best first.
func (s *Server) apiSearchPersons(w http.ResponseWriter, r *http.Request) error {
	q, err := searchQuery(r)
	if err != nil {
		return err
	}
	limit, err := limitParam(r, 20, 100)
	if err != nil {
		return err
	}
	ms, err := s.search(r.Context(), userOf(r), q, limit)
	if err != nil {
		return err
	}
	ids := make([]custody.PersonID, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	if err := s.audit(r, ids...); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"matches": ms, "threshold": names.Threshold})
}

// registration is a request to register a person and admit them.
type registration struct {
	Person     *custody.Person   `json:"person"`
	Admission  *admissionRequest `json:"admission"`
	OccurredAt time.Time         `json:"occurred_at,omitzero"`
	// NotDuplicateOf lists the probable duplicates the registrar has
	// checked and found to be other persons: the registration goes ahead
	// only if it names every one the check finds.
	NotDuplicateOf []custody.PersonID `json:"not_duplicate_of,omitempty"`
	// ElsewhereChecked says that probable duplicates outside the
	// registrar's scope were checked by someone who may see them.
	ElsewhereChecked bool `json:"elsewhere_checked,omitempty"`
}

type admissionRequest struct {
	Facility  custody.FacilityID  `json:"facility"`
	TakenBy   string              `json:"taken_by"`
	OrderedBy custody.AuthorityID `json:"ordered_by"`
	Order     string              `json:"order,omitempty"`
	Grounds   string              `json:"grounds"`
}

// duplicateJSON is the answer to a registration that probably exists.
type duplicateJSON struct {
	Code       custody.Code `json:"code"`
	Rule       string       `json:"rule"`
	Message    string       `json:"message"`
	Candidates []matchJSON  `json:"candidates"`
	// Elsewhere counts probable duplicates outside the registrar's scope,
	// whom they may not see: a supervisor or a monitor can look.
	Elsewhere int `json:"elsewhere"`
}

// ruleProbableDuplicate is the rule of a registration held back by the
// duplicate check.
const ruleProbableDuplicate = "probable-duplicate"

// duplicateCheck returns the probable duplicates of p in u's scope, and how
// many more there are outside it.
func (s *Server) duplicateCheck(ctx context.Context, u *custody.User, p *custody.Person) ([]matchJSON, int, error) {
	all, err := s.names.Search(ctx, personindex.Query(p), 10, nil)
	if err != nil {
		return nil, 0, err
	}
	elsewhere, probable := 0, false
	see := s.readable(ctx, u)
	for _, m := range all {
		if m.Score < names.Threshold || m.ID == string(p.ID) {
			continue
		}
		probable = true
		if ok, err := see(custody.PersonID(m.ID)); err != nil {
			return nil, 0, err
		} else if !ok {
			elsewhere++
		}
	}
	if !probable {
		return nil, 0, nil
	}
	in, err := s.search(ctx, u, personindex.Query(p), 10)
	if err != nil {
		return nil, 0, err
	}
	var shown []matchJSON
	for _, m := range in {
		if m.Probable && m.ID != p.ID {
			shown = append(shown, m)
		}
	}
	return shown, elsewhere, nil
}

// apiRegisterPerson registers a person and admits them, after the
// duplicate check: a registration that probably exists already is held
// back with the candidates (409) until the registrar names each of them as
// another person in not_duplicate_of.
func (s *Server) apiRegisterPerson(w http.ResponseWriter, r *http.Request) error {
	var req registration
	if err := decodeJSON(w, r, maxBody, &req); err != nil {
		return err
	}
	switch {
	case req.Person == nil:
		return badInput("member /person is required")
	case req.Admission == nil:
		return badInput("member /admission is required: a person is registered where they are admitted")
	}
	if err := req.Person.Validate(); err != nil {
		return badInput("member /person: %v", err)
	}
	if err := s.checkOccurred(req.OccurredAt, "/occurred_at"); err != nil {
		return err
	}
	ctx := r.Context()
	held, err := s.holdDuplicate(ctx, w, r, req.Person, req.NotDuplicateOf, req.ElsewhereChecked)
	if err != nil || held {
		return err
	}
	a := req.Admission
	return s.recordAndAnswer(w, r,
		custody.Event{Type: custody.TypePersonRegistered, OccurredAt: req.OccurredAt, Data: &custody.PersonRegistered{Person: *req.Person}},
		custody.Event{Type: custody.TypeAdmitted, OccurredAt: req.OccurredAt, Data: &custody.Admitted{Person: req.Person.ID, Facility: a.Facility, TakenBy: a.TakenBy, OrderedBy: a.OrderedBy, Order: a.Order, Grounds: a.Grounds}})
}

// holdDuplicate answers 409 with the candidates, and reports true, when p
// probably exists already and the registrar has not named every candidate
// they may see as another person (notDup), or, for candidates outside
// their scope, has not said that they checked with someone who may see
// them (elsewhereChecked). A replay of a registration already recorded
// goes through (it answers with the first result).
func (s *Server) holdDuplicate(ctx context.Context, w http.ResponseWriter, r *http.Request, p *custody.Person, notDup []custody.PersonID, elsewhereChecked bool) (bool, error) {
	held, open, _, elsewhere, err := s.pendingDuplicates(ctx, r, p, notDup, elsewhereChecked)
	if err != nil || !held {
		return false, err
	}
	ids := make([]custody.PersonID, len(open))
	for i, m := range open {
		ids[i] = m.ID
	}
	if err := s.audit(r, ids...); err != nil {
		return false, err
	}
	msg := fmt.Sprintf("%d registered person(s) you may see probably are this person: check each, then merge, or name them in not_duplicate_of", len(open))
	if len(open) == 0 {
		msg = fmt.Sprintf("%d registered person(s) outside your facilities probably are this person: check with a monitor, then set elsewhere_checked", elsewhere)
	}
	return true, writeJSON(w, http.StatusConflict, duplicateJSON{Code: custody.Conflict, Rule: ruleProbableDuplicate, Message: msg, Candidates: open, Elsewhere: elsewhere})
}

// pendingDuplicates runs the duplicate check of a registration of p: held
// reports whether it must wait, because a probable duplicate the user may
// see is not named in notDup (open), or there are some outside their scope
// (elsewhere) and elsewhereChecked is not said; shown is every probable
// duplicate the user may see. A replay of a registration already recorded
// (by its Idempotency-Key) is never held.
func (s *Server) pendingDuplicates(ctx context.Context, r *http.Request, p *custody.Person, notDup []custody.PersonID, elsewhereChecked bool) (held bool, open, shown []matchJSON, elsewhere int, err error) {
	if key, err := idempotencyKey(r); err == nil {
		if _, _, found, err := s.store.EventByKey(ctx, key+"/1"); err != nil {
			return false, nil, nil, 0, err
		} else if found {
			return false, nil, nil, 0, nil
		}
	}
	shown, elsewhere, err = s.duplicateCheck(ctx, userOf(r), p)
	if err != nil {
		return false, nil, nil, 0, err
	}
	open = []matchJSON{}
	for _, m := range shown {
		if !slices.Contains(notDup, m.ID) {
			open = append(open, m)
		}
	}
	held = len(open) > 0 || elsewhere > 0 && !elsewhereChecked
	return held, open, shown, elsewhere, nil
}

type mergeRequest struct {
	Into       custody.PersonID `json:"into"`
	Reason     string           `json:"reason"`
	OccurredAt time.Time        `json:"occurred_at,omitzero"`
}

// apiMergePerson merges record {id} into record "into": the same person.
func (s *Server) apiMergePerson(w http.ResponseWriter, r *http.Request) error {
	var req mergeRequest
	if err := decodeJSON(w, r, maxBody, &req); err != nil {
		return err
	}
	id := custody.PersonID(r.PathValue("id"))
	if req.Into == "" {
		return badInput("member /into is required: the record kept")
	}
	if strings.TrimSpace(req.Reason) == "" {
		return badInput("member /reason is required: how the two were found to be one person")
	}
	if err := s.checkOccurred(req.OccurredAt, "/occurred_at"); err != nil {
		return err
	}
	for _, p := range []custody.PersonID{id, req.Into} {
		if _, ok, err := s.readableOne(r.Context(), userOf(r), p); err != nil {
			return err
		} else if !ok {
			return notInScope(p)
		}
	}
	return s.recordAndAnswer(w, r, custody.Event{Type: custody.TypePersonMerged, OccurredAt: req.OccurredAt,
		Data: &custody.PersonMerged{Kept: req.Into, Merged: id, Reason: req.Reason}})
}

type unmergeRequest struct {
	Merge      int64     `json:"merge"`
	Reason     string    `json:"reason"`
	OccurredAt time.Time `json:"occurred_at,omitzero"`
}

// apiUnmergePerson undoes the merge in force on record {id}.
func (s *Server) apiUnmergePerson(w http.ResponseWriter, r *http.Request) error {
	var req unmergeRequest
	if err := decodeJSON(w, r, maxBody, &req); err != nil {
		return err
	}
	if req.Merge <= 0 {
		return badInput("member /merge is required: the log index of the merge undone")
	}
	if strings.TrimSpace(req.Reason) == "" {
		return badInput("member /reason is required: why the two are two persons")
	}
	if err := s.checkOccurred(req.OccurredAt, "/occurred_at"); err != nil {
		return err
	}
	e, err := s.unmergeEvent(r, custody.PersonID(r.PathValue("id")), req.Merge, req.Reason)
	if err != nil {
		return err
	}
	e.OccurredAt = req.OccurredAt
	return s.recordAndAnswer(w, r, e)
}

// unmergeEvent builds the unmerge of record id's merge number merge, for a
// reader who may see the record.
func (s *Server) unmergeEvent(r *http.Request, id custody.PersonID, merge int64, reason string) (custody.Event, error) {
	rec, err := s.store.PersonFacts(r.Context(), id)
	if err != nil {
		if custody.ErrorCode(err) == custody.NotFound {
			return custody.Event{}, notInScope(id)
		}
		return custody.Event{}, err
	}
	m := rec.State.Merged
	if m == nil {
		return custody.Event{}, custody.Errorf(custody.Conflict, "%s is not merged into another record", id)
	}
	if !custody.CanReadPerson(userOf(r), rec.Facts) {
		return custody.Event{}, notInScope(id)
	}
	return custody.Event{Type: custody.TypePersonUnmerged, Data: &custody.PersonUnmerged{Person: id, Kept: m.Into, Merge: merge, Reason: reason}}, nil
}

// pairJSON is a pair of probable duplicates.
type pairJSON struct {
	A     matchJSON `json:"a"` // the earlier record (ID order)
	B     matchJSON `json:"b"` // the later
	Score float64   `json:"score"`
}

// duplicatePairs returns the probable duplicates the reader may see (both
// records), and the state of the scan.
func (s *Server) duplicatePairs(ctx context.Context, u *custody.User) ([]pairJSON, personindex.DuplicateScan, error) {
	scan, err := s.names.Duplicates(ctx)
	if err != nil {
		return nil, scan, err
	}
	var ids []custody.PersonID
	for _, p := range scan.Pairs {
		ids = append(ids, p.A, p.B)
	}
	ps, err := s.store.Persons(ctx, ids)
	if err != nil {
		return nil, scan, err
	}
	out := []pairJSON{}
	see := s.readable(ctx, u)
	for _, p := range scan.Pairs {
		okA, err := see(p.A)
		if err != nil {
			return nil, scan, err
		}
		okB, err := see(p.B)
		if err != nil {
			return nil, scan, err
		}
		if !okA || !okB {
			continue
		}
		pj := pairJSON{Score: p.Match.Score, A: matchJSON{ID: p.A, Score: p.Match.Score, Probable: true, Reasons: []names.Reason{}}, B: matchJSON{ID: p.B, Score: p.Match.Score, Probable: true, Name: p.Match.Name, Reasons: p.Match.Reasons}}
		if x := ps[p.A]; x != nil {
			pj.A.DisplayName = x.Person.Name.Display()
		}
		if x := ps[p.B]; x != nil {
			pj.B.DisplayName = x.Person.Name.Display()
		}
		if pj.B.Reasons == nil {
			pj.B.Reasons = []names.Reason{}
		}
		out = append(out, pj)
	}
	scan.Pairs = nil
	return out, scan, nil
}

// apiDuplicates lists the probable duplicates of the register that the
// reader may see, best first.
func (s *Server) apiDuplicates(w http.ResponseWriter, r *http.Request) error {
	pairs, scan, err := s.duplicatePairs(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	var ids []custody.PersonID
	for _, p := range pairs {
		ids = append(ids, p.A.ID, p.B.ID)
	}
	if err := s.audit(r, ids...); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"pairs": pairs, "done": scan.Done, "scanned": scan.Scanned, "total": scan.Total})
}
