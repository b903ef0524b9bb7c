package ledger

import (
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// receiptFixture signs a checkpoint of a 1,000-entry log and returns a
// receipt proof of entry index and the verifier key.
func receiptFixture(t *testing.T, index int64) (*ReceiptProof, string) {
	t.Helper()
	const n = 1000
	f := newProofFixture(t, n)
	skey, vkey, err := GenerateKey("custody.test/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	root, err := tlog.TreeHash(n, f.hashes)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := SignCheckpoint(signer, "custody.test/log", n, root)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ProveInclusion(n, index, f.hashes)
	if err != nil {
		t.Fatal(err)
	}
	return &ReceiptProof{Index: index, Leaf: tlog.Hash(f.leaves[index]), Proof: p, Checkpoint: cp}, vkey
}

func TestReceiptRoundTrip(t *testing.T) {
	r, vkey := receiptFixture(t, 617)
	text := r.Encode()
	if len(text) > 1500 {
		t.Errorf("encoded receipt is %d bytes: too big for a printed QR code", len(text))
	}
	got, err := DecodeReceipt(text)
	if err != nil {
		t.Fatal(err)
	}
	if got.Encode() != text {
		t.Errorf("decode then encode changed the text:\n%s\nwant\n%s", got.Encode(), text)
	}
	size, err := got.Verify(vkey)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if size != 1000 {
		t.Errorf("size %d, want 1000", size)
	}
}

func TestReceiptTampered(t *testing.T) {
	r, vkey := receiptFixture(t, 617)
	_, otherKey, err := GenerateKey("custody.test/log")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(r *ReceiptProof) string
		key    string
		want   string
	}{
		{"other leaf", func(r *ReceiptProof) string { r.Leaf[0] ^= 1; return "" }, vkey, "not in the signed tree"},
		{"other index", func(r *ReceiptProof) string { r.Index = 616; return "" }, vkey, "not in the signed tree"},
		{"index beyond the checkpoint", func(r *ReceiptProof) string { r.Index = 1000; return "" }, vkey, "not in a checkpoint of 1000"},
		{"proof hash changed", func(r *ReceiptProof) string { r.Proof[3][5] ^= 0x80; return "" }, vkey, "not in the signed tree"},
		{"proof shortened", func(r *ReceiptProof) string { r.Proof = r.Proof[1:]; return "" }, vkey, "not in the signed tree"},
		{"checkpoint size edited", func(r *ReceiptProof) string {
			r.Checkpoint = []byte(strings.Replace(string(r.Checkpoint), "\n1000\n", "\n1001\n", 1))
			return ""
		}, vkey, "signature"},
		{"another log's key", func(r *ReceiptProof) string { return "" }, otherKey, "not signed by"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *r
			c.Proof = append(tlog.RecordProof(nil), r.Proof...)
			tt.change(&c)
			d, err := DecodeReceipt(c.Encode())
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			_, err = d.Verify(tt.key)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("verify: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestDecodeReceiptErrors(t *testing.T) {
	r, _ := receiptFixture(t, 3)
	good := r.Encode()
	tests := []struct{ name, text, want string }{
		{"empty", "", "no blank line"},
		{"wrong header", strings.Replace(good, receiptHeader, "custody-receipt v9", 1), "line 1"},
		{"bad index", strings.Replace(good, "index 3", "index three", 1), "line 2: index"},
		{"bad leaf", strings.Replace(good, "leaf ", "leaf !!", 1), "leaf: not base64"},
		{"unknown field", strings.Replace(good, "index 3\n", "index 3\nextra 1\n", 1), "unknown field \"extra\""},
		{"no proof line", strings.Replace(good, "\nproof", "\nxproof", 1), "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeReceipt(tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func FuzzDecodeReceipt(f *testing.F) {
	r, _ := receiptFixture(&testing.T{}, 5)
	f.Add(r.Encode())
	f.Add("custody-receipt v1\nindex 1\nleaf AAAA\nproof\n\nx")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := DecodeReceipt(s)
		if err != nil {
			return
		}
		again, err := DecodeReceipt(d.Encode())
		if err != nil {
			t.Fatalf("re-decoding an accepted receipt: %v", err)
		}
		if again.Encode() != d.Encode() {
			t.Fatalf("encoding is not stable")
		}
	})
}
