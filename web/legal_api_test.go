package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// The legal and consular API as its users meet it: what each role sees of
// cases, notifications, death-penalty alerts and repatriation requests,
// and nothing of another state's nationals; the events recorded through
// POST /api/v1/events by those the policy allows, and refused for the
// others.

type casePageT struct {
	Cases []custody.CaseState `json:"cases"`
	Next  string              `json:"next"`
}

type caseDetailT struct {
	custody.CaseState
	ChargesInForce []struct {
		Code    string           `json:"code"`
		Version int              `json:"version"`
		Article string           `json:"article"`
		Max     *custody.Penalty `json:"max"`
	} `json:"charges_in_force"`
	Exposures []custody.Exposure `json:"exposures"`
}

type notificationPageT struct {
	Notifications []struct {
		custody.Notification
		Overdue bool `json:"overdue"`
	} `json:"notifications"`
	Next         string `json:"next"`
	NotifyWithin string `json:"notify_within"`
}

type exposurePageT struct {
	Exposures []custody.Exposure `json:"exposures"`
	Next      string             `json:"next"`
}

type repatriationPageT struct {
	Repatriations []custody.RepatriationState `json:"repatriations"`
	Next          string                      `json:"next"`
}

func caseIDs(cs []custody.CaseState) []custody.CaseID {
	var out []custody.CaseID
	for _, c := range cs {
		out = append(out, c.Case.ID)
	}
	return out
}

