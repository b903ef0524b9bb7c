package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s normalised in its own script: Arabic script without
// diacritics, tatweel and letter variants (see arabicFold); Latin letters
// lower-cased without diacritics or apostrophes, the article (al-, el-,
// ash-, ...) removed, Abu/Abou as "abu", bin/ibn/ben as "bin", Abd al-X in
// any spelling as one word "abdx" (Abdullah as "abdullah") and X al-Din in
// any spelling as one word "xdin"; digits in ASCII, words separated by one
// space. Normalize is idempotent.
func Normalize(s string) string {
	for range 8 {
		n := normalizeOnce(s)
		if n == s {
			break
		}
		s = n
	}
	return s
}

func normalizeOnce(s string) string {
	return strings.Join(normalWords(s), " ")
}

// normalWords returns the normalised words of s.
func normalWords(s string) []string {
	return latinWords(splitParts(foldRunes(s)))
}

// apostrophe reports whether r is an apostrophe or a mark for ayn or hamza
// in Latin transliteration, which are dropped.
func apostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʿ', 'ʾ', '`', 'ʻ', '´', 'ʼ', '′', 'ʽ', 'ʹ', 'ˈ', '‛':
		return true
	}
	return false
}

// hyphen reports whether r joins the parts of a word (al-Hasan).
func hyphen(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '_', '־':
		return true
	}
	return false
}

// latinFold maps Latin letters that NFKD does not decompose.
var latinFold = map[rune]string{
	'ø': "o", 'ł': "l", 'ß': "ss", 'đ': "d", 'ð': "d", 'þ': "th", 'æ': "ae",
	'œ': "oe", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŀ': "l", 'ĸ': "k", 'ə': "e", 'ɛ': "e",
}

// foldRunes does the letter-by-letter work of Normalize: marks,
// invisibles and apostrophes dropped, letters folded and lower-cased,
// hyphens kept as '-', anything else a space.
func foldRunes(s string) string {
	var pre strings.Builder
	pre.Grow(len(s))
	for _, r := range s {
		if r == utf8.RuneError || apostrophe(r) || invisible(r) {
			continue
		}
		pre.WriteRune(r)
	}
	d := pre.String()
	if !isASCII(d) {
		d = norm.NFKD.String(d)
	}
	var b strings.Builder
	b.Grow(len(d))
	last := 0 // script of the last letter or digit written: 1 Arabic, 2 other, 0 after a space
	for _, r := range d {
		if r < utf8.RuneSelf {
			last = foldASCII(&b, byte(r), last)
			continue
		}
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || dropArabic(r) || invisible(r) || apostrophe(r) {
			continue
		}
		if cur := scriptOf(r); cur != 0 {
			if last != 0 && cur != last {
				b.WriteByte(' ') // a word is in one script
			}
			last = cur
		} else {
			last = 0
		}
		switch {
		case hyphen(r):
			b.WriteByte('-')
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.Is(unicode.Arabic, r):
			if d, ok := arabicDigit(r); ok {
				b.WriteRune(d)
			} else if f, ok := arabicFold[r]; ok {
				b.WriteRune(f)
			} else if unicode.IsLetter(r) {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case unicode.IsLetter(r):
			r = unicode.ToLower(r)
			if f, ok := latinFold[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
		case unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldASCII is foldRunes for an ASCII character; it returns the script of
// what it wrote (as scriptOf).
func foldASCII(b *strings.Builder, c byte, last int) int {
	switch {
	case c >= 'A' && c <= 'Z':
		c += 'a' - 'A'
		fallthrough
	case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		if last == 1 {
			b.WriteByte(' ')
		}
		b.WriteByte(c)
		return 2
	case c == '\'' || c == '`':
		return last
	case c == '-' || c == '_':
		b.WriteByte('-')
	default:
		b.WriteByte(' ')
	}
	return 0
}

// scriptOf tells Arabic letters and digits (1) from other letters and
// digits (2) and anything else (0).
func scriptOf(r rune) int {
	switch {
	case unicode.Is(unicode.Arabic, r) && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		if _, ok := arabicDigit(r); ok {
			return 2 // written as ASCII
		}
		return 1
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return 2
	}
	return 0
}

// part is one piece of a word split at hyphens; joined reports whether a
// hyphen tied it to the next piece.
type part struct {
	s      string
	joined bool
}

// splitParts splits folded text into words and the words at hyphens.
func splitParts(s string) []part {
	var out []part
	for _, w := range strings.Fields(s) {
		ps := strings.Split(w, "-")
		var kept []string
		for _, p := range ps {
			if p != "" {
				kept = append(kept, p)
			}
		}
		for i, p := range kept {
			out = append(out, part{p, i < len(kept)-1})
		}
	}
	return out
}

// isArabicWord reports whether the word is (mainly) in Arabic script.
func isArabicWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.Is(unicode.Arabic, r)
}

func cutPrefix(s, p string) (string, bool) { return strings.CutPrefix(s, p) }

func runeLen(s string) int { return utf8.RuneCountInString(s) }
