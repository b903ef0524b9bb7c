package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// tamperLog is a small realistic log, closed, and the log indexes of the
// events the tamper cases edit.
type tamperLog struct {
	cfg       sqlstore.Config
	entries   int64
	regSeq    int64   // registration of person tamperPerson
	escapeSeq int64   // an escape closed by a recapture
	recapSeq  int64   // that recapture
	cps       []int64 // checkpoint sizes, ascending
}

// tamperPerson is the person the projection cases edit: registered, then
// held in bench-prison-a.
const tamperPerson = 150

var testActor = custody.Actor{User: "test.registrar", Authority: "sdf", Site: "test"}

// event returns an event recorded at field time at, with key.
func event(p custody.Payload, at time.Time, key string) custody.Event {
	return custody.NewEvent(p, at, at, testActor, key)
}

// buildTamperLog builds the synthetic world, 300 registrations, 100
// transfers, hospitalisations and a return, an escape and its recapture,
// an escape still open, a release, a death, an identity correction and a
// change of control, then closes the store.
func buildTamperLog(t *testing.T) *tamperLog {
	t.Helper()
	ctx := context.Background()
	s, cfg := newStore(t)
	mustAppendAll(t, s, storetest.Setup("tl"))
	mustAppendAll(t, s, storetest.Registrations("tl", 0, 300, storetest.PrisonA))
	var transfers [][]custody.Event
	for i := range 100 {
		transfers = append(transfers, storetest.Transfer("tl", i, i, storetest.PrisonA, storetest.PrisonB))
	}
	mustAppendAll(t, s, transfers)

	l := &tamperLog{cfg: cfg}
	at := time.Date(2026, 1, 20, 10, 0, 0, 0, time.UTC)
	n := 0
	one := func(p custody.Payload) int64 {
		t.Helper()
		n++
		res, err := s.Append(ctx, event(p, at.Add(time.Duration(n)*time.Minute), fmt.Sprintf("tl-incident-%d", n)))
		if err != nil {
			t.Fatalf("append %s: %v", p.EventType(), err)
		}
		return res.Seqs[0]
	}
	pid := func(i int) custody.PersonID { return storetest.Person(i).ID }
	one(&custody.Hospitalised{Person: pid(200), From: storetest.PrisonA, Hospital: storetest.Hospital, Reason: "injury"})
	one(&custody.Hospitalised{Person: pid(201), From: storetest.PrisonA, Hospital: storetest.Hospital, Reason: "fever"})
	one(&custody.Returned{Person: pid(201), Hospital: storetest.Hospital, Facility: storetest.PrisonA})
	l.escapeSeq = one(&custody.Escaped{Person: pid(202), Facility: storetest.PrisonA, Circumstances: "during clashes"})
	l.recapSeq = one(&custody.Recaptured{Person: pid(202), Escape: l.escapeSeq, Facility: storetest.PrisonB, TakenBy: "patrol"})
	one(&custody.Escaped{Person: pid(203), Facility: storetest.PrisonA})
	one(&custody.Released{Person: pid(204), Facility: storetest.PrisonA, Reason: "court-order", AuthorisedBy: "sdf"})
	one(&custody.Died{Person: pid(205), Facility: storetest.PrisonA, Circumstances: "in custody", Cause: "illness", Remains: "returned to family"})
	corrected := storetest.Person(206)
	corrected.Nationalities = []string{"SY", "TR"}
	one(&custody.IdentityCorrected{Corrects: 6 + 2*206, Reason: "second nationality documented", Person: corrected})
	one(&custody.ControlChanged{Facility: storetest.PrisonB, From: "sdf", To: "iraq-moj", Circumstances: "handed over"})

	l.regSeq = 6 + 2*tamperPerson
	if e, _, err := s.Event(ctx, l.regSeq); err != nil || e.Type != custody.TypePersonRegistered {
		t.Fatalf("event %d is %v (%v), want the registration of person %d", l.regSeq, e.Type, err, tamperPerson)
	}
	var err error
	if l.entries, err = s.Size(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db := sqlDB(t, cfg.DB)
	rows, err := db.Query(`SELECT size FROM checkpoints ORDER BY size`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var size int64
		if err := rows.Scan(&size); err != nil {
			t.Fatal(err)
		}
		l.cps = append(l.cps, size)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(l.cps) < 5 {
		t.Fatalf("only %d checkpoints: want one per commit", len(l.cps))
	}
	return l
}

// copyStore copies a closed store (database and key file) to a new
// directory.
func copyStore(t *testing.T, cfg sqlstore.Config) sqlstore.Config {
	t.Helper()
	dst := sqlstore.Config{DB: filepath.Join(t.TempDir(), "copy.db")}
	for _, suffix := range []string{"", "-wal", "-shm", ".key"} {
		copyFile(t, cfg.DB+suffix, dst.DB+suffix)
	}
	return dst
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// sqlDB opens the database file directly, behind the store's back.
func sqlDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// execSQL returns a tamper that runs one statement, which must change
// exactly one row.
func execSQL(query string, args ...any) func(*sql.DB) error {
	return func(db *sql.DB) error {
		r, err := db.Exec(query, args...)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("%s changed %d rows (%v), want 1", query, n, err)
		}
		return nil
	}
}

// editNote returns a tamper that changes one byte of the checkpoint of
// size size: in its signature line if sig, else in its root hash line.
func editNote(size int64, sig bool) func(*sql.DB) error {
	return func(db *sql.DB) error {
		var note []byte
		if err := db.QueryRow(`SELECT note FROM checkpoints WHERE size = ?`, size).Scan(&note); err != nil {
			return err
		}
		lines := bytes.Split(note, []byte("\n"))
		line := 2 // "origin", "size", "root"
		if sig {
			line = len(lines) - 2 // the last line is empty after the final newline
			if !bytes.HasPrefix(lines[line], []byte("— ")) {
				return fmt.Errorf("line %q is not a signature", lines[line])
			}
		}
		b := lines[line]
		i := len(b) - 12 // inside the base64, clear of its padding
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		_, err := db.Exec(`UPDATE checkpoints SET note = ? WHERE size = ?`, bytes.Join(lines, []byte("\n")), size)
		return err
	}
}

// TestTamper edits one stored value at a time behind the store's back and
// checks that Verify names the table, the row and what differs.
func TestTamper(t *testing.T) {
	l := buildTamperLog(t)
	ctx := context.Background()
	keyFile := l.cfg.DB + ".key"
	verifier, err := ledger.ReadKeyFileVerifier(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, err := ledger.GenerateKey("custody.local/log")
	if err != nil {
		t.Fatal(err)
	}
	person := string(storetest.Person(tamperPerson).ID)
	nat := storetest.Person(tamperPerson).Nationalities[0]
	midCp, lastCp := l.cps[len(l.cps)/2], l.cps[len(l.cps)-1]
	if lastCp != l.entries {
		t.Fatalf("last checkpoint %d, log %d entries", lastCp, l.entries)
	}
	leafIdx := tlog.StoredHashIndex(0, l.regSeq)
	innerIdx := tlog.StoredHashIndex(2, 40) // the subtree of records 160..163
	seq := fmt.Sprint(l.regSeq)

	cases := []struct {
		name   string
		tamper func(*sql.DB) error
		// the Mismatch Verify must return
		table, row, what string
	}{
		{name: "untampered"},

		// The log.
		{"event body: a name in it", execSQL(`UPDATE events SET body = CAST(replace(CAST(body AS TEXT), '"Muhammad Ahmad"', '"Muhammad Ahmed"') AS BLOB) WHERE seq = ? AND instr(body, '"Muhammad Ahmad"')`, l.regSeq),
			"events", seq, "leaf hash"},
		{"event body: not canonical", execSQL(`UPDATE events SET body = CAST(replace(CAST(body AS TEXT), '"type":', '"type": ') AS BLOB) WHERE seq = ? AND instr(body, '"type":')`, l.regSeq),
			"events", seq, "canonical"},
		{"event type column", execSQL(`UPDATE events SET type = 'custody.released' WHERE seq = ?`, l.regSeq),
			"events", seq, "column type"},
		{"event key column", execSQL(`UPDATE events SET key = key || '-x' WHERE seq = ?`, l.regSeq),
			"events", seq, "column key"},
		{"event occurred_at column", execSQL(`UPDATE events SET occurred_at = '2025-12-31T23:59:59.000000Z' WHERE seq = ?`, l.regSeq),
			"events", seq, "column occurred_at"},
		{"stored leaf hash", execSQL(`UPDATE hashes SET hash = zeroblob(32) WHERE idx = ?`, leafIdx),
			"hashes", fmt.Sprint(leafIdx), "differs"},
		{"stored inner hash", execSQL(`UPDATE hashes SET hash = zeroblob(32) WHERE idx = ?`, innerIdx),
			"hashes", fmt.Sprint(innerIdx), "differs"},
		{"stored hash deleted", execSQL(`DELETE FROM hashes WHERE idx = ?`, innerIdx),
			"hashes", fmt.Sprint(innerIdx), "missing"},
		{"checkpoint signature", editNote(midCp, true),
			"checkpoints", fmt.Sprint(midCp), "signature"},
		{"checkpoint body", editNote(midCp, false),
			"checkpoints", fmt.Sprint(midCp), "signature"},
		{"last checkpoint deleted", execSQL(`DELETE FROM checkpoints WHERE size = ?`, lastCp),
			"checkpoints", fmt.Sprint(lastCp), fmt.Sprintf("log has %d entries", l.entries)},

		// The projections.
		{"persons status", execSQL(`UPDATE persons SET status = 'released' WHERE id = ?`, person),
			"persons", person, "column status"},
		{"persons facility_id", execSQL(`UPDATE persons SET facility_id = ? WHERE id = ?`, storetest.PrisonB, person),
			"persons", person, "column facility_id"},
		{"persons doc", execSQL(`UPDATE persons SET doc = replace(doc, 'Muhammad Ahmad', 'Muhammad Ahmed') WHERE id = ? AND instr(doc, 'Muhammad Ahmad')`, person),
			"persons", person, "column doc"},
		{"facilities population", execSQL(`UPDATE facilities SET population = population + 1 WHERE id = ?`, storetest.PrisonA),
			"facilities", string(storetest.PrisonA), "column population"},
		{"facilities controller", execSQL(`UPDATE facilities SET controller = 'iraq-moj' WHERE id = ?`, storetest.PrisonA),
			"facilities", string(storetest.PrisonA), "column controller"},
		{"authorities name", execSQL(`UPDATE authorities SET name = 'Someone else' WHERE id = 'iraq-moj'`),
			"authorities", "iraq-moj", "column name"},
		{"person_nationalities row deleted", execSQL(`DELETE FROM person_nationalities WHERE person_id = ? AND country = ?`, person, nat),
			"person_nationalities", person + "/" + nat, "missing"},
		{"person_nationalities row added", execSQL(`INSERT INTO person_nationalities (person_id, country) VALUES (?, 'FR')`, person),
			"person_nationalities", person + "/FR", "extra row"},
		{"person_events row deleted", execSQL(`DELETE FROM person_events WHERE person_id = ? AND seq = ?`, person, l.regSeq),
			"person_events", person + "/" + seq, "missing"},
		{"escapes closed_by", execSQL(`UPDATE escapes SET closed_by = NULL WHERE seq = ?`, l.escapeSeq),
			"escapes", fmt.Sprint(l.escapeSeq), "column closed_by"},

		// The trust anchor.
		{"meta verifier_key", execSQL(`UPDATE meta SET value = ? WHERE key = 'verifier_key'`, otherKey),
			"meta", "verifier_key", "verifier key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := copyStore(t, l.cfg)
			if tc.tamper != nil {
				db := sqlDB(t, cfg.DB)
				if err := tc.tamper(db); err != nil {
					t.Fatalf("tamper: %v", err)
				}
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
			}
			s, err := sqlstore.OpenReadOnly(ctx, cfg)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer s.Close()
			rep, err := s.Verify(ctx, verifier)
			if tc.table == "" {
				if err != nil {
					t.Fatalf("verify of an untampered copy: %v", err)
				}
				if rep.Entries != l.entries || rep.Checkpoints != len(l.cps) || rep.Persons != 300 {
					t.Errorf("verify = %+v, want %d entries, %d checkpoints, 300 persons", rep, l.entries, len(l.cps))
				}
				return
			}
			var mm *sqlstore.Mismatch
			if !errors.As(err, &mm) {
				t.Fatalf("verify = %v, %v; want a *Mismatch in table %s row %s", rep, err, tc.table, tc.row)
			}
			if mm.Table != tc.table || mm.Row != tc.row || !strings.Contains(mm.What, tc.what) {
				t.Errorf("verify: %v\nwant table %s, row %s, what mentioning %q", mm, tc.table, tc.row, tc.what)
			}
		})
	}
}
