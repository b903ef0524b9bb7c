package custody

import (
	"strings"
	"testing"
)

// idAlphabet is every character an ID on a wristband may hold.
const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-"

func TestWristbandRoundTrip(t *testing.T) {
	for _, id := range []PersonID{"NES-000123", "B-0000001", "M-001", "p1", "r042", "Ab-9z", "0", "-", "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"} {
		code := WristbandCode(id)
		if !strings.HasPrefix(code, "CUSTODY1:"+string(id)+":") || len(code) != len("CUSTODY1:")+len(id)+3 {
			t.Errorf("WristbandCode(%q) = %q, want CUSTODY1:%s:NN", id, code, id)
		}
		for _, c := range []string{code, " " + code + "\r\n", "\t" + code} {
			got, err := ParseWristband(c)
			if err != nil || got != id {
				t.Errorf("ParseWristband(%q) = %q, %v; want %q", c, got, err, id)
			}
		}
	}
}

func TestWristbandMalformed(t *testing.T) {
	good := WristbandCode("M-001")
	for _, c := range []struct{ code, msg string }{
		{"", "not a custody wristband code"},
		{"M-001", "not a custody wristband code"},
		{"custody1:M-001:" + good[len(good)-2:], "not a custody wristband code"},
		{"CUSTODY1:", "want ID:NN"},
		{"CUSTODY1:M-001", "want ID:NN"},
		{"CUSTODY1::00", "want ID:NN"},
		{"CUSTODY1:M-001:7", "want ID:NN"},
		{"CUSTODY1:M-001:123", "want ID:NN"},
		{good[:len(good)-3], "want ID:NN"},
		{"CUSTODY1:M 001:00", "the ID holds"},
		{"CUSTODY1:M:001:00", "the ID holds"},
		{"CUSTODY1:M-٠٠١:00", "the ID holds"},
		{"CUSTODY1:M_001:00", "the ID holds"},
		{strings.Replace(good, "M-001", "M-002", 1), "check digits"},
		{good[:len(good)-2] + "+" + good[len(good)-1:], "check digits"},
		{good + "0", "want ID:NN"},
	} {
		id, err := ParseWristband(c.code)
		if err == nil || id != "" || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParseWristband(%q) = %q, %v; want an error saying %q", c.code, id, err, c.msg)
		}
	}
}

// TestWristbandDetectsErrors: a single character substituted in the ID, or
// two adjacent characters swapped, never reads as a valid code (and so
// never as another person's). The table holds errors the earlier scheme
// (IBAN's digits, letters as two digits, case and dashes ignored) let
// through; every ID of the second list is then altered in every way.
func TestWristbandDetectsErrors(t *testing.T) {
	for _, c := range []struct {
		id, misread PersonID
		what        string
	}{
		{"NES-000123", "nES-000123", "letter case"},
		{"NES-000123", "NE--000123", "letter read as a dash"},
		{"NES-000123", "NESS000123", "dash read as a letter"},
		{"NES-000123", "NE-S000123", "letter and dash swapped"},
		{"NES-000123", "NES0-00123", "dash and digit swapped"},
		{"B-0000001", "-B0000001", "dash and letter swapped"},
		{"B-0000001", "B-0000E01", "digit read as a letter"},
		{"AB12CD", "AB12C4", "letter read as a digit"},
		{"AB12CD", "A1B2CD", "letter and digit swapped"},
		{"r042", "r04F", "digit read as a letter"},
		{"p1", "P1", "letter case"},
	} {
		code := WristbandCode(c.id)
		misread := strings.Replace(code, string(c.id), string(c.misread), 1)
		if id, err := ParseWristband(misread); err == nil {
			t.Errorf("%s: %q misread as %q reads as %q", c.what, code, misread, id)
		}
	}
	ids := []string{"NES-000123", "NES-004711", "B-0000001", "M-001", "AB12CD", "r042", "p1", "x-Y-z-0-9"}
	for _, id := range ids {
		code := WristbandCode(PersonID(id))
		check := code[len(code)-3:] // ":NN"
		tries := 0
		for i := range id {
			for _, r := range idAlphabet {
				if byte(r) == id[i] {
					continue
				}
				alt := id[:i] + string(r) + id[i+1:]
				tries++
				if got, err := ParseWristband("CUSTODY1:" + alt + check); err == nil {
					t.Errorf("%s: substitution at %d reads %q as %q", id, i, alt, got)
				}
			}
			if i+1 < len(id) && id[i] != id[i+1] {
				alt := id[:i] + id[i+1:i+2] + id[i:i+1] + id[i+2:]
				tries++
				if got, err := ParseWristband("CUSTODY1:" + alt + check); err == nil {
					t.Errorf("%s: transposition at %d reads %q as %q", id, i, alt, got)
				}
			}
		}
		if tries < len(id)*(len(idAlphabet)-1) {
			t.Fatalf("%s: only %d alterations tried", id, tries)
		}
	}
}

func FuzzParseWristband(f *testing.F) {
	for _, s := range []string{
		WristbandCode("NES-000123"), WristbandCode("p1"), " " + WristbandCode("B-0000001") + "\n",
		"", "CUSTODY1:", "CUSTODY1::00", "CUSTODY1:a:b:00", "CUSTODY1:é:00", "CUSTODY1:\x00:00", "NES-000123",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		id, err := ParseWristband(code)
		if err != nil {
			if id != "" {
				t.Fatalf("ParseWristband(%q) = %q with error %v", code, id, err)
			}
		} else {
			if id == "" {
				t.Fatalf("ParseWristband(%q) accepted an empty ID", code)
			}
			if again := WristbandCode(id); again != strings.TrimSpace(code) {
				t.Fatalf("ParseWristband(%q) = %q, whose code is %q", code, id, again)
			}
		}
		// The input as an ID: if it is made of ID characters, its code
		// reads back as it.
		if code == "" || strings.Trim(code, idAlphabet) != "" {
			return
		}
		if got, err := ParseWristband(WristbandCode(PersonID(code))); err != nil || got != PersonID(code) {
			t.Fatalf("code of ID %q reads as %q, %v", code, got, err)
		}
	})
}
