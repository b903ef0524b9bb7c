package scenario

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
)

const testSeed = 20260120

// observed is what applying the whole demo to a State showed.
type observed struct {
	state      *custody.State
	err        error
	problems   []string
	events     int
	admitted   map[custody.PersonID]custody.FacilityID // facility of first admission
	registered map[custody.PersonID]int64              // log index of registration
	transfers  []time.Time                             // occurred_at of each admission to a destination
	types      map[custody.EventType]int               // events by type
	// of the moves: the log index and event of every move, allocation and
	// correction event, and the moves that handed each person over at
	// arrival
	moveEvents map[int64]*custody.Event
	stages     map[int64]custody.HandoverStage // releasing confirmations by log index
	handedAt   map[custody.PersonID][]custody.MoveID
}

func (o *observed) problem(format string, args ...any) {
	if len(o.problems) < 20 {
		o.problems = append(o.problems, fmt.Sprintf(format, args...))
	}
}

var (
	demoOnce sync.Once
	demo     *observed
)

// loadDemo generates the demo for testSeed once and applies it to a State,
// checking every event on the way.
func loadDemo(t testing.TB) *observed {
	t.Helper()
	demoOnce.Do(func() { demo = applyDemo(Config{Seed: testSeed}) })
	if demo.err != nil {
		t.Fatalf("applying the demo: %v", demo.err)
	}
	return demo
}

func applyDemo(cfg Config) *observed {
	o := &observed{
		state:      custody.NewState(),
		admitted:   map[custody.PersonID]custody.FacilityID{},
		registered: map[custody.PersonID]int64{},
		types:      map[custody.EventType]int{},
		moveEvents: map[int64]*custody.Event{},
		stages:     map[int64]custody.HandoverStage{},
		handedAt:   map[custody.PersonID][]custody.MoveID{},
	}
	s := o.state
	idx := cfg.FirstIndex
	keys := map[string]bool{}
	var last time.Time
	histStart, histStop := date(2019, time.March, 1), date(2026, time.January, 1)
	o.err = Generate(context.Background(), cfg, func(req []custody.Event) error {
		if len(req) == 0 {
			o.problem("empty request at %d", idx)
		}
		for i := range req {
			e := &req[i]
			switch {
			case e.Salt != "":
				o.problem("event %d has a salt", idx)
			case e.Key == "" || keys[e.Key]:
				o.problem("event %d key %q empty or reused", idx, e.Key)
			case e.RecordedAt.Before(e.OccurredAt):
				o.problem("event %d recorded %v before it occurred %v", idx, e.RecordedAt, e.OccurredAt)
			case e.RecordedAt.Before(last):
				o.problem("event %d recorded %v before the previous event %v", idx, e.RecordedAt, last)
			case e.By.User == "" || e.By.Authority == "" || e.By.Site == "":
				o.problem("event %d by %+v", idx, e.By)
			}
			keys[e.Key], last = true, e.RecordedAt
			if f := recordedAt(e); f != "" && s.Facilities[f] != nil && s.Facilities[f].Controller != e.By.Authority {
				o.problem("event %d %s at %s recorded by %s, controlled by %s", idx, e.Type, f, e.By.Authority, s.Facilities[f].Controller)
			}
			switch d := e.Data.(type) {
			case *custody.PersonRegistered:
				o.registered[d.Person.ID] = idx + int64(i)
			case *custody.Admitted:
				if _, ok := o.admitted[d.Person]; !ok {
					o.admitted[d.Person] = d.Facility
				}
				if e.OccurredAt.Before(histStart) || !e.OccurredAt.Before(histStop) {
					o.problem("admission of %s at %v, outside 2019-03 to 2025-12", d.Person, e.OccurredAt)
				}
			case *custody.MovePlanned:
				mv := &d.Move
				from, to := s.Facilities[mv.Origin], s.Facilities[mv.Destination]
				if from == nil || from.Controller != sdf || from.Facility.Kind != custody.Prison {
					o.problem("move %s from %s, not an SDF prison", mv.ID, mv.Origin)
				}
				if to == nil || to.Facility.Kind != custody.Destination || mv.Escort != centcom {
					o.problem("move %s to %s escorted by %s", mv.ID, mv.Destination, mv.Escort)
				}
				for _, st := range d.Manifest {
					if p := s.Persons[st.Person]; p == nil || p.Person.Category != custody.Man {
						o.problem("move %s carries %s, not a man", mv.ID, st.Person)
					}
				}
				if !strings.HasPrefix(string(mv.ID), "MV-"+mv.Departure.Format("20060102")+"-") {
					o.problem("move %s departs on %v", mv.ID, mv.Departure)
				}
			case *custody.Boarded:
				if e.By.Authority != centcom || (d.Scan == custody.ScanQR) != (d.Code == custody.WristbandCode(d.Person)) {
					o.problem("boarding of %s on %s by %s, scan %s %q", d.Person, d.Move, e.By.Authority, d.Scan, d.Code)
				}
			case *custody.HandoverReleased:
				o.stages[idx+int64(i)] = d.Stage
			case *custody.HandoverReceived:
				if o.stages[d.Handover] == custody.AtArrival {
					for _, p := range d.Persons {
						o.transfers = append(o.transfers, e.OccurredAt)
						o.handedAt[p] = append(o.handedAt[p], d.Move)
					}
				}
			}
			o.types[e.Type]++
			if e.MoveOf() != "" || e.Type == custody.TypeIdentityCorrected || e.Type == custody.TypeAllocationCreated || e.Type == custody.TypeReturned {
				o.moveEvents[idx+int64(i)] = e
			}
		}
		if _, _, err := s.ApplyAll(idx, req); err != nil {
			return fmt.Errorf("request at index %d: %w", idx, err)
		}
		for i := range req {
			if d, ok := req[i].Data.(*custody.HandoverReceived); ok && o.stages[d.Handover] == custody.AtArrival {
				dest := s.Moves[d.Move].Move.Destination
				if fs := s.Facilities[dest]; fs.Facility.Kind != custody.Destination || fs.Count > fs.Facility.Capacity {
					o.problem("handover into %s (%s): %d held, capacity %d", dest, fs.Facility.Kind, fs.Count, fs.Facility.Capacity)
				}
			}
		}
		idx += int64(len(req))
		o.events += len(req)
		return nil
	})
	return o
}

