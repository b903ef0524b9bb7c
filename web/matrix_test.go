package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// TestRoleRouteMatrix calls every route as every role (and as nobody) and
// checks allow or deny against the policy, written out here as a table:
// route → the roles allowed. Scoped routes are called on a target chosen
// so that scope matters: a French woman held at Roj (in the
// registrar's and the French consul's scope, not the escort's, the
// receiver's or the judge's), and a closed move from an SDF prison
// outside the registrar's facilities.
//
// Denied is 401 (nobody), 403 (role) or 404 (out of scope: nobody learns
// that the person exists). Allowed is anything else: for writes with an
// empty body that is a 400 naming what is missing, since the gate is
// passed before the body is read.
func TestRoleRouteMatrix(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	page, err := f.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Facility: "roj", Nationality: "FR", Category: custody.Woman, Limit: 1})
	if err != nil || len(page.Persons) == 0 {
		t.Fatalf("no French woman at roj in the demo: %v", err)
	}
	woman := page.Persons[0].ID
	tl, err := f.store.Timeline(ctx, woman)
	if err != nil || len(tl) == 0 {
		t.Fatalf("timeline of %s: %v", woman, err)
	}
	seq := tl[0].Seq
	// Disabling and issuing tokens is tried on a spare user.
	if err := f.store.AddUser(ctx, custody.User{Name: "spare", Role: custody.RoleMonitor}, ""); err != nil {
		t.Fatal(err)
	}
	const move = "MV-20260123-15" // closed, from an SDF prison, escorted by CENTCOM into Iraqi MoJ hands
	// The legal world: the Frenchman's case (Iraqi MoJ jurisdiction) and
	// France's repatriation request for him, held by the Iraqi MoJ.
	lw := setupLegal(t, f)
	// An open inquiry of the family desk user.
	code, body := f.do(t, "family", "POST", "/api/v1/inquiries", `{"sought": {"names": ["Duaa Muadh"]}, "asker": {"name": "Amina", "relationship": "mother"}}`, "Idempotency-Key", "matrix-inquiry")
	_, after, _ := strings.Cut(body, `"id":"`)
	inquiry, _, _ := strings.Cut(after, `"`)
	if code != http.StatusCreated || !strings.HasPrefix(inquiry, "INQ-") {
		t.Fatalf("open an inquiry: status %d: %s", code, body)
	}

	const (
		all       = "admin registrar planner escort receiver judicial consular monitor family"
		readers   = "registrar planner escort receiver judicial consular monitor"
		movers    = "admin registrar planner escort receiver monitor"
		recorders = "admin registrar planner escort receiver judicial consular"
		// Notifications, alerts and repatriation requests (each still
		// scoped); cases (each still scoped).
		consular = "registrar receiver judicial consular monitor"
		cases    = "judicial consular monitor"
	)
	// The policy, route by route, for the targets above.
	want := map[string]string{
		"GET /checkpoint":                      "public",
		"GET /tile/{path...}":                  "public",
		"GET /api/openapi.json":                "public",
		"GET /api/v1/status":                   "public",
		"GET /api/v1/checkpoints/latest":       "public",
		"GET /api/v1/me":                       all,
		"GET /api/v1/stats":                    all,
		"GET /api/v1/authorities":              all,
		"GET /api/v1/facilities":               all,
		"GET /api/v1/facilities/{id}":          all,
		"GET /api/v1/facilities/{id}/roll":     readers,
		"GET /api/v1/persons":                  readers,
		"GET /api/v1/persons/{id}":             "registrar planner consular monitor",
		"GET /api/v1/persons/{id}/whereabouts": "registrar planner consular monitor",
		"GET /api/v1/persons/{id}/timeline":    "registrar planner consular monitor",
		"GET /api/v1/persons/{id}/reads":       "monitor",
		"GET /api/v1/persons/{id}/bundle":      "registrar planner consular monitor",
		"GET /api/v1/escapes":                  readers,
		"GET /api/v1/allocations":              movers,
		"GET /api/v1/allocations/{id}":         movers,
		"GET /api/v1/moves":                    movers,
		"GET /api/v1/moves/{id}":               "admin planner escort receiver monitor",
		"GET /api/v1/alerts":                   movers,
		"GET /api/v1/events":                   "monitor",
		"GET /api/v1/events/{seq}":             "registrar planner consular monitor",
		"GET /api/v1/proofs/{seq}":             "registrar planner consular monitor",
		"GET /api/v1/audit":                    "monitor",
		"GET /api/v1/users":                    "admin",
		"POST /api/v1/users":                   "admin",
		"POST /api/v1/users/{name}/disable":    "admin",
		"POST /api/v1/users/{name}/tokens":     "admin",
		"POST /api/v1/events":                  recorders,
		"POST /api/v1/incidents":               recorders,
		"POST /api/v1/allocations":             recorders,
		"POST /api/v1/moves":                   recorders,
		"POST /api/v1/moves/{id}/{action}":     recorders,
		"GET /login":                           "public",
		"POST /login":                          "public",
		"POST /logout":                         all,
		"GET /lang/{lang}":                     "public",
		"GET /{$}":                             all,
		"GET /map":                             all,
		"GET /persons":                         readers,
		"GET /persons/{id}":                    "registrar planner consular monitor",
		"GET /facilities":                      all,
		"GET /facilities/{id}":                 all,
		"GET /allocations":                     movers,
		"GET /moves":                           movers,
		"GET /moves/{id}":                      "admin planner escort receiver monitor",
		"GET /moves/{id}/field":                "escort receiver",
		"POST /moves/{id}/field/{action}":      recorders,
		"GET /audit":                           "monitor",
		"GET /users":                           "admin",
		"POST /users":                          "admin",
		"POST /users/{name}/disable":           "admin",
		" /":                                   "public",

		// Names: search, duplicates, registration with the duplicate
		// check, merges.
		"GET /api/v1/persons/search":        readers,
		"GET /api/v1/duplicates":            readers,
		"POST /api/v1/persons":              recorders,
		"POST /api/v1/persons/{id}/merge":   recorders,
		"POST /api/v1/persons/{id}/unmerge": recorders,
		"GET /persons/new":                  "registrar",
		"POST /persons/new":                 "registrar",
		"POST /persons/{id}/merge":          recorders,
		"POST /persons/{id}/unmerge":        recorders,
		"GET /duplicates":                   readers,

		// Family inquiries: the family desk only.
		"GET /api/v1/inquiries":                 "family",
		"POST /api/v1/inquiries":                "family",
		"GET /api/v1/inquiries/{id}":            "family",
		"GET /api/v1/inquiries/{id}/candidates": "family",
		"POST /api/v1/inquiries/{id}/decisions": "family",
		"POST /api/v1/inquiries/{id}/answer":    "family",
		"GET /inquiries":                        "family",
		"POST /inquiries":                       "family",
		"GET /inquiries/{id}":                   "family",
		"POST /inquiries/{id}/decisions":        "family",
		"POST /inquiries/{id}/answer":           "family",
		"GET /inquiries/{id}/answer":            "family",

		// Cases, consular notifications, death-penalty alerts,
		// repatriation, the legal reference. The case is the
		// Frenchman's, of the Iraqi MoJ's jurisdiction; the request is
		// France's, for him, held by the Iraqi MoJ; the person a case is
		// opened for is the Frenchman, held by the Iraqi MoJ (an empty
		// form is a 400 for the judge of the authority holding him).
		"GET /api/v1/cases":                 cases,
		"GET /api/v1/cases/{id}":            cases,
		"GET /api/v1/notifications":         consular,
		"GET /api/v1/exposures":             consular,
		"GET /api/v1/repatriations":         consular,
		"GET /api/v1/repatriations/{id}":    "receiver judicial consular monitor",
		"GET /api/v1/reference/legal":       all,
		"GET /cases":                        cases,
		"GET /cases/{id}":                   cases,
		"POST /cases/{id}/{step}":           "judicial",
		"POST /persons/{id}/cases":          "judicial",
		"GET /consular":                     consular,
		"POST /consular/delivered":          "registrar receiver judicial",
		"POST /consular/acknowledged":       "consular",
		"GET /repatriations":                consular,
		"POST /repatriations":               "consular",
		"GET /repatriations/{id}":           "receiver judicial consular monitor",
		"POST /repatriations/{id}/{action}": "receiver judicial",
		"GET /reference/legal":              all,
	}
	fill := strings.NewReplacer(
		"persons/{id}/cases", "persons/"+string(lw.french)+"/cases",
		"cases/{id}/{step}", "cases/"+string(lw.frCase)+"/hearing",
		"cases/{id}", "cases/"+string(lw.frCase),
		"repatriations/{id}/{action}", "repatriations/"+string(lw.frRep)+"/decide",
		"repatriations/{id}", "repatriations/"+string(lw.frRep),
		"{path...}", "0/000",
		"inquiries/{id}", "inquiries/"+inquiry,
		"{id}/roll", "roj/roll",
		"facilities/{id}", "facilities/roj",
		"persons/{id}", "persons/"+string(woman),
		"allocations/{id}", "allocations/ALLOC-2026-01",
		"moves/{id}", "moves/"+move,
		"{seq}", fmt.Sprint(seq),
		"{name}", "spare",
		"{action}", "depart",
		"{lang}", "ar",
		"{$}", "",
	)
	routes := f.srv.Routes()
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		seen[key] = true
		allowed, ok := want[key]
		if !ok {
			t.Errorf("route %s is not in the matrix: add it with the roles the policy allows", key)
			continue
		}
		method := rt.Method
		path := fill.Replace(rt.Pattern)
		if method == "" {
			method, path = "GET", "/no-such-page"
		}
		for _, role := range append([]string{""}, strings.Fields(all)...) {
			code := f.call(t, role, method, path)
			var ok bool
			switch {
			case allowed == "public":
				// A public route has no gate: whatever it answers (a
				// sign-in with no password is a 401) is its own answer.
				ok = true
			case role == "":
				ok = false
			default:
				ok = slices.Contains(strings.Fields(allowed), role)
			}
			denied := code == http.StatusUnauthorized && allowed != "public" || code == http.StatusForbidden || code == http.StatusSeeOther && !rt.API && role == "" && allowed != "public" ||
				code == http.StatusNotFound && !strings.HasSuffix(key, " /")
			if ok == denied {
				who := role
				if who == "" {
					who = "nobody"
				}
				t.Errorf("%s %s as %s: status %d, want %s", method, path, who, code, map[bool]string{true: "allowed", false: "denied"}[ok])
			}
		}
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("the matrix names %s, which the server does not serve", key)
		}
	}
}

