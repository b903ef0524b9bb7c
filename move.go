package custody

import (
	"fmt"
	"time"
)

// AllocationID identifies an allocation.
type AllocationID string

// MoveID identifies a move.
type MoveID string

// Allocation is a batch of the transfer ("up to 7,000 men from Hasakah
// facilities to Iraqi Ministry of Justice prisons"): who may be moved, from
// where, to where, on whose order. It holds moves.
type Allocation struct {
	ID           AllocationID `json:"id"`
	Name         string       `json:"name"`
	OrderedBy    AuthorityID  `json:"ordered_by"`
	Target       int          `json:"target"` // up to this many persons
	Criteria     Criteria     `json:"criteria"`
	Destinations []FacilityID `json:"destinations"`
}

// Criteria select the persons an allocation may move. Empty lists select
// everyone.
type Criteria struct {
	Categories    []Category   `json:"categories,omitempty"`
	Origins       []FacilityID `json:"origins,omitempty"`
	Nationalities []string     `json:"nationalities,omitempty"`
	RiskTiers     []int        `json:"risk_tiers,omitempty"` // 0 = not assessed
}

// Selects reports whether the criteria select person p held at f.
func (c *Criteria) Selects(p *Person, f FacilityID) bool {
	in := func(n int, eq func(i int) bool) bool {
		if n == 0 {
			return true
		}
		for i := range n {
			if eq(i) {
				return true
			}
		}
		return false
	}
	return in(len(c.Categories), func(i int) bool { return c.Categories[i] == p.Category }) &&
		in(len(c.Origins), func(i int) bool { return c.Origins[i] == f }) &&
		in(len(c.RiskTiers), func(i int) bool { return c.RiskTiers[i] == p.RiskTier }) &&
		in(len(c.Nationalities), func(i int) bool {
			for _, n := range p.Nationalities {
				if n == c.Nationalities[i] {
					return true
				}
			}
			return false
		})
}

// Validate checks the record on its own.
func (a *Allocation) Validate() error {
	switch {
	case a.ID == "":
		return fmt.Errorf("id is empty")
	case a.Name == "":
		return fmt.Errorf("name is empty")
	case a.Target <= 0:
		return fmt.Errorf("target %d is not a positive number of persons", a.Target)
	case len(a.Destinations) == 0:
		return fmt.Errorf("no destination")
	}
	return nil
}

// Mode is how a move travels.
type Mode string

// Modes.
const (
	ByLand Mode = "land" // a convoy of vehicles
	ByAir  Mode = "air"  // a flight
)

// Vehicle is one vehicle of a convoy, or the aircraft of a flight. Each has
// its own manifest.
type Vehicle struct {
	ID    string `json:"id"`    // unique within the move: "bus-03", "aircraft"
	Kind  string `json:"kind"`  // "armoured bus", "truck", "C-17"
	Label string `json:"label"` // plate, tail number or call sign
	Seats int    `json:"seats"`
}

// LegKind is what a leg of a move is.
type LegKind string

// Leg kinds.
const (
	LegCheckpoint LegKind = "checkpoint"
	LegBorder     LegKind = "border-crossing"
	LegRedirect   LegKind = "redirect"  // the route or destination changed on the way
	LegOvernight  LegKind = "overnight" // an overnight lockout at a facility on the way
)

// Leg is a planned stop on a move's route, where the persons aboard are
// counted.
type Leg struct {
	Kind    LegKind    `json:"kind"`
	Place   string     `json:"place"`
	Planned time.Time  `json:"planned,omitzero"`
	Lockout FacilityID `json:"lockout,omitempty"` // the facility of an overnight lockout
	Note    string     `json:"note,omitempty"`
}

// Move is a planned transfer from one facility to another: a land convoy or
// a flight, escorted by an authority.
type Move struct {
	ID          MoveID       `json:"id"`
	Allocation  AllocationID `json:"allocation"`
	Mode        Mode         `json:"mode"`
	Origin      FacilityID   `json:"origin"`
	Destination FacilityID   `json:"destination"`
	// Escort is the authority that escorts the move. If it is neither the
	// releasing nor the receiving authority, custody passes twice: to the
	// escort at departure and from the escort at arrival.
	Escort    AuthorityID `json:"escort"`
	Departure time.Time   `json:"departure"` // scheduled
	Arrival   time.Time   `json:"arrival"`   // scheduled
	Vehicles  []Vehicle   `json:"vehicles"`
	Legs      []Leg       `json:"legs,omitempty"`
}

