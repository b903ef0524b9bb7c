package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// runesOf spells a string as code points, for failure messages.
func runesOf(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	return b.String()
}

func rs(rr ...rune) string { return string(rr) }

func TestVisual(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Latin unchanged", "Mohammed bin Abdullah al-Husseini", "Mohammed bin Abdullah al-Husseini"},
		{"Latin with accents unchanged", "Şêx Ehmed Çelebî", "Şêx Ehmed Çelebî"},
		{"empty", "", ""},
		// محمد: meem initial, hah medial, meem medial, dal final; drawn right to left.
		{"one word", "محمد", rs(0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3)},
		// علي: ain initial, lam medial, yeh final.
		{"ali", "علي", rs(0xFEF2, 0xFEE0, 0xFECB)},
		// Right-joining letters break the word: أحمد = alef-hamza isolated, hah initial, meem medial, dal final.
		{"right-joining alef", "أحمد", rs(0xFEAA, 0xFEE4, 0xFEA3, 0xFE83)},
		// Words reversed as a whole: "أحمد علي".
		{"two words", "أحمد علي", rs(0xFEF2, 0xFEE0, 0xFECB, ' ', 0xFEAA, 0xFEE4, 0xFEA3, 0xFE83)},
		// لا alone: the isolated lam-alef ligature.
		{"lam-alef", "لا", rs(0xFEFB)},
		// سلام: seen initial, lam-alef final ligature, meem isolated (after a right-joiner).
		{"lam-alef final", "سلام", rs(0xFEE1, 0xFEFC, 0xFEB3)},
		// إله: alef-hamza-below isolated, lam initial, heh final.
		{"ilah", "إله", rs(0xFEEA, 0xFEDF, 0xFE87)},
		// الله: alef, lam initial, lam medial, heh final.
		{"allah", "الله", rs(0xFEEA, 0xFEE0, 0xFEDF, 0xFE8D)},
		// Teh marbuta final and hamza (non-joining): فاطمة الزهراء.
		{"fatima", "فاطمة الزهراء", rs(0xFE80, 0xFE8D, 0xFEAE, 0xFEEB, 0xFEB0, 0xFEDF, 0xFE8D, ' ', 0xFE94, 0xFEE4, 0xFEC3, 0xFE8E, 0xFED3)},
		// Decomposed alef + hamza above is composed first (NFC).
		{"NFC", "\u0627\u0654حمد", rs(0xFEAA, 0xFEE4, 0xFEA3, 0xFE83)},
		// ZWNJ breaks the join and is dropped; tatweel joins both sides.
		{"ZWNJ", "ب\u200cب", rs(0xFE8F, 0xFE8F)},
		{"tatweel", "بـب", rs(0xFE90, 0x0640, 0xFE91)},
		// A mark stays after its letter: مُحمد (damma on meem).
		{"mark", "مُحمد", rs(0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3, 0x064F)},
		// Digits keep their order; the number stands left of an RTL name.
		{"digits in RTL", "علي 12", rs('1', '2', ' ', 0xFEF2, 0xFEE0, 0xFECB)},
		{"Arabic-Indic digits", "علي ١٢", rs(0x0661, 0x0662, ' ', 0xFEF2, 0xFEE0, 0xFECB)},
		// Brackets are mirrored in right-to-left text.
		{"brackets", "(علي)", rs('(', 0xFEF2, 0xFEE0, 0xFECB, ')')},
		// A Latin run inside RTL text keeps its order.
		{"Latin in RTL", "علي (Abu Omar)", rs('(', 'A', 'b', 'u', ' ', 'O', 'm', 'a', 'r', ')', ' ', 0xFEF2, 0xFEE0, 0xFECB)},
		// An LTR line with an Arabic word: the word alone is reversed.
		{"Arabic in LTR", "Name: علي", "Name: " + rs(0xFEF2, 0xFEE0, 0xFECB)},
		// Persian/Kurdish letters: پ and گ.
		{"peh gaf", "پگ", rs(0xFB93, 0xFB58)},
		{"newline to space", "علي\nعمر", rs(0xFEAE, 0xFEE4, 0xFECB, ' ', 0xFEF2, 0xFEE0, 0xFECB)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := visual(tt.in)
			if got != tt.want {
				t.Errorf("visual(%q)\n got  %s\n want %s", tt.in, runesOf(got), runesOf(tt.want))
			}
		})
	}
}