// call sends one request as role: by API token for the API, with a
// signed-in browser session (and its form token) for pages.
func (f *fixture) call(t *testing.T, role, method, path string) int {
	t.Helper()
	api := strings.HasPrefix(path, "/api/") || path == "/checkpoint" || strings.HasPrefix(path, "/tile/")
	if !api && role == "" {
		// Nobody's browser: a page behind the gate sends it to sign in.
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		req, _ := http.NewRequest(method, f.ts.URL+path, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if api || role == "" {
		hdr := []string{"Idempotency-Key", "matrix-" + role + "-" + path}
		code, _ := f.do(t, role, method, path, "", hdr...)
		return code
	}
	c := f.browserOf(t, role)
	if path == "/logout" {
		c = f.browser(t, role) // a session of its own, to end
	}
	var req *http.Request
	if method == http.MethodPost {
		body := "csrf=" + f.csrf(t, c) + "&idem=matrix-" + role
		req, _ = http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, _ = http.NewRequest(method, f.ts.URL+path, nil)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// browserOf returns a signed-in browser for role, one per role per
// fixture (the matrix signs out only as its last call per role).
func (f *fixture) browserOf(t *testing.T, role string) *http.Client {
	if f.browsers == nil {
		f.browsers = map[string]*http.Client{}
	}
	c := f.browsers[role]
	if c == nil {
		c = f.browser(t, role)
		f.browsers[role] = c
	}
	return c
}
