package ledger

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// algEd25519 is the signed-note algorithm byte that prefixes Ed25519 key data.
const algEd25519 = 1

// maxKeyFileSize bounds what ReadKeyFile reads: a signer key is about 100 bytes.
const maxKeyFileSize = 4096

// GenerateKey creates an Ed25519 signed-note key pair named origin, using
// crypto/rand. The signer key ("PRIVATE+KEY+name+hash+base64") is secret;
// the verifier key ("name+hash+base64") is published.
func GenerateKey(origin string) (signerKey, verifierKey string, err error) {
	signerKey, verifierKey, err = note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return "", "", fmt.Errorf("ledger: generate key %q: %w", origin, err)
	}
	// note.GenerateKey does not check the name; NewSigner does.
	if _, err := note.NewSigner(signerKey); err != nil {
		return "", "", fmt.Errorf("ledger: generate key %q: %w", origin, err)
	}
	return signerKey, verifierKey, nil
}

// WriteKeyFile writes signerKey to a new file at path with mode 0600. It
// refuses to overwrite an existing file and to write a malformed key.
func WriteKeyFile(path, signerKey string) (err error) {
	if _, err := note.NewSigner(signerKey); err != nil {
		return fmt.Errorf("ledger: write key file %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("ledger: write key file: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("ledger: write key file: %w", cerr)
		}
	}()
	if _, err := f.WriteString(signerKey + "\n"); err != nil {
		return fmt.Errorf("ledger: write key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("ledger: write key file: %w", err)
	}
	return nil
}

// ReadKeyFile reads a signer key written by [WriteKeyFile] and returns its
// [note.Signer]. It refuses a file that its group or others may read, write
// or execute, naming the path and the mode.
func ReadKeyFile(path string) (note.Signer, error) {
	k, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	s, err := note.NewSigner(k)
	if err != nil {
		// Never include the file's content: it is a secret.
		return nil, fmt.Errorf("ledger: key file %s: %w", path, err)
	}
	return s, nil
}

// ReadKeyFileVerifier reads a signer key written by [WriteKeyFile], with
// the same checks as [ReadKeyFile], and returns its verifier key.
func ReadKeyFileVerifier(path string) (string, error) {
	k, err := readKeyFile(path)
	if err != nil {
		return "", err
	}
	v, err := VerifierFromSigner(k)
	if err != nil {
		return "", fmt.Errorf("ledger: key file %s: malformed signer key", path)
	}
	return v, nil
}

func readKeyFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("ledger: read key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("ledger: read key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("ledger: key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("ledger: key file %s has mode %04o: it must be readable only by its owner (chmod 600)", path, perm)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return "", fmt.Errorf("ledger: read key file %s: %w", path, err)
	}
	if len(b) > maxKeyFileSize {
		return "", fmt.Errorf("ledger: key file %s: larger than %d bytes", path, maxKeyFileSize)
	}
	return strings.TrimSpace(string(b)), nil
}

// VerifierFromSigner returns the verifier key ("name+hash+base64") that
// belongs to signerKey ("PRIVATE+KEY+name+hash+base64"), as note.GenerateKey
// would have returned it alongside.
func VerifierFromSigner(signerKey string) (string, error) {
	// NewSigner checks the encoding, the algorithm and the key hash.
	if _, err := note.NewSigner(signerKey); err != nil {
		return "", fmt.Errorf("ledger: verifier from signer: %w", err)
	}
	rest, ok := strings.CutPrefix(signerKey, "PRIVATE+KEY+")
	if !ok {
		return "", errors.New("ledger: verifier from signer: malformed signer key")
	}
	name, rest, _ := strings.Cut(rest, "+")
	_, key64, _ := strings.Cut(rest, "+")
	key, err := base64.StdEncoding.DecodeString(key64)
	if err != nil || len(key) != 1+ed25519.SeedSize || key[0] != algEd25519 {
		return "", errors.New("ledger: verifier from signer: malformed signer key")
	}
	pub := ed25519.NewKeyFromSeed(key[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		return "", fmt.Errorf("ledger: verifier from signer: %w", err)
	}
	return vkey, nil
}

// SignCheckpoint returns a signed note whose body is the C2SP
// tlog-checkpoint "origin\nsize\nbase64(root)\n", signed by s.
func SignCheckpoint(s note.Signer, origin string, size int64, root tlog.Hash) ([]byte, error) {
	if size < 0 {
		return nil, fmt.Errorf("ledger: sign checkpoint: negative size %d", size)
	}
	if origin == "" || strings.ContainsAny(origin, "\n") {
		return nil, fmt.Errorf("ledger: sign checkpoint: invalid origin %q", origin)
	}
	body := log.Checkpoint{Origin: origin, Size: uint64(size), Hash: root[:]}.Marshal()
	msg, err := note.Sign(&note.Note{Text: string(body)}, s)
	if err != nil {
		return nil, fmt.Errorf("ledger: sign checkpoint %d: %w", size, err)
	}
	return msg, nil
}

// OpenCheckpoint verifies the signature of the signed checkpoint msg with
// verifierKey and parses its body, which must name origin. Other signatures
// (witness cosignatures) and extension lines are allowed and ignored.
// It returns the checkpoint's size and root hash.
//
// The verifier key and every signature must be in canonical base64: the
// note package decodes base64 leniently, so without this check a changed
// padding bit would leave a checkpoint that still verifies, and a proof
// that "any changed byte fails" would not hold.
func OpenCheckpoint(msg []byte, verifierKey, origin string) (size int64, root tlog.Hash, err error) {
	if err := canonicalNote(msg, verifierKey); err != nil {
		return 0, tlog.Hash{}, fmt.Errorf("ledger: open checkpoint: %w", err)
	}
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return 0, tlog.Hash{}, fmt.Errorf("ledger: open checkpoint: verifier key: %w", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &invalid):
			return 0, tlog.Hash{}, fmt.Errorf("ledger: open checkpoint: bad signature: %w", err)
		case errors.As(err, &unverified):
			return 0, tlog.Hash{}, fmt.Errorf("ledger: open checkpoint: not signed by %s+%08x: %w", v.Name(), v.KeyHash(), err)
		default:
			return 0, tlog.Hash{}, fmt.Errorf("ledger: open checkpoint: malformed note: %w", err)
		}
	}
	var cp log.Checkpoint
	if _, err := cp.Unmarshal([]byte(n.Text)); err != nil {
		return 0, tlog.Hash{}, fmt.Errorf("ledger: open checkpoint: malformed body: %w", err)
	}
	if cp.Origin != origin {
		return 0, tlog.Hash{}, fmt.Errorf("ledger: open checkpoint: origin %q, want %q", cp.Origin, origin)
	}
	if cp.Size > math.MaxInt64 {
		return 0, tlog.Hash{}, fmt.Errorf("ledger: open checkpoint: malformed body: size %d out of range", cp.Size)
	}
	if len(cp.Hash) != tlog.HashSize {
		return 0, tlog.Hash{}, fmt.Errorf("ledger: open checkpoint: malformed body: root hash of %d bytes, want %d", len(cp.Hash), tlog.HashSize)
	}
	copy(root[:], cp.Hash)
	return int64(cp.Size), root, nil
}

// canonicalNote checks that the verifier key's and the note's signatures'
// base64 is canonical (strict: no stray padding bits).
func canonicalNote(msg []byte, verifierKey string) error {
	// name+hash+key: the key's base64 may itself hold a "+".
	if f := strings.SplitN(verifierKey, "+", 3); len(f) == 3 {
		if !canonicalBase64(f[2]) {
			return fmt.Errorf("verifier key %q: its key is not in canonical base64", verifierKey)
		}
	}
	text := string(msg)
	i := strings.LastIndex(text, "\n\n")
	if i < 0 {
		return nil // note.Open reports the malformed note
	}
	for k, line := range strings.Split(strings.TrimSuffix(text[i+2:], "\n"), "\n") {
		rest, ok := strings.CutPrefix(line, "\u2014 ")
		if !ok {
			continue
		}
		if j := strings.LastIndexByte(rest, ' '); j >= 0 && !canonicalBase64(rest[j+1:]) {
			return fmt.Errorf("malformed note: signature line %d is not in canonical base64", k+1)
		}
	}
	return nil
}

func canonicalBase64(s string) bool {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	return err == nil && base64.StdEncoding.EncodeToString(b) == s
}
