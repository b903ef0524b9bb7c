package variants

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// many returns the variants of name made by gen over a few seeds.
func many(gen func(*rand.Rand, string, int) []string, name string) map[string]bool {
	set := map[string]bool{}
	for seed := range uint64(24) {
		for _, v := range gen(rand.New(rand.NewPCG(seed, 7)), name, 60) {
			set[v] = true
		}
	}
	return set
}

func TestFromArabicRules(t *testing.T) {
	tests := []struct {
		arabic string
		want   []string // each must be among the variants
	}{
		{"عبد الرحمن", []string{"ʿAbd al-Raḥmān", "ʿAbd ar-Raḥmān", "Abd al-Rahman", "Abdul Rahman", "Abdulrahman", "Abderrahmane", "Abdel Rahman"}},
		{"عبدالرحمن", []string{"ʿAbd al-Raḥmān", "Abdul Rahman", "Abderrahmane"}},
		{"محمد", []string{"Muḥammad", "Muhammad", "Mohammed", "Mohamed", "Mohammad"}},
		{"حسين", []string{"Ḥusayn", "Husayn", "Hussein", "Husain"}},
		{"فاطمة", []string{"Fāṭimah", "Fatima", "Fatimah", "Fatemeh"}},
		{"عثمان", []string{"ʿUthmān", "Uthman", "Othmane", "Outhman"}},
		{"خالد بن الوليد", []string{"Khālid ibn al-Walīd", "Khalid bin al-Walid", "Khaled bin al-Walid"}},
		{"أبو بكر", []string{"Abū Bakr", "Abu Bakr", "Abou Bakr"}},
		{"عبد الله", []string{"ʿAbd Allāh", "Abdullah", "Abdallah", "Abdellah"}},
		{"نور الدين", []string{"Nūr al-Dīn", "Nūr ad-Dīn", "Nur al-Din", "Nuruddin", "Noureddine"}},
		{"كاظم الجبوري", []string{"Kāẓim al-Jubūrī", "Kazim al-Juburi", "Kadhim al-Juburi"}},
		{"سعد", []string{"Saʿd", "Saad", "Sa'd", "Sad"}},
		{"كريم", []string{"Karīm", "Karim", "Kareem"}},
		{"خالدي", []string{"Khālidī", "Khalidi"}},                         // by rule: i after ā
		{"جواد", []string{"Jawad", "Djaouad", "Jawād"}},                   // j as dj, w as ou
		{"الشمري", []string{"al-Shammarī", "aš-Šammarī", "Ash-Shammari"}}, // sun letter assimilation
		{"القاسم", []string{"al-Qāsim", "El Kasim", "al-Qasim"}},          // no assimilation before q
	}
	for _, tt := range tests {
		t.Run(tt.arabic, func(t *testing.T) {
			got := many(FromArabic, tt.arabic)
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("%q not among the %d variants: %v", w, len(got), sample(got))
				}
			}
			if got["aq-Qāsim"] {
				t.Error("assimilated before a moon letter")
			}
		})
	}
}

