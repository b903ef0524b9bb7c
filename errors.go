package custody

import (
	"errors"
	"fmt"
)

// Code classifies an error at the edge of the system (HTTP status, exit code).
type Code string

// The few error codes. Everything else is wrapped detail.
const (
	Invalid  Code = "invalid"   // the request is malformed or breaks a rule
	NotFound Code = "not_found" // it names something that does not exist
	Conflict Code = "conflict"  // it contradicts what was recorded before
	Internal Code = "internal"  // something failed that the user cannot fix

	Unauthenticated Code = "unauthenticated" // nobody is signed in, or the credentials are wrong
	Forbidden       Code = "forbidden"       // the user's role or scope does not allow it
	TooMany         Code = "too_many"        // too many attempts: wait and try again
)

// Rule names an invariant or business rule, so that a rejected event says
// exactly which rule it broke.
type Rule string

// Rules enforced by State.
const (
	RuleUnknownPerson     Rule = "unknown-person"       // nothing may be recorded for a person never registered
	RuleUnknownFacility   Rule = "unknown-facility"     // the facility must be registered
	RuleUnknownAuthority  Rule = "unknown-authority"    // the authority must be registered
	RuleDuplicate         Rule = "already-registered"   // an ID is registered once
	RuleHeldElsewhere     Rule = "held-elsewhere"       // no admission of someone held elsewhere
	RuleNotHeld           Rule = "not-held"             // no release, escape, transfer... of someone not held
	RuleNotHeldHere       Rule = "not-held-here"        // the person is held, but not where the event says
	RuleConservation      Rule = "conservation"         // each person in exactly one place or a stated out-of-custody state
	RuleCounts            Rule = "counts"               // a facility's count equals its roll
	RuleNoOpenEscape      Rule = "no-open-escape"       // a recapture names an open escape of that person
	RuleCorrectionTarget  Rule = "correction-target"    // a correction names an identity event of that person
	RuleDeceased          Rule = "deceased"             // nothing changes the custody of a dead person
	RuleRequired          Rule = "required-field"       // a required field is empty
	RuleCapacity          Rule = "capacity"             // reserved for moves: never above capacity
	RuleControl           Rule = "control"              // a control change must come from the current controller
	RuleFamilyLink        Rule = "family-link"          // a family link names a registered person
	RuleIdempotency       Rule = "idempotency-conflict" // the same key with a different body
	RuleHospital          Rule = "hospital"             // hospitalisation goes to a hospital, return comes from one
	RuleNotHospitalised   Rule = "not-hospitalised"     // return from hospital of someone not in hospital
	RuleReference         Rule = "reference"            // a reason is a code of a published version of its reference list
	RuleAllocation        Rule = "allocation"           // a move belongs to an open allocation, within its target and destinations
	RuleCriteria          Rule = "criteria"             // a manifested person meets the allocation's criteria
	RuleManifest          Rule = "manifest"             // a manifest seats each person once, in a seat of a vehicle of the move
	RuleOnOtherManifest   Rule = "on-other-manifest"    // a person is on at most one open manifest
	RuleNotOnManifest     Rule = "not-on-manifest"      // only a manifested person boards, and in their vehicle
	RuleFrozen            Rule = "frozen"               // a frozen manifest changes only with a reason
	RuleStage             Rule = "stage"                // a move's stages come in order
	RuleAlreadyBoarded    Rule = "already-boarded"      // each manifested person is boarded or not boarded once
	RuleNotAboard         Rule = "not-aboard"           // a handover, count or incident of a move concerns persons aboard it
	RuleWrongAuthority    Rule = "wrong-authority"      // each side of a handover is confirmed by a user of that side's authority
	RuleAlreadyHandedOver Rule = "already-handed-over"  // a person is handed over once per stage
	RuleIdentityCheck     Rule = "identity-check"       // the receiving side checks each person's identity
	RuleWristband         Rule = "wristband"            // a scanned wristband code is valid and names the person
	RuleBalance           Rule = "balance"              // a move closes only when its counts balance and no alert is open
)

// Error is the one error type that crosses package boundaries. Its Error
// text names the event, the person (or facility) and the rule broken.
type Error struct {
	Code     Code
	Rule     Rule
	Event    EventType // the event type rejected, if any
	Key      string    // the event's idempotency key, if any
	Person   PersonID
	Facility FacilityID
	Msg      string // safe to show to the user
	Err      error  // the cause, never shown to users as is
}

func (e *Error) Error() string {
	s := e.Safe()
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Safe is the error's text without its cause: what may be shown to a user.
func (e *Error) Safe() string {
	s := ""
	if e.Event != "" {
		s = "event " + string(e.Event)
		if e.Key != "" {
			s += " (key " + e.Key + ")"
		}
	}
	if e.Person != "" {
		s = join(s, "person "+string(e.Person))
	}
	if e.Facility != "" {
		s = join(s, "facility "+string(e.Facility))
	}
	if s != "" {
		s += ": "
	}
	if e.Rule != "" {
		s += "rule " + string(e.Rule) + ": "
	}
	return s + e.Msg
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of the first *Error in err's chain, or
// Internal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}