func TestLegalAPIScoping(t *testing.T) {
	f, w := newLegalFixture(t)
	c := &apiClient{f: f}

	// Cases: the judge of the jurisdiction and the monitor see both
	// (among the demo's), each consul their national's only.
	allCases := func(user, query string) []custody.CaseState {
		t.Helper()
		var out []custody.CaseState
		after := ""
		for {
			var page casePageT
			c.get(t, user, "/api/v1/cases?limit=1000"+query+"&after="+after, http.StatusOK, &page)
			out = append(out, page.Cases...)
			if page.Next == "" {
				return out
			}
			after = page.Next
		}
	}
	for user, want := range map[string][2]bool{
		"monitor":       {true, true},
		"judicial":      {true, true},
		"consular":      {false, true},
		"consul-sweden": {true, false},
	} {
		cs := allCases(user, "")
		ids := caseIDs(cs)
		if got := [2]bool{slices.Contains(ids, w.sweCase), slices.Contains(ids, w.frCase)}; got != want {
			t.Errorf("%s sees the Swede's and the Frenchman's cases: %v, want %v", user, got, want)
		}
		for _, c := range cs {
			switch {
			case user == "consular" && !slices.Contains(c.Nationals, "FR"), user == "consul-sweden" && !slices.Contains(c.Nationals, "SE"),
				user == "judicial" && c.Case.Jurisdiction != "iraq-moj":
				t.Errorf("%s sees case %s (%v, %s)", user, c.Case.ID, c.Nationals, c.Case.Jurisdiction)
			}
		}
	}
	var p1, p2 casePageT
	c.get(t, "monitor", "/api/v1/cases?limit=1", http.StatusOK, &p1)
	if len(p1.Cases) != 1 || p1.Next != string(p1.Cases[0].Case.ID) {
		t.Fatalf("a page of one case: %v, next %q", caseIDs(p1.Cases), p1.Next)
	}
	c.get(t, "monitor", "/api/v1/cases?limit=2&after="+p1.Next, http.StatusOK, &p2)
	all := caseIDs(allCases("monitor", ""))
	if got := caseIDs(p2.Cases); !slices.Equal(got, all[1:3]) || p2.Next != string(all[2]) {
		t.Fatalf("the second page: %v, next %q, want %v", got, p2.Next, all[1:3])
	}
	var pf casePageT
	c.get(t, "monitor", "/api/v1/cases?person="+string(w.french)+"&stage=investigation", http.StatusOK, &pf)
	if got := caseIDs(pf.Cases); !slices.Equal(got, []custody.CaseID{w.frCase}) {
		t.Errorf("the Frenchman's cases at investigation: %v", got)
	}
	for _, cs := range allCases("monitor", "&stage=trial") {
		if cs.Stage != custody.CaseStageTrial {
			t.Errorf("stage=trial lists %s at %s", cs.Case.ID, cs.Stage)
		}
	}
	var cd caseDetailT
	c.get(t, "consul-sweden", "/api/v1/cases/"+string(w.sweCase), http.StatusOK, &cd)
	if len(cd.ChargesInForce) != 1 || cd.ChargesInForce[0].Code != w.deathCharge || cd.ChargesInForce[0].Max.Kind != custody.PenaltyDeath ||
		cd.ChargesInForce[0].Article == "" || len(cd.Exposures) != 1 || !cd.Exposures[0].Open() {
		t.Errorf("the Swede's case as Sweden's consul: %+v", cd)
	}
	c.get(t, "judicial", "/api/v1/cases/"+string(w.sweCase), http.StatusOK, &cd)
	if len(cd.Exposures) != 0 {
		t.Errorf("the judge sees the death-penalty alerts: %+v", cd.Exposures)
	}

	// Notifications: the consul their states', the owing authority its
	// own, the SDF registrar none (the SDF owes none).
	for user, check := range map[string]func(n custody.Notification) bool{
		"consular":      func(n custody.Notification) bool { return n.Country == "FR" },
		"consul-sweden": func(n custody.Notification) bool { return n.Country == "SE" },
		"judicial":      func(n custody.Notification) bool { return n.Authority == "iraq-moj" },
		"receiver":      func(n custody.Notification) bool { return n.Authority == "iraq-moj" },
	} {
		var np notificationPageT
		c.get(t, user, "/api/v1/notifications?limit=1000", http.StatusOK, &np)
		if len(np.Notifications) == 0 {
			t.Errorf("%s sees no notifications", user)
		}
		for _, n := range np.Notifications {
			if !check(n.Notification) {
				t.Errorf("%s sees %s", user, n.ID)
			}
		}
	}
	var np notificationPageT
	c.get(t, "registrar", "/api/v1/notifications", http.StatusOK, &np)
	if len(np.Notifications) != 0 {
		t.Errorf("the SDF registrar sees %d notifications", len(np.Notifications))
	}
	c.get(t, "consul-sweden", "/api/v1/notifications?person="+string(w.swede)+"&status=overdue", http.StatusOK, &np)
	if len(np.Notifications) != 1 || np.Notifications[0].ID != w.sweNote || !np.Notifications[0].Overdue || np.NotifyWithin != "72h0m0s" {
		t.Errorf("the Swede's overdue notification: %+v", np)
	}
	c.get(t, "consul-sweden", "/api/v1/notifications?person="+string(w.swede)+"&overdue=false", http.StatusOK, &np)
	if len(np.Notifications) != 0 {
		t.Errorf("overdue=false lists the overdue: %+v", np.Notifications)
	}
	c.get(t, "consul-sweden", "/api/v1/notifications?country=FR", http.StatusOK, &np)
	if len(np.Notifications) != 0 {
		t.Errorf("Sweden's consul asks for France's: %d", len(np.Notifications))
	}
	// Paging by key.
	var n1, n2, n3 notificationPageT
	c.get(t, "judicial", "/api/v1/notifications?limit=2", http.StatusOK, &n1)
	c.get(t, "judicial", "/api/v1/notifications?limit=2&after="+n1.Next, http.StatusOK, &n2)
	c.get(t, "judicial", "/api/v1/notifications?limit=4", http.StatusOK, &n3)
	if len(n1.Notifications) != 2 || len(n2.Notifications) != 2 || n1.Next != string(n1.Notifications[1].ID) ||
		n3.Notifications[2].ID != n2.Notifications[0].ID || n3.Notifications[3].ID != n2.Notifications[1].ID {
		t.Errorf("notification pages: %v then %v", n1.Notifications, n2.Notifications)
	}

	// Repatriations: each consul their state's; the holder's staff both.
	for user, want := range map[string][2]bool{
		"monitor":       {true, true},
		"judicial":      {true, true},
		"receiver":      {true, true},
		"consular":      {false, true},
		"consul-sweden": {true, false},
		"registrar":     {false, false},
	} {
		var rp repatriationPageT
		c.get(t, user, "/api/v1/repatriations", http.StatusOK, &rp)
		var got []custody.RepatriationID
		for _, r := range rp.Repatriations {
			got = append(got, r.Request.ID)
			if user == "consular" && r.Request.Country != "FR" || user == "consul-sweden" && r.Request.Country != "SE" {
				t.Errorf("%s sees request %s of %s", user, r.Request.ID, r.Request.Country)
			}
		}
		if has := [2]bool{slices.Contains(got, w.sweRep), slices.Contains(got, w.frRep)}; has != want {
			t.Errorf("%s sees Sweden's and France's requests: %v, want %v (%v)", user, has, want, got)
		}
	}
	c.get(t, "registrar", "/api/v1/repatriations/"+string(w.frRep), http.StatusNotFound, nil)
	c.get(t, "receiver", "/api/v1/repatriations/"+string(w.frRep), http.StatusOK, nil)

	// The legal reference: anyone signed in.
	var ref legalReferenceJSON
	c.get(t, "family", "/api/v1/reference/legal", http.StatusOK, &ref)
	if len(ref.Charges) == 0 || len(ref.Positions) == 0 || ref.Charges[0].Source == "" || ref.Positions[0].AsOf == "" {
		t.Errorf("the legal reference: %+v", ref)
	}
	c.get(t, "", "/api/v1/reference/legal", http.StatusUnauthorized, nil)

	// Bad parameters.
	for _, p := range []string{"/api/v1/cases?stage=hanged", "/api/v1/cases?after=CASE-NONE", "/api/v1/notifications?status=lost",
		"/api/v1/notifications?status=delivered&overdue=true", "/api/v1/notifications?overdue=yes", "/api/v1/notifications?country=se",
		"/api/v1/exposures?open=1", "/api/v1/repatriations?country=Sweden", "/api/v1/cases?limit=0"} {
		x := c.get(t, "monitor", p, http.StatusBadRequest, nil)
		if e := x.apiErr(t); !strings.Contains(e.Message, "query parameter") {
			t.Errorf("%s: %q does not name the parameter", p, e.Message)
		}
	}
}

