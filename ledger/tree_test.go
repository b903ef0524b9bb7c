package ledger

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// record returns the data of test record i of generation gen.
func record(gen, i int64) []byte {
	return fmt.Appendf(nil, `{"gen":%d,"i":%d}`, gen, i)
}

// reference builds the stored hashes of n records with tlog.StoredHashes
// alone, independently of Tree.
func reference(t testing.TB, n int64) *MemoryHashes {
	t.Helper()
	m := &MemoryHashes{}
	for i := range n {
		hs, err := tlog.StoredHashes(i, record(0, i), m)
		if err != nil {
			t.Fatal(err)
		}
		base := m.Len()
		for j, h := range hs {
			if err := m.Add(StoredHash{base + int64(j), h}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return m
}

// countingReader is a DB-like fallback that counts its calls and may fail.
type countingReader struct {
	r     tlog.HashReader // nil: every read fails
	calls int
}

var errNoDB = errors.New("no database")

func (c *countingReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	c.calls++
	if c.r == nil {
		return nil, errNoDB
	}
	return c.r.ReadHashes(indexes)
}

// appendChecked appends record (gen, n) to tr and checks what it returns
// against ref, which already holds at least n+1 records.
func appendChecked(t *testing.T, tr *Tree, ref *MemoryHashes, gen, n int64) []StoredHash {
	t.Helper()
	got, err := tr.Append(n, LeafHash(record(gen, n)))
	if err != nil {
		t.Fatalf("Append(%d): %v", n, err)
	}
	start, end := tlog.StoredHashIndex(0, n), tlog.StoredHashCount(n+1)
	if int64(len(got)) != end-start {
		t.Fatalf("Append(%d) returned %d hashes, want %d", n, len(got), end-start)
	}
	for i, sh := range got {
		if sh.Index != start+int64(i) {
			t.Fatalf("Append(%d)[%d].Index = %d, want %d", n, i, sh.Index, start+int64(i))
		}
		want, err := ref.ReadHashes([]int64{sh.Index})
		if err != nil {
			t.Fatal(err)
		}
		if sh.Hash != want[0] {
			t.Fatalf("Append(%d): stored hash %d = %v, want %v", n, sh.Index, sh.Hash, want[0])
		}
	}
	if l, want := tr.frontierLen(), bits.OnesCount64(uint64(n+1)); l != want || l > 64 {
		t.Fatalf("after Append(%d): frontier holds %d hashes, want %d", n, l, want)
	}
	return got
}

func checkRoot(t *testing.T, tr *Tree, ref *MemoryHashes, n int64) {
	t.Helper()
	got, err := tr.Root(n)
	if err != nil {
		t.Fatalf("Root(%d): %v", n, err)
	}
	want, err := tlog.TreeHash(n, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("Root(%d) = %v, want %v", n, got, want)
	}
}

func TestTreeSmallSizes(t *testing.T) {
	const max = 300
	ref := reference(t, max)
	fb := &countingReader{}
	tr := NewTree(fb)
	checkRoot(t, tr, ref, 0)
	for n := range int64(max) {
		appendChecked(t, tr, ref, 0, n)
		checkRoot(t, tr, ref, n+1)
	}
	if fb.calls != 0 {
		t.Errorf("fallback called %d times, want 0", fb.calls)
	}
}

func TestTreeLargeSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int64{1023, 1024, 1025, 4097}
	for range 3 {
		sizes = append(sizes, 5000+rng.Int64N(60000))
	}
	for _, size := range sizes {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			ref := reference(t, size)
			tr := NewTree(nil)
			got := &MemoryHashes{}
			for n := range size {
				hs, err := tr.Append(n, LeafHash(record(0, n)))
				if err != nil {
					t.Fatal(err)
				}
				if err := got.Add(hs...); err != nil {
					t.Fatal(err)
				}
				if tr.frontierLen() > 64 {
					t.Fatalf("frontier holds %d hashes", tr.frontierLen())
				}
			}
			if got.Len() != ref.Len() {
				t.Fatalf("stored %d hashes, want %d", got.Len(), ref.Len())
			}
			for i := range got.hashes {
				if got.hashes[i] != ref.hashes[i] {
					t.Fatalf("stored hash %d differs", i)
				}
			}
			checkRoot(t, tr, ref, size)
			// An older size needs the fallback, which this tree has not,
			// unless all its subtrees are still in the frontier.
			for _, k := range []int64{1, size / 2, size - 1} {
				got, err := tr.Root(k)
				want, _ := tlog.TreeHash(k, ref)
				if err == nil && got != want {
					t.Errorf("Root(%d) = %v, want %v", k, got, want)
				}
				if err == nil && size&1 == 0 && k == size-1 {
					t.Errorf("Root(%d) of tree size %d without fallback: no error", k, size)
				}
			}
		})
	}
}

// TestTreeNoFallbackNeeded checks that the frontier alone serves appends and
// the current root: the fallback is never read after starting at size 0.
func TestTreeNoFallbackNeeded(t *testing.T) {
	for _, name := range []string{"nil", "failing"} {
		t.Run(name, func(t *testing.T) {
			fb := &countingReader{}
			tr := NewTree(nil)
			if name == "failing" {
				tr = NewTree(fb)
			}
			for n := range int64(2100) {
				if _, err := tr.Append(n, LeafHash(record(0, n))); err != nil {
					t.Fatalf("Append(%d): %v", n, err)
				}
				if _, err := tr.Root(n + 1); err != nil {
					t.Fatalf("Root(%d): %v", n+1, err)
				}
			}
			if fb.calls != 0 {
				t.Errorf("fallback called %d times", fb.calls)
			}
		})
	}
}

