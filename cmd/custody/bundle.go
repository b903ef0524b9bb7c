package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/bundle"
	"github.com/opencustody/custody/sqlstore"
)

// runBundle exports a person's proof bundle: their events, each with its
// inclusion proof in the latest signed checkpoint, the checkpoint and the
// verifier key, for `custody verify-bundle` to check with no database.
func (m *Main) runBundle(ctx context.Context, args []string) error {
	fs := m.flags("bundle")
	db := m.dbFlag(fs)
	person := fs.String("person", "", "the person's `ID`")
	out := fs.String("out", "", "write the bundle to `file` (refuses to overwrite)")
	user := fs.String("user", "", "export as this `user`: refused unless their scope admits the person (a consul's nationals, a registrar's facilities)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *person == "" || *out == "" {
		fmt.Fprintln(m.Stderr, "custody bundle: --person and --out are required")
		return errUsage
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	id := custody.PersonID(*person)
	rec, err := s.PersonFacts(ctx, id)
	if err != nil {
		return err
	}
	if *user != "" {
		u, _, err := s.User(ctx, *user)
		if err != nil {
			return err
		}
		if !custody.CanReadPerson(u, rec.Facts) {
			return fmt.Errorf("no person %q that %s may see", id, *user)
		}
	}
	tl, err := s.Timeline(ctx, id)
	if err != nil {
		return err
	}
	seqs := make([]int64, len(tl))
	for i, t := range tl {
		seqs[i] = t.Seq
	}
	b, later, err := bundle.Build(ctx, s, id, seqs)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if _, err := f.Write(b.Encode()); err != nil {
		f.Close()
		os.Remove(*out)
		return fmt.Errorf("bundle: write %s: %w", *out, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(*out)
		return fmt.Errorf("bundle: write %s: %w", *out, err)
	}
	fmt.Fprintf(m.Stdout, "bundle of %s: %d events proved in the checkpoint, written to %s\n", id, len(b.Entries), *out)
	if later > 0 {
		fmt.Fprintf(m.Stdout, "%d later events are not in it: they are after the latest signed checkpoint\n", later)
	}
	fmt.Fprintf(m.Stdout, "verifier key: %s\n", b.Verifier)
	return nil
}

// runVerifyBundle checks a proof bundle offline.
func (m *Main) runVerifyBundle(ctx context.Context, args []string) error {
	fs := m.flags("verify-bundle")
	vkey := fs.String("verifier-key", "", "the log's published verifier `key`: the bundle must carry this one (without it, the bundle's own key is reported for you to compare)")
	in := fs.String("in", "", "the bundle `file`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *in == "" {
		fmt.Fprintln(m.Stderr, "custody verify-bundle: --in is required: the bundle file")
		return errUsage
	}
	data, err := os.ReadFile(*in)
	if err != nil {
		return fmt.Errorf("read bundle: %w", err)
	}
	r, err := bundle.Verify(data, *vkey)
	if err != nil {
		var be *bundle.Error
		if errors.As(err, &be) {
			return &bundleInvalid{err}
		}
		return err
	}
	w := m.Stdout
	fmt.Fprintf(w, "bundle verified: %d events of %s are in the signed log of %d entries (root %s)\n", len(r.Events), r.Person, r.Size, base64.StdEncoding.EncodeToString(r.Root[:]))
	fmt.Fprintf(w, "signed by: %s\n", r.Verifier)
	if *vkey == "" {
		fmt.Fprintln(w, "compare that key with the one the log's operator publishes (or pass --verifier-key)")
	}
	for i, e := range r.Events {
		fmt.Fprintf(w, "%8d  %s  %s\n", r.Indexes[i], e.OccurredAt.UTC().Format("2006-01-02 15:04"), e.Type)
	}
	return nil
}

// bundleInvalid is a bundle that does not verify (exit status 2).
type bundleInvalid struct{ err error }

func (e *bundleInvalid) Error() string { return "bundle does NOT verify: " + e.err.Error() }
func (e *bundleInvalid) Unwrap() error { return e.err }
