package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// dumpDB returns every row of every table of the database, each table
// ordered by all its columns, read with a connection of its own.
func dumpDB(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"events", "hashes", "checkpoints", "meta", "persons", "facilities", "authorities", "person_nationalities", "person_events", "escapes"} {
		if !slices.Contains(tables, want) {
			t.Fatalf("no table %s in %v", want, tables)
		}
	}
	var b strings.Builder
	for _, table := range tables {
		cols, err := db.Query(`SELECT * FROM "` + table + `" LIMIT 0`)
		if err != nil {
			t.Fatal(err)
		}
		names, err := cols.Columns()
		cols.Close()
		if err != nil {
			t.Fatal(err)
		}
		order := make([]string, len(names))
		for i := range names {
			order[i] = fmt.Sprint(i + 1)
		}
		rows, err := db.Query(`SELECT * FROM "` + table + `" ORDER BY ` + strings.Join(order, ", "))
		if err != nil {
			t.Fatal(err)
		}
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		fmt.Fprintf(&b, "table %s %v\n", table, names)
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(&b, "%q\t", v)
			}
			b.WriteByte('\n')
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// sameDump fails the test if the database differs from the dump before,
// showing the first line that differs.
func sameDump(t *testing.T, path, before string) {
	t.Helper()
	after := dumpDB(t, path)
	if after == before {
		return
	}
	a, b := strings.Split(before, "\n"), strings.Split(after, "\n")
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			t.Fatalf("the database changed: line %d was\n\t%.300s\nis\n\t%.300s", i+1, a[i], b[i])
		}
	}
	t.Fatalf("the database changed: %d lines before, %d after", len(a), len(b))
}

// inputStore returns a store holding the synthetic world, persons 0..19 in
// bench-prison-a, person 20 released and person 21 escaped.
func inputStore(t *testing.T) (*sqlstore.Store, sqlstore.Config) {
	t.Helper()
	s, cfg := newStore(t)
	mustAppendAll(t, s, storetest.Setup("in"))
	mustAppendAll(t, s, storetest.Registrations("in", 0, 22, storetest.PrisonA))
	at := time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)
	mustAppendAll(t, s, [][]custody.Event{
		{event(&custody.Released{Person: pid(20), Facility: storetest.PrisonA, Reason: "court-order", AuthorisedBy: "sdf"}, at, "in-release-20")},
		{event(&custody.Escaped{Person: pid(21), Facility: storetest.PrisonA}, at, "in-escape-21")},
	})
	return s, cfg
}

func pid(i int) custody.PersonID { return storetest.Person(i).ID }

