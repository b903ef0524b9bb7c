package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// Browser tests: Debian's chromium, driven by chromedp, clicks through the
// UI as the people of the operation would. Each step saves a screenshot
// under $CUSTODY_TEST_ARTIFACTS/web/<test>/.

// chromium returns the browser to drive: $CUSTODY_TEST_CHROMIUM, else
// chromium on the PATH. Without one the test is skipped, unless
// CUSTODY_TEST_REQUIRE=1 (./test.sh installs it).
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CUSTODY_TEST_CHROMIUM"); p != "" {
		return p
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CUSTODY_TEST_REQUIRE") == "1" {
			t.Fatal("chromium is missing: ./test.sh installs Debian's chromium")
		}
		t.Skip("chromium is missing (apt-get install chromium, or run ./test.sh)")
	}
	return p
}

// browserSession is a headless chromium tab with a screenshot directory.
type browserSession struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string
	shot int
}

// newBrowser starts chromium with a fresh profile (no background
// networking: the machine has no internet) on a window of w×h.
func newBrowser(t *testing.T, base string, w, h int) *browserSession {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(w, h),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	vp := []chromedp.EmulateViewportOption{}
	if w < 600 {
		vp = append(vp, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), int64(h), vp...)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	dir := os.Getenv("CUSTODY_TEST_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else {
		dir = filepath.Join(dir, "web", t.Name())
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &browserSession{t: t, ctx: ctx, base: base, dir: dir}
}

// run runs actions, failing the test (with a screenshot) if one fails.
func (b *browserSession) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.screenshot("failed-" + what)
		b.t.Fatalf("%s: %v", what, err)
	}
}

