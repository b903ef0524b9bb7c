package report

// Arabic shaping and right-to-left ordering for one line of text.
//
// A PDF content stream draws glyphs through the font's cmap and nothing else:
// no OpenType GSUB, so no contextual letter forms, and no bidirectional
// reordering. gopdf (v0.33) does neither, and no maintained Go module that
// does is served by the module proxy, so this file does the small part that
// printing names needs:
//
//   - letters of the Arabic block (and the Persian/Kurdish letters peh, tcheh,
//     jeh, veh, keheh, gaf, farsi yeh) are replaced by their presentation forms
//     (Arabic Presentation Forms-A/B: isolated, final, initial, medial),
//     chosen by Unicode joining type; lam + alef becomes the lam-alef ligature;
//   - the line is put in visual order, a simplified Unicode bidirectional
//     algorithm for a single line with no explicit embeddings: the paragraph
//     direction comes from the first strong letter, neutrals between two runs
//     of the same direction take it and otherwise the paragraph's, right-to-left
//     runs are reversed (a base letter keeps its combining marks after it, so
//     a mark still falls on its letter), left-to-right runs (Latin, digits)
//     keep their order, and brackets are mirrored in right-to-left runs.
//
// The fonts embedded in this package (Amiri) map every presentation form used.

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// joining types (Unicode ArabicShaping.txt).
const (
	joinNone        = iota // U: does not join
	joinRight              // R: joins only to the preceding letter (alef, dal, reh, waw…)
	joinDual               // D: joins on both sides
	joinCausing            // C: tatweel, zero width joiner
	joinTransparent        // T: combining marks
)

// forms of a letter: isolated, final, initial, medial; 0 where there is none.
type forms [4]rune

const (
	formIsolated = iota
	formFinal
	formInitial
	formMedial
)

var arabicForms = map[rune]forms{
	0x0621: {0xFE80, 0, 0, 0},                // hamza
	0x0622: {0xFE81, 0xFE82, 0, 0},           // alef with madda above
	0x0623: {0xFE83, 0xFE84, 0, 0},           // alef with hamza above
	0x0624: {0xFE85, 0xFE86, 0, 0},           // waw with hamza above
	0x0625: {0xFE87, 0xFE88, 0, 0},           // alef with hamza below
	0x0626: {0xFE89, 0xFE8A, 0xFE8B, 0xFE8C}, // yeh with hamza above
	0x0627: {0xFE8D, 0xFE8E, 0, 0},           // alef
	0x0628: {0xFE8F, 0xFE90, 0xFE91, 0xFE92}, // beh
	0x0629: {0xFE93, 0xFE94, 0, 0},           // teh marbuta
	0x062A: {0xFE95, 0xFE96, 0xFE97, 0xFE98}, // teh
	0x062B: {0xFE99, 0xFE9A, 0xFE9B, 0xFE9C}, // theh
	0x062C: {0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0}, // jeem
	0x062D: {0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4}, // hah
	0x062E: {0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8}, // khah
	0x062F: {0xFEA9, 0xFEAA, 0, 0},           // dal
	0x0630: {0xFEAB, 0xFEAC, 0, 0},           // thal
	0x0631: {0xFEAD, 0xFEAE, 0, 0},           // reh
	0x0632: {0xFEAF, 0xFEB0, 0, 0},           // zain
	0x0633: {0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4}, // seen
	0x0634: {0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8}, // sheen
	0x0635: {0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC}, // sad
	0x0636: {0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0}, // dad
	0x0637: {0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4}, // tah
	0x0638: {0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8}, // zah
	0x0639: {0xFEC9, 0xFECA, 0xFECB, 0xFECC}, // ain
	0x063A: {0xFECD, 0xFECE, 0xFECF, 0xFED0}, // ghain
	0x0641: {0xFED1, 0xFED2, 0xFED3, 0xFED4}, // feh
	0x0642: {0xFED5, 0xFED6, 0xFED7, 0xFED8}, // qaf
	0x0643: {0xFED9, 0xFEDA, 0xFEDB, 0xFEDC}, // kaf
	0x0644: {0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0}, // lam
	0x0645: {0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4}, // meem
	0x0646: {0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8}, // noon
	0x0647: {0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC}, // heh
	0x0648: {0xFEED, 0xFEEE, 0, 0},           // waw
	0x0649: {0xFEEF, 0xFEF0, 0xFBE8, 0xFBE9}, // alef maksura (dual-joining; initial and medial are in Forms-A)
	0x064A: {0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4}, // yeh
	0x0671: {0xFB50, 0xFB51, 0, 0},           // alef wasla
	0x067E: {0xFB56, 0xFB57, 0xFB58, 0xFB59}, // peh
	0x0686: {0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D}, // tcheh
	0x0698: {0xFB8A, 0xFB8B, 0, 0},           // jeh
	0x06A4: {0xFB6A, 0xFB6B, 0xFB6C, 0xFB6D}, // veh
	0x06A9: {0xFB8E, 0xFB8F, 0xFB90, 0xFB91}, // keheh
	0x06AF: {0xFB92, 0xFB93, 0xFB94, 0xFB95}, // gaf
	0x06CC: {0xFBFC, 0xFBFD, 0xFBFE, 0xFBFF}, // farsi yeh
}