// recordedAt is the facility whose registrar records e, if any.
func recordedAt(e *custody.Event) custody.FacilityID {
	switch d := e.Data.(type) {
	case *custody.Admitted:
		return d.Facility
	case *custody.Released:
		return d.Facility
	case *custody.Escaped:
		return d.Facility
	case *custody.Hospitalised:
		return d.From
	case *custody.Returned:
		return d.Facility
	case *custody.Recaptured:
		return d.Facility
	}
	return ""
}

func TestGenerateApplies(t *testing.T) {
	o := loadDemo(t)
	for _, p := range o.problems {
		t.Error(p)
	}
	s := o.state
	for _, err := range custody.CheckInvariants(s) {
		t.Errorf("invariant: %v", err)
	}
	for id, m := range s.Moves {
		if m.Status != custody.StageClosed {
			t.Errorf("move %s is %s at the end", id, m.Status)
		}
	}
	for _, a := range s.OpenAlerts() {
		t.Errorf("open at the end: %v", a)
	}
	held := 0
	for _, fs := range s.Facilities {
		if fs.Facility.Kind == custody.Destination {
			held += fs.Count
			if fs.Count > fs.Facility.Capacity {
				t.Errorf("%s holds %d, capacity %d", fs.Facility.ID, fs.Count, fs.Facility.Capacity)
			}
		}
	}
	if held != Figures().Transferred {
		t.Errorf("%d persons held in destination prisons at the end, want %d", held, Figures().Transferred)
	}
	for id, a := range s.Allocations {
		n := 0
		for _, mv := range a.Moves {
			m := s.Moves[mv]
			n += len(m.Manifest) - len(m.NotBoarded)
		}
		if n > a.Allocation.Target {
			t.Errorf("allocation %s carried %d, target %d", id, n, a.Allocation.Target)
		}
	}
	if n := len(s.References); n != len(custody.Lists) {
		t.Errorf("%d reference lists published, want %d", n, len(custody.Lists))
	}
	t.Logf("%d events, %d persons, %d moves", o.events, len(s.Persons), len(s.Moves))
}

