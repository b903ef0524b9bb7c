package main

import (
	"context"
	"fmt"

	"github.com/opencustody/custody/sqlstore"
)

func (m *Main) runInit(ctx context.Context, args []string) error {
	fs := m.flags("init")
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	origin := fs.String("origin", sqlstore.DefaultOrigin, "the log's `name` in checkpoints (a URL-like origin)")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg := sqlstore.Config{DB: *db, KeyFile: *key, Origin: *origin}
	vkey, err := sqlstore.Init(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "created %s and its signing key %s (mode 0600)\n", sqlstore.Redact(*db), cfg.KeyFilePath())
	fmt.Fprintf(m.Stdout, "verifier key: %s\n", vkey)
	return nil
}
