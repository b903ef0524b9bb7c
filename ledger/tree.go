package ledger

import (
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// StoredHash is one stored hash of the tree with its index in tlog's
// stored-hash order (see [tlog.StoredHashIndex]).
type StoredHash struct {
	Index int64
	Hash  tlog.Hash
}

// maxLevels bounds the frontier: a tree of size n < 2⁶³ has at most 63
// complete subtrees pending a right sibling, one per set bit of n.
const maxLevels = 64

// frontierNode is the hash of the complete subtree at one level of the
// frontier: the N'th subtree of 2^level records.
type frontierNode struct {
	ok   bool
	n    int64
	hash tlog.Hash
}

// Tree computes the stored hashes of appended records and the tree hashes
// ("roots") of the log, keeping in memory only the frontier: for a tree of
// size n, the hashes of the complete subtrees named by the set bits of n,
// which are exactly the hashes that the next append and the root of size n
// need. Anything else is read from the fallback [tlog.HashReader] (the
// database). Memory is constant: at most 64 hashes, whatever the size.
//
// A Tree is not safe for concurrent use: one writer owns it.
type Tree struct {
	fallback tlog.HashReader
	// size is the number of records the frontier describes, or -1 when it
	// is unknown (after Reset, or when created with a fallback); the
	// frontier is then reloaded from the fallback by the next Append.
	size     int64
	frontier [maxLevels]frontierNode
}

// NewTree returns a Tree that reads hashes missing from its frontier from
// fallback. With a nil fallback the tree starts empty and must be appended
// to from record 0; otherwise its first Append may be at any size, and loads
// the frontier for that size from fallback.
func NewTree(fallback tlog.HashReader) *Tree {
	t := &Tree{fallback: fallback}
	if fallback == nil {
		t.size = 0
	} else {
		t.size = -1
	}
	return t
}

// Append computes the stored hashes created by adding record n, whose leaf
// hash is leaf, and advances the frontier to size n+1. It returns them in
// stored-hash order: the first is the leaf's own, at
// tlog.StoredHashIndex(0, n), followed by one hash per subtree the record
// completes.
//
// n must be the size the Tree has reached through earlier appends. After
// [Tree.Reset], or on a Tree created with a fallback and not yet appended
// to, n may be any size: Append then reads the frontier of size n from the
// fallback, which must hold the stored hashes of records 0..n-1.
func (t *Tree) Append(n int64, leaf tlog.Hash) ([]StoredHash, error) {
	if n < 0 {
		return nil, fmt.Errorf("ledger: tree: append record %d: negative index", n)
	}
	if t.size < 0 {
		if err := t.load(n); err != nil {
			return nil, fmt.Errorf("ledger: tree: append record %d: %w", n, err)
		}
	} else if n != t.size {
		return nil, fmt.Errorf("ledger: tree: append record %d to a tree of size %d", n, t.size)
	}
	hashes, err := tlog.StoredHashesForRecordHash(n, leaf, treeReader{t})
	if err != nil {
		return nil, fmt.Errorf("ledger: tree: append record %d: %w", n, err)
	}
	base := tlog.StoredHashIndex(0, n)
	out := make([]StoredHash, len(hashes))
	for i, h := range hashes {
		out[i] = StoredHash{Index: base + int64(i), Hash: h}
	}

	// The record completes subtrees at levels 0..m-1 (m = trailing ones of
	// n); their hashes are now folded into the new level-m subtree, so they
	// are pruned from the frontier.
	m := len(hashes) - 1
	for level := range m {
		t.frontier[level] = frontierNode{}
	}
	t.frontier[m] = frontierNode{ok: true, n: n >> uint(m), hash: hashes[m]}
	t.size = n + 1
	return out, nil
}

// Root returns the tree hash of the first n records. The root of the size
// the Tree has reached comes from memory alone; any other size, or any size
// after [Tree.Reset], also reads the fallback.
func (t *Tree) Root(n int64) (tlog.Hash, error) {
	if n < 0 {
		return tlog.Hash{}, fmt.Errorf("ledger: tree: root of size %d: negative size", n)
	}
	h, err := tlog.TreeHash(n, treeReader{t})
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("ledger: tree: root of size %d: %w", n, err)
	}
	return h, nil
}

// Reset forgets the frontier, for instance after the transaction that
// stored the last appends was rolled back. Later reads go to the fallback
// until an Append reloads the frontier from it.
func (t *Tree) Reset() {
	t.size = -1
	t.frontier = [maxLevels]frontierNode{}
}

// load reads the frontier of size n from the fallback.
func (t *Tree) load(n int64) error {
	var need []int64
	var levels []int
	for level := maxLevels - 1; level >= 0; level-- {
		if n&(1<<uint(level)) != 0 {
			need = append(need, tlog.StoredHashIndex(level, n>>uint(level)-1))
			levels = append(levels, level)
		}
	}
	var hashes []tlog.Hash
	if len(need) > 0 {
		if t.fallback == nil {
			return errors.New("frontier not in memory and no fallback")
		}
		var err error
		hashes, err = t.fallback.ReadHashes(need)
		if err != nil {
			return fmt.Errorf("load frontier of size %d: %w", n, err)
		}
		if len(hashes) != len(need) {
			return fmt.Errorf("load frontier of size %d: read %d hashes, want %d", n, len(hashes), len(need))
		}
	}
	t.frontier = [maxLevels]frontierNode{}
	for i, level := range levels {
		t.frontier[level] = frontierNode{ok: true, n: n>>uint(level) - 1, hash: hashes[i]}
	}
	t.size = n
	return nil
}

// frontierLen returns the number of hashes held in memory.
func (t *Tree) frontierLen() int {
	c := 0
	for _, f := range t.frontier {
		if f.ok {
			c++
		}
	}
	return c
}

// treeReader is the tlog.HashReader of a Tree: the frontier first, then
// one batched read of the fallback for whatever the frontier lacks.
type treeReader struct{ t *Tree }

// ReadHashes implements [tlog.HashReader].
func (r treeReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missIdx []int64
	var missPos []int
	for i, x := range indexes {
		level, n := tlog.SplitStoredHashIndex(x)
		if level < maxLevels {
			if f := r.t.frontier[level]; f.ok && f.n == n {
				out[i] = f.hash
				continue
			}
		}
		missIdx = append(missIdx, x)
		missPos = append(missPos, i)
	}
	if len(missIdx) == 0 {
		return out, nil
	}
	if r.t.fallback == nil {
		return nil, fmt.Errorf("stored hash %d not in memory and no fallback", missIdx[0])
	}
	got, err := r.t.fallback.ReadHashes(missIdx)
	if err != nil {
		return nil, err
	}
	if len(got) != len(missIdx) {
		return nil, fmt.Errorf("fallback read %d hashes, want %d", len(got), len(missIdx))
	}
	for i, p := range missPos {
		out[p] = got[i]
	}
	return out, nil
}
