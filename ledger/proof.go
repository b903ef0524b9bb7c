package ledger

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// ProveInclusion returns the proof that record index is in the tree of the
// first size records, reading stored hashes from r ([tlog.ProveRecord]).
// It requires 0 <= index < size.
func ProveInclusion(size, index int64, r tlog.HashReader) (tlog.RecordProof, error) {
	p, err := tlog.ProveRecord(size, index, r)
	if err != nil {
		return nil, fmt.Errorf("ledger: prove inclusion of record %d in tree of size %d: %w", index, size, err)
	}
	return p, nil
}

// CheckInclusion verifies that p proves that the record with leaf hash leaf
// is record index of the tree of size size with root hash root
// ([tlog.CheckRecord]).
func CheckInclusion(p tlog.RecordProof, size int64, root tlog.Hash, index int64, leaf tlog.Hash) error {
	if err := tlog.CheckRecord(p, size, root, index, leaf); err != nil {
		return fmt.Errorf("ledger: check inclusion of record %d in tree of size %d: %w", index, size, err)
	}
	return nil
}

// ProveConsistency returns the proof that the tree of size oldSize is a
// prefix of the tree of size newSize, reading stored hashes from r
// ([tlog.ProveTree]). It requires 1 <= oldSize <= newSize.
func ProveConsistency(newSize, oldSize int64, r tlog.HashReader) (tlog.TreeProof, error) {
	p, err := tlog.ProveTree(newSize, oldSize, r)
	if err != nil {
		return nil, fmt.Errorf("ledger: prove consistency of tree sizes %d and %d: %w", oldSize, newSize, err)
	}
	return p, nil
}

// CheckConsistency verifies that p proves that the tree of size oldSize with
// root oldRoot is a prefix of the tree of size newSize with root newRoot
// ([tlog.CheckTree]).
func CheckConsistency(p tlog.TreeProof, newSize int64, newRoot tlog.Hash, oldSize int64, oldRoot tlog.Hash) error {
	if err := tlog.CheckTree(p, newSize, newRoot, oldSize, oldRoot); err != nil {
		return fmt.Errorf("ledger: check consistency of tree sizes %d and %d: %w", oldSize, newSize, err)
	}
	return nil
}

// MemoryHashes is an in-memory [tlog.HashReader]: the stored hashes of a
// tree, indexed by stored-hash index. It serves verification (a proof bundle
// rebuilt offline) and tests. Reads may run concurrently with each other but
// not with Add.
type MemoryHashes struct {
	hashes []tlog.Hash
}

// Add appends stored hashes, which must arrive in index order with no gap:
// the first must have index m.Len().
func (m *MemoryHashes) Add(hashes ...StoredHash) error {
	for _, h := range hashes {
		if h.Index != int64(len(m.hashes)) {
			return fmt.Errorf("ledger: memory hashes: add index %d, want %d", h.Index, len(m.hashes))
		}
		m.hashes = append(m.hashes, h.Hash)
	}
	return nil
}

// Len returns the number of stored hashes held, which is
// tlog.StoredHashCount(n) after all hashes of n records were added.
func (m *MemoryHashes) Len() int64 {
	return int64(len(m.hashes))
}

// ReadHashes implements [tlog.HashReader].
func (m *MemoryHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("ledger: memory hashes: index %d not stored (have %d)", x, len(m.hashes))
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}