// Joining check, independent of the shaper's own tables' use: text in
// logical order (as pdftotext prints it) made of presentation forms, checked
// letter by letter against its neighbours.

type formInfo struct {
	base rune // the letter (for lam-alef: lam)
	form int  // formIsolated…formMedial
	lig  bool // a lam-alef ligature
}

var formTable = func() map[rune]formInfo {
	m := map[rune]formInfo{}
	for base, f := range arabicForms {
		for form, r := range f {
			if r != 0 {
				m[r] = formInfo{base: base, form: form}
			}
		}
	}
	for _, lig := range lamAlef {
		m[lig[0]] = formInfo{base: lam, form: formIsolated, lig: true}
		m[lig[1]] = formInfo{base: lam, form: formFinal, lig: true}
	}
	return m
}()

// joinErrors returns what is wrong with the joining of s, text in logical
// order: a letter left in its nominal (unshaped) form, a letter whose form
// says it joins a neighbour it cannot join or does not join one it should,
// lam followed by alef not made into the ligature.
func joinErrors(s string) []string {
	var errs []string
	type letter struct {
		r    rune
		info formInfo
		ok   bool
	}
	var prev *letter
	for i, r := range []rune(s) {
		if isArabicMark(r) {
			continue
		}
		if _, nominal := arabicForms[r]; nominal {
			errs = append(errs, fmt.Sprintf("rune %d: U+%04X is not shaped", i, r))
		}
		info, ok := formTable[r]
		cur := &letter{r: r, info: info, ok: ok}
		if r == tatweel {
			cur.ok, cur.info = true, formInfo{base: tatweel, form: formMedial}
		}
		// Whether prev and cur should join, and whether their forms say so.
		canNext := prev != nil && prev.ok && !prev.info.lig && (prev.info.base == tatweel || joiningType(prev.info.base) == joinDual)
		canPrev := cur.ok && (cur.info.base == tatweel || cur.info.lig || joiningType(cur.info.base) == joinDual || joiningType(cur.info.base) == joinRight)
		want := canNext && canPrev
		if prev != nil && prev.ok {
			prevJoins := prev.info.form == formInitial || prev.info.form == formMedial
			if prevJoins != want {
				errs = append(errs, fmt.Sprintf("rune %d: U+%04X joins the next letter: %v, should: %v", i-1, prev.r, prevJoins, want))
			}
			if prev.info.base == lam && !prev.info.lig && cur.ok && !cur.info.lig {
				if _, alef := lamAlef[cur.info.base]; alef {
					errs = append(errs, fmt.Sprintf("rune %d: lam followed by alef is not the lam-alef ligature", i-1))
				}
			}
		}
		if cur.ok {
			curJoins := cur.info.form == formFinal || cur.info.form == formMedial
			if curJoins != want {
				errs = append(errs, fmt.Sprintf("rune %d: U+%04X joins the previous letter: %v, should: %v", i, r, curJoins, want))
			}
		}
		prev = cur
	}
	if prev != nil && prev.ok && prev.info.base != tatweel && (prev.info.form == formInitial || prev.info.form == formMedial) {
		errs = append(errs, fmt.Sprintf("last letter U+%04X joins a next letter that is not there", prev.r))
	}
	return errs
}

// shapedLogical is the shaper's output before reordering.
func shapedLogical(s string) string {
	out, _ := shapeArabic([]rune(prepareLine(s)))
	return string(out)
}

var testNames = []string{
	"محمد بن عبد الله الحسيني", "أحمد علي", "فاطمة الزهراء", "عبد الرحمن", "سلام", "إبراهيم خليل",
	"مصطفى الكردي", "عائشة", "يوسف بن حسن الجبوري", "خالد الدليمي", "لؤي", "لأمير", "هيفاء", "ليلى",
	"زينب الشمري", "عمر التميمي", "مُحَمَّد", "بـبـب", "ى", "ئ", "ءا", "لآلئ", "پدر", "گل",
}

