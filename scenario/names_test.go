package scenario

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	custody "github.com/opencustody/custody"
)

// TestNameTables checks every entry of the name tables: an Arabic form, Latin
// spellings without Arabic and without repeats, and at least two spellings
// for the given names of traditions that are transliterated.
func TestNameTables(t *testing.T) {
	tables := []struct {
		name    string
		entries []nameEntry
		minLat  int
	}{
		{"arabMale", arabMale, 2}, {"arabFemale", arabFemale, 2}, {"maghrebFamily", maghrebFamily, 2},
		{"kurdMale", kurdMale, 2}, {"kurdFemale", kurdFemale, 2}, {"kurdFamily", kurdFamily, 2},
		{"centralAsianMale", centralAsianMale, 2}, {"centralAsianFemale", centralAsianFemale, 2},
		{"centralAsianFamily", centralAsianFamily, 2}, {"caucasusMale", caucasusMale, 2},
		{"caucasusFemale", caucasusFemale, 2}, {"caucasusFamily", caucasusFamily, 2},
		{"turkishMale", turkishMale, 1}, {"turkishFemale", turkishFemale, 1}, {"turkishFamily", turkishFamily, 1},
		{"southAsianFamily", southAsianFamily, 1}, {"seAsianMale", seAsianMale, 1},
		{"seAsianFemale", seAsianFemale, 1}, {"seAsianFamily", seAsianFamily, 1},
		{"nordicMale", nordicMale, 1}, {"nordicFemale", nordicFemale, 1}, {"nordicFamily", nordicFamily, 1},
		{"frenchMale", frenchMale, 1}, {"frenchFemale", frenchFemale, 1}, {"frenchFamily", frenchFamily, 1},
		{"britishMale", britishMale, 1}, {"britishFemale", britishFemale, 1}, {"britishFamily", britishFamily, 1},
		{"germanMale", germanMale, 1}, {"germanFemale", germanFemale, 1}, {"germanFamily", germanFamily, 1},
		{"dutchMale", dutchMale, 1}, {"dutchFemale", dutchFemale, 1}, {"dutchFamily", dutchFamily, 1},
		{"southEuropeanMale", southEuropeanMale, 1}, {"southEuropeanFemale", southEuropeanFemale, 1},
		{"southEuropeanFamily", southEuropeanFamily, 1}, {"balkanMale", balkanMale, 1},
		{"balkanFemale", balkanFemale, 1}, {"balkanFamily", balkanFamily, 1},
	}
	for _, tb := range tables {
		seen := map[string]bool{}
		for _, e := range tb.entries {
			if !hasArabic(e.ar) || strings.TrimSpace(e.ar) != e.ar {
				t.Errorf("%s: Arabic form %q", tb.name, e.ar)
			}
			if seen[e.ar] {
				t.Errorf("%s: %q twice", tb.name, e.ar)
			}
			seen[e.ar] = true
			if len(e.lat) < tb.minLat {
				t.Errorf("%s: %s has %d Latin spellings, want at least %d", tb.name, e.ar, len(e.lat), tb.minLat)
			}
			for i, l := range append(slices.Clone(e.lat), e.mg) {
				if l == "" && i == len(e.lat) {
					continue // no Maghreb spelling
				}
				if l == "" || hasArabic(l) || (i < len(e.lat) && slices.Index(e.lat, l) != i) {
					t.Errorf("%s: %s: Latin spelling %q empty, Arabic or repeated", tb.name, e.ar, l)
				}
			}
		}
	}
	for region, list := range arabNisba {
		for _, e := range list {
			if !strings.HasPrefix(e.ar, "ال") || len(e.stems) == 0 {
				t.Errorf("nisba %s: %q %v", region, e.ar, e.stems)
			}
		}
	}
	for _, n := range nations {
		if !strings.HasPrefix(n.nisba.ar, "ال") || len(n.nisba.stems) == 0 {
			t.Errorf("nation %s: nisba %q %v", n.code, n.nisba.ar, n.nisba.stems)
		}
	}
}

