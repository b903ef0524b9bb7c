package web

import (
	"context"
	"fmt"
	"strings"

	custody "github.com/opencustody/custody"
)

// Events as the UI tells them: a label for each type and one sentence for
// each event, in the page's language.

// eventLabels are the English labels of event types (translated by T).
var eventLabels = map[custody.EventType]string{
	custody.TypeAuthorityRegistered: "authority registered",
	custody.TypeFacilityRegistered:  "facility registered",
	custody.TypeControlChanged:      "control changed",
	custody.TypePersonRegistered:    "registered",
	custody.TypeIdentityCorrected:   "identity corrected",
	custody.TypeAdmitted:            "admitted",
	custody.TypeTransferred:         "transferred",
	custody.TypeReleased:            "released",
	custody.TypeEscaped:             "escaped",
	custody.TypeRecaptured:          "recaptured",
	custody.TypeDied:                "died",
	custody.TypeHospitalised:        "hospitalised",
	custody.TypeReturned:            "returned from hospital",
	custody.TypeReferencePublished:  "reference list published",
	custody.TypeAllocationCreated:   "allocation created",
	custody.TypeMovePlanned:         "move planned",
	custody.TypeManifestAmended:     "manifest amended",
	custody.TypeBoardingStarted:     "boarding started",
	custody.TypeBoarded:             "boarded",
	custody.TypeNotBoarded:          "not boarded",
	custody.TypeDeparted:            "departed",
	custody.TypeCounted:             "counted",
	custody.TypeArrived:             "arrived",
	custody.TypeHandoverReleased:    "handover released",
	custody.TypeHandoverReceived:    "handover received",
	custody.TypeHandoverRefused:     "handover refused",
	custody.TypeEvacuated:           "evacuated",
	custody.TypeMoveClosed:          "move closed",
	custody.TypeMoveAborted:         "move aborted",
	custody.TypePersonMerged:        "records merged",
	custody.TypePersonUnmerged:      "merge undone",
	custody.TypeInquiryOpened:       "family inquiry",
	custody.TypeInquiryDecided:      "inquiry decision",
	custody.TypeInquiryAnswered:     "family answered",

	custody.TypeChargesPublished:      "charges published",
	custody.TypePositionsPublished:    "death-penalty positions published",
	custody.TypeCaseOpened:            "case opened",
	custody.TypeCaseCharged:           "charged",
	custody.TypeCaseHearing:           "hearing",
	custody.TypeCaseDecided:           "decision",
	custody.TypeCaseSentenced:         "sentenced",
	custody.TypeCaseAppealed:          "appeal lodged",
	custody.TypeCaseAppealDecided:     "appeal decided",
	custody.TypeConsularNotified:      "consular notification delivered",
	custody.TypeConsularAcknowledged:  "consular notification acknowledged",
	custody.TypeRepatriationRequested: "repatriation requested",
	custody.TypeRepatriationDecided:   "repatriation decided",
	custody.TypeRepatriationReleased:  "released for repatriation",
	custody.TypeRepatriationReceived:  "repatriated",
}

// EventLabel is the label of an event type in the page's language.
func (l *lookup) EventLabel(t custody.EventType) string {
	if s, ok := eventLabels[t]; ok {
		return l.lang.T(s)
	}
	return string(t)
}

// loadRefs reads the reference lists into the lookup (for reason labels
// and the forms' choices).
func (s *Server) loadRefs(ctx context.Context, l *lookup) error {
	refs, err := s.store.ReferenceLists(ctx)
	if err != nil {
		return err
	}
	l.refs = refs
	return nil
}

// Reason labels a reason from the version of its list it names.
func (l *lookup) Reason(list custody.ListID, r custody.Reason) string {
	s := r.Code
	if vs := l.refs[list]; r.Version >= 1 && r.Version <= len(vs) {
		if en, ok := vs[r.Version-1].Entry(r.Code); ok {
			s = en.Label
			if l.lang == Arabic && en.LabelAr != "" {
				s = en.LabelAr
			}
		}
	}
	if r.Note != "" {
		s += " — " + r.Note
	}
	return s
}

