package personindex_test

import (
	"context"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/personindex"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

func open(t *testing.T) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	d := storetest.SQLite().New(t)
	if _, err := sqlstore.Init(ctx, d.Config); err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(ctx, d.Config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var actor = custody.Actor{User: "reg", Authority: "sdf"}

func ev(p custody.Payload, key string) custody.Event {
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	return custody.NewEvent(p, at, at, actor, key)
}

func has(ms []names.Match, id custody.PersonID) bool {
	for _, m := range ms {
		if m.ID == string(id) {
			return true
		}
	}
	return false
}

// TestFollow: the index starts from the persons of the store and follows
// the log: a later registration is found, a merged record is not, and an
// unmerge brings it back; scope is applied.
func TestFollow(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	storetest.MustAppend(t, s, storetest.Setup("pi"))
	storetest.MustAppend(t, s, storetest.Registrations("pi", 0, 40, storetest.PrisonA))
	x := personindex.New(ctx, s, nil)
	if err := x.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if x.Len() != 40 {
		t.Fatalf("index holds %d records, want 40", x.Len())
	}
	p := storetest.Person(40)
	storetest.MustAppend(t, s, storetest.Registrations("pi", 40, 1, storetest.PrisonA))
	q := personindex.Query(&p)
	ms, err := x.Search(ctx, q, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !has(ms, p.ID) {
		t.Fatalf("a registration after the index was built is not found: %+v", ms)
	}
	// The person's own query finds them first, with reasons.
	if ms[0].ID != string(p.ID) || len(ms[0].Reasons) == 0 {
		t.Errorf("best match %+v, want %s with reasons", ms[0], p.ID)
	}
	// Scope: nobody admitted, nothing returned.
	none, err := x.Search(ctx, q, 5, func(custody.PersonID) (bool, error) { return false, nil })
	if err != nil || len(none) != 0 {
		t.Errorf("search with an empty scope: %v %v", none, err)
	}
	// A second registration of person 40 under another ID is a probable duplicate.
	dup := p
	dup.ID = "B-DUP"
	dup.Name = custody.Name{Arabic: p.Name.Arabic, Latin: []string{p.Name.Latin[1]}}
	storetest.MustAppend(t, s, [][]custody.Event{{
		ev(&custody.PersonRegistered{Person: dup}, "pi-dup"),
		ev(&custody.Admitted{Person: dup.ID, Facility: storetest.PrisonA, TakenBy: "u", OrderedBy: "sdf", Grounds: "g"}, "pi-dup-adm"),
	}})
	var scan personindex.DuplicateScan
	for range 200 {
		if scan, err = x.Duplicates(ctx); err != nil {
			t.Fatal(err)
		}
		if scan.Done {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	found := false
	for _, pr := range scan.Pairs {
		found = found || pr.A == p.ID && pr.B == dup.ID
	}
	if !scan.Done || !found {
		t.Fatalf("duplicate scan (done %v, %d of %d) does not pair %s and %s: %+v", scan.Done, scan.Scanned, scan.Total, p.ID, dup.ID, scan.Pairs)
	}
	// Merged: not found, and no longer a pair.
	mr := storetest.MustAppend(t, s, [][]custody.Event{{ev(&custody.PersonMerged{Kept: p.ID, Merged: dup.ID, Reason: "same"}, "pi-merge")}})
	if ms, _ := x.Search(ctx, q, 10, nil); has(ms, dup.ID) {
		t.Error("a merged record is still found")
	}
	scan, _ = x.Duplicates(ctx)
	for _, pr := range scan.Pairs {
		if pr.A == dup.ID || pr.B == dup.ID {
			t.Errorf("a pair with the merged record after the merge: %+v", pr)
		}
	}
	// A new index built after the merge does not hold it either.
	y := personindex.New(ctx, s, nil)
	if ms, err := y.Search(ctx, q, 10, nil); err != nil || has(ms, dup.ID) {
		t.Errorf("an index built after the merge finds the merged record (%v)", err)
	}
	// Unmerged: found again, by both indexes.
	storetest.MustAppend(t, s, [][]custody.Event{{ev(&custody.PersonUnmerged{Person: dup.ID, Kept: p.ID, Merge: mr[0].Seqs[0], Reason: "twins"}, "pi-unmerge")}})
	for i, ix := range []*personindex.Index{x, y} {
		if ms, _ := ix.Search(ctx, q, 10, nil); !has(ms, dup.ID) {
			t.Errorf("index %d: an unmerged record is not found", i)
		}
	}
}

func TestBirthYear(t *testing.T) {
	for in, want := range map[string]int{"1990-01-01": 1990, "": 0, "19x0-01-01": 0, "90-01-01": 0} {
		if got := personindex.BirthYear(custody.BirthDate{Date: in}); got != want {
			t.Errorf("BirthYear(%q) = %d, want %d", in, got, want)
		}
	}
}