// TestTreeReset simulates a writer whose transaction rolls back: the tree has
// seen appends that the database never stored, is Reset, and continues from
// what the database holds, reading its frontier back once.
func TestTreeReset(t *testing.T) {
	const committed, rolledBack, total = 777, 45, 1500
	// The final log: records 0..committed-1 of generation 0, the rest of
	// generation 1 (the rolled-back records were never stored).
	ref := &MemoryHashes{}
	for i := range int64(total) {
		gen := int64(0)
		if i >= committed {
			gen = 1
		}
		hs, err := tlog.StoredHashes(i, record(gen, i), ref)
		if err != nil {
			t.Fatal(err)
		}
		for j, h := range hs {
			if err := ref.Add(StoredHash{ref.Len(), h}); err != nil {
				t.Fatalf("%d: %v", j, err)
			}
		}
	}

	db := &MemoryHashes{}
	fb := &countingReader{r: db}
	tr := NewTree(fb)
	for n := range int64(committed) {
		if err := db.Add(appendChecked(t, tr, ref, 0, n)...); err != nil {
			t.Fatal(err)
		}
	}
	// A transaction that is rolled back: appended to the tree, not stored.
	for n := int64(committed); n < committed+rolledBack; n++ {
		if _, err := tr.Append(n, LeafHash(record(0, n))); err != nil {
			t.Fatal(err)
		}
	}
	tr.Reset()
	if fb.calls != 0 {
		t.Fatalf("fallback called %d times before Reset", fb.calls)
	}
	if tr.frontierLen() != 0 {
		t.Fatalf("frontier holds %d hashes after Reset", tr.frontierLen())
	}
	// After Reset, Root reads the database.
	checkRoot(t, tr, ref, committed)
	if fb.calls != 1 {
		t.Fatalf("Root after Reset: fallback called %d times, want 1", fb.calls)
	}
	fb.calls = 0
	for n := int64(committed); n < total; n++ {
		if err := db.Add(appendChecked(t, tr, ref, 1, n)...); err != nil {
			t.Fatal(err)
		}
		checkRoot(t, tr, ref, n+1)
	}
	if fb.calls != 1 {
		t.Errorf("fallback called %d times after Reset, want 1 (to load the frontier)", fb.calls)
	}
	// Older roots come from the database.
	for _, n := range []int64{1, 2, 3, committed - 1, committed, total - 1} {
		checkRoot(t, tr, ref, n)
	}
}

// TestTreeResumeFromDatabase starts a Tree on a database that already holds
// records, as a writer does at startup.
func TestTreeResumeFromDatabase(t *testing.T) {
	ref := reference(t, 600)
	for _, start := range []int64{0, 1, 2, 255, 256, 257, 511} {
		db := &MemoryHashes{hashes: ref.hashes[:tlog.StoredHashCount(start)]}
		tr := NewTree(db)
		for n := start; n < 600; n++ {
			appendChecked(t, tr, ref, 0, n)
		}
		checkRoot(t, tr, ref, 600)
	}
}

func TestTreeErrors(t *testing.T) {
	leaf := LeafHash([]byte("x"))
	tr := NewTree(nil)
	if _, err := tr.Append(1, leaf); err == nil {
		t.Error("Append(1) on an empty tree: no error")
	}
	if _, err := tr.Append(-1, leaf); err == nil {
		t.Error("Append(-1): no error")
	}
	if _, err := tr.Append(0, leaf); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Append(0, leaf); err == nil {
		t.Error("Append(0) twice: no error")
	}
	if _, err := tr.Root(-1); err == nil {
		t.Error("Root(-1): no error")
	}

	fb := &countingReader{}
	tr = NewTree(fb)
	if _, err := tr.Append(5, leaf); !errors.Is(err, errNoDB) {
		t.Errorf("Append(5) with a failing fallback: %v, want %v", err, errNoDB)
	}
	// The failed load left the tree unknown: a later Append may retry.
	fb.r = reference(t, 5)
	if _, err := tr.Append(5, leaf); err != nil {
		t.Errorf("Append(5) after the database recovered: %v", err)
	}

	tr = NewTree(nil)
	tr.Reset()
	if _, err := tr.Append(3, leaf); err == nil {
		t.Error("Append(3) after Reset without fallback: no error")
	}
	if _, err := tr.Append(0, leaf); err != nil {
		t.Errorf("Append(0) after Reset without fallback: %v", err)
	}

	short := tlog.HashReaderFunc(func([]int64) ([]tlog.Hash, error) { return nil, nil })
	tr = NewTree(short)
	if _, err := tr.Append(7, leaf); err == nil {
		t.Error("Append with a fallback returning too few hashes: no error")
	}
	if _, err := tr.Root(7); err == nil {
		t.Error("Root with a fallback returning too few hashes: no error")
	}
}

// synthetic is a fallback that makes up a hash for any stored-hash index, to
// drive a Tree at sizes no test could build.
type synthetic struct{}

func (synthetic) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		out[i] = sha256.Sum256(binary.BigEndian.AppendUint64(nil, uint64(x)))
	}
	return out, nil
}

func TestTreeFrontierBounded(t *testing.T) {
	for _, start := range []int64{1<<40 - 700, 1<<61 - 300, 0x2aaa_aaaa_aaaa_aaaa} {
		tr := NewTree(synthetic{})
		for n := start; n < start+1000; n++ {
			if _, err := tr.Append(n, LeafHash(nil)); err != nil {
				t.Fatalf("Append(%d): %v", n, err)
			}
			if l, want := tr.frontierLen(), bits.OnesCount64(uint64(n+1)); l != want || l > 64 {
				t.Fatalf("size %d: frontier holds %d hashes, want %d", n+1, l, want)
			}
		}
	}
}
