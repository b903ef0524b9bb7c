// Package storetest holds what tests and benchmarks of a custody store
// share: a synthetic workload of realistic events.
package storetest

import (
	"fmt"
	"time"

	custody "github.com/opencustody/custody"
)

// Epoch is the field time the synthetic workload starts at.
var epoch = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)

// Actor records the synthetic workload.
var actor = custody.Actor{User: "bench.registrar", Authority: "sdf", Site: "bench"}

// Facilities of the synthetic world: two prisons and a destination.
const (
	PrisonA     custody.FacilityID = "bench-prison-a"
	PrisonB     custody.FacilityID = "bench-prison-b"
	Destination custody.FacilityID = "bench-destination"
	Hospital    custody.FacilityID = "bench-hospital"
)

// Setup returns the requests that register the synthetic world's
// authorities and facilities. prefix makes idempotency keys unique per run.
func Setup(prefix string) [][]custody.Event {
	at := epoch
	ev := func(n int, p custody.Payload) []custody.Event {
		return []custody.Event{custody.NewEvent(p, at, at, actor, fmt.Sprintf("%s-setup-%d", prefix, n))}
	}
	fac := func(id custody.FacilityID, kind custody.FacilityKind, ctrl custody.AuthorityID, name string) custody.Payload {
		return &custody.FacilityRegistered{Facility: custody.Facility{
			ID: id, Name: custody.Name{Latin: []string{name}}, Kind: kind, Controller: ctrl,
			Capacity: 10_000_000, Security: custody.SecurityHigh, Place: custody.Place{Name: name, Country: "SY"},
		}}
	}
	return [][]custody.Event{
		ev(1, &custody.AuthorityRegistered{Authority: custody.Authority{ID: "sdf", Name: custody.Name{Latin: []string{"Syrian Democratic Forces"}}, Kind: custody.NonStateForce}}),
		ev(2, &custody.AuthorityRegistered{Authority: custody.Authority{ID: "iraq-moj", Name: custody.Name{Latin: []string{"Iraqi Ministry of Justice"}}, Kind: custody.Ministry, Country: "IQ"}}),
		ev(3, fac(PrisonA, custody.Prison, "sdf", "Bench prison A")),
		ev(4, fac(PrisonB, custody.Prison, "sdf", "Bench prison B")),
		ev(5, fac(Destination, custody.Destination, "iraq-moj", "Bench destination")),
		ev(6, fac(Hospital, custody.Hospital, "sdf", "Bench hospital")),
	}
}

var given = []custody.Name{
	{Arabic: "محمد", Latin: []string{"Muhammad", "Mohammed"}},
	{Arabic: "أحمد", Latin: []string{"Ahmad", "Ahmed"}},
	{Arabic: "عبد الرحمن", Latin: []string{"Abd al-Rahman", "Abdulrahman"}},
	{Arabic: "خالد", Latin: []string{"Khalid", "Khaled"}},
	{Arabic: "يوسف", Latin: []string{"Yusuf", "Youssef"}},
	{Arabic: "عمر", Latin: []string{"Umar", "Omar"}},
}

// Person returns a synthetic person number i.
func Person(i int) custody.Person {
	g, f := given[i%len(given)], given[(i/len(given))%len(given)]
	return custody.Person{
		ID: custody.PersonID(fmt.Sprintf("B-%07d", i)),
		Name: custody.Name{
			Arabic: g.Arabic + " " + f.Arabic,
			Latin:  []string{g.Latin[0] + " " + f.Latin[0], g.Latin[1] + " " + f.Latin[1]},
		},
		FatherName:    f,
		MotherName:    custody.Name{Arabic: "فاطمة", Latin: []string{"Fatima"}},
		Sex:           custody.Male,
		Birth:         custody.BirthDate{Date: fmt.Sprintf("%d-01-01", 1970+i%30), Estimated: true},
		Nationalities: []string{[]string{"SY", "IQ", "TN", "SE"}[i%4]},
		Category:      custody.Man,
		RiskTier:      1 + i%3,
	}
}

