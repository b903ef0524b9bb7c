package ledger

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"
)

// mth is the RFC 6962 Merkle Tree Hash of leaves, computed naively with the
// independent transparency-dev hasher.
func mth(leaves [][]byte) []byte {
	h := rfc6962.DefaultHasher
	switch len(leaves) {
	case 0:
		return h.EmptyRoot()
	case 1:
		return leaves[0]
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	return h.HashChildren(mth(leaves[:k]), mth(leaves[k:]))
}

func toBytes(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = bytes.Clone(hs[i][:])
	}
	return out
}

// proofFixture is a log of n records: its stored hashes, leaf hashes and the
// independently computed root of every size.
type proofFixture struct {
	hashes *MemoryHashes
	leaves [][]byte
	roots  [][]byte // roots[s] is the root of size s
}

func newProofFixture(t *testing.T, n int64) *proofFixture {
	t.Helper()
	f := &proofFixture{hashes: &MemoryHashes{}}
	tr := NewTree(nil)
	f.roots = append(f.roots, mth(nil))
	for i := range n {
		data := record(0, i)
		hs, err := tr.Append(i, LeafHash(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.hashes.Add(hs...); err != nil {
			t.Fatal(err)
		}
		f.leaves = append(f.leaves, rfc6962.DefaultHasher.HashLeaf(data))
		f.roots = append(f.roots, mth(f.leaves))
	}
	return f
}

func (f *proofFixture) root(t *testing.T, size int64) tlog.Hash {
	t.Helper()
	var h tlog.Hash
	copy(h[:], f.roots[size])
	got, err := tlog.TreeHash(size, f.hashes)
	if err != nil {
		t.Fatal(err)
	}
	if got != h {
		t.Fatalf("tlog root of size %d = %v, independent root %x", size, got, f.roots[size])
	}
	return h
}

// pairs returns every pair lo < hi <= small and random pairs up to max.
func pairs(small, max int64, random int) [][2]int64 {
	var ps [][2]int64
	for hi := int64(1); hi <= small; hi++ {
		for lo := range hi {
			ps = append(ps, [2]int64{lo, hi})
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range random {
		hi := 1 + rng.Int64N(max)
		ps = append(ps, [2]int64{rng.Int64N(hi), hi})
	}
	return ps
}

func TestInclusionCrossCheck(t *testing.T) {
	const max = 700
	f := newProofFixture(t, max)
	h := rfc6962.DefaultHasher
	for _, p := range pairs(40, max, 400) {
		index, size := p[0], p[1]
		root := f.root(t, size)
		leaf := LeafHash(record(0, index))
		pr, err := ProveInclusion(size, index, f.hashes)
		if err != nil {
			t.Fatalf("ProveInclusion(%d, %d): %v", size, index, err)
		}
		if err := CheckInclusion(pr, size, root, index, leaf); err != nil {
			t.Fatalf("CheckInclusion(%d, %d): %v", size, index, err)
		}
		if err := proof.VerifyInclusion(h, uint64(index), uint64(size), leaf[:], toBytes(pr), root[:]); err != nil {
			t.Fatalf("merkle VerifyInclusion(%d, %d): %v", index, size, err)
		}

		// Tampering fails with both implementations.
		type tamper struct {
			name  string
			pr    tlog.RecordProof
			root  tlog.Hash
			index int64
			leaf  tlog.Hash
		}
		flipRoot := root
		flipRoot[index%32] ^= 1
		flipLeaf := leaf
		flipLeaf[31] ^= 0x80
		ts := []tamper{
			{"root", pr, flipRoot, index, leaf},
			{"leaf", pr, root, index, flipLeaf},
			{"extended", append(pr[:len(pr):len(pr)], leaf), root, index, leaf},
		}
		if size > 1 {
			ts = append(ts, tamper{"index", pr, root, (index + 1) % size, leaf})
		}
		if len(pr) > 0 {
			bad := append(tlog.RecordProof(nil), pr...)
			bad[len(bad)/2][0] ^= 1
			ts = append(ts, tamper{"proof hash", bad, root, index, leaf},
				tamper{"truncated", pr[:len(pr)-1], root, index, leaf})
		}
		for _, tt := range ts {
			if err := CheckInclusion(tt.pr, size, tt.root, tt.index, tt.leaf); err == nil {
				t.Errorf("CheckInclusion(%d, %d) with tampered %s: no error", size, index, tt.name)
			}
			if err := proof.VerifyInclusion(h, uint64(tt.index), uint64(size), tt.leaf[:], toBytes(tt.pr), tt.root[:]); err == nil {
				t.Errorf("merkle VerifyInclusion(%d, %d) with tampered %s: no error", index, size, tt.name)
			}
		}
	}
}

func TestConsistencyCrossCheck(t *testing.T) {
	const max = 700
	f := newProofFixture(t, max)
	h := rfc6962.DefaultHasher
	for _, p := range pairs(40, max, 400) {
		oldSize, newSize := p[0]+1, p[1]
		oldRoot, newRoot := f.root(t, oldSize), f.root(t, newSize)
		pr, err := ProveConsistency(newSize, oldSize, f.hashes)
		if err != nil {
			t.Fatalf("ProveConsistency(%d, %d): %v", newSize, oldSize, err)
		}
		if err := CheckConsistency(pr, newSize, newRoot, oldSize, oldRoot); err != nil {
			t.Fatalf("CheckConsistency(%d, %d): %v", newSize, oldSize, err)
		}
		if err := proof.VerifyConsistency(h, uint64(oldSize), uint64(newSize), toBytes(pr), oldRoot[:], newRoot[:]); err != nil {
			t.Fatalf("merkle VerifyConsistency(%d, %d): %v", oldSize, newSize, err)
		}
		if oldSize == newSize {
			continue // the proof is empty and the roots are equal
		}

		type tamper struct {
			name             string
			pr               tlog.TreeProof
			oldRoot, newRoot tlog.Hash
		}
		flipOld, flipNew := oldRoot, newRoot
		flipOld[0] ^= 1
		flipNew[31] ^= 1
		ts := []tamper{
			{"old root", pr, flipOld, newRoot},
			{"new root", pr, oldRoot, flipNew},
			{"extended", append(pr[:len(pr):len(pr)], oldRoot), oldRoot, newRoot},
		}
		if len(pr) > 0 {
			bad := append(tlog.TreeProof(nil), pr...)
			bad[len(bad)-1][7] ^= 1
			ts = append(ts, tamper{"proof hash", bad, oldRoot, newRoot},
				tamper{"truncated", pr[:len(pr)-1], oldRoot, newRoot})
		}
		for _, tt := range ts {
			if err := CheckConsistency(tt.pr, newSize, tt.newRoot, oldSize, tt.oldRoot); err == nil {
				t.Errorf("CheckConsistency(%d, %d) with tampered %s: no error", newSize, oldSize, tt.name)
			}
			if err := proof.VerifyConsistency(h, uint64(oldSize), uint64(newSize), toBytes(tt.pr), tt.oldRoot[:], tt.newRoot[:]); err == nil {
				t.Errorf("merkle VerifyConsistency(%d, %d) with tampered %s: no error", oldSize, newSize, tt.name)
			}
		}
	}
}

func TestProofErrors(t *testing.T) {
	f := newProofFixture(t, 10)
	root := f.root(t, 10)
	tests := []struct {
		name string
		err  func() error
	}{
		{"inclusion index = size", func() error { _, err := ProveInclusion(10, 10, f.hashes); return err }},
		{"inclusion negative index", func() error { _, err := ProveInclusion(10, -1, f.hashes); return err }},
		{"inclusion beyond stored", func() error { _, err := ProveInclusion(20, 3, f.hashes); return err }},
		{"check inclusion bad size", func() error { return CheckInclusion(nil, 0, root, 0, root) }},
		{"consistency old > new", func() error { _, err := ProveConsistency(5, 6, f.hashes); return err }},
		{"consistency from 0", func() error { _, err := ProveConsistency(5, 0, f.hashes); return err }},
		{"consistency beyond stored", func() error { _, err := ProveConsistency(30, 6, f.hashes); return err }},
		{"check consistency bad sizes", func() error { return CheckConsistency(nil, 3, root, 4, root) }},
	}
	for _, tt := range tests {
		err := tt.err()
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !bytes.HasPrefix([]byte(err.Error()), []byte("ledger: ")) {
			t.Errorf("%s: error %q lacks prefix", tt.name, err)
		}
	}
}

func TestMemoryHashes(t *testing.T) {
	var m MemoryHashes
	h := func(i int) tlog.Hash { return LeafHash(fmt.Appendf(nil, "%d", i)) }
	if err := m.Add(StoredHash{0, h(0)}, StoredHash{1, h(1)}); err != nil {
		t.Fatal(err)
	}
	if err := m.Add(StoredHash{3, h(3)}); err == nil {
		t.Error("Add with a gap: no error")
	}
	if err := m.Add(StoredHash{1, h(1)}); err == nil {
		t.Error("Add of an index already stored: no error")
	}
	if m.Len() != 2 {
		t.Errorf("Len = %d, want 2", m.Len())
	}
	got, err := m.ReadHashes([]int64{1, 0, 1})
	if err != nil || len(got) != 3 || got[0] != h(1) || got[1] != h(0) || got[2] != h(1) {
		t.Errorf("ReadHashes = %v, %v", got, err)
	}
	for _, x := range []int64{-1, 2} {
		if _, err := m.ReadHashes([]int64{0, x}); err == nil {
			t.Errorf("ReadHashes(%d): no error", x)
		}
	}
}
