package names

import (
	"container/heap"
	"math"
	"slices"
	"strings"
	"sync"
)

// Search limits.
const (
	// scanBudget is how many postings a search reads before it skips the
	// remaining (most common) keys, once it has candidates.
	scanBudget = 100_000
	// minCandidates is how many candidates, at least, are scored in full.
	minCandidates = 200
	// candidatesPerResult is how many candidates are scored per result asked.
	candidatesPerResult = 20
	// candidateFloor is the share of the best candidate's weight below
	// which records are not candidates.
	candidateFloor = 0.1
	// Weights of the kinds of key in choosing candidates.
	weightSkeleton = 1.0
	weightPhonetic = 0.6
	weightTypo     = 0.4
)

// Index holds records for search. It is safe for concurrent use: searches
// run in parallel, Put and Remove one at a time.
//
// Every token of every name form is indexed under its skeleton, its Double
// Metaphone codes and, for skeletons of four letters or more, the
// skeleton without each one letter (a typo). A search reads the postings
// of its keys from the rarest up (until a budget is spent, if it already
// has candidates), weighs the records found by the inverse frequency of
// the keys they share, and scores the best few hundred in full.
type Index struct {
	mu    sync.RWMutex
	byID  map[string]uint32 // live records by ID
	recs  []rec
	dead  int
	arena []uint32 // the token forms of the records (see put)
	feats []*feat
	ids   map[string]uint32 // feature number by normalised token
	memo  memo
	post  map[string][]uint32
	pool  sync.Pool // *scratch
}

// rec is one record in the index.
type rec struct {
	id    string
	raw   []string
	nats  []string
	off   uint32 // in arena: names, father, mother, each a count of forms, then each form as length and feature numbers
	birth int32
	dead  bool
}

// scratch is the working memory of one search.
type scratch struct {
	acc     []float32
	touched []uint32
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byID: map[string]uint32{}, ids: map[string]uint32{}, memo: memo{}, post: map[string][]uint32{}}
}

// Len is the number of records.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byID)
}

// Put adds r, or replaces the record with its ID.
func (x *Index) Put(r Record) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if n, ok := x.byID[r.ID]; ok {
		x.kill(n)
	}
	p := prepareRecord(r, func(s string) []*feat { return tokensMemo(s, x.memo) })
	n := uint32(len(x.recs))
	x.recs = append(x.recs, rec{id: r.ID, raw: slices.Clone(r.Names), nats: p.nats, off: uint32(len(x.arena)), birth: int32(r.BirthYear)})
	for _, forms := range [...][][]*feat{p.names, p.father, p.mother} {
		x.arena = append(x.arena, uint32(len(forms)))
		for _, f := range forms {
			x.arena = append(x.arena, uint32(len(f)))
			for _, t := range f {
				x.arena = append(x.arena, x.featID(t))
			}
		}
	}
	x.byID[r.ID] = n
	x.postRecord(n, p.names)
	x.maybeCompact()
}

// featID interns a token's features.
func (x *Index) featID(t *feat) uint32 {
	if id, ok := x.ids[t.norm]; ok {
		return id
	}
	id := uint32(len(x.feats))
	x.feats = append(x.feats, t)
	x.ids[t.norm] = id
	return id
}

// postRecord adds record n to the postings of the keys of its names.
func (x *Index) postRecord(n uint32, forms [][]*feat) {
	var keys []string
	for _, f := range forms {
		for _, t := range f {
			keys = appendRecordKeys(keys, t)
		}
	}
	for _, k := range keys {
		ps := x.post[k]
		if len(ps) > 0 && ps[len(ps)-1] == n {
			continue
		}
		x.post[k] = append(ps, n)
	}
}

// appendRecordKeys appends the index keys of a record's token.
func appendRecordKeys(keys []string, t *feat) []string {
	if t.skel == "" {
		return keys
	}
	keys = append(keys, "s"+t.skel, "m"+t.meta1)
	if t.loose != t.skel {
		keys = append(keys, "l"+t.loose)
	}
	if t.meta2 != "" {
		keys = append(keys, "m"+t.meta2)
	}
	if len(t.skel) >= 4 {
		for i := range len(t.skel) {
			keys = append(keys, "d"+t.skel[:i]+t.skel[i+1:])
		}
	}
	if t.base != nil {
		keys = appendRecordKeys(keys, t.base)
	}
	if t.alt != nil && t.alt.skel != "" {
		keys = append(keys, "s"+t.alt.skel)
	}
	return keys
}

