package exchange

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/sqlstore"
)

func TestRowErrorText(t *testing.T) {
	e := RowError{12, "birth", "1990-13-01", "is not a date (YYYY-MM-DD)"}
	if got, want := e.Error(), `row 12, field birth: "1990-13-01" is not a date (YYYY-MM-DD)`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestReadRosterCSV(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		mapping   Mapping
		good      int
		errs      []string // RowError texts, in order
	}{
		{name: "good", csv: "id,name,name_ar,father,dob,sex,category,nationality\n" +
			"NES-1,Ahmad Ali,أحمد علي,Ali,1990-02-03,m,man,IQ\n" +
			"NES-2,Fatima Hassan,,,1985,female,woman,FR;DEU\n\n", good: 2},
		{name: "arabic headers", csv: "\ufeffالرقم,الاسم,اسم الأب,تاريخ الميلاد,الجنس,الفئة,الجنسية\n" +
			"NES-3,خالد عمر,عمر,2001-05-05,ذكر,رجل,SY\n", good: 1},
		{name: "all bad fields of a row", csv: "id,name,birth,sex,category,nationality\n" +
			"NES-1,Ahmad,1990-13-01,x,soldier,ZZ\n" +
			",,,,,\n" + // blank: skipped
			"NES-1,Ahmad,,,man,\n" +
			"NES-1,Ahmad,,,man,\n" +
			"bad id!,,,,,\n",
			good: 0, errs: []string{
				`row 2, field birth: "1990-13-01" is not a date (YYYY-MM-DD)`,
				`row 2, field sex: "x" is not a sex (male, female, unknown, m, f, ذكر, أنثى)`,
				`row 2, field category: "soldier" is not a category (man, woman, boy, girl)`,
				`row 2, field nationality: "ZZ" is not an ISO 3166-1 country code`,
				`row 4, field id: "NES-1" is also the ID of row 2`,
				`row 5, field id: "NES-1" is also the ID of row 2`,
				`row 6, field id: "bad id!" is not an ID (letters, digits, - _ . / only, at most 64)`,
				`row 6, field name: is empty: every row needs a name (name or name_ar)`,
				`row 6, field category: is empty: every row needs a category (man, woman, boy, girl)`,
			}},
		{name: "validate", csv: "id,name,category,sex\nNES-1,Ahmad,boy,female\n", good: 1},
		{name: "no id column", csv: "number,name\n1,x\n", errs: []string{`row 1, field id: no column maps to it (give a mapping)`}},
		{name: "mapping", csv: "number,full,cat\nNES-9,Omar,man\n", mapping: func() Mapping {
			m := DefaultMapping()
			m["number"], m["cat"] = FieldID, FieldCategory
			m["full"] = FieldName
			return m
		}(), good: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs, err := ReadRoster(strings.NewReader(tc.csv), FormatCSV, tc.mapping)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.good {
				t.Errorf("%d good rows, want %d: %+v", len(rows), tc.good, rows)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.errs, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.errs, "\n"))
			}
		})
	}
}

func TestReadRosterFields(t *testing.T) {
	rows, errs, err := ReadRoster(strings.NewReader("id,name,name_ar,mother,birth,nationality,category\nNES-1,Ahmad Ali,أحمد علي,فاطمة,1990,fra IQ,man\n"), FormatCSV, nil)
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	p := rows[0].Person
	if rows[0].Row != 2 || p.Name.Arabic != "أحمد علي" || p.Name.Latin[0] != "Ahmad Ali" || p.MotherName.Arabic != "فاطمة" ||
		p.Birth != (custody.BirthDate{Date: "1990-01-01", Estimated: true}) || strings.Join(p.Nationalities, ",") != "FR,IQ" || p.Sex != custody.SexUnknown {
		t.Errorf("got %+v", rows[0])
	}
}

