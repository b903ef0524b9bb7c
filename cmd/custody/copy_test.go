package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// smallLog creates a log at cfg with the synthetic world, 200
// registrations and 20 transfers (in several commits), and returns its
// size.
func smallLog(t *testing.T, cfg sqlstore.Config) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := sqlstore.Init(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	reqs := [][][]custody.Event{storetest.Setup("cli"), storetest.Registrations("cli", 0, 100, storetest.PrisonA), storetest.Registrations("cli", 100, 100, storetest.PrisonA)}
	for i := range 20 {
		reqs = append(reqs, [][]custody.Event{storetest.Transfer("cli", i, i, storetest.PrisonA, storetest.PrisonB)})
	}
	for _, r := range reqs {
		res, err := s.AppendBatch(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range res {
			if x.Err != nil {
				t.Fatal(x.Err)
			}
		}
	}
	n, err := s.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var verifyLine = regexp.MustCompile(`^ok: (\d+) entries, tree size \d+, root hash (\S+),`)

// verified runs verify and returns the size and root it printed.
func verified(t *testing.T, args ...string) (int64, string) {
	t.Helper()
	r := runOK(t, nil, append([]string{"verify"}, args...)...)
	m := verifyLine.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("verify printed %q", r.stdout)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n, m[2]
}

// TestBackupWhileAppending backs up an SQLite database while another
// goroutine appends to it, restores the backup into a new path and checks
// that it verifies with the original key and has the original's root at
// its size.
func TestBackupWhileAppending(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	initial := smallLog(t, sqlstore.Config{DB: db})
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stop := make(chan struct{})
	appended := make(chan int, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		n := 0
		defer func() { appended <- n }()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			from, to := storetest.PrisonA, storetest.PrisonB
			if (i/100)%2 == 1 {
				from, to = to, from
			}
			if _, err := s.Append(ctx, storetest.Transfer("live", i, 100+i%100, from, to)...); err != nil {
				t.Errorf("append during the backup: %v", err)
				return
			}
			n++
		}
	})
	// Let the appender get going, then back up while it runs.
	for {
		if n, _ := s.Size(ctx); n > initial+50 {
			break
		}
	}
	backup := filepath.Join(dir, "backups", "live.backup")
	os.MkdirAll(filepath.Dir(backup), 0o755)
	r := runOK(t, nil, "backup", "--db", db, "--out", backup)
	close(stop)
	wg.Wait()
	if n := <-appended; n == 0 {
		t.Fatal("nothing was appended while the backup ran")
	}
	for _, want := range []string{"backed up", "NOT in the backup", db + ".key"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("backup's output does not say %q:\n%s", want, r.stdout)
		}
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	// Never overwritten.
	before, _ := os.ReadFile(backup)
	if r := run(ctx, nil, "backup", "--db", db, "--out", backup); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("backup over an existing file: exit %d, %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(backup); string(after) != string(before) {
		t.Error("a refused backup changed the existing file")
	}

	restored := filepath.Join(dir, "restored", "custody.db")
	r = runOK(t, nil, "restore", "--from", backup, "--db", restored, "--key", db+".key")
	if !strings.Contains(r.stdout, "checked against the signing key file "+db+".key") {
		t.Errorf("restore's output:\n%s", r.stdout)
	}
	size, root := verified(t, "--db", restored, "--key", db+".key")
	if size <= initial+50 {
		t.Errorf("the backup has %d entries; the log had more than %d when it started", size, initial+50)
	}
	// The original, at the backup's size, has the same root; and it went on
	// growing past it.
	want, err := s.TreeHash(ctx, size)
	if err != nil {
		t.Fatal(err)
	}
	if root != want.String() {
		t.Errorf("restored root %s at size %d, the original's %s", root, size, want)
	}
	now, _ := s.Size(ctx)
	t.Logf("backup of %d entries taken while appending (%d before, %d after)", size, initial, now)

	// Restore never overwrites.
	if r := run(ctx, nil, "restore", "--from", backup, "--db", restored); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("restore over an existing database: exit %d, %q", r.code, r.stderr)
	}
	// The restored database accepts appends with the original key.
	rs, err := sqlstore.Open(ctx, sqlstore.Config{DB: restored, KeyFile: db + ".key"})
	if err != nil {
		t.Fatalf("open the restored database with the original key: %v", err)
	}
	defer rs.Close()
	if _, err := rs.Append(ctx, storetest.Transfer("after-restore", 0, 0, storetest.PrisonB, storetest.PrisonA)...); err != nil {
		t.Errorf("append to the restored database: %v", err)
	}
}

func TestBackupRestoreRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// PostgreSQL: the pg_dump commands and a non-zero exit (no server needed).
	pg := "postgres://custody:secret@db.example/custody"
	r := run(ctx, nil, "backup", "--db", pg, "--out", filepath.Join(dir, "pg.dump"))
	if r.code != 1 || !strings.Contains(r.stdout, "pg_dump --format=custom") || !strings.Contains(r.stdout, "pg_restore") || strings.Contains(r.stdout, "secret") {
		t.Errorf("backup of PostgreSQL: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = run(ctx, nil, "restore", "--from", filepath.Join(dir, "pg.dump"), "--db", pg)
	if r.code != 1 || !strings.Contains(r.stdout, "pg_restore") {
		t.Errorf("restore into PostgreSQL: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	// Usage.
	if r := run(ctx, nil, "backup", "--db", filepath.Join(dir, "x.db")); r.code != 2 || !strings.Contains(r.stderr, "--out is required") {
		t.Errorf("backup without --out: exit %d, %q", r.code, r.stderr)
	}
	if r := run(ctx, nil, "restore", "--db", filepath.Join(dir, "x.db")); r.code != 2 || !strings.Contains(r.stderr, "--from is required") {
		t.Errorf("restore without --from: exit %d, %q", r.code, r.stderr)
	}
	// A file that is not a backup is not restored.
	junk := filepath.Join(dir, "junk")
	os.WriteFile(junk, []byte("not a database"), 0o644)
	target := filepath.Join(dir, "from-junk.db")
	if r := run(ctx, nil, "restore", "--from", junk, "--db", target); r.code == 0 {
		t.Errorf("restore of a junk file: exit 0\n%s", r.stdout)
	}
	// A backup that does not verify is not put in place.
	db := filepath.Join(dir, "src.db")
	smallLog(t, sqlstore.Config{DB: db})
	backup := filepath.Join(dir, "src.backup")
	runOK(t, nil, "backup", "--db", db, "--out", backup)
	conn, err := sql.Open("sqlite", "file:"+backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`UPDATE persons SET status = 'released', facility_id = NULL WHERE id = ?`, string(storetest.Person(5).ID)); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	r = run(ctx, nil, "restore", "--from", backup, "--db", target, "--key", db+".key")
	if r.code != exitMismatch || !strings.Contains(r.stderr, "does not verify") {
		t.Errorf("restore of a tampered backup: exit %d, %q", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 { // junk, src.db, its key, its audit trail, src.backup, and nothing else
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("after the refused restores the directory holds %v", names)
	}
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "m.db")
	runOK(t, nil, "init", "--db", db)
	r := runOK(t, nil, "migrate", "--db", db)
	for _, want := range []string{"schema version before: 5\n", "schema version after: 5\n", "up to date"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("migrate printed %q, want %q", r.stdout, want)
		}
	}
	// A log of the first schema (before moves) is brought up to date and
	// still verifies.
	old := filepath.Join(dir, "v1.db")
	smallLog(t, sqlstore.Config{DB: old})
	conn, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	downgradeToFirstSchema(t, conn, func(q string) string { return q })
	conn.Close()
	r = runOK(t, nil, "migrate", "--db", old)
	for _, want := range []string{"schema version before: 1\n", "schema version after: 5\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("migrate of a first-schema log printed %q, want %q", r.stdout, want)
		}
	}
	if r := runOK(t, nil, "verify", "--db", old); !strings.HasPrefix(r.stdout, "ok: ") {
		t.Errorf("verify after the migration: %s", r.stdout)
	}
	// Not a database, or not a custody one.
	if r := run(ctx, nil, "migrate", "--db", filepath.Join(dir, "none.db")); r.code != 1 || !strings.Contains(r.stderr, "no such database") {
		t.Errorf("migrate of a missing file: exit %d, %q", r.code, r.stderr)
	}
	other := filepath.Join(dir, "other.db")
	conn, err = sql.Open("sqlite", "file:"+other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`CREATE TABLE notes (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if r := run(ctx, nil, "migrate", "--db", other); r.code != 1 || !strings.Contains(r.stderr, "not a custody database") {
		t.Errorf("migrate of another database: exit %d, %q", r.code, r.stderr)
	}
	// A schema newer than the binary is refused, naming both versions.
	newer := func(raw *sql.DB, rebind func(string) string) {
		t.Helper()
		if _, err := raw.Exec(rebind(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)`), 99, true); err != nil {
			t.Fatal(err)
		}
	}
	conn, err = sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	newer(conn, func(q string) string { return q })
	conn.Close()
	if r := run(ctx, nil, "migrate", "--db", db); r.code != 1 || !strings.Contains(r.stderr, "version 99 is newer than this binary's 5") {
		t.Errorf("migrate of a newer schema: exit %d, %q", r.code, r.stderr)
	}

	t.Run("postgres", func(t *testing.T) {
		d := storetest.Postgres(storetest.PostgresURL(t)).New(t)
		runOK(t, nil, "init", "--db", d.Config.DB, "--key", d.Config.KeyFile)
		r := runOK(t, nil, "migrate", "--db", d.Config.DB)
		if !strings.Contains(r.stdout, "schema version before: 5\n") || !strings.Contains(r.stdout, "schema version after: 5\n") {
			t.Errorf("migrate printed %q", r.stdout)
		}
		downgradeToFirstSchema(t, d.Raw(t), d.Rebind)
		r = runOK(t, nil, "migrate", "--db", d.Config.DB)
		if !strings.Contains(r.stdout, "schema version before: 1\n") || !strings.Contains(r.stdout, "schema version after: 5\n") {
			t.Errorf("migrate of a first-schema log printed %q", r.stdout)
		}
		newer(d.Raw(t), d.Rebind)
		if r := run(ctx, nil, "migrate", "--db", d.Config.DB); r.code != 1 || !strings.Contains(r.stderr, "version 99 is newer than this binary's 5") {
			t.Errorf("migrate of a newer schema: exit %d, %q", r.code, r.stderr)
		}
	})
}

