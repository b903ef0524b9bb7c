package web

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/personindex"
	"github.com/opencustody/custody/sqlstore"
)

// Family inquiries. A relative asks the family desk about someone; the
// desk records the inquiry, the names index proposes candidates (each
// shown with only what the desk needs to compare: names, parents' names,
// year of birth, sex, nationality, and why it matched — never where the
// person is), the desk confirms or rejects candidates, and answers. The
// answer is composed by the server from the record, within the fields
// policy releases to relatives (Config.FamilyRelease), and recorded as
// given. A desk user sees only their own inquiries; candidate searches are
// rate limited per desk user (inquiry_rate.go), and every candidate shown
// is recorded in the audit trail.

// maxCandidates is the most candidates proposed for an inquiry.
const maxCandidates = 10

// birthSlack is how many years either side of the year of birth an
// approximate age allows.
const birthSlack = 3

// inquiryRequest is the body of POST /api/v1/inquiries.
type inquiryRequest struct {
	Sought custody.Sought `json:"sought"`
	Asker  custody.Asker  `json:"asker"`
}

// decisionRequest is the body of POST /api/v1/inquiries/{id}/decisions.
type decisionRequest struct {
	Person    custody.PersonID `json:"person"`
	Confirmed *bool            `json:"confirmed"`
	Note      string           `json:"note,omitempty"`
}

// answerRequest is the body of POST /api/v1/inquiries/{id}/answer: the
// confirmed person the answer is about, or none (not found).
type answerRequest struct {
	Person custody.PersonID `json:"person,omitempty"`
}

// inquiryResult answers a write on an inquiry: as any write, with the
// inquiry as it stands after it.
type inquiryResult struct {
	writeResult
	Inquiry *custody.InquiryState `json:"inquiry"`
}

type inquiryList struct {
	Inquiries []*custody.InquiryState `json:"inquiries"`
}

// candidate is a registered person proposed for an inquiry, with only what
// the desk needs to compare them with what the asker said.
type candidate struct {
	Person        custody.PersonID `json:"person"`
	Score         float64          `json:"score"`
	Matched       string           `json:"matched"` // the form of the name that matched best
	Name          custody.Name     `json:"name"`
	Father        custody.Name     `json:"father,omitzero"`
	Mother        custody.Name     `json:"mother,omitzero"`
	BirthYear     int              `json:"birth_year,omitempty"`
	Sex           custody.Sex      `json:"sex"`
	Nationalities []string         `json:"nationalities,omitempty"`
	Reasons       []names.Reason   `json:"reasons"`
	Decision      string           `json:"decision,omitempty"` // the desk's latest: confirmed or rejected
}

type candidateList struct {
	Inquiry    custody.InquiryID `json:"inquiry"`
	Threshold  float64           `json:"threshold"`
	Candidates []candidate       `json:"candidates"`
}

// inquiryID derives an inquiry's ID from who opens it and the request's
// idempotency key, so that a retry names the same inquiry (and replays)
// while two requests never do.
func inquiryID(user, key string) custody.InquiryID {
	h := sha256.Sum256([]byte("custody inquiry\x00" + user + "\x00" + key))
	return custody.InquiryID("INQ-" + base32.StdEncoding.EncodeToString(h[:])[:10])
}