// xlsxOf makes a workbook of rows (text cells).
func xlsxOf(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadRosterXLSX(t *testing.T) {
	b := xlsxOf(t, [][]string{
		{"الرقم", "الاسم", "تاريخ الميلاد", "الفئة"},
		{"NES-1", "محمد أحمد", "1999-01-01", "رجل"},
		{},
		{"NES-2", "يوسف", "1999-02-30", "man"},
	})
	rows, errs, err := ReadRoster(bytes.NewReader(b), FormatXLSX, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Person.Name.Arabic != "محمد أحمد" {
		t.Errorf("rows %+v", rows)
	}
	if len(errs) != 1 || errs[0].Error() != `row 4, field birth: "1999-02-30" is not a date (YYYY-MM-DD)` {
		t.Errorf("errors %v", errs)
	}
	if _, _, err := ReadRoster(strings.NewReader("not a zip"), FormatXLSX, nil); err == nil {
		t.Error("a non-workbook read")
	}
}

// fakeRegister knows one ID and matches one name.
type fakeRegister struct{}

func (fakeRegister) Registered(_ context.Context, id custody.PersonID) (bool, error) {
	return id == "NES-OLD", nil
}

func (fakeRegister) Search(_ context.Context, p *custody.Person) ([]names.Match, error) {
	if p.Name.Display() == "Abu Bakr" {
		return []names.Match{{ID: "NES-000777", Score: 0.95, Name: "Abu Bakr"}}, nil
	}
	return nil, nil
}

func TestCheckRoster(t *testing.T) {
	csv := "id,name,father,birth,category\n" +
		"NES-OLD,Zaid Karim,,,man\n" +
		"NES-A,Abu Bakr,,,man\n" +
		"NES-B,Muhammad Abd al-Rahman,Khalid,1990-01-01,man\n" +
		"NES-C,Mohammed Abdulrahman,Khaled,1990-01-01,man\n" +
		"NES-D,Yusuf Umar,,,man\n"
	rows, errs, err := ReadRoster(strings.NewReader(csv), FormatCSV, nil)
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	ok, errs, err := CheckRoster(t.Context(), rows, fakeRegister{}, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if len(ok) != 2 || ok[1].Person.ID != "NES-D" || len(errs) != 3 ||
		!strings.Contains(got[0], `row 2, field id: "NES-OLD" is registered already`) ||
		!strings.Contains(got[1], "row 3, field record: probably registered already as NES-000777") ||
		!strings.Contains(got[2], "row 5, field record: probably the same person as row 4 (NES-B") {
		t.Errorf("ok %v\nerrors:\n%s", ok, strings.Join(got, "\n"))
	}
	ok, errs, _ = CheckRoster(t.Context(), rows, fakeRegister{}, true)
	if len(ok) != 4 || len(errs) != 1 {
		t.Errorf("--allow-duplicates: ok %d, errors %v", len(ok), errs)
	}
}

func TestScope(t *testing.T) {
	rec := func(id string, nat string, fac custody.FacilityID) sqlstore.PersonRecord {
		return sqlstore.PersonRecord{State: &custody.PersonState{Person: custody.Person{ID: custody.PersonID(id)}},
			Facts: custody.PersonFacts{Nationalities: []string{nat}, Facility: fac, Holder: "sdf"}}
	}
	all := []sqlstore.PersonRecord{rec("1", "FR", "a"), rec("2", "IQ", "a"), rec("3", "FR", "b"), rec("4", "DE", "b")}
	ids := func(rs []sqlstore.PersonRecord) string {
		var s []string
		for _, r := range rs {
			s = append(s, string(r.State.Person.ID))
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		u    *custody.User
		want string
	}{
		{&custody.User{Name: "c", Role: custody.RoleConsular, Nationalities: []string{"FR"}}, "1,3"},
		{&custody.User{Name: "r", Role: custody.RoleRegistrar, Facilities: []custody.FacilityID{"b"}}, "3,4"},
		{&custody.User{Name: "m", Role: custody.RoleMonitor}, "1,2,3,4"},
		{&custody.User{Name: "c", Role: custody.RoleConsular, Nationalities: []string{"FR"}, Disabled: true}, ""},
		{nil, ""},
	} {
		if got := ids(ScopePersons(tc.u, all)); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.u, got, tc.want)
		}
	}
	ms := []MoveRecord{{Move: sqlstore.MoveSummary{ID: "MV-1"}, Facts: custody.MoveFacts{Escort: "centcom"}}}
	if got := ScopeMoves(&custody.User{Name: "c", Role: custody.RoleConsular, Nationalities: []string{"FR"}}, ms); len(got) != 0 {
		t.Errorf("a consular officer sees moves %v", got)
	}
}

// checkRowErrors fails unless every row error names a row and a field.
func checkRowErrors(t *testing.T, errs []RowError) {
	for _, e := range errs {
		if e.Row < 1 || e.Field == "" || e.Reason == "" || !strings.HasPrefix(e.Error(), "row ") {
			t.Fatalf("row error without row or field: %#v", e)
		}
	}
}

func FuzzReadRosterCSV(f *testing.F) {
	f.Add("id,name,birth,sex,category,nationality\nNES-1,Ahmad,1990-13-01,x,man,FR\n")
	f.Add("\ufeffالرقم,الاسم,الفئة\nNES-3,خالد,رجل\n\"unterminated")
	f.Add("id,id\n1,2\n")
	f.Fuzz(func(t *testing.T, s string) {
		_, errs, _ := ReadRoster(strings.NewReader(s), FormatCSV, nil)
		checkRowErrors(t, errs)
	})
}

func FuzzReadRosterXLSX(f *testing.F) {
	f.Add(xlsxOf(f, [][]string{{"id", "name", "category"}, {"NES-1", "Ahmad", "man"}, {"NES-1", "", "x"}}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, errs, _ := ReadRoster(bytes.NewReader(b), FormatXLSX, nil)
		checkRowErrors(t, errs)
	})
}