// lamAlef maps the alef that follows a lam to the ligature's isolated and
// final forms.
var lamAlef = map[rune][2]rune{
	0x0622: {0xFEF5, 0xFEF6},
	0x0623: {0xFEF7, 0xFEF8},
	0x0625: {0xFEF9, 0xFEFA},
	0x0627: {0xFEFB, 0xFEFC},
}

const (
	lam     = 0x0644
	tatweel = 0x0640
	zwnj    = 0x200C
	zwj     = 0x200D
)

func joiningType(r rune) int {
	switch {
	case r == tatweel || r == zwj:
		return joinCausing
	case isArabicMark(r):
		return joinTransparent
	}
	if f, ok := arabicForms[r]; ok {
		switch {
		case f[formInitial] != 0:
			return joinDual
		case f[formFinal] != 0:
			return joinRight
		}
	}
	return joinNone
}

// isArabicMark reports a combining mark, which is transparent to joining and
// stays with its base letter when the line is reversed.
func isArabicMark(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me)
}

// isFormatControl reports the characters that only steer joining or
// direction (ZWJ, ZWNJ, marks and embeddings); they are dropped from the
// drawn text since fonts have no glyph for them.
func isFormatControl(r rune) bool {
	switch {
	case r == zwnj || r == zwj:
		return true
	case r == 0x200E || r == 0x200F || r == 0x061C: // LRM, RLM, ALM
		return true
	case r >= 0x202A && r <= 0x202E: // embeddings and overrides
		return true
	case r >= 0x2066 && r <= 0x2069: // isolates
		return true
	}
	return false
}

// shapeArabic replaces Arabic letters of s (in logical order) by their
// contextual presentation forms and lam-alef ligatures. It returns the shaped
// runes, still in logical order, and how many ligatures it made (each one
// replaces two letters). Format controls are consumed.
func shapeArabic(s []rune) (out []rune, ligatures int) {
	// Joining context ignores transparent marks; ZWNJ breaks a join, ZWJ
	// forces one; both are removed afterwards.
	n := len(s)
	prevType := func(i int) int {
		for j := i - 1; j >= 0; j-- {
			if t := joiningType(s[j]); t != joinTransparent {
				return t
			}
		}
		return joinNone
	}
	nextType := func(i int) int {
		for j := i + 1; j < n; j++ {
			if t := joiningType(s[j]); t != joinTransparent {
				return t
			}
		}
		return joinNone
	}
	out = make([]rune, 0, n)
	for i := 0; i < n; i++ {
		r := s[i]
		if isFormatControl(r) {
			continue
		}
		f, ok := arabicForms[r]
		if !ok {
			out = append(out, r)
			continue
		}
		t := joiningType(r)
		pt := prevType(i)
		joinsPrev := pt == joinDual || pt == joinCausing
		if r == lam && i+1 < n {
			if lig, ok := lamAlef[s[i+1]]; ok {
				if joinsPrev {
					out = append(out, lig[1])
				} else {
					out = append(out, lig[0])
				}
				ligatures++
				i++
				continue
			}
		}
		nt := nextType(i)
		joinsNext := t == joinDual && (nt == joinDual || nt == joinRight || nt == joinCausing)
		if t != joinDual && t != joinRight {
			joinsPrev = false
		}
		form := formIsolated
		switch {
		case joinsPrev && joinsNext:
			form = formMedial
		case joinsPrev:
			form = formFinal
		case joinsNext:
			form = formInitial
		}
		g := f[form]
		if g == 0 {
			g = f[formIsolated]
		}
		out = append(out, g)
	}
	return out, ligatures
}

// bidi classes, simplified.
const (
	bidiNeutral = iota
	bidiL       // strong left-to-right: Latin and other letters, digits
	bidiR       // strong right-to-left: Arabic, Hebrew, Syriac, Thaana, NKo
)

