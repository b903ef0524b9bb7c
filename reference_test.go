package custody

import (
	"errors"
	"strings"
	"testing"
)

func notBoardedList(version int, codes ...string) *ReferencePublished {
	l := &ReferencePublished{List: ListNotBoarded, Version: version}
	for _, c := range codes {
		l.Entries = append(l.Entries, ReferenceEntry{Code: c, Label: "label of " + c})
	}
	return l
}

// refuse applies p as a request of its own, which must be refused under
// rule with a message saying msg, changing nothing.
func refuse(t *testing.T, w *world, p Payload, rule Rule, msg string) {
	t.Helper()
	before := dump(t, w.s)
	_, err := w.req(w.ev(p))
	sameState(t, "refused request", before, dump(t, w.s))
	var e *Error
	if !errors.As(err, &e) || e.Rule != rule || !strings.Contains(e.Msg, msg) {
		t.Errorf("%T %+v: error %v, want rule %s saying %q", p, p, err, rule, msg)
	}
}

// TestReferenceVersions: the versions of a list are numbered 1, 2, ... in
// log order, each list on its own.
func TestReferenceVersions(t *testing.T) {
	w := newWorld(t)
	refuse(t, w, notBoardedList(0, "a"), RuleReference, "want 1")
	refuse(t, w, notBoardedList(2, "a"), RuleReference, "version 2 follows version 0: want 1")
	seq := w.must(notBoardedList(1, "a", "b"))
	refuse(t, w, notBoardedList(1, "a", "b", "c"), RuleReference, "want 2")
	refuse(t, w, notBoardedList(3, "a"), RuleReference, "want 2")
	refuse(t, w, notBoardedList(-1, "a"), RuleReference, "want 2")
	seq2 := w.must(notBoardedList(2, "b", "c"))
	w.must(&ReferencePublished{List: ListMoveAborted, Version: 1, Entries: []ReferenceEntry{{Code: "a", Label: "A"}}})
	versions := w.s.References[ListNotBoarded]
	if len(versions) != 2 || versions[0].Version != 1 || versions[0].Seq != seq || versions[1].Version != 2 || versions[1].Seq != seq2 {
		t.Fatalf("versions %+v", versions)
	}
	if _, ok := versions[0].Entry("a"); !ok {
		t.Error("version 1 lost code a")
	}
	if _, ok := versions[1].Entry("a"); ok {
		t.Error("version 2 has code a")
	}
	if n := len(w.s.References[ListMoveAborted]); n != 1 {
		t.Errorf("%d versions of move-aborted", n)
	}
}

func TestReferenceEntries(t *testing.T) {
	w := newWorld(t)
	refuse(t, w, notBoardedList(1), RuleRequired, "no entries")
	refuse(t, w, notBoardedList(1, "a", "b", "a"), RuleReference, `entry 3: code "a" appears twice`)
	refuse(t, w, notBoardedList(1, "a", ""), RuleRequired, "entry 2: code and label")
	l := notBoardedList(1, "a")
	l.Entries[0].Label = ""
	refuse(t, w, l, RuleRequired, "entry 1: code and label")
	refuse(t, w, &ReferencePublished{List: "incident-types", Version: 1, Entries: []ReferenceEntry{{Code: "a", Label: "A"}}}, RuleReference, `"incident-types"`)
	if len(w.s.References) != 0 {
		t.Errorf("references %v", w.s.References)
	}
}

// TestReferenceUndo: a request that publishes the first version of a list
// and then fails leaves no trace of the list.
func TestReferenceUndo(t *testing.T) {
	w := newWorld(t)
	before := dump(t, w.s)
	if _, err := w.req(w.evs(notBoardedList(1, "a"), notBoardedList(3, "a"))...); err == nil {
		t.Fatal("accepted")
	}
	sameState(t, "refused request", before, dump(t, w.s))
	if _, ok := w.s.References[ListNotBoarded]; ok {
		t.Error("the refused request left the list behind")
	}
}