// Registrations returns n requests, each registering person first+k and
// admitting them to facility f: two events a request.
func Registrations(prefix string, first, n int, f custody.FacilityID) [][]custody.Event {
	out := make([][]custody.Event, n)
	for k := range n {
		i := first + k
		at := epoch.Add(time.Duration(i) * time.Second)
		p := Person(i)
		out[k] = []custody.Event{
			custody.NewEvent(&custody.PersonRegistered{Person: p}, at, at, actor, fmt.Sprintf("%s-reg-%d", prefix, i)),
			custody.NewEvent(&custody.Admitted{Person: p.ID, Facility: f, TakenBy: "bench unit", OrderedBy: "sdf", Grounds: "suspected IS membership"}, at, at, actor, fmt.Sprintf("%s-adm-%d", prefix, i)),
		}
	}
	return out
}

// Transfer returns one request moving person i from one facility to
// another; n makes its key unique.
func Transfer(prefix string, n, i int, from, to custody.FacilityID) []custody.Event {
	at := epoch.Add(time.Hour * 24 * 30).Add(time.Duration(n) * time.Second)
	return []custody.Event{custody.NewEvent(&custody.Transferred{
		Person: Person(i).ID, From: from, To: to, OrderedBy: "sdf", Reference: "bench",
	}, at, at, actor, fmt.Sprintf("%s-tr-%d", prefix, n))}
}

// Escort is the authority that escorts the synthetic world's moves: a
// third authority, so custody passes twice.
const Escort custody.AuthorityID = "centcom"

// Allocation is the synthetic world's allocation.
const Allocation custody.AllocationID = "bench-alloc"

// Actors of the moves of the synthetic world, one per side.
var (
	sdfActor    = custody.Actor{User: "escort.sdf", Authority: "sdf", Site: "bench"}
	escortActor = custody.Actor{User: "escort.centcom", Authority: Escort, Site: "bench"}
	mojActor    = custody.Actor{User: "receiver.moj", Authority: "iraq-moj", Site: "bench"}
)

// MoveSetup returns the requests that register the escort, publish the
// default reference lists and open an allocation of up to target men from
// PrisonA and PrisonB to Destination. Run it after Setup.
func MoveSetup(prefix string, target int) [][]custody.Event {
	at := epoch.Add(time.Hour)
	var out [][]custody.Event
	ev := func(p custody.Payload) {
		out = append(out, []custody.Event{custody.NewEvent(p, at, at, actor, fmt.Sprintf("%s-msetup-%d", prefix, len(out)))})
	}
	ev(&custody.AuthorityRegistered{Authority: custody.Authority{ID: Escort, Name: custody.Name{Latin: []string{"US Central Command"}}, Kind: custody.Coalition, Country: "US"}})
	for _, r := range custody.DefaultReferences() {
		ev(&r)
	}
	ev(&custody.AllocationCreated{Allocation: custody.Allocation{
		ID: Allocation, Name: "bench transfer", OrderedBy: Escort, Target: target,
		Criteria:     custody.Criteria{Categories: []custody.Category{custody.Man}, Origins: []custody.FacilityID{PrisonA, PrisonB}},
		Destinations: []custody.FacilityID{Destination},
	}})
	return out
}

