package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// The OpenAPI document is checked against the live API: it is loaded and
// validated with kin-openapi, then real requests to every GET route (with
// real IDs of the demo), a whole move's writes and error answers are
// validated against it — request and response, status, content type and
// body. A response that drifts from the document fails the test.

// openAPISpec loads and validates the served document.
func openAPISpec(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDoc)
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("openapi.json: router: %v", err)
	}
	return doc, router
}

// validator checks exchanges against the document.
type validator struct {
	router routers.Router
	seen   map[string]int // "METHOD path-template" → exchanges checked
}

// check validates a request (unless it is meant to be bad) and its
// response.
func (v *validator) check(t testing.TB, x *exchange) {
	t.Helper()
	if err := v.validate(x); err != nil {
		t.Errorf("%s %s → %d: %v\n%.1000s", x.req.Method, x.req.URL.RequestURI(), x.status, err, x.body)
	}
}

func (v *validator) validate(x *exchange) error {
	ctx := context.Background()
	req := x.req.Clone(ctx)
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("no route in the document: %w", err)
	}
	if v.seen != nil {
		v.seen[req.Method+" "+route.Path]++
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options:    &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	if x.status < 400 {
		// A request that succeeded must be one the document describes.
		req.Body = io.NopCloser(bytes.NewReader(x.reqBody))
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return fmt.Errorf("request: %w", err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 x.status,
		Header:                 x.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	out.SetBodyBytes(x.body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("response: %w", err)
	}
	return nil
}

func TestOpenAPI(t *testing.T) {
	doc, router := openAPISpec(t)
	f, lw := newLegalFixture(t)
	v := &validator{router: router, seen: map[string]int{}}
	c := &apiClient{f: f, seen: v.check}

	// The document served is the document checked.
	x := c.get(t, "", "/api/openapi.json", http.StatusOK, nil)
	if !bytes.Equal(x.body, openAPIDoc) {
		t.Error("GET /api/openapi.json is not openapi.json")
	}

	// Every GET route, as a user who may, with real IDs of the demo.
	const (
		person = "NES-018168"
		move   = "MV-20260123-15"
	)
	var tl timelineT
	c.get(t, "monitor", "/api/v1/persons/"+person+"/timeline", http.StatusOK, &tl)
	seq := tl.Entries[len(tl.Entries)-1].Seq
	gets := []struct{ user, path string }{
		{"", "/checkpoint"},
		{"", "/tile/0/000"},
		{"", "/tile/1/000"},
		{"", "/api/v1/status"},
		{"", "/api/v1/checkpoints/latest"},
		{"consular", "/api/v1/me"},
		{"registrar", "/api/v1/me"},
		{"family", "/api/v1/stats"},
		{"monitor", "/api/v1/authorities"},
		{"monitor", "/api/v1/facilities"},
		{"monitor", "/api/v1/facilities/al-hol"},
		{"registrar", "/api/v1/facilities/gweiran/roll?limit=5&status=held"},
		{"monitor", "/api/v1/persons?limit=5&nationality=FR&category=woman"},
		{"monitor", "/api/v1/persons?q=NES-0181&limit=3"},
		{"consular", "/api/v1/persons?limit=3"},
		{"monitor", "/api/v1/persons/" + person},
		{"monitor", "/api/v1/persons/" + person + "/whereabouts"},
		{"monitor", "/api/v1/persons/" + person + "/reads?limit=2"},
		{"monitor", "/api/v1/persons/" + person + "/bundle"},
		{"monitor", "/api/v1/escapes"},
		{"consular", "/api/v1/escapes"},
		{"planner", "/api/v1/allocations"},
		{"planner", "/api/v1/allocations/ALLOC-2026-01"},
		{"escort", "/api/v1/moves?limit=3"},
		{"monitor", "/api/v1/moves?status=closed&allocation=ALLOC-2026-01-R"},
		{"monitor", "/api/v1/moves/" + move},
		{"monitor", "/api/v1/moves/MV-20260123-09"}, // a count alert, closed by an evacuation
		{"monitor", "/api/v1/alerts"},
		{"monitor", "/api/v1/alerts?all=true"},
		{"monitor", "/api/v1/events?limit=3"},
		{"monitor", "/api/v1/events?after=104800&limit=10"},
		{"monitor", fmt.Sprintf("/api/v1/events/%d", seq)},
		{"monitor", "/api/v1/events/0"},
		{"monitor", fmt.Sprintf("/api/v1/proofs/%d", seq)},
		{"monitor", "/api/v1/audit?limit=3"},
		{"monitor", "/api/v1/audit?user=monitor&person=" + person + "&limit=2&before=1000000"},
		{"admin", "/api/v1/users"},
	}
	for _, g := range gets {
		c.get(t, g.user, g.path, http.StatusOK, nil)
	}

	// Writes: a whole move, with its replays and refusals, an incident, a
	// batch of events, users.
	runMove(t, c)
	runAbortedMove(t, c, "MV-API-TEST-02")
	runInquiries(t, c)
	runNames(t, c)
	runLegal(t, c, lw)
	held, err := f.store.Held(context.Background(), "gweiran")
	if err != nil {
		t.Fatal(err)
	}
	p := held[0].Person.ID
	esc := c.write(t, "registrar", "/api/v1/incidents", "i1", fmt.Sprintf(`{"type": "custody.escaped", "data": {"person": %q, "facility": "gweiran"}}`, p), http.StatusCreated)
	c.write(t, "registrar", "/api/v1/events", "e1", fmt.Sprintf(`{"events": [{"type": "custody.recaptured", "data": {"person": %q, "escape": %d, "facility": "gweiran"}}]}`, p, esc.Seqs[0]), http.StatusCreated)
	c.call(t, "admin", "POST", "/api/v1/users", `{"name": "consul.de", "role": "consular", "nationalities": ["DE"]}`).want(t, http.StatusCreated, nil)
	c.call(t, "admin", "POST", "/api/v1/users/consul.de/tokens", "").want(t, http.StatusCreated, nil)
	c.call(t, "admin", "POST", "/api/v1/users/consul.de/tokens", `{"label": "laptop"}`).want(t, http.StatusCreated, nil)
	c.call(t, "admin", "POST", "/api/v1/users/consul.de/disable", "").want(t, http.StatusOK, nil)

	// Errors: 400, 401, 403, 404, 409, 413.
	c.get(t, "monitor", "/api/v1/persons?limit=x", http.StatusBadRequest, nil)
	c.get(t, "", "/api/v1/me", http.StatusUnauthorized, nil)
	c.call(t, "", "GET", "/api/v1/persons", "", "Authorization", "Bearer cst_nope").want(t, http.StatusUnauthorized, nil)
	c.get(t, "family", "/api/v1/persons", http.StatusForbidden, nil)
	c.get(t, "consular", "/api/v1/persons/"+person, http.StatusNotFound, nil)
	c.get(t, "monitor", "/api/v1/moves/MV-NONE", http.StatusNotFound, nil)
	c.get(t, "", "/tile/5/000", http.StatusNotFound, nil)
	c.call(t, "escort", "POST", "/api/v1/moves/"+move+"/close", "", "Idempotency-Key", "c1").want(t, http.StatusConflict, nil)
	c.call(t, "escort", "POST", "/api/v1/moves/"+move+"/depart", `{"count": "3"}`, "Idempotency-Key", "c2").want(t, http.StatusBadRequest, nil)
	c.call(t, "escort", "POST", "/api/v1/moves/"+move+"/depart", `{"count": 3}`).want(t, http.StatusBadRequest, nil)
	c.call(t, "escort", "POST", "/api/v1/moves/"+move+"/depart", `{"count": 3, "pad": "`+strings.Repeat("x", maxBody)+`"}`, "Idempotency-Key", "c3").want(t, http.StatusRequestEntityTooLarge, nil)
	c.call(t, "family", "POST", "/api/v1/events", `{"events": []}`, "Idempotency-Key", "c4").want(t, http.StatusForbidden, nil)

	// Every operation of the document was called...
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if v.seen[method+" "+path] == 0 {
				t.Errorf("%s %s: in the document, never called", method, path)
			}
		}
	}
	// ... and every route of the API.
	for _, rt := range f.srv.Routes() {
		if !rt.API {
			continue
		}
		path := rt.Pattern
		switch {
		case path == "/tile/{path...}":
			path = "/tile/{level}/{index}"
		case path == "/api/v1/moves/{id}/{action}":
			// The document has a path for each action.
			for _, a := range moveActionNames {
				if v.seen["POST /api/v1/moves/{id}/"+a] == 0 {
					t.Errorf("POST /api/v1/moves/{id}/%s: never validated against the document", a)
				}
			}
			continue
		}
		if v.seen[rt.Method+" "+path] == 0 {
			t.Errorf("%s %s: never validated against the document", rt.Method, path)
		}
	}
}

