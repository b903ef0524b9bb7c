package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

// Reads for the web UI and the JSON API: scoped, paginated lists of
// persons, a person's record, timeline and whereabouts, the log, the
// facilities, the allocations and the moves boards. Every read goes through
// the read-only pool; none decodes more documents than it returns.

// Person list limits.
const (
	defaultPersonLimit = 50
	maxPersonLimit     = 500
)

// Log read limits.
const (
	defaultEventLimit = 100
	maxEventLimit     = 1000
)

// PersonQuery selects a page of persons. Every set field narrows the list
// (the filters are AND-ed with each other and with the scope).
type PersonQuery struct {
	// Scope is what the reader may see (custody.PersonScope of the user);
	// it is applied in SQL, so pages are full and Next is right. A scope
	// that admits nobody returns an empty page.
	Scope custody.Scope
	// Text matches, ignoring case (ASCII letters; other scripts as they
	// are), a prefix of the person's ID or a part of their display name.
	Text        string
	Facility    custody.FacilityID // held in (or in hospital at) this facility
	Status      custody.Status
	Nationality string // ISO 3166-1 alpha-2
	Category    custody.Category
	// After is the last ID of the previous page (PersonPage.Next); empty
	// for the first page.
	After custody.PersonID
	// Limit is the page size: 50 if zero, at most 500.
	Limit int
}

// PersonSummary is one line of a list of persons.
type PersonSummary struct {
	ID            custody.PersonID    `json:"id"`
	DisplayName   string              `json:"display_name"`
	Category      custody.Category    `json:"category"`
	Sex           custody.Sex         `json:"sex"`
	Under12       bool                `json:"under_12"`
	RiskTier      int                 `json:"risk_tier"`
	Status        custody.Status      `json:"status"`
	Facility      custody.FacilityID  `json:"facility,omitempty"`
	Authority     custody.AuthorityID `json:"authority,omitempty"`
	Move          custody.MoveID      `json:"move,omitempty"`
	Nationalities []string            `json:"nationalities"` // sorted
	Since         time.Time           `json:"since"`
}

// PersonPage is a page of persons, by ID.
type PersonPage struct {
	Persons []PersonSummary `json:"persons"`
	// Next is the After of the next page; empty when this is the last.
	Next custody.PersonID `json:"next,omitempty"`
}

