package main

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/password"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// runStdin runs custody in-process with stdin as its standard input.
func runStdin(ctx context.Context, stdin string, args ...string) result {
	var stdout, stderr syncBuffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader(stdin), Getenv: func(string) string { return "" }}
	code := m.Run(ctx, args)
	return result{code, stdout.String(), stderr.String()}
}

// smallDB creates a small log: the synthetic world's authorities (sdf,
// iraq-moj) and facilities (storetest.PrisonA…) and persons persons held
// in PrisonA.
func smallDB(t *testing.T, persons int) string {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "small.db")
	if _, err := sqlstore.Init(ctx, sqlstore.Config{DB: db}); err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.MustAppend(t, s, storetest.Setup("small"))
	if persons > 0 {
		storetest.MustAppend(t, s, storetest.Registrations("small", 0, persons, storetest.PrisonA))
	}
	return db
}

// storedUser reads a user and their password hash from db.
func storedUser(t *testing.T, db, name string) (*custody.User, string) {
	t.Helper()
	s, err := sqlstore.OpenReadOnly(context.Background(), sqlstore.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, hash, err := s.User(context.Background(), name)
	if err != nil {
		t.Fatalf("user %s: %v", name, err)
	}
	return u, hash
}

// printedPassword returns the password on the "password: " line of out.
func printedPassword(t *testing.T, out string) string {
	t.Helper()
	for line := range strings.Lines(out) {
		if pw, ok := strings.CutPrefix(strings.TrimSpace(line), "password: "); ok {
			return pw
		}
	}
	t.Fatalf("no password line in:\n%s", out)
	return ""
}

func TestUserAdd(t *testing.T) {
	db := smallDB(t, 0)
	const pw = "correct horse battery"
	cases := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		output string // what stdout (success) or stderr (failure) must say
		role   custody.Role
		// password: "generated", "stdin" or "" (machine user)
		password string
	}{
		{"registrar with generated password", []string{"--name", "reg.a", "--role", "registrar", "--authority", "sdf", "--facility", string(storetest.PrisonA), "--facility", string(storetest.PrisonB)}, "", 0,
			"facilities bench-prison-a, bench-prison-b", custody.RoleRegistrar, "generated"},
		{"facilities separated by commas", []string{"--name", "reg.b", "--role", "registrar", "--authority", "sdf", "--facility", "bench-prison-a,bench-hospital"}, "", 0,
			"facilities bench-prison-a, bench-hospital", custody.RoleRegistrar, "generated"},
		{"consular from stdin, nationality upper-cased", []string{"--name", "consul.se", "--role", "consular", "--nationality", "se", "--nationality", "TN", "--password-stdin"}, pw + "\n", 0,
			"nationals of SE, TN", custody.RoleConsular, "stdin"},
		{"machine monitor", []string{"--name", "feed", "--role", "monitor", "--no-password"}, "", 0,
			"API tokens only", custody.RoleMonitor, ""},
		{"unknown facility", []string{"--name", "x", "--role", "registrar", "--authority", "sdf", "--facility", "sy-xyz"}, "", 1,
			"--facility sy-xyz: no such facility", "", ""},
		{"unknown authority", []string{"--name", "x", "--role", "escort", "--authority", "nato"}, "", 1,
			"--authority nato: no such authority", "", ""},
		{"unknown role", []string{"--name", "x", "--role", "clerk"}, "", 1,
			`--role: role "clerk" is not one of`, "", ""},
		{"registrar without facility", []string{"--name", "x", "--role", "registrar", "--authority", "sdf"}, "", 1,
			"a registrar needs at least one facility", "", ""},
		{"escort without authority", []string{"--name", "x", "--role", "escort"}, "", 1,
			"authority is empty", "", ""},
		{"facility of a non-registrar", []string{"--name", "x", "--role", "monitor", "--facility", "bench-prison-a"}, "", 1,
			"only a registrar has facilities", "", ""},
		{"bad nationality", []string{"--name", "x", "--role", "consular", "--nationality", "SWE"}, "", 1,
			`nationality "SWE" is not an ISO 3166-1 alpha-2 code`, "", ""},
		{"upper-case name", []string{"--name", "Bob", "--role", "monitor"}, "", 1,
			"only lower-case letters", "", ""},
		{"short password", []string{"--name", "x", "--role", "monitor", "--password-stdin"}, "short\n", 1,
			"--password-stdin: a password needs at least 12 characters", "", ""},
		{"empty stdin", []string{"--name", "x", "--role", "monitor", "--password-stdin"}, "", 1,
			"--password-stdin: no password on standard input", "", ""},
		{"existing user", []string{"--name", "feed", "--role", "monitor"}, "", 1,
			"--name feed: the user already exists", "", ""},
		{"no name", []string{"--role", "monitor"}, "", 2, "--name is required", "", ""},
		{"no role", []string{"--name", "x"}, "", 2, "--role is required", "", ""},
		{"both password flags", []string{"--name", "x", "--role", "monitor", "--password-stdin", "--no-password"}, "", 2,
			"exclude each other", "", ""},
		{"empty facility", []string{"--name", "x", "--role", "registrar", "--authority", "sdf", "--facility", "a,,b"}, "", 2,
			"empty value", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"user", "add", "--db", db}, tc.args...)
			r := runStdin(context.Background(), tc.stdin, args...)
			out := r.stdout
			if tc.code != 0 {
				out = r.stderr
			}
			if r.code != tc.code || !strings.Contains(out, tc.output) {
				t.Fatalf("custody %s: exit %d, want %d saying %q\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, tc.code, tc.output, r.stdout, r.stderr)
			}
			if tc.code != 0 {
				if tc.code == 1 && !strings.HasPrefix(r.stderr, "custody user: ") {
					t.Errorf("the error does not say which command failed: %q", r.stderr)
				}
				return
			}
			name := tc.args[1]
			u, hash := storedUser(t, db, name)
			if u.Role != tc.role {
				t.Errorf("stored role %s, want %s", u.Role, tc.role)
			}
			switch tc.password {
			case "generated":
				if err := password.Check(printedPassword(t, r.stdout), hash); err != nil {
					t.Errorf("the printed password does not sign in: %v", err)
				}
			case "stdin":
				if strings.Contains(r.stdout, "password: ") {
					t.Errorf("a password given on stdin was printed:\n%s", r.stdout)
				}
				if err := password.Check(pw, hash); err != nil {
					t.Errorf("the password given on stdin does not sign in: %v", err)
				}
			case "":
				if hash != "" {
					t.Errorf("a machine user has a password hash")
				}
			}
		})
	}

	r := runOK(t, nil, "user", "list", "--db", db)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 5 || !slices.Equal(strings.Fields(lines[0]), []string{"NAME", "ROLE", "AUTHORITY", "SCOPE", "DISABLED", "PASSWORD", "TOKENS", "CREATED"}) {
		t.Fatalf("user list: want a header and 4 users:\n%s", r.stdout)
	}
	rows := map[string][]string{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		rows[f[0]] = f
	}
	for name, want := range map[string]string{
		"consul.se": "consul.se consular - SE,TN no yes 0",
		"feed":      "feed monitor - all persons no no 0",
		"reg.a":     "reg.a registrar sdf bench-prison-a, bench-prison-b no yes 0",
	} {
		if got := strings.Join(rows[name], " "); !strings.HasPrefix(got, want) {
			t.Errorf("user list row of %s:\n got %q\nwant %q…", name, got, want)
		}
	}
}

