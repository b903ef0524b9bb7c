// Package bundle is a person's proof bundle: their events as recorded
// (canonical bodies), each with its inclusion proof in the tree of a
// signed checkpoint, the checkpoint and the log's verifier key, in one
// text file. A consulate, a court or a monitor takes it home and checks it
// with Verify, with no database: every event hashes to a leaf, every leaf
// is in the signed tree, the signature is the log's, and the file is in
// its one canonical form, so that any byte changed anywhere fails,
// naming the entry.
//
// A bundle proves that each event it holds was recorded, unchanged, in the
// log the key signs. It does not prove that it holds all of the person's
// events: the log's public tiles and later checkpoints are how a monitor
// checks the log as a whole.
//
// The text form:
//
//	custody-bundle v1
//	person <ID>
//	verifier <verifier key>
//	entries <n>
//
//	entry <k>
//	index <log index>
//	event <base64 of the canonical event body>
//	proof <base64 hash> <base64 hash> ...
//
//	... (one block per entry, k from 1)
//
//	checkpoint
//	<the signed checkpoint note, verbatim, to the end of the file>
package bundle

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

const header = "custody-bundle v1"

// Entry is one event of the bundle.
type Entry struct {
	Index int64            // log index
	Body  []byte           // the canonical event body, as recorded
	Proof tlog.RecordProof // inclusion proof in the checkpoint's tree
}

// Bundle is a person's proof bundle.
type Bundle struct {
	Person     custody.PersonID
	Verifier   string // the log's verifier key
	Entries    []Entry
	Checkpoint []byte // the signed note, verbatim
}

// Encode writes the bundle's canonical text form.
func (b *Bundle) Encode() []byte {
	var w bytes.Buffer
	fmt.Fprintf(&w, "%s\nperson %s\nverifier %s\nentries %d\n", header, b.Person, b.Verifier, len(b.Entries))
	for i, e := range b.Entries {
		w.WriteString(e.encode(i + 1))
	}
	w.WriteString("\ncheckpoint\n")
	w.Write(b.Checkpoint)
	return w.Bytes()
}

func (e *Entry) encode(k int) string {
	var w strings.Builder
	fmt.Fprintf(&w, "\nentry %d\nindex %d\nevent %s\nproof", k, e.Index, base64.StdEncoding.EncodeToString(e.Body))
	for _, h := range e.Proof {
		w.WriteString(" " + base64.StdEncoding.EncodeToString(h[:]))
	}
	w.WriteString("\n")
	return w.String()
}

// Error is a bundle that does not verify: what is wrong and where.
type Error struct {
	Entry int   // the entry (from 1), or 0 for the bundle's head or checkpoint
	Index int64 // the entry's log index, if known (-1 if not)
	Part  string
	Msg   string
}

func (e *Error) Error() string {
	switch {
	case e.Entry > 0 && e.Index >= 0:
		return fmt.Sprintf("bundle: entry %d (log index %d): %s", e.Entry, e.Index, e.Msg)
	case e.Entry > 0:
		return fmt.Sprintf("bundle: entry %d: %s", e.Entry, e.Msg)
	}
	return fmt.Sprintf("bundle: %s: %s", e.Part, e.Msg)
}

