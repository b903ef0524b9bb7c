package custody

import (
	"fmt"
	"time"
)

// PersonID identifies a registered person. It is assigned at registration
// and never reused.
type PersonID string

// Name is one name as it is really written: in Arabic script and in one or
// more Latin spellings (the first is the preferred one).
type Name struct {
	Arabic string   `json:"ar,omitempty"`
	Latin  []string `json:"latin,omitempty"`
}

// IsZero reports whether the name has no form at all.
func (n Name) IsZero() bool { return n.Arabic == "" && len(n.Latin) == 0 }

// Display returns the preferred Latin spelling, or the Arabic form.
func (n Name) Display() string {
	if len(n.Latin) > 0 {
		return n.Latin[0]
	}
	return n.Arabic
}

// AliasKind says what sort of alias a name is.
type AliasKind string

// Alias kinds.
const (
	AliasKunya       AliasKind = "kunya" // "Abu ..." teknonym
	AliasNomDeGuerre AliasKind = "nom-de-guerre"
	AliasOther       AliasKind = "other"
)

// Alias is another name the person is known by.
type Alias struct {
	Kind AliasKind `json:"kind"`
	Name Name      `json:"name"`
}

// Sex as recorded.
type Sex string

// Sexes.
const (
	Male       Sex = "male"
	Female     Sex = "female"
	SexUnknown Sex = "unknown"
)

// Category is the category a person is held in.
type Category string

// Categories.
const (
	Man   Category = "man"
	Woman Category = "woman"
	Boy   Category = "boy"
	Girl  Category = "girl"
)

// IsChild reports whether the category is a child's.
func (c Category) IsChild() bool { return c == Boy || c == Girl }

// BirthDate is a date of birth, exact or estimated. Date is "YYYY-MM-DD";
// an estimate is usually the first of January of the estimated year.
type BirthDate struct {
	Date      string `json:"date,omitempty"`
	Estimated bool   `json:"estimated,omitempty"`
}

// AgeOn returns the age in whole years on day t, and false if the date is
// unknown or malformed.
func (b BirthDate) AgeOn(t time.Time) (int, bool) {
	d, err := time.Parse(time.DateOnly, b.Date)
	if err != nil {
		return 0, false
	}
	age := t.Year() - d.Year()
	if t.Month() < d.Month() || t.Month() == d.Month() && t.Day() < d.Day() {
		age-- // the birthday is still to come this year
	}
	return age, true
}

// Document is an identity document the person holds or held.
type Document struct {
	Kind    string `json:"kind"` // passport, national-id, family-book, detention-card...
	Number  string `json:"number"`
	Country string `json:"country,omitempty"` // ISO 3166-1 alpha-2 of the issuer
}

// Relation is the kind of a family link, seen from the person who holds it.
type Relation string

// Relations.
const (
	MotherOf  Relation = "mother-of"
	ChildOf   Relation = "child-of"
	FatherOf  Relation = "father-of"
	SpouseOf  Relation = "spouse-of"
	SiblingOf Relation = "sibling-of"
)

// FamilyLink links a person to a relative who is also registered.
type FamilyLink struct {
	Relation Relation `json:"relation"`
	Person   PersonID `json:"person"`
}

// Contact is the person to inform (CED Art. 17(3)).
type Contact struct {
	Name         Name   `json:"name"`
	Relationship string `json:"relationship,omitempty"`
	Address      string `json:"address,omitempty"`
	Phone        string `json:"phone,omitempty"`
}

// Person is the identity record of someone held: what international law asks
// an official register of persons deprived of liberty to hold, less what
// events record (where, since when, by whom).
type Person struct {
	ID            PersonID     `json:"id"`
	Name          Name         `json:"name"`
	Aliases       []Alias      `json:"aliases,omitempty"`
	FatherName    Name         `json:"father_name,omitzero"`
	MotherName    Name         `json:"mother_name,omitzero"`
	Sex           Sex          `json:"sex"`
	Birth         BirthDate    `json:"birth,omitzero"`
	Nationalities []string     `json:"nationalities,omitempty"` // ISO 3166-1 alpha-2
	Documents     []Document   `json:"documents,omitempty"`
	Category      Category     `json:"category"`
	Under12       bool         `json:"under_12,omitempty"`  // children under 12, marked at registration
	RiskTier      int          `json:"risk_tier,omitempty"` // 1 = first-tier leader ... 3 = low; 0 = not assessed
	Medical       string       `json:"medical,omitempty"`
	Family        []FamilyLink `json:"family,omitempty"`
	Inform        *Contact     `json:"inform,omitempty"`
}

// Validate checks the record on its own (not against state).
func (p *Person) Validate() error {
	switch {
	case p.ID == "":
		return fmt.Errorf("id is empty")
	case p.Name.IsZero():
		return fmt.Errorf("name has neither an Arabic nor a Latin form")
	}
	switch p.Sex {
	case Male, Female, SexUnknown:
	default:
		return fmt.Errorf("sex %q is not one of male, female, unknown", p.Sex)
	}
	switch p.Category {
	case Man, Woman, Boy, Girl:
	default:
		return fmt.Errorf("category %q is not one of man, woman, boy, girl", p.Category)
	}
	if p.Under12 && !p.Category.IsChild() {
		return fmt.Errorf("under_12 is set on category %q", p.Category)
	}
	if p.RiskTier < 0 || p.RiskTier > 3 {
		return fmt.Errorf("risk tier %d is not 0 (not assessed) to 3", p.RiskTier)
	}
	if p.Birth.Date != "" {
		if _, err := time.Parse(time.DateOnly, p.Birth.Date); err != nil {
			return fmt.Errorf("birth date %q is not YYYY-MM-DD", p.Birth.Date)
		}
	}
	for i, n := range p.Nationalities {
		if len(n) != 2 || n[0] < 'A' || n[0] > 'Z' || n[1] < 'A' || n[1] > 'Z' {
			return fmt.Errorf("nationality %d %q is not an ISO 3166-1 alpha-2 code", i+1, n)
		}
	}
	for i, l := range p.Family {
		if l.Person == "" || l.Relation == "" {
			return fmt.Errorf("family link %d is incomplete", i+1)
		}
		if l.Person == p.ID {
			return fmt.Errorf("family link %d points to the person themself", i+1)
		}
	}
	return nil
}
