package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/sqlstore"
)

// tamperLog is a small realistic log, its store closed, and the log
// indexes of the events the tamper cases edit.
type tamperLog struct {
	*fixture
	entries   int64
	regSeq    int64   // registration of person tamperPerson
	escapeSeq int64   // an escape closed by a recapture
	cps       []int64 // checkpoint sizes, ascending
}

// tamperPerson is the person the projection cases edit: registered, then
// held in PrisonA. Their name is "Muhammad Ahmad", nationality TN.
const tamperPerson = 150

// buildTamperLog builds the synthetic world, 300 registrations, 100
// transfers, hospitalisations and a return, an escape and its recapture,
// an escape still open, a release, a death, an identity correction and a
// change of control, then closes the store.
func buildTamperLog(t *testing.T, e Engine) *tamperLog {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t, e)
	s := f.s
	MustAppend(t, s, Setup("tl"))
	MustAppend(t, s, Registrations("tl", 0, 300, PrisonA))
	var transfers [][]custody.Event
	for i := range 100 {
		transfers = append(transfers, Transfer("tl", i, i, PrisonA, PrisonB))
	}
	MustAppend(t, s, transfers)

	l := &tamperLog{fixture: f}
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
	one(&custody.Hospitalised{Person: pid(200), From: PrisonA, Hospital: Hospital, Reason: "injury"})
	one(&custody.Hospitalised{Person: pid(201), From: PrisonA, Hospital: Hospital, Reason: "fever"})
	one(&custody.Returned{Person: pid(201), Hospital: Hospital, Facility: PrisonA})
	l.escapeSeq = one(&custody.Escaped{Person: pid(202), Facility: PrisonA, Circumstances: "during clashes"})
	one(&custody.Recaptured{Person: pid(202), Escape: l.escapeSeq, Facility: PrisonB, TakenBy: "patrol"})
	one(&custody.Escaped{Person: pid(203), Facility: PrisonA})
	one(&custody.Released{Person: pid(204), Facility: PrisonA, Reason: "court-order", AuthorisedBy: "sdf"})
	one(&custody.Died{Person: pid(205), Facility: PrisonA, Circumstances: "in custody", Cause: "illness", Remains: "returned to family"})
	corrected := Person(206)
	corrected.Nationalities = []string{"SY", "TR"}
	one(&custody.IdentityCorrected{Corrects: 6 + 2*206, Reason: "second nationality documented", Person: corrected})
	one(&custody.ControlChanged{Facility: PrisonB, From: "sdf", To: "iraq-moj", Circumstances: "handed over"})

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
	for _, cp := range checkpoints(t, f) {
		l.cps = append(l.cps, cp.size)
	}
	if len(l.cps) < 5 {
		t.Fatalf("only %d checkpoints: want one per commit", len(l.cps))
	}
	return l
}

// A tamper edits a database behind the store's back.
type tamper func(t *testing.T, d *DB)

// execOne returns a tamper that runs one statement (? placeholders), which
// must change exactly one row.
func execOne(query string, args ...any) tamper {
	return func(t *testing.T, d *DB) {
		t.Helper()
		execOneOn(t, d, query, args...)
	}
}

func execOneOn(t *testing.T, d *DB, query string, args ...any) {
	t.Helper()
	n, err := d.Exec(t, query, args...).RowsAffected()
	if err != nil || n != 1 {
		t.Fatalf("tamper: %s changed %d rows (%v), want 1", query, n, err)
	}
}

// editBody returns a tamper that replaces old with new in the stored body
// of event seq, in SQL: the body is a BLOB on SQLite and a BYTEA on
// PostgreSQL, edited as text.
func editBody(seq int64, old, new string) tamper {
	return func(t *testing.T, d *DB) {
		t.Helper()
		q := `UPDATE events SET body = CAST(replace(CAST(body AS TEXT), ?, ?) AS BLOB) WHERE seq = ? AND instr(body, ?) > 0`
		if d.Engine() == "postgres" {
			q = `UPDATE events SET body = convert_to(replace(convert_from(body, 'UTF8'), ?, ?), 'UTF8') WHERE seq = ? AND position(convert_to(?, 'UTF8') in body) > 0`
		}
		execOneOn(t, d, q, old, new, seq, old)
	}
}

