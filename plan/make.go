package plan

import (
	"cmp"
	"slices"
	"time"

	custody "github.com/opencustody/custody"
)

// class is the kind of load a vehicle carries. A vehicle carries one class.
type class int

const (
	classNone     class = iota // an empty vehicle
	classMen                   // men
	classWomen                 // women travelling without children
	classFamilies              // mothers with their minor children
	classMinors                // unaccompanied minors
)

// unit is a group that travels together: a person alone, or a mother with
// her minor children held at the same facility.
type unit struct {
	members []int // candidate indices, ascending
	rank    int   // best rank among members
	class   class
	split   bool // a mother and her young child are held at different places
}

// vstate is a vehicle while the plan is being built.
type vstate struct {
	Vehicle
	used  int
	class class
	dest  int // index into free, or -1 for a destination not in the request
}

// Make builds a plan for req. It is deterministic: the same request, in any
// order of its lists, gives the same plan.
//
// Units (a person alone; a mother with her minor children held where she
// is) are taken by risk rank (tier 1, 2, 3, then 0), then by the smallest
// person ID. Each goes into the first vehicle of its origin, by date, most
// seats, then ID, that has seats for the whole unit, carries its class or
// nothing yet, keeps every keep-apart pair apart and goes to a destination
// with capacity left. A unit that fits nowhere is left unassigned with the
// reason. Make returns an error only for an inconsistent request (an empty
// or duplicate ID, negative seats, a malformed date).
func Make(req Request) (*Plan, error) {
	if err := validate(req); err != nil {
		return nil, err
	}
	cands := slices.Clone(req.Candidates)
	slices.SortFunc(cands, func(a, b Candidate) int { return cmp.Compare(a.Person.ID, b.Person.ID) })
	index := make(map[custody.PersonID]int, len(cands))
	for i, c := range cands {
		index[c.Person.ID] = i
	}

	units := makeUnits(cands, index)
	partners := make([][]int, len(cands))
	for _, k := range req.KeepApart {
		a, okA := index[k.A]
		b, okB := index[k.B]
		if okA && okB && a != b {
			partners[a] = append(partners[a], b)
			partners[b] = append(partners[b], a)
		}
	}

	// Destinations and vehicles.
	dests := slices.Clone(req.Destinations)
	slices.SortFunc(dests, func(a, b Destination) int { return cmp.Compare(a.Facility, b.Facility) })
	free := make([]int, len(dests))
	destIndex := make(map[custody.FacilityID]int, len(dests))
	for i, d := range dests {
		free[i] = d.Free()
		destIndex[d.Facility] = i
	}
	vs := make([]*vstate, 0, len(req.Vehicles))
	for _, v := range req.Vehicles {
		d, ok := destIndex[v.Destination]
		if !ok {
			d = -1
		}
		vs = append(vs, &vstate{Vehicle: v, dest: d})
	}
	slices.SortFunc(vs, func(a, b *vstate) int {
		return cmp.Or(cmp.Compare(a.Origin, b.Origin), cmp.Compare(a.Date, b.Date),
			cmp.Compare(b.Seats, a.Seats), cmp.Compare(a.ID, b.ID))
	})
	byOrigin := make(map[custody.FacilityID][]*vstate)
	for _, v := range vs {
		byOrigin[v.Origin] = append(byOrigin[v.Origin], v)
	}
	maxSeats := make(map[custody.FacilityID]int)
	for _, v := range vs {
		maxSeats[v.Origin] = max(maxSeats[v.Origin], v.Seats)
	}

	seated := make([]*vstate, len(cands)) // the vehicle each candidate sits in
	p := &Plan{Assignments: make([]Assignment, 0, len(cands))}
	leave := func(u *unit, r Reason) {
		for _, m := range u.members {
			p.Unassigned = append(p.Unassigned, Unassigned{Person: cands[m].Person.ID, Reason: r})
		}
	}
	for _, u := range units {
		origin := cands[u.members[0]].At
		if u.split {
			leave(u, ReasonFamilySite)
			continue
		}
		list := byOrigin[origin]
		if len(list) == 0 {
			leave(u, ReasonNoVehicle)
			continue
		}
		if len(u.members) > maxSeats[origin] {
			leave(u, ReasonTooLarge)
			continue
		}
		if apartWithin(u, partners) {
			leave(u, ReasonKeepApart)
			continue
		}
		var chosen *vstate
		sawCapacity, sawApart := false, false
		for _, v := range list {
			if v.Seats-v.used < len(u.members) || v.class != classNone && v.class != u.class {
				continue
			}
			if v.dest < 0 || free[v.dest] < len(u.members) {
				sawCapacity = true
				continue
			}
			if conflicts(u, v, partners, seated) {
				sawApart = true
				continue
			}
			chosen = v
			break
		}
		if chosen == nil {
			switch {
			case sawCapacity:
				leave(u, ReasonCapacity)
			case sawApart:
				leave(u, ReasonKeepApart)
			default:
				leave(u, ReasonNoSeat)
			}
			continue
		}
		chosen.class = u.class
		free[chosen.dest] -= len(u.members)
		for _, m := range u.members {
			chosen.used++
			seated[m] = chosen
			p.Assignments = append(p.Assignments, Assignment{Person: cands[m].Person.ID, Vehicle: chosen.ID, Seat: chosen.used})
		}
	}
	slices.SortFunc(p.Assignments, func(a, b Assignment) int {
		return cmp.Or(cmp.Compare(a.Vehicle, b.Vehicle), cmp.Compare(a.Seat, b.Seat))
	})
	slices.SortFunc(p.Unassigned, func(a, b Unassigned) int { return cmp.Compare(a.Person, b.Person) })
	return p, nil
}

