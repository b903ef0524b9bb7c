package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

// Count is one line of a breakdown.
type Count struct {
	Key   string `json:"key"`
	Label string `json:"label,omitempty"`
	N     int    `json:"n"`
}

// FacilityCount is a facility's population against its capacity.
type FacilityCount struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Parent     string `json:"parent,omitempty"`
	Controller string `json:"controller"`
	Capacity   int    `json:"capacity"`
	Population int    `json:"population"`
}

// DayCount is the transfers of one day and the running total.
type DayCount struct {
	Date       string `json:"date"`
	N          int    `json:"n"`
	Cumulative int    `json:"cumulative"`
}

// Transfer is the progress of the transfer toward its target.
type Transfer struct {
	Target int        `json:"target,omitempty"`
	Done   int        `json:"done"`
	ByDay  []DayCount `json:"by_day"`
}

// Stats are the operation's figures from the projections.
type Stats struct {
	Persons       int             `json:"persons"`
	InCustody     int             `json:"in_custody"`
	ByStatus      []Count         `json:"by_status"`
	ByFacility    []FacilityCount `json:"by_facility"`
	ByAuthority   []Count         `json:"by_authority"`
	ByCategory    []Count         `json:"by_category"`
	Under12       int             `json:"under_12"`
	ByNationality []Count         `json:"by_nationality"`
	Nationalities int             `json:"nationalities"`
	OpenEscapes   int             `json:"open_escapes"`
	Transfer      Transfer        `json:"transfer"`
	Legal         LegalStats      `json:"legal"`
	LogEntries    int64           `json:"log_entries"`
}

// LegalStats are the figures after the transfer: cases by stage, consular
// notifications by status, open death-penalty alerts, persons repatriated.
type LegalStats struct {
	Cases                int     `json:"cases"`
	CasesByStage         []Count `json:"cases_by_stage"`
	Notifications        []Count `json:"notifications_by_status"`
	NotificationsPending int     `json:"notifications_pending"`
	DeathPenaltyAlerts   int     `json:"death_penalty_alerts_open"`
	Repatriated          int     `json:"repatriated"`
}

