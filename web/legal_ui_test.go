package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// The legal and consular pages' forms, as plain HTTP: a case opened from a
// person's page and taken through every step to a final sentence; consular
// notifications delivered and acknowledged; a repatriation requested,
// decided, handed over and received. Every refused form is a 4xx with a
// message that says what is wrong, and changes nothing.

// formPoster posts forms as one signed-in user and checks the outcome.
type formPoster struct {
	t    *testing.T
	f    *fixture
	user string
	c    *http.Client
	csrf string
	n    int
}

func newPoster(t *testing.T, f *fixture, user string) *formPoster {
	c := f.browser(t, user)
	return &formPoster{t: t, f: f, user: user, c: c, csrf: f.csrf(t, c)}
}

// post sends form (with the session's token and a fresh key unless form
// has one) to path: a refusal (want >= 400) must answer want, say msg and
// leave the log as it was; a success must redirect (303) and returns where
// to.
func (p *formPoster) post(path string, form url.Values, want int, msg string) string {
	p.t.Helper()
	if form.Get("csrf") == "" {
		form.Set("csrf", p.csrf)
	}
	if form.Get("idem") == "" {
		p.n++
		form.Set("idem", fmt.Sprintf("form-%s-%d", p.user, p.n))
	}
	before := logSize(p.t, p.f)
	code, body, loc := p.f.uiPost(p.t, p.c, path, form)
	if code != want {
		p.t.Fatalf("POST %s %v: status %d, want %d\n%.1500s", path, form, code, want, body)
	}
	if want >= 400 {
		if !strings.Contains(body, msg) {
			p.t.Errorf("POST %s: the page does not say %q:\n%.3000s", path, msg, body)
		}
		if after := logSize(p.t, p.f); after != before {
			p.t.Errorf("POST %s, refused, grew the log from %d to %d", path, before, after)
		}
	}
	return loc
}

func (p *formPoster) get(path string) string {
	p.t.Helper()
	code, body := p.f.uiGet(p.t, p.c, path)
	if code != http.StatusOK {
		p.t.Fatalf("GET %s: status %d\n%.1500s", path, code, body)
	}
	return body
}

