// Package exchange moves records in and out of the register in the forms
// other parties keep them: facility rosters read from CSV and XLSX with a
// column mapping, checked row by row before anything is recorded, and
// exports of persons and moves as CSV, XLSX, JSON Lines and HXL-tagged CSV.
package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/language"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/personindex"
)

// Field is a field of a roster row that a column maps to.
type Field string

// The fields a roster column may map to. Name, father and mother take
// either script: a value written in Arabic script goes to the Arabic form,
// anything else to the Latin form; the _ar fields are always Arabic.
const (
	FieldID          Field = "id"
	FieldName        Field = "name"
	FieldNameAr      Field = "name_ar"
	FieldFather      Field = "father"
	FieldFatherAr    Field = "father_ar"
	FieldMother      Field = "mother"
	FieldMotherAr    Field = "mother_ar"
	FieldBirth       Field = "birth"
	FieldSex         Field = "sex"
	FieldCategory    Field = "category"
	FieldNationality Field = "nationality"
	// FieldIgnore drops a column on purpose.
	FieldIgnore Field = "-"
)

// FieldRecord names a row error about the whole record (from
// custody.Person.Validate or the duplicate check) rather than one column.
const FieldRecord = "record"

var fields = []Field{FieldID, FieldName, FieldNameAr, FieldFather, FieldFatherAr, FieldMother, FieldMotherAr,
	FieldBirth, FieldSex, FieldCategory, FieldNationality, FieldIgnore}

// Mapping maps a file's column headers (compared trimmed and case-folded)
// to fields. Columns it does not name are ignored.
type Mapping map[string]Field

// DefaultMapping is the mapping for the common headers, in English and
// Arabic: every field's own name, and e.g. "dob", "gender", "الاسم",
// "اسم الأب", "تاريخ الميلاد", "الجنسية".
func DefaultMapping() Mapping {
	m := Mapping{}
	add := func(f Field, headers ...string) {
		for _, h := range headers {
			m[normHeader(h)] = f
		}
	}
	add(FieldID, "id", "person_id", "person id", "detainee id", "الرقم", "رقم", "الرقم التعريفي")
	add(FieldName, "name", "full name", "full_name", "name_en", "name (latin)")
	add(FieldNameAr, "name_ar", "arabic name", "name (arabic)", "الاسم", "الاسم الكامل")
	add(FieldFather, "father", "father_name", "father's name", "father name")
	add(FieldFatherAr, "father_ar", "اسم الأب", "اسم الاب", "الأب")
	add(FieldMother, "mother", "mother_name", "mother's name", "mother name")
	add(FieldMotherAr, "mother_ar", "اسم الأم", "اسم الام", "الأم")
	add(FieldBirth, "birth", "dob", "date of birth", "birth_date", "birthdate", "تاريخ الميلاد", "تاريخ الولادة")
	add(FieldSex, "sex", "gender", "الجنس")
	add(FieldCategory, "category", "الفئة")
	add(FieldNationality, "nationality", "nationalities", "الجنسية")
	return m
}

// ParseMapping reads a mapping from JSON, {"header": "field", …}, and adds
// it over the defaults (a header it names takes its field instead).
func ParseMapping(r io.Reader) (Mapping, error) {
	var raw map[string]string
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("read column mapping: %w", err)
	}
	m := DefaultMapping()
	for h, f := range raw {
		if !slices.Contains(fields, Field(f)) {
			return nil, fmt.Errorf("column mapping: header %q: %q is not a field (one of %s)", h, f, fieldList())
		}
		m[normHeader(h)] = Field(f)
	}
	return m, nil
}

