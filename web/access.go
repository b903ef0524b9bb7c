package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// What handlers share: reading a person under the policy (and recording
// the read), recording events under the policy with an idempotency key,
// and reading JSON bodies strictly.

// maxBody is the largest request body accepted (a manifest of a full
// aircraft is a few tens of kilobytes).
const maxBody = 1 << 20

// readPerson returns a person's record if the user may read it, after
// recording the read in the audit trail (who, when, which person, which
// route). A person out of scope is "not found", so that nobody learns who
// is held outside their scope.
func (s *Server) readPerson(r *http.Request, id custody.PersonID) (*sqlstore.PersonRecord, error) {
	u := userOf(r)
	rec, err := s.store.PersonFacts(r.Context(), id)
	if err != nil {
		if custody.ErrorCode(err) == custody.NotFound {
			return nil, notInScope(id)
		}
		return nil, err
	}
	if !custody.CanReadPerson(u, rec.Facts) {
		return nil, notInScope(id)
	}
	if err := s.audit(r, id); err != nil {
		return nil, err
	}
	return rec, nil
}

func notInScope(id custody.PersonID) error {
	return &custody.Error{Code: custody.NotFound, Msg: fmt.Sprintf("no person %q that you may see", id)}
}

// audit records that the request's user read person id's record.
func (s *Server) audit(r *http.Request, ids ...custody.PersonID) error {
	u := userOf(r)
	if u == nil || len(ids) == 0 {
		return nil
	}
	reads := make([]sqlstore.PersonRead, len(ids))
	for i, id := range ids {
		reads[i] = sqlstore.PersonRead{User: u.Name, Person: string(id), Route: r.Method + " " + routePattern(r)}
	}
	if err := s.store.RecordReads(r.Context(), reads...); err != nil {
		return fmt.Errorf("audit read: %w", err)
	}
	return nil
}

// routePattern is the pattern of the route that matched (so the audit
// trail says "GET /persons/{id}", with the person in its own column).
func routePattern(r *http.Request) string {
	p := r.Pattern
	if _, after, ok := strings.Cut(p, " "); ok {
		p = after
	}
	if p == "" {
		p = r.URL.Path
	}
	return p
}

// idempotencyKey returns the request's Idempotency-Key header (or, for a
// form, its "idem" field): required on every write.
func idempotencyKey(r *http.Request) (string, error) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		k = r.PostFormValue("idem")
	}
	if k == "" {
		return "", custody.Errorf(custody.Invalid, "the Idempotency-Key header is required on every write (any unique string; a retry sends the same one)")
	}
	if len(k) > 200 {
		return "", custody.Errorf(custody.Invalid, "the Idempotency-Key header is longer than 200 characters")
	}
	for _, c := range k {
		if c < 0x21 || c > 0x7e {
			return "", custody.Errorf(custody.Invalid, "the Idempotency-Key header must be printable ASCII without spaces")
		}
	}
	return k, nil
}

// record records events for the request's user as one request: each
// event gets the user as its recorder and a key derived from the
// Idempotency-Key (key, or key/1, key/2… for several), and the access
// policy is checked in the writer against the state they apply to.
// Nothing is written unless every event is allowed and keeps the rules.
func (s *Server) record(ctx context.Context, r *http.Request, events ...custody.Event) (sqlstore.Result, error) {
	u := userOf(r)
	if u == nil {
		return sqlstore.Result{}, errSignIn
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return sqlstore.Result{}, err
	}
	now := s.cfg.Now()
	for i := range events {
		e := &events[i]
		e.By = u.Actor(s.cfg.Site)
		e.Key = key
		if len(events) > 1 {
			e.Key = key + "/" + strconv.Itoa(i+1)
		}
		if e.OccurredAt.IsZero() {
			// A retry of a request that left the time to the server
			// takes the first attempt's, so that it replays rather than
			// conflicts.
			e.OccurredAt = now
			if _, prev, ok, err := s.store.EventByKey(ctx, e.Key); err != nil {
				return sqlstore.Result{}, err
			} else if ok && prev.Type == e.Type {
				e.OccurredAt = prev.OccurredAt
			}
		}
		e.OccurredAt = custody.NormTime(e.OccurredAt)
		e.RecordedAt = time.Time{}
	}
	check := func(st *custody.State, e *custody.Event) error { return custody.CanRecord(u, st, e) }
	res, err := s.store.AppendChecked(ctx, check, events...)
	if err != nil {
		return res, err
	}
	s.log.InfoContext(ctx, "recorded", "user", u.Name, "events", len(events), "first", res.Seqs[0], "replayed", res.Replayed)
	return res, nil
}

