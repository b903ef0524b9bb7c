package custody

import (
	"errors"
	"strings"
	"testing"
)

// TestMergeUnmerge: a person registered twice is counted twice; the merge
// takes the later record off the roll, events on it are refused, and the
// unmerge puts it back where it was.
func TestMergeUnmerge(t *testing.T) {
	w := newWorld(t).base()
	w.admit("p1", hasakah)
	w.admit("p1b", hasakah)
	before := w.s.Facilities[hasakah].Count
	merge := w.must(&PersonMerged{Kept: "p1", Merged: "p1b", Reason: "same parents' names and birth date"})
	ps := w.s.Persons["p1b"]
	if ps.Location.Status != StatusMerged || ps.Merged == nil || ps.Merged.Into != "p1" || ps.Merged.Seq != merge {
		t.Fatalf("after the merge p1b is %+v, merged %+v", ps.Location, ps.Merged)
	}
	if got := w.s.Facilities[hasakah].Count; got != before-1 {
		t.Errorf("hasakah counts %d after the merge, want %d", got, before-1)
	}
	if errs := CheckInvariants(w.s); len(errs) > 0 {
		t.Fatal(errs)
	}
	// Nothing is recorded on the merged record.
	_, err := w.req(w.ev(release("p1b", hasakah)))
	var e *Error
	if !errors.As(err, &e) || e.Rule != RuleMerged || !strings.Contains(e.Msg, "merged into p1") {
		t.Fatalf("release of a merged record: %v, want rule %s naming p1", err, RuleMerged)
	}
	w.must(&PersonUnmerged{Person: "p1b", Kept: "p1", Merge: merge, Reason: "different mothers' names on the papers"})
	ps = w.s.Persons["p1b"]
	if ps.Location.Status != StatusHeld || ps.Location.Facility != hasakah || ps.Location.Authority != sdf || ps.Merged != nil {
		t.Fatalf("after the unmerge p1b is %+v, merged %+v", ps.Location, ps.Merged)
	}
	if got := w.s.Facilities[hasakah].Count; got != before {
		t.Errorf("hasakah counts %d after the unmerge, want %d", got, before)
	}
	if errs := CheckInvariants(w.s); len(errs) > 0 {
		t.Fatal(errs)
	}
	// The record can be merged again, and the second merge is the one in force.
	again := w.must(&PersonMerged{Kept: "p1", Merged: "p1b", Reason: "a photograph"})
	if w.s.Persons["p1b"].Merged.Seq != again {
		t.Errorf("merge in force %d, want %d", w.s.Persons["p1b"].Merged.Seq, again)
	}
}

func TestMergeRules(t *testing.T) {
	cases := []struct {
		name string
		req  func(w *world) Payload
		rule Rule
		msg  string
	}{
		{"no reason", func(w *world) Payload {
			w.admit("p1", hasakah)
			w.admit("p2", hasakah)
			return &PersonMerged{Kept: "p1", Merged: "p2"}
		}, RuleRequired, "reason"},
		{"into itself", func(w *world) Payload {
			w.admit("p1", hasakah)
			return &PersonMerged{Kept: "p1", Merged: "p1", Reason: "x"}
		}, RuleRequired, "itself"},
		{"unknown record", func(w *world) Payload {
			w.admit("p1", hasakah)
			return &PersonMerged{Kept: "p1", Merged: "ghost", Reason: "x"}
		}, RuleUnknownPerson, "ghost"},
		{"different facilities", func(w *world) Payload {
			w.admit("p1", hasakah)
			w.admit("p2", alhol)
			return &PersonMerged{Kept: "p1", Merged: "p2", Reason: "x"}
		}, RuleMergePlace, "same facility"},
		{"one released", func(w *world) Payload {
			w.admit("p1", hasakah)
			w.admit("p2", hasakah)
			w.must(release("p2", hasakah))
			return &PersonMerged{Kept: "p1", Merged: "p2", Reason: "x"}
		}, RuleMergePlace, "released"},
		{"already merged", func(w *world) Payload {
			w.admit("p1", hasakah)
			w.admit("p2", hasakah)
			w.admit("p3", hasakah)
			w.must(&PersonMerged{Kept: "p1", Merged: "p2", Reason: "x"})
			return &PersonMerged{Kept: "p3", Merged: "p2", Reason: "x"}
		}, RuleMerged, "merged into p1"},
		{"into a merged record", func(w *world) Payload {
			w.admit("p1", hasakah)
			w.admit("p2", hasakah)
			w.admit("p3", hasakah)
			w.must(&PersonMerged{Kept: "p1", Merged: "p2", Reason: "x"})
			return &PersonMerged{Kept: "p2", Merged: "p3", Reason: "x"}
		}, RuleMerged, "merged into p1"},
		{"unmerge of a record not merged", func(w *world) Payload {
			w.admit("p1", hasakah)
			return &PersonUnmerged{Person: "p1", Kept: "p2", Merge: 3, Reason: "x"}
		}, RuleMergeRef, "not merged"},
		{"unmerge naming another merge", func(w *world) Payload {
			w.admit("p1", hasakah)
			w.admit("p2", hasakah)
			m := w.must(&PersonMerged{Kept: "p1", Merged: "p2", Reason: "x"})
			return &PersonUnmerged{Person: "p2", Kept: "p1", Merge: m - 1, Reason: "x"}
		}, RuleMergeRef, "in force"},
		{"unmerge without reason", func(w *world) Payload {
			w.admit("p1", hasakah)
			w.admit("p2", hasakah)
			m := w.must(&PersonMerged{Kept: "p1", Merged: "p2", Reason: "x"})
			return &PersonUnmerged{Person: "p2", Kept: "p1", Merge: m}
		}, RuleRequired, "reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t).base()
			p := c.req(w)
			before := snapshot(t, w.s)
			_, err := w.req(w.ev(p))
			sameState(t, "rejected request", before, snapshot(t, w.s))
			var e *Error
			if !errors.As(err, &e) || e.Rule != c.rule || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("got %v, want rule %s with %q", err, c.rule, c.msg)
			}
		})
	}
}
