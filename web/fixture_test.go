package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/password"
	"github.com/opencustody/custody/scenario"
	"github.com/opencustody/custody/sqlstore"
)

// The web tests run against the demo operation (the real generated
// population, facilities, moves and stories, and the aftermath: cases,
// consular notifications, a repatriation), loaded once per test binary
// into a template database that each fixture copies.

var demo struct {
	once sync.Once
	dir  string
	err  error
}

// TestMain removes the template demo database when the tests end.
func TestMain(m *testing.M) {
	code := m.Run()
	if demo.dir != "" {
		os.RemoveAll(demo.dir)
	}
	os.Exit(code)
}

// demoDB returns the path of the template demo database (and its key).
func demoDB(t testing.TB) (db, key string) {
	t.Helper()
	demo.once.Do(func() {
		demo.dir, demo.err = os.MkdirTemp("", "custody-web-test-")
		if demo.err != nil {
			return
		}
		demo.err = loadDemo(filepath.Join(demo.dir, "demo.db"))
	})
	if demo.err != nil {
		t.Fatal(demo.err)
	}
	return filepath.Join(demo.dir, "demo.db"), filepath.Join(demo.dir, "demo.db.key")
}

func loadDemo(db string) error {
	ctx := context.Background()
	cfg := sqlstore.Config{DB: db, Origin: "custody.local/demo"}
	if _, err := sqlstore.Init(ctx, cfg); err != nil {
		return err
	}
	s, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetMeta(ctx, "transfer_target", fmt.Sprint(scenario.Figures().Transferred)); err != nil {
		return err
	}
	var buf [][]custody.Event
	flush := func() error {
		res, err := s.AppendBatch(ctx, buf)
		if err != nil {
			return err
		}
		for i, r := range res {
			if r.Err != nil {
				return fmt.Errorf("demo request %s: %w", buf[i][0].Key, r.Err)
			}
		}
		buf = buf[:0]
		return nil
	}
	err = scenario.Generate(ctx, scenario.Config{Seed: 1}, func(req []custody.Event) error {
		buf = append(buf, req)
		if len(buf) == 2000 {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	// The aftermath (charges and positions published, cases, consular
	// notifications delivered, a repatriation), from the state the
	// operation left, as the demo command loads it.
	st, err := s.State(ctx)
	if err != nil {
		return err
	}
	if err := scenario.Aftermath(ctx, scenario.Config{Seed: 1}, st, func(req []custody.Event) error {
		buf = append(buf, req)
		if len(buf) == 2000 {
			return flush()
		}
		return nil
	}); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	return s.Close()
}

// testUsers are one user per role, scoped to the demo: the registrar of
// Roj and Gweiran (both SDF), the coalition escort, the Iraqi receiver and judge,
// a French consular officer (acting for the French state's authority, which
// receives repatriated French nationals); and, appended, a Swedish one.
var testUsers = []custody.User{
	{Name: "admin", Role: custody.RoleAdmin},
	{Name: "registrar", Role: custody.RoleRegistrar, Authority: "sdf", Facilities: []custody.FacilityID{"roj", "gweiran"}},
	{Name: "planner", Role: custody.RolePlanner, Authority: "centcom"},
	{Name: "escort", Role: custody.RoleEscort, Authority: "centcom"},
	{Name: "receiver", Role: custody.RoleReceiver, Authority: "iraq-moj"},
	{Name: "judicial", Role: custody.RoleJudicial, Authority: "iraq-moj"},
	{Name: "consular", Role: custody.RoleConsular, Nationalities: []string{"FR"}, Authority: "state-fr"},
	{Name: "monitor", Role: custody.RoleMonitor},
	{Name: "family", Role: custody.RoleFamilyDesk},
	{Name: "consul-sweden", Role: custody.RoleConsular, Nationalities: []string{"SE"}, Authority: "state-se"},
}

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

// fixture is a server on a private copy of the demo, with one user per
// role, each with a password and an API token.
type fixture struct {
	store  *sqlstore.Store
	srv    *Server
	ts     *httptest.Server
	tokens map[string]string // user name → API token
	// browsers are signed-in clients by user name (browserOf).
	browsers map[string]*http.Client
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	src, srcKey := demoDB(t)
	dir := t.TempDir()
	db, key := filepath.Join(dir, "demo.db"), filepath.Join(dir, "demo.db.key")
	for _, c := range [][2]string{{src, db}, {srcKey, key}} {
		if err := copyFile(c[0], c[1]); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: db, KeyFile: key, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	// Cheap hashing parameters keep the tests fast; the format is the same.
	hash, err := password.Hash(testPassword, password.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: s, tokens: map[string]string{}}
	for _, u := range testUsers {
		if err := s.AddUser(ctx, u, hash); err != nil {
			t.Fatal(err)
		}
		tok, err := s.NewAPIToken(ctx, u.Name, "test")
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[u.Name] = tok
	}
	f.srv, err = New(Config{Store: s, Logger: log, Site: "test",
		LoginRate: LoginRate{PerUserBurst: 1000, PerUserEvery: 1, PerAddrBurst: 1000, PerAddrEvery: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.srv.Close)
	f.ts = httptest.NewServer(f.srv)
	t.Cleanup(f.ts.Close)
	return f
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600) // the key file must be private
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// do sends a request as user (by API token; "" for nobody) and returns
// the status and body.
func (f *fixture) do(t testing.TB, user, method, path string, body string, header ...string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[user])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := f.ts.Client().Do(req)
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

// browser returns an HTTP client signed in as user with a session cookie
// (it does not follow redirects, so tests see them).
func (f *fixture) browser(t testing.TB, user string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(f.ts.URL+"/login", url.Values{"name": {user}, "password": {testPassword}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", user, resp.StatusCode)
	}
	return c
}

// csrf returns the form token of a signed-in browser's session, read from
// a page's sign-out form.
func (f *fixture) csrf(t testing.TB, c *http.Client) string {
	t.Helper()
	resp, err := c.Get(f.ts.URL + "/login?next=/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// A signed-in browser is sent on from /login; the layout's sign-out
	// form carries the token on every page, including the error page.
	resp, err = c.Get(f.ts.URL + "/no-such-page")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	_, after, ok := strings.Cut(string(b), `name="csrf" value="`)
	if !ok {
		t.Fatalf("no csrf token on the page:\n%.800s", b)
	}
	tok, _, _ := strings.Cut(after, `"`)
	return tok
}
