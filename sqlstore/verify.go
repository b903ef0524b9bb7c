package sqlstore

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

// Mismatch is what verify found wrong: the table, the row and what differs.
type Mismatch struct {
	Table string
	Row   string
	What  string
}

func (m *Mismatch) Error() string {
	return fmt.Sprintf("%s row %s: %s", m.Table, m.Row, m.What)
}

// VerifyReport summarises a verified log.
type VerifyReport struct {
	Entries     int64
	Root        tlog.Hash
	Checkpoints int
	Persons     int
}

// Verify checks the whole store from the log up: every event re-decoded,
// re-encoded canonically and re-hashed; the tree rebuilt and every stored
// hash compared; every checkpoint's signature checked against verifierKey
// (the log's own if empty) and its root against the rebuilt tree; the log
// replayed into fresh state and every projection row compared. It returns
// the first *Mismatch found, or another error if it could not read.
func (s *Store) Verify(ctx context.Context, verifierKey string) (*VerifyReport, error) {
	if verifierKey == "" {
		verifierKey = s.verifier
	} else if verifierKey != s.verifier {
		return nil, &Mismatch{Table: "meta", Row: "verifier_key", What: fmt.Sprintf("the stored verifier key %q is not the expected %q", s.verifier, verifierKey)}
	}
	// Everything is read in one read-only transaction: one snapshot of the
	// log and its projections, however busy the writers are.
	rtx, err := s.readDB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, fmt.Errorf("verify: begin: %w", err)
	}
	defer rtx.Rollback()
	t0 := time.Now()
	cps, err := s.checkCheckpoints(ctx, rtx, verifierKey)
	if err != nil {
		return nil, err
	}
	t1 := time.Now()
	// The snapshot's log size and row counts. The log's rows below that
	// size never change, so they can be streamed over other connections
	// (in parallel) as long as the counts in the snapshot agree.
	var head, nEvents, nHashes int64
	if err := rtx.QueryRowContext(ctx, `SELECT (SELECT size FROM log_head WHERE id = 1), (SELECT count(*) FROM events), (SELECT count(*) FROM hashes)`).Scan(&head, &nEvents, &nHashes); err != nil {
		return nil, fmt.Errorf("verify: read log head: %w", err)
	}
	if nEvents > head {
		return nil, &Mismatch{Table: "log_head", Row: "1", What: fmt.Sprintf("size is %d but the events table has %d rows", head, nEvents)}
	}
	v := &verifier{ctx: ctx, s: s, q: rtx, state: custody.NewState(), tree: ledger.NewTree(nil), cps: cps, head: head}
	if err := v.replayLog(); err != nil {
		return nil, err
	}
	if head != v.size || nEvents != v.size {
		return nil, &Mismatch{Table: "log_head", Row: "1", What: fmt.Sprintf("size is %d but the log has %d entries (%d read in order)", head, nEvents, v.size)}
	}
	if want := tlog.StoredHashCount(head); nHashes != want {
		return nil, &Mismatch{Table: "hashes", Row: fmt.Sprint(want), What: fmt.Sprintf("%d stored hashes, but a tree of %d entries has %d", nHashes, head, want)}
	}
	if len(cps) == 0 && v.size > 0 {
		return nil, &Mismatch{Table: "checkpoints", Row: "-", What: fmt.Sprintf("no checkpoint covers the %d entries", v.size)}
	}
	if len(cps) > 0 {
		if last := cps[len(cps)-1].size; last != v.size {
			// The missing row is the checkpoint of the log's size.
			return nil, &Mismatch{Table: "checkpoints", Row: fmt.Sprint(v.size), What: fmt.Sprintf("no checkpoint covers the whole log: the log has %d entries but the latest checkpoint is of size %d", v.size, last)}
		}
	}
	if errs := custody.CheckInvariants(v.state); len(errs) > 0 {
		return nil, &Mismatch{Table: "replay", Row: "-", What: "the replayed state breaks an invariant: " + errs[0].Error()}
	}
	t2 := time.Now()
	if err := v.compareProjections(); err != nil {
		return nil, err
	}
	s.log.Debug("verify phases", "checkpoints", t1.Sub(t0), "log", t2.Sub(t1), "projections", time.Since(t2))
	root, err := v.tree.Root(v.size)
	if err != nil {
		return nil, fmt.Errorf("verify: tree root: %w", err)
	}
	return &VerifyReport{Entries: v.size, Root: root, Checkpoints: len(cps), Persons: len(v.state.Persons)}, nil
}