func TestUserLifecycle(t *testing.T) {
	db := smallDB(t, 0)
	ctx := context.Background()
	runOK(t, nil, "user", "add", "--db", db, "--name", "esc", "--role", "escort", "--authority", "iraq-moj")

	// A token, printed alone on stdout so that scripts can take it.
	r := runOK(t, nil, "user", "token", "esc", "--db", db, "--label", "field laptop")
	tok := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(tok, "cst_") || strings.Contains(tok, "\n") {
		t.Fatalf("user token printed %q, want one cst_ token", r.stdout)
	}
	tokenUser := func() error {
		s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: db})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		_, err = s.TokenUser(ctx, tok)
		return err
	}
	if err := tokenUser(); err != nil {
		t.Fatalf("the new token is refused: %v", err)
	}
	listed := func(name string) []string {
		t.Helper()
		r := runOK(t, nil, "user", "list", "--db", db)
		for line := range strings.Lines(r.stdout) {
			if f := strings.Fields(line); len(f) > 0 && f[0] == name {
				return f
			}
		}
		t.Fatalf("%s not listed:\n%s", name, r.stdout)
		return nil
	}
	// esc escort iraq-moj its moves DISABLED PASSWORD TOKENS date time
	if f := listed("esc"); f[5] != "no" || f[7] != "1" {
		t.Errorf("user list after a token: %v, want disabled no, 1 token", f)
	}

	// Disabled: the token stops working, and comes back with enable.
	r = runOK(t, nil, "user", "disable", "--db", db, "esc")
	if !strings.Contains(r.stdout, "disabled esc") {
		t.Errorf("disable printed %q", r.stdout)
	}
	if err := tokenUser(); custody.ErrorCode(err) != custody.Unauthenticated {
		t.Errorf("the token of a disabled user: %v, want refused", err)
	}
	if f := listed("esc"); f[5] != "yes" {
		t.Errorf("user list after disable: %v", f)
	}
	runOK(t, nil, "user", "enable", "esc", "--db", db)
	if err := tokenUser(); err != nil {
		t.Errorf("the token after enable: %v", err)
	}

	// A new password, generated, ends the sessions.
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	sess, _, err := s.NewSession(ctx, "esc", time.Hour)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	r = runOK(t, nil, "user", "password", "esc", "--db", db)
	_, hash := storedUser(t, db, "esc")
	if err := password.Check(printedPassword(t, r.stdout), hash); err != nil {
		t.Errorf("the new printed password does not sign in: %v", err)
	}
	if s, err = sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: db}); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionOf(ctx, sess)
	s.Close()
	if custody.ErrorCode(err) != custody.Unauthenticated {
		t.Errorf("a session after the password changed: %v, want ended", err)
	}
	// From stdin.
	r = runStdin(ctx, "a new long password\r\n", "user", "password", "--db", db, "--password-stdin", "esc")
	if r.code != 0 || strings.Contains(r.stdout, "password: ") {
		t.Fatalf("user password --password-stdin: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, hash := storedUser(t, db, "esc"); password.Check("a new long password", hash) != nil {
		t.Errorf("the password from stdin (a CRLF line) does not sign in")
	}

	// Revoked.
	runOK(t, nil, "user", "token", "esc", "--db", db)
	r = runOK(t, nil, "user", "token", "esc", "--db", db, "--revoke")
	if !strings.Contains(r.stdout, "revoked 2 API token(s) of esc") {
		t.Errorf("revoke printed %q", r.stdout)
	}
	if err := tokenUser(); err == nil {
		t.Errorf("a revoked token still works")
	}
}