// editNote returns a tamper that changes one byte of the checkpoint of
// size size: in its signature line if sig, else in its root hash line.
func editNote(size int64, sig bool) tamper {
	return func(t *testing.T, d *DB) {
		t.Helper()
		var note []byte
		if err := d.Raw(t).QueryRow(d.Rebind(`SELECT note FROM checkpoints WHERE size = ?`), size).Scan(&note); err != nil {
			t.Fatalf("tamper: read checkpoint %d: %v", size, err)
		}
		lines := bytes.Split(note, []byte("\n"))
		line := 2 // "origin", "size", "root"
		if sig {
			line = len(lines) - 2 // the last line is empty after the final newline
			if !bytes.HasPrefix(lines[line], []byte("— ")) {
				t.Fatalf("tamper: line %q is not a signature", lines[line])
			}
		}
		b := lines[line]
		i := len(b) - 12 // inside the base64, clear of its padding
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		execOneOn(t, d, `UPDATE checkpoints SET note = ? WHERE size = ?`, bytes.Join(lines, []byte("\n")), size)
	}
}

// testTamper edits one stored value at a time behind the store's back,
// each on a log of its own, and checks that Verify names the table, the
// row and what differs.
func testTamper(t *testing.T, e Engine) {
	_, otherKey, err := ledger.GenerateKey(sqlstore.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	// What the cases need to know of the log is the same for every build
	// (checked below).
	const (
		entries   = 6 + 600 + 100 + 10
		regSeq    = 6 + 2*tamperPerson
		escapeSeq = 6 + 600 + 100 + 3
		midCp     = 710 // the checkpoint in the middle of 6, 606, 706, 707, ..., 716
	)
	person := string(Person(tamperPerson).ID)
	nat := Person(tamperPerson).Nationalities[0]
	leafIdx := tlog.StoredHashIndex(0, regSeq)
	innerIdx := tlog.StoredHashIndex(2, 40) // the subtree of records 160..163
	seq := fmt.Sprint(regSeq)

	cases := []struct {
		name   string
		tamper tamper // nil for none
		// the Mismatch Verify must return
		table, row, what string
	}{
		{name: "untampered"},

		// The log.
		{"event body: a name in it", editBody(regSeq, `"Muhammad Ahmad"`, `"Muhammad Ahmed"`),
			"events", seq, "leaf hash"},
		{"event body: not canonical", editBody(regSeq, `"type":`, `"type": `),
			"events", seq, "canonical"},
		{"event type column", execOne(`UPDATE events SET type = 'custody.released' WHERE seq = ?`, regSeq),
			"events", seq, "column type"},
		{"event key column", execOne(`UPDATE events SET key = key || '-x' WHERE seq = ?`, regSeq),
			"events", seq, "column key"},
		{"event occurred_at column", execOne(`UPDATE events SET occurred_at = '2025-12-31T23:59:59.000000Z' WHERE seq = ?`, regSeq),
			"events", seq, "column occurred_at"},
		{"event deleted", execOne(`DELETE FROM events WHERE seq = ?`, regSeq),
			"events", fmt.Sprint(regSeq + 1), "gap"},
		{"stored leaf hash", execOne(`UPDATE hashes SET hash = ? WHERE idx = ?`, make([]byte, 32), leafIdx),
			"hashes", fmt.Sprint(leafIdx), "differs"},
		{"stored inner hash", execOne(`UPDATE hashes SET hash = ? WHERE idx = ?`, make([]byte, 32), innerIdx),
			"hashes", fmt.Sprint(innerIdx), "differs"},
		{"stored hash deleted", execOne(`DELETE FROM hashes WHERE idx = ?`, innerIdx),
			"hashes", fmt.Sprint(innerIdx), "missing"},
		{"log head", execOne(`UPDATE log_head SET size = size + 1 WHERE id = 1`),
			"log_head", "1", fmt.Sprintf("the log has %d entries", entries)},
		{"checkpoint signature", editNote(midCp, true),
			"checkpoints", fmt.Sprint(midCp), "signature"},
		{"checkpoint body", editNote(midCp, false),
			"checkpoints", fmt.Sprint(midCp), "signature"},
		{"last checkpoint deleted", execOne(`DELETE FROM checkpoints WHERE size = ?`, entries),
			"checkpoints", fmt.Sprint(entries), fmt.Sprintf("log has %d entries", entries)},

		// The projections.
		{"persons status", execOne(`UPDATE persons SET status = 'released' WHERE id = ?`, person),
			"persons", person, "column status"},
		{"persons facility_id", execOne(`UPDATE persons SET facility_id = ? WHERE id = ?`, string(PrisonB), person),
			"persons", person, "column facility_id"},
		{"persons doc", execOne(`UPDATE persons SET doc = replace(doc, 'Muhammad Ahmad', 'Muhammad Ahmed') WHERE id = ? AND doc LIKE '%Muhammad Ahmad%'`, person),
			"persons", person, "column doc"},
		{"persons row deleted", execOne(`DELETE FROM persons WHERE id = ?`, person),
			"persons", person, "missing"},
		{"facilities population", execOne(`UPDATE facilities SET population = population + 1 WHERE id = ?`, string(PrisonA)),
			"facilities", string(PrisonA), "column population"},
		{"facilities controller", execOne(`UPDATE facilities SET controller = 'iraq-moj' WHERE id = ?`, string(PrisonA)),
			"facilities", string(PrisonA), "column controller"},
		{"authorities name", execOne(`UPDATE authorities SET name = 'Someone else' WHERE id = 'iraq-moj'`),
			"authorities", "iraq-moj", "column name"},
		{"person_nationalities row deleted", execOne(`DELETE FROM person_nationalities WHERE person_id = ? AND country = ?`, person, nat),
			"person_nationalities", person + "/" + nat, "missing"},
		{"person_nationalities row added", execOne(`INSERT INTO person_nationalities (person_id, country) VALUES (?, 'FR')`, person),
			"person_nationalities", person + "/FR", "extra row"},
		{"person_events row deleted", execOne(`DELETE FROM person_events WHERE person_id = ? AND seq = ?`, person, regSeq),
			"person_events", person + "/" + seq, "missing"},
		{"escapes closed_by", execOne(`UPDATE escapes SET closed_by = NULL WHERE seq = ?`, escapeSeq),
			"escapes", fmt.Sprint(escapeSeq), "column closed_by"},

		// The trust anchor.
		{"meta verifier_key", execOne(`UPDATE meta SET value = ? WHERE key = 'verifier_key'`, otherKey),
			"meta", "verifier_key", "verifier key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			l := buildTamperLog(t, e)
			if l.entries != entries || l.regSeq != regSeq || l.escapeSeq != escapeSeq || l.cps[len(l.cps)/2] != midCp || l.cps[len(l.cps)-1] != entries {
				t.Fatalf("the log has %d entries, registration at %d, escape at %d, checkpoints %v; the cases expect %d, %d, %d, middle checkpoint %d",
					l.entries, l.regSeq, l.escapeSeq, l.cps, entries, regSeq, escapeSeq, midCp)
			}
			if tc.tamper != nil {
				tc.tamper(t, l.db)
			}
			s, err := sqlstore.OpenReadOnly(ctx, l.db.Config)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer s.Close()
			rep, err := s.Verify(ctx, l.verifier)
			if tc.table == "" {
				if err != nil {
					t.Fatalf("verify of an untampered log: %v", err)
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
