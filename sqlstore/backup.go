package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencustody/custody/ledger"
)

// This file holds the administration of a store's database as a whole:
// explicit migration, and backup and restore of SQLite files. (A
// PostgreSQL database is backed up with pg_dump and restored with
// pg_restore; a log moves between engines with Copy.)

// ErrPostgresBackup is returned by Backup and Restore for a PostgreSQL
// database: use pg_dump -Fc and pg_restore (PostgresBackupCommands).
var ErrPostgresBackup = errors.New("a PostgreSQL database is backed up with pg_dump and restored with pg_restore")

// MigrateReport is what Migrate did.
type MigrateReport struct {
	// Before and After are the database's schema versions; Binary is the
	// newest this binary knows.
	Before, After, Binary int64
}

// Migrate applies the embedded migrations to an existing custody database
// and reports its schema version before and after. It refuses a database
// whose schema is newer than this binary's, naming both versions, and a
// database that holds no custody schema (`custody init` creates one).
func Migrate(ctx context.Context, cfg Config) (*MigrateReport, error) {
	if err := exists(cfg.DB); err != nil {
		return nil, err
	}
	name := Redact(cfg.DB)
	x, err := openDB(cfg.DB, false)
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", name, err)
	}
	defer x.Close()
	if err := isCustody(ctx, x); err != nil {
		return nil, fmt.Errorf("migrate %s: %w; create one with `custody init`", name, err)
	}
	p, err := provider(x)
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", name, err)
	}
	rep := &MigrateReport{}
	if rep.Before, rep.Binary, err = p.GetVersions(ctx); err != nil {
		return nil, fmt.Errorf("migrate %s: read schema version: %w", name, err)
	}
	if err := migrate(ctx, x); err != nil { // refuses a newer schema
		return nil, fmt.Errorf("migrate %s: %w", name, err)
	}
	if rep.After, err = p.GetDBVersion(ctx); err != nil {
		return nil, fmt.Errorf("migrate %s: read schema version: %w", name, err)
	}
	return rep, nil
}

// isCustody refuses a database with no custody schema (of any version).
func isCustody(ctx context.Context, x db) error {
	for _, table := range []string{"goose_db_version", "meta"} {
		var n int
		if err := x.QueryRowContext(ctx, x.d.tableExists, table).Scan(&n); err != nil {
			return fmt.Errorf("read schema: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("not a custody database (no %s table)", table)
		}
	}
	return nil
}

// BackupReport describes a backup file.
type BackupReport struct {
	Path  string
	Bytes int64
	// Entries and Root are the backed-up log's size and root hash, from its
	// latest signed checkpoint (checked against its verifier key).
	Entries int64
	Root    tlog.Hash
	Origin  string
	// KeyFile is the signing key file, which is not in the backup.
	KeyFile string
}

// Backup writes a transactionally consistent copy of the SQLite database
// cfg.DB to the new file out, online: the database may be in use, by this
// process or others, while it runs (SQLite's VACUUM INTO reads one
// snapshot). It refuses to overwrite out: the copy is written beside it
// under a temporary name, synced and then linked into place. The signing
// key file is not in the backup (BackupReport.KeyFile): keep it
// separately. The backup file has mode 0600 (it holds personal data).
// For PostgreSQL it returns ErrPostgresBackup.
func Backup(ctx context.Context, cfg Config, out string) (*BackupReport, error) {
	if IsPostgres(cfg.DB) {
		return nil, ErrPostgresBackup
	}
	if out == "" {
		return nil, errors.New("backup: no output file given")
	}
	if err := exists(cfg.DB); err != nil {
		return nil, err
	}
	if _, err := os.Lstat(out); err == nil {
		return nil, fmt.Errorf("backup: %s already exists; choose another file", out)
	}
	if fi, err := os.Stat(filepath.Dir(out)); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("backup: no directory %s for %s", filepath.Dir(out), out)
	}
	if sameDatabase(cfg.DB, out) {
		return nil, errors.New("backup: the output is the database itself")
	}
	x, err := openDB(cfg.DB, false) // VACUUM INTO is refused on a query_only connection
	if err != nil {
		return nil, fmt.Errorf("backup %s: %w", cfg.DB, err)
	}
	defer x.Close()
	// Any custody schema version: a backup before a migration is wise.
	if err := isCustody(ctx, x); err != nil {
		return nil, fmt.Errorf("backup %s: %w", cfg.DB, err)
	}
	tmp, err := tempName(out)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp)
	if _, err := x.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return nil, fmt.Errorf("backup %s: %w", cfg.DB, err)
	}
	rep, err := describeBackup(ctx, tmp)
	if err != nil {
		return nil, fmt.Errorf("backup: the copy does not read back: %w", err)
	}
	// Personal data: the backup is readable by its owner only.
	if err := os.Chmod(tmp, 0o600); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := linkNew(tmp, out); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	rep.Path, rep.KeyFile = out, cfg.keyFile()
	if fi, err := os.Stat(out); err == nil {
		rep.Bytes = fi.Size()
	}
	return rep, nil
}

