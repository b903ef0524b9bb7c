package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	custody "github.com/opencustody/custody"
)

// checker holds what Check derives from the request and the plan. It shares
// no code with Make beyond the types and rank, so that a bug in one is not
// hidden by the same bug in the other.
type checker struct {
	req      Request
	out      []Violation
	cands    map[custody.PersonID]*Candidate
	vehicles map[string]*Vehicle
	dests    map[custody.FacilityID]Destination
	mothers  map[custody.PersonID][]custody.PersonID // minor -> mothers among the candidates
	children map[custody.PersonID][]custody.PersonID // mother -> minor children among the candidates
	partners map[custody.PersonID][]custody.PersonID // keep-apart
	aboard   map[string][]custody.PersonID           // vehicle -> persons seated in it (valid assignments)
	seatedIn map[custody.PersonID][]string           // person -> vehicles
}

// Check verifies plan p against req and returns every violation, sorted by
// rule, vehicle, destination, persons and message. A nil plan is an empty
// one. Check never panics on a malformed plan; it reports it.
func Check(req Request, p *Plan) []Violation {
	if p == nil {
		p = &Plan{}
	}
	c := &checker{
		req:      req,
		cands:    make(map[custody.PersonID]*Candidate, len(req.Candidates)),
		vehicles: make(map[string]*Vehicle, len(req.Vehicles)),
		dests:    make(map[custody.FacilityID]Destination, len(req.Destinations)),
		mothers:  make(map[custody.PersonID][]custody.PersonID),
		children: make(map[custody.PersonID][]custody.PersonID),
		partners: make(map[custody.PersonID][]custody.PersonID),
		aboard:   make(map[string][]custody.PersonID),
		seatedIn: make(map[custody.PersonID][]string),
	}
	c.index()
	c.bookkeeping(p)
	for _, id := range sortedKeys(c.aboard) {
		c.vehicle(id, c.aboard[id])
	}
	c.keepApart()
	c.motherSeparated()
	c.capacity()
	c.riskOrder()
	slices.SortFunc(c.out, compareViolations)
	return c.out
}

// compareViolations orders violations by rule, vehicle, destination,
// persons and message.
func compareViolations(a, b Violation) int {
	return cmp.Or(cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Vehicle, b.Vehicle),
		cmp.Compare(a.Destination, b.Destination), slices.Compare(a.Persons, b.Persons),
		cmp.Compare(a.Message, b.Message))
}

func (c *checker) add(r Rule, vehicle string, persons []custody.PersonID, format string, args ...any) {
	persons = slices.Clone(persons)
	slices.Sort(persons)
	c.out = append(c.out, Violation{Rule: r, Vehicle: vehicle, Persons: persons, Message: fmt.Sprintf(format, args...)})
}

// index reads the request: candidates, vehicles, destinations, mothers and
// keep-apart pairs.
func (c *checker) index() {
	for i := range c.req.Candidates {
		cd := &c.req.Candidates[i]
		if _, dup := c.cands[cd.Person.ID]; dup {
			c.add(RuleInvalidRequest, "", []custody.PersonID{cd.Person.ID}, "person %s is a candidate twice", cd.Person.ID)
			continue
		}
		c.cands[cd.Person.ID] = cd
	}
	for i := range c.req.Vehicles {
		v := &c.req.Vehicles[i]
		if _, dup := c.vehicles[v.ID]; dup {
			c.add(RuleInvalidRequest, v.ID, nil, "vehicle %s is listed twice", v.ID)
			continue
		}
		c.vehicles[v.ID] = v
	}
	for _, d := range c.req.Destinations {
		if _, dup := c.dests[d.Facility]; dup {
			c.out = append(c.out, Violation{Rule: RuleInvalidRequest, Destination: d.Facility,
				Message: fmt.Sprintf("destination %s is listed twice", d.Facility)})
			continue
		}
		c.dests[d.Facility] = d
	}
	link := func(mother, child custody.PersonID) {
		if !slices.Contains(c.mothers[child], mother) {
			c.mothers[child] = append(c.mothers[child], mother)
			c.children[mother] = append(c.children[mother], child)
		}
	}
	for _, id := range sortedKeys(c.cands) {
		p := &c.cands[id].Person
		for _, l := range p.Family {
			o, ok := c.cands[l.Person]
			if !ok || l.Person == id {
				continue
			}
			if l.Relation == custody.MotherOf && p.Category == custody.Woman && o.Person.Category.IsChild() {
				link(id, l.Person)
			}
			if l.Relation == custody.ChildOf && p.Category.IsChild() && o.Person.Category == custody.Woman {
				link(l.Person, id)
			}
		}
	}
	for _, k := range c.req.KeepApart {
		if k.A == k.B || slices.Contains(c.partners[k.A], k.B) {
			continue
		}
		c.partners[k.A] = append(c.partners[k.A], k.B)
		c.partners[k.B] = append(c.partners[k.B], k.A)
	}
}

