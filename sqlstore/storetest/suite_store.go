package storetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/sqlstore"
)

// testInit: Init creates the schema, the meta rows and a private key file,
// and returns the verifier key; a second Init of the same database is
// refused and changes nothing; Open then sees an empty log.
func testInit(t *testing.T, e Engine) {
	ctx := context.Background()
	d := newDB(t, e)
	vkey, err := sqlstore.Init(ctx, d.Config)
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatalf("init returned verifier key %q: %v", vkey, err)
	}
	if v.Name() != sqlstore.DefaultOrigin {
		t.Errorf("verifier key named %q, want %q", v.Name(), sqlstore.DefaultOrigin)
	}
	checkTables(t, d)
	for _, kv := range [][2]string{{"origin", sqlstore.DefaultOrigin}, {"verifier_key", vkey}} {
		var got string
		if err := d.Raw(t).QueryRow(d.Rebind(`SELECT value FROM meta WHERE key = ?`), kv[0]).Scan(&got); err != nil || got != kv[1] {
			t.Errorf("meta %s = %q (%v), want %q", kv[0], got, err, kv[1])
		}
	}
	for _, q := range []string{`SELECT size FROM log_head WHERE id = 1`, `SELECT count(*) FROM events`, `SELECT count(*) FROM hashes`, `SELECT count(*) FROM checkpoints`} {
		if n := queryInt(t, d, q); n != 0 {
			t.Errorf("%s = %d in a new log, want 0", q, n)
		}
	}
	keyFile := d.Config.KeyFilePath()
	fi, err := os.Stat(keyFile)
	if err != nil {
		t.Fatalf("key file: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file %s has mode %v, want 0600", keyFile, perm)
	}
	if got, err := ledger.ReadKeyFileVerifier(keyFile); err != nil || got != vkey {
		t.Errorf("key file verifies as %q (%v), init returned %q", got, err, vkey)
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}

	// A second Init is refused, with the same key file or another, and
	// touches neither the database nor the key files.
	before := dump(t, d)
	if _, err := sqlstore.Init(ctx, d.Config); err == nil {
		t.Errorf("a second init of the same database and key file succeeded")
	}
	other := d.Config
	other.KeyFile = filepath.Join(t.TempDir(), "other.key")
	if _, err := sqlstore.Init(ctx, other); err == nil {
		t.Errorf("a second init of the same database with another key file succeeded")
	}
	sameDump(t, d, before)
	if again, err := os.ReadFile(keyFile); err != nil || string(again) != string(key) {
		t.Errorf("the refused init changed the key file (%v)", err)
	}
	if _, err := os.Stat(other.KeyFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused init wrote a key file %s (%v)", other.KeyFile, err)
	}

	s, err := sqlstore.Open(ctx, d.Config)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	if s.VerifierKey() != vkey || s.Origin() != sqlstore.DefaultOrigin {
		t.Errorf("store verifier %q origin %q, want %q %q", s.VerifierKey(), s.Origin(), vkey, sqlstore.DefaultOrigin)
	}
	if n, err := s.Size(ctx); err != nil || n != 0 {
		t.Errorf("size of a new log = %d (%v), want 0", n, err)
	}
	if cp, err := s.LatestCheckpoint(ctx); err != nil || cp != nil {
		t.Errorf("latest checkpoint of a new log = %q (%v), want none", cp, err)
	}
	if rep, err := s.Verify(ctx, vkey); err != nil || rep.Entries != 0 || rep.Checkpoints != 0 {
		t.Errorf("verify of a new log = %+v, %v", rep, err)
	}
}

// testOrigin: a log initialised with an origin signs its checkpoints with
// it.
func testOrigin(t *testing.T, e Engine) {
	ctx := context.Background()
	d := newDB(t, e)
	const origin = "example.org/custody-suite"
	d.Config.Origin = origin
	vkey, err := sqlstore.Init(ctx, d.Config)
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	s, err := sqlstore.Open(ctx, d.Config)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	if s.Origin() != origin {
		t.Errorf("origin %q, want %q", s.Origin(), origin)
	}
	MustAppend(t, s, Setup("o"))
	cp, err := s.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(cp), origin+"\n6\n") {
		t.Errorf("checkpoint %q does not start with the origin and size 6", cp)
	}
	if size, _, err := ledger.OpenCheckpoint(cp, vkey, origin); err != nil || size != 6 {
		t.Errorf("open checkpoint: size %d, %v", size, err)
	}
}