func TestFromLatinRules(t *testing.T) {
	tests := []struct {
		latin string
		want  []string
	}{
		{"Muhammad", []string{"Mohammad", "Muhammed", "Mohammed", "Muhamad", "MUHAMMAD"}},
		{"Abd al-Rahman", []string{"Abdulrahman", "Abdul Rahman", "Abderrahmane", "Abdel Rahman", "Abd-ul-Rahman", "Abdur Rahman"}},
		{"Abdulrahman", []string{"Abd al-Rahman", "Abdul Rahman", "Abdel Rahman"}},
		{"Abu Bakr", []string{"Abou Bakr", "Aboo Bakr", "Abu Baqr"}},
		{"Khalid bin al-Walid", []string{"Khaled bin al-Walid", "Khalid ibn al-Walid", "Khalid ben al-Walid", "Khalid bin Walid", "Chalid bin al-Walid", "Khalid bin el-Walid"}},
		{"Yusuf Qasim al-Jubouri", []string{"Yousuf Qasim al-Jubouri", "Yusuf Kasim al-Jubouri", "Yusuf Qasim Al Jubouri", "Yusuf Qasim Jubouri"}},
		{"Hasan", []string{"Hassan", "Hasen"}},
		{"Fatima", []string{"Fatimah", "Fatma"}},
		{"Sa'id", []string{"Said"}},
		{"Noureddine", []string{"Nour al-Din", "Nour ad-Din", "Nouruddin"}},
		{"Abdullah", []string{"Abdallah", "Abd Allah"}},
		{"Ali Shakir", []string{"Ali Chakir"}},
		{"Thamir", []string{"Tamir", "Samir"}},
		{"Jasim", []string{"Djasim", "Gasim"}},
		{"Marwan", []string{"Marouan"}},
	}
	for _, tt := range tests {
		t.Run(tt.latin, func(t *testing.T) {
			got := many(FromLatin, tt.latin)
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("%q not among the %d variants: %v", w, len(got), sample(got))
				}
			}
			if got[tt.latin] {
				t.Errorf("the input %q is among its variants", tt.latin)
			}
		})
	}
}

// sample lists a few of set, sorted, for a failure message.
func sample(set map[string]bool) []string {
	var s []string
	for v := range set {
		s = append(s, v)
	}
	slices.Sort(s)
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

// Variants stay recognisable: most are close to the source in length.
func TestFromLatinRecognisable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, name := range []string{"Muhammad Abd al-Rahman al-Dulaimi", "Fatima Hasan", "Omar Khalid Yusuf"} {
		for _, v := range FromLatin(r, name, 50) {
			d := utf8.RuneCountInString(v) - utf8.RuneCountInString(name)
			if d < -12 || d > 12 {
				t.Errorf("%q: variant %q is too far from it", name, v)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  func(*rand.Rand, string, int) []string
		in   string
	}{
		{"arabic", FromArabic, "محمد عبد الرحمن الدليمي"},
		{"latin", FromLatin, "Muhammad Abd al-Rahman al-Dulaimi"},
	} {
		a := tc.gen(rand.New(rand.NewPCG(1, 2)), tc.in, 20)
		b := tc.gen(rand.New(rand.NewPCG(1, 2)), tc.in, 20)
		if !slices.Equal(a, b) {
			t.Errorf("%s: same seed, different variants:\n%v\n%v", tc.name, a, b)
		}
		if len(a) != 20 {
			t.Errorf("%s: %d variants, want 20", tc.name, len(a))
		}
	}
}

func TestNoLetters(t *testing.T) {
	for _, in := range []string{"", "  ", "123", "-'-"} {
		r := rand.New(rand.NewPCG(1, 2))
		if v := FromArabic(r, in, 3); v != nil {
			t.Errorf("FromArabic(%q) = %q, want nil", in, v)
		}
		if v := FromLatin(r, in, 3); v != nil {
			t.Errorf("FromLatin(%q) = %q, want nil", in, v)
		}
	}
}

func FuzzVariants(f *testing.F) {
	for _, s := range []string{"محمد", "عبد الرحمن", "Abd al-Rahman", "x", "Abdurrahman", "ابو", "'", "a-b", "ةة", "abdulla", "Nureddine", "中", "ﻻ"} {
		f.Add(s, uint64(1))
	}
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		r := rand.New(rand.NewPCG(seed, seed))
		for name, gen := range map[string]func(*rand.Rand, string, int) []string{"FromArabic": FromArabic, "FromLatin": FromLatin} {
			out := gen(r, s, 4)
			if hasLetter(s) && len(out) == 0 {
				t.Errorf("%s(%q): no variant", name, s)
			}
			if len(out) > 4 {
				t.Errorf("%s(%q): %d variants, asked for 4", name, s, len(out))
			}
			for _, v := range out {
				if strings.TrimSpace(v) == "" || !utf8.ValidString(v) && utf8.ValidString(s) {
					t.Errorf("%s(%q): variant %q", name, s, v)
				}
			}
		}
	})
}
