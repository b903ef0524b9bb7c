package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// Run is the store conformance suite: every behaviour of the store, each
// as a subtest on a fresh database of engine e. The same suite runs on
// every engine, so neither is second class.
//
// Its crash test re-executes the test binary to run a writer it can kill:
// the binary must have a test named TestCrashChild that calls CrashChild
// (see CrashChild).
func Run(t *testing.T, e Engine) {
	t.Run("init", func(t *testing.T) { testInit(t, e) })
	t.Run("origin", func(t *testing.T) { testOrigin(t, e) })
	t.Run("reopen", func(t *testing.T) { testReopen(t, e) })
	t.Run("wrong-key", func(t *testing.T) { testWrongKey(t, e) })
	t.Run("append-single", func(t *testing.T) { testAppendSingle(t, e) })
	t.Run("append-batched", func(t *testing.T) { testAppendBatched(t, e) })
	t.Run("append-batch-partial", func(t *testing.T) { testAppendBatchPartial(t, e) })
	t.Run("submit-wait", func(t *testing.T) { testSubmitWait(t, e) })
	t.Run("projections", func(t *testing.T) { testProjections(t, e) })
	t.Run("rejected", func(t *testing.T) { testRejected(t, e) })
	t.Run("idempotency", func(t *testing.T) { testIdempotency(t, e) })
	t.Run("proofs", func(t *testing.T) { testProofs(t, e) })
	t.Run("verify", func(t *testing.T) { testVerify(t, e) })
	t.Run("tamper", func(t *testing.T) { testTamper(t, e) })
	t.Run("moves", func(t *testing.T) { testMoves(t, e) })
	t.Run("query", func(t *testing.T) { testQuery(t, e) })
	t.Run("access", func(t *testing.T) { testAccess(t, e) })
	t.Run("merge-inquiry", func(t *testing.T) { testMergeInquiry(t, e) })
	t.Run("where-is-fresh", func(t *testing.T) { testWhereIsFresh(t, e) })
	t.Run("legal", func(t *testing.T) { testLegal(t, e) })
	t.Run("crash", func(t *testing.T) { testCrash(t, e) })
	t.Run("closed", func(t *testing.T) { testClosed(t, e) })
	t.Run("missing-database", func(t *testing.T) { testMissingDatabase(t, e) })
	t.Run("uninitialised", func(t *testing.T) { testUninitialised(t, e) })
	t.Run("newer-schema", func(t *testing.T) { testNewerSchema(t, e) })
}

// newDB returns a fresh database of engine e, with its raw handle bound to
// t (DB.Raw closes the handle when the test that first asked for it ends,
// which must not be a subtest).
func newDB(t *testing.T, e Engine) *DB {
	t.Helper()
	d := e.New(t)
	d.Raw(t)
	return d
}

// fixture is a fresh, initialised database and a store open on it.
type fixture struct {
	db       *DB
	s        *sqlstore.Store
	verifier string // what Init returned
}

// newFixture creates a fresh database of engine e, initialises it and
// opens a store on it, closed when the test ends.
func newFixture(t *testing.T, e Engine) *fixture {
	t.Helper()
	ctx := context.Background()
	d := newDB(t, e)
	vkey, err := sqlstore.Init(ctx, d.Config)
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	s, err := sqlstore.Open(ctx, d.Config)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return &fixture{db: d, s: s, verifier: vkey}
}

// reopen closes the fixture's store and opens it again.
func (f *fixture) reopen(t *testing.T) {
	t.Helper()
	if err := f.s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	s, err := sqlstore.Open(context.Background(), f.db.Config)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	f.s = s
}

// testActor records the events the suite writes itself.
var testActor = custody.Actor{User: "test.registrar", Authority: "sdf", Site: "test"}

// event returns an event that happened and was recorded at at, with key.
func event(p custody.Payload, at time.Time, key string) custody.Event {
	return custody.NewEvent(p, at, at, testActor, key)
}

func pid(i int) custody.PersonID { return Person(i).ID }

