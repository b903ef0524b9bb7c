package scenario

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	custody "github.com/opencustody/custody"
)

// The population is planned before anything is generated: a compact list of
// units (a man, a mother with the children admitted with her, a child born
// in a camp, ...) in the order of their admission, which is the log order.
// Counts are exact by construction; the seed only decides who is who, when
// and where within those counts. Each unit's persons are then generated from
// a random source seeded by the unit's place in the plan, so that any of them
// can be generated again (a duplicate registration, a mother named on her
// child's record) without keeping them in memory.

// Risk tiers of the men, exact.
const (
	tierOneMen     = 400  // "first-tier leaders"
	tierTwoMen     = 2600 // commanders, fighters with a record
	notAssessedMen = 900  // tier 0: not assessed
)

// Duplicate registrations: persons registered twice under other spellings.
const (
	dupMen   = 30
	dupWomen = 10
)

// orphanShare is the share of children held without a registered mother.
const orphanShare = 0.03

// campBirthPercent is the chance that an under-12 child of a family admitted
// before mid-2024 was born in the camp and registered at birth.
const campBirthPercent = 40

// kind is the sort of a unit.
type kind uint8

const (
	kMan    kind = iota // a man, in a prison
	kFamily             // a mother, then the children admitted with her
	kBirth              // a child born in the camp, registered later, linked to its mother
	kOrphan             // a child held without a registered mother
	kRehab              // an adolescent boy in a rehabilitation centre
	kDup                // a second registration of a person registered before
)

// unit is one request's worth of persons.
type unit struct {
	t         int64 // admission, Unix seconds
	id        int32 // number of the unit's first person
	ref       int32 // kBirth: the mother's unit; kDup: the original's unit; else -1
	kind      kind
	fac       uint8
	nat       uint8
	tier      uint8  // men: risk tier, 0 = not assessed
	under12   uint8  // kFamily: children under 12 admitted with the mother; kOrphan, kBirth: 1 if under 12
	adol      uint8  // kFamily: adolescents admitted with the mother
	lastBirth uint16 // kFamily: year of the latest camp birth registered later
	reserved  bool   // one of a duplicate pair: kept out of the 2026 incidents and the transfer
}

// size is the number of persons the unit registers.
func (u *unit) size() int32 {
	if u.kind == kFamily {
		return 1 + int32(u.under12) + int32(u.adol)
	}
	return 1
}

// plan is the whole population in log order.
type plan struct {
	seed    uint64
	units   []unit
	persons int
}

// pid is the person ID of person number n.
func pid(n int32) custody.PersonID { return custody.PersonID(fmt.Sprintf("NES-%06d", n)) }

// block is the women and children of one nationality in one facility.
type block struct {
	fac, nat          int
	n                 int // persons
	women             int
	under12, adol     int // children under 12 and 12–17
	orphU12, orphAdol int // of those, children held without a registered mother
	rehab             bool
}

// blocks shares the 43,250 women and children out exactly: per facility and
// origin as in the facilities table, foreign nationals by nation weight,
// a third of each block women, and the 25,000 under 12 in proportion to
// each block's children. It uses no randomness: Figures reports it.
func blocks() []block {
	var foreign []int
	var weights []float64
	for i, n := range nations {
		if n.wc > 0 {
			foreign, weights = append(foreign, i), append(weights, n.wc)
		}
	}
	var out []block
	for fi, fs := range facilities {
		add := func(nat, n int) {
			if n > 0 {
				out = append(out, block{fac: fi, nat: nat, n: n, rehab: fs.rehab})
			}
		}
		add(natSY, fs.sy)
		add(natIQ, fs.iq)
		rest := fs.foreign
		if fi == fRoj {
			add(nationIndex(sweden), sweWomen+sweChildren)
			rest -= sweWomen + sweChildren
		}
		for k, c := range apportion(rest, weights) {
			add(foreign[k], c)
		}
	}
	var children []float64
	var open []int
	for i := range out {
		b := &out[i]
		if b.rehab {
			b.adol, b.orphAdol = b.n, b.n
			continue
		}
		b.women = max(1, (b.n+1)/3)
		children, open = append(children, float64(b.n-b.women)), append(open, i)
	}
	for k, u := range apportion(totalUnder12, children) {
		b := &out[open[k]]
		c := b.n - b.women
		b.under12, b.adol = u, c-u
		if c == 0 {
			continue
		}
		o := int(math.Round(orphanShare * float64(c)))
		b.orphU12 = min(u, int(math.Round(float64(o*u)/float64(c))))
		b.orphAdol = min(b.adol, o-b.orphU12)
	}
	return out
}

