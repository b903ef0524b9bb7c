package names

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestNormalizeArabic(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"مُحَمَّد", "محمد"},
		{"أحمد", "احمد"}, {"إبراهيم", "ابراهيم"}, {"آمنة", "امنه"}, {"ٱلله", "الله"},
		{"مؤمن", "مومن"}, {"هانئ", "هاني"}, {"سماء", "سماء"},
		{"فاطمة", "فاطمه"}, {"مصطفى", "مصطفي"}, {"مـحـمـد", "محمد"},
		{"کریم", "كريم"}, {"ھەژار", "ههزار"}, {"پرویز", "برويز"}, {"چیا", "جيا"}, {"ڤیان", "فيان"},
		{"ڕەش", "رهش"}, {"گوڵ", "گول"}, {"کۆبانی", "كوباني"}, {"ۇ", "و"},
		{"١٩٨٥ ۱۹۹۰", "1985 1990"},
		{"\u200fعلي\u200e \u200dحسن\u200c", "علي حسن"},
		{"  عبد   الرحمن  ", "عبد الرحمن"},
		{"ﷲ", "الله"}, {"ﻣﺤﻤﺪ", "محمد"},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizeLatin(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Muḥammad", "muhammad"}, {"ʿAlī", "ali"}, {"Ra'id", "raid"}, {"Saʾid", "said"}, {"Ṣāliḥ", "salih"},
		{"Müller-Lüdenscheidt", "muller ludenscheidt"}, {"O'Brien", "obrien"},
		{"al-Hasan", "hasan"}, {"el-Hassan", "hassan"}, {"Al Hassan", "hassan"}, {"Alhassan", "hassan"},
		{"ash-Shami", "shami"}, {"as-Sayyid", "sayyid"}, {"ad-Dulaimi", "dulaimi"}, {"Elsayed", "sayed"},
		{"Abu Bakr", "abu bakr"}, {"Abou Bakr", "abu bakr"}, {"Abū Bakr", "abu bakr"}, {"Abo Bakr", "abu bakr"},
		{"Muhammad ibn Salman", "muhammad bin salman"}, {"Ben Ali", "bin ali"}, {"Fatima bint Ali", "fatima bint ali"},
		{"Abd al-Rahman", "abdrahman"}, {"Abdulrahman", "abdrahman"}, {"Abdel Rahman", "abdrahman"},
		{"Abd-ul-Rahman", "abdrahman"}, {"Abdoul Rahman", "abdrahman"}, {"Abdurrahman", "abdrahman"},
		{"Abderrahmane", "abdrahmane"}, {"Abd ar-Rahman", "abdrahman"}, {"Abdelkader", "abdkader"},
		{"Abdullah", "abdullah"}, {"Abd Allah", "abdullah"}, {"Abdallah", "abdullah"}, {"Abdellah", "abdullah"},
		{"Nur al-Din", "nurdin"}, {"Nureddin", "nurdin"}, {"Nuruddin", "nurdin"}, {"Nur ad-Din", "nurdin"},
		{"Saif al-Din", "saifdin"}, {"Saifuddin", "saifdin"}, {"Izz al-Din", "izzdin"}, {"Ezzeddine", "ezzdin"},
		{"Alexander", "alexander"}, {"Ali", "ali"}, {"Elias", "elias"},
		{"Ahmed, Hassan. (Jr)", "ahmed hassan jr"},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestKeysMeet checks that the spellings of one name have one key.
func TestKeysMeet(t *testing.T) {
	for _, group := range [][]string{
		{"Abd al-Rahman", "Abdulrahman", "Abdel Rahman", "عبد الرحمن", "عبدالرحمن", "Abderrahmane", "Abdurrahman", "Abd ar-Rahman"},
		{"Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mohamad", "محمد", "مُحَمَّد"},
		{"Abu Bakr", "Abou Bakr", "Abū Bakr", "أبو بكر", "ابو بكر"},
		{"el-Hassan", "al-Hasan", "الحسن", "Hasan", "Hassan", "حسن"},
		{"Nur al-Din", "Nureddin", "Noureddine", "نور الدين"},
		{"Abdullah", "Abd Allah", "Abdallah", "عبد الله", "عبدالله"},
		{"Youssef", "Yusuf", "Yousef", "يوسف"},
		{"Omar", "Umar", "عمر"},
		{"Ibrahim", "Ebrahim", "إبراهيم"},
		{"Hamza", "Hamzah", "حمزة"},
		{"Khalid", "Khaled", "خالد"},
		{"al-Shammari", "ash-Shammari", "Alshammari", "الشمري"},
		{"Ghassan", "Gassan", "غسان"},
		{"Saif al-Din", "Saifuddin", "سيف الدين"},
		{"Ismail", "Ismael", "إسماعيل"},
	} {
		want := Key(group[0])
		for _, s := range group[1:] {
			if got := Key(s); got != want {
				t.Errorf("Key(%q) = %q, Key(%q) = %q", s, got, group[0], want)
			}
		}
	}
}

func TestScoreVariants(t *testing.T) {
	for _, c := range []struct {
		q, r string
		min  float64
	}{
		{"Mohammed", "Muhammad", 0.95}, {"Mohamed", "محمد", 0.9}, {"Muhammad", "مُحَمَّد", 0.9},
		{"Abu Bakr", "Abou Bakr", 0.99}, {"Abu Bakr", "أبو بكر", 0.9},
		{"el-Hassan", "al-Hasan", 0.95}, {"al-Hasan", "الحسن", 0.9},
		{"Abd al-Rahman", "عبد الرحمن", 0.9}, {"Abdulrahman", "Abdel Rahman", 0.99},
		{"Mohammed Ali", "Muhammad Ali Hassan al-Jabouri", Threshold},
		{"Hamza al-Shami", "Abu Hamza al-Shami", Threshold},
		{"Osman", "عثمان", Threshold}, {"Uthman", "Othman", 0.95},
		{"Youssef Hussein", "يوسف حسين", 0.9},
		{"Ahmed Hassan Ali", "Ahmed Hassan", Threshold},
		{"Muhammad bin Salman", "Mohammed Salman", Threshold},
		{"Khaled Mohamed al-Obeidi", "Khalid Muhammad Obaidi", Threshold},
	} {
		m := Score(Query{Names: []string{c.q}}, Record{ID: "r", Names: []string{c.r}})
		if m.Score < c.min {
			t.Errorf("Score(%q, %q) = %.3f, want >= %.2f; %v", c.q, c.r, m.Score, c.min, m.Reasons)
		}
		if len(m.Reasons) == 0 || m.Name != c.r || m.ID != "r" {
			t.Errorf("Score(%q, %q): match %+v", c.q, c.r, m)
		}
	}
}

func TestScoreUnrelated(t *testing.T) {
	for _, c := range [][2]string{
		{"Ahmed Hassan", "Khalid Yusuf"}, {"Ahmed Hassan", "Ahmed Yusuf"}, {"Ahmed Hassan", "Mahmoud Hassan"},
		{"Fatima Zahra", "Khadija Omar"}, {"Abu Hamza", "Abu Bakr"}, {"Abd al-Rahman", "Abd al-Aziz"},
		{"Ibrahim Khalil", "Ismail Jalil"}, {"Nur al-Din", "Salah al-Din"}, {"محمد علي", "احمد حسن"},
	} {
		m := Score(Query{Names: []string{c[0]}}, Record{ID: "r", Names: []string{c[1]}})
		if m.Score >= Threshold {
			t.Errorf("Score(%q, %q) = %.3f, want < %.2f; %v", c[0], c[1], m.Score, Threshold, m.Reasons)
		}
	}
}

func TestReasons(t *testing.T) {
	m := Score(Query{Names: []string{"Mohamed Hasan"}, BirthYear: 1990, BirthYearSlack: 2, Father: []string{"Ali"}, Nationality: "iq"},
		Record{ID: "r", Names: []string{"Muhammad Hassan Ali"}, BirthYear: 1991, Father: []string{"علي"}, Nationalities: []string{"IQ"}})
	got := map[string]string{}
	for _, r := range m.Reasons {
		got[r.Field+" "+r.Query] = r.How
		if r.String() == "" {
			t.Errorf("empty String for %+v", r)
		}
	}
	for k, how := range map[string]string{"name mohamed": "skeleton", "name hasan": "normalised", "father ali": "agree", "birth 1990": "agree", "nationality IQ": "agree"} {
		if got[k] != how {
			t.Errorf("reason %q: how %q, want %q (all: %v)", k, got[k], how, m.Reasons)
		}
	}
	if s := (Reason{Field: "name", Query: "mohamed", Found: "muhammad", How: "phonetic", Score: 0.9}).String(); !strings.Contains(s, `name "mohamed" ~ "muhammad" (phonetic`) {
		t.Errorf("String() = %q", s)
	}
}

func TestEvidence(t *testing.T) {
	base := Record{ID: "r", Names: []string{"Muhammad Hassan"}, Father: []string{"Ali"}, Mother: []string{"Fatima"}, BirthYear: 1990, Nationalities: []string{"SY"}}
	q := Query{Names: []string{"Mohamed Hasan"}}
	plain := Score(q, Record{ID: "r", Names: base.Names}).Score
	for _, c := range []struct {
		name string
		q    Query
		up   bool
	}{
		{"birth within slack", Query{BirthYear: 1992, BirthYearSlack: 3}, true},
		{"birth far off", Query{BirthYear: 1970, BirthYearSlack: 3}, false},
		{"father agrees", Query{Father: []string{"Aly"}}, true},
		{"father differs", Query{Father: []string{"Khalid"}}, false},
		{"mother agrees", Query{Mother: []string{"Fatma"}}, true},
		{"mother differs", Query{Mother: []string{"Zainab"}}, false},
		{"nationality agrees", Query{Nationality: "sy"}, true},
		{"nationality differs", Query{Nationality: "FR"}, false},
	} {
		qq := c.q
		qq.Names = q.Names
		s := Score(qq, base).Score
		if c.up && s <= plain || !c.up && s >= plain {
			t.Errorf("%s: score %.3f, without evidence %.3f", c.name, s, plain)
		}
		if s < 0 || s > 1 {
			t.Errorf("%s: score %.3f out of [0,1]", c.name, s)
		}
	}
	// The father's name in the record's name chain counts for the query's father.
	chain := Score(Query{Names: []string{"Ahmed"}, Father: []string{"Khalil"}}, Record{ID: "r", Names: []string{"Ahmad Khalil Ibrahim"}})
	alone := Score(Query{Names: []string{"Ahmed"}}, Record{ID: "r", Names: []string{"Ahmad Khalil Ibrahim"}})
	if chain.Score <= alone.Score {
		t.Errorf("father in name chain: %.3f, without: %.3f", chain.Score, alone.Score)
	}
}

func TestIndex(t *testing.T) {
	x := NewIndex()
	recs := []Record{
		{ID: "a", Names: []string{"Muhammad Hassan al-Jabouri", "محمد حسن الجبوري"}, BirthYear: 1988},
		{ID: "b", Names: []string{"Abd al-Rahman Khalil"}},
		{ID: "c", Names: []string{"Khalid Yusuf", "Abu Hamza al-Shami"}},
		{ID: "d", Names: []string{"Mohamed Hassan"}},
		{ID: "e", Names: []string{"Fatima Ali"}},
	}
	for _, r := range recs {
		x.Put(r)
	}
	if x.Len() != 5 {
		t.Fatalf("Len = %d", x.Len())
	}
	top := func(q string) string {
		ms := x.Search(Query{Names: []string{q}}, 3)
		if len(ms) == 0 {
			return ""
		}
		return ms[0].ID
	}
	for q, want := range map[string]string{
		"Mohammed Hasan Jabouri": "a", "محمد الجبوري": "a", "Abdulrahman Khalil": "b", "عبد الرحمن خليل": "b",
		"Abou Hamza": "c", "Fatma Aly": "e",
	} {
		if got := top(q); got != want {
			t.Errorf("Search(%q) best = %q, want %q", q, got, want)
		}
	}
	ms := x.Search(Query{Names: []string{"Mohamed Hassan"}}, 10)
	if len(ms) < 2 || ms[0].ID != "d" || ms[1].ID != "a" || ms[0].Score < ms[1].Score {
		t.Errorf("Search order: %+v", ms)
	}
	if ms[0].Score != Score(Query{Names: []string{"Mohamed Hassan"}}, recs[3]).Score {
		t.Errorf("Search and Score differ")
	}
	x.Put(Record{ID: "d", Names: []string{"Ibrahim Musa"}})
	if x.Len() != 5 || top("Ibrahim Moussa") != "d" {
		t.Errorf("replace: Len %d, best %q", x.Len(), top("Ibrahim Moussa"))
	}
	for _, m := range x.Search(Query{Names: []string{"Mohamed Hassan"}}, 10) {
		if m.ID == "d" {
			t.Errorf("replaced record found by its old name: %+v", m)
		}
	}
	x.Remove("a")
	x.Remove("nothing")
	if x.Len() != 4 || top("Mohammed Hasan Jabouri") == "a" {
		t.Errorf("remove: Len %d", x.Len())
	}
	if ms := x.Search(Query{}, 5); len(ms) != 0 {
		t.Errorf("empty query: %v", ms)
	}
}

// TestIndexTies checks that equal scores come in order of ID.
func TestIndexTies(t *testing.T) {
	x := NewIndex()
	for _, id := range []string{"z", "m", "a", "q"} {
		x.Put(Record{ID: id, Names: []string{"Omar Khalil"}})
	}
	ms := x.Search(Query{Names: []string{"Omar Khalil"}}, 3)
	if got := fmt.Sprint(ids(ms)); got != "[a m q]" {
		t.Errorf("ties: %s", got)
	}
}

func ids(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

// TestIndexCompact removes most records so that the index compacts.
func TestIndexCompact(t *testing.T) {
	x := NewIndex()
	for i := range 3000 {
		x.Put(Record{ID: fmt.Sprint(i), Names: []string{fmt.Sprintf("Name%d Hassan", i)}})
	}
	for i := range 2900 {
		x.Remove(fmt.Sprint(i))
	}
	if x.Len() != 100 {
		t.Fatalf("Len = %d", x.Len())
	}
	ms := x.Search(Query{Names: []string{"Name2950 Hassan"}}, 1)
	if len(ms) != 1 || ms[0].ID != "2950" {
		t.Errorf("after compaction: %+v", ms)
	}
}

func TestIndexConcurrent(t *testing.T) {
	x := NewIndex()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				x.Put(Record{ID: fmt.Sprint(w, "-", i), Names: []string{"Muhammad Ali", "محمد علي"}})
				x.Search(Query{Names: []string{"Mohamed Aly"}}, 5)
				if i%5 == 0 {
					x.Remove(fmt.Sprint(w, "-", i))
				}
			}
		}()
	}
	wg.Wait()
	if x.Len() != 4*40 {
		t.Errorf("Len = %d", x.Len())
	}
}