// ListPersons returns a page of the persons the query selects, by ID.
func (s *Store) ListPersons(ctx context.Context, q PersonQuery) (PersonPage, error) {
	page := PersonPage{Persons: []PersonSummary{}}
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = defaultPersonLimit
	case limit > maxPersonLimit:
		limit = maxPersonLimit
	}
	if q.Scope.None() {
		return page, nil
	}
	var (
		conds []string
		args  []any
	)
	if !q.Scope.All {
		cond, cargs, err := s.scopeSQL(ctx, q.Scope)
		if err != nil {
			return page, fmt.Errorf("list persons: %w", err)
		}
		if cond == "" {
			return page, nil // nobody is in scope now (an escort with no open move)
		}
		conds, args = append(conds, cond), append(args, cargs...)
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		pat := escapeLike(lowerASCII(t))
		conds = append(conds, `(lower(p.id) LIKE ? ESCAPE '\' OR lower(p.display_name) LIKE ? ESCAPE '\')`)
		args = append(args, pat+"%", "%"+pat+"%")
	}
	if q.Facility != "" {
		conds, args = append(conds, `p.facility_id = ?`), append(args, string(q.Facility))
	}
	if q.Status != "" {
		conds, args = append(conds, `p.status = ?`), append(args, string(q.Status))
	}
	if q.Nationality != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM person_nationalities n WHERE n.person_id = p.id AND n.country = ?)`)
		args = append(args, q.Nationality)
	}
	if q.Category != "" {
		conds, args = append(conds, `p.category = ?`), append(args, string(q.Category))
	}
	if q.After != "" {
		conds, args = append(conds, `p.id > ?`), append(args, string(q.After))
	}
	query := `SELECT p.id, p.display_name, p.category, p.sex, p.under_12, p.risk_tier, p.status, p.facility_id, p.authority_id, p.move_id, p.since FROM persons p`
	if len(conds) > 0 {
		query += ` WHERE ` + strings.Join(conds, ` AND `)
	}
	query += ` ORDER BY p.id LIMIT ?`
	args = append(args, limit+1)
	err := scanAll(ctx, s.readDB, query, func(r *sql.Rows) error {
		var (
			p             PersonSummary
			under12, risk int64
			fac, auth, mv sql.NullString
			since         string
		)
		if err := r.Scan(&p.ID, &p.DisplayName, &p.Category, &p.Sex, &under12, &risk, &p.Status, &fac, &auth, &mv, &since); err != nil {
			return err
		}
		t, err := parseTime(since)
		if err != nil {
			return err
		}
		p.Under12, p.RiskTier, p.Since = under12 != 0, int(risk), t
		p.Facility, p.Authority, p.Move = custody.FacilityID(fac.String), custody.AuthorityID(auth.String), custody.MoveID(mv.String)
		p.Nationalities = []string{}
		page.Persons = append(page.Persons, p)
		return nil
	}, args...)
	if err != nil {
		return PersonPage{}, fmt.Errorf("list persons: %w", err)
	}
	if len(page.Persons) > limit {
		page.Persons = page.Persons[:limit]
		page.Next = page.Persons[limit-1].ID
	}
	if len(page.Persons) == 0 {
		return page, nil
	}
	// The page's nationalities, in one query.
	at := make(map[custody.PersonID]int, len(page.Persons))
	ids := make([]any, len(page.Persons))
	for i, p := range page.Persons {
		at[p.ID] = i
		ids[i] = string(p.ID)
	}
	err = scanAll(ctx, s.readDB, `SELECT person_id, country FROM person_nationalities WHERE person_id IN (`+placeholders(len(ids))+`) ORDER BY person_id, country`,
		func(r *sql.Rows) error {
			var (
				id      custody.PersonID
				country string
			)
			if err := r.Scan(&id, &country); err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				page.Persons[i].Nationalities = append(page.Persons[i].Nationalities, country)
			}
			return nil
		}, ids...)
	if err != nil {
		return PersonPage{}, fmt.Errorf("list persons: nationalities: %w", err)
	}
	return page, nil
}

// scopeSQL returns the condition on persons p that a scope (not All, not
// None) sets, as custody.Scope.Admits decides it: its fields OR-ed. It
// returns "" when nobody can be in scope. Persons on or manifested for
// open moves are looked up first, from the moves' manifests.
func (s *Store) scopeSQL(ctx context.Context, sc custody.Scope) (string, []any, error) {
	var (
		or   []string
		args []any
	)
	if len(sc.Facilities) > 0 {
		// Held in one of them, or aboard a move from one of them (the
		// policy's facility of a person aboard is the move's origin).
		in := placeholders(len(sc.Facilities))
		or = append(or, `p.facility_id IN (`+in+`)`, `p.move_id IN (SELECT id FROM moves WHERE origin IN (`+in+`))`)
		for range 2 {
			for _, f := range sc.Facilities {
				args = append(args, string(f))
			}
		}
	}
	if len(sc.Nationalities) > 0 {
		or = append(or, `EXISTS (SELECT 1 FROM person_nationalities n WHERE n.person_id = p.id AND n.country IN (`+placeholders(len(sc.Nationalities))+`))`)
		for _, n := range sc.Nationalities {
			args = append(args, n)
		}
	}
	if sc.Holder != "" {
		or, args = append(or, `p.authority_id = ?`), append(args, string(sc.Holder))
	}
	if sc.Receiver != "" {
		or, args = append(or, `p.authority_id = ?`), append(args, string(sc.Receiver))
	}
	var onMoves []string
	if sc.Escort != "" {
		ids, err := s.openMovePersons(ctx, `SELECT m.doc FROM moves m WHERE m.status NOT IN (?, ?) AND m.escort = ?`, string(sc.Escort))
		if err != nil {
			return "", nil, err
		}
		onMoves = append(onMoves, ids...)
	}
	if sc.Receiver != "" {
		ids, err := s.openMovePersons(ctx, `SELECT m.doc FROM moves m JOIN facilities f ON f.id = m.destination WHERE m.status NOT IN (?, ?) AND f.controller = ?`, string(sc.Receiver))
		if err != nil {
			return "", nil, err
		}
		onMoves = append(onMoves, ids...)
	}
	if len(onMoves) > 0 {
		slices.Sort(onMoves)
		list, err := json.Marshal(slices.Compact(onMoves))
		if err != nil {
			return "", nil, err
		}
		or, args = append(or, s.dialect().inJSON("p.id")), append(args, string(list))
	}
	if len(or) == 0 {
		return "", nil, nil
	}
	return `(` + strings.Join(or, ` OR `) + `)`, args, nil
}

// inJSON is the condition "col is one of the strings of a JSON array", the
// array being one parameter: any number of values, one statement, on
// either engine.
func (d *dialect) inJSON(col string) string {
	if d.name == "postgres" {
		return col + ` IN (SELECT jsonb_array_elements_text(CAST(CAST(? AS text) AS jsonb)) COLLATE "C")`
	}
	return col + ` IN (SELECT value FROM json_each(?))`
}

// moveManifest is the part of a move's doc that says who is on it.
type moveManifest struct {
	Manifest   []custody.Seat                       `json:"manifest"`
	NotBoarded map[custody.PersonID]json.RawMessage `json:"not_boarded"`
}

// holds reports whether p is on the move or manifested for it: on its
// manifest and not recorded as not boarded (as custody.State's own rule of
// one open manifest per person has it).
func (m *moveManifest) holds(p custody.PersonID) bool {
	if _, nb := m.NotBoarded[p]; nb {
		return false
	}
	return slices.ContainsFunc(m.Manifest, func(st custody.Seat) bool { return st.Person == p })
}

// openMovePersons returns the persons on or manifested for the moves a
// query selects; the query's first two parameters are the ended stages.
func (s *Store) openMovePersons(ctx context.Context, query string, args ...any) ([]string, error) {
	var out []string
	args = append([]any{string(custody.StageClosed), string(custody.StageAborted)}, args...)
	err := scanAll(ctx, s.readDB, query, func(r *sql.Rows) error {
		var (
			doc string
			m   moveManifest
		)
		if err := r.Scan(&doc); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(doc), &m); err != nil {
			return err
		}
		for _, st := range m.Manifest {
			if _, nb := m.NotBoarded[st.Person]; !nb {
				out = append(out, string(st.Person))
			}
		}
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("read open moves: %w", err)
	}
	return out, nil
}

// lowerASCII lower-cases ASCII letters only, as lower() does in SQLite and
// on PostgreSQL's "C" collation of the store's columns.
func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// escapeLike escapes LIKE's wildcards (and its escape character, \).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// PersonRecord is a person's full record and what the access policy needs
// to know about them.
type PersonRecord struct {
	State *custody.PersonState `json:"state"`
	// Facts are for the access decision (custody.CanReadPerson), not for
	// display.
	Facts custody.PersonFacts `json:"-"`
}

// PersonFacts returns a person's record and their policy facts:
// nationalities, facility (the move's origin when aboard), holder, and the
// escort and receiver (controller of the destination) of the open move
// they are aboard or manifested for.
func (s *Store) PersonFacts(ctx context.Context, id custody.PersonID) (*PersonRecord, error) {
	row := s.readDB.QueryRowContext(ctx, `SELECT status, facility_id, move_id, authority_id, since, since_seq, escape_seq, registered_seq, doc FROM persons WHERE id = ?`, string(id))
	ps, err := scanPerson(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noPerson(id)
	}
	if err != nil {
		return nil, fmt.Errorf("read person %s: %w", id, err)
	}
	rec := &PersonRecord{State: ps}
	f := &rec.Facts
	f.Facility, f.Holder = ps.Location.Facility, ps.Location.Authority
	if m := ps.Merged; m != nil {
		// A merged record is placed nowhere: it is in the scope of where
		// it was, so that the registrar who merged it can undo the merge.
		f.Facility, f.Holder = m.Before.Facility, m.Before.Authority
	}
	if f.Nationalities, err = s.nationalities(ctx, id); err != nil {
		return nil, err
	}
	if ps.Location.Move != "" {
		var origin, escort, receiver string
		err := s.readDB.QueryRowContext(ctx, `SELECT m.origin, m.escort, coalesce(f.controller, '') FROM moves m LEFT JOIN facilities f ON f.id = m.destination WHERE m.id = ?`,
			string(ps.Location.Move)).Scan(&origin, &escort, &receiver)
		if err != nil {
			return nil, fmt.Errorf("read person %s: move %s: %w", id, ps.Location.Move, err)
		}
		f.Facility, f.MoveEscort, f.MoveReceiver = custody.FacilityID(origin), custody.AuthorityID(escort), custody.AuthorityID(receiver)
		return rec, nil
	}
	// Not aboard: the open move whose manifest names them, if any. The
	// LIKE only narrows the moves decoded; the manifest decides.
	quoted, err := json.Marshal(string(id))
	if err != nil {
		return nil, fmt.Errorf("read person %s: %w", id, err)
	}
	found := false
	err = scanAll(ctx, s.readDB, `SELECT m.doc, m.escort, coalesce(f.controller, '') FROM moves m LEFT JOIN facilities f ON f.id = m.destination
		WHERE m.status NOT IN (?, ?) AND m.doc LIKE ? ESCAPE '\' ORDER BY m.id`, func(r *sql.Rows) error {
		var (
			doc, escort, receiver string
			m                     moveManifest
		)
		if err := r.Scan(&doc, &escort, &receiver); err != nil {
			return err
		}
		if found {
			return nil
		}
		if err := json.Unmarshal([]byte(doc), &m); err != nil {
			return err
		}
		if m.holds(id) {
			found = true
			f.MoveEscort, f.MoveReceiver = custody.AuthorityID(escort), custody.AuthorityID(receiver)
		}
		return nil
	}, string(custody.StageClosed), string(custody.StageAborted), "%"+escapeLike(string(quoted))+"%")
	if err != nil {
		return nil, fmt.Errorf("read person %s: open moves: %w", id, err)
	}
	return rec, nil
}

