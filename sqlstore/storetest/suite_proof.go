package storetest

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

// proofLog appends a log of many commits of different sizes: the world,
// 200 registrations in batches of 1 to 40 requests and 40 single
// transfers. It returns the checkpoints' sizes and roots, ascending.
func proofLog(t *testing.T, f *fixture) []checkpointRow {
	t.Helper()
	MustAppend(t, f.s, Setup("pf"))
	next := 0
	for _, n := range []int{1, 40, 3, 17, 1, 1, 64, 33, 2, 38} {
		MustAppend(t, f.s, Registrations("pf", next, n, PrisonA))
		next += n
	}
	for i := range 40 {
		MustAppend(t, f.s, [][]custody.Event{Transfer("pf", i, i*5, PrisonA, PrisonB)})
	}
	return checkpoints(t, f)
}

// checkpointRow is one opened checkpoint.
type checkpointRow struct {
	size int64
	root tlog.Hash
}

// checkpoints reads and opens every checkpoint, ascending by size.
func checkpoints(t *testing.T, f *fixture) []checkpointRow {
	t.Helper()
	rows, err := f.db.Raw(t).Query(`SELECT size, note FROM checkpoints ORDER BY size`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []checkpointRow
	for rows.Next() {
		var (
			size int64
			msg  []byte
		)
		if err := rows.Scan(&size, &msg); err != nil {
			t.Fatal(err)
		}
		n, root, err := ledger.OpenCheckpoint(msg, f.verifier, f.s.Origin())
		if err != nil || n != size {
			t.Fatalf("checkpoint %d: size %d, %v", size, n, err)
		}
		out = append(out, checkpointRow{size, root})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func hashBytes(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = bytes.Clone(hs[i][:])
	}
	return out
}

// testProofs: inclusion proofs of every entry check against the latest
// checkpoint's root, and of some entries against every earlier checkpoint;
// consistency proofs between checkpoints check; both agree with an
// independent RFC 6962 implementation (transparency-dev/merkle), and a
// proof of the wrong thing fails.
func testProofs(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	cps := proofLog(t, f)
	if len(cps) < 40 {
		t.Fatalf("only %d checkpoints", len(cps))
	}
	h := rfc6962.DefaultHasher
	latest := cps[len(cps)-1]
	size, err := f.s.Size(ctx)
	if err != nil || size != latest.size {
		t.Fatalf("size %d (%v), latest checkpoint %d", size, err, latest.size)
	}

	leaves := make([]tlog.Hash, size)
	for i := range size {
		_, body, err := f.s.Event(ctx, i)
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		leaves[i] = ledger.LeafHash(body)
		if got := h.HashLeaf(body); !bytes.Equal(got, leaves[i][:]) {
			t.Fatalf("event %d: leaf hash %x, RFC 6962 leaf hash %x", i, leaves[i], got)
		}
	}

	inclusion := func(cp checkpointRow, i int64) {
		t.Helper()
		p, err := f.s.InclusionProof(ctx, cp.size, i)
		if err != nil {
			t.Fatalf("inclusion proof of %d in %d: %v", i, cp.size, err)
		}
		if err := ledger.CheckInclusion(p, cp.size, cp.root, i, leaves[i]); err != nil {
			t.Errorf("inclusion of %d in %d: %v", i, cp.size, err)
		}
		if err := proof.VerifyInclusion(h, uint64(i), uint64(cp.size), leaves[i][:], hashBytes(p), cp.root[:]); err != nil {
			t.Errorf("inclusion of %d in %d (transparency-dev/merkle): %v", i, cp.size, err)
		}
		// The proof of one entry does not prove another.
		if other := (i + 1) % cp.size; other != i {
			if err := ledger.CheckInclusion(p, cp.size, cp.root, i, leaves[other]); err == nil {
				t.Errorf("the inclusion proof of %d in %d also proves entry %d", i, cp.size, other)
			}
			if err := proof.VerifyInclusion(h, uint64(i), uint64(cp.size), leaves[other][:], hashBytes(p), cp.root[:]); err == nil {
				t.Errorf("the inclusion proof of %d in %d also proves entry %d (transparency-dev/merkle)", i, cp.size, other)
			}
		}
	}
	for i := range size {
		inclusion(latest, i)
	}
	for _, cp := range cps {
		if root, err := f.s.TreeHash(ctx, cp.size); err != nil || root != cp.root {
			t.Errorf("tree hash of %d = %v (%v), checkpoint says %v", cp.size, root, err, cp.root)
		}
		for _, i := range []int64{0, cp.size / 3, cp.size / 2, cp.size - 1} {
			inclusion(cp, i)
		}
	}

	consistency := func(old, cur checkpointRow) {
		t.Helper()
		p, err := f.s.ConsistencyProof(ctx, cur.size, old.size)
		if err != nil {
			t.Fatalf("consistency proof %d → %d: %v", old.size, cur.size, err)
		}
		if err := ledger.CheckConsistency(p, cur.size, cur.root, old.size, old.root); err != nil {
			t.Errorf("consistency %d → %d: %v", old.size, cur.size, err)
		}
		if err := proof.VerifyConsistency(h, uint64(old.size), uint64(cur.size), hashBytes(p), old.root[:], cur.root[:]); err != nil {
			t.Errorf("consistency %d → %d (transparency-dev/merkle): %v", old.size, cur.size, err)
		}
		if old.size == cur.size {
			return
		}
		bad := old.root
		bad[0] ^= 1
		if err := ledger.CheckConsistency(p, cur.size, cur.root, old.size, bad); err == nil {
			t.Errorf("the consistency proof %d → %d also proves another old root", old.size, cur.size)
		}
		if err := proof.VerifyConsistency(h, uint64(old.size), uint64(cur.size), hashBytes(p), bad[:], cur.root[:]); err == nil {
			t.Errorf("the consistency proof %d → %d also proves another old root (transparency-dev/merkle)", old.size, cur.size)
		}
	}
	for i, old := range cps {
		consistency(old, latest)
		if i+1 < len(cps) {
			consistency(old, cps[i+1])
		}
		consistency(old, old)
	}

	// Proofs of what the log does not hold are refused.
	for _, bad := range []struct {
		name string
		err  func() error
	}{
		{"inclusion of the entry at size", func() error { _, err := f.s.InclusionProof(ctx, size, size); return err }},
		{"inclusion in a tree beyond the log", func() error { _, err := f.s.InclusionProof(ctx, size+10, 3); return err }},
		{"consistency beyond the log", func() error { _, err := f.s.ConsistencyProof(ctx, size+10, size); return err }},
	} {
		if err := bad.err(); err == nil {
			t.Errorf("%s: no error", bad.name)
		}
	}
}

// testVerify: Verify of a clean log reports its size, the latest
// checkpoint's root, every checkpoint and every person.
func testVerify(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("v"))
	MustAppend(t, f.s, Registrations("v", 0, 500, PrisonA))
	for i := range 50 {
		if _, err := f.s.Append(ctx, Transfer("v", i, i, PrisonA, PrisonB)...); err != nil {
			t.Fatal(err)
		}
	}
	cps := checkpoints(t, f)
	check := func(t *testing.T) {
		rep, err := f.s.Verify(ctx, f.verifier)
		if err != nil {
			t.Fatalf("verify: %v", err)
		}
		want := fmt.Sprintf("%d entries, root %v, %d checkpoints, %d persons", 6+1000+50, cps[len(cps)-1].root, len(cps), 500)
		if got := fmt.Sprintf("%d entries, root %v, %d checkpoints, %d persons", rep.Entries, rep.Root, rep.Checkpoints, rep.Persons); got != want {
			t.Errorf("verify = %s, want %s", got, want)
		}
	}
	t.Run("writer", check)
	f.reopen(t)
	t.Run("reopened", check)
}
