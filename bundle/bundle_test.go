package bundle_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/bundle"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// testBundle builds the bundle of a person with three events (registered,
// admitted, released) in a small log where other persons' events come
// between.
func testBundle(t testing.TB) ([]byte, *sqlstore.Store) {
	t.Helper()
	ctx := context.Background()
	d := storetest.SQLite().New(t)
	if _, err := sqlstore.Init(ctx, d.Config); err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(ctx, d.Config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	storetest.MustAppend(t, s, storetest.Setup("b"))
	storetest.MustAppend(t, s, storetest.Registrations("b", 0, 5, storetest.PrisonA))
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	by := custody.Actor{User: "reg", Authority: "sdf"}
	storetest.MustAppend(t, s, [][]custody.Event{{custody.NewEvent(&custody.Released{Person: storetest.Person(2).ID, Facility: storetest.PrisonA, Reason: "court-order", AuthorisedBy: "sdf"}, at, at, by, "b-rel")}})
	id := storetest.Person(2).ID
	tl, err := s.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var seqs []int64
	for _, e := range tl {
		seqs = append(seqs, e.Seq)
	}
	b, later, err := bundle.Build(ctx, s, id, seqs)
	if err != nil {
		t.Fatal(err)
	}
	if later != 0 || len(b.Entries) != 3 {
		t.Fatalf("bundle of %d entries (%d later), want 3", len(b.Entries), later)
	}
	return b.Encode(), s
}

func TestVerify(t *testing.T) {
	data, s := testBundle(t)
	r, err := bundle.Verify(data, s.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Events) != 3 || r.Events[0].Type != custody.TypePersonRegistered || r.Events[2].Type != custody.TypeReleased {
		t.Fatalf("verified events %v", r.Events)
	}
	// A key other than the one trusted is refused, naming it.
	if _, err := bundle.Verify(data, "someone+12345678+AAAA"); err == nil || !strings.Contains(err.Error(), "not the key you trust") {
		t.Errorf("an untrusted key: %v", err)
	}
}

// TestEveryByte changes each byte of a bundle in turn: every change fails,
// and a change inside an entry's block names that entry.
func TestEveryByte(t *testing.T) {
	data, s := testBundle(t)
	b, err := bundle.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	// Where each entry's block starts and ends in the text.
	type span struct{ from, to int }
	var spans []span
	for k := range b.Entries {
		start := bytes.Index(data, []byte("\nentry "+strconv.Itoa(k+1)+"\n"))
		end := start + 1 + bytes.Index(data[start+1:], []byte("\n\n"))
		spans = append(spans, span{start + 1, end})
	}
	for i := range data {
		for _, d := range []byte{1, 0x20} {
			changed := bytes.Clone(data)
			changed[i] ^= d
			_, err := bundle.Verify(changed, s.VerifierKey())
			if err == nil {
				t.Fatalf("byte %d changed (^%#x): the bundle still verifies", i, d)
			}
			var be *bundle.Error
			if !errors.As(err, &be) {
				t.Fatalf("byte %d: error %v is not a *bundle.Error", i, err)
			}
			for k, sp := range spans {
				if i >= sp.from && i < sp.to && be.Entry != k+1 && be.Entry != 0 {
					t.Fatalf("byte %d is in entry %d, the error names entry %d: %v", i, k+1, be.Entry, err)
				}
				if i >= sp.from+len("entry 1\n") && i < sp.to && be.Entry != k+1 {
					t.Fatalf("byte %d is inside entry %d, the error does not name it: %v", i, k+1, err)
				}
			}
		}
	}
}

// FuzzDecode: no input makes Decode or Verify panic, and whatever decodes
// encodes back to the same bytes or does not verify.
func FuzzDecode(f *testing.F) {
	data, _ := testBundle(f)
	f.Add(data)
	f.Add([]byte("custody-bundle v1\nperson X\nverifier v\nentries 0\n\ncheckpoint\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		b, err := bundle.Decode(in)
		if err != nil {
			return
		}
		if _, err := bundle.Verify(in, ""); err == nil && !bytes.Equal(b.Encode(), in) {
			t.Fatalf("a bundle not in canonical form verifies")
		}
	})
}