func noPerson(id custody.PersonID) error {
	return &custody.Error{Code: custody.NotFound, Person: id, Msg: "no such person"}
}

// nationalities returns a person's nationalities, sorted.
func (s *Store) nationalities(ctx context.Context, id custody.PersonID) ([]string, error) {
	out := []string{}
	err := scanAll(ctx, s.readDB, `SELECT country FROM person_nationalities WHERE person_id = ? ORDER BY country`, func(r *sql.Rows) error {
		var c string
		if err := r.Scan(&c); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	}, string(id))
	if err != nil {
		return nil, fmt.Errorf("read nationalities of %s: %w", id, err)
	}
	return out, nil
}

// personExists reports whether a person is registered.
func (s *Store) personExists(ctx context.Context, id custody.PersonID) (bool, error) {
	var n int
	if err := s.readDB.QueryRowContext(ctx, `SELECT count(*) FROM persons WHERE id = ?`, string(id)).Scan(&n); err != nil {
		return false, fmt.Errorf("read person %s: %w", id, err)
	}
	return n > 0, nil
}

// TimelineEntry is one event of a person's timeline.
type TimelineEntry struct {
	Seq   int64         `json:"seq"`
	Event custody.Event `json:"event"`
	// LeafHash is the event's leaf in the Merkle tree (tlog.RecordHash of
	// its canonical body): with an inclusion proof it shows the event is
	// in a signed checkpoint.
	LeafHash tlog.Hash `json:"leaf_hash"`
}

