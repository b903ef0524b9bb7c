package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
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
type db struct {
	*sql.DB
	d *dialect
}

func (x db) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return x.DB.ExecContext(ctx, x.d.rebind(q), args...)
}

func (x db) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return x.DB.QueryContext(ctx, x.d.rebind(q), args...)
}

func (x db) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return x.DB.QueryRowContext(ctx, x.d.rebind(q), args...)
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
