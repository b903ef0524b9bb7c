package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/report"
	"github.com/opencustody/custody/sqlstore"
)

func (m *Main) runAlerts(ctx context.Context, args []string) error {
	fs := m.flags("alerts")
	db := m.dbFlag(fs)
	all := fs.Bool("all", false, "list closed alerts too, with what explained them")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	alerts, err := s.Alerts(ctx, !*all)
	if err != nil {
		return err
	}
	escapes, err := s.OpenEscapes(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Alerts  []*custody.Alert `json:"alerts"`
			Missing []custody.Escape `json:"missing_from_custody"`
		}{alerts, escapes})
	}
	open := 0
	for _, a := range alerts {
		if a.Open() {
			open++
		}
	}
	w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%d open discrepancy alerts\n", open)
	if len(alerts) > 0 {
		fmt.Fprintln(w, "alert\tmove\tstage\tcounted\texpected\topened\tstatus")
	}
	for _, a := range alerts {
		status := "OPEN"
		if !a.Open() {
			status = fmt.Sprintf("closed by event %d: %s", a.ClosedBy, a.Explanation)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%d\t%s\t%s\n", a.Seq, a.Move, a.Stage, a.Counted, a.Expected, a.At.Format(time.RFC3339), status)
	}
	fmt.Fprintf(w, "\n%d missing from custody (open escape clocks)\n", len(escapes))
	if len(escapes) > 0 {
		fmt.Fprintln(w, "escape\tperson\tfrom\tsince")
	}
	for _, e := range escapes {
		from := string(e.Facility)
		if e.Move != "" {
			from = "move " + string(e.Move)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", e.Seq, e.Person, from, e.At.Format(time.RFC3339))
	}
	return w.Flush()
}

func (m *Main) runMoves(ctx context.Context, args []string) error {
	fs := m.flags("moves")
	db := m.dbFlag(fs)
	id := fs.String("move", "", "show one move in full: its manifest, stages, handovers and counts")
	status := fs.String("status", "", "only moves at this `stage` (planned, boarding, departed, arrived, closed, aborted)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	if *id != "" {
		mv, err := s.Move(ctx, custody.MoveID(*id))
		if err != nil {
			return err
		}
		printMove(m.Stdout, mv)
		return nil
	}
	var stages []custody.MoveStatus
	if *status != "" {
		stages = append(stages, custody.MoveStatus(*status))
	}
	moves, err := s.Moves(ctx, stages...)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "move\tmode\tstatus\tfrom\tto\tescort\tdeparture\tmanifested\taboard")
	for _, mv := range moves {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", mv.ID, mv.Mode, mv.Status, mv.Origin, mv.Destination, mv.Escort, mv.Departure[:16], mv.Manifested, mv.Aboard)
	}
	fmt.Fprintf(w, "%d moves\n", len(moves))
	return w.Flush()
}

func printMove(out io.Writer, m *custody.MoveState) {
	mv := &m.Move
	w := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "move\t%s (%s, allocation %s)\n", mv.ID, mv.Mode, mv.Allocation)
	fmt.Fprintf(w, "route\t%s → %s, escort %s\n", mv.Origin, mv.Destination, mv.Escort)
	fmt.Fprintf(w, "status\t%s\n", m.Status)
	for _, v := range mv.Vehicles {
		fmt.Fprintf(w, "vehicle\t%s: %s %s, %d seats\n", v.ID, v.Kind, v.Label, v.Seats)
	}
	for i, l := range mv.Legs {
		fmt.Fprintf(w, "leg %d\t%s, %s\n", i+1, l.Kind, l.Place)
	}
	b := m.Balance()
	fmt.Fprintf(w, "balance\tmanifested %d = boarded %d + not boarded %d + unresolved %d\n", b.Manifested, b.Boarded, b.NotBoarded, b.Unresolved)
	fmt.Fprintf(w, "\tboarded %d = handed over %d + incidents %d + aboard %d\n", b.Boarded, b.HandedOver, b.Incidents, b.Aboard)
	if err := b.Check(); err != nil {
		fmt.Fprintf(w, "\tdoes not balance: %v\n", err)
	}
	for _, c := range m.Counts {
		mark := ""
		if c.Counted != c.Expected {
			mark = "  DIFFERENCE"
		}
		fmt.Fprintf(w, "count\t%s: %d counted, %d aboard (event %d)%s\n", c.Stage, c.Counted, c.Expected, c.Seq, mark)
	}
	for _, h := range m.Handovers {
		fmt.Fprintf(w, "handover %d\t%s, %s → %s by %s: %d persons, %d received, %d refused\n", h.Seq, h.Stage, h.From, h.To, h.ReleasedBy, len(h.Persons), len(h.Received), len(h.Refused))
	}
	for _, p := range slices.Sorted(maps.Keys(m.NotBoarded)) {
		fmt.Fprintf(w, "not boarded\t%s: %s (list version %d) %s\n", p, m.NotBoarded[p].Reason.Code, m.NotBoarded[p].Reason.Version, m.NotBoarded[p].Reason.Note)
	}
	for _, p := range slices.Sorted(maps.Keys(m.Incidents)) {
		fmt.Fprintf(w, "incident\t%s: event %d\n", p, m.Incidents[p])
	}
	w.Flush()
}

