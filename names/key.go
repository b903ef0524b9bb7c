package names

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// unit is one sound of a name in the key alphabet: a consonant class
// ("b", "kh", "sh", "th", ...) or a vowel ("a", "e", "i", "u").
type unit struct {
	s     string
	vowel bool
}

// latinUnits reads a normalised Latin word as key units. Digraphs are one
// unit (kh, sh, th, dh; ch, tch and sch are sh, ph is f, dj is j, gh is g);
// q, c and k are k, p is b, v is f, x is ks; o and ou are u, ee, ai, ay, ei and
// ey are i; y and w are consonants at the start and vowels elsewhere; an h
// ending the word after a vowel (Hamzah) is silent.
func latinUnits(w string) []unit {
	rs := []rune(w)
	out := make([]unit, 0, len(rs))
	at := func(i int) rune {
		if i < len(rs) {
			return rs[i]
		}
		return 0
	}
	for i := 0; i < len(rs); i++ {
		c, n := rs[i], at(i+1)
		var u unit
		switch {
		case c == 's' && n == 'c' && at(i+2) == 'h':
			u, i = unit{"sh", false}, i+2
		case c == 'k' && n == 'h':
			u, i = unit{"kh", false}, i+1
		case (c == 's' || c == 'c') && n == 'h':
			u, i = unit{"sh", false}, i+1
		case c == 'g' && n == 'h':
			u, i = unit{"g", false}, i+1
		case c == 't' && n == 'c' && at(i+2) == 'h':
			u, i = unit{"sh", false}, i+2
		case c == 't' && n == 'h':
			u, i = unit{"th", false}, i+1
		case c == 'd' && n == 'h':
			u, i = unit{"dh", false}, i+1
		case c == 'p' && n == 'h':
			u, i = unit{"f", false}, i+1
		case c == 'd' && n == 'j':
			u, i = unit{"j", false}, i+1
		case c == 'c' && n == 'k':
			u, i = unit{"k", false}, i+1
		case c == 'o' && (n == 'u' || n == 'o'):
			u, i = unit{"u", true}, i+1
		case c == 'e' && (n == 'e' || n == 'i' || n == 'y'), c == 'a' && (n == 'i' || n == 'y'), c == 'i' && n == 'e':
			u, i = unit{"i", true}, i+1
		case c == 'h' && i == len(rs)-1 && i > 0 && len(out) > 0 && out[len(out)-1].vowel:
			continue
		case c == 'a':
			u = unit{"a", true}
		case c == 'e':
			u = unit{"e", true}
		case c == 'i':
			u = unit{"i", true}
		case c == 'o' || c == 'u':
			u = unit{"u", true}
		case c == 'y':
			u = unit{"i", true}
			if i == 0 {
				u = unit{"y", false}
			}
		case c == 'v':
			// Arabic script writes v as ف (or ڤ): Pavel is بافل, Vattimo
			// فاتيمو.
			u = unit{"f", false}
		case c == 'w':
			u = unit{"u", true}
			if i == 0 {
				u = unit{"w", false}
			}
		case c == 'q' || c == 'c' || c == 'k':
			u = unit{"k", false}
		case c == 'g':
			u = unit{"g", false}
		case c == 'p':
			u = unit{"b", false}
		case c == 'x':
			out = append(out, unit{"k", false})
			u = unit{"s", false}
		default:
			u = unit{string(c), false}
		}
		out = append(out, u)
	}
	return out
}

// fullKey is the units written out, repeated units once: a Latin key that
// keeps the vowels, for Jaro-Winkler.
func fullKey(us []unit) string {
	var b strings.Builder
	last := ""
	for _, u := range us {
		if u.s == last {
			continue
		}
		b.WriteString(u.s)
		last = u.s
	}
	return b.String()
}

// skeleton is the consonant skeleton of the units: a vowel at the start
// is "a", other vowels are dropped, repeated consonants written once.
// Applying skeleton to a skeleton read as Latin changes nothing (see
// stableSkeleton).
func skeleton(us []unit) string { return stableSkeleton(rawSkeleton(us)) }

// stableSkeleton reads a skeleton again as a Latin word until it no longer
// changes (d+j read as dj, for one), so that keys are fixed points.
func stableSkeleton(s string) string {
	for range 4 {
		n := rawSkeleton(latinUnits(s))
		if n == s {
			break
		}
		s = n
	}
	return s
}

func rawSkeleton(us []unit) string {
	var b strings.Builder
	last := ""
	for i, u := range us {
		s := u.s
		if u.vowel {
			if i > 0 {
				continue
			}
			s = "a"
		}
		if s == last {
			continue
		}
		b.WriteString(s)
		last = s
	}
	return b.String()
}

// Key returns the Latin match key of s: each word of the name (after
// Normalize and the joining of Abu X, bin X, Abd al-X and X al-Din into one
// word, Arabic script transliterated by rule) as its consonant skeleton,
// words separated by a space. Muhammad, Mohammed, Mohamed and محمد all
// have the key "mhmd"; Abd al-Rahman, Abdulrahman, Abdel Rahman and
// عبد الرحمن have "abdrhmn". A key is its own key: Key(Key(s)) == Key(s).
func Key(s string) string {
	if isKey(s) {
		return s
	}
	toks := tokens(s)
	ks := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.skel != "" {
			ks = append(ks, t.skel)
		}
	}
	return strings.Join(ks, " ")
}

// isKey reports whether s is already a key: words of lower-case letters and digits, not Arabic, each
// its own skeleton.
func isKey(s string) bool {
	if s == "" {
		return true
	}
	if !norm.NFKD.IsNormalString(s) || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") {
		return false
	}
	for _, r := range s {
		if r != ' ' && !(unicode.IsLetter(r) || unicode.IsDigit(r)) || unicode.IsUpper(r) || unicode.Is(unicode.Arabic, r) || latinFold[r] != "" {
			return false
		}
	}
	for _, w := range strings.Split(s, " ") {
		if rawSkeleton(latinUnits(w)) != w {
			return false
		}
	}
	return true
}
