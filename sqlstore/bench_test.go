package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// BenchmarkAppendBatched appends registrations (two events each) in
// batches of 1,000 requests, durably; reports events/s.
func BenchmarkAppendBatched(b *testing.B) {
	s, _ := newStore(b)
	ctx := context.Background()
	load(b, s, 0)
	n := 0
	b.ResetTimer()
	for b.Loop() {
		reqs := storetest.Registrations("b", n, 1000, storetest.PrisonA)
		n += 1000
		res, err := s.AppendBatch(ctx, reqs)
		if err != nil {
			b.Fatal(err)
		}
		if res[0].Err != nil {
			b.Fatal(res[0].Err)
		}
	}
	b.ReportMetric(float64(2*n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkAppendSingle appends one event per transaction, durably.
func BenchmarkAppendSingle(b *testing.B) {
	s, _ := newStore(b)
	ctx := context.Background()
	load(b, s, 1000)
	n := 0
	b.ResetTimer()
	for b.Loop() {
		i := n % 1000
		from, to := storetest.PrisonA, storetest.PrisonB
		if (n/1000)%2 == 1 {
			from, to = to, from
		}
		if _, err := s.Append(ctx, storetest.Transfer("b", n, i, from, to)...); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

func benchStore(b *testing.B, persons int) *sqlstore.Store {
	s, _ := newStore(b)
	load(b, s, 0)
	ctx := context.Background()
	for i := 0; i < persons; i += 5000 {
		if _, err := s.AppendBatch(ctx, storetest.Registrations("v", i, min(5000, persons-i), storetest.PrisonA)); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkVerify verifies a log of 100,006 entries; reports events/s.
func BenchmarkVerify(b *testing.B) {
	s := benchStore(b, 50_000)
	ctx := context.Background()
	var entries int64
	b.ResetTimer()
	for b.Loop() {
		rep, err := s.Verify(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		entries += rep.Entries
	}
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkInclusionProof proves inclusion of random entries, reading the
// stored hashes from the database.
func BenchmarkInclusionProof(b *testing.B) {
	for _, persons := range []int{50_000} {
		b.Run(fmt.Sprintf("entries=%d", 2*persons+6), func(b *testing.B) {
			s := benchStore(b, persons)
			ctx := context.Background()
			size, err := s.Size(ctx)
			if err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			b.ResetTimer()
			for b.Loop() {
				if _, err := s.InclusionProof(ctx, size, r.Int64N(size)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
