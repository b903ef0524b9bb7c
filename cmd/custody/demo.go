package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/scenario"
	"github.com/opencustody/custody/sqlstore"
)

func (m *Main) runDemo(ctx context.Context, args []string) error {
	fs := m.flags("demo")
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	seed := fs.Uint64("seed", 1, "`seed` of the generated population (the same seed gives the same operation)")
	loadOnly := fs.Bool("load-only", false, "load the demo and exit instead of serving it")
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address` (host:port; port 0 picks a free one)")
	if err := parse(fs, args); err != nil {
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
	if *loadOnly {
		fmt.Fprintf(m.Stdout, "next: custody stats --db %s; custody verify --db %s; custody serve --db %s\n", *db, *db, *db)
		return nil
	}
	return m.serve(ctx, s, *addr, log)
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
	err := scenario.Generate(ctx, cfg, func(req []custody.Event) error {
		buf = append(buf, req)
		if len(buf) == chunk {
			return flush()
		}
		return nil
	})
	if err != nil {
		return total, err
	}
	if len(buf) > 0 {
		if err := flush(); err != nil {
			return total, err
		}
	}
	return total, wait()
}
