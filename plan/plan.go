// Package plan assigns persons to moves, vehicles and seats under the
// constraints of the transfer, and checks any plan, including one edited by
// hand, against those constraints.
//
// [Make] builds a plan greedily and deterministically; [Check] is the
// authority on whether a plan is acceptable: it re-derives everything from
// the [Request] and lists every [Violation]. [LowerBound] gives the fewest
// vehicles any plan could use, to judge how well Make packed the seats.
//
// # Rules
//
// The constraints, each with the [Rule] the checker reports:
//
//   - risk-order: first-tier persons (risk tier 1) move first. A person of
//     another tier must not be seated while a tier-1 person of the same
//     origin and class is left unassigned, nor on an earlier date than a
//     seated tier-1 person of the same origin and class, when the two could
//     swap seats without breaking keep-apart. Classes here are men, women
//     travelling without children and unaccompanied minors; families are
//     left out because a family needs several seats and cannot swap for one.
//     Priority for ordering is tier 1, 2, 3, then 0 (not assessed) last: the
//     operation moves the known first-tier leaders out of at-risk facilities
//     first, and a person not yet assessed has no evidence of risk to rank on.
//   - minor-with-unrelated-adult: a minor (boy or girl) travels with adults
//     only when their own mother is aboard, and every adult in a vehicle with
//     minors must be the mother of a minor aboard. Mothers travelling with
//     their children may share a vehicle with other such families.
//   - men-and-women-together: no vehicle carries both men and women.
//   - mother-separated-from-young-child: a mother and her child under 12 are
//     either in the same vehicle or both unassigned.
//   - keep-apart: the two persons of a [KeepApart] pair never share a vehicle.
//   - over-capacity: a destination never receives more persons than its free
//     capacity, Capacity - AlreadyPlanned.
//   - seat-overflow, duplicate-seat, person-twice, person-missing, unknown,
//     origin-mismatch: the bookkeeping of seats, persons and vehicles.
//
// A mother is a candidate of category woman linked to the child by
// mother-of (on her record) or child-of (on the child's record). A child is
// young when Person.Under12 is set.
package plan

import (
	"slices"

	custody "github.com/opencustody/custody"
)

// VehicleKind says whether a vehicle travels by land or air.
type VehicleKind string

// Vehicle kinds.
const (
	Land     VehicleKind = "land"     // a vehicle of a land convoy
	Aircraft VehicleKind = "aircraft" // a flight
)

// Candidate is a person to move and the facility they are held in now.
type Candidate struct {
	Person custody.Person     `json:"person"`
	At     custody.FacilityID `json:"at"`
}

// Vehicle is one vehicle of a move (a convoy vehicle or an aircraft). It
// loads only persons held at Origin, on Date ("YYYY-MM-DD"), and takes them
// to Destination. Seats are numbered 1 to Seats.
type Vehicle struct {
	ID          string             `json:"id"`
	Kind        VehicleKind        `json:"kind"`
	Seats       int                `json:"seats"`
	Move        string             `json:"move"`
	Date        string             `json:"date"`
	Origin      custody.FacilityID `json:"origin"`
	Destination custody.FacilityID `json:"destination"`
}

// Destination is a receiving facility with its capacity and the number of
// persons already planned into it by earlier moves.
type Destination struct {
	Facility       custody.FacilityID `json:"facility"`
	Capacity       int                `json:"capacity"`
	AlreadyPlanned int                `json:"already_planned"`
}

// Free returns the capacity left for this plan.
func (d Destination) Free() int { return d.Capacity - d.AlreadyPlanned }

// KeepApart names two persons who must never travel in the same vehicle.
type KeepApart struct {
	A custody.PersonID `json:"a"`
	B custody.PersonID `json:"b"`
}

// Request is everything the planner plans from.
type Request struct {
	Candidates   []Candidate   `json:"candidates"`
	Vehicles     []Vehicle     `json:"vehicles"`
	Destinations []Destination `json:"destinations"`
	KeepApart    []KeepApart   `json:"keep_apart,omitempty"`
}

// Assignment seats one person in one vehicle.
type Assignment struct {
	Person  custody.PersonID `json:"person"`
	Vehicle string           `json:"vehicle"`
	Seat    int              `json:"seat"`
}

// Unassigned is a person the plan does not move, and why.
type Unassigned struct {
	Person custody.PersonID `json:"person"`
	Reason Reason           `json:"reason"`
}

