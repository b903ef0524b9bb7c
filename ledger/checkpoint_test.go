package ledger

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const testOrigin = "custody.example/log"

// testKey returns a fixed key pair so that fuzz seeds stay valid.
func testKey(t testing.TB, seed byte) (note.Signer, string, string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{seed}, 32)), testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return s, skey, vkey
}

func TestCheckpointRoundTrip(t *testing.T) {
	skey, vkey, err := GenerateKey(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{0, 1, 12345, 1<<62 + 3} {
		root := LeafHash(fmt.Append(nil, size))
		msg, err := SignCheckpoint(s, testOrigin, size, root)
		if err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf("%s\n%d\n%s\n\n— %s ", testOrigin, size, root, testOrigin)
		if !strings.HasPrefix(string(msg), body) {
			t.Errorf("checkpoint = %q, want prefix %q", msg, body)
		}
		gotSize, gotRoot, err := OpenCheckpoint(msg, vkey, testOrigin)
		if err != nil {
			t.Fatalf("OpenCheckpoint: %v", err)
		}
		if gotSize != size || gotRoot != root {
			t.Errorf("OpenCheckpoint = %d, %v; want %d, %v", gotSize, gotRoot, size, root)
		}

		// The standard C2SP parser agrees.
		v, err := note.NewVerifier(vkey)
		if err != nil {
			t.Fatal(err)
		}
		cp, _, _, err := log.ParseCheckpoint(msg, testOrigin, v)
		if err != nil {
			t.Fatalf("log.ParseCheckpoint: %v", err)
		}
		if cp.Size != uint64(size) || !bytes.Equal(cp.Hash, root[:]) {
			t.Errorf("log.ParseCheckpoint = %d, %x", cp.Size, cp.Hash)
		}
	}
}

func TestOpenCheckpointFailures(t *testing.T) {
	s, _, vkey := testKey(t, 1)
	_, _, otherVkey := testKey(t, 2)
	root := LeafHash([]byte("root"))
	msg, err := SignCheckpoint(s, testOrigin, 42, root)
	if err != nil {
		t.Fatal(err)
	}
	signBody := func(body string) []byte {
		m, err := note.Sign(&note.Note{Text: body}, s)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	sigStart := bytes.Index(msg, []byte("\n\n")) + 2
	sigLine := string(msg[sigStart:])
	// Change one base64 letter in the middle of the signature itself (past
	// the 4-byte key hash).
	sigMid := sigStart + len(sigLine) - 40
	flippedSig := bytes.Clone(msg)
	if flippedSig[sigMid] == 'A' {
		flippedSig[sigMid] = 'B'
	} else {
		flippedSig[sigMid] = 'A'
	}
	_, _, otherNameVkey := func() (note.Signer, string, string) {
		skey, vkey, err := note.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{1}, 32)), "other.example/log")
		if err != nil {
			t.Fatal(err)
		}
		return nil, skey, vkey
	}()

	tests := []struct {
		name     string
		msg      []byte
		vkey     string
		origin   string
		contains string
	}{
		{"wrong key", msg, otherVkey, testOrigin, "not signed by"},
		{"wrong key name", msg, otherNameVkey, testOrigin, "not signed by"},
		{"wrong origin", msg, vkey, "other.example/log", `origin "custody.example/log", want "other.example/log"`},
		{"flipped signature", flippedSig, vkey, testOrigin, "bad signature"},
		{"bad verifier key", msg, "not a key", testOrigin, "verifier key"},
		{"empty", nil, vkey, testOrigin, "malformed note"},
		{"unsigned", []byte(testOrigin + "\n42\n" + root.String() + "\n"), vkey, testOrigin, "malformed note"},
		{"malformed body", signBody("just text\n"), vkey, testOrigin, "malformed body"},
		{"bad size", signBody(testOrigin + "\n-1\n" + root.String() + "\n"), vkey, testOrigin, "malformed body"},
		{"huge size", signBody(testOrigin + "\n18446744073709551615\n" + root.String() + "\n"), vkey, testOrigin, "out of range"},
		{"short hash", signBody(testOrigin + "\n42\nAAAA\n"), vkey, testOrigin, "root hash of 3 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size, got, err := OpenCheckpoint(tt.msg, tt.vkey, tt.origin)
			if err == nil {
				t.Fatalf("OpenCheckpoint = %d, %v; want error", size, got)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q does not say %q", err, tt.contains)
			}
		})
	}

	// Any byte flipped in the body fails.
	for i := range sigStart {
		bad := bytes.Clone(msg)
		bad[i] ^= 0x01
		if size, got, err := OpenCheckpoint(bad, vkey, testOrigin); err == nil {
			t.Errorf("body byte %d flipped: OpenCheckpoint = %d, %v", i, size, got)
		}
	}

	// A witness cosignature from an unknown key is ignored.
	w, _, _ := testKey(t, 3)
	n, err := note.Open(msg, note.VerifierList(mustVerifier(t, vkey)))
	if err != nil {
		t.Fatal(err)
	}
	cosigned, err := note.Sign(&note.Note{Text: n.Text, Sigs: n.Sigs}, w)
	if err != nil {
		t.Fatal(err)
	}
	if size, got, err := OpenCheckpoint(cosigned, vkey, testOrigin); err != nil || size != 42 || got != root {
		t.Errorf("cosigned: OpenCheckpoint = %d, %v, %v", size, got, err)
	}
}