// Decode parses a bundle's text form. It checks the form, not the proofs:
// see Verify.
func Decode(data []byte) (*Bundle, error) {
	head, rest, ok := bytes.Cut(data, []byte("\ncheckpoint\n"))
	if !ok {
		return nil, &Error{Part: "checkpoint", Index: -1, Msg: `no "checkpoint" line`}
	}
	b := &Bundle{Checkpoint: rest}
	blocks := strings.Split(strings.TrimSuffix(string(head), "\n"), "\n\n")
	lines := strings.Split(blocks[0], "\n")
	want := []string{"", "person", "verifier", "entries"}
	if len(lines) != len(want) || lines[0] != header {
		return nil, &Error{Part: "head", Index: -1, Msg: fmt.Sprintf("the first lines are not %q, person, verifier, entries", header)}
	}
	vals := make([]string, len(want))
	for i := 1; i < len(want); i++ {
		f, v, _ := strings.Cut(lines[i], " ")
		if f != want[i] || v == "" {
			return nil, &Error{Part: "head", Index: -1, Msg: fmt.Sprintf("line %d is %q, want %s", i+1, lines[i], want[i])}
		}
		vals[i] = v
	}
	b.Person, b.Verifier = custody.PersonID(vals[1]), vals[2]
	n, err := strconv.Atoi(vals[3])
	if err != nil || n < 0 || n != len(blocks)-1 {
		return nil, &Error{Part: "head", Index: -1, Msg: fmt.Sprintf("entries %q, but the bundle holds %d", vals[3], len(blocks)-1)}
	}
	for k, blk := range blocks[1:] {
		e, err := decodeEntry(k+1, blk)
		if err != nil {
			return nil, err
		}
		b.Entries = append(b.Entries, e)
	}
	return b, nil
}

func decodeEntry(k int, blk string) (Entry, error) {
	e := Entry{Index: -1}
	fail := func(format string, args ...any) (Entry, error) {
		return e, &Error{Entry: k, Index: e.Index, Msg: fmt.Sprintf(format, args...)}
	}
	lines := strings.Split(blk, "\n")
	if len(lines) != 4 || lines[0] != fmt.Sprintf("entry %d", k) {
		return fail("not a block of 4 lines starting %q", fmt.Sprintf("entry %d", k))
	}
	f, v, _ := strings.Cut(lines[1], " ")
	n, err := strconv.ParseInt(v, 10, 64)
	if f != "index" || err != nil || n < 0 {
		return fail("line 2 is %q, want index <log index>", lines[1])
	}
	e.Index = n
	f, v, _ = strings.Cut(lines[2], " ")
	if f != "event" {
		return fail("line 3 is not the event")
	}
	if e.Body, err = base64.StdEncoding.Strict().DecodeString(v); err != nil || len(e.Body) == 0 {
		return fail("the event is not base64: %v", err)
	}
	f, v, _ = strings.Cut(lines[3], " ")
	if f != "proof" {
		return fail("line 4 is not the proof")
	}
	for i, s := range strings.Fields(v) {
		h, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil || len(h) != tlog.HashSize {
			return fail("proof hash %d is not a base64 hash of %d bytes", i+1, tlog.HashSize)
		}
		e.Proof = append(e.Proof, tlog.Hash(h))
	}
	return e, nil
}

// Report is what a verified bundle shows.
type Report struct {
	Person   custody.PersonID
	Verifier string
	Size     int64     // the checkpoint's tree size
	Root     tlog.Hash // and root hash
	Events   []custody.Event
	Indexes  []int64
}

