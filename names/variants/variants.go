// Package variants makes the spellings a name is found under: the Latin
// spellings of an Arabic-script name as the different conventions write
// it (scholarly ALA-LC and DIN, English popular, French and Maghrebi,
// Levantine and Iraqi popular, journalistic), and the variants of a Latin
// spelling that a clerk or a relative would type for the same person.
//
// The variants are written from the rules of transliteration — vowel
// choices, doubled or single consonants, the renderings of the letters
// Latin lacks, the article and its assimilation, Abd al-X and its joined
// forms, Abu, bin and ibn — and not learnt from any data set, so that they
// can measure a matcher tuned on data without flattering it.
//
// Both generators are deterministic for a given random source.
package variants

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is what a part of a name is.
type kind int

const (
	plain kind = iota // a name
	abd               // ʿAbd, the head of a compound with the next part
	abu               // Abū
	ibn               // ibn, bin, ben
	bint              // bint
	umm               // Umm
	allah             // ʿAbd Allāh as one part
)

// part is one part of a name, as parsed from Arabic script (ph) or from
// a Latin spelling (latin).
type part struct {
	kind     kind
	art      bool   // the article precedes it
	compound bool   // with its article, it joins the part before (ʿAbd al-X, X al-Dīn, Abū al-X)
	ph       []rune // phonemes in the package's notation (from Arabic script)
	latin    string // lowercased Latin letters (from a Latin spelling)
}

// word is one part rendered: lowercase text and the rendering of its
// first consonant (for the assimilated article: ar-Raḥmān).
type word struct {
	text  string
	first string // the first consonant as rendered, "" when it starts with a vowel
	sun   bool   // the first consonant is a sun letter
}

// pick returns one of opts: the first (the convention's usual choice)
// more often than the others.
func pick(r *rand.Rand, opts []string) string {
	switch len(opts) {
	case 0:
		return ""
	case 1:
		return opts[0]
	}
	if r.Float64() < 0.55 {
		return opts[0]
	}
	return opts[1+r.IntN(len(opts)-1)]
}

// capital returns s with its first letter upper-cased (a leading ʿ, ʾ or
// apostrophe is passed over: ʿAbd, 'Ali).
func capital(s string) string {
	for i, c := range s {
		if unicode.IsLetter(c) && c != 'ʿ' && c != 'ʾ' {
			return s[:i] + string(unicode.ToUpper(c)) + s[i+utf8.RuneLen(c):]
		}
		if c != 'ʿ' && c != 'ʾ' && c != '\'' && c != '`' {
			return s
		}
	}
	return s
}

// renderer renders one part's text.
type renderer func(r *rand.Rand, s *style, p part) word

// compose renders the parts of a name in the convention s.
func compose(r *rand.Rand, s *style, parts []part, render renderer, dropArticle float64) string {
	var out []string
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		var w word
		switch p.kind {
		case ibn:
			out = append(out, pick(r, s.ibn))
			continue
		case bint:
			out = append(out, pick(r, s.bint))
			continue
		case umm:
			out = append(out, pick(r, s.umm))
			continue
		case allah:
			out = append(out, pick(r, s.allah))
			continue
		case plain:
			if w = render(r, s, p); w.text == "" {
				continue
			}
		}
		// A compound: the head (ʿAbd, Abū, Nūr) and the article word.
		if i+1 < len(parts) && parts[i+1].compound {
			if t := render(r, s, parts[i+1]); t.text != "" {
				out = append(out, s.compound(r, s.head(r, p.kind, w), t))
				i++
				continue
			}
		}
		switch {
		case p.kind != plain:
			out = append(out, s.head(r, p.kind, w))
		case p.art && r.Float64() >= dropArticle:
			out = append(out, s.article(r, w))
		default:
			out = append(out, capital(w.text))
		}
	}
	return strings.Join(strings.Fields(strings.Join(out, " ")), " ")
}

// head renders the head of a compound, or a particle on its own.
func (s *style) head(r *rand.Rand, k kind, w word) string {
	switch k {
	case abd:
		return pick(r, s.abd)
	case abu:
		return pick(r, s.abu)
	}
	return capital(w.text)
}

// article renders the article and the word it precedes: al-Raḥmān,
// ar-Raḥmān, Al Rahman, El-Rahman, el Rahmane.
func (s *style) article(r *rand.Rand, w word) string {
	v := pick(r, s.artVowel)
	cons := "l"
	if w.sun && w.first != "" && r.Float64() < s.assimilate {
		cons = w.first
	}
	art := v + cons
	if r.Float64() < s.artCapital {
		art = capital(art)
	}
	sep := pick(r, s.artSep)
	if sep == "" {
		return capital(art + w.text)
	}
	return art + sep + capital(w.text)
}

// compound renders head + article + word as one of the forms of the
// convention: ʿAbd al-Raḥmān, Abdul Rahman, Abdulrahman, Abdurrahman,
// Abderrahmane, Abd-ul-Rahman, Abd El Rahman, Nuruddin, Noureddine.
func (s *style) compound(r *rand.Rand, head string, t word) string {
	a := pick(r, s.artVowel)
	cons := "l"
	if t.sun && t.first != "" && r.Float64() < s.assimilate {
		cons = t.first
	}
	if s.scholarly {
		return head + " " + a + cons + "-" + capital(t.text)
	}
	v := pick(r, s.linkVowel)
	if last, _ := utf8.DecodeLastRuneInString(head); strings.ContainsRune("aeiouāīū", unicode.ToLower(last)) {
		v = "" // Abū al-Qāsim: Abul Qasim
	}
	W, w := capital(t.text), t.text
	switch pick(r, s.forms) {
	case "spaced": // Abd al-Rahman, Nur ad-Din
		return head + " " + a + cons + "-" + W
	case "split": // Abdul Rahman, Abdel Rahman
		return head + v + cons + " " + W
	case "joined": // Abdulrahman, Abderrahmane, Nuruddin
		return head + v + cons + w
	case "hyphen": // Abdul-Rahman
		return head + v + cons + "-" + W
	case "dashed": // Abd-ul-Rahman
		return head + "-" + v + cons + "-" + W
	case "capital": // Abd El Rahman, Nour El Din
		return head + " " + capital(a+cons) + " " + W
	case "tail": // Nour-eddine
		return head + "-" + v + cons + w
	}
	return head + " " + a + cons + "-" + W
}

// distinct collects up to n distinct, non-empty results of gen, which is
// tried at most tries times; skip names a result not wanted (the input).
func distinct(n, tries int, skip string, gen func() string) []string {
	if n <= 0 {
		return nil
	}
	seen := map[string]bool{skip: true}
	var out []string
	for t := 0; t < tries && len(out) < n; t++ {
		v := gen()
		if strings.TrimSpace(v) == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	return out
}

// hasLetter reports whether s has a letter.
func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}
