package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/password"
	"github.com/opencustody/custody/sqlstore"
)

// Family inquiries through the API and the pages, on the demo: a relative
// asks about a registered person by another spelling of their name and
// their father's name; the desk finds them among the candidates (which
// show nothing of where anyone is, and are audited), confirms them and
// answers with what policy releases, recorded in the log.

// inquirySought is the demo person the tests ask about.
const inquirySought custody.PersonID = "NES-018168"

type inquiryT struct {
	Inquiry struct {
		ID     custody.InquiryID `json:"id"`
		Sought custody.Sought    `json:"sought"`
		Asker  custody.Asker     `json:"asker"`
	} `json:"inquiry"`
	Status    string             `json:"status"`
	Desk      string             `json:"desk"`
	Decisions []custody.Decision `json:"decisions"`
	Answer    *struct {
		Found bool                   `json:"found"`
		Facts []custody.ReleasedFact `json:"facts"`
	} `json:"answer"`
	Person   custody.PersonID `json:"person"`
	Answered int64            `json:"answered"`
}

type inquiryResultT struct {
	Seqs     []int64   `json:"seqs"`
	Replayed bool      `json:"replayed"`
	Inquiry  *inquiryT `json:"inquiry"`
}

type candT struct {
	Person  custody.PersonID `json:"person"`
	Score   float64          `json:"score"`
	Reasons []names.Reason   `json:"reasons"`
}

type candidatesT struct {
	Inquiry    custody.InquiryID `json:"inquiry"`
	Candidates []candT           `json:"candidates"`
}