// Verify checks a bundle with no database: its canonical form, the
// checkpoint's signature by the bundle's verifier key (and, if trusted is
// not empty, that this key is the one trusted), every event's inclusion in
// the signed tree, and that every event is about the bundle's person. The
// error names the entry (and its log index) or the part that fails.
func Verify(data []byte, trusted string) (*Report, error) {
	b, err := Decode(data)
	if err != nil {
		return nil, err
	}
	if enc := b.Encode(); !bytes.Equal(enc, data) {
		return nil, b.where(firstDiff(enc, data), "the bundle is not in its canonical form: a byte was changed")
	}
	if trusted != "" && b.Verifier != trusted {
		return nil, &Error{Part: "verifier", Index: -1, Msg: fmt.Sprintf("the bundle's verifier key %s is not the key you trust, %s", b.Verifier, trusted)}
	}
	origin, _, _ := strings.Cut(string(b.Checkpoint), "\n")
	size, root, err := ledger.OpenCheckpoint(b.Checkpoint, b.Verifier, origin)
	if err != nil {
		return nil, &Error{Part: "checkpoint", Index: -1, Msg: err.Error()}
	}
	r := &Report{Person: b.Person, Verifier: b.Verifier, Size: size, Root: root}
	// The moves and facilities the entries so far tie the person to: a
	// move's stages (departure, arrival) and a facility's control change
	// change the custody of everyone aboard or inside without naming them.
	moves, places := map[custody.MoveID]bool{}, map[custody.FacilityID]bool{}
	for i, e := range b.Entries {
		fail := func(format string, args ...any) error {
			return &Error{Entry: i + 1, Index: e.Index, Msg: fmt.Sprintf(format, args...)}
		}
		if i > 0 && e.Index <= b.Entries[i-1].Index {
			return nil, fail("log indexes are not increasing")
		}
		if e.Index >= size {
			return nil, fail("not in the checkpoint of %d entries", size)
		}
		if err := ledger.CheckInclusion(e.Proof, size, root, e.Index, ledger.LeafHash(e.Body)); err != nil {
			return nil, fail("the event is not the one the signed log holds at this index: %v", err)
		}
		ev, err := custody.DecodeEvent(e.Body)
		if err != nil {
			return nil, fail("the event does not decode: %v", err)
		}
		persons, facs := ev.Subjects()
		switch {
		case slices.Contains(persons, b.Person):
			// names the person
		case ev.MoveOf() != "" && moves[ev.MoveOf()]:
			// a stage of a move an earlier entry put the person on
		case ev.Type == custody.TypeControlChanged && len(facs) == 1 && places[facs[0]]:
			// a control change of a facility an earlier entry placed the person in
		default:
			return nil, fail("the event (%s) is not about %s, nor about a move or facility an earlier entry ties them to", ev.Type, b.Person)
		}
		if m := ev.MoveOf(); m != "" && slices.Contains(persons, b.Person) {
			moves[m] = true
		}
		for _, f := range facs {
			places[f] = true
		}
		r.Events = append(r.Events, ev)
		r.Indexes = append(r.Indexes, e.Index)
	}
	return r, nil
}

// where names the part of the bundle holding byte offset off of its
// canonical form.
func (b *Bundle) where(off int, msg string) error {
	pos := len(fmt.Sprintf("%s\nperson %s\nverifier %s\nentries %d\n", header, b.Person, b.Verifier, len(b.Entries)))
	if off < pos {
		return &Error{Part: "head", Index: -1, Msg: msg}
	}
	for i, e := range b.Entries {
		pos += len(e.encode(i + 1))
		if off < pos {
			return &Error{Entry: i + 1, Index: e.Index, Msg: msg}
		}
	}
	return &Error{Part: "checkpoint", Index: -1, Msg: msg}
}

func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// Source is what Build reads from a store.
type Source interface {
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	VerifierKey() string
	Origin() string
	Event(ctx context.Context, seq int64) (custody.Event, []byte, error)
	InclusionProof(ctx context.Context, size, index int64) (tlog.RecordProof, error)
}

// Build makes the bundle of person from the log indexes of their events
// (their timeline), proved in the latest signed checkpoint. Events
// recorded after that checkpoint are left out; Build says how many.
func Build(ctx context.Context, src Source, person custody.PersonID, indexes []int64) (b *Bundle, later int, err error) {
	cp, err := src.LatestCheckpoint(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("bundle: %w", err)
	}
	if cp == nil {
		return nil, 0, fmt.Errorf("bundle: the log has no signed checkpoint yet")
	}
	size, _, err := ledger.OpenCheckpoint(cp, src.VerifierKey(), src.Origin())
	if err != nil {
		return nil, 0, fmt.Errorf("bundle: the latest checkpoint: %w", err)
	}
	b = &Bundle{Person: person, Verifier: src.VerifierKey(), Checkpoint: cp}
	for _, seq := range indexes {
		if seq >= size {
			later++
			continue
		}
		_, body, err := src.Event(ctx, seq)
		if err != nil {
			return nil, 0, fmt.Errorf("bundle: %w", err)
		}
		proof, err := src.InclusionProof(ctx, size, seq)
		if err != nil {
			return nil, 0, fmt.Errorf("bundle: proof of %d: %w", seq, err)
		}
		b.Entries = append(b.Entries, Entry{Index: seq, Body: body, Proof: proof})
	}
	return b, later, nil
}