// testReopen: a closed store opens again where it was; a read-only store
// reads but refuses appends.
func testReopen(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("re"))
	MustAppend(t, f.s, Registrations("re", 0, 10, PrisonA))
	before := dump(t, f.db)
	f.reopen(t)
	sameDump(t, f.db, before) // opening writes nothing
	if n, err := f.s.Size(ctx); err != nil || n != 26 {
		t.Fatalf("size after reopen = %d (%v), want 26", n, err)
	}
	res, err := f.s.Append(ctx, Transfer("re", 0, 3, PrisonA, PrisonB)...)
	if err != nil {
		t.Fatalf("append after reopen: %v", err)
	}
	if !slices.Equal(res.Seqs, []int64{26}) {
		t.Errorf("append after reopen got seqs %v, want [26]", res.Seqs)
	}

	ro, err := sqlstore.OpenReadOnly(ctx, f.db.Config)
	if err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	defer ro.Close()
	if n, err := ro.Size(ctx); err != nil || n != 27 {
		t.Errorf("read-only size = %d (%v), want 27", n, err)
	}
	if ro.VerifierKey() != f.verifier {
		t.Errorf("read-only verifier key %q, want %q", ro.VerifierKey(), f.verifier)
	}
	before = dump(t, f.db)
	if _, err := ro.Append(ctx, Transfer("re", 1, 3, PrisonB, PrisonA)...); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("append to a read-only store = %v, want an error saying it is read-only", err)
	}
	if err := ro.SetMeta(ctx, "transfer_target", "7000"); err == nil {
		t.Errorf("set meta on a read-only store succeeded")
	}
	sameDump(t, f.db, before)
	// The read-only store sees what the writer commits.
	if _, err := f.s.Append(ctx, Transfer("re", 2, 3, PrisonB, PrisonA)...); err != nil {
		t.Fatal(err)
	}
	if n, err := ro.Size(ctx); err != nil || n != 28 {
		t.Errorf("read-only size after another append = %d (%v), want 28", n, err)
	}
	if rep, err := ro.Verify(ctx, ""); err != nil || rep.Entries != 28 {
		t.Errorf("read-only verify = %+v, %v", rep, err)
	}
	if err := f.s.SetMeta(ctx, "transfer_target", "7000"); err != nil {
		t.Errorf("set meta: %v", err)
	}
	if err := f.s.SetMeta(ctx, "transfer_target", "7001"); err != nil {
		t.Errorf("set meta again: %v", err)
	}
	if m, err := ro.Meta(ctx); err != nil || m["transfer_target"] != "7001" {
		t.Errorf("meta transfer_target = %q (%v), want 7001", m["transfer_target"], err)
	}
	if err := f.s.SetMeta(ctx, "verifier_key", "x"); err == nil {
		t.Errorf("set meta verifier_key succeeded")
	}
}

// testWrongKey: a store opens for writing only with the log's own signing
// key; reading needs no key.
func testWrongKey(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("wk"))
	if err := f.s.Close(); err != nil {
		t.Fatal(err)
	}
	before := dump(t, f.db)

	other := f.db.Config
	other.KeyFile = filepath.Join(t.TempDir(), "other.key")
	skey, _, err := ledger.GenerateKey(sqlstore.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if err := ledger.WriteKeyFile(other.KeyFile, skey); err != nil {
		t.Fatal(err)
	}
	if s, err := sqlstore.Open(ctx, other); err == nil {
		s.Close()
		t.Errorf("open with another log's key succeeded")
	} else if !strings.Contains(err.Error(), "not this log's signing key") {
		t.Errorf("open with another log's key: %v; want it to say the key is not this log's", err)
	}

	missing := f.db.Config
	missing.KeyFile = filepath.Join(t.TempDir(), "missing.key")
	if s, err := sqlstore.Open(ctx, missing); err == nil {
		s.Close()
		t.Errorf("open with no key file succeeded")
	} else if !strings.Contains(err.Error(), missing.KeyFile) {
		t.Errorf("open with no key file: %v; want it to name %s", err, missing.KeyFile)
	}
	sameDump(t, f.db, before)

	ro, err := sqlstore.OpenReadOnly(ctx, missing)
	if err != nil {
		t.Fatalf("open read-only without the key: %v", err)
	}
	defer ro.Close()
	if _, err := ro.Verify(ctx, f.verifier); err != nil {
		t.Errorf("verify without the key: %v", err)
	}
}