// TestFigures checks the figures of SCENARIO.md, first as Figures states
// them, then as the applied demo has them.
func TestFigures(t *testing.T) {
	f := Figures()
	o := loadDemo(t)
	s := o.state

	var men, women, children, under12 int
	alHol := map[string]int{}
	var swe Count
	nats := map[string]bool{}
	population := map[custody.FacilityID]int{}
	for id, ps := range s.Persons {
		p := &ps.Person
		switch p.Category {
		case custody.Man:
			men++
		case custody.Woman:
			women++
		default:
			children++
		}
		if p.Under12 {
			under12++
		}
		nat := p.Nationalities[0]
		nats[nat] = true
		fac := o.admitted[id]
		population[fac]++
		switch fac {
		case "al-hol":
			alHol[nat]++
		case "al-hol-annex":
			alHol["foreign"]++
		}
		if nat == sweden {
			switch p.Category {
			case custody.Man:
				swe.Men++
			case custody.Woman:
				swe.Women++
			default:
				swe.Children++
			}
		}
	}
	byDay := func(y int, m time.Month, d int) int {
		end, n := date(y, m, d).AddDate(0, 0, 1), 0
		for _, t := range o.transfers {
			if t.Before(end) {
				n++
			}
		}
		return n
	}
	var open int
	for _, e := range s.Escapes {
		if e.Open() {
			open++
		}
	}
	var tier1 int
	status := map[custody.Status]int{}
	for _, ps := range s.Persons {
		status[ps.Location.Status]++
		if ps.Person.Category == custody.Man && ps.Person.RiskTier == 1 {
			tier1++
		}
	}
	tests := []struct {
		name              string
		stated, got, want int
	}{
		{"men", f.Men, men, 8950},
		{"women and children", f.WomenAndChildren, women + children, 43250},
		{"under 12", f.Under12, under12, 25000},
		{"women", f.Women, women, f.Women},
		{"persons", f.Persons, len(s.Persons), 52200},
		{"Gweiran", f.Gweiran, population["gweiran"], 4500},
		{"al-Hol", f.AlHol.Total, alHol["SY"] + alHol["IQ"] + alHol["foreign"], 24000},
		{"al-Hol Syrians", f.AlHol.Syrians, alHol["SY"], 14500},
		{"al-Hol Iraqis", f.AlHol.Iraqis, alHol["IQ"], 2980},
		{"al-Hol foreign nationals (annex)", f.AlHol.Foreign, alHol["foreign"], 6520},
		{"Sweden men", f.Sweden.Men, swe.Men, 10},
		{"Sweden women", f.Sweden.Women, swe.Women, 5},
		{"Sweden children", f.Sweden.Children, swe.Children, 10},
		{"nationalities", f.Nationalities, len(nats), 60},
		{"first-tier men", f.TierOne, tier1, 400},
		{"transferred by 2026-01-21", f.Transfers[0].Cumulative, byDay(2026, time.January, 21), 150},
		{"transferred by 2026-02-05", f.Transfers[1].Cumulative, byDay(2026, time.February, 5), 4583},
		{"transferred by 2026-02-12", f.Transfers[2].Cumulative, byDay(2026, time.February, 12), 7000},
		{"transferred in all", f.Transferred, len(o.transfers), 7000},
		{"escapes", f.Escapes, len(s.Escapes), 120},
		{"released", f.Released, status[custody.StatusReleased], 30},
		{"deceased", f.DiedAtLarge + f.KilledInShelling, status[custody.StatusDeceased], 3},
		{"recaptured", f.Recaptured, len(s.Escapes) - open - f.DiedAtLarge, 109},
		{"still at large", f.AtLarge, open, 9},
		{"facilities in north-east Syria", f.Facilities, len(s.Facilities) - f.Destinations, 27},
	}
	for _, tt := range tests {
		if tt.stated != tt.want || tt.got != tt.want {
			t.Errorf("%s: Figures says %d, the demo has %d, want %d", tt.name, tt.stated, tt.got, tt.want)
		}
	}
	for id, n := range f.Population {
		if population[id] != n {
			t.Errorf("admitted to %s: %d, Figures says %d", id, population[id], n)
		}
	}
	if open == 0 || open >= len(s.Escapes) {
		t.Errorf("%d escape clocks open of %d", open, len(s.Escapes))
	}
	for _, id := range []custody.FacilityID{"shaddadeh", "al-hol", "al-hol-annex", "al-aqtan"} {
		if c := s.Facilities[id].Controller; c != syrianGov {
			t.Errorf("%s controlled by %s at the end, want syrian-gov", id, c)
		}
	}
	if c := s.Facilities["gweiran"].Controller; c != sdf {
		t.Errorf("gweiran controlled by %s at the end, want sdf", c)
	}
	if f.DestinationCapacity < f.Transferred {
		t.Errorf("destination capacity %d < %d transferred", f.DestinationCapacity, f.Transferred)
	}
	t.Logf("women %d, children %d (under 12 %d, adolescents %d, rehabilitation %d), tiers 1/2/3/0 %d/%d/%d/%d",
		f.Women, f.Children, f.Under12, f.Adolescents, f.RehabBoys, f.TierOne, f.TierTwo, f.TierThree, f.NotAssessed)
}

