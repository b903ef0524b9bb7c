package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
)

// timeFormat is how times are kept in text columns: UTC, microseconds,
// fixed width so that text order is time order.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s, err)
	}
	return t, nil
}

// projection describes one table of current state: its columns, the first
// nkey of which are its key.
type projection struct {
	table string
	cols  []string
	nkey  int
}

// The projections, in the order verify compares them.
var (
	authoritiesTable   = projection{"authorities", []string{"id", "kind", "name", "doc"}, 1}
	facilitiesTable    = projection{"facilities", []string{"id", "name", "kind", "parent", "controller", "capacity", "population", "doc"}, 1}
	personsTable       = projection{"persons", []string{"id", "display_name", "category", "sex", "under_12", "risk_tier", "status", "facility_id", "move_id", "authority_id", "since", "since_seq", "escape_seq", "registered_seq", "doc"}, 1}
	nationalitiesTable = projection{"person_nationalities", []string{"person_id", "country"}, 2}
	personEventsTable  = projection{"person_events", []string{"person_id", "seq"}, 2}
	escapesTable       = projection{"escapes", []string{"seq", "person_id", "facility_id", "move_id", "at", "closed_by", "closed_at"}, 1}
	referencesTable    = projection{"reference_lists", []string{"list", "version", "seq", "doc"}, 2}
	allocationsTable   = projection{"allocations", []string{"id", "name", "ordered_by", "target", "doc"}, 1}
	movesTable         = projection{"moves", []string{"id", "allocation_id", "mode", "status", "origin", "destination", "escort", "departure", "manifested", "aboard", "doc"}, 1}
	inquiriesTable     = projection{"inquiries", []string{"id", "status", "desk", "opened_seq", "doc"}, 1}
	casesTable         = projection{"cases", []string{"id", "person_id", "jurisdiction", "stage", "opened_seq", "last_seq", "doc"}, 1}
	exposuresTable     = projection{"exposures", []string{"key", "seq", "person_id", "case_id", "reason", "closed_by", "doc"}, 1}
	notificationsTable = projection{"notifications", []string{"id", "person_id", "authority", "country", "status", "created_seq", "custody_at", "doc"}, 1}
	repatriationsTable = projection{"repatriations", []string{"id", "country", "closed", "requested_seq", "doc"}, 1}
	legalTable         = projection{"legal_references", []string{"kind", "version", "seq", "doc"}, 2}
	alertsTable        = projection{"alerts", []string{"seq", "kind", "move_id", "stage", "expected", "counted", "at", "closed_by", "closed_at", "explanation"}, 1}
)

func (p projection) upsertSQL() string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES (%s)", p.table, strings.Join(p.cols, ", "), placeholders(len(p.cols)))
	fmt.Fprintf(&b, " ON CONFLICT (%s) DO ", strings.Join(p.cols[:p.nkey], ", "))
	if len(p.cols) == p.nkey {
		b.WriteString("NOTHING")
		return b.String()
	}
	b.WriteString("UPDATE SET ")
	for i, c := range p.cols[p.nkey:] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s = excluded.%s", c, c)
	}
	return b.String()
}

func (p projection) selectSQL() string {
	return fmt.Sprintf("SELECT %s FROM %s", strings.Join(p.cols, ", "), p.table)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func nullString[T ~string](s T) any {
	if s == "" {
		return nil
	}
	return string(s)
}

func nullInt(i int64) any {
	if i == 0 {
		return nil
	}
	return i
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func authorityRow(a *custody.Authority) ([]any, error) {
	doc, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encode authority %s: %w", a.ID, err)
	}
	return []any{string(a.ID), string(a.Kind), a.Name.Display(), string(doc)}, nil
}

type facilityDoc struct {
	Facility custody.Facility        `json:"facility"`
	Control  []custody.ControlPeriod `json:"control"`
}

func facilityRow(f *custody.FacilityState) ([]any, error) {
	doc, err := json.Marshal(facilityDoc{f.Facility, f.Control})
	if err != nil {
		return nil, fmt.Errorf("encode facility %s: %w", f.Facility.ID, err)
	}
	return []any{string(f.Facility.ID), f.Facility.Name.Display(), string(f.Facility.Kind), nullString(f.Facility.Parent),
		string(f.Controller), int64(f.Facility.Capacity), int64(f.Count), string(doc)}, nil
}

type personDoc struct {
	Person   custody.Person `json:"person"`
	Identity []int64        `json:"identity"`
	Merged   *custody.Merge `json:"merged,omitempty"`
}

func personRow(p *custody.PersonState) ([]any, error) {
	doc, err := json.Marshal(personDoc{p.Person, p.Identity, p.Merged})
	if err != nil {
		return nil, fmt.Errorf("encode person %s: %w", p.Person.ID, err)
	}
	l := p.Location
	return []any{string(p.Person.ID), p.Person.Name.Display(), string(p.Person.Category), string(p.Person.Sex),
		boolInt(p.Person.Under12), int64(p.Person.RiskTier), string(l.Status), nullString(l.Facility), nullString(l.Move), nullString(l.Authority),
		formatTime(l.Since), l.SinceSeq, nullInt(l.Escape), p.Registered, string(doc)}, nil
}

func nationalityRows(p *custody.Person) [][]any {
	rows := make([][]any, 0, len(p.Nationalities))
	seen := map[string]bool{}
	for _, n := range p.Nationalities {
		if !seen[n] {
			seen[n] = true
			rows = append(rows, []any{string(p.ID), n})
		}
	}
	return rows
}

func escapeRow(e *custody.Escape) []any {
	var closedAt any
	if e.ClosedBy != 0 {
		closedAt = formatTime(e.ClosedAt)
	}
	return []any{e.Seq, string(e.Person), string(e.Facility), nullString(e.Move), formatTime(e.At), nullInt(e.ClosedBy), closedAt}
}

func referenceRow(l *custody.ReferenceList) ([]any, error) {
	doc, err := json.Marshal(l)
	if err != nil {
		return nil, fmt.Errorf("encode reference list %s version %d: %w", l.List, l.Version, err)
	}
	return []any{string(l.List), int64(l.Version), l.Seq, string(doc)}, nil
}

func allocationRow(a *custody.AllocationState) ([]any, error) {
	doc, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encode allocation %s: %w", a.Allocation.ID, err)
	}
	al := &a.Allocation
	return []any{string(al.ID), al.Name, string(al.OrderedBy), int64(al.Target), string(doc)}, nil
}

