package scenario

import (
	"fmt"
	"math/rand/v2"
	"time"

	custody "github.com/opencustody/custody"
)

// censusDay is the day ages are computed on: the truce, 2026-01-20.
var censusDay = date(2026, time.January, 20)

// identity is a generated person and the parts their name was made of, so
// that a second registration can spell it otherwise.
type identity struct {
	p     custody.Person
	parts []part
}

// household is a mother and what her children's records say of their
// family.
type household struct {
	grp      group
	region   string
	nats     []string
	mother   identity
	father   part                // the children's father's given name
	surname  part                // the family part the children carry
	motherAs custody.Name        // the mother's name as her children's records give it
	births   []custody.BirthDate // children admitted with her: under 12 first, then adolescents
}

// reseed makes g.r the random source of unit i.
func (g *generator) reseed(i int) {
	x := uint64(i) + 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	g.src.Seed(g.plan.seed, x^(x>>31))
}

// origin draws how a national of nat is named: most by their nation's
// tradition, some Syrians and Iraqis as Kurds, some European and other
// nationals by their family's origin.
func (g *generator) origin(nat uint8) (grp group, region string, nats []string) {
	n := &nations[nat]
	nats = []string{n.code}
	if n.kurd > 0 && g.r.Float64() < n.kurd {
		return gKurd, "sy", nats
	}
	if n.hShare > 0 && g.r.Float64() < n.hShare {
		if n.dual != "" && g.r.IntN(100) < 40 {
			nats = append(nats, n.dual)
		}
		return n.heritage, n.region, nats
	}
	return n.grp, n.region, nats
}

// nameParts puts a name together in its tradition's order.
func nameParts(g group, given, father, family part) []part {
	if traditions[g].threePart {
		return []part{given, father, family}
	}
	return []part{given, family}
}

// motherName draws the name of someone's mother who is not registered: her
// given name and her father's (or her family) name.
func motherName(r *rand.Rand, g group, region string) custody.Name {
	given := givenName(r, g, true)
	if traditions[g].threePart {
		return spell(r, given, givenName(r, g, false))
	}
	return spell(r, given, familyName(r, g, region, true))
}

// man generates the man of unit u.
func (g *generator) man(u *unit) identity {
	r := g.r
	grp, region, nats := g.origin(u.nat)
	given, father := givenName(r, grp, false), givenName(r, grp, false)
	parts := nameParts(grp, given, father, familyName(r, grp, region, false))
	p := custody.Person{
		ID: pid(u.id), Name: spell(r, parts...), Sex: custody.Male, Category: custody.Man,
		Birth: yearBirth(r, 1966+(r.IntN(38)+r.IntN(38))/2, 30), Nationalities: nats, RiskTier: int(u.tier),
	}
	if r.IntN(100) < 92 {
		p.FatherName = spell(r, father)
	}
	if r.IntN(100) < 85 {
		p.MotherName = motherName(r, grp, region)
	}
	if r.IntN(100) < 70 {
		var nisba *nisbaEntry
		if u.nat != natSY && u.nat != natIQ && r.IntN(2) == 0 {
			nisba = &nations[u.nat].nisba
		}
		p.Aliases = append(p.Aliases, kunya(r, false, nisba))
	}
	if u.tier == 1 && r.IntN(100) < 30 {
		l := laqabs[r.IntN(len(laqabs))]
		p.Aliases = append(p.Aliases, custody.Alias{Kind: custody.AliasNomDeGuerre, Name: spell(r, l.part())})
	}
	p.Documents = documents(r, u, p.Nationalities[0], true)
	p.Medical = medical(r, adultNotes, 4)
	p.Inform = inform(r, grp, region, u.nat, father, parts)
	return identity{p, parts}
}