// TestPersons checks every person's record: names in both scripts, ages
// consistent with categories, mothers linked to their children.
func TestPersons(t *testing.T) {
	o := loadDemo(t)
	var children, linked, withFather, withMother, kunyas, men int
	for id, ps := range o.state.Persons {
		p := &ps.Person
		if !hasArabic(p.Name.Arabic) || len(p.Name.Latin) == 0 {
			t.Fatalf("%s: name %+v lacks an Arabic or a Latin form", id, p.Name)
		}
		for _, l := range p.Name.Latin {
			if l == "" || hasArabic(l) {
				t.Fatalf("%s: Latin spelling %q", id, l)
			}
		}
		if !p.FatherName.IsZero() {
			withFather++
		}
		if !p.MotherName.IsZero() {
			withMother++
		}
		age, ok := p.Birth.AgeOn(censusDay)
		if !ok {
			t.Fatalf("%s: birth %+v", id, p.Birth)
		}
		switch {
		case p.Category == custody.Man || p.Category == custody.Woman:
			if age < 18 {
				t.Errorf("%s: %s aged %d", id, p.Category, age)
			}
		case p.Under12 != (age < 12) || age > 17:
			t.Errorf("%s: %s aged %d, under 12 %v", id, p.Category, age, p.Under12)
		}
		if p.Category == custody.Man {
			men++
			for _, a := range p.Aliases {
				if a.Kind == custody.AliasKunya && strings.HasPrefix(a.Name.Arabic, "أبو ") {
					kunyas++
				}
			}
		}
		if !p.Category.IsChild() {
			continue
		}
		children++
		for _, l := range p.Family {
			m := o.state.Persons[l.Person]
			if l.Relation != custody.ChildOf || m == nil || m.Person.Category != custody.Woman || m.Registered >= ps.Registered ||
				m.Person.Nationalities[0] != p.Nationalities[0] {
				t.Errorf("%s: family link %+v to %+v", id, l, m)
				continue
			}
			if o.admitted[l.Person] != o.admitted[id] {
				t.Errorf("%s admitted to %s, its mother %s to %s", id, o.admitted[id], l.Person, o.admitted[l.Person])
			}
			linked++
		}
	}
	n := len(o.state.Persons)
	for _, tt := range []struct {
		what string
		ok   func(p *custody.Person) bool
	}{
		{"Swedish surname", func(p *custody.Person) bool {
			return p.Nationalities[0] == "SE" && strings.Contains(p.Name.Latin[0], "sson")
		}},
		{"Tajik surname", func(p *custody.Person) bool {
			l := p.Name.Latin[0]
			return p.Nationalities[0] == "TJ" && (strings.HasSuffix(l, "ov") || strings.HasSuffix(l, "ova") || strings.HasSuffix(l, "ev") || strings.HasSuffix(l, "eva"))
		}},
		{"Kurdish given name", func(p *custody.Person) bool {
			first, _, _ := strings.Cut(p.Name.Arabic, " ")
			return p.Nationalities[0] == "SY" && slices.ContainsFunc(kurdMale, func(e nameEntry) bool { return e.ar == first })
		}},
		{"French name", func(p *custody.Person) bool {
			return p.Nationalities[0] == "FR" && slices.ContainsFunc(frenchFamily, func(e nameEntry) bool { return strings.HasSuffix(p.Name.Arabic, e.ar) })
		}},
	} {
		found := 0
		for _, ps := range o.state.Persons {
			if tt.ok(&ps.Person) {
				found++
			}
		}
		if found < 5 {
			t.Errorf("%s: %d persons", tt.what, found)
		}
	}
	if linked < children*9/10 {
		t.Errorf("%d of %d children linked to their mother", linked, children)
	}
	if withFather < n*8/10 || withMother < n*8/10 {
		t.Errorf("father's name on %d, mother's on %d of %d records", withFather, withMother, n)
	}
	if kunyas < men/2 {
		t.Errorf("%d kunyas among %d men", kunyas, men)
	}
}