// downgradeToFirstSchema undoes the fifth (legal), fourth (inquiries), third (access) and second (moves) migrations behind the
// program's back, as a database made by the first release would be.
func downgradeToFirstSchema(t *testing.T, raw *sql.DB, rebind func(string) string) {
	t.Helper()
	for _, q := range []string{
		`DROP TABLE legal_references`, `DROP TABLE repatriations`, `DROP TABLE notifications`, `DROP TABLE exposures`, `DROP TABLE cases`,
		`DELETE FROM goose_db_version WHERE version_id = 5`,
		`DROP TABLE inquiries`, `DELETE FROM goose_db_version WHERE version_id = 4`,
		`DROP INDEX person_events_seq`, `DROP TABLE person_reads`, `DROP TABLE api_tokens`, `DROP TABLE sessions`, `DROP TABLE users`,
		`DELETE FROM goose_db_version WHERE version_id = 3`,
		`DROP TABLE alerts`, `DROP TABLE moves`, `DROP TABLE allocations`, `DROP TABLE reference_lists`,
		`ALTER TABLE escapes DROP COLUMN move_id`, `DROP INDEX persons_move`, `ALTER TABLE persons DROP COLUMN move_id`,
		`DELETE FROM goose_db_version WHERE version_id = 2`,
	} {
		if _, err := raw.Exec(rebind(q)); err != nil {
			t.Fatalf("downgrade: %s: %v", q, err)
		}
	}
}

func TestCopyCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "site.db")
	entries := smallLog(t, sqlstore.Config{DB: src})
	size, root := verified(t, "--db", src)

	dst := filepath.Join(dir, "copy", "hub.db")
	r := runOK(t, nil, "copy", "--from", src, "--to", dst)
	want := fmt.Sprintf("copied %d entries", entries)
	if !strings.HasPrefix(r.stdout, want) || !strings.Contains(r.stdout, "root hash "+root) || !strings.Contains(r.stdout, "--key "+src+".key") {
		t.Errorf("copy printed %q; want %q..., the root %s and the key file to use", r.stdout, want, root)
	}
	if _, err := os.Stat(dst + ".key"); err == nil {
		t.Error("copy created a key file for the target")
	}
	if n, rt := verified(t, "--db", dst, "--key", src+".key"); n != size || rt != root {
		t.Errorf("the copy verifies as %d entries, root %s; the source %d, %s", n, rt, size, root)
	}
	// Appending to the copy needs the source's key.
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: dst, KeyFile: src + ".key"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, storetest.Transfer("cli", 100, 100, storetest.PrisonA, storetest.PrisonB)...); err != nil {
		t.Error(err)
	}
	s.Close()

	// The target must be empty.
	if r := run(ctx, nil, "copy", "--from", src, "--to", dst); r.code != 1 || !strings.Contains(r.stderr, "not empty") {
		t.Errorf("copy into a log: exit %d, %q", r.code, r.stderr)
	}
	if r := run(ctx, nil, "copy", "--from", src); r.code != 2 || !strings.Contains(r.stderr, "--from and --to are both required") {
		t.Errorf("copy without --to: exit %d, %q", r.code, r.stderr)
	}
	// A key file that is not the source's is refused before anything is written.
	other := filepath.Join(dir, "other.db")
	runOK(t, nil, "init", "--db", other)
	never := filepath.Join(dir, "never.db")
	if r := run(ctx, nil, "copy", "--from", src, "--to", never, "--key", other+".key"); r.code != exitMismatch || !strings.Contains(r.stderr, "not that of the signing key file") {
		t.Errorf("copy with another log's key: exit %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(never); err == nil {
		t.Error("a refused copy created its target")
	}

	t.Run("postgres", func(t *testing.T) {
		d := storetest.Postgres(storetest.PostgresURL(t)).New(t)
		runOK(t, nil, "copy", "--from", src, "--to", d.Config.DB)
		if n, rt := verified(t, "--db", d.Config.DB, "--key", src+".key"); n != size || rt != root {
			t.Errorf("the PostgreSQL copy verifies as %d entries, root %s; the source %d, %s", n, rt, size, root)
		}
		back := filepath.Join(t.TempDir(), "back.db")
		runOK(t, nil, "copy", "--from", d.Config.DB, "--to", back, "--key", src+".key")
		if n, rt := verified(t, "--db", back, "--key", src+".key"); n != size || rt != root {
			t.Errorf("the copy back verifies as %d entries, root %s; the source %d, %s", n, rt, size, root)
		}
	})
}
