package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"text/tabwriter"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/password"
	"github.com/opencustody/custody/scenario"
	"github.com/opencustody/custody/sqlstore"
)

func (m *Main) runDemo(ctx context.Context, args []string) error {
	fs := m.flags("demo")
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	seed := fs.Uint64("seed", 1, "`seed` of the generated population (the same seed gives the same operation)")
	loadOnly := fs.Bool("load-only", false, "load the demo and exit instead of serving it")
	o := serveFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(m.Stderr, "demo"); err != nil {
		return err
	}
	cfg := sqlstore.Config{DB: *db, KeyFile: *key, Origin: "custody.local/demo"}
	if err := removeOldDemo(ctx, cfg); err != nil {
		return err
	}
	log := m.logger()
	if _, err := sqlstore.Init(ctx, cfg); err != nil {
		return err
	}
	cfg.Logger = log
	s, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	fig := scenario.Figures()
	if err := s.SetMeta(ctx, "demo_seed", strconv.FormatUint(*seed, 10)); err != nil {
		return err
	}
	if err := s.SetMeta(ctx, "transfer_target", strconv.Itoa(fig.Transferred)); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "loading the demo operation (seed %d) into %s ...\n", *seed, *db)
	start := time.Now()
	n, err := loadDemo(ctx, s, scenario.Config{Seed: *seed})
	if err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	size, err := s.Size(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "loaded %d requests, %d log entries in %s (Go heap in use %d MiB)\n",
		n, size, time.Since(start).Round(time.Millisecond), ms.HeapInuse>>20)
	fmt.Fprintf(m.Stdout, "verifier key: %s\n", s.VerifierKey())
	fmt.Fprintf(m.Stdout, "the transfer's moves: custody moves --db %s; custody alerts --db %s --all; custody receipt --db %s --move MV-20260121-01 --out receipt.pdf\n", *db, *db, *db)
	logins, err := demoLogins(ctx, s)
	if err != nil {
		return err
	}
	if *loadOnly {
		fmt.Fprintf(m.Stdout, "next: custody stats --db %s; custody verify --db %s; custody serve --db %s\n", *db, *db, *db)
		printLogins(m.Stdout, o.url(o.addr), logins)
		return nil
	}
	o.banner = func(url string) { printLogins(m.Stdout, url, logins) }
	return m.serve(ctx, s, o, log)
}

// demoUsers are the demo's users, at least one of each role (in
// custody.Roles' order), each scoped to what makes the role worth trying on the demo
// operation: the SDF registrar of Gweiran, where most of the men
// transferred come from, and of al-Areesha, a large camp the SDF still
// runs; the CENTCOM planner and escort of the transfer's moves; the
// Iraqi Ministry of Justice receiving and holding those transferred; a
// Russian consular officer (Russians are the largest foreign nationality
// held), and the Swedish and French ones, whose nationals have cases,
// death-penalty alerts and (Sweden) a completed repatriation; an
// independent monitor and a family desk.
func demoUsers() []custody.User {
	return []custody.User{
		{Name: "admin", Role: custody.RoleAdmin, Authority: "sdf"},
		{Name: "registrar", Role: custody.RoleRegistrar, Authority: "sdf", Facilities: []custody.FacilityID{"gweiran", "areesha"}},
		{Name: "planner", Role: custody.RolePlanner, Authority: "centcom"},
		{Name: "escort", Role: custody.RoleEscort, Authority: "centcom"},
		{Name: "receiver", Role: custody.RoleReceiver, Authority: "iraq-moj"},
		{Name: "judicial", Role: custody.RoleJudicial, Authority: "iraq-moj"},
		{Name: "consular", Role: custody.RoleConsular, Authority: "state-ru", Nationalities: []string{"RU"}},
		{Name: "consul-se", Role: custody.RoleConsular, Authority: "state-se", Nationalities: []string{"SE"}},
		{Name: "consul-fr", Role: custody.RoleConsular, Authority: "state-fr", Nationalities: []string{"FR"}},
		{Name: "monitor", Role: custody.RoleMonitor},
		{Name: "family", Role: custody.RoleFamilyDesk},
	}
}

// demoLogin is a demo user and their new password.
type demoLogin struct {
	User     custody.User
	Password string
}

