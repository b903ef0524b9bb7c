package plan

import (
	"slices"
	"testing"

	custody "github.com/opencustody/custody"
)

// small is a request every rule can be broken in, and base a valid plan for it.
func small() (Request, *Plan) {
	mother := custody.FamilyLink{Relation: custody.MotherOf, Person: "c1"}
	childOf := custody.FamilyLink{Relation: custody.ChildOf, Person: "w1"}
	req := Request{
		Candidates: []Candidate{
			{person("m1", custody.Man, 1, false), "O1"},
			{person("m2", custody.Man, 3, false), "O1"},
			{person("m3", custody.Man, 2, false), "O1"},
			{person("w1", custody.Woman, 0, false, mother), "O1"},
			{person("c1", custody.Boy, 0, true), "O1"},
			{person("c2", custody.Girl, 0, false, childOf), "O1"},
			{person("w2", custody.Woman, 0, false), "O1"},
			{person("k1", custody.Boy, 2, false), "O1"},
			{person("x1", custody.Man, 3, false), "O2"},
		},
		Vehicles: []Vehicle{
			{ID: "V1", Kind: Land, Seats: 4, Move: "M1", Date: "2026-01-21", Origin: "O1", Destination: "D1"},
			{ID: "V2", Kind: Land, Seats: 4, Move: "M1", Date: "2026-01-21", Origin: "O1", Destination: "D1"},
			{ID: "V3", Kind: Land, Seats: 4, Move: "M2", Date: "2026-01-22", Origin: "O1", Destination: "D2"},
			{ID: "V4", Kind: Land, Seats: 4, Move: "M2", Date: "2026-01-22", Origin: "O1", Destination: "D2"},
			{ID: "V5", Kind: Aircraft, Seats: 4, Move: "F1", Date: "2026-01-21", Origin: "O2", Destination: "D1"},
			{ID: "V6", Kind: Land, Seats: 4, Move: "M3", Date: "2026-01-23", Origin: "O1", Destination: "D2"},
		},
		Destinations: []Destination{{Facility: "D1", Capacity: 10}, {Facility: "D2", Capacity: 10, AlreadyPlanned: 2}},
		KeepApart:    []KeepApart{{A: "m1", B: "m3"}},
	}
	p := &Plan{
		Assignments: []Assignment{
			{"m1", "V1", 1}, {"m2", "V1", 2},
			{"w1", "V2", 1}, {"c1", "V2", 2}, {"c2", "V2", 3},
			{"m3", "V3", 1},
			{"k1", "V4", 1},
			{"x1", "V5", 1},
		},
		Unassigned: []Unassigned{{"w2", ReasonNoSeat}},
	}
	return req, p
}

// seat moves person id to vehicle v, seat s.
func seat(p *Plan, id custody.PersonID, v string, s int) {
	for i, a := range p.Assignments {
		if a.Person == id {
			p.Assignments[i] = Assignment{id, v, s}
			return
		}
	}
	p.Unassigned = slices.DeleteFunc(p.Unassigned, func(u Unassigned) bool { return u.Person == id })
	p.Assignments = append(p.Assignments, Assignment{id, v, s})
}

// unseat moves person id to Unassigned.
func unseat(p *Plan, id custody.PersonID) {
	p.Assignments = slices.DeleteFunc(p.Assignments, func(a Assignment) bool { return a.Person == id })
	p.Unassigned = append(p.Unassigned, Unassigned{id, ReasonNoSeat})
}

func TestCheckBaseIsValid(t *testing.T) {
	req, p := small()
	if vs := Check(req, p); len(vs) != 0 {
		t.Fatalf("base plan: %v", vs)
	}
	made, err := Make(req)
	if err != nil {
		t.Fatal(err)
	}
	if vs := Check(req, made); len(vs) != 0 {
		t.Fatalf("Make's plan: %v\n%+v", vs, made)
	}
}