// TestLegalOtherState: a consular officer of one state (France) sees none
// of another state's (Sweden's) nationals in cases, notifications,
// death-penalty alerts and repatriation requests: not in the API's lists,
// not through the details (not found, as if they did not exist), and not
// on any page.
func TestLegalOtherState(t *testing.T) {
	f, w := newLegalFixture(t)
	c := &apiClient{f: f}
	mentions := func(body []byte) bool {
		s := string(body)
		return strings.Contains(s, string(w.swede)) || strings.Contains(s, w.sweName) || strings.Contains(s, "أوسكار فالغرين")
	}
	for _, p := range []string{"/api/v1/cases", "/api/v1/cases?person=" + string(w.swede), "/api/v1/notifications?limit=1000",
		"/api/v1/notifications?person=" + string(w.swede), "/api/v1/notifications?country=SE", "/api/v1/exposures", "/api/v1/exposures?person=" + string(w.swede),
		"/api/v1/repatriations", "/api/v1/repatriations?country=SE"} {
		x := c.get(t, "consular", p, http.StatusOK, nil)
		if mentions(x.body) {
			t.Errorf("GET %s as France's consul names the Swede: %.500s", p, x.body)
		}
	}
	var cp casePageT
	c.get(t, "consular", "/api/v1/cases", http.StatusOK, &cp)
	for _, cs := range cp.Cases {
		if !slices.Contains(cs.Nationals, "FR") {
			t.Errorf("France's consul sees case %s of %v", cs.Case.ID, cs.Nationals)
		}
	}
	var xp exposurePageT
	c.get(t, "consular", "/api/v1/exposures", http.StatusOK, &xp)
	for _, x := range xp.Exposures {
		if !slices.Contains(x.Countries, "FR") {
			t.Errorf("France's consul sees the alert of %s (%v)", x.Person, x.Countries)
		}
	}
	for _, p := range []string{"/api/v1/cases/" + string(w.sweCase), "/api/v1/repatriations/" + string(w.sweRep), "/api/v1/cases/CASE-NONE", "/api/v1/repatriations/REP-NONE"} {
		x := c.get(t, "consular", p, http.StatusNotFound, nil)
		if e := x.apiErr(t); !strings.Contains(e.Message, "that you may see") {
			t.Errorf("GET %s: %q", p, e.Message)
		}
	}
	// The pages.
	b := f.browser(t, "consular")
	for _, p := range []string{"/", "/cases", "/consular", "/consular?status=overdue", "/consular?status=pending",
		"/repatriations", "/persons/" + string(w.french), "/cases/" + string(w.frCase), "/repatriations/" + string(w.frRep)} {
		code, page := f.uiGet(t, b, p)
		if code != http.StatusOK {
			t.Errorf("GET %s as France's consul: status %d", p, code)
		}
		if mentions([]byte(page)) {
			t.Errorf("GET %s as France's consul names the Swede", p)
		}
	}
	for _, p := range []string{"/cases/" + string(w.sweCase), "/repatriations/" + string(w.sweRep), "/persons/" + string(w.swede)} {
		code, page := f.uiGet(t, b, p)
		if code != http.StatusNotFound || strings.Contains(page, w.sweName) || strings.Contains(page, "Karkh") {
			t.Errorf("GET %s as France's consul: status %d", p, code)
		}
	}
	// Their own national is there.
	for _, p := range []string{"/cases", "/consular?status=overdue", "/repatriations/" + string(w.frRep), "/persons/" + string(w.french)} {
		if !pagesShow(t, f, b, p, string(w.french), mentions) {
			t.Errorf("GET %s as France's consul does not show the Frenchman", p)
		}
	}
	if _, page := f.uiGet(t, b, "/cases"); !strings.Contains(page, w.frName) {
		t.Errorf("the board does not name the Frenchman to France's consul")
	}
}

