package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

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
	if err := parse(fs, args); err != nil {
		return err
	}
	if *check != "" {
		return m.checkPlanFile(*check)
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
	for _, h := range held {
		p := h.Person
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
		d.AlreadyPlanned += fs.Count
		req.Destinations = append(req.Destinations, d)
	}
	return req, nil
}

func (m *Main) checkPlanFile(path string) error {
	var pf planFile
	if err := readJSON(path, &pf); err != nil {
		return err
	}
	violations := plan.Check(pf.Request, &pf.Plan)
	m.printPlan(pf.Request, &pf.Plan, violations)
	if len(violations) > 0 {
		return &planViolations{n: len(violations)}
	}
	return nil
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