// Choices are the entries of the current version of a list, labelled in
// the page's language.
func (l *lookup) Choices(list custody.ListID) []choice {
	vs := l.refs[list]
	if len(vs) == 0 {
		return nil
	}
	cur := vs[len(vs)-1]
	out := make([]choice, len(cur.Entries))
	for i, en := range cur.Entries {
		label := en.Label
		if l.lang == Arabic && en.LabelAr != "" {
			label = en.LabelAr
		}
		out[i] = choice{Value: en.Code, Label: label}
	}
	return out
}

// choice is an option of a select.
type choice struct {
	Value, Label string
	Selected     bool
}

// Describe tells an event in one sentence in the page's language.
func (l *lookup) Describe(e *custody.Event) string {
	T := l.lang.T
	switch d := e.Data.(type) {
	case *custody.PersonRegistered:
		return T("Registered as %s", l.Name(d.Person.Name))
	case *custody.PersonMerged:
		return T("Record %s merged into record %s, the same person: %s", d.Merged, d.Kept, d.Reason)
	case *custody.PersonUnmerged:
		return T("The merge of event %d is undone: %s and %s are two persons: %s", d.Merge, d.Person, d.Kept, d.Reason)
	case *custody.InquiryAnswered:
		if d.Answer.Found {
			return T("A family inquiry (%s) was answered: %d fact(s) released", d.Inquiry, len(d.Answer.Facts))
		}
		return T("A family inquiry (%s) was answered: not found", d.Inquiry)
	case *custody.IdentityCorrected:
		return T("Identity corrected (corrects event %d): %s", d.Corrects, d.Reason)
	case *custody.Admitted:
		return T("Admitted to %s, taken by %s, ordered by %s; grounds: %s", l.Facility(d.Facility), d.TakenBy, l.Authority(d.OrderedBy), d.Grounds)
	case *custody.Transferred:
		return T("Transferred from %s to %s, ordered by %s", l.Facility(d.From), l.Facility(d.To), l.Authority(d.OrderedBy))
	case *custody.Released:
		return T("Released from %s (%s), authorised by %s", l.Facility(d.Facility), d.Reason, l.Authority(d.AuthorisedBy))
	case *custody.Escaped:
		if d.Move != "" {
			return T("Escaped from move %s", d.Move)
		}
		return T("Escaped from %s", l.Facility(d.Facility))
	case *custody.Recaptured:
		return T("Recaptured and admitted to %s (closes the escape of event %d)", l.Facility(d.Facility), d.Escape)
	case *custody.Died:
		return T("Died: %s; cause: %s; remains: %s", d.Circumstances, d.Cause, d.Remains)
	case *custody.Hospitalised:
		return T("Taken from %s to %s", l.Facility(d.From), l.Facility(d.Hospital))
	case *custody.Returned:
		return T("Returned from %s to %s", l.Facility(d.Hospital), l.Facility(d.Facility))
	case *custody.ControlChanged:
		return T("Control of %s passed from %s to %s", l.Facility(d.Facility), l.Authority(d.From), l.Authority(d.To))
	case *custody.MovePlanned:
		return T("Manifested for move %s: %s → %s", d.Move.ID, l.Facility(d.Move.Origin), l.Facility(d.Move.Destination))
	case *custody.ManifestAmended:
		return T("Manifest of move %s amended", d.Move)
	case *custody.BoardingStarted:
		return T("Boarding of move %s started", d.Move)
	case *custody.Boarded:
		how := T("ID typed")
		if d.Scan == custody.ScanQR {
			how = T("wristband scanned")
		}
		return T("Boarded move %s, vehicle %s (%s)", d.Move, d.Vehicle, how)
	case *custody.NotBoarded:
		return T("Not boarded on move %s: %s", d.Move, l.Reason(custody.ListNotBoarded, d.Reason))
	case *custody.Departed:
		return T("Move %s departed with %d aboard", d.Move, d.Count)
	case *custody.Counted:
		if d.Leg == 0 {
			return T("Move %s recounted: %d", d.Move, d.Count)
		}
		return T("Move %s counted %d at leg %d", d.Move, d.Count, d.Leg)
	case *custody.Arrived:
		return T("Move %s arrived with %d aboard", d.Move, d.Count)
	case *custody.HandoverReleased:
		return T("Handed over by %s to %s at %s (move %s)", l.Authority(e.By.Authority), l.Authority(d.To), T(string(d.Stage)), d.Move)
	case *custody.HandoverReceived:
		return T("Received by %s, identity checked (move %s, handover %d)", l.Authority(e.By.Authority), d.Move, d.Handover)
	case *custody.HandoverRefused:
		return T("Refused by %s: %s (move %s)", l.Authority(e.By.Authority), l.Reason(custody.ListHandoverRefused, d.Reason), d.Move)
	case *custody.Evacuated:
		return T("Evacuated from move %s to %s: %s", d.Move, l.Facility(d.Hospital), d.Condition)
	case *custody.MoveClosed:
		return T("Move %s closed", d.Move)
	case *custody.MoveAborted:
		return T("Move %s aborted: %s", d.Move, l.Reason(custody.ListMoveAborted, d.Reason))
	case *custody.AllocationCreated:
		return T("Allocation %s created", d.Allocation.ID)
	case *custody.FacilityRegistered:
		return T("Facility %s registered", l.Name(d.Facility.Name))
	case *custody.AuthorityRegistered:
		return T("Authority %s registered", l.Name(d.Authority.Name))
	}
	if s, ok := l.describeLegal(e); ok {
		return s
	}
	return fmt.Sprint(e.Type)
}

