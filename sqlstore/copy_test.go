package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

var copyActor = custody.Actor{User: "copy.registrar", Authority: "sdf", Site: "test"}

// copySource builds a realistic log on d: the synthetic world, 400
// registrations in several commits, transfers one request at a time (so
// many checkpoints), hospitalisations, an escape and its recapture, an
// open escape, a release, and a transfer target in meta. It returns the
// number of entries; the store is closed.
func copySource(t *testing.T, d *storetest.DB) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := sqlstore.Init(ctx, d.Config); err != nil {
		t.Fatalf("init: %v", err)
	}
	s, err := sqlstore.Open(ctx, d.Config)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	appendAll := func(reqs [][]custody.Event) {
		t.Helper()
		res, err := s.AppendBatch(ctx, reqs)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Err != nil {
				t.Fatalf("request %d rejected: %v", i, r.Err)
			}
		}
	}
	appendAll(storetest.Setup("cp"))
	for k := range 4 {
		appendAll(storetest.Registrations("cp", k*100, 100, storetest.PrisonA))
	}
	for i := range 60 {
		appendAll([][]custody.Event{storetest.Transfer("cp", i, i, storetest.PrisonA, storetest.PrisonB)})
	}
	at := time.Date(2026, 1, 20, 10, 0, 0, 0, time.UTC)
	n := 0
	one := func(p custody.Payload) int64 {
		t.Helper()
		n++
		res, err := s.Append(ctx, custody.NewEvent(p, at.Add(time.Duration(n)*time.Minute), at, copyActor, fmt.Sprintf("cp-incident-%d", n)))
		if err != nil {
			t.Fatalf("append %s: %v", p.EventType(), err)
		}
		return res.Seqs[0]
	}
	pid := func(i int) custody.PersonID { return storetest.Person(i).ID }
	one(&custody.Hospitalised{Person: pid(300), From: storetest.PrisonA, Hospital: storetest.Hospital, Reason: "injury"})
	esc := one(&custody.Escaped{Person: pid(301), Facility: storetest.PrisonA, Circumstances: "during clashes"})
	one(&custody.Recaptured{Person: pid(301), Escape: esc, Facility: storetest.PrisonB, TakenBy: "patrol"})
	one(&custody.Escaped{Person: pid(302), Facility: storetest.PrisonA})
	one(&custody.Released{Person: pid(303), Facility: storetest.PrisonA, Reason: "court-order", AuthorisedBy: "sdf"})
	if err := s.SetMeta(ctx, "transfer_target", "60"); err != nil {
		t.Fatal(err)
	}
	size, err := s.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return size
}

// copyEngines returns the (source, target) engine pairs to copy between.
func copyEngines(t *testing.T) [][2]storetest.Engine {
	t.Helper()
	lite := storetest.SQLite()
	pairs := [][2]storetest.Engine{{lite, lite}}
	if os.Getenv(storetest.EnvPostgres) != "" || os.Getenv(storetest.EnvRequire) != "" {
		pg := storetest.Postgres(storetest.PostgresURL(t))
		pairs = append(pairs, [2]storetest.Engine{lite, pg}, [2]storetest.Engine{pg, lite}, [2]storetest.Engine{pg, pg})
	} else {
		t.Logf("%s not set: copies to and from PostgreSQL skipped", storetest.EnvPostgres)
	}
	return pairs
}

