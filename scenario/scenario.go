// Package scenario generates the demo operation of SCENARIO.md: the
// authorities, the 27 places of detention in north-east Syria and the Iraqi
// destination prisons, the 52,200 persons held there registered and admitted
// from 2019 on, and the events of January and February 2026 (control
// changes, escapes and recaptures, deaths, hospitalisations, releases and
// the transfer of 7,000 men to Iraq, as an allocation and some 380 moves by
// land and air with their manifests, boardings, counts and two-sided
// handovers: see moves.go), as requests for the custody log.
//
// Everything is synthetic and deterministic by seed: the same seed gives the
// same events. The figures SCENARIO.md gives are met exactly by every seed
// (see Figures); the seed decides who is who, when and where within them.
// Names are drawn from tables of real names in their standard Arabic spelling
// and common Latin transliterations (names_arab.go, names_world.go).
//
// Generation streams: the population is planned as a compact list of units
// (a few bytes per request) and each request's events are generated just
// before they are emitted, so memory stays low whatever the consumer does.
package scenario

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	custody "github.com/opencustody/custody"
)

// Config configures the demo. Seed selects the generated population; the
// same seed always gives the same events (apart from salts, which the store
// adds). FirstIndex is the log index the first emitted event will get
// (normally 0, an empty log): recaptures name their escape by log index.
type Config struct {
	Seed       uint64
	FirstIndex int64
}

// Generate produces the whole demo operation as requests in log order: emit
// is called once per request, a slice of events that must be applied
// atomically together (a person's registration and admission; a mother's,
// then her children's). Generate stops and returns emit's error if it
// returns one, and ctx's error if ctx is done. Every event has OccurredAt the
// field time, RecordedAt a plausible recording time after it (never before,
// and never before the previous event's), By the recording user, authority
// and site, a unique deterministic Key "demo-<seed>-<n>" and an empty Salt.
// emit may keep the slices it is given.
func Generate(ctx context.Context, cfg Config, emit func([]custody.Event) error) error {
	g := newGenerator(ctx, cfg, emit)
	if err := g.setup(); err != nil {
		return err
	}
	// The operation is planned before the history is emitted: the history
	// notes the log index of the registrations that later events name.
	g.opsRand = rand.New(rand.NewPCG(g.plan.seed, 0x6f7065726174))
	g.ops = g.operationPlan(g.opsRand)
	if err := g.history(); err != nil {
		return err
	}
	return g.operation()
}

// generator holds the state of one run.
type generator struct {
	plan *plan
	src  *rand.PCG
	r    *rand.Rand
	em   *emitter
	ctrl []custody.AuthorityID // each facility's controller, as events change it

	ops     []action    // the operation of 2026, planned
	opsRand *rand.Rand  // the operation's random source
	moves   []*movePlan // the moves of the transfer
	// watch holds the persons whose registration a later event names (an
	// identity correction), and the log index of the registration once
	// it is emitted.
	watch map[custody.PersonID]int64
}

func newGenerator(ctx context.Context, cfg Config, emit func([]custody.Event) error) *generator {
	src := rand.NewPCG(cfg.Seed, 0)
	g := &generator{
		plan:  buildPlan(cfg.Seed),
		src:   src,
		r:     rand.New(src),
		em:    &emitter{ctx: ctx, emit: emit, prefix: fmt.Sprintf("demo-%d-", cfg.Seed), next: cfg.FirstIndex},
		ctrl:  make([]custody.AuthorityID, len(facilities)),
		watch: map[custody.PersonID]int64{},
	}
	for i, fs := range facilities {
		g.ctrl[i] = fs.f.Controller
	}
	return g
}

// emitter numbers, times and sends events.
type emitter struct {
	ctx    context.Context
	emit   func([]custody.Event) error
	prefix string
	next   int64     // log index of the next request's first event
	n      int64     // events made so far, for keys
	last   time.Time // recorded_at of the last event
	req    []custody.Event
}

