package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/plan"
	"github.com/opencustody/custody/sqlstore"
)

// resources is the file `custody plan --resources` reads: the vehicles and
// aircraft of the moves being planned, the destinations, and the persons
// who must be kept apart.
type resources struct {
	Vehicles     []plan.Vehicle     `json:"vehicles"`
	Destinations []plan.Destination `json:"destinations"`
	KeepApart    []plan.KeepApart   `json:"keep_apart,omitempty"`
}

// planFile is what `custody plan --out` writes and `--check` reads back:
// the request planned from and the plan, which a planner may edit by hand.
type planFile struct {
	Request plan.Request `json:"request"`
	Plan    plan.Plan    `json:"plan"`
}

// runPlan assigns persons held now to the vehicles of planned moves, or
// checks a plan file (perhaps edited by hand) against every rule.
func (m *Main) runPlan(ctx context.Context, args []string) error {
	fs := m.flags("plan")
	db := m.dbFlag(fs)
	res := fs.String("resources", "", "JSON `file` of vehicles, destinations and keep-apart pairs (required to make a plan)")
	from := fs.String("from", "", "comma-separated `facilities` to take persons from (default: the vehicles' origins)")
	categories := fs.String("category", "", "comma-separated `categories` to move (man, woman, boy, girl; default all)")
	nationalities := fs.String("nationality", "", "comma-separated ISO 3166 `codes` to move (default all)")
	tiers := fs.String("tier", "", "comma-separated risk `tiers` to move (0 = not assessed; default all)")
	limit := fs.Int("limit", 0, "move at most `N` persons, highest risk first (0: no limit)")
	out := fs.String("out", "", "write the request and the plan as JSON to `file`")
	check := fs.String("check", "", "check the plan `file` (as written by --out, perhaps edited) instead of making one")
	submit := fs.Bool("submit", false, "record the plan (made, or checked with --check) as planned moves, one per move of the vehicles, if it breaks no rule")
	alloc := fs.String("allocation", "", "with --submit: the `allocation` the moves belong to")
	escort := fs.String("escort", "", "with --submit: the escorting `authority`")
	user := fs.String("user", "", "with --submit: the planner recording the moves (`name`)")
	authority := fs.String("authority", "", "with --submit: the planner's `authority`")
	if err := parse(fs, args); err != nil {
		return err
	}
	var sub *submission
	if *submit {
		if *alloc == "" || *escort == "" || *user == "" || *authority == "" {
			fmt.Fprintln(m.Stderr, "custody plan --submit: --allocation, --escort, --user and --authority are required")
			return errUsage
		}
		sub = &submission{db: *db, allocation: custody.AllocationID(*alloc), escort: custody.AuthorityID(*escort),
			by: custody.Actor{User: *user, Authority: custody.AuthorityID(*authority), Site: "custody plan"}}
	}
	if *check != "" {
		return m.checkPlanFile(ctx, *check, sub)
	}
	if *res == "" {
		fmt.Fprintln(m.Stderr, "custody plan: --resources is required to make a plan (or --check FILE to check one)")
		return errUsage
	}
	var r resources
	if err := readJSON(*res, &r); err != nil {
		return err
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	req, err := planRequest(ctx, s, r, filter{
		from: splitList(*from), categories: splitList(*categories), nationalities: splitList(*nationalities), tiers: splitList(*tiers), limit: *limit,
	})
	if err != nil {
		return err
	}
	p, err := plan.Make(req)
	if err != nil {
		return err
	}
	violations := plan.Check(req, p)
	m.printPlan(req, p, violations)
	if *out != "" {
		b, err := json.MarshalIndent(planFile{Request: req, Plan: *p}, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, append(b, '\n'), 0o600); err != nil {
			return fmt.Errorf("write plan: %w", err)
		}
		fmt.Fprintf(m.Stdout, "wrote the request and the plan to %s (check an edited copy with custody plan --check %s)\n", *out, *out)
	}
	if len(violations) > 0 {
		return fmt.Errorf("the planner's own plan breaks %d rules: this is a bug", len(violations))
	}
	if sub != nil {
		return m.submitPlan(ctx, sub, req, p)
	}
	return nil
}

type filter struct {
	from, categories, nationalities, tiers []string
	limit                                  int
}

// planRequest builds the planner's request from the persons held now and
// the resources. A destination's capacity defaults to the facility's, and
// everyone it holds now counts as already planned into it.
func planRequest(ctx context.Context, s *sqlstore.Store, r resources, f filter) (plan.Request, error) {
	req := plan.Request{Vehicles: r.Vehicles, KeepApart: r.KeepApart}
	from := f.from
	if len(from) == 0 {
		for _, v := range r.Vehicles {
			if !slices.Contains(from, string(v.Origin)) {
				from = append(from, string(v.Origin))
			}
		}
	}
	facs := make([]custody.FacilityID, len(from))
	for i, id := range from {
		facs[i] = custody.FacilityID(id)
	}
	held, err := s.Held(ctx, facs...)
	if err != nil {
		return req, err
	}
	onManifest, coming, err := openMoves(ctx, s)
	if err != nil {
		return req, err
	}
	for _, h := range held {
		p := h.Person
		if onManifest[p.ID] {
			continue // already on an open move's manifest
		}
		if !matches(f.categories, string(p.Category)) || !matches(f.tiers, strconv.Itoa(p.RiskTier)) ||
			(len(f.nationalities) > 0 && !slices.ContainsFunc(p.Nationalities, func(n string) bool { return matches(f.nationalities, n) })) {
			continue
		}
		req.Candidates = append(req.Candidates, plan.Candidate{Person: p, At: h.Facility})
	}
	if f.limit > 0 && len(req.Candidates) > f.limit {
		rank := func(t int) int {
			if t == 0 {
				return 4 // not assessed: after tier 3, as the planner orders them
			}
			return t
		}
		slices.SortStableFunc(req.Candidates, func(a, b plan.Candidate) int {
			return cmp.Compare(rank(a.Person.RiskTier), rank(b.Person.RiskTier))
		})
		req.Candidates = req.Candidates[:f.limit]
	}
	for _, d := range r.Destinations {
		fs, err := s.Facility(ctx, d.Facility)
		if err != nil {
			return req, fmt.Errorf("destination %s: %w", d.Facility, err)
		}
		if d.Capacity == 0 {
			d.Capacity = fs.Facility.Capacity
		}
		d.AlreadyPlanned += fs.Count + coming[d.Facility]
		req.Destinations = append(req.Destinations, d)
	}
	return req, nil
}

// openMoves returns the persons on the manifests of open moves (not yet
// boarded or not boarded) and, for each destination, how many persons its
// open moves will still bring.
func openMoves(ctx context.Context, s *sqlstore.Store) (map[custody.PersonID]bool, map[custody.FacilityID]int, error) {
	onManifest := map[custody.PersonID]bool{}
	coming := map[custody.FacilityID]int{}
	list, err := s.Moves(ctx, custody.StagePlanned, custody.StageBoarding, custody.StageDeparted, custody.StageArrived)
	if err != nil {
		return nil, nil, err
	}
	for _, sum := range list {
		mv, err := s.Move(ctx, sum.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, st := range mv.Manifest {
			if _, nb := mv.NotBoarded[st.Person]; !nb {
				onManifest[st.Person] = true
			}
		}
		coming[mv.Move.Destination] += len(mv.Manifest) - len(mv.HandedOver) - len(mv.NotBoarded) - len(mv.Incidents)
	}
	return onManifest, coming, nil
}

func (m *Main) checkPlanFile(ctx context.Context, path string, sub *submission) error {
	var pf planFile
	if err := readJSON(path, &pf); err != nil {
		return err
	}
	violations := plan.Check(pf.Request, &pf.Plan)
	m.printPlan(pf.Request, &pf.Plan, violations)
	if len(violations) > 0 {
		return &planViolations{n: len(violations)}
	}
	if sub != nil {
		return m.submitPlan(ctx, sub, pf.Request, &pf.Plan)
	}
	return nil
}

// submission is where and as whom `custody plan --submit` records a plan.
type submission struct {
	db         string
	allocation custody.AllocationID
	escort     custody.AuthorityID
	by         custody.Actor
}

// submitPlan records a plan that breaks no rule as planned moves: one
// move.planned event per move named by the vehicles, all in one request,
// so that either every move is planned or none is. The rules of the log
// check again what the planner checked (custody at the origin, seats,
// allocation, destination capacity counting open moves).
func (m *Main) submitPlan(ctx context.Context, sub *submission, req plan.Request, p *plan.Plan) error {
	moves, err := movesOfPlan(req, p, sub.allocation, sub.escort)
	if err != nil {
		return err
	}
	if len(moves) == 0 {
		return errors.New("the plan seats nobody: nothing to submit")
	}
	now := time.Now().UTC()
	events := make([]custody.Event, len(moves))
	for i, mp := range moves {
		events[i] = custody.NewEvent(mp, now, now, sub.by, fmt.Sprintf("plan-%s-%s", sub.allocation, mp.Move.ID))
	}
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: sub.db, Logger: m.logger()})
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.Append(ctx, events...)
	if err != nil {
		return fmt.Errorf("submit the plan: %w", err)
	}
	for i, mp := range moves {
		fmt.Fprintf(m.Stdout, "planned move %s (%s → %s, %d persons) at log index %d\n", mp.Move.ID, mp.Move.Origin, mp.Move.Destination, len(mp.Manifest), res.Seqs[i])
	}
	return nil
}