func inquiryRow(q *custody.InquiryState) ([]any, error) {
	doc, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("encode inquiry %s: %w", q.Inquiry.ID, err)
	}
	return []any{string(q.Inquiry.ID), string(q.Status), q.Desk, q.Opened, string(doc)}, nil
}

func caseRow(c *custody.CaseState) ([]any, error) {
	doc, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode case %s: %w", c.Case.ID, err)
	}
	return []any{string(c.Case.ID), string(c.Case.Person), string(c.Case.Jurisdiction), string(c.Stage), c.Opened, c.LastStep, string(doc)}, nil
}

func exposureRow(x *custody.Exposure) ([]any, error) {
	doc, err := json.Marshal(x)
	if err != nil {
		return nil, fmt.Errorf("encode exposure %d: %w", x.Seq, err)
	}
	return []any{x.Key(), x.Seq, string(x.Person), string(x.Case), x.Reason, nullInt(x.ClosedBy), string(doc)}, nil
}

func notificationRow(n *custody.Notification) ([]any, error) {
	doc, err := json.Marshal(n)
	if err != nil {
		return nil, fmt.Errorf("encode notification %s: %w", n.ID, err)
	}
	return []any{string(n.ID), string(n.Person), string(n.Authority), n.Country, string(n.Status), n.Created, formatTime(n.CustodyAt), string(doc)}, nil
}

func repatriationRow(r *custody.RepatriationState) ([]any, error) {
	doc, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode repatriation %s: %w", r.Request.ID, err)
	}
	return []any{string(r.Request.ID), r.Request.Country, boolInt(r.Closed), r.Requested, string(doc)}, nil
}

// legalRows returns the rows of every version of the legal reference data.
func legalRow(st *custody.State, ref custody.LegalRef) ([]any, error) {
	var (
		v   any
		seq int64
	)
	switch ref.Kind {
	case custody.LegalCharges:
		l := st.ChargeLists[ref.Version-1]
		v, seq = l, l.Seq
	case custody.LegalPositions:
		t := st.PositionTables[ref.Version-1]
		v, seq = t, t.Seq
	}
	doc, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s version %d: %w", ref.Kind, ref.Version, err)
	}
	return []any{string(ref.Kind), int64(ref.Version), seq, string(doc)}, nil
}

// legalRefs lists every version of the legal reference data in st, in key
// order.
func legalRefs(st *custody.State) []custody.LegalRef {
	var out []custody.LegalRef
	for i := range st.ChargeLists {
		out = append(out, custody.LegalRef{Kind: custody.LegalCharges, Version: i + 1})
	}
	var pos []custody.LegalRef
	for i := range st.PositionTables {
		pos = append(pos, custody.LegalRef{Kind: custody.LegalPositions, Version: i + 1})
	}
	return append(out, pos...) // "charges" < "death-penalty"
}

// loadLegal reads the legal projections into parts.
func loadLegal(ctx context.Context, q queryer, parts *custody.Parts) error {
	var err error
	if parts.Cases, err = loadDocs[custody.CaseState](ctx, q, "cases"); err != nil {
		return err
	}
	if parts.Exposures, err = loadDocs[custody.Exposure](ctx, q, "exposures"); err != nil {
		return err
	}
	if parts.Notifications, err = loadDocs[custody.Notification](ctx, q, "notifications"); err != nil {
		return err
	}
	if parts.Repatriations, err = loadDocs[custody.RepatriationState](ctx, q, "repatriations"); err != nil {
		return err
	}
	parts.ChargeLists, parts.PositionTables, err = readLegal(ctx, q)
	return err
}