// add appends an event to the current request, recorded delay after it
// occurred (or just after the previous event, if that is later), and returns
// the log index it will have.
func (e *emitter) add(p custody.Payload, occurred time.Time, delay time.Duration, by custody.Actor) int64 {
	rec := occurred.Add(delay)
	if !rec.After(e.last) {
		rec = e.last.Add(time.Second)
	}
	e.last = rec
	idx := e.next + int64(len(e.req))
	e.req = append(e.req, custody.NewEvent(p, occurred, rec, by, e.prefix+fmt.Sprint(e.n)))
	e.n++
	return idx
}

// flush emits the current request.
func (e *emitter) flush() error {
	if len(e.req) == 0 {
		return nil
	}
	if err := e.ctx.Err(); err != nil {
		return err
	}
	req := e.req
	e.req = make([]custody.Event, 0, 4)
	if err := e.emit(req); err != nil {
		return err
	}
	e.next += int64(len(req))
	return nil
}

// setupTime is when the register was opened, just before the first
// admissions.
var setupTime = baghuzStart.Add(3 * time.Hour)

// setup registers the authorities (one request), publishes the first
// versions of the reference lists (one request) and registers the
// facilities in north-east Syria (one request each); the Iraqi
// destinations come later.
func (g *generator) setup() error {
	by := custody.Actor{User: "admin.sdf", Authority: sdf, Site: "Hasakah"}
	for _, a := range authorities {
		g.em.add(&custody.AuthorityRegistered{Authority: a}, setupTime, 10*time.Minute, by)
	}
	if err := g.em.flush(); err != nil {
		return err
	}
	for _, l := range custody.DefaultReferences() {
		g.em.add(&l, setupTime, 15*time.Minute, by)
	}
	if err := g.em.flush(); err != nil {
		return err
	}
	for _, fs := range facilities[:nesFacilities] {
		g.em.add(&custody.FacilityRegistered{Facility: fs.f}, setupTime, 20*time.Minute, by)
		if err := g.em.flush(); err != nil {
			return err
		}
	}
	return nil
}

// history registers and admits every person, unit by unit, in the order of
// their admission.
func (g *generator) history() error {
	for i := range g.plan.units {
		if err := g.unit(i); err != nil {
			return err
		}
	}
	return nil
}

// unit emits the request of unit i.
func (g *generator) unit(i int) error {
	u := &g.plan.units[i]
	at := time.Unix(u.t, 0).UTC()
	switch u.kind {
	case kMan:
		g.reseed(i)
		g.admit(g.man(u).p, u, at, groundsMan)
	case kFamily:
		h := g.household(i)
		g.admit(h.mother.p, u, at, groundsWoman)
		for k, b := range h.births {
			c := g.child(h, u.id+1+int32(k), h.mother.p.ID, b, g.r.IntN(2) == 0, u)
			g.admit(c, u, at, groundsChild)
		}
	case kBirth:
		m := &g.plan.units[u.ref]
		h := g.household(int(u.ref))
		g.reseed(i)
		birth := at.AddDate(0, 0, -2-g.r.IntN(58))
		c := g.child(h, u.id, pid(m.id), custody.BirthDate{Date: birth.Format(time.DateOnly)}, g.r.IntN(2) == 0, u)
		g.admit(c, u, at, groundsBirth)
	case kOrphan, kRehab:
		g.reseed(i)
		h := g.orphanage(u)
		b := adolescentBirth(g.r)
		if u.under12 == 1 {
			b = under12Birth(g.r, at)
		}
		female := u.kind == kOrphan && g.r.IntN(2) == 0
		grounds := groundsOrphan
		if u.kind == kRehab {
			grounds = groundsRehab
		}
		g.admit(g.child(h, u.id, "", b, female, u), u, at, grounds)
	case kDup:
		p, grounds := g.duplicate(i)
		g.admit(p, u, at, grounds)
	}
	return g.em.flush()
}

