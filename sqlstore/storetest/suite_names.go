package storetest

import (
	"context"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
)

// testMergeInquiry: a merge and a family inquiry are kept in the
// projections, survive a reopen (the state is restored from them with the
// merge in force), and verify rebuilds the same rows from the log.
func testMergeInquiry(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("mi"))
	MustAppend(t, f.s, Registrations("mi", 0, 3, PrisonA))
	at := time.Date(2026, 1, 21, 9, 0, 0, 0, time.UTC)
	desk := custody.Actor{User: "test.family", Authority: "icrc", Site: "test"}
	res := MustAppend(t, f.s, [][]custody.Event{
		{event(&custody.PersonMerged{Kept: pid(0), Merged: pid(1), Reason: "same parents and birth date"}, at, "mi-merge")},
		{custody.NewEvent(&custody.InquiryOpened{Inquiry: custody.Inquiry{ID: "INQ-1",
			Sought: custody.Sought{Names: []string{"محمد"}, Age: 30}, Asker: custody.Asker{Name: "Fatima", Relationship: "mother"}}}, at, at, desk, "mi-inq")},
		{custody.NewEvent(&custody.InquiryDecided{Inquiry: "INQ-1", Person: pid(0), Confirmed: true}, at, at, desk, "mi-dec")},
		{custody.NewEvent(&custody.InquiryAnswered{Inquiry: "INQ-1", Person: pid(0), Answer: custody.FamilyAnswer{Found: true,
			Facts: []custody.ReleasedFact{{Field: custody.ReleaseWhereabouts, Value: "held at prison A"}}}}, at, at, desk, "mi-ans")},
	})
	check := func(when string) {
		t.Helper()
		ps, err := f.s.Persons(ctx, []custody.PersonID{pid(1)})
		if err != nil {
			t.Fatal(err)
		}
		p := ps[pid(1)]
		if p == nil || p.Location.Status != custody.StatusMerged || p.Merged == nil || p.Merged.Into != pid(0) || p.Merged.Seq != res[0].Seqs[0] || p.Merged.Before.Facility != PrisonA {
			t.Fatalf("%s: merged record %+v", when, p)
		}
		q, err := f.s.Inquiry(ctx, "INQ-1")
		if err != nil {
			t.Fatal(err)
		}
		if q.Status != custody.InquiryClosed || q.Person != pid(0) || q.Desk != "test.family" || len(q.Decisions) != 1 || q.Answer == nil || len(q.Answer.Facts) != 1 {
			t.Fatalf("%s: inquiry %+v", when, q)
		}
		qs, err := f.s.Inquiries(ctx, "test.family")
		if err != nil || len(qs) != 1 {
			t.Fatalf("%s: inquiries of the desk: %v %v", when, qs, err)
		}
		if qs, err := f.s.Inquiries(ctx, "someone.else"); err != nil || len(qs) != 0 {
			t.Fatalf("%s: another desk's inquiries: %v %v", when, qs, err)
		}
		if _, err := f.s.Verify(ctx, ""); err != nil {
			t.Fatalf("%s: verify: %v", when, err)
		}
	}
	check("after append")
	f.reopen(t)
	check("after reopen")
	// The restored state still knows the merge: the unmerge goes through.
	MustAppend(t, f.s, [][]custody.Event{{event(&custody.PersonUnmerged{Person: pid(1), Kept: pid(0), Merge: res[0].Seqs[0], Reason: "two brothers"}, at.Add(time.Hour), "mi-unmerge")}})
	size, persons, err := f.s.PersonDocs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := f.s.Size(ctx)
	if size != n || len(persons) != 3 {
		t.Errorf("PersonDocs: size %d (log %d), %d persons", size, n, len(persons))
	}
}

// testWhereIsFresh: "where is this person" answers from its cache only
// while the log has not grown: after a transfer it gives the new place.
func testWhereIsFresh(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("wf"))
	MustAppend(t, f.s, Registrations("wf", 0, 2, PrisonA))
	for range 2 { // the second answer comes from the cache
		w, err := f.s.WhereIs(ctx, pid(1))
		if err != nil || w.Facility != PrisonA {
			t.Fatalf("where is %s: %+v %v", pid(1), w, err)
		}
	}
	MustAppend(t, f.s, [][]custody.Event{Transfer("wf", 1, 1, PrisonA, PrisonB)})
	w, err := f.s.WhereIs(ctx, pid(1))
	if err != nil || w.Facility != PrisonB {
		t.Fatalf("where is %s after the transfer: %+v %v", pid(1), w, err)
	}
}
