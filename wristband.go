package custody

import (
	"fmt"
	"strings"
)

// wristbandPrefix starts every wristband code, so that a scanner never
// mistakes another QR code for a person.
const wristbandPrefix = "CUSTODY1:"

// WristbandCode returns the code printed as a QR on a person's wristband:
// the person's ID and two check digits (ISO 7064 MOD 97-10 over the ID, as
// IBANs use), so that a misread or mistyped ID is refused rather than taken
// for another person.
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

// checkDigits computes ISO 7064 MOD 97-10 check digits over the letters and
// digits of s (letters count as 10..35, other characters are skipped).
func checkDigits(s string) int {
	n := 0
	add := func(d int) { n = (n*10 + d) % 97 }
	for _, r := range strings.ToUpper(s) {
		switch {
		case r >= '0' && r <= '9':
			add(int(r - '0'))
		case r >= 'A' && r <= 'Z':
			v := int(r-'A') + 10
			add(v / 10)
			add(v % 10)
		}
	}
	n = (n * 100) % 97
	return 98 - n
}