// describeLegal tells the events of cases, consular notification,
// repatriation and legal reference data.
func (l *lookup) describeLegal(e *custody.Event) (string, bool) {
	T := l.lang.T
	yesNo := func(b bool) string {
		if b {
			return T("with counsel")
		}
		return T("without counsel")
	}
	switch d := e.Data.(type) {
	case *custody.ChargesPublished:
		return T("Version %d of the charges published (%d charges); source: %s", d.Version, len(d.Charges), d.Source), true
	case *custody.PositionsPublished:
		return T("Version %d of the states' positions on the death penalty published, as of %s; source: %s", d.Version, d.AsOf, d.Source), true
	case *custody.CaseOpened:
		return T("Case %s opened before %s by %s, in the jurisdiction of %s", d.Case.ID, d.Case.Court, d.Case.Committee, l.Authority(d.Case.Jurisdiction)), true
	case *custody.CaseCharged:
		codes := make([]string, len(d.Charges))
		for i, c := range d.Charges {
			codes[i] = c.Code
		}
		return T("Case %s: charged with %s", d.Case, strings.Join(codes, ", ")), true
	case *custody.CaseHearing:
		return T("Case %s: hearing at %s, %s: %s", d.Case, d.Court, yesNo(d.Counsel), d.Summary), true
	case *custody.CaseDecided:
		return T("Case %s: decision: %s", d.Case, T(d.Decision)), true
	case *custody.CaseSentenced:
		return T("Case %s: sentenced by %s to %s", d.Case, d.Court, penaltyText(l.lang, &d.Sentence)), true
	case *custody.CaseAppealed:
		return T("Case %s: appeal (%s) to %s", d.Case, T(d.By), d.Court), true
	case *custody.CaseAppealDecided:
		if d.Sentence != nil {
			return T("Case %s: appeal decided: %s, to %s", d.Case, T(d.Outcome), penaltyText(l.lang, d.Sentence)), true
		}
		return T("Case %s: appeal decided: %s", d.Case, T(d.Outcome)), true
	case *custody.ConsularNotified:
		return T("Consular notification to %s delivered by %s to %s (%d person(s))", d.Country, d.Means, d.To, len(d.Notifications)), true
	case *custody.ConsularAcknowledged:
		return T("Consular notification acknowledged by %s (%d person(s))", d.Country, len(d.Notifications)), true
	case *custody.RepatriationRequested:
		return T("Repatriation to %s requested (request %s, %d person(s)), to be received by %s", d.Request.Country, d.Request.ID, len(d.Request.Persons), l.Authority(d.Request.Authority)), true
	case *custody.RepatriationDecided:
		return T("Repatriation request %s: %d approved, %d refused by %s", d.Request, len(d.Approved), len(d.Refused), l.Authority(e.By.Authority)), true
	case *custody.RepatriationReleased:
		return T("Released by %s for repatriation at %s (request %s)", l.Authority(e.By.Authority), d.Place, d.Request), true
	case *custody.RepatriationReceived:
		return T("Received by %s: repatriated (request %s)", l.Authority(e.By.Authority), d.Request), true
	}
	return "", false
}
