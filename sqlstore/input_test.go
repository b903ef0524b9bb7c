package sqlstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// TestUnreachablePostgres points the store at a PostgreSQL server that is
// not there: Open, OpenReadOnly and Init each fail with an error that names
// the server and the reason, hides the password and holds no stack trace,
// and Init writes no key file. It needs no server, so it always runs.
func TestUnreachablePostgres(t *testing.T) {
	ctx := context.Background()
	cfg := sqlstore.Config{
		DB:      "postgres://postgres:s3cret@127.0.0.1:1/x?connect_timeout=2",
		KeyFile: filepath.Join(t.TempDir(), "custody.key"),
	}
	calls := []struct {
		name string
		call func() error
	}{
		{"Open", func() error {
			s, err := sqlstore.Open(ctx, cfg)
			if err == nil {
				s.Close()
			}
			return err
		}},
		{"OpenReadOnly", func() error {
			s, err := sqlstore.OpenReadOnly(ctx, cfg)
			if err == nil {
				s.Close()
			}
			return err
		}},
		{"Init", func() error { _, err := sqlstore.Init(ctx, cfg); return err }},
	}
	for _, c := range calls {
		err := c.call()
		storetest.CheckUserError(t, c.name, err, "127.0.0.1:1", "connection refused")
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: error %q shows the password", c.name, err)
		}
	}
	if _, err := os.Stat(cfg.KeyFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed init left a key file %s (%v)", cfg.KeyFile, err)
	}
}
