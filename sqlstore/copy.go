package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

// CopyReport is what Copy did.
type CopyReport struct {
	// Entries, Root, Checkpoints and Persons are the copied log's, as the
	// target's own Verify reports them (and equal to the source's).
	Entries     int64
	Root        tlog.Hash
	Checkpoints int
	Persons     int
	// Batches is the number of transactions the events took on the target.
	Batches int
	// Origin and VerifierKey are the log's, the same in both stores.
	Origin      string
	VerifierKey string
	// KeyFile is the source's signing key file: Copy does not copy or
	// create keys, and the target needs this same key to be appended to.
	KeyFile string
	Elapsed time.Duration
}

// Copy copies the whole log of from into a new store at to.DB (any engine
// to any engine: SQLite to PostgreSQL is how a deployment grows), and
// returns what the target's own verify found.
//
// The source is verified first and copying stops at the size that verify
// saw, so a source that is being appended to gives a consistent copy of
// its log at that size. The target must be empty: a new SQLite file (its
// directory is created), or a PostgreSQL database with no custody log
// (no tables, or only the schema of `custody migrate`).
//
// The copy is the same log, not a new one: the event bodies are inserted
// verbatim (not re-encoded, no new salts), so the leaves, the tree and
// every root hash are the source's; each stored hash is recomputed with
// [ledger.Tree] and checked against the source's; each event is replayed
// into a [custody.State] to write the projection rows, with the same code
// the writer uses; every signed checkpoint is checked (signature and root)
// and copied verbatim when the tree reaches its size. Each batch of
// events is one transaction on the target. The meta rows (origin,
// verifier key, ...) are written last, so an interrupted copy is never
// mistaken for a log: a store cannot open the target until the copy has
// finished. On failure Copy removes what it wrote (a new SQLite file is
// deleted; a PostgreSQL database is emptied again).
//
// No key is created or copied: the target is signed by the source's key
// (CopyReport.KeyFile), which an Open of the target must be given.
func Copy(ctx context.Context, from *Store, to Config) (rep *CopyReport, err error) {
	start := time.Now()
	if to.DB == "" {
		return nil, errors.New("copy: no target database given")
	}
	if sameDatabase(from.cfg.DB, to.DB) {
		return nil, errors.New("copy: the source and the target are the same database")
	}
	log := to.logger()
	// The target is checked first (refused at once if it holds anything),
	// then the source verified, then the target's schema created.
	t, err := openCopyTarget(ctx, to)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			t.abandon()
		}
	}()
	src, err := from.Verify(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("copy: the source %s does not verify: %w", from.Path(), err)
	}
	meta, err := from.Meta(ctx)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	log.Info("copy: source verified", "entries", src.Entries, "root", src.Root.String())
	if err := migrate(ctx, t.x); err != nil {
		return nil, fmt.Errorf("copy: target %s: %w", Redact(to.DB), err)
	}
	c := &copier{
		ctx: ctx, from: from, x: t.x, log: log,
		head:  src.Entries,
		batch: int64(orDefault(to.MaxBatch, 4096)),
		state: custody.NewState(),
		tree:  ledger.NewTree(nil),
	}
	if err := c.run(); err != nil {
		return nil, err
	}
	if err := c.writeMeta(meta); err != nil {
		return nil, err
	}
	if err := t.close(); err != nil {
		return nil, fmt.Errorf("copy: close target: %w", err)
	}

	// The target on its own: verified from the log up like any store, and
	// the same log as the source.
	ts, err := OpenReadOnly(ctx, Config{DB: to.DB, KeyFile: to.KeyFile, Logger: to.Logger})
	if err != nil {
		return nil, fmt.Errorf("copy: reopen target: %w", err)
	}
	defer ts.Close()
	got, err := ts.Verify(ctx, from.verifier)
	if err != nil {
		return nil, fmt.Errorf("copy: the target %s does not verify after the copy: %w", Redact(to.DB), err)
	}
	if got.Entries != src.Entries || got.Root != src.Root || got.Checkpoints != src.Checkpoints || c.cps != src.Checkpoints {
		return nil, fmt.Errorf("copy: the target has %d entries, root %s, %d checkpoints (%d copied); the source %d entries, root %s, %d checkpoints",
			got.Entries, got.Root, got.Checkpoints, c.cps, src.Entries, src.Root, src.Checkpoints)
	}
	log.Info("copy: target verified", "entries", got.Entries, "root", got.Root.String())
	return &CopyReport{
		Entries: got.Entries, Root: got.Root, Checkpoints: got.Checkpoints, Persons: got.Persons,
		Batches: c.batches, Origin: from.origin, VerifierKey: from.verifier,
		KeyFile: from.cfg.keyFile(), Elapsed: time.Since(start),
	}, nil
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// sameDatabase reports whether two DSNs name the same database: equal
// strings, or two paths of one SQLite file.
func sameDatabase(a, b string) bool {
	if a == b {
		return true
	}
	if IsPostgres(a) || IsPostgres(b) {
		return false
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// copyTarget is the target database while Copy writes it.
type copyTarget struct {
	cfg     Config
	x       db
	created bool // a new SQLite file: removed on failure
	open    bool
}

// openCopyTarget opens the target (creating a new SQLite file) and checks
// that it holds no custody log.
func openCopyTarget(ctx context.Context, to Config) (*copyTarget, error) {
	name := Redact(to.DB)
	t := &copyTarget{cfg: to}
	if !IsPostgres(to.DB) {
		switch _, err := os.Stat(to.DB); {
		case errors.Is(err, os.ErrNotExist):
			if dir := filepath.Dir(to.DB); dir != "" {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return nil, fmt.Errorf("copy: create directory: %w", err)
				}
			}
			t.created = true
		case err != nil:
			return nil, fmt.Errorf("copy: %w", err)
		}
	}
	x, err := openDB(to.DB, false)
	if err != nil {
		if t.created {
			removeSQLite(to.DB)
		}
		return nil, fmt.Errorf("copy: open target %s: %w", name, err)
	}
	t.x, t.open = x, true
	fail := func(err error) (*copyTarget, error) {
		t.close()
		if t.created {
			removeSQLite(to.DB)
		}
		return nil, err
	}
	if err := checkEmpty(ctx, x); err != nil {
		return fail(fmt.Errorf("copy: the target %s is not empty: %w; copy only into a new database", name, err))
	}
	return t, nil
}

// checkEmpty returns why x cannot receive a copy: it holds a log, or rows
// of one.
func checkEmpty(ctx context.Context, x db) error {
	var n int
	if err := x.QueryRowContext(ctx, x.d.tableExists, "meta").Scan(&n); err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	if n == 0 {
		return nil // no custody schema at all
	}
	var origin sql.NullString
	if err := x.QueryRowContext(ctx, `SELECT max(value) FROM meta WHERE key = 'origin'`).Scan(&origin); err != nil {
		return fmt.Errorf("read meta: %w", err)
	}
	if origin.Valid {
		return fmt.Errorf("it holds the custody log %q", origin.String)
	}
	for _, table := range []string{"meta", "events", "hashes", "checkpoints", authoritiesTable.table, facilitiesTable.table,
		personsTable.table, nationalitiesTable.table, personEventsTable.table, escapesTable.table} {
		if err := x.QueryRowContext(ctx, x.d.tableExists, table).Scan(&n); err != nil {
			return fmt.Errorf("read schema: %w", err)
		}
		if n == 0 {
			continue
		}
		if err := x.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", table, err)
		}
		if n > 0 {
			return fmt.Errorf("its table %s has %d rows", table, n)
		}
	}
	return nil
}