func fieldList() string {
	s := make([]string, len(fields))
	for i, f := range fields {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

func normHeader(h string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
}

// RosterRow is one good row: the person it registers and its row number
// in the file (the header is row 1).
type RosterRow struct {
	Row    int
	Person custody.Person
}

// RowError is what is wrong with one row: the row number (the header is
// row 1), the field, the value read and why it is refused.
type RowError struct {
	Row    int
	Field  string
	Value  string
	Reason string
}

// Error reads e.g. `row 12, field birth: "1990-13-01" is not a date (YYYY-MM-DD)`.
func (e RowError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("row %d, field %s: %s", e.Row, e.Field, e.Reason)
	}
	return fmt.Sprintf("row %d, field %s: %q %s", e.Row, e.Field, e.Value, e.Reason)
}

// Formats of a roster file.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// maxRows bounds a roster (a facility's roll is at most tens of thousands).
const maxRows = 200_000

// ReadRoster reads a roster in format (FormatCSV or FormatXLSX) with the
// column mapping m (nil: DefaultMapping) and returns the good rows and
// every bad one: unparsable values, records custody.Person.Validate
// refuses and IDs used twice in the file. The error is for a file that
// cannot be read at all. Checks against the register are CheckRoster's.
func ReadRoster(r io.Reader, format string, m Mapping) ([]RosterRow, []RowError, error) {
	if m == nil {
		m = DefaultMapping()
	}
	var table [][]string
	var err error
	switch format {
	case FormatCSV:
		table, err = readCSV(r)
	case FormatXLSX:
		table, err = readXLSX(r)
	default:
		return nil, nil, fmt.Errorf("read roster: format %q is not csv or xlsx", format)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read roster (%s): %w", format, err)
	}
	if len(table) == 0 {
		return nil, nil, errors.New("read roster: the file is empty (no header row)")
	}
	if len(table) > maxRows+1 {
		return nil, nil, fmt.Errorf("read roster: %d rows, more than %d", len(table)-1, maxRows)
	}
	cols, errs := mapHeader(table[0], m)
	if len(errs) > 0 {
		return nil, errs, nil
	}
	var rows []RosterRow
	firstRow := map[custody.PersonID]int{}
	for i, rec := range table[1:] {
		n := i + 2
		if blank(rec) {
			continue
		}
		p, rerrs := parseRow(n, rec, cols)
		if p.ID != "" {
			if first, dup := firstRow[p.ID]; dup {
				rerrs = append(rerrs, RowError{n, string(FieldID), string(p.ID), fmt.Sprintf("is also the ID of row %d", first)})
			} else {
				firstRow[p.ID] = n
			}
		}
		if len(rerrs) == 0 {
			if err := p.Validate(); err != nil {
				rerrs = append(rerrs, RowError{Row: n, Field: FieldRecord, Reason: err.Error()})
			}
		}
		if len(rerrs) > 0 {
			errs = append(errs, rerrs...)
			continue
		}
		rows = append(rows, RosterRow{Row: n, Person: p})
	}
	return rows, errs, nil
}

// mapHeader returns the field of each column ("" for an ignored one), or
// the header's errors (row 1): a field two columns map to, and an ID or
// name column missing.
func mapHeader(header []string, m Mapping) ([]Field, []RowError) {
	cols := make([]Field, len(header))
	seen := map[Field]string{}
	var errs []RowError
	for i, h := range header {
		f, ok := m[normHeader(h)]
		if !ok || f == FieldIgnore {
			continue
		}
		if other, dup := seen[f]; dup {
			errs = append(errs, RowError{1, string(f), h, fmt.Sprintf("maps to the same field as column %q", other)})
			continue
		}
		seen[f] = h
		cols[i] = f
	}
	if _, ok := seen[FieldID]; !ok {
		errs = append(errs, RowError{Row: 1, Field: string(FieldID), Reason: "no column maps to it (give a mapping)"})
	}
	_, latin := seen[FieldName]
	if _, ar := seen[FieldNameAr]; !latin && !ar {
		errs = append(errs, RowError{Row: 1, Field: string(FieldName), Reason: "no column maps to name or name_ar (give a mapping)"})
	}
	return cols, errs
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// parseRow reads one row into a person; every unparsable field is an error.
func parseRow(n int, rec []string, cols []Field) (custody.Person, []RowError) {
	p := custody.Person{Sex: custody.SexUnknown}
	var errs []RowError
	bad := func(f Field, v, reason string) { errs = append(errs, RowError{n, string(f), v, reason}) }
	for i, f := range cols {
		if f == "" || i >= len(rec) {
			continue
		}
		v := strings.TrimSpace(rec[i])
		if v == "" {
			continue
		}
		switch f {
		case FieldID:
			if !validID(v) {
				bad(f, v, "is not an ID (letters, digits, - _ . / only, at most 64)")
				continue
			}
			p.ID = custody.PersonID(v)
		case FieldName:
			setName(&p.Name, v)
		case FieldNameAr:
			if !hasArabic(v) {
				bad(f, v, "is not written in Arabic script")
				continue
			}
			p.Name.Arabic = v
		case FieldFather:
			setName(&p.FatherName, v)
		case FieldFatherAr:
			p.FatherName.Arabic = v
		case FieldMother:
			setName(&p.MotherName, v)
		case FieldMotherAr:
			p.MotherName.Arabic = v
		case FieldBirth:
			b, reason := parseBirth(v)
			if reason != "" {
				bad(f, v, reason)
				continue
			}
			p.Birth = b
		case FieldSex:
			s, ok := sexes[strings.ToLower(v)]
			if !ok {
				bad(f, v, "is not a sex (male, female, unknown, m, f, ذكر, أنثى)")
				continue
			}
			p.Sex = s
		case FieldCategory:
			c, ok := categories[strings.ToLower(v)]
			if !ok {
				bad(f, v, "is not a category (man, woman, boy, girl)")
				continue
			}
			p.Category = c
		case FieldNationality:
			for _, code := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' || r == '/' || unicode.IsSpace(r) }) {
				c, ok := country(code)
				if !ok {
					bad(f, code, "is not an ISO 3166-1 country code")
					continue
				}
				if !slices.Contains(p.Nationalities, c) {
					p.Nationalities = append(p.Nationalities, c)
				}
			}
		}
	}
	if p.ID == "" && !hasField(errs, FieldID) {
		bad(FieldID, "", "is empty: every row needs the person's ID")
	}
	if p.Name.IsZero() {
		bad(FieldName, "", "is empty: every row needs a name (name or name_ar)")
	}
	if p.Category == "" && !hasField(errs, FieldCategory) {
		bad(FieldCategory, "", "is empty: every row needs a category (man, woman, boy, girl)")
	}
	return p, errs
}

func hasField(errs []RowError, f Field) bool {
	return slices.ContainsFunc(errs, func(e RowError) bool { return e.Field == string(f) })
}

func validID(v string) bool {
	if len(v) > 64 {
		return false
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./", r)) {
			return false
		}
	}
	return true
}

