package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/sqlstore"
)

// runBackup writes an online, consistent backup of an SQLite database; for
// PostgreSQL it prints the pg_dump and pg_restore commands and fails.
func (m *Main) runBackup(ctx context.Context, args []string) error {
	fs := m.flags("backup")
	db := m.dbFlag(fs)
	keyFile := m.keyFlag(fs)
	out := fs.String("out", "", "the backup `file` to create (required; never overwritten)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(m.Stderr, "custody backup: --out is required")
		fs.Usage()
		return errUsage
	}
	cfg := sqlstore.Config{DB: *db, KeyFile: *keyFile}
	if sqlstore.IsPostgres(*db) {
		m.printPostgresBackup(*db, *out)
		return errors.New("custody does not back up PostgreSQL itself: run the pg_dump commands above")
	}
	rep, err := sqlstore.Backup(ctx, cfg, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "backed up %s to %s (%d bytes): %d entries, root hash %s (its latest signed checkpoint)\n",
		*db, rep.Path, rep.Bytes, rep.Entries, rep.Root)
	fmt.Fprintf(m.Stdout, "the signing key file %s is NOT in the backup: keep it separately (restoring needs it to append)\n", rep.KeyFile)
	fmt.Fprintf(m.Stdout, "restore with: custody restore --from %s --db NEW.db --key %s\n", rep.Path, rep.KeyFile)
	return nil
}

func (m *Main) printPostgresBackup(db, file string) {
	fmt.Fprintln(m.Stdout, "A PostgreSQL database is backed up with PostgreSQL's own tools (custody does not reimplement pg_dump):")
	for _, c := range sqlstore.PostgresBackupCommands(db, file) {
		fmt.Fprintf(m.Stdout, "  %s\n", c)
	}
	fmt.Fprintln(m.Stdout, "The signing key file is not in the dump: keep it separately.")
}

// runRestore puts an SQLite backup in place as a new database and verifies
// it.
func (m *Main) runRestore(ctx context.Context, args []string) error {
	fs := m.flags("restore")
	from := fs.String("from", "", "the backup `file` (required)")
	db := m.dbFlag(fs)
	keyFile := m.keyFlag(fs)
	vkey := fs.String("verifier-key", "", "the published verifier `key` to check checkpoints against (default: the signing key file's, else the backup's own)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		fmt.Fprintln(m.Stderr, "custody restore: --from is required")
		fs.Usage()
		return errUsage
	}
	if sqlstore.IsPostgres(*db) || sqlstore.IsPostgres(*from) {
		m.printPostgresBackup(*db, *from)
		return errors.New("custody does not restore PostgreSQL itself: run the pg_restore commands above")
	}
	tuneGC()
	cfg := sqlstore.Config{DB: *db, KeyFile: *keyFile}
	key := *vkey
	anchor := "the backup's own verifier key"
	if key != "" {
		anchor = "the given verifier key"
	} else if k, err := ledger.ReadKeyFileVerifier(cfg.KeyFilePath()); err == nil {
		key, anchor = k, "the signing key file "+cfg.KeyFilePath()
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	rep, err := sqlstore.Restore(ctx, *from, cfg, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "restored %s to %s\n", *from, *db)
	fmt.Fprintf(m.Stdout, "ok: %d entries, tree size %d, root hash %s, %d checkpoints, %d persons (checkpoints checked against %s)\n",
		rep.Entries, rep.Entries, rep.Root, rep.Checkpoints, rep.Persons, anchor)
	if _, err := os.Stat(cfg.KeyFilePath()); err != nil {
		fmt.Fprintf(m.Stdout, "no signing key at %s: put the original key file there, or pass --key/CUSTODY_KEY, before appending\n", cfg.KeyFilePath())
	}
	return nil
}
