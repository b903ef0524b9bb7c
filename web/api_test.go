package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/sqlstore"
)

// The JSON API as its users meet it: what each role sees and may not see,
// the audit trail of their reads, the proofs of a timeline, and a whole
// move run through the API by the planner, the escort, the releasing
// registrar and the receiving prison.

// exchange is one request to the API and its response.
type exchange struct {
	req     *http.Request
	reqBody []byte
	status  int
	header  http.Header
	body    []byte
}

// apiClient sends requests to a fixture's server as its users; seen, if
// set, is shown every exchange (the OpenAPI test validates them).
type apiClient struct {
	f    *fixture
	seen func(t testing.TB, x *exchange)
}

// call sends a request as user (by API token; "" for nobody) with header
// name/value pairs.
func (c *apiClient) call(t testing.TB, user, method, path, body string, header ...string) *exchange {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.f.ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+c.f.tokens[user])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	x := &exchange{req: req, reqBody: []byte(body), status: resp.StatusCode, header: resp.Header, body: b}
	if c.seen != nil {
		c.seen(t, x)
	}
	return x
}

// get reads path as user, wants status want, and decodes the body into v
// (if not nil).
func (c *apiClient) get(t testing.TB, user, path string, want int, v any) *exchange {
	t.Helper()
	x := c.call(t, user, "GET", path, "")
	x.want(t, want, v)
	return x
}

// want checks the status and decodes the body into v (if not nil).
func (x *exchange) want(t testing.TB, status int, v any) {
	t.Helper()
	if x.status != status {
		t.Fatalf("%s %s: status %d, want %d\n%.2000s", x.req.Method, x.req.URL.RequestURI(), x.status, status, x.body)
	}
	if v != nil {
		if err := json.Unmarshal(x.body, v); err != nil {
			t.Fatalf("%s %s: %v\n%.2000s", x.req.Method, x.req.URL.RequestURI(), err, x.body)
		}
	}
}

// apiErr decodes an error body.
func (x *exchange) apiErr(t testing.TB) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(x.body, &e); err != nil {
		t.Fatalf("%s %s: error body: %v\n%s", x.req.Method, x.req.URL.RequestURI(), err, x.body)
	}
	return e
}

type personPageT struct {
	Persons []struct {
		ID            custody.PersonID   `json:"id"`
		Facility      custody.FacilityID `json:"facility"`
		Move          custody.MoveID     `json:"move"`
		Nationalities []string           `json:"nationalities"`
	} `json:"persons"`
	Next string `json:"next"`
}

