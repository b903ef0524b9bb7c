package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/exchange"
	"github.com/opencustody/custody/sqlstore"
)

// runExport writes the persons, the moves or the cases to a file as CSV, XLSX, JSON
// Lines or HXL-tagged CSV. With --user only what that user may read is
// written (their scope); without it, everything (an operator's export).
func (m *Main) runExport(ctx context.Context, args []string) error {
	fs := m.flags("export")
	db := m.dbFlag(fs)
	what := fs.String("what", "persons", "persons, moves or cases")
	format := fs.String("format", "csv", "csv, xlsx, jsonl or hxl")
	userName := fs.String("user", "", "export only what this user may read")
	out := fs.String("out", "", "output `file` (required; not overwritten)")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *out == "":
		fmt.Fprintln(m.Stderr, "custody export: --out is required")
		return errUsage
	case !slices.Contains([]string{"persons", "moves", "cases"}, *what):
		fmt.Fprintf(m.Stderr, "custody export: --what %q is not persons, moves or cases\n", *what)
		return errUsage
	case !slices.Contains(exchange.ExportFormats(), *format):
		fmt.Fprintf(m.Stderr, "custody export: --format %q is not one of %s\n", *format, strings.Join(exchange.ExportFormats(), ", "))
		return errUsage
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	var user *custody.User
	if *userName != "" {
		if user, _, err = s.User(ctx, *userName); err != nil {
			return fmt.Errorf("--user %s: %w", *userName, err)
		}
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	w := bufio.NewWriter(f)
	n, err := m.export(ctx, s, w, *what, *format, user)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return fmt.Errorf("export to %s: %w", *out, err)
	}
	scope := "everything"
	if user != nil {
		scope = "in the scope of " + user.Name
	}
	fmt.Fprintf(m.Stdout, "exported %d %s (%s) to %s\n", n, *what, scope, *out)
	return nil
}

func (m *Main) export(ctx context.Context, s *sqlstore.Store, w *bufio.Writer, what, format string, user *custody.User) (int, error) {
	if what == "cases" {
		cs, err := s.Cases(ctx, "")
		if err != nil {
			return 0, err
		}
		if user != nil {
			cs = exchange.ScopeCases(user, cs)
		}
		return len(cs), exchange.ExportCases(w, format, cs)
	}
	if what == "moves" {
		ms, err := moveRecords(ctx, s)
		if err != nil {
			return 0, err
		}
		if user != nil {
			ms = exchange.ScopeMoves(user, ms)
		}
		return len(ms), exchange.ExportMoves(w, format, ms)
	}
	_, persons, err := s.PersonDocs(ctx)
	if err != nil {
		return 0, err
	}
	recs := make([]sqlstore.PersonRecord, 0, len(persons))
	for _, p := range persons {
		r, err := s.PersonFacts(ctx, p.Person.ID)
		if err != nil {
			return 0, err
		}
		recs = append(recs, *r)
	}
	slices.SortFunc(recs, func(a, b sqlstore.PersonRecord) int {
		return strings.Compare(string(a.State.Person.ID), string(b.State.Person.ID))
	})
	if user != nil {
		recs = exchange.ScopePersons(user, recs)
	}
	return len(recs), exchange.ExportPersons(w, format, recs)
}

// moveRecords returns every move with the facts the access policy needs.
func moveRecords(ctx context.Context, s *sqlstore.Store) ([]exchange.MoveRecord, error) {
	ms, err := s.Moves(ctx)
	if err != nil {
		return nil, err
	}
	controller := map[custody.FacilityID]custody.AuthorityID{}
	ctl := func(id custody.FacilityID) (custody.AuthorityID, error) {
		if a, ok := controller[id]; ok {
			return a, nil
		}
		f, err := s.Facility(ctx, id)
		if err != nil {
			return "", err
		}
		controller[id] = f.Controller
		return f.Controller, nil
	}
	out := make([]exchange.MoveRecord, 0, len(ms))
	for _, v := range ms {
		rel, err := ctl(v.Origin)
		if err != nil {
			return nil, fmt.Errorf("move %s: %w", v.ID, err)
		}
		rcv, err := ctl(v.Destination)
		if err != nil {
			return nil, fmt.Errorf("move %s: %w", v.ID, err)
		}
		out = append(out, exchange.MoveRecord{Move: v, Facts: custody.MoveFacts{Origin: v.Origin, Releaser: rel, Escort: v.Escort, Receiver: rcv, Allocation: v.Allocation}})
	}
	return out, nil
}
