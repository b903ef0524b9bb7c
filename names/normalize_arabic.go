package names

import "unicode"

// arabicFold maps Arabic-script letters (after NFKD and the removal of
// combining marks) to their plain Arabic form: the Persian, Kurdish and Urdu
// letters to the Arabic letter they are read as, alef maqsura to ya, taa
// marbuta to ha. Letters missing from the map are kept.
var arabicFold = map[rune]rune{
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ٲ': 'ا', 'ٳ': 'ا', 'ٵ': 'ا',
	'ؤ': 'و', 'ٶ': 'و', 'ۆ': 'و', 'ۇ': 'و', 'ۈ': 'و', 'ۋ': 'و', 'ۉ': 'و', 'ۊ': 'و',
	'ئ': 'ي', 'ٸ': 'ي', 'ى': 'ي', 'ی': 'ي', 'ې': 'ي', 'ۍ': 'ي', 'ێ': 'ي', 'ے': 'ي', 'ۓ': 'ي', 'ؠ': 'ي',
	'ة': 'ه', 'ھ': 'ه', 'ہ': 'ه', 'ە': 'ه', 'ۀ': 'ه', 'ۂ': 'ه', 'ۃ': 'ه',
	'ک': 'ك', 'ڪ': 'ك', 'ػ': 'ك', 'ؼ': 'ك',
	'پ': 'ب', 'چ': 'ج', 'ژ': 'ز', 'ڤ': 'ف', 'ڥ': 'ف', 'ڨ': 'ق',
	'ڕ': 'ر', 'ڑ': 'ر', 'ڵ': 'ل', 'ٹ': 'ت', 'ڈ': 'د', 'ں': 'ن', 'ڼ': 'ن',
	'ڎ': 'ذ', 'ښ': 'س', 'ږ': 'ز', 'ځ': 'ج', 'څ': 'ج', 'ډ': 'د', 'ړ': 'ر',
	'ګ': 'ك', 'ڭ': 'ك', 'ڴ': 'ك', 'ڳ': 'ك',
}

// dropArabic reports whether r is an Arabic mark, tatweel or Quranic sign
// that carries nothing for a name: harakat, tanwin, shadda, sukun,
// superscript alef, the small Quranic letters and signs.
func dropArabic(r rune) bool {
	switch {
	case r >= 0x0610 && r <= 0x061A, r >= 0x064B && r <= 0x065F, r == 0x0670,
		r >= 0x06D6 && r <= 0x06DC, r >= 0x06DF && r <= 0x06E8, r >= 0x06EA && r <= 0x06ED,
		r == 0x0640, r == 0x0674, r == 0x06DD, r == 0x06DE, r == 0x06E9, r == 0x08D3, r >= 0x08D4 && r <= 0x08FF:
		return true
	}
	return false
}

// invisible reports whether r is a bidi control, joiner or other invisible
// format character to drop.
func invisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x2069,
		r == 0xFEFF, r == 0x061C, r == 0x00AD, r == 0x180E:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// arabicDigit returns the ASCII digit for an Arabic-Indic or Eastern
// Arabic-Indic digit.
func arabicDigit(r rune) (rune, bool) {
	switch {
	case r >= 0x0660 && r <= 0x0669:
		return '0' + r - 0x0660, true
	case r >= 0x06F0 && r <= 0x06F9:
		return '0' + r - 0x06F0, true
	}
	return 0, false
}

// Arabic-script tokens with a meaning of their own for tokenisation.
const (
	arAbd     = "عبد"
	arAbu     = "ابو"
	arUmm     = "ام"
	arBin     = "بن"
	arIbn     = "ابن"
	arBint    = "بنت"
	arArticle = "ال"
	arAllah   = "الله"
	arDin     = "الدين"
)

// arNotArticle are names that begin with ال that is not the article.
var arNotArticle = map[string]bool{
	"الياس": true, "اليسع": true, "الله": true, "الهام": true, "الفت": true, "الماس": true,
}

// stripArabicArticle removes the article ال from the front of a token when
// what is left is a word (at least two letters).
func stripArabicArticle(tok string) string {
	if arNotArticle[tok] {
		return tok
	}
	rest, ok := cutPrefix(tok, arArticle)
	if !ok || runeLen(rest) < 2 {
		return tok
	}
	return rest
}

// arabicUnits transliterates a plain Arabic-script token (normalised, no
// article) into key units. The long vowels ا و ي and ع are vowel units;
// و and ي at the start are the consonants w and y; ء is dropped; ه at the
// end of a word of three letters or more is the taa marbuta, a vowel.
func arabicUnits(tok string) []unit {
	rs := []rune(tok)
	out := make([]unit, 0, len(rs)+1)
	for i, r := range rs {
		var u unit
		switch r {
		case 'ا', 'ع':
			u = unit{"a", true}
		case 'و':
			u = unit{"u", true}
			if i == 0 {
				u = unit{"w", false}
			}
		case 'ي':
			u = unit{"i", true}
			if i == 0 {
				u = unit{"y", false}
			}
		case 'ه':
			u = unit{"h", false}
			if i == len(rs)-1 && len(rs) > 2 {
				u = unit{"a", true}
			}
		case 'ء':
			continue
		case 'ت':
			if i+1 < len(rs) && rs[i+1] == 'ش' {
				continue // تش is ch (Acheampong)
			}
			u = unit{"t", false}
		default:
			s, ok := arabicLatin[r]
			if !ok {
				continue // a letter with no reading in the key
			}
			u = unit{s, false}
		}
		out = append(out, u)
	}
	return out
}

// arabicLatin is the consonant of each Arabic letter in the key alphabet,
// chosen so that the popular Latin spellings meet: ق and ك are k, ص is s,
// ض is d, ط is t, ظ is dh like ذ, ث is th, غ is g (Ghassan, Gassan).
var arabicLatin = map[rune]string{
	'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "dh",
	'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "dh",
	'غ': "g", 'ف': "f", 'ق': "k", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'گ': "g",
}
