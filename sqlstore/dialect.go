package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
)

// dialect is what differs between the SQL engines: placeholders, the
// migrations and how the schema is found. The SQL of the store is written
// once, with ? placeholders.
type dialect struct {
	name string // "sqlite" or "postgres"
	// numbered placeholders ($1, $2, ...) instead of ?
	numbered bool
	// lockRow is appended to a SELECT of one row to lock it for the
	// transaction ("" where the write transaction already locks the
	// database, as SQLite's BEGIN IMMEDIATE does).
	lockRow string
	// tableExists counts the tables named by its one parameter.
	tableExists string
	// concurrentTx: one transaction may run queries from several
	// goroutines at once (SQLite; not a PostgreSQL connection).
	concurrentTx bool
}

var sqliteDialect = &dialect{
	name:         "sqlite",
	tableExists:  `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`,
	concurrentTx: true,
}

// rebind rewrites ? placeholders for the engine. The store's SQL has no ?
// inside string literals.
func (d *dialect) rebind(q string) string {
	if !d.numbered || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// db is a database handle that speaks the store's SQL in its dialect.
// A handle with a statement cache (the read pool) prepares each query
// once and reuses it: the hot reads ("where is this person", a token's
// user) would otherwise spend a fifth of their time parsing SQL.
type db struct {
	*sql.DB
	d     *dialect
	stmts *stmtCache
}

// stmtCache holds prepared statements by query text, up to a bound (the
// few queries built with a varying number of parameters then run
// unprepared).
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxCachedStmts = 128

func newStmtCache() *stmtCache { return &stmtCache{m: map[string]*sql.Stmt{}} }

// prepared returns the cached statement of q (already rebound), preparing
// it on first use; nil when q is not to be cached.
func (x db) prepared(ctx context.Context, q string) *sql.Stmt {
	if x.stmts == nil {
		return nil
	}
	c := x.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st
	}
	if len(c.m) >= maxCachedStmts {
		return nil
	}
	st, err := x.DB.PrepareContext(ctx, q)
	if err != nil {
		return nil // the query runs unprepared and reports its own error
	}
	c.m[q] = st
	return st
}

// Close closes the cached statements and the database.
func (x db) Close() error {
	if x.stmts != nil {
		x.stmts.mu.Lock()
		for q, st := range x.stmts.m {
			st.Close()
			delete(x.stmts.m, q)
		}
		x.stmts.mu.Unlock()
	}
	return x.DB.Close()
}

func (x db) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return x.DB.ExecContext(ctx, x.d.rebind(q), args...)
}

func (x db) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = x.d.rebind(q)
	if st := x.prepared(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return x.DB.QueryContext(ctx, q, args...)
}

func (x db) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	q = x.d.rebind(q)
	if st := x.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return x.DB.QueryRowContext(ctx, q, args...)
}

func (x db) BeginTx(ctx context.Context, opts *sql.TxOptions) (tx, error) {
	t, err := x.DB.BeginTx(ctx, opts)
	return tx{t, x.d}, err
}

// tx is a transaction that speaks the store's SQL in its dialect.
type tx struct {
	*sql.Tx
	d *dialect
}

func (x tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return x.Tx.ExecContext(ctx, x.d.rebind(q), args...)
}

func (x tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return x.Tx.QueryContext(ctx, x.d.rebind(q), args...)
}

func (x tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return x.Tx.QueryRowContext(ctx, x.d.rebind(q), args...)
}

func (x tx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return x.Tx.PrepareContext(ctx, x.d.rebind(q))
}