func TestAPIScoping(t *testing.T) {
	f := newFixture(t)
	c := &apiClient{f: f}
	const syrian = "NES-018168" // held in al-Hol, Syrian

	// A French consular officer lists only French nationals, page by page.
	var page personPageT
	c.get(t, "consular", "/api/v1/persons?limit=20", http.StatusOK, &page)
	if len(page.Persons) != 20 || page.Next == "" {
		t.Fatalf("consular: %d persons, next %q", len(page.Persons), page.Next)
	}
	var page2 personPageT
	c.get(t, "consular", "/api/v1/persons?limit=20&after="+page.Next, http.StatusOK, &page2)
	if len(page2.Persons) == 0 || page2.Persons[0].ID <= page.Persons[19].ID {
		t.Fatalf("consular: the second page does not follow the first: %v", page2.Persons)
	}
	for _, p := range append(page.Persons, page2.Persons...) {
		if !slices.Contains(p.Nationalities, "FR") {
			t.Errorf("consular sees %s, of %v", p.ID, p.Nationalities)
		}
	}
	french := page.Persons[0].ID
	c.get(t, "consular", "/api/v1/persons/"+string(french), http.StatusOK, nil)
	c.get(t, "consular", "/api/v1/persons/"+string(french)+"/whereabouts", http.StatusOK, nil)
	for _, path := range []string{"", "/whereabouts", "/timeline"} {
		x := c.get(t, "consular", "/api/v1/persons/"+syrian+path, http.StatusNotFound, nil)
		if e := x.apiErr(t); e.Code != custody.NotFound || !strings.Contains(e.Message, syrian) {
			t.Errorf("consular reads %s%s: %+v", syrian, path, e)
		}
	}
	// The same 404 as for nobody at all: nothing tells the two apart.
	x := c.get(t, "consular", "/api/v1/persons/NES-999999", http.StatusNotFound, nil)
	if e := x.apiErr(t); !strings.HasPrefix(e.Message, "no person") {
		t.Errorf("unknown person: %+v", e)
	}

	// The registrar of Roj and Gweiran sees their rolls only.
	c.get(t, "registrar", "/api/v1/persons?limit=500", http.StatusOK, &page)
	if len(page.Persons) == 0 {
		t.Fatal("registrar sees nobody")
	}
	for _, p := range page.Persons {
		if p.Facility != "roj" && p.Facility != "gweiran" {
			t.Errorf("registrar sees %s, at %q (move %q)", p.ID, p.Facility, p.Move)
		}
	}
	c.get(t, "registrar", "/api/v1/persons?facility=al-hol", http.StatusOK, &page)
	if len(page.Persons) != 0 {
		t.Errorf("registrar lists %d persons of al-Hol", len(page.Persons))
	}
	c.get(t, "registrar", "/api/v1/facilities/al-hol/roll", http.StatusOK, &page)
	if len(page.Persons) != 0 {
		t.Errorf("registrar sees %d persons on al-Hol's roll", len(page.Persons))
	}
	c.get(t, "registrar", "/api/v1/facilities/gweiran/roll?limit=5", http.StatusOK, &page)
	if len(page.Persons) != 5 {
		t.Errorf("registrar sees %d persons on Gweiran's roll, want 5", len(page.Persons))
	}
	// al-Hol is not the registrar's: its persons are not found.
	c.get(t, "registrar", "/api/v1/persons/"+syrian, http.StatusNotFound, nil)

	// The family desk answers families without reading records.
	for _, path := range []string{"/api/v1/persons", "/api/v1/persons/" + syrian, "/api/v1/persons/" + syrian + "/whereabouts", "/api/v1/escapes"} {
		x := c.get(t, "family", path, http.StatusForbidden, nil)
		if e := x.apiErr(t); e.Code != custody.Forbidden {
			t.Errorf("family %s: %+v", path, e)
		}
	}

	// Escapes: the consular officer counts them but sees none of them
	// named unless French; the monitor sees them all.
	var esc escapesJSON
	c.get(t, "monitor", "/api/v1/escapes", http.StatusOK, &esc)
	if len(esc.Escapes) == 0 || esc.Hidden != 0 {
		t.Fatalf("monitor escapes: %+v", esc)
	}
	total := len(esc.Escapes)
	c.get(t, "consular", "/api/v1/escapes", http.StatusOK, &esc)
	if len(esc.Escapes)+esc.Hidden != total {
		t.Errorf("consular escapes: %d named + %d hidden, want %d", len(esc.Escapes), esc.Hidden, total)
	}

	// Moves: the registrar sees the moves from their facilities only.
	var moves movePage
	c.get(t, "registrar", "/api/v1/moves?limit=1000", http.StatusOK, &moves)
	if len(moves.Moves) == 0 {
		t.Fatal("registrar sees no move")
	}
	for _, m := range moves.Moves {
		if m.Origin != "gweiran" && m.Origin != "roj" {
			t.Errorf("registrar sees move %s from %s", m.ID, m.Origin)
		}
	}
	c.get(t, "registrar", "/api/v1/moves/MV-20260123-15", http.StatusNotFound, nil) // from Markada
	c.get(t, "monitor", "/api/v1/moves/MV-20260123-15", http.StatusOK, nil)

	// Every read of a record is in the audit trail, with the user and
	// the route; a refused read is not a read.
	var reads readPage
	c.get(t, "monitor", "/api/v1/audit?person="+string(french), http.StatusOK, &reads)
	routes := map[string]bool{}
	for _, r := range reads.Reads {
		if r.User != "consular" {
			t.Errorf("read of %s by %s", french, r.User)
		}
		routes[r.Route] = true
	}
	for _, want := range []string{"GET /api/v1/persons/{id}", "GET /api/v1/persons/{id}/whereabouts"} {
		if !routes[want] {
			t.Errorf("audit of %s: no read by %s: %+v", french, want, reads.Reads)
		}
	}
	c.get(t, "monitor", "/api/v1/audit?person="+syrian+"&user=consular", http.StatusOK, &reads)
	if len(reads.Reads) != 0 {
		t.Errorf("refused reads are in the audit trail: %+v", reads.Reads)
	}
	c.get(t, "monitor", "/api/v1/persons/"+syrian+"/reads", http.StatusOK, &reads)
	if len(reads.Reads) != 0 {
		t.Errorf("reads of %s, all refused, are in the trail: %+v", syrian, reads.Reads)
	}
	// The audit trail is the monitor's.
	c.get(t, "consular", "/api/v1/audit", http.StatusForbidden, nil)
	c.get(t, "admin", "/api/v1/persons/"+syrian+"/reads", http.StatusForbidden, nil)

	// An event: the monitor, or a reader of one of its persons.
	var tl timelineT
	c.get(t, "monitor", "/api/v1/persons/"+string(french)+"/timeline", http.StatusOK, &tl)
	seq := tl.Entries[0].Seq
	c.get(t, "consular", fmt.Sprintf("/api/v1/events/%d", seq), http.StatusOK, nil)
	c.get(t, "consular", fmt.Sprintf("/api/v1/proofs/%d", seq), http.StatusOK, nil)
	c.get(t, "judicial", fmt.Sprintf("/api/v1/events/%d", seq), http.StatusNotFound, nil)
	c.get(t, "consular", "/api/v1/events?limit=1", http.StatusForbidden, nil)

	// Nobody signed in: only the public routes.
	c.get(t, "", "/api/v1/status", http.StatusOK, nil)
	x = c.get(t, "", "/api/v1/me", http.StatusUnauthorized, nil)
	if x.header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	var st statusJSON
	c.get(t, "", "/api/v1/status", http.StatusOK, &st)
	if st.Size == 0 || st.VerifierKey == "" || !strings.HasPrefix(st.Checkpoint, st.Origin+"\n") {
		t.Errorf("status: %+v", st)
	}
}

