package variants

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold drops the diacritics of the scholarly spellings and the common
// Latin accents, lower-cases, and writes ʿ, ʾ, ` and ’ as an apostrophe.
func fold(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch c {
		case 'ā', 'á', 'à', 'â', 'ä':
			c = 'a'
		case 'ī', 'í', 'ì', 'î', 'ï':
			c = 'i'
		case 'ū', 'ú', 'ù', 'û', 'ü':
			c = 'u'
		case 'é', 'è', 'ê', 'ë':
			c = 'e'
		case 'ó', 'ò', 'ô', 'ö':
			c = 'o'
		case 'ḥ':
			c = 'h'
		case 'ṣ':
			c = 's'
		case 'ḍ':
			c = 'd'
		case 'ṭ':
			c = 't'
		case 'ẓ':
			c = 'z'
		case 'ç':
			c = 'c'
		case 'ʿ', 'ʾ', '`', '’', '‘', 'ʼ':
			c = '\''
		}
		b.WriteRune(c)
	}
	return b.String()
}

// articles are the forms of the article written before a name.
var articles = map[string]bool{
	"al": true, "el": true, "ul": true, "il": true, "ol": true,
	"at": true, "ath": true, "ad": true, "adh": true, "ar": true, "az": true, "as": true, "ash": true, "an": true,
	"et": true, "ed": true, "er": true, "ez": true, "es": true, "ech": true, "en": true,
	"ut": true, "ud": true, "ur": true, "uz": true, "us": true, "ush": true, "un": true,
}

// parseLatin splits a Latin spelling into its parts, recognising the
// article, ʿAbd (also joined: Abdulrahman, Abderrahmane), Abdullah, Abu,
// bin and ibn, bint, Umm and X al-Dīn (also joined: Nureddine).
func parseLatin(name string) []part {
	var toks []string
	for _, f := range strings.FieldsFunc(fold(name), func(c rune) bool {
		return unicode.IsSpace(c) || c == '-' || c == '_' || c == ',' || c == '.'
	}) {
		// al'Rahman, l'X
		if i := strings.IndexByte(f, '\''); i > 0 && articles[f[:i]] {
			toks = append(toks, f[:i], f[i+1:])
			continue
		}
		f = strings.Trim(f, "'")
		if f != "" {
			toks = append(toks, f)
		}
	}
	var parts []part
	art := false
	for i, t := range toks {
		last := i == len(toks)-1
		switch {
		case articles[t] && !last:
			art = true
			continue
		case isAllah(t):
			parts = append(parts, part{kind: allah})
			continue
		case (t == "allah" || t == "alla") && len(parts) > 0 && parts[len(parts)-1].kind == abd:
			parts[len(parts)-1].kind = allah
			continue
		case t == "abd" && !last:
			parts = append(parts, part{kind: abd})
			continue
		case (t == "abdul" || t == "abdel" || t == "abdal" || t == "abdol") && !last:
			parts = append(parts, part{kind: abd})
			art = true
			continue
		case t == "abu" || t == "abou" || t == "abo" || t == "aboo":
			if !last {
				parts = append(parts, part{kind: abu})
				continue
			}
		case t == "bin" || t == "ibn" || t == "ben" || t == "bn":
			if i > 0 && !last {
				parts = append(parts, part{kind: ibn})
				continue
			}
		case t == "bint" || t == "bent":
			if i > 0 && !last {
				parts = append(parts, part{kind: bint})
				continue
			}
		case t == "umm" || t == "oum" || t == "um":
			if !last {
				parts = append(parts, part{kind: umm})
				continue
			}
		}
		if rest, ok := joinedAbd(t); ok {
			parts = append(parts, part{kind: abd}, part{kind: plain, art: true, compound: true, latin: rest})
			art = false
			continue
		}
		if head, ok := joinedDin(t); ok {
			parts = append(parts, part{kind: plain, latin: head}, part{kind: plain, art: true, compound: true, latin: "din"})
			art = false
			continue
		}
		p := part{kind: plain, art: art, latin: t}
		if art && len(parts) > 0 {
			prev := parts[len(parts)-1]
			p.compound = prev.kind == abd || prev.kind == abu ||
				prev.kind == plain && (t == "din" || t == "deen" || t == "dine")
		}
		art = false
		parts = append(parts, p)
	}
	return parts
}

// isAllah reports whether t is one of the joined spellings of ʿAbd Allāh.
func isAllah(t string) bool {
	switch t {
	case "abdullah", "abdallah", "abdulla", "abdalla", "abdellah", "abdella", "abdollah", "abdillah":
		return true
	}
	return false
}