// newInquiry checks what an asker said and makes the inquiry to open.
func newInquiry(user, key string, sought custody.Sought, asker custody.Asker) (custody.Inquiry, error) {
	clean := func(s string) string { return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ") }
	var ns []string
	for _, n := range sought.Names {
		if n = clean(n); n != "" && !slices.Contains(ns, n) {
			ns = append(ns, n)
		}
	}
	sought.Names = ns
	sought.Father, sought.Mother, sought.Origin = clean(sought.Father), clean(sought.Mother), clean(sought.Origin)
	sought.Nationality = strings.ToUpper(strings.TrimSpace(sought.Nationality))
	asker.Name, asker.Relationship, asker.Contact = clean(asker.Name), clean(asker.Relationship), strings.TrimSpace(asker.Contact)
	q := custody.Inquiry{ID: inquiryID(user, key), Sought: sought, Asker: asker}
	if err := q.Validate(); err != nil {
		return q, badInput("%v", err)
	}
	for _, s := range append(slices.Clone(ns), sought.Father, sought.Mother, sought.Origin, asker.Name, asker.Relationship, asker.Contact) {
		if len(s) > 200 {
			return q, badInput("a value of the inquiry is longer than 200 characters")
		}
	}
	if len(ns) > 10 {
		return q, badInput("sought.names: at most 10 names")
	}
	return q, nil
}

// openInquiry records a new inquiry for the request's user.
func (s *Server) openInquiry(r *http.Request, sought custody.Sought, asker custody.Asker) (sqlstore.Result, *custody.InquiryState, error) {
	key, err := idempotencyKey(r)
	if err != nil {
		return sqlstore.Result{}, nil, err
	}
	in, err := newInquiry(userOf(r).Name, key, sought, asker)
	if err != nil {
		return sqlstore.Result{}, nil, err
	}
	res, err := s.record(r.Context(), r, custody.Event{Type: custody.TypeInquiryOpened, Data: &custody.InquiryOpened{Inquiry: in}})
	if err != nil {
		return res, nil, err
	}
	q, err := s.store.Inquiry(r.Context(), in.ID)
	return res, q, err
}

// ownInquiry reads the inquiry of the request's path: the user's own, or
// "not found".
func (s *Server) ownInquiry(r *http.Request) (*custody.InquiryState, error) {
	id := custody.InquiryID(r.PathValue("id"))
	q, err := s.store.Inquiry(r.Context(), id)
	if custody.ErrorCode(err) == custody.NotFound || err == nil && q.Desk != userOf(r).Name {
		return nil, custody.Errorf(custody.NotFound, "no inquiry %q of yours", id)
	}
	return q, err
}

// inquiryQuery is the names query of an inquiry: the names, the parents'
// names, the year of birth from the approximate age (as of the day the
// inquiry was opened) and the nationality.
func inquiryQuery(q *custody.InquiryState) names.Query {
	in := q.Inquiry.Sought
	nq := names.Query{Names: in.Names, Nationality: in.Nationality}
	if in.Father != "" {
		nq.Father = []string{in.Father}
	}
	if in.Mother != "" {
		nq.Mother = []string{in.Mother}
	}
	if in.Age > 0 {
		nq.BirthYear, nq.BirthYearSlack = q.OpenedAt.UTC().Year()-in.Age, birthSlack
	}
	return nq
}

// proposed returns the candidates proposed for an open inquiry: those kept
// from a recent search, or a new search, charged to the user's allowance.
// Candidates are scored at or above names.Threshold, registered and not
// merged, of the sex sought if both are known, at most maxCandidates.
func (s *Server) proposed(r *http.Request, q *custody.InquiryState) ([]names.Match, error) {
	ctx := r.Context()
	d, now := s.desk(), s.cfg.Now()
	if ms, ok := d.proposedFor(q.Inquiry.ID, now); ok {
		return ms, nil
	}
	if err := d.charge(userOf(r).Name, now); err != nil {
		s.log.WarnContext(ctx, "candidate search rate limited", "user", userOf(r).Name, "inquiry", q.Inquiry.ID)
		return nil, err
	}
	ms, err := s.names.Search(ctx, inquiryQuery(q), 3*maxCandidates, nil)
	if err != nil {
		return nil, err
	}
	ids := make([]custody.PersonID, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, custody.PersonID(m.ID))
	}
	states, err := s.store.Persons(ctx, ids)
	if err != nil {
		return nil, err
	}
	sex := q.Inquiry.Sought.Sex
	kept := []names.Match{}
	for _, m := range ms {
		ps := states[custody.PersonID(m.ID)]
		switch {
		case m.Score < names.Threshold, ps == nil, ps.Merged != nil:
			continue
		case (sex == custody.Male || sex == custody.Female) && (ps.Person.Sex == custody.Male || ps.Person.Sex == custody.Female) && ps.Person.Sex != sex:
			continue
		}
		kept = append(kept, m)
		if len(kept) == maxCandidates {
			break
		}
	}
	d.propose(q.Inquiry.ID, kept, now)
	return kept, nil
}

