package exchange

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// Export formats.
const (
	FormatJSONL = "jsonl"
	FormatHXL   = "hxl"
)

// ExportFormats are the formats Export writes.
var exportFormats = []string{FormatCSV, FormatXLSX, FormatJSONL, FormatHXL}

// ExportFormats returns the formats an export may take.
func ExportFormats() []string { return append([]string(nil), exportFormats...) }

// ScopePersons returns the records of recs that u may read
// (custody.CanReadPerson on each record's facts), in order. A nil or
// disabled user reads nobody: an export of everything is the caller's
// explicit choice not to call this.
func ScopePersons(u *custody.User, recs []sqlstore.PersonRecord) []sqlstore.PersonRecord {
	var out []sqlstore.PersonRecord
	for _, r := range recs {
		if r.State != nil && custody.CanReadPerson(u, r.Facts) {
			out = append(out, r)
		}
	}
	return out
}

// MoveRecord is a move as exported, with the facts the access policy
// decides on.
type MoveRecord struct {
	Move  sqlstore.MoveSummary
	Facts custody.MoveFacts
}

// ScopeMoves returns the moves of ms that u may view (custody.CanViewMove).
func ScopeMoves(u *custody.User, ms []MoveRecord) []MoveRecord {
	var out []MoveRecord
	for _, m := range ms {
		if u != nil && custody.CanViewMove(u, m.Facts) {
			out = append(out, m)
		}
	}
	return out
}

// table is what the tabular formats write: a header, its HXL hashtags and
// the rows.
type table struct {
	header, hxl []string
	rows        [][]string
}

// The HXL hashtags of the exports. HXL 1.1 (hxlstandard.org, the core
// schema published as "HXL core schemas" on data.humdata.org) has no
// hashtag for an individual's record; the closest released ones are used:
//   - #beneficiary ("general information about a person … meant to
//     benefit from aid activities") with the standard attributes +id,
//     +name, +type and the language attribute +i_ar for the person;
//     +father, +mother and +sex are our own attributes (HXL allows any);
//   - #date+birth for the date of birth (+birth is ours; #date is core);
//   - #country+code+v_iso2 for nationalities (ISO 3166-1 alpha-2, the
//     form OCHA's countries-and-territories dataset uses);
//   - #status+code for the custody status, #loc+code for the facility
//     (#loc: "any general location, such as a village, camp, or clinic"),
//     #org+code for the authority holding custody (#org includes
//     law-enforcement and military units), #date+start for since when;
//   - for moves: #meta+id, #activity+code for the allocation, #meta+type
//     for the mode, #loc+code+origin and #loc+code+dest (core attributes),
//     #org+code+escort, #date+start for the departure, and
//     #indicator+num+manifested, #indicator+num+aboard for the counts.
var (
	personHeader = []string{"id", "name", "name_ar", "father", "father_ar", "mother", "mother_ar", "sex", "birth", "category", "nationality", "status", "facility", "authority", "since"}
	personHXL    = []string{"#beneficiary+id", "#beneficiary+name", "#beneficiary+name+i_ar", "#beneficiary+name+father", "#beneficiary+name+father+i_ar",
		"#beneficiary+name+mother", "#beneficiary+name+mother+i_ar", "#beneficiary+sex", "#date+birth", "#beneficiary+type", "#country+code+v_iso2",
		"#status+code", "#loc+code", "#org+code", "#date+start"}
	caseHeader = []string{"id", "person", "nationality", "jurisdiction", "court", "committee", "stage", "charges", "max_penalty", "hearings", "decision", "sentence", "appeal", "opened", "last_step"}
	caseHXL    = []string{"#meta+id", "#beneficiary+id", "#country+code+v_iso2", "#org+code", "#org+court", "#org+committee", "#status+code",
		"#indicator+text+charges", "#indicator+text+max_penalty", "#indicator+num+hearings", "#status+decision", "#indicator+text+sentence", "#status+appeal",
		"#date+start", "#date+updated"}
	moveHeader = []string{"id", "allocation", "mode", "status", "origin", "destination", "escort", "departure", "manifested", "aboard"}
	moveHXL    = []string{"#meta+id", "#activity+code", "#meta+type", "#status+code", "#loc+code+origin", "#loc+code+dest", "#org+code+escort",
		"#date+start", "#indicator+num+manifested", "#indicator+num+aboard"}
)

