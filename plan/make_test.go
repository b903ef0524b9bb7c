package plan

import (
	"fmt"
	"reflect"
	"testing"

	custody "github.com/opencustody/custody"
)

var shapes = []shape{
	{men: 200, keepApart: 40, origins: 2, dates: 3, busSeats: 40, airSeats: 150, slack: 1.2, capacity: 1000},
	{men: 60, families: 20, women: 10, minors: 15, keepApart: 30, origins: 3, dates: 4, busSeats: 6, slack: 1.5, capacity: 500},
	{men: 100, families: 30, women: 20, minors: 20, keepApart: 60, origins: 2, dates: 2, busSeats: 8, slack: 0.6, capacity: 500},
	{men: 150, families: 40, minors: 30, keepApart: 150, origins: 1, dates: 3, busSeats: 5, slack: 1.3, capacity: 120},
	{men: 30, families: 30, women: 5, minors: 5, keepApart: 10, origins: 3, dates: 2, busSeats: 4, slack: 1.1, capacity: 400, crossOrigin: 0.1},
	{men: 500, families: 100, women: 50, minors: 50, keepApart: 300, origins: 4, dates: 5, busSeats: 40, airSeats: 150, slack: 1.1, capacity: 2000},
	{men: 10, keepApart: 40, origins: 1, dates: 1, busSeats: 3, slack: 2, capacity: 100},
}

// TestMakeIsValid plans seeded random requests of every shape and expects
// the checker to find nothing.
func TestMakeIsValid(t *testing.T) {
	for si, s := range shapes {
		for seed := uint64(1); seed <= 20; seed++ {
			req := generate(seed, s)
			p, err := Make(req)
			if err != nil {
				t.Fatalf("shape %d seed %d: %v", si, seed, err)
			}
			if vs := Check(req, p); len(vs) != 0 {
				t.Fatalf("shape %d seed %d: %d violations, first: %v", si, seed, len(vs), vs[0])
			}
			if got, lb := p.VehiclesUsed(), LowerBound(req); len(p.Unassigned) == 0 && got < lb {
				t.Errorf("shape %d seed %d: %d vehicles used, below the lower bound %d", si, seed, got, lb)
			}
		}
	}
}

// TestMakeDeterministic expects the same plan from two runs and from the
// same request with its lists shuffled.
func TestMakeDeterministic(t *testing.T) {
	for si, s := range shapes {
		req := generate(uint64(si)+7, s)
		a, err := Make(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Make(req)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("shape %d: two runs differ", si)
		}
		for k := uint64(1); k <= 3; k++ {
			c, err := Make(shuffled(req, k))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, c) {
				t.Fatalf("shape %d shuffle %d: plan differs", si, k)
			}
		}
	}
}

