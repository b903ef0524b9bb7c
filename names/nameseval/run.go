package nameseval

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"time"

	"github.com/xrash/smetrics"

	"github.com/opencustody/custody/names"
)

// Matcher finds the k best gallery entries for a name, best first.
type Matcher interface {
	Search(name string, k int) []Hit
}

// Hit is one candidate of a Matcher.
type Hit struct {
	ID    string
	Score float64
}

// IndexMatcher searches a names index with the name alone.
type IndexMatcher struct{ Index *names.Index }

// Search runs names.Query{Names: []string{name}}.
func (m IndexMatcher) Search(name string, k int) []Hit {
	ms := m.Index.Search(names.Query{Names: []string{name}}, k)
	hits := make([]Hit, len(ms))
	for i, x := range ms {
		hits[i] = Hit{ID: x.ID, Score: x.Score}
	}
	return hits
}

// BaselineThreshold is the Jaro-Winkler score at or above which the
// baseline calls a match probable: fixed, not tuned to any data set.
const BaselineThreshold = 0.9

// Baseline is what a matcher must beat: the query compared with every
// gallery name as typed — no normalisation, not even of case — by
// Jaro-Winkler (boost threshold 0.7, prefix 4).
type Baseline struct{ Gallery []Entry }

// Search scans the whole gallery.
func (b Baseline) Search(name string, k int) []Hit {
	if k <= 0 {
		return nil
	}
	var top []Hit // kept sorted, best first, at most k
	for _, e := range b.Gallery {
		s := smetrics.JaroWinkler(name, e.Name, 0.7, 4)
		if len(top) == k && s <= top[k-1].Score {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, s, func(h Hit, s float64) int { return cmp.Compare(s, h.Score) })
		for i < len(top) && top[i].Score == s {
			i++ // ties keep gallery order
		}
		top = slices.Insert(top, i, Hit{ID: e.ID, Score: s})
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}

// Latency sums up the time of each query.
type Latency struct {
	N             int
	P50, P99, Max time.Duration
	Mean, Total   time.Duration
}

// latency sums up durations (sorted in place).
func latency(d []time.Duration) Latency {
	l := Latency{N: len(d)}
	if len(d) == 0 {
		return l
	}
	slices.Sort(d)
	for _, x := range d {
		l.Total += x
	}
	l.P50 = d[(len(d)-1)*50/100]
	l.P99 = d[(len(d)-1)*99/100]
	l.Max = d[len(d)-1]
	l.Mean = l.Total / time.Duration(len(d))
	return l
}

// Run runs each query through the index as names.Query{Names:
// []string{name}}, timing each, and returns the results, each query's k
// best in rank order. It stops early, with the results so far, when ctx
// is done.
func Run(ctx context.Context, idx *names.Index, queries []Entry, k int) ([]Result, Latency) {
	return RunMatcher(ctx, IndexMatcher{idx}, queries, k)
}

// RunMatcher is Run for any Matcher.
func RunMatcher(ctx context.Context, m Matcher, queries []Entry, k int) ([]Result, Latency) {
	var out []Result
	times := make([]time.Duration, 0, len(queries))
	for _, q := range queries {
		if ctx.Err() != nil {
			break
		}
		start := time.Now()
		hits := m.Search(q.Name, k)
		times = append(times, time.Since(start))
		for i, h := range hits {
			out = append(out, Result{QID: q.ID, Rank: i + 1, ID: h.ID, Score: h.Score})
		}
	}
	return out, latency(times)
}

// Build is what building an index took.
type Build struct {
	N         int           // records indexed
	Time      time.Duration // to put them all
	HeapBytes uint64        // live heap grown by the index (after a GC)
}

// BuildIndex puts each gallery entry into a new index as a record of one
// name, and measures the time and the live heap it takes.
func BuildIndex(gallery []Entry) (*names.Index, Build) {
	// Twice: what sync.Pools held survives one collection.
	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	idx := names.NewIndex()
	for _, e := range gallery {
		idx.Put(names.Record{ID: e.ID, Names: []string{e.Name}})
	}
	b := Build{N: idx.Len(), Time: time.Since(start)}
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if after.HeapAlloc > before.HeapAlloc {
		b.HeapBytes = after.HeapAlloc - before.HeapAlloc
	}
	runtime.KeepAlive(idx)
	return idx, b
}