func TestShapedNamesJoinCorrectly(t *testing.T) {
	for _, n := range testNames {
		got := shapedLogical(n)
		if errs := joinErrors(got); len(errs) > 0 {
			t.Errorf("%q shaped as %s: %v", n, runesOf(got), errs)
		}
		if norm.NFKC.String(got) != norm.NFKC.String(n) {
			t.Errorf("%q shaped as %s: NFKC gives %q back", n, runesOf(got), norm.NFKC.String(got))
		}
	}
}

// The checker must catch wrong shaping, or the tests that rely on it could
// not fail.
func TestJoinErrorsDetectsWrongShaping(t *testing.T) {
	isolated := func(s string) string {
		var out []rune
		for _, r := range s {
			if f, ok := arabicForms[r]; ok {
				r = f[formIsolated]
			}
			out = append(out, r)
		}
		return string(out)
	}
	bad := map[string]string{
		"unshaped letters":             "محمد",
		"isolated forms":               isolated("محمد"),
		"isolated forms, long name":    isolated("محمد بن عبد الله الحسيني"),
		"reversed (visual order)":      visual("محمد"),
		"lam alef not ligated":         rs(0xFEDF, 0xFE8E),
		"final form at word start":     rs(0xFEAA, ' ', 0xFEE3, 0xFEAA),
		"initial form at word end":     rs(0xFEE3, 0xFEA4, 0xFEE4, 0xFEE3),
		"medial after right-joiner":    rs(0xFE8D, 0xFE92, 0xFEAA),
		"initial where medial belongs": rs(0xFEE3, 0xFEA3, 0xFEE4, 0xFEAA),
	}
	for name, s := range bad {
		if errs := joinErrors(s); len(errs) == 0 {
			t.Errorf("%s: %s passed the joining check", name, runesOf(s))
		}
	}
	good := []string{shapedLogical("محمد"), rs(0xFEE3, 0xFEA4, 0xFEE4, 0xFEAA), rs(0xFEFB), "Latin text 12", ""}
	for _, s := range good {
		if errs := joinErrors(s); len(errs) > 0 {
			t.Errorf("%s failed the joining check: %v", runesOf(s), errs)
		}
	}
}

// mirrorFold maps a bracket and its mirror to one rune.
func mirrorFold(r rune) rune {
	if m, ok := mirrors[r]; ok && m < r {
		return m
	}
	return r
}

func runeMultiset(s string) []rune {
	var out []rune
	for _, r := range norm.NFKD.String(s) {
		if isFormatControl(r) {
			continue
		}
		out = append(out, mirrorFold(r))
	}
	slices.Sort(out)
	return out
}

func FuzzVisual(f *testing.F) {
	for _, n := range testNames {
		f.Add(n)
	}
	for _, s := range []string{"", "abc", "(علي) 12 Abu", "ل", "لا", "\u200dب\u200d", "\u202eمحمد\u202c", "ُ", "a\u0301ب", "\xff\xfeب", "ﻻ", "1(2)3 ا"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := visual(s) // must not panic
		if !utf8.ValidString(got) {
			t.Fatalf("visual(%q) is not valid UTF-8", s)
		}
		if !utf8.ValidString(s) {
			return
		}
		prepared := []rune(prepareLine(s))
		controls := 0
		for _, r := range prepared {
			if isFormatControl(r) {
				controls++
			}
		}
		shaped, ligatures := shapeArabic(prepared)
		if len(shaped) != len(prepared)-controls-ligatures {
			t.Fatalf("shaping %q: %d runes in, %d format controls, %d ligatures, %d runes out", s, len(prepared), controls, ligatures, len(shaped))
		}
		ordered := visualOrder(shaped)
		if len(ordered) != len(shaped) {
			t.Fatalf("reordering %q changed the rune count: %d → %d", s, len(shaped), len(ordered))
		}
		if needsShaping(string(prepared)) && got != string(ordered) {
			t.Fatalf("visual(%q) = %s, shape+reorder gives %s", s, runesOf(got), runesOf(string(ordered)))
		}
		// Nothing lost or invented: the same letters up to compatibility
		// decomposition (presentation forms → letters), order and mirroring.
		if a, b := runeMultiset(string(prepared)), runeMultiset(got); !slices.Equal(a, b) {
			t.Fatalf("visual(%q) = %s does not hold the same characters", s, runesOf(got))
		}
	})
}
