package variants

import (
	"math/rand/v2"
	"strings"
	"sync"
	"unicode"
)

// The notation of phonemes: one rune each, a doubled consonant written
// twice.
//
//	ʾ hamza  ʿ ʿayn  θ ث  ḥ ح  x خ  ð ذ  š ش  ṣ ص  ḍ ض  ṭ ط  ẓ ظ  ġ غ
//	ā ī ū long vowels  ẗ tāʾ marbūṭa (with the vowel before it)
//	p č g v ž the Persian letters پ چ گ ڤ ژ
//
// Other runes are written as themselves.

// lexicon holds the vocalisation of common names, which the script does
// not write: محمد is Muḥammad, not Maḥmad. Words not in it are vocalised
// by rule (vocalise).
var lexicon = sync.OnceValue(func() map[string][]rune {
	pairs := []string{
		"محمد", "muḥammad", "أحمد", "ʾaḥmad", "محمود", "maḥmūd", "مصطفى", "muṣṭafā",
		"علي", "ʿalī", "عمر", "ʿumar", "عثمان", "ʿuθmān", "حسن", "ḥasan",
		"حسين", "ḥusayn", "حسان", "ḥassān", "خالد", "xālid", "إبراهيم", "ʾibrāhīm",
		"إسماعيل", "ʾismāʿīl", "إسحاق", "ʾisḥāq", "يوسف", "yūsuf", "يعقوب", "yaʿqūb",
		"موسى", "mūsā", "عيسى", "ʿīsā", "يحيى", "yaḥyā", "يونس", "yūnus",
		"هارون", "hārūn", "سليمان", "sulaymān", "داود", "dāwūd", "آدم", "ʾādam",
		"نوح", "nūḥ", "إلياس", "ʾilyās", "زكريا", "zakariyyā", "سعيد", "saʿīd",
		"سعد", "saʿd", "سعود", "saʿūd", "صالح", "ṣāliḥ", "صلاح", "ṣalāḥ",
		"جمال", "jamāl", "كمال", "kamāl", "جلال", "jalāl", "بلال", "bilāl",
		"هلال", "hilāl", "فيصل", "fayṣal", "منصور", "manṣūr", "ناصر", "nāṣir",
		"نصر", "naṣr", "قاسم", "qāsim", "جاسم", "jāsim", "كاظم", "kāẓim",
		"هاشم", "hāšim", "عباس", "ʿabbās", "جعفر", "jaʿfar", "حمزة", "ḥamzẗ",
		"طارق", "ṭāriq", "زياد", "ziyād", "زيد", "zayd", "بكر", "bakr",
		"عمار", "ʿammār", "ياسر", "yāsir", "ياسين", "yāsīn", "عادل", "ʿādil",
		"وليد", "walīd", "خليل", "xalīl", "ماجد", "mājid", "رشيد", "rašīd",
		"راشد", "rāšid", "سالم", "sālim", "سليم", "salīm", "كريم", "karīm",
		"أمين", "ʾamīn", "أمير", "ʾamīr", "حكيم", "ḥakīm", "حامد", "ḥāmid",
		"حميد", "ḥamīd", "مجيد", "majīd", "رحمن", "raḥmān", "رحيم", "raḥīm",
		"عزيز", "ʿazīz", "لطيف", "laṭīf", "جبار", "jabbār", "ستار", "sattār",
		"قادر", "qādir", "رزاق", "razzāq", "سلام", "salām", "وهاب", "wahhāb",
		"غني", "ġanī", "حليم", "ḥalīm", "مالك", "mālik", "منعم", "munʿim",
		"جليل", "jalīl", "خالق", "xāliq", "فتاح", "fattāḥ", "واحد", "wāḥid",
		"باقي", "bāqī", "هادي", "hādī", "مهدي", "mahdī", "رضا", "riḍā",
		"جواد", "jawād", "باقر", "bāqir", "صادق", "ṣādiq", "شاكر", "šākir",
		"فاضل", "fāḍil", "غازي", "ġāzī", "دين", "dīn", "نور", "nūr",
		"شمس", "šams", "بدر", "badr", "شريف", "šarīf", "محسن", "muḥsin",
		"نبيل", "nabīl", "أنس", "ʾanas", "أسامة", "ʾusāmẗ", "حيدر", "ḥaydar",
		"مروان", "marwān", "عدنان", "ʿadnān", "رامي", "rāmī", "سامي", "sāmī",
		"سمير", "samīr", "بشار", "baššār", "بشير", "bašīr", "نذير", "naðīr",
		"منذر", "munðir", "ثامر", "θāmir", "ظافر", "ẓāfir", "ضياء", "ḍiyāʾ",
		"غسان", "ġassān", "فراس", "firās", "أيمن", "ʾayman", "أكرم", "ʾakram",
		"أسعد", "ʾasʿad", "عماد", "ʿimād", "عصام", "ʿiṣām", "هشام", "hišām",
		"وسام", "wisām", "حاتم", "ḥātim", "شيخ", "šayx", "سيد", "sayyid",
		"فاطمة", "fāṭimẗ", "عائشة", "ʿāʾišẗ", "خديجة", "xadījẗ", "زينب", "zaynab",
		"مريم", "maryam", "آمنة", "ʾāminẗ", "حليمة", "ḥalīmẗ", "سلمى", "salmā",
		"ليلى", "laylā", "هدى", "hudā", "رقية", "ruqayyẗ", "سكينة", "sakīnẗ",
		"زهراء", "zahrāʾ", "أسماء", "ʾasmāʾ", "سارة", "sārẗ", "هاجر", "hājar",
		"نادية", "nādiyẗ", "منى", "munā", "رنا", "ranā", "إيمان", "ʾīmān",
		"شيماء", "šaymāʾ", "بغدادي", "baġdādī", "عراقي", "ʿirāqī", "سوري", "sūrī",
		"حلبي", "ḥalabī", "تكريتي", "tikrītī", "موصلي", "mawṣilī", "جبوري", "jubūrī",
		"عبيدي", "ʿubaydī", "دليمي", "dulaymī", "شمري", "šammarī", "زبيدي", "zubaydī",
		"تميمي", "tamīmī", "هاشمي", "hāšimī", "قرشي", "qurašī", "كردي", "kurdī",
		"نعيمي", "nuʿaymī", "خزرجي", "xazrajī", "عنزي", "ʿanazī", "مطيري", "muṭayrī",
		"سامرائي", "sāmarrāʾī", "أنصاري", "ʾanṣārī", "حسيني", "ḥusaynī", "جنابي", "janābī",
		"كبيسي", "kubaysī", "راوي", "rāwī", "عاني", "ʿānī", "حديثي", "ḥadīθī",
		"ظاهر", "ẓāhir", "رؤوف", "raʾūf", "قاسمي", "qāsimī", "مسعود", "masʿūd",
		"سلطان", "sulṭān", "عيد", "ʿīd", "فهد", "fahd", "فارس", "fāris",
		"نايف", "nāyif", "تركي", "turkī", "عواد", "ʿawwād", "حمد", "ḥamad",
		"عبود", "ʿabbūd", "جبر", "jabr", "مهند", "muhannad", "لؤي", "luʾayy",
	}
	m := make(map[string][]rune, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		m[arabicKey(pairs[i])] = []rune(pairs[i+1])
	}
	return m
})

