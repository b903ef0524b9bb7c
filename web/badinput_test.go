package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadInput sends the writes malformed, unknown, oversized, mistyped
// and incomplete bodies: each is refused with a 4xx whose message names
// the member (or the header) at fault, and none changes the log.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	c := &apiClient{f: f}
	const (
		move   = "/api/v1/moves/MV-20260123-15/"
		person = "NES-009247" // on MV-20260123-15's manifest
	)
	huge := `{"count": 3, "pad": "` + strings.Repeat("x", maxBody) + `"}`
	hugeEvents := `{"events": [{"type": "custody.escaped", "data": {"person": "` + strings.Repeat("N", maxBody) + `"}}]}`
	cases := []struct {
		name, user, path, body string
		header                 []string // replaces the defaults (JSON, a key)
		status                 int
		message                string // in the error's message
	}{
		// Malformed JSON.
		{"malformed events", "registrar", "/api/v1/events", `{"events": [`, nil, 400, "malformed JSON"},
		{"malformed action", "escort", move + "depart", `{"count": 3,}`, nil, 400, "malformed JSON"},
		{"not an object", "planner", "/api/v1/moves", `[1, 2]`, nil, 400, "member /"},
		{"two bodies", "escort", move + "depart", `{"count": 3} {"count": 4}`, nil, 400, "malformed JSON"},
		{"empty body", "planner", "/api/v1/allocations", ` `, nil, 400, "empty"},
		// Unknown members, at the top and nested in an event's data.
		{"unknown member", "registrar", "/api/v1/events", `{"events": [], "by": "someone else"}`, nil, 400, "unknown member /by"},
		{"unknown event member", "registrar", "/api/v1/events", `{"events": [{"type": "custody.escaped", "key": "mine", "data": {}}]}`, nil, 400, "unknown member /events/0/key"},
		{"unknown data member", "registrar", "/api/v1/events", `{"events": [{"type": "custody.escaped", "data": {"person": "` + person + `", "facility": "gweiran", "mood": "calm"}}]}`, nil, 400, "unknown member /events/0/data/mood"},
		{"unknown data member, second event", "registrar", "/api/v1/events", `{"events": [{"type": "custody.escaped", "data": {"person": "P"}}, {"type": "move.departed", "data": {"move": "M", "cnt": 3}}]}`, nil, 400, "unknown member /events/1/data/cnt"},
		{"unknown incident member", "registrar", "/api/v1/incidents", `{"type": "custody.died", "data": {"person": "P", "cause": "x", "remains": "y", "circumstances": "z", "weather": "hot"}}`, nil, 400, "unknown member /data/weather"},
		{"unknown nested member", "planner", "/api/v1/moves", `{"move": {"id": "MV-X", "vehicles": [{"id": "v", "seats": 4, "colour": "grey"}]}, "manifest": []}`, nil, 400, "unknown member /move/vehicles/0/colour"},
		{"unknown allocation member", "planner", "/api/v1/allocations", `{"id": "A", "name": "n", "ordered_by": "centcom", "target": 1, "destinations": ["iq-moj-central"], "priority": 1}`, nil, 400, "unknown member /priority"},
		{"unknown action member", "escort", move + "board", `{"person": "` + person + `", "scan": "typed", "seat": 3}`, nil, 400, "unknown member /seat"},
		{"unknown reason member", "escort", move + "abort", `{"reason": {"code": "weather", "version": 1, "why": "rain"}}`, nil, 400, "unknown member /reason/why"},
		{"member in other case", "escort", move + "depart", `{"Count": 3}`, nil, 400, "unknown member /Count"},
		{"duplicate member", "escort", move + "depart", `{"count": 3, "count": 4}`, nil, 400, "member /count"},
		// Bodies over 1 MiB.
		{"oversize action", "escort", move + "depart", huge, nil, 413, "larger than"},
		{"oversize events", "registrar", "/api/v1/events", hugeEvents, nil, 413, "larger than"},
		// Values of the wrong type.
		{"string for count", "escort", move + "depart", `{"count": "3"}`, nil, 400, "member /count: a JSON string cannot be a number"},
		{"number for person", "escort", move + "board", `{"person": 18168, "scan": "typed"}`, nil, 400, "member /person: a JSON number cannot be a string"},
		{"string for handover", "receiver", move + "receive", `{"handover": "106232", "persons": ["` + person + `"], "identity_checked": true}`, nil, 400, "member /handover"},
		{"string for identity check", "receiver", move + "receive", `{"handover": 106232, "persons": ["` + person + `"], "identity_checked": "yes"}`, nil, 400, "member /identity_checked"},
		{"object for persons", "escort", move + "release", `{"stage": "arrival", "to": "iraq-moj", "persons": {"a": 1}}`, nil, 400, "member /persons"},
		{"wrong type in data", "registrar", "/api/v1/events", `{"events": [{"type": "move.departed", "data": {"move": "M", "count": "three"}}]}`, nil, 400, "member /events/0/data/count"},
		{"bad time", "escort", move + "depart", `{"count": 3, "occurred_at": "yesterday"}`, nil, 400, "member /occurred_at"},
		{"time in the future", "escort", move + "depart", `{"count": 3, "occurred_at": "2099-01-01T00:00:00Z"}`, nil, 400, "member /occurred_at: 2099-01-01T00:00:00Z is in the future"},
		{"fraction for target", "planner", "/api/v1/allocations", `{"id": "A", "name": "n", "ordered_by": "centcom", "target": 1.5, "destinations": ["iq-moj-central"]}`, nil, 400, "member /target: 1.5 is not a whole number"},
		{"null events", "registrar", "/api/v1/events", `{"events": null}`, nil, 400, "member /events is required"},
		// Missing members.
		{"no events", "registrar", "/api/v1/events", `{}`, nil, 400, "member /events is required"},
		{"no event at all", "registrar", "/api/v1/events", `{"events": []}`, nil, 400, "member /events is empty"},
		{"no type", "registrar", "/api/v1/events", `{"events": [{"data": {}}]}`, nil, 400, "member /events/0/type is required"},
		{"no data", "registrar", "/api/v1/events", `{"events": [{"type": "custody.escaped"}]}`, nil, 400, "member /events/0/data is required"},
		{"unknown type", "registrar", "/api/v1/events", `{"events": [{"type": "custody.teleported", "data": {}}]}`, nil, 400, "member /events/0/type"},
		{"no person", "escort", move + "board", `{"scan": "typed"}`, nil, 400, "member /person is required"},
		{"no scan", "escort", move + "board", `{"person": "` + person + `"}`, nil, 400, "member /scan is required"},
		{"no code", "escort", move + "board", `{"scan": "qr"}`, nil, 400, "member /code is required"},
		{"no count", "escort", move + "depart", `{}`, nil, 400, "member /count is required"},
		{"no move", "planner", "/api/v1/moves", `{"manifest": []}`, nil, 400, "member /move is required"},
		{"no move id", "planner", "/api/v1/moves", `{"move": {"origin": "gweiran"}, "manifest": []}`, nil, 400, "member /move/id is required"},
		{"no manifest", "planner", "/api/v1/moves", `{"move": {"id": "MV-X"}}`, nil, 400, "member /manifest is required"},
		{"no allocation id", "planner", "/api/v1/allocations", `{"name": "n"}`, nil, 400, "member /id is required"},
		{"no handover", "receiver", move + "receive", `{"persons": ["` + person + `"], "identity_checked": true}`, nil, 400, "member /handover is required"},
		{"no identity check", "receiver", move + "receive", `{"handover": 106232, "persons": ["` + person + `"]}`, nil, 400, "member /identity_checked is required"},
		{"no reason", "escort", move + "not-boarded", `{"person": "` + person + `"}`, nil, 400, "member /reason is required"},
		{"no reason version", "escort", move + "abort", `{"reason": {"code": "weather"}}`, nil, 400, "member /reason/version is required"},
		{"no person in data", "registrar", "/api/v1/incidents", `{"type": "custody.escaped", "data": {"facility": "gweiran"}}`, nil, 400, "person is empty"},
		{"no Idempotency-Key", "escort", move + "depart", `{"count": 3}`, []string{"Content-Type", "application/json"}, 400, "Idempotency-Key"},
		{"bad Idempotency-Key", "escort", move + "depart", `{"count": 3}`, []string{"Content-Type", "application/json", "Idempotency-Key", "a key"}, 400, "Idempotency-Key"},
		// Bodies that are not JSON.
		{"text body", "escort", move + "depart", `count=3`, []string{"Content-Type", "text/plain", "Idempotency-Key", "k"}, 400, "Content-Type: application/json"},
		{"form body", "registrar", "/api/v1/events", `events=1`, []string{"Content-Type", "application/x-www-form-urlencoded", "Idempotency-Key", "k"}, 400, "Content-Type: application/json"},
		{"bad content type", "planner", "/api/v1/moves", `{}`, []string{"Content-Type", "application/json; charset", "Idempotency-Key", "k"}, 400, "Content-Type"},
		// Cases, consular notification, repatriation: through the events.
		{"unknown case member", "judicial", "/api/v1/events", `{"events": [{"type": "case.hearing", "data": {"case": "C", "person": "P", "court": "x", "summary": "y", "counsel": true, "judge": "z"}}]}`, nil, 400, "unknown member /events/0/data/judge"},
		{"string for counsel", "judicial", "/api/v1/events", `{"events": [{"type": "case.hearing", "data": {"case": "C", "person": "P", "court": "x", "summary": "y", "counsel": "yes"}}]}`, nil, 400, "member /events/0/data/counsel"},
		{"number for charges", "judicial", "/api/v1/events", `{"events": [{"type": "case.charged", "data": {"case": "C", "person": "P", "charges": 3}}]}`, nil, 400, "member /events/0/data/charges"},
		{"string for sentence", "judicial", "/api/v1/events", `{"events": [{"type": "case.sentenced", "data": {"case": "C", "person": "P", "sentence": "death", "court": "x"}}]}`, nil, 400, "member /events/0/data/sentence"},
		{"no notifications", "receiver", "/api/v1/events", `{"events": [{"type": "consular.notified", "data": {"country": "FR", "notifications": [], "means": "note verbale", "to": "Embassy"}}]}`, nil, 400, "notifications is empty"},
		{"country not a code", "receiver", "/api/v1/events", `{"events": [{"type": "consular.notified", "data": {"country": "France", "notifications": ["x"], "means": "note verbale", "to": "Embassy"}}]}`, nil, 400, "ISO 3166-1"},
		{"nobody to repatriate", "consular", "/api/v1/events", `{"events": [{"type": "repatriation.requested", "data": {"request": {"id": "R", "country": "FR", "authority": "state-fr", "persons": []}}}]}`, nil, 400, "at least one person"},
		// Users.
		{"unknown user member", "admin", "/api/v1/users", `{"name": "x", "role": "monitor", "password": "mine"}`, nil, 400, "unknown member /password"},
		{"bad role", "admin", "/api/v1/users", `{"name": "x", "role": "king"}`, nil, 400, "role"},
		{"number for label", "admin", "/api/v1/users/monitor/tokens", `{"label": 7}`, nil, 400, "member /label"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := logSize(t, f)
			h := tc.header
			if h == nil {
				h = []string{"Idempotency-Key", "bad-" + strings.ReplaceAll(tc.name, " ", "-")}
			}
			x := c.call(t, tc.user, "POST", tc.path, tc.body, h...)
			e := x.apiErr(t)
			if x.status != tc.status {
				t.Errorf("status %d, want %d: %+v", x.status, tc.status, e)
			}
			if !strings.Contains(e.Message, tc.message) {
				t.Errorf("message %q does not say %q", e.Message, tc.message)
			}
			if ct := x.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if after := logSize(t, f); after != before {
				t.Errorf("the log grew from %d to %d entries", before, after)
			}
		})
	}
	// Content-Type: the client's do sets JSON when there is a body; a
	// body with no Content-Type at all is read as JSON.
	x := c.call(t, "escort", "POST", move+"depart", `{"count": 3}`, "Content-Type", "", "Idempotency-Key", "no-ct")
	if x.status != http.StatusConflict { // read, then refused by the rules: the move is closed
		t.Errorf("no Content-Type: %d %s", x.status, x.body)
	}
}
