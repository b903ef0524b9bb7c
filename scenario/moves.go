package scenario

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	custody "github.com/opencustody/custody"
)

// The transfer runs through the domain's allocations and moves: one
// allocation of up to 7,000 men, then, day by day, one move per batch of
// the schedule (a flight, or a convoy of armoured buses), each planned the
// evening before with its manifest, boarded person by person against the
// manifest, handed to the CENTCOM escort at departure, counted at every leg
// of its route, and handed to the Iraqi Ministry of Justice at arrival.
//
// Move IDs are "MV-<day of departure>-<number of the day>". Convoys from
// near Hasakah drive via a checkpoint to the al-Yarubiyah / Rabia border
// crossing and on through Iraq; convoys from Raqqa, Kobani and Deir ez-Zor
// leave the morning before and lock out overnight at Gweiran; flights
// (the first day's three, then one from Gweiran every fourth day) go to
// Baghdad.
//
// Three stories run through it, on fixed days of the schedule (the day a
// move is handed over, which a convoy may have left the day before):
//   - a man manifested on a convoy due on 2026-01-22 is found medically
//     unfit at the pre-departure check and not boarded; he moves with the
//     men due on 2026-01-26;
//   - a man on a convoy due on 2026-01-24 collapses on the road and is
//     evacuated to Hasakah National Hospital: the count at the Tal Hamis
//     checkpoint is one short and opens an alert, which the evacuation,
//     recorded after the count, closes. Back at Gweiran on 2026-02-02, he
//     moves on 2026-02-06 on a move of his own (see resumeAlloc);
//   - at the arrival of a convoy due on 2026-01-28 the receiving prison
//     refuses one man whose date of birth does not match his identity
//     card; his record is corrected, he is handed over again and received,
//     and the move closes.
//
// The totals stay exact: the men of the first two stories are taken from
// the lists of the later days on which they finally move, so that every day
// hands over exactly the number the schedule says.

// Allocations.
const (
	mainAlloc custody.AllocationID = "ALLOC-2026-01"
	// resumeAlloc carries, on a move of their own, men whose move was cut
	// short by a medical evacuation: planners order their resumption
	// separately, once a doctor clears them. (The domain would also let
	// them move again under mainAlloc: a person lost on the way does not
	// count against an allocation's target.)
	resumeAlloc custody.AllocationID = "ALLOC-2026-01-R"
)

// Days of the stories, as indexes into transferSchedule.
const (
	notBoardedDay   = 1  // 2026-01-22: a man manifested is not boarded
	notBoardedLater = 5  // 2026-01-26: ... and moves that day
	evacDay         = 3  // 2026-01-24: a man is evacuated on the way
	evacLater       = 16 // 2026-02-06: ... and moves that day
	refusedDay      = 7  // 2026-01-28: a man is refused at arrival
)

const (
	seatsPerBus   = 25
	aircraftSeats = 80
	boardEvery    = 40 * time.Second // one person scanned and seated
	vehicleChange = 3 * time.Minute  // the escort moves on to the next vehicle
)

// Places on the routes.
const (
	placeTalHamis = "Tal Hamis checkpoint"
	placeJazaa    = "Jaza'a checkpoint"
	placeTellTamr = "Tell Tamr checkpoint (M4 highway)"
	placeMarkada  = "Markada checkpoint (Deir ez-Zor–Hasakah road)"
	placeBorder   = "al-Yarubiyah / Rabia border crossing"
	placeLockout  = "Gweiran prison, Hasakah (overnight lockout)"
	placeBIAP     = "Baghdad International Airport (landing)"
)

