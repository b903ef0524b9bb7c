package scenario

import (
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	custody "github.com/opencustody/custody"
)

// nameEntry is one name: its standard Arabic spelling and its common Latin
// transliterations, the most standard first. mg is the Maghreb
// (French-influenced) spelling where it differs.
type nameEntry struct {
	ar  string
	lat []string
	mg  string
}

// ls lists Latin spellings; it keeps the tables short.
func ls(s ...string) []string { return s }

// nisbaEntry is a family name or nisba written with the Arabic article ال.
// Its Latin forms are derived from the stems by articleForms.
type nisbaEntry struct {
	ar    string   // with the article: الشمري
	stems []string // transliterations without the article: Shammari, Shamari
}

// part is one component of a name as written: its Arabic form and the Latin
// spellings it is found under.
type part struct {
	ar  string
	lat []string
}

// part returns the entry as a name component, the Maghreb spelling first
// for a Maghreb name.
func (e nameEntry) part(maghreb bool) part {
	if !maghreb || e.mg == "" {
		return part{e.ar, e.lat}
	}
	lat := []string{e.mg}
	for _, s := range e.lat {
		if s != e.mg {
			lat = append(lat, s)
		}
	}
	return part{e.ar, lat}
}

// part returns the nisba as a name component with every article form.
func (e nisbaEntry) part() part { return part{e.ar, articleForms(e.ar, e.stems)} }

// sunArticle is how the article ال is pronounced, and so often written,
// before each sun letter: al-Shammari is also ash-Shammari.
var sunArticle = map[rune]string{
	'ت': "at", 'ث': "ath", 'د': "ad", 'ذ': "adh", 'ر': "ar", 'ز': "az", 'س': "as",
	'ش': "ash", 'ص': "as", 'ض': "ad", 'ط': "at", 'ظ': "az", 'ل': "al", 'ن': "an",
}

// articleForms returns the Latin spellings of a name written with the
// article: al-Stem first, then ash-Stem (before a sun letter), Al-Stem,
// el-Stem, Al Stem and Alstem, for each stem.
func articleForms(ar string, stems []string) []string {
	assimilated := ""
	if rest, ok := strings.CutPrefix(ar, "ال"); ok {
		c, _ := utf8.DecodeRuneInString(rest)
		if p := sunArticle[c]; p != "" && p != "al" {
			assimilated = p
		}
	}
	var out []string
	for _, s := range stems {
		out = append(out, "al-"+s)
	}
	for _, s := range stems {
		if assimilated != "" {
			out = append(out, assimilated+"-"+s)
		}
		out = append(out, "Al-"+s, "el-"+s, "Al "+s, "Al"+strings.ToLower(s))
	}
	return out
}

// feminise returns the feminine form of a Central Asian or Caucasian
// surname: Nurmatov, Nurmatova; نورماتوف, نورماتوفا.
func feminise(p part) part {
	lat := make([]string, len(p.lat))
	for i, s := range p.lat {
		lat[i] = s + "a"
	}
	return part{p.ar + "ا", lat}
}

// group is a naming tradition: which tables a person's names come from and
// how they are put together.
type group uint8

// Naming groups.
const (
	gArab group = iota
	gMaghreb
	gKurd
	gCentralAsia
	gCaucasus
	gTurkish
	gSouthAsia
	gSEAsia
	gNordic
	gFrench
	gBritish
	gGerman
	gDutch
	gSouthEU
	gBalkan
)

// tradition holds a group's tables.
type tradition struct {
	male, female, family []nameEntry
	arabShare            float64 // share of given names taken from the Arabic tables
	threePart            bool    // given, father, family (Arabic style); else given, family
	feminine             bool    // surnames take a feminine form
}

var traditions = [...]tradition{
	gArab:        {male: arabMale, female: arabFemale, threePart: true},
	gMaghreb:     {male: arabMale, female: arabFemale, family: maghrebFamily, threePart: true},
	gKurd:        {male: kurdMale, female: kurdFemale, family: kurdFamily, arabShare: 0.45, threePart: true},
	gCentralAsia: {male: centralAsianMale, female: centralAsianFemale, family: centralAsianFamily, arabShare: 0.2, feminine: true},
	gCaucasus:    {male: caucasusMale, female: caucasusFemale, family: caucasusFamily, arabShare: 0.2, feminine: true},
	gTurkish:     {male: turkishMale, female: turkishFemale, family: turkishFamily},
	gSouthAsia:   {male: arabMale, female: arabFemale, family: southAsianFamily, threePart: true},
	gSEAsia:      {male: seAsianMale, female: seAsianFemale, family: seAsianFamily, arabShare: 0.4},
	gNordic:      {male: nordicMale, female: nordicFemale, family: nordicFamily},
	gFrench:      {male: frenchMale, female: frenchFemale, family: frenchFamily},
	gBritish:     {male: britishMale, female: britishFemale, family: britishFamily},
	gGerman:      {male: germanMale, female: germanFemale, family: germanFamily},
	gDutch:       {male: dutchMale, female: dutchFemale, family: dutchFamily},
	gSouthEU:     {male: southEuropeanMale, female: southEuropeanFemale, family: southEuropeanFamily},
	gBalkan:      {male: balkanMale, female: balkanFemale, family: balkanFamily, arabShare: 0.2},
}

func pickEntry(r *rand.Rand, t []nameEntry) nameEntry { return t[r.IntN(len(t))] }

