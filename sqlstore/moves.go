package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

// MoveSummary is one line of the moves board.
type MoveSummary struct {
	ID          custody.MoveID       `json:"id"`
	Allocation  custody.AllocationID `json:"allocation"`
	Mode        custody.Mode         `json:"mode"`
	Status      custody.MoveStatus   `json:"status"`
	Origin      custody.FacilityID   `json:"origin"`
	Destination custody.FacilityID   `json:"destination"`
	Escort      custody.AuthorityID  `json:"escort"`
	Departure   string               `json:"departure"`
	Manifested  int                  `json:"manifested"`
	Aboard      int                  `json:"aboard"`
}

// Moves returns the moves, by scheduled departure, optionally only those
// at the given stages.
func (s *Store) Moves(ctx context.Context, stages ...custody.MoveStatus) ([]MoveSummary, error) {
	query := `SELECT id, allocation_id, mode, status, origin, destination, escort, departure, manifested, aboard FROM moves`
	var args []any
	if len(stages) > 0 {
		query += ` WHERE status IN (` + placeholders(len(stages)) + `)`
		for _, st := range stages {
			args = append(args, string(st))
		}
	}
	query += ` ORDER BY departure, id`
	var out []MoveSummary
	err := scanAll(ctx, s.readDB, query, func(r *sql.Rows) error {
		var m MoveSummary
		if err := r.Scan(&m.ID, &m.Allocation, &m.Mode, &m.Status, &m.Origin, &m.Destination, &m.Escort, &m.Departure, &m.Manifested, &m.Aboard); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("read moves: %w", err)
	}
	return out, nil
}

// Move returns a move and everything that happened to it.
func (s *Store) Move(ctx context.Context, id custody.MoveID) (*custody.MoveState, error) {
	return loadDoc[custody.MoveState](ctx, s.readDB, "moves", "move", string(id))
}

// Alerts returns the discrepancy alerts by log index: only the open ones,
// or all.
func (s *Store) Alerts(ctx context.Context, openOnly bool) ([]*custody.Alert, error) {
	return readAlerts(ctx, s.readDB, openOnly)
}

func readAlerts(ctx context.Context, q queryer, openOnly bool) ([]*custody.Alert, error) {
	query := `SELECT seq, kind, move_id, stage, expected, counted, at, closed_by, closed_at, explanation FROM alerts`
	if openOnly {
		query += ` WHERE closed_by IS NULL`
	}
	query += ` ORDER BY seq`
	var out []*custody.Alert
	err := scanAll(ctx, q, query, func(r *sql.Rows) error {
		var (
			a                 custody.Alert
			at                string
			closedBy          sql.NullInt64
			closedAt, explain sql.NullString
		)
		if err := r.Scan(&a.Seq, &a.Kind, &a.Move, &a.Stage, &a.Expected, &a.Counted, &at, &closedBy, &closedAt, &explain); err != nil {
			return err
		}
		var err error
		if a.At, err = parseTime(at); err != nil {
			return err
		}
		a.ClosedBy, a.Explanation = closedBy.Int64, explain.String
		if closedAt.Valid {
			if a.ClosedAt, err = parseTime(closedAt.String); err != nil {
				return err
			}
		}
		out = append(out, &a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	return out, nil
}

// OpenEscapes returns the open "missing from custody" clocks.
func (s *Store) OpenEscapes(ctx context.Context) ([]custody.Escape, error) {
	var out []custody.Escape
	err := scanAll(ctx, s.readDB, `SELECT seq, person_id, facility_id, move_id, at FROM escapes WHERE closed_by IS NULL ORDER BY seq`, func(r *sql.Rows) error {
		var (
			e  custody.Escape
			mv sql.NullString
			at string
		)
		if err := r.Scan(&e.Seq, &e.Person, &e.Facility, &mv, &at); err != nil {
			return err
		}
		e.Move = custody.MoveID(mv.String)
		var err error
		e.At, err = parseTime(at)
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read open escapes: %w", err)
	}
	return out, nil
}

// Persons returns the current state of the given persons, by ID. Persons
// not registered are missing from the map.
func (s *Store) Persons(ctx context.Context, ids []custody.PersonID) (map[custody.PersonID]*custody.PersonState, error) {
	out := make(map[custody.PersonID]*custody.PersonState, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		args := make([]any, n)
		for i, id := range chunk {
			args[i] = string(id)
		}
		query := `SELECT status, facility_id, move_id, authority_id, since, since_seq, escape_seq, registered_seq, doc FROM persons WHERE id IN (` + placeholders(n) + `)`
		err := scanAll(ctx, s.readDB, query, func(r *sql.Rows) error {
			p, err := scanPerson(r)
			if err != nil {
				return err
			}
			out[p.Person.ID] = p
			return nil
		}, args...)
		if err != nil {
			return nil, fmt.Errorf("read persons: %w", err)
		}
	}
	return out, nil
}

// Authorities returns every authority by ID.
func (s *Store) Authorities(ctx context.Context) (map[custody.AuthorityID]*custody.Authority, error) {
	list, err := loadDocs[custody.Authority](ctx, s.readDB, "authorities")
	if err != nil {
		return nil, err
	}
	out := make(map[custody.AuthorityID]*custody.Authority, len(list))
	for _, a := range list {
		out[a.ID] = a
	}
	return out, nil
}

// Receipt returns the offline proof of the event at index: its leaf hash
// and inclusion proof in the tree of the latest signed checkpoint, with
// that checkpoint.
func (s *Store) Receipt(ctx context.Context, index int64) (*ledger.ReceiptProof, error) {
	_, body, err := s.Event(ctx, index)
	if err != nil {
		return nil, err
	}
	var (
		size int64
		note []byte
	)
	err = s.readDB.QueryRowContext(ctx, `SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1`).Scan(&size, &note)
	if err != nil {
		return nil, fmt.Errorf("receipt of event %d: latest checkpoint: %w", index, err)
	}
	proof, err := s.InclusionProof(ctx, size, index)
	if err != nil {
		return nil, fmt.Errorf("receipt of event %d: %w", index, err)
	}
	return &ledger.ReceiptProof{Index: index, Leaf: ledger.LeafHash(body), Proof: proof, Checkpoint: note}, nil
}

// scanPerson reads a persons row of the columns status, facility_id,
// move_id, authority_id, since, since_seq, escape_seq, registered_seq, doc.
func scanPerson(r interface{ Scan(...any) error }) (*custody.PersonState, error) {
	var (
		p             custody.PersonState
		fac, mv, auth sql.NullString
		since, doc    string
		esc           sql.NullInt64
		d             personDoc
	)
	if err := r.Scan(&p.Location.Status, &fac, &mv, &auth, &since, &p.Location.SinceSeq, &esc, &p.Registered, &doc); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return nil, err
	}
	t, err := parseTime(since)
	if err != nil {
		return nil, err
	}
	p.Person, p.Identity, p.Merged = d.Person, d.Identity, d.Merged
	p.Location.Facility = custody.FacilityID(fac.String)
	p.Location.Move = custody.MoveID(mv.String)
	p.Location.Authority = custody.AuthorityID(auth.String)
	p.Location.Since, p.Location.Escape = t, esc.Int64
	return &p, nil
}