// conflicts reports whether a member of u has a keep-apart partner in v.
func conflicts(u *unit, v *vstate, partners [][]int, seated []*vstate) bool {
	for _, m := range u.members {
		for _, q := range partners[m] {
			if seated[q] == v {
				return true
			}
		}
	}
	return false
}

// apartWithin reports whether two members of u must be kept apart.
func apartWithin(u *unit, partners [][]int) bool {
	for _, m := range u.members {
		for _, q := range partners[m] {
			if _, ok := slices.BinarySearch(u.members, q); ok {
				return true
			}
		}
	}
	return false
}

// makeUnits groups the candidates (sorted by ID) into units and sorts the
// units by rank, then by their first member.
func makeUnits(cands []Candidate, index map[custody.PersonID]int) []*unit {
	parent := make([]int, len(cands))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	splitRoot := make([]bool, len(cands))
	var splitPairs [][2]int
	for _, pr := range motherPairs(cands, index) {
		m, c := pr[0], pr[1]
		young := cands[c].Person.Under12
		switch {
		case cands[m].At == cands[c].At:
			union(m, c)
		case young:
			union(m, c) // they cannot travel together: the whole family stays
			splitPairs = append(splitPairs, pr)
		}
	}
	for _, pr := range splitPairs {
		splitRoot[find(pr[0])] = true
	}
	byRoot := make(map[int]*unit)
	var units []*unit
	for i := range cands { // ascending, so members come out sorted
		r := find(i)
		u := byRoot[r]
		if u == nil {
			u = &unit{rank: 5, split: splitRoot[r]}
			byRoot[r] = u
			units = append(units, u)
		}
		u.members = append(u.members, i)
		u.rank = min(u.rank, rank(cands[i].Person.RiskTier))
	}
	for _, u := range units {
		if len(u.members) > 1 {
			u.class = classFamilies
			continue
		}
		switch c := cands[u.members[0]].Person.Category; {
		case c == custody.Man:
			u.class = classMen
		case c == custody.Woman:
			u.class = classWomen
		default:
			u.class = classMinors
		}
	}
	slices.SortStableFunc(units, func(a, b *unit) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.members[0], b.members[0]))
	})
	return units
}

// motherPairs returns the (mother, minor child) pairs among the candidates,
// sorted and without duplicates.
func motherPairs(cands []Candidate, index map[custody.PersonID]int) [][2]int {
	var pairs [][2]int
	for i, c := range cands {
		for _, l := range c.Person.Family {
			j, ok := index[l.Person]
			if !ok || j == i {
				continue
			}
			switch {
			case l.Relation == custody.MotherOf && c.Person.Category == custody.Woman &&
				cands[j].Person.Category.IsChild():
				pairs = append(pairs, [2]int{i, j})
			case l.Relation == custody.ChildOf && c.Person.Category.IsChild() &&
				cands[j].Person.Category == custody.Woman:
				pairs = append(pairs, [2]int{j, i})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return slices.Compact(pairs)
}

// validate rejects a request Make cannot plan from.
func validate(req Request) error {
	seen := make(map[custody.PersonID]bool, len(req.Candidates))
	for i, c := range req.Candidates {
		switch {
		case c.Person.ID == "":
			return custody.Errorf(custody.Invalid, "candidate %d has no person ID", i+1)
		case seen[c.Person.ID]:
			return custody.Errorf(custody.Invalid, "person %s is a candidate twice", c.Person.ID)
		}
		seen[c.Person.ID] = true
	}
	vseen := make(map[string]bool, len(req.Vehicles))
	for i, v := range req.Vehicles {
		switch {
		case v.ID == "":
			return custody.Errorf(custody.Invalid, "vehicle %d has no ID", i+1)
		case vseen[v.ID]:
			return custody.Errorf(custody.Invalid, "vehicle %s is listed twice", v.ID)
		case v.Seats < 0:
			return custody.Errorf(custody.Invalid, "vehicle %s has %d seats", v.ID, v.Seats)
		}
		if _, err := time.Parse(time.DateOnly, v.Date); err != nil {
			return custody.Errorf(custody.Invalid, "vehicle %s: date %q is not YYYY-MM-DD", v.ID, v.Date)
		}
		vseen[v.ID] = true
	}
	dseen := make(map[custody.FacilityID]bool, len(req.Destinations))
	for _, d := range req.Destinations {
		if dseen[d.Facility] {
			return custody.Errorf(custody.Invalid, "destination %s is listed twice", d.Facility)
		}
		dseen[d.Facility] = true
	}
	return nil
}
