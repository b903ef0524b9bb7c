package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for raw access
	_ "modernc.org/sqlite"             // the "sqlite" driver, for raw access

	"github.com/opencustody/custody/sqlstore"
)

// The environment the test command (test.sh) sets.
const (
	// EnvPostgres is the URL of a PostgreSQL server the tests may create
	// databases on (any database name in it is replaced).
	EnvPostgres = "CUSTODY_TEST_POSTGRES"
	// EnvRequire, when set, turns a missing server into a failure rather
	// than a skip: in CI no engine is ever skipped.
	EnvRequire = "CUSTODY_TEST_REQUIRE"
)

// Engine is a database engine the store runs on, as tests see it.
type Engine struct {
	// Name is "sqlite" or "postgres".
	Name string
	// New returns a fresh, empty database: not yet initialised.
	New func(t testing.TB) *DB
}

// DB is one fresh test database.
type DB struct {
	// Config opens it (its key file is in a temporary directory).
	Config sqlstore.Config
	engine string
	once   sync.Once
	raw    *sql.DB
	rawDSN string
	driver string
}

// Engine is "sqlite" or "postgres".
func (d *DB) Engine() string { return d.engine }

// Raw returns a plain database/sql handle on the same database, for
// editing it behind the store's back (tamper tests) and reading it
// directly. It is closed when the test ends.
func (d *DB) Raw(t testing.TB) *sql.DB {
	t.Helper()
	d.once.Do(func() {
		db, err := sql.Open(d.driver, d.rawDSN)
		if err != nil {
			t.Fatalf("raw open %s: %v", d.engine, err)
		}
		d.raw = db
	})
	return d.raw
}

// closeRaw closes the raw handle, if one was opened, when the test that
// made the database ends (not the first subtest that used it).
func (d *DB) closeRaw() {
	if d.raw != nil {
		d.raw.Close()
	}
}

// Exec runs one statement on the raw handle; ? placeholders are rewritten
// for PostgreSQL.
func (d *DB) Exec(t testing.TB, query string, args ...any) sql.Result {
	t.Helper()
	res, err := d.Raw(t).ExecContext(context.Background(), d.Rebind(query), args...)
	if err != nil {
		t.Fatalf("%s: %s: %v", d.engine, query, err)
	}
	return res
}

// Rebind rewrites ? placeholders as $1, $2, ... for PostgreSQL.
func (d *DB) Rebind(query string) string {
	if d.engine != "postgres" {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// SQLite is the embedded engine: a file in the test's temporary directory.
func SQLite() Engine {
	return Engine{Name: "sqlite", New: func(t testing.TB) *DB {
		dir := t.TempDir()
		path := filepath.Join(dir, "custody.db")
		d := &DB{
			Config: sqlstore.Config{DB: path},
			engine: "sqlite", driver: "sqlite",
			rawDSN: "file:" + path + "?_pragma=busy_timeout(10000)",
		}
		t.Cleanup(d.closeRaw)
		return d
	}}
}

// Postgres is the server engine: each New creates a database on the
// server at serverURL and drops it when the test ends.
func Postgres(serverURL string) Engine {
	return Engine{Name: "postgres", New: func(t testing.TB) *DB {
		t.Helper()
		name := "custody_test_" + randomHex(6)
		admin, err := sql.Open("pgx", serverURL)
		if err != nil {
			t.Fatalf("postgres: %v", err)
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			t.Fatalf("postgres: create database %s: %v", name, err)
		}
		t.Cleanup(func() {
			admin, err := sql.Open("pgx", serverURL)
			if err != nil {
				return
			}
			defer admin.Close()
			admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		})
		dsn := withDatabase(t, serverURL, name)
		d := &DB{
			Config: sqlstore.Config{DB: dsn, KeyFile: filepath.Join(t.TempDir(), "custody.key")},
			engine: "postgres", driver: "pgx", rawDSN: dsn,
		}
		t.Cleanup(d.closeRaw) // runs before the DROP DATABASE registered above
		return d
	}}
}

// Engines returns the engines to run on: SQLite always, and PostgreSQL if
// EnvPostgres names a server. With EnvRequire set, a missing server fails
// the test instead of skipping PostgreSQL.
func Engines(t testing.TB) []Engine {
	t.Helper()
	engines := []Engine{SQLite()}
	if u := os.Getenv(EnvPostgres); u != "" {
		engines = append(engines, Postgres(u))
	} else if os.Getenv(EnvRequire) != "" {
		t.Fatalf("%s is set but %s is not: PostgreSQL may not be skipped; run the tests with ./test.sh", EnvRequire, EnvPostgres)
	} else {
		t.Logf("%s not set: PostgreSQL skipped (./test.sh starts a server)", EnvPostgres)
	}
	return engines
}

// PostgresURL returns the test server's URL, skipping the test (or failing
// it under EnvRequire) when there is none.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvPostgres)
	if u == "" {
		if os.Getenv(EnvRequire) != "" {
			t.Fatalf("%s is set but %s is not: PostgreSQL may not be skipped", EnvRequire, EnvPostgres)
		}
		t.Skipf("%s not set: no PostgreSQL server (./test.sh starts one)", EnvPostgres)
	}
	return u
}

func withDatabase(t testing.TB, serverURL, name string) string {
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Fatalf("postgres: %s: %v", EnvPostgres, err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("random: %v", err))
	}
	return hex.EncodeToString(b)
}
