package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// Plain HTTP tests of the UI's pages, as each role sees them.

// uiGet fetches a page with a signed-in browser.
func (f *fixture) uiGet(t *testing.T, c *http.Client, path string) (int, string) {
	t.Helper()
	resp, err := c.Get(f.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// uiPost sends a form; it returns the status, the body and the redirect.
func (f *fixture) uiPost(t *testing.T, c *http.Client, path string, form url.Values) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(f.ts.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

func TestUIPages(t *testing.T) {
	f := newFixture(t)
	browsers := map[string]*http.Client{}
	as := func(user string) *http.Client {
		if browsers[user] == nil {
			browsers[user] = f.browser(t, user)
		}
		return browsers[user]
	}
	for _, c := range []struct {
		user, path string
		want       []string
	}{
		{"monitor", "/", []string{"Transfer progress", `class="chart`, `id="fig-transferred"`, "7,000", `id="checkpoint-root"`, `id="verifier-key"`, "custody.local/demo", `id="escapes"`, `class="escape-row"`}},
		{"family", "/", []string{"Transfer progress", `id="escapes"`}},
		{"monitor", "/map", []string{`class="atlas"`, `id="legend"`, "/facilities/gweiran", `class="route-row"`}},
		{"monitor", "/persons", []string{`id="q"`, `class="person-row"`, `id="next-page"`}},
		{"monitor", "/persons?q=NES-01816", []string{`data-id="NES-018168"`, "Duaa Muadh Al-Mohammed"}},
		{"monitor", "/persons?nationality=se&category=woman", []string{`class="person-row"`, "SE"}},
		{"monitor", "/persons/NES-018168", []string{"دعاء معاذ المحمد", `dir="rtl"`, "Umm Muhannad", "Asma Ayman", `class="proof proof-verified"`, "verified in checkpoint", "custody-receipt v1", `id="reads"`}},
		{"monitor", "/facilities", []string{"al-Hol camp", `class="facility-row"`, "<meter"}},
		{"monitor", "/facilities/al-hol", []string{"al-Hol camp", `id="control"`, "Syrian government", "Syrian Democratic Forces", `class="person-row"`, `id="roll-counts"`}},
		{"consular", "/facilities/al-hol", []string{"more are held here outside your scope"}},
		{"planner", "/allocations", []string{`class="card allocation"`, "MV-20260121-01", "<meter"}},
		{"monitor", "/moves", []string{`class="move-row`, "MV-20260121-01", `id="stage-closed"`}},
		{"monitor", "/moves?stage=closed", []string{"MV-20260121-01"}},
		{"monitor", "/moves/MV-20260121-01", []string{`id="manifest"`, `class="seat-row`, `id="handovers"`, `id="headcounts"`, "handed over", "person-link"}},
		{"monitor", "/moves/MV-20260123-09", []string{`id="alerts"`, "medical evacuation"}},
		{"monitor", "/audit", []string{`id="reads"`, `class="read-row"`}},
		{"monitor", "/audit?person=NES-018168&user=monitor", []string{`class="read-row"`, "GET /persons/{id}"}},
		{"admin", "/users", []string{`id="add-user"`, `data-name="monitor"`, `id="disable-consular"`}},
	} {
		t.Run(c.user+c.path, func(t *testing.T) {
			code, body := f.uiGet(t, as(c.user), c.path)
			if code != http.StatusOK {
				t.Fatalf("status %d:\n%.2000s", code, body)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("no %q in the page", w)
				}
			}
		})
	}
}

func TestUIPersonScope(t *testing.T) {
	f := newFixture(t)
	c := f.browser(t, "consular")
	if code, _ := f.uiGet(t, c, "/persons/NES-018168"); code != http.StatusNotFound {
		t.Errorf("the French consul reads a Syrian woman's record: status %d, want 404", code)
	}
	page, err := f.store.ListPersons(context.Background(), sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Nationality: "FR", Limit: 1})
	if err != nil || len(page.Persons) == 0 {
		t.Fatalf("no French person in the demo: %v", err)
	}
	fr := page.Persons[0].ID
	code, body := f.uiGet(t, c, "/persons/"+string(fr))
	if code != http.StatusOK || !strings.Contains(body, "proof-verified") {
		t.Errorf("the French consul cannot read a French national's record %s: status %d", fr, code)
	}
	// The search lists only French nationals.
	_, body = f.uiGet(t, c, "/persons")
	if n := strings.Count(body, `class="person-row"`); n == 0 {
		t.Errorf("the consul's search lists nobody")
	}
	if strings.Contains(body, "NES-018168") {
		t.Errorf("the consul's search lists a Syrian")
	}
	// The reads are in the audit trail.
	reads, err := f.store.PersonReads(context.Background(), sqlstore.ReadFilter{User: "consular", Person: string(fr)})
	if err != nil || len(reads) == 0 {
		t.Errorf("the consul's read of %s is not audited (%v)", fr, err)
	}
	// A monitor-only page is refused.
	if code, _ := f.uiGet(t, c, "/audit"); code != http.StatusForbidden {
		t.Errorf("the consul opens the audit trail: status %d", code)
	}
}

func TestUIArabic(t *testing.T) {
	f := newFixture(t)
	c := f.browser(t, "monitor")
	resp, err := c.Get(f.ts.URL + "/lang/ar?next=/persons/NES-018168")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("/lang/ar: status %d", resp.StatusCode)
	}
	for _, path := range []string{"/", "/persons/NES-018168", "/moves/MV-20260121-01", "/map", "/facilities/al-hol"} {
		code, body := f.uiGet(t, c, path)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", path, code)
		}
		for _, w := range []string{`<html lang="ar" dir="rtl">`, "لوحة المتابعة", `id="lang-en"`} {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in the Arabic page", path, w)
			}
		}
	}
	_, body := f.uiGet(t, c, "/persons/NES-018168")
	for _, w := range []string{"الهوية", "السجل الزمني", "تم التحقق في نقطة التحقق"} {
		if !strings.Contains(body, w) {
			t.Errorf("person page: no %q in Arabic", w)
		}
	}
	_, body = f.uiGet(t, c, "/facilities/al-hol")
	if !strings.Contains(body, "مخيم الهول") {
		t.Errorf("facility page: no Arabic facility name")
	}
}