func hasArabic(s string) bool {
	for _, c := range s {
		if c >= 0x0600 && c <= 0x06FF {
			return true
		}
	}
	return false
}

func TestDuplicatePairs(t *testing.T) {
	o := loadDemo(t)
	pairs := DuplicatePairs(Config{Seed: testSeed})
	if len(pairs) != Figures().DuplicatePairs {
		t.Fatalf("%d pairs, Figures says %d", len(pairs), Figures().DuplicatePairs)
	}
	for _, dp := range pairs {
		a, b := o.state.Persons[dp.First], o.state.Persons[dp.Second]
		if a == nil || b == nil {
			t.Fatalf("pair %+v not registered", dp)
		}
		pa, pb := &a.Person, &b.Person
		switch {
		case a.Registered >= b.Registered:
			t.Errorf("%+v: second registered first", dp)
		case fmt.Sprint(pa.FatherName, pa.MotherName, pa.Birth) != fmt.Sprint(pb.FatherName, pb.MotherName, pb.Birth):
			t.Errorf("%+v: parents or birth differ: %+v %+v", dp, pa, pb)
		case pa.Name.Latin[0] == pb.Name.Latin[0]:
			t.Errorf("%+v: same spelling %q", dp, pa.Name.Latin[0])
		case a.Location.Facility != b.Location.Facility || a.Location.Status != custody.StatusHeld:
			t.Errorf("%+v: held in %s and %s", dp, a.Location.Facility, b.Location.Facility)
		}
	}
}

