package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// The audit trail of person reads. A read is shown only after it is
// recorded; reads that arrive together are committed together (one
// transaction for every read waiting), so that auditing does not make the
// busiest page slow.

// PersonRead is one read of a person's record.
type PersonRead struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	User   string    `json:"user"`
	Person string    `json:"person"`
	Route  string    `json:"route"` // the page or endpoint, as its route pattern
}

type auditReq struct {
	reads []PersonRead
	done  chan error
}

// maxAuditBatch bounds the reads committed in one transaction.
const maxAuditBatch = 4096

// RecordReads records reads of persons' records and returns once they are
// committed.
func (s *Store) RecordReads(ctx context.Context, reads ...PersonRead) error {
	if len(reads) == 0 {
		return nil
	}
	if err := s.writable("record reads"); err != nil {
		return err
	}
	s.auditOnce.Do(func() {
		s.audits = make(chan *auditReq, 1024)
		s.auditDone = make(chan struct{})
		go s.runAudit()
	})
	now := time.Now()
	for i := range reads {
		if reads[i].At.IsZero() {
			reads[i].At = now
		}
	}
	r := &auditReq{reads: reads, done: make(chan error, 1)}
	select {
	case s.audits <- r:
	case <-ctx.Done():
		return fmt.Errorf("record reads: %w", ctx.Err())
	case <-s.stop:
		return fmt.Errorf("record reads: store is closing")
	}
	select {
	case err := <-r.done:
		return err
	case <-s.auditDone:
		select {
		case err := <-r.done:
			return err
		default:
			return fmt.Errorf("record reads: store is closing")
		}
	case <-ctx.Done():
		return fmt.Errorf("record reads: %w", ctx.Err())
	}
}

// runAudit commits waiting reads until the store closes.
func (s *Store) runAudit() {
	defer close(s.auditDone)
	for {
		var first *auditReq
		select {
		case first = <-s.audits:
		case <-s.stop:
			for {
				select {
				case r := <-s.audits:
					r.done <- fmt.Errorf("record reads: store is closing")
				default:
					return
				}
			}
		}
		group := []*auditReq{first}
		n := len(first.reads)
	more:
		for n < maxAuditBatch {
			select {
			case r := <-s.audits:
				group = append(group, r)
				n += len(r.reads)
			default:
				break more
			}
		}
		err := s.commitReads(group)
		for _, r := range group {
			r.done <- err
		}
	}
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
