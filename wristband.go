package custody

import (
	"fmt"
	"strings"
)

// wristbandPrefix starts every wristband code, so that a scanner never
// mistakes another QR code for a person.
const wristbandPrefix = "CUSTODY1:"

// WristbandCode returns the code printed as a QR on a person's wristband:
// the person's ID and two check digits (ISO 7064 MOD 97-10, as IBANs use,
// over the ID with each character written as two digits), so that a
// misread or mistyped ID is refused rather than taken for another person.
func WristbandCode(id PersonID) string {
	return fmt.Sprintf("%s%s:%02d", wristbandPrefix, id, checkDigits(string(id)))
}

// ParseWristband returns the person ID a wristband code holds, or an error
// saying why the code is not a valid wristband code.
func ParseWristband(code string) (PersonID, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(code), wristbandPrefix)
	if !ok {
		return "", fmt.Errorf("not a custody wristband code (it does not start with %q)", wristbandPrefix)
	}
	i := strings.LastIndexByte(rest, ':')
	if i <= 0 || len(rest)-i != 3 {
		return "", fmt.Errorf("wristband code %q: want ID:NN", code)
	}
	id, check := rest[:i], rest[i+1:]
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-') {
			return "", fmt.Errorf("wristband code %q: the ID holds %q", code, r)
		}
	}
	if want := fmt.Sprintf("%02d", checkDigits(id)); check != want {
		return "", fmt.Errorf("wristband code %q: check digits %s do not match the ID (misread or altered)", code, check)
	}
	return PersonID(id), nil
}

// checkDigits computes ISO 7064 MOD 97-10 check digits over s, each
// character of an ID written as exactly two digits: '0'-'9' as 00-09,
// 'A'-'Z' as 10-35, 'a'-'z' as 36-61 and '-' as 62 (IDs are case-sensitive;
// ParseWristband refuses any other character).
//
// With every character two digits wide, a single substitution changes the
// number by (a-b)·100ᵏ and an adjacent transposition by (a-b)·99·100ᵏ, with
// 0 < |a-b| ≤ 62, neither of which 97 (a prime) divides: both are always
// detected. (IBAN's scheme of one digit per digit and two per letter,
// ignoring case and dashes, let "NES-000123" pass as "nES-000123",
// "NE-S000123" or "NESS000123".)
func checkDigits(s string) int {
	n := 0
	for _, r := range s {
		v := 99 // not an ID character: ParseWristband refuses it anyway
		switch {
		case r >= '0' && r <= '9':
			v = int(r - '0')
		case r >= 'A' && r <= 'Z':
			v = int(r-'A') + 10
		case r >= 'a' && r <= 'z':
			v = int(r-'a') + 36
		case r == '-':
			v = 62
		}
		n = (n*100 + v) % 97
	}
	n = (n * 100) % 97
	return 98 - n
}