func TestArticleForms(t *testing.T) {
	tests := []struct {
		ar, stem string
		want     []string
		not      []string
	}{
		{"الشمري", "Shammari", ls("al-Shammari", "ash-Shammari", "Al-Shammari", "el-Shammari", "Alshammari"), nil},
		{"الدليمي", "Dulaimi", ls("al-Dulaimi", "ad-Dulaimi", "Aldulaimi"), nil},
		{"النعيمي", "Nuaimi", ls("an-Nuaimi"), nil},
		{"الرقاوي", "Raqqawi", ls("ar-Raqqawi"), nil},
		{"العاني", "Ani", ls("al-Ani", "Al Ani", "Alani"), ls("aa-Ani")},
		{"الجبوري", "Jubouri", ls("al-Jubouri", "el-Jubouri"), ls("aj-Jubouri")},
		{"اللبناني", "Lubnani", ls("al-Lubnani"), nil},
	}
	for _, tt := range tests {
		got := articleForms(tt.ar, []string{tt.stem})
		if got[0] != "al-"+tt.stem {
			t.Errorf("%s: first form %q, want al-%s", tt.ar, got[0], tt.stem)
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: forms %v lack %q", tt.ar, got, w)
			}
		}
		for _, n := range tt.not {
			if slices.Contains(got, n) {
				t.Errorf("%s: forms %v have %q", tt.ar, got, n)
			}
		}
		if len(got) != len(slices.Compact(slices.Clone(got))) {
			t.Errorf("%s: repeated forms %v", tt.ar, got)
		}
	}
}

func TestKunya(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tun := &nations[nationIndex("TN")].nisba
	for range 200 {
		k := kunya(r, false, tun)
		if k.Kind != custody.AliasKunya || !strings.HasPrefix(k.Name.Arabic, "أبو ") || !strings.HasSuffix(k.Name.Arabic, " التونسي") {
			t.Fatalf("kunya %+v", k)
		}
		for _, l := range k.Name.Latin {
			if !strings.HasPrefix(l, "Abu ") && !strings.HasPrefix(l, "Abou ") && !strings.HasPrefix(l, "Abo ") {
				t.Fatalf("kunya spelling %q", l)
			}
		}
		if w := kunya(r, true, nil); !strings.HasPrefix(w.Name.Arabic, "أم ") || strings.HasPrefix(w.Name.Arabic, "أم أبو") {
			t.Fatalf("woman's kunya %+v", w)
		}
	}
}

// TestRespell checks that a second registration always spells the name
// otherwise, whatever the tradition.
func TestRespell(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for g := range group(len(traditions)) {
		for range 300 {
			parts := nameParts(g, givenName(r, g, false), givenName(r, g, false), familyName(r, g, "iq", false))
			was := spell(r, parts...)
			now := respell(r, was, parts)
			if now.Latin[0] == was.Latin[0] || !hasArabic(now.Arabic) {
				t.Fatalf("group %d: %+v respelt %+v", g, was, now)
			}
		}
	}
	if got := plainArabic("أسامة إبراهيم موسى"); got != "اسامه ابراهيم موسي" {
		t.Errorf("plainArabic: %q", got)
	}
}

func TestFacilitiesAndNations(t *testing.T) {
	for i, want := range map[int]custody.FacilityID{fGweiran: "gweiran", fAqtan: "al-aqtan", fShaddadeh: "shaddadeh",
		fAlHol: "al-hol", fAnnex: "al-hol-annex", fRoj: "roj", fHospital: "hasakah-hospital", fFirstDest: "iq-moj-baghdad"} {
		if facilities[i].f.ID != want {
			t.Errorf("facility %d is %s, want %s", i, facilities[i].f.ID, want)
		}
	}
	ids := map[custody.FacilityID]bool{}
	for i, fs := range facilities {
		f := fs.f
		if err := f.Validate(); err != nil || ids[f.ID] {
			t.Errorf("facility %s: %v (repeated %v)", f.ID, err, ids[f.ID])
		}
		ids[f.ID] = true
		nes := i < nesFacilities
		if nes != (f.Place.Country == "SY" && f.Controller == sdf) || !nes != (f.Kind == custody.Destination && f.Controller == iraqMoJ) {
			t.Errorf("facility %s: %s in %s controlled by %s", f.ID, f.Kind, f.Place.Country, f.Controller)
		}
		if held := fs.men + fs.sy + fs.iq + fs.foreign; held > f.Capacity {
			t.Errorf("facility %s holds %d, capacity %d", f.ID, held, f.Capacity)
		}
	}
	codes := map[string]bool{}
	for _, n := range nations {
		if len(n.code) != 2 || strings.ToUpper(n.code) != n.code || codes[n.code] {
			t.Errorf("nation code %q", n.code)
		}
		codes[n.code] = true
	}
	sum := 0
	for _, n := range menByNation() {
		sum += n
	}
	if sum != totalMen || menByNation()[natSY] < 3000 {
		t.Errorf("men by nation sum to %d (Syrians %d)", sum, menByNation()[natSY])
	}
	for _, a := range authorities {
		if err := a.Validate(); err != nil {
			t.Errorf("authority %s: %v", a.ID, err)
		}
	}
}