// apportion shares total out in proportion to weights, exactly, by largest
// remainder (ties to the lower index).
func apportion(total int, weights []float64) []int {
	out := make([]int, len(weights))
	if total <= 0 || len(weights) == 0 {
		return out
	}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	rem := make([]float64, len(weights))
	given := 0
	for i, w := range weights {
		q := float64(total) * w / sum
		out[i] = int(q)
		rem[i] = q - float64(out[i])
		given += out[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rem[a] > rem[b]:
			return -1
		case rem[a] < rem[b]:
			return 1
		}
		return 0
	})
	for k := 0; given < total; k++ {
		out[order[k%len(order)]]++
		given++
	}
	return out
}

// buildPlan plans the population for seed.
func buildPlan(seed uint64) *plan {
	r := rand.New(rand.NewPCG(seed, 0x706c616e))
	p := &plan{seed: seed}
	p.addMen(r)
	p.addWomenAndChildren(r, blocks())
	for i := range p.units {
		p.units[i].t = admissionTime(r, p.units[i].kind)
	}
	p.pairDuplicates(r)
	p.splitCampBirths(r)
	p.sortAndNumber()
	return p
}

// addMen places the 8,950 men: nationalities shuffled over the prisons,
// exact risk tiers, first-tier leaders more often in Gweiran and among
// foreigners and Iraqis.
func (p *plan) addMen(r *rand.Rand) {
	var slots []uint8
	for i, c := range menByNation() {
		for range c {
			slots = append(slots, uint8(i))
		}
	}
	r.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	k := 0
	for fi, fs := range facilities {
		for range fs.men {
			p.units = append(p.units, unit{kind: kMan, fac: uint8(fi), nat: slots[k], ref: -1, tier: 3})
			k++
		}
	}
	// Tier 1: weighted sampling without replacement, by rejection, in
	// integers only (floating point may round differently across
	// architectures, and the same seed must give the same demo everywhere).
	order := make([]int, 0, len(p.units))
	chosen := make([]bool, len(p.units))
	for len(order) < tierOneMen {
		i := r.IntN(len(p.units))
		w := 2
		if p.units[i].fac == fGweiran {
			w = 6
		}
		if p.units[i].nat != natSY {
			w = w * 3 / 2
		}
		if !chosen[i] && r.IntN(9) < w {
			chosen[i], order = true, append(order, i)
		}
	}
	for i := range p.units {
		if !chosen[i] {
			order = append(order, i)
		}
	}
	rest := order[tierOneMen:]
	r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	for k, i := range order {
		switch {
		case k < tierOneMen:
			p.units[i].tier = 1
		case k < tierOneMen+tierTwoMen:
			p.units[i].tier = 2
		case k < tierOneMen+tierTwoMen+notAssessedMen:
			p.units[i].tier = 0
		}
	}
}

// addWomenAndChildren turns blocks into units: each block's mothers, its
// children shared among them at random, its orphans, its rehabilitation
// centre boys.
func (p *plan) addWomenAndChildren(r *rand.Rand, bs []block) {
	for _, b := range bs {
		base := unit{fac: uint8(b.fac), nat: uint8(b.nat), ref: -1}
		if b.rehab {
			for range b.n {
				u := base
				u.kind = kRehab
				p.units = append(p.units, u)
			}
			continue
		}
		first := len(p.units)
		for range b.women {
			u := base
			u.kind = kFamily
			p.units = append(p.units, u)
		}
		famU, famA := b.under12-b.orphU12, b.adol-b.orphAdol
		limit := max(8, (famU+famA)/b.women+2)
		for k := range famU + famA {
			m := &p.units[first+r.IntN(b.women)]
			for int(m.under12)+int(m.adol) >= limit {
				m = &p.units[first+r.IntN(b.women)]
			}
			if k < famU {
				m.under12++
			} else {
				m.adol++
			}
		}
		for k := range b.orphU12 + b.orphAdol {
			u := base
			u.kind = kOrphan
			if k < b.orphU12 {
				u.under12 = 1
			}
			p.units = append(p.units, u)
		}
	}
}