// screenshot saves the whole page as NN-name.png.
func (b *browserSession) screenshot(name string) {
	b.t.Helper()
	b.shot++
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.dir, fmt.Sprintf("%02d-%s.png", b.shot, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// text returns the visible text of the first element matching sel.
func (b *browserSession) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.screenshot("failed-read")
		b.t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// eval evaluates a JavaScript expression (awaiting a promise) in the page.
func eval[T any](b *browserSession, what, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.screenshot("failed-" + what)
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// login signs in through the sign-in form.
func (b *browserSession) login(user string) {
	b.t.Helper()
	b.run("sign in as "+user,
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), user),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
	)
	b.screenshot("login-" + user)
	b.run("submit sign-in", chromedp.Click(chromedp.ID("sign-in")), chromedp.WaitVisible(chromedp.CSS("nav.main")))
}

// logout signs out with the layout's button.
func (b *browserSession) logout() {
	b.t.Helper()
	b.run("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("name")))
}

// TestBrowserFindPerson: a monitor signs in, finds a person by name, opens
// their timeline and sees each event's proof verified.
func TestBrowserFindPerson(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec, err := f.store.PersonFacts(ctx, "NES-018168")
	if err != nil {
		t.Fatal(err)
	}
	name := rec.State.Person.Name.Latin[0]
	b := newBrowser(t, f.ts.URL, 1280, 900)
	b.login("monitor")
	b.screenshot("dashboard")
	b.run("search by name",
		chromedp.Navigate(f.ts.URL+"/persons"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), name+"\n"),
		chromedp.WaitVisible(chromedp.CSS(".person-row")),
	)
	b.screenshot("search")
	b.run("open the person", chromedp.Click(chromedp.CSS(`.person-row a[href="/persons/NES-018168"]`)), chromedp.WaitVisible(chromedp.CSS(".proof-verified")))
	b.screenshot("person")
	verified := eval[int](b, "count verified proofs", `document.querySelectorAll(".proof-verified").length`)
	failed := eval[int](b, "count failed proofs", `document.querySelectorAll(".proof-failed").length`)
	if verified < 3 || failed != 0 {
		t.Fatalf("timeline of NES-018168: %d proofs verified, %d failed", verified, failed)
	}
	if body := b.text("main"); !strings.Contains(body, rec.State.Person.Name.Arabic) {
		t.Errorf("the person page does not show the Arabic name %q", rec.State.Person.Name.Arabic)
	}
	// The monitor's read is in the audit trail.
	reads, err := f.store.PersonReads(ctx, sqlstore.ReadFilter{Person: "NES-018168", User: "monitor"})
	if err != nil || len(reads) == 0 {
		t.Fatalf("the monitor's read of NES-018168 was not audited: %v %v", reads, err)
	}
}

// TestBrowserArabic: switching to Arabic gives a right-to-left page.
func TestBrowserArabic(t *testing.T) {
	f := newFixture(t)
	b := newBrowser(t, f.ts.URL, 1280, 900)
	b.login("planner")
	b.run("switch to Arabic", chromedp.Click(chromedp.ID("lang-ar")), chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"]`)))
	b.screenshot("dashboard-ar")
	dir := eval[string](b, "read direction", `getComputedStyle(document.body).direction`)
	lang := eval[string](b, "read language", `document.documentElement.lang`)
	if dir != "rtl" || lang != "ar" {
		t.Fatalf("Arabic page: direction %q, lang %q", dir, lang)
	}
	if nav := b.text("nav.main"); !strings.Contains(nav, "لوحة المتابعة") {
		t.Errorf("the navigation is not in Arabic: %q", nav)
	}
	b.run("open moves in Arabic", chromedp.Navigate(f.ts.URL+"/moves"), chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"]`)))
	b.screenshot("moves-ar")
}

// TestBrowserConsularScope: a French consular officer reaches French
// nationals, and not another country's, through the UI or the API.
func TestBrowserConsularScope(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pick := func(nat string) custody.PersonID {
		p, err := f.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Nationality: nat, Limit: 1})
		if err != nil || len(p.Persons) == 0 {
			t.Fatalf("no %s national in the demo: %v", nat, err)
		}
		return p.Persons[0].ID
	}
	french, other := pick("FR"), pick("RU")
	if rec, _ := f.store.PersonFacts(ctx, other); rec != nil && custody.CanReadPerson(&testUsers[6], rec.Facts) {
		t.Fatalf("%s is readable by the French consul: pick another", other)
	}
	b := newBrowser(t, f.ts.URL, 1280, 900)
	b.login("consular")
	b.run("open a French national", chromedp.Navigate(f.ts.URL+"/persons/"+string(french)), chromedp.WaitVisible(chromedp.CSS(".proof-verified")))
	b.screenshot("french-national")
	b.run("open another country's national", chromedp.Navigate(f.ts.URL+"/persons/"+string(other)), chromedp.WaitVisible(chromedp.CSS(".error")))
	b.screenshot("other-national")
	if s := b.text("main"); !strings.Contains(s, "that you may see") || strings.Contains(s, "verified") {
		t.Fatalf("another country's national through the UI: %q", s)
	}
	// The same session through the API, as a script in the page would.
	codes := eval[[]int](b, "fetch through the API", fmt.Sprintf(`Promise.all([
		fetch("/api/v1/persons/%s").then(r => r.status),
		fetch("/api/v1/persons/%s/whereabouts").then(r => r.status),
		fetch("/api/v1/persons/%s/timeline").then(r => r.status),
		fetch("/api/v1/persons/%s").then(r => r.status)])`, other, other, other, french))
	if len(codes) != 4 || codes[0] != 404 || codes[1] != 404 || codes[2] != 404 || codes[3] != 200 {
		t.Fatalf("the consul's API calls: %v, want 404 404 404 for %s and 200 for %s", codes, other, french)
	}
	// Searching lists French nationals only.
	b.run("search", chromedp.Navigate(f.ts.URL+"/persons"), chromedp.WaitVisible(chromedp.CSS(".person-row")))
	b.screenshot("search-scoped")
	page, err := f.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.PersonScope(&testUsers[6]), Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Persons {
		if !strings.Contains(strings.Join(p.Nationalities, ","), "FR") {
			t.Fatalf("the consul's scope lists %s (%v)", p.ID, p.Nationalities)
		}
	}
}

// planTestMove plans, as the coalition planner, a move of n men held at
// gweiran (an SDF prison in the test registrar's scope) to
// iq-moj-central under a new allocation, escorted by CENTCOM, leaving in
// an hour. It returns the move and its persons.
func planTestMove(t *testing.T, f *fixture, id custody.MoveID, n int) []custody.PersonID {
	t.Helper()
	ctx := context.Background()
	page, err := f.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Facility: "gweiran", Status: custody.StatusHeld, Category: custody.Man, Limit: n})
	if err != nil || len(page.Persons) < n {
		t.Fatalf("fewer than %d men held at gweiran: %v", n, err)
	}
	var ps []custody.PersonID
	var seats []custody.Seat
	for i, p := range page.Persons {
		ps = append(ps, p.ID)
		seats = append(seats, custody.Seat{Person: p.ID, Vehicle: "bus-1", Seat: i + 1})
	}
	alloc := custody.AllocationID("ALLOC-TEST-" + string(id))
	now := time.Now().UTC()
	planner := custody.Actor{User: "planner", Authority: "centcom", Site: "test"}
	move := custody.Move{ID: id, Allocation: alloc, Mode: custody.ByLand, Origin: "gweiran", Destination: "iq-moj-central", Escort: "centcom",
		Departure: now.Add(time.Hour), Arrival: now.Add(10 * time.Hour),
		Vehicles: []custody.Vehicle{{ID: "bus-1", Kind: "armoured bus", Label: "CC-201", Seats: 12}},
		Legs:     []custody.Leg{{Kind: custody.LegBorder, Place: "Rabia"}}}
	_, err = f.store.Append(ctx,
		custody.NewEvent(&custody.AllocationCreated{Allocation: custody.Allocation{ID: alloc, Name: "browser test", OrderedBy: "iraq-moj", Target: n,
			Criteria: custody.Criteria{Categories: []custody.Category{custody.Man}, Origins: []custody.FacilityID{"gweiran"}}, Destinations: []custody.FacilityID{"iq-moj-central"}}},
			now, time.Time{}, planner, "test-alloc-"+string(id)),
		custody.NewEvent(&custody.MovePlanned{Move: move, Manifest: seats}, now, time.Time{}, planner, "test-plan-"+string(id)),
	)
	if err != nil {
		t.Fatalf("plan the test move: %v", err)
	}
	return ps
}

