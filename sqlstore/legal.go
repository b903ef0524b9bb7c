package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
)

// Reads of cases, death-penalty alerts, consular notifications,
// repatriation requests and legal reference data. The policy filters what
// each user sees (custody.CanViewCase and the like); the filters here only
// narrow the query.

// Cases returns the cases, oldest first; jurisdiction "" for every one.
func (s *Store) Cases(ctx context.Context, jurisdiction custody.AuthorityID) ([]*custody.CaseState, error) {
	q, args := `SELECT doc FROM cases ORDER BY opened_seq`, []any{}
	if jurisdiction != "" {
		q, args = `SELECT doc FROM cases WHERE jurisdiction = ? ORDER BY opened_seq`, []any{string(jurisdiction)}
	}
	return readDocs[custody.CaseState](ctx, s.readDB, "cases", q, args...)
}

// Case returns one case.
func (s *Store) Case(ctx context.Context, id custody.CaseID) (*custody.CaseState, error) {
	return loadDoc[custody.CaseState](ctx, s.readDB, "cases", "case", string(id))
}

// CasesOf returns the cases of one person, oldest first.
func (s *Store) CasesOf(ctx context.Context, p custody.PersonID) ([]*custody.CaseState, error) {
	return readDocs[custody.CaseState](ctx, s.readDB, "cases", `SELECT doc FROM cases WHERE person_id = ? ORDER BY opened_seq`, string(p))
}

// Exposures returns the death-penalty alerts, oldest first: only the open
// ones if open.
func (s *Store) Exposures(ctx context.Context, open bool) ([]*custody.Exposure, error) {
	q := `SELECT doc FROM exposures ORDER BY key`
	if open {
		q = `SELECT doc FROM exposures WHERE closed_by IS NULL ORDER BY key`
	}
	return readDocs[custody.Exposure](ctx, s.readDB, "exposures", q)
}

// ExposuresOf returns the death-penalty alerts of one person.
func (s *Store) ExposuresOf(ctx context.Context, p custody.PersonID) ([]*custody.Exposure, error) {
	return readDocs[custody.Exposure](ctx, s.readDB, "exposures", `SELECT doc FROM exposures WHERE person_id = ? ORDER BY key`, string(p))
}

// NotificationFilter narrows a notification query. Empty fields do not
// filter.
type NotificationFilter struct {
	Countries []string            // owed to one of these states
	Authority custody.AuthorityID // owed by this authority
	Person    custody.PersonID
	Status    custody.NotificationStatus
	Before    time.Time // came into custody before this (for overdue: pending and before now - window)
	Limit     int       // 0 for no limit
}

func (f NotificationFilter) where() (string, []any) {
	var conds []string
	var args []any
	if len(f.Countries) > 0 {
		conds = append(conds, "country IN ("+placeholders(len(f.Countries))+")")
		for _, c := range f.Countries {
			args = append(args, c)
		}
	}
	if f.Authority != "" {
		conds, args = append(conds, "authority = ?"), append(args, string(f.Authority))
	}
	if f.Person != "" {
		conds, args = append(conds, "person_id = ?"), append(args, string(f.Person))
	}
	if f.Status != "" {
		conds, args = append(conds, "status = ?"), append(args, string(f.Status))
	}
	if !f.Before.IsZero() {
		conds, args = append(conds, "custody_at < ?"), append(args, formatTime(f.Before))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Notifications returns the notifications f selects, oldest custody first.
func (s *Store) Notifications(ctx context.Context, f NotificationFilter) ([]*custody.Notification, error) {
	w, args := f.where()
	q := `SELECT doc FROM notifications` + w + ` ORDER BY custody_at, id`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return readDocs[custody.Notification](ctx, s.readDB, "notifications", q, args...)
}

// CountNotifications counts the notifications f selects (Limit ignored).
func (s *Store) CountNotifications(ctx context.Context, f NotificationFilter) (int, error) {
	w, args := f.where()
	var n int
	if err := s.readDB.QueryRowContext(ctx, `SELECT count(*) FROM notifications`+w, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return n, nil
}

// Repatriations returns the repatriation requests, newest first; country ""
// for every state's.
func (s *Store) Repatriations(ctx context.Context, country string) ([]*custody.RepatriationState, error) {
	q, args := `SELECT doc FROM repatriations ORDER BY requested_seq DESC`, []any{}
	if country != "" {
		q, args = `SELECT doc FROM repatriations WHERE country = ? ORDER BY requested_seq DESC`, []any{country}
	}
	return readDocs[custody.RepatriationState](ctx, s.readDB, "repatriations", q, args...)
}

// Repatriation returns one request.
func (s *Store) Repatriation(ctx context.Context, id custody.RepatriationID) (*custody.RepatriationState, error) {
	return loadDoc[custody.RepatriationState](ctx, s.readDB, "repatriations", "repatriation request", string(id))
}

// LegalReference returns every published version of the charges and of
// the states' positions on the death penalty, oldest first.
func (s *Store) LegalReference(ctx context.Context) ([]*custody.ChargeList, []*custody.PositionTable, error) {
	return readLegal(ctx, s.readDB)
}

func readLegal(ctx context.Context, q queryer) ([]*custody.ChargeList, []*custody.PositionTable, error) {
	var parts custody.Parts
	err := scanAll(ctx, q, "SELECT kind, doc FROM legal_references ORDER BY kind, version", func(r *sql.Rows) error {
		var kind, doc string
		if err := r.Scan(&kind, &doc); err != nil {
			return err
		}
		switch custody.LegalKind(kind) {
		case custody.LegalCharges:
			v := new(custody.ChargeList)
			parts.ChargeLists = append(parts.ChargeLists, v)
			return json.Unmarshal([]byte(doc), v)
		case custody.LegalPositions:
			v := new(custody.PositionTable)
			parts.PositionTables = append(parts.PositionTables, v)
			return json.Unmarshal([]byte(doc), v)
		}
		return fmt.Errorf("unknown kind %q", kind)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read legal reference: %w", err)
	}
	return parts.ChargeLists, parts.PositionTables, nil
}

// readDocs reads the doc column of query's rows into values of T.
func readDocs[T any](ctx context.Context, q queryer, what, query string, args ...any) ([]*T, error) {
	var out []*T
	err := scanAll(ctx, q, query, func(r *sql.Rows) error {
		var doc string
		if err := r.Scan(&doc); err != nil {
			return err
		}
		v := new(T)
		out = append(out, v)
		return json.Unmarshal([]byte(doc), v)
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return out, nil
}

// State returns the current state as the projections hold it, read in one
// snapshot: a copy the caller owns (the demo's aftermath reads it).
func (s *Store) State(ctx context.Context) (*custody.State, error) {
	rtx, err := s.readDB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, fmt.Errorf("read state: begin: %w", err)
	}
	defer rtx.Rollback()
	return loadState(ctx, rtx)
}