func hasArabic(v string) bool {
	return strings.IndexFunc(v, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) >= 0
}

// setName puts v in the Arabic form if it is in Arabic script, else adds
// it as a Latin spelling.
func setName(n *custody.Name, v string) {
	if hasArabic(v) {
		n.Arabic = v
		return
	}
	n.Latin = append(n.Latin, v)
}

// parseBirth reads YYYY-MM-DD, or a year alone (an estimate: 1 January).
func parseBirth(v string) (custody.BirthDate, string) {
	if len(v) == 4 && strings.Trim(v, "0123456789") == "" {
		v += "-01-01"
		d, err := time.Parse(time.DateOnly, v)
		if err != nil || d.Year() < 1900 || d.After(time.Now()) {
			return custody.BirthDate{}, "is not a plausible year of birth"
		}
		return custody.BirthDate{Date: v, Estimated: true}, ""
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return custody.BirthDate{}, "is not a date (YYYY-MM-DD)"
	}
	if d.Year() < 1900 || d.After(time.Now()) {
		return custody.BirthDate{}, "is not a plausible date of birth"
	}
	return custody.BirthDate{Date: v}, ""
}

var sexes = map[string]custody.Sex{
	"male": custody.Male, "m": custody.Male, "ذكر": custody.Male,
	"female": custody.Female, "f": custody.Female, "أنثى": custody.Female, "انثى": custody.Female,
	"unknown": custody.SexUnknown, "u": custody.SexUnknown, "غير معروف": custody.SexUnknown,
}

