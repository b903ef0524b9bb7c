package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// TestAuditFileMove: reads that an older version recorded in the log's own
// SQLite file are moved into the audit file at the next open, in order,
// and are still listed; reads recorded after are listed after them.
func TestAuditFileMove(t *testing.T) {
	ctx := context.Background()
	d := storetest.SQLite().New(t)
	if _, err := sqlstore.Init(ctx, d.Config); err != nil {
		t.Fatal(err)
	}
	d.Exec(t, `INSERT INTO person_reads (at, user_name, person_id, route) VALUES
		('2026-01-02T03:04:05.000000Z', 'monitor', 'P-1', '/persons/{id}'),
		('2026-01-02T03:04:06.000000Z', 'consul', 'P-2', '/api/v1/persons/{id}')`)
	s, err := sqlstore.Open(ctx, d.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(sqlstore.AuditFile(d.Config.DB)); err != nil {
		t.Fatalf("no audit file beside the log: %v", err)
	}
	if err := s.RecordReads(ctx, sqlstore.PersonRead{User: "monitor", Person: "P-3", Route: "/persons/{id}"}); err != nil {
		t.Fatal(err)
	}
	reads, err := s.PersonReads(ctx, sqlstore.ReadFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range reads {
		got = append(got, r.User+" "+r.Person)
	}
	want := []string{"monitor P-3", "consul P-2", "monitor P-1"} // newest first
	if len(got) != len(want) {
		t.Fatalf("reads %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("reads %v, want %v", got, want)
		}
	}
	var left int
	if err := d.Raw(t).QueryRowContext(ctx, `SELECT count(*) FROM person_reads`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d reads left in the log's own file", left)
	}
}

// TestAuditFailsClosed: when the audit trail cannot be written, reads are
// refused (the caller must not show the record) until it can again, and
// the reads queued before are not lost.
func TestAuditFailsClosed(t *testing.T) {
	ctx := context.Background()
	d := storetest.SQLite().New(t)
	if _, err := sqlstore.Init(ctx, d.Config); err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(ctx, d.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	read := func(p string) error {
		return s.RecordReads(ctx, sqlstore.PersonRead{User: "monitor", Person: p, Route: "/persons/{id}"})
	}
	if err := read("P-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PersonReads(ctx, sqlstore.ReadFilter{}); err != nil { // flushes P-1
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+sqlstore.AuditFile(d.Config.DB)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`ALTER TABLE person_reads RENAME TO person_reads_gone`); err != nil {
		t.Fatal(err)
	}
	if err := read("P-2"); err != nil {
		t.Fatalf("the read queued before the failure was refused: %v", err)
	}
	refused := false
	for range 200 {
		if err := read("P-x"); err != nil {
			refused = strings.Contains(err.Error(), "audit trail cannot be written")
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !refused {
		t.Fatal("reads are still accepted while the audit trail cannot be written")
	}
	if _, err := raw.Exec(`ALTER TABLE person_reads_gone RENAME TO person_reads`); err != nil {
		t.Fatal(err)
	}
	var reads []sqlstore.PersonRead
	for range 200 {
		if reads, err = s.PersonReads(ctx, sqlstore.ReadFilter{Person: "P-2"}); err == nil && len(reads) == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(reads) != 1 {
		t.Fatalf("the read queued before the failure is not in the trail once mended: %v %v", reads, err)
	}
	if err := read("P-3"); err != nil {
		t.Fatalf("reads still refused once the trail is mended: %v", err)
	}
}