func TestCheckRules(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Request, *Plan)
		rule    Rule
		vehicle string
		dest    custody.FacilityID
		persons []custody.PersonID
	}{
		{"tier 1 left while tier 3 seated", func(_ *Request, p *Plan) { unseat(p, "m1") },
			RuleRiskOrder, "V1", "", []custody.PersonID{"m1", "m2"}},
		{"tier 1 on a later date", func(_ *Request, p *Plan) { seat(p, "m1", "V6", 1) },
			RuleRiskOrder, "V1", "", []custody.PersonID{"m1", "m2"}},
		{"unaccompanied minor with a family", func(_ *Request, p *Plan) { seat(p, "k1", "V2", 4) },
			RuleMinorWithAdult, "V2", "", []custody.PersonID{"k1"}},
		{"woman alone with minors", func(_ *Request, p *Plan) { seat(p, "w2", "V4", 2) },
			RuleMinorWithAdult, "V4", "", []custody.PersonID{"w2"}},
		{"man with a family", func(_ *Request, p *Plan) { seat(p, "m2", "V2", 4) },
			RuleMinorWithAdult, "V2", "", []custody.PersonID{"m2"}},
		{"woman among men", func(_ *Request, p *Plan) { seat(p, "w2", "V1", 3) },
			RuleMenAndWomen, "V1", "", []custody.PersonID{"w2"}},
		{"young child in another vehicle", func(_ *Request, p *Plan) { seat(p, "c1", "V4", 2) },
			RuleMotherSeparated, "V4", "", []custody.PersonID{"c1", "w1"}},
		{"mother left behind", func(_ *Request, p *Plan) { unseat(p, "w1") },
			RuleMotherSeparated, "V2", "", []custody.PersonID{"c1", "w1"}},
		{"young child left behind", func(_ *Request, p *Plan) { unseat(p, "c1") },
			RuleMotherSeparated, "V2", "", []custody.PersonID{"c1", "w1"}},
		{"keep-apart pair together", func(_ *Request, p *Plan) { seat(p, "m3", "V1", 3) },
			RuleKeepApart, "V1", "", []custody.PersonID{"m1", "m3"}},
		{"destination full", func(r *Request, _ *Plan) { r.Destinations[1].AlreadyPlanned = 9 },
			RuleOverCapacity, "", "D2", nil},
		{"seat beyond the last", func(_ *Request, p *Plan) { seat(p, "m2", "V1", 5) },
			RuleSeatOverflow, "V1", "", []custody.PersonID{"m2"}},
		{"seat zero", func(_ *Request, p *Plan) { seat(p, "m2", "V1", 0) },
			RuleSeatOverflow, "V1", "", []custody.PersonID{"m2"}},
		{"two in one seat", func(_ *Request, p *Plan) { seat(p, "m2", "V1", 1) },
			RuleDuplicateSeat, "V1", "", []custody.PersonID{"m1", "m2"}},
		{"seated twice", func(_ *Request, p *Plan) { p.Assignments = append(p.Assignments, Assignment{"m2", "V3", 2}) },
			RulePersonTwice, "", "", []custody.PersonID{"m2"}},
		{"seated and unassigned", func(_ *Request, p *Plan) { p.Unassigned = append(p.Unassigned, Unassigned{"m2", ReasonNoSeat}) },
			RulePersonTwice, "", "", []custody.PersonID{"m2"}},
		{"forgotten", func(_ *Request, p *Plan) { p.Unassigned = nil },
			RulePersonMissing, "", "", []custody.PersonID{"w2"}},
		{"unknown person", func(_ *Request, p *Plan) { p.Assignments = append(p.Assignments, Assignment{"zz", "V1", 3}) },
			RuleUnknown, "V1", "", []custody.PersonID{"zz"}},
		{"unknown vehicle", func(_ *Request, p *Plan) { seat(p, "m2", "V9", 1) },
			RuleUnknown, "V9", "", []custody.PersonID{"m2"}},
		{"unknown destination", func(r *Request, _ *Plan) { r.Vehicles[4].Destination = "D9" },
			RuleUnknown, "V5", "", nil},
		{"loaded at the wrong origin", func(_ *Request, p *Plan) { seat(p, "x1", "V1", 3) },
			RuleOriginMismatch, "V1", "", []custody.PersonID{"x1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, p := small()
			tt.edit(&req, p)
			vs := Check(req, p)
			found := false
			for _, v := range vs {
				if v.Rule == tt.rule && v.Vehicle == tt.vehicle && v.Destination == tt.dest && slices.Equal(v.Persons, tt.persons) {
					found = true
				}
			}
			if !found {
				t.Errorf("want %s in %q at %q for %v; got %v", tt.rule, tt.vehicle, tt.dest, tt.persons, vs)
			}
			if !slices.IsSortedFunc(vs, compareViolations) {
				t.Errorf("violations not sorted: %v", vs)
			}
		})
	}
}

// TestCheckEveryViolation breaks several rules at once and expects each.
func TestCheckEveryViolation(t *testing.T) {
	req, p := small()
	seat(p, "w2", "V1", 3) // men and women
	seat(p, "m3", "V1", 4) // keep-apart with m1
	seat(p, "x1", "V3", 1) // loaded at the wrong origin
	unseat(p, "c1")        // mother separated
	vs := Check(req, p)
	var rules []Rule
	for _, v := range vs {
		rules = append(rules, v.Rule)
	}
	for _, want := range []Rule{RuleMenAndWomen, RuleKeepApart, RuleOriginMismatch, RuleMotherSeparated} {
		if !slices.Contains(rules, want) {
			t.Errorf("missing %s in %v", want, vs)
		}
	}
}

func TestCheckNilPlan(t *testing.T) {
	req, _ := small()
	vs := Check(req, nil)
	if len(vs) != len(req.Candidates) {
		t.Fatalf("nil plan: want %d person-missing, got %v", len(req.Candidates), vs)
	}
	for _, v := range vs {
		if v.Rule != RulePersonMissing {
			t.Errorf("nil plan: %v", v)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add([]byte{0, 0, 1, 3, 1, 2, 9, 9, 200})
	f.Add([]byte{1, 1, 1, 1, 1, 1, 2, 2, 2, 255, 255, 255})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, ops []byte) {
		req, p := small()
		people := []custody.PersonID{"m1", "m2", "m3", "w1", "c1", "c2", "w2", "k1", "x1", "zz", ""}
		vehicles := []string{"V1", "V2", "V3", "V4", "V5", "V6", "V9", ""}
		for i := 0; i+2 < len(ops); i += 3 {
			id := people[int(ops[i])%len(people)]
			switch ops[i+1] % 4 {
			case 0:
				unseat(p, id)
			case 1:
				p.Assignments = append(p.Assignments, Assignment{id, vehicles[int(ops[i+2])%len(vehicles)], int(int8(ops[i+2]))})
			case 2:
				seat(p, id, vehicles[int(ops[i+1])%len(vehicles)], int(ops[i+2])%6)
			case 3:
				req.KeepApart = append(req.KeepApart, KeepApart{id, people[int(ops[i+2])%len(people)]})
			}
		}
		a := Check(req, p)
		b := Check(req, p)
		if !slices.EqualFunc(a, b, func(x, y Violation) bool { return compareViolations(x, y) == 0 }) {
			t.Fatalf("two checks differ:\n%v\n%v", a, b)
		}
	})
}