// TestBrowserMove runs a move on a phone, from boarding to the last
// handover: the escort boards each man by typed ID, the SDF registrar
// releases them to the escort, the escort accepts them, departs, counts
// at the border and arrives, releases them to the Iraqi Ministry of
// Justice, whose receiver accepts them; the move closes. Every man ends
// admitted at the destination.
func TestBrowserMove(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const id = "MV-BROWSER-1"
	men := planTestMove(t, f, id, 3)
	field := f.ts.URL + "/moves/" + id + "/field"
	b := newBrowser(t, f.ts.URL, 390, 844)
	submit := func(what, button string) {
		t.Helper()
		// The last step's message goes first, so that the wait is for
		// this step's page.
		eval[any](b, "clear the message", `document.getElementById("flash")?.remove()`)
		b.run(what, chromedp.Click(chromedp.ID(button)), chromedp.WaitVisible(chromedp.ID("flash")))
		if s := b.text("#flash"); strings.Contains(strings.ToLower(s), "error") {
			t.Fatalf("%s: %s", what, s)
		}
		b.screenshot(what)
	}
	count := func(what, input, button string, n int) {
		t.Helper()
		b.run(what+": type the count", chromedp.SendKeys(chromedp.ID(input), fmt.Sprint(n)))
		submit(what, button)
	}

	b.login("escort")
	b.run("open the field page", chromedp.Navigate(field), chromedp.WaitVisible(chromedp.ID("start-boarding")))
	b.screenshot("field-planned")
	submit("start-boarding", "start-boarding-submit")
	for _, p := range men {
		b.run("type "+string(p), chromedp.WaitVisible(chromedp.ID("person-id")), chromedp.SendKeys(chromedp.ID("person-id"), string(p)))
		submit("board-"+string(p), "board-submit")
	}
	b.logout()

	// The SDF side hands the men to the escort.
	b.login("registrar")
	b.run("open the field page as SDF", chromedp.Navigate(field), chromedp.WaitVisible(chromedp.ID("release")))
	submit("release-to-escort", "release-submit")
	b.logout()

	b.login("escort")
	b.run("open the field page to accept", chromedp.Navigate(field), chromedp.WaitVisible(chromedp.ID("receive")), chromedp.Click(chromedp.ID("identity-checked")))
	submit("accept-from-sdf", "receive-submit")
	count("depart", "depart-count", "depart-submit", len(men))
	count("count-at-rabia", "count-count", "count-submit", len(men))
	count("arrive", "arrive-count", "arrive-submit", len(men))
	submit("release-to-moj", "release-submit")
	b.logout()

	b.login("receiver")
	b.run("open the field page as the receiver", chromedp.Navigate(field), chromedp.WaitVisible(chromedp.ID("receive")), chromedp.Click(chromedp.ID("identity-checked")))
	submit("accept-at-arrival", "receive-submit")
	submit("close", "close-submit")

	m, err := f.store.Move(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != custody.StageClosed {
		t.Fatalf("move %s is %s after the last handover and close", id, m.Status)
	}
	for _, p := range men {
		w, err := f.store.WhereIs(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if w.Status != custody.StatusHeld || w.Facility != "iq-moj-central" || w.Authority != "iraq-moj" {
			t.Errorf("%s after the move: %s at %s (%s), want held at iq-moj-central by iraq-moj", p, w.Status, w.Facility, w.Authority)
		}
	}
}
