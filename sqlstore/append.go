package sqlstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

// Result is what the store says of one request.
type Result struct {
	// Seqs are the log indexes of the request's events, in order.
	Seqs []int64
	// Replayed is true when every event's idempotency key was already in
	// the log with the same content: nothing was appended and Seqs are the
	// first result.
	Replayed bool
	// Err is why the request was rejected; nothing of it was written.
	Err error
}

type request struct {
	check    Check
	events   []custody.Event
	bodies   [][]byte
	leaves   []tlog.Hash
	res      Result
	appended bool
}

type batch struct {
	reqs []*request
	done chan struct{}
}

// Append appends one request: its events are applied and logged together,
// or not at all. Events with no RecordedAt are stamped now; each gets a
// fresh random salt.
func (s *Store) Append(ctx context.Context, events ...custody.Event) (Result, error) {
	res, err := s.AppendBatch(ctx, [][]custody.Event{events})
	if err != nil {
		return Result{}, err
	}
	return res[0], res[0].Err
}

// Check decides whether an event may be recorded at all (the access
// policy). It runs in the writer before each event of a request, against
// the state that event is applied to: after the request's earlier events.
type Check func(st *custody.State, e *custody.Event) error

// AppendChecked is Append with a check run before each event: if it fails,
// nothing of the request is written and its error is returned.
func (s *Store) AppendChecked(ctx context.Context, check Check, events ...custody.Event) (Result, error) {
	p, err := s.submit(ctx, [][]custody.Event{events}, check)
	if err != nil {
		return Result{}, err
	}
	res := p.Wait()
	return res[0], res[0].Err
}

// AppendBatch appends several requests, in order, each atomic on its own;
// they usually share one transaction. The error is for the batch as a
// whole (the store is closed, the context ended); each Result carries its
// request's own rejection.
func (s *Store) AppendBatch(ctx context.Context, reqs [][]custody.Event) ([]Result, error) {
	p, err := s.Submit(ctx, reqs)
	if err != nil {
		return nil, err
	}
	return p.Wait(), nil
}

// Pending is a submitted batch not yet decided.
type Pending struct{ b *batch }

// Wait waits until the writer has decided the batch and returns each
// request's result. Once submitted, a batch is decided whatever happens to
// the submitter's context, so the caller always learns the outcome.
func (p *Pending) Wait() []Result {
	<-p.b.done
	out := make([]Result, len(p.b.reqs))
	for i, r := range p.b.reqs {
		out[i] = r.res
	}
	return out
}

// Submit encodes the requests and queues them to the writer in order,
// without waiting for the commit: a loader can prepare its next batch while
// the writer commits this one. Batches submitted one after the other by one
// goroutine are logged in that order.
func (s *Store) Submit(ctx context.Context, reqs [][]custody.Event) (*Pending, error) {
	return s.submit(ctx, reqs, nil)
}

func (s *Store) submit(ctx context.Context, reqs [][]custody.Event, check Check) (*Pending, error) {
	if s.reqs == nil {
		return nil, errors.New("append: store is open read-only")
	}
	b := &batch{reqs: make([]*request, len(reqs)), done: make(chan struct{})}
	if err := prepareAll(b, reqs, time.Now()); err != nil {
		return nil, err
	}
	for _, r := range b.reqs {
		r.check = check
	}
	select {
	case s.reqs <- b:
	case <-s.stop:
		return nil, errors.New("append: store is closed")
	case <-ctx.Done():
		return nil, fmt.Errorf("append: %w", ctx.Err())
	}
	return &Pending{b: b}, nil
}

