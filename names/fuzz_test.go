package names

import (
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{"", "Abd al-Rahman", "عبد الرحمن", "Mohammed bin Salman", "Abu Hamza al-Shami", "ٱلْحَسَن",
	"Nureddin", "Abdurrahman", "el-Hassan", "al al al", "abd", "abu", "Dajani", "taha", "x-y-z", "آمنة ۱۹۹۰", "Ali Hassan"}

func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: not UTF-8", s, n)
		}
		if nn := Normalize(n); nn != n {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, n, nn)
		}
	})
}

func FuzzKey(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Key(s)
		if kk := Key(k); kk != k {
			t.Fatalf("Key not idempotent: %q -> %q -> %q", s, k, kk)
		}
		Score(Query{Names: []string{s}, Father: []string{s}}, Record{Names: []string{s, k}, Father: []string{k}})
	})
}