type timelineT struct {
	Person     custody.PersonID `json:"person"`
	Checkpoint checkpointJSON   `json:"checkpoint"`
	Entries    []struct {
		Seq        int64           `json:"seq"`
		Type       string          `json:"type"`
		OccurredAt string          `json:"occurred_at"`
		RecordedAt string          `json:"recorded_at"`
		By         json.RawMessage `json:"by"`
		Key        string          `json:"key"`
		Salt       string          `json:"salt"`
		Data       json.RawMessage `json:"data"`
		LeafHash   string          `json:"leaf_hash"`
		Proof      proofStatus     `json:"proof"`
	} `json:"entries"`
}

// TestAPITimelineProofs checks that a timeline's proofs are verified and
// that a receipt verifies offline with the log's verifier key alone, and
// that each event's content hashes to its leaf.
func TestAPITimelineProofs(t *testing.T) {
	f := newFixture(t)
	c := &apiClient{f: f}
	var tl timelineT
	c.get(t, "monitor", "/api/v1/persons/NES-018168/timeline", http.StatusOK, &tl)
	if len(tl.Entries) < 2 {
		t.Fatalf("timeline of %d entries", len(tl.Entries))
	}
	var st statusJSON
	c.get(t, "", "/api/v1/status", http.StatusOK, &st)
	for _, e := range tl.Entries {
		if e.Proof.Status != proofVerified || e.Proof.CheckpointSize != tl.Checkpoint.Size {
			t.Errorf("event %d: proof %+v", e.Seq, e.Proof)
			continue
		}
		r, err := ledger.DecodeReceipt(e.Proof.Receipt)
		if err != nil {
			t.Fatalf("event %d: %v", e.Seq, err)
		}
		size, err := r.Verify(st.VerifierKey)
		if err != nil || size != tl.Checkpoint.Size || r.Index != e.Seq {
			t.Errorf("event %d: receipt: size %d, index %d: %v", e.Seq, size, r.Index, err)
		}
		// The event as shown is the event in the log.
		body := fmt.Sprintf(`{"type":%q,"occurred_at":%q,"recorded_at":%q,"by":%s,"key":%q,"salt":%q,"data":%s}`,
			e.Type, e.OccurredAt, e.RecordedAt, e.By, e.Key, e.Salt, e.Data)
		ev, err := custody.DecodeEvent([]byte(body))
		if err != nil {
			t.Fatalf("event %d: %v", e.Seq, err)
		}
		canon, err := ledger.Canonical(&ev)
		if err != nil {
			t.Fatal(err)
		}
		leaf := ledger.LeafHash(canon)
		if got, _ := json.Marshal(leaf); string(got) != `"`+e.LeafHash+`"` || leaf != r.Leaf {
			t.Errorf("event %d: content hashes to %s, leaf %s, receipt %s", e.Seq, got, e.LeafHash, r.Leaf)
		}
	}
	// A receipt checked against another log's key fails.
	r, _ := ledger.DecodeReceipt(tl.Entries[0].Proof.Receipt)
	_, other, _ := ledger.GenerateKey(st.Origin)
	if _, err := r.Verify(other); err == nil {
		t.Error("a receipt verifies with another key")
	}
	// The same proof, on its own.
	var p proofJSON
	c.get(t, "monitor", fmt.Sprintf("/api/v1/proofs/%d", tl.Entries[0].Seq), http.StatusOK, &p)
	if p.Status != proofVerified || p.Receipt != tl.Entries[0].Proof.Receipt || len(p.Proof) == 0 {
		t.Errorf("proof: %+v", p)
	}
}