func moveRow(m *custody.MoveState) ([]any, error) {
	doc, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode move %s: %w", m.Move.ID, err)
	}
	mv := &m.Move
	return []any{string(mv.ID), string(mv.Allocation), string(mv.Mode), string(m.Status), string(mv.Origin), string(mv.Destination),
		string(mv.Escort), formatTime(mv.Departure), int64(len(m.Manifest)), int64(len(m.Aboard)), string(doc)}, nil
}

func alertRow(a *custody.Alert) []any {
	var closedAt any
	if a.ClosedBy != 0 {
		closedAt = formatTime(a.ClosedAt)
	}
	return []any{a.Seq, string(a.Kind), string(a.Move), a.Stage, int64(a.Expected), int64(a.Counted), formatTime(a.At),
		nullInt(a.ClosedBy), closedAt, nullString(a.Explanation)}
}

// loadDocs decodes the doc column of every row of a table.
func loadDocs[T any](ctx context.Context, q queryer, table string) ([]*T, error) {
	return readDocs[T](ctx, q, table, "SELECT doc FROM "+table)
}

// loadDoc reads the document of one row of a projection table by ID; what
// names the thing in errors ("move", "allocation").
func loadDoc[T any](ctx context.Context, q queryer, table, what, id string) (*T, error) {
	var doc string
	err := q.QueryRowContext(ctx, "SELECT doc FROM "+table+" WHERE id = ?", id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &custody.Error{Code: custody.NotFound, Msg: fmt.Sprintf("no %s %q", what, id)}
	}
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", what, id, err)
	}
	v := new(T)
	if err := json.Unmarshal([]byte(doc), v); err != nil {
		return nil, fmt.Errorf("read %s %s: %w", what, id, err)
	}
	return v, nil
}

// loadState rebuilds the writer's state from the projections.
func loadState(ctx context.Context, q queryer) (*custody.State, error) {
	var auths []*custody.Authority
	err := scanAll(ctx, q, "SELECT doc FROM authorities", func(r *sql.Rows) error {
		var doc string
		if err := r.Scan(&doc); err != nil {
			return err
		}
		a := &custody.Authority{}
		auths = append(auths, a)
		return json.Unmarshal([]byte(doc), a)
	})
	if err != nil {
		return nil, fmt.Errorf("load authorities: %w", err)
	}
	var facs []*custody.FacilityState
	err = scanAll(ctx, q, "SELECT controller, population, doc FROM facilities", func(r *sql.Rows) error {
		var (
			f   custody.FacilityState
			doc string
			d   facilityDoc
			n   int64
		)
		if err := r.Scan(&f.Controller, &n, &doc); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			return err
		}
		f.Facility, f.Control, f.Count = d.Facility, d.Control, int(n)
		facs = append(facs, &f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load facilities: %w", err)
	}
	var persons []*custody.PersonState
	err = scanAll(ctx, q, "SELECT status, facility_id, move_id, authority_id, since, since_seq, escape_seq, registered_seq, doc FROM persons", func(r *sql.Rows) error {
		p, err := scanPerson(r)
		persons = append(persons, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load persons: %w", err)
	}
	var escapes []*custody.Escape
	err = scanAll(ctx, q, "SELECT seq, person_id, facility_id, move_id, at, closed_by, closed_at FROM escapes", func(r *sql.Rows) error {
		var (
			e        custody.Escape
			at       string
			mv       sql.NullString
			closedBy sql.NullInt64
			closedAt sql.NullString
		)
		if err := r.Scan(&e.Seq, &e.Person, &e.Facility, &mv, &at, &closedBy, &closedAt); err != nil {
			return err
		}
		e.Move = custody.MoveID(mv.String)
		var err error
		if e.At, err = parseTime(at); err != nil {
			return err
		}
		e.ClosedBy = closedBy.Int64
		if closedAt.Valid {
			if e.ClosedAt, err = parseTime(closedAt.String); err != nil {
				return err
			}
		}
		escapes = append(escapes, &e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load escapes: %w", err)
	}
	parts := custody.Parts{Authorities: auths, Facilities: facs, Persons: persons, Escapes: escapes}
	if parts.References, err = loadDocs[custody.ReferenceList](ctx, q, "reference_lists"); err != nil {
		return nil, err
	}
	if parts.Allocations, err = loadDocs[custody.AllocationState](ctx, q, "allocations"); err != nil {
		return nil, err
	}
	if parts.Moves, err = loadDocs[custody.MoveState](ctx, q, "moves"); err != nil {
		return nil, err
	}
	if parts.Inquiries, err = loadDocs[custody.InquiryState](ctx, q, "inquiries"); err != nil {
		return nil, err
	}
	if parts.Alerts, err = readAlerts(ctx, q, false); err != nil {
		return nil, fmt.Errorf("load %w", err)
	}
	if err := loadLegal(ctx, q, &parts); err != nil {
		return nil, err
	}
	return custody.Restore(parts), nil
}

// queryer is what both *sql.DB and *sql.Tx offer for reading.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func scanAll(ctx context.Context, q queryer, query string, f func(*sql.Rows) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// cell formats a value the way it reads back from the database as text, so
// rows computed from state and rows read from the database compare.
func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return "'" + v + "'"
	case []byte:
		return "'" + string(v) + "'"
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	}
	return fmt.Sprintf("%v", v)
}
