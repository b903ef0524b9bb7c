package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// The benchmarks run on each engine side by side, as sub-benchmarks
// "sqlite" and "postgres"; PostgreSQL runs on the server named by
// CUSTODY_TEST_POSTGRES and is skipped without it (failed under
// CUSTODY_TEST_REQUIRE). Every benchmark gets a fresh database:
//
//	go test -run X -bench . ./sqlstore/

// benchEngines runs f as one sub-benchmark per engine.
func benchEngines(b *testing.B, f func(b *testing.B, e storetest.Engine)) {
	b.Run("sqlite", func(b *testing.B) { f(b, storetest.SQLite()) })
	b.Run("postgres", func(b *testing.B) { f(b, storetest.Postgres(storetest.PostgresURL(b))) })
}

// benchNewStore initialises a fresh database on e, opens it and appends
// the synthetic world (storetest.Setup) and persons registrations (two
// events each). The store is closed when the benchmark ends.
func benchNewStore(b *testing.B, e storetest.Engine, persons int) (*sqlstore.Store, sqlstore.Config) {
	b.Helper()
	ctx := context.Background()
	d := e.New(b)
	if _, err := sqlstore.Init(ctx, d.Config); err != nil {
		b.Fatalf("init: %v", err)
	}
	s := benchOpen(b, d.Config)
	benchAppend(b, s, storetest.Setup("bench"))
	for i := 0; i < persons; i += 5000 {
		benchAppend(b, s, storetest.Registrations("bench", i, min(5000, persons-i), storetest.PrisonA))
	}
	return s, d.Config
}

// benchOpen opens a store on cfg, closed when the benchmark ends.
func benchOpen(b *testing.B, cfg sqlstore.Config) *sqlstore.Store {
	b.Helper()
	s, err := sqlstore.Open(context.Background(), cfg)
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// benchAppend appends requests in one batch and fails on any rejection.
func benchAppend(b *testing.B, s *sqlstore.Store, reqs [][]custody.Event) {
	b.Helper()
	res, err := s.AppendBatch(context.Background(), reqs)
	if err != nil {
		b.Fatalf("append: %v", err)
	}
	for i, r := range res {
		if r.Err != nil {
			b.Fatalf("request %s rejected: %v", reqs[i][0].Key, r.Err)
		}
	}
}

// BenchmarkAppendBatched appends registrations (two events each) in
// batches of 1,000 requests, durably, one transaction a batch; reports
// events/s. Target: ≥ 20,000 on SQLite, ≥ 10,000 on PostgreSQL.
func BenchmarkAppendBatched(b *testing.B) {
	benchEngines(b, func(b *testing.B, e storetest.Engine) {
		s, _ := benchNewStore(b, e, 0)
		n := 0
		for b.Loop() {
			benchAppend(b, s, storetest.Registrations("batched", n, 1000, storetest.PrisonA))
			n += 1000
		}
		b.ReportMetric(float64(2*n)/b.Elapsed().Seconds(), "events/s")
	})
}

// BenchmarkAppendSingle appends one event per transaction, durably: a
// transfer of one of 1,000 persons between two prisons. Target: ≥ 500
// events/s.
func BenchmarkAppendSingle(b *testing.B) {
	benchEngines(b, func(b *testing.B, e storetest.Engine) {
		const persons = 1000
		s, _ := benchNewStore(b, e, persons)
		ctx := context.Background()
		n := 0
		for b.Loop() {
			from, to := storetest.PrisonA, storetest.PrisonB
			if (n/persons)%2 == 1 {
				from, to = to, from
			}
			if _, err := s.Append(ctx, storetest.Transfer("single", n, n%persons, from, to)...); err != nil {
				b.Fatal(err)
			}
			n++
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	})
}

// BenchmarkVerify verifies a log of 100,006 entries (rehash, rebuild the
// tree, check every checkpoint, replay and compare the projections);
// reports events/s. Target: ≥ 100,000.
func BenchmarkVerify(b *testing.B) {
	benchEngines(b, func(b *testing.B, e storetest.Engine) {
		s, _ := benchNewStore(b, e, 50_000)
		ctx := context.Background()
		var entries int64
		for b.Loop() {
			rep, err := s.Verify(ctx, "")
			if err != nil {
				b.Fatal(err)
			}
			entries += rep.Entries
		}
		b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "events/s")
	})
}

// BenchmarkInclusionProof proves inclusion of random entries of a log of
// 100,006 entries, reading the stored hashes from the database. Target:
// < 100 µs at 10⁶ entries.
func BenchmarkInclusionProof(b *testing.B) {
	benchEngines(b, func(b *testing.B, e storetest.Engine) {
		s, _ := benchNewStore(b, e, 50_000)
		ctx := context.Background()
		size, err := s.Size(ctx)
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		for b.Loop() {
			if _, err := s.InclusionProof(ctx, size, r.Int64N(size)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMultiWriter runs four writers appending to one database at
// once: four stores opened on it in this process, each with its own writer
// and connections, so they contend for the log head as four processes do
// (each catches up with the others' events before it appends). Each
// iteration, every writer appends one batch of 100 registrations (200
// events); reports the total events/s.
func BenchmarkMultiWriter(b *testing.B) {
	benchEngines(b, func(b *testing.B, e storetest.Engine) {
		const writers, batch = 4, 100
		_, cfg := benchNewStore(b, e, 0)
		stores := make([]*sqlstore.Store, writers)
		for w := range stores {
			stores[w] = benchOpen(b, cfg)
		}
		ctx := context.Background()
		n := 0
		for b.Loop() {
			var wg sync.WaitGroup
			errs := make([]error, writers)
			for w, s := range stores {
				wg.Go(func() {
					prefix := fmt.Sprintf("mw%d", w)
					reqs := storetest.Registrations(prefix, (w+1)*10_000_000+n, batch, storetest.PrisonA)
					res, err := s.AppendBatch(ctx, reqs)
					if err == nil {
						for i, r := range res {
							if r.Err != nil {
								err = fmt.Errorf("request %s rejected: %w", reqs[i][0].Key, r.Err)
								break
							}
						}
					}
					errs[w] = err
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					b.Fatal(err)
				}
			}
			n += batch
		}
		b.ReportMetric(float64(2*writers*n)/b.Elapsed().Seconds(), "events/s")
	})
}
