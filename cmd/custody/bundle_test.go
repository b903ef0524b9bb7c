package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// TestBundle: a person's bundle, taken to a directory with no database,
// verifies with the published key; a changed byte fails naming the entry;
// a consul of another country is refused the bundle.
func TestBundle(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	smallLog(t, sqlstore.Config{DB: db})
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	verifier := s.VerifierKey()
	s.Close()
	p := storetest.Person(3) // transferred: registered, admitted, transferred
	out := filepath.Join(dir, "bundle.txt")
	r := runOK(t, nil, "bundle", "--db", db, "--person", string(p.ID), "--out", out)
	if !strings.Contains(r.stdout, "3 events proved") {
		t.Errorf("bundle printed %q", r.stdout)
	}
	if r := run(ctx, nil, "bundle", "--db", db, "--person", string(p.ID), "--out", out); r.code == 0 {
		t.Error("bundle overwrote an existing file")
	}
	// Taken home: a directory with the bundle and nothing else.
	home := t.TempDir()
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	taken := filepath.Join(home, "bundle.txt")
	if err := os.WriteFile(taken, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r = runOK(t, nil, "verify-bundle", "--verifier-key", verifier, "--in", taken)
	if !strings.Contains(r.stdout, "bundle verified: 3 events of "+string(p.ID)) || !strings.Contains(r.stdout, "custody.transferred") {
		t.Errorf("verify-bundle printed %q", r.stdout)
	}
	// One byte of the second entry's event changed.
	i := strings.Index(string(data), "\nentry 2\n")
	j := i + strings.Index(string(data[i:]), "\nevent ") + len("\nevent ") + 10
	bad := []byte(string(data))
	bad[j] ^= 1
	if err := os.WriteFile(taken, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(ctx, nil, "verify-bundle", "--verifier-key", verifier, "--in", taken)
	if r.code != exitMismatch || !strings.Contains(r.stderr, "entry 2 (log index") {
		t.Errorf("verify-bundle of a changed bundle: exit %d, %q", r.code, r.stderr)
	}
	// Scope: a Swedish consul gets only Swedish nationals' bundles.
	runOK(t, nil, "user", "add", "--db", db, "--name", "consul.se", "--role", "consular", "--nationality", "SE", "--no-password")
	for i, want := range map[int]bool{3: true, 2: false} { // Person(3) is SE, Person(2) TN
		q := storetest.Person(i)
		r := run(ctx, nil, "bundle", "--db", db, "--person", string(q.ID), "--user", "consul.se", "--out", filepath.Join(dir, string(q.ID)+".txt"))
		if (r.code == 0) != want {
			t.Errorf("bundle of %s (%v) as the Swedish consul: exit %d %s", q.ID, q.Nationalities, r.code, r.stderr)
		}
	}
}
