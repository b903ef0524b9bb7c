package names

import "strings"

// Latin particles. Articles are dropped; the others are normalised to one
// spelling each.
var (
	// strongArticle are spellings of the article that are dropped before
	// another word whether or not a hyphen ties them to it.
	strongArticle = set("al", "el", "il", "ul", "ol", "ud", "ur", "us", "ush", "uz", "ut", "un")
	// sunArticle are the assimilated article (ash-Shami, ad-Din), dropped
	// when a hyphen ties them to the next word, or before Din.
	sunArticle = set("ad", "ed", "as", "es", "ash", "esh", "at", "et", "ath", "eth", "adh", "edh",
		"ar", "er", "az", "ez", "an", "en", "ag", "ak")
	abuForms  = set("abu", "abou", "abo", "aboo", "abuu")
	binForms  = set("bin", "ibn", "ben", "bn", "ibnu", "ebn", "bine")
	bintForms = set("bint", "binti", "bent", "binte")
	ummForms  = set("umm", "um", "oum", "om", "omm", "oumm", "ummu")
	// abdForms are the spellings of Abd that are joined with the next word
	// (Abd al-Rahman, Abdul Rahman, Abdel Rahman, Abdur Rahman).
	abdForms = set("abd", "abdul", "abdel", "abdal", "abdoul", "abdol", "abdu", "abde", "abdil",
		"abdur", "abder", "abdus", "abdes", "abdou")
	// dinForms are the spellings of Din (al-Din, ad-Din, Eddine) that are
	// joined with the word before.
	dinForms = set("din", "deen", "dine", "eddin", "eddine", "eddeen", "uddin", "uddine", "uddeen",
		"addin", "addine", "iddin", "oddin", "ud-din")
	// latinNotArticle are words that begin with al or el without the
	// article.
	latinNotArticle = set("alexander", "alexandre", "alexandra", "alessandro", "alessandra", "alejandro",
		"alberto", "albert", "alfred", "alfredo", "alfonso", "alvaro", "alison", "allison", "elizabeth",
		"elisabeth", "eleanor", "elliott", "elliot", "elmer", "elvis", "elton", "albin", "alban",
		"alberta", "albrecht", "almira", "elnora", "elsbeth", "elvira", "alfonse", "alphonse", "elisa",
		"eliza", "elise", "allegra", "elmira", "almaz")
	// allahRests are what follows abd in a spelling of Abdullah.
	allahRests = set("allah", "alla", "ullah", "ulla", "ellah", "ella", "illah", "ulah", "ula", "alah",
		"ala", "elah", "ela", "oullah", "oulah", "oula", "olah", "ola", "ollah", "olla", "lah", "llah", "la", "lla", "ullahi")
)

// dinSuffixes are the endings of one-word spellings of X al-Din
// (Nureddin, Saifuddin, Noureddine), longest first.
var dinSuffixes = []string{"ouddine", "eddeen", "uddeen", "eddine", "uddine", "addine", "iddine",
	"oudine", "eddin", "uddin", "addin", "iddin", "oddin", "oudin", "edine", "udine", "edin", "udin"}

func set(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, x := range s {
		m[x] = true
	}
	return m
}

// particle reports whether w is a normalised particle.
func particle(w string) bool {
	return w == "abu" || w == "bin" || w == "bint" || w == "umm" || w == "abd"
}

// latinWords applies the word-level rules of Normalize to parts: articles
// dropped, particles normalised, Abd and Din joined. Arabic-script words
// are passed through.
func latinWords(parts []part) []string {
	words := make([]string, 0, len(parts))
	for i, p := range parts {
		w := p.s
		hasNext := i+1 < len(parts)
		if isArabicWord(w) {
			words = append(words, w)
			continue
		}
		if hasNext {
			next := parts[i+1].s
			if strongArticle[w] || (sunArticle[w] && (p.joined || dinForms[next])) {
				continue
			}
		}
		switch {
		case abuForms[w]:
			w = "abu"
		case binForms[w]:
			w = "bin"
		case bintForms[w]:
			w = "bint"
		case ummForms[w] && hasNext:
			w = "umm"
		default:
			w = stripLatinArticle(w)
		}
		words = append(words, w)
	}
	out := words[:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		if i+1 < len(words) && !isArabicWord(w) {
			next := words[i+1]
			switch {
			case abdForms[w] && !particle(next) && !isArabicWord(next):
				w = "abd" + next
				i++
			case dinForms[next] && !particle(w):
				w += "din"
				i++
			}
		}
		if !isArabicWord(w) {
			w = canonicalDin(canonicalAbd(w))
		}
		out = append(out, w)
	}
	return out
}

// stripLatinArticle removes an article written onto the word (Alhassan,
// Elsayed, Al-less Alshammari) when at least four letters are left.
func stripLatinArticle(w string) string {
	if latinNotArticle[w] || strings.HasPrefix(canonicalDin(w), "alad") {
		return w
	}
	for _, a := range [...]string{"al", "el"} {
		if rest, ok := strings.CutPrefix(w, a); ok && len(rest) >= 4 {
			return rest
		}
	}
	return w
}

func vowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// canonicalAbd writes a one-word Abd al-X (Abdulrahman, Abdelkader,
// Abderrahmane, Abdurrahman) as "abd" + X, and every Abdullah as
// "abdullah".
func canonicalAbd(w string) string {
	rest, ok := strings.CutPrefix(w, "abd")
	if !ok || len(rest) < 2 {
		return w
	}
	if allahRests[rest] {
		return "abdullah"
	}
	for _, l := range [...]string{"oul", "ul", "el", "al", "ol", "il"} {
		if r, ok := strings.CutPrefix(rest, l); ok && len(r) >= 2 {
			if allahRests[r] {
				return "abdullah"
			}
			return "abd" + r
		}
	}
	if r, ok := strings.CutPrefix(rest, "ou"); ok && len(r) >= 3 && !vowel(r[0]) {
		rest = "u" + r
	}
	if len(rest) >= 4 && (rest[0] == 'u' || rest[0] == 'e' || rest[0] == 'a') && !vowel(rest[1]) {
		if rest[1] == rest[2] {
			return "abd" + rest[2:]
		}
		if rest[0] != 'a' {
			return "abd" + rest[1:]
		}
	}
	return w
}

// canonicalDin writes a one-word X al-Din (Nureddin, Saifuddin,
// Noureddine) as X + "din".
func canonicalDin(w string) string {
	for _, s := range dinSuffixes {
		if stem, ok := strings.CutSuffix(w, s); ok && len(stem) >= 2 {
			return stem + "din"
		}
	}
	return w
}