// duplicate generates the second registration of unit i: the person of its
// original unit, under another ID and other spellings of the same name,
// with the same parents' names and birth date, and fewer papers.
func (g *generator) duplicate(i int) (custody.Person, string) {
	u := &g.plan.units[i]
	o := &g.plan.units[u.ref]
	var was identity
	grounds := groundsMan
	if o.kind == kMan {
		g.reseed(int(u.ref))
		was = g.man(o)
	} else {
		was, grounds = g.household(int(u.ref)).mother, groundsWoman
	}
	g.reseed(i)
	p := was.p
	p.ID = pid(u.id)
	p.Name = respell(g.r, was.p.Name, was.parts)
	p.Documents = documents(g.r, u, p.Nationalities[0], false)
	p.Inform = nil
	if len(p.Aliases) > 0 && g.r.IntN(2) == 0 {
		p.Aliases = nil
	}
	return p, grounds
}

// Grounds of detention, as the SDF recorded them.
const (
	groundsMan    = "suspected IS membership"
	groundsWoman  = "family of suspected IS member, camp placement"
	groundsChild  = "child of suspected IS member, placed with the mother"
	groundsBirth  = "born in the camp to a detained mother"
	groundsOrphan = "unaccompanied child of suspected IS members, camp placement"
	groundsRehab  = "adolescent removed from the camp for rehabilitation"
)

// admit adds the registration and admission of p to the current request.
func (g *generator) admit(p custody.Person, u *unit, at time.Time, grounds string) {
	r := g.r
	by := registrar(int(u.fac), sdf)
	delay := time.Duration(300+r.Int64N(6*3600)) * time.Second
	idx := g.em.add(&custody.PersonRegistered{Person: p}, at, delay, by)
	if _, ok := g.watch[p.ID]; ok {
		g.watch[p.ID] = idx
	}
	a := &custody.Admitted{Person: p.ID, Facility: facilities[u.fac].f.ID, TakenBy: takenBy(r, u, at), OrderedBy: sdf, Grounds: grounds}
	if p.Category == custody.Man {
		if u.tier == 1 {
			a.Grounds = groundsMan + " (senior member)"
		}
		if r.IntN(100) < 60 {
			a.Order = fmt.Sprintf("SDF detention order DO-%d-%05d", at.Year(), r.IntN(100000))
		}
	}
	g.em.add(a, at, delay+time.Minute, by)
}

// takenBy names the unit that took the person.
func takenBy(r *rand.Rand, u *unit, at time.Time) string {
	baghuz := at.Before(baghuzEnd)
	switch {
	case u.kind == kBirth:
		return "camp administration, birth registration"
	case u.kind == kRehab:
		return "Asayish camp administration, removal for rehabilitation"
	case facilities[u.fac].men > 0 && baghuz:
		return menBaghuz[r.IntN(len(menBaghuz))]
	case facilities[u.fac].men > 0:
		return menLater[r.IntN(len(menLater))]
	case baghuz:
		return "SDF screening point, Baghuz evacuation corridor"
	}
	return familiesLater[r.IntN(len(familiesLater))]
}

var menBaghuz = []string{
	"SDF Deir ez-Zor Military Council, Baghuz front",
	"SDF screening point, Baghuz evacuation corridor",
	"SDF Anti-Terror Units (YAT), Baghuz",
}

var menLater = []string{
	"SDF Anti-Terror Units (YAT), joint raid with coalition support",
	"Asayish internal security, Hasakah",
	"SDF Raqqa Internal Security Forces",
	"SDF Deir ez-Zor Military Council, security operation",
	"Asayish checkpoint, Qamishli",
}

var familiesLater = []string{
	"Asayish camp administration, transfer from a screening centre",
	"SDF Deir ez-Zor Military Council, security operation",
	"Asayish internal security, Hasakah",
	"SDF Raqqa Internal Security Forces",
}
