package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/names/nameseval"
)

// runNames runs `custody names eval`: it indexes a gallery of names, runs
// every query through the index, writes the ranked results and prints the
// figures — records indexed, build time, query latency, index memory and,
// given the truth, recall and precision. One line per figure, "name
// value", as bench prints them.
func (m *Main) runNames(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "eval" {
		fmt.Fprintln(m.Stderr, "usage: custody names eval --gallery G.tsv --queries Q.tsv [--top K] [--truth T.tsv] --out R.tsv")
		return errUsage
	}
	fs := m.flags("names eval")
	gallery := fs.String("gallery", "", "gallery `file`: lines id<TAB>name (required)")
	queries := fs.String("queries", "", "queries `file`: lines qid<TAB>name (required)")
	truth := fs.String("truth", "", "optional truth `file`: lines qid<TAB>id, the right gallery id of each query (several lines for several)")
	out := fs.String("out", "", "results `file` to write: lines qid<TAB>rank<TAB>id<TAB>score, best first (required)")
	top := fs.Int("top", 10, "results per query")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *gallery == "" || *queries == "" || *out == "" {
		fmt.Fprintln(m.Stderr, "custody names eval: --gallery, --queries and --out are required")
		return errUsage
	}
	if *top < 1 {
		fmt.Fprintf(m.Stderr, "custody names eval: --top %d: at least 1\n", *top)
		return errUsage
	}
	g, err := readTSVFile(*gallery, nameseval.ReadGallery)
	if err != nil {
		return err
	}
	q, err := readTSVFile(*queries, nameseval.ReadQueries)
	if err != nil {
		return err
	}
	var t nameseval.Truth
	if *truth != "" {
		if t, err = readTSVFile(*truth, nameseval.ReadTruth); err != nil {
			return err
		}
	}
	// The results file is created before the work, so that an unwritable
	// path fails at once.
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()

	idx, build := nameseval.BuildIndex(g)
	results, lat := nameseval.Run(ctx, idx, q, *top)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := nameseval.WriteResults(f, results); err != nil {
		return fmt.Errorf("%s: %w", *out, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", *out, err)
	}
	w := m.Stdout
	fmt.Fprintf(w, "indexed %d\n", build.N)
	fmt.Fprintf(w, "build_ms %.1f\n", float64(build.Time.Microseconds())/1000)
	fmt.Fprintf(w, "index_mib %.1f\n", float64(build.HeapBytes)/(1<<20))
	fmt.Fprintf(w, "queries %d\n", lat.N)
	fmt.Fprintf(w, "query_p50_us %d\n", lat.P50.Microseconds())
	fmt.Fprintf(w, "query_p99_us %d\n", lat.P99.Microseconds())
	if t != nil {
		qs := nameseval.Score(results, t, names.Threshold)
		fmt.Fprintf(w, "truth_queries %d\n", qs.Queries)
		fmt.Fprintf(w, "recall_at_1 %.4f\n", qs.Recall1)
		fmt.Fprintf(w, "recall_at_10 %.4f\n", qs.Recall10)
		fmt.Fprintf(w, "threshold %.2f\n", qs.Threshold)
		fmt.Fprintf(w, "precision_at_threshold %.4f\n", qs.Precision)
		fmt.Fprintf(w, "results_at_threshold %d\n", qs.Above)
		fmt.Fprintf(w, "queries_with_result_at_threshold %.4f\n", qs.Covered)
	}
	return nil
}

// readTSVFile opens path and reads it with read, naming the file in a
// bad line's error.
func readTSVFile[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	v, err := read(f)
	var le *nameseval.LineError
	switch {
	case errors.As(err, &le):
		le.File = path
		return zero, le
	case err != nil:
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
