package storetest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/opencustody/custody/sqlstore"
)

// CheckUserError fails the test unless err is an error fit to show a user:
// it names every one of names, and carries no goroutine dump or stack
// trace.
func CheckUserError(t testing.TB, what string, err error, names ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want one naming %q", what, names)
		return
	}
	msg := err.Error()
	t.Logf("%s: %v", what, msg)
	for _, n := range names {
		if !strings.Contains(msg, n) {
			t.Errorf("%s: error %q does not name %q", what, msg, n)
		}
	}
	for _, trace := range []string{"goroutine ", ".go:", "panic", "runtime."} {
		if strings.Contains(msg, trace) {
			t.Errorf("%s: error %q holds a stack trace (%q)", what, msg, trace)
		}
	}
}

// testMissingDatabase: opening a database that does not exist is refused
// with an error naming it and saying why, and creates nothing.
func testMissingDatabase(t *testing.T, e Engine) {
	ctx := context.Background()
	d := newDB(t, e)
	cfg := d.Config
	var name, reason string
	switch d.Engine() {
	case "postgres":
		name = "custody_missing_" + randomHex(4)
		cfg.DB = withDatabase(t, cfg.DB, name)
		reason = "does not exist"
	default:
		cfg.DB = filepath.Join(t.TempDir(), "missing.db")
		name, reason = cfg.DB, "no such database"
	}
	s, err := sqlstore.Open(ctx, cfg)
	if err == nil {
		s.Close()
	}
	CheckUserError(t, "Open", err, name, reason)
	s, err = sqlstore.OpenReadOnly(ctx, cfg)
	if err == nil {
		s.Close()
	}
	CheckUserError(t, "OpenReadOnly", err, name, reason)
	if d.Engine() == "postgres" {
		// Init creates the schema in an existing database, never the
		// database itself.
		_, err := sqlstore.Init(ctx, cfg)
		CheckUserError(t, "Init", err, name, reason)
		if _, err := os.Stat(cfg.KeyFilePath()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a failed init left a key file %s (%v)", cfg.KeyFilePath(), err)
		}
	} else if _, err := os.Stat(cfg.DB); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed open created %s (%v)", cfg.DB, err)
	}
}

// testUninitialised: a database that exists but holds no custody log is
// refused by Open and OpenReadOnly, which leave it as they found it (so
// Init still works on it).
func testUninitialised(t *testing.T, e Engine) {
	ctx := context.Background()
	d := newDB(t, e)
	if d.Engine() != "postgres" {
		// An empty file is an empty SQLite database.
		if err := os.WriteFile(d.Config.DB, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	name := sqlstore.Redact(d.Config.DB)
	if d.Engine() == "postgres" {
		name = d.Config.DB[strings.LastIndex(d.Config.DB, "/")+1:]
		name, _, _ = strings.Cut(name, "?")
	}
	s, err := sqlstore.Open(ctx, d.Config)
	if err == nil {
		s.Close()
	}
	CheckUserError(t, "Open", err, name, "not a custody database")
	if got := tablesIn(t, d); len(got) != 0 {
		t.Errorf("the refused open created tables %v", got)
	}
	s, err = sqlstore.OpenReadOnly(ctx, d.Config)
	if err == nil {
		s.Close()
	}
	CheckUserError(t, "OpenReadOnly", err, name, "not a custody database")
	if got := tablesIn(t, d); len(got) != 0 {
		t.Errorf("the refused read-only open created tables %v", got)
	}
	if d.Engine() == "postgres" {
		if _, err := sqlstore.Init(ctx, d.Config); err != nil {
			t.Errorf("init after the refused opens: %v", err)
		}
	}
}

// testNewerSchema: a database whose schema is newer than this binary's is
// refused by Open and OpenReadOnly, naming both versions, and left as it
// was.
func testNewerSchema(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("ns"))
	if err := f.s.Close(); err != nil {
		t.Fatal(err)
	}
	d := f.db
	binary := queryInt(t, d, `SELECT max(version_id) FROM goose_db_version WHERE is_applied`)
	d.Exec(t, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (999, true)`)
	before := dump(t, d)
	versions := queryInt(t, d, `SELECT count(*) FROM goose_db_version`)
	// Both versions, as numbers of their own (not inside the database's
	// name).
	standalone := func(n int64) *regexp.Regexp {
		return regexp.MustCompile(`(^|\D)` + strconv.FormatInt(n, 10) + `(\D|$)`)
	}
	check := func(what string, err error) {
		t.Helper()
		CheckUserError(t, what, err, "999", "newer")
		if err == nil {
			return
		}
		msg := strings.ReplaceAll(err.Error(), sqlstore.Redact(d.Config.DB), "")
		for _, v := range []int64{999, binary} {
			if !standalone(v).MatchString(msg) {
				t.Errorf("%s: error %q does not name version %d", what, err, v)
			}
		}
	}
	s, err := sqlstore.Open(ctx, d.Config)
	if err == nil {
		s.Close()
	}
	check("Open", err)
	s, err = sqlstore.OpenReadOnly(ctx, d.Config)
	if err == nil {
		s.Close()
	}
	check("OpenReadOnly", err)
	sameDump(t, d, before)
	if n := queryInt(t, d, `SELECT count(*) FROM goose_db_version`); n != versions {
		t.Errorf("the refused opens changed goose_db_version: %d rows, was %d", n, versions)
	}
}
