package names

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
)

// BenchmarkSearch searches an index of 10^6 synthetic name forms (333,334
// persons, three forms each) with Latin spellings the index may not hold,
// reporting the latency percentiles and recall@10.
func BenchmarkSearch(b *testing.B) {
	people := synthPeople(333_334, 1)
	recs := synthRecords(people, 2)
	x, mib := buildMeasured(recs)
	r := rand.New(rand.NewPCG(3, 4))
	queries := make([]Query, 2000)
	want := make([]string, len(queries))
	for i := range queries {
		n := r.IntN(len(people))
		queries[i] = Query{Names: []string{people[n].spell(r, r.IntN(2) == 0)}}
		if r.IntN(4) == 0 { // a quarter of the queries in Arabic script
			queries[i] = Query{Names: []string{people[n].arabic()}}
		}
		want[i] = recs[n].ID
	}
	durs := make([]time.Duration, 0, b.N)
	found := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := i % len(queries)
		t := time.Now()
		ms := x.Search(queries[q], 10)
		durs = append(durs, time.Since(t))
		if slices.ContainsFunc(ms, func(m Match) bool { return m.ID == want[q] }) {
			found++
		}
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 { return float64(durs[int(p*float64(len(durs)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(found)/float64(len(durs)), "recall@10")
	b.ReportMetric(mib, "index-MiB")
}

// buildMeasured builds an index of recs and returns it with the heap it
// takes, in MiB, measured after garbage collection.
func buildMeasured(recs []Record) (*Index, float64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := NewIndex()
	for _, r := range recs {
		x.Put(r)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(x)
	return x, float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
}

// BenchmarkBuild builds an index over 50,000 persons with three name
// forms each.
func BenchmarkBuild(b *testing.B) {
	recs := synthRecords(synthPeople(50_000, 5), 6)
	var mib float64
	for b.Loop() {
		_, mib = buildMeasured(recs)
	}
	b.ReportMetric(mib, "index-MiB")
}

// Example_indexSize shows how to measure the heap an index takes.
func Example_indexSize() {
	recs := synthRecords(synthPeople(1000, 7), 8)
	x, mib := buildMeasured(recs)
	fmt.Println(x.Len(), mib > 0 && mib < 64)
	// Output: 1000 true
}