// candidates returns an open inquiry's candidates as the desk sees them,
// and records in the audit trail that the user was shown each of them.
func (s *Server) candidates(r *http.Request, q *custody.InquiryState) ([]candidate, error) {
	ms, err := s.proposed(r, q)
	if err != nil {
		return nil, err
	}
	ids := make([]custody.PersonID, len(ms))
	for i, m := range ms {
		ids[i] = custody.PersonID(m.ID)
	}
	states, err := s.store.Persons(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	out := make([]candidate, 0, len(ms))
	shown := make([]custody.PersonID, 0, len(ms))
	for _, m := range ms {
		ps := states[custody.PersonID(m.ID)]
		if ps == nil || ps.Merged != nil {
			continue
		}
		p := &ps.Person
		c := candidate{Person: p.ID, Score: m.Score, Matched: m.Name, Name: p.Name, Father: p.FatherName, Mother: p.MotherName,
			BirthYear: personindex.BirthYear(p.Birth), Sex: p.Sex, Nationalities: p.Nationalities, Reasons: m.Reasons, Decision: decisionOf(q, p.ID)}
		if c.Reasons == nil {
			c.Reasons = []names.Reason{}
		}
		out = append(out, c)
		shown = append(shown, p.ID)
	}
	if err := s.audit(r, shown...); err != nil {
		return nil, err
	}
	return out, nil
}

// decisionOf is the desk's latest decision on p: confirmed, rejected, or
// none.
func decisionOf(q *custody.InquiryState, p custody.PersonID) string {
	for i := len(q.Decisions) - 1; i >= 0; i-- {
		if q.Decisions[i].Person == p {
			if q.Decisions[i].Confirmed {
				return "confirmed"
			}
			return "rejected"
		}
	}
	return ""
}

// decide records the desk's decision on a candidate. Only the candidates
// proposed for the inquiry (or a person decided on before) may be decided
// on: a desk user cannot learn about anyone else by deciding.
func (s *Server) decide(r *http.Request, q *custody.InquiryState, person custody.PersonID, confirmed bool, note string) (sqlstore.Result, error) {
	note = strings.TrimSpace(note)
	switch {
	case person == "":
		return sqlstore.Result{}, badInput("member /person is required: the candidate decided on")
	case len(note) > 500:
		return sqlstore.Result{}, badInput("member /note is longer than 500 characters")
	}
	if q.Status == custody.InquiryOpen && decisionOf(q, person) == "" {
		ms, err := s.proposed(r, q)
		if err != nil {
			return sqlstore.Result{}, err
		}
		if !slices.ContainsFunc(ms, func(m names.Match) bool { return m.ID == string(person) }) {
			return sqlstore.Result{}, &custody.Error{Code: custody.NotFound, Rule: custody.RuleInquiry,
				Msg: "no candidate " + string(person) + " for inquiry " + string(q.Inquiry.ID) + ": decide only on the candidates proposed"}
		}
	}
	return s.record(r.Context(), r, custody.Event{Type: custody.TypeInquiryDecided,
		Data: &custody.InquiryDecided{Inquiry: q.Inquiry.ID, Person: person, Confirmed: confirmed, Note: note}})
}

// answer composes and records the answer to an inquiry: about a person the
// desk confirmed, what policy releases from their record; or "not found".
func (s *Server) answer(r *http.Request, q *custody.InquiryState, person custody.PersonID) (sqlstore.Result, error) {
	ctx := r.Context()
	key, err := idempotencyKey(r)
	if err != nil {
		return sqlstore.Result{}, err
	}
	if q.Status != custody.InquiryOpen {
		// A retry of the answer replays the answer as recorded; any other
		// answer is refused.
		_, prev, ok, err := s.store.EventByKey(ctx, key)
		if err != nil {
			return sqlstore.Result{}, err
		}
		if d, isAnswer := prev.Data.(*custody.InquiryAnswered); ok && isAnswer && d.Inquiry == q.Inquiry.ID && d.Person == person {
			return s.record(ctx, r, custody.Event{Type: custody.TypeInquiryAnswered, Data: d})
		}
		return sqlstore.Result{}, &custody.Error{Code: custody.Conflict, Rule: custody.RuleInquiry,
			Msg: "inquiry " + string(q.Inquiry.ID) + " is already answered: an inquiry is answered once"}
	}
	a := custody.FamilyAnswer{}
	if person != "" {
		if !q.Confirmed(person) {
			return sqlstore.Result{}, &custody.Error{Code: custody.Conflict, Rule: custody.RuleUnconfirmed,
				Msg: "confirm " + string(person) + " as the person sought before answering about them"}
		}
		if a, err = s.composeAnswer(r, person); err != nil {
			return sqlstore.Result{}, err
		}
	}
	return s.record(ctx, r, custody.Event{Type: custody.TypeInquiryAnswered,
		Data: &custody.InquiryAnswered{Inquiry: q.Inquiry.ID, Person: person, Answer: a}})
}

// composeAnswer composes what relatives are told about person from their
// record, and records the read.
func (s *Server) composeAnswer(r *http.Request, person custody.PersonID) (custody.FamilyAnswer, error) {
	ctx := r.Context()
	states, err := s.store.Persons(ctx, []custody.PersonID{person})
	if err != nil {
		return custody.FamilyAnswer{}, err
	}
	ps := states[person]
	if ps == nil {
		return custody.FamilyAnswer{}, notInScope(person)
	}
	tl, err := s.store.Timeline(ctx, person)
	if err != nil {
		return custody.FamilyAnswer{}, err
	}
	history := make([]custody.Event, len(tl))
	for i := range tl {
		history[i] = tl[i].Event
	}
	n, err := s.releaseNamer(r)
	if err != nil {
		return custody.FamilyAnswer{}, err
	}
	if err := s.audit(r, person); err != nil {
		return custody.FamilyAnswer{}, err
	}
	return custody.ComposeAnswer(s.cfg.FamilyRelease, ps, history, n), nil
}

// releaseNamer names authorities and facilities in an answer, by their
// preferred Latin names (the answer is recorded once, in one language).
type releaseNamer struct {
	auth map[custody.AuthorityID]*custody.Authority
	facs map[custody.FacilityID]custody.Name
}

func (s *Server) releaseNamer(r *http.Request) (*releaseNamer, error) {
	auth, err := s.store.Authorities(r.Context())
	if err != nil {
		return nil, err
	}
	list, err := s.store.Facilities(r.Context())
	if err != nil {
		return nil, err
	}
	n := &releaseNamer{auth: auth, facs: make(map[custody.FacilityID]custody.Name, len(list))}
	for _, f := range list {
		n.facs[f.ID] = f.Name
	}
	return n, nil
}

func (n *releaseNamer) AuthorityName(id custody.AuthorityID) string {
	if a := n.auth[id]; a != nil && !a.Name.IsZero() {
		return a.Name.Display()
	}
	return string(id)
}

func (n *releaseNamer) FacilityName(id custody.FacilityID) string {
	if f, ok := n.facs[id]; ok && !f.IsZero() {
		return f.Display()
	}
	return string(id)
}

// answerWrite answers a write on an inquiry: 201 with the inquiry after
// it, or 200 for a replay.
func (s *Server) answerWrite(w http.ResponseWriter, r *http.Request, res sqlstore.Result, id custody.InquiryID) error {
	ctx := r.Context()
	q, err := s.store.Inquiry(ctx, id)
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
	return writeJSON(w, code, inquiryResult{writeResult: writeResult{Seqs: res.Seqs, Replayed: res.Replayed, Checkpoint: cp}, Inquiry: q})
}

// limited answers a search refused by the rate limit (with its own
// Retry-After), or returns err as it is.
func limited(w http.ResponseWriter, err error) error {
	var le *limitError
	if !errors.As(err, &le) {
		return err
	}
	w.Header().Set("Retry-After", le.retryAfter())
	return writeJSON(w, http.StatusTooManyRequests, publicError(err))
}

// apiOpenInquiry opens an inquiry.
func (s *Server) apiOpenInquiry(w http.ResponseWriter, r *http.Request) error {
	var req inquiryRequest
	if err := decodeJSON(w, r, 64<<10, &req); err != nil {
		return err
	}
	res, q, err := s.openInquiry(r, req.Sought, req.Asker)
	if err != nil {
		return err
	}
	return s.answerWrite(w, r, res, q.Inquiry.ID)
}

// apiInquiries lists the user's inquiries, newest first.
func (s *Server) apiInquiries(w http.ResponseWriter, r *http.Request) error {
	qs, err := s.store.Inquiries(r.Context(), userOf(r).Name)
	if err != nil {
		return err
	}
	if qs == nil {
		qs = []*custody.InquiryState{}
	}
	return writeJSON(w, http.StatusOK, inquiryList{Inquiries: qs})
}

// apiInquiry shows one of the user's inquiries.
func (s *Server) apiInquiry(w http.ResponseWriter, r *http.Request) error {
	q, err := s.ownInquiry(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, q)
}

// apiCandidates proposes candidates for an open inquiry.
func (s *Server) apiCandidates(w http.ResponseWriter, r *http.Request) error {
	q, err := s.ownInquiry(r)
	if err != nil {
		return err
	}
	if q.Status != custody.InquiryOpen {
		return &custody.Error{Code: custody.Conflict, Rule: custody.RuleInquiry, Msg: "inquiry " + string(q.Inquiry.ID) + " is answered: no more candidates are proposed"}
	}
	cs, err := s.candidates(r, q)
	if err != nil {
		return limited(w, err)
	}
	return writeJSON(w, http.StatusOK, candidateList{Inquiry: q.Inquiry.ID, Threshold: names.Threshold, Candidates: cs})
}

// apiDecide records the desk's decision on a candidate.
func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) error {
	q, err := s.ownInquiry(r)
	if err != nil {
		return err
	}
	var req decisionRequest
	if err := decodeJSON(w, r, 16<<10, &req); err != nil {
		return err
	}
	if req.Confirmed == nil {
		return badInput("member /confirmed is required: true (this is the person sought) or false")
	}
	res, err := s.decide(r, q, req.Person, *req.Confirmed, req.Note)
	if err != nil {
		return limited(w, err)
	}
	return s.answerWrite(w, r, res, q.Inquiry.ID)
}

// apiAnswer composes and records the answer to an inquiry.
func (s *Server) apiAnswer(w http.ResponseWriter, r *http.Request) error {
	q, err := s.ownInquiry(r)
	if err != nil {
		return err
	}
	var req answerRequest
	if err := decodeJSON(w, r, 16<<10, &req); err != nil {
		return err
	}
	res, err := s.answer(r, q, custody.PersonID(strings.TrimSpace(string(req.Person))))
	if err != nil {
		return err
	}
	return s.answerWrite(w, r, res, q.Inquiry.ID)
}

// answeredAt is when an inquiry's answer was given (the time of its event).
func (s *Server) answeredAt(r *http.Request, q *custody.InquiryState) (time.Time, error) {
	if q.Answered == 0 {
		return time.Time{}, nil
	}
	e, _, err := s.store.Event(r.Context(), q.Answered)
	if err != nil {
		return time.Time{}, err
	}
	return e.OccurredAt, nil
}
