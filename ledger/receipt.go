package ledger

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// receiptHeader starts an encoded receipt proof.
const receiptHeader = "custody-receipt v1"

// ReceiptProof is what a printed receipt carries in its QR code so that
// the paper can be checked offline: the log index of an event, its leaf
// hash, the inclusion proof of that leaf in the tree of a signed
// checkpoint, and the checkpoint itself. Whoever holds the log's verifier
// key can check it with no access to the database; whoever is also shown
// the event body can check that it hashes to the leaf.
type ReceiptProof struct {
	Index      int64
	Leaf       tlog.Hash
	Proof      tlog.RecordProof
	Checkpoint []byte // the signed note, verbatim
}

// Encode returns the text form printed in the QR code:
//
//	custody-receipt v1
//	index <n>
//	leaf <base64>
//	proof <base64> <base64> ...
//
//	<signed checkpoint note>
func (r *ReceiptProof) Encode() string {
	var b strings.Builder
	b.WriteString(receiptHeader + "\n")
	fmt.Fprintf(&b, "index %d\n", r.Index)
	fmt.Fprintf(&b, "leaf %s\n", base64.StdEncoding.EncodeToString(r.Leaf[:]))
	b.WriteString("proof")
	for _, h := range r.Proof {
		b.WriteString(" " + base64.StdEncoding.EncodeToString(h[:]))
	}
	b.WriteString("\n\n")
	b.Write(r.Checkpoint)
	return b.String()
}

// DecodeReceipt parses the text form of a receipt proof. It does not check
// it: see Verify.
func DecodeReceipt(s string) (*ReceiptProof, error) {
	head, cp, ok := strings.Cut(s, "\n\n")
	if !ok {
		return nil, fmt.Errorf("ledger: receipt: no blank line before the checkpoint")
	}
	r := &ReceiptProof{Index: -1, Checkpoint: []byte(cp)}
	sc := bufio.NewScanner(strings.NewReader(head))
	line := 0
	seenLeaf, seenProof := false, false
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != receiptHeader {
				return nil, fmt.Errorf("ledger: receipt: line 1 is %q, want %q", text, receiptHeader)
			}
			continue
		}
		field, value, _ := strings.Cut(text, " ")
		switch field {
		case "index":
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("ledger: receipt: line %d: index %q is not a log index", line, value)
			}
			r.Index = n
		case "leaf":
			h, err := decodeHash(value)
			if err != nil {
				return nil, fmt.Errorf("ledger: receipt: line %d: leaf: %w", line, err)
			}
			r.Leaf, seenLeaf = h, true
		case "proof":
			seenProof = true
			for f := range strings.FieldsSeq(value) {
				h, err := decodeHash(f)
				if err != nil {
					return nil, fmt.Errorf("ledger: receipt: line %d: proof hash %d: %w", line, len(r.Proof)+1, err)
				}
				r.Proof = append(r.Proof, h)
			}
		default:
			return nil, fmt.Errorf("ledger: receipt: line %d: unknown field %q", line, field)
		}
	}
	switch {
	case line == 0:
		return nil, fmt.Errorf("ledger: receipt: empty")
	case r.Index < 0 || !seenLeaf || !seenProof:
		return nil, fmt.Errorf("ledger: receipt: index, leaf and proof lines are all required")
	case len(cp) == 0:
		return nil, fmt.Errorf("ledger: receipt: no checkpoint")
	}
	return r, nil
}

func decodeHash(s string) (tlog.Hash, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("not base64: %w", err)
	}
	if len(b) != tlog.HashSize {
		return tlog.Hash{}, fmt.Errorf("%d bytes, want %d", len(b), tlog.HashSize)
	}
	return tlog.Hash(b), nil
}

// Verify checks the receipt with the log's verifier key: the checkpoint's
// signature, and that the leaf is at Index in the checkpoint's tree. It
// returns the checkpoint's size.
func (r *ReceiptProof) Verify(verifierKey string) (size int64, err error) {
	origin, _, _ := strings.Cut(string(r.Checkpoint), "\n")
	size, root, err := OpenCheckpoint(r.Checkpoint, verifierKey, origin)
	if err != nil {
		return 0, err
	}
	if r.Index >= size {
		return 0, fmt.Errorf("ledger: receipt: index %d is not in a checkpoint of %d entries", r.Index, size)
	}
	if err := CheckInclusion(r.Proof, size, root, r.Index, r.Leaf); err != nil {
		return 0, fmt.Errorf("ledger: receipt: leaf %d is not in the signed tree: %w", r.Index, err)
	}
	return size, nil
}
