package custody

import (
	"strings"
	"testing"
	"time"
)

func TestAgeOn(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		birth, on string
		age       int
		ok        bool
	}{
		{"1990-06-15", "2026-06-14", 35, true},
		{"1990-06-15", "2026-06-15", 36, true}, // the birthday
		{"1990-06-15", "2026-12-31", 36, true},
		{"1990-01-01", "2026-01-01", 36, true},
		{"1990-12-31", "2026-12-30", 35, true},
		{"2014-06-15", "2026-06-14", 11, true}, // still under 12 the day before
		{"2014-06-15", "2026-06-15", 12, true},
		{"2026-02-01", "2026-02-01", 0, true}, // born today
		// Leap years: the day of the year of a date after February moves.
		{"2004-03-01", "2005-03-01", 1, true},  // born in a leap year
		{"2005-03-01", "2008-02-29", 2, true},  // birthday to come in a leap year
		{"2005-03-01", "2008-03-01", 3, true},  //
		{"2003-12-31", "2004-12-30", 0, true},  // day 365 of a leap year is not the 31st
		{"2004-12-31", "2005-12-31", 1, true},  // born on day 366
		{"2004-02-29", "2005-02-28", 0, true},  // born on 29 February...
		{"2004-02-29", "2005-03-01", 1, true},  // ...is a year older on 1 March
		{"2004-02-29", "2008-02-29", 4, true},  //
		{"2004-02-29", "2008-02-28", 3, true},  //
		{"1988-01-01", "2026-02-01", 38, true}, // an estimate: 1 January of the year
		// Unknown or malformed dates.
		{"", "2026-02-01", 0, false},
		{"1990", "2026-02-01", 0, false},
		{"1990-13-01", "2026-02-01", 0, false},
		{"1990-02-30", "2026-02-01", 0, false},
		{"15/06/1990", "2026-02-01", 0, false},
	} {
		age, ok := BirthDate{Date: c.birth}.AgeOn(day(c.on))
		if age != c.age || ok != c.ok {
			t.Errorf("born %q, on %s: AgeOn = %d, %v; want %d, %v", c.birth, c.on, age, ok, c.age, c.ok)
		}
	}
	// The day is the day where t is: late on the 14th in Baghdad is the
	// 14th, though it is already the 15th nowhere else.
	baghdad := time.FixedZone("AST", 3*3600)
	if age, _ := (BirthDate{Date: "2014-06-15"}).AgeOn(time.Date(2026, 6, 14, 23, 0, 0, 0, baghdad)); age != 11 {
		t.Errorf("on the evening of 14 June in Baghdad: age %d, want 11", age)
	}
}

func TestPersonValidate(t *testing.T) {
	if p := person("p1"); p.Validate() != nil {
		t.Fatalf("valid person: %v", p.Validate())
	}
	child := person("c1")
	child.Category, child.Under12, child.Sex = Girl, true, Female
	if err := child.Validate(); err != nil {
		t.Errorf("girl under 12: %v", err)
	}
	for _, c := range []struct {
		name string
		mod  func(p *Person)
		want string // in the message
	}{
		{"no id", func(p *Person) { p.ID = "" }, "id"},
		{"no name", func(p *Person) { p.Name = Name{Latin: []string{}} }, "name"},
		{"bad sex", func(p *Person) { p.Sex = "M" }, "sex"},
		{"bad category", func(p *Person) { p.Category = "adult" }, `category "adult"`},
		{"no category", func(p *Person) { p.Category = "" }, "category"},
		{"under 12 on a man", func(p *Person) { p.Under12 = true }, "under_12"},
		{"under 12 on a woman", func(p *Person) { p.Category, p.Under12 = Woman, true }, "under_12"},
		{"risk tier 4", func(p *Person) { p.RiskTier = 4 }, "risk tier"},
		{"risk tier -1", func(p *Person) { p.RiskTier = -1 }, "risk tier"},
		{"30 February", func(p *Person) { p.Birth.Date = "1990-02-30" }, "birth date"},
		{"year only", func(p *Person) { p.Birth.Date = "1990" }, "birth date"},
		{"day first", func(p *Person) { p.Birth.Date = "01-02-1990" }, "birth date"},
		{"three letters", func(p *Person) { p.Nationalities = []string{"IRQ"} }, `nationality 1 "IRQ"`},
		{"one letter", func(p *Person) { p.Nationalities = []string{"SY", "I"} }, `nationality 2 "I"`},
		{"lower case", func(p *Person) { p.Nationalities = []string{"iq"} }, "nationality"},
		{"digits", func(p *Person) { p.Nationalities = []string{"12"} }, "nationality"},
		{"empty", func(p *Person) { p.Nationalities = []string{""} }, "nationality"},
		{"link without a person", func(p *Person) { p.Family = []FamilyLink{{Relation: MotherOf}} }, "family link 1"},
		{"link without a relation", func(p *Person) { p.Family = []FamilyLink{{Person: "p2"}} }, "family link 1"},
		{"link to oneself", func(p *Person) { p.Family = []FamilyLink{{Relation: SpouseOf, Person: "p1"}} }, "themself"},
	} {
		p := person("p1")
		c.mod(&p)
		err := p.Validate()
		if err == nil {
			t.Errorf("%s: valid, want an error", c.name)
		} else if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not say %q", c.name, err, c.want)
		}
	}
}
