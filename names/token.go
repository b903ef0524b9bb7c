package names

import (
	"strings"

	"github.com/antzucaro/matchr"
)

// Kinds of token.
const (
	plain = iota // a name
	kunya        // Abu X, Umm X: one unit, X as its base
	nasab        // bin X, bint X: one unit, X as its base
)

// feat is one token of a name with everything its comparison needs.
type feat struct {
	norm         string // as written after Normalize (abu hamza, عبد الرحمن)
	full         string // Latin key with vowels
	skel         string // consonant skeleton
	loose        string // skeleton with th as s and dh as z (Uthman, Osman)
	meta1, meta2 string // Double Metaphone of the skeleton
	arabic       bool   // written in Arabic script
	kind         uint8
	base         *feat // the X of Abu X or bin X
	alt          *feat // the word with its article (الحسن), if taken off
}

// newFeat computes the features of a token from its units.
func newFeat(norm string, us []unit, arabic bool) *feat {
	f := &feat{norm: norm, full: fullKey(us), skel: skeleton(us), arabic: arabic}
	f.loose = looseReplacer.Replace(f.skel)
	if f.skel != "" {
		f.meta1, f.meta2 = matchr.DoubleMetaphone(f.skel)
		if f.meta2 == f.meta1 {
			f.meta2 = ""
		}
	}
	return f
}

// looseReplacer makes the loose skeleton: th and dh are read s and z in
// much of the Arab world (Uthman, Osman; Dhakir, Zakir), and g is j in
// Egypt (Gamal, Jamal).
var looseReplacer = strings.NewReplacer("th", "s", "dh", "z", "g", "j")

// word is one normalised word on its way to becoming a token.
type word struct {
	s      string
	arabic bool
	as     string // as written, when the article was taken off s
}

// wordUnits returns the key units of one word (already without the
// article).
func wordUnits(w word) []unit {
	if !w.arabic {
		return latinUnits(w.s)
	}
	switch w.s {
	case "عبدالله":
		return latinUnits("abdullah")
	}
	return arabicUnits(w.s)
}

// tokens splits a name into tokens: words after Normalize, with the
// Arabic article removed, Abu X and Umm X as one kunya token, bin X and
// bint X as one nasab token, Abd al-X and X al-Din in Arabic script joined.
func tokens(s string) []*feat { return tokensMemo(s, nil) }

// memo keeps the features of tokens already seen, by their normalised
// form; nil computes them every time.
type memo map[string]*feat

// get returns the features of the token norm, made by mk when not known.
func (m memo) get(norm string, mk func() *feat) *feat {
	if m == nil {
		return mk()
	}
	if f, ok := m[norm]; ok {
		return f
	}
	f := mk()
	m[norm] = f
	return f
}

// tokensMemo is tokens with a memo of features.
func tokensMemo(s string, mm memo) []*feat {
	ws := arabicWords(strings.Fields(Normalize(s)))
	out := make([]*feat, 0, len(ws))
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		kind := particleKind(w)
		if kind == plain {
			out = append(out, mm.get(w.written(), func() *feat { return wordFeat(w) }))
			continue
		}
		if i+1 >= len(ws) || particleKind(ws[i+1]) != plain {
			continue // a particle alone says nothing
		}
		b := ws[i+1]
		i++
		out = append(out, mm.get(w.s+" "+b.s, func() *feat { return unitFeat(w, b, kind) }))
	}
	return out
}

// particleKind tells a kunya or nasab particle from a name.
func particleKind(w word) uint8 {
	switch w.s {
	case "abu", "umm", arAbu, arUmm:
		return kunya
	case "bin", "bint", arBin, arIbn, arBint:
		return nasab
	}
	return plain
}

// arabicWords marks the script of each word and applies the Arabic-script
// word rules: article removed, عبد joined with the next word, الدين with
// the word before.
func arabicWords(ws []string) []word {
	out := make([]word, 0, len(ws))
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		if !isArabicWord(w) {
			out = append(out, word{s: w})
			continue
		}
		switch {
		case w == arAbd && i+1 < len(ws) && isArabicWord(ws[i+1]):
			next := ws[i+1]
			i++
			if next == arAllah {
				w = "عبدالله"
			} else {
				w = arAbd + stripArabicArticle(next)
			}
		case i+1 < len(ws) && (ws[i+1] == arDin || ws[i+1] == "دين") && w != arAbu:
			w = stripArabicArticle(w) + "دين"
			i++
		default:
			if rest, ok := cutPrefix(w, arAbd+arArticle); ok && runeLen(rest) >= 2 {
				if rest == "له" || rest == "لة" {
					w = "عبدالله"
				} else {
					w = arAbd + rest
				}
			} else if st := stripArabicArticle(w); st != w {
				out = append(out, word{st, true, w})
				continue
			}
		}
		out = append(out, word{s: w, arabic: true})
	}
	return out
}

// written is the word as written, with its article.
func (w word) written() string {
	if w.as != "" {
		return w.as
	}
	return w.s
}

// wordFeat makes the token of a plain word. A word the article was taken
// from keeps the whole word as its alternative: أل at the start of a name
// from another language (Alban, Alfredo) is not the article.
func wordFeat(w word) *feat {
	f := newFeat(w.written(), wordUnits(w), w.arabic)
	if w.as != "" {
		f.alt = newFeat(w.as, arabicUnits(w.as), true)
	}
	return f
}

// unitFeat makes the token of a kunya (Abu X) or nasab (bin X).
func unitFeat(w, b word, kind uint8) *feat {
	bu := wordUnits(b)
	base := newFeat(b.s, bu, b.arabic)
	pre := "abu"
	switch {
	case kind == nasab:
		pre = "bin"
	case w.s == "umm" || w.s == arUmm:
		pre = "umm"
	}
	us := append(latinUnits(pre), bu...)
	f := newFeat(w.s+" "+b.s, us, b.arabic)
	f.kind, f.base = kind, base
	return f
}