// TestUIFieldMove drives a small move through the field page's forms: the
// escort boards two men (one by typed ID, one by wristband code) and
// records a third as not boarded, the SDF registrar hands the two over to
// the escort, who confirms, departs, counts, arrives and hands them over to
// the Iraqi Ministry of Justice, whose receiver refuses one (papers
// missing), accepts the other, accepts the first when handed over again,
// and closes the move.
func TestUIFieldMove(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const mv = custody.MoveID("MV-UITEST-1")
	men := uiPlanMove(t, f, mv, "")
	escort, registrar, receiver := f.browser(t, "escort"), f.browser(t, "registrar"), f.browser(t, "receiver")
	tokens := map[*http.Client]string{escort: f.csrf(t, escort), registrar: f.csrf(t, registrar), receiver: f.csrf(t, receiver)}
	field := "/moves/" + string(mv) + "/field"
	n := 0
	send := func(c *http.Client, action string, form url.Values, want int) string {
		t.Helper()
		n++
		form.Set("csrf", tokens[c])
		form.Set("idem", fmt.Sprintf("ui-test-%d", n))
		code, body, loc := f.uiPost(t, c, field+"/"+action, form)
		if code != want {
			t.Fatalf("%s: status %d, want %d:\n%.3000s", action, code, want, body)
		}
		if want == http.StatusSeeOther {
			if !strings.HasPrefix(loc, field+"?done="+action) {
				t.Fatalf("%s: sent to %q", action, loc)
			}
			code, body = f.uiGet(t, c, loc)
			if code != http.StatusOK || !strings.Contains(body, `id="flash"`) {
				t.Fatalf("%s: the page after shows no message (status %d)", action, code)
			}
		}
		return body
	}
	if _, body := f.uiGet(t, escort, "/moves/"+string(mv)); !strings.Contains(body, `id="field-link"`) {
		t.Errorf("the escort's move page has no link to the field page")
	}
	if code, _ := f.uiGet(t, f.browser(t, "monitor"), field); code != http.StatusForbidden {
		t.Errorf("the monitor opens the field page: status %d, want 403", code)
	}
	code, body := f.uiGet(t, escort, field)
	if code != http.StatusOK || !strings.Contains(body, `id="start-boarding"`) {
		t.Fatalf("field page: status %d, no start-boarding form:\n%.2000s", code, body)
	}
	// Without the form token the post is refused.
	code, _, _ = f.uiPost(t, escort, field+"/start-boarding", url.Values{"idem": {"no-csrf"}})
	if code != http.StatusForbidden {
		t.Fatalf("a form without csrf: status %d, want 403", code)
	}
	send(escort, "start-boarding", url.Values{}, http.StatusSeeOther)
	body = send(escort, "board", url.Values{"person": {string(men[0])}}, http.StatusSeeOther)
	if !strings.Contains(body, `id="board"`) || !strings.Contains(body, `id="person-id"`) {
		t.Fatalf("no board form after boarding")
	}
	// The same form sent twice (a retry on a bad link) records once.
	code, _, _ = f.uiPost(t, escort, field+"/board", url.Values{"csrf": {tokens[escort]}, "idem": {fmt.Sprintf("ui-test-%d", n)}, "person": {string(men[0])}})
	if code != http.StatusSeeOther {
		t.Errorf("a form sent twice: status %d, want 303 (the first result)", code)
	}
	if m, _ := f.store.Move(ctx, mv); len(m.Boarded) != 1 {
		t.Errorf("a form sent twice boarded %d persons", len(m.Boarded))
	}
	// A wristband code with wrong check digits is refused, and says why.
	bad := custody.WristbandCode(men[1])
	bad = bad[:len(bad)-2] + fmt.Sprintf("%02d", (atoiOr(bad[len(bad)-2:], 0)+1)%100)
	body = send(escort, "board", url.Values{"code": {bad}}, http.StatusBadRequest)
	if !strings.Contains(body, `class="flash error"`) || !strings.Contains(body, "wristband") {
		t.Errorf("a misread wristband: no error shown:\n%.2000s", body)
	}
	// Someone not on the manifest is refused.
	body = send(escort, "board", url.Values{"person": {"NES-018168"}}, http.StatusBadRequest)
	if !strings.Contains(body, "not-on-manifest") {
		t.Errorf("boarding a person not on the manifest: no rule shown")
	}
	send(escort, "board", url.Values{"code": {custody.WristbandCode(men[1])}}, http.StatusSeeOther)
	send(escort, "not-boarded", url.Values{"person": {string(men[2])}}, http.StatusBadRequest)
	send(escort, "not-boarded", url.Values{"person": {string(men[2])}, "reason": {"medical-unfit"}}, http.StatusSeeOther)
	// Departure before the handover to the escort is refused (409).
	send(escort, "depart", url.Values{"count": {"2"}}, http.StatusConflict)
	code, body = f.uiGet(t, registrar, field)
	if code != http.StatusOK || !strings.Contains(body, `id="release"`) {
		t.Fatalf("registrar's field page: status %d, no release form", code)
	}
	send(registrar, "release", url.Values{"person": {string(men[0]), string(men[1])}}, http.StatusSeeOther)
	body = send(escort, "receive", url.Values{"handover": {uiHandoverSeq(t, f, mv)}, "person": {string(men[0]), string(men[1])}, "identity-checked": {"yes"}}, http.StatusSeeOther)
	if !strings.Contains(body, `id="depart"`) {
		t.Fatalf("no depart form after the escort took custody")
	}
	send(escort, "depart", url.Values{"count": {"2"}}, http.StatusSeeOther)
	send(escort, "count", url.Values{"leg": {"1"}, "count": {"2"}}, http.StatusSeeOther)
	send(escort, "arrive", url.Values{"count": {"2"}}, http.StatusSeeOther)
	send(escort, "release", url.Values{"person": {string(men[0]), string(men[1])}}, http.StatusSeeOther)
	code, body = f.uiGet(t, receiver, field)
	if code != http.StatusOK || !strings.Contains(body, `id="receive"`) || !strings.Contains(body, string(men[0])) {
		t.Fatalf("receiver's field page: status %d, no receive form", code)
	}
	// Custody is not accepted without the identity check.
	send(receiver, "receive", url.Values{"handover": {uiHandoverSeq(t, f, mv)}, "person": {string(men[0]), string(men[1])}}, http.StatusBadRequest)
	// One man is refused (his papers are missing) and handed over again.
	h := uiHandoverSeq(t, f, mv)
	send(receiver, "refuse", url.Values{"handover": {h}, "person": {string(men[1])}, "reason": {"documents-missing"}}, http.StatusSeeOther)
	send(receiver, "receive", url.Values{"handover": {h}, "person": {string(men[0])}, "identity-checked": {"yes"}}, http.StatusSeeOther)
	send(receiver, "close", url.Values{}, http.StatusConflict) // one is still aboard
	send(escort, "release", url.Values{"person": {string(men[1])}}, http.StatusSeeOther)
	send(receiver, "receive", url.Values{"handover": {uiHandoverSeq(t, f, mv)}, "person": {string(men[1])}, "identity-checked": {"yes"}}, http.StatusSeeOther)
	send(receiver, "close", url.Values{}, http.StatusSeeOther)

	m, err := f.store.Move(ctx, mv)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != custody.StageClosed {
		t.Errorf("move %s is %s, want closed", mv, m.Status)
	}
	for i, id := range men {
		w, err := f.store.WhereIs(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := custody.FacilityID("iq-moj-baghdad")
		if i == 2 {
			want = "gweiran"
		}
		if w.Status != custody.StatusHeld || w.Facility != want {
			t.Errorf("%s is %s at %s, want held at %s", id, w.Status, w.Facility, want)
		}
	}
	// The move page shows it, and the persons' pages their handover.
	code, body = f.uiGet(t, receiver, "/persons/"+string(men[0]))
	if code != http.StatusOK || !strings.Contains(body, "Received by") {
		t.Errorf("the receiver's view of %s: status %d, no receipt in the timeline", men[0], code)
	}
}

// uiPlanMove plans, as the planner, a move of three men held in Gweiran
// to the Iraqi Ministry of Justice in Baghdad, escorted by CENTCOM, under
// an allocation of its own; it returns the men (the first three held there
// with IDs after after).
func uiPlanMove(t *testing.T, f *fixture, mv custody.MoveID, after custody.PersonID) []custody.PersonID {
	t.Helper()
	ctx := context.Background()
	page, err := f.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Facility: "gweiran", Status: custody.StatusHeld, After: after, Limit: 3})
	if err != nil || len(page.Persons) < 3 {
		t.Fatalf("three men held in Gweiran: %v", err)
	}
	var men []custody.PersonID
	var seats []custody.Seat
	for i, p := range page.Persons {
		men = append(men, p.ID)
		seats = append(seats, custody.Seat{Person: p.ID, Vehicle: "bus-1", Seat: i + 1})
	}
	now := time.Now().UTC()
	by := custody.Actor{User: "planner", Authority: "centcom", Site: "test"}
	alloc := custody.Allocation{ID: custody.AllocationID("AL-" + mv), Name: "UI test", OrderedBy: "iraq-moj", Target: 3,
		Criteria: custody.Criteria{Origins: []custody.FacilityID{"gweiran"}}, Destinations: []custody.FacilityID{"iq-moj-baghdad"}}
	move := custody.Move{ID: mv, Allocation: alloc.ID, Mode: custody.ByLand, Origin: "gweiran", Destination: "iq-moj-baghdad",
		Escort: "centcom", Departure: now.Add(time.Hour), Arrival: now.Add(10 * time.Hour),
		Vehicles: []custody.Vehicle{{ID: "bus-1", Kind: "armoured bus", Label: "B-1", Seats: 10}},
		Legs:     []custody.Leg{{Kind: custody.LegBorder, Place: "Semalka / Faysh Khabur crossing"}}}
	_, err = f.store.Append(ctx,
		custody.NewEvent(&custody.AllocationCreated{Allocation: alloc}, now, time.Time{}, by, "ui-test-alloc-"+string(mv)),
		custody.NewEvent(&custody.MovePlanned{Move: move, Manifest: seats}, now, time.Time{}, by, "ui-test-plan-"+string(mv)))
	if err != nil {
		t.Fatal(err)
	}
	return men
}

