package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// testProjections: the projections follow the log: Stats and the rows.
func testProjections(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	inputWorld(t, f.s) // persons 0..21 in PrisonA; 20 released, 21 escaped
	at := time.Date(2026, 1, 21, 9, 0, 0, 0, time.UTC)
	var reqs [][]custody.Event
	for i := range 5 {
		reqs = append(reqs, Transfer("pr", i, i, PrisonA, PrisonB))
	}
	corrected := Person(6)
	corrected.Nationalities = []string{"TN", "FR"}
	reqs = append(reqs,
		[]custody.Event{event(&custody.Hospitalised{Person: pid(5), From: PrisonA, Hospital: Hospital, Reason: "fever"}, at, "pr-hosp-5")},
		[]custody.Event{event(&custody.IdentityCorrected{Corrects: 6 + 2*6, Reason: "second nationality documented", Person: corrected}, at, "pr-corr-6")},
		[]custody.Event{event(&custody.ControlChanged{Facility: PrisonB, From: "sdf", To: "iraq-moj", Circumstances: "handed over"}, at.Add(time.Hour), "pr-control-b")},
	)
	res := MustAppend(t, f.s, reqs)
	size, err := f.s.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	escapeSeq := int64(6 + 2*22 + 1)

	check := func(t *testing.T) {
		t.Helper()
		st, err := f.s.Stats(ctx)
		if err != nil {
			t.Fatalf("stats: %v", err)
		}
		if st.Persons != 22 || st.InCustody != 20 || st.OpenEscapes != 1 || st.LogEntries != size || st.Under12 != 0 {
			t.Errorf("stats: %d persons, %d in custody, %d open escapes, %d entries, %d under 12; want 22, 20, 1, %d, 0",
				st.Persons, st.InCustody, st.OpenEscapes, st.LogEntries, st.Under12, size)
		}
		counts := func(cs []sqlstore.Count) map[string]int {
			m := map[string]int{}
			for _, c := range cs {
				m[c.Key] = c.N
			}
			return m
		}
		eq := func(name string, got, want map[string]int) {
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("stats %s = %v, want %v", name, got, want)
			}
		}
		eq("by status", counts(st.ByStatus), map[string]int{"held": 19, "hospitalised": 1, "released": 1, "escaped": 1})
		eq("by authority", counts(st.ByAuthority), map[string]int{"sdf": 15, "iraq-moj": 5})
		eq("by nationality", counts(st.ByNationality), map[string]int{"SY": 6, "IQ": 6, "TN": 5, "SE": 5, "FR": 1})
		eq("by category", counts(st.ByCategory), map[string]int{"man": 22})
		pop := map[string]int{}
		for _, fc := range st.ByFacility {
			pop[fc.ID] = fc.Population
			if fc.ID == string(PrisonB) && fc.Controller != "iraq-moj" {
				t.Errorf("stats: %s controlled by %s, want iraq-moj", PrisonB, fc.Controller)
			}
		}
		eq("populations", pop, map[string]int{string(PrisonA): 14, string(PrisonB): 5, string(Hospital): 1, string(Destination): 0})

		// The rows themselves.
		for id, n := range pop {
			if got := queryInt(t, f.db, `SELECT population FROM facilities WHERE id = ?`, id); got != int64(n) {
				t.Errorf("facilities %s population %d, stats say %d", id, got, n)
			}
			if got := queryInt(t, f.db, `SELECT count(*) FROM persons WHERE facility_id = ? AND status IN ('held', 'hospitalised')`, id); got != int64(n) {
				t.Errorf("%d persons in %s, population %d", got, id, n)
			}
		}
		type row struct{ status, facility, authority string }
		person := func(i int) row {
			var r row
			err := f.db.Raw(t).QueryRow(f.db.Rebind(`SELECT status, coalesce(facility_id, ''), coalesce(authority_id, '') FROM persons WHERE id = ?`), string(pid(i))).Scan(&r.status, &r.facility, &r.authority)
			if err != nil {
				t.Fatalf("persons row %s: %v", pid(i), err)
			}
			return r
		}
		for i, want := range map[int]row{
			0:  {"held", string(PrisonB), "iraq-moj"},
			5:  {"hospitalised", string(Hospital), "sdf"},
			10: {"held", string(PrisonA), "sdf"},
			20: {"released", "", ""},
			21: {"escaped", "", ""},
		} {
			if got := person(i); got != want {
				t.Errorf("persons row %s = %+v, want %+v", pid(i), got, want)
			}
		}
		if got := queryInt(t, f.db, `SELECT escape_seq FROM persons WHERE id = ?`, string(pid(21))); got != escapeSeq {
			t.Errorf("person 21 escape_seq %d, want %d", got, escapeSeq)
		}
		if got := queryInt(t, f.db, `SELECT count(*) FROM escapes WHERE seq = ? AND person_id = ? AND facility_id = ? AND closed_by IS NULL`, escapeSeq, string(pid(21)), string(PrisonA)); got != 1 {
			t.Errorf("no open escapes row %d for person 21", escapeSeq)
		}
		// Person 0's timeline: registration, admission, transfer, and the
		// change of control of the prison they are held in.
		var timeline []int64
		rows, err := f.db.Raw(t).Query(f.db.Rebind(`SELECT seq FROM person_events WHERE person_id = ? ORDER BY seq`), string(pid(0)))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s int64
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			timeline = append(timeline, s)
		}
		rows.Close()
		if want := []int64{6, 7, res[0].Seqs[0], res[len(res)-1].Seqs[0]}; !slices.Equal(timeline, want) {
			t.Errorf("person_events of %s = %v, want %v", pid(0), timeline, want)
		}
		if got := queryInt(t, f.db, `SELECT count(*) FROM person_nationalities WHERE person_id = ? AND country IN ('TN', 'FR')`, string(pid(6))); got != 2 {
			t.Errorf("person 6 has %d of nationalities TN, FR", got)
		}
		if got := queryInt(t, f.db, `SELECT count(*) FROM person_nationalities WHERE person_id = ?`, string(pid(6))); got != 2 {
			t.Errorf("person 6 has %d nationalities, want 2", got)
		}
	}
	t.Run("after appends", check)
	f.reopen(t)
	t.Run("after reopen", check)
	if _, err := f.s.Verify(ctx, ""); err != nil {
		t.Errorf("verify: %v", err)
	}
}