// givenName draws a given name of the group.
func givenName(r *rand.Rand, g group, female bool) part {
	t := &traditions[g]
	list := t.male
	if female {
		list = t.female
	}
	if t.arabShare > 0 && r.Float64() < t.arabShare {
		list = arabMale
		if female {
			list = arabFemale
		}
	}
	return pickEntry(r, list).part(g == gMaghreb)
}

// familyName draws the last component of a name: a family name or nisba,
// or for Arabic names without one, the grandfather's given name. region
// selects the Arabic nisba table.
func familyName(r *rand.Rand, g group, region string, female bool) part {
	switch g {
	case gArab:
		if t := arabNisba[region]; len(t) > 0 && r.IntN(4) > 0 {
			return t[r.IntN(len(t))].part()
		}
		return givenName(r, gArab, false)
	case gKurd:
		switch x := r.IntN(20); {
		case x < 11:
			return pickEntry(r, kurdFamily).part(false)
		case x < 14:
			t := arabNisba["sy"]
			return t[r.IntN(len(t))].part()
		}
		return givenName(r, gKurd, false)
	}
	t := &traditions[g]
	p := pickEntry(r, t.family).part(false)
	if female && t.feminine {
		p = feminise(p)
	}
	return p
}

// spell writes a name out: its Arabic form, and one to three Latin
// spellings of it as different registers and documents would give it.
func spell(r *rand.Rand, parts ...part) custody.Name {
	ar := make([]string, len(parts))
	for i, p := range parts {
		ar[i] = p.ar
	}
	n := custody.Name{Arabic: strings.Join(ar, " ")}
	add := func(s string) {
		if !slices.Contains(n.Latin, s) {
			n.Latin = append(n.Latin, s)
		}
	}
	add(pickSpelling(r, parts))
	if r.IntN(3) > 0 {
		add(pickSpelling(r, parts))
	}
	if r.IntN(2) == 0 {
		add(standardSpelling(parts))
	}
	return n
}

// pickSpelling chooses a spelling for each part, the standard one a little
// under half the time.
func pickSpelling(r *rand.Rand, parts []part) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(' ')
		}
		if r.IntN(100) < 45 {
			b.WriteString(p.lat[0])
		} else {
			b.WriteString(p.lat[r.IntN(len(p.lat))])
		}
	}
	return b.String()
}

func standardSpelling(parts []part) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = p.lat[0]
	}
	return strings.Join(s, " ")
}

// respell writes the same name as a second registration would: other Latin
// spellings (the first always differs from was), and sometimes the Arabic
// written without hamzas and with ه for ة, as hurried registers do.
func respell(r *rand.Rand, was custody.Name, parts []part) custody.Name {
	n := spell(r, parts...)
	for try := 0; try < 8 && n.Latin[0] == was.Latin[0]; try++ {
		n = spell(r, parts...)
	}
	if n.Latin[0] == was.Latin[0] {
		n.Latin[0] = otherSpelling(was.Latin[0], parts)
	}
	n.Arabic = was.Arabic
	if r.IntN(2) == 0 {
		n.Arabic = plainArabic(was.Arabic)
	}
	return n
}

// otherSpelling returns a spelling of parts other than not, varying the
// first part that has another spelling.
func otherSpelling(not string, parts []part) string {
	for i, p := range parts {
		for _, alt := range p.lat {
			s := make([]string, len(parts))
			for j, q := range parts {
				s[j] = q.lat[0]
			}
			s[i] = alt
			if c := strings.Join(s, " "); c != not {
				return c
			}
		}
	}
	return strings.ToUpper(not) // a name with one spelling only: as typed in capitals
}

var plainArabicReplacer = strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا", "ة", "ه", "ى", "ي")

// plainArabic writes Arabic the way hurried registers do: alif without
// hamza, ه for ة, ي for ى.
func plainArabic(s string) string { return plainArabicReplacer.Replace(s) }

// kunya returns "Abu <son>" ("Umm <son>" for a woman), with the person's
// nationality nisba as foreign fighters' noms de guerre have it, if nisba
// is given: أبو حمزة التونسي, Abu Hamza al-Tunisi.
func kunya(r *rand.Rand, female bool, nisba *nisbaEntry) custody.Alias {
	son := pickEntry(r, kunyaSons)
	pre, lat := "أبو ", []string{"Abu ", "Abou ", "Abo "}
	if female {
		pre, lat = "أم ", []string{"Umm ", "Um ", "Oum "}
	}
	k := part{ar: pre + son.ar}
	for i, l := range lat {
		for j, s := range son.lat {
			if i == 0 || j == 0 {
				k.lat = append(k.lat, l+s)
			}
		}
	}
	parts := []part{k}
	if nisba != nil {
		parts = append(parts, nisba.part())
	}
	return custody.Alias{Kind: custody.AliasKunya, Name: spell(r, parts...)}
}

// kunyaSons are the names a kunya is made of: any Arabic given name that is
// not itself a kunya (Abu Bakr).
var kunyaSons = slices.DeleteFunc(slices.Clone(arabMale), func(e nameEntry) bool {
	return strings.HasPrefix(e.ar, "أبو ")
})

// laqabs are epithets some senior members are known by.
var laqabs = []nisbaEntry{
	{ar: "الأمني", stems: ls("Amni")},
	{ar: "الشرعي", stems: ls("Shar'i", "Sharai")},
	{ar: "المهاجر", stems: ls("Muhajir", "Mouhajer")},
	{ar: "الأنصاري", stems: ls("Ansari")},
	{ar: "القناص", stems: ls("Qannas", "Ganas")},
	{ar: "الإداري", stems: ls("Idari")},
}