func TestUserUsage(t *testing.T) {
	db := smallDB(t, 0)
	cases := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"user"}, 2, "Usage: custody user"},
		{[]string{"user", "frobnicate"}, 2, `unknown subcommand "frobnicate"`},
		{[]string{"user", "help"}, 0, ""},
		{[]string{"user", "disable", "--db", db}, 2, "the user's NAME is missing"},
		{[]string{"user", "disable", "--db", db, "a", "b"}, 2, `unexpected argument "b"`},
		{[]string{"user", "disable", "--db", db, "nobody"}, 1, `custody user: no user "nobody"`},
		{[]string{"user", "enable", "nobody", "--db", db}, 1, `no user "nobody"`},
		{[]string{"user", "password", "nobody", "--db", db}, 1, `no user "nobody"`},
		{[]string{"user", "token", "nobody", "--db", db}, 1, `no user "nobody"`},
		{[]string{"user", "token", "x", "--db", db, "--revoke", "--label", "l"}, 2, "takes no --label"},
		{[]string{"user", "list", "--db", filepath.Join(t.TempDir(), "none.db")}, 1, "no such database"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := run(context.Background(), nil, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("custody %v: exit %d, stderr %q; want exit %d saying %q", tc.args, r.code, r.stderr, tc.code, tc.stderr)
			}
		})
	}
	if r := run(context.Background(), nil, "user", "list", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "no users yet") {
		t.Errorf("user list of no users: exit %d, %q", r.code, r.stdout)
	}
}

func TestStringList(t *testing.T) {
	cases := []struct {
		sets []string
		want []string
		err  bool
	}{
		{[]string{"a"}, []string{"a"}, false},
		{[]string{"a", "b"}, []string{"a", "b"}, false},
		{[]string{"a, b", "c"}, []string{"a", "b", "c"}, false},
		{[]string{""}, nil, true},
		{[]string{"a,"}, nil, true},
	}
	for _, tc := range cases {
		var l stringList
		var err error
		for _, s := range tc.sets {
			if err = l.Set(s); err != nil {
				break
			}
		}
		if (err != nil) != tc.err || !tc.err && !slices.Equal(l, tc.want) {
			t.Errorf("Set(%q…): %v, %v; want %v (error %t)", tc.sets, l, err, tc.want, tc.err)
		}
	}
}

