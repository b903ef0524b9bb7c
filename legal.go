package custody

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Legal reference data: the charges a case may carry, each with its maximum
// penalty, and the states' positions on the death penalty. Both are
// versioned in the log like the reference lists: a charge recorded names
// the version it was chosen from, and an alert names the version of the
// positions that raised it, so neither changes meaning when a later version
// is published.

// Event types of legal reference data.
const (
	TypeChargesPublished   EventType = "reference.charges_published"
	TypePositionsPublished EventType = "reference.death_penalty_published"
)

// PenaltyKind is the kind of a penalty.
type PenaltyKind string

// Penalty kinds, from the gravest.
const (
	PenaltyDeath PenaltyKind = "death"
	PenaltyLife  PenaltyKind = "life"  // life imprisonment
	PenaltyYears PenaltyKind = "years" // imprisonment for a number of years
)

// Penalty is a sentence, or the maximum a charge carries.
type Penalty struct {
	Kind  PenaltyKind `json:"kind"`
	Years int         `json:"years,omitempty"` // for "years"
}

// Validate checks the penalty on its own.
func (p Penalty) Validate() error {
	switch p.Kind {
	case PenaltyDeath, PenaltyLife:
		if p.Years != 0 {
			return fmt.Errorf("a %s penalty has no years", p.Kind)
		}
	case PenaltyYears:
		if p.Years < 1 || p.Years > 99 {
			return fmt.Errorf("years %d is not 1 to 99", p.Years)
		}
	default:
		return fmt.Errorf("penalty kind %q is not one of death, life, years", p.Kind)
	}
	return nil
}

// String describes the penalty in English.
func (p Penalty) String() string {
	switch p.Kind {
	case PenaltyDeath:
		return "death"
	case PenaltyLife:
		return "life imprisonment"
	case PenaltyYears:
		return fmt.Sprintf("%d years' imprisonment", p.Years)
	}
	return string(p.Kind)
}

// Charge is one offence a case may charge.
type Charge struct {
	Code    string  `json:"code"`
	Law     string  `json:"law"`     // the law, e.g. "Anti-Terrorism Law No. 13 of 2005 (Iraq)"
	Article string  `json:"article"` // e.g. "4(1)"
	Label   string  `json:"label"`
	LabelAr string  `json:"label_ar,omitempty"`
	Max     Penalty `json:"max"` // the maximum penalty the charge carries
}

// ChargesPublished publishes a version of the charges. Versions are
// numbered 1, 2, ... in log order.
type ChargesPublished struct {
	Version int      `json:"version"`
	Source  string   `json:"source"` // where the charges and penalties are taken from
	Charges []Charge `json:"charges"`
}

// ChargeList is one published version of the charges.
type ChargeList struct {
	Version int      `json:"version"`
	Source  string   `json:"source"`
	Charges []Charge `json:"charges"`
	Seq     int64    `json:"seq"`
}

// Charge returns the charge with the given code.
func (l *ChargeList) Charge(code string) (Charge, bool) {
	for _, c := range l.Charges {
		if c.Code == code {
			return c, true
		}
	}
	return Charge{}, false
}

// Position is a state's position on the death penalty, in the categories
// Amnesty International and the UN Secretary-General use.
type Position string

// Positions.
const (
	Abolitionist           Position = "abolitionist"             // for all crimes
	AbolitionistOrdinary   Position = "abolitionist-ordinary"    // for ordinary crimes only
	AbolitionistInPractice Position = "abolitionist-in-practice" // no execution for ten years, or a moratorium
	Retentionist           Position = "retentionist"
)

// OpposesExecution reports whether a state of this position opposes the
// execution of its nationals: every position but retentionist.
func (p Position) OpposesExecution() bool {
	return p == Abolitionist || p == AbolitionistOrdinary || p == AbolitionistInPractice
}

// StatePosition is one state's position.
type StatePosition struct {
	Country  string   `json:"country"` // ISO 3166-1 alpha-2
	Position Position `json:"position"`
	Since    int      `json:"since,omitempty"` // the year of abolition, if abolitionist
	Note     string   `json:"note,omitempty"`
}

// PositionsPublished publishes a version of the states' positions on the
// death penalty, with its source and the date it states them at.
type PositionsPublished struct {
	Version   int             `json:"version"`
	Source    string          `json:"source"`
	AsOf      string          `json:"as_of"` // YYYY-MM-DD
	Positions []StatePosition `json:"positions"`
}

// PositionTable is one published version of the positions.
type PositionTable struct {
	Version   int             `json:"version"`
	Source    string          `json:"source"`
	AsOf      string          `json:"as_of"`
	Positions []StatePosition `json:"positions"`
	Seq       int64           `json:"seq"`
}

