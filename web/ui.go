package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// What the UI's pages share: names of authorities and facilities in the
// page's language, the persons a user may see by name, form keys, paging
// links and the template functions the pages use.

// uiFuncs are the template functions of the UI's pages (beside funcs).
var uiFuncs = template.FuncMap{
	"b64":  func(h tlog.Hash) string { return base64.StdEncoding.EncodeToString(h[:]) },
	"join": func(sep string, s []string) string { return strings.Join(s, sep) },
	"add":  func(a, b int) int { return a + b },
	"bar": func(n, d int) int { // a bar's width in per cent, 0 to 100
		if d <= 0 {
			return 0
		}
		return min(n*100/d, 100)
	},
	"latin": func(n custody.Name) string { return strings.Join(n.Latin, " · ") },
	"n64":   func(n int64) string { return formatInt(int(n)) },
	"over":  func(n, d int) bool { return d > 0 && n > d },
	"ts": func(s string) string { // a stored RFC 3339 time, shortly
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return s
		}
		return t.UTC().Format("2006-01-02 15:04")
	},
	"prefix": strings.HasPrefix,
	"at": func(t time.Time) template.HTML { // a time, kept left to right on Arabic pages
		if t.IsZero() {
			return ""
		}
		t = t.UTC()
		return template.HTML(`<time dir="ltr" datetime="` + t.Format(time.RFC3339) + `">` + t.Format("2006-01-02 15:04 UTC") + `</time>`) // #nosec G203 -- digits only
	},
	"idem":    newIdem, // a fresh idempotency key for each form rendered
	"class":   func(s string) string { return strings.ReplaceAll(s, " ", "-") },
	"penalty": penaltyText, // a penalty in the page's language
	"has":     func(xs []string, x string) bool { return slices.Contains(xs, x) },
	"pair":    func(a, b any) pairOf { return pairOf{a, b} }, // two values for a partial
}

// lookup names authorities and facilities in a page's language.
type lookup struct {
	lang Lang
	auth map[custody.AuthorityID]*custody.Authority
	facs map[custody.FacilityID]sqlstore.FacilitySummary
	list []sqlstore.FacilitySummary // by ID
	refs map[custody.ListID][]*custody.ReferenceList
}