// describeBackup reads a backup file without changing it (immutable,
// read-only): the log's size, origin, and its latest checkpoint opened
// with its verifier key.
func describeBackup(ctx context.Context, path string) (*BackupReport, error) {
	sdb, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		return nil, err
	}
	defer sdb.Close()
	rep := &BackupReport{}
	var vkey string
	var note []byte
	err = sdb.QueryRowContext(ctx, `SELECT (SELECT size FROM log_head WHERE id = 1),
		(SELECT value FROM meta WHERE key = 'origin'), (SELECT value FROM meta WHERE key = 'verifier_key'),
		coalesce((SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1), x'')`).Scan(&rep.Entries, &rep.Origin, &vkey, &note)
	if err != nil {
		return nil, err
	}
	if rep.Entries == 0 {
		return rep, nil
	}
	size, root, err := ledger.OpenCheckpoint(note, vkey, rep.Origin)
	if err != nil {
		return nil, err
	}
	if size != rep.Entries {
		return nil, fmt.Errorf("the log has %d entries but its latest checkpoint is of size %d", rep.Entries, size)
	}
	rep.Root = root
	return rep, nil
}

// Restore puts the SQLite backup file backup in place as the new database
// to.DB, refusing to overwrite an existing one, and verifies it: checkpoints
// against verifierKey (the database's own if empty; give the published key
// or the signing key file's). The copy is verified under a temporary name
// beside to.DB and only then linked into place, so a backup that does not
// verify is never restored. For PostgreSQL it returns ErrPostgresBackup.
func Restore(ctx context.Context, backup string, to Config, verifierKey string) (*VerifyReport, error) {
	if IsPostgres(to.DB) || IsPostgres(backup) {
		return nil, ErrPostgresBackup
	}
	if to.DB == "" || backup == "" {
		return nil, errors.New("restore: no backup file or database given")
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if _, err := os.Lstat(to.DB + suffix); err == nil {
			return nil, fmt.Errorf("restore: %s already exists; restore only into a new path", to.DB+suffix)
		}
	}
	in, err := os.Open(backup)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	if dir := filepath.Dir(to.DB); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("restore: create directory: %w", err)
		}
	}
	tmp, err := tempName(to.DB)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer removeSQLite(tmp)
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("restore: copy %s: %w", backup, err)
	}
	cfg := to
	cfg.DB = tmp
	s, err := OpenReadOnly(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("restore: %s is not a custody database backup: %w", backup, err)
	}
	rep, err := s.Verify(ctx, verifierKey)
	if cerr := s.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("restore: the backup %s does not verify: %w", backup, err)
	}
	if err := linkNew(tmp, to.DB); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	return rep, nil
}

// tempName returns an unused name beside path.
func tempName(path string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-"+hex.EncodeToString(b)), nil
}

// syncFile flushes a file to stable storage.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// linkNew gives the file tmp the name path, which must not exist (a hard
// link never replaces a file, unlike a rename), then drops the name tmp
// and syncs the directory.
func linkNew(tmp, path string) error {
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists; nothing was overwritten", path)
		}
		return err
	}
	if err := os.Remove(tmp); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// PostgresBackupCommands returns the commands that back up the PostgreSQL
// database dsn to file with pg_dump, restore it into a new database with
// pg_restore and verify the result (passwords in dsn are redacted).
func PostgresBackupCommands(dsn, file string) []string {
	restored := "postgres://HOST/NEWDB"
	if u, err := url.Parse(Redact(dsn)); err == nil {
		u.Path = "/NEWDB"
		restored = u.String()
	}
	return []string{
		fmt.Sprintf("pg_dump --format=custom --no-owner --file=%s '%s'", file, Redact(dsn)),
		"createdb NEWDB    # a new, empty database (add -h HOST -U USER as for psql)",
		fmt.Sprintf("pg_restore --no-owner --exit-on-error --dbname='%s' %s", restored, file),
		fmt.Sprintf("custody verify --db '%s' --key KEYFILE", restored),
	}
}