func mustVerifier(t *testing.T, vkey string) note.Verifier {
	t.Helper()
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSignCheckpointErrors(t *testing.T) {
	s, _, _ := testKey(t, 1)
	for _, tt := range []struct {
		origin string
		size   int64
	}{{testOrigin, -1}, {"", 1}, {"two\nlines", 1}} {
		if _, err := SignCheckpoint(s, tt.origin, tt.size, tlog.Hash{}); err == nil {
			t.Errorf("SignCheckpoint(%q, %d): no error", tt.origin, tt.size)
		}
	}
}

func TestVerifierFromSigner(t *testing.T) {
	for _, name := range []string{testOrigin, "a", "عمليات/سجل", "custody.example"} {
		skey, vkey, err := GenerateKey(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := VerifierFromSigner(skey)
		if err != nil {
			t.Fatal(err)
		}
		if got != vkey {
			t.Errorf("VerifierFromSigner = %q, want %q", got, vkey)
		}
	}
	for seed := range byte(5) {
		_, skey, vkey := testKey(t, seed)
		if got, err := VerifierFromSigner(skey); err != nil || got != vkey {
			t.Errorf("VerifierFromSigner = %q, %v; want %q", got, err, vkey)
		}
	}

	_, skey, vkey := testKey(t, 1)
	hashless := strings.Replace(skey, "+"+strings.Split(vkey, "+")[1]+"+", "+00000000+", 1)
	for _, bad := range []string{"", vkey, "PRIVATE+KEY+x", hashless, skey[:len(skey)-4]} {
		if got, err := VerifierFromSigner(bad); err == nil {
			t.Errorf("VerifierFromSigner(%q) = %q, want error", bad, got)
		}
	}
	if _, _, err := GenerateKey("bad name"); err == nil {
		t.Error("GenerateKey with a space in the name: no error")
	}
}

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "signer.key")
	skey, vkey, err := GenerateKey(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteKeyFile(path, skey); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode %04o, want 0600", perm)
	}
	s, err := ReadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v := mustVerifier(t, vkey)
	if s.Name() != v.Name() || s.KeyHash() != v.KeyHash() {
		t.Errorf("signer %s+%08x, want %s+%08x", s.Name(), s.KeyHash(), v.Name(), v.KeyHash())
	}
	msg, err := SignCheckpoint(s, testOrigin, 1, tlog.Hash{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenCheckpoint(msg, vkey, testOrigin); err != nil {
		t.Errorf("checkpoint signed with the key file: %v", err)
	}

	// Refuses to overwrite, and leaves the file as it was.
	other, _, err := GenerateKey(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteKeyFile(path, other); !errors.Is(err, fs.ErrExist) {
		t.Errorf("WriteKeyFile over an existing file: %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != skey+"\n" {
		t.Error("existing key file was changed")
	}

	// Refuses a file readable by others, naming the path and mode.
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o602} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := ReadKeyFile(path)
		if err == nil {
			t.Fatalf("ReadKeyFile of a %04o file: no error", mode)
		}
		if want := fmt.Sprintf("%04o", mode); !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name the path and mode %s", err, want)
		}
		if strings.Contains(err.Error(), skey) {
			t.Error("error shows the secret key")
		}
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadKeyFile(path); err != nil {
		t.Errorf("ReadKeyFile of a 0400 file: %v", err)
	}

	// Malformed keys are neither written nor read.
	bad := filepath.Join(dir, "bad.key")
	if err := WriteKeyFile(bad, vkey); err == nil {
		t.Error("WriteKeyFile of a verifier key: no error")
	}
	if _, err := os.Stat(bad); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("malformed key file was created: %v", err)
	}
	if err := os.WriteFile(bad, []byte("PRIVATE+KEY+garbage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadKeyFile(bad); err == nil || strings.Contains(err.Error(), "garbage") {
		t.Errorf("ReadKeyFile of a malformed key: %v", err)
	}
	if _, err := ReadKeyFile(filepath.Join(dir, "missing.key")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadKeyFile of a missing file: %v", err)
	}
	if _, err := ReadKeyFile(dir); err == nil {
		t.Error("ReadKeyFile of a directory: no error")
	}
}

func FuzzOpenCheckpoint(f *testing.F) {
	s, _, vkey := testKey(f, 1)
	msg, err := SignCheckpoint(s, testOrigin, 42, LeafHash([]byte("root")))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(msg)
	f.Add([]byte{})
	f.Add([]byte(testOrigin + "\n42\nAAAA\n\n— " + testOrigin + " AAAA\n"))
	f.Add(bytes.Replace(msg, []byte("\n42\n"), []byte("\n-1\n"), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		size, _, err := OpenCheckpoint(data, vkey, testOrigin)
		if err == nil && size < 0 {
			t.Fatalf("OpenCheckpoint(%q) = size %d", data, size)
		}
	})
}

// TestCheckpointPaddingBits: the note package decodes base64 leniently, so a
// signature whose unused trailing bits are changed decodes to the same bytes.
// OpenCheckpoint refuses it, so a checkpoint has one written form and any
// changed byte fails (the bundle's promise).
func TestCheckpointPaddingBits(t *testing.T) {
	s, _, vkey := testKey(t, 7)
	msg, err := SignCheckpoint(s, testOrigin, 42, LeafHash([]byte("x")))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenCheckpoint(msg, vkey, testOrigin); err != nil {
		t.Fatal(err)
	}
	// The signature is 4+64 bytes: 92 characters with one "=", the last
	// character before it carrying two unused bits.
	text := string(msg)
	pad := strings.LastIndex(text, "=\n")
	if pad < 0 {
		t.Fatalf("no padded signature in %q", text)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	v := strings.IndexByte(alphabet, text[pad-1])
	changed := text[:pad-1] + string(alphabet[v^1]) + text[pad:]
	sig := changed[strings.LastIndexByte(changed[:pad], ' ')+1 : pad+1]
	if _, err := base64.StdEncoding.DecodeString(sig); err != nil {
		t.Fatalf("the changed signature %q does not decode leniently: %v", sig, err)
	}
	if _, _, err := OpenCheckpoint([]byte(changed), vkey, testOrigin); err == nil || !strings.Contains(err.Error(), "canonical base64") {
		t.Errorf("a signature with a changed padding bit: %v", err)
	}
}
