// Package sqlstore keeps the custody log and its projections in SQL: the
// embedded default on SQLite (modernc.org/sqlite, pure Go).
//
// One writer goroutine owns the current state and the Merkle tree frontier.
// Requests queue to it; it takes every request waiting and commits them in
// one transaction (group commit): events, their stored hashes, the
// projections they change and a signed checkpoint, all or nothing. Reads go
// through a separate pool of read-only connections.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/mod/sumdb/note"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

// DefaultOrigin is the checkpoint origin (and key name) a new log gets
// unless Config.Origin says otherwise.
const DefaultOrigin = "custody.local/log"

// Config configures a store.
type Config struct {
	// DB is the database: a path to an SQLite file, or a PostgreSQL URL
	// (postgres://user@host:port/dbname?sslmode=...).
	DB string
	// KeyFile is the signing key; empty means DB + ".key" for SQLite and
	// ./custody.key for PostgreSQL.
	KeyFile string
	// Origin names the log in checkpoints (only used by Init).
	Origin string
	// MaxBatch caps the events committed in one transaction (default 4096).
	MaxBatch int
	// Logger receives the store's logs (default: discard).
	Logger *slog.Logger
}

func (c *Config) keyFile() string {
	switch {
	case c.KeyFile != "":
		return c.KeyFile
	case IsPostgres(c.DB):
		return "custody.key"
	}
	return c.DB + ".key"
}

// KeyFilePath is where the store keeps (or will keep) its signing key.
func (c Config) KeyFilePath() string { return c.keyFile() }

func (c *Config) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Store is an open custody store.
type Store struct {
	cfg      Config
	log      *slog.Logger
	writeDB  db // one connection: the writer
	auditDB  db // where reads are recorded: writeDB, or an SQLite file of its own
	readDB   db // a pool of read-only connections
	origin   string
	verifier string
	signer   note.Signer

	reqs     chan *batch
	stop     chan struct{}
	done     chan struct{}
	closeErr error
	once     sync.Once

	w *writer // owned by the writer goroutine

	auditOnce   sync.Once
	auditInsert *sql.Stmt             // owned by the audit goroutine
	auditErr    atomic.Pointer[error] // the last audit commit's error, until one succeeds

	auditMu     sync.RWMutex // held to queue reads; Close takes it to stop queueing
	auditClosed bool

	where     whereCache // answers of WhereIs by log size
	audits    chan *auditReq
	auditDone chan struct{}
}

