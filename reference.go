package custody

import (
	"fmt"
	"slices"
)

// ListID names a reference list: the codes a field of an event may take.
// Reasons are reference data, versioned in the log, never free text and
// never a list compiled into the program.
type ListID string

// Reference lists.
const (
	ListNotBoarded      ListID = "not-boarded"      // why a manifested person did not board
	ListManifestChange  ListID = "manifest-change"  // why a frozen manifest changed
	ListHandoverRefused ListID = "handover-refused" // why a receiving authority refused a person
	ListMoveAborted     ListID = "move-aborted"     // why a move was called off
)

// Lists are the reference lists events use.
var Lists = []ListID{ListNotBoarded, ListManifestChange, ListHandoverRefused, ListMoveAborted}

// ReferenceEntry is one code of a reference list.
type ReferenceEntry struct {
	Code    string `json:"code"`
	Label   string `json:"label"`              // English
	LabelAr string `json:"label_ar,omitempty"` // Arabic
}

// ReferenceList is one version of a reference list.
type ReferenceList struct {
	List    ListID           `json:"list"`
	Version int              `json:"version"`
	Entries []ReferenceEntry `json:"entries"`
	Seq     int64            `json:"seq"` // log index of the publication
}

// Entry returns the entry with the given code.
func (l *ReferenceList) Entry(code string) (ReferenceEntry, bool) {
	for _, e := range l.Entries {
		if e.Code == code {
			return e, true
		}
	}
	return ReferenceEntry{}, false
}

// Reason is a code of a reference list, with the version of the list it
// was chosen from: the meaning of a recorded reason never changes when the
// list does. A field device that has not yet received the latest version
// may still use an earlier one.
type Reason struct {
	Code    string `json:"code"`
	Version int    `json:"version"`
	Note    string `json:"note,omitempty"` // free-text detail; the code carries the meaning
}

// ReferencePublished publishes a new version of a reference list. Versions
// of a list are numbered 1, 2, ... in log order.
type ReferencePublished struct {
	List    ListID           `json:"list"`
	Version int              `json:"version"`
	Entries []ReferenceEntry `json:"entries"`
}

// EventType implements Payload.
func (*ReferencePublished) EventType() EventType { return TypeReferencePublished }

func (s *State) applyReference(seq int64, e *Event, d *ReferencePublished, u *journal) error {
	if !slices.Contains(Lists, d.List) {
		return s.reject(e, "", "", RuleReference, "list %q is not one of %v", d.List, Lists)
	}
	have := s.References[d.List]
	if d.Version != len(have)+1 {
		return s.reject(e, "", "", RuleReference, "list %s: version %d follows version %d: want %d", d.List, d.Version, len(have), len(have)+1)
	}
	if len(d.Entries) == 0 {
		return s.reject(e, "", "", RuleRequired, "list %s version %d has no entries", d.List, d.Version)
	}
	seen := map[string]bool{}
	for i, en := range d.Entries {
		switch {
		case en.Code == "" || en.Label == "":
			return s.reject(e, "", "", RuleRequired, "list %s entry %d: code and label are required", d.List, i+1)
		case seen[en.Code]:
			return s.reject(e, "", "", RuleReference, "list %s entry %d: code %q appears twice", d.List, i+1, en.Code)
		}
		seen[en.Code] = true
	}
	s.References[d.List] = append(have[:len(have):len(have)], &ReferenceList{List: d.List, Version: d.Version, Entries: d.Entries, Seq: seq})
	u.add(func() {
		if have == nil {
			delete(s.References, d.List) // as it was: no version, not an empty one
		} else {
			s.References[d.List] = have
		}
	})
	u.ch.References = append(u.ch.References, d.List)
	return nil
}

// checkReason requires r to be a code of a published version of list.
func (s *State) checkReason(e *Event, p PersonID, list ListID, r Reason) error {
	if r.Code == "" {
		return s.reject(e, p, "", RuleRequired, "a reason from the %s list is required", list)
	}
	versions := s.References[list]
	if r.Version < 1 || r.Version > len(versions) {
		return s.reject(e, p, "", RuleReference, "reason %q names version %d of the %s list, which has %d published", r.Code, r.Version, list, len(versions))
	}
	if _, ok := versions[r.Version-1].Entry(r.Code); !ok {
		return s.reject(e, p, "", RuleReference, "reason %q is not in version %d of the %s list", r.Code, r.Version, list)
	}
	return nil
}

// CurrentReason returns the reason for code in the latest version of list.
func (s *State) CurrentReason(list ListID, code string) (Reason, error) {
	versions := s.References[list]
	if len(versions) == 0 {
		return Reason{}, fmt.Errorf("the %s list has no published version", list)
	}
	l := versions[len(versions)-1]
	if _, ok := l.Entry(code); !ok {
		return Reason{}, fmt.Errorf("reason %q is not in version %d of the %s list", code, l.Version, list)
	}
	return Reason{Code: code, Version: l.Version}, nil
}

// DefaultReferences are the first versions of the reference lists that
// `custody init` and the demo publish. Each deployment publishes its own
// later versions.
func DefaultReferences() []ReferencePublished {
	return []ReferencePublished{
		{List: ListNotBoarded, Version: 1, Entries: []ReferenceEntry{
			{Code: "medical-unfit", Label: "medically unfit to travel", LabelAr: "غير لائق طبياً للسفر"},
			{Code: "in-hospital", Label: "in hospital", LabelAr: "في المستشفى"},
			{Code: "not-present", Label: "not present at the roll call", LabelAr: "غير موجود عند التفقد"},
			{Code: "identity-mismatch", Label: "identity does not match the record", LabelAr: "الهوية لا تطابق السجل"},
			{Code: "court-order", Label: "held by a court order", LabelAr: "محتجز بأمر قضائي"},
			{Code: "security-hold", Label: "held back for security reasons", LabelAr: "مستبقى لأسباب أمنية"},
			{Code: "seat-unavailable", Label: "vehicle seat unavailable", LabelAr: "لا يوجد مقعد"},
		}},
		{List: ListManifestChange, Version: 1, Entries: []ReferenceEntry{
			{Code: "medical", Label: "medical reasons", LabelAr: "أسباب طبية"},
			{Code: "vehicle-change", Label: "vehicle breakdown or change", LabelAr: "عطل أو تغيير المركبة"},
			{Code: "planner-correction", Label: "correction by the planner", LabelAr: "تصحيح من المخطط"},
			{Code: "security", Label: "security reasons", LabelAr: "أسباب أمنية"},
		}},
		{List: ListHandoverRefused, Version: 1, Entries: []ReferenceEntry{
			{Code: "identity-mismatch", Label: "identity does not match the record", LabelAr: "الهوية لا تطابق السجل"},
			{Code: "not-on-manifest", Label: "not on the manifest", LabelAr: "غير مدرج في البيان"},
			{Code: "medical", Label: "needs medical care first", LabelAr: "يحتاج رعاية طبية أولاً"},
			{Code: "documents-missing", Label: "transfer documents missing", LabelAr: "وثائق النقل مفقودة"},
		}},
		{List: ListMoveAborted, Version: 1, Entries: []ReferenceEntry{
			{Code: "security", Label: "security situation on the route", LabelAr: "الوضع الأمني على الطريق"},
			{Code: "weather", Label: "weather", LabelAr: "الطقس"},
			{Code: "vehicle", Label: "vehicles or aircraft unavailable", LabelAr: "المركبات أو الطائرة غير متوفرة"},
			{Code: "receiving-not-ready", Label: "receiving facility not ready", LabelAr: "المنشأة المستقبلة غير جاهزة"},
		}},
	}
}
