package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

// outbox gathers what one transaction writes: the new log rows, and the
// projection rows the events changed (each written once, however many
// events of the batch touched it).
type outbox struct {
	events        [][]any
	hashRows      [][]any
	personEvents  [][]any
	persons       map[custody.PersonID]bool
	identities    map[custody.PersonID]bool // nationalities to rewrite
	corrected     map[custody.PersonID]bool // ... and to delete first
	facilities    map[custody.FacilityID]bool
	authorities   map[custody.AuthorityID]bool
	escapes       map[int64]bool
	references    map[custody.ListID]bool
	allocations   map[custody.AllocationID]bool
	moves         map[custody.MoveID]bool
	alerts        map[int64]bool
	inquiries     map[custody.InquiryID]bool
	cases         map[custody.CaseID]bool
	exposures     map[int64]bool
	notifications map[custody.NotificationID]bool
	repatriations map[custody.RepatriationID]bool
	legal         map[custody.LegalRef]bool
}

func newOutbox() *outbox {
	return &outbox{
		persons:       map[custody.PersonID]bool{},
		identities:    map[custody.PersonID]bool{},
		corrected:     map[custody.PersonID]bool{},
		facilities:    map[custody.FacilityID]bool{},
		authorities:   map[custody.AuthorityID]bool{},
		escapes:       map[int64]bool{},
		references:    map[custody.ListID]bool{},
		allocations:   map[custody.AllocationID]bool{},
		moves:         map[custody.MoveID]bool{},
		alerts:        map[int64]bool{},
		inquiries:     map[custody.InquiryID]bool{},
		cases:         map[custody.CaseID]bool{},
		exposures:     map[int64]bool{},
		notifications: map[custody.NotificationID]bool{},
		repatriations: map[custody.RepatriationID]bool{},
		legal:         map[custody.LegalRef]bool{},
	}
}

var eventCols = []string{"seq", "type", "key", "occurred_at", "recorded_at", "body"}

func (o *outbox) event(seq int64, e *custody.Event, body []byte) {
	o.events = append(o.events, []any{seq, string(e.Type), e.Key, formatTime(e.OccurredAt), formatTime(e.RecordedAt), body})
}

func (o *outbox) addHashes(hs []ledger.StoredHash) {
	for _, h := range hs {
		o.hashRows = append(o.hashRows, []any{h.Index, h.Hash[:]})
	}
}

func (o *outbox) change(seq int64, e *custody.Event, ch custody.Change) {
	for _, p := range ch.Persons {
		o.persons[p] = true
		o.personEvents = append(o.personEvents, []any{string(p), seq})
	}
	switch d := e.Data.(type) {
	case *custody.PersonRegistered:
		o.identities[d.Person.ID] = true
	case *custody.IdentityCorrected:
		o.identities[d.Person.ID] = true
		o.corrected[d.Person.ID] = true
	}
	for _, f := range ch.Facilities {
		o.facilities[f] = true
	}
	for _, a := range ch.Authorities {
		o.authorities[a] = true
	}
	for _, x := range ch.Escapes {
		o.escapes[x] = true
	}
	for _, x := range ch.References {
		o.references[x] = true
	}
	for _, x := range ch.Allocations {
		o.allocations[x] = true
	}
	for _, x := range ch.Moves {
		o.moves[x] = true
	}
	for _, x := range ch.Alerts {
		o.alerts[x] = true
	}
	for _, x := range ch.Inquiries {
		o.inquiries[x] = true
	}
	for _, x := range ch.Cases {
		o.cases[x] = true
	}
	for _, x := range ch.Exposures {
		o.exposures[x] = true
	}
	for _, x := range ch.Notifications {
		o.notifications[x] = true
	}
	for _, x := range ch.Repatriations {
		o.repatriations[x] = true
	}
	for _, x := range ch.Legal {
		o.legal[x] = true
	}
}