// demoTable returns the sign-in table the demo printed: name → password,
// role and scope.
func demoTable(t *testing.T, out string) map[string][3]string {
	t.Helper()
	rows := map[string][3]string{}
	in := false
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		switch {
		case len(f) >= 4 && f[0] == "NAME" && f[1] == "PASSWORD":
			in = true
		case in && len(f) >= 4:
			rows[f[0]] = [3]string{f[1], f[2], strings.Join(f[3:], " ")}
		case in:
			in = false
		}
	}
	if len(rows) == 0 {
		t.Fatalf("no sign-in table in:\n%s", out)
	}
	return rows
}

func TestDemoUsers(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	if !strings.Contains(demo.out, "sign in at http://127.0.0.1:8080/login") {
		t.Errorf("demo --load-only does not say where to sign in:\n%s", demo.out)
	}
	table := demoTable(t, demo.out)
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	count := func(cs []sqlstore.Count, key string) int {
		for _, c := range cs {
			if c.Key == key {
				return c.N
			}
		}
		return 0
	}
	moves, err := s.Moves(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var roles []custody.Role
	for name, row := range table {
		u, hash, err := s.User(ctx, name)
		if err != nil {
			t.Errorf("demo printed %s, not in the database: %v", name, err)
			continue
		}
		roles = append(roles, u.Role)
		if string(u.Role) != row[1] || scopeText(u) != row[2] {
			t.Errorf("demo printed %s as %s, %q; stored as %s, %q", name, row[1], row[2], u.Role, scopeText(u))
		}
		if err := password.Check(row[0], hash); err != nil {
			t.Errorf("%s: the printed password does not sign in: %v", name, err)
		}
		// Each scope holds something to look at.
		switch u.Role {
		case custody.RoleRegistrar:
			for _, f := range u.Facilities {
				if fs, err := s.Facility(ctx, f); err != nil || fs.Count < 200 || fs.Controller != u.Authority {
					t.Errorf("registrar's facility %s: %v, want one of its authority's with persons held", f, err)
				}
			}
		case custody.RoleConsular:
			// The Russian consul follows a large group; the Swedish and
			// French ones the nationals with cases, notifications and
			// the repatriation (SCENARIO.md: Sweden's few).
			for _, n := range u.Nationalities {
				if c := count(st.ByNationality, n); c < 20 {
					t.Errorf("consular officer of %s: %d nationals, want a group to follow", n, c)
				}
			}
		case custody.RoleJudicial, custody.RoleReceiver:
			if c := count(st.ByAuthority, string(u.Authority)); c < 1000 {
				t.Errorf("%s of %s: %d persons held by it", u.Role, u.Authority, c)
			}
		case custody.RoleEscort:
			n := 0
			for _, m := range moves {
				if m.Escort == u.Authority {
					n++
				}
			}
			if n < 10 {
				t.Errorf("escort of %s: %d moves escorted", u.Authority, n)
			}
		}
	}
	slices.Sort(roles)
	roles = slices.Compact(roles)
	want := slices.Clone(custody.Roles)
	slices.Sort(want)
	if !slices.Equal(roles, want) {
		t.Errorf("demo users' roles %v, want each of %v", roles, want)
	}
}

// TestDemoUsersAgain: on a database that has them, the demo users get new
// passwords rather than an error.
func TestDemoUsersAgain(t *testing.T) {
	db := copyDB(t, demoDB(t))
	old := demoTable(t, demo.out)
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	logins, err := demoLogins(ctx, s)
	if err != nil {
		t.Fatalf("demo users again: %v", err)
	}
	if len(logins) != len(demoUsers()) {
		t.Errorf("%d logins, want %d", len(logins), len(demoUsers()))
	}
	for _, l := range logins[:2] { // each check takes a third of a second
		_, hash, err := s.User(ctx, l.User.Name)
		if err != nil {
			t.Fatal(err)
		}
		if l.Password == old[l.User.Name][0] || password.Check(l.Password, hash) != nil {
			t.Errorf("%s: the new password %q is not the one set", l.User.Name, l.Password)
		}
		if err := password.Check(old[l.User.Name][0], hash); !errors.Is(err, password.ErrMismatch) {
			t.Errorf("%s: the old password still signs in (%v)", l.User.Name, err)
		}
	}
	var buf strings.Builder
	printLogins(&buf, "https://custody.example", logins)
	if table := demoTable(t, buf.String()); len(table) != len(logins) || !strings.Contains(buf.String(), "https://custody.example/login") {
		t.Errorf("printLogins:\n%s", buf.String())
	}
}
