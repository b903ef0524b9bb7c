package plan

import (
	"cmp"
	"slices"

	custody "github.com/opencustody/custody"
)

// riskClass is the class the checker puts a person in for the risk-order
// rule: men, women with no minor child among the candidates, minors with no
// mother among the candidates. Everyone else (families) is left out.
func (c *checker) riskClass(cd *Candidate) string {
	switch cat := cd.Person.Category; {
	case cat == custody.Man:
		return "men"
	case cat == custody.Woman && len(c.children[cd.Person.ID]) == 0:
		return "women"
	case cat.IsChild() && len(c.mothers[cd.Person.ID]) == 0:
		return "minors"
	}
	return ""
}

// riskOrder checks that first-tier persons were not passed over: per origin
// and class, a tier-1 person T must not be left unassigned while another
// sits in a vehicle T could take their seat in, nor sit on a later date
// than another whose earlier seat T could take. T could take P's seat in V
// when no one else in V is to be kept apart from T. One violation per T,
// naming the first such vehicle (by date, then ID) and the lowest P in it.
func (c *checker) riskOrder() {
	type group struct {
		unseated, seated []custody.PersonID // tier 1
		lower            map[string][]custody.PersonID
	}
	groups := make(map[string]*group)
	once := func(id custody.PersonID) *Vehicle {
		if vs := c.seatedIn[id]; len(vs) == 1 {
			return c.vehicles[vs[0]]
		}
		return nil
	}
	for _, id := range sortedKeys(c.cands) {
		cd := c.cands[id]
		cl := c.riskClass(cd)
		if cl == "" {
			continue
		}
		key := string(cd.At) + "\x00" + cl
		g := groups[key]
		if g == nil {
			g = &group{lower: make(map[string][]custody.PersonID)}
			groups[key] = g
		}
		v := once(id)
		switch {
		case cd.Person.RiskTier == 1 && len(c.seatedIn[id]) == 0:
			g.unseated = append(g.unseated, id)
		case cd.Person.RiskTier == 1 && v != nil:
			g.seated = append(g.seated, id)
		case cd.Person.RiskTier != 1 && v != nil:
			g.lower[v.ID] = append(g.lower[v.ID], id)
		}
	}
	for _, key := range sortedKeys(groups) {
		g := groups[key]
		if len(g.lower) == 0 {
			continue
		}
		vs := sortedKeys(g.lower)
		slices.SortFunc(vs, func(a, b string) int {
			return cmp.Or(cmp.Compare(c.vehicles[a].Date, c.vehicles[b].Date), cmp.Compare(a, b))
		})
		// swap returns whom T could replace in v, or "".
		swap := func(t custody.PersonID, v string) custody.PersonID {
			var in []custody.PersonID
			for _, q := range c.partners[t] {
				if slices.Contains(c.seatedIn[q], v) {
					in = append(in, q)
				}
			}
			switch {
			case len(in) == 0:
				return g.lower[v][0]
			case len(in) == 1 && slices.Contains(g.lower[v], in[0]):
				return in[0]
			}
			return ""
		}
		for _, t := range g.unseated {
			for _, v := range vs {
				if p := swap(t, v); p != "" {
					c.add(RuleRiskOrder, v, []custody.PersonID{t, p},
						"first-tier %s is unassigned while %s (tier %d) is seated", t, p, c.cands[p].Person.RiskTier)
					break
				}
			}
		}
		for _, t := range g.seated {
			date := once(t).Date
			for _, v := range vs {
				if c.vehicles[v].Date >= date {
					break
				}
				if p := swap(t, v); p != "" {
					c.add(RuleRiskOrder, v, []custody.PersonID{t, p},
						"first-tier %s travels on %s, after %s (tier %d) on %s", t, date, p,
						c.cands[p].Person.RiskTier, c.vehicles[v].Date)
					break
				}
			}
		}
	}
}
