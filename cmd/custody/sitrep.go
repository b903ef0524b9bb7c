package main

import (
	"bytes"
	"context"
	"fmt"
	custody "github.com/opencustody/custody"
	"os"
	"time"

	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/report"
	"github.com/opencustody/custody/sqlstore"
)

// runSitrep writes the daily situation report: the figures of custody
// stats, the open alerts and the latest signed checkpoint, as a PDF.
func (m *Main) runSitrep(ctx context.Context, args []string) error {
	fs := m.flags("sitrep")
	db := m.dbFlag(fs)
	out := fs.String("out", "", "PDF `file` to write (required; not overwritten)")
	day := fs.String("day", "", "the `day` reported, YYYY-MM-DD: transfers are counted up to it (default: today, UTC)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(m.Stderr, "custody sitrep: --out is required")
		return errUsage
	}
	now := time.Now().UTC()
	if *day == "" {
		*day = now.Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, *day); err != nil {
		fmt.Fprintf(m.Stderr, "custody sitrep: --day %q: want YYYY-MM-DD\n", *day)
		return errUsage
	}
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("%s exists: not overwriting it", *out)
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	data, err := sitrepData(ctx, s, *day, now)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.Sitrep(&buf, data); err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		os.Remove(*out)
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(*out)
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(m.Stdout, "wrote %s\n", *out)
	return nil
}

// sitrepData reads the report's figures from the store: transfers up to
// and including day, everything else as the log stands now.
func sitrepData(ctx context.Context, s *sqlstore.Store, day string, now time.Time) (report.SitrepData, error) {
	d := report.SitrepData{Day: day, Generated: now}
	st, err := s.Stats(ctx)
	if err != nil {
		return d, err
	}
	alerts, err := s.Alerts(ctx, true)
	if err != nil {
		return d, err
	}
	note, err := s.LatestCheckpoint(ctx)
	if err != nil {
		return d, err
	}
	if note != nil {
		size, root, err := ledger.OpenCheckpoint(note, s.VerifierKey(), s.Origin())
		if err != nil {
			return d, fmt.Errorf("the latest checkpoint: %w", err)
		}
		d.CheckpointSize, d.CheckpointRoot = size, root.String()
	}
	facs, err := s.Facilities(ctx)
	if err != nil {
		return d, err
	}
	arabic := map[string]string{}
	for _, f := range facs {
		arabic[string(f.ID)] = f.Name.Arabic
	}

	d.LogSize = st.LogEntries
	d.Persons, d.InCustody, d.Under12 = st.Persons, st.InCustody, st.Under12
	d.OpenEscapes, d.OpenAlerts = st.OpenEscapes, len(alerts)
	d.Target = st.Transfer.Target
	for _, dc := range st.Transfer.ByDay {
		if dc.Date > day {
			break
		}
		d.ByDay = append(d.ByDay, report.SitrepDay{Date: dc.Date, N: dc.N, Cumulative: dc.Cumulative})
		d.Transferred = dc.Cumulative
	}
	l := st.Legal
	d.Cases, d.DeathPenaltyAlerts, d.NotificationsPending, d.Repatriated = l.Cases, l.DeathPenaltyAlerts, l.NotificationsPending, l.Repatriated
	d.OpenCases = l.Cases
	for _, c := range l.CasesByStage {
		if !custody.CaseStage(c.Key).Open() {
			d.OpenCases -= c.N
		}
	}
	d.ByStatus = sitrepCounts(st.ByStatus)
	d.ByCategory = sitrepCounts(st.ByCategory)
	d.Nationalities = sitrepCounts(st.ByNationality)
	for _, f := range st.ByFacility {
		d.Facilities = append(d.Facilities, report.SitrepFacility{
			Name: f.Name, Arabic: arabic[f.ID], Kind: f.Kind, Held: f.Population, Capacity: f.Capacity,
		})
	}
	return d, nil
}

func sitrepCounts(cs []sqlstore.Count) []report.SitrepCount {
	out := make([]report.SitrepCount, len(cs))
	for i, c := range cs {
		label := c.Key
		if c.Label != "" {
			label = c.Label + " (" + c.Key + ")"
		}
		out[i] = report.SitrepCount{Label: label, N: c.N}
	}
	return out
}