func TestLegalCaseForms(t *testing.T) {
	f, w := newLegalFixture(t)
	ctx := context.Background()
	judge := newPoster(t, f, "judicial")
	stage := func(id custody.CaseID, want custody.CaseStage) {
		t.Helper()
		c, err := f.store.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Stage != want {
			t.Fatalf("case %s is at %s, want %s", id, c.Stage, want)
		}
	}

	// The person page offers the judge of the holding authority to open
	// a case for the Tunisian (none open), not for the Frenchman (one
	// open).
	if page := judge.get("/persons/" + string(w.spare)); !strings.Contains(page, `id="open-case-form"`) || !strings.Contains(page, `id="legal"`) {
		t.Fatal("no open-a-case form on the Tunisian's page")
	}
	if page := judge.get("/persons/" + string(w.french)); strings.Contains(page, `id="open-case-form"`) || !strings.Contains(page, string(w.frCase)) {
		t.Fatal("the Frenchman's page: an open-a-case form, or no link to his case")
	}
	judge.post("/persons/"+string(w.spare)+"/cases", url.Values{"court": {"Rusafa Criminal Court"}}, http.StatusBadRequest, "investigative committee")
	judge.post("/persons/"+string(w.french)+"/cases", url.Values{"court": {"Karkh"}, "committee": {"IC 1"}}, http.StatusConflict, "already has open case")
	open := url.Values{"court": {"Rusafa Criminal Court"}, "committee": {"Investigative Committee 5"}, "reference": {"IC5/77"}, "idem": {"open-spare"}}
	loc := judge.post("/persons/"+string(w.spare)+"/cases", open, http.StatusSeeOther, "")
	id := caseIDFor(w.spare, 1)
	if loc != "/cases/"+string(id)+"?done=opened" {
		t.Fatalf("opened: to %q", loc)
	}
	size := logSize(t, f)
	if loc2 := judge.post("/persons/"+string(w.spare)+"/cases", open, http.StatusSeeOther, ""); loc2 != loc || logSize(t, f) != size {
		t.Fatalf("the form sent again: to %q, log %d → %d", loc2, size, logSize(t, f))
	}
	page := judge.get(loc)
	for _, want := range []string{`id="flash"`, `id="charge-form"`, `id="hearing-form"`, `id="decision-form"`, `value="dismissed"`, "Rusafa Criminal Court", `class="proof proof-`} {
		if !strings.Contains(page, want) {
			t.Errorf("the new case's page has no %s", want)
		}
	}
	if strings.Contains(page, `value="referred"`) || strings.Contains(page, `id="sentence-form"`) {
		t.Error("a case with no charges offers a referral or a sentence")
	}
	base := "/cases/" + string(id) + "/"

	// Charges: none ticked, an unknown version, then the sheet.
	judge.post(base+"charge", url.Values{"version": {"1"}}, http.StatusBadRequest, "tick at least one charge")
	judge.post(base+"charge", url.Values{"version": {"99"}, "charge": {w.lifeCharge}}, http.StatusBadRequest, "version 99")
	judge.post(base+"charge", url.Values{"version": {"1"}, "charge": {"atl-nothing"}}, http.StatusBadRequest, "atl-nothing")
	judge.post(base+"charge", url.Values{"version": {"1"}, "charge": {w.lifeCharge}}, http.StatusSeeOther, "")
	page = judge.get("/cases/" + string(id))
	if !strings.Contains(page, `class="charge-row" data-code="`+w.lifeCharge+`"`) || !strings.Contains(page, `value="referred"`) {
		t.Errorf("the charge sheet in force is not shown, or no referral offered")
	}
	// A hearing, a referral; a sentence before a conviction is refused.
	judge.post(base+"hearing", url.Values{"court": {"Rusafa Criminal Court"}}, http.StatusBadRequest, "names its court")
	judge.post(base+"hearing", url.Values{"court": {"Rusafa Criminal Court"}, "summary": {"statement taken"}, "counsel": {"yes"}}, http.StatusSeeOther, "")
	judge.post(base+"decision", url.Values{"decision": {"hanged"}}, http.StatusBadRequest, "is not one of")
	judge.post(base+"decision", url.Values{"decision": {"convicted"}}, http.StatusConflict, "stage")
	judge.post(base+"decision", url.Values{"decision": {"referred"}}, http.StatusSeeOther, "")
	stage(id, custody.CaseStageTrial)
	judge.post(base+"sentence", url.Values{"kind": {"years"}, "years": {"10"}, "court": {"Rusafa"}}, http.StatusConflict, "stage")
	judge.post(base+"decision", url.Values{"decision": {"convicted"}, "note": {"on his statement"}}, http.StatusSeeOther, "")
	judge.post(base+"sentence", url.Values{"kind": {"years"}, "years": {"many"}, "court": {"Rusafa"}}, http.StatusBadRequest, "number from 1 to 99")
	judge.post(base+"sentence", url.Values{"kind": {"death"}, "court": {"Rusafa"}}, http.StatusConflict, "graver than the charges")
	judge.post(base+"sentence", url.Values{"kind": {"years"}, "years": {"15"}, "court": {"Rusafa Criminal Court"}}, http.StatusSeeOther, "")
	judge.post(base+"appeal", url.Values{"court": {"Federal Court of Cassation"}}, http.StatusBadRequest, "who lodged it")
	judge.post(base+"appeal", url.Values{"by": {"defence"}, "court": {"Federal Court of Cassation"}}, http.StatusSeeOther, "")
	judge.post(base+"appeal-decision", url.Values{"outcome": {"commuted"}}, http.StatusBadRequest, "choose the sentence")
	judge.post(base+"appeal-decision", url.Values{"outcome": {"commuted"}, "kind": {"years"}, "years": {"20"}}, http.StatusConflict, "lighter")
	judge.post(base+"appeal-decision", url.Values{"outcome": {"commuted"}, "kind": {"years"}, "years": {"8"}}, http.StatusSeeOther, "")
	stage(id, custody.CaseStageFinal)
	page = judge.get("/cases/" + string(id))
	if strings.Contains(page, `id="next-steps"`) || strings.Count(page, `class="event step"`) != 8 {
		t.Errorf("the final case: forms still offered, or not 8 steps (%d)", strings.Count(page, `class="event step"`))
	}
	judge.post(base+"hearing", url.Values{"court": {"x"}, "summary": {"y"}}, http.StatusConflict, "final")
	judge.post(base+"exhumation", url.Values{}, http.StatusNotFound, "no step")

	// Only the judge of the jurisdiction records steps.
	consul := newPoster(t, f, "consular")
	consul.post("/cases/"+string(w.frCase)+"/hearing", url.Values{"court": {"x"}, "summary": {"y"}}, http.StatusForbidden, "judicial users")
	consul.post("/cases/"+string(w.sweCase)+"/hearing", url.Values{"court": {"x"}, "summary": {"y"}}, http.StatusNotFound, "that you may see")
	consul.post("/persons/"+string(w.french)+"/cases", url.Values{"court": {"x"}, "committee": {"y"}}, http.StatusForbidden, "judicial users")
	if page := consul.get("/cases/" + string(w.frCase)); strings.Contains(page, `id="next-steps"`) {
		t.Error("France's consul is offered the case's forms")
	}
}