// TestLegalDeathPenaltyAlert: the alert raised by the Swede's death
// charge is Sweden's consul's and the monitors', not France's consul's nor
// the judge's; it closes when the charge is dropped.
func TestLegalDeathPenaltyAlert(t *testing.T) {
	f, w := newLegalFixture(t)
	c := &apiClient{f: f}
	for user, want := range map[string]int{"consul-sweden": 1, "monitor": 1, "consular": 0, "judicial": 0, "receiver": 0} {
		var xp exposurePageT
		c.get(t, user, "/api/v1/exposures?open=true&person="+string(w.swede), http.StatusOK, &xp)
		n := 0
		for _, x := range xp.Exposures {
			if x.Person == w.swede && x.Case == w.sweCase && x.Reason == custody.ExposureCharge && slices.Equal(x.Countries, []string{"SE"}) {
				n++
			}
		}
		if n != want {
			t.Errorf("%s sees %d open alerts for the Swede, want %d", user, n, want)
		}
	}
	c.get(t, "planner", "/api/v1/exposures", http.StatusForbidden, nil)
	// The pages: Sweden's consul and the monitor see it on the dashboard
	// and the consular page, France's consul does not.
	for user, want := range map[string]bool{"consul-sweden": true, "monitor": true, "consular": false} {
		b := f.browser(t, user)
		for _, p := range []string{"/", "/consular"} {
			_, page := f.uiGet(t, b, p)
			if got := strings.Contains(page, `class="exposure-row open" data-case="`+string(w.sweCase)+`"`); got != want {
				t.Errorf("%s %s shows the alert: %v, want %v", user, p, got, want)
			}
		}
	}
	// The judge amends the charges to one that does not carry death: the
	// alert closes.
	c.write(t, "judicial", "/api/v1/events", "amend", fmt.Sprintf(`{"events": [{"type": "case.charged", "data": {"case": %q, "person": %q, "charges": [{"code": %q, "version": %d}]}}]}`,
		w.sweCase, w.swede, w.lifeCharge, w.version), http.StatusCreated)
	var closed, open exposurePageT
	c.get(t, "consul-sweden", "/api/v1/exposures?open=false&person="+string(w.swede), http.StatusOK, &closed)
	if len(closed.Exposures) != 1 || closed.Exposures[0].Open() || closed.Exposures[0].Ended == "" || closed.Exposures[0].Case != w.sweCase {
		t.Errorf("the closed alert: %+v", closed.Exposures)
	}
	c.get(t, "consul-sweden", "/api/v1/exposures?open=true&person="+string(w.swede), http.StatusOK, &open)
	if len(open.Exposures) != 0 {
		t.Errorf("open alerts after the charges were amended: %+v", open.Exposures)
	}
}