// queryKey is a key a search looks up, with its weight.
type queryKey struct {
	key    string
	weight float64
	df     int
}

// appendQueryKeys appends the keys to look up for a query token: its
// skeleton and codes, and the keys that meet a skeleton one letter off.
func appendQueryKeys(keys []queryKey, t *feat) []queryKey {
	if t.skel == "" {
		return keys
	}
	keys = append(keys, queryKey{key: "s" + t.skel, weight: weightSkeleton}, queryKey{key: "m" + t.meta1, weight: weightPhonetic},
		queryKey{key: "l" + t.loose, weight: weightPhonetic})
	if t.loose != t.skel {
		keys = append(keys, queryKey{key: "s" + t.loose, weight: weightPhonetic})
	}
	if t.meta2 != "" {
		keys = append(keys, queryKey{key: "m" + t.meta2, weight: weightPhonetic})
	}
	if len(t.skel) >= 3 {
		keys = append(keys, queryKey{key: "d" + t.skel, weight: weightTypo})
	}
	if len(t.skel) >= 4 {
		for i := range len(t.skel) {
			del := t.skel[:i] + t.skel[i+1:]
			keys = append(keys, queryKey{key: "d" + del, weight: weightTypo}, queryKey{key: "s" + del, weight: weightTypo})
		}
	}
	if t.base != nil {
		keys = appendQueryKeys(keys, t.base)
	}
	if t.alt != nil && t.alt.skel != "" {
		keys = append(keys, queryKey{key: "s" + t.alt.skel, weight: weightPhonetic})
	}
	return keys
}

// Remove takes the record with this ID out of the index.
func (x *Index) Remove(id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if n, ok := x.byID[id]; ok {
		x.kill(n)
		delete(x.byID, id)
		x.maybeCompact()
	}
}

// kill marks record n dead; its postings stay until the next compaction.
func (x *Index) kill(n uint32) {
	x.recs[n].dead = true
	x.recs[n].raw, x.recs[n].nats = nil, nil
	x.dead++
}

// maybeCompact rebuilds the records and postings without the dead records
// once they are more than half.
func (x *Index) maybeCompact() {
	if x.dead < 1024 || x.dead*2 < len(x.recs) {
		return
	}
	old, oldArena := x.recs, x.arena
	x.recs, x.arena, x.dead = make([]rec, 0, len(old)-x.dead), nil, 0
	x.post = map[string][]uint32{}
	clear(x.byID)
	for _, r := range old {
		if r.dead {
			continue
		}
		names, father, mother, _ := decode(oldArena, r.off, x.feats)
		n := uint32(len(x.recs))
		r.off = uint32(len(x.arena))
		x.recs = append(x.recs, r)
		for _, forms := range [...][][]*feat{names, father, mother} {
			x.arena = append(x.arena, uint32(len(forms)))
			for _, f := range forms {
				x.arena = append(x.arena, uint32(len(f)))
				for _, t := range f {
					x.arena = append(x.arena, x.ids[t.norm])
				}
			}
		}
		x.byID[r.id] = n
		x.postRecord(n, names)
	}
}

// decode reads the forms of a record from the arena.
func decode(arena []uint32, off uint32, feats []*feat) (names, father, mother [][]*feat, end uint32) {
	var out [3][][]*feat
	for k := range out {
		nf := arena[off]
		off++
		forms := make([][]*feat, nf)
		for i := range forms {
			l := arena[off]
			off++
			f := make([]*feat, l)
			for j := range f {
				f[j] = feats[arena[off]]
				off++
			}
			forms[i] = f
		}
		out[k] = forms
	}
	return out[0], out[1], out[2], off
}

// prepared returns record n ready for scoring.
func (x *Index) prepared(n uint32) *prepared {
	r := &x.recs[n]
	names, father, mother, _ := decode(x.arena, r.off, x.feats)
	return &prepared{id: r.id, raw: r.raw, names: names, father: father, mother: mother, birth: int(r.birth), nats: r.nats}
}