// bookkeeping checks persons, vehicles and seats, and fills aboard and
// seatedIn with the assignments that name a known person and vehicle.
func (c *checker) bookkeeping(p *Plan) {
	type seatKey struct {
		vehicle string
		seat    int
	}
	seats := make(map[seatKey][]custody.PersonID)
	mentions := make(map[custody.PersonID][]string)
	for _, a := range p.Assignments {
		cd, okP := c.cands[a.Person]
		v, okV := c.vehicles[a.Vehicle]
		if !okP {
			c.add(RuleUnknown, a.Vehicle, []custody.PersonID{a.Person}, "person %q is not a candidate", a.Person)
		}
		if !okV {
			c.add(RuleUnknown, a.Vehicle, []custody.PersonID{a.Person}, "vehicle %q is not in the request", a.Vehicle)
		}
		if okP {
			mentions[a.Person] = append(mentions[a.Person], "seated in "+a.Vehicle)
		}
		if !okP || !okV {
			continue
		}
		if a.Seat < 1 || a.Seat > v.Seats {
			c.add(RuleSeatOverflow, v.ID, []custody.PersonID{a.Person}, "seat %d is not one of 1 to %d", a.Seat, v.Seats)
		}
		k := seatKey{v.ID, a.Seat}
		seats[k] = append(seats[k], a.Person)
		if cd.At != v.Origin {
			c.add(RuleOriginMismatch, v.ID, []custody.PersonID{a.Person},
				"%s is held at %s but the vehicle loads at %s", a.Person, cd.At, v.Origin)
		}
		c.aboard[v.ID] = append(c.aboard[v.ID], a.Person)
		c.seatedIn[a.Person] = append(c.seatedIn[a.Person], v.ID)
	}
	for _, u := range p.Unassigned {
		if _, ok := c.cands[u.Person]; !ok {
			c.add(RuleUnknown, "", []custody.PersonID{u.Person}, "unassigned person %q is not a candidate", u.Person)
			continue
		}
		mentions[u.Person] = append(mentions[u.Person], "unassigned")
	}
	for k, ps := range seats {
		if len(ps) > 1 {
			c.add(RuleDuplicateSeat, k.vehicle, ps, "%d persons in seat %d", len(ps), k.seat)
		}
	}
	for id, ms := range mentions {
		if len(ms) > 1 {
			slices.Sort(ms)
			c.add(RulePersonTwice, "", []custody.PersonID{id}, "%s appears %d times: %s", id, len(ms), strings.Join(ms, ", "))
		}
	}
	for id := range c.cands {
		if len(mentions[id]) == 0 {
			c.add(RulePersonMissing, "", []custody.PersonID{id}, "%s is neither seated nor unassigned", id)
		}
	}
}