func bidiClass(r rune) int {
	switch {
	case r >= 0x0660 && r <= 0x0669, r >= 0x06F0 && r <= 0x06F9:
		// Arabic-Indic digits read left to right like any number.
		return bidiL
	case r >= 0x0590 && r <= 0x08FF, r >= 0xFB1D && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF, r >= 0x10800 && r <= 0x10FFF, r >= 0x1E800 && r <= 0x1EFFF:
		if r == 0xFEFF || unicode.IsSpace(r) {
			return bidiNeutral
		}
		if unicode.IsLetter(r) || isArabicRTLPunct(r) {
			return bidiR
		}
		return bidiNeutral
	case unicode.IsLetter(r), unicode.IsDigit(r):
		return bidiL
	}
	return bidiNeutral
}

func isArabicRTLPunct(r rune) bool {
	switch r {
	case 0x061B, 0x061F, 0x066D, 0x06D4: // semicolon, question mark, five-pointed star, full stop
		return true
	}
	return false
}

var mirrors = map[rune]rune{
	'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<',
	'«': '»', '»': '«', '‹': '›', '›': '‹',
}

// cluster is a base rune and the combining marks that follow it.
type cluster struct {
	runes []rune
	class int
	level int
}

// visualOrder reorders one line of shaped text (logical order) into the
// order in which it is drawn from left to right.
func visualOrder(s []rune) []rune {
	// Group into clusters: a mark joins the preceding rune.
	var cs []cluster
	for _, r := range s {
		if len(cs) > 0 && unicode.In(r, unicode.Mn, unicode.Me) {
			cs[len(cs)-1].runes = append(cs[len(cs)-1].runes, r)
			continue
		}
		cs = append(cs, cluster{runes: []rune{r}, class: bidiClass(r)})
	}
	if len(cs) == 0 {
		return nil
	}
	// Paragraph direction: first strong class, left to right when none.
	para := bidiL
	for _, c := range cs {
		if c.class != bidiNeutral {
			para = c.class
			break
		}
	}
	if para == bidiL && !hasClass(cs, bidiR) {
		return s // nothing to reorder
	}
	// Resolve neutrals: between two strong runs of the same direction they
	// take it; otherwise (or at either end of the line) the paragraph's.
	for i := 0; i < len(cs); {
		if cs[i].class != bidiNeutral {
			i++
			continue
		}
		j := i
		for j < len(cs) && cs[j].class == bidiNeutral {
			j++
		}
		dir := para
		if i > 0 && j < len(cs) && cs[i-1].class == cs[j].class {
			dir = cs[j].class
		}
		for k := i; k < j; k++ {
			cs[k].class = dir
		}
		i = j
	}
	// Levels: an RTL paragraph has level 1 with LTR runs at 2; an LTR one
	// has 0 with RTL runs at 1.
	maxLevel := 0
	for i := range cs {
		switch {
		case para == bidiR && cs[i].class == bidiR:
			cs[i].level = 1
		case para == bidiR:
			cs[i].level = 2
		case cs[i].class == bidiR:
			cs[i].level = 1
		default:
			cs[i].level = 0
		}
		if cs[i].level%2 == 1 {
			for k, r := range cs[i].runes {
				if m, ok := mirrors[r]; ok {
					cs[i].runes[k] = m
				}
			}
		}
		maxLevel = max(maxLevel, cs[i].level)
	}
	// Reverse every maximal run at or above each level, from the highest
	// level down to the lowest odd one (rule L2).
	for lvl := maxLevel; lvl >= 1; lvl-- {
		for i := 0; i < len(cs); {
			if cs[i].level < lvl {
				i++
				continue
			}
			j := i
			for j < len(cs) && cs[j].level >= lvl {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				cs[a], cs[b] = cs[b], cs[a]
			}
			i = j
		}
	}
	out := make([]rune, 0, len(s))
	for _, c := range cs {
		out = append(out, c.runes...)
	}
	return out
}

func hasClass(cs []cluster, class int) bool {
	for _, c := range cs {
		if c.class == class {
			return true
		}
	}
	return false
}

// needsShaping reports whether s holds a right-to-left letter or a format
// control, the only cases in which visual differs from logical text.
func needsShaping(s string) bool {
	for _, r := range s {
		if bidiClass(r) == bidiR || isFormatControl(r) {
			return true
		}
	}
	return false
}

// prepareLine normalises s for shaping: valid UTF-8, NFC (so that alef +
// hamza above becomes one letter), line breaks and tabs as spaces.
func prepareLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFC.String(s)
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

// visual returns one line of text ready to be drawn left to right by a PDF
// writer that neither shapes nor reorders: Arabic letters in their joined
// presentation forms and right-to-left runs reversed. Text with no
// right-to-left letter is returned unchanged (line breaks become spaces).
func visual(s string) string {
	s = prepareLine(s)
	if !needsShaping(s) {
		return s
	}
	shaped, _ := shapeArabic([]rune(s))
	return string(visualOrder(shaped))
}
