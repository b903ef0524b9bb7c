package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/personindex"
	"github.com/opencustody/custody/scenario"
	"github.com/opencustody/custody/sqlstore"
)

type searchAnswer struct {
	Matches []matchJSON `json:"matches"`
}

func (f *fixture) searchAs(t *testing.T, user string, v url.Values) (int, searchAnswer) {
	t.Helper()
	code, body := f.do(t, user, "GET", "/api/v1/persons/search?"+v.Encode(), "")
	var a searchAnswer
	if code == http.StatusOK {
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatalf("search answer: %v\n%s", err, body)
		}
	}
	return code, a
}

// heldAt returns a man held at facility fac with an Arabic name, a Latin
// spelling and a father's name.
func (f *fixture) heldAt(t *testing.T, fac custody.FacilityID) *custody.PersonState {
	t.Helper()
	ctx := context.Background()
	page, err := f.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Facility: fac, Category: custody.Man, Status: custody.StatusHeld, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Persons {
		rec, err := f.store.PersonFacts(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		pp := rec.State.Person
		if pp.Name.Arabic != "" && len(pp.Name.Latin) > 0 && !pp.FatherName.IsZero() && pp.Birth.Date != "" {
			return rec.State
		}
	}
	t.Fatalf("no man with full names held at %s", fac)
	return nil
}

func ids(ms []matchJSON) []custody.PersonID {
	out := make([]custody.PersonID, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func rankOf(ms []matchJSON, id custody.PersonID) int {
	for i, m := range ms {
		if m.ID == id {
			return i + 1
		}
	}
	return 0
}

// TestNameSearch: a person is found by the Arabic script of their name and
// by another spelling, with reasons; a consul finds only their nationals.
func TestNameSearch(t *testing.T) {
	f := newFixture(t)
	ps := f.heldAt(t, "gweiran")
	p := ps.Person
	cases := []struct {
		name string
		q    url.Values
	}{
		{"arabic script", url.Values{"name": {p.Name.Arabic}}},
		{"latin spelling", url.Values{"name": {p.Name.Latin[0]}}},
		{"latin lower case without hyphens", url.Values{"name": {strings.ReplaceAll(strings.ToLower(p.Name.Latin[0]), "-", " ")}}},
		{"with the father's name", url.Values{"name": {p.Name.Latin[0]}, "father": {p.FatherName.Display()}, "birth_year": {p.Birth.Date[:4]}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, a := f.searchAs(t, "monitor", c.q)
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			r := rankOf(a.Matches, p.ID)
			if r == 0 || r > 10 {
				t.Fatalf("%s (%s) not in the first 10: %v", p.ID, p.Name.Display(), ids(a.Matches))
			}
			if m := a.Matches[r-1]; len(m.Reasons) == 0 || m.Score <= 0 {
				t.Errorf("match without reasons or score: %+v", m)
			}
		})
	}
	// The read is audited.
	reads, err := f.store.PersonReads(context.Background(), sqlstore.ReadFilter{Person: string(p.ID), User: "monitor"})
	if err != nil || len(reads) == 0 {
		t.Errorf("search results not in the audit trail (%v)", err)
	}
	// A French consul searching the same name sees no Syrian.
	code, a := f.searchAs(t, "consular", url.Values{"name": {p.Name.Latin[0]}})
	if code != http.StatusOK {
		t.Fatalf("consular search: status %d", code)
	}
	for _, m := range a.Matches {
		rec, err := f.store.PersonFacts(context.Background(), m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !custody.CanReadPerson(&testUsers[6], rec.Facts) {
			t.Errorf("the French consul's search shows %s (%v)", m.ID, rec.Facts.Nationalities)
		}
	}
	// Bad input names the parameter.
	for _, q := range []string{"", "name=x&birth_year=abc", "name=x&nationality=FRA"} {
		code, body := f.do(t, "monitor", "GET", "/api/v1/persons/search?"+q, "")
		if code != http.StatusBadRequest || !strings.Contains(body, "parameter") {
			t.Errorf("search ?%s: %d %s", q, code, body)
		}
	}
}

// TestDemoDuplicatesFound: every double registration of the demo is found
// by the duplicate check of its later record, above the threshold.
func TestDemoDuplicatesFound(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pairs := scenario.DuplicatePairs(scenario.Config{Seed: 1})
	if len(pairs) == 0 {
		t.Fatal("the demo has no duplicate pairs")
	}
	missed := 0
	for _, pr := range pairs {
		rec, err := f.store.PersonFacts(ctx, pr.Second)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := f.srv.names.Search(ctx, personindex.Query(&rec.State.Person), 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, m := range ms {
			found = found || m.ID == string(pr.First) && m.Score >= names.Threshold
		}
		if !found {
			missed++
			t.Errorf("the duplicate check of %s does not find %s above %.2f: %+v", pr.Second, pr.First, names.Threshold, ms)
		}
	}
	t.Logf("%d of %d demo duplicates found", len(pairs)-missed, len(pairs))
}

// TestRegisterDuplicateMergeUnmerge: registering a person who is already
// registered is held back with the candidate; once named as another person
// it goes through; the merge takes the new record off the roll and the
// unmerge puts it back.
func TestRegisterDuplicateMergeUnmerge(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	orig := f.heldAt(t, "gweiran").Person
	again := orig
	again.ID = "REG-TEST-1"
	again.Name = custody.Name{Arabic: orig.Name.Arabic, Latin: []string{strings.ToUpper(orig.Name.Latin[0])}}
	again.Documents, again.Family, again.Inform = nil, nil, nil
	body := func(notDup ...custody.PersonID) string {
		b, _ := json.Marshal(registration{Person: &again, NotDuplicateOf: notDup, ElsewhereChecked: len(notDup) > 0,
			Admission: &admissionRequest{Facility: "gweiran", TakenBy: "Asayish patrol", OrderedBy: "sdf", Grounds: "suspected IS membership"}})
		return string(b)
	}
	size := func() int64 {
		n, err := f.store.Size(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := size()
	code, resp := f.do(t, "registrar", "POST", "/api/v1/persons", body(), "Idempotency-Key", "reg-dup-1")
	if code != http.StatusConflict || !strings.Contains(resp, ruleProbableDuplicate) || !strings.Contains(resp, string(orig.ID)) {
		t.Fatalf("registration of a known person: %d %s", code, resp)
	}
	if size() != before {
		t.Fatal("a held-back registration changed the log")
	}
	var held duplicateJSON
	if err := json.Unmarshal([]byte(resp), &held); err != nil {
		t.Fatal(err)
	}
	code, resp = f.do(t, "registrar", "POST", "/api/v1/persons", body(ids(held.Candidates)...), "Idempotency-Key", "reg-dup-2")
	if code != http.StatusCreated {
		t.Fatalf("registration naming the candidate as another person: %d %s", code, resp)
	}
	// The new record is searchable at once, and now shows as a duplicate.
	code, a := f.searchAs(t, "registrar", url.Values{"name": {orig.Name.Latin[0]}})
	if code != http.StatusOK || rankOf(a.Matches, again.ID) == 0 {
		t.Fatalf("the new registration is not found by name: %v", ids(a.Matches))
	}
	// Merge it into the original.
	code, resp = f.do(t, "registrar", "POST", "/api/v1/persons/"+string(again.ID)+"/merge",
		fmt.Sprintf(`{"into": %q, "reason": "same father's name and birth date; the wristband was lost"}`, orig.ID), "Idempotency-Key", "merge-1")
	if code != http.StatusCreated {
		t.Fatalf("merge: %d %s", code, resp)
	}
	var wr writeResult
	if err := json.Unmarshal([]byte(resp), &wr); err != nil {
		t.Fatal(err)
	}
	rec, err := f.store.PersonFacts(ctx, again.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.State.Location.Status != custody.StatusMerged || rec.State.Merged.Into != orig.ID {
		t.Fatalf("after the merge: %+v", rec.State.Location)
	}
	_, a = f.searchAs(t, "registrar", url.Values{"name": {orig.Name.Latin[0]}})
	if rankOf(a.Matches, again.ID) != 0 {
		t.Errorf("a merged record is still found by name")
	}
	// A monitor cannot merge; a merge without a reason names the member.
	if code, _ := f.do(t, "monitor", "POST", "/api/v1/persons/"+string(orig.ID)+"/merge", `{"into":"x","reason":"y"}`, "Idempotency-Key", "m-2"); code != http.StatusForbidden {
		t.Errorf("monitor merge: %d, want 403", code)
	}
	if code, resp := f.do(t, "registrar", "POST", "/api/v1/persons/"+string(orig.ID)+"/merge", `{"into":"x"}`, "Idempotency-Key", "m-3"); code != http.StatusBadRequest || !strings.Contains(resp, "/reason") {
		t.Errorf("merge without a reason: %d %s", code, resp)
	}
	// Undo it.
	code, resp = f.do(t, "registrar", "POST", "/api/v1/persons/"+string(again.ID)+"/unmerge",
		fmt.Sprintf(`{"merge": %d, "reason": "the mothers' names differ on the family book"}`, wr.Seqs[0]), "Idempotency-Key", "unmerge-1")
	if code != http.StatusCreated {
		t.Fatalf("unmerge: %d %s", code, resp)
	}
	rec, err = f.store.PersonFacts(ctx, again.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l := rec.State.Location; l.Status != custody.StatusHeld || l.Facility != "gweiran" {
		t.Fatalf("after the unmerge: %+v", l)
	}
	if _, err := f.store.Verify(ctx, ""); err != nil {
		t.Fatalf("verify after merge and unmerge: %v", err)
	}
}

// runNames calls the names routes of the API for the OpenAPI validation:
// search, duplicates, a registration held back then made, a merge and its
// undoing, and their refusals.
func runNames(t *testing.T, c *apiClient) {
	t.Helper()
	orig := c.f.heldAt(t, "gweiran").Person
	c.get(t, "monitor", "/api/v1/persons/search?"+url.Values{"name": {orig.Name.Arabic}, "father": {orig.FatherName.Display()}, "limit": {"5"}}.Encode(), http.StatusOK, nil)
	c.get(t, "monitor", "/api/v1/persons/search?name=", http.StatusBadRequest, nil)
	c.get(t, "registrar", "/api/v1/duplicates", http.StatusOK, nil)
	again := orig
	again.ID = "REG-OA-1"
	again.Documents, again.Family, again.Inform = nil, nil, nil
	reg := func(notDup ...custody.PersonID) string {
		b, _ := json.Marshal(registration{Person: &again, NotDuplicateOf: notDup, ElsewhereChecked: len(notDup) > 0,
			Admission: &admissionRequest{Facility: "gweiran", TakenBy: "Asayish patrol", OrderedBy: "sdf", Grounds: "suspected IS membership"}})
		return string(b)
	}
	var held duplicateJSON
	c.call(t, "registrar", "POST", "/api/v1/persons", reg(), "Idempotency-Key", "oa-reg-0").want(t, http.StatusConflict, &held)
	if rankOf(held.Candidates, orig.ID) == 0 {
		t.Errorf("the duplicate check does not name %s: %+v", orig.ID, held)
	}
	c.call(t, "registrar", "POST", "/api/v1/persons", `{"person": {"id": "X"}}`, "Idempotency-Key", "oa-reg-bad").want(t, http.StatusBadRequest, nil)
	c.write(t, "registrar", "/api/v1/persons", "oa-reg-1", reg(ids(held.Candidates)...), http.StatusCreated)
	c.write(t, "registrar", "/api/v1/persons", "oa-reg-1", reg(ids(held.Candidates)...), http.StatusOK)
	m := c.write(t, "registrar", "/api/v1/persons/REG-OA-1/merge", "oa-merge", fmt.Sprintf(`{"into": %q, "reason": "same person"}`, orig.ID), http.StatusCreated)
	c.get(t, "registrar", "/api/v1/persons/REG-OA-1", http.StatusOK, nil)
	c.call(t, "registrar", "POST", "/api/v1/persons/REG-OA-1/merge", fmt.Sprintf(`{"into": %q, "reason": "again"}`, orig.ID), "Idempotency-Key", "oa-merge-2").want(t, http.StatusConflict, nil)
	c.call(t, "registrar", "POST", "/api/v1/persons/REG-OA-1/unmerge", `{"reason": "x"}`, "Idempotency-Key", "oa-unmerge-bad").want(t, http.StatusBadRequest, nil)
	c.write(t, "registrar", "/api/v1/persons/REG-OA-1/unmerge", "oa-unmerge", fmt.Sprintf(`{"merge": %d, "reason": "two brothers after all"}`, m.Seqs[0]), http.StatusCreated)
}