func (s *Server) lookup(r *http.Request) (*lookup, error) {
	ctx := r.Context()
	auth, err := s.store.Authorities(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Facilities(ctx)
	if err != nil {
		return nil, err
	}
	l := &lookup{lang: langOf(r), auth: auth, facs: make(map[custody.FacilityID]sqlstore.FacilitySummary, len(list)), list: list}
	for _, f := range list {
		l.facs[f.ID] = f
	}
	return l, nil
}

// Name is a name in the page's language: its Arabic form on an Arabic
// page, else its preferred Latin spelling.
func (l *lookup) Name(n custody.Name) string {
	if l.lang == Arabic && n.Arabic != "" {
		return n.Arabic
	}
	return n.Display()
}

// Authority names an authority (its ID if unknown).
func (l *lookup) Authority(id custody.AuthorityID) string {
	if a := l.auth[id]; a != nil {
		return l.Name(a.Name)
	}
	return string(id)
}

// Facility names a facility (its ID if unknown).
func (l *lookup) Facility(id custody.FacilityID) string {
	if f, ok := l.facs[id]; ok {
		return l.Name(f.Name)
	}
	return string(id)
}

// Controller is who controls a facility now.
func (l *lookup) Controller(id custody.FacilityID) custody.AuthorityID { return l.facs[id].Controller }

// Facilities lists every facility, by ID.
func (l *lookup) Facilities() []sqlstore.FacilitySummary { return l.list }

// Authorities lists every authority, by ID.
func (l *lookup) Authorities() []*custody.Authority {
	out := make([]*custody.Authority, 0, len(l.auth))
	for _, a := range l.auth {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *custody.Authority) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return out
}

// moveFacts are the policy's facts of a move, with the controllers of its
// origin and destination as they are now (as custody.State.MoveFacts).
func (l *lookup) moveFacts(m *sqlstore.MoveSummary) custody.MoveFacts {
	return custody.MoveFacts{Origin: m.Origin, Releaser: l.Controller(m.Origin), Escort: m.Escort,
		Receiver: l.Controller(m.Destination), Allocation: m.Allocation}
}

func (l *lookup) stateFacts(m *custody.MoveState) custody.MoveFacts {
	return l.moveFacts(&sqlstore.MoveSummary{Origin: m.Move.Origin, Destination: m.Move.Destination, Escort: m.Move.Escort, Allocation: m.Move.Allocation})
}

// mayRecordOnMove reports whether u records anything on a move with facts
// f in the field (boarding, counts, handovers): as custody.CanRecord's
// sides of a move have it, for the roles that work in the field.
func mayRecordOnMove(u *custody.User, f custody.MoveFacts) bool {
	if !custody.Can(u, custody.RecordEvents) || !custody.CanViewMove(u, f) {
		return false
	}
	switch u.Role {
	case custody.RoleRegistrar:
		return slices.Contains(u.Facilities, f.Origin) && u.Authority == f.Releaser
	case custody.RoleEscort, custody.RoleReceiver:
		return u.Authority == f.Escort || u.Authority == f.Receiver || u.Authority == f.Releaser
	}
	return false
}

// onMoveFacts are the policy's facts of a person on (or manifested for) a
// move, from their state: on an open move whose manifest still holds them,
// the move's escort and receiver are theirs.
func onMoveFacts(ps *custody.PersonState, m *custody.MoveState, receiver custody.AuthorityID) custody.PersonFacts {
	f := custody.PersonFacts{Nationalities: ps.Person.Nationalities, Facility: ps.Location.Facility, Holder: ps.Location.Authority}
	if ps.Location.Status == custody.StatusAboard {
		f.Facility = m.Move.Origin
	}
	if _, nb := m.NotBoarded[ps.Person.ID]; m.Status.Open() && !nb {
		f.MoveEscort, f.MoveReceiver = m.Move.Escort, receiver
	}
	if ps.Location.Move != "" && ps.Location.Move != m.Move.ID {
		f.MoveEscort, f.MoveReceiver = "", "" // aboard another move: not decided here
	}
	return f
}

// shownPerson is a person as a list shows them: by name if the user may
// read their record, else by ID only.
type shownPerson struct {
	ID       custody.PersonID
	Name     custody.Name // zero if not readable
	Readable bool
	State    *custody.PersonState // nil if not readable
}

// manifestPersons returns the persons of a move as the user may see them,
// and records the reads of those shown by name.
func (s *Server) manifestPersons(r *http.Request, m *custody.MoveState, l *lookup, ids []custody.PersonID) (map[custody.PersonID]shownPerson, error) {
	u := userOf(r)
	states, err := s.store.Persons(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	out := make(map[custody.PersonID]shownPerson, len(ids))
	var read []custody.PersonID
	for _, id := range ids {
		sp := shownPerson{ID: id}
		if ps := states[id]; ps != nil && custody.CanReadPerson(u, onMoveFacts(ps, m, l.Controller(m.Move.Destination))) {
			sp.Name, sp.Readable, sp.State = ps.Person.Name, true, ps
			read = append(read, id)
		}
		out[id] = sp
	}
	if err := s.audit(r, read...); err != nil {
		return nil, err
	}
	return out, nil
}

// readableOne reports whether the user may read person id (without
// recording a read: the caller records it when it shows the person).
func (s *Server) readableOne(ctx context.Context, u *custody.User, id custody.PersonID) (*sqlstore.PersonRecord, bool, error) {
	rec, err := s.store.PersonFacts(ctx, id)
	if err != nil {
		if custody.ErrorCode(err) == custody.NotFound {
			return nil, false, nil
		}
		return nil, false, err
	}
	return rec, custody.CanReadPerson(u, rec.Facts), nil
}

// newIdem returns a fresh idempotency key for a form.
func newIdem() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// withQuery returns path with q's values, one of them set to value (or
// removed if value is empty).
func withQuery(path string, q url.Values, key, value string) string {
	v := url.Values{}
	for k, vs := range q {
		if len(vs) > 0 && vs[0] != "" && k != key {
			v.Set(k, vs[0])
		}
	}
	if value != "" {
		v.Set(key, value)
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// atoiOr parses a non-negative number, or returns def.
func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return def
	}
	return n
}

// errorOf returns the *custody.Error in err, for a form to show: the rule
// and the message (nil for errors that are not the user's to fix).
func errorOf(err error) *apiError {
	e := publicError(err)
	switch e.Code {
	case custody.Internal, custody.Unauthenticated, custody.TooMany:
		return nil
	}
	return &e
}

// pairOf is two values handed to a partial template (see "pair").
type pairOf struct{ A, B any }
