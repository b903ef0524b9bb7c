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