// Seats is the number of seats of all the move's vehicles.
func (m *Move) Seats() int {
	n := 0
	for _, v := range m.Vehicles {
		n += v.Seats
	}
	return n
}

// Vehicle returns the vehicle with the given ID.
func (m *Move) Vehicle(id string) (Vehicle, bool) {
	for _, v := range m.Vehicles {
		if v.ID == id {
			return v, true
		}
	}
	return Vehicle{}, false
}

// Validate checks the record on its own.
func (m *Move) Validate() error {
	switch {
	case m.ID == "":
		return fmt.Errorf("id is empty")
	case m.Allocation == "":
		return fmt.Errorf("allocation is empty")
	case m.Origin == "" || m.Destination == "":
		return fmt.Errorf("origin and destination are both required")
	case m.Origin == m.Destination:
		return fmt.Errorf("origin and destination are both %s", m.Origin)
	case m.Escort == "":
		return fmt.Errorf("escort is empty")
	case m.Departure.IsZero():
		return fmt.Errorf("departure is empty")
	case !m.Arrival.IsZero() && m.Arrival.Before(m.Departure):
		return fmt.Errorf("arrival %s is before departure %s", m.Arrival.Format(time.RFC3339), m.Departure.Format(time.RFC3339))
	case len(m.Vehicles) == 0:
		return fmt.Errorf("no vehicle")
	}
	switch m.Mode {
	case ByLand, ByAir:
	default:
		return fmt.Errorf("mode %q is not land or air", m.Mode)
	}
	seen := map[string]bool{}
	for i, v := range m.Vehicles {
		switch {
		case v.ID == "":
			return fmt.Errorf("vehicle %d: id is empty", i+1)
		case seen[v.ID]:
			return fmt.Errorf("vehicle %d: id %q is used twice", i+1, v.ID)
		case v.Seats <= 0:
			return fmt.Errorf("vehicle %s: %d seats", v.ID, v.Seats)
		}
		seen[v.ID] = true
	}
	for i, l := range m.Legs {
		switch l.Kind {
		case LegCheckpoint, LegBorder, LegRedirect, LegOvernight:
		default:
			return fmt.Errorf("leg %d: kind %q is not checkpoint, border-crossing, redirect or overnight", i+1, l.Kind)
		}
		if l.Place == "" {
			return fmt.Errorf("leg %d: place is empty", i+1)
		}
	}
	return nil
}

// Seat is one line of a manifest: a person in a seat of a vehicle.
type Seat struct {
	Person  PersonID `json:"person"`
	Vehicle string   `json:"vehicle"`
	Seat    int      `json:"seat"`
}

// MoveStatus is the stage a move has reached.
type MoveStatus string

// Move stages, in order; a move ends closed or aborted.
const (
	StagePlanned  MoveStatus = "planned"
	StageBoarding MoveStatus = "boarding" // manifests frozen
	StageDeparted MoveStatus = "departed"
	StageArrived  MoveStatus = "arrived"
	StageClosed   MoveStatus = "closed"
	StageAborted  MoveStatus = "aborted"
)

// Open reports whether the move has not ended.
func (s MoveStatus) Open() bool { return s != StageClosed && s != StageAborted }

// HandoverStage says which handover of a move: to the escort at departure,
// or to the receiving authority at arrival.
type HandoverStage string

// Handover stages.
const (
	AtDeparture HandoverStage = "departure"
	AtArrival   HandoverStage = "arrival"
)

// ScanMethod is how a person was identified at a stage.
type ScanMethod string

// Scan methods.
const (
	ScanQR    ScanMethod = "qr"    // the wristband's QR code was scanned
	ScanTyped ScanMethod = "typed" // the ID was typed or read from a document
)