// Init creates a new log in cfg.DB (an SQLite file it creates, or an
// existing empty PostgreSQL database) with its signing key in
// cfg.KeyFile, and returns the verifier key. It refuses to touch an
// existing log or key.
func Init(ctx context.Context, cfg Config) (verifierKey string, err error) {
	if cfg.DB == "" {
		return "", errors.New("init: no database given")
	}
	name := Redact(cfg.DB)
	if !IsPostgres(cfg.DB) {
		if _, err := os.Stat(cfg.DB); err == nil {
			return "", fmt.Errorf("init: %s already exists; choose another path or remove it", cfg.DB)
		}
		if dir := filepath.Dir(cfg.DB); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return "", fmt.Errorf("init: create directory: %w", err)
			}
		}
	}
	if _, err := os.Stat(cfg.keyFile()); err == nil {
		return "", fmt.Errorf("init: key file %s already exists; remove it or choose another", cfg.keyFile())
	}
	origin := cfg.Origin
	if origin == "" {
		origin = DefaultOrigin
	}
	skey, vkey, err := ledger.GenerateKey(origin)
	if err != nil {
		return "", fmt.Errorf("init: %w", err)
	}
	x, err := openDB(cfg.DB, false)
	if err != nil {
		return "", fmt.Errorf("init %s: %w", name, err)
	}
	defer x.Close()
	var n int
	if err := x.QueryRowContext(ctx, x.d.tableExists, "meta").Scan(&n); err != nil {
		return "", fmt.Errorf("init %s: %w", name, err)
	}
	if n > 0 {
		return "", fmt.Errorf("init %s: the database already holds a custody log", name)
	}
	if err := migrate(ctx, x); err != nil {
		if !IsPostgres(cfg.DB) {
			os.Remove(cfg.DB)
		}
		return "", fmt.Errorf("init %s: %w", name, err)
	}
	_, err = x.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('origin', ?), ('verifier_key', ?)`, origin, vkey)
	if err != nil {
		return "", fmt.Errorf("init %s: write meta: %w", name, err)
	}
	if err := ledger.WriteKeyFile(cfg.keyFile(), skey); err != nil {
		return "", fmt.Errorf("init: %w", err)
	}
	return vkey, nil
}

// Open opens an existing log for reading and writing: it applies pending
// migrations, loads current state from the projections and starts the
// writer.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if err := exists(cfg.DB); err != nil {
		return nil, err
	}
	wdb, err := openDB(cfg.DB, false)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", Redact(cfg.DB), err)
	}
	// Migrations upgrade a custody schema; on a database with none (an
	// empty PostgreSQL database before `custody init`) they would create
	// one with no meta rows, which Init then refuses.
	if err := isCustody(ctx, wdb); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open %s: %w; create one with `custody init`", Redact(cfg.DB), err)
	}
	before, err := migrateFrom(ctx, wdb)
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open %s: %w", Redact(cfg.DB), err)
	}
	s, err := OpenReadOnly(ctx, cfg)
	if err != nil {
		wdb.Close()
		return nil, err
	}
	s.writeDB = wdb
	fail := func(err error) (*Store, error) {
		if s.auditDB.DB != nil && s.auditDB.DB != s.writeDB.DB {
			s.auditDB.Close()
		}
		s.readDB.Close()
		s.writeDB.Close()
		return nil, fmt.Errorf("open %s: %w", Redact(cfg.DB), err)
	}
	skey, err := ledger.ReadKeyFile(s.cfg.keyFile())
	if err != nil {
		return fail(err)
	}
	vkey, err := ledger.ReadKeyFileVerifier(s.cfg.keyFile())
	if err != nil {
		return fail(err)
	}
	if vkey != s.verifier {
		return fail(fmt.Errorf("key file %s is not this log's signing key (it verifies as %s, the log as %s)", s.cfg.keyFile(), vkey, s.verifier))
	}
	s.signer = skey
	if before > 0 && before < legalSchema {
		if err := s.backfillNotifications(ctx); err != nil {
			return fail(err)
		}
	}
	if err := s.openAudit(ctx); err != nil {
		return fail(err)
	}
	w, err := newWriter(ctx, s)
	if err != nil {
		return fail(err)
	}
	s.w = w
	s.reqs = make(chan *batch) // unbuffered: nothing is queued once the writer has stopped
	s.stop = make(chan struct{})
	s.done = make(chan struct{})
	go s.run()
	return s, nil
}

// exists checks that an SQLite file is there (a PostgreSQL database is
// checked by connecting).
func exists(dsn string) error {
	if dsn == "" {
		return errors.New("open: no database given")
	}
	if IsPostgres(dsn) {
		return nil
	}
	if _, err := os.Stat(dsn); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("open %s: no such database (create one with `custody init` or `custody demo`)", dsn)
		}
		return fmt.Errorf("open %s: %w", dsn, err)
	}
	return nil
}

// OpenReadOnly opens an existing log for reading only (verify, stats).
func OpenReadOnly(ctx context.Context, cfg Config) (*Store, error) {
	if err := exists(cfg.DB); err != nil {
		return nil, err
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 4096
	}
	name := Redact(cfg.DB)
	s := &Store{cfg: cfg, log: cfg.logger()}
	x, err := openDB(cfg.DB, true)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	x.stmts = newStmtCache()
	s.readDB = x
	if err := checkSchema(ctx, x); err != nil {
		x.Close()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	meta, err := s.Meta(ctx)
	if err != nil {
		x.Close()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	s.origin, s.verifier = meta["origin"], meta["verifier_key"]
	if s.origin == "" || s.verifier == "" {
		x.Close()
		return nil, fmt.Errorf("open %s: meta has no origin or verifier key: not a custody database", name)
	}
	return s, nil
}

func (s *Store) dialect() *dialect { return s.readDB.d }

// Origin is the log's checkpoint origin.
func (s *Store) Origin() string { return s.origin }

// VerifierKey is the log's verifier key (signed-note form).
func (s *Store) VerifierKey() string { return s.verifier }

// Path is the database path or URL, with any password redacted.
func (s *Store) Path() string { return Redact(s.cfg.DB) }

// Close stops the writer after the requests already queued and closes the
// database.
func (s *Store) Close() error {
	s.once.Do(func() {
		// No read is queued after this: the audit goroutine commits every
		// read queued before it stops.
		s.auditMu.Lock()
		s.auditClosed = true
		s.auditMu.Unlock()
		if s.stop != nil {
			close(s.stop)
			<-s.done
			s.auditOnce.Do(func() {}) // no audit goroutine starts after this
			if s.auditDone != nil {
				<-s.auditDone
			}
		}
		var errs []error
		if s.auditInsert != nil {
			errs = append(errs, s.auditInsert.Close())
		}
		if s.auditDB.DB != nil && s.auditDB.DB != s.writeDB.DB {
			errs = append(errs, s.auditDB.Close())
		}
		if s.writeDB.DB != nil {
			errs = append(errs, s.writeDB.Close())
		}
		errs = append(errs, s.readDB.Close())
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// Meta returns the meta table.
func (s *Store) Meta(ctx context.Context) (map[string]string, error) {
	rows, err := s.readDB.QueryContext(ctx, `SELECT key, value FROM meta`)
	if err != nil {
		return nil, fmt.Errorf("read meta: %w", err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read meta: %w", err)
		}
		m[k] = v
	}
	return m, rows.Err()
}

// SetMeta sets a meta value that is not part of the log (such as the
// transfer target shown by stats). Origin and verifier key cannot be set.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	if key == "origin" || key == "verifier_key" || strings.TrimSpace(key) == "" {
		return fmt.Errorf("set meta: key %q cannot be set", key)
	}
	if s.writeDB.DB == nil {
		return errors.New("set meta: store is read-only")
	}
	_, err := s.writeDB.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("set meta %s: %w", key, err)
	}
	return nil
}

// legalSchema is the schema version that added consular notifications.
const legalSchema = 5

// backfillNotifications writes the consular notifications owed for the
// custody events of a log recorded before the schema had them: the replay
// (as verify does it) derives them from those events, so the projection
// agrees with the log.
func (s *Store) backfillNotifications(ctx context.Context) error {
	rtx, err := s.readDB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return fmt.Errorf("backfill notifications: begin: %w", err)
	}
	defer rtx.Rollback()
	var head int64
	if err := rtx.QueryRowContext(ctx, `SELECT size FROM log_head WHERE id = 1`).Scan(&head); err != nil {
		return fmt.Errorf("backfill notifications: read log head: %w", err)
	}
	v := &verifier{ctx: ctx, s: s, q: rtx, state: custody.NewState(), tree: ledger.NewTree(nil), head: head}
	if err := v.replayLog(); err != nil {
		return fmt.Errorf("backfill notifications: %w", err)
	}
	rtx.Rollback()
	rows, err := docRows(slices.Sorted(maps.Keys(v.state.Notifications)), v.state.Notifications, notificationRow)
	if err != nil {
		return err
	}
	tx, err := s.writeDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("backfill notifications: begin: %w", err)
	}
	defer tx.Rollback()
	if err := upsertRows(ctx, tx, notificationsTable, rows); err != nil {
		return fmt.Errorf("backfill notifications: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("backfill notifications: commit: %w", err)
	}
	s.log.Info("consular notifications derived from the log after the schema upgrade", "notifications", len(rows), "entries", head)
	return nil
}