// household generates the mother of family unit i and what her children's
// records will say; g.r is then positioned to generate her children.
func (g *generator) household(i int) *household {
	g.reseed(i)
	u := &g.plan.units[i]
	r := g.r
	h := &household{}
	at := time.Unix(u.t, 0).UTC()
	oldest, youngest := 0, int(u.lastBirth)
	for k := range int(u.under12) + int(u.adol) {
		var b custody.BirthDate
		if k < int(u.under12) {
			b = under12Birth(r, at)
		} else {
			b = adolescentBirth(r)
		}
		y := yearOf(b)
		if oldest == 0 || y < oldest {
			oldest = y
		}
		youngest = max(youngest, y)
		h.births = append(h.births, b)
	}
	h.grp, h.region, h.nats = g.origin(u.nat)
	hi, lo := 2003, 1970
	if oldest > 0 {
		hi = min(hi, oldest-16)
	}
	if youngest > 0 {
		lo = max(lo, youngest-44)
	}
	lo = min(lo, hi)
	given, herFather := givenName(r, h.grp, true), givenName(r, h.grp, false)
	herFamily := familyName(r, h.grp, h.region, true)
	parts := nameParts(h.grp, given, herFather, herFamily)
	p := custody.Person{
		ID: pid(u.id), Name: spell(r, parts...), Sex: custody.Female, Category: custody.Woman,
		Birth: yearBirth(r, lo+r.IntN(hi-lo+1), 35), Nationalities: h.nats, RiskTier: womanTier(r, int(u.fac)),
	}
	if r.IntN(100) < 90 {
		p.FatherName = spell(r, herFather)
	}
	if r.IntN(100) < 80 {
		p.MotherName = motherName(r, h.grp, h.region)
	}
	if r.IntN(100) < 35 {
		p.Aliases = append(p.Aliases, kunya(r, true, nil))
	}
	p.Documents = documents(r, u, p.Nationalities[0], true)
	p.Medical = medical(r, womenNotes, 5)
	p.Inform = inform(r, h.grp, h.region, u.nat, herFather, parts)
	h.mother = identity{p, parts}
	h.father = givenName(r, h.grp, false)
	h.surname = familyName(r, h.grp, h.region, false)
	h.motherAs = spell(r, parts[0], parts[1])
	return h
}

// orphanage returns what a child held without a registered mother has of a
// household: names, but no mother.
func (g *generator) orphanage(u *unit) *household {
	r := g.r
	h := &household{}
	h.grp, h.region, h.nats = g.origin(u.nat)
	h.father = givenName(r, h.grp, false)
	h.surname = familyName(r, h.grp, h.region, false)
	if r.IntN(100) < 70 {
		h.motherAs = motherName(r, h.grp, h.region)
	}
	return h
}

// child generates a child of household h; mother is "" for a child with no
// registered mother.
func (g *generator) child(h *household, id int32, mother custody.PersonID, birth custody.BirthDate, female bool, u *unit) custody.Person {
	r := g.r
	surname := h.surname
	if female && traditions[h.grp].feminine {
		surname = feminise(surname)
	}
	p := custody.Person{
		ID: pid(id), Name: spell(r, nameParts(h.grp, givenName(r, h.grp, female), h.father, surname)...),
		Sex: custody.Male, Category: custody.Boy, Birth: birth, Nationalities: h.nats, MotherName: h.motherAs,
	}
	if female {
		p.Sex, p.Category = custody.Female, custody.Girl
	}
	if age, _ := birth.AgeOn(censusDay); age < 12 {
		p.Under12 = true
	}
	if r.IntN(100) < 95 {
		p.FatherName = spell(r, h.father)
	}
	if mother != "" {
		p.Family = []custody.FamilyLink{{Relation: custody.ChildOf, Person: mother}}
	}
	p.Documents = documents(r, u, p.Nationalities[0], false)
	p.Medical = medical(r, childNotes, 3)
	return p
}

// yearOf returns the year of a birth date.
func yearOf(b custody.BirthDate) int {
	var y int
	fmt.Sscanf(b.Date, "%d", &y)
	return y
}

// yearBirth returns a birth in year y, estimated (1 January) pct% of the
// time.
func yearBirth(r *rand.Rand, y, pct int) custody.BirthDate {
	if r.IntN(100) < pct {
		return custody.BirthDate{Date: fmt.Sprintf("%04d-01-01", y), Estimated: true}
	}
	d := date(y, time.January, 1).AddDate(0, 0, r.IntN(365))
	return custody.BirthDate{Date: d.Format(time.DateOnly)}
}

// under12Birth returns the birth of a child under 12 on censusDay, born at
// least a month before its admission at.
func under12Birth(r *rand.Rand, at time.Time) custody.BirthDate {
	lo, hi := date(2014, time.February, 1), at.AddDate(0, -1, 0)
	d := lo.AddDate(0, 0, r.IntN(int(hi.Sub(lo).Hours()/24)))
	if d.Year() >= 2015 && r.IntN(100) < 25 {
		return custody.BirthDate{Date: fmt.Sprintf("%04d-01-01", d.Year()), Estimated: true}
	}
	return custody.BirthDate{Date: d.Format(time.DateOnly)}
}

// adolescentBirth returns the birth of a child of 12 to 17 on censusDay.
func adolescentBirth(r *rand.Rand) custody.BirthDate {
	lo, hi := date(2008, time.February, 1), date(2013, time.December, 31)
	d := lo.AddDate(0, 0, r.IntN(int(hi.Sub(lo).Hours()/24)))
	if d.Year() >= 2009 && r.IntN(100) < 35 {
		return custody.BirthDate{Date: fmt.Sprintf("%04d-01-01", d.Year()), Estimated: true}
	}
	return custody.BirthDate{Date: d.Format(time.DateOnly)}
}