// Dates of the history.
var (
	baghuzStart = date(2019, time.March, 1)  // the last IS enclave falls; the camps fill
	baghuzEnd   = date(2019, time.April, 30) //
	year2019End = date(2019, time.December, 31)
	histEnd     = date(2025, time.December, 28) // no admission after this
	birthCutoff = date(2024, time.June, 30)     // families admitted after this have no camp births
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// admissionTime draws when a unit was admitted: most in the weeks of the
// fall of Baghuz in 2019, the rest in later raids and transfers.
func admissionTime(r *rand.Rand, k kind) int64 {
	x := r.IntN(100)
	var lo, hi time.Time
	switch {
	case k == kRehab:
		lo, hi = date(2021, time.January, 1), histEnd
	case k == kMan && x < 55, k != kMan && x < 65:
		lo, hi = baghuzStart, baghuzEnd
	case k == kMan && x < 75, k != kMan && x < 80:
		lo, hi = baghuzEnd, year2019End
	default:
		lo, hi = date(2020, time.January, 1), histEnd
	}
	return timeIn(r, lo, hi)
}

// timeIn draws a moment on a day in [lo, hi), in working hours (04:00 to
// 16:00 UTC, 07:00 to 19:00 local).
func timeIn(r *rand.Rand, lo, hi time.Time) int64 {
	days := int64(hi.Sub(lo).Hours() / 24)
	return lo.Unix() + r.Int64N(max(days, 1))*86400 + 4*3600 + r.Int64N(12*3600)
}

// pairDuplicates turns a few dozen units into second registrations of
// another unit of the same facility and nationality (men of tier 3, women
// with no children), registered weeks or months after the first.
func (p *plan) pairDuplicates(r *rand.Rand) {
	arabic := func(u *unit) bool { g := nations[u.nat].grp; return g == gArab || g == gMaghreb }
	p.pair(r, dupMen, func(u *unit) bool { return u.kind == kMan && u.tier == 3 && arabic(u) })
	p.pair(r, dupWomen, func(u *unit) bool { return u.kind == kFamily && u.under12 == 0 && u.adol == 0 && arabic(u) })
}

func (p *plan) pair(r *rand.Rand, want int, ok func(*unit) bool) {
	var cand []int
	for i := range p.units {
		if ok(&p.units[i]) {
			cand = append(cand, i)
		}
	}
	r.Shuffle(len(cand), func(i, j int) { cand[i], cand[j] = cand[j], cand[i] })
	pending := map[int]int{}
	for _, i := range cand {
		if want == 0 {
			return
		}
		u := &p.units[i]
		key := int(u.fac)<<8 | int(u.nat)
		j, found := pending[key]
		if !found {
			pending[key] = i
			continue
		}
		delete(pending, key)
		orig, dup := j, i
		if p.units[i].t < p.units[j].t {
			orig, dup = i, j
		}
		o, d := &p.units[orig], &p.units[dup]
		t := min(o.t+(20+r.Int64N(380))*86400+r.Int64N(8*3600), histEnd.Unix())
		if t <= o.t {
			t = o.t + 3600
		}
		d.kind, d.ref, d.t = kDup, int32(orig), t
		o.reserved, d.reserved = true, true
		want--
	}
}

// splitCampBirths makes some under-12 children of families admitted before
// mid-2024 children born in the camp: registered at birth, months or years
// after their mother, in a request of their own.
func (p *plan) splitCampBirths(r *rand.Rand) {
	n := len(p.units)
	for i := range n {
		if p.units[i].kind != kFamily || p.units[i].t >= birthCutoff.Unix() {
			continue
		}
		for range p.units[i].under12 {
			if r.IntN(100) >= campBirthPercent {
				continue
			}
			lo := time.Unix(p.units[i].t, 0).UTC().AddDate(0, 4, 0)
			t := timeIn(r, lo, histEnd)
			p.units[i].under12--
			if y := uint16(time.Unix(t, 0).UTC().Year()); y > p.units[i].lastBirth {
				p.units[i].lastBirth = y
			}
			p.units = append(p.units, unit{kind: kBirth, ref: int32(i), t: t, fac: p.units[i].fac, nat: p.units[i].nat, under12: 1})
		}
	}
}

// sortAndNumber puts the units in admission order, which is the log order,
// and numbers their persons.
func (p *plan) sortAndNumber() {
	order := make([]int32, len(p.units))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		switch ta, tb := p.units[a].t, p.units[b].t; {
		case ta < tb:
			return -1
		case ta > tb:
			return 1
		}
		return 0
	})
	pos := make([]int32, len(p.units))
	sorted := make([]unit, len(p.units))
	for i, old := range order {
		sorted[i], pos[old] = p.units[old], int32(i)
	}
	id := int32(1)
	for i := range sorted {
		if sorted[i].ref >= 0 {
			sorted[i].ref = pos[sorted[i].ref]
		}
		sorted[i].id = id
		id += sorted[i].size()
	}
	p.units, p.persons = sorted, int(id-1)
}
