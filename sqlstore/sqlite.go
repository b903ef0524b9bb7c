package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// openDB opens dsn: a PostgreSQL URL or an SQLite file path.
func openDB(dsn string, readOnly bool) (db, error) {
	if IsPostgres(dsn) {
		return openPostgres(dsn, readOnly)
	}
	return openSQLite(dsn, readOnly)
}

// openSQLite opens path with the pragmas the store relies on: busy_timeout
// first, WAL, synchronous=FULL (every commit is durable), foreign keys, and
// BEGIN IMMEDIATE for write transactions so a writer never upgrades a read
// lock. readOnly connections refuse writes.
func openSQLite(path string, readOnly bool) (db, error) {
	q := url.Values{}
	// A writer may wait its turn behind other processes appending to the
	// same file (SQLite does not queue waiters: they poll), so it waits
	// longer than a reader ever should.
	if readOnly {
		q.Add("_pragma", "busy_timeout(10000)")
	} else {
		q.Add("_pragma", "busy_timeout(60000)")
	}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	if readOnly {
		q.Add("_pragma", "query_only(ON)")
		// Each reader keeps up to 32 MiB of pages: the projections that
		// the web reads point by point (persons, facilities, moves) stay in
		// memory between writes. No mmap: a mapped page is re-initialised
		// at every fetch, and a write to the file unmaps it, which made
		// "where is this person" under load twice as slow.
		q.Add("_pragma", "cache_size(-32768)")
	} else {
		q.Set("_txlock", "immediate")
	}
	sdb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return db{}, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if readOnly {
		sdb.SetMaxOpenConns(4)
		// Keep every connection open: database/sql keeps only 2 idle by
		// default, and a reopened connection starts with a cold page
		// cache and parses the schema again.
		sdb.SetMaxIdleConns(4)
	} else {
		sdb.SetMaxOpenConns(1)
	}
	if err := sdb.Ping(); err != nil {
		sdb.Close()
		return db{}, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db{DB: sdb, d: sqliteDialect}, nil
}

func provider(x db) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations, "migrations/"+x.d.name)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	gd := goose.DialectSQLite3
	if x.d == postgresDialect {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, x.DB, fsys)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// migrate applies the embedded migrations, refusing a schema newer than
// this binary knows.
func migrate(ctx context.Context, x db) error {
	_, err := migrateFrom(ctx, x)
	return err
}

// migrateFrom applies pending migrations and returns the schema version
// before them.
func migrateFrom(ctx context.Context, x db) (int64, error) {
	p, err := provider(x)
	if err != nil {
		return 0, err
	}
	cur, target, err := p.GetVersions(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrations: read schema version: %w", err)
	}
	if cur > target {
		return 0, fmt.Errorf("database schema version %d is newer than this binary's %d: use a newer custody", cur, target)
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	return cur, nil
}

// checkSchema refuses a database whose schema is not the one this binary
// knows (newer, or not yet migrated).
func checkSchema(ctx context.Context, x db) error {
	p, err := provider(x)
	if err != nil {
		return err
	}
	var n int
	if err := x.QueryRowContext(ctx, x.d.tableExists, "goose_db_version").Scan(&n); err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("not a custody database (no schema version table)")
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	_, target, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case cur > target:
		return fmt.Errorf("database schema version %d is newer than this binary's %d: use a newer custody", cur, target)
	case cur < target:
		return fmt.Errorf("database schema version %d is older than this binary's %d: run `custody migrate`", cur, target)
	}
	return nil
}