// testAppendSingle: requests appended one by one get consecutive indexes,
// a checkpoint each, and read back as sent.
func testAppendSingle(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("one"))
	reqs := Registrations("one", 0, 10, PrisonA)
	for i, req := range reqs {
		res, err := f.s.Append(ctx, req...)
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		if want := []int64{int64(6 + 2*i), int64(7 + 2*i)}; !slices.Equal(res.Seqs, want) || res.Replayed || res.Err != nil {
			t.Errorf("append %d = %+v, want seqs %v", i, res, want)
		}
		for j, seq := range res.Seqs {
			got, body, err := f.s.Event(ctx, seq)
			if err != nil {
				t.Fatalf("event %d: %v", seq, err)
			}
			sent := req[j]
			if got.Key != sent.Key || got.Type != sent.Type || !got.OccurredAt.Equal(sent.OccurredAt) || got.By != sent.By {
				t.Errorf("event %d = %s %s %v %v, sent %s %s %v %v", seq, got.Type, got.Key, got.OccurredAt, got.By, sent.Type, sent.Key, sent.OccurredAt, sent.By)
			}
			if got.Salt == "" || got.RecordedAt.IsZero() {
				t.Errorf("event %d has salt %q, recorded at %v: want both set", seq, got.Salt, got.RecordedAt)
			}
			canon, err := ledger.Canonical(&got)
			if err != nil || string(canon) != string(body) {
				t.Errorf("event %d: stored body is not the canonical encoding of the event (%v)", seq, err)
			}
		}
	}
	if _, _, err := f.s.Event(ctx, 26); custody.ErrorCode(err) != custody.NotFound {
		t.Errorf("event beyond the log: %v, want not found", err)
	}
	// One checkpoint per commit, each of the log's size then.
	if n := queryInt(t, f.db, `SELECT count(*) FROM checkpoints`); n != 11 {
		t.Errorf("%d checkpoints after 11 commits", n)
	}
	for i := range 11 {
		size := int64(6 + 2*i)
		if n := queryInt(t, f.db, `SELECT count(*) FROM checkpoints WHERE size = ?`, size); n != 1 {
			t.Errorf("no checkpoint of size %d", size)
		}
	}
	checkHead(t, f, 26)
}

// checkHead checks the log's size everywhere it is kept: events, log head,
// stored hashes and the latest checkpoint.
func checkHead(t *testing.T, f *fixture, want int64) {
	t.Helper()
	ctx := context.Background()
	if n, err := f.s.Size(ctx); err != nil || n != want {
		t.Errorf("size %d (%v), want %d", n, err, want)
	}
	if n := queryInt(t, f.db, `SELECT size FROM log_head WHERE id = 1`); n != want {
		t.Errorf("log head %d, want %d", n, want)
	}
	if n := queryInt(t, f.db, `SELECT count(*) FROM events WHERE seq >= 0 AND seq < ?`, want); n != want {
		t.Errorf("%d events with seq in [0, %d)", n, want)
	}
	cp, err := f.s.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	size, root, err := ledger.OpenCheckpoint(cp, f.verifier, f.s.Origin())
	if err != nil || size != want {
		t.Fatalf("latest checkpoint: size %d (%v), want %d", size, err, want)
	}
	if h, err := f.s.TreeHash(ctx, want); err != nil || h != root {
		t.Errorf("tree hash %v (%v), latest checkpoint's root %v", h, err, root)
	}
}

