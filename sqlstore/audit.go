package sqlstore

import (
	"context"
	"fmt"
	"strings"
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
	tx, err := s.writeDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record reads: %w", err)
	}
	defer tx.Rollback()
	// Multi-row inserts of up to 100 rows (5 parameters each).
	var rows []PersonRead
	for _, r := range group {
		rows = append(rows, r.reads...)
	}
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), 100)]
		rows = rows[len(chunk):]
		var q strings.Builder
		q.WriteString(`INSERT INTO person_reads (at, user_name, person_id, route) VALUES `)
		args := make([]any, 0, 4*len(chunk))
		for i, r := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?)")
			args = append(args, formatTime(r.At), r.User, r.Person, r.Route)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("record reads: %w", err)
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
	rows, err := s.readDB.QueryContext(ctx, q, args...)
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