// movePlan is one move of the transfer, planned before anything is emitted.
type movePlan struct {
	id       custody.MoveID
	alloc    custody.AllocationID
	mode     custody.Mode
	origin   int
	dest     int
	escort   string // the escort commander's user
	vehicles []custody.Vehicle
	legs     []custody.Leg
	manifest []custody.Seat // in boarding order: vehicle by vehicle, seat by seat

	planned, boarding, departure, arrival, closing time.Time

	notBoarded custody.PersonID // manifested, not boarded (medically unfit)
	evacuated  custody.PersonID // evacuated on the way, before leg evacLeg
	evacLeg    int
	refused    custody.PersonID // refused at arrival, then corrected and received
	refusedU   int              // his unit, to generate his record again

	// log indexes of the releasing side's confirmations, as emitted
	relDeparture, relArrival int64
}

// boards reports whether the manifested person p boards.
func (m *movePlan) boards(p custody.PersonID) bool { return p != m.notBoarded }

// vehicleSeats returns the manifest lines of vehicle v.
func (m *movePlan) vehicleSeats(v int) []custody.Seat {
	var out []custody.Seat
	for _, st := range m.manifest {
		if st.Vehicle == m.vehicles[v].ID {
			out = append(out, st)
		}
	}
	return out
}

// arriving returns the persons of vehicle v (all vehicles if v < 0) who
// reach the destination.
func (m *movePlan) arriving(v int) []custody.PersonID {
	var out []custody.PersonID
	for _, st := range m.manifest {
		if (v < 0 || st.Vehicle == m.vehicles[v].ID) && st.Person != m.notBoarded && st.Person != m.evacuated {
			out = append(out, st.Person)
		}
	}
	return out
}

// countAt is the true headcount at leg j (0-based): everyone boarded, less
// the man evacuated before it.
func (m *movePlan) countAt(j int) int {
	n := len(m.manifest)
	if m.notBoarded != "" {
		n--
	}
	if m.evacuated != "" && j >= m.evacLeg {
		n--
	}
	return n
}

// escortAt is the escort commander recording at site.
func (m *movePlan) escortAt(site string) custody.Actor {
	return custody.Actor{User: m.escort, Authority: centcom, Site: site}
}

// planner is the CENTCOM transfer planner.
var planner = custody.Actor{User: "planner.centcom", Authority: centcom, Site: "Hasakah"}

// far reports whether origin i is a day's drive or more from the border:
// its convoys lock out overnight at Gweiran.
func far(i int) bool {
	switch facilities[i].f.Place.Region {
	case raqqa, aleppo, deirZor:
		return true
	}
	return false
}

// fromBorder is the drive from the border crossing to destination i.
func fromBorder(i int) time.Duration {
	switch facilities[i].f.ID {
	case "iq-moj-baghdad":
		return 7 * time.Hour
	case "iq-moj-central":
		return 8 * time.Hour
	}
	return 10 * time.Hour
}

// fBaghdad is the destination of the flights (the "secure location").
const fBaghdad = fFirstDest

// batch is persons of one origin to move together.
type batch struct {
	fac     int
	persons []int32 // unit indexes
}