type writeResultT struct {
	Seqs       []int64        `json:"seqs"`
	Replayed   bool           `json:"replayed"`
	Checkpoint checkpointJSON `json:"checkpoint"`
}

// write posts body to path as user with an idempotency key and wants
// status want.
func (c *apiClient) write(t testing.TB, user, path, key, body string, want int) writeResultT {
	t.Helper()
	x := c.call(t, user, "POST", path, body, "Idempotency-Key", key)
	var res writeResultT
	x.want(t, want, &res)
	if want < 300 && (len(res.Seqs) == 0 || res.Checkpoint.Size <= res.Seqs[len(res.Seqs)-1]) {
		t.Fatalf("POST %s: %s", path, x.body)
	}
	return res
}

// moveRun is a move run through the API by the test.
type moveRun struct {
	move    custody.MoveID
	persons []custody.PersonID
}

// runMove plans a move of three men held in Gweiran (SDF) to the Iraqi
// central prison and runs it to the end through the API: the planner
// opens an allocation and plans the move, the coalition escort boards
// them, the SDF registrar releases them at departure and the escort
// confirms, the escort departs, counts, arrives and releases them to the
// Iraqi Ministry of Justice, whose receiver confirms, and the move closes.
// It checks the answers along the way: retries, refusals.
func runMove(t *testing.T, c *apiClient) moveRun {
	t.Helper()
	ctx := context.Background()
	held, err := c.f.store.Held(ctx, "gweiran")
	if err != nil {
		t.Fatal(err)
	}
	var run moveRun
	for _, h := range held {
		if h.Person.Category == custody.Man && len(run.persons) < 3 {
			run.persons = append(run.persons, h.Person.ID)
		}
	}
	if len(run.persons) < 3 {
		t.Fatalf("only %d men held in Gweiran", len(run.persons))
	}
	run.move = "MV-API-TEST-01"
	mv := "/api/v1/moves/" + string(run.move) + "/"
	ids, _ := json.Marshal(run.persons)

	c.write(t, "planner", "/api/v1/allocations", "alloc-1", `{"id": "ALLOC-API-TEST", "name": "three men from Gweiran to central Iraq",
		"ordered_by": "centcom", "target": 3, "criteria": {"categories": ["man"], "origins": ["gweiran"]}, "destinations": ["iq-moj-central"]}`, http.StatusCreated)
	manifest := make([]string, len(run.persons))
	for i, p := range run.persons {
		manifest[i] = fmt.Sprintf(`{"person": %q, "vehicle": "bus-1", "seat": %d}`, p, i+1)
	}
	plan := `{"move": {"id": "` + string(run.move) + `", "allocation": "ALLOC-API-TEST", "mode": "land", "origin": "gweiran", "destination": "iq-moj-central",
		"escort": "centcom", "departure": "2026-11-20T06:00:00Z", "arrival": "2026-11-20T16:00:00Z",
		"vehicles": [{"id": "bus-1", "kind": "armoured bus", "label": "CC-12", "seats": 4}],
		"legs": [{"kind": "border-crossing", "place": "Rabia"}]},
		"manifest": [` + strings.Join(manifest, ", ") + `]}`
	c.write(t, "planner", "/api/v1/moves", "plan-1", plan, http.StatusCreated)

	c.write(t, "escort", mv+"start-boarding", "board-start", "", http.StatusCreated)
	// Someone who may not record boardings: refused whole, nothing written.
	size := logSize(t, c.f)
	for _, user := range []string{"consular", "receiver"} {
		x := c.call(t, user, "POST", mv+"board", fmt.Sprintf(`{"person": %q, "scan": "typed"}`, run.persons[0]), "Idempotency-Key", "board-by-"+user)
		if e := x.apiErr(t); x.status != http.StatusForbidden || e.Code != custody.Forbidden {
			t.Errorf("%s boards: %d %+v", user, x.status, e)
		}
	}
	if logSize(t, c.f) != size {
		t.Fatal("a refused boarding changed the log")
	}
	// Boarded by typed ID (the vehicle from the manifest), the last by a
	// wristband scan alone.
	for _, p := range run.persons[:2] {
		c.write(t, "escort", mv+"board", "board-"+string(p), fmt.Sprintf(`{"person": %q, "scan": "typed"}`, p), http.StatusCreated)
	}
	last := run.persons[2]
	c.write(t, "escort", mv+"board", "board-"+string(last), fmt.Sprintf(`{"scan": "qr", "code": %q, "vehicle": "bus-1"}`, custody.WristbandCode(last)), http.StatusCreated)
	// Boarding twice breaks a rule, named.
	x := c.call(t, "escort", "POST", mv+"board", fmt.Sprintf(`{"person": %q, "scan": "typed"}`, last), "Idempotency-Key", "board-again")
	if e := x.apiErr(t); x.status != http.StatusConflict || e.Rule != custody.RuleAlreadyBoarded {
		t.Errorf("boarding twice: %d %+v", x.status, e)
	}

	// The SDF side releases them to the escort, which confirms.
	rel := c.write(t, "registrar", mv+"release", "release-dep", `{"stage": "departure", "to": "centcom", "persons": `+string(ids)+`}`, http.StatusCreated)
	c.write(t, "escort", mv+"receive", "receive-dep", fmt.Sprintf(`{"handover": %d, "persons": %s, "identity_checked": true}`, rel.Seqs[0], ids), http.StatusCreated)

	// Departure; a retry (same key, same body) is a replay with the same
	// log index; the key reused for another body is refused.
	dep := c.write(t, "escort", mv+"depart", "depart", `{"count": 3}`, http.StatusCreated)
	again := c.write(t, "escort", mv+"depart", "depart", `{"count": 3}`, http.StatusOK)
	if !again.Replayed || !slices.Equal(again.Seqs, dep.Seqs) || dep.Replayed {
		t.Errorf("retry: %+v, first %+v", again, dep)
	}
	x = c.call(t, "escort", "POST", mv+"depart", `{"count": 2}`, "Idempotency-Key", "depart")
	if e := x.apiErr(t); x.status != http.StatusConflict || e.Rule != custody.RuleIdempotency {
		t.Errorf("key reused: %d %+v", x.status, e)
	}
	c.write(t, "escort", mv+"count", "count-1", `{"leg": 1, "count": 3}`, http.StatusCreated)
	c.write(t, "escort", mv+"arrive", "arrive", `{"count": 3}`, http.StatusCreated)

	// At arrival the escort releases them to the Iraqi Ministry of
	// Justice, whose receiver confirms each.
	rel = c.write(t, "escort", mv+"release", "release-arr", `{"stage": "arrival", "to": "iraq-moj", "persons": `+string(ids)+`}`, http.StatusCreated)
	x = c.call(t, "escort", "POST", mv+"receive", fmt.Sprintf(`{"handover": %d, "persons": %s, "identity_checked": true}`, rel.Seqs[0], ids), "Idempotency-Key", "receive-by-escort")
	if e := x.apiErr(t); x.status != http.StatusBadRequest || e.Rule != custody.RuleWrongAuthority {
		t.Errorf("the escort confirms its own handover: %d %+v", x.status, e)
	}
	c.write(t, "receiver", mv+"receive", "receive-arr", fmt.Sprintf(`{"handover": %d, "persons": %s, "identity_checked": true}`, rel.Seqs[0], ids), http.StatusCreated)
	c.write(t, "receiver", mv+"close", "close", "", http.StatusCreated)

	var m moveJSON
	c.get(t, "escort", "/api/v1/moves/"+string(run.move), http.StatusOK, &m)
	if m.Status != custody.StageClosed || m.Balance.HandedOver != 3 || m.Balance.Check() != nil {
		t.Errorf("move after closing: %s, %+v", m.Status, m.Balance)
	}
	return run
}