// womanTier assesses a few women, more in the foreigners' annex and Roj.
func womanTier(r *rand.Rand, fac int) int {
	pct := 8
	if fac == fAnnex || fac == fRoj {
		pct = 25
	}
	if r.IntN(100) >= pct {
		return 0
	}
	switch x := r.IntN(100); {
	case x < 3:
		return 1
	case x < 60:
		return 2
	}
	return 3
}

// documents draws the identity documents a person holds or held, and the
// card the facility issued.
func documents(r *rand.Rand, u *unit, country string, adult bool) []custody.Document {
	var ds []custody.Document
	pct := 10
	if adult {
		pct = 35
	}
	if r.IntN(100) < pct {
		switch country {
		case "SY":
			if r.IntN(2) == 0 {
				ds = append(ds, custody.Document{Kind: "national-id", Number: fmt.Sprintf("%011d", r.Int64N(1e11)), Country: "SY"})
			} else {
				ds = append(ds, custody.Document{Kind: "family-book", Number: fmt.Sprintf("%s/%d", syRegistries[r.IntN(len(syRegistries))], 100+r.IntN(9900)), Country: "SY"})
			}
		case "IQ":
			ds = append(ds, custody.Document{Kind: "national-id", Number: fmt.Sprintf("%012d", r.Int64N(1e12)), Country: "IQ"})
		default:
			ds = append(ds, custody.Document{Kind: "passport", Number: fmt.Sprintf("%c%c%07d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(1e7)), Country: country})
		}
	}
	if r.IntN(100) < 70 {
		kind := "camp-card"
		if u.kind == kMan || (u.kind == kDup && facilities[u.fac].men > 0) {
			kind = "detention-card"
		}
		ds = append(ds, custody.Document{Kind: kind, Number: fmt.Sprintf("%s-%05d", facilityCode(int(u.fac)), r.IntN(100000))})
	}
	return ds
}

// facilityCode is the prefix of a facility's cards: GWE, ALH...
func facilityCode(i int) string {
	var b []byte
	for _, c := range facilities[i].f.ID {
		if c >= 'a' && c <= 'z' && len(b) < 3 {
			b = append(b, byte(c-'a'+'A'))
		}
	}
	return string(b)
}

// syRegistries are civil registries that keep Syrian family books.
var syRegistries = []string{"Deir ez-Zor", "al-Mayadin", "al-Bukamal", "Raqqa", "Tabqa", "Hasakah", "al-Shaddadi", "Aleppo", "Manbij", "Homs", "Idlib"}

// medical returns a note pct% of the time.
func medical(r *rand.Rand, notes []string, pct int) string {
	if r.IntN(100) >= pct {
		return ""
	}
	return notes[r.IntN(len(notes))]
}

var adultNotes = []string{
	"insulin-dependent diabetes", "amputee (left leg below the knee)", "tuberculosis, under treatment",
	"shrapnel wounds, chronic pain", "hypertension", "epilepsy, on medication", "hepatitis B",
	"partial loss of sight", "paraplegic, uses a wheelchair", "post-operative care (abdominal wound)",
}

var womenNotes = []string{"pregnant", "anaemia", "hypertension", "insulin-dependent diabetes", "tuberculosis, under treatment", "post-natal care"}

var childNotes = []string{"malnutrition", "asthma", "burns scarring (hands)", "hearing impairment", "congenital heart condition", "leishmaniasis, treated"}

// inform draws the person to inform (35% of adults): a relative at home.
func inform(r *rand.Rand, g group, region string, nat uint8, father part, own []part) *custody.Contact {
	if r.IntN(100) >= 35 {
		return nil
	}
	n := &nations[nat]
	c := &custody.Contact{}
	family := own[len(own)-1]
	switch x := r.IntN(4); {
	case x == 0 && traditions[g].threePart:
		c.Name, c.Relationship = spell(r, father, family), "father"
	case x == 1:
		c.Name, c.Relationship = motherName(r, g, region), "mother"
	case x == 2:
		c.Name, c.Relationship = spell(r, givenName(r, g, true), family), "sister"
	default:
		c.Name, c.Relationship = spell(r, givenName(r, g, false), family), "brother"
	}
	c.Address = n.name
	if len(n.towns) > 0 {
		c.Address = n.towns[r.IntN(len(n.towns))] + ", " + n.name
	}
	// Synthetic numbers in a 555 01xx block, as fiction uses.
	c.Phone = fmt.Sprintf("+%s 555 01%02d %03d", n.phone, r.IntN(100), r.IntN(1000))
	return c
}
