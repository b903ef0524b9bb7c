package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop the bench database

	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// benchOptions are the sizes of one bench run.
type benchOptions struct {
	entries, single, proofs, multi int
}

// runBench measures the ledger on a fresh temporary SQLite database, and
// then, with --postgres, on a fresh database created on that PostgreSQL
// server (and dropped afterwards): durable batched appends, one event per
// transaction, a full verify, inclusion proofs at the final size and four
// writers appending at once. One line per figure, "name value"; the
// PostgreSQL figures are prefixed "pg_".
//
// `custody bench http` measures the web server instead (benchhttp.go).
func (m *Main) runBench(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "http" {
		return m.runBenchHTTP(ctx, args[1:])
	}
	fs := m.flags("bench")
	var o benchOptions
	fs.IntVar(&o.entries, "entries", 200_000, "log `entries` to append in batches (registrations are two events each)")
	fs.IntVar(&o.single, "single", 2000, "events to append one per transaction")
	fs.IntVar(&o.proofs, "proofs", 2000, "inclusion proofs to time")
	fs.IntVar(&o.multi, "multiwriter", 20_000, "`events` four concurrent writers append in all")
	pg := fs.String("postgres", m.Getenv("CUSTODY_BENCH_POSTGRES"), "also bench on a fresh database created on the PostgreSQL server at `URL` (default from CUSTODY_BENCH_POSTGRES)")
	if err := parse(fs, args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "custody-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// The PostgreSQL database is created first, so that a wrong URL or an
	// unreachable server fails at once rather than after the SQLite run.
	var pgDSN string
	if *pg != "" {
		dsn, drop, err := createBenchDatabase(ctx, *pg)
		if err != nil {
			return err
		}
		defer func() {
			if err := drop(); err != nil {
				fmt.Fprintf(m.Stderr, "custody bench: %v\n", err)
			}
		}()
		pgDSN = dsn
	}
	if err := bench(ctx, m.Stdout, sqlstore.Config{DB: filepath.Join(dir, "bench.db")}, o, ""); err != nil {
		return err
	}
	if pgDSN == "" {
		return nil
	}
	return bench(ctx, m.Stdout, sqlstore.Config{DB: pgDSN, KeyFile: filepath.Join(dir, "pg.key")}, o, "pg_")
}

// bench creates a log in cfg.DB and prints its figures, each name
// prefixed.
func bench(ctx context.Context, w io.Writer, cfg sqlstore.Config, o benchOptions, prefix string) error {
	if _, err := sqlstore.Init(ctx, cfg); err != nil {
		return err
	}
	s, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { s.Close() }()
	if err := benchCheck(s.AppendBatch(ctx, storetest.Setup("bench"))); err != nil {
		return err
	}

	// Four writers first, on the small log; then the store is reopened so
	// that it starts from their events rather than catching up with them
	// in the batched figure.
	if err := s.Close(); err != nil {
		return err
	}
	multi, err := benchMultiWriter(ctx, cfg, o.multi)
	if err != nil {
		return err
	}
	if s, err = sqlstore.Open(ctx, cfg); err != nil {
		return err
	}

	// Batched: 1,000 registrations (2,000 events) a batch, the next batch
	// prepared while the last commits.
	persons := max(o.entries/2, 1000)
	start := time.Now()
	var pending *sqlstore.Pending
	for i := 0; i < persons; i += 1000 {
		p, err := s.Submit(ctx, storetest.Registrations("bench", i, min(1000, persons-i), storetest.PrisonA))
		if err != nil {
			return err
		}
		if pending != nil {
			if err := benchCheck(pending.Wait(), nil); err != nil {
				return err
			}
		}
		pending = p
	}
	if err := benchCheck(pending.Wait(), nil); err != nil {
		return err
	}
	fmt.Fprintf(w, "%sappend_batched_events_per_s %.0f\n", prefix, float64(2*persons)/time.Since(start).Seconds())

	// One event per transaction: transfers between two prisons.
	start = time.Now()
	for n := range o.single {
		from, to := storetest.PrisonA, storetest.PrisonB
		if (n/persons)%2 == 1 {
			from, to = to, from
		}
		if _, err := s.Append(ctx, storetest.Transfer("bench", n, n%persons, from, to)...); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%sappend_single_events_per_s %.0f\n", prefix, float64(o.single)/time.Since(start).Seconds())

	tuneGC() // as custody verify does
	start = time.Now()
	rep, err := s.Verify(ctx, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%sverify_events_per_s %.0f\n", prefix, float64(rep.Entries)/time.Since(start).Seconds())

	r := mrand.New(mrand.NewPCG(1, 2))
	start = time.Now()
	for range o.proofs {
		if _, err := s.InclusionProof(ctx, rep.Entries, r.Int64N(rep.Entries)); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%sinclusion_proof_us %.1f\n", prefix, float64(time.Since(start).Microseconds())/float64(max(o.proofs, 1)))
	fmt.Fprintf(w, "%smultiwriter4_events_per_s %.0f\n", prefix, multi)
	fmt.Fprintf(w, "%sentries %d\n", prefix, rep.Entries)
	return nil
}

// benchMultiWriter opens four stores on cfg, each with its own writer and
// connection, so that they contend for the log head as four processes
// would (each catching up with the others' events before it appends), and
// has them append registrations concurrently, 100 requests (200 events) a
// batch, events in all. It returns the total events/s.
func benchMultiWriter(ctx context.Context, cfg sqlstore.Config, events int) (float64, error) {
	const writers, batch = 4, 100
	stores := make([]*sqlstore.Store, 0, writers)
	defer func() {
		for _, s := range stores {
			s.Close()
		}
	}()
	for range writers {
		s, err := sqlstore.Open(ctx, cfg)
		if err != nil {
			return 0, err
		}
		stores = append(stores, s)
	}
	per := max(events/(2*writers), 1) // persons each writer registers
	errs := make([]error, writers)
	var wg sync.WaitGroup
	start := time.Now()
	for w, s := range stores {
		wg.Go(func() {
			prefix := fmt.Sprintf("bench-mw%d", w)
			for i := 0; i < per && errs[w] == nil; i += batch {
				first := (w+1)*100_000_000 + i // apart from the batched figure's persons
				errs[w] = benchCheck(s.AppendBatch(ctx, storetest.Registrations(prefix, first, min(batch, per-i), storetest.PrisonA)))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return 0, fmt.Errorf("multiwriter: %w", err)
	}
	for _, s := range stores {
		if err := s.Close(); err != nil {
			return 0, err
		}
	}
	stores = nil
	return float64(2*writers*per) / elapsed.Seconds(), nil
}

// benchCheck returns the first rejection among results.
func benchCheck(res []sqlstore.Result, err error) error {
	if err != nil {
		return err
	}
	for _, r := range res {
		if r.Err != nil {
			return r.Err
		}
	}
	return nil
}

// createBenchDatabase creates custody_bench_<random> on the PostgreSQL
// server at serverURL and returns its URL and a function that drops it.
func createBenchDatabase(ctx context.Context, serverURL string) (dsn string, drop func() error, err error) {
	if !sqlstore.IsPostgres(serverURL) {
		return "", nil, fmt.Errorf("--postgres %q is not a postgres:// URL", serverURL)
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("--postgres: %v", err)
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	name := "custody_bench_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("postgres: %w", err)
	}
	defer admin.Close()
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(cctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("postgres %s: create database %s: %w", sqlstore.Redact(serverURL), name, err)
	}
	drop = func() error {
		// Dropped even if the bench was interrupted.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := sql.Open("pgx", serverURL)
		if err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		return nil
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}