// joinedAbd splits Abdulrahman, Abdelkader, Abdurrahman, Abderrahmane,
// Abdussalam into ʿAbd and the name after the article.
func joinedAbd(t string) (string, bool) {
	rest, ok := strings.CutPrefix(t, "abd")
	if !ok || len(rest) < 5 || !strings.ContainsRune("aeiou", rune(rest[0])) {
		return "", false
	}
	c := rest[1]
	if c == 'l' && !strings.HasPrefix(rest[2:], "l") {
		return rest[2:], true // abd-ul-aziz, abd-el-kader
	}
	// Assimilated: abd-ur-rahman, abd-us-salam, abd-esh-shakur.
	for _, d := range []string{"sh", "th", "dh", "t", "d", "r", "z", "s", "n", "l"} {
		if strings.HasPrefix(rest[1:], d+d) || strings.HasPrefix(rest[1:], d+d[:1]) && len(d) == 2 {
			return rest[1+len(d):], true
		}
	}
	return "", false
}

// joinedDin splits Nureddine, Salahuddin, Alaeddin into the head and
// al-Dīn.
func joinedDin(t string) (string, bool) {
	for _, suf := range []string{"uddin", "uddeen", "eddine", "eddin", "addin", "iddin", "ul-din", "eldin", "uldin", "aldin", "eddeen"} {
		if h, ok := strings.CutSuffix(t, suf); ok && len(h) >= 3 {
			return h, true
		}
	}
	return "", false
}

// unit is one segment of a Latin word: a consonant (perhaps a digraph,
// perhaps doubled), a run of vowels, or an apostrophe.
type unit struct {
	s       string
	vowel   bool
	doubled bool
}

// isLatinVowel reports whether the letter at i of w is a vowel: a e i o u,
// y and w when no vowel follows (Zayd, Aly, Marwan has a consonant w).
func isLatinVowel(w string, i int) bool {
	switch w[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	case 'y', 'w':
		if i == 0 {
			return false
		}
		return i+1 >= len(w) || !strings.ContainsRune("aeiou", rune(w[i+1]))
	}
	return false
}

// digraphs are the consonants written with two letters.
var digraphs = []string{"kh", "gh", "sh", "ch", "th", "dh", "zh", "dj", "ph"}

// units splits a folded Latin word into units.
func units(w string) []unit {
	var us []unit
	for i := 0; i < len(w); {
		c, size := utf8.DecodeRuneInString(w[i:])
		switch {
		case c == '\'':
			us = append(us, unit{s: "'"})
			i++
			continue
		case c >= utf8.RuneSelf:
			us = append(us, unit{s: string(c)})
			i += size
			continue
		case isLatinVowel(w, i):
			j := i
			for j < len(w) && w[j] < utf8.RuneSelf && isLatinVowel(w, j) {
				j++
			}
			us = append(us, unit{s: w[i:j], vowel: true})
			i = j
			continue
		}
		d := w[i : i+1]
		for _, g := range digraphs {
			if strings.HasPrefix(w[i:], g) {
				d = g
				break
			}
		}
		u := unit{s: d}
		i += len(d)
		if strings.HasPrefix(w[i:], d) {
			u.doubled = true
			i += len(d)
		}
		us = append(us, u)
	}
	return us
}

// consonantAlts are the spellings of one consonant in the conventions.
var consonantAlts = map[string][]string{
	"kh": {"kh", "ch", "h", "x"}, "ch": {"ch", "sh", "kh"}, "gh": {"gh", "g"},
	"sh": {"sh", "ch", "sch"}, "th": {"th", "t", "s"}, "dh": {"dh", "z", "d", "th"},
	"zh": {"zh", "j", "z"}, "dj": {"dj", "j", "g"}, "j": {"j", "dj", "g"},
	"q": {"q", "k", "g"}, "k": {"k", "q", "c"}, "g": {"g", "gh", "j"},
	"z": {"z", "dh", "s"}, "w": {"w", "ou", "v"}, "y": {"y", "i", "j"},
	"h": {"h"}, "x": {"x", "kh"}, "c": {"c", "k"}, "ph": {"ph", "f"},
	"f": {"f", "ph"}, "v": {"v", "w"},
}

// vowelAlts are the spellings of one vowel or diphthong.
var vowelAlts = map[string][]string{
	"a": {"a", "e", "aa"}, "aa": {"a", "aa"}, "e": {"e", "a", "i"},
	"i": {"i", "e", "ee"}, "ee": {"ee", "i", "ie"}, "ii": {"i", "ee"}, "ie": {"ie", "i", "ee"},
	"u": {"u", "o", "ou", "oo"}, "o": {"o", "u", "ou"}, "ou": {"ou", "u", "o", "oo"},
	"oo": {"oo", "u", "ou"}, "uu": {"u", "oo"},
	"ay": {"ay", "ai", "ei", "ey"}, "ai": {"ai", "ay", "ei", "ey"}, "ei": {"ei", "ai", "ay", "ey"}, "ey": {"ey", "ei", "ay", "ai"},
	"aw": {"aw", "au", "ow"}, "au": {"au", "aw", "ow"}, "ow": {"ow", "aw", "au"},
	"y": {"y", "i", "ee"}, "ae": {"ae", "ai", "a'ee"}, "ea": {"ea", "ia"},
}