func TestLegalConsularForms(t *testing.T) {
	f, w := newLegalFixture(t)
	ctx := context.Background()
	judge := newPoster(t, f, "judicial")
	page := judge.get("/consular?status=pending&person=" + string(w.french))
	if !strings.Contains(page, `id="deliver-form"`) || !strings.Contains(page, `value="`+string(w.frNote)+`"`) {
		t.Fatal("the judge's consular page has no delivery form, or no box for the Frenchman's notification")
	}
	judge.post("/consular/delivered", url.Values{"means": {"note verbale"}, "to": {"Embassy"}}, http.StatusBadRequest, "tick at least one")
	judge.post("/consular/delivered", url.Values{"n": {string(w.frNote), string(w.sweNote)}, "means": {"note verbale"}, "to": {"Embassy"}}, http.StatusBadRequest, "one state only")
	judge.post("/consular/delivered", url.Values{"n": {string(w.frNote)}, "to": {"Embassy"}}, http.StatusBadRequest, "how the notification was delivered")
	judge.post("/consular/delivered", url.Values{"n": {"NES-000001/sdf/FR"}, "means": {"note verbale"}, "to": {"Embassy"}}, http.StatusNotFound, "that you may see")
	// The SDF registrar may not deliver the ministry's, nor learn that
	// it is owed.
	reg := newPoster(t, f, "registrar")
	reg.post("/consular/delivered", url.Values{"n": {string(w.frNote)}, "means": {"note verbale"}, "to": {"Embassy"}}, http.StatusNotFound, "that you may see")
	loc := judge.post("/consular/delivered", url.Values{"n": {string(w.frNote)}, "means": {"note verbale"}, "to": {"Embassy of France, Baghdad"}, "reference": {"NV-2026-77"}}, http.StatusSeeOther, "")
	if loc != "/consular?country=FR&done=delivered&status=delivered" {
		t.Errorf("delivered: to %q", loc)
	}
	if page := judge.get(loc); !strings.Contains(page, `id="flash"`) {
		t.Error("no message after the delivery")
	}
	if page := judge.get("/consular?status=delivered&person=" + string(w.french)); !strings.Contains(page, "NV-2026-77") {
		t.Error("the delivered tab does not show the delivery")
	}
	judge.post("/consular/delivered", url.Values{"n": {string(w.frNote)}, "means": {"note verbale"}, "to": {"Embassy"}}, http.StatusConflict, "already delivered")

	// Acknowledgement: not by another state's consul, nor by the judge.
	se := newPoster(t, f, "consul-sweden")
	se.post("/consular/acknowledged", url.Values{"n": {string(w.frNote)}}, http.StatusNotFound, "that you may see")
	judge.post("/consular/acknowledged", url.Values{"n": {string(w.frNote)}}, http.StatusForbidden, "consular officers")
	fr := newPoster(t, f, "consular")
	if page := fr.get("/consular?status=delivered&country=FR&person=" + string(w.french)); !strings.Contains(page, `id="acknowledge-form"`) || !strings.Contains(page, `value="`+string(w.frNote)+`"`) {
		t.Fatal("France's consul has no acknowledgement box for the Frenchman's notification")
	}
	fr.post("/consular/acknowledged", url.Values{"n": {string(w.frNote)}, "note": {"received by the consular section"}}, http.StatusSeeOther, "")
	ns, err := f.store.Notifications(ctx, sqlstore.NotificationFilter{Person: w.french})
	if err != nil || len(ns) != 1 || ns[0].Status != custody.NotificationAcknowledged || ns[0].Reference != "NV-2026-77" {
		t.Fatalf("the Frenchman's notification: %+v %v", ns, err)
	}
	fr.post("/consular/acknowledged", url.Values{"n": {string(w.frNote)}}, http.StatusConflict, "only a delivered notification")
}