func TestCopy(t *testing.T) {
	for _, pair := range copyEngines(t) {
		t.Run(pair[0].Name+"_to_"+pair[1].Name, func(t *testing.T) {
			ctx := context.Background()
			srcDB, dstDB := pair[0].New(t), pair[1].New(t)
			entries := copySource(t, srcDB)
			src, err := sqlstore.OpenReadOnly(ctx, srcDB.Config)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()

			start := time.Now()
			to := dstDB.Config
			to.MaxBatch = 97 // many transactions, checkpoints across their ends
			rep, err := sqlstore.Copy(ctx, src, to)
			if err != nil {
				t.Fatalf("copy: %v", err)
			}
			t.Logf("copied %d entries, %d checkpoints in %s (%d transactions)", rep.Entries, rep.Checkpoints, time.Since(start), rep.Batches)
			srcRoot, err := src.TreeHash(ctx, entries)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Entries != entries || rep.Root != srcRoot {
				t.Errorf("copy reports %d entries, root %s; the source has %d, root %s", rep.Entries, rep.Root, entries, srcRoot)
			}
			if rep.KeyFile != srcDB.Config.KeyFilePath() || rep.VerifierKey != src.VerifierKey() || rep.Origin != src.Origin() {
				t.Errorf("copy reports key file %s, verifier %s, origin %s; want the source's %s, %s, %s",
					rep.KeyFile, rep.VerifierKey, rep.Origin, srcDB.Config.KeyFilePath(), src.VerifierKey(), src.Origin())
			}

			dst, err := sqlstore.OpenReadOnly(ctx, dstDB.Config)
			if err != nil {
				t.Fatal(err)
			}
			defer dst.Close()
			srcRep, err := src.Verify(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			dstRep, err := dst.Verify(ctx, src.VerifierKey())
			if err != nil {
				t.Fatalf("the target does not verify: %v", err)
			}
			if *dstRep != *srcRep {
				t.Errorf("target verifies as %+v, the source as %+v", dstRep, srcRep)
			}
			if dstRoot, err := dst.TreeHash(ctx, entries); err != nil || dstRoot != srcRoot {
				t.Errorf("target tree hash %s (%v), source %s", dstRoot, err, srcRoot)
			}
			if dst.Origin() != src.Origin() || dst.VerifierKey() != src.VerifierKey() {
				t.Errorf("target origin %q key %q; source %q %q", dst.Origin(), dst.VerifierKey(), src.Origin(), src.VerifierKey())
			}
			// Bodies verbatim (same salts), checkpoints verbatim.
			for seq := range entries {
				_, a, err1 := src.Event(ctx, seq)
				_, b, err2 := dst.Event(ctx, seq)
				if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
					t.Fatalf("event %d: source body %q (%v), target %q (%v)", seq, a, err1, b, err2)
				}
			}
			a, _ := src.LatestCheckpoint(ctx)
			b, _ := dst.LatestCheckpoint(ctx)
			if !bytes.Equal(a, b) || len(a) == 0 {
				t.Errorf("latest checkpoints differ:\n%s\n%s", a, b)
			}
			sm, _ := src.Meta(ctx)
			dm, _ := dst.Meta(ctx)
			if !reflect.DeepEqual(sm, dm) {
				t.Errorf("meta differs: source %v, target %v", sm, dm)
			}
			ss, err := src.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := dst.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ss, ds) {
				t.Errorf("stats differ:\nsource %+v\ntarget %+v", ss, ds)
			}
			if ss.Transfer.Target != 60 || ss.OpenEscapes != 1 {
				t.Errorf("the source's figures are not the ones built: %+v", ss)
			}

			// The target is the same log: its own key (none) is refused, the
			// source's key appends to it.
			cfg := dstDB.Config
			cfg.KeyFile = filepath.Join(t.TempDir(), "other.key")
			if _, err := sqlstore.Init(ctx, sqlstore.Config{DB: filepath.Join(t.TempDir(), "other.db"), KeyFile: cfg.KeyFile}); err != nil {
				t.Fatal(err)
			}
			if w, err := sqlstore.Open(ctx, cfg); err == nil {
				w.Close()
				t.Error("the target opened for writing with another log's key")
			}
			cfg.KeyFile = srcDB.Config.KeyFilePath()
			w, err := sqlstore.Open(ctx, cfg)
			if err != nil {
				t.Fatalf("open the target with the source's key: %v", err)
			}
			res, err := w.Append(ctx, storetest.Transfer("cp", 1000, 200, storetest.PrisonA, storetest.PrisonB)...)
			if err != nil || res.Seqs[0] != entries {
				t.Fatalf("append to the target: %v (seqs %v, want %d)", err, res.Seqs, entries)
			}
			// An idempotency key of the source is known to the target.
			res, err = w.Append(ctx, storetest.Transfer("cp", 0, 0, storetest.PrisonA, storetest.PrisonB)...)
			if err != nil || !res.Replayed {
				t.Errorf("a retried source request on the target: %v, replayed %v", err, res.Replayed)
			}
			after, err := w.Verify(ctx, "")
			w.Close()
			if err != nil || after.Entries != entries+1 {
				t.Errorf("the target after an append: %+v, %v", after, err)
			}
		})
	}
}

func TestCopyRefusesNonEmptyTarget(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			srcDB := storetest.SQLite().New(t)
			copySource(t, srcDB)
			src, err := sqlstore.OpenReadOnly(ctx, srcDB.Config)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()

			// A target with a log of its own.
			dstDB := e.New(t)
			if _, err := sqlstore.Init(ctx, dstDB.Config); err != nil {
				t.Fatal(err)
			}
			w, err := sqlstore.Open(ctx, dstDB.Config)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.AppendBatch(ctx, storetest.Setup("other")); err != nil {
				t.Fatal(err)
			}
			w.Close()
			_, err = sqlstore.Copy(ctx, src, dstDB.Config)
			if err == nil || !strings.Contains(err.Error(), "not empty") {
				t.Fatalf("copy into a log: %v; want a refusal saying the target is not empty", err)
			}
			dst, err := sqlstore.OpenReadOnly(ctx, dstDB.Config)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := dst.Verify(ctx, "")
			dst.Close()
			if err != nil || rep.Entries != 6 {
				t.Errorf("the refused target changed: %+v, %v", rep, err)
			}

			// A target with stray rows but no meta (say, a copy killed
			// before its cleanup) is refused too.
			other := e.New(t)
			if _, err := sqlstore.Init(ctx, other.Config); err != nil {
				t.Fatal(err)
			}
			other.Exec(t, `DELETE FROM meta`)
			other.Exec(t, `INSERT INTO events (seq, type, key, occurred_at, recorded_at, body) VALUES (0, 't', 'k', 'a', 'b', ?)`, []byte("{}"))
			if _, err := sqlstore.Copy(ctx, src, other.Config); err == nil || !strings.Contains(err.Error(), "events has 1 rows") {
				t.Errorf("copy into a database with stray events: %v", err)
			}

			// A database with the schema and no rows is empty: the copy goes in.
			empty := e.New(t)
			if _, err := sqlstore.Init(ctx, empty.Config); err != nil {
				t.Fatal(err)
			}
			empty.Exec(t, `DELETE FROM meta`)
			if _, err := sqlstore.Copy(ctx, src, empty.Config); err != nil {
				t.Errorf("copy into a migrated, empty database: %v", err)
			}
			// The source into itself.
			if _, err := sqlstore.Copy(ctx, src, srcDB.Config); err == nil {
				t.Error("copied a log into itself")
			}
		})
	}
}