func TestCurrentReason(t *testing.T) {
	w := newWorld(t)
	if _, err := w.s.CurrentReason(ListNotBoarded, "a"); err == nil || !strings.Contains(err.Error(), "no published version") {
		t.Errorf("before any version: %v", err)
	}
	w.must(notBoardedList(1, "a", "b"))
	if r, err := w.s.CurrentReason(ListNotBoarded, "a"); err != nil || r != (Reason{Code: "a", Version: 1}) {
		t.Errorf("CurrentReason(a) = %+v, %v", r, err)
	}
	w.must(notBoardedList(2, "b", "c"))
	for _, c := range []struct {
		code string
		want Reason
		err  string
	}{
		{"a", Reason{}, `"a" is not in version 2`},
		{"b", Reason{Code: "b", Version: 2}, ""},
		{"c", Reason{Code: "c", Version: 2}, ""},
		{"", Reason{}, "not in version 2"},
	} {
		r, err := w.s.CurrentReason(ListNotBoarded, c.code)
		if r != c.want || (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("CurrentReason(%q) = %+v, %v; want %+v, %q", c.code, r, err, c.want, c.err)
		}
	}
	if _, err := w.s.CurrentReason(ListManifestChange, "b"); err == nil {
		t.Error("a code of another list is current")
	}
}

// TestCheckReason: a reason names a code of a published version of its
// list, and an earlier version stays valid.
func TestCheckReason(t *testing.T) {
	w := newWorld(t)
	w.must(notBoardedList(1, "a", "b"))
	w.must(notBoardedList(2, "b", "c"))
	e := w.ev(&NotBoarded{})
	for _, c := range []struct {
		r    Reason
		rule Rule // "" for accepted
	}{
		{Reason{Code: "a", Version: 1}, ""},
		{Reason{Code: "b", Version: 1}, ""},
		{Reason{Code: "b", Version: 2, Note: "free text"}, ""},
		{Reason{Code: "c", Version: 2}, ""},
		{Reason{Code: "a", Version: 2}, RuleReference},
		{Reason{Code: "c", Version: 1}, RuleReference},
		{Reason{Code: "a", Version: 0}, RuleReference},
		{Reason{Code: "a", Version: 3}, RuleReference},
		{Reason{Code: "A", Version: 1}, RuleReference},
		{Reason{Version: 1}, RuleRequired},
		{Reason{Version: 1, Note: "only a note"}, RuleRequired},
	} {
		err := w.s.checkReason(&e, "p1", ListNotBoarded, c.r)
		var ce *Error
		switch {
		case c.rule == "" && err != nil:
			t.Errorf("%+v refused: %v", c.r, err)
		case c.rule != "" && (!errors.As(err, &ce) || ce.Rule != c.rule || ce.Person != "p1"):
			t.Errorf("%+v: error %v, want rule %s naming p1", c.r, err, c.rule)
		}
	}
	if err := w.s.checkReason(&e, "", ListMoveAborted, Reason{Code: "a", Version: 1}); err == nil {
		t.Error("a reason of an unpublished list accepted")
	}
}

// TestDefaultReferences: the first versions publish cleanly, one of each
// list, each code with an English and an Arabic label.
func TestDefaultReferences(t *testing.T) {
	w := newWorld(t)
	refs := DefaultReferences()
	ps := make([]Payload, len(refs))
	for i := range refs {
		ps[i] = &refs[i]
	}
	w.must(ps...)
	for _, l := range Lists {
		v := w.s.References[l]
		if len(v) != 1 || v[0].Version != 1 {
			t.Errorf("%s: versions %+v", l, v)
			continue
		}
		for _, e := range v[0].Entries {
			if e.Label == "" || e.LabelAr == "" {
				t.Errorf("%s %s: labels %q, %q", l, e.Code, e.Label, e.LabelAr)
			}
		}
	}
	if len(w.s.References) != len(Lists) {
		t.Errorf("lists %v, want %v", w.s.References, Lists)
	}
}