// arabicKey folds the spellings of one word that differ only in hamza
// seats, alif maqṣūra, tāʾ marbūṭa and diacritics.
func arabicKey(w string) string {
	var b strings.Builder
	for _, c := range w {
		switch {
		case c >= 0x064B && c <= 0x065F, c == 0x0670, c == 0x0640: // ḥarakāt, dagger alif, tatweel
		case c == 'أ', c == 'إ', c == 'آ', c == 'ٱ':
			b.WriteRune('ا')
		case c == 'ى':
			b.WriteRune('ي')
		case c == 'ة':
			b.WriteRune('ه')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// stripMarks drops ḥarakāt and tatweel, keeping the letters as written.
func stripMarks(w string) string {
	return strings.Map(func(c rune) rune {
		if c >= 0x064B && c <= 0x065F || c == 0x0670 || c == 0x0640 {
			return -1
		}
		return c
	}, w)
}

// parseArabic splits an Arabic-script name into its parts.
func parseArabic(name string) []part {
	fields := strings.FieldsFunc(name, func(c rune) bool {
		return unicode.IsSpace(c) || c == '-' || c == '_' || c == '،' || c == ',' || c == '.'
	})
	var parts []part
	art := false // a standalone article (آل) precedes
	for _, f := range fields {
		f = stripMarks(f)
		k := arabicKey(f)
		if k == "" {
			continue
		}
		switch k {
		case "ال":
			art = true
			continue
		case "عبد":
			parts = append(parts, part{kind: abd})
			continue
		case "ابو", "ابي", "ابا":
			parts = append(parts, part{kind: abu})
			continue
		case "بن", "ابن":
			parts = append(parts, part{kind: ibn})
			continue
		case "بنت":
			parts = append(parts, part{kind: bint})
			continue
		case "ام":
			parts = append(parts, part{kind: umm})
			continue
		case "الله", "لله":
			if n := len(parts); n > 0 && parts[n-1].kind == abd {
				parts[n-1].kind = allah
				continue
			}
		case "عبدالله":
			parts = append(parts, part{kind: allah})
			continue
		}
		// Joined ʿAbd al-X and X al-Dīn.
		if strings.HasPrefix(k, "عبدال") && len([]rune(k)) > 6 {
			parts = append(parts, part{kind: abd}, arabicPart(strings.TrimPrefix(f, string([]rune(f)[:5])), true, true))
			continue
		}
		if strings.HasSuffix(k, "الدين") && len([]rune(k)) > 6 {
			r := []rune(f)
			parts = append(parts, arabicPart(string(r[:len(r)-5]), false, false), part{kind: plain, art: true, compound: true, ph: []rune("dīn")})
			continue
		}
		p := arabicPart(f, art, false)
		art = false
		if p.art && len(parts) > 0 {
			prev := parts[len(parts)-1]
			p.compound = prev.kind == abd || prev.kind == abu || string(p.ph) == "dīn" && prev.kind == plain
		}
		parts = append(parts, p)
	}
	return parts
}

// arabicPart reads one word: the article, then the name from the lexicon
// or vocalised by rule.
func arabicPart(w string, art, compound bool) part {
	k := arabicKey(w)
	if ph, ok := lexicon()[k]; ok {
		return part{kind: plain, art: art, compound: compound, ph: ph}
	}
	if strings.HasPrefix(k, "ال") && len([]rune(k)) > 3 {
		rest := string([]rune(w)[2:])
		if ph, ok := lexicon()[arabicKey(rest)]; ok {
			return part{kind: plain, art: true, compound: compound, ph: ph}
		}
		return part{kind: plain, art: true, compound: compound, ph: vocalise(rest)}
	}
	return part{kind: plain, art: art, compound: compound, ph: vocalise(w)}
}

// letters maps the Arabic consonants to the notation.
var letters = map[rune]rune{
	'ء': 'ʾ', 'ؤ': 'ʾ', 'ئ': 'ʾ', 'ب': 'b', 'ت': 't', 'ث': 'θ', 'ج': 'j', 'ح': 'ḥ',
	'خ': 'x', 'د': 'd', 'ذ': 'ð', 'ر': 'r', 'ز': 'z', 'س': 's', 'ش': 'š', 'ص': 'ṣ',
	'ض': 'ḍ', 'ط': 'ṭ', 'ظ': 'ẓ', 'ع': 'ʿ', 'غ': 'ġ', 'ف': 'f', 'ق': 'q', 'ك': 'k',
	'ل': 'l', 'م': 'm', 'ن': 'n', 'ه': 'h', 'پ': 'p', 'چ': 'č', 'گ': 'g', 'ڤ': 'v',
	'ژ': 'ž', 'ک': 'k', 'ی': 'y', 'ي': 'y', 'و': 'w',
}

// vocalise reads an unvocalised word by rule: ا و ي are long vowels
// between consonants (و ي consonants at the start or before a vowel),
// and a short vowel is supplied where the syllable needs one — i after
// ā (fāʿil), u after ū, a elsewhere.
func vocalise(w string) []rune {
	src := []rune(w)
	var units []rune // consonants and long vowels
	for i, c := range src {
		var next rune
		if i+1 < len(src) {
			next = src[i+1]
		}
		vowelNext := next == 'ا' || next == 'ى' || next == 'ة' || next == 'و' || next == 'ي'
		switch c {
		case 'ا', 'ٱ':
			if i == 0 {
				units = append(units, 'a')
			} else {
				units = append(units, 'ā')
			}
		case 'أ':
			if i == 0 {
				units = append(units, 'ʾ', 'a')
			} else {
				units = append(units, 'ʾ')
			}
		case 'إ':
			units = append(units, 'ʾ', 'i')
		case 'آ':
			units = append(units, 'ʾ', 'ā')
		case 'ى':
			units = append(units, 'ā')
		case 'ة':
			units = append(units, 'ẗ')
		case 'و', 'ي':
			prevVowel := len(units) > 0 && isVowel(units[len(units)-1])
			if i == 0 || prevVowel || (vowelNext && next != c) {
				units = append(units, letters[c])
			} else if c == 'و' {
				units = append(units, 'ū')
			} else {
				units = append(units, 'ī')
			}
		default:
			if l, ok := letters[c]; ok {
				units = append(units, l)
			} else if unicode.IsLetter(c) {
				units = append(units, unicode.ToLower(c))
			}
		}
	}
	// Supply the short vowels: an onset consonant followed by another
	// consonant takes one; a consonant after a short vowel and before a
	// consonant closes the syllable.
	var out []rune
	for i, c := range units {
		out = append(out, c)
		if isVowel(c) || c == 'ẗ' {
			continue
		}
		var next rune
		if i+1 < len(units) {
			next = units[i+1]
		}
		if next == 0 || isVowel(next) || next == 'ẗ' {
			continue
		}
		coda := false
		if i > 0 {
			prev := out[len(out)-2]
			coda = prev == 'a' || prev == 'i' || prev == 'u'
		}
		if coda {
			continue
		}
		v := 'a'
		if len(out) >= 2 {
			switch out[len(out)-2] {
			case 'ā':
				v = 'i'
			case 'ū':
				v = 'u'
			}
		}
		out = append(out, v)
	}
	return out
}

// FromArabic returns up to n distinct Latin spellings of the
// Arabic-script name arabic, each as one of the conventions writes it:
// scholarly (ʿAbd al-Raḥmān, ʿAbd ar-Raḥmān), journalistic (Abd al-Rahman),
// English popular (Abdul Rahman, Abdulrahman), French and Maghrebi
// (Abderrahmane, Abd El Rahmane), Levantine and Iraqi popular (Abdel
// Rahman). The short vowels, which the script does not write, come from
// a small lexicon of common names or by rule. Latin letters in the input
// are kept as they are. It returns fewer than n when the name has fewer
// spellings (at least one when n > 0), and nil when it has no letters.
func FromArabic(r *rand.Rand, arabic string, n int) []string {
	if !hasLetter(arabic) {
		return nil
	}
	parts := parseArabic(arabic)
	all := styles()
	out := distinct(n, 20*n+20, "", func() string {
		s := all[r.IntN(len(all))]
		return compose(r, s, parts, renderArabic, 0)
	})
	if len(out) == 0 && n > 0 {
		// Nothing but letters no convention writes (a lone hamza): the
		// notation itself, else the input.
		var ph []string
		for _, p := range parts {
			ph = append(ph, string(p.ph))
		}
		if v := strings.TrimSpace(strings.Join(ph, " ")); v != "" {
			return []string{v}
		}
		return []string{strings.TrimSpace(arabic)}
	}
	return out
}
