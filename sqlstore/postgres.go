package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// postgresDialect is PostgreSQL's: numbered placeholders, and the log head
// locked with FOR UPDATE, since several processes may write at once.
var postgresDialect = &dialect{
	name:        "postgres",
	numbered:    true,
	lockRow:     " FOR UPDATE",
	tableExists: `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`,
}

// IsPostgres reports whether dsn names a PostgreSQL database
// (postgres://… or postgresql://…) rather than an SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Redact returns dsn with any password replaced, for messages and logs.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// openPostgres opens a pool on dsn. Read-only pools refuse writes in
// every transaction (default_transaction_read_only).
func openPostgres(dsn string, readOnly bool) (db, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return db{}, fmt.Errorf("malformed PostgreSQL URL: %v", err)
	}
	q := u.Query()
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "10")
	}
	if readOnly {
		q.Set("default_transaction_read_only", "on")
	}
	u.RawQuery = q.Encode()
	sdb, err := sql.Open("pgx", u.String())
	if err != nil {
		return db{}, fmt.Errorf("open PostgreSQL: %w", err)
	}
	if readOnly {
		sdb.SetMaxOpenConns(8)
	} else {
		sdb.SetMaxOpenConns(2)
	}
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return db{}, &connectError{host: hostOf(u), err: err}
	}
	return db{DB: sdb, d: postgresDialect}, nil
}

// hostOf names the server a URL points at, for error messages.
func hostOf(u *url.URL) string {
	host := u.Host
	if h := u.Query().Get("host"); h != "" {
		host = h // a socket directory
	}
	if host == "" {
		host = "localhost"
	}
	return host + u.Path
}

// connectError says which server could not be reached and why, on one line:
// pgx reports each address it tried on a line of its own, often the same
// reason twice (with and without TLS).
type connectError struct {
	host string
	err  error
}

func (e *connectError) Error() string {
	var reasons []string
	for _, line := range strings.Split(e.err.Error(), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !slices.Contains(reasons, line) {
			reasons = append(reasons, line)
		}
	}
	return fmt.Sprintf("connect to PostgreSQL at %s: %s", e.host, strings.TrimSuffix(strings.Join(reasons, " "), ":"))
}

func (e *connectError) Unwrap() error { return e.err }