func TestCopyRefusesTamperedSource(t *testing.T) {
	ctx := context.Background()
	srcDB := storetest.SQLite().New(t)
	copySource(t, srcDB)
	srcDB.Exec(t, `UPDATE persons SET status = 'released', facility_id = NULL WHERE id = ?`, string(storetest.Person(10).ID))
	src, err := sqlstore.OpenReadOnly(ctx, srcDB.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	to := sqlstore.Config{DB: filepath.Join(t.TempDir(), "sub", "copy.db")}
	_, err = sqlstore.Copy(ctx, src, to)
	var mm *sqlstore.Mismatch
	if !errors.As(err, &mm) || mm.Table != "persons" || !strings.Contains(err.Error(), "does not verify") {
		t.Fatalf("copy of a tampered source: %v; want its verify mismatch on persons", err)
	}
	if _, err := os.Stat(to.DB); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused copy left %s (%v)", to.DB, err)
	}
}

// TestCopyFailureCleansUp makes the target fail in the middle of a copy:
// what was written is removed, and a second copy goes in.
func TestCopyFailureCleansUp(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			srcDB := storetest.SQLite().New(t)
			entries := copySource(t, srcDB)
			src, err := sqlstore.OpenReadOnly(ctx, srcDB.Config)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			dstDB := e.New(t)
			if _, err := sqlstore.Init(ctx, dstDB.Config); err != nil {
				t.Fatal(err)
			}
			dstDB.Exec(t, `DELETE FROM meta`) // the schema alone: an empty target
			if e.Name == "postgres" {
				dstDB.Exec(t, `CREATE FUNCTION fail_at_500() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`)
				dstDB.Exec(t, `CREATE TRIGGER fail BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.seq = 500) EXECUTE FUNCTION fail_at_500()`)
			} else {
				dstDB.Exec(t, `CREATE TRIGGER fail BEFORE INSERT ON events WHEN NEW.seq = 500 BEGIN SELECT RAISE(ABORT, 'injected failure'); END`)
			}
			to := dstDB.Config
			to.MaxBatch = 100
			if _, err := sqlstore.Copy(ctx, src, to); err == nil || !strings.Contains(err.Error(), "injected failure") {
				t.Fatalf("copy into a failing target: %v", err)
			}
			for _, table := range []string{"events", "hashes", "checkpoints", "persons", "person_events", "meta"} {
				var n int
				if err := dstDB.Raw(t).QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil || n != 0 {
					t.Errorf("after a failed copy the target's %s has %d rows (%v)", table, n, err)
				}
			}
			dstDB.Exec(t, `DROP TRIGGER fail`+map[bool]string{true: " ON events", false: ""}[e.Name == "postgres"])
			rep, err := sqlstore.Copy(ctx, src, to)
			if err != nil || rep.Entries != entries {
				t.Fatalf("copy again: %+v, %v", rep, err)
			}
		})
	}
}

// TestCopyWhileAppending copies a source that another writer is appending
// to: the copy is the log at the size the source's verify saw.
func TestCopyWhileAppending(t *testing.T) {
	ctx := context.Background()
	srcDB := storetest.SQLite().New(t)
	copySource(t, srcDB)
	w, err := sqlstore.Open(ctx, srcDB.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := w.Append(ctx, storetest.Transfer("live", i, i%100, storetest.PrisonA, storetest.PrisonB)...); err != nil {
				// Person i%100 may be in prison B already: move them back.
				w.Append(ctx, storetest.Transfer("live-back", i, i%100, storetest.PrisonB, storetest.PrisonA)...)
			}
		}
	})
	src, err := sqlstore.OpenReadOnly(ctx, srcDB.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	to := sqlstore.Config{DB: filepath.Join(t.TempDir(), "copy.db")}
	rep, err := sqlstore.Copy(ctx, src, to)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	root, err := src.TreeHash(ctx, rep.Entries)
	if err != nil {
		t.Fatal(err)
	}
	now, _ := src.Size(ctx)
	t.Logf("copied %d entries; the source has %d now", rep.Entries, now)
	if rep.Root != root {
		t.Errorf("copy of %d entries has root %s, the source's tree of that size %s", rep.Entries, rep.Root, root)
	}
}