// uiHandoverSeq is the log index of the move's last handover.
func uiHandoverSeq(t *testing.T, f *fixture, mv custody.MoveID) string {
	t.Helper()
	m, err := f.store.Move(context.Background(), mv)
	if err != nil || len(m.Handovers) == 0 {
		t.Fatalf("move %s has no handover: %v", mv, err)
	}
	return fmt.Sprint(m.Handovers[len(m.Handovers)-1].Seq)
}

func TestUIUsers(t *testing.T) {
	f := newFixture(t)
	c := f.browser(t, "admin")
	tok := f.csrf(t, c)
	code, body, _ := f.uiPost(t, c, "/users", url.Values{"csrf": {tok}, "name": {"consul-se"}, "role": {"consular"}, "nationalities": {"se, dk"}})
	if code != http.StatusOK || !strings.Contains(body, `id="generated-password"`) {
		t.Fatalf("add a user: status %d:\n%.2000s", code, body)
	}
	_, pw, _ := strings.Cut(body, `id="generated-password">`)
	pw, _, _ = strings.Cut(pw, "<")
	if len(pw) < 12 {
		t.Fatalf("generated password %q", pw)
	}
	u, _, err := f.store.User(context.Background(), "consul-se")
	if err != nil || u.Role != custody.RoleConsular || strings.Join(u.Nationalities, ",") != "SE,DK" {
		t.Fatalf("user added as %+v (%v)", u, err)
	}
	// The new user signs in with the password shown.
	nobody := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := nobody.PostForm(f.ts.URL+"/login", url.Values{"name": {"consul-se"}, "password": {pw}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Errorf("the new user cannot sign in with the password shown: status %d", resp.StatusCode)
	}
	// A user with an incomplete scope is refused, and the form says why.
	code, body, _ = f.uiPost(t, c, "/users", url.Values{"csrf": {tok}, "name": {"reg2"}, "role": {"registrar"}, "authority": {"sdf"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "facility") || !strings.Contains(body, `value="reg2"`) {
		t.Errorf("a registrar without facilities: status %d", code)
	}
	code, _, loc := f.uiPost(t, c, "/users/consul-se/disable", url.Values{"csrf": {tok}})
	if code != http.StatusSeeOther {
		t.Fatalf("disable: status %d", code)
	}
	_, body = f.uiGet(t, c, loc)
	if !strings.Contains(body, `id="flash"`) || !strings.Contains(body, "consul-se") {
		t.Errorf("no message after disabling a user")
	}
	if u, _, _ := f.store.User(context.Background(), "consul-se"); !u.Disabled {
		t.Errorf("the user is not disabled")
	}
}
