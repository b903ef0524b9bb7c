package nameseval

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/opencustody/custody/names"
)

// dataDir is the development data: CUSTODY_NAMES_DATA, else
// ../shared/data/names beside the project.
func dataDir(tb testing.TB) string {
	dir := os.Getenv("CUSTODY_NAMES_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data", "names")
	}
	for _, f := range []string{GoogleFile, WikidataFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			tb.Skipf("no development data: %v", err)
		}
	}
	return dir
}

// evalBoth runs a data set through the names index and the baseline.
func evalBoth(ctx context.Context, d Dataset) (idx, base Eval, b Build) {
	x, b := BuildIndex(d.Gallery)
	idx = Evaluate(ctx, "names", IndexMatcher{x}, d.Queries, d.Truth, 10, names.Threshold)
	base = Evaluate(ctx, "jaro-winkler", Baseline{d.Gallery}, d.Queries, d.Truth, 10, BaselineThreshold)
	return idx, base, b
}

// targets are the recall@10 the names index aims for: 0.98 Latin
// against Latin, 0.90 across scripts.
var targets = map[string]float64{
	"latin-latin":     0.98,
	"google-ar-lat":   0.90,
	"google-lat-ar":   0.90,
	"wikidata-ar-lat": 0.90,
	"wikidata-lat-ar": 0.90,
	"variants-ar-lat": 0.90,
}

// floors are the least recall@10 of the names index on the small sample
// of TestQuality: a little below what it measured (the Google single
// names, below their target, included).
var floors = map[string]float64{
	"latin-latin":     0.97,
	"google-ar-lat":   0.85,
	"google-lat-ar":   0.85,
	"wikidata-ar-lat": 0.95,
	"wikidata-lat-ar": 0.95,
	"variants-ar-lat": 0.97,
}

// TestQuality checks, on a small sample of each data set, that the names
// index finds what the baseline finds and more, and meets its floors.
func TestQuality(t *testing.T) {
	dir := dataDir(t)
	sets, err := Datasets(dir, Options{Gallery: 2000, Queries: 150, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range sets {
		t.Run(d.Name, func(t *testing.T) {
			if len(d.Gallery) < 1500 || len(d.Queries) != 150 {
				t.Fatalf("%d gallery, %d queries", len(d.Gallery), len(d.Queries))
			}
			idx, base, _ := evalBoth(context.Background(), d)
			t.Logf("names        %v p50 %v", idx.Quality, idx.Latency.P50)
			t.Logf("jaro-winkler %v p50 %v", base.Quality, base.Latency.P50)
			if idx.Quality.Recall10 < targets[d.Name] {
				t.Logf("names recall@10 %.3f is below the target %.2f", idx.Quality.Recall10, targets[d.Name])
			}
			if idx.Quality.Recall10 < floors[d.Name] {
				t.Errorf("names recall@10 %.3f < floor %.2f", idx.Quality.Recall10, floors[d.Name])
			}
			if idx.Quality.Recall1 <= base.Quality.Recall1 && base.Quality.Recall1 < 1 {
				t.Errorf("names recall@1 %.3f does not beat the baseline's %.3f", idx.Quality.Recall1, base.Quality.Recall1)
			}
		})
	}
}

// BenchmarkQuality runs every full-size data set (galleries of 10,000
// names or more, 1,000 queries each) through the names index and the
// baseline, and reports recall@1, recall@10, the precision at the
// threshold and the query latency of both. Run it once:
//
//	go test -run X -bench Quality -benchtime 1x ./names/nameseval
func BenchmarkQuality(b *testing.B) {
	dir := dataDir(b)
	sets, err := Datasets(dir, Options{Gallery: 10000, Queries: 1000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range sets {
		b.Run(d.Name, func(b *testing.B) {
			for b.Loop() {
				idx, base, build := evalBoth(b.Context(), d)
				b.Logf("gallery %d, queries %d, index build %v, heap %.1f MiB",
					len(d.Gallery), len(d.Queries), build.Time.Round(time.Millisecond), float64(build.HeapBytes)/(1<<20))
				for _, e := range []Eval{idx, base} {
					q := e.Quality
					b.Logf("%-13s %v; p50 %v p99 %v", e.Matcher, q, e.Latency.P50, e.Latency.P99)
					b.ReportMetric(q.Recall1, e.Matcher+"-r@1")
					b.ReportMetric(q.Recall10, e.Matcher+"-r@10")
					b.ReportMetric(q.Precision, e.Matcher+"-prec@T")
					b.ReportMetric(float64(e.Latency.P50.Microseconds()), e.Matcher+"-p50-µs")
					b.ReportMetric(float64(e.Latency.P99.Microseconds()), e.Matcher+"-p99-µs")
				}
			}
		})
	}
}