type checkpoint struct {
	size int64
	root tlog.Hash
}

// checkCheckpoints opens every checkpoint (signatures checked on all cores).
func (s *Store) checkCheckpoints(ctx context.Context, q queryer, verifierKey string) ([]checkpoint, error) {
	type row struct {
		size int64
		note []byte
	}
	var rows []row
	err := scanAll(ctx, q, `SELECT size, note FROM checkpoints ORDER BY size`, func(r *sql.Rows) error {
		var x row
		if err := r.Scan(&x.size, &x.note); err != nil {
			return err
		}
		rows = append(rows, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("verify: read checkpoints: %w", err)
	}
	out := make([]checkpoint, len(rows))
	errs := make([]error, len(rows))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(rows); i += workers {
				size, root, err := ledger.OpenCheckpoint(rows[i].note, verifierKey, s.origin)
				switch {
				case err != nil:
					errs[i] = &Mismatch{Table: "checkpoints", Row: fmt.Sprint(rows[i].size), What: err.Error()}
				case size != rows[i].size:
					errs[i] = &Mismatch{Table: "checkpoints", Row: fmt.Sprint(rows[i].size), What: fmt.Sprintf("the signed size is %d", size)}
				}
				out[i] = checkpoint{size: size, root: root}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

type verifier struct {
	ctx          context.Context
	s            *Store
	q            queryer // the snapshot every read goes through
	head         int64   // the snapshot's log size
	state        *custody.State
	tree         *ledger.Tree
	cps          []checkpoint
	size         int64
	personEvents []personEvent
}

// decoded is one event checked on its own (decode, canonical form,
// columns), before the sequential part of verify.
type decoded struct {
	seq   int64
	event custody.Event
	leaf  tlog.Hash
	err   error
}

type eventRow struct {
	seq                          int64
	typ, key, occurred, recorded string
	body                         []byte
}

// replayLog reads the events in order, checks each on all cores, then
// rebuilds the tree, compares stored hashes and checkpoints, and replays
// the state, in order.
func (v *verifier) replayLog() error {
	const chunk = 1024
	type job struct {
		rows []eventRow
		out  chan checkedChunk
	}
	jobs := make(chan job, 4)
	order := make(chan chan checkedChunk, 8)
	readErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(v.ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				res := make([]decoded, len(j.rows))
				for i := range j.rows {
					res[i] = decodeRow(&j.rows[i])
				}
				// The chunk's stored hashes are one contiguous run of indexes.
				first, last := j.rows[0].seq, j.rows[len(j.rows)-1].seq
				hashes, err := v.readHashRun(ctx, tlog.StoredHashIndex(0, first), tlog.StoredHashIndex(0, last+1))
				j.out <- checkedChunk{events: res, hashes: hashes, err: err}
			}
		})
	}
	go func() {
		defer close(order)
		defer close(jobs)
		rows, err := v.s.readDB.QueryContext(ctx, `SELECT seq, type, key, occurred_at, recorded_at, body FROM events WHERE seq < ? ORDER BY seq`, v.head)
		if err != nil {
			readErr <- fmt.Errorf("verify: read events: %w", err)
			return
		}
		defer rows.Close()
		buf := make([]eventRow, 0, chunk)
		flush := func() bool {
			out := make(chan checkedChunk, 1)
			select {
			case jobs <- job{rows: buf, out: out}:
			case <-ctx.Done():
				return false
			}
			select {
			case order <- out:
			case <-ctx.Done():
				return false
			}
			buf = make([]eventRow, 0, chunk)
			return true
		}
		for rows.Next() {
			var r eventRow
			if err := rows.Scan(&r.seq, &r.typ, &r.key, &r.occurred, &r.recorded, &r.body); err != nil {
				readErr <- fmt.Errorf("verify: read events: %w", err)
				return
			}
			buf = append(buf, r)
			if len(buf) == chunk && !flush() {
				return
			}
		}
		if err := rows.Err(); err != nil {
			readErr <- fmt.Errorf("verify: read events: %w", err)
			return
		}
		if len(buf) > 0 {
			flush()
		}
		readErr <- nil
	}()
	defer wg.Wait()

	cpi := 0
	for out := range order {
		c := <-out
		if c.err != nil {
			return c.err
		}
		stored := c.hashes
		for _, d := range c.events {
			if d.err != nil {
				return d.err
			}
			if d.seq != v.size {
				return &Mismatch{Table: "events", Row: fmt.Sprint(d.seq), What: fmt.Sprintf("expected log index %d: the sequence has a gap or a duplicate", v.size)}
			}
			hashes, err := v.tree.Append(d.seq, d.leaf)
			if err != nil {
				return fmt.Errorf("verify: tree append %d: %w", d.seq, err)
			}
			for _, h := range hashes {
				if err := nextHash(&stored, h); err != nil {
					if h.Index == tlog.StoredHashIndex(0, d.seq) {
						return v.blameLeaf(err, d.seq, d.leaf)
					}
					return err
				}
			}
			ch, err := v.state.Replay(d.seq, &d.event)
			if err != nil {
				return &Mismatch{Table: "events", Row: fmt.Sprint(d.seq), What: "replay rejects the event: " + err.Error()}
			}
			for _, p := range ch.Persons {
				v.personEvents = append(v.personEvents, personEvent{string(p), d.seq})
			}
			v.size++
			for cpi < len(v.cps) && v.cps[cpi].size <= v.size {
				cp := v.cps[cpi]
				if cp.size < v.size {
					return &Mismatch{Table: "checkpoints", Row: fmt.Sprint(cp.size), What: "checkpoint size is not a tree size reached in order"}
				}
				root, err := v.tree.Root(v.size)
				if err != nil {
					return fmt.Errorf("verify: tree root %d: %w", v.size, err)
				}
				if root != cp.root {
					return &Mismatch{Table: "checkpoints", Row: fmt.Sprint(cp.size), What: fmt.Sprintf("signed root %s differs from the rebuilt tree's %s", cp.root, root)}
				}
				cpi++
			}
		}
	}
	if err := <-readErr; err != nil {
		return err
	}
	if cpi < len(v.cps) {
		return &Mismatch{Table: "checkpoints", Row: fmt.Sprint(v.cps[cpi].size), What: fmt.Sprintf("checkpoint beyond the end of the log (%d entries)", v.size)}
	}
	return nil
}

// checkedChunk is a run of events checked on their own, with the stored
// hashes their appends wrote.
type checkedChunk struct {
	events []decoded
	hashes []storedHash
	err    error
}

type storedHash struct {
	idx  int64
	hash []byte
}

// readHashRun reads the stored hashes with indexes in [from, to).
func (v *verifier) readHashRun(ctx context.Context, from, to int64) ([]storedHash, error) {
	out := make([]storedHash, 0, to-from)
	err := scanAll(ctx, v.s.readDB, `SELECT idx, hash FROM hashes WHERE idx >= ? AND idx < ? ORDER BY idx`, func(r *sql.Rows) error {
		var h storedHash
		if err := r.Scan(&h.idx, &h.hash); err != nil {
			return err
		}
		out = append(out, h)
		return nil
	}, from, to)
	if err != nil {
		return nil, fmt.Errorf("verify: read hashes: %w", err)
	}
	return out, nil
}

func nextHash(stored *[]storedHash, want ledger.StoredHash) error {
	if len(*stored) == 0 {
		return &Mismatch{Table: "hashes", Row: fmt.Sprint(want.Index), What: "stored hash is missing"}
	}
	h := (*stored)[0]
	*stored = (*stored)[1:]
	if h.idx != want.Index {
		return &Mismatch{Table: "hashes", Row: fmt.Sprint(want.Index), What: fmt.Sprintf("stored hash is missing (next stored is %d)", h.idx)}
	}
	if !bytes.Equal(h.hash, want.Hash[:]) {
		return &Mismatch{Table: "hashes", Row: fmt.Sprint(h.idx), What: fmt.Sprintf("stored hash %x differs from the recomputed %x", h.hash, want.Hash[:])}
	}
	return nil
}

// decodeRow checks one event row on its own: the body decodes strictly into
// an event (no unknown or duplicate members, every value of its type), it is
// its own RFC 8785 canonical encoding (re-encoded and compared byte for
// byte), the columns copy it, and it gives the leaf hash.
//
// The body is re-encoded as it stands rather than from the decoded event:
// the bytes are already in canonical order, so canonicalising them costs a
// third of marshalling the event and reordering its members, and strict
// decoding already shows that nothing in them is foreign to the event.
func decodeRow(r *eventRow) decoded {
	d := decoded{seq: r.seq}
	bad := func(format string, args ...any) decoded {
		d.err = &Mismatch{Table: "events", Row: fmt.Sprint(r.seq), What: fmt.Sprintf(format, args...)}
		return d
	}
	var err error
	if d.event, err = custody.DecodeEvent(r.body); err != nil {
		return bad("body does not decode: %v", err)
	}
	e := &d.event
	canon := jsontext.Value(bytes.Clone(r.body))
	if err := canon.Canonicalize(); err != nil {
		return bad("body does not re-encode: %v", err)
	}
	if !bytes.Equal(canon, r.body) {
		return bad("body is not the canonical encoding of the event it holds (re-encoding differs at byte %d)", firstDiff(canon, r.body))
	}
	switch {
	case string(e.Type) != r.typ:
		return bad("column type %q differs from the body's %q", r.typ, e.Type)
	case e.Key != r.key:
		return bad("column key %q differs from the body's %q", r.key, e.Key)
	case formatTime(e.OccurredAt) != r.occurred:
		return bad("column occurred_at %q differs from the body's %q", r.occurred, formatTime(e.OccurredAt))
	case formatTime(e.RecordedAt) != r.recorded:
		return bad("column recorded_at %q differs from the body's %q", r.recorded, formatTime(e.RecordedAt))
	}
	d.leaf = ledger.LeafHash(r.body)
	return d
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// compareProjections compares every projection row with the row the
// replayed state gives.
func (v *verifier) compareProjections() error {
	// Persons are most of the work: compare them in two halves, on both
	// cores, and the other tables after the first half.
	ids := slices.Sorted(maps.Keys(v.state.Persons))
	mid := len(ids) / 2
	var wg sync.WaitGroup
	var errs [2]error
	first := func() {
		if errs[0] = v.comparePersons(ids[:mid], "", ids); errs[0] == nil {
			errs[0] = v.compareOthers()
		}
	}
	if v.s.dialect().concurrentTx {
		wg.Go(first)
	} else {
		first() // one PostgreSQL connection runs one query at a time
	}
	split := ""
	if mid < len(ids) {
		split = string(ids[mid])
	}
	errs[1] = v.comparePersons(ids[mid:], split, nil)
	wg.Wait()
	return errors.Join(errs[0], errs[1])
}

// comparePersons compares the persons ids (a sorted run of all persons,
// from the key from on) and, when all is given, every nationality row.
// Rows are made one at a time as the comparison needs them.
func (v *verifier) comparePersons(ids []custody.PersonID, from string, all []custody.PersonID) error {
	st := v.state
	lo, hi := from, ""
	if all != nil && len(ids) < len(all) {
		hi = string(all[len(ids)])
	}
	persons := rowSource{n: len(ids), row: func(i int) ([]any, error) { return personRow(st.Persons[ids[i]]) }}
	if err := v.compareRange(personsTable, persons, lo, hi); err != nil {
		return err
	}
	if all == nil {
		return nil
	}
	var nats [][]any
	for _, id := range all {
		nats = append(nats, nationalityRows(&st.Persons[id].Person)...)
	}
	return v.compare(nationalitiesTable, nats)
}

func (v *verifier) compareOthers() error {
	st := v.state
	var want [][]any
	for _, id := range slices.Sorted(maps.Keys(st.Authorities)) {
		r, err := authorityRow(st.Authorities[id])
		if err != nil {
			return err
		}
		want = append(want, r)
	}
	if err := v.compare(authoritiesTable, want); err != nil {
		return err
	}
	want = want[:0]
	for _, id := range slices.Sorted(maps.Keys(st.Facilities)) {
		r, err := facilityRow(st.Facilities[id])
		if err != nil {
			return err
		}
		want = append(want, r)
	}
	if err := v.compare(facilitiesTable, want); err != nil {
		return err
	}
	want = want[:0]
	for _, x := range slices.Sorted(maps.Keys(st.Escapes)) {
		want = append(want, escapeRow(st.Escapes[x]))
	}
	if err := v.compare(escapesTable, want); err != nil {
		return err
	}
	want = want[:0]
	for _, x := range slices.Sorted(maps.Keys(st.References)) {
		for _, l := range st.References[x] {
			r, err := referenceRow(l)
			if err != nil {
				return err
			}
			want = append(want, r)
		}
	}
	if err := v.compare(referencesTable, want); err != nil {
		return err
	}
	want = want[:0]
	for _, x := range slices.Sorted(maps.Keys(st.Allocations)) {
		r, err := allocationRow(st.Allocations[x])
		if err != nil {
			return err
		}
		want = append(want, r)
	}
	if err := v.compare(allocationsTable, want); err != nil {
		return err
	}
	want = want[:0]
	for _, x := range slices.Sorted(maps.Keys(st.Moves)) {
		r, err := moveRow(st.Moves[x])
		if err != nil {
			return err
		}
		want = append(want, r)
	}
	if err := v.compare(movesTable, want); err != nil {
		return err
	}
	want = want[:0]
	for _, x := range slices.Sorted(maps.Keys(st.Alerts)) {
		want = append(want, alertRow(st.Alerts[x]))
	}
	if err := v.compare(alertsTable, want); err != nil {
		return err
	}
	want = want[:0]
	for _, x := range slices.Sorted(maps.Keys(st.Inquiries)) {
		r, err := inquiryRow(st.Inquiries[x])
		if err != nil {
			return err
		}
		want = append(want, r)
	}
	if err := v.compare(inquiriesTable, want); err != nil {
		return err
	}
	if err := compareDocs(v, casesTable, st.Cases, caseRow); err != nil {
		return err
	}
	if err := compareDocs(v, exposuresTable, st.Exposures, exposureRow); err != nil {
		return err
	}
	if err := compareDocs(v, notificationsTable, st.Notifications, notificationRow); err != nil {
		return err
	}
	if err := compareDocs(v, repatriationsTable, st.Repatriations, repatriationRow); err != nil {
		return err
	}
	want = want[:0]
	for _, ref := range legalRefs(st) {
		r, err := legalRow(st, ref)
		if err != nil {
			return err
		}
		want = append(want, r)
	}
	if err := v.compare(legalTable, want); err != nil {
		return err
	}
	pe := v.personEvents
	slices.SortFunc(pe, func(a, b personEvent) int {
		if c := strings.Compare(a.person, b.person); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	pe = slices.Compact(pe)
	return v.compareRange(personEventsTable, rowSource{n: len(pe), row: func(i int) ([]any, error) {
		return []any{pe[i].person, pe[i].seq}, nil
	}}, "", "")
}

// personEvent is one row of person_events as the replay gives it.
type personEvent struct {
	person string
	seq    int64
}

// rowSource gives wanted rows in key order, one at a time.
type rowSource struct {
	n   int
	row func(i int) ([]any, error)
}

// compare streams the table in key order beside the wanted rows, sorted
// the same way, and reports the first difference: a missing row, an extra
// row, or the first differing column.
func (v *verifier) compare(p projection, want [][]any) error {
	slices.SortFunc(want, func(a, b []any) int { return compareKeys(a[:p.nkey], b[:p.nkey]) })
	return v.compareRange(p, rowSource{n: len(want), row: func(i int) ([]any, error) { return want[i], nil }}, "", "")
}

// compareRange compares the rows whose first key column is in [lo, hi)
// (hi "" for no bound) with want, which must be in key order.
func (v *verifier) compareRange(p projection, want rowSource, lo, hi string) error {
	query, args := p.selectSQL(), []any{}
	if lo != "" || hi != "" {
		query += fmt.Sprintf(" WHERE %s >= ?", p.cols[0])
		args = append(args, lo)
		if hi != "" {
			query += fmt.Sprintf(" AND %s < ?", p.cols[0])
			args = append(args, hi)
		}
	}
	rows, err := v.q.QueryContext(v.ctx, query+" ORDER BY "+strings.Join(p.cols[:p.nkey], ", "), args...)
	if err != nil {
		return fmt.Errorf("verify: read %s: %w", p.table, err)
	}
	defer rows.Close()
	got := make([]any, len(p.cols))
	ptrs := make([]any, len(p.cols))
	for i := range got {
		ptrs[i] = &got[i]
	}
	i := 0
	var w []any
	next := func() error {
		w = nil
		if i < want.n {
			var err error
			if w, err = want.row(i); err != nil {
				return err
			}
		}
		return nil
	}
	if err := next(); err != nil {
		return err
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("verify: read %s: %w", p.table, err)
		}
		c := 1
		if w != nil {
			c = compareKeys(w[:p.nkey], got[:p.nkey])
		}
		switch {
		case c < 0:
			return &Mismatch{Table: p.table, Row: keyString(w[:p.nkey]), What: "row is missing (the log has it)"}
		case c > 0:
			return &Mismatch{Table: p.table, Row: keyString(got[:p.nkey]), What: "row is not in the log (extra row)"}
		}
		for k := p.nkey; k < len(p.cols); k++ {
			if !sameCell(w[k], got[k]) {
				return &Mismatch{Table: p.table, Row: keyString(got[:p.nkey]), What: fmt.Sprintf("column %s is %s but the log gives %s", p.cols[k], short(cell(got[k])), short(cell(w[k])))}
			}
		}
		i++
		if err := next(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("verify: read %s: %w", p.table, err)
	}
	if w != nil {
		return &Mismatch{Table: p.table, Row: keyString(w[:p.nkey]), What: "row is missing (the log has it)"}
	}
	return nil
}

// sameCell reports whether a wanted value and one read from the database
// are equal, without formatting the common cases.
func sameCell(want, got any) bool {
	switch w := want.(type) {
	case string:
		switch g := got.(type) {
		case string:
			return w == g
		case []byte:
			return w == string(g)
		}
		return false
	case int64:
		g, ok := got.(int64)
		return ok && w == g
	case nil:
		return got == nil
	}
	return cell(want) == cell(got)
}

// compareKeys orders keys as SQL's ORDER BY does: text bytewise, integers
// numerically.
func compareKeys(a, b []any) int {
	for i := range a {
		var c int
		switch x := a[i].(type) {
		case string:
			y, _ := b[i].(string)
			c = strings.Compare(x, y)
		case int64:
			y, _ := b[i].(int64)
			c = cmp.Compare(x, y)
		default:
			c = strings.Compare(cell(a[i]), cell(b[i]))
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func keyString(key []any) string {
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = fmt.Sprint(k)
	}
	return strings.Join(parts, "/")
}

func short(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// blameLeaf decides, when the stored hash of record seq's leaf differs from
// the hash of its body (err), which of the two was changed. The signed
// checkpoints vouch for the stored hashes: if the stored leaf hash proves
// into the root of the first checkpoint that covers the record, the body
// was changed; otherwise err (naming the stored hash) stands.
func (v *verifier) blameLeaf(err error, seq int64, leaf tlog.Hash) error {
	for _, cp := range v.cps {
		if cp.size <= seq {
			continue
		}
		r := dbHashReader{ctx: v.ctx, q: v.q}
		proof, perr := tlog.ProveRecord(cp.size, seq, r)
		if perr != nil || tlog.CheckRecord(proof, cp.size, cp.root, seq, leaf) == nil {
			return err
		}
		stored, serr := r.ReadHashes([]int64{tlog.StoredHashIndex(0, seq)})
		if serr == nil && tlog.CheckRecord(proof, cp.size, cp.root, seq, stored[0]) == nil {
			return &Mismatch{Table: "events", Row: fmt.Sprint(seq), What: fmt.Sprintf("the body hashes to %x, not to the leaf hash %x signed in checkpoint %d: the body was changed", leaf[:], stored[0][:], cp.size)}
		}
		return err
	}
	return err
}

// compareDocs compares a projection kept in the state as a map with its
// table.
func compareDocs[K cmp.Ordered, V any](v *verifier, p projection, from map[K]V, row func(V) ([]any, error)) error {
	want, err := docRows(slices.Sorted(maps.Keys(from)), from, row)
	if err != nil {
		return err
	}
	return v.compare(p, want)
}