// Of returns the position of country, if the table has it.
func (t *PositionTable) Of(country string) (StatePosition, bool) {
	for _, p := range t.Positions {
		if p.Country == country {
			return p, true
		}
	}
	return StatePosition{}, false
}

func (*ChargesPublished) EventType() EventType   { return TypeChargesPublished }
func (*PositionsPublished) EventType() EventType { return TypePositionsPublished }

// Charges returns the latest version of the charges, or nil.
func (s *State) Charges() *ChargeList {
	if len(s.ChargeLists) == 0 {
		return nil
	}
	return s.ChargeLists[len(s.ChargeLists)-1]
}

// Positions returns the latest version of the positions, or nil.
func (s *State) Positions() *PositionTable {
	if len(s.PositionTables) == 0 {
		return nil
	}
	return s.PositionTables[len(s.PositionTables)-1]
}

func (s *State) applyCharges(seq int64, e *Event, d *ChargesPublished, u *journal) error {
	have := s.ChargeLists
	switch {
	case d.Version != len(have)+1:
		return s.reject(e, "", "", RuleReference, "charges: version %d follows version %d: want %d", d.Version, len(have), len(have)+1)
	case d.Source == "":
		return s.reject(e, "", "", RuleRequired, "charges version %d: source is empty", d.Version)
	case len(d.Charges) == 0:
		return s.reject(e, "", "", RuleRequired, "charges version %d has no charges", d.Version)
	}
	seen := map[string]bool{}
	for i, c := range d.Charges {
		switch {
		case c.Code == "" || c.Law == "" || c.Article == "" || c.Label == "":
			return s.reject(e, "", "", RuleRequired, "charge %d: code, law, article and label are required", i+1)
		case seen[c.Code]:
			return s.reject(e, "", "", RuleReference, "charge %d: code %q appears twice", i+1, c.Code)
		}
		if err := c.Max.Validate(); err != nil {
			return s.reject(e, "", "", RuleRequired, "charge %d (%s): max: %v", i+1, c.Code, err)
		}
		seen[c.Code] = true
	}
	s.ChargeLists = append(have[:len(have):len(have)], &ChargeList{Version: d.Version, Source: d.Source, Charges: d.Charges, Seq: seq})
	u.add(func() { s.ChargeLists = have })
	u.ch.Legal = append(u.ch.Legal, LegalRef{Kind: LegalCharges, Version: d.Version})
	return nil
}

func (s *State) applyPositions(seq int64, e *Event, d *PositionsPublished, u *journal) error {
	have := s.PositionTables
	switch {
	case d.Version != len(have)+1:
		return s.reject(e, "", "", RuleReference, "death-penalty positions: version %d follows version %d: want %d", d.Version, len(have), len(have)+1)
	case d.Source == "":
		return s.reject(e, "", "", RuleRequired, "death-penalty positions version %d: source is empty", d.Version)
	case len(d.Positions) == 0:
		return s.reject(e, "", "", RuleRequired, "death-penalty positions version %d has no states", d.Version)
	}
	if _, err := time.Parse(time.DateOnly, d.AsOf); err != nil {
		return s.reject(e, "", "", RuleRequired, "death-penalty positions version %d: as_of %q is not a date (YYYY-MM-DD)", d.Version, d.AsOf)
	}
	seen := map[string]bool{}
	for i, p := range d.Positions {
		if !isCountryCode(p.Country) {
			return s.reject(e, "", "", RuleRequired, "position %d: country %q is not an ISO 3166-1 alpha-2 code", i+1, p.Country)
		}
		if seen[p.Country] {
			return s.reject(e, "", "", RuleReference, "position %d: country %s appears twice", i+1, p.Country)
		}
		if !slices.Contains([]Position{Abolitionist, AbolitionistOrdinary, AbolitionistInPractice, Retentionist}, p.Position) {
			return s.reject(e, "", "", RuleReference, "position %d (%s): %q is not one of abolitionist, abolitionist-ordinary, abolitionist-in-practice, retentionist", i+1, p.Country, p.Position)
		}
		seen[p.Country] = true
	}
	s.PositionTables = append(have[:len(have):len(have)], &PositionTable{Version: d.Version, Source: d.Source, AsOf: d.AsOf, Positions: d.Positions, Seq: seq})
	u.add(func() { s.PositionTables = have })
	u.ch.Legal = append(u.ch.Legal, LegalRef{Kind: LegalPositions, Version: d.Version})
	// A state that now opposes the death penalty is told of its nationals
	// already exposed: every case is reviewed (in ID order, so that every
	// replay raises the same alerts).
	for _, id := range slices.Sorted(maps.Keys(s.Cases)) {
		s.reviewExposure(seq, e, s.Cases[id], u)
	}
	return nil
}

