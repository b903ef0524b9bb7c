// Package personindex keeps a names.Index of the register current from the
// log: it starts from a consistent snapshot of the persons and then follows
// every event after it, so a registration, a correction, a merge or an
// unmerge is searchable as soon as it is recorded. It serves the UI search,
// the API, the duplicate check and the family desk.
package personindex

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/sqlstore"
)

// Source is the part of the store the index reads.
type Source interface {
	PersonDocs(ctx context.Context) (size int64, persons []*custody.PersonState, err error)
	Events(ctx context.Context, after int64, limit int) ([]sqlstore.LogEntry, error)
}

// Index is the register's names index.
type Index struct {
	src Source
	log *slog.Logger
	idx *names.Index

	mu   sync.Mutex // serialises catching up
	last int64      // log index of the last event applied
	// every record by ID, merged or not: a merge takes one out of idx and
	// an unmerge puts it back (the register is tens of thousands, so the
	// copy is small).
	records map[custody.PersonID]names.Record
	primary map[custody.PersonID]int // how many of the record's names are the person's own (not aliases)
	merged  map[custody.PersonID]bool

	ctx      context.Context // ends the load and the duplicate scan
	loadOnce sync.Once
	ready    chan struct{}
	err      error // of the first load, once ready is closed

	// The duplicate scan (Duplicates), started on first use.
	dupOnce   sync.Once
	dupMu     sync.Mutex
	pairs     map[[2]custody.PersonID]Pair // nil until the scan starts
	scanned   int
	scanTotal int
}

// New returns an index of src's register. It loads on first use (Warm
// starts the load in the background); ctx ends the load and the
// duplicate scan.
func New(ctx context.Context, src Source, log *slog.Logger) *Index {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Index{src: src, log: log, ctx: ctx, idx: names.NewIndex(), records: map[custody.PersonID]names.Record{},
		primary: map[custody.PersonID]int{}, merged: map[custody.PersonID]bool{}, ready: make(chan struct{})}
}

// Warm starts loading the index in the background, so that the first
// search does not wait for it.
func (x *Index) Warm() { go x.loadOnce.Do(x.load) }

func (x *Index) load() {
	defer close(x.ready)
	ctx := x.ctx
	start := time.Now()
	size, persons, err := x.src.PersonDocs(ctx)
	if err != nil {
		x.err = fmt.Errorf("names index: %w", err)
		x.log.Error("names index", "err", err)
		return
	}
	for _, ps := range persons {
		r := Record(&ps.Person)
		x.records[ps.Person.ID] = r
		x.primary[ps.Person.ID] = primaryForms(&ps.Person)
		if ps.Merged != nil {
			x.merged[ps.Person.ID] = true
			continue
		}
		x.idx.Put(r)
	}
	x.last = size - 1
	x.log.Info("names index built", "persons", len(persons), "took", time.Since(start).Round(time.Millisecond))
}

// Wait waits for the first load, starting it if need be.
func (x *Index) Wait(ctx context.Context) error {
	select {
	case <-x.ready:
		return x.err
	default:
		go x.loadOnce.Do(x.load)
	}
	select {
	case <-x.ready:
		return x.err
	case <-ctx.Done():
		return fmt.Errorf("names index: %w", ctx.Err())
	}
}

// CatchUp applies every event recorded since the last call. Search and
// Duplicates call it first, so they see every write recorded before them,
// by this process or another.
func (x *Index) CatchUp(ctx context.Context) error {
	if err := x.Wait(ctx); err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for {
		page, err := x.src.Events(ctx, x.last, 1000)
		if err != nil {
			return fmt.Errorf("names index: follow the log: %w", err)
		}
		for _, le := range page {
			x.apply(&le.Event)
			x.last = le.Seq
		}
		if len(page) < 1000 {
			return nil
		}
	}
}

func (x *Index) apply(e *custody.Event) {
	switch d := e.Data.(type) {
	case *custody.PersonRegistered:
		x.put(&d.Person)
		x.dupMu.Lock()
		scanning := x.pairs != nil
		x.dupMu.Unlock()
		if scanning {
			x.checkRecord(x.records[d.Person.ID], x.primary[d.Person.ID])
		}
	case *custody.IdentityCorrected:
		x.put(&d.Person)
	case *custody.PersonMerged:
		x.merged[d.Merged] = true
		x.idx.Remove(string(d.Merged))
	case *custody.PersonUnmerged:
		delete(x.merged, d.Person)
		if r, ok := x.records[d.Person]; ok {
			x.idx.Put(r)
		}
	}
}

func (x *Index) put(p *custody.Person) {
	r := Record(p)
	x.records[p.ID] = r
	x.primary[p.ID] = primaryForms(p)
	if !x.merged[p.ID] {
		x.idx.Put(r)
	}
}

// Len is the number of searchable (not merged) records.
func (x *Index) Len() int { return x.idx.Len() }

// Search returns up to k matches for q, best first, among the persons that
// admit allows (the reader's scope), after catching up with the log.
// admit may be nil (everyone).
func (x *Index) Search(ctx context.Context, q names.Query, k int, admit func(custody.PersonID) (bool, error)) ([]names.Match, error) {
	if err := x.CatchUp(ctx); err != nil {
		return nil, err
	}
	if admit == nil {
		return x.idx.Search(q, k), nil
	}
	// Ask for more than k so that a narrow scope still fills the page;
	// the index's candidates beyond the first hundreds are noise.
	ms := x.idx.Search(q, min(max(4*k, 50), 500))
	out := ms[:0]
	for _, m := range ms {
		ok, err := admit(custody.PersonID(m.ID))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, m)
			if len(out) == k {
				break
			}
		}
	}
	return out, nil
}

// Record is what the index knows of a person: every form of the name
// (Arabic script, Latin spellings, aliases), the parents' names, the year
// of birth and the nationalities.
func Record(p *custody.Person) names.Record {
	r := names.Record{ID: string(p.ID), Nationalities: p.Nationalities}
	r.Names = forms(r.Names, p.Name)
	for _, a := range p.Aliases {
		r.Names = forms(r.Names, a.Name)
	}
	r.Father = forms(nil, p.FatherName)
	r.Mother = forms(nil, p.MotherName)
	r.BirthYear = BirthYear(p.Birth)
	return r
}

func forms(out []string, n custody.Name) []string {
	if n.Arabic != "" {
		out = append(out, n.Arabic)
	}
	return append(out, n.Latin...)
}

// BirthYear is the year of a date of birth, or 0.
func BirthYear(b custody.BirthDate) int {
	y, _, ok := strings.Cut(b.Date, "-")
	if !ok || len(y) != 4 {
		return 0
	}
	n := 0
	for _, c := range y {
		if c < '0' || c > '9' {
			return 0
		}
		n = 10*n + int(c-'0')
	}
	return n
}

// Query is the query that looks for p itself: the duplicate check of a
// registration. It asks with the person's own name only, not their
// aliases: a kunya such as Abu Hamid is shared by many men.
func Query(p *custody.Person) names.Query {
	q := recordQuery(Record(p), primaryForms(p))
	if p.Birth.Estimated {
		q.BirthYearSlack = 3
	}
	return q
}

// primaryForms is how many of Record(p).Names are the person's own name
// (they come first; the aliases follow).
func primaryForms(p *custody.Person) int { return len(forms(nil, p.Name)) }