// Stats reads the operation's figures. Only persons in custody count
// toward facilities and authorities; everyone registered counts toward
// category and nationality.
func (s *Store) Stats(ctx context.Context) (*Stats, error) {
	st := &Stats{}
	q := s.readDB
	if err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(under_12), 0) FROM persons`).Scan(&st.Persons, &st.Under12); err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	var err error
	if st.ByStatus, err = counts(ctx, q, `SELECT status, '', count(*) FROM persons GROUP BY status ORDER BY count(*) DESC, status`); err != nil {
		return nil, err
	}
	for _, c := range st.ByStatus {
		if custody.Status(c.Key).InCustody() {
			st.InCustody += c.N
		}
	}
	if st.ByAuthority, err = counts(ctx, q, `SELECT p.authority_id, coalesce(a.name, ''), count(*) FROM persons p LEFT JOIN authorities a ON a.id = p.authority_id
		WHERE p.authority_id IS NOT NULL GROUP BY p.authority_id, a.name ORDER BY count(*) DESC, p.authority_id`); err != nil {
		return nil, err
	}
	if st.ByCategory, err = counts(ctx, q, `SELECT category, '', count(*) FROM persons GROUP BY category ORDER BY count(*) DESC, category`); err != nil {
		return nil, err
	}
	if st.ByNationality, err = counts(ctx, q, `SELECT country, '', count(*) FROM person_nationalities GROUP BY country ORDER BY count(*) DESC, country`); err != nil {
		return nil, err
	}
	st.Nationalities = len(st.ByNationality)
	err = scanAll(ctx, q, `SELECT id, name, kind, coalesce(parent, ''), controller, capacity, population FROM facilities ORDER BY population DESC, id`, func(r *sql.Rows) error {
		var f FacilityCount
		if err := r.Scan(&f.ID, &f.Name, &f.Kind, &f.Parent, &f.Controller, &f.Capacity, &f.Population); err != nil {
			return err
		}
		st.ByFacility = append(st.ByFacility, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stats: facilities: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM escapes WHERE closed_by IS NULL`).Scan(&st.OpenEscapes); err != nil {
		return nil, fmt.Errorf("stats: escapes: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&st.LogEntries); err != nil {
		return nil, fmt.Errorf("stats: events: %w", err)
	}
	if st.Transfer, err = s.transfer(ctx, st.ByFacility); err != nil {
		return nil, err
	}
	l := &st.Legal
	if l.CasesByStage, err = counts(ctx, q, `SELECT stage, '', count(*) FROM cases GROUP BY stage ORDER BY count(*) DESC, stage`); err != nil {
		return nil, err
	}
	if l.Notifications, err = counts(ctx, q, `SELECT status, '', count(*) FROM notifications GROUP BY status ORDER BY count(*) DESC, status`); err != nil {
		return nil, err
	}
	for _, c := range l.CasesByStage {
		l.Cases += c.N
	}
	for _, c := range l.Notifications {
		if c.Key == string(custody.NotificationPending) {
			l.NotificationsPending = c.N
		}
	}
	for _, c := range st.ByStatus {
		if c.Key == string(custody.StatusRepatriated) {
			l.Repatriated = c.N
		}
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM exposures WHERE closed_by IS NULL`).Scan(&l.DeathPenaltyAlerts); err != nil {
		return nil, fmt.Errorf("stats: exposures: %w", err)
	}
	return st, nil
}

func counts(ctx context.Context, q queryer, query string) ([]Count, error) {
	var out []Count
	err := scanAll(ctx, q, query, func(r *sql.Rows) error {
		var c Count
		if err := r.Scan(&c.Key, &c.Label, &c.N); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return out, nil
}

// transfer counts transfers into destination prisons, by day of
// occurrence.
func (s *Store) transfer(ctx context.Context, facs []FacilityCount) (Transfer, error) {
	dest := map[custody.FacilityID]bool{}
	for _, f := range facs {
		if custody.FacilityKind(f.Kind) == custody.Destination {
			dest[custody.FacilityID(f.ID)] = true
		}
	}
	t := Transfer{}
	meta, err := s.Meta(ctx)
	if err != nil {
		return t, err
	}
	if v, ok := meta["transfer_target"]; ok {
		t.Target, _ = strconv.Atoi(v)
	}
	byDay := map[string]int{}
	// Transfers of one event each (custody.transferred)...
	err = scanAll(ctx, s.readDB, `SELECT occurred_at, body FROM events WHERE type = ?`, func(r *sql.Rows) error {
		var (
			at   string
			body []byte
			e    struct {
				Data custody.Transferred `json:"data"`
			}
		)
		if err := r.Scan(&at, &body); err != nil {
			return err
		}
		if err := json.Unmarshal(body, &e); err != nil {
			return err
		}
		if dest[e.Data.To] {
			byDay[at[:10]]++
		}
		return nil
	}, string(custody.TypeTransferred))
	if err != nil {
		return t, fmt.Errorf("stats: transfers: %w", err)
	}
	// ... and persons received at the end of a move into a destination,
	// on the day the receiving side confirmed them.
	received := map[int64]int{} // confirmation's log index → persons
	moves, err := loadDocs[custody.MoveState](ctx, s.readDB, "moves")
	if err != nil {
		return t, fmt.Errorf("stats: %w", err)
	}
	for _, m := range moves {
		if !dest[m.Move.Destination] {
			continue
		}
		for _, seq := range m.HandedOver {
			received[seq]++
		}
	}
	if len(received) > 0 {
		err = scanAll(ctx, s.readDB, `SELECT seq, occurred_at FROM events WHERE type = ?`, func(r *sql.Rows) error {
			var (
				seq int64
				at  string
			)
			if err := r.Scan(&seq, &at); err != nil {
				return err
			}
			// Only confirmations of persons arriving count: a day of
			// departures alone is not a day of the transfer's progress.
			if n := received[seq]; n > 0 {
				byDay[at[:10]] += n
			}
			return nil
		}, string(custody.TypeHandoverReceived))
		if err != nil {
			return t, fmt.Errorf("stats: handovers: %w", err)
		}
	}
	for _, d := range slices.Sorted(maps.Keys(byDay)) {
		t.Done += byDay[d]
		t.ByDay = append(t.ByDay, DayCount{Date: d, N: byDay[d], Cumulative: t.Done})
	}
	return t, nil
}

// Size is the number of entries in the log.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	if err := s.readDB.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil {
		return 0, fmt.Errorf("log size: %w", err)
	}
	return n, nil
}

// LatestCheckpoint returns the latest signed checkpoint (a signed note),
// or nil if the log is empty.
func (s *Store) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var note []byte
	err := s.readDB.QueryRowContext(ctx, `SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1`).Scan(&note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("latest checkpoint: %w", err)
	}
	return note, nil
}

// Event returns the event at log index seq and its canonical body.
func (s *Store) Event(ctx context.Context, seq int64) (custody.Event, []byte, error) {
	var body []byte
	err := s.readDB.QueryRowContext(ctx, `SELECT body FROM events WHERE seq = ?`, seq).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return custody.Event{}, nil, &custody.Error{Code: custody.NotFound, Msg: fmt.Sprintf("no event at log index %d", seq)}
	}
	if err != nil {
		return custody.Event{}, nil, fmt.Errorf("read event %d: %w", seq, err)
	}
	var e custody.Event
	if err := json.Unmarshal(body, &e); err != nil {
		return custody.Event{}, nil, fmt.Errorf("decode event %d: %w", seq, err)
	}
	return e, body, nil
}

// HashReader reads the tree's stored hashes from the database.
func (s *Store) HashReader(ctx context.Context) tlog.HashReader {
	return dbHashReader{ctx: ctx, q: s.readDB}
}

// InclusionProof proves that the event at index is in the tree of the
// given size.
func (s *Store) InclusionProof(ctx context.Context, size, index int64) (tlog.RecordProof, error) {
	return ledger.ProveInclusion(size, index, s.HashReader(ctx))
}

// ConsistencyProof proves that the tree of size oldSize is a prefix of the
// tree of size newSize.
func (s *Store) ConsistencyProof(ctx context.Context, newSize, oldSize int64) (tlog.TreeProof, error) {
	return ledger.ProveConsistency(newSize, oldSize, s.HashReader(ctx))
}

// TreeHash returns the root hash of the tree of the given size.
func (s *Store) TreeHash(ctx context.Context, size int64) (tlog.Hash, error) {
	h, err := tlog.TreeHash(size, s.HashReader(ctx))
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("tree hash %d: %w", size, err)
	}
	return h, nil
}

// HeldPerson is a person held now, where, and in whose custody.
type HeldPerson struct {
	Person    custody.Person
	Facility  custody.FacilityID
	Authority custody.AuthorityID
}

// Held returns the persons held now (status held, not in hospital) in the
// given facilities, or in every facility if none is given, sorted by ID.
func (s *Store) Held(ctx context.Context, facilities ...custody.FacilityID) ([]HeldPerson, error) {
	query := `SELECT facility_id, authority_id, doc FROM persons WHERE status = ?`
	args := []any{string(custody.StatusHeld)}
	if len(facilities) > 0 {
		query += ` AND facility_id IN (` + placeholders(len(facilities)) + `)`
		for _, f := range facilities {
			args = append(args, string(f))
		}
	}
	var out []HeldPerson
	err := scanAll(ctx, s.readDB, query+` ORDER BY id`, func(r *sql.Rows) error {
		var (
			h   HeldPerson
			doc string
			d   personDoc
		)
		if err := r.Scan(&h.Facility, &h.Authority, &doc); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			return err
		}
		h.Person = d.Person
		out = append(out, h)
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("read persons held: %w", err)
	}
	return out, nil
}

// Facility returns a facility's current state: its record, controller,
// control history and how many it holds.
func (s *Store) Facility(ctx context.Context, id custody.FacilityID) (*custody.FacilityState, error) {
	var (
		f   custody.FacilityState
		doc string
		d   facilityDoc
		n   int64
	)
	err := s.readDB.QueryRowContext(ctx, `SELECT controller, population, doc FROM facilities WHERE id = ?`, string(id)).Scan(&f.Controller, &n, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &custody.Error{Code: custody.NotFound, Facility: id, Msg: fmt.Sprintf("no facility %q", id)}
	}
	if err != nil {
		return nil, fmt.Errorf("read facility %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return nil, fmt.Errorf("read facility %s: %w", id, err)
	}
	f.Facility, f.Control, f.Count = d.Facility, d.Control, int(n)
	return &f, nil
}