func TestMakeUnassignedReasons(t *testing.T) {
	bus := func(id string, seats int, origin, dest custody.FacilityID) Vehicle {
		return Vehicle{ID: id, Kind: Land, Seats: seats, Move: "M", Date: "2026-01-21", Origin: origin, Destination: dest}
	}
	men := func(n int, at custody.FacilityID) []Candidate {
		var cs []Candidate
		for i := range n {
			cs = append(cs, Candidate{person(fmt.Sprintf("m%d", i), custody.Man, 1+i%3, false), at})
		}
		return cs
	}
	dests := []Destination{{Facility: "D1", Capacity: 100}}
	tests := []struct {
		name string
		req  Request
		want map[custody.PersonID]Reason
	}{
		{"no vehicle at the origin", Request{Candidates: men(2, "O2"), Vehicles: []Vehicle{bus("V1", 4, "O1", "D1")}, Destinations: dests},
			map[custody.PersonID]Reason{"m0": ReasonNoVehicle, "m1": ReasonNoVehicle}},
		{"seats run out", Request{Candidates: men(5, "O1"), Vehicles: []Vehicle{bus("V1", 4, "O1", "D1")}, Destinations: dests},
			map[custody.PersonID]Reason{"m2": ReasonNoSeat}}, // m2 is tier 3, the only one of the lowest rank
		{"capacity runs out", Request{Candidates: men(3, "O1"), Vehicles: []Vehicle{bus("V1", 4, "O1", "D1")},
			Destinations: []Destination{{Facility: "D1", Capacity: 10, AlreadyPlanned: 8}}},
			map[custody.PersonID]Reason{"m2": ReasonCapacity}},
		{"unknown destination", Request{Candidates: men(1, "O1"), Vehicles: []Vehicle{bus("V1", 4, "O1", "D9")}, Destinations: dests},
			map[custody.PersonID]Reason{"m0": ReasonCapacity}},
		{"keep apart with one bus", Request{Candidates: men(2, "O1"), Vehicles: []Vehicle{bus("V1", 4, "O1", "D1")}, Destinations: dests,
			KeepApart: []KeepApart{{"m1", "m0"}}},
			map[custody.PersonID]Reason{"m1": ReasonKeepApart}},
		{"mother and child held apart", Request{
			Candidates: []Candidate{
				{person("w", custody.Woman, 0, false, custody.FamilyLink{Relation: custody.MotherOf, Person: "c"}), "O1"},
				{person("c", custody.Girl, 0, true), "O2"},
			},
			Vehicles: []Vehicle{bus("V1", 4, "O1", "D1"), bus("V2", 4, "O2", "D1")}, Destinations: dests},
			map[custody.PersonID]Reason{"w": ReasonFamilySite, "c": ReasonFamilySite}},
		{"family larger than a vehicle", Request{
			Candidates: []Candidate{
				{person("w", custody.Woman, 0, false, custody.FamilyLink{Relation: custody.MotherOf, Person: "c"}), "O1"},
				{person("c", custody.Girl, 0, true), "O1"},
			},
			Vehicles: []Vehicle{bus("V1", 1, "O1", "D1")}, Destinations: dests},
			map[custody.PersonID]Reason{"w": ReasonTooLarge, "c": ReasonTooLarge}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Make(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			got := make(map[custody.PersonID]Reason)
			for _, u := range p.Unassigned {
				got[u.Person] = u.Reason
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("unassigned = %v, want %v", got, tt.want)
			}
			if vs := Check(tt.req, p); len(vs) != 0 {
				t.Errorf("violations: %v", vs)
			}
		})
	}
}

func TestMakeRejects(t *testing.T) {
	ok := Vehicle{ID: "V1", Seats: 4, Date: "2026-01-21", Origin: "O1", Destination: "D1"}
	tests := []struct {
		name string
		req  Request
	}{
		{"duplicate person", Request{Candidates: []Candidate{{person("a", custody.Man, 1, false), "O1"}, {person("a", custody.Man, 1, false), "O1"}}}},
		{"empty person ID", Request{Candidates: []Candidate{{}}}},
		{"duplicate vehicle", Request{Vehicles: []Vehicle{ok, ok}}},
		{"negative seats", Request{Vehicles: []Vehicle{{ID: "V", Seats: -1, Date: "2026-01-21"}}}},
		{"bad date", Request{Vehicles: []Vehicle{{ID: "V", Seats: 1, Date: "21/01/2026"}}}},
		{"duplicate destination", Request{Destinations: []Destination{{Facility: "D"}, {Facility: "D"}}}},
	}
	for _, tt := range tests {
		if _, err := Make(tt.req); err == nil {
			t.Errorf("%s: no error", tt.name)
		} else if custody.ErrorCode(err) != custody.Invalid {
			t.Errorf("%s: code %s", tt.name, custody.ErrorCode(err))
		}
	}
}

func TestLowerBound(t *testing.T) {
	req := Request{Vehicles: []Vehicle{
		{ID: "a", Seats: 150, Origin: "O1"}, {ID: "b", Seats: 40, Origin: "O1"}, {ID: "c", Seats: 40, Origin: "O1"},
		{ID: "d", Seats: 40, Origin: "O2"},
	}}
	for i := range 200 {
		req.Candidates = append(req.Candidates, Candidate{person(fmt.Sprint(i), custody.Man, 1, false), "O1"})
	}
	req.Candidates = append(req.Candidates, Candidate{person("x", custody.Man, 1, false), "O2"})
	if got := LowerBound(req); got != 4 { // 150 + 40 + 40 at O1, 40 at O2
		t.Errorf("LowerBound = %d, want 4", got)
	}
}