// PersonLine is one person as exported: the columns of the tabular
// exports, one JSON object per line in JSON Lines. Medical notes, family
// links and contacts are not exported.
type PersonLine struct {
	ID            custody.PersonID    `json:"id"`
	Name          custody.Name        `json:"name"`
	FatherName    custody.Name        `json:"father_name,omitzero"`
	MotherName    custody.Name        `json:"mother_name,omitzero"`
	Sex           custody.Sex         `json:"sex"`
	Birth         custody.BirthDate   `json:"birth,omitzero"`
	Category      custody.Category    `json:"category"`
	Nationalities []string            `json:"nationalities,omitempty"`
	Status        custody.Status      `json:"status"`
	Facility      custody.FacilityID  `json:"facility,omitempty"`
	Authority     custody.AuthorityID `json:"authority,omitempty"`
	Since         string              `json:"since,omitempty"`
}

func personLine(ps *custody.PersonState) PersonLine {
	p, l := &ps.Person, ps.Location
	pl := PersonLine{ID: p.ID, Name: p.Name, FatherName: p.FatherName, MotherName: p.MotherName, Sex: p.Sex, Birth: p.Birth,
		Category: p.Category, Nationalities: p.Nationalities, Status: l.Status, Facility: l.Facility, Authority: l.Authority}
	if !l.Since.IsZero() {
		pl.Since = l.Since.UTC().Format("2006-01-02T15:04:05Z")
	}
	return pl
}

func latin(n custody.Name) string { return strings.Join(n.Latin, "; ") }

func personTable(recs []sqlstore.PersonRecord) table {
	t := table{header: personHeader, hxl: personHXL}
	for _, r := range recs {
		pl := personLine(r.State)
		t.rows = append(t.rows, []string{string(pl.ID), latin(pl.Name), pl.Name.Arabic, latin(pl.FatherName), pl.FatherName.Arabic,
			latin(pl.MotherName), pl.MotherName.Arabic, string(pl.Sex), pl.Birth.Date, string(pl.Category),
			strings.Join(pl.Nationalities, ";"), string(pl.Status), string(pl.Facility), string(pl.Authority), pl.Since})
	}
	return t
}

// ScopeCases returns the cases u may view (custody.CanViewCase).
func ScopeCases(u *custody.User, cs []*custody.CaseState) []*custody.CaseState {
	var out []*custody.CaseState
	for _, c := range cs {
		if u != nil && custody.CanViewCase(u, c) {
			out = append(out, c)
		}
	}
	return out
}

// CaseLine is one case as exported.
type CaseLine struct {
	ID            custody.CaseID      `json:"id"`
	Person        custody.PersonID    `json:"person"`
	Nationalities []string            `json:"nationalities,omitempty"`
	Jurisdiction  custody.AuthorityID `json:"jurisdiction"`
	Court         string              `json:"court"`
	Committee     string              `json:"committee"`
	Stage         custody.CaseStage   `json:"stage"`
	Charges       []custody.ChargeRef `json:"charges,omitempty"`
	MaxPenalty    string              `json:"max_penalty,omitempty"`
	Hearings      int                 `json:"hearings"`
	Decision      string              `json:"decision,omitempty"`
	Sentence      string              `json:"sentence,omitempty"`
	Appeal        string              `json:"appeal,omitempty"`
	Opened        string              `json:"opened"`
	LastStep      string              `json:"last_step,omitempty"`
}

func caseLine(c *custody.CaseState) CaseLine {
	l := CaseLine{ID: c.Case.ID, Person: c.Case.Person, Nationalities: c.Nationals, Jurisdiction: c.Case.Jurisdiction, Court: c.Case.Court,
		Committee: c.Case.Committee, Stage: c.Stage, Charges: c.Charges(), Hearings: c.Hearings, Decision: c.Decision, Appeal: c.Appeal,
		Opened: c.OpenedAt.UTC().Format("2006-01-02T15:04:05Z")}
	if c.MaxPenalty != nil {
		l.MaxPenalty = c.MaxPenalty.String()
	}
	if c.Sentence != nil {
		l.Sentence = c.Sentence.String()
	}
	if n := len(c.Steps); n > 0 {
		l.LastStep = c.Steps[n-1].At.UTC().Format("2006-01-02T15:04:05Z")
	}
	return l
}

