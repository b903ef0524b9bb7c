package custody

import "fmt"

// Merging two registrations of one person. A person registered twice (two
// IDs, the same human) is counted twice on a roll: a merge takes the later
// record off the roll and points it at the record kept. The merged record
// and its events stay in the log; a merge found wrong is undone by an
// unmerge, which puts the record back where it was.

// Event types of merges.
const (
	TypePersonMerged   EventType = "person.merged"
	TypePersonUnmerged EventType = "person.unmerged"
)

// StatusMerged is the status of a record merged into another: not a place,
// and not a person of its own. The record it was merged into holds the
// person.
const StatusMerged Status = "merged"

// Rules of merges.
const (
	RuleMerged     Rule = "merged"      // nothing is recorded on a merged record; unmerge it first
	RuleMergePlace Rule = "merge-place" // the two records of a merge are on the roll of the same facility
	RuleMergeRef   Rule = "merge-ref"   // an unmerge names the merge of that record that is in force
)

// PersonMerged merges record Merged into record Kept: both are the same
// person. Reason says how that was established (same parents' names and
// birth date, a document, a photograph...).
type PersonMerged struct {
	Kept   PersonID `json:"kept"`
	Merged PersonID `json:"merged"`
	Reason string   `json:"reason"`
}

// PersonUnmerged undoes merge Merge (its log index) of record Person into
// record Kept: the two records are two persons after all.
type PersonUnmerged struct {
	Person PersonID `json:"person"`
	Kept   PersonID `json:"kept"`
	Merge  int64    `json:"merge"`
	Reason string   `json:"reason"`
}

func (*PersonMerged) EventType() EventType   { return TypePersonMerged }
func (*PersonUnmerged) EventType() EventType { return TypePersonUnmerged }

// Merge is the merge in force on a record.
type Merge struct {
	Into   PersonID `json:"into"`
	Seq    int64    `json:"seq"`    // log index of the merge
	Before Location `json:"before"` // where the record was: an unmerge puts it back
}

func (s *State) applyMerged(seq int64, e *Event, d *PersonMerged, u *journal) error {
	if d.Reason == "" {
		return s.reject(e, d.Merged, "", RuleRequired, "reason is empty")
	}
	if d.Kept == d.Merged {
		return s.reject(e, d.Merged, "", RuleRequired, "a record is not merged into itself")
	}
	kept, err := s.needPerson(e, d.Kept)
	if err != nil {
		return err
	}
	merged, err := s.needPerson(e, d.Merged)
	if err != nil {
		return err
	}
	kl, ml := kept.Location, merged.Location
	if !kl.Status.OnRoll() || !ml.Status.OnRoll() || kl.Facility != ml.Facility {
		return s.reject(e, d.Merged, ml.Facility, RuleMergePlace,
			"%s is %s, %s is %s: only two records on the roll of the same facility are merged (correct the custody first)",
			d.Kept, placeOf(kl), d.Merged, placeOf(ml))
	}
	if mv, ok := s.onOpenManifest(d.Merged, ""); ok {
		return s.reject(e, d.Merged, "", RuleOnOtherManifest, "%s is on the manifest of open move %s: take it off first", d.Merged, mv)
	}
	old := merged.Merged
	merged.Merged = &Merge{Into: d.Kept, Seq: seq, Before: ml}
	u.add(func() { merged.Merged = old })
	s.setLocation(merged, Location{Status: StatusMerged, Since: e.OccurredAt, SinceSeq: seq}, u)
	u.person(d.Kept)
	return nil
}

func (s *State) applyUnmerged(seq int64, e *Event, d *PersonUnmerged, u *journal) error {
	if d.Reason == "" {
		return s.reject(e, d.Person, "", RuleRequired, "reason is empty")
	}
	ps, ok := s.Persons[d.Person]
	if !ok {
		return s.reject(e, d.Person, "", RuleUnknownPerson, "no person %q is registered", d.Person)
	}
	m := ps.Merged
	if ps.Location.Status != StatusMerged || m == nil {
		return s.reject(e, d.Person, "", RuleMergeRef, "%s is not merged into another record", d.Person)
	}
	if m.Seq != d.Merge || m.Into != d.Kept {
		return s.reject(e, d.Person, "", RuleMergeRef, "the merge of %s in force is log index %d into %s, not %d into %s", d.Person, m.Seq, m.Into, d.Merge, d.Kept)
	}
	back := m.Before
	f, ok := s.Facilities[back.Facility]
	if !ok {
		return s.reject(e, d.Person, back.Facility, RuleUnknownFacility, "facility %q of the merged record is gone", back.Facility)
	}
	// Back on the roll where the record was, in the custody of whoever
	// controls that facility now.
	s.setLocation(ps, Location{Status: back.Status, Facility: back.Facility, Authority: f.Controller, Since: e.OccurredAt, SinceSeq: seq}, u)
	ps.Merged = nil
	u.add(func() { ps.Merged = m })
	u.person(m.Into)
	return nil
}

// placeOf describes a location for a message.
func placeOf(l Location) string {
	switch {
	case l.Facility != "":
		return fmt.Sprintf("%s at %s", l.Status, l.Facility)
	case l.Move != "":
		return fmt.Sprintf("%s %s", l.Status, l.Move)
	}
	return string(l.Status)
}
