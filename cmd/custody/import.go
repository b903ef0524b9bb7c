package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/exchange"
	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/personindex"
	"github.com/opencustody/custody/sqlstore"
)

// rowErrors is the error of an import with bad rows; each row error is
// printed on its own line before it.
type rowErrors struct{ n int }

func (e *rowErrors) Error() string {
	return fmt.Sprintf("%d bad rows: nothing imported", e.n)
}

// maxRosterBytes bounds a roster file: a facility's roll is thousands of
// rows, a few megabytes at most, and a malformed workbook of many
// megabytes can keep the XLSX reader busy for seconds.
const maxRosterBytes = 16 << 20

// runImport registers the persons of a facility roster (CSV or XLSX) and
// admits them to one facility, all in one request: every row is checked
// first (fields, the record, IDs, the duplicate check) and a file with any
// bad row imports nothing. --dry-run only checks.
func (m *Main) runImport(ctx context.Context, args []string) error {
	fs := m.flags("import")
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	facility := fs.String("facility", "", "the `facility` that admits every person (required)")
	user := fs.String("user", "", "the user recording the import (required)")
	authority := fs.String("authority", "", "the `authority` the user acts for, which ordered the detentions (required)")
	format := fs.String("format", "", "csv or xlsx (default: from the file's extension)")
	mapFile := fs.String("map", "", "column mapping `file`: JSON {\"header\": \"field\"} over the default headers")
	dryRun := fs.Bool("dry-run", false, "check every row and list the bad ones; record nothing")
	allowDup := fs.Bool("allow-duplicates", false, "import persons the duplicate check finds probably registered already")
	grounds := fs.String("grounds", "", "grounds of detention recorded on each admission (default: the roster's name)")
	takenBy := fs.String("taken-by", "", "who took the persons (default: the user)")
	site := fs.String("site", "", "where the import is recorded")
	if err := fs.Parse(args); err != nil {
		return errUsageOr(err)
	}
	var file string
	switch fs.NArg() {
	case 0:
	case 1:
		file = fs.Arg(0)
	default:
		fmt.Fprintf(m.Stderr, "custody import: one roster FILE, after the flags (got %q)\n", fs.Args())
		return errUsage
	}
	if file == "" || *facility == "" || *user == "" || *authority == "" {
		fmt.Fprintln(m.Stderr, "custody import: --facility, --user, --authority and the roster FILE are required")
		return errUsage
	}
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), ".")
	}
	if *format != exchange.FormatCSV && *format != exchange.FormatXLSX {
		fmt.Fprintf(m.Stderr, "custody import: --format %q is not csv or xlsx\n", *format)
		return errUsage
	}
	mapping := exchange.DefaultMapping()
	if *mapFile != "" {
		f, err := os.Open(*mapFile)
		if err != nil {
			return fmt.Errorf("column mapping: %w", err)
		}
		mapping, err = exchange.ParseMapping(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *mapFile, err)
		}
	}
	if fi, err := os.Stat(file); err != nil {
		return fmt.Errorf("read roster: %w", err)
	} else if fi.Size() > maxRosterBytes {
		return fmt.Errorf("read roster: %s is %d bytes, more than a roster's %d: split it", file, fi.Size(), maxRosterBytes)
	}
	content, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("read roster: %w", err)
	}
	rows, bad, err := exchange.ReadRoster(bytes.NewReader(content), *format, mapping)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}

	open := sqlstore.Open
	if *dryRun {
		open = func(ctx context.Context, cfg sqlstore.Config) (*sqlstore.Store, error) {
			return sqlstore.OpenReadOnly(ctx, cfg)
		}
	}
	s, err := open(ctx, sqlstore.Config{DB: *db, KeyFile: *key, Logger: m.logger()})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Facility(ctx, custody.FacilityID(*facility)); err != nil {
		return fmt.Errorf("--facility %s: %w", *facility, err)
	}
	reg, err := newRegister(ctx, s, m)
	if err != nil {
		return err
	}
	rows, more, err := exchange.CheckRoster(ctx, rows, reg, *allowDup)
	if err != nil {
		return err
	}
	bad = append(bad, more...)
	exchange.SortErrors(bad)
	for _, e := range bad {
		fmt.Fprintf(m.Stderr, "%s: %v\n", file, e)
	}
	if len(bad) > 0 {
		return &rowErrors{len(bad)}
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: no rows to import", file)
	}
	if *dryRun {
		fmt.Fprintf(m.Stdout, "dry run: %d rows good, none bad; nothing recorded\n", len(rows))
		return nil
	}

	sum := sha256.Sum256(content)
	tag := hex.EncodeToString(sum[:6])
	if *grounds == "" {
		*grounds = "registered from the roster " + filepath.Base(file)
	}
	if *takenBy == "" {
		*takenBy = *user
	}
	now := time.Now()
	by := custody.Actor{User: *user, Authority: custody.AuthorityID(*authority), Site: *site}
	events := make([]custody.Event, 0, 2*len(rows))
	for _, r := range rows {
		p := r.Person
		// Keys from the file's hash: importing the same file again
		// replays the first import instead of failing half-way.
		k := fmt.Sprintf("import-%s-%s", tag, p.ID)
		events = append(events,
			custody.NewEvent(&custody.PersonRegistered{Person: p}, now, now, by, k+"-registered"),
			custody.NewEvent(&custody.Admitted{Person: p.ID, Facility: custody.FacilityID(*facility), TakenBy: *takenBy,
				OrderedBy: custody.AuthorityID(*authority), Grounds: *grounds}, now, now, by, k+"-admitted"))
	}
	res, err := s.Append(ctx, events...)
	if err != nil {
		return fmt.Errorf("%s: nothing imported: %w", file, err)
	}
	verb := "registered and admitted"
	if res.Replayed {
		verb = "already imported (same file):"
	}
	fmt.Fprintf(m.Stdout, "%s %d persons to %s at log indexes %d to %d\n", verb, len(rows), *facility, res.Seqs[0], res.Seqs[len(res.Seqs)-1])
	return nil
}

// register is the register as the import checks it: the IDs registered
// now and the names index.
type register struct {
	ids map[custody.PersonID]bool
	idx *personindex.Index
}

func newRegister(ctx context.Context, s *sqlstore.Store, m *Main) (*register, error) {
	_, persons, err := s.PersonDocs(ctx)
	if err != nil {
		return nil, err
	}
	ids := make(map[custody.PersonID]bool, len(persons))
	for _, p := range persons {
		ids[p.Person.ID] = true
	}
	return &register{ids: ids, idx: personindex.New(ctx, s, m.logger())}, nil
}

func (r *register) Registered(_ context.Context, id custody.PersonID) (bool, error) {
	return r.ids[id], nil
}

func (r *register) Search(ctx context.Context, p *custody.Person) ([]names.Match, error) {
	return r.idx.Search(ctx, personindex.Query(p), 5, nil)
}

// errUsageOr passes flag.ErrHelp on and turns any other flag error
// (already printed) into errUsage.
func errUsageOr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return errUsage
}
