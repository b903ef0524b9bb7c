package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/scenario"
	"github.com/opencustody/custody/sqlstore"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// result is what one command did.
type result struct {
	code           int
	stdout, stderr string
}

// run runs custody in-process with args and the environment env.
func run(ctx context.Context, env map[string]string, args ...string) result {
	var stdout, stderr syncBuffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
	code := m.Run(ctx, args)
	return result{code, stdout.String(), stderr.String()}
}

// runOK runs custody and fails the test unless it exits 0.
func runOK(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	r := run(context.Background(), env, args...)
	if r.code != 0 {
		t.Fatalf("custody %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// The demo operation takes seconds to load: it is loaded once, on first
// use, and shared by the tests that only read it.
var demo struct {
	once sync.Once
	dir  string
	db   string
	out  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demo.dir != "" {
		os.RemoveAll(demo.dir)
	}
	os.Exit(code)
}

// demoDB returns the path of the shared demo database. Tests must not
// change it: copy it first (copyDB).
func demoDB(t *testing.T) string {
	t.Helper()
	demo.once.Do(func() {
		dir, err := os.MkdirTemp("", "custody-cmd-test-")
		if err != nil {
			demo.err = err
			return
		}
		demo.dir, demo.db = dir, filepath.Join(dir, "demo.db")
		r := run(context.Background(), nil, "demo", "--load-only", "--db", demo.db)
		if r.code != 0 {
			demo.err = fmt.Errorf("custody demo: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		demo.out = r.stdout
	})
	if demo.err != nil {
		t.Fatal(demo.err)
	}
	return demo.db
}

// verifierLine returns the key printed on the "verifier key: " line.
func verifierLine(t *testing.T, out string) string {
	t.Helper()
	for line := range strings.Lines(out) {
		if k, ok := strings.CutPrefix(strings.TrimSpace(line), "verifier key: "); ok {
			return k
		}
	}
	t.Fatalf("no verifier key line in:\n%s", out)
	return ""
}

func TestInit(t *testing.T) {
	db := filepath.Join(t.TempDir(), "new", "custody.db")
	r := runOK(t, nil, "init", "--db", db)
	key := verifierLine(t, r.stdout)
	if !strings.HasPrefix(key, sqlstore.DefaultOrigin+"+") {
		t.Errorf("verifier key %q is not named %s", key, sqlstore.DefaultOrigin)
	}
	fi, err := os.Stat(db + ".key")
	if err != nil {
		t.Fatalf("no key file: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode %04o, want 0600", perm)
	}
	if k, err := ledger.ReadKeyFileVerifier(db + ".key"); err != nil || k != key {
		t.Errorf("the key file's verifier is %q (%v), init printed %q", k, err, key)
	}
	keyBytes, err := os.ReadFile(db + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if r := runOK(t, nil, "verify", "--db", db); !strings.HasPrefix(r.stdout, "ok: 0 entries") {
		t.Errorf("verify of a new database printed %q", r.stdout)
	}

	// Again: refused, and the key is untouched.
	r = run(context.Background(), nil, "init", "--db", db)
	if r.code == 0 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("second init: exit %d, stderr %q; want a refusal saying it already exists", r.code, r.stderr)
	}
	if after, err := os.ReadFile(db + ".key"); err != nil || !bytes.Equal(after, keyBytes) {
		t.Errorf("a refused init changed the key file (%v)", err)
	}
	runOK(t, nil, "verify", "--db", db)
}

func TestDBFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CUSTODY_DB": filepath.Join(dir, "from-env.db")}
	runOK(t, env, "init")
	if _, err := os.Stat(env["CUSTODY_DB"]); err != nil {
		t.Fatalf("init with CUSTODY_DB set did not create it: %v", err)
	}
	if r := runOK(t, env, "verify"); !strings.HasPrefix(r.stdout, "ok: ") {
		t.Errorf("verify with CUSTODY_DB: %q", r.stdout)
	}
	// --db wins over the environment.
	other := filepath.Join(dir, "flag.db")
	runOK(t, env, "init", "--db", other)
	if _, err := os.Stat(other); err != nil {
		t.Errorf("init --db with CUSTODY_DB set did not create %s: %v", other, err)
	}
}

func TestDemoFigures(t *testing.T) {
	db := demoDB(t)
	if k, err := ledger.ReadKeyFileVerifier(db + ".key"); err != nil || verifierLine(t, demo.out) != k {
		t.Errorf("demo printed verifier key %q, its key file's is %q (%v)", verifierLine(t, demo.out), k, err)
	}
	r := runOK(t, nil, "stats", "--json", "--db", db)
	var st sqlstore.Stats
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, r.stdout)
	}
	f := scenario.Figures()
	population := map[string]int{}
	for _, fc := range st.ByFacility {
		population[fc.ID] = fc.Population
	}
	category := map[string]int{}
	for _, c := range st.ByCategory {
		category[c.Key] = c.N
	}
	byStatus := 0 // every person somewhere or in a stated out-of-custody state
	for _, c := range st.ByStatus {
		byStatus += c.N
	}
	cumulative := map[string]int{}
	for _, d := range st.Transfer.ByDay {
		cumulative[d.Date] = d.Cumulative
	}
	figures := []struct {
		name      string
		got, want int
	}{
		{"persons (52,200)", st.Persons, f.Persons},
		{"men (8,950)", category["man"], f.Men},
		{"children under 12 (25,000)", st.Under12, f.Under12},
		// About 24,000 admitted to al-Hol and its annex; the Syrian children
		// released to their families have left.
		{"al-Hol camp and annex (24,000 less those released)", population["al-hol"] + population["al-hol-annex"], f.AlHol.Total - f.Released},
		{"nationalities (60)", st.Nationalities, f.Nationalities},
		{"transferred (7,000)", st.Transfer.Done, f.Transferred},
		{"transfer target", st.Transfer.Target, f.Transferred},
		{"persons by status", byStatus, st.Persons},
	}
	if len(f.Transfers) < 3 {
		t.Fatalf("scenario has %d transfer milestones, want 3", len(f.Transfers))
	}
	for _, m := range f.Transfers { // 150 by 2026-01-21, 4,583 by 2026-02-05, 7,000 in all
		day := m.By.AddDate(0, 0, -1).Format(time.DateOnly)
		figures = append(figures, struct {
			name      string
			got, want int
		}{"transferred by " + day, cumulative[day], m.Cumulative})
	}
	for _, c := range figures {
		if c.got != c.want || c.want == 0 {
			t.Errorf("%s: stats say %d, the scenario %d", c.name, c.got, c.want)
		}
	}

	r = runOK(t, nil, "verify", "--db", db)
	if want := fmt.Sprintf("ok: %d entries", st.LogEntries); !strings.HasPrefix(r.stdout, want) || st.LogEntries < int64(st.Persons) {
		t.Errorf("verify printed %q, want %q...", r.stdout, want)
	}
}

// copyDB copies a closed database and its key file to a new directory.
func copyDB(t *testing.T, db string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(db))
	for _, suffix := range []string{"", "-wal", "-shm", ".key"} {
		in, err := os.Open(db + suffix)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		fi, err := in.Stat()
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.OpenFile(dst+suffix, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(out, in)
		in.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestVerifyTampered(t *testing.T) {
	db := copyDB(t, demoDB(t))
	conn, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	var id string
	if err := conn.QueryRow(`SELECT id FROM persons WHERE status = 'held' ORDER BY id LIMIT 1 OFFSET 1000`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`UPDATE persons SET status = 'released', facility_id = NULL WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	r := run(context.Background(), nil, "verify", "--db", db)
	if r.code != 2 {
		t.Errorf("verify of a tampered database: exit %d, want 2\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"persons", id, "status"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("verify's message %q does not name %q", r.stderr, want)
		}
	}
	if strings.Contains(r.stdout, "ok:") {
		t.Errorf("verify of a tampered database printed %q", r.stdout)
	}
}

// startServe runs custody args (a command that serves) in-process until
// the test ends, and returns the address it listens on and its output.
func startServe(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	m := &Main{Stdout: stdout, Stderr: stderr, Getenv: func(string) string { return "" }, Ready: func(a string) { addrc <- a }}
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, args) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("custody %s exited %d after cancel: %s", args[0], code, stderr.String())
			}
		case <-time.After(15 * time.Second):
			t.Errorf("custody %s did not stop after its context ended", args[0])
		}
	})
	select {
	case addr := <-addrc:
		return addr, stdout
	case code := <-done:
		t.Fatalf("custody %s exited %d before listening: %s", args[0], code, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("custody %s did not listen within 60s", args[0])
	}
	return "", nil
}

// browser is an HTTP client that keeps cookies and does not follow
// redirects, so that a test sees them.
func browser(t *testing.T, tr http.RoundTripper) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Transport:     tr,
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// fetch does a request and returns the response and its body.
func fetch(t *testing.T, c *http.Client, method, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	return resp, string(b)
}

func TestServe(t *testing.T) {
	db := copyDB(t, demoDB(t)) // signing in writes a session
	logins := demoTable(t, demo.out)
	addr, stdout := startServe(t, "serve", "--addr", "127.0.0.1:0", "--db", db)
	base := "http://" + addr
	if want := "open " + base + "/login in a browser"; !strings.Contains(stdout.String(), want) {
		t.Errorf("serve's banner does not say %q:\n%s", want, stdout.String())
	}
	c := browser(t, nil)

	// Nobody signed in: the dashboard sends a browser to sign in.
	resp, body := fetch(t, c, "GET", base+"/", nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("GET / with no session: %d, Location %q; want 303 to /login\n%.300s", resp.StatusCode, loc, body)
	}

	// Public: the status (origin, verifier key, checkpoint) and the checkpoint.
	key, err := ledger.ReadKeyFileVerifier(db + ".key")
	if err != nil {
		t.Fatal(err)
	}
	resp, body = fetch(t, c, "GET", base+"/api/v1/status", nil)
	var status map[string]any
	if err := json.Unmarshal([]byte(body), &status); resp.StatusCode != http.StatusOK || err != nil {
		t.Errorf("GET /api/v1/status: %d, %v:\n%.500s", resp.StatusCode, err, body)
	}
	if cp, _ := status["checkpoint"].(string); status["origin"] != "custody.local/demo" || status["verifier_key"] != key || !strings.HasPrefix(cp, "custody.local/demo\n") {
		t.Errorf("GET /api/v1/status does not give the origin custody.local/demo, the verifier key %s and the checkpoint:\n%.800s", key, body)
	}
	resp, body = fetch(t, c, "GET", base+"/checkpoint", nil)
	lines := strings.Split(body, "\n")
	if resp.StatusCode != http.StatusOK || len(lines) < 3 || lines[0] != "custody.local/demo" {
		t.Errorf("GET /checkpoint: %d, first line %q, want the origin:\n%s", resp.StatusCode, lines[0], body)
	} else if _, _, err := ledger.OpenCheckpoint([]byte(body), key, "custody.local/demo"); err != nil {
		t.Errorf("the served checkpoint does not verify with the key file's verifier: %v", err)
	}

	// Signed in as a demo user with the password the demo printed.
	monitor, ok := logins["monitor"]
	if !ok {
		t.Fatalf("the demo printed no monitor: %v", logins)
	}
	resp, body = fetch(t, c, "POST", base+"/login", url.Values{"name": {"monitor"}, "password": {monitor[0]}})
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("POST /login as monitor: %d, cookies %v; want 303 with a session cookie\n%.500s", resp.StatusCode, resp.Cookies(), body)
	}
	resp, body = fetch(t, c, "GET", base+"/", nil)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET / signed in: %d, want 200\n%.500s", resp.StatusCode, body)
	}
}

// selfSigned writes a self-signed ECDSA certificate for 127.0.0.1 and its
// key to dir and returns their files and the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "custody test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	db := smallDB(t, 10)
	const pw = "a test password"
	if r := runStdin(context.Background(), pw+"\n", "user", "add", "--db", db, "--name", "tls.monitor", "--role", "monitor", "--password-stdin"); r.code != 0 {
		t.Fatalf("user add: exit %d: %s", r.code, r.stderr)
	}
	certFile, keyFile, cert := selfSigned(t, dir)

	usage := []struct {
		name string
		args []string
		code int
		say  string
	}{
		{"cert without key", []string{"--tls-cert", certFile}, 2, "--tls-key is missing"},
		{"key without cert", []string{"--tls-key", keyFile}, 2, "--tls-cert is missing"},
		{"no such cert", []string{"--tls-cert", filepath.Join(dir, "none.pem"), "--tls-key", keyFile}, 1, "--tls-cert " + filepath.Join(dir, "none.pem")},
		{"key of another cert", []string{"--tls-cert", certFile, "--tls-key", certFile}, 1, "--tls-key " + certFile},
	}
	for _, tc := range usage {
		for _, cmd := range []string{"serve", "demo"} {
			t.Run(cmd+" "+tc.name, func(t *testing.T) {
				target := db
				if cmd == "demo" {
					target = filepath.Join(dir, "demo.db") // refused before anything is written
				}
				args := append([]string{cmd, "--db", target, "--addr", "127.0.0.1:0"}, tc.args...)
				r := run(context.Background(), nil, args...)
				if r.code != tc.code || !strings.Contains(r.stderr, tc.say) {
					t.Errorf("custody %v: exit %d, stderr %q; want exit %d saying %q", args, r.code, r.stderr, tc.code, tc.say)
				}
				if _, err := os.Stat(filepath.Join(dir, "demo.db")); err == nil {
					t.Errorf("a refused demo created its database")
				}
			})
		}
	}

	addr, stdout := startServe(t, "serve", "--addr", "127.0.0.1:0", "--db", db, "--tls-cert", certFile, "--tls-key", keyFile, "--site", "Hasakah")
	base := "https://" + addr
	if want := "open " + base + "/login"; !strings.Contains(stdout.String(), want) {
		t.Errorf("serve's banner does not say %q:\n%s", want, stdout.String())
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	c := browser(t, &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}})

	resp, body := fetch(t, c, "GET", base+"/checkpoint", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, sqlstore.DefaultOrigin+"\n") || resp.TLS == nil {
		t.Errorf("GET /checkpoint over HTTPS: %d (TLS %v):\n%s", resp.StatusCode, resp.TLS != nil, body)
	}
	if hsts := resp.Header.Get("Strict-Transport-Security"); hsts == "" {
		t.Errorf("no Strict-Transport-Security over HTTPS")
	}

	resp, body = fetch(t, c, "POST", base+"/login", url.Values{"name": {"tls.monitor"}, "password": {pw}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /login: %d, want 303:\n%.500s", resp.StatusCode, body)
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if strings.Contains(ck.Name, "session") {
			session = ck
		}
	}
	switch {
	case session == nil:
		t.Errorf("POST /login set no session cookie: %v", resp.Header["Set-Cookie"])
	case !session.Secure || !session.HttpOnly || session.Value == "":
		t.Errorf("the session cookie over HTTPS is %q: want Secure and HttpOnly", resp.Header["Set-Cookie"])
	}
}

func TestBench(t *testing.T) {
	r := runOK(t, nil, "bench", "--entries", "20000", "--single", "200", "--proofs", "200")
	got := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			t.Errorf("bench line %q is not \"name value\"", sc.Text())
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			t.Errorf("bench line %q: %v", sc.Text(), err)
		}
		got[name] = v
	}
	for _, name := range []string{"append_batched_events_per_s", "append_single_events_per_s", "verify_events_per_s", "inclusion_proof_us"} {
		if v, ok := got[name]; !ok || v <= 0 {
			t.Errorf("bench: %s = %v (printed: %v), want a positive number\n%s", name, v, ok, r.stdout)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string // what the message must say
	}{
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"no command", nil, 2, ""},
		{"unknown flag", []string{"verify", "--no-such-flag"}, 2, "no-such-flag"},
		{"bad flag value", []string{"bench", "--entries", "many"}, 2, "invalid value"},
		{"unexpected argument", []string{"stats", "--db", "x.db", "extra"}, 2, `unexpected argument "extra"`},
		{"flag of another command", []string{"init", "--json"}, 2, "json"},
		{"help", []string{"help"}, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			r := run(context.Background(), map[string]string{"CUSTODY_DB": filepath.Join(dir, "c.db")}, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("custody %v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, r.code, r.stderr, tc.code, tc.stderr)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("custody %v with bad usage created %v", tc.args, entries)
			}
		})
	}
}

func TestDemoRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.db")
	runOK(t, nil, "init", "--db", real)
	notCustody := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(notCustody, []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{real, notCustody} {
		before, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		key, _ := os.ReadFile(db + ".key")
		r := run(context.Background(), nil, "demo", "--load-only", "--db", db)
		if r.code == 0 || !strings.Contains(r.stderr, "choose another --db") {
			t.Errorf("demo over %s: exit %d, stderr %q; want a refusal", filepath.Base(db), r.code, r.stderr)
		}
		after, err := os.ReadFile(db)
		if err != nil || !bytes.Equal(before, after) {
			t.Errorf("demo changed %s (%v)", filepath.Base(db), err)
		}
		if k, _ := os.ReadFile(db + ".key"); !bytes.Equal(key, k) {
			t.Errorf("demo changed the key file of %s", filepath.Base(db))
		}
	}
	runOK(t, nil, "verify", "--db", real)
}
