package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/opencustody/custody/sqlstore"
)

func (m *Main) runStats(ctx context.Context, args []string) error {
	fs := m.flags("stats")
	db := m.dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.Stats(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	printStats(m.Stdout, st)
	return nil
}

func printStats(out io.Writer, st *sqlstore.Stats) {
	w := tabwriter.NewWriter(out, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "persons registered\t%d\t\n", st.Persons)
	fmt.Fprintf(w, "in custody\t%d\t\n", st.InCustody)
	fmt.Fprintf(w, "children under 12\t%d\t\n", st.Under12)
	fmt.Fprintf(w, "missing from custody (open escapes)\t%d\t\n", st.OpenEscapes)
	fmt.Fprintf(w, "log entries\t%d\t\n", st.LogEntries)
	w.Flush()

	section(out, "By status")
	counts(out, st.ByStatus)
	section(out, "By category")
	counts(out, st.ByCategory)
	section(out, "By authority (persons in its custody)")
	counts(out, st.ByAuthority)
	section(out, "By facility (persons held now)")
	w = tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "facility\tkind\tcontrolled by\theld\tcapacity\t")
	for _, f := range st.ByFacility {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t\n", f.Name, f.Kind, f.Controller, f.Population, f.Capacity)
	}
	w.Flush()
	section(out, fmt.Sprintf("By nationality (%d countries)", st.Nationalities))
	counts(out, st.ByNationality)

	t := st.Transfer
	section(out, "Transfer to Iraq")
	if t.Target > 0 {
		fmt.Fprintf(out, "%d of %d transferred (%.1f%%)\n", t.Done, t.Target, 100*float64(t.Done)/float64(t.Target))
	} else {
		fmt.Fprintf(out, "%d transferred\n", t.Done)
	}
	w = tabwriter.NewWriter(out, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "date\ttransferred\tcumulative\t")
	for _, d := range t.ByDay {
		fmt.Fprintf(w, "%s\t%d\t%d\t\n", d.Date, d.N, d.Cumulative)
	}
	w.Flush()

	l := st.Legal
	section(out, fmt.Sprintf("Cases (%d) by stage", l.Cases))
	counts(out, l.CasesByStage)
	section(out, "Consular notifications by status")
	counts(out, l.Notifications)
	w = tabwriter.NewWriter(out, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "death-penalty alerts open\t%d\t\n", l.DeathPenaltyAlerts)
	fmt.Fprintf(w, "persons repatriated\t%d\t\n", l.Repatriated)
	w.Flush()
}

func section(out io.Writer, title string) { fmt.Fprintf(out, "\n%s\n", title) }

func counts(out io.Writer, cs []sqlstore.Count) {
	w := tabwriter.NewWriter(out, 2, 4, 2, ' ', tabwriter.AlignRight)
	for _, c := range cs {
		label := c.Key
		if c.Label != "" {
			label = c.Label + " (" + c.Key + ")"
		}
		fmt.Fprintf(w, "%s\t%d\t\n", label, c.N)
	}
	w.Flush()
}
