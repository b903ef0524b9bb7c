package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// The audit trail of person reads. Reads are queued and committed by one
// goroutine in the background, every read waiting committed in one
// transaction, so that auditing does not double the cost of the busiest
// page (a commit per read, even grouped, halved the throughput of "where
// is this person"). The queue is bounded: when the audit file cannot keep
// up, readers wait; when a commit fails, it is retried and reads are
// refused until it succeeds (fail closed). A read is therefore committed
// within milliseconds of being shown, and only a crash of the process in
// those milliseconds can lose it; Close commits everything queued.
// PersonReads first waits for every read queued before it, so the trail a
// monitor reads is never behind the pages already shown.

// PersonRead is one read of a person's record.
type PersonRead struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	User   string    `json:"user"`
	Person string    `json:"person"`
	Route  string    `json:"route"` // the page or endpoint, as its route pattern
}

// auditReq is reads to commit, or (reads nil, done set) a flush: done
// receives once every read queued before it is committed.
type auditReq struct {
	reads []PersonRead
	done  chan error
}

// maxAuditBatch bounds the reads committed in one transaction.
const maxAuditBatch = 4096

// auditQueue is how many requests of reads may wait to be committed.
const auditQueue = 8192

// auditLinger is the longest a queued read waits for others to be
// committed with.
const auditLinger = 5 * time.Millisecond

// auditRetry is how long the audit writer waits before retrying a failed
// commit.
const auditRetry = 200 * time.Millisecond

func (s *Store) startAudit() {
	s.auditOnce.Do(func() {
		s.audits = make(chan *auditReq, auditQueue)
		s.auditDone = make(chan struct{})
		go s.runAudit()
	})
}

// RecordReads queues reads of persons' records for the audit trail. It
// returns an error, and the caller must not show the records, when the
// audit trail cannot be written (the last commit failed) or the store is
// closing.
func (s *Store) RecordReads(ctx context.Context, reads ...PersonRead) error {
	if len(reads) == 0 {
		return nil
	}
	if err := s.writable("record reads"); err != nil {
		return err
	}
	if err := s.auditErr.Load(); err != nil {
		return fmt.Errorf("record reads: the audit trail cannot be written: %w", *err)
	}
	now := time.Now()
	for i := range reads {
		if reads[i].At.IsZero() {
			reads[i].At = now
		}
	}
	s.auditMu.RLock()
	defer s.auditMu.RUnlock()
	if s.auditClosed {
		return fmt.Errorf("record reads: store is closing")
	}
	s.startAudit()
	select {
	case s.audits <- &auditReq{reads: reads}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("record reads: %w", ctx.Err())
	case <-s.stop:
		return fmt.Errorf("record reads: store is closing")
	}
}

// flushReads waits until every read queued before it is committed.
func (s *Store) flushReads(ctx context.Context) error {
	if s.writeDB.DB == nil {
		return nil // read-only: nothing is queued here
	}
	s.startAudit()
	r := &auditReq{done: make(chan error, 1)}
	select {
	case s.audits <- r:
	case <-ctx.Done():
		return fmt.Errorf("read audit trail: %w", ctx.Err())
	case <-s.stop:
		return fmt.Errorf("read audit trail: store is closing")
	}
	select {
	case err := <-r.done:
		return err
	case <-s.auditDone:
		return nil // Close committed what was queued
	case <-ctx.Done():
		return fmt.Errorf("read audit trail: %w", ctx.Err())
	}
}

// runAudit commits queued reads until the store closes, then commits what
// is left.
func (s *Store) runAudit() {
	defer close(s.auditDone)
	for {
		var first *auditReq
		select {
		case first = <-s.audits:
		case <-s.stop:
			var rest []*auditReq
			for {
				select {
				case r := <-s.audits:
					rest = append(rest, r)
					continue
				default:
				}
				break
			}
			if len(rest) > 0 {
				err := s.commitReads(rest)
				if err != nil {
					s.log.Error("audit trail: reads queued at close were not committed", "reads", countReads(rest), "err", err)
				}
				answer(rest, err)
			}
			return
		}
		// Gather reads for up to auditLinger (nobody waits for them, but
		// each commit rewrites the trail's index pages: fewer, larger
		// commits cost a fraction), and commit at once for a flush.
		group := []*auditReq{first}
		n, flush := len(first.reads), first.done != nil
		linger := time.NewTimer(auditLinger)
	more:
		for n < maxAuditBatch && !flush {
			select {
			case r := <-s.audits:
				group = append(group, r)
				n += len(r.reads)
				flush = r.done != nil
			case <-linger.C:
				break more
			case <-s.stop:
				break more
			}
		}
		linger.Stop()
		answer(group, s.commitRetrying(group, n))
	}
}

// commitReads commits group, retrying until it succeeds or the store
// closes. While it fails, new reads are refused (RecordReads reports the
// error): the reads already shown are never dropped for new ones.
func (s *Store) commitRetrying(group []*auditReq, n int) error {
	for {
		err := s.commitReads(group)
		if err == nil {
			s.auditErr.Store(nil)
			return nil
		}
		s.auditErr.Store(&err)
		s.log.Error("audit trail: commit failed; reads are refused until it succeeds", "reads", n, "err", err)
		select {
		case <-time.After(auditRetry):
		case <-s.stop:
			s.log.Error("audit trail: store closing with reads not committed", "reads", n, "err", err)
			return err
		}
	}
}

func answer(group []*auditReq, err error) {
	for _, r := range group {
		if r.done != nil {
			r.done <- err
		}
	}
}

func countReads(group []*auditReq) int {
	n := 0
	for _, r := range group {
		n += len(r.reads)
	}
	return n
}