// TestLegalRecordEvents: the new events go through POST /api/v1/events: a
// judge of the holding authority opens and charges a case; a consul of
// another state may not, nor may a consul record a step of their own
// national's case; nothing refused changes the log.
func TestLegalRecordEvents(t *testing.T) {
	f, w := newLegalFixture(t)
	c := &apiClient{f: f}
	p := w.spare
	id := caseIDFor(p, 1)
	open := fmt.Sprintf(`{"events": [{"type": "case.opened", "data": {"case": {"id": %q, "person": %q, "jurisdiction": "iraq-moj", "court": "Rusafa Criminal Court", "committee": "Committee 1"}}},
		{"type": "case.charged", "data": {"case": %q, "person": %q, "charges": [{"code": %q, "version": %d}]}}]}`, id, p, id, p, w.lifeCharge, w.version)
	before := logSize(t, f)
	for _, user := range []string{"consul-sweden", "consular", "receiver"} {
		x := c.call(t, user, "POST", "/api/v1/events", open, "Idempotency-Key", "open-"+user)
		if x.status != http.StatusForbidden {
			t.Errorf("%s opens a case: status %d %s", user, x.status, x.body)
		}
	}
	x := c.call(t, "consular", "POST", "/api/v1/events", fmt.Sprintf(`{"events": [{"type": "case.hearing", "data": {"case": %q, "person": %q, "court": "Karkh", "summary": "x", "counsel": true}}]}`, w.frCase, w.french), "Idempotency-Key", "hear-fr")
	if x.status != http.StatusForbidden || !strings.Contains(x.apiErr(t).Message, "judicial") {
		t.Errorf("France's consul records a hearing: %d %s", x.status, x.body)
	}
	if after := logSize(t, f); after != before {
		t.Fatalf("refused writes grew the log from %d to %d", before, after)
	}
	res := c.write(t, "judicial", "/api/v1/events", "open-judicial", open, http.StatusCreated)
	if len(res.Seqs) != 2 {
		t.Fatalf("opened and charged: %+v", res)
	}
	c.write(t, "judicial", "/api/v1/events", "open-judicial", open, http.StatusOK) // a replay
	var cd caseDetailT
	c.get(t, "judicial", "/api/v1/cases/"+string(id), http.StatusOK, &cd)
	if cd.Stage != custody.CaseStageInvestigation || len(cd.Sheets) != 1 || cd.MaxPenalty == nil || cd.MaxPenalty.Kind != custody.PenaltyLife {
		t.Errorf("the case opened through the API: %+v", cd.CaseState)
	}
	// Sweden's consul acknowledges France's notification: refused.
	x = c.call(t, "consul-sweden", "POST", "/api/v1/events", fmt.Sprintf(`{"events": [{"type": "consular.acknowledged", "data": {"country": "FR", "notifications": [%q]}}]}`, w.frNote), "Idempotency-Key", "ack-se")
	if x.status != http.StatusForbidden {
		t.Errorf("Sweden's consul acknowledges for France: %d %s", x.status, x.body)
	}
	// The Iraqi receiver delivers it; France's consul acknowledges it.
	c.write(t, "receiver", "/api/v1/events", "deliver-fr", fmt.Sprintf(`{"events": [{"type": "consular.notified", "data": {"country": "FR", "notifications": [%q], "means": "note verbale", "to": "Embassy of France, Baghdad", "reference": "NV-1"}}]}`, w.frNote), http.StatusCreated)
	c.write(t, "consular", "/api/v1/events", "ack-fr", fmt.Sprintf(`{"events": [{"type": "consular.acknowledged", "data": {"country": "FR", "notifications": [%q]}}]}`, w.frNote), http.StatusCreated)
	var np notificationPageT
	c.get(t, "consular", "/api/v1/notifications?person="+string(w.french), http.StatusOK, &np)
	if len(np.Notifications) != 1 || np.Notifications[0].Status != custody.NotificationAcknowledged || np.Notifications[0].AcknowledgedBy != "consular" {
		t.Errorf("the Frenchman's notification: %+v", np.Notifications)
	}
}