func (t *copyTarget) close() error {
	if !t.open {
		return nil
	}
	t.open = false
	return t.x.Close()
}

// abandon undoes a failed copy: a new SQLite file is removed, any other
// target emptied again (it was empty before, and without meta no store
// could open it meanwhile).
func (t *copyTarget) abandon() {
	if t.created {
		t.close()
		removeSQLite(t.cfg.DB)
		return
	}
	if !t.open {
		x, err := openDB(t.cfg.DB, false)
		if err != nil {
			return
		}
		t.x, t.open = x, true
	}
	defer t.close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tx, err := t.x.BeginTx(ctx, nil)
	if err != nil {
		return
	}
	defer tx.Rollback()
	for _, table := range []string{"meta", "events", "hashes", "checkpoints", authoritiesTable.table, facilitiesTable.table,
		personsTable.table, nationalitiesTable.table, personEventsTable.table, escapesTable.table} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE log_head SET size = 0 WHERE id = 1`); err != nil {
		return
	}
	tx.Commit()
}

// removeSQLite removes an SQLite database file and its companions.
func removeSQLite(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// copier streams the source's log into the target.
type copier struct {
	ctx   context.Context
	from  *Store
	x     db
	log   *slog.Logger
	head  int64 // the verified size of the source: the copy's size
	batch int64 // events per transaction
	state *custody.State
	tree  *ledger.Tree
	size  int64 // entries written so far

	batches int
	cps     int
}

// copyChunk is one batch of the source's log: events [first, first+len),
// decoded; their stored hashes; the checkpoints the batch reaches.
type copyChunk struct {
	first  int64
	events []copyEvent
	hashes []storedHash
	cps    []copyCheckpoint
	err    error
}

type copyEvent struct {
	seq   int64
	body  []byte
	event custody.Event
	err   error
}

type copyCheckpoint struct {
	size     int64
	note     []byte
	signedAt string
}

// run reads the source's batches ahead in a goroutine (read and decoded
// while the previous batch is written) and writes them in order.
func (c *copier) run() error {
	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	chunks := make(chan copyChunk, 2)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(chunks)
		for first := int64(0); first < c.head; first += c.batch {
			ch := c.read(ctx, first, min(first+c.batch, c.head))
			select {
			case chunks <- ch:
			case <-ctx.Done():
				return
			}
			if ch.err != nil {
				return
			}
		}
	})
	defer wg.Wait()
	defer cancel() // before Wait: the reader stops when the writer fails

	last := time.Now()
	for ch := range chunks {
		if ch.err != nil {
			return ch.err
		}
		if err := c.write(&ch); err != nil {
			return err
		}
		if time.Since(last) > 5*time.Second {
			c.log.Info("copy: progress", "entries", c.size, "of", c.head)
			last = time.Now()
		}
	}
	if c.size != c.head {
		return fmt.Errorf("copy: read %d of the source's %d entries", c.size, c.head)
	}
	return ctx.Err()
}

// read reads the source's events [first, end), their stored hashes and the
// checkpoints of sizes (first, end] (and 0 with the first batch), and
// decodes the events on all cores.
func (c *copier) read(ctx context.Context, first, end int64) copyChunk {
	ch := copyChunk{first: first}
	q := c.from.readDB
	err := scanAll(ctx, q, `SELECT seq, body FROM events WHERE seq >= ? AND seq < ? ORDER BY seq`, func(r *sql.Rows) error {
		var e copyEvent
		if err := r.Scan(&e.seq, &e.body); err != nil {
			return err
		}
		ch.events = append(ch.events, e)
		return nil
	}, first, end)
	if err != nil {
		ch.err = fmt.Errorf("copy: read source events: %w", err)
		return ch
	}
	err = scanAll(ctx, q, `SELECT idx, hash FROM hashes WHERE idx >= ? AND idx < ? ORDER BY idx`, func(r *sql.Rows) error {
		var h storedHash
		if err := r.Scan(&h.idx, &h.hash); err != nil {
			return err
		}
		ch.hashes = append(ch.hashes, h)
		return nil
	}, tlog.StoredHashIndex(0, first), tlog.StoredHashIndex(0, end))
	if err != nil {
		ch.err = fmt.Errorf("copy: read source hashes: %w", err)
		return ch
	}
	lo := first
	if first == 0 {
		lo = -1
	}
	err = scanAll(ctx, q, `SELECT size, note, signed_at FROM checkpoints WHERE size > ? AND size <= ? ORDER BY size`, func(r *sql.Rows) error {
		var cp copyCheckpoint
		if err := r.Scan(&cp.size, &cp.note, &cp.signedAt); err != nil {
			return err
		}
		ch.cps = append(ch.cps, cp)
		return nil
	}, lo, end)
	if err != nil {
		ch.err = fmt.Errorf("copy: read source checkpoints: %w", err)
		return ch
	}
	workers := min(runtime.GOMAXPROCS(0), len(ch.events))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(ch.events); i += workers {
				e := &ch.events[i]
				e.event, e.err = custody.DecodeEvent(e.body)
			}
		})
	}
	wg.Wait()
	return ch
}

// write checks one batch against the tree and the state, and writes it in
// one transaction: events verbatim, stored hashes, projection rows,
// checkpoints verbatim and the log head.
func (c *copier) write(ch *copyChunk) error {
	out := newOutbox()
	stored := ch.hashes
	cps := ch.cps
	var cpRows [][]any
	reach := func() error {
		for len(cps) > 0 && cps[0].size <= c.size {
			cp := cps[0]
			cps = cps[1:]
			if cp.size < c.size {
				return &Mismatch{Table: "checkpoints", Row: fmt.Sprint(cp.size), What: "source checkpoint size is not a tree size reached in order"}
			}
			size, root, err := ledger.OpenCheckpoint(cp.note, c.from.verifier, c.from.origin)
			if err != nil {
				return &Mismatch{Table: "checkpoints", Row: fmt.Sprint(cp.size), What: "source checkpoint: " + err.Error()}
			}
			want, err := c.tree.Root(c.size)
			if err != nil {
				return fmt.Errorf("copy: tree root %d: %w", c.size, err)
			}
			if size != cp.size || root != want {
				return &Mismatch{Table: "checkpoints", Row: fmt.Sprint(cp.size),
					What: fmt.Sprintf("source checkpoint signs size %d, root %s; the tree of size %d has root %s", size, root, c.size, want)}
			}
			cpRows = append(cpRows, []any{cp.size, cp.note, cp.signedAt})
		}
		return nil
	}
	if err := reach(); err != nil { // a checkpoint of the empty log
		return err
	}
	for i := range ch.events {
		e := &ch.events[i]
		if e.seq != c.size {
			return &Mismatch{Table: "events", Row: fmt.Sprint(e.seq), What: fmt.Sprintf("source: expected log index %d", c.size)}
		}
		if e.err != nil {
			return &Mismatch{Table: "events", Row: fmt.Sprint(e.seq), What: "source body does not decode: " + e.err.Error()}
		}
		hashes, err := c.tree.Append(c.size, ledger.LeafHash(e.body))
		if err != nil {
			return fmt.Errorf("copy: tree append %d: %w", c.size, err)
		}
		for _, h := range hashes {
			if err := nextHash(&stored, h); err != nil {
				return fmt.Errorf("copy: source %w", err)
			}
		}
		change, err := c.state.Replay(c.size, &e.event)
		if err != nil {
			return &Mismatch{Table: "events", Row: fmt.Sprint(e.seq), What: "replay rejects the source event: " + err.Error()}
		}
		out.event(c.size, &e.event, e.body)
		out.addHashes(hashes)
		out.change(c.size, &e.event, change)
		c.size++
		if err := reach(); err != nil {
			return err
		}
	}
	if len(cps) > 0 {
		return &Mismatch{Table: "checkpoints", Row: fmt.Sprint(cps[0].size), What: "source checkpoint size is not a tree size reached in order"}
	}
	if len(stored) > 0 {
		return &Mismatch{Table: "hashes", Row: fmt.Sprint(stored[0].idx), What: "source stored hash is not one the tree computes"}
	}

	ctx := c.ctx
	tx, err := c.x.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("copy: begin: %w", err)
	}
	defer tx.Rollback()
	if err := c.lockHead(ctx, tx, ch.first); err != nil {
		return err
	}
	if err := out.write(ctx, tx, c.state); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if err := insertRows(ctx, tx, "checkpoints", []string{"size", "note", "signed_at"}, cpRows, ""); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE log_head SET size = ? WHERE id = 1`, c.size); err != nil {
		return fmt.Errorf("copy: update log head: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("copy: commit: %w", err)
	}
	c.batches++
	c.cps += len(cpRows)
	return nil
}

// lockHead locks the target's log head for the transaction and checks
// that nobody else has written to the target.
func (c *copier) lockHead(ctx context.Context, tx tx, want int64) error {
	var head int64
	if err := tx.QueryRowContext(ctx, `SELECT size FROM log_head WHERE id = 1`+c.x.d.lockRow).Scan(&head); err != nil {
		return fmt.Errorf("copy: read target log head: %w", err)
	}
	if head != want {
		return fmt.Errorf("copy: the target's log head is %d, want %d: something else is writing to the target", head, want)
	}
	return nil
}

// writeMeta writes the source's meta rows (origin, verifier key and the
// rest), the last step: from now on the target is a log.
func (c *copier) writeMeta(meta map[string]string) error {
	ctx := c.ctx
	tx, err := c.x.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("copy: begin: %w", err)
	}
	defer tx.Rollback()
	if err := c.lockHead(ctx, tx, c.head); err != nil {
		return err
	}
	var rows [][]any
	for _, k := range slices.Sorted(maps.Keys(meta)) {
		rows = append(rows, []any{k, meta[k]})
	}
	if err := insertRows(ctx, tx, "meta", []string{"key", "value"}, rows, ""); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("copy: commit: %w", err)
	}
	return nil
}
