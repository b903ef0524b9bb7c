package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

func TestSitrep(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "custody.db")
	smallLog(t, sqlstore.Config{DB: db})
	// smallLog moves persons between prisons; 5 more reach the destination.
	s, err := sqlstore.Open(context.Background(), sqlstore.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		storetest.MustAppend(t, s, [][]custody.Event{storetest.Transfer("sitrep", i, 150+i, storetest.PrisonA, storetest.Destination)})
	}
	s.Close()

	var st sqlstore.Stats
	if err := json.Unmarshal([]byte(runOK(t, nil, "stats", "--db", db, "--json").stdout), &st); err != nil {
		t.Fatal(err)
	}
	if st.Transfer.Done != 5 || len(st.Transfer.ByDay) != 1 {
		t.Fatalf("the test log's transfers: %+v", st.Transfer)
	}
	transferDay := st.Transfer.ByDay[0].Date

	art := artifacts(t)
	out := filepath.Join(art, "sitrep.pdf")
	os.Remove(out)
	r := runOK(t, nil, "sitrep", "--db", db, "--day", transferDay, "--out", out)
	if !strings.Contains(r.stdout, "wrote "+out) {
		t.Errorf("stdout: %s", r.stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("not a PDF: %.20q", b)
	}

	// It does not overwrite, and checks its flags.
	if r := run(t.Context(), nil, "sitrep", "--db", db, "--out", out); r.code != 1 || !strings.Contains(r.stderr, "not overwriting") {
		t.Errorf("sitrep onto an existing file: exit %d, %s", r.code, r.stderr)
	}
	if r := run(t.Context(), nil, "sitrep", "--db", db, "--day", "21/01/2026", "--out", filepath.Join(dir, "x.pdf")); r.code != 2 {
		t.Errorf("sitrep --day 21/01/2026: exit %d, %s", r.code, r.stderr)
	}
	if r := run(t.Context(), nil, "sitrep", "--db", db); r.code != 2 {
		t.Errorf("sitrep without --out: exit %d, %s", r.code, r.stderr)
	}

	pdftotext := needTool(t, "pdftotext")
	text := func(path string) string {
		t.Helper()
		b, err := exec.Command(pdftotext, "-layout", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	got := text(out)
	for _, want := range []string{
		"Situation report", "Day " + transferDay, fmt.Sprintf("Log: %d entries", st.LogEntries),
		fmt.Sprintf("%d / %d", st.InCustody, st.Persons), "Bench destination", transferDay[5:],
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
	if line := lineWith(got, "Consular notifications pending"); line == "" {
		t.Errorf("the report lacks the legal and consular figures:\n%s", got)
	}
	if !strings.Contains(got, "Death-penalty alerts open") || !strings.Contains(got, "Cases open / in all") {
		t.Errorf("the report lacks the cases or the alerts:\n%s", got)
	}
	// The small log owes notifications for the foreign nationals
	// transferred to the ministry, none delivered.
	lines := strings.Split(got, "\n")
	for i, l := range lines {
		if strings.Contains(l, "Consular notifications pending") && i+1 < len(lines) {
			v := strings.Fields(lines[i+1]) // cases, alerts, pending, repatriated
			if n := st.Legal.NotificationsPending; n == 0 || len(v) < 4 || v[len(v)-2] != fmt.Sprint(n) {
				t.Errorf("pending notifications: stats %d, the report's figures %v", n, v)
			}
		}
	}
	if !strings.Contains(got, "latest signed checkpoint: tree size") {
		t.Errorf("the report lacks the checkpoint:\n%s", got)
	}
	for _, f := range st.ByFacility {
		if line := lineWith(got, f.Name); !strings.Contains(line, fmt.Sprint(f.Population)) {
			t.Errorf("facility %s: want %d held on %q", f.Name, f.Population, line)
		}
	}
	for _, c := range st.ByStatus {
		if line := lineWith(got, c.Key+" "); !strings.Contains(line, fmt.Sprint(c.N)) {
			t.Errorf("status %s: want %d on %q", c.Key, c.N, line)
		}
	}

	// The day before the transfers: none yet.
	before := filepath.Join(dir, "before.pdf")
	runOK(t, nil, "sitrep", "--db", db, "--day", "2026-01-01", "--out", before)
	if got := text(before); !strings.Contains(got, "No transfer yet.") {
		t.Errorf("the report of a day before any transfer:\n%s", got)
	}
}

// lineWith returns the first line of text that contains s.
func lineWith(text, s string) string {
	for l := range strings.SplitSeq(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