// TestBrothersAreNotOnePerson: brothers share the father's and family
// names, the mother and often the years of birth; a differing given name
// keeps them below Threshold whatever else agrees.
func TestBrothersAreNotOnePerson(t *testing.T) {
	for _, c := range []struct{ q, r string }{
		{"Ahmed Hassan", "Omar Hassan"},
		{"أحمد حسن", "عمر حسن"},
		{"Ahmed Hassan al-Jabouri", "Omar Hassan al-Jabouri"},
		{"Ahmad Hasan al-Jaburi", "عمر حسن الجبوري"},
	} {
		q := Query{Names: []string{c.q}, Father: []string{"Hassan"}, Mother: []string{"Fatima"}, BirthYear: 1990, BirthYearSlack: 2}
		r := Record{ID: "x", Names: []string{c.r}, Father: []string{"Hassan"}, Mother: []string{"Fatima"}, BirthYear: 1992, Nationalities: []string{"IQ"}}
		if m := Score(q, r); m.Score >= Threshold {
			t.Errorf("%q vs %q: %.3f ≥ Threshold (%v)", c.q, c.r, m.Score, m.Reasons)
		}
	}
	// The same man, spelled another way, with the same evidence, stays above.
	q := Query{Names: []string{"Ahmed Hassan al-Jabouri"}, Father: []string{"Hassan"}, Mother: []string{"Fatima"}, BirthYear: 1990, BirthYearSlack: 2}
	r := Record{ID: "x", Names: []string{"أحمد حسن الجبوري"}, Father: []string{"Hassan"}, Mother: []string{"Fatima"}, BirthYear: 1990}
	if m := Score(q, r); m.Score < Threshold {
		t.Errorf("the same man across scripts: %.3f < Threshold (%v)", m.Score, m.Reasons)
	}
}