// decodeJSON reads a JSON request body into v strictly: the body must be
// JSON, at most limit bytes, with no member v does not have and every
// value of the right type. Errors say where and why.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return custody.Errorf(custody.Invalid, "the body must be JSON (Content-Type: application/json), not %q", ct)
		}
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	b, err := io.ReadAll(body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return &custody.Error{Code: custody.Invalid, Msg: fmt.Sprintf("the request body is larger than %d bytes", limit), Err: err}
		}
		return &custody.Error{Code: custody.Invalid, Msg: "the request body could not be read", Err: err}
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return custody.Errorf(custody.Invalid, "the request body is empty: JSON expected")
	}
	if err := jsonv2.Unmarshal(b, v, jsonv2.RejectUnknownMembers(true)); err != nil {
		return jsonError(err)
	}
	return nil
}

// jsonError turns a decoding error into a message that names the member
// and the reason.
func jsonError(err error) error {
	var se *jsonv2.SemanticError
	if errors.As(err, &se) {
		where := string(se.JSONPointer)
		if where == "" {
			where = "/"
		}
		switch {
		case errors.Is(se.Err, jsonv2.ErrUnknownName):
			return &custody.Error{Code: custody.Invalid, Msg: fmt.Sprintf("unknown member %s", where), Err: err}
		case se.GoType != nil && se.JSONKind == '0' && typeName(se.GoType) == "number" && len(se.JSONValue) > 0:
			return &custody.Error{Code: custody.Invalid, Msg: fmt.Sprintf("member %s: %s is not a whole number in range", where, se.JSONValue), Err: err}
		case se.GoType != nil && se.JSONKind != 0:
			return &custody.Error{Code: custody.Invalid, Msg: fmt.Sprintf("member %s: a JSON %s cannot be %s", where, kindName(se.JSONKind), withArticle(typeName(se.GoType))), Err: err}
		case se.Err != nil:
			return &custody.Error{Code: custody.Invalid, Msg: fmt.Sprintf("member %s: %v", where, se.Err), Err: err}
		}
		return &custody.Error{Code: custody.Invalid, Msg: fmt.Sprintf("member %s has the wrong type", where), Err: err}
	}
	var sy *jsontext.SyntacticError
	if errors.As(err, &sy) {
		where := ""
		if sy.JSONPointer != "" {
			where = fmt.Sprintf(" (member %s)", sy.JSONPointer)
		}
		return &custody.Error{Code: custody.Invalid, Msg: fmt.Sprintf("malformed JSON at byte %d%s: %v", sy.ByteOffset, where, sy.Err), Err: err}
	}
	return &custody.Error{Code: custody.Invalid, Msg: "malformed JSON", Err: err}
}

func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 'f', 't':
		return "boolean"
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

// withArticle puts "a" or "an" before a type's name.
func withArticle(name string) string {
	if strings.HasPrefix(name, "RFC") || strings.ContainsAny(name[:min(1, len(name))], "aeiou") {
		return "an " + name
	}
	return "a " + name
}

// typeName says a Go type as a JSON user would understand it.
func typeName(t reflect.Type) string {
	if t.String() == "time.Time" {
		return "RFC 3339 time (string)"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return t.String()
}