// Timeline returns the events of a person's timeline, in log order.
func (s *Store) Timeline(ctx context.Context, id custody.PersonID) ([]TimelineEntry, error) {
	out := []TimelineEntry{}
	err := scanAll(ctx, s.readDB, `SELECT e.seq, e.body FROM person_events pe JOIN events e ON e.seq = pe.seq WHERE pe.person_id = ? ORDER BY pe.seq`,
		func(r *sql.Rows) error {
			var (
				t    TimelineEntry
				body []byte
			)
			if err := r.Scan(&t.Seq, &body); err != nil {
				return err
			}
			if err := json.Unmarshal(body, &t.Event); err != nil {
				return fmt.Errorf("decode event %d: %w", t.Seq, err)
			}
			t.LeafHash = ledger.LeafHash(body)
			out = append(out, t)
			return nil
		}, string(id))
	if err != nil {
		return nil, fmt.Errorf("read timeline of %s: %w", id, err)
	}
	if len(out) == 0 {
		ok, err := s.personExists(ctx, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, noPerson(id)
		}
	}
	return out, nil
}

// EventPersons returns the persons whose timeline holds the event at log
// index seq, by ID (none for an event about no person).
func (s *Store) EventPersons(ctx context.Context, seq int64) ([]custody.PersonID, error) {
	out := []custody.PersonID{}
	err := scanAll(ctx, s.readDB, `SELECT person_id FROM person_events WHERE seq = ? ORDER BY person_id`, func(r *sql.Rows) error {
		var id custody.PersonID
		if err := r.Scan(&id); err != nil {
			return err
		}
		out = append(out, id)
		return nil
	}, seq)
	if err != nil {
		return nil, fmt.Errorf("read persons of event %d: %w", seq, err)
	}
	if len(out) == 0 {
		var n int
		if err := s.readDB.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE seq = ?`, seq).Scan(&n); err != nil {
			return nil, fmt.Errorf("read event %d: %w", seq, err)
		}
		if n == 0 {
			return nil, &custody.Error{Code: custody.NotFound, Msg: fmt.Sprintf("no event at log index %d", seq)}
		}
	}
	return out, nil
}

// LogEntry is one entry of the log.
type LogEntry struct {
	Seq        int64             `json:"seq"`
	Type       custody.EventType `json:"type"`
	OccurredAt time.Time         `json:"occurred_at"`
	RecordedAt time.Time         `json:"recorded_at"`
	Event      custody.Event     `json:"event"`
}

// Events returns the log's entries after log index after, in order: at
// most limit (100 if zero, at most 1000). Log indexes start at 0: pass -1
// for the first page, then the last Seq of each page.
func (s *Store) Events(ctx context.Context, after int64, limit int) ([]LogEntry, error) {
	switch {
	case limit <= 0:
		limit = defaultEventLimit
	case limit > maxEventLimit:
		limit = maxEventLimit
	}
	out := []LogEntry{}
	err := scanAll(ctx, s.readDB, `SELECT seq, type, occurred_at, recorded_at, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, func(r *sql.Rows) error {
		var (
			e      LogEntry
			oc, rc string
			body   []byte
			err    error
		)
		if err := r.Scan(&e.Seq, &e.Type, &oc, &rc, &body); err != nil {
			return err
		}
		if e.OccurredAt, err = parseTime(oc); err != nil {
			return err
		}
		if e.RecordedAt, err = parseTime(rc); err != nil {
			return err
		}
		if err := json.Unmarshal(body, &e.Event); err != nil {
			return fmt.Errorf("decode event %d: %w", e.Seq, err)
		}
		out = append(out, e)
		return nil
	}, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read log after %d: %w", after, err)
	}
	return out, nil
}