// hashDemo hashes the JSON of every event of cfg's demo, the log indexes
// events name (escapes, identity records, handovers) counted from
// cfg.FirstIndex.
func hashDemo(t *testing.T, cfg Config) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	err := Generate(context.Background(), cfg, func(req []custody.Event) error {
		for _, e := range req {
			switch d := e.Data.(type) {
			case *custody.Recaptured:
				c := *d
				c.Escape -= cfg.FirstIndex
				e.Data = &c
			case *custody.IdentityCorrected:
				c := *d
				c.Corrects -= cfg.FirstIndex
				e.Data = &c
			case *custody.HandoverReceived:
				c := *d
				c.Handover -= cfg.FirstIndex
				e.Data = &c
			case *custody.HandoverRefused:
				c := *d
				c.Handover -= cfg.FirstIndex
				e.Data = &c
			}
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestDeterminism(t *testing.T) {
	a := hashDemo(t, Config{Seed: 7})
	if b := hashDemo(t, Config{Seed: 7}); a != b {
		t.Errorf("seed 7 twice: %s, %s", a, b)
	}
	if b := hashDemo(t, Config{Seed: 7, FirstIndex: 1000}); a != b {
		t.Errorf("seed 7 from index 1000 differs other than by the log indexes events name")
	}
	if b := hashDemo(t, Config{Seed: 8}); a == b {
		t.Errorf("seeds 7 and 8 give the same demo")
	}
}

// TestFirstIndex applies a demo to a log that already holds events.
func TestFirstIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("applies a second whole demo")
	}
	o := applyDemo(Config{Seed: 3, FirstIndex: 12345})
	if o.err != nil {
		t.Fatal(o.err)
	}
	if errs := custody.CheckInvariants(o.state); len(errs) > 0 {
		t.Fatal(errs[0])
	}
	for seq := range o.state.Escapes {
		if seq < 12345 {
			t.Fatalf("escape at %d, before the first index", seq)
		}
	}
}

func TestStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Generate(context.Background(), Config{Seed: 1}, func([]custody.Event) error {
		if n++; n == 100 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 100 {
		t.Errorf("emit error: Generate returned %v after %d requests", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = Generate(ctx, Config{Seed: 1}, func([]custody.Event) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 10 {
		t.Errorf("cancelled: Generate returned %v after %d requests", err, n)
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		n := 0
		err := Generate(context.Background(), Config{Seed: uint64(testSeed)}, func(req []custody.Event) error {
			n += len(req)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "events/op")
	}
}

// moveEvent returns the event at log index i if it is of type T.
func moveEvent[T custody.Payload](o *observed, i int64) (*custody.Event, T, bool) {
	var zero T
	e, ok := o.moveEvents[i]
	if !ok {
		return nil, zero, false
	}
	d, ok := e.Data.(T)
	return e, d, ok
}

// ordered returns the move and correction events in log order.
func (o *observed) ordered() []int64 {
	var out []int64
	for i := range o.moveEvents {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

// TestMoveStories checks the stories of the transfer: a count one short
// explained by a medical evacuation, a man refused at arrival whose
// identity is corrected before he is received, a man not boarded who moves
// later; and the shape of every move.
func TestMoveStories(t *testing.T) {
	o := loadDemo(t)
	s := o.state
	log := o.ordered()

	// 1. A count one short, explained by an evacuation recorded after it.
	evacuated := 0
	for _, a := range s.Alerts {
		ce, _, ok := moveEvent[*custody.Counted](o, a.Seq)
		if !ok {
			t.Errorf("alert %d not opened by a leg count", a.Seq)
			continue
		}
		ee, ev, ok := moveEvent[*custody.Evacuated](o, a.ClosedBy)
		if !ok || ev.Move != a.Move || a.Counted != a.Expected-1 {
			t.Errorf("%v: not closed by an evacuation from the move", a)
			continue
		}
		if !ee.OccurredAt.Before(ce.OccurredAt) || !ee.RecordedAt.After(ce.RecordedAt) {
			t.Errorf("evacuation of %s occurred %v, recorded %v; count at %v", ev.Person, ee.OccurredAt, ee.RecordedAt, ce.OccurredAt)
		}
		if s.Facilities[ev.Hospital].Facility.Kind != custody.Hospital {
			t.Errorf("evacuated to %s", ev.Hospital)
		}
		returned := false
		for _, i := range log {
			if re, r, ok := moveEvent[*custody.Returned](o, i); ok && r.Person == ev.Person && re.OccurredAt.After(ee.OccurredAt) {
				returned = true
			}
		}
		if moves := o.handedAt[ev.Person]; !returned || len(moves) != 1 || moves[0] == ev.Move {
			t.Errorf("evacuated %s: returned %v, handed over at arrival by %v", ev.Person, returned, moves)
		}
		evacuated++
		t.Logf("story 1: %s evacuated from %s (%s); %v; returned to %s, handed over by %s",
			ev.Person, ev.Move, s.Moves[ev.Move].Move.Origin, a, s.Moves[ev.Move].Move.Origin, o.handedAt[ev.Person])
	}
	if evacuated == 0 {
		t.Error("no count alert closed by an evacuation")
	}

	// 2. A man refused at arrival, his identity corrected, handed over again.
	refused := 0
	for k, i := range log {
		_, rf, ok := moveEvent[*custody.HandoverRefused](o, i)
		if !ok {
			continue
		}
		if rf.Reason.Code != "identity-mismatch" || rf.Reason.Version != 1 {
			t.Errorf("refusal of %s: reason %+v", rf.Person, rf.Reason)
		}
		var corrected, released, received bool
		for _, j := range log[k+1:] {
			e := o.moveEvents[j]
			switch d := e.Data.(type) {
			case *custody.IdentityCorrected:
				if d.Person.ID == rf.Person {
					corrected = d.Corrects == o.registered[rf.Person] && !released
				}
			case *custody.HandoverReleased:
				if d.Move == rf.Move && slices.Contains(d.Persons, rf.Person) {
					released = corrected && len(d.Persons) == 1 && d.Stage == custody.AtArrival
				}
			case *custody.HandoverReceived:
				if d.Move == rf.Move && slices.Contains(d.Persons, rf.Person) {
					received = released
				}
			}
		}
		m := s.Moves[rf.Move]
		if !corrected || !released || !received || m.HandedOver[rf.Person] == 0 || m.Status != custody.StageClosed {
			t.Errorf("refused %s on %s: corrected %v, released again %v, received %v, move %s", rf.Person, rf.Move, corrected, released, received, m.Status)
		}
		if id := s.Persons[rf.Person].Identity; len(id) != 2 {
			t.Errorf("refused %s: identity records %v", rf.Person, id)
		}
		refused++
		t.Logf("story 2: %s refused at %s on %s (%s), identity corrected (records %v), received", rf.Person, m.Move.Destination, rf.Move, rf.Reason.Code, s.Persons[rf.Person].Identity)
	}
	if refused == 0 {
		t.Error("no handover refused")
	}

	// 3. A man not boarded, moved later.
	notBoarded := 0
	for _, i := range log {
		_, nb, ok := moveEvent[*custody.NotBoarded](o, i)
		if !ok {
			continue
		}
		if nb.Reason.Code != "medical-unfit" || nb.Reason.Version != 1 {
			t.Errorf("not boarded %s: reason %+v", nb.Person, nb.Reason)
		}
		if moves := o.handedAt[nb.Person]; len(moves) != 1 || moves[0] == nb.Move {
			t.Errorf("not boarded on %s, %s handed over by %v", nb.Move, nb.Person, moves)
		}
		notBoarded++
		t.Logf("story 3: %s not boarded on %s (%s), handed over by %v", nb.Person, nb.Move, nb.Reason.Code, o.handedAt[nb.Person])
	}
	if notBoarded == 0 {
		t.Error("nobody not boarded")
	}

	// Every move: two handovers, to the escort and from it, counted at
	// every leg; land convoys cross the border.
	modes := map[custody.Mode]int{}
	overnight := 0
	for id, m := range s.Moves {
		modes[m.Move.Mode]++
		var dep, arr bool
		for _, h := range m.Handovers {
			dep = dep || h.Stage == custody.AtDeparture && h.To == centcom && h.From == sdf
			arr = arr || h.Stage == custody.AtArrival && h.To == iraqMoJ && h.From == centcom
		}
		if !dep || !arr || len(m.Counts) != len(m.Move.Legs)+2 {
			t.Errorf("move %s: handovers at departure %v, at arrival %v; %d counts for %d legs", id, dep, arr, len(m.Counts), len(m.Move.Legs))
		}
		if m.Move.Mode == custody.ByLand && !slices.ContainsFunc(m.Move.Legs, func(l custody.Leg) bool { return l.Kind == custody.LegBorder }) {
			t.Errorf("convoy %s does not cross the border", id)
		}
		if slices.ContainsFunc(m.Move.Legs, func(l custody.Leg) bool { return l.Kind == custody.LegOvernight }) {
			overnight++
		}
	}
	first := 0
	for _, m := range s.Moves {
		if m.Move.Mode == custody.ByAir && m.Move.Origin == "gweiran" && strings.HasPrefix(string(m.Move.ID), "MV-20260121-") {
			first++
		}
	}
	if first < 3 || modes[custody.ByLand] == 0 || overnight == 0 {
		t.Errorf("%d flights on 2026-01-21, %d convoys, %d with an overnight lockout", first, modes[custody.ByLand], overnight)
	}
	types := slices.Sorted(maps.Keys(o.types))
	var b strings.Builder
	for _, ty := range types {
		fmt.Fprintf(&b, " %s=%d", ty, o.types[ty])
	}
	t.Logf("%d moves: %d by land (%d with an overnight lockout), %d by air; events by type:%s",
		len(s.Moves), modes[custody.ByLand], overnight, modes[custody.ByAir], b.String())
}