// vehicle checks the load of one vehicle: men and women apart, minors only
// with their mothers.
func (c *checker) vehicle(id string, aboard []custody.PersonID) {
	var men, women, minors, adults []custody.PersonID
	on := make(map[custody.PersonID]bool, len(aboard))
	for _, p := range aboard {
		on[p] = true
		switch cat := c.cands[p].Person.Category; {
		case cat == custody.Man:
			men = append(men, p)
			adults = append(adults, p)
		case cat == custody.Woman:
			women = append(women, p)
			adults = append(adults, p)
		case cat.IsChild():
			minors = append(minors, p)
		}
	}
	if len(men) > 0 && len(women) > 0 {
		few, other := women, "men"
		if len(men) < len(women) {
			few, other = men, "women"
		}
		c.add(RuleMenAndWomen, id, few, "%d men and %d women in one vehicle; listed: those travelling with %s",
			len(men), len(women), other)
	}
	if len(minors) == 0 || len(adults) == 0 {
		return
	}
	for _, a := range adults {
		own := false
		for _, k := range c.children[a] {
			own = own || on[k]
		}
		if !own {
			c.add(RuleMinorWithAdult, id, []custody.PersonID{a}, "adult %s travels with minors none of whom is their child", a)
		}
	}
	for _, m := range minors {
		withMother := false
		for _, mo := range c.mothers[m] {
			withMother = withMother || on[mo]
		}
		if !withMother {
			c.add(RuleMinorWithAdult, id, []custody.PersonID{m}, "minor %s travels with adults but without their mother", m)
		}
	}
}

// keepApart checks every keep-apart pair.
func (c *checker) keepApart() {
	for _, a := range sortedKeys(c.partners) {
		for _, b := range c.partners[a] {
			if a > b {
				continue
			}
			for _, v := range c.seatedIn[a] {
				if slices.Contains(c.seatedIn[b], v) {
					c.add(RuleKeepApart, v, []custody.PersonID{a, b}, "%s and %s must be kept apart", a, b)
				}
			}
		}
	}
}

// motherSeparated checks that each mother and young child travel together
// or both stay.
func (c *checker) motherSeparated() {
	for _, m := range sortedKeys(c.children) {
		for _, k := range c.children[m] {
			if !c.cands[k].Person.Under12 {
				continue
			}
			vm, vk := c.seatedIn[m], c.seatedIn[k]
			switch {
			case len(vm) == 0 && len(vk) == 0:
			case len(vm) == 0:
				c.add(RuleMotherSeparated, vk[0], []custody.PersonID{m, k}, "child %s is moved without their mother %s", k, m)
			case len(vk) == 0:
				c.add(RuleMotherSeparated, vm[0], []custody.PersonID{m, k}, "mother %s is moved without her young child %s", m, k)
			default:
				together := false
				for _, v := range vk {
					together = together || slices.Contains(vm, v)
				}
				if !together {
					c.add(RuleMotherSeparated, vk[0], []custody.PersonID{m, k},
						"child %s is in %s, their mother %s in %s", k, vk[0], m, vm[0])
				}
			}
		}
	}
}

// capacity checks each destination's free capacity against the persons the
// plan takes there.
func (c *checker) capacity() {
	into := make(map[custody.FacilityID]int)
	for _, id := range sortedKeys(c.aboard) {
		v := c.vehicles[id]
		if _, ok := c.dests[v.Destination]; !ok {
			c.add(RuleUnknown, id, nil, "destination %q is not in the request", v.Destination)
		}
		into[v.Destination] += len(c.aboard[id])
	}
	for _, f := range sortedKeys(into) {
		d, ok := c.dests[f]
		if !ok || into[f] <= d.Free() {
			continue
		}
		c.out = append(c.out, Violation{Rule: RuleOverCapacity, Destination: f,
			Message: fmt.Sprintf("%d persons planned into %s, free capacity %d (capacity %d, already planned %d)",
				into[f], f, d.Free(), d.Capacity, d.AlreadyPlanned)})
	}
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