// planTransfers plans the moves of the transfer: the selected men day by
// day, in moves of at most batchSize from one origin (flights of 50 on the
// first day), each to the destination with the most room left, so that no
// destination ever holds more than its capacity, counting open moves.
func (g *generator) planTransfers(r *rand.Rand, acts []action, selected []candidate) []action {
	units := g.plan.units
	room := make([]int, len(facilities))
	for i := fFirstDest; i < len(facilities); i++ {
		room[i] = facilities[i].f.Capacity
	}
	sched := transferSchedule()
	days := make([][]candidate, len(sched))
	pos := 0
	for di, d := range sched {
		days[di] = selected[pos : pos+d.n]
		pos += d.n
	}
	fac := func(u int) int { return int(units[u].fac) }
	pick := func(di int) int {
		for _, c := range days[di] {
			if fac(c.unit) == fGweiran {
				return c.unit
			}
		}
		panic(fmt.Sprintf("scenario: no man of Gweiran moves on day %d of the transfer", di))
	}
	nbUnit, evUnit := pick(notBoardedLater), pick(evacLater)

	var moves []*movePlan
	for di, d := range sched {
		size := batchSize
		if di == 0 {
			size = 50 // three flights on the first day
		}
		var batches []batch
		for f := range facilities {
			var b []int32
			for _, c := range days[di] {
				if fac(c.unit) != f || (di == evacLater && c.unit == evUnit) {
					continue
				}
				if b = append(b, int32(c.unit)); len(b) == size {
					batches, b = append(batches, batch{f, b}), nil
				}
			}
			if len(b) > 0 {
				batches = append(batches, batch{f, b})
			}
		}
		span := 10 * time.Hour / time.Duration(len(batches))
		start := d.day.Add(7 * time.Hour)
		if di == 0 {
			span, start = 4*time.Hour, d.day.Add(6*time.Hour)
		}
		air, nb, ev, ref := false, false, false, false
		for bi, b := range batches {
			m := &movePlan{alloc: mainAlloc, mode: custody.ByLand, origin: b.fac}
			persons := b.persons
			if di == 0 || di%4 == 0 && b.fac == fGweiran && !air && room[fBaghdad] >= len(persons) {
				m.mode, air = custody.ByAir, true
			}
			land := m.mode == custody.ByLand && b.fac == fGweiran
			switch {
			case di == notBoardedDay && land && !nb:
				persons, nb = append(slices.Clone(persons), int32(nbUnit)), true
				m.notBoarded = pid(units[nbUnit].id)
			case di == evacDay && land && !ev:
				persons, ev = append(slices.Clone(persons), int32(evUnit)), true
				m.evacuated = pid(units[evUnit].id)
			case di == refusedDay && land && !ref:
				ref = true
				m.refusedU = int(persons[0])
				for _, u := range persons {
					if units[u].nat == natIQ { // Iraq checks its own nationals against its civil registry
						m.refusedU = int(u)
						break
					}
				}
				m.refused = pid(units[m.refusedU].id)
			}
			m.dest = fBaghdad
			if m.mode == custody.ByLand {
				for i := fFirstDest; i < len(facilities); i++ {
					if room[i] > room[m.dest] {
						m.dest = i
					}
				}
			}
			arrival := start.Add(time.Duration(bi)*span + time.Duration(r.IntN(20))*time.Minute)
			g.schedule(r, m, arrival, len(persons))
			g.seat(r, m, persons, len(moves))
			if room[m.dest] < len(persons) {
				panic(fmt.Sprintf("scenario: no room for %d in %s", len(persons), facilities[m.dest].f.ID))
			}
			room[m.dest] -= len(persons)
			moves = append(moves, m)
		}
		if di == evacLater {
			// The man evacuated on 2026-01-24, back at Gweiran, moves on a
			// move of his own.
			m := &movePlan{alloc: resumeAlloc, mode: custody.ByLand, origin: fGweiran, dest: fFirstDest}
			for i := fFirstDest; i < len(facilities); i++ {
				if room[i] > room[m.dest] {
					m.dest = i
				}
			}
			g.schedule(r, m, d.day.Add(12*time.Hour), 1)
			g.seat(r, m, []int32{int32(evUnit)}, len(moves))
			room[m.dest]--
			moves = append(moves, m)
		}
	}
	// Move IDs: by day of departure, in order of departure.
	order := make([]int, len(moves))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return moves[a].departure.Compare(moves[b].departure) })
	perDay := map[string]int{}
	for _, i := range order {
		day := moves[i].departure.Format("20060102")
		perDay[day]++
		moves[i].id = custody.MoveID(fmt.Sprintf("MV-%s-%02d", day, perDay[day]))
	}
	g.moves = moves
	for i, m := range moves {
		acts = append(acts, m.actions(i)...)
		if m.refused != "" {
			g.watch[m.refused] = -1
		}
	}
	// The allocations; the evacuated man's return from hospital.
	acts = append(acts,
		action{t: at(time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)), kind: aAllocation, note: 0},
		action{t: at(time.Date(2026, 2, 3, 9, 0, 0, 0, time.UTC)), kind: aAllocation, note: 1},
		action{t: at(time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC)), kind: aReturned, person: units[evUnit].id, fac: fGweiran, to: fHospital})
	return acts
}

