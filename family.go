package custody

import (
	"fmt"
	"strings"
	"time"
)

// What relatives are told. The Convention against Enforced Disappearance
// (Art. 18(1)) entitles relatives to a defined set of facts; the policy
// that answers families starts from that set, and a deployment can narrow
// it (never widen it). The answer is composed from the record by the
// system, not typed by the desk, so it cannot release more than policy.

// ReleaseField is one kind of fact released to relatives.
type ReleaseField string

// Release fields, after CED Art. 18(1)(a)-(g).
const (
	ReleaseOrderedBy   ReleaseField = "ordered_by"  // (a) the authority that ordered the deprivation of liberty
	ReleaseTaken       ReleaseField = "taken"       // (b) date and place of deprivation of liberty and of admission
	ReleaseSupervisor  ReleaseField = "supervisor"  // (c) the authority responsible for the person now
	ReleaseWhereabouts ReleaseField = "whereabouts" // (d) where the person is, including after a transfer
	ReleaseRelease     ReleaseField = "release"     // (e) date and place of release
	ReleaseHealth      ReleaseField = "health"      // (f) state of health (in hospital, and since when)
	ReleaseDeath       ReleaseField = "death"       // (g) circumstances and cause of death, destination of the remains
)

// ReleaseFields are every field the Convention releases to relatives, in
// its order: the default family policy.
var ReleaseFields = []ReleaseField{ReleaseOrderedBy, ReleaseTaken, ReleaseSupervisor, ReleaseWhereabouts, ReleaseRelease, ReleaseHealth, ReleaseDeath}

// ParseReleaseFields parses a comma-separated list of release fields (a
// deployment's narrowing of the default).
func ParseReleaseFields(s string) ([]ReleaseField, error) {
	var out []ReleaseField
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		rf := ReleaseField(f)
		ok := false
		for _, k := range ReleaseFields {
			ok = ok || k == rf
		}
		if !ok {
			return nil, fmt.Errorf("release field %q is not one of %v", f, ReleaseFields)
		}
		out = append(out, rf)
	}
	return out, nil
}

// ReleasedFact is one fact told to relatives.
type ReleasedFact struct {
	Field ReleaseField `json:"field"`
	Value string       `json:"value"`
}

// FamilyAnswer is what a family was told: whether the person was found
// and the facts released.
type FamilyAnswer struct {
	Found bool           `json:"found"`
	Facts []ReleasedFact `json:"facts,omitempty"`
}

// Namer names authorities and facilities for an answer.
type Namer interface {
	AuthorityName(AuthorityID) string
	FacilityName(FacilityID) string
}

// ComposeAnswer composes the answer about a confirmed person from their
// current state and their events (oldest first), releasing only the fields
// in release.
func ComposeAnswer(release []ReleaseField, ps *PersonState, history []Event, n Namer) FamilyAnswer {
	allowed := map[ReleaseField]bool{}
	for _, f := range release {
		allowed[f] = true
	}
	a := FamilyAnswer{Found: true}
	add := func(f ReleaseField, format string, args ...any) {
		if allowed[f] {
			a.Facts = append(a.Facts, ReleasedFact{Field: f, Value: fmt.Sprintf(format, args...)})
		}
	}
	day := func(t time.Time) string { return t.UTC().Format("2 January 2006") }
	var admitted *Admitted
	var admittedAt time.Time
	var released *Released
	var releasedAt time.Time
	var died *Died
	var diedAt time.Time
	for i := range history {
		switch d := history[i].Data.(type) {
		case *Admitted:
			if admitted == nil {
				admitted, admittedAt = d, history[i].OccurredAt
			}
		case *Released:
			released, releasedAt = d, history[i].OccurredAt
		case *Died:
			died, diedAt = d, history[i].OccurredAt
		}
	}
	if admitted != nil {
		add(ReleaseOrderedBy, "%s", n.AuthorityName(admitted.OrderedBy))
		add(ReleaseTaken, "detained on %s; admitted to %s", day(admittedAt), n.FacilityName(admitted.Facility))
	}
	l := ps.Location
	switch l.Status {
	case StatusHeld:
		add(ReleaseSupervisor, "%s", n.AuthorityName(l.Authority))
		add(ReleaseWhereabouts, "held at %s since %s", n.FacilityName(l.Facility), day(l.Since))
	case StatusHospitalised:
		add(ReleaseSupervisor, "%s", n.AuthorityName(l.Authority))
		add(ReleaseWhereabouts, "in %s since %s", n.FacilityName(l.Facility), day(l.Since))
		add(ReleaseHealth, "in hospital since %s", day(l.Since))
	case StatusAboard:
		add(ReleaseSupervisor, "%s", n.AuthorityName(l.Authority))
		add(ReleaseWhereabouts, "being transferred since %s, in the custody of %s", day(l.Since), n.AuthorityName(l.Authority))
	case StatusReleased:
		if released != nil {
			place := n.FacilityName(released.Facility)
			if released.Destination != "" {
				place += ", to " + released.Destination
			}
			add(ReleaseRelease, "released on %s from %s", day(releasedAt), place)
		}
	case StatusRepatriated:
		add(ReleaseRelease, "repatriated on %s: handed over to %s", day(l.Since), n.AuthorityName(l.Authority))
	case StatusEscaped:
		add(ReleaseWhereabouts, "not in custody since %s; the authorities are searching", day(l.Since))
	case StatusDeceased:
		if died != nil {
			add(ReleaseDeath, "died on %s; circumstances: %s; cause: %s; remains: %s", day(diedAt), died.Circumstances, died.Cause, died.Remains)
		}
	}
	return a
}