// Search returns the k best matches for q, best first; matches of equal
// score in order of ID.
func (x *Index) Search(q Query, k int) []Match {
	if k <= 0 {
		return nil
	}
	pq := prepareQuery(q)
	var keys []queryKey
	for _, f := range pq.names {
		for _, t := range f {
			keys = appendQueryKeys(keys, t)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	live := len(x.byID)
	if live == 0 {
		return nil
	}
	keys = x.weigh(keys, live)
	sc := x.getScratch()
	defer x.pool.Put(sc)
	scanned := 0
	want := max(minCandidates, candidatesPerResult*k)
	for _, qk := range keys {
		if scanned+qk.df > scanBudget && len(sc.touched) >= want {
			continue
		}
		scanned += qk.df
		w := float32(qk.weight)
		for _, n := range x.post[qk.key] {
			if sc.acc[n] == 0 {
				sc.touched = append(sc.touched, n)
			}
			sc.acc[n] += w
		}
	}
	cands := x.topCandidates(sc, want)
	for _, n := range sc.touched {
		sc.acc[n] = 0
	}
	sc.touched = sc.touched[:0]
	h := &matchHeap{}
	for _, n := range cands {
		m := score(pq, x.prepared(n), false)
		if h.Len() < k {
			heap.Push(h, m)
		} else if better(m, (*h)[0]) {
			(*h)[0] = m
			heap.Fix(h, 0)
		}
	}
	out := make([]Match, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(Match)
	}
	for i, m := range out {
		out[i] = score(pq, x.prepared(x.byID[m.ID]), true)
	}
	return out
}

// weigh merges the query's keys, gives each its frequency and weight
// (kind of key times inverse document frequency), drops keys no record has
// and sorts them rarest first.
func (x *Index) weigh(keys []queryKey, live int) []queryKey {
	slices.SortFunc(keys, func(a, b queryKey) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return -cmpFloat(a.weight, b.weight)
	})
	keys = slices.CompactFunc(keys, func(a, b queryKey) bool { return a.key == b.key })
	out := keys[:0]
	for _, k := range keys {
		k.df = len(x.post[k.key])
		if k.df == 0 {
			continue
		}
		k.weight *= math.Log(1 + float64(live)/float64(k.df))
		out = append(out, k)
	}
	slices.SortStableFunc(out, func(a, b queryKey) int { return a.df - b.df })
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (x *Index) getScratch() *scratch {
	sc, _ := x.pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if len(sc.acc) < len(x.recs) {
		sc.acc = make([]float32, len(x.recs)+len(x.recs)/4)
	}
	return sc
}

// topCandidates returns the live records with the most weight, at most n,
// heaviest first (equal weights by record number).
func (x *Index) topCandidates(sc *scratch, n int) []uint32 {
	var top float32
	for _, r := range sc.touched {
		top = max(top, sc.acc[r])
	}
	floor := top * candidateFloor
	c := make([]uint32, 0, min(len(sc.touched), 4*n))
	for _, r := range sc.touched {
		if sc.acc[r] >= floor && !x.recs[r].dead {
			c = append(c, r)
		}
	}
	less := func(a, b uint32) int {
		if sc.acc[a] != sc.acc[b] {
			if sc.acc[a] > sc.acc[b] {
				return -1
			}
			return 1
		}
		return int(a) - int(b)
	}
	if len(c) > n {
		selectTop(c, n, less)
		c = c[:n]
	}
	return c
}

// selectTop moves the n least elements under cmp to the front of c
// (quickselect).
func selectTop(c []uint32, n int, cmp func(a, b uint32) int) {
	lo, hi := 0, len(c)-1
	for lo < hi {
		p := c[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for cmp(c[i], p) < 0 {
				i++
			}
			for cmp(c[j], p) > 0 {
				j--
			}
			if i <= j {
				c[i], c[j] = c[j], c[i]
				i++
				j--
			}
		}
		switch {
		case n-1 <= j:
			hi = j
		case n-1 >= i:
			lo = i
		default:
			return
		}
	}
}

// better orders matches: higher score first, then lower ID.
func better(a, b Match) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.ID < b.ID
}

// matchHeap is a min-heap of matches, the worst on top.
type matchHeap []Match

func (h matchHeap) Len() int           { return len(h) }
func (h matchHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h matchHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *matchHeap) Push(v any)        { *h = append(*h, v.(Match)) }
func (h *matchHeap) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}