// MustAppend appends requests in one batch and fails the test on any
// rejection, naming the request.
func MustAppend(t testing.TB, s *sqlstore.Store, reqs [][]custody.Event) []sqlstore.Result {
	t.Helper()
	res, err := s.AppendBatch(context.Background(), reqs)
	if err != nil {
		t.Fatalf("append: %v", err)
	}
	for i, r := range res {
		if r.Err != nil {
			t.Fatalf("request %d (%s %s) rejected: %v", i, reqs[i][0].Type, reqs[i][0].Key, r.Err)
		}
	}
	return res
}

// inputWorld appends the synthetic world, persons 0..21 admitted to
// PrisonA, then releases person 20 and lets person 21 escape.
func inputWorld(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	MustAppend(t, s, Setup("in"))
	MustAppend(t, s, Registrations("in", 0, 22, PrisonA))
	at := time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)
	MustAppend(t, s, [][]custody.Event{
		{event(&custody.Released{Person: pid(20), Facility: PrisonA, Reason: "court-order", AuthorisedBy: "sdf"}, at, "in-release-20")},
		{event(&custody.Escaped{Person: pid(21), Facility: PrisonA}, at, "in-escape-21")},
	})
}

// custodyTables are the custody tables of the schema (those of the
// migrations in sqlstore/migrations/sqlite and their PostgreSQL twins): what
// a dump holds. checkTables fails when the schema has another.
var custodyTables = [...]string{
	"events", "log_head", "hashes", "checkpoints", "meta",
	"authorities", "facilities", "persons", "person_nationalities", "person_events", "escapes",
	"reference_lists", "allocations", "moves", "alerts", "inquiries",
	"cases", "exposures", "notifications", "repatriations", "legal_references",
	"users", "sessions", "api_tokens", "person_reads",
}

// tablesIn lists the tables of the database other than the migration
// tool's and the engine's own.
func tablesIn(t testing.TB, d *DB) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if d.Engine() == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := d.Raw(t).Query(q)
	if err != nil {
		t.Fatalf("%s: list tables: %v", d.Engine(), err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if name != "goose_db_version" {
			out = append(out, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// checkTables fails the test unless the database holds exactly custodyTables,
// so that a new table cannot escape the dumps.
func checkTables(t testing.TB, d *DB) {
	t.Helper()
	want := slices.Sorted(slices.Values(custodyTables[:]))
	if got := tablesIn(t, d); !slices.Equal(got, want) {
		t.Fatalf("%s: the database has tables %v, the suite knows %v: add the new ones to custodyTables", d.Engine(), got, want)
	}
}

// dump returns every row of every custody table, each table ordered by all
// its columns, read behind the store's back.
func dump(t testing.TB, d *DB) string {
	t.Helper()
	raw := d.Raw(t)
	var b strings.Builder
	for _, table := range custodyTables {
		cols, err := raw.Query(`SELECT * FROM ` + table + ` LIMIT 0`)
		if err != nil {
			t.Fatalf("%s: dump %s: %v", d.Engine(), table, err)
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
		rows, err := raw.Query(`SELECT * FROM ` + table + ` ORDER BY ` + strings.Join(order, ", "))
		if err != nil {
			t.Fatalf("%s: dump %s: %v", d.Engine(), table, err)
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
func sameDump(t testing.TB, d *DB, before string) {
	t.Helper()
	after := dump(t, d)
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

// queryInt runs a query returning one integer on the raw handle (?
// placeholders).
func queryInt(t testing.TB, d *DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := d.Raw(t).QueryRow(d.Rebind(q), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %s: %v", d.Engine(), q, err)
	}
	return n
}

// errorIs fails the test unless err is a *custody.Error of code and rule.
func errorIs(t testing.TB, err error, code custody.Code, rule custody.Rule) *custody.Error {
	t.Helper()
	var ce *custody.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T), want a *custody.Error of rule %s", err, err, rule)
	}
	if ce.Code != code || ce.Rule != rule {
		t.Errorf("error code %s rule %s, want %s %s (%v)", ce.Code, ce.Rule, code, rule, err)
	}
	return ce
}