// callSigns name the convoys.
var callSigns = []string{"Raven", "Sabre", "Falcon", "Granite", "Lancer", "Viking", "Mustang", "Atlas", "Cobalt", "Trident"}

// vehiclesFor is how many vehicles a move of n persons takes.
func vehiclesFor(mode custody.Mode, n int) int {
	if mode == custody.ByAir || n <= 4 {
		return 1
	}
	return (n + seatsPerBus - 1) / seatsPerBus
}

// schedule sets the route and times of move m of n persons, to arrive
// about arrival: near origins drive to the border and on through the
// night or the day; far ones leave the morning before and lock out
// overnight at Gweiran; flights leave three hours before they arrive.
func (g *generator) schedule(r *rand.Rand, m *movePlan, arrival time.Time, n int) {
	jit := func(max int) time.Duration { return time.Duration(r.IntN(max)) * time.Minute }
	leg := func(k custody.LegKind, place string, at time.Time) custody.Leg {
		return custody.Leg{Kind: k, Place: place, Planned: at}
	}
	switch {
	case m.mode == custody.ByAir:
		m.arrival = arrival
		m.departure = arrival.Add(-3 * time.Hour)
		m.legs = []custody.Leg{leg(custody.LegCheckpoint, placeBIAP, arrival.Add(-time.Hour))}
	case far(m.origin):
		day := arrival.Truncate(24 * time.Hour)
		m.departure = day.Add(-16*time.Hour + jit(30)) // 08:00 the day before
		first := placeTellTamr
		if facilities[m.origin].f.Place.Region == deirZor {
			first = placeMarkada
		}
		leave := day.Add(3*time.Hour + jit(30))
		lockout := leg(custody.LegOvernight, placeLockout, m.departure.Add(6*time.Hour))
		lockout.Lockout, lockout.Note = facilities[fGweiran].f.ID, "held aboard in the secure yard overnight; leaves at 03:00"
		border := leave.Add(150 * time.Minute)
		m.legs = []custody.Leg{
			leg(custody.LegCheckpoint, first, m.departure.Add(3*time.Hour)),
			lockout,
			leg(custody.LegCheckpoint, placeTalHamis, leave.Add(75*time.Minute)),
			leg(custody.LegBorder, placeBorder, border),
		}
		m.arrival = border.Add(fromBorder(m.dest))
	default:
		m.arrival = arrival
		border := arrival.Add(-fromBorder(m.dest))
		m.departure = border.Add(-150 * time.Minute)
		first := placeTalHamis
		if id := facilities[m.origin].f.ID; id == "derik" || id == "rmelan" {
			first = placeJazaa
		}
		m.legs = []custody.Leg{
			leg(custody.LegCheckpoint, first, m.departure.Add(75*time.Minute)),
			leg(custody.LegBorder, placeBorder, border),
		}
	}
	nv := vehiclesFor(m.mode, n)
	m.boarding = m.departure.Add(-25*time.Minute - time.Duration(n)*boardEvery - time.Duration(nv)*vehicleChange)
	m.planned = m.departure.Truncate(24 * time.Hour).Add(-6*time.Hour + jit(60))
	m.closing = m.arrival.Add(time.Duration(30+15*nv) * time.Minute)
	if m.refused != "" {
		m.closing = m.arrival.Add(130 * time.Minute)
	}
}

