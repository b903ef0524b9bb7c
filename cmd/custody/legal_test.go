package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/exchange"
	"github.com/opencustody/custody/scenario"
	"github.com/opencustody/custody/sqlstore"
)

// TestLegalConsularScope, on the demo: a consul of one state exports only
// its own nationals' cases, in every format, and is refused the proof
// bundle of another state's national; the Swedish consul takes home the
// bundle of a repatriated Swede, which verifies offline and ends with the
// handover.
func TestLegalConsularScope(t *testing.T) {
	ctx := context.Background()
	db := demoDB(t)
	dir := t.TempDir()
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Cases(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Repatriation(ctx, scenario.RepatriationRequestID)
	if err != nil {
		t.Fatal(err)
	}
	verifier := s.VerifierKey()
	s.Close()
	var swede custody.PersonID
	want := map[string]int{}
	for _, c := range all {
		for _, n := range c.Nationals {
			want[n]++
		}
		if swede == "" && slices.Equal(c.Nationals, []string{"SE"}) {
			swede = c.Case.Person
		}
	}
	if want["SE"] == 0 || want["FR"] == 0 || swede == "" {
		t.Fatalf("the demo has %d Swedish and %d French cases", want["SE"], want["FR"])
	}
	for _, c := range []struct{ user, country string }{{"consul-fr", "FR"}, {"consul-se", "SE"}} {
		counts := map[string]int{}
		for _, format := range exchange.ExportFormats() {
			out := filepath.Join(dir, c.user+"-cases."+format)
			runOK(t, nil, "export", "--db", db, "--what", "cases", "--format", format, "--user", c.user, "--out", out)
			counts[format] = len(caseRows(t, out, format, c.country))
		}
		for format, n := range counts {
			if n != want[c.country] {
				t.Errorf("%s's %s export holds %d cases, want the %d of %s nationals", c.user, format, n, want[c.country], c.country)
			}
		}
	}
	// Bundles: the French consul is refused the Swede's; the Swedish
	// consul gets it, and it holds the case.
	out := filepath.Join(dir, "swede.bundle")
	if r := run(ctx, nil, "bundle", "--db", db, "--person", string(swede), "--user", "consul-fr", "--out", out); r.code == 0 {
		t.Fatalf("the French consul got the bundle of Swede %s", swede)
	}
	runOK(t, nil, "bundle", "--db", db, "--person", string(swede), "--user", "consul-se", "--out", out)
	home := filepath.Join(t.TempDir(), "bundle.txt")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(home, data, 0o600)
	if r := runOK(t, nil, "verify-bundle", "--verifier-key", verifier, "--in", home); !strings.Contains(r.stdout, string(custody.TypeCaseOpened)) {
		t.Errorf("the Swede's bundle does not show the case: %s", r.stdout)
	}
	// The repatriated mother's bundle ends with her handover to Sweden.
	mother := rep.Persons[0].Person
	out = filepath.Join(dir, "mother.bundle")
	runOK(t, nil, "bundle", "--db", db, "--person", string(mother), "--user", "consul-se", "--out", out)
	if r := runOK(t, nil, "verify-bundle", "--verifier-key", verifier, "--in", out); !strings.Contains(r.stdout, string(custody.TypeRepatriationReceived)) {
		t.Errorf("the repatriated mother's bundle: %s", r.stdout)
	}
}

// caseRows reads an export of cases back, failing on any case that is not
// of a national of country.
func caseRows(t *testing.T, path, format, country string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var rows [][]string
	switch format {
	case "jsonl":
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			var c exchange.CaseLine
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				t.Fatalf("jsonl line %q: %v", sc.Text(), err)
			}
			if !slices.Contains(c.Nationalities, country) || c.Court == "" || len(c.Charges) == 0 {
				t.Errorf("%s: case %+v", path, c)
			}
			ids = append(ids, string(c.ID))
		}
		return ids
	default:
		rows = tableRows(t, b, format)
	}
	rows = rows[1:]
	if format == "hxl" {
		rows = rows[1:]
	}
	for _, r := range rows {
		if !slices.Contains(strings.Split(r[2], ";"), country) {
			t.Errorf("%s: case %v is not of a national of %s", path, r, country)
		}
		ids = append(ids, r[0])
	}
	return ids
}

// TestNotifyWithinFlag: the notification window must be a positive
// duration, and a bad one is a usage error naming the flag.
func TestNotifyWithinFlag(t *testing.T) {
	for _, v := range []string{"0s", "-1h", "soon"} {
		r := run(context.Background(), nil, "serve", "--db", filepath.Join(t.TempDir(), "none.db"), "--notify-within", v)
		if r.code != 2 || !strings.Contains(r.stderr, "notify-within") {
			t.Errorf("--notify-within %s: exit %d, %q", v, r.code, r.stderr)
		}
	}
}