// askAbout is an inquiry body about person p as a relative would give it:
// the name in Arabic script (or another Latin spelling), the father's name
// in Latin letters, an approximate age.
func askAbout(t testing.TB, f *fixture, p custody.PersonID) string {
	t.Helper()
	rec, err := f.store.PersonFacts(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	per := rec.State.Person
	name := per.Name.Arabic
	if name == "" && len(per.Name.Latin) > 1 {
		name = per.Name.Latin[1]
	}
	father := ""
	if l := per.FatherName.Latin; len(l) > 0 {
		father = l[len(l)-1]
	} else {
		father = per.FatherName.Arabic
	}
	age := 0
	if a, ok := per.Birth.AgeOn(time.Now()); ok {
		age = a
	}
	b, _ := json.Marshal(map[string]any{
		"sought": map[string]any{"names": []string{name}, "father": father, "age": age, "sex": per.Sex},
		"asker":  map[string]any{"name": "Amina Khalil", "relationship": "mother", "contact": "+963 900 000 000"},
	})
	return string(b)
}

// openInquiryAPI opens an inquiry as user and returns it.
func openInquiryAPI(t testing.TB, c *apiClient, user, key, body string) *inquiryT {
	t.Helper()
	var res inquiryResultT
	c.call(t, user, "POST", "/api/v1/inquiries", body, "Idempotency-Key", key).want(t, http.StatusCreated, &res)
	if res.Inquiry == nil || !strings.HasPrefix(string(res.Inquiry.Inquiry.ID), "INQ-") || res.Inquiry.Status != "open" || res.Inquiry.Desk != user {
		t.Fatalf("open inquiry: %+v", res.Inquiry)
	}
	return res.Inquiry
}

// addDeskUser adds a second family-desk user with an API token.
func addDeskUser(t testing.TB, f *fixture, name string) {
	t.Helper()
	ctx := context.Background()
	hash, err := password.Hash(testPassword, password.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.AddUser(ctx, custody.User{Name: name, Role: custody.RoleFamilyDesk}, hash); err != nil {
		t.Fatal(err)
	}
	tok, err := f.store.NewAPIToken(ctx, name, "test")
	if err != nil {
		t.Fatal(err)
	}
	f.tokens[name] = tok
}

// serverWith starts a second server on the fixture's store (and names
// index) with cfg changed.
func serverWith(t testing.TB, f *fixture, change func(*Config)) *fixture {
	t.Helper()
	cfg := Config{Store: f.store, Site: "test", Names: f.srv.names,
		LoginRate: LoginRate{PerUserBurst: 1000, PerUserEvery: 1, PerAddrBurst: 1000, PerAddrEvery: 1}}
	change(&cfg)
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &fixture{store: f.store, srv: srv, ts: ts, tokens: f.tokens}
}

func familyReads(t testing.TB, f *fixture, user string) []sqlstore.PersonRead {
	t.Helper()
	reads, err := f.store.PersonReads(context.Background(), sqlstore.ReadFilter{User: user, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return reads
}

func TestInquiryAPI(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := &apiClient{f: f}
	body := askAbout(t, f, inquirySought)
	base := "/api/v1/inquiries/"

	// Opening: the server names the inquiry; a retry replays it; the
	// same key with another body conflicts; the key is required.
	q := openInquiryAPI(t, c, "family", "inq-1", body)
	id := q.Inquiry.ID
	var replay inquiryResultT
	c.call(t, "family", "POST", "/api/v1/inquiries", body, "Idempotency-Key", "inq-1").want(t, http.StatusOK, &replay)
	if !replay.Replayed || replay.Inquiry.Inquiry.ID != id {
		t.Fatalf("a retry of the opening: replayed %v, inquiry %s, want %s", replay.Replayed, replay.Inquiry.Inquiry.ID, id)
	}
	for _, bad := range []struct {
		name, key, body string
		status          int
	}{
		{"same key, other body", "inq-1", strings.Replace(body, "Amina", "Fatima", 1), http.StatusConflict},
		{"no key", "", body, http.StatusBadRequest},
		{"no names", "inq-bad-1", `{"sought": {"names": []}, "asker": {"name": "A", "relationship": "mother"}}`, http.StatusBadRequest},
		{"no relationship", "inq-bad-2", `{"sought": {"names": ["Ahmad"]}, "asker": {"name": "A"}}`, http.StatusBadRequest},
		{"bad nationality", "inq-bad-3", `{"sought": {"names": ["Ahmad"], "nationality": "Syria"}, "asker": {"name": "A", "relationship": "mother"}}`, http.StatusBadRequest},
		{"unknown member", "inq-bad-4", `{"sought": {"names": ["Ahmad"], "facility": "al-hol"}, "asker": {"name": "A", "relationship": "mother"}}`, http.StatusBadRequest},
	} {
		hdr := []string{}
		if bad.key != "" {
			hdr = []string{"Idempotency-Key", bad.key}
		}
		if x := c.call(t, "family", "POST", "/api/v1/inquiries", bad.body, hdr...); x.status != bad.status {
			t.Errorf("%s: status %d, want %d: %s", bad.name, x.status, bad.status, x.body)
		}
	}

	// The desk user's own inquiries; another desk user sees none of them.
	var list struct{ Inquiries []inquiryT }
	c.get(t, "family", "/api/v1/inquiries", http.StatusOK, &list)
	if len(list.Inquiries) != 1 || list.Inquiries[0].Inquiry.ID != id {
		t.Fatalf("the desk's inquiries: %+v", list.Inquiries)
	}
	c.get(t, "family", base+string(id), http.StatusOK, nil)
	addDeskUser(t, f, "family2")
	c.get(t, "family2", "/api/v1/inquiries", http.StatusOK, &list)
	if len(list.Inquiries) != 0 {
		t.Fatalf("another desk user lists %d inquiries of the first", len(list.Inquiries))
	}
	for _, x := range []*exchange{
		c.call(t, "family2", "GET", base+string(id), ""),
		c.call(t, "family2", "GET", base+string(id)+"/candidates", ""),
		c.call(t, "family2", "POST", base+string(id)+"/decisions", `{"person": "`+string(inquirySought)+`", "confirmed": true}`, "Idempotency-Key", "f2-d"),
		c.call(t, "family2", "POST", base+string(id)+"/answer", `{}`, "Idempotency-Key", "f2-a"),
	} {
		if x.status != http.StatusNotFound {
			t.Errorf("%s %s as another desk user: status %d, want 404", x.req.Method, x.req.URL.Path, x.status)
		}
	}
	if reads := familyReads(t, f, "family2"); len(reads) != 0 {
		t.Errorf("another desk user's refused calls read %d records", len(reads))
	}

	// Candidates: the person sought among the first three, with reasons,
	// and only what the desk needs to compare.
	x := c.get(t, "family", base+string(id)+"/candidates", http.StatusOK, nil)
	var cands candidatesT
	x.want(t, http.StatusOK, &cands)
	rank := slices.IndexFunc(cands.Candidates, func(c candT) bool { return c.Person == inquirySought })
	if rank < 0 || rank > 2 {
		t.Fatalf("%s is not among the first three candidates (rank %d) for %s:\n%s", inquirySought, rank, body, x.body)
	}
	if len(cands.Candidates[rank].Reasons) == 0 {
		t.Errorf("the candidate %s comes with no reasons", inquirySought)
	}
	var raw struct{ Candidates []map[string]json.RawMessage }
	if err := json.Unmarshal(x.body, &raw); err != nil {
		t.Fatal(err)
	}
	allowed := []string{"person", "score", "matched", "name", "father", "mother", "birth_year", "sex", "nationalities", "reasons", "decision"}
	for _, cand := range raw.Candidates {
		for k := range cand {
			if !slices.Contains(allowed, k) {
				t.Errorf("a candidate has the member %q: only %v may be shown to the desk", k, allowed)
			}
		}
		for _, k := range []string{"facility", "location", "status", "authority", "move", "documents", "medical"} {
			if _, ok := cand[k]; ok {
				t.Errorf("a candidate shows %q to the family desk", k)
			}
		}
		if cs := cand["score"]; len(cs) > 0 {
			var sc float64
			json.Unmarshal(cs, &sc)
			if sc < names.Threshold {
				t.Errorf("a candidate scores %.3f, under the threshold %.2f", sc, names.Threshold)
			}
		}
	}
	if len(raw.Candidates) > maxCandidates {
		t.Errorf("%d candidates, at most %d", len(raw.Candidates), maxCandidates)
	}
	// Each candidate shown is in the audit trail.
	reads := familyReads(t, f, "family")
	for _, cand := range cands.Candidates {
		if !slices.ContainsFunc(reads, func(r sqlstore.PersonRead) bool {
			return r.Person == string(cand.Person) && r.Route == "GET /api/v1/inquiries/{id}/candidates"
		}) {
			t.Errorf("the candidate %s shown to the desk is not in the audit trail", cand.Person)
		}
	}

	// A person who is not a candidate cannot be decided on.
	page, err := f.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Nationality: "FR", Limit: 1})
	if err != nil || len(page.Persons) == 0 {
		t.Fatalf("no French person in the demo: %v", err)
	}
	stranger := page.Persons[0].ID
	for _, p := range []custody.PersonID{stranger, "NES-999999"} {
		x := c.call(t, "family", "POST", base+string(id)+"/decisions", fmt.Sprintf(`{"person": %q, "confirmed": true}`, p), "Idempotency-Key", "d-"+string(p))
		if x.status != http.StatusNotFound {
			t.Errorf("deciding on %s, not a candidate: status %d, want 404: %s", p, x.status, x.body)
		}
	}
	c.call(t, "family", "POST", base+string(id)+"/decisions", `{"person": "`+string(inquirySought)+`"}`, "Idempotency-Key", "d-no-confirmed").want(t, http.StatusBadRequest, nil)

	// No answer about a person before the desk confirms them.
	x = c.call(t, "family", "POST", base+string(id)+"/answer", `{"person": "`+string(inquirySought)+`"}`, "Idempotency-Key", "a-early")
	if x.status != http.StatusConflict || x.apiErr(t).Rule != custody.RuleUnconfirmed {
		t.Fatalf("an answer before confirming: status %d, want 409 (unconfirmed): %s", x.status, x.body)
	}
	var dec inquiryResultT
	c.call(t, "family", "POST", base+string(id)+"/decisions", `{"person": "`+string(inquirySought)+`", "confirmed": true, "note": "mother recognises the father's name"}`,
		"Idempotency-Key", "d-ok").want(t, http.StatusCreated, &dec)
	if len(dec.Inquiry.Decisions) != 1 || !dec.Inquiry.Decisions[0].Confirmed || dec.Inquiry.Decisions[0].By != "family" {
		t.Fatalf("the decision: %+v", dec.Inquiry.Decisions)
	}

	// The answer, on a deployment that releases the whereabouts only.
	narrow := serverWith(t, f, func(c *Config) { c.FamilyRelease = []custody.ReleaseField{custody.ReleaseWhereabouts} })
	nc := &apiClient{f: narrow}
	var ans inquiryResultT
	nc.call(t, "family", "POST", base+string(id)+"/answer", `{"person": "`+string(inquirySought)+`"}`, "Idempotency-Key", "a-1").want(t, http.StatusCreated, &ans)
	a := ans.Inquiry.Answer
	if a == nil || !a.Found || ans.Inquiry.Status != "answered" || ans.Inquiry.Person != inquirySought {
		t.Fatalf("the answer: %s", ans.Inquiry.Status)
	}
	w, err := f.store.WhereIs(ctx, inquirySought)
	if err != nil {
		t.Fatal(err)
	}
	if w.Status == custody.StatusHeld && len(a.Facts) != 1 {
		t.Errorf("the answer about a person held releases %d facts, want the whereabouts only: %+v", len(a.Facts), a.Facts)
	}
	for _, fact := range a.Facts {
		if fact.Field != custody.ReleaseWhereabouts || fact.Value == "" {
			t.Errorf("the answer releases %s (%q): this deployment releases the whereabouts only", fact.Field, fact.Value)
		}
	}
	// It is recorded: in the person's timeline, and the inquiry is answered.
	tl, err := f.store.Timeline(ctx, inquirySought)
	if err != nil {
		t.Fatal(err)
	}
	last := tl[len(tl)-1]
	if d, ok := last.Event.Data.(*custody.InquiryAnswered); !ok || d.Inquiry != id || last.Seq != ans.Seqs[0] || last.Event.By.User != "family" {
		t.Fatalf("the last event of %s's timeline is %s at %d, want the answer to %s at %d", inquirySought, last.Event.Type, last.Seq, id, ans.Seqs[0])
	}
	var got inquiryT
	c.get(t, "family", base+string(id), http.StatusOK, &got)
	if got.Status != "answered" || got.Answered != ans.Seqs[0] {
		t.Fatalf("the inquiry after the answer: %s at %d", got.Status, got.Answered)
	}
	// The composition read the record: audited.
	if !slices.ContainsFunc(familyReads(t, f, "family"), func(r sqlstore.PersonRead) bool {
		return r.Person == string(inquirySought) && r.Route == "POST /api/v1/inquiries/{id}/answer"
	}) {
		t.Error("composing the answer read the record without an audit entry")
	}
	// A retry replays; a second answer is refused; no more candidates.
	var again inquiryResultT
	nc.call(t, "family", "POST", base+string(id)+"/answer", `{"person": "`+string(inquirySought)+`"}`, "Idempotency-Key", "a-1").want(t, http.StatusOK, &again)
	if !again.Replayed || again.Seqs[0] != ans.Seqs[0] {
		t.Errorf("a retry of the answer: replayed %v at %v", again.Replayed, again.Seqs)
	}
	for i, b := range []string{`{}`, `{"person": "` + string(inquirySought) + `"}`} {
		x := c.call(t, "family", "POST", base+string(id)+"/answer", b, "Idempotency-Key", fmt.Sprintf("a-2-%d", i))
		if x.status != http.StatusConflict {
			t.Errorf("a second answer %s: status %d, want 409: %s", b, x.status, x.body)
		}
	}
	c.get(t, "family", base+string(id)+"/candidates", http.StatusConflict, nil)

	// Not found: an answer that says so and releases nothing.
	q2 := openInquiryAPI(t, c, "family", "inq-2", `{"sought": {"names": ["Zzyzx Qwertyuiop"]}, "asker": {"name": "Omar", "relationship": "brother"}}`)
	var nf inquiryResultT
	c.call(t, "family", "POST", base+string(q2.Inquiry.ID)+"/answer", `{}`, "Idempotency-Key", "a-nf").want(t, http.StatusCreated, &nf)
	if nf.Inquiry.Answer == nil || nf.Inquiry.Answer.Found || len(nf.Inquiry.Answer.Facts) != 0 || nf.Inquiry.Person != "" {
		t.Errorf("a not-found answer: %+v", nf.Inquiry.Answer)
	}
}

// TestInquiryRateLimit: with a burst of two searches and no refill, the
// third inquiry's candidate search is refused (429, too_many, with when to
// try again) and reads nothing; looking again at a search already made is
// free.
func TestInquiryRateLimit(t *testing.T) {
	f := newFixture(t)
	tight := serverWith(t, f, func(c *Config) { c.InquiryRate = InquiryRate{Burst: 2, Every: time.Hour, PerDay: 100} })
	c := &apiClient{f: tight}
	body := askAbout(t, f, inquirySought)
	var ids []custody.InquiryID
	for i := range 3 {
		ids = append(ids, openInquiryAPI(t, c, "family", fmt.Sprintf("rate-%d", i), body).Inquiry.ID)
	}
	c.get(t, "family", "/api/v1/inquiries/"+string(ids[0])+"/candidates", http.StatusOK, nil)
	c.get(t, "family", "/api/v1/inquiries/"+string(ids[1])+"/candidates", http.StatusOK, nil)
	before := len(familyReads(t, f, "family"))
	x := c.get(t, "family", "/api/v1/inquiries/"+string(ids[2])+"/candidates", http.StatusTooManyRequests, nil)
	if e := x.apiErr(t); e.Code != custody.TooMany || !strings.Contains(e.Message, "try again after") {
		t.Errorf("the refused search: %+v", e)
	}
	if ra := x.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("the refused search has Retry-After %q", ra)
	}
	if after := len(familyReads(t, f, "family")); after != before {
		t.Errorf("the refused search recorded %d reads", after-before)
	}
	// Deciding on the third inquiry needs a search too: refused alike.
	x = c.call(t, "family", "POST", "/api/v1/inquiries/"+string(ids[2])+"/decisions", `{"person": "`+string(inquirySought)+`", "confirmed": true}`, "Idempotency-Key", "rate-d")
	if x.status != http.StatusTooManyRequests {
		t.Errorf("a decision needing a search over the limit: status %d", x.status)
	}
	// The first search again is not a new one.
	c.get(t, "family", "/api/v1/inquiries/"+string(ids[0])+"/candidates", http.StatusOK, nil)
	// The limit is per desk user.
	addDeskUser(t, f, "family2")
	q := openInquiryAPI(t, c, "family2", "rate-other", body)
	c.get(t, "family2", "/api/v1/inquiries/"+string(q.Inquiry.ID)+"/candidates", http.StatusOK, nil)
	// The page says so too, with the inquiry still shown.
	b := tight.browser(t, "family")
	code, page := tight.uiGet(t, b, "/inquiries/"+string(ids[2]))
	if code != http.StatusTooManyRequests || !strings.Contains(page, `id="search-limited"`) || !strings.Contains(page, string(ids[2])) {
		t.Errorf("the inquiry page over the limit: status %d", code)
	}
}

// TestInquiryCharge checks the limiter on its own, on a fake clock.
func TestInquiryCharge(t *testing.T) {
	t0 := time.Date(2026, 2, 3, 23, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		rate InquiryRate
		at   []time.Duration // times of searches after t0
		want []bool          // allowed
		msg  string          // in the last refusal
	}{
		{"burst", InquiryRate{Burst: 2, Every: time.Hour, PerDay: 10}, []time.Duration{0, 0, 0}, []bool{true, true, false}, "short time"},
		{"refill", InquiryRate{Burst: 1, Every: time.Minute, PerDay: 10}, []time.Duration{0, 30 * time.Second, time.Minute}, []bool{true, false, true}, "short time"},
		{"per day", InquiryRate{Burst: 5, Every: time.Second, PerDay: 2}, []time.Duration{0, time.Minute, 2 * time.Minute}, []bool{true, true, false}, "in a day"},
		{"next day", InquiryRate{Burst: 5, Every: time.Second, PerDay: 1}, []time.Duration{0, time.Minute, 61 * time.Minute}, []bool{true, false, true}, "in a day"},
		{"no refill", InquiryRate{Burst: 1, PerDay: 10}, []time.Duration{0, time.Hour}, []bool{true, false}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := newInquiryDesk(c.rate)
			var last error
			for i, at := range c.at {
				err := d.charge("family", t0.Add(at))
				if (err == nil) != c.want[i] {
					t.Fatalf("search %d at +%v: %v, want allowed %v", i+1, at, err, c.want[i])
				}
				if err != nil {
					last = err
				}
			}
			if c.msg != "" && (last == nil || !strings.Contains(last.Error(), c.msg)) {
				t.Errorf("the refusal %v does not say %q", last, c.msg)
			}
			if d.charge("other", t0) != nil {
				t.Error("another user is limited by the first one's searches")
			}
		})
	}
}