func TestLegalRepatriationForms(t *testing.T) {
	f, w := newLegalFixture(t)
	ctx := context.Background()
	fr := newPoster(t, f, "consular")
	judge := newPoster(t, f, "judicial")
	if page := fr.get("/repatriations"); !strings.Contains(page, `id="request-form"`) {
		t.Fatal("France's consul has no request form")
	}
	if page := judge.get("/repatriations"); strings.Contains(page, `id="request-form"`) || !strings.Contains(page, string(w.frRep)) {
		t.Fatal("the judge's list: a request form, or not France's request")
	}
	other := heldByMoJ(t, f, "FR")
	fr.post("/repatriations", url.Values{"persons": {" \n "}}, http.StatusBadRequest, "at least one person")
	fr.post("/repatriations", url.Values{"persons": {string(w.swede)}}, http.StatusNotFound, "that you may see")
	fr.post("/repatriations", url.Values{"persons": {string(w.french)}}, http.StatusConflict, "already in request")
	req := url.Values{"persons": {strings.ToLower(string(other)) + "\n"}, "note": {"family in Lyon"}, "idem": {"ask-1"}}
	loc := fr.post("/repatriations", req, http.StatusSeeOther, "")
	if !strings.HasPrefix(loc, "/repatriations/REP-FR-") || !strings.HasSuffix(loc, "?done=requested") {
		t.Fatalf("requested: to %q", loc)
	}
	size := logSize(t, f)
	if loc2 := fr.post("/repatriations", req, http.StatusSeeOther, ""); loc2 != loc || logSize(t, f) != size {
		t.Errorf("the request sent again: to %q, log %d → %d", loc2, size, logSize(t, f))
	}
	if page := fr.get(loc); !strings.Contains(page, string(other)) || !strings.Contains(page, "family in Lyon") {
		t.Error("the new request's page")
	}

	// The Iraqi judge decides on France's first request, hands the
	// Frenchman over; France's consul receives him.
	base := "/repatriations/" + string(w.frRep) + "/"
	if page := judge.get("/repatriations/" + string(w.frRep)); !strings.Contains(page, `id="decide-form"`) || !strings.Contains(page, `id="approve-`+string(w.french)+`"`) {
		t.Fatal("the judge has no decision form")
	}
	judge.post(base+"decide", url.Values{}, http.StatusBadRequest, "approve or refuse at least one")
	judge.post(base+"decide", url.Values{"d-" + string(w.french): {"refuse"}}, http.StatusBadRequest, "reason for refusing")
	judge.post(base+"release", url.Values{"p": {string(w.french)}, "place": {"Baghdad airport"}}, http.StatusConflict, "not approved")
	fr.post(base+"decide", url.Values{"d-" + string(w.french): {"approve"}}, http.StatusForbidden, "holding authority")
	judge.post(base+"decide", url.Values{"d-" + string(w.french): {"approve"}}, http.StatusSeeOther, "")
	judge.post(base+"release", url.Values{"p": {string(w.french)}}, http.StatusBadRequest, "place of the handover")
	judge.post(base+"release", url.Values{"p": {string(w.swede)}, "place": {"Baghdad airport"}}, http.StatusBadRequest, "is not in request")
	judge.post(base+"release", url.Values{"p": {string(w.french)}, "place": {"Baghdad International Airport"}}, http.StatusSeeOther, "")
	judge.post(base+"receive", url.Values{"p": {string(w.french)}}, http.StatusForbidden, "consular officers of state-fr")
	if page := fr.get("/repatriations/" + string(w.frRep)); !strings.Contains(page, `id="receive-form"`) {
		t.Fatal("France's consul has no receive form")
	}
	fr.post(base+"receive", url.Values{}, http.StatusBadRequest, "tick at least one person")
	fr.post(base+"receive", url.Values{"p": {string(w.french)}}, http.StatusSeeOther, "")
	wh, err := f.store.WhereIs(ctx, w.french)
	if err != nil || wh.Status != custody.StatusRepatriated {
		t.Fatalf("the Frenchman after the handover: %+v %v", wh, err)
	}
	rp, err := f.store.Repatriation(ctx, w.frRep)
	if err != nil || !rp.Closed {
		t.Fatalf("France's request after the handover: %+v %v", rp, err)
	}
	if page := fr.get("/persons/" + string(w.french)); !strings.Contains(page, `id="person-repatriations"`) || !strings.Contains(page, "status-repatriated") {
		t.Error("the Frenchman's page does not show him repatriated")
	}
	// Sweden's consul sees none of it.
	se := newPoster(t, f, "consul-sweden")
	se.post(base+"receive", url.Values{"p": {string(w.french)}}, http.StatusNotFound, "that you may see")
}

