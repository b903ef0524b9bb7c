package main

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/sqlstore"
)

func (m *Main) runVerify(ctx context.Context, args []string) error {
	fs := m.flags("verify")
	db := m.dbFlag(fs)
	keyFile := m.keyFlag(fs)
	vkey := fs.String("verifier-key", "", "the published verifier `key` to check checkpoints against (default: the signing key file's, else the database's own)")
	if err := parse(fs, args); err != nil {
		return err
	}
	tuneGC()
	cfg := sqlstore.Config{DB: *db, KeyFile: *keyFile}
	s, err := sqlstore.OpenReadOnly(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	key := *vkey
	if key == "" {
		// The key file beside the database is the trust anchor this side of
		// a published key: a verifier key edited in the database must not
		// vouch for itself.
		if k, err := ledger.ReadKeyFileVerifier(cfg.KeyFilePath()); err == nil {
			key = k
		}
	}
	rep, err := s.Verify(ctx, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "ok: %d entries, tree size %d, root hash %s, %d checkpoints, %d persons\n",
		rep.Entries, rep.Entries, rep.Root, rep.Checkpoints, rep.Persons)
	return nil
}

// tuneGC trades memory for speed in verify, which allocates much and keeps
// little: the collector runs half as often as by default. (A soft memory
// limit was tried and dropped: once the replayed state of a large log
// outgrows it, the collector runs without pause and verify slows fourfold.)
func tuneGC() {
	debug.SetGCPercent(200)
}