// TestInquiryUI runs an inquiry through the pages' forms: open, see the
// candidates with reasons, confirm, answer, print; in Arabic too.
func TestInquiryUI(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := f.browser(t, "family")
	csrf := f.csrf(t, b)
	rec, err := f.store.PersonFacts(ctx, inquirySought)
	if err != nil {
		t.Fatal(err)
	}
	per := rec.State.Person

	code, page := f.uiGet(t, b, "/inquiries")
	if code != http.StatusOK || !strings.Contains(page, `id="open-inquiry"`) || !strings.Contains(page, `href="/inquiries"`) {
		t.Fatalf("/inquiries: status %d", code)
	}
	// A form without the asker is refused, and shown again with what was typed.
	code, page, _ = f.uiPost(t, b, "/inquiries", url.Values{"csrf": {csrf}, "idem": {"ui-bad"}, "names": {per.Name.Arabic}})
	if code != http.StatusBadRequest || !strings.Contains(page, `id="flash"`) || !strings.Contains(page, per.Name.Arabic) {
		t.Fatalf("an incomplete inquiry form: status %d", code)
	}
	// Without the form token: refused.
	if code, _, _ = f.uiPost(t, b, "/inquiries", url.Values{"idem": {"ui-nocsrf"}, "names": {"x"}, "asker": {"a"}, "relationship": {"b"}}); code != http.StatusForbidden {
		t.Fatalf("an inquiry form without the csrf token: status %d", code)
	}
	form := url.Values{"csrf": {csrf}, "idem": {"ui-1"}, "names": {per.Name.Arabic}, "father": {per.FatherName.Display()},
		"sex": {string(per.Sex)}, "asker": {"Amina Khalil"}, "relationship": {"mother"}, "contact": {"+963 900 000 000"}}
	code, _, loc := f.uiPost(t, b, "/inquiries", form)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/inquiries/INQ-") {
		t.Fatalf("open an inquiry by form: status %d, location %q", code, loc)
	}
	// The same form sent twice opens it once.
	if _, _, loc2 := f.uiPost(t, b, "/inquiries", form); loc2 != loc {
		t.Errorf("the form sent again goes to %q, not %q", loc2, loc)
	}
	id := strings.TrimPrefix(loc, "/inquiries/")
	code, page = f.uiGet(t, b, loc)
	if code != http.StatusOK || !strings.Contains(page, `data-person="`+string(inquirySought)+`"`) || !strings.Contains(page, `class="reason`) {
		t.Fatalf("the inquiry page does not propose %s: status %d", inquirySought, code)
	}
	for _, no := range []string{"facility", "Whereabouts", "held at"} {
		if strings.Contains(strings.ToLower(page[strings.Index(page, `id="candidates"`):]), strings.ToLower(no)) {
			t.Errorf("the candidates show %q", no)
		}
	}
	// Answering before confirming is refused on the page.
	code, page, _ = f.uiPost(t, b, loc+"/answer", url.Values{"csrf": {csrf}, "idem": {"ui-a0"}, "answer": {string(inquirySought)}})
	if code != http.StatusConflict || !strings.Contains(page, "unconfirmed") {
		t.Errorf("answer before confirming by form: status %d", code)
	}
	code, _, loc3 := f.uiPost(t, b, loc+"/decisions", url.Values{"csrf": {csrf}, "idem": {"ui-d1"}, "person": {string(inquirySought)}, "decision": {"confirm"}})
	if code != http.StatusSeeOther || loc3 != loc+"?done=confirmed" {
		t.Fatalf("confirm by form: status %d, location %q", code, loc3)
	}
	_, page = f.uiGet(t, b, loc3)
	if !strings.Contains(page, `id="answer-`+string(inquirySought)+`"`) || !strings.Contains(page, `id="flash"`) {
		t.Fatalf("no answer button for the confirmed person")
	}
	code, _, loc4 := f.uiPost(t, b, loc+"/answer", url.Values{"csrf": {csrf}, "idem": {"ui-a1"}, "answer": {string(inquirySought)}})
	if code != http.StatusSeeOther || loc4 != loc+"/answer" {
		t.Fatalf("answer by form: status %d, location %q", code, loc4)
	}
	q, err := f.store.Inquiry(ctx, custody.InquiryID(id))
	if err != nil || q.Status != custody.InquiryClosed {
		t.Fatalf("the inquiry after the answer: %v %v", q, err)
	}
	code, page = f.uiGet(t, b, loc4)
	for _, want := range []string{"Answer to a family inquiry", id, "Amina Khalil", "mother", per.Name.Arabic, `id="released-facts"`, fmt.Sprintf("at index %d", q.Answered)} {
		if !strings.Contains(page, want) {
			t.Errorf("the printable answer has no %q", want)
		}
	}
	if code != http.StatusOK {
		t.Errorf("the printable answer: status %d", code)
	}
	// In Arabic.
	code, page = f.uiGet(t, b, loc4+"?lang=ar")
	for _, want := range []string{`dir="rtl"`, "جواب على استفسار عائلة", "مكان الوجود"} {
		if !strings.Contains(page, want) {
			t.Errorf("the Arabic answer has no %q (status %d)", want, code)
		}
	}
	code, page = f.uiGet(t, b, "/inquiries?lang=ar")
	if code != http.StatusOK || !strings.Contains(page, "استفسارات العائلات") {
		t.Errorf("the Arabic inquiries page: status %d", code)
	}
	// Another desk user: not found.
	addDeskUser(t, f, "family2")
	b2 := f.browser(t, "family2")
	for _, p := range []string{loc, loc4} {
		if code, _ := f.uiGet(t, b2, p); code != http.StatusNotFound {
			t.Errorf("%s as another desk user: status %d, want 404", p, code)
		}
	}
	// Other roles: no link, no page.
	m := f.browser(t, "monitor")
	if _, page := f.uiGet(t, m, "/"); strings.Contains(page, `href="/inquiries"`) {
		t.Error("the monitor's navigation links to the inquiries")
	}
	if code, _ := f.uiGet(t, m, loc); code != http.StatusForbidden {
		t.Errorf("the monitor opens an inquiry: status %d", code)
	}
}