var categories = map[string]custody.Category{
	"man": custody.Man, "woman": custody.Woman, "boy": custody.Boy, "girl": custody.Girl,
	"رجل": custody.Man, "امرأة": custody.Woman, "إمرأة": custody.Woman, "صبي": custody.Boy, "فتاة": custody.Girl,
}

// country returns the ISO 3166-1 alpha-2 code of code (alpha-2 or
// alpha-3), and whether it is a country's.
func country(code string) (string, bool) {
	if len(code) != 2 && len(code) != 3 {
		return "", false
	}
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() {
		return "", false
	}
	s := r.String()
	if len(s) != 2 {
		return "", false
	}
	return s, true
}

// Register is what CheckRoster asks of the register.
type Register interface {
	// Registered reports whether a person with this ID is registered.
	Registered(ctx context.Context, id custody.PersonID) (bool, error)
	// Search returns the best matches for the duplicate check of p
	// (personindex.Index.Search of personindex.Query(p)).
	Search(ctx context.Context, p *custody.Person) ([]names.Match, error)
}

// CheckRoster checks good rows against the register and one another: an
// ID already registered, and, unless allowDuplicates, a person who is
// probably registered already (a match scoring names.Threshold or more)
// or probably the same as an earlier row of the file. It returns the
// rows that pass and the errors of the others.
func CheckRoster(ctx context.Context, rows []RosterRow, reg Register, allowDuplicates bool) ([]RosterRow, []RowError, error) {
	var ok []RosterRow
	var errs []RowError
	inFile := names.NewIndex()
	rowOf := map[string]int{}
	for _, r := range rows {
		p := r.Person
		var rerrs []RowError
		exists, err := reg.Registered(ctx, p.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("check row %d: %w", r.Row, err)
		}
		if exists {
			rerrs = append(rerrs, RowError{r.Row, string(FieldID), string(p.ID), "is registered already"})
		}
		if !allowDuplicates {
			ms, err := reg.Search(ctx, &p)
			if err != nil {
				return nil, nil, fmt.Errorf("check row %d: duplicate check: %w", r.Row, err)
			}
			for _, m := range ms {
				if m.Score >= names.Threshold && m.ID != string(p.ID) {
					rerrs = append(rerrs, RowError{Row: r.Row, Field: FieldRecord,
						Reason: fmt.Sprintf("probably registered already as %s (%s, score %.2f); --allow-duplicates to import anyway", m.ID, m.Name, m.Score)})
					break
				}
			}
			for _, m := range inFile.Search(personindex.Query(&p), 5) {
				if m.Score >= names.Threshold {
					rerrs = append(rerrs, RowError{Row: r.Row, Field: FieldRecord,
						Reason: fmt.Sprintf("probably the same person as row %d (%s, score %.2f)", rowOf[m.ID], m.ID, m.Score)})
					break
				}
			}
			inFile.Put(personindex.Record(&p))
			rowOf[string(p.ID)] = r.Row
		}
		if len(rerrs) > 0 {
			errs = append(errs, rerrs...)
			continue
		}
		ok = append(ok, r)
	}
	return ok, errs, nil
}

// SortErrors orders row errors by row, then field.
func SortErrors(errs []RowError) {
	slices.SortStableFunc(errs, func(a, b RowError) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return strings.Compare(a.Field, b.Field)
	})
}