// movesOfPlan turns the plan's seated vehicles into planned moves, grouped
// by the vehicles' Move. A move's vehicles share origin, destination and
// date; it leaves at 06:00 UTC on that date.
func movesOfPlan(req plan.Request, p *plan.Plan, alloc custody.AllocationID, escort custody.AuthorityID) ([]*custody.MovePlanned, error) {
	vehicles := map[string]plan.Vehicle{}
	for _, v := range req.Vehicles {
		vehicles[v.ID] = v
	}
	byMove := map[string]*custody.MovePlanned{}
	var order []string
	for _, a := range p.Assignments {
		v, ok := vehicles[a.Vehicle]
		if !ok {
			return nil, fmt.Errorf("assignment of %s: vehicle %q is not in the request", a.Person, a.Vehicle)
		}
		id := v.Move
		if id == "" {
			id = v.ID
		}
		mp, ok := byMove[id]
		if !ok {
			day, err := time.Parse(time.DateOnly, v.Date)
			if err != nil {
				return nil, fmt.Errorf("vehicle %s: date %q: %w", v.ID, v.Date, err)
			}
			mp = &custody.MovePlanned{Move: custody.Move{ID: custody.MoveID(id), Allocation: alloc, Mode: custody.ByLand,
				Origin: v.Origin, Destination: v.Destination, Escort: escort, Departure: day.Add(6 * time.Hour)}}
			byMove[id] = mp
			order = append(order, id)
		}
		if v.Origin != mp.Move.Origin || v.Destination != mp.Move.Destination {
			return nil, fmt.Errorf("move %s: vehicle %s goes %s → %s, another vehicle of the move %s → %s", id, v.ID, v.Origin, v.Destination, mp.Move.Origin, mp.Move.Destination)
		}
		if !slices.ContainsFunc(mp.Move.Vehicles, func(x custody.Vehicle) bool { return x.ID == v.ID }) {
			mp.Move.Vehicles = append(mp.Move.Vehicles, custody.Vehicle{ID: v.ID, Kind: string(v.Kind), Label: v.ID, Seats: v.Seats})
			if v.Kind == plan.Aircraft {
				mp.Move.Mode = custody.ByAir
			}
		}
		mp.Manifest = append(mp.Manifest, custody.Seat{Person: a.Person, Vehicle: v.ID, Seat: a.Seat})
	}
	out := make([]*custody.MovePlanned, len(order))
	for i, id := range order {
		out[i] = byMove[id]
	}
	return out, nil
}

// planViolations makes `custody plan --check` exit 2, as verify does on
// damage.
type planViolations struct{ n int }

func (e *planViolations) Error() string { return fmt.Sprintf("the plan breaks %d rules", e.n) }

func (m *Main) printPlan(req plan.Request, p *plan.Plan, violations []plan.Violation) {
	fmt.Fprintf(m.Stdout, "candidates %d, seated %d, unassigned %d\n", len(req.Candidates), len(p.Assignments), len(p.Unassigned))
	fmt.Fprintf(m.Stdout, "vehicles used %d of %d (lower bound %d)\n", p.VehiclesUsed(), len(req.Vehicles), plan.LowerBound(req))
	reasons := map[string]int{}
	for _, u := range p.Unassigned {
		reasons[string(u.Reason)]++
	}
	for _, r := range slices.Sorted(maps.Keys(reasons)) {
		fmt.Fprintf(m.Stdout, "unassigned, %s: %d\n", r, reasons[r])
	}
	fmt.Fprintf(m.Stdout, "checker: %d violations\n", len(violations))
	for _, v := range violations {
		fmt.Fprintf(m.Stdout, "  %s\n", v.Message)
	}
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func matches(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