// write inserts the log rows and upserts the changed projection rows from
// the state after the batch.
func (o *outbox) write(ctx context.Context, tx tx, st *custody.State) error {
	if err := insertRows(ctx, tx, "events", eventCols, o.events, ""); err != nil {
		return err
	}
	if err := insertRows(ctx, tx, "hashes", []string{"idx", "hash"}, o.hashRows, ""); err != nil {
		return err
	}
	if err := insertRows(ctx, tx, personEventsTable.table, personEventsTable.cols, o.personEvents, " ON CONFLICT DO NOTHING"); err != nil {
		return err
	}
	var rows [][]any
	for _, id := range slices.Sorted(maps.Keys(o.authorities)) {
		r, err := authorityRow(st.Authorities[id])
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if err := upsertRows(ctx, tx, authoritiesTable, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, id := range slices.Sorted(maps.Keys(o.facilities)) {
		r, err := facilityRow(st.Facilities[id])
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if err := upsertRows(ctx, tx, facilitiesTable, rows); err != nil {
		return err
	}
	rows = rows[:0]
	var nats [][]any
	for _, id := range slices.Sorted(maps.Keys(o.persons)) {
		p := st.Persons[id]
		r, err := personRow(p)
		if err != nil {
			return err
		}
		rows = append(rows, r)
		if o.identities[id] {
			nats = append(nats, nationalityRows(&p.Person)...)
		}
	}
	if err := upsertRows(ctx, tx, personsTable, rows); err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(o.corrected)) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM person_nationalities WHERE person_id = ?`, string(id)); err != nil {
			return fmt.Errorf("rewrite nationalities of %s: %w", id, err)
		}
	}
	if err := insertRows(ctx, tx, nationalitiesTable.table, nationalitiesTable.cols, nats, ""); err != nil {
		return err
	}
	rows = rows[:0]
	for _, x := range slices.Sorted(maps.Keys(o.escapes)) {
		rows = append(rows, escapeRow(st.Escapes[x]))
	}
	if err := upsertRows(ctx, tx, escapesTable, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, x := range slices.Sorted(maps.Keys(o.references)) {
		for _, l := range st.References[x] {
			r, err := referenceRow(l)
			if err != nil {
				return err
			}
			rows = append(rows, r)
		}
	}
	if err := upsertRows(ctx, tx, referencesTable, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, x := range slices.Sorted(maps.Keys(o.allocations)) {
		r, err := allocationRow(st.Allocations[x])
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if err := upsertRows(ctx, tx, allocationsTable, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, x := range slices.Sorted(maps.Keys(o.moves)) {
		r, err := moveRow(st.Moves[x])
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if err := upsertRows(ctx, tx, movesTable, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, x := range slices.Sorted(maps.Keys(o.inquiries)) {
		r, err := inquiryRow(st.Inquiries[x])
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if err := upsertRows(ctx, tx, inquiriesTable, rows); err != nil {
		return err
	}
	if err := writeDocs(ctx, tx, casesTable, o.cases, st.Cases, caseRow); err != nil {
		return err
	}
	if err := writeDocs(ctx, tx, exposuresTable, o.exposures, st.Exposures, exposureRow); err != nil {
		return err
	}
	if err := writeDocs(ctx, tx, notificationsTable, o.notifications, st.Notifications, notificationRow); err != nil {
		return err
	}
	if err := writeDocs(ctx, tx, repatriationsTable, o.repatriations, st.Repatriations, repatriationRow); err != nil {
		return err
	}
	rows = rows[:0]
	for x := range o.legal {
		r, err := legalRow(st, x)
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if err := upsertRows(ctx, tx, legalTable, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, x := range slices.Sorted(maps.Keys(o.alerts)) {
		rows = append(rows, alertRow(st.Alerts[x]))
	}
	return upsertRows(ctx, tx, alertsTable, rows)
}

// writeDocs upserts the rows of the changed keys of a projection kept in
// the state as a map.
func writeDocs[K cmp.Ordered, V any](ctx context.Context, tx tx, p projection, changed map[K]bool, from map[K]V, row func(V) ([]any, error)) error {
	if len(changed) == 0 {
		return nil
	}
	rows, err := docRows(slices.Sorted(maps.Keys(changed)), from, row)
	if err != nil {
		return err
	}
	return upsertRows(ctx, tx, p, rows)
}

// docRows returns the rows of the values of keys in from, in that order.
func docRows[K comparable, V any](keys []K, from map[K]V, row func(V) ([]any, error)) ([][]any, error) {
	rows := make([][]any, 0, len(keys))
	for _, k := range keys {
		r, err := row(from[k])
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func upsertRows(ctx context.Context, tx tx, p projection, rows [][]any) error {
	up := p.upsertSQL()
	suffix := up[strings.Index(up, " ON CONFLICT"):]
	return insertRows(ctx, tx, p.table, p.cols, rows, suffix)
}

// insertRows inserts rows with multi-row INSERT statements (far fewer
// statement executions than one per row), chunked under SQLite's limit on
// bound parameters.
func insertRows(ctx context.Context, tx tx, table string, cols []string, rows [][]any, suffix string) error {
	const maxParams = 30000
	per := max(1, min(500, maxParams/len(cols)))
	one := "(" + placeholders(len(cols)) + ")"
	head := fmt.Sprintf("INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
	var stmt *sql.Stmt
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	for len(rows) > 0 {
		n := min(per, len(rows))
		chunk := rows[:n]
		rows = rows[n:]
		args := make([]any, 0, n*len(cols))
		for _, r := range chunk {
			args = append(args, r...)
		}
		query := head + strings.TrimSuffix(strings.Repeat(one+", ", n), ", ") + suffix
		if n == per {
			if stmt == nil {
				var err error
				if stmt, err = tx.PrepareContext(ctx, query); err != nil {
					return fmt.Errorf("insert into %s: %w", table, err)
				}
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("insert into %s: %w", table, err)
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}
