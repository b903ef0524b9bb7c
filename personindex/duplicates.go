package personindex

import (
	"cmp"
	"context"
	"slices"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
)

// Pair is two records that probably are one person: B registered after A
// (by ID order), with the score and reasons of B's record against A's.
type Pair struct {
	A, B  custody.PersonID
	Match names.Match
}

// DuplicateScan is the state of the scan for probable duplicates.
type DuplicateScan struct {
	Pairs   []Pair // best first
	Done    bool   // every record has been compared
	Scanned int
	Total   int
}

// Duplicates returns the probable duplicates found so far. The first call
// starts a scan of the whole register in the background (each record
// searched against the index); later registrations are checked as they
// are followed.
func (x *Index) Duplicates(ctx context.Context) (DuplicateScan, error) {
	if err := x.CatchUp(ctx); err != nil {
		return DuplicateScan{}, err
	}
	x.dupOnce.Do(func() {
		x.dupMu.Lock()
		x.pairs = map[[2]custody.PersonID]Pair{}
		x.dupMu.Unlock()
		x.mu.Lock()
		ids := make([]custody.PersonID, 0, len(x.records))
		for id := range x.records {
			if !x.merged[id] {
				ids = append(ids, id)
			}
		}
		recs := make([]names.Record, len(ids))
		own := make([]int, len(ids))
		slices.Sort(ids)
		for i, id := range ids {
			recs[i], own[i] = x.records[id], x.primary[id]
		}
		x.mu.Unlock()
		x.dupMu.Lock()
		x.scanTotal = len(recs)
		x.dupMu.Unlock()
		go x.scan(recs, own)
	})
	x.mu.Lock()
	merged := make(map[custody.PersonID]bool, len(x.merged))
	for id := range x.merged {
		merged[id] = true
	}
	x.mu.Unlock()
	x.dupMu.Lock()
	defer x.dupMu.Unlock()
	out := DuplicateScan{Done: x.scanned == x.scanTotal, Scanned: x.scanned, Total: x.scanTotal}
	for _, p := range x.pairs {
		if !merged[p.A] && !merged[p.B] {
			out.Pairs = append(out.Pairs, p)
		}
	}
	slices.SortFunc(out.Pairs, func(a, b Pair) int {
		if c := cmp.Compare(b.Match.Score, a.Match.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.A, b.A)
	})
	return out, nil
}

func (x *Index) scan(recs []names.Record, own []int) {
	for i := range recs {
		if x.ctx.Err() != nil {
			return
		}
		x.checkRecord(recs[i], own[i])
		x.dupMu.Lock()
		x.scanned = i + 1
		x.dupMu.Unlock()
	}
	x.log.Info("duplicate scan done", "records", len(recs))
}

// checkRecord searches r (whose first own names are the person's own
// name) against the index and keeps the probable duplicates it finds.
func (x *Index) checkRecord(r names.Record, own int) {
	for _, m := range x.idx.Search(recordQuery(r, own), 6) {
		if m.ID == r.ID || m.Score < names.Threshold {
			continue
		}
		a, b := custody.PersonID(m.ID), custody.PersonID(r.ID)
		if b < a {
			a, b = b, a
		}
		key := [2]custody.PersonID{a, b}
		x.dupMu.Lock()
		if p, ok := x.pairs[key]; !ok || p.Match.Score < m.Score {
			x.pairs[key] = Pair{A: a, B: b, Match: m}
		}
		x.dupMu.Unlock()
	}
}

// recordQuery is the query that looks for r's person by their own name
// (the first own of r.Names).
func recordQuery(r names.Record, own int) names.Query {
	q := names.Query{Names: r.Names[:min(own, len(r.Names))], Father: r.Father, Mother: r.Mother, BirthYear: r.BirthYear, BirthYearSlack: 2}
	if len(r.Nationalities) > 0 {
		q.Nationality = r.Nationalities[0]
	}
	return q
}