// FacilitySummary is a facility as listed and mapped.
type FacilitySummary struct {
	ID         custody.FacilityID   `json:"id"`
	Name       custody.Name         `json:"name"`
	Kind       custody.FacilityKind `json:"kind"`
	Parent     custody.FacilityID   `json:"parent,omitempty"`
	Place      custody.Place        `json:"place"`
	Capacity   int                  `json:"capacity"`
	Population int                  `json:"population"` // on its roll now (held, or in hospital there)
	Controller custody.AuthorityID  `json:"controller"` // now
	Security   custody.Security     `json:"security"`
}

// Facilities returns every facility, by ID.
func (s *Store) Facilities(ctx context.Context) ([]FacilitySummary, error) {
	out := []FacilitySummary{}
	err := scanAll(ctx, s.readDB, `SELECT controller, population, doc FROM facilities ORDER BY id`, func(r *sql.Rows) error {
		var (
			ctrl string
			n    int64
			doc  string
			d    facilityDoc
		)
		if err := r.Scan(&ctrl, &n, &doc); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			return err
		}
		f := &d.Facility
		out = append(out, FacilitySummary{ID: f.ID, Name: f.Name, Kind: f.Kind, Parent: f.Parent, Place: f.Place, Capacity: f.Capacity,
			Population: int(n), Controller: custody.AuthorityID(ctrl), Security: f.Security})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read facilities: %w", err)
	}
	return out, nil
}

