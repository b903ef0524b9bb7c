package custody

import "fmt"

// AuthorityID identifies an authority.
type AuthorityID string

// AuthorityKind says what sort of authority holds custody.
type AuthorityKind string

// Authority kinds.
const (
	NonStateForce AuthorityKind = "non-state-force" // the SDF
	Ministry      AuthorityKind = "ministry"        // a government or ministry: Syrian government, Iraqi Ministry of Justice
	Coalition     AuthorityKind = "coalition"       // a coalition command: CENTCOM
	ForeignState  AuthorityKind = "foreign-state"   // a state receiving its nationals
)

// Authority is who can hold custody. Users belong to one.
type Authority struct {
	ID      AuthorityID   `json:"id"`
	Name    Name          `json:"name"`
	Kind    AuthorityKind `json:"kind"`
	Country string        `json:"country,omitempty"` // ISO 3166-1 alpha-2, if any
}

// Validate checks the record on its own.
func (a *Authority) Validate() error {
	switch {
	case a.ID == "":
		return fmt.Errorf("id is empty")
	case a.Name.IsZero():
		return fmt.Errorf("name is empty")
	}
	switch a.Kind {
	case NonStateForce, Ministry, Coalition, ForeignState:
	default:
		return fmt.Errorf("kind %q is not one of non-state-force, ministry, coalition, foreign-state", a.Kind)
	}
	return nil
}

// FacilityID identifies a facility or a section of one.
type FacilityID string

// FacilityKind says what sort of place a facility is.
type FacilityKind string

// Facility kinds.
const (
	Prison      FacilityKind = "prison"
	Camp        FacilityKind = "camp"
	CampSection FacilityKind = "camp-section" // al-Hol's high-security annex
	Transit     FacilityKind = "transit"
	Hospital    FacilityKind = "hospital"
	Rehab       FacilityKind = "rehabilitation-centre" // for boys taken from camps
	Destination FacilityKind = "destination-prison"
)

// Security is a facility's security level.
type Security string

// Security levels.
const (
	SecurityLow     Security = "low"
	SecurityMedium  Security = "medium"
	SecurityHigh    Security = "high"
	SecurityMaximum Security = "maximum"
)

// Place is where a facility is.
type Place struct {
	Name    string  `json:"name"`
	Region  string  `json:"region,omitempty"`
	Country string  `json:"country"` // ISO 3166-1 alpha-2
	Lat     float64 `json:"lat,omitempty"`
	Lon     float64 `json:"lon,omitempty"`
}

// Facility is a place persons are held. A section (a camp's annex) has a
// Parent. Its controlling authority changes over time through events; the
// Controller here is the one it was registered with.
type Facility struct {
	ID         FacilityID   `json:"id"`
	Name       Name         `json:"name"`
	Kind       FacilityKind `json:"kind"`
	Parent     FacilityID   `json:"parent,omitempty"`
	Place      Place        `json:"place"`
	Capacity   int          `json:"capacity"`
	Security   Security     `json:"security"`
	Controller AuthorityID  `json:"controller"`
}

// Validate checks the record on its own.
func (f *Facility) Validate() error {
	switch {
	case f.ID == "":
		return fmt.Errorf("id is empty")
	case f.Name.IsZero():
		return fmt.Errorf("name is empty")
	case f.Controller == "":
		return fmt.Errorf("controller is empty")
	case f.Capacity < 0:
		return fmt.Errorf("capacity %d is negative", f.Capacity)
	case f.Parent == f.ID:
		return fmt.Errorf("facility is its own parent")
	}
	switch f.Kind {
	case Prison, Camp, CampSection, Transit, Hospital, Rehab, Destination:
	default:
		return fmt.Errorf("kind %q is not a facility kind", f.Kind)
	}
	switch f.Security {
	case SecurityLow, SecurityMedium, SecurityHigh, SecurityMaximum:
	default:
		return fmt.Errorf("security %q is not one of low, medium, high, maximum", f.Security)
	}
	return nil
}