// seat sets the vehicles and manifest of move m, the mi-th move planned:
// persons in order, vehicle by vehicle, seats numbered from 1 in each.
func (g *generator) seat(r *rand.Rand, m *movePlan, persons []int32, mi int) {
	units := g.plan.units
	m.escort = fmt.Sprintf("escort-cdr.centcom.%02d", 1+mi%12)
	n := len(persons)
	switch {
	case m.mode == custody.ByAir:
		m.vehicles = []custody.Vehicle{{ID: "aircraft", Kind: "C-130J-30", Label: fmt.Sprintf("tail %02d-%04d", 5+r.IntN(15), r.IntN(10000)), Seats: aircraftSeats}}
	case n <= 4:
		m.vehicles = []custody.Vehicle{{ID: "vehicle-1", Kind: "armoured SUV", Label: callSigns[mi%len(callSigns)] + " 1", Seats: 4}}
	default:
		for v := range vehiclesFor(m.mode, n) {
			m.vehicles = append(m.vehicles, custody.Vehicle{ID: fmt.Sprintf("bus-%d", v+1), Kind: "armoured bus",
				Label: fmt.Sprintf("%s %d", callSigns[mi%len(callSigns)], v+1), Seats: seatsPerBus})
		}
	}
	// Spread evenly over the vehicles: 76 men on four buses of 19.
	nv, k := len(m.vehicles), 0
	for v, veh := range m.vehicles {
		for seat := range n/nv + btoi(v < n%nv) {
			m.manifest = append(m.manifest, custody.Seat{Person: pid(units[persons[k]].id), Vehicle: veh.ID, Seat: seat + 1})
			k++
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Actions of a move.
const (
	aAllocation actKind = iota + 100
	aMovePlanned
	aBoarding     // boarding starts; a man manifested is not boarded
	aBoardVehicle // note: the vehicle
	aDeparture    // handover to the escort, departure
	aCount        // note: the leg
	aEvacuated    // recorded after the count it explains
	aArrival      // arrival, handover to the receiving prison
	aCorrection   // identity corrected, handed over again
	aClose
)

// actions returns the actions of move mi, in order of time.
func (m *movePlan) actions(mi int) []action {
	var out []action
	add := func(t time.Time, k actKind, note int) {
		out = append(out, action{t: at(t), kind: k, mv: int16(mi), note: uint8(note)})
	}
	add(m.planned, aMovePlanned, 0)
	add(m.boarding, aBoarding, 0)
	// Vehicle after vehicle, everyone in a few minutes before the
	// handover to the escort.
	next := m.boarding.Add(5 * time.Minute)
	for v := range m.vehicles {
		add(next, aBoardVehicle, v)
		next = next.Add(time.Duration(len(m.vehicleSeats(v)))*boardEvery + vehicleChange)
	}
	add(m.departure.Add(-15*time.Minute), aDeparture, 0)
	for j, l := range m.legs {
		add(l.Planned.Add(time.Duration(mi*7%11)*time.Minute), aCount, j)
		if m.evacuated != "" && j == m.evacLeg {
			add(l.Planned.Add(40*time.Minute), aEvacuated, 0)
		}
	}
	add(m.arrival, aArrival, 0)
	if m.refused != "" {
		add(m.arrival.Add(90*time.Minute), aCorrection, 0)
	}
	add(m.closing, aClose, 0)
	return out
}

// moveAction emits the requests of a move action.
func (g *generator) moveAction(r *rand.Rand, a action) error {
	t := time.Unix(a.t, 0).UTC()
	em := g.em
	if a.kind == aAllocation {
		al := g.allocation(a.note)
		em.add(&custody.AllocationCreated{Allocation: al}, t, 12*time.Minute, planner)
		return em.flush()
	}
	m := g.moves[a.mv]
	origin, dest := &facilities[m.origin], &facilities[m.dest]
	release := registrar(m.origin, g.ctrl[m.origin])
	intake := registrar(m.dest, iraqMoJ)
	mins := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	switch a.kind {
	case aMovePlanned:
		mv := custody.Move{ID: m.id, Allocation: m.alloc, Mode: m.mode, Origin: origin.f.ID, Destination: dest.f.ID, Escort: centcom,
			Departure: m.departure, Arrival: m.arrival, Vehicles: m.vehicles, Legs: m.legs}
		em.add(&custody.MovePlanned{Move: mv, Manifest: m.manifest}, t, mins(5+r.IntN(20)), planner)
	case aBoarding:
		em.add(&custody.BoardingStarted{Move: m.id}, t, mins(1), m.escortAt(origin.site))
		if m.notBoarded != "" {
			if err := em.flush(); err != nil {
				return err
			}
			em.add(&custody.NotBoarded{Move: m.id, Person: m.notBoarded, Reason: custody.Reason{Code: "medical-unfit", Version: 1,
				Note: "fever of 39.6 °C and suspected pneumonia at the pre-departure medical check; kept in the prison infirmary"}},
				t.Add(mins(3)), mins(4), release)
		}
	case aBoardVehicle:
		seats := m.vehicleSeats(int(a.note))
		var boarded []custody.Seat
		for _, st := range seats {
			if m.boards(st.Person) {
				boarded = append(boarded, st)
			}
		}
		end := t.Add(time.Duration(len(boarded))*boardEvery + mins(2))
		for k, st := range boarded {
			b := &custody.Boarded{Move: m.id, Vehicle: st.Vehicle, Person: st.Person, Scan: custody.ScanQR, Code: custody.WristbandCode(st.Person)}
			if r.IntN(100) < 2 { // a worn wristband: the ID read from the detention card
				b.Scan, b.Code = custody.ScanTyped, ""
			}
			occurred := t.Add(time.Duration(k) * boardEvery)
			em.add(b, occurred, end.Sub(occurred), m.escortAt(origin.site))
		}
	case aDeparture:
		aboard := m.boardingAll()
		m.relDeparture = em.add(&custody.HandoverReleased{Move: m.id, Stage: custody.AtDeparture, To: centcom, Persons: aboard}, t, mins(1), release)
		for v := range m.vehicles {
			var ps []custody.PersonID
			for _, st := range m.vehicleSeats(v) {
				if m.boards(st.Person) {
					ps = append(ps, st.Person)
				}
			}
			if len(ps) == 0 {
				continue
			}
			if err := em.flush(); err != nil {
				return err
			}
			em.add(&custody.HandoverReceived{Move: m.id, Handover: m.relDeparture, Persons: ps, IdentityChecked: true},
				t.Add(mins(3+2*v)), mins(1), m.escortAt(origin.site))
		}
		if err := em.flush(); err != nil {
			return err
		}
		em.add(&custody.Departed{Move: m.id, Count: len(aboard)}, t.Add(mins(15)), mins(2), m.escortAt(origin.site))
	case aCount:
		j := int(a.note)
		em.add(&custody.Counted{Move: m.id, Leg: j + 1, Count: m.countAt(j)}, t, mins(1+r.IntN(5)), m.escortAt(m.legs[j].Place))
	case aEvacuated:
		l := m.legs[m.evacLeg]
		occurred := l.Planned.Add(-25 * time.Minute)
		em.add(&custody.Evacuated{Move: m.id, Person: m.evacuated, Hospital: facilities[fHospital].f.ID,
			Condition: "collapsed with chest pain on the road before " + l.Place + "; suspected myocardial infarction; taken by a coalition medical team to the secure ward"},
			occurred, t.Sub(occurred), m.escortAt(l.Place))
	case aArrival:
		n := m.countAt(len(m.legs))
		em.add(&custody.Arrived{Move: m.id, Count: n}, t, mins(2), m.escortAt(dest.site))
		if err := em.flush(); err != nil {
			return err
		}
		m.relArrival = em.add(&custody.HandoverReleased{Move: m.id, Stage: custody.AtArrival, To: iraqMoJ, Persons: m.arriving(-1)},
			t.Add(mins(10)), mins(1), m.escortAt(dest.site))
		if m.refused != "" {
			if err := em.flush(); err != nil {
				return err
			}
			em.add(&custody.HandoverRefused{Move: m.id, Handover: m.relArrival, Person: m.refused, Reason: custody.Reason{Code: "identity-mismatch", Version: 1,
				Note: "date of birth on the record does not match the national identity card presented at intake"}},
				t.Add(mins(16)), mins(2), intake)
		}
		for v := range m.vehicles {
			ps := slices.DeleteFunc(m.arriving(v), func(p custody.PersonID) bool { return p == m.refused })
			if len(ps) == 0 {
				continue
			}
			if err := em.flush(); err != nil {
				return err
			}
			em.add(&custody.HandoverReceived{Move: m.id, Handover: m.relArrival, Persons: ps, IdentityChecked: true},
				t.Add(mins(20+15*v)), mins(3), intake)
		}
	case aCorrection:
		p, date := g.corrected(r, m.refusedU)
		records := custody.Actor{User: "records.centcom", Authority: centcom, Site: dest.site}
		em.add(&custody.IdentityCorrected{Corrects: g.watch[m.refused], Person: p,
			Reason: "date of birth corrected to " + date + " from the national identity card checked at intake, confirmed against the SDF detention file"},
			t, mins(4), records)
		if err := em.flush(); err != nil {
			return err
		}
		rel := em.add(&custody.HandoverReleased{Move: m.id, Stage: custody.AtArrival, To: iraqMoJ, Persons: []custody.PersonID{m.refused}},
			t.Add(mins(10)), mins(1), m.escortAt(dest.site))
		if err := em.flush(); err != nil {
			return err
		}
		em.add(&custody.HandoverReceived{Move: m.id, Handover: rel, Persons: []custody.PersonID{m.refused}, IdentityChecked: true},
			t.Add(mins(20)), mins(2), intake)
	case aClose:
		em.add(&custody.MoveClosed{Move: m.id}, t, mins(2), m.escortAt(dest.site))
	}
	return em.flush()
}

// boardingAll returns everyone who boards move m, in manifest order.
func (m *movePlan) boardingAll() []custody.PersonID {
	var out []custody.PersonID
	for _, st := range m.manifest {
		if m.boards(st.Person) {
			out = append(out, st.Person)
		}
	}
	return out
}

// corrected returns the record of the man of unit u with his date of birth
// as his identity card gives it, and that date.
func (g *generator) corrected(r *rand.Rand, u int) (custody.Person, string) {
	g.reseed(u)
	p := g.man(&g.plan.units[u]).p
	y := 1985
	if d, err := time.Parse(time.DateOnly, p.Birth.Date); err == nil {
		y = d.Year()
	}
	date := time.Date(y-1, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	p.Birth = custody.BirthDate{Date: date}
	return p, date
}

// allocation returns allocation k: 0 the transfer, 1 the man whose move
// was cut short.
func (g *generator) allocation(k uint8) custody.Allocation {
	var origins []custody.FacilityID
	for _, m := range g.moves {
		if id := facilities[m.origin].f.ID; !slices.Contains(origins, id) {
			origins = append(origins, id)
		}
	}
	slices.Sort(origins)
	var dests []custody.FacilityID
	for i := fFirstDest; i < len(facilities); i++ {
		dests = append(dests, facilities[i].f.ID)
	}
	crit := custody.Criteria{Categories: []custody.Category{custody.Man}, Origins: origins}
	if k == 1 {
		return custody.Allocation{ID: resumeAlloc, OrderedBy: centcom, Target: 5, Destinations: dests,
			Name:     "men of " + string(mainAlloc) + " whose move was cut short by a medical evacuation, moved once fit (counted in the 7,000)",
			Criteria: custody.Criteria{Categories: crit.Categories, Origins: []custody.FacilityID{facilities[fGweiran].f.ID}}}
	}
	return custody.Allocation{ID: mainAlloc, OrderedBy: centcom, Target: totalTransfer, Destinations: dests, Criteria: crit,
		Name: "up to 7,000 men from SDF-held prisons in Hasakah, Raqqa, Deir ez-Zor and Kobani to Iraqi Ministry of Justice prisons"}
}