// TestOpenAPIDrift checks that the validation catches a response that
// drifts from the document: with the document's Status schema changed,
// the real status answer fails.
func TestOpenAPIDrift(t *testing.T) {
	doc, _ := openAPISpec(t)
	f := newFixture(t)
	c := &apiClient{f: f}
	x := c.get(t, "", "/api/v1/status", http.StatusOK, nil)
	ok := &validator{router: mustRouter(t, doc)}
	if err := ok.validate(x); err != nil {
		t.Fatalf("status: %v", err)
	}
	for name, drift := range map[string]func(s *openapi3.Schema){
		"a member's type":       func(s *openapi3.Schema) { s.Properties["size"].Value.Type = &openapi3.Types{"string"} },
		"a member not in it":    func(s *openapi3.Schema) { delete(s.Properties, "verifier_key") },
		"a member not returned": func(s *openapi3.Schema) { s.Required = append(s.Required, "tree_size") },
	} {
		doc, _ := openAPISpec(t)
		drift(doc.Components.Schemas["Status"].Value)
		v := &validator{router: mustRouter(t, doc)}
		if err := v.validate(x); err == nil {
			t.Errorf("%s changed in the document: the real response still validates", name)
		}
	}
}

func mustRouter(t testing.TB, doc *openapi3.T) routers.Router {
	t.Helper()
	r, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
