package plan

import (
	"fmt"
	"math/rand/v2"
	"time"

	custody "github.com/opencustody/custody"
)

// shape describes a synthetic request.
type shape struct {
	men, families, women, minors int // families: mothers, each with 1 to 4 children
	keepApart                    int
	origins, dates               int
	busSeats, airSeats           int     // airSeats 0: no aircraft
	slack                        float64 // seats offered ÷ persons per origin
	capacity                     int     // total over 3 destinations
	crossOrigin                  float64 // chance a child is held away from their mother
}

var nations = []string{"IQ", "SY", "TN", "TJ", "KZ", "SE", "FR", "GB"}

func person(id string, cat custody.Category, tier int, under12 bool, family ...custody.FamilyLink) custody.Person {
	sex := custody.Male
	if cat == custody.Woman || cat == custody.Girl {
		sex = custody.Female
	}
	return custody.Person{ID: custody.PersonID(id), Name: custody.Name{Latin: []string{id}}, Sex: sex,
		Category: cat, RiskTier: tier, Under12: under12, Family: family}
}

// generate builds a deterministic synthetic request from seed and shape.
func generate(seed uint64, s shape) Request {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	var req Request
	origin := func() custody.FacilityID { return custody.FacilityID(fmt.Sprintf("O%d", 1+rng.IntN(s.origins))) }
	n := 0
	next := func() string { n++; return fmt.Sprintf("P%05d", n) }
	add := func(p custody.Person, at custody.FacilityID) {
		p.Nationalities = []string{nations[rng.IntN(len(nations))]}
		req.Candidates = append(req.Candidates, Candidate{Person: p, At: at})
	}
	var men []custody.PersonID
	for range s.men {
		p := person(next(), custody.Man, rng.IntN(4), false)
		men = append(men, p.ID)
		add(p, origin())
	}
	for range s.families {
		at := origin()
		mother := person(next(), custody.Woman, rng.IntN(4), false)
		for range 1 + rng.IntN(4) {
			cat := custody.Boy
			if rng.IntN(2) == 0 {
				cat = custody.Girl
			}
			child := person(next(), cat, 0, rng.Float64() < 0.7)
			if rng.IntN(2) == 0 {
				child.Family = []custody.FamilyLink{{Relation: custody.ChildOf, Person: mother.ID}}
			} else {
				mother.Family = append(mother.Family, custody.FamilyLink{Relation: custody.MotherOf, Person: child.ID})
			}
			cAt := at
			if rng.Float64() < s.crossOrigin {
				cAt = origin()
			}
			add(child, cAt)
		}
		add(mother, at)
	}
	for range s.women {
		add(person(next(), custody.Woman, rng.IntN(4), false), origin())
	}
	for range s.minors {
		cat := custody.Boy
		if rng.IntN(3) == 0 {
			cat = custody.Girl
		}
		add(person(next(), cat, rng.IntN(4), rng.IntN(3) == 0), origin())
	}
	all := req.Candidates
	for range s.keepApart {
		var a, b custody.PersonID
		if len(men) > 1 && rng.IntN(4) != 0 {
			a, b = men[rng.IntN(len(men))], men[rng.IntN(len(men))]
		} else {
			a, b = all[rng.IntN(len(all))].Person.ID, all[rng.IntN(len(all))].Person.ID
		}
		req.KeepApart = append(req.KeepApart, KeepApart{A: a, B: b})
	}

	perOrigin := make(map[custody.FacilityID]int)
	for _, c := range req.Candidates {
		perOrigin[c.At]++
	}
	start := time.Date(2026, 1, 21, 0, 0, 0, 0, time.UTC)
	v := 0
	for o := 1; o <= s.origins; o++ {
		at := custody.FacilityID(fmt.Sprintf("O%d", o))
		want := int(float64(perOrigin[at])*s.slack) + 1
		for d := 0; want > 0; d = (d + 1) % s.dates {
			date := start.AddDate(0, 0, d).Format(time.DateOnly)
			dest := custody.FacilityID(fmt.Sprintf("D%d", 1+rng.IntN(3)))
			kind, seats := Land, s.busSeats
			if s.airSeats > 0 && rng.IntN(6) == 0 {
				kind, seats = Aircraft, s.airSeats
			}
			v++
			req.Vehicles = append(req.Vehicles, Vehicle{ID: fmt.Sprintf("V%04d", v), Kind: kind, Seats: seats,
				Move: fmt.Sprintf("M-%s-%s", at, date), Date: date, Origin: at, Destination: dest})
			want -= seats
		}
	}
	for d := 1; d <= 3; d++ {
		req.Destinations = append(req.Destinations, Destination{Facility: custody.FacilityID(fmt.Sprintf("D%d", d)),
			Capacity: s.capacity/3 + 10*d, AlreadyPlanned: 10 * d})
	}
	return req
}

// shuffled returns req with every list in another order.
func shuffled(req Request, seed uint64) Request {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := Request{
		Candidates:   append([]Candidate(nil), req.Candidates...),
		Vehicles:     append([]Vehicle(nil), req.Vehicles...),
		Destinations: append([]Destination(nil), req.Destinations...),
		KeepApart:    append([]KeepApart(nil), req.KeepApart...),
	}
	rng.Shuffle(len(out.Candidates), func(i, j int) { out.Candidates[i], out.Candidates[j] = out.Candidates[j], out.Candidates[i] })
	rng.Shuffle(len(out.Vehicles), func(i, j int) { out.Vehicles[i], out.Vehicles[j] = out.Vehicles[j], out.Vehicles[i] })
	rng.Shuffle(len(out.Destinations), func(i, j int) {
		out.Destinations[i], out.Destinations[j] = out.Destinations[j], out.Destinations[i]
	})
	rng.Shuffle(len(out.KeepApart), func(i, j int) { out.KeepApart[i], out.KeepApart[j] = out.KeepApart[j], out.KeepApart[i] })
	for i, k := range out.KeepApart {
		if rng.IntN(2) == 0 {
			out.KeepApart[i] = KeepApart{A: k.B, B: k.A}
		}
	}
	return out
}
