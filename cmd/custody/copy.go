package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/sqlstore"
)

// runCopy copies a whole log from one store to another (any engine to any
// engine): the same events, tree, checkpoints and key.
func (m *Main) runCopy(ctx context.Context, args []string) error {
	fs := m.flags("copy")
	from := fs.String("from", "", "the source database `path` or postgres:// URL (required)")
	to := fs.String("to", "", "the target database `path` or postgres:// URL: a new file or an empty database (required)")
	keyFile := m.keyFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		fmt.Fprintln(m.Stderr, "custody copy: --from and --to are both required")
		fs.Usage()
		return errUsage
	}
	tuneGC()
	src, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *from, KeyFile: *keyFile})
	if err != nil {
		return err
	}
	defer src.Close()
	key := sqlstore.Config{DB: *from, KeyFile: *keyFile}.KeyFilePath()
	// The source's key file, if it is here, is the trust anchor this side
	// of a published key (as for verify): a verifier key edited in the
	// database must not vouch for itself.
	switch k, err := ledger.ReadKeyFileVerifier(key); {
	case err == nil && k != src.VerifierKey():
		return &sqlstore.Mismatch{Table: "meta", Row: "verifier_key",
			What: fmt.Sprintf("the source's verifier key %q is not that of the signing key file %s (%q)", src.VerifierKey(), key, k)}
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(m.Stderr, "custody copy: warning: no signing key file at %s: the copy can be read and verified, but appending to it needs the source's key\n", key)
	case err != nil:
		return err
	}
	log := m.logger()
	rep, err := sqlstore.Copy(ctx, src, sqlstore.Config{DB: *to, Logger: log})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "copied %d entries, %d checkpoints, %d persons from %s to %s in %s (%d transactions): tree size %d, root hash %s, verified\n",
		rep.Entries, rep.Checkpoints, rep.Persons, src.Path(), sqlstore.Redact(*to), rep.Elapsed.Round(1e6), rep.Batches, rep.Entries, rep.Root)
	fmt.Fprintf(m.Stdout, "the log keeps its origin %s and verifier key %s; no key was created or copied\n", rep.Origin, rep.VerifierKey)
	fmt.Fprintf(m.Stdout, "the signing key stays in %s: to append to %s, give it that key file (--key %s, or CUSTODY_KEY=%s)",
		key, sqlstore.Redact(*to), key, key)
	if !sqlstore.IsPostgres(*to) {
		fmt.Fprintf(m.Stdout, " or put a copy of it at %s", sqlstore.Config{DB: *to}.KeyFilePath())
	}
	fmt.Fprintln(m.Stdout)
	return nil
}