// TestRejected sends requests that break an invariant: each is refused
// with the rule it breaks, in a message naming the event, the person (or
// facility) and the rule, and leaves the database exactly as it was.
func TestRejected(t *testing.T) {
	s, cfg := inputStore(t)
	ctx := context.Background()
	at := time.Date(2026, 1, 21, 9, 0, 0, 0, time.UTC)
	reg := func(i int, key string) custody.Event {
		return event(&custody.PersonRegistered{Person: storetest.Person(i)}, at, key)
	}
	admit := func(i int, f custody.FacilityID, key string) custody.Event {
		return event(&custody.Admitted{Person: pid(i), Facility: f, TakenBy: "unit 7", OrderedBy: "sdf", Grounds: "suspected membership"}, at, key)
	}
	cases := []struct {
		name  string
		req   []custody.Event
		code  custody.Code
		rule  custody.Rule
		names []string // what the message must name
	}{
		{"admit someone held elsewhere", []custody.Event{admit(0, storetest.PrisonB, "bad-admit")},
			custody.Conflict, custody.RuleHeldElsewhere, []string{"custody.admitted", "bad-admit", string(pid(0)), "bench-prison-a"}},
		{"release someone not held", []custody.Event{event(&custody.Released{Person: pid(20), Facility: storetest.PrisonA, Reason: "court-order", AuthorisedBy: "sdf"}, at, "bad-release")},
			custody.Conflict, custody.RuleNotHeld, []string{"custody.released", string(pid(20)), "released"}},
		{"event for an unknown person", []custody.Event{event(&custody.Transferred{Person: "B-9999999", From: storetest.PrisonA, To: storetest.PrisonB, OrderedBy: "sdf"}, at, "bad-unknown")},
			custody.NotFound, custody.RuleUnknownPerson, []string{"custody.transferred", "B-9999999"}},
		{"recapture naming no open escape", []custody.Event{event(&custody.Recaptured{Person: pid(21), Escape: 6, Facility: storetest.PrisonA}, at, "bad-recapture")},
			custody.Conflict, custody.RuleNoOpenEscape, []string{"custody.recaptured", string(pid(21)), "event 6"}},
		{"recapture of someone held", []custody.Event{event(&custody.Recaptured{Person: pid(1), Escape: 6, Facility: storetest.PrisonA}, at, "bad-recapture-held")},
			custody.Conflict, custody.RuleNoOpenEscape, []string{"custody.recaptured", string(pid(1))}},
		{"registration without admission", []custody.Event{reg(50, "bad-reg")},
			custody.Invalid, custody.RuleConservation, []string{"person.registered", string(pid(50)), "nowhere"}},
		{"admission to an unknown facility", []custody.Event{reg(51, "bad-fac-reg"), admit(51, "no-such-prison", "bad-fac-admit")},
			custody.NotFound, custody.RuleUnknownFacility, []string{"custody.admitted", "bad-fac-admit", string(pid(51)), "no-such-prison"}},
		{"control change from the wrong authority", []custody.Event{event(&custody.ControlChanged{Facility: storetest.PrisonA, From: "iraq-moj", To: "sdf"}, at, "bad-control")},
			custody.Conflict, custody.RuleControl, []string{"facility.control_changed", "bench-prison-a", "iraq-moj", `"sdf"`}},
		{"request whose last event is invalid", []custody.Event{reg(52, "multi-reg"), admit(52, storetest.PrisonA, "multi-admit"),
			event(&custody.Transferred{Person: pid(3), From: storetest.PrisonB, To: storetest.Destination, OrderedBy: "sdf"}, at, "multi-transfer")},
			custody.Conflict, custody.RuleNotHeldHere, []string{"custody.transferred", "multi-transfer", string(pid(3)), "bench-prison-a"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := dumpDB(t, cfg.DB)
			res, err := s.Append(ctx, tc.req...)
			var ce *custody.Error
			if !errors.As(err, &ce) {
				t.Fatalf("append = %+v, %v; want a *custody.Error", res, err)
			}
			if ce.Code != tc.code || ce.Rule != tc.rule {
				t.Errorf("error code %s rule %s, want %s %s (%v)", ce.Code, ce.Rule, tc.code, tc.rule, err)
			}
			msg := err.Error()
			for _, n := range append(tc.names, "rule "+string(tc.rule)) {
				if !strings.Contains(msg, n) {
					t.Errorf("message %q does not name %q", msg, n)
				}
			}
			if len(res.Seqs) != 0 || res.Replayed {
				t.Errorf("a rejected request got seqs %v, replayed %v", res.Seqs, res.Replayed)
			}
			sameDump(t, cfg.DB, before)
		})
	}

	// Nothing of the rejected requests stayed behind, not even in the
	// writer's memory: their valid events go through afterwards, with the
	// same keys, at the next index.
	size, err := s.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := dumpDB(t, cfg.DB)
	res, err := s.Append(ctx, reg(52, "multi-reg"), admit(52, storetest.PrisonA, "multi-admit"))
	if err != nil {
		t.Fatalf("the valid part of the rejected request: %v", err)
	}
	if dumpDB(t, cfg.DB) == before {
		t.Errorf("an accepted request left the dump unchanged: the dump sees nothing")
	}
	if want := []int64{size, size + 1}; !slices.Equal(res.Seqs, want) {
		t.Errorf("seqs %v, want %v", res.Seqs, want)
	}
	if _, err := s.Verify(ctx, ""); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// TestIdempotency checks retries: the same request again is the first
// result; the same key for something else is a conflict; neither writes.
func TestIdempotency(t *testing.T) {
	s, cfg := inputStore(t)
	ctx := context.Background()
	first := storetest.Registrations("idem", 100, 1, storetest.PrisonA)[0]
	res1, err := s.Append(ctx, first...)
	if err != nil {
		t.Fatal(err)
	}
	transfer := storetest.Transfer("idem", 1, 100, storetest.PrisonA, storetest.PrisonB)
	res2, err := s.Append(ctx, transfer...)
	if err != nil {
		t.Fatal(err)
	}
	changed := func(e custody.Event, f func(*custody.Transferred)) []custody.Event {
		d := *e.Data.(*custody.Transferred)
		f(&d)
		e.Data = &d
		return []custody.Event{e}
	}
	later := transfer[0]
	later.RecordedAt = later.RecordedAt.Add(time.Hour) // a retry, recorded later

	cases := []struct {
		name     string
		req      []custody.Event
		want     []int64 // the first result's seqs, for a replay
		conflict string  // the key named in the conflict, if refused
	}{
		{"replay of a registration", storetest.Registrations("idem", 100, 1, storetest.PrisonA)[0], res1.Seqs, ""},
		{"replay of a transfer", transfer, res2.Seqs, ""},
		{"replay recorded later", []custody.Event{later}, res2.Seqs, ""},
		{"same key, other destination", changed(transfer[0], func(d *custody.Transferred) { d.To = storetest.Destination }), nil, transfer[0].Key},
		{"same key, other person", changed(transfer[0], func(d *custody.Transferred) { d.Person = pid(5) }), nil, transfer[0].Key},
		{"same keys, other facility", []custody.Event{first[0], event(&custody.Admitted{Person: pid(100), Facility: storetest.PrisonB, TakenBy: "bench unit", OrderedBy: "sdf", Grounds: "suspected IS membership"}, first[1].OccurredAt, first[1].Key)}, nil, first[1].Key},
		{"old key and new key", []custody.Event{transfer[0], storetest.Transfer("idem", 2, 100, storetest.PrisonB, storetest.Destination)[0]}, nil, transfer[0].Key},
		{"new key and old key", []custody.Event{storetest.Transfer("idem", 3, 101, storetest.PrisonA, storetest.PrisonB)[0], transfer[0]}, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := dumpDB(t, cfg.DB)
			res, err := s.Append(ctx, tc.req...)
			if tc.want != nil {
				if err != nil {
					t.Fatalf("replay: %v", err)
				}
				if !res.Replayed || !slices.Equal(res.Seqs, tc.want) {
					t.Errorf("replay = seqs %v replayed %v, want the first result %v, replayed", res.Seqs, res.Replayed, tc.want)
				}
			} else {
				var ce *custody.Error
				if !errors.As(err, &ce) || ce.Code != custody.Conflict || ce.Rule != custody.RuleIdempotency {
					t.Fatalf("append = %+v, %v; want a conflict of rule %s", res, err, custody.RuleIdempotency)
				}
				if !strings.Contains(err.Error(), tc.conflict) {
					t.Errorf("message %q does not name key %q", err, tc.conflict)
				}
				if res.Replayed || len(res.Seqs) != 0 {
					t.Errorf("refused request got seqs %v, replayed %v", res.Seqs, res.Replayed)
				}
			}
			sameDump(t, cfg.DB, before)
		})
	}
}