// MoveRun returns the requests of a whole move of the persons numbered
// persons (held in from) to Destination, escorted by Escort, from planning
// to close: a convoy of buses of 25 seats with one checkpoint leg; each
// person boarded by wristband scan; custody to the escort at departure and
// to the destination's authority at arrival, each a two-sided handover. If
// evacuate is true, the last person is evacuated to Hospital on the way,
// reported after a checkpoint count that missed them: the count opens an
// alert and the evacuation closes it. n makes times and keys unique.
func MoveRun(prefix string, n int, id custody.MoveID, from custody.FacilityID, persons []int, evacuate bool) [][]custody.Event {
	at := epoch.Add(time.Hour * 24 * time.Duration(40+n))
	var out [][]custody.Event
	k := 0
	ev := func(by custody.Actor, p custody.Payload) custody.Event {
		k++
		t := at.Add(time.Duration(k) * time.Second)
		return custody.NewEvent(p, t, t, by, fmt.Sprintf("%s-move-%d-%d", prefix, n, k))
	}
	req := func(es ...custody.Event) { out = append(out, es) }
	buses := (len(persons) + 24) / 25
	mv := custody.Move{ID: id, Allocation: Allocation, Mode: custody.ByLand, Origin: from, Destination: Destination,
		Escort: Escort, Departure: at.Add(time.Hour), Arrival: at.Add(8 * time.Hour),
		Legs: []custody.Leg{{Kind: custody.LegCheckpoint, Place: "bench checkpoint"}, {Kind: custody.LegBorder, Place: "bench border"}}}
	var manifest []custody.Seat
	ids := make([]custody.PersonID, len(persons))
	for b := range buses {
		mv.Vehicles = append(mv.Vehicles, custody.Vehicle{ID: fmt.Sprintf("bus-%02d", b+1), Kind: "armoured bus", Label: fmt.Sprintf("B-%d", b+1), Seats: 25})
	}
	for i, p := range persons {
		ids[i] = Person(p).ID
		manifest = append(manifest, custody.Seat{Person: ids[i], Vehicle: fmt.Sprintf("bus-%02d", i/25+1), Seat: i%25 + 1})
	}
	planner := custody.Actor{User: "planner.centcom", Authority: Escort, Site: "bench"}
	req(ev(planner, &custody.MovePlanned{Move: mv, Manifest: manifest}))
	req(ev(sdfActor, &custody.BoardingStarted{Move: id}))
	for i, p := range ids {
		req(ev(sdfActor, &custody.Boarded{Move: id, Vehicle: manifest[i].Vehicle, Person: p, Scan: custody.ScanQR, Code: custody.WristbandCode(p)}))
	}
	out1 := len(out)
	req(ev(sdfActor, &custody.HandoverReleased{Move: id, Stage: custody.AtDeparture, To: Escort, Persons: ids}))
	// The receiving side's confirmation names the release by log index:
	// the caller learns it only on append, so the index is filled in by
	// MoveHandover; here it is left -1-out1 as a marker.
	req(ev(escortActor, &custody.HandoverReceived{Move: id, Handover: -1 - int64(out1), Persons: ids, IdentityChecked: true}))
	req(ev(escortActor, &custody.Departed{Move: id, Count: len(ids)}))
	aboard := ids
	if evacuate {
		req(ev(escortActor, &custody.Counted{Move: id, Leg: 1, Count: len(ids) - 1}))
		last := ids[len(ids)-1]
		req(ev(escortActor, &custody.Evacuated{Move: id, Person: last, Hospital: Hospital, Condition: "collapsed, suspected heat stroke"}))
		aboard = ids[:len(ids)-1]
	} else {
		req(ev(escortActor, &custody.Counted{Move: id, Leg: 1, Count: len(ids)}))
	}
	req(ev(escortActor, &custody.Counted{Move: id, Leg: 2, Count: len(aboard)}))
	req(ev(escortActor, &custody.Arrived{Move: id, Count: len(aboard)}))
	out2 := len(out)
	req(ev(escortActor, &custody.HandoverReleased{Move: id, Stage: custody.AtArrival, To: "iraq-moj", Persons: aboard}))
	req(ev(mojActor, &custody.HandoverReceived{Move: id, Handover: -1 - int64(out2), Persons: aboard, IdentityChecked: true}))
	req(ev(mojActor, &custody.MoveClosed{Move: id}))
	return out
}

// ResolveHandovers fills in, in the request at position i of reqs, the log
// index of the handover release it names by position (see MoveRun), from
// the log indexes of the requests appended before it. seqs[j] is the log
// index of the first event of request j.
func ResolveHandovers(req []custody.Event, seqs []int64) {
	for _, e := range req {
		if d, ok := e.Data.(*custody.HandoverReceived); ok && d.Handover < 0 {
			d.Handover = seqs[-1-d.Handover]
		}
	}
}