// prepareAll encodes every event (salt, canonical body, leaf hash) on all
// cores before the batch reaches the single writer.
func prepareAll(b *batch, reqs [][]custody.Event, now time.Time) error {
	workers := min(runtime.GOMAXPROCS(0), len(reqs))
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(reqs); i += workers {
				r, err := prepare(reqs[i], now)
				if err != nil {
					errs[w] = err
					return
				}
				b.reqs[i] = r
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func prepare(events []custody.Event, now time.Time) (*request, error) {
	r := &request{
		events: slices.Clone(events),
		bodies: make([][]byte, len(events)),
		leaves: make([]tlog.Hash, len(events)),
	}
	if len(events) == 0 {
		r.res.Err = &custody.Error{Code: custody.Invalid, Msg: "the request has no events"}
		return r, nil
	}
	for i := range r.events {
		e := &r.events[i]
		if e.Data == nil {
			r.res.Err = &custody.Error{Code: custody.Invalid, Event: e.Type, Key: e.Key, Msg: "event has no data"}
			return r, nil
		}
		e.OccurredAt = custody.NormTime(e.OccurredAt)
		if e.RecordedAt.IsZero() {
			e.RecordedAt = now
		}
		e.RecordedAt = custody.NormTime(e.RecordedAt)
		var err error
		if e.Salt, err = ledger.NewSalt(rand.Reader); err != nil {
			return nil, err
		}
		if r.bodies[i], err = ledger.Canonical(e); err != nil {
			return nil, fmt.Errorf("encode event %d (%s): %w", i, e.Type, err)
		}
		r.leaves[i] = ledger.LeafHash(r.bodies[i])
	}
	return r, nil
}

// run is the writer goroutine: it takes every batch waiting (up to
// MaxBatch events) and commits them in one transaction.
func (s *Store) run() {
	defer close(s.done)
	ctx := context.Background()
	for {
		var group []*batch
		select {
		case b := <-s.reqs:
			group = append(group, b)
		case <-s.stop:
			// Drain what was queued before Close.
			for {
				select {
				case b := <-s.reqs:
					s.w.commit(ctx, []*batch{b})
				default:
					return
				}
			}
		}
		n := group[0].size()
	drain:
		for n < s.cfg.MaxBatch {
			select {
			case b := <-s.reqs:
				group = append(group, b)
				n += b.size()
			default:
				break drain
			}
		}
		s.w.commit(ctx, group)
	}
}

func (b *batch) size() int {
	n := 0
	for _, r := range b.reqs {
		n += len(r.events)
	}
	return n
}

// writer owns the current state, the tree frontier and the log size.
type writer struct {
	s     *Store
	state *custody.State
	tree  *ledger.Tree
	size  int64
}

func newWriter(ctx context.Context, s *Store) (*writer, error) {
	// State and size from one transaction: one snapshot, even if another
	// process is appending. On PostgreSQL that takes REPEATABLE READ: under
	// the default READ COMMITTED each statement sees its own snapshot, and
	// an append committed between loading the projections and reading the
	// log head would leave the state behind the size, never caught up.
	// (SQLite's write transaction is one snapshot at any level.)
	tx, err := s.writeDB.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	st, err := loadState(ctx, tx)
	if err != nil {
		return nil, err
	}
	var size int64
	if err := tx.QueryRowContext(ctx, `SELECT size FROM log_head WHERE id = 1`).Scan(&size); err != nil {
		return nil, fmt.Errorf("read log head: %w", err)
	}
	w := &writer{s: s, state: st, size: size}
	// The tree rereads its frontier through the read pool: the writer's one
	// connection is busy in its transaction when the tree needs it, and
	// the frontier it needs is always committed.
	w.tree = ledger.NewTree(dbHashReader{ctx: context.Background(), q: s.readDB})
	return w, nil
}

// commit applies and writes a group of batches in one transaction. A
// request that breaks a rule is rejected alone; a database failure rejects
// the whole group and leaves state and tree as they were.
func (w *writer) commit(ctx context.Context, group []*batch) {
	defer func() {
		for _, b := range group {
			close(b.done)
		}
	}()
	err := w.commitTx(ctx, group)
	if err != nil {
		w.s.log.Error("commit failed; requests rejected", "err", err)
		for _, b := range group {
			for _, r := range b.reqs {
				switch {
				case r.res.Err != nil && !r.appended:
					// Rejected by a rule before the failure: that stands.
				case r.res.Replayed && slices.Max(r.res.Seqs) < w.size:
					// A replay of events committed earlier: that stands too.
				default:
					// Appended, a replay of events of this failed
					// transaction, or never reached: nothing was recorded.
					r.appended = false
					r.res = Result{Err: &custody.Error{Code: custody.Internal, Msg: "the log could not be written; nothing was recorded", Err: err}}
				}
			}
		}
	}
}

func (w *writer) commitTx(ctx context.Context, group []*batch) (err error) {
	tx, err := w.s.writeDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := w.catchUp(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	start := w.size
	var undos []func()
	defer func() {
		if err != nil {
			tx.Rollback()
			for i := len(undos) - 1; i >= 0; i-- {
				undos[i]()
			}
			w.size = start
			w.tree.Reset()
		}
	}()
	logged, err := lookupKeys(ctx, tx, group)
	if err != nil {
		return err
	}
	out := newOutbox()
	pending := map[string]pendingKey{}
	for _, b := range group {
		for _, r := range b.reqs {
			if r.res.Err != nil {
				continue
			}
			replay, err := checkKeys(r, logged, pending)
			if err != nil {
				return err
			}
			if replay || r.res.Err != nil {
				continue
			}
			undo, changes, aerr := w.state.ApplyAllChecked(w.size, r.events, r.check)
			if aerr != nil {
				r.res.Err = aerr
				continue
			}
			undos = append(undos, undo)
			r.appended = true
			r.res.Seqs = make([]int64, len(r.events))
			for i := range r.events {
				seq := w.size
				hashes, err := w.tree.Append(seq, r.leaves[i])
				if err != nil {
					return fmt.Errorf("tree append %d: %w", seq, err)
				}
				e := &r.events[i]
				out.event(seq, e, r.bodies[i])
				out.addHashes(hashes)
				out.change(seq, e, changes[i])
				pending[e.Key] = pendingKey{event: e, seq: seq}
				r.res.Seqs[i] = seq
				w.size++
			}
		}
	}
	if w.size == start {
		return tx.Rollback()
	}
	if err := out.write(ctx, tx, w.state); err != nil {
		return err
	}
	root, err := w.tree.Root(w.size)
	if err != nil {
		return fmt.Errorf("tree root %d: %w", w.size, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE log_head SET size = ? WHERE id = 1`, w.size); err != nil {
		return fmt.Errorf("update log head: %w", err)
	}
	cp, err := ledger.SignCheckpoint(w.s.signer, w.s.origin, w.size, root)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO checkpoints (size, note, signed_at) VALUES (?, ?, ?)`, w.size, cp, formatTime(time.Now())); err != nil {
		return fmt.Errorf("insert checkpoint %d: %w", w.size, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// catchUp locks the log head for this transaction and, if another process
// appended since this writer last did, replays those events into the
// state and lets the tree reread its frontier.
func (w *writer) catchUp(ctx context.Context, tx tx) error {
	var head int64
	if err := tx.QueryRowContext(ctx, `SELECT size FROM log_head WHERE id = 1`+w.s.dialect().lockRow).Scan(&head); err != nil {
		return fmt.Errorf("read log head: %w", err)
	}
	if head == w.size {
		return nil
	}
	if head < w.size {
		return fmt.Errorf("log head %d is behind this writer's %d: the log was truncated", head, w.size)
	}
	w.s.log.Info("catching up with events appended by another process", "from", w.size, "to", head)
	err := scanAll(ctx, tx, `SELECT seq, body FROM events WHERE seq >= ? ORDER BY seq`, func(r *sql.Rows) error {
		var (
			seq  int64
			body []byte
			e    custody.Event
		)
		if err := r.Scan(&seq, &body); err != nil {
			return err
		}
		if seq != w.size {
			return fmt.Errorf("event %d follows %d", seq, w.size-1)
		}
		if err := json.Unmarshal(body, &e); err != nil {
			return fmt.Errorf("decode event %d: %w", seq, err)
		}
		if _, err := w.state.Replay(seq, &e); err != nil {
			return fmt.Errorf("replay event %d: %w", seq, err)
		}
		w.size++
		return nil
	}, w.size)
	if err == nil && w.size != head {
		err = fmt.Errorf("log head says %d entries, events end at %d", head, w.size)
	}
	w.tree.Reset()
	if err != nil {
		// The state may be half caught up: start again from the projections.
		if st, lerr := loadState(ctx, tx); lerr == nil {
			w.state, w.size = st, head
		}
		return fmt.Errorf("catch up with the log: %w", err)
	}
	return nil
}

type pendingKey struct {
	event *custody.Event
	seq   int64
}

// loggedKey is an event already in the log, found by its idempotency key.
type loggedKey struct {
	seq  int64
	body []byte
}

// lookupKeys finds which of the group's idempotency keys are already in
// the log, with a few statements for the whole group rather than one per
// event: on PostgreSQL each statement is a round trip to the server. The
// group's own events are not written until the end of the transaction, so
// this is what a lookup of each key in turn would find.
func lookupKeys(ctx context.Context, tx tx, group []*batch) (map[string]loggedKey, error) {
	var keys []any
	seen := map[string]bool{}
	for _, b := range group {
		for _, r := range b.reqs {
			if r.res.Err != nil {
				continue
			}
			for i := range r.events {
				if k := r.events[i].Key; !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
	}
	const chunk = 500
	logged := map[string]loggedKey{}
	for len(keys) > 0 {
		n := min(chunk, len(keys))
		err := scanAll(ctx, tx, `SELECT key, seq, body FROM events WHERE key IN (`+placeholders(n)+`)`, func(r *sql.Rows) error {
			var (
				key string
				l   loggedKey
			)
			if err := r.Scan(&key, &l.seq, &l.body); err != nil {
				return err
			}
			logged[key] = l
			return nil
		}, keys[:n]...)
		if err != nil {
			return nil, fmt.Errorf("look up idempotency keys: %w", err)
		}
		keys = keys[n:]
	}
	return logged, nil
}

// checkKeys checks the request's idempotency keys against those already
// logged (found by lookupKeys) and those of the requests before it in the
// transaction (pending). If every key is in the log with the same content
// (all but the salt and the time it was recorded), the request is a replay
// and gets the first result. A key with different content, or a mix of old
// and new keys, is a conflict.
func checkKeys(r *request, logged map[string]loggedKey, pending map[string]pendingKey) (replay bool, err error) {
	found := 0
	seqs := make([]int64, len(r.events))
	seen := map[string]bool{}
	for i := range r.events {
		e := &r.events[i]
		if seen[e.Key] {
			r.res.Err = &custody.Error{Code: custody.Invalid, Rule: custody.RuleIdempotency, Event: e.Type, Key: e.Key, Msg: "the key is used twice in one request"}
			return false, nil
		}
		seen[e.Key] = true
		var (
			first *custody.Event
			seq   int64
		)
		if p, ok := pending[e.Key]; ok {
			first, seq = p.event, p.seq
		} else if l, ok := logged[e.Key]; ok {
			seq = l.seq
			first = &custody.Event{}
			if err := json.Unmarshal(l.body, first); err != nil {
				return false, fmt.Errorf("look up key %q: decode event %d: %w", e.Key, seq, err)
			}
		} else {
			continue
		}
		same, err := sameRequest(first, e)
		if err != nil {
			return false, err
		}
		if !same {
			r.res.Err = &custody.Error{Code: custody.Conflict, Rule: custody.RuleIdempotency, Event: e.Type, Key: e.Key,
				Msg: fmt.Sprintf("the key was used for a different event (log index %d)", seq)}
			return false, nil
		}
		seqs[i] = seq
		found++
	}
	switch found {
	case 0:
		return false, nil
	case len(r.events):
		r.res = Result{Seqs: seqs, Replayed: true}
		return true, nil
	}
	r.res.Err = &custody.Error{Code: custody.Conflict, Rule: custody.RuleIdempotency, Event: r.events[0].Type, Key: r.events[0].Key,
		Msg: fmt.Sprintf("%d of the request's %d keys are already in the log: resend the original request or use new keys", found, len(r.events))}
	return false, nil
}

// sameRequest reports whether two events carry the same request: equal in
// everything but the salt and the time the server recorded them.
func sameRequest(a, b *custody.Event) (bool, error) {
	plain := func(e *custody.Event) ([]byte, error) {
		c := *e
		c.Salt, c.RecordedAt = "", time.Time{}
		return ledger.Canonical(&c)
	}
	pa, err := plain(a)
	if err != nil {
		return false, err
	}
	pb, err := plain(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(pa, pb), nil
}

// dbHashReader reads stored hashes from the database, for the tree when
// its frontier is not in memory (after opening, after a rollback).
type dbHashReader struct {
	ctx context.Context
	q   queryer
}

func (r dbHashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	return readHashes(r.ctx, r.q, indexes)
}

func readHashes(ctx context.Context, q queryer, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	if len(indexes) == 0 {
		return out, nil
	}
	query := `SELECT idx, hash FROM hashes WHERE idx IN (` + placeholders(len(indexes)) + `)`
	args := make([]any, len(indexes))
	for i, x := range indexes {
		args[i] = x
	}
	if x, ok := q.(db); ok && x.d == postgresDialect {
		// One array parameter: one prepared statement whatever the count,
		// and a proof's hashes in one round trip.
		query, args = `SELECT idx, hash FROM hashes WHERE idx = ANY(?)`, []any{indexes}
	}
	got := make(map[int64][]byte, len(indexes))
	err := scanAll(ctx, q, query, func(r *sql.Rows) error {
		var (
			i int64
			h []byte
		)
		if err := r.Scan(&i, &h); err != nil {
			return err
		}
		got[i] = h
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("read hashes: %w", err)
	}
	for i, x := range indexes {
		h, ok := got[x]
		if !ok || len(h) != tlog.HashSize {
			return nil, fmt.Errorf("read hashes: stored hash %d is missing or malformed", x)
		}
		copy(out[i][:], h)
	}
	return out, nil
}