// Allocations returns every allocation, by ID.
func (s *Store) Allocations(ctx context.Context) ([]*custody.AllocationState, error) {
	out, err := loadDocs[custody.AllocationState](ctx, s.readDB, "allocations")
	if err != nil {
		return nil, fmt.Errorf("read %w", err)
	}
	slices.SortFunc(out, func(a, b *custody.AllocationState) int { return cmp.Compare(a.Allocation.ID, b.Allocation.ID) })
	if out == nil {
		out = []*custody.AllocationState{}
	}
	return out, nil
}

// Allocation returns one allocation.
func (s *Store) Allocation(ctx context.Context, id custody.AllocationID) (*custody.AllocationState, error) {
	return loadDoc[custody.AllocationState](ctx, s.readDB, "allocations", "allocation", string(id))
}

// MoveQuery selects moves. Empty fields select every move; the set ones
// are AND-ed.
type MoveQuery struct {
	Stages     []custody.MoveStatus
	Escort     custody.AuthorityID
	Receiver   custody.AuthorityID // controller (now) of the move's destination
	Origins    []custody.FacilityID
	Allocation custody.AllocationID
	Limit      int // 0: every move
	Offset     int
}

// MovesFor returns the moves a query selects, by scheduled departure (then
// ID).
func (s *Store) MovesFor(ctx context.Context, q MoveQuery) ([]MoveSummary, error) {
	query := `SELECT m.id, m.allocation_id, m.mode, m.status, m.origin, m.destination, m.escort, m.departure, m.manifested, m.aboard FROM moves m`
	var (
		conds []string
		args  []any
	)
	if q.Receiver != "" {
		query += ` JOIN facilities f ON f.id = m.destination`
		conds, args = append(conds, `f.controller = ?`), append(args, string(q.Receiver))
	}
	if len(q.Stages) > 0 {
		conds = append(conds, `m.status IN (`+placeholders(len(q.Stages))+`)`)
		for _, st := range q.Stages {
			args = append(args, string(st))
		}
	}
	if q.Escort != "" {
		conds, args = append(conds, `m.escort = ?`), append(args, string(q.Escort))
	}
	if len(q.Origins) > 0 {
		conds = append(conds, `m.origin IN (`+placeholders(len(q.Origins))+`)`)
		for _, o := range q.Origins {
			args = append(args, string(o))
		}
	}
	if q.Allocation != "" {
		conds, args = append(conds, `m.allocation_id = ?`), append(args, string(q.Allocation))
	}
	if len(conds) > 0 {
		query += ` WHERE ` + strings.Join(conds, ` AND `)
	}
	query += ` ORDER BY m.departure, m.id`
	if q.Limit > 0 || q.Offset > 0 {
		limit := int64(math.MaxInt32)
		if q.Limit > 0 {
			limit = int64(q.Limit)
		}
		query += ` LIMIT ? OFFSET ?`
		args = append(args, limit, int64(max(q.Offset, 0)))
	}
	out := []MoveSummary{}
	err := scanAll(ctx, s.readDB, query, func(r *sql.Rows) error {
		var m MoveSummary
		if err := r.Scan(&m.ID, &m.Allocation, &m.Mode, &m.Status, &m.Origin, &m.Destination, &m.Escort, &m.Departure, &m.Manifested, &m.Aboard); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("read moves: %w", err)
	}
	return out, nil
}

// Whereabouts is where a person is now and in whose custody.
type Whereabouts struct {
	Person       custody.PersonID    `json:"person"`
	Status       custody.Status      `json:"status"`
	Facility     custody.FacilityID  `json:"facility,omitempty"`
	FacilityName string              `json:"facility_name,omitempty"`
	Authority    custody.AuthorityID `json:"authority,omitempty"`
	Move         custody.MoveID      `json:"move,omitempty"`
	Since        time.Time           `json:"since"`
	SinceSeq     int64               `json:"since_seq"`
	// Facts are for the access decision, not for display. Unlike
	// PersonFacts, MoveEscort and MoveReceiver are set only when the
	// person is aboard a move: a person manifested for a move but not yet
	// aboard has them empty here. A decision that denies on these facts
	// should be confirmed with PersonFacts before refusing an escort or a
	// receiver.
	Facts custody.PersonFacts `json:"-"`
}

// WhereIs returns where a person is now, from the persons row and its
// nationalities (one indexed query, no documents decoded). Answers are
// kept by the log size they were read at, and one is given again only
// while the log has that size: the size is read first, so an answer is
// never older than the log the reader saw. The caller must not modify it.
func (s *Store) WhereIs(ctx context.Context, id custody.PersonID) (*Whereabouts, error) {
	var size int64
	if err := s.readDB.QueryRowContext(ctx, `SELECT size FROM log_head WHERE id = 1`).Scan(&size); err != nil {
		return nil, fmt.Errorf("where is %s: log size: %w", id, err)
	}
	if w := s.where.get(size, id); w != nil {
		return w, nil
	}
	w, err := s.whereIs(ctx, id)
	if err != nil {
		return nil, err
	}
	s.where.put(size, id, w)
	return w, nil
}

// whereCache holds answers of WhereIs for one log size.
type whereCache struct {
	mu   sync.Mutex
	size int64
	m    map[custody.PersonID]*Whereabouts
}

// maxWhereCache bounds the answers kept for one log size.
const maxWhereCache = 100_000

func (c *whereCache) get(size int64, id custody.PersonID) *Whereabouts {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.size != size {
		return nil
	}
	return c.m[id]
}

func (c *whereCache) put(size int64, id custody.PersonID, w *Whereabouts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case size < c.size:
		return // read before a write another reader has already seen
	case size > c.size || c.m == nil || len(c.m) >= maxWhereCache:
		c.size, c.m = size, map[custody.PersonID]*Whereabouts{}
	}
	c.m[id] = w
}

