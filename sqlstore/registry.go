package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	custody "github.com/opencustody/custody"
)

// PersonDocs returns every registered person's state and the log size it
// reflects, read in one transaction: a consistent point from which to
// follow the log (Events after size-1) and miss nothing.
func (s *Store) PersonDocs(ctx context.Context) (size int64, persons []*custody.PersonState, err error) {
	rtx, err := s.readDB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return 0, nil, fmt.Errorf("read persons: %w", err)
	}
	defer rtx.Rollback()
	if err := rtx.QueryRowContext(ctx, `SELECT size FROM log_head WHERE id = 1`).Scan(&size); err != nil {
		return 0, nil, fmt.Errorf("read persons: log size: %w", err)
	}
	if persons, err = loadDocs[custody.PersonState](ctx, rtx, "persons"); err != nil {
		return 0, nil, fmt.Errorf("read persons: %w", err)
	}
	return size, persons, nil
}

// Inquiries returns the family inquiries opened by desk user desk (every
// inquiry if desk is empty), newest first.
func (s *Store) Inquiries(ctx context.Context, desk string) ([]*custody.InquiryState, error) {
	q, args := `SELECT doc FROM inquiries ORDER BY opened_seq DESC`, []any{}
	if desk != "" {
		q, args = `SELECT doc FROM inquiries WHERE desk = ? ORDER BY opened_seq DESC`, []any{desk}
	}
	var out []*custody.InquiryState
	err := scanAll(ctx, s.readDB, q, func(r *sql.Rows) error {
		var doc string
		if err := r.Scan(&doc); err != nil {
			return err
		}
		v := new(custody.InquiryState)
		out = append(out, v)
		return json.Unmarshal([]byte(doc), v)
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("read inquiries: %w", err)
	}
	return out, nil
}

// Inquiry returns one inquiry.
func (s *Store) Inquiry(ctx context.Context, id custody.InquiryID) (*custody.InquiryState, error) {
	return loadDoc[custody.InquiryState](ctx, s.readDB, "inquiries", "inquiry", string(id))
}
