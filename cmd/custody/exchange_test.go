package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/exchange"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// exchangeStore makes a small real store: the synthetic world's
// authorities and facilities, one Iraqi man already registered and held,
// and a consular officer of France. It returns the --db and --key flags.
func exchangeStore(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	d := storetest.SQLite().New(t)
	if _, err := sqlstore.Init(ctx, d.Config); err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(ctx, d.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.MustAppend(t, s, storetest.Setup("x"))
	p := custody.Person{ID: "NES-000777", Sex: custody.Male, Category: custody.Man, Nationalities: []string{"IQ"},
		Name:       custody.Name{Arabic: "عبد الرحمن خالد", Latin: []string{"Abd al-Rahman Khalid"}},
		FatherName: custody.Name{Latin: []string{"Khalid"}}, Birth: custody.BirthDate{Date: "1988-04-04"}}
	by := custody.Actor{User: "test", Authority: "sdf"}
	at := custody.NormTime(storetestEpoch)
	storetest.MustAppend(t, s, [][]custody.Event{{
		custody.NewEvent(&custody.PersonRegistered{Person: p}, at, at, by, "old-reg"),
		custody.NewEvent(&custody.Admitted{Person: p.ID, Facility: storetest.PrisonA, TakenBy: "sdf", OrderedBy: "sdf", Grounds: "test"}, at, at, by, "old-adm"),
	}})
	if err := s.AddUser(ctx, custody.User{Name: "consul.fr", Role: custody.RoleConsular, Nationalities: []string{"FR"}}, ""); err != nil {
		t.Fatal(err)
	}
	return []string{"--db", d.Config.DB, "--key", d.Config.KeyFile}
}

var storetestEpoch = time.Date(2026, 1, 2, 8, 0, 0, 0, time.UTC)

func TestImportExport(t *testing.T) {
	db := exchangeStore(t)
	dir := t.TempDir()
	imp := func(file string, extra ...string) result {
		args := append([]string{"import"}, db...)
		args = append(args, "--facility", string(storetest.PrisonB), "--user", "reg.sdf", "--authority", "sdf")
		args = append(append(args, extra...), file)
		return run(t.Context(), nil, args...)
	}
	size := func() string { return runOK(t, nil, "verify", db[0], db[1], db[2], db[3]).stdout }
	before := size()

	// Two bad rows: both reported, nothing imported, dry run or not.
	bad := filepath.Join(dir, "bad.csv")
	writeFile(t, bad, "id,name,birth,sex,category,nationality\n"+
		"NES-100,Jean Dupont,1990-01-01,m,man,FR\n"+
		"NES-101,Ali Hassan,1990-13-01,m,man,IQ\n"+
		"NES-102,Omar Yusuf,1991-01-01,m,soldier,IQ\n")
	for _, flags := range [][]string{{"--dry-run"}, nil} {
		r := imp(bad, flags...)
		if r.code != 1 || !strings.Contains(r.stderr, `row 3, field birth: "1990-13-01" is not a date (YYYY-MM-DD)`) ||
			!strings.Contains(r.stderr, `row 4, field category: "soldier" is not a category`) || !strings.Contains(r.stderr, "2 bad rows: nothing imported") {
			t.Fatalf("import %v of 2 bad rows: exit %d\n%s%s", flags, r.code, r.stdout, r.stderr)
		}
	}
	if after := size(); after != before {
		t.Fatalf("a refused import changed the log:\n%s\n%s", before, after)
	}

	// A row that duplicates the registered man is flagged, unless allowed.
	dup := filepath.Join(dir, "dup.csv")
	writeFile(t, dup, "id,name,father,dob,category,nationality\nNES-200,Abdulrahman Khaled,Khaled,1988-04-04,man,IQ\n")
	if r := imp(dup, "--dry-run"); r.code != 1 || !strings.Contains(r.stderr, "row 2, field record: probably registered already as NES-000777") {
		t.Fatalf("duplicate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A good roster, as XLSX with Arabic headers: all imported, once.
	x := excelize.NewFile()
	for i, row := range [][]string{
		{"الرقم", "الاسم", "name", "تاريخ الميلاد", "الجنس", "الفئة", "الجنسية"},
		{"NES-300", "جان دوبون", "Jean Dupont", "1990-01-01", "ذكر", "رجل", "FR"},
		{"NES-301", "مريم", "Maryam", "1995-06-01", "أنثى", "امرأة", "FR;DZ"},
		{"NES-302", "حسن", "Hassan Jabbar", "1980", "m", "man", "IQ"},
	} {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			x.SetCellStr("Sheet1", cell, v)
		}
	}
	good := filepath.Join(dir, "good.xlsx")
	if err := x.SaveAs(good); err != nil {
		t.Fatal(err)
	}
	if r := imp(good, "--dry-run"); r.code != 0 || !strings.Contains(r.stdout, "dry run: 3 rows good") {
		t.Fatalf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := imp(good); r.code != 0 || !strings.Contains(r.stdout, "registered and admitted 3 persons to bench-prison-b at log indexes") {
		t.Fatalf("import: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := imp(good); r.code != 1 || !strings.Contains(r.stderr, `field id: "NES-300" is registered already`) {
		t.Fatalf("import again: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Exports as the consular officer of France: the two French nationals only.
	for _, format := range exchange.ExportFormats() {
		out := filepath.Join(dir, "persons-fr."+format)
		runOK(t, nil, "export", db[0], db[1], "--what", "persons", "--format", format, "--user", "consul.fr", "--out", out)
		ids := exportedIDs(t, out, format)
		if strings.Join(ids, ",") != "NES-300,NES-301" {
			t.Errorf("%s export of consul.fr holds %v", format, ids)
		}
	}
	all := filepath.Join(dir, "all.hxl")
	runOK(t, nil, "export", db[0], db[1], "--what", "persons", "--format", "hxl", "--out", all)
	if ids := exportedIDs(t, all, "hxl"); len(ids) != 4 {
		t.Errorf("operator's export holds %v", ids)
	}
	moves := filepath.Join(dir, "moves.csv")
	if r := runOK(t, nil, "export", db[0], db[1], "--what", "moves", "--format", "csv", "--user", "consul.fr", "--out", moves); !strings.Contains(r.stdout, "exported 0 moves") {
		t.Errorf("moves: %s", r.stdout)
	}
	if r := run(t.Context(), nil, "export", db[0], db[1], "--format", "pdf", "--out", filepath.Join(dir, "x")); r.code != 2 {
		t.Errorf("--format pdf: exit %d", r.code)
	}
}

// exportedIDs reads the person IDs of an export back.
func exportedIDs(t *testing.T, path, format string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	switch format {
	case "jsonl":
		var ids []string
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			var p exchange.PersonLine
			if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
				t.Fatalf("jsonl line %q: %v", sc.Text(), err)
			}
			if p.Nationalities == nil || p.Status != custody.StatusHeld {
				t.Errorf("jsonl line %+v", p)
			}
			ids = append(ids, string(p.ID))
		}
		return ids
	default:
		rows = tableRows(t, b, format)
	}
	if rows[0][0] != "id" {
		t.Fatalf("%s header %v", format, rows[0])
	}
	rows = rows[1:]
	if format == "hxl" {
		if rows[0][0] != "#beneficiary+id" || rows[0][10] != "#country+code+v_iso2" {
			t.Fatalf("hxl hashtag row %v", rows[0])
		}
		rows = rows[1:]
	}
	var ids []string
	for _, r := range rows {
		ids = append(ids, r[0])
	}
	return ids
}

// tableRows reads the rows of a tabular export (CSV, HXL or XLSX).
func tableRows(t *testing.T, b []byte, format string) [][]string {
	t.Helper()
	if format == "xlsx" {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