// runLegal records, through the API, a step of every kind the legal
// pages read (for the OpenAPI test to validate the answers that show
// them): a hearing and a dismissal (which closes the Swede's alert), a
// delivery and an acknowledgement, a repatriation decided and released.
func runLegal(t *testing.T, c *apiClient, w *legalWorld) {
	t.Helper()
	c.write(t, "judicial", "/api/v1/events", "legal-1", fmt.Sprintf(`{"events": [
		{"type": "case.hearing", "data": {"case": %q, "person": %q, "court": "Karkh Criminal Court, Baghdad", "summary": "the charges were read", "counsel": true}},
		{"type": "case.decided", "data": {"case": %q, "person": %q, "decision": "dismissed", "note": "no evidence"}}]}`, w.sweCase, w.swede, w.sweCase, w.swede), http.StatusCreated)
	c.write(t, "receiver", "/api/v1/events", "legal-2", fmt.Sprintf(`{"events": [{"type": "consular.notified", "data": {"country": "FR", "notifications": [%q], "means": "note verbale", "to": "Embassy of France, Baghdad"}}]}`, w.frNote), http.StatusCreated)
	c.write(t, "consular", "/api/v1/events", "legal-3", fmt.Sprintf(`{"events": [{"type": "consular.acknowledged", "data": {"country": "FR", "notifications": [%q], "note": "received"}}]}`, w.frNote), http.StatusCreated)
	c.write(t, "judicial", "/api/v1/events", "legal-4", fmt.Sprintf(`{"events": [
		{"type": "repatriation.decided", "data": {"request": %q, "approved": [%q]}},
		{"type": "repatriation.released", "data": {"request": %q, "persons": [%q], "place": "Baghdad International Airport"}}]}`, w.frRep, w.french, w.frRep, w.french), http.StatusCreated)
	for _, g := range []struct{ user, path string }{
		{"monitor", "/api/v1/cases"},
		{"judicial", "/api/v1/cases?stage=investigation&limit=1"},
		{"consular", "/api/v1/cases?person=" + string(w.french)},
		{"monitor", "/api/v1/cases/" + string(w.sweCase)},
		{"consul-sweden", "/api/v1/cases/" + string(w.sweCase)},
		{"consular", "/api/v1/cases/" + string(w.frCase)},
		{"monitor", "/api/v1/notifications?status=overdue&limit=5"},
		{"consular", "/api/v1/notifications?status=acknowledged"},
		{"judicial", "/api/v1/notifications?country=FR&limit=2"},
		{"consul-sweden", "/api/v1/notifications?person=" + string(w.swede) + "&overdue=true"},
		{"monitor", "/api/v1/exposures"},
		{"consul-sweden", "/api/v1/exposures?open=false&limit=5"},
		{"monitor", "/api/v1/repatriations"},
		{"consular", "/api/v1/repatriations?country=FR&limit=1"},
		{"judicial", "/api/v1/repatriations/" + string(w.frRep)},
		{"family", "/api/v1/reference/legal"},
	} {
		c.get(t, g.user, g.path, http.StatusOK, nil)
	}
	c.get(t, "consular", "/api/v1/cases/"+string(w.sweCase), http.StatusNotFound, nil)
	c.get(t, "consular", "/api/v1/repatriations/"+string(w.sweRep), http.StatusNotFound, nil)
	c.get(t, "monitor", "/api/v1/cases?stage=hanged", http.StatusBadRequest, nil)
	c.get(t, "family", "/api/v1/cases", http.StatusForbidden, nil)
}