// demoLogins adds the demo users to s with new generated passwords, or,
// for those already there, sets them a new password; it returns the users
// as stored with their passwords.
func demoLogins(ctx context.Context, s *sqlstore.Store) ([]demoLogin, error) {
	var out []demoLogin
	for _, u := range demoUsers() {
		if err := checkUserRefs(ctx, s, &u); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.Name, err)
		}
		pw := password.Generate()
		hash, err := password.Hash(pw, password.Default)
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.Name, err)
		}
		err = s.AddUser(ctx, u, hash)
		if custody.ErrorCode(err) == custody.Conflict {
			err = s.SetPassword(ctx, u.Name, hash)
			if err == nil {
				var stored *custody.User
				if stored, _, err = s.User(ctx, u.Name); err == nil {
					u = *stored
				}
			}
		}
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.Name, err)
		}
		out = append(out, demoLogin{User: u, Password: pw})
	}
	return out, nil
}

// printLogins prints where to sign in and the demo users' passwords.
func printLogins(w io.Writer, url string, logins []demoLogin) {
	fmt.Fprintf(w, "\nsign in at %s/login as one of these demo users (new passwords on every run):\n", url)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPASSWORD\tROLE\tSCOPE")
	for _, l := range logins {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.User.Name, l.Password, l.User.Role, scopeText(&l.User))
	}
	tw.Flush()
	fmt.Fprintln(w)
}

// removeOldDemo makes room for a new demo: it removes an earlier demo
// SQLite database at cfg.DB (one with a demo_seed) and its key, and refuses
// to touch anything else. A PostgreSQL demo needs an empty database.
func removeOldDemo(ctx context.Context, cfg sqlstore.Config) error {
	path := cfg.DB
	if sqlstore.IsPostgres(path) {
		if s, err := sqlstore.OpenReadOnly(ctx, cfg); err == nil {
			s.Close()
			return fmt.Errorf("%s already holds a custody log: the demo needs an empty database (drop and create it again)", sqlstore.Redact(path))
		}
		return nil
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: path})
	if err != nil {
		return fmt.Errorf("%s exists and is not a demo database (%v): choose another --db", path, err)
	}
	meta, err := s.Meta(ctx)
	s.Close()
	if err != nil {
		return err
	}
	if _, ok := meta["demo_seed"]; !ok {
		return fmt.Errorf("%s exists and holds a real log, not a demo: choose another --db", path)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", cfg.KeyFilePath()} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove the old demo: %w", err)
		}
	}
	return nil
}

// loadDemo streams the generated operation into s, a few thousand requests
// a transaction, preparing the next batch while the writer commits the
// last. Any rejected request stops the load: the demo must be accepted
// whole.
func loadDemo(ctx context.Context, s *sqlstore.Store, cfg scenario.Config) (int, error) {
	const chunk = 2000
	var (
		buf     [][]custody.Event
		pending *sqlstore.Pending
		pendReq [][]custody.Event
		total   int
	)
	wait := func() error {
		if pending == nil {
			return nil
		}
		for i, r := range pending.Wait() {
			if r.Err != nil {
				e := pendReq[i][0]
				return fmt.Errorf("demo request %d (%s, key %s) rejected: %w", total+i, e.Type, e.Key, r.Err)
			}
		}
		total += len(pendReq)
		pending, pendReq = nil, nil
		return nil
	}
	flush := func() error {
		if err := wait(); err != nil {
			return err
		}
		p, err := s.Submit(ctx, buf)
		if err != nil {
			return err
		}
		pending, pendReq, buf = p, buf, nil
		return nil
	}
	emit := func(req []custody.Event) error {
		buf = append(buf, req)
		if len(buf) == chunk {
			return flush()
		}
		return nil
	}
	finish := func() error {
		if len(buf) > 0 {
			if err := flush(); err != nil {
				return err
			}
		}
		return wait()
	}
	if err := scenario.Generate(ctx, cfg, emit); err != nil {
		return total, err
	}
	if err := finish(); err != nil {
		return total, err
	}
	// The aftermath (cases, notifications delivered, a repatriation) is
	// generated from the state the operation left.
	st, err := s.State(ctx)
	if err != nil {
		return total, err
	}
	if err := scenario.Aftermath(ctx, cfg, st, emit); err != nil {
		return total, err
	}
	return total, finish()
}