func (s *Store) commitReads(group []*auditReq) error {
	ctx := context.Background()
	// The statement is prepared before the transaction takes the audit
	// file's only connection.
	if s.auditInsert == nil {
		st, err := s.auditDB.PrepareContext(ctx, s.dialect().rebind(`INSERT INTO person_reads (at, user_name, person_id, route) VALUES (?, ?, ?, ?)`))
		if err != nil {
			return fmt.Errorf("record reads: %w", err)
		}
		s.auditInsert = st
	}
	tx, err := s.auditDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record reads: %w", err)
	}
	defer tx.Rollback()
	// One prepared statement, bound to the transaction: parsing a
	// multi-row INSERT at every commit cost more than stepping it.
	ins := tx.StmtContext(ctx, s.auditInsert)
	if countReads(group) == 0 {
		return nil
	}
	for _, g := range group {
		for _, r := range g.reads {
			if _, err := ins.ExecContext(ctx, formatTime(r.At), r.User, r.Person, r.Route); err != nil {
				return fmt.Errorf("record reads: %w", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record reads: %w", err)
	}
	return nil
}

// ReadFilter selects reads of the audit trail.
type ReadFilter struct {
	Person string // reads of this person's record
	User   string // reads by this user
	Before int64  // reads with a smaller ID (paging back); 0: the newest
	Limit  int    // at most this many (default 100, at most 1000)
}

// PersonReads returns reads of the audit trail, newest first.
func (s *Store) PersonReads(ctx context.Context, f ReadFilter) ([]PersonRead, error) {
	switch {
	case f.Limit <= 0:
		f.Limit = 100
	case f.Limit > 1000:
		f.Limit = 1000
	}
	q := `SELECT id, at, user_name, person_id, route FROM person_reads WHERE 1 = 1`
	var args []any
	if f.Person != "" {
		q += ` AND person_id = ?`
		args = append(args, f.Person)
	}
	if f.User != "" {
		q += ` AND user_name = ?`
		args = append(args, f.User)
	}
	if f.Before > 0 {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	if s.auditDB.DB == nil {
		return nil, fmt.Errorf("read audit trail: the store is open read-only")
	}
	if err := s.flushReads(ctx); err != nil {
		return nil, err
	}
	rows, err := s.auditRead().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read audit trail: %w", err)
	}
	defer rows.Close()
	var out []PersonRead
	for rows.Next() {
		var r PersonRead
		var at string
		if err := rows.Scan(&r.ID, &at, &r.User, &r.Person, &r.Route); err != nil {
			return nil, fmt.Errorf("read audit trail: %w", err)
		}
		if r.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AuditFile is where an SQLite store at path keeps its audit trail: in a
// file of its own beside the log. Reads are recorded with a commit every
// few milliseconds under load; in the log's own file each such commit would
// make every read connection drop its page cache (SQLite invalidates a
// connection's cache whenever the file changes), which made reads three
// times slower. PostgreSQL keeps the trail in the log's database.
func AuditFile(path string) string { return path + ".audit" }

const sqliteAuditSchema = `
CREATE TABLE IF NOT EXISTS person_reads (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_name TEXT NOT NULL,
    person_id TEXT NOT NULL,
    route     TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS person_reads_person ON person_reads (person_id, id);
CREATE INDEX IF NOT EXISTS person_reads_user ON person_reads (user_name, id);`

// openAudit opens the audit trail of a writable store.
func (s *Store) openAudit(ctx context.Context) error {
	if s.dialect() == postgresDialect {
		s.auditDB = s.writeDB
		return nil
	}
	path := AuditFile(s.cfg.DB)
	a, err := openSQLite(path, false)
	if err != nil {
		return fmt.Errorf("audit trail: %w", err)
	}
	if _, err := a.ExecContext(ctx, sqliteAuditSchema); err != nil {
		a.Close()
		return fmt.Errorf("audit trail %s: create schema: %w", path, err)
	}
	s.auditDB = a
	if err := s.moveOldReads(ctx); err != nil {
		a.Close()
		s.auditDB = db{}
		return err
	}
	return nil
}

// moveOldReads moves reads recorded in the log's own file (by a version
// before the audit file) into the audit file, oldest first, and then
// deletes them from the log's file. A crash between the two leaves them in
// both; the next open moves them again, so a read may then be listed twice
// but is never lost.
func (s *Store) moveOldReads(ctx context.Context) error {
	rows, err := s.writeDB.QueryContext(ctx, `SELECT at, user_name, person_id, route FROM person_reads ORDER BY id`)
	if err != nil {
		return fmt.Errorf("audit trail: read old reads: %w", err)
	}
	var old []PersonRead
	for rows.Next() {
		var r PersonRead
		var at string
		if err := rows.Scan(&at, &r.User, &r.Person, &r.Route); err != nil {
			rows.Close()
			return fmt.Errorf("audit trail: read old reads: %w", err)
		}
		if r.At, err = parseTime(at); err != nil {
			rows.Close()
			return fmt.Errorf("audit trail: read old reads: %w", err)
		}
		old = append(old, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("audit trail: read old reads: %w", err)
	}
	if len(old) == 0 {
		return nil
	}
	if err := s.commitReads([]*auditReq{{reads: old}}); err != nil {
		return fmt.Errorf("audit trail: move old reads: %w", err)
	}
	if _, err := s.writeDB.ExecContext(ctx, `DELETE FROM person_reads`); err != nil {
		return fmt.Errorf("audit trail: move old reads: %w", err)
	}
	s.log.Info("moved the audit trail into its own file", "reads", len(old), "file", AuditFile(s.cfg.DB))
	return nil
}

// auditRead is the connection pool that reads the audit trail.
func (s *Store) auditRead() db {
	if s.dialect() == postgresDialect {
		return s.readDB
	}
	return s.auditDB
}