// runAbortedMove plans a move of four men from Gweiran and calls it off
// at the door: one is not boarded (medically unfit), one is evacuated to
// hospital from the bus, one is released to the escort and refused by it,
// and the move is aborted; the men aboard go back to Gweiran.
func runAbortedMove(t *testing.T, c *apiClient, id custody.MoveID) []custody.PersonID {
	t.Helper()
	held, err := c.f.store.Held(context.Background(), "gweiran")
	if err != nil {
		t.Fatal(err)
	}
	var men []custody.PersonID
	for _, h := range held[len(held)/2:] {
		if h.Person.Category == custody.Man && len(men) < 4 {
			men = append(men, h.Person.ID)
		}
	}
	mv := "/api/v1/moves/" + string(id) + "/"
	seats := make([]string, len(men))
	for i, p := range men {
		seats[i] = fmt.Sprintf(`{"person": %q, "vehicle": "suv-1", "seat": %d}`, p, i+1)
	}
	c.write(t, "planner", "/api/v1/allocations", "alloc-"+string(id), `{"id": "ALLOC-`+string(id)+`", "name": "four men", "ordered_by": "centcom", "target": 4,
		"criteria": {"origins": ["gweiran"]}, "destinations": ["iq-moj-south"], "occurred_at": "2026-11-19T06:00:00Z"}`, http.StatusCreated)
	c.write(t, "planner", "/api/v1/moves", "plan-"+string(id), `{"move": {"id": "`+string(id)+`", "allocation": "ALLOC-`+string(id)+`", "mode": "land", "origin": "gweiran",
		"destination": "iq-moj-south", "escort": "centcom", "departure": "2026-11-21T06:00:00Z", "arrival": "2026-11-21T18:00:00Z",
		"vehicles": [{"id": "suv-1", "kind": "armoured SUV", "label": "CC-3", "seats": 4}]},
		"manifest": [`+strings.Join(seats, ", ")+`], "occurred_at": "2026-11-20T06:00:00Z"}`, http.StatusCreated)
	c.write(t, "escort", mv+"start-boarding", "start-"+string(id), `{"occurred_at": "2026-11-21T05:00:00Z"}`, http.StatusCreated)
	c.write(t, "escort", mv+"not-boarded", "nb-"+string(id), fmt.Sprintf(`{"person": %q, "reason": {"code": "medical-unfit", "version": 1, "note": "fever"}}`, men[0]), http.StatusCreated)
	for _, p := range men[1:] {
		c.write(t, "escort", mv+"board", "board-"+string(p), fmt.Sprintf(`{"person": %q, "scan": "typed"}`, p), http.StatusCreated)
	}
	c.write(t, "escort", mv+"evacuate", "evac-"+string(id), fmt.Sprintf(`{"person": %q, "hospital": "hasakah-hospital", "condition": "chest pain"}`, men[3]), http.StatusCreated)
	rel := c.write(t, "registrar", mv+"release", "rel-"+string(id), fmt.Sprintf(`{"stage": "departure", "to": "centcom", "persons": [%q, %q]}`, men[1], men[2]), http.StatusCreated)
	c.write(t, "escort", mv+"refuse", "refuse-"+string(id), fmt.Sprintf(`{"handover": %d, "person": %q, "reason": {"code": "medical", "version": 1}}`, rel.Seqs[0], men[2]), http.StatusCreated)
	c.write(t, "escort", mv+"abort", "abort-"+string(id), `{"reason": {"code": "weather", "version": 1}}`, http.StatusCreated)
	return men
}