func (m *Main) runManifest(ctx context.Context, args []string) error {
	fs := m.flags("manifest")
	db := m.dbFlag(fs)
	id := fs.String("move", "", "the `move` (required)")
	vehicle := fs.String("vehicle", "", "only this vehicle's manifest (default: every vehicle, one after the other)")
	out := fs.String("out", "", "PDF `file` to write (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" || *out == "" {
		fmt.Fprintln(m.Stderr, "custody manifest: --move and --out are required")
		return errUsage
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	mv, err := s.Move(ctx, custody.MoveID(*id))
	if err != nil {
		return err
	}
	names, err := newNamer(ctx, s)
	if err != nil {
		return err
	}
	ids := make([]custody.PersonID, len(mv.Manifest))
	for i, st := range mv.Manifest {
		ids[i] = st.Person
	}
	persons, err := s.Persons(ctx, ids)
	if err != nil {
		return err
	}
	frozen := "draft: not frozen (boarding has not started)"
	if mv.Frozen != 0 {
		frozen = fmt.Sprintf("frozen when boarding started, log index %d", mv.Frozen)
	}
	var docs []report.Manifest
	for _, v := range mv.Move.Vehicles {
		if *vehicle != "" && v.ID != *vehicle {
			continue
		}
		doc := report.Manifest{
			Move: string(mv.Move.ID), Allocation: string(mv.Move.Allocation), Mode: string(mv.Move.Mode),
			Vehicle: v.ID, VehicleLabel: strings.TrimSpace(v.Kind + ", " + v.Label),
			Origin: names.facility(ctx, mv.Move.Origin), Destination: names.facility(ctx, mv.Move.Destination),
			Escort: names.authority(mv.Move.Escort), Departure: mv.Move.Departure, Frozen: frozen, Generated: time.Now().UTC(),
		}
		for _, st := range mv.Manifest {
			if st.Vehicle != v.ID {
				continue
			}
			p := persons[st.Person]
			if p == nil {
				return fmt.Errorf("manifest of %s: person %s is not registered", mv.Move.ID, st.Person)
			}
			doc.Lines = append(doc.Lines, report.ManifestLine{
				Seat: fmt.Sprint(st.Seat), PersonID: string(st.Person), Arabic: p.Person.Name.Arabic, Latin: p.Person.Name.Display(),
				RiskTier: p.Person.RiskTier, Category: string(p.Person.Category), QR: custody.WristbandCode(st.Person),
			})
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		return fmt.Errorf("move %s has no vehicle %q", mv.Move.ID, *vehicle)
	}
	if len(docs) == 1 {
		return writeDocument(*out, func(w io.Writer) error { return report.RenderManifest(w, docs[0]) }, m.Stdout)
	}
	// One manifest per vehicle: FILE.pdf becomes FILE-<vehicle>.pdf.
	ext := filepath.Ext(*out)
	for _, doc := range docs {
		path := strings.TrimSuffix(*out, ext) + "-" + doc.Vehicle + ext
		if err := writeDocument(path, func(w io.Writer) error { return report.RenderManifest(w, doc) }, m.Stdout); err != nil {
			return err
		}
	}
	return nil
}

func (m *Main) runReceipt(ctx context.Context, args []string) error {
	fs := m.flags("receipt")
	db := m.dbFlag(fs)
	seq := fs.Int64("event", -1, "log index of the receiving side's confirmation (move.handover_received)")
	id := fs.String("move", "", "instead of --event: the latest confirmation of this `move` at --stage")
	stage := fs.String("stage", "arrival", "with --move: departure or arrival")
	out := fs.String("out", "", "PDF `file` to write (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*seq < 0) == (*id == "") || *out == "" {
		fmt.Fprintln(m.Stderr, "custody receipt: give --event or --move, and --out")
		return errUsage
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	if *id != "" {
		mv, err := s.Move(ctx, custody.MoveID(*id))
		if err != nil {
			return err
		}
		for _, h := range mv.Handovers {
			if string(h.Stage) != *stage {
				continue
			}
			for _, at := range h.Received {
				*seq = max(*seq, at)
			}
		}
		if *seq < 0 {
			return fmt.Errorf("move %s has no confirmed handover at %s", *id, *stage)
		}
	}
	doc, err := buildReceipt(ctx, s, *seq)
	if err != nil {
		return err
	}
	return writeDocument(*out, func(w io.Writer) error { return report.RenderReceipt(w, *doc) }, m.Stdout)
}

// buildReceipt gathers the handover receipt of the confirmation at log
// index seq, with its offline proof.
func buildReceipt(ctx context.Context, s *sqlstore.Store, seq int64) (*report.Receipt, error) {
	e, _, err := s.Event(ctx, seq)
	if err != nil {
		return nil, err
	}
	d, ok := e.Data.(*custody.HandoverReceived)
	if !ok {
		return nil, fmt.Errorf("event %d is a %s, not a handover confirmation (%s)", seq, e.Type, custody.TypeHandoverReceived)
	}
	mv, err := s.Move(ctx, d.Move)
	if err != nil {
		return nil, err
	}
	h := mv.Handover(d.Handover)
	if h == nil {
		return nil, fmt.Errorf("move %s has no handover %d", d.Move, d.Handover)
	}
	names, err := newNamer(ctx, s)
	if err != nil {
		return nil, err
	}
	persons, err := s.Persons(ctx, d.Persons)
	if err != nil {
		return nil, err
	}
	proof, err := s.Receipt(ctx, seq)
	if err != nil {
		return nil, err
	}
	b := mv.Balance()
	r := &report.Receipt{
		Move: string(mv.Move.ID), Stage: string(h.Stage),
		From: names.authority(h.From), To: names.authority(h.To),
		ReleasedBy: fmt.Sprintf("%s (%s)", h.ReleasedBy, names.authority(h.From)), ReleasedAt: h.ReleasedAt,
		ReceivedBy: fmt.Sprintf("%s (%s)", e.By.User, names.authority(e.By.Authority)), ReceivedAt: e.OccurredAt,
		Counts: report.ReceiptCounts{Manifested: b.Manifested, Boarded: b.Boarded, NotBoarded: b.NotBoarded,
			HandedOver: len(d.Persons), Incidents: b.Incidents, Refused: len(h.Refused)},
		LogIndex: seq, LeafHash: base64.StdEncoding.EncodeToString(proof.Leaf[:]),
		Checkpoint: string(proof.Checkpoint), Proof: proof.Encode(),
	}
	if h.Stage == custody.AtArrival {
		r.Facility = names.facility(ctx, mv.Move.Destination)
	}
	for _, p := range d.Persons {
		ps := persons[p]
		if ps == nil {
			return nil, fmt.Errorf("receipt: person %s is not registered", p)
		}
		r.Persons = append(r.Persons, report.ReceiptPerson{PersonID: string(p), Latin: ps.Person.Name.Display(), Arabic: ps.Person.Name.Arabic})
	}
	return r, nil
}

func (m *Main) runWristbands(ctx context.Context, args []string) error {
	fs := m.flags("wristbands")
	db := m.dbFlag(fs)
	fac := fs.String("facility", "", "the persons held now in this `facility`")
	id := fs.String("move", "", "or: the persons on this `move`'s manifest")
	limit := fs.Int("limit", 0, "at most this many labels (0: all)")
	out := fs.String("out", "", "PDF `file` to write (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*fac == "") == (*id == "") || *out == "" {
		fmt.Fprintln(m.Stderr, "custody wristbands: give --facility or --move, and --out")
		return errUsage
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	names, err := newNamer(ctx, s)
	if err != nil {
		return err
	}
	var bands []report.Wristband
	if *fac != "" {
		held, err := s.Held(ctx, custody.FacilityID(*fac))
		if err != nil {
			return err
		}
		for _, h := range held {
			bands = append(bands, wristband(&h.Person, names.facility(ctx, h.Facility)))
		}
	} else {
		mv, err := s.Move(ctx, custody.MoveID(*id))
		if err != nil {
			return err
		}
		ids := make([]custody.PersonID, len(mv.Manifest))
		for i, st := range mv.Manifest {
			ids[i] = st.Person
		}
		persons, err := s.Persons(ctx, ids)
		if err != nil {
			return err
		}
		for _, p := range ids {
			bands = append(bands, wristband(&persons[p].Person, names.facility(ctx, mv.Move.Origin)))
		}
	}
	if len(bands) == 0 {
		return errors.New("nobody to print a wristband for")
	}
	if *limit > 0 && len(bands) > *limit {
		bands = bands[:*limit]
	}
	return writeDocument(*out, func(w io.Writer) error { return report.RenderWristbands(w, bands) }, m.Stdout)
}

func wristband(p *custody.Person, facility string) report.Wristband {
	return report.Wristband{PersonID: string(p.ID), Latin: p.Name.Display(), Arabic: p.Name.Arabic, Facility: facility, Code: custody.WristbandCode(p.ID)}
}

func (m *Main) runVerifyReceipt(ctx context.Context, args []string) error {
	fs := m.flags("verify-receipt")
	vkey := fs.String("verifier-key", "", "the log's published verifier `key` (name+hash+base64)")
	in := fs.String("in", "-", "`file` holding the text of the receipt's QR code (- for standard input)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *vkey == "" {
		fmt.Fprintln(m.Stderr, "custody verify-receipt: --verifier-key is required")
		return errUsage
	}
	var (
		text []byte
		err  error
	)
	if *in == "-" {
		text, err = io.ReadAll(os.Stdin)
	} else {
		text, err = os.ReadFile(*in)
	}
	if err != nil {
		return fmt.Errorf("read receipt: %w", err)
	}
	r, err := ledger.DecodeReceipt(string(text))
	if err != nil {
		return err
	}
	size, err := r.Verify(*vkey)
	if err != nil {
		return &receiptInvalid{err}
	}
	fmt.Fprintf(m.Stdout, "receipt verified: event %d with leaf hash %s is in the signed log of %d entries\n", r.Index, base64.StdEncoding.EncodeToString(r.Leaf[:]), size)
	return nil
}

// receiptInvalid is a receipt that does not verify (exit status 2).
type receiptInvalid struct{ err error }

func (e *receiptInvalid) Error() string { return "receipt does NOT verify: " + e.err.Error() }
func (e *receiptInvalid) Unwrap() error { return e.err }

// namer turns IDs into display names for documents.
type namer struct {
	s           *sqlstore.Store
	authorities map[custody.AuthorityID]*custody.Authority
	facilities  map[custody.FacilityID]string
}

func newNamer(ctx context.Context, s *sqlstore.Store) (*namer, error) {
	a, err := s.Authorities(ctx)
	if err != nil {
		return nil, err
	}
	return &namer{s: s, authorities: a, facilities: map[custody.FacilityID]string{}}, nil
}

func (n *namer) authority(id custody.AuthorityID) string {
	if a, ok := n.authorities[id]; ok {
		return a.Name.Display()
	}
	return string(id)
}

func (n *namer) facility(ctx context.Context, id custody.FacilityID) string {
	if name, ok := n.facilities[id]; ok {
		return name
	}
	name := string(id)
	if f, err := n.s.Facility(ctx, id); err == nil {
		name = f.Facility.Name.Display()
	}
	n.facilities[id] = name
	return name
}

// writeDocument writes a document to path through render, replacing the file
// only when the whole document was written, and says where it went.
func writeDocument(path string, render func(io.Writer) error, stdout io.Writer) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".custody-*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := render(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", path)
	return nil
}
