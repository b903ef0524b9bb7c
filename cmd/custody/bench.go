package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// runBench measures the ledger on a fresh temporary database: durable
// batched appends, one event per transaction, a full verify, and inclusion
// proofs at the final size. One line per figure, "name value".
func (m *Main) runBench(ctx context.Context, args []string) error {
	fs := m.flags("bench")
	entries := fs.Int("entries", 200_000, "log `entries` to append in batches (registrations are two events each)")
	single := fs.Int("single", 2000, "events to append one per transaction")
	proofs := fs.Int("proofs", 2000, "inclusion proofs to time")
	if err := parse(fs, args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "custody-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg := sqlstore.Config{DB: filepath.Join(dir, "bench.db")}
	if _, err := sqlstore.Init(ctx, cfg); err != nil {
		return err
	}
	s, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	check := func(res []sqlstore.Result, err error) error {
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
	if err := check(s.AppendBatch(ctx, storetest.Setup("bench"))); err != nil {
		return err
	}

	// Batched: 1,000 registrations (2,000 events) a batch, the next batch
	// prepared while the last commits.
	persons := max(*entries/2, 1000)
	start := time.Now()
	var pending *sqlstore.Pending
	for i := 0; i < persons; i += 1000 {
		p, err := s.Submit(ctx, storetest.Registrations("bench", i, min(1000, persons-i), storetest.PrisonA))
		if err != nil {
			return err
		}
		if pending != nil {
			if err := check(pending.Wait(), nil); err != nil {
				return err
			}
		}
		pending = p
	}
	if err := check(pending.Wait(), nil); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "append_batched_events_per_s %.0f\n", float64(2*persons)/time.Since(start).Seconds())

	// One event per transaction: transfers between two prisons.
	start = time.Now()
	for n := range *single {
		from, to := storetest.PrisonA, storetest.PrisonB
		if (n/persons)%2 == 1 {
			from, to = to, from
		}
		if _, err := s.Append(ctx, storetest.Transfer("bench", n, n%persons, from, to)...); err != nil {
			return err
		}
	}
	fmt.Fprintf(m.Stdout, "append_single_events_per_s %.0f\n", float64(*single)/time.Since(start).Seconds())

	tuneGC() // as custody verify does
	start = time.Now()
	rep, err := s.Verify(ctx, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "verify_events_per_s %.0f\n", float64(rep.Entries)/time.Since(start).Seconds())

	r := rand.New(rand.NewPCG(1, 2))
	start = time.Now()
	for range *proofs {
		if _, err := s.InclusionProof(ctx, rep.Entries, r.Int64N(rep.Entries)); err != nil {
			return err
		}
	}
	fmt.Fprintf(m.Stdout, "inclusion_proof_us %.1f\n", float64(time.Since(start).Microseconds())/float64(*proofs))
	fmt.Fprintf(m.Stdout, "entries %d\n", rep.Entries)
	return nil
}