// mutate rewrites a folded Latin word, each unit with probability p, by
// the alternatives of the conventions; the word-final vowel of a
// feminine name is also written a, ah, eh or at.
func mutate(r *rand.Rand, w string, p float64) string {
	us := units(w)
	var b strings.Builder
	for i, u := range us {
		last := i == len(us)-1
		change := r.Float64() < p
		switch {
		case u.s == "'":
			if change || r.Float64() < 0.5 {
				continue // Sa'id: Said
			}
			b.WriteString("'")
		case u.vowel:
			s := u.s
			if change {
				if alts, ok := vowelAlts[s]; ok {
					s = other(r, alts, s)
					if i == 0 && s == "e" && u.s == "a" {
						s = "a" // Ahmad does not become Ehmad
					}
				}
			}
			// the tāʾ marbūṭa: Fatima, Fatimah, Fatmeh
			if last && (u.s == "a" || u.s == "e") && (s == "a" || s == "e") && len(us) >= 3 && r.Float64() < p {
				s += []string{"h", "h", "t"}[r.IntN(3)]
			}
			b.WriteString(s)
		default:
			s := u.s
			if change {
				if alts, ok := consonantAlts[s]; ok {
					s = other(r, alts, s)
				}
			}
			// ah / eh at the end: Fatimah, Abdallah — drop the h
			if last && s == "h" && !u.doubled && i > 0 && us[i-1].vowel && change && r.IntN(2) == 0 {
				continue
			}
			doubled := u.doubled
			intervocalic := i > 0 && !last && us[i-1].vowel && us[i+1].vowel
			if change && r.IntN(3) == 0 && (doubled || intervocalic && utf8.RuneCountInString(s) == 1 && !strings.Contains("hwy", s)) {
				doubled = !doubled // Hassan and Hasan, Hussein and Husein
			}
			b.WriteString(s)
			if doubled && utf8.RuneCountInString(s) == 1 {
				b.WriteString(s)
			}
		}
	}
	return b.String()
}

// other picks one of alts that is not s, if there is one.
func other(r *rand.Rand, alts []string, s string) string {
	var o []string
	for _, a := range alts {
		if a != s {
			o = append(o, a)
		}
	}
	if len(o) == 0 {
		return s
	}
	return o[r.IntN(len(o))]
}

// renderLatin renders a part parsed from a Latin spelling.
func renderLatin(p float64) renderer {
	return func(r *rand.Rand, s *style, pt part) word {
		t := mutate(r, pt.latin, p)
		if s.ane && strings.HasSuffix(t, "an") && len(t) > 4 && r.IntN(4) == 0 {
			t += "e" // Othmane, Rahmane
		}
		w := word{text: t}
		if us := units(t); len(us) > 0 && !us[0].vowel && us[0].s != "'" {
			w.first = us[0].s
			w.sun = strings.Contains(" t th d dh r z s sh l n ", " "+w.first+" ")
		}
		return w
	}
}

// typo makes one slip of the keyboard in a word of four letters or more:
// two letters swapped or one left out, never the first.
func typo(r *rand.Rand, s string) string {
	words := strings.Split(s, " ")
	var long []int
	for i, w := range words {
		if utf8.RuneCountInString(w) >= 4 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return s
	}
	i := long[r.IntN(len(long))]
	rs := []rune(words[i])
	j := 1 + r.IntN(len(rs)-2)
	if !unicode.IsLetter(rs[j]) || !unicode.IsLetter(rs[j+1]) {
		return s
	}
	if r.IntN(2) == 0 {
		rs[j], rs[j+1] = rs[j+1], rs[j]
	} else {
		rs = append(rs[:j], rs[j+1:]...)
	}
	words[i] = string(rs)
	return strings.Join(words, " ")
}

// FromLatin returns up to n distinct variants of the Latin spelling
// latin, as a clerk or a relative would write the same name: vowels
// shifted (u, o, ou; i, e, ee; a, e), consonants doubled or single, the
// letters Latin lacks written otherwise (kh, ch, h; q, k, g; j, dj, g; sh,
// ch; th, t, s; dh, z, d; w, ou; y, i), the article as al-, el-, ad-,
// ash- or left out, Abu or Abou, bin, ibn or ben, Abd al-X as Abdul X,
// Abdel X, Abd-ul-X or Abdulx, hyphens, apostrophes and case changed, and
// sometimes one typing slip. Each variant keeps the name recognisable;
// none is the input itself. It returns fewer than n when the name has
// fewer variants (a very short name), and nil when it has no letters.
func FromLatin(r *rand.Rand, latin string, n int) []string {
	if !hasLetter(latin) {
		return nil
	}
	parts := parseLatin(latin)
	all := styles()[2:] // the popular conventions: no diacritics are added
	out := distinct(n, 30*n+30, latin, func() string {
		s := all[r.IntN(len(all))]
		v := compose(r, s, parts, renderLatin(0.15), 0.15)
		if r.Float64() < 0.1 {
			v = typo(r, v)
		}
		switch x := r.Float64(); {
		case x < 0.12:
			v = strings.ToUpper(v)
		case x < 0.24:
			v = strings.ToLower(v)
		}
		return v
	})
	if len(out) == 0 && n > 0 {
		// Nothing else could be made of it (a single caseless letter).
		out = []string{latin}
	}
	return out
}
