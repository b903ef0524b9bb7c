package password

import (
	"errors"
	"strings"
	"testing"
)

// fast keeps tests quick; the format and checks are the same.
var fast = Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32}

func TestHashCheck(t *testing.T) {
	h, err := Hash("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not in PHC form", h)
	}
	if err := Check("correct horse battery", h); err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if err := Check("correct horse batterY", h); !errors.Is(err, ErrMismatch) {
		t.Fatalf("wrong password: got %v, want ErrMismatch", err)
	}
	h2, _ := Hash("correct horse battery", fast)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestShortRefused(t *testing.T) {
	if _, err := Hash("short", fast); err == nil {
		t.Fatal("a 5-character password was accepted")
	}
}

func TestCheckBadHashes(t *testing.T) {
	for _, h := range []string{
		"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=19$m=0,t=1,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=19$m=1024,t=1,p=1$!!$a2V5",
		"$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$",
	} {
		err := Check("whatever password", h)
		if err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("Check(%q) = %v, want a format error", h, err)
		}
	}
}

func TestGenerate(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		p := Generate()
		if len(p) != 20 || strings.ContainsAny(p, "0O1lI") || seen[p] {
			t.Fatalf("generated %q", p)
		}
		seen[p] = true
	}
}

func FuzzCheck(f *testing.F) {
	h, _ := Hash("correct horse battery", fast)
	f.Add(h)
	f.Add("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5")
	f.Fuzz(func(t *testing.T, hash string) {
		if strings.Contains(hash, "m=") && !strings.Contains(hash, "m=1024,") {
			return // keep the fuzzer off huge memory costs it could legally ask for
		}
		Check("correct horse battery", hash)
	})
}
