package nameseval

import (
	"context"
	"fmt"
)

// Quality is how well one matcher did on labelled queries.
type Quality struct {
	Queries   int     // with a truth
	Recall1   float64 // a right id at rank 1
	Recall10  float64 // a right id among the first 10
	Threshold float64 // the matcher's "probable" score
	// Of the results at or above Threshold, the fraction that are right
	// (0 when there are none).
	Precision float64
	Above     int     // results at or above Threshold
	Covered   float64 // fraction of queries with any result at or above Threshold
	RecallT   float64 // fraction of queries with a right id at or above Threshold
}

func (q Quality) String() string {
	return fmt.Sprintf("recall@1 %.3f recall@10 %.3f precision@%.2f %.3f (%d results above; %.3f of queries have one, %.3f a right one)",
		q.Recall1, q.Recall10, q.Threshold, q.Precision, q.Above, q.Covered, q.RecallT)
}

// Score scores results (each query's in rank order) against the truth;
// queries without a truth are left out.
func Score(results []Result, truth Truth, threshold float64) Quality {
	right := map[string]map[string]bool{}
	for qid, ids := range truth {
		right[qid] = map[string]bool{}
		for _, id := range ids {
			right[qid][id] = true
		}
	}
	q := Quality{Queries: len(truth), Threshold: threshold}
	at1, at10, covered, rightAbove := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	correct := 0
	for _, r := range results {
		ok := right[r.QID][r.ID]
		if _, known := right[r.QID]; !known {
			continue
		}
		if ok && r.Rank == 1 {
			at1[r.QID] = true
		}
		if ok && r.Rank <= 10 {
			at10[r.QID] = true
		}
		if r.Score >= threshold {
			q.Above++
			covered[r.QID] = true
			if ok {
				correct++
				rightAbove[r.QID] = true
			}
		}
	}
	if q.Queries > 0 {
		n := float64(q.Queries)
		q.Recall1, q.Recall10 = float64(len(at1))/n, float64(len(at10))/n
		q.Covered, q.RecallT = float64(len(covered))/n, float64(len(rightAbove))/n
	}
	if q.Above > 0 {
		q.Precision = float64(correct) / float64(q.Above)
	}
	return q
}

// Eval is one matcher's run on a data set.
type Eval struct {
	Matcher string
	Quality Quality
	Latency Latency
}

// Evaluate runs the queries through the matcher, k results each, and
// scores them.
func Evaluate(ctx context.Context, name string, m Matcher, queries []Entry, truth Truth, k int, threshold float64) Eval {
	res, lat := RunMatcher(ctx, m, queries, k)
	return Eval{Matcher: name, Quality: Score(res, truth, threshold), Latency: lat}
}