// Reason says why a person was left unassigned.
type Reason string

// Reasons Make gives.
const (
	ReasonNoVehicle  Reason = "no-vehicle-from-origin"          // no vehicle loads at the person's facility
	ReasonNoSeat     Reason = "no-free-seat"                    // every vehicle of the origin is full or carries another class
	ReasonCapacity   Reason = "destination-capacity-exhausted"  // seats remain, but only to full destinations
	ReasonKeepApart  Reason = "keep-apart-in-every-vehicle"     // seats remain, but each vehicle carries someone to keep apart from
	ReasonFamilySite Reason = "family-held-at-different-places" // a mother and her young child are held at different facilities
	ReasonTooLarge   Reason = "family-larger-than-any-vehicle"  // a family unit does not fit in any one vehicle
)

// Plan is the planner's output: who sits where, and who is not moved.
// Assignments are sorted by vehicle then seat; Unassigned by person.
type Plan struct {
	Assignments []Assignment `json:"assignments"`
	Unassigned  []Unassigned `json:"unassigned,omitempty"`
}

// VehiclesUsed returns the number of distinct vehicles the plan seats
// anyone in.
func (p *Plan) VehiclesUsed() int {
	if p == nil {
		return 0
	}
	seen := make(map[string]bool)
	for _, a := range p.Assignments {
		seen[a.Vehicle] = true
	}
	return len(seen)
}

// Rule names a constraint a plan can break.
type Rule string

// Rules the checker reports.
const (
	RuleRiskOrder       Rule = "risk-order"
	RuleMinorWithAdult  Rule = "minor-with-unrelated-adult"
	RuleMenAndWomen     Rule = "men-and-women-together"
	RuleMotherSeparated Rule = "mother-separated-from-young-child"
	RuleKeepApart       Rule = "keep-apart"
	RuleOverCapacity    Rule = "over-capacity"
	RuleSeatOverflow    Rule = "seat-overflow"
	RuleDuplicateSeat   Rule = "duplicate-seat"
	RulePersonTwice     Rule = "person-twice"
	RulePersonMissing   Rule = "person-missing" // a candidate neither seated nor listed as unassigned
	RuleUnknown         Rule = "unknown"        // a person, vehicle or destination not in the request
	RuleOriginMismatch  Rule = "origin-mismatch"
	RuleInvalidRequest  Rule = "invalid-request" // the request itself is inconsistent (duplicate IDs)
)

// Violation is one broken rule: in which vehicle (empty when the rule is
// about a destination or the plan as a whole), at which destination (for
// over-capacity), by which persons (sorted).
type Violation struct {
	Rule        Rule               `json:"rule"`
	Vehicle     string             `json:"vehicle,omitempty"`
	Destination custody.FacilityID `json:"destination,omitempty"`
	Persons     []custody.PersonID `json:"persons,omitempty"`
	Message     string             `json:"message"`
}

// String returns the violation on one line.
func (v Violation) String() string {
	s := string(v.Rule)
	if v.Vehicle != "" {
		s += " [" + v.Vehicle + "]"
	}
	return s + ": " + v.Message
}

// rank orders risk tiers for planning: tier 1 first, then 2, 3, and 0 (not
// assessed) last.
func rank(tier int) int {
	if tier >= 1 && tier <= 3 {
		return tier
	}
	return 4
}

// LowerBound returns the fewest vehicles any plan could use to move every
// candidate that vehicles exist for: per origin, the fewest of its vehicles,
// largest first, whose seats add up to its candidates (or all its vehicles
// if they do not suffice), summed over origins. With one seat size s this
// is ⌈persons ÷ s⌉ per origin. Classes, families and keep-apart pairs are
// ignored, so the bound may be unreachable.
func LowerBound(req Request) int {
	persons := make(map[custody.FacilityID]int)
	for _, c := range req.Candidates {
		persons[c.At]++
	}
	seats := make(map[custody.FacilityID][]int)
	for _, v := range req.Vehicles {
		if v.Seats > 0 {
			seats[v.Origin] = append(seats[v.Origin], v.Seats)
		}
	}
	n := 0
	for origin, ss := range seats {
		need := persons[origin]
		slices.SortFunc(ss, func(a, b int) int { return b - a })
		for _, s := range ss {
			if need <= 0 {
				break
			}
			need -= s
			n++
		}
	}
	return n
}