// TestLegalReferencePage: anyone signed in reads the charges and the
// positions, with their sources; in Arabic too (and a case page).
func TestLegalReferencePage(t *testing.T) {
	f, w := newLegalFixture(t)
	b := f.browser(t, "family")
	code, page := f.uiGet(t, b, "/reference/legal")
	ch, pos := custody.DefaultCharges(), custody.DefaultPositions()
	for _, want := range []string{ch.Source, pos.Source, pos.AsOf, `data-code="atl-4-1-membership"`, `data-country="SE"`, "1972", "4(1)"} {
		if code != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("/reference/legal (status %d) has no %q", code, want)
		}
	}
	judge := f.browser(t, "judicial")
	if _, page := f.uiGet(t, judge, "/cases/"+string(w.sweCase)+"?lang=ar"); !strings.Contains(page, `dir="rtl"`) || !strings.Contains(page, "لائحة الاتهام النافذة") ||
		!strings.Contains(page, "ارتكاب عمل إرهابي") || !strings.Contains(page, "تحقيق") {
		t.Error("the Arabic case page")
	}
	_, page = f.uiGet(t, b, "/reference/legal?lang=ar")
	for _, want := range []string{"الانتماء إلى تنظيم إرهابي", "الإعدام", "مواقف الدول من عقوبة الإعدام"} {
		if !strings.Contains(page, want) {
			t.Errorf("the Arabic legal reference has no %q", want)
		}
	}
}

// TestCaseHistoryProved: a case's history shows each step's inclusion
// proof checked against the signed checkpoint, with its offline receipt,
// as a person's timeline does.
func TestCaseHistoryProved(t *testing.T) {
	f := newFixture(t)
	code, body := f.do(t, "monitor", "GET", "/cases/ATL-2026-00001", "")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{`class="proof proof-verified"`, "verified in checkpoint", "custody-receipt v1"} {
		if !strings.Contains(body, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	if strings.Contains(body, "proof-failed") {
		t.Error("a step's proof failed")
	}
}