// pagesShow follows a list's pages from path until one shows want,
// checking that none mentions what it must not.
func pagesShow(t *testing.T, f *fixture, b *http.Client, path, want string, mentions func([]byte) bool) bool {
	t.Helper()
	for range 100 {
		code, page := f.uiGet(t, b, path)
		if code != http.StatusOK || mentions([]byte(page)) {
			t.Errorf("GET %s: status %d, or it names the Swede", path, code)
			return false
		}
		if strings.Contains(page, want) {
			return true
		}
		_, after, ok := strings.Cut(page, `id="next-page"`)
		if !ok {
			return false
		}
		before := page[:len(page)-len(after)]
		i := strings.LastIndex(before, `href="`)
		if i < 0 {
			return false
		}
		path, _, _ = strings.Cut(before[i+len(`href="`):], `"`)
		path = html.UnescapeString(path)
	}
	return false
}

// TestRepatriationPersonsScoped: a holding authority's staff see, of a
// request, only the persons their authority holds; the state's consul and
// monitors see all of it.
func TestRepatriationPersonsScoped(t *testing.T) {
	f, _ := newLegalFixture(t)
	ctx := context.Background()
	inIraq := heldByMoJ(t, f, "SE")
	page, err := f.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Facility: "roj", Status: custody.StatusHeld, Nationality: "SE", Limit: 5})
	if err != nil || len(page.Persons) == 0 {
		t.Fatalf("no Swede held in Roj: %v", err)
	}
	inRoj := page.Persons[0].ID
	req := custody.NewEvent(&custody.RepatriationRequested{Request: custody.RepatriationRequest{ID: "REP-SE-SCOPE", Country: "SE", Authority: "state-se",
		Persons: []custody.PersonID{inIraq, inRoj}}}, time.Now(), time.Time{}, custody.Actor{User: "consul-sweden", Authority: "state-se", Site: "test"}, "scope-req")
	if _, err := f.store.Append(ctx, req); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		user string
		want []custody.PersonID
	}{
		{"receiver", []custody.PersonID{inIraq}},
		{"registrar", []custody.PersonID{inRoj}},
		{"consul-sweden", []custody.PersonID{inIraq, inRoj}},
		{"monitor", []custody.PersonID{inIraq, inRoj}},
	} {
		code, body := f.do(t, tc.user, "GET", "/api/v1/repatriations/REP-SE-SCOPE", "")
		if code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", tc.user, code, body)
		}
		var got custody.RepatriationState
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		var ids []custody.PersonID
		for _, p := range got.Persons {
			ids = append(ids, p.Person)
		}
		if !slices.Equal(ids, tc.want) || !slices.Equal(got.Request.Persons, tc.want) {
			t.Errorf("%s sees persons %v (request %v), want %v", tc.user, ids, got.Request.Persons, tc.want)
		}
		other := inRoj
		if tc.want[0] == inRoj {
			other = inIraq
		}
		if len(tc.want) == 1 && strings.Contains(body, string(other)) {
			t.Errorf("%s's answer names %s, outside their scope", tc.user, other)
		}
	}
}