// TestAppendBatchPartial checks that a batch is request by request: the
// invalid one is refused, the others are committed.
func TestAppendBatchPartial(t *testing.T) {
	s, _ := inputStore(t)
	ctx := context.Background()
	size, err := s.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 22, 9, 0, 0, 0, time.UTC)
	reqs := [][]custody.Event{
		storetest.Registrations("batch", 200, 1, storetest.PrisonA)[0],
		{event(&custody.Released{Person: pid(20), Facility: storetest.PrisonA, Reason: "court-order", AuthorisedBy: "sdf"}, at, "batch-bad-release")},
		storetest.Registrations("batch", 201, 1, storetest.PrisonB)[0],
		// the same person as the first request: refused in the same batch
		storetest.Registrations("batch-dup", 200, 1, storetest.PrisonB)[0],
		storetest.Transfer("batch", 1, 200, storetest.PrisonA, storetest.PrisonB),
	}
	res, err := s.AppendBatch(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	wantSeqs := [][]int64{{size, size + 1}, nil, {size + 2, size + 3}, nil, {size + 4}}
	wantRule := []custody.Rule{"", custody.RuleNotHeld, "", custody.RuleDuplicate, ""}
	for i, r := range res {
		var rule custody.Rule
		var ce *custody.Error
		if errors.As(r.Err, &ce) {
			rule = ce.Rule
		}
		if !slices.Equal(r.Seqs, wantSeqs[i]) || rule != wantRule[i] || (r.Err != nil) != (wantRule[i] != "") {
			t.Errorf("request %d: seqs %v, err %v; want seqs %v, rule %q", i, r.Seqs, r.Err, wantSeqs[i], wantRule[i])
		}
	}
	for j, r := range res {
		for i, seq := range r.Seqs {
			e, _, err := s.Event(ctx, seq)
			if err != nil {
				t.Fatalf("event %d: %v", seq, err)
			}
			if e.Key != reqs[j][i].Key {
				t.Errorf("event %d has key %s, want %s", seq, e.Key, reqs[j][i].Key)
			}
		}
	}
	if got, err := s.Size(ctx); err != nil || got != size+5 {
		t.Errorf("size %d (%v), want %d", got, err, size+5)
	}
	if _, err := s.Verify(ctx, ""); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// TestAppendAfterClose checks that appending to a closed store fails at
// once instead of waiting for a writer that is gone.
func TestAppendAfterClose(t *testing.T) {
	s, _ := newStore(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	calls := []struct {
		name string
		call func() error
	}{
		{"Append", func() error { _, err := s.Append(ctx, storetest.Setup("closed")[0]...); return err }},
		{"AppendBatch", func() error { _, err := s.AppendBatch(ctx, storetest.Setup("closed")); return err }},
		{"Submit", func() error { _, err := s.Submit(ctx, storetest.Setup("closed")); return err }},
	}
	for _, c := range calls {
		done := make(chan error, 1)
		go func() { done <- c.call() }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "closed") {
				t.Errorf("%s after Close = %v, want an error saying the store is closed", c.name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s after Close hangs", c.name)
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