// testAppendBatched: AppendBatch logs its requests in order at consecutive
// indexes; concurrent Appends (group commit) get distinct indexes with no
// gap.
func testAppendBatched(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("bt"))
	reqs := Registrations("bt", 0, 300, PrisonA)
	res := MustAppend(t, f.s, reqs)
	for i, r := range res {
		if want := []int64{int64(6 + 2*i), int64(7 + 2*i)}; !slices.Equal(r.Seqs, want) || r.Replayed {
			t.Fatalf("request %d = %+v, want seqs %v", i, r, want)
		}
	}
	checkHead(t, f, 606)

	// Concurrent writers: every request logged once, no gap, each
	// request's events consecutive.
	const writers, each = 4, 25
	seqs := make([][]int64, writers*each)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for k := range each {
				n := w*each + k
				r, err := f.s.Append(ctx, Transfer("bt", n, n, PrisonA, PrisonB)...)
				if err != nil {
					errs <- fmt.Errorf("writer %d transfer %d: %w", w, n, err)
					return
				}
				seqs[n] = r.Seqs
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var all []int64
	for _, s := range seqs {
		all = append(all, s...)
	}
	slices.Sort(all)
	for i, s := range all {
		if s != int64(606+i) {
			t.Fatalf("concurrent appends got indexes %v, want 606..%d each once", all, 606+writers*each-1)
		}
	}
	checkHead(t, f, 606+writers*each)
	if _, err := f.s.Verify(ctx, ""); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// testAppendBatchPartial: a batch is decided request by request: the bad
// ones are refused with their rule, the others committed at consecutive
// indexes.
func testAppendBatchPartial(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	inputWorld(t, f.s)
	s := f.s
	size, err := s.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 22, 9, 0, 0, 0, time.UTC)
	reqs := [][]custody.Event{
		Registrations("batch", 200, 1, PrisonA)[0],
		{event(&custody.Released{Person: pid(20), Facility: PrisonA, Reason: "court-order", AuthorisedBy: "sdf"}, at, "batch-bad-release")},
		Registrations("batch", 201, 1, PrisonB)[0],
		// the same person as the first request: refused in the same batch
		Registrations("batch-dup", 200, 1, PrisonB)[0],
		Transfer("batch", 1, 200, PrisonA, PrisonB),
		{}, // no events
	}
	res, err := s.AppendBatch(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	wantSeqs := [][]int64{{size, size + 1}, nil, {size + 2, size + 3}, nil, {size + 4}, nil}
	wantRule := []custody.Rule{"", custody.RuleNotHeld, "", custody.RuleDuplicate, "", ""}
	wantErr := []bool{false, true, false, true, false, true}
	if len(res) != len(reqs) {
		t.Fatalf("%d results for %d requests", len(res), len(reqs))
	}
	for i, r := range res {
		var rule custody.Rule
		var ce *custody.Error
		if errors.As(r.Err, &ce) {
			rule = ce.Rule
		}
		if !slices.Equal(r.Seqs, wantSeqs[i]) || rule != wantRule[i] || (r.Err != nil) != wantErr[i] || r.Replayed {
			t.Errorf("request %d: seqs %v, err %v; want seqs %v, rule %q", i, r.Seqs, r.Err, wantSeqs[i], wantRule[i])
		}
	}
	for j, r := range res {
		for i, seq := range r.Seqs {
			e, _, err := s.Event(ctx, seq)
			if err != nil {
				t.Fatalf("event %d: %v", seq, err)
			}
			if e.Key != reqs[j][i].Key {
				t.Errorf("event %d has key %s, want %s", seq, e.Key, reqs[j][i].Key)
			}
		}
	}
	checkHead(t, f, size+5)
	if _, err := s.Verify(ctx, ""); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// testSubmitWait: batches submitted one after the other are logged in
// that order, and each is decided even if its submitter's context ends.
func testSubmitWait(t *testing.T, e Engine) {
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("sw"))
	var pending []*sqlstore.Pending
	for b := range 5 {
		ctx, cancel := context.WithCancel(context.Background())
		p, err := f.s.Submit(ctx, Registrations("sw", 20*b, 20, PrisonA))
		cancel() // a submitted batch is decided all the same
		if err != nil {
			t.Fatalf("submit %d: %v", b, err)
		}
		pending = append(pending, p)
	}
	next := int64(6)
	for b, p := range pending {
		res := p.Wait()
		if len(res) != 20 {
			t.Fatalf("batch %d: %d results", b, len(res))
		}
		for i, r := range res {
			if want := []int64{next, next + 1}; r.Err != nil || !slices.Equal(r.Seqs, want) {
				t.Fatalf("batch %d request %d = %+v, want seqs %v", b, i, r, want)
			}
			next += 2
		}
		if again := p.Wait(); !slices.EqualFunc(again, res, func(a, b sqlstore.Result) bool { return slices.Equal(a.Seqs, b.Seqs) && a.Err == b.Err }) {
			t.Errorf("batch %d: a second Wait returned other results", b)
		}
	}
	checkHead(t, f, next)
}

// testClosed: appending to a closed store fails at once instead of
// waiting for a writer that is gone; Close twice is harmless.
func testClosed(t *testing.T, e Engine) {
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("cl"))
	s := f.s
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := dump(t, f.db)
	ctx := context.Background()
	calls := []struct {
		name string
		call func() error
	}{
		{"Append", func() error { _, err := s.Append(ctx, Registrations("closed", 0, 1, PrisonA)[0]...); return err }},
		{"AppendBatch", func() error { _, err := s.AppendBatch(ctx, Registrations("closed", 0, 2, PrisonA)); return err }},
		{"Submit", func() error { _, err := s.Submit(ctx, Registrations("closed", 0, 2, PrisonA)); return err }},
	}
	for _, c := range calls {
		done := make(chan error, 1)
		go func() { done <- c.call() }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "closed") {
				t.Errorf("%s after Close = %v, want an error saying the store is closed", c.name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s after Close hangs", c.name)
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	sameDump(t, f.db, before)
}