func isCountryCode(c string) bool {
	return len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
}

// LegalKind names a kind of legal reference data.
type LegalKind string

// Legal reference kinds.
const (
	LegalCharges   LegalKind = "charges"
	LegalPositions LegalKind = "death-penalty"
)

// LegalRef names one version of legal reference data.
type LegalRef struct {
	Kind    LegalKind
	Version int
}

// atl is the law most cases are brought under.
const atl = "Anti-Terrorism Law No. 13 of 2005 (Iraq)"

// DefaultCharges is the first version of the charges that `custody init`
// and the demo publish. The penalties are those of the law's Article 4.
func DefaultCharges() ChargesPublished {
	return ChargesPublished{
		Version: 1,
		Source:  "Anti-Terrorism Law No. 13 of 2005, Official Gazette of the Republic of Iraq No. 4009 (9 November 2005), Articles 2 to 4",
		Charges: []Charge{
			{Code: "atl-4-1-act", Law: atl, Article: "4(1)", Max: Penalty{Kind: PenaltyDeath},
				Label: "committing a terrorist act (Articles 2 and 3), as principal or accomplice", LabelAr: "ارتكاب عمل إرهابي بصفته فاعلاً أصلياً أو شريكاً"},
			{Code: "atl-4-1-membership", Law: atl, Article: "4(1)", Max: Penalty{Kind: PenaltyDeath},
				Label: "membership of a terrorist organisation", LabelAr: "الانتماء إلى تنظيم إرهابي"},
			{Code: "atl-4-1-support", Law: atl, Article: "4(1)", Max: Penalty{Kind: PenaltyDeath},
				Label: "inciting, planning, financing or enabling terrorist acts", LabelAr: "التحريض على الأعمال الإرهابية أو التخطيط لها أو تمويلها أو تمكين الإرهابيين من ارتكابها"},
			{Code: "atl-4-2-concealment", Law: atl, Article: "4(2)", Max: Penalty{Kind: PenaltyLife},
				Label: "concealing a terrorist act or harbouring a terrorist", LabelAr: "إخفاء عمل إرهابي أو إيواء شخص إرهابي"},
		},
	}
}

// DefaultPositions is the first version of the states' positions on the
// death penalty that `custody init` and the demo publish, for the
// nationalities of the operation. A deployment checks it against the
// source and publishes its own later versions; a state missing from the
// table raises no alert.
func DefaultPositions() PositionsPublished {
	ab := func(c string, since int) StatePosition {
		return StatePosition{Country: c, Position: Abolitionist, Since: since}
	}
	pr := func(c, note string) StatePosition {
		return StatePosition{Country: c, Position: AbolitionistInPractice, Note: note}
	}
	re := func(c string) StatePosition { return StatePosition{Country: c, Position: Retentionist} }
	return PositionsPublished{
		Version: 1,
		Source:  "Amnesty International, Death Sentences and Executions 2024, annex: abolitionist and retentionist countries as of 31 December 2024",
		AsOf:    "2024-12-31",
		Positions: []StatePosition{
			ab("SE", 1972), ab("FR", 1981), ab("GB", 1998), ab("DE", 1987), ab("NL", 1982), ab("BE", 1996),
			ab("AT", 1968), ab("CH", 1992), ab("IE", 1990), ab("DK", 1978), ab("NO", 1979), ab("FI", 1972),
			ab("ES", 1995), ab("IT", 1994), ab("PT", 1976), ab("AU", 1985), ab("CA", 1998),
			ab("TR", 2004), ab("AZ", 1998), ab("GE", 1997), ab("UA", 1999), ab("TM", 1999),
			ab("UZ", 2008), ab("KG", 2007), ab("KZ", 2021), ab("PH", 2006),
			pr("RU", "moratorium since 1996"), pr("TJ", "moratorium since 2004"), pr("TN", ""), pr("MA", ""),
			pr("DZ", ""), pr("MR", ""), pr("MV", ""),
			re("IQ"), re("SY"), re("SA"), re("EG"), re("JO"), re("YE"), re("KW"), re("BH"), re("QA"),
			re("SD"), re("SO"), re("LY"), re("PS"), re("LB"), re("PK"), re("IN"), re("BD"), re("AF"),
			re("ID"), re("MY"), re("CN"), re("US"),
		},
	}
}
