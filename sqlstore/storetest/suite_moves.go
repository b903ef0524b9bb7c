package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// AppendMove appends the requests of MoveRun one at a time, filling in the
// log index of each handover release its confirmation names, and returns
// the log index of each request's first event. It fails the test on any
// rejection.
func AppendMove(t testing.TB, s *sqlstore.Store, reqs [][]custody.Event) []int64 {
	t.Helper()
	seqs := make([]int64, len(reqs))
	for i, req := range reqs {
		ResolveHandovers(req, seqs)
		res, err := s.Append(context.Background(), req...)
		if err != nil {
			t.Fatalf("request %d (%s %s): %v", i, req[0].Type, req[0].Key, err)
		}
		seqs[i] = res.Seqs[0]
	}
	return seqs
}

// testMoves runs two whole moves through the store, one with a count that
// an evacuation explains, and checks what the projections say, that a
// reopened store continues them, that verify passes, that rejected stage
// actions change nothing, and that verify names a tampered move or alert.
func testMoves(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	s := f.s
	MustAppend(t, s, Setup("mv"))
	MustAppend(t, s, MoveSetup("mv", 100))
	MustAppend(t, s, Registrations("mv", 0, 60, PrisonA))

	first := make([]int, 30)
	for i := range first {
		first[i] = i
	}
	AppendMove(t, s, MoveRun("mv", 1, "MV-1", PrisonA, first, true))

	m, err := s.Move(ctx, "MV-1")
	if err != nil {
		t.Fatal(err)
	}
	b := m.Balance()
	if m.Status != custody.StageClosed || b.Manifested != 30 || b.Boarded != 30 || b.HandedOver != 29 || b.Incidents != 1 || b.Aboard != 0 {
		t.Fatalf("move MV-1 is %s with %+v; want closed, 30 manifested and boarded, 29 handed over, 1 incident", m.Status, b)
	}
	alerts, err := s.Alerts(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].Open() || alerts[0].Counted != 29 || alerts[0].Expected != 30 || !strings.Contains(alerts[0].Explanation, "medical evacuation") {
		t.Fatalf("alerts %v; want one closed alert, counted 29 of 30, explained by the evacuation", alerts)
	}
	open, err := s.Alerts(ctx, true)
	if err != nil || len(open) != 0 {
		t.Fatalf("open alerts %v, %v; want none", open, err)
	}
	ps, err := s.Persons(ctx, []custody.PersonID{pid(0), pid(29)})
	if err != nil {
		t.Fatal(err)
	}
	if l := ps[pid(0)].Location; l.Status != custody.StatusHeld || l.Facility != Destination || l.Authority != "iraq-moj" {
		t.Errorf("person 0 is %+v; want held in %s by iraq-moj", l, Destination)
	}
	if l := ps[pid(29)].Location; l.Status != custody.StatusHospitalised || l.Facility != Hospital || l.Authority != Escort {
		t.Errorf("person 29 (evacuated) is %+v; want in %s in the escort's custody", l, Hospital)
	}

	// A second move, interrupted by a reopen: the reopened store's state
	// comes from the projections and must carry the move on.
	second := []int{30, 31, 32, 33, 34}
	reqs := MoveRun("mv", 2, "MV-2", PrisonA, second, false)
	half := 2 + len(second) // planned, boarding started, boarded
	seqs := AppendMove(t, s, reqs[:half])
	f.reopen(t)
	s = f.s
	rest := make([]int64, len(reqs))
	copy(rest, seqs)
	for i := half; i < len(reqs); i++ {
		ResolveHandovers(reqs[i], rest)
		res, err := s.Append(ctx, reqs[i]...)
		if err != nil {
			t.Fatalf("after reopen, request %d (%s): %v", i, reqs[i][0].Type, err)
		}
		rest[i] = res.Seqs[0]
	}
	if m, err := s.Move(ctx, "MV-2"); err != nil || m.Status != custody.StageClosed {
		t.Fatalf("move MV-2: %v, %v; want closed", m, err)
	}
	moves, err := s.Moves(ctx)
	if err != nil || len(moves) != 2 || moves[0].ID != "MV-1" || moves[1].Manifested != 5 {
		t.Fatalf("moves board %+v, %v", moves, err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Transfer.Done != 34 {
		t.Errorf("stats: %d transferred, want 34 (29 + 5)", st.Transfer.Done)
	}

	// Rejected stage actions change nothing and say why.
	before := dump(t, f.db)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	_, err = s.Append(ctx, custody.NewEvent(&custody.Boarded{Move: "MV-2", Vehicle: "bus-01", Person: pid(40), Scan: custody.ScanTyped}, at, at, sdfActor, "mv-reject-1"))
	errorIs(t, err, custody.Conflict, custody.RuleStage)
	_, err = s.Append(ctx, custody.NewEvent(&custody.MoveClosed{Move: "MV-2"}, at, at, sdfActor, "mv-reject-2"))
	errorIs(t, err, custody.Conflict, custody.RuleStage)
	sameDump(t, f.db, before)

	rep, err := s.Verify(ctx, f.verifier)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if rep.Entries == 0 {
		t.Fatalf("verify report %+v", rep)
	}

	// Tampering with a move, an alert or a person aboard is named by
	// verify; each case is undone before the next.
	closedBy := queryInt(t, f.db, `SELECT closed_by FROM alerts`)
	for _, c := range []struct{ name, do, undo, table, row string }{
		{"move status", `UPDATE moves SET status = 'planned' WHERE id = 'MV-1'`, `UPDATE moves SET status = 'closed' WHERE id = 'MV-1'`, "moves", "MV-1"},
		{"move manifest", `UPDATE moves SET doc = replace(doc, '"B-0000029"', '"B-0000059"') WHERE id = 'MV-1'`,
			`UPDATE moves SET doc = replace(doc, '"B-0000059"', '"B-0000029"') WHERE id = 'MV-1'`, "moves", "MV-1"},
		{"alert reopened", `UPDATE alerts SET closed_by = NULL`, fmt.Sprintf(`UPDATE alerts SET closed_by = %d`, closedBy), "alerts", fmt.Sprint(closedBy)},
		{"person put aboard", fmt.Sprintf(`UPDATE persons SET move_id = 'MV-2' WHERE id = '%s'`, pid(31)),
			fmt.Sprintf(`UPDATE persons SET move_id = NULL WHERE id = '%s'`, pid(31)), "persons", string(pid(31))},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := f.db.Raw(t)
			if _, err := raw.Exec(c.do); err != nil {
				t.Fatal(err)
			}
			_, err := s.Verify(ctx, f.verifier)
			if _, uerr := raw.Exec(c.undo); uerr != nil {
				t.Fatal(uerr)
			}
			if err == nil || !strings.Contains(err.Error(), c.table+" row") || !strings.Contains(err.Error(), c.row) {
				t.Fatalf("verify: %v; want a mismatch naming %s row %s", err, c.table, c.row)
			}
		})
	}
	if _, err := s.Verify(ctx, f.verifier); err != nil {
		t.Fatalf("verify after undoing every edit: %v", err)
	}
}