func (s *Store) whereIs(ctx context.Context, id custody.PersonID) (*Whereabouts, error) {
	var (
		w     *Whereabouts
		since string
	)
	err := scanAll(ctx, s.readDB, `SELECT p.status, p.facility_id, f.name, p.authority_id, p.move_id, p.since, p.since_seq, m.origin, m.escort, d.controller, n.country
		FROM persons p
		LEFT JOIN facilities f ON f.id = p.facility_id
		LEFT JOIN moves m ON m.id = p.move_id
		LEFT JOIN facilities d ON d.id = m.destination
		LEFT JOIN person_nationalities n ON n.person_id = p.id
		WHERE p.id = ? ORDER BY n.country`, func(r *sql.Rows) error {
		var (
			x                                                Whereabouts
			fac, fname, auth, mv, origin, escort, recv, natl sql.NullString
		)
		if err := r.Scan(&x.Status, &fac, &fname, &auth, &mv, &since, &x.SinceSeq, &origin, &escort, &recv, &natl); err != nil {
			return err
		}
		if w == nil {
			x.Person = id
			x.Facility, x.FacilityName = custody.FacilityID(fac.String), fname.String
			x.Authority, x.Move = custody.AuthorityID(auth.String), custody.MoveID(mv.String)
			x.Facts = custody.PersonFacts{Nationalities: []string{}, Facility: x.Facility, Holder: x.Authority}
			if x.Move != "" {
				x.Facts.Facility = custody.FacilityID(origin.String)
				x.Facts.MoveEscort, x.Facts.MoveReceiver = custody.AuthorityID(escort.String), custody.AuthorityID(recv.String)
			}
			w = &x
		}
		if natl.Valid {
			w.Facts.Nationalities = append(w.Facts.Nationalities, natl.String)
		}
		return nil
	}, string(id))
	if err != nil {
		return nil, fmt.Errorf("where is %s: %w", id, err)
	}
	if w == nil {
		return nil, noPerson(id)
	}
	if w.Since, err = parseTime(since); err != nil {
		return nil, fmt.Errorf("where is %s: %w", id, err)
	}
	return w, nil
}