func caseTable(cs []*custody.CaseState) table {
	t := table{header: caseHeader, hxl: caseHXL}
	for _, c := range cs {
		l := caseLine(c)
		var charges []string
		for _, ch := range l.Charges {
			charges = append(charges, fmt.Sprintf("%s (v%d)", ch.Code, ch.Version))
		}
		t.rows = append(t.rows, []string{string(l.ID), string(l.Person), strings.Join(l.Nationalities, ";"), string(l.Jurisdiction), l.Court, l.Committee,
			string(l.Stage), strings.Join(charges, ";"), l.MaxPenalty, strconv.Itoa(l.Hearings), l.Decision, l.Sentence, l.Appeal, l.Opened, l.LastStep})
	}
	return t
}

// ExportCases writes cs (already scoped: ScopeCases) to w in format.
func ExportCases(w io.Writer, format string, cs []*custody.CaseState) error {
	if format == FormatJSONL {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, c := range cs {
			if err := enc.Encode(caseLine(c)); err != nil {
				return fmt.Errorf("export cases: %w", err)
			}
		}
		return nil
	}
	if err := writeTable(w, format, "cases", caseTable(cs)); err != nil {
		return fmt.Errorf("export cases: %w", err)
	}
	return nil
}

func moveTable(ms []MoveRecord) table {
	t := table{header: moveHeader, hxl: moveHXL}
	for _, m := range ms {
		v := m.Move
		t.rows = append(t.rows, []string{string(v.ID), string(v.Allocation), string(v.Mode), string(v.Status), string(v.Origin),
			string(v.Destination), string(v.Escort), v.Departure, strconv.Itoa(v.Manifested), strconv.Itoa(v.Aboard)})
	}
	return t
}

// ExportPersons writes recs (already scoped: ScopePersons) to w in format
// (csv, xlsx, jsonl or hxl).
func ExportPersons(w io.Writer, format string, recs []sqlstore.PersonRecord) error {
	if format == FormatJSONL {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, r := range recs {
			if err := enc.Encode(personLine(r.State)); err != nil {
				return fmt.Errorf("export persons: %w", err)
			}
		}
		return nil
	}
	if err := writeTable(w, format, "persons", personTable(recs)); err != nil {
		return fmt.Errorf("export persons: %w", err)
	}
	return nil
}

// ExportMoves writes ms (already scoped: ScopeMoves) to w in format.
func ExportMoves(w io.Writer, format string, ms []MoveRecord) error {
	if format == FormatJSONL {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, m := range ms {
			if err := enc.Encode(m.Move); err != nil {
				return fmt.Errorf("export moves: %w", err)
			}
		}
		return nil
	}
	if err := writeTable(w, format, "moves", moveTable(ms)); err != nil {
		return fmt.Errorf("export moves: %w", err)
	}
	return nil
}

func writeTable(w io.Writer, format, sheet string, t table) error {
	switch format {
	case FormatCSV, FormatHXL:
		cw := csv.NewWriter(w)
		cw.Write(t.header)
		if format == FormatHXL {
			cw.Write(t.hxl)
		}
		for _, r := range t.rows {
			cw.Write(r)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write %s: %w", format, err)
		}
		return nil
	case FormatXLSX:
		return writeXLSX(w, sheet, t)
	}
	return fmt.Errorf("format %q is not one of %s", format, strings.Join(exportFormats, ", "))
}

func writeXLSX(w io.Writer, sheet string, t table) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	row := func(n int, vals []string) error {
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		vs := make([]any, len(vals))
		for i, v := range vals {
			vs[i] = v // text, so IDs and dates are not reinterpreted
		}
		return sw.SetRow(cell, vs)
	}
	if err := row(1, t.header); err != nil {
		return fmt.Errorf("write xlsx: header: %w", err)
	}
	for i, r := range t.rows {
		if err := row(i+2, r); err != nil {
			return fmt.Errorf("write xlsx: row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}