func TestAPIMoveAborted(t *testing.T) {
	f := newFixture(t)
	c := &apiClient{f: f}
	men := runAbortedMove(t, c, "MV-API-TEST-02")
	want := []struct {
		status   custody.Status
		facility custody.FacilityID
	}{{custody.StatusHeld, "gweiran"}, {custody.StatusHeld, "gweiran"}, {custody.StatusHeld, "gweiran"}, {custody.StatusHospitalised, "hasakah-hospital"}}
	for i, p := range men {
		var w sqlstoreWhere
		c.get(t, "monitor", "/api/v1/persons/"+string(p)+"/whereabouts", http.StatusOK, &w)
		if w.Status != want[i].status || w.Facility != want[i].facility {
			t.Errorf("%s: %+v, want %+v", p, w, want[i])
		}
	}
	var m moveJSON
	c.get(t, "planner", "/api/v1/moves/MV-API-TEST-02", http.StatusOK, &m)
	if m.Status != custody.StageAborted || len(m.NotBoarded) != 1 || len(m.Incidents) != 1 {
		t.Errorf("aborted move: %s, %+v", m.Status, m.Balance)
	}
}

func logSize(t testing.TB, f *fixture) int64 {
	t.Helper()
	n, err := f.store.Size(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAPIMoveRun(t *testing.T) {
	f := newFixture(t)
	c := &apiClient{f: f}
	run := runMove(t, c)
	for _, p := range run.persons {
		var w struct {
			Status    custody.Status      `json:"status"`
			Facility  custody.FacilityID  `json:"facility"`
			Authority custody.AuthorityID `json:"authority"`
		}
		c.get(t, "monitor", "/api/v1/persons/"+string(p)+"/whereabouts", http.StatusOK, &w)
		if w.Status != custody.StatusHeld || w.Facility != "iq-moj-central" || w.Authority != "iraq-moj" {
			t.Errorf("%s after the move: %+v", p, w)
		}
		// Now in the receiving prison, the receiver reads them; the
		// registrar of Gweiran no longer does.
		c.get(t, "receiver", "/api/v1/persons/"+string(p), http.StatusOK, nil)
		c.get(t, "registrar", "/api/v1/persons/"+string(p), http.StatusNotFound, nil)
	}
	// Every stage is on each person's timeline, verified.
	var tl timelineT
	c.get(t, "monitor", "/api/v1/persons/"+string(run.persons[0])+"/timeline", http.StatusOK, &tl)
	var types []string
	for _, e := range tl.Entries {
		if e.Proof.Status != proofVerified {
			t.Errorf("event %d: %s", e.Seq, e.Proof.Status)
		}
		types = append(types, e.Type)
	}
	for _, want := range []custody.EventType{custody.TypeMovePlanned, custody.TypeBoarded, custody.TypeHandoverReleased, custody.TypeHandoverReceived} {
		if !slices.Contains(types, string(want)) {
			t.Errorf("timeline has no %s: %v", want, types)
		}
	}
	// The escort's moves list shows it; the registrar's too (from
	// Gweiran); the receiver's (into its prison).
	for _, user := range []string{"escort", "registrar", "receiver", "planner"} {
		var page movePage
		c.get(t, user, "/api/v1/moves?limit=1000&status=closed&origin=gweiran", http.StatusOK, &page)
		if !slices.ContainsFunc(page.Moves, func(m sqlstore.MoveSummary) bool { return m.ID == run.move }) {
			t.Errorf("%s does not see %s", user, run.move)
		}
	}
}

// TestAPIIncident records an incident and a batch of events through the
// generic endpoints.
func TestAPIIncident(t *testing.T) {
	f := newFixture(t)
	c := &apiClient{f: f}
	held, err := f.store.Held(context.Background(), "gweiran")
	if err != nil {
		t.Fatal(err)
	}
	p := held[0].Person.ID
	// Only an incident type.
	x := c.call(t, "registrar", "POST", "/api/v1/incidents", `{"type": "custody.admitted", "data": {}}`, "Idempotency-Key", "i0")
	if e := x.apiErr(t); x.status != http.StatusBadRequest || !strings.Contains(e.Message, "/type") {
		t.Errorf("not an incident: %d %+v", x.status, e)
	}
	esc := c.write(t, "registrar", "/api/v1/incidents", "i1", fmt.Sprintf(`{"type": "custody.escaped", "occurred_at": "2026-11-01T02:00:00Z", "data": {"person": %q, "facility": "gweiran", "circumstances": "a tunnel"}}`, p), http.StatusCreated)
	var w sqlstoreWhere
	c.get(t, "monitor", "/api/v1/persons/"+string(p)+"/whereabouts", http.StatusOK, &w)
	if w.Status != custody.StatusEscaped {
		t.Errorf("after the escape: %+v", w)
	}
	// Recaptured and hospitalised in one request of two events.
	res := c.write(t, "registrar", "/api/v1/events", "e1", fmt.Sprintf(`{"events": [
		{"type": "custody.recaptured", "occurred_at": "2026-11-02T02:00:00Z", "data": {"person": %q, "escape": %d, "facility": "gweiran"}},
		{"type": "custody.hospitalised", "data": {"person": %q, "from": "gweiran", "hospital": "hasakah-hospital"}}]}`, p, esc.Seqs[0], p), http.StatusCreated)
	if len(res.Seqs) != 2 || res.Seqs[1] != res.Seqs[0]+1 {
		t.Errorf("two events: %+v", res)
	}
	c.get(t, "monitor", "/api/v1/persons/"+string(p)+"/whereabouts", http.StatusOK, &w)
	if w.Status != custody.StatusHospitalised || w.Facility != "hasakah-hospital" {
		t.Errorf("after the recapture and hospitalisation: %+v", w)
	}
	// A retry with no occurred_at (the server's time) replays.
	again := c.write(t, "registrar", "/api/v1/events", "e1", fmt.Sprintf(`{"events": [
		{"type": "custody.recaptured", "occurred_at": "2026-11-02T02:00:00Z", "data": {"person": %q, "escape": %d, "facility": "gweiran"}},
		{"type": "custody.hospitalised", "data": {"person": %q, "from": "gweiran", "hospital": "hasakah-hospital"}}]}`, p, esc.Seqs[0], p), http.StatusOK)
	if !again.Replayed || !slices.Equal(again.Seqs, res.Seqs) {
		t.Errorf("retry: %+v", again)
	}
	// An event of another facility: the policy refuses it whole.
	size := logSize(t, f)
	other := c.call(t, "registrar", "POST", "/api/v1/events", `{"events": [{"type": "custody.escaped", "data": {"person": "NES-018168", "facility": "al-hol"}}]}`, "Idempotency-Key", "e2")
	if e := other.apiErr(t); other.status != http.StatusForbidden || !strings.Contains(e.Message, "al-hol") {
		t.Errorf("escape from al-Hol by the registrar of Roj and Gweiran: %d %+v", other.status, e)
	}
	if logSize(t, f) != size {
		t.Error("a refused request changed the log")
	}
}

type sqlstoreWhere struct {
	Status   custody.Status     `json:"status"`
	Facility custody.FacilityID `json:"facility"`
}

// TestAPIUsers adds a user, gives them a token, and disables them.
func TestAPIUsers(t *testing.T) {
	f := newFixture(t)
	c := &apiClient{f: f}
	var nu newUserJSON
	c.call(t, "admin", "POST", "/api/v1/users", `{"name": "reg.roj", "role": "registrar", "authority": "sdf", "facilities": ["roj"]}`).want(t, http.StatusCreated, &nu)
	if nu.Password == "" || nu.User.Name != "reg.roj" {
		t.Fatalf("new user: %+v", nu)
	}
	x := c.call(t, "admin", "POST", "/api/v1/users", `{"name": "reg.roj", "role": "registrar", "authority": "sdf", "facilities": ["roj"]}`)
	if x.status != http.StatusConflict {
		t.Errorf("the same user again: %d %s", x.status, x.body)
	}
	x = c.call(t, "admin", "POST", "/api/v1/users", `{"name": "reg.x", "role": "registrar", "authority": "sdf", "facilities": ["nowhere"]}`)
	if e := x.apiErr(t); x.status != http.StatusBadRequest || !strings.Contains(e.Message, "/facilities/0") {
		t.Errorf("a registrar of nowhere: %d %+v", x.status, e)
	}
	x = c.call(t, "admin", "POST", "/api/v1/users", `{"name": "c", "role": "consular"}`)
	if e := x.apiErr(t); x.status != http.StatusBadRequest || !strings.Contains(e.Message, "nationality") {
		t.Errorf("a consular officer of no country: %d %+v", x.status, e)
	}
	var tok tokenJSON
	c.call(t, "admin", "POST", "/api/v1/users/reg.roj/tokens", `{"label": "field tablet"}`).want(t, http.StatusCreated, &tok)
	f.tokens["reg.roj"] = tok.Token
	var page personPageT
	c.get(t, "reg.roj", "/api/v1/persons?limit=3", http.StatusOK, &page)
	if len(page.Persons) != 3 || page.Persons[0].Facility != "roj" {
		t.Errorf("the new registrar's persons: %+v", page.Persons)
	}
	c.call(t, "admin", "POST", "/api/v1/users/reg.roj/disable", "").want(t, http.StatusOK, nil)
	c.get(t, "reg.roj", "/api/v1/me", http.StatusUnauthorized, nil)
	c.call(t, "admin", "POST", "/api/v1/users/admin/disable", "").want(t, http.StatusConflict, nil)
	c.call(t, "admin", "POST", "/api/v1/users/nobody/disable", "").want(t, http.StatusNotFound, nil)
	c.call(t, "monitor", "POST", "/api/v1/users/reg.roj/tokens", "").want(t, http.StatusForbidden, nil)
	var users struct {
		Users []sqlstore.UserRecord `json:"users"`
	}
	c.get(t, "admin", "/api/v1/users", http.StatusOK, &users)
	i := slices.IndexFunc(users.Users, func(u sqlstore.UserRecord) bool { return u.Name == "reg.roj" })
	if i < 0 || !users.Users[i].Disabled || users.Users[i].Tokens != 1 {
		t.Errorf("users: %+v", users.Users)
	}
}

// TestAPIUnknown: unknown routes and actions answer JSON 404s.
func TestAPIUnknown(t *testing.T) {
	f := newFixture(t)
	c := &apiClient{f: f}
	x := c.call(t, "escort", "POST", "/api/v1/moves/MV-20260123-15/teleport", "{}", "Idempotency-Key", "k")
	if e := x.apiErr(t); x.status != http.StatusNotFound || !strings.Contains(e.Message, "teleport") || !strings.Contains(e.Message, "board") {
		t.Errorf("unknown action: %d %+v", x.status, e)
	}
	x = c.get(t, "monitor", "/api/v1/nothing", http.StatusNotFound, nil)
	if x.header.Get("Content-Type") != "application/json" {
		t.Errorf("unknown route: %s", x.header.Get("Content-Type"))
	}
	c.get(t, "monitor", "/api/v1/events/99999999", http.StatusNotFound, nil)
	c.get(t, "monitor", "/api/v1/events/x", http.StatusBadRequest, nil)
	c.get(t, "monitor", "/api/v1/persons?status=lost", http.StatusBadRequest, nil)
	c.get(t, "monitor", "/api/v1/persons?limit=0", http.StatusBadRequest, nil)
	c.get(t, "monitor", "/api/v1/facilities/atlantis", http.StatusNotFound, nil)
	c.get(t, "monitor", "/api/v1/allocations/ALLOC-NONE", http.StatusNotFound, nil)
}