// runInquiries runs an inquiry through the API for the OpenAPI test:
// every inquiry route, its answers and its refusals, validated against the
// document.
func runInquiries(t *testing.T, c *apiClient) {
	t.Helper()
	body := askAbout(t, c.f, inquirySought)
	q := openInquiryAPI(t, c, "family", "oa-inq-1", body)
	base := "/api/v1/inquiries/" + string(q.Inquiry.ID)
	c.call(t, "family", "POST", "/api/v1/inquiries", body, "Idempotency-Key", "oa-inq-1").want(t, http.StatusOK, nil)
	c.call(t, "family", "POST", "/api/v1/inquiries", `{"sought": {"names": [""]}, "asker": {"name": "A", "relationship": "son"}}`, "Idempotency-Key", "oa-inq-bad").want(t, http.StatusBadRequest, nil)
	c.get(t, "family", "/api/v1/inquiries", http.StatusOK, nil)
	c.get(t, "family", base, http.StatusOK, nil)
	c.get(t, "family", "/api/v1/inquiries/INQ-NONE", http.StatusNotFound, nil)
	c.get(t, "monitor", "/api/v1/inquiries", http.StatusForbidden, nil)
	var cands candidatesT
	c.get(t, "family", base+"/candidates", http.StatusOK, &cands)
	c.call(t, "family", "POST", base+"/decisions", `{"person": "NES-999999", "confirmed": true}`, "Idempotency-Key", "oa-d0").want(t, http.StatusNotFound, nil)
	c.call(t, "family", "POST", base+"/answer", `{"person": "`+string(inquirySought)+`"}`, "Idempotency-Key", "oa-a0").want(t, http.StatusConflict, nil)
	if len(cands.Candidates) > 0 {
		p := cands.Candidates[0].Person
		c.call(t, "family", "POST", base+"/decisions", `{"person": "`+string(p)+`", "confirmed": true, "note": "n"}`, "Idempotency-Key", "oa-d1").want(t, http.StatusCreated, nil)
		c.call(t, "family", "POST", base+"/decisions", `{"person": "`+string(p)+`", "confirmed": true, "note": "n"}`, "Idempotency-Key", "oa-d1").want(t, http.StatusOK, nil)
		c.call(t, "family", "POST", base+"/answer", `{"person": "`+string(p)+`"}`, "Idempotency-Key", "oa-a1").want(t, http.StatusCreated, nil)
	} else {
		t.Errorf("no candidates for %s: the answer about a person is not validated", inquirySought)
		c.call(t, "family", "POST", base+"/answer", `{}`, "Idempotency-Key", "oa-a1").want(t, http.StatusCreated, nil)
	}
	c.get(t, "family", base, http.StatusOK, nil)
	c.get(t, "family", base+"/candidates", http.StatusConflict, nil)
	q2 := openInquiryAPI(t, c, "family", "oa-inq-2", `{"sought": {"names": ["Zzyzx Qwertyuiop"], "age": 30, "sex": "male", "nationality": "SY", "origin": "Deir ez-Zor", "father": "Qq", "mother": "Ww"}, "asker": {"name": "Omar", "relationship": "brother", "contact": "x"}}`)
	c.call(t, "family", "POST", "/api/v1/inquiries/"+string(q2.Inquiry.ID)+"/answer", `{}`, "Idempotency-Key", "oa-a2").want(t, http.StatusCreated, nil)
}
