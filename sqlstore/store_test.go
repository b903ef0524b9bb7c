package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// newStore creates a fresh SQLite store in a temporary directory.
func newStore(t testing.TB) (*sqlstore.Store, sqlstore.Config) {
	t.Helper()
	ctx := context.Background()
	cfg := sqlstore.Config{DB: filepath.Join(t.TempDir(), "custody.db")}
	if _, err := sqlstore.Init(ctx, cfg); err != nil {
		t.Fatalf("init: %v", err)
	}
	s, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, cfg
}

// load appends the synthetic world and n registrations.
func load(t testing.TB, s *sqlstore.Store, n int) {
	t.Helper()
	ctx := context.Background()
	reqs := storetest.Setup("t")
	reqs = append(reqs, storetest.Registrations("t", 0, n, storetest.PrisonA)...)
	res, err := s.AppendBatch(ctx, reqs)
	if err != nil {
		t.Fatalf("append: %v", err)
	}
	for i, r := range res {
		if r.Err != nil {
			t.Fatalf("request %d rejected: %v", i, r.Err)
		}
	}
}
