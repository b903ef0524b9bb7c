package custody

import (
	"fmt"
	"slices"
	"time"
)

// Cases: the legal proceedings against a person after transfer. A case is
// opened by the authority that holds the person (its investigative
// committee), charged from the published charges, heard, decided,
// sentenced and appealed, every step an event. A charge that carries death,
// or a death sentence, against a national of a state that opposes the death
// penalty raises an alert (exposure.go).

// CaseID identifies a case.
type CaseID string

// Event types of cases.
const (
	TypeCaseOpened        EventType = "case.opened"
	TypeCaseCharged       EventType = "case.charged"
	TypeCaseHearing       EventType = "case.hearing"
	TypeCaseDecided       EventType = "case.decided"
	TypeCaseSentenced     EventType = "case.sentenced"
	TypeCaseAppealed      EventType = "case.appealed"
	TypeCaseAppealDecided EventType = "case.appeal_decided"
)

// RuleCase: a case's steps come in order, on an open case of a registered
// person held by the case's jurisdiction.
const RuleCase Rule = "case"

// CaseStage is where a case stands.
type CaseStage string

// Stages.
const (
	CaseStageInvestigation CaseStage = "investigation" // opened; charges may be brought and amended
	CaseStageTrial         CaseStage = "trial"         // referred to trial
	CaseStageConvicted     CaseStage = "convicted"     // convicted, not yet sentenced
	CaseStageSentenced     CaseStage = "sentenced"     // sentenced at first instance
	CaseStageAppeal        CaseStage = "appeal"        // an appeal is pending
	CaseStageFinal         CaseStage = "final"         // the sentence is final
	CaseStageClosed        CaseStage = "closed"        // dismissed, acquitted or quashed
)

// Open reports whether the proceedings go on.
func (s CaseStage) Open() bool { return s != CaseStageFinal && s != CaseStageClosed }

// Case is what a case is opened with.
type Case struct {
	ID           CaseID      `json:"id"`
	Person       PersonID    `json:"person"`
	Jurisdiction AuthorityID `json:"jurisdiction"` // the authority that prosecutes and holds the person
	Court        string      `json:"court"`        // the court seized, e.g. "Karkh Criminal Court, Baghdad"
	Committee    string      `json:"committee"`    // the investigative committee
	Reference    string      `json:"reference,omitempty"`
}

// ChargeRef is one charge of a charge sheet: a code of a published version
// of the charges.
type ChargeRef struct {
	Code    string `json:"code"`
	Version int    `json:"version"`
}

// Decision outcomes of a first-instance decision.
const (
	DecisionReferred  = "referred"  // referred to trial
	DecisionDismissed = "dismissed" // the investigation closed without trial
	DecisionAcquitted = "acquitted"
	DecisionConvicted = "convicted"
)

// Appeal outcomes.
const (
	AppealUpheld   = "upheld"   // the sentence stands and is final
	AppealCommuted = "commuted" // a lesser sentence replaces it, final
	AppealQuashed  = "quashed"  // the conviction is quashed
	AppealRetrial  = "retrial"  // sent back for a new trial
)

// CaseOpened opens a case.
type CaseOpened struct {
	Case Case `json:"case"`
}

// CaseCharged brings the charges of a case: the whole charge sheet, which
// replaces any earlier one (a charge dropped is one left out).
type CaseCharged struct {
	Case    CaseID      `json:"case"`
	Person  PersonID    `json:"person"` // the case\'s person, so that the event names whom it is about
	Charges []ChargeRef `json:"charges"`
	Note    string      `json:"note,omitempty"`
}

// CaseHearing records a hearing held.
type CaseHearing struct {
	Case    CaseID   `json:"case"`
	Person  PersonID `json:"person"` // the case\'s person, so that the event names whom it is about
	Court   string   `json:"court"`
	Summary string   `json:"summary"`
	Counsel bool     `json:"counsel"` // the person was represented
}

// CaseDecided records a first-instance decision.
type CaseDecided struct {
	Case     CaseID   `json:"case"`
	Person   PersonID `json:"person"`   // the case\'s person, so that the event names whom it is about
	Decision string   `json:"decision"` // referred, dismissed, acquitted, convicted
	Note     string   `json:"note,omitempty"`
}

// CaseSentenced records the sentence after a conviction.
type CaseSentenced struct {
	Case     CaseID   `json:"case"`
	Person   PersonID `json:"person"` // the case\'s person, so that the event names whom it is about
	Sentence Penalty  `json:"sentence"`
	Court    string   `json:"court"`
}

// CaseAppealed records an appeal lodged against a sentence (in Iraq a death
// sentence goes to the Court of Cassation of its own accord).
type CaseAppealed struct {
	Case   CaseID   `json:"case"`
	Person PersonID `json:"person"` // the case\'s person, so that the event names whom it is about
	By     string   `json:"by"`     // defence, prosecution, automatic
	Court  string   `json:"court"`
}

// CaseAppealDecided records the appeal court's decision.
type CaseAppealDecided struct {
	Case     CaseID   `json:"case"`
	Person   PersonID `json:"person"`             // the case\'s person, so that the event names whom it is about
	Outcome  string   `json:"outcome"`            // upheld, commuted, quashed, retrial
	Sentence *Penalty `json:"sentence,omitempty"` // the new sentence, when commuted
	Note     string   `json:"note,omitempty"`
}

func (*CaseOpened) EventType() EventType        { return TypeCaseOpened }
func (*CaseCharged) EventType() EventType       { return TypeCaseCharged }
func (*CaseHearing) EventType() EventType       { return TypeCaseHearing }
func (*CaseDecided) EventType() EventType       { return TypeCaseDecided }
func (*CaseSentenced) EventType() EventType     { return TypeCaseSentenced }
func (*CaseAppealed) EventType() EventType      { return TypeCaseAppealed }
func (*CaseAppealDecided) EventType() EventType { return TypeCaseAppealDecided }

// CaseStep is one step of a case, as the case's history shows it.
type CaseStep struct {
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Type    EventType `json:"type"`
	Summary string    `json:"summary"`
}

// ChargeSheet is one version of a case's charges.
type ChargeSheet struct {
	Seq     int64       `json:"seq"`
	At      time.Time   `json:"at"`
	Charges []ChargeRef `json:"charges"`
}

// CaseState is a case and where it stands.
type CaseState struct {
	Case       Case          `json:"case"`
	Nationals  []string      `json:"nationalities,omitempty"` // the person's, when opened: for consular scope
	Stage      CaseStage     `json:"stage"`
	Opened     int64         `json:"opened"`
	OpenedAt   time.Time     `json:"opened_at"`
	Sheets     []ChargeSheet `json:"sheets,omitempty"` // every charge sheet, the last in force
	Hearings   int           `json:"hearings"`
	Decision   string        `json:"decision,omitempty"`
	Sentence   *Penalty      `json:"sentence,omitempty"`
	Appeal     string        `json:"appeal,omitempty"` // the appeal's outcome, once decided
	Steps      []CaseStep    `json:"steps"`
	LastStep   int64         `json:"last_step"`
	MaxPenalty *Penalty      `json:"max_penalty,omitempty"` // the gravest maximum of the charges in force
}

// Charges returns the charges in force.
func (c *CaseState) Charges() []ChargeRef {
	if len(c.Sheets) == 0 {
		return nil
	}
	return c.Sheets[len(c.Sheets)-1].Charges
}

func (s *State) applyCaseOpened(seq int64, e *Event, d *CaseOpened, u *journal) error {
	c := d.Case
	if c.ID == "" || c.Court == "" || c.Committee == "" {
		return s.reject(e, c.Person, "", RuleRequired, "case: id, court and committee are required")
	}
	if _, dup := s.Cases[c.ID]; dup {
		return s.reject(e, c.Person, "", RuleDuplicate, "case %s is already open", c.ID)
	}
	ps, err := s.needPerson(e, c.Person)
	if err != nil {
		return err
	}
	if err := s.needAuthority(e, c.Person, "", c.Jurisdiction, "jurisdiction"); err != nil {
		return err
	}
	if l := ps.Location; !l.Status.InCustody() || l.Authority != c.Jurisdiction {
		return s.reject(e, c.Person, "", RuleCase, "the person is not in the custody of %s (status %s, custody %s): a case is opened by the authority that holds them", c.Jurisdiction, l.Status, l.Authority)
	}
	for _, id := range s.casesOf[c.Person] {
		if s.Cases[id].Stage.Open() {
			return s.reject(e, c.Person, "", RuleCase, "the person already has open case %s", id)
		}
	}
	cs := &CaseState{Case: c, Nationals: slices.Clone(ps.Person.Nationalities), Stage: CaseStageInvestigation, Opened: seq, OpenedAt: e.OccurredAt}
	cs.step(seq, e, fmt.Sprintf("case opened before %s by %s", c.Court, c.Committee))
	s.Cases[c.ID] = cs
	had := s.casesOf[c.Person]
	s.casesOf[c.Person] = append(had[:len(had):len(had)], c.ID)
	u.add(func() {
		delete(s.Cases, c.ID)
		if had == nil {
			delete(s.casesOf, c.Person)
		} else {
			s.casesOf[c.Person] = had
		}
	})
	u.caseChanged(c.ID)
	u.person(c.Person)
	return nil
}

func (c *CaseState) step(seq int64, e *Event, summary string) {
	c.Steps = append(c.Steps[:len(c.Steps):len(c.Steps)], CaseStep{Seq: seq, At: e.OccurredAt, By: e.By.User, Type: e.Type, Summary: summary})
	c.LastStep = seq
}

// openCase finds case id for event e, open and in one of the stages given
// (any open stage if none).
func (s *State) openCase(e *Event, id CaseID, person PersonID, stages ...CaseStage) (*CaseState, error) {
	c, ok := s.Cases[id]
	switch {
	case ok && c.Case.Person != person:
		return nil, s.reject(e, person, "", RuleCase, "case %s is the case of %s, not %q", id, c.Case.Person, person)
	case id == "":
		return nil, s.reject(e, "", "", RuleRequired, "case is empty")
	case !ok:
		return nil, &Error{Code: NotFound, Rule: RuleCase, Event: e.Type, Key: e.Key, Msg: fmt.Sprintf("no case %q", id)}
	case !c.Stage.Open():
		return nil, s.reject(e, c.Case.Person, "", RuleCase, "case %s is %s", id, c.Stage)
	case len(stages) > 0 && !slices.Contains(stages, c.Stage):
		return nil, s.reject(e, c.Case.Person, "", RuleCase, "case %s is at stage %s: %s is recorded at %v", id, c.Stage, e.Type, stages)
	}
	return c, nil
}

// caseStep applies a step to case c: f changes a copy, which replaces the
// case; the undo puts the old one back. Then the exposure is reviewed.
func (s *State) caseStep(seq int64, e *Event, c *CaseState, summary string, f func(*CaseState), u *journal) {
	old := *c // enough for undo: the slices are only appended to through capped copies
	f(c)
	c.step(seq, e, summary)
	u.add(func() { *c = old })
	u.caseChanged(c.Case.ID)
	u.person(c.Case.Person)
	s.reviewExposure(seq, e, c, u)
}

func (s *State) applyCaseCharged(seq int64, e *Event, d *CaseCharged, u *journal) error {
	c, err := s.openCase(e, d.Case, d.Person, CaseStageInvestigation, CaseStageTrial)
	if err != nil {
		return err
	}
	if len(d.Charges) == 0 {
		return s.reject(e, c.Case.Person, "", RuleRequired, "a charge sheet has at least one charge")
	}
	var max *Penalty
	seen := map[string]bool{}
	for i, r := range d.Charges {
		if r.Version < 1 || r.Version > len(s.ChargeLists) {
			return s.reject(e, c.Case.Person, "", RuleReference, "charge %d (%s) names version %d of the charges, which has %d published", i+1, r.Code, r.Version, len(s.ChargeLists))
		}
		ch, ok := s.ChargeLists[r.Version-1].Charge(r.Code)
		if !ok {
			return s.reject(e, c.Case.Person, "", RuleReference, "charge %d: %q is not in version %d of the charges", i+1, r.Code, r.Version)
		}
		if seen[r.Code] {
			return s.reject(e, c.Case.Person, "", RuleReference, "charge %d: %q appears twice", i+1, r.Code)
		}
		seen[r.Code] = true
		if max == nil || ch.Max.graver(*max) {
			m := ch.Max
			max = &m
		}
	}
	summary := fmt.Sprintf("charged: %d charge(s), maximum penalty %s", len(d.Charges), max)
	s.caseStep(seq, e, c, summary, func(c *CaseState) {
		c.Sheets = append(c.Sheets[:len(c.Sheets):len(c.Sheets)], ChargeSheet{Seq: seq, At: e.OccurredAt, Charges: slices.Clone(d.Charges)})
		c.MaxPenalty = max
	}, u)
	return nil
}

// graver reports whether p is graver than q.
func (p Penalty) graver(q Penalty) bool {
	rank := func(x Penalty) int {
		switch x.Kind {
		case PenaltyDeath:
			return 1000
		case PenaltyLife:
			return 999
		}
		return x.Years
	}
	return rank(p) > rank(q)
}

func (s *State) applyCaseHearing(seq int64, e *Event, d *CaseHearing, u *journal) error {
	c, err := s.openCase(e, d.Case, d.Person, CaseStageInvestigation, CaseStageTrial, CaseStageAppeal)
	if err != nil {
		return err
	}
	if d.Court == "" || d.Summary == "" {
		return s.reject(e, c.Case.Person, "", RuleRequired, "a hearing names its court and a summary")
	}
	counsel := "without counsel"
	if d.Counsel {
		counsel = "with counsel"
	}
	s.caseStep(seq, e, c, fmt.Sprintf("hearing at %s, %s: %s", d.Court, counsel, d.Summary), func(c *CaseState) { c.Hearings++ }, u)
	return nil
}

func (s *State) applyCaseDecided(seq int64, e *Event, d *CaseDecided, u *journal) error {
	var stages []CaseStage
	next := CaseStageClosed
	switch d.Decision {
	case DecisionReferred:
		stages, next = []CaseStage{CaseStageInvestigation}, CaseStageTrial
	case DecisionDismissed:
		stages = []CaseStage{CaseStageInvestigation}
	case DecisionAcquitted:
		stages = []CaseStage{CaseStageTrial}
	case DecisionConvicted:
		stages, next = []CaseStage{CaseStageTrial}, CaseStageConvicted
	default:
		return s.reject(e, "", "", RuleRequired, "decision %q is not one of referred, dismissed, acquitted, convicted", d.Decision)
	}
	c, err := s.openCase(e, d.Case, d.Person, stages...)
	if err != nil {
		return err
	}
	if (d.Decision == DecisionReferred || d.Decision == DecisionConvicted) && len(c.Sheets) == 0 {
		return s.reject(e, c.Case.Person, "", RuleCase, "case %s has no charges: a %s decision follows a charge sheet", c.Case.ID, d.Decision)
	}
	s.caseStep(seq, e, c, "decision: "+d.Decision, func(c *CaseState) { c.Decision, c.Stage = d.Decision, next }, u)
	return nil
}

func (s *State) applyCaseSentenced(seq int64, e *Event, d *CaseSentenced, u *journal) error {
	c, err := s.openCase(e, d.Case, d.Person, CaseStageConvicted)
	if err != nil {
		return err
	}
	if err := d.Sentence.Validate(); err != nil {
		return s.reject(e, c.Case.Person, "", RuleRequired, "sentence: %v", err)
	}
	if d.Court == "" {
		return s.reject(e, c.Case.Person, "", RuleRequired, "a sentence names its court")
	}
	if c.MaxPenalty != nil && d.Sentence.graver(*c.MaxPenalty) {
		return s.reject(e, c.Case.Person, "", RuleCase, "sentence %s is graver than the charges' maximum, %s", d.Sentence, c.MaxPenalty)
	}
	sent := d.Sentence
	s.caseStep(seq, e, c, fmt.Sprintf("sentenced by %s: %s", d.Court, sent), func(c *CaseState) { c.Sentence, c.Stage = &sent, CaseStageSentenced }, u)
	return nil
}

func (s *State) applyCaseAppealed(seq int64, e *Event, d *CaseAppealed, u *journal) error {
	c, err := s.openCase(e, d.Case, d.Person, CaseStageSentenced, CaseStageConvicted)
	if err != nil {
		return err
	}
	if !slices.Contains([]string{"defence", "prosecution", "automatic"}, d.By) || d.Court == "" {
		return s.reject(e, c.Case.Person, "", RuleRequired, "an appeal is by defence, prosecution or automatic, before a named court")
	}
	s.caseStep(seq, e, c, fmt.Sprintf("appeal (%s) to %s", d.By, d.Court), func(c *CaseState) { c.Stage = CaseStageAppeal }, u)
	return nil
}

func (s *State) applyCaseAppealDecided(seq int64, e *Event, d *CaseAppealDecided, u *journal) error {
	c, err := s.openCase(e, d.Case, d.Person, CaseStageAppeal)
	if err != nil {
		return err
	}
	next, sent := CaseStageFinal, c.Sentence
	switch d.Outcome {
	case AppealUpheld, AppealQuashed, AppealRetrial:
		if d.Sentence != nil {
			return s.reject(e, c.Case.Person, "", RuleCase, "only a commuted sentence names a new sentence")
		}
		if d.Outcome == AppealQuashed {
			next, sent = CaseStageClosed, nil
		}
		if d.Outcome == AppealRetrial {
			next, sent = CaseStageTrial, nil
		}
	case AppealCommuted:
		switch {
		case d.Sentence == nil:
			return s.reject(e, c.Case.Person, "", RuleRequired, "a commuted sentence names the new sentence")
		case d.Sentence.Validate() != nil:
			return s.reject(e, c.Case.Person, "", RuleRequired, "sentence: %v", d.Sentence.Validate())
		case c.Sentence != nil && !c.Sentence.graver(*d.Sentence):
			return s.reject(e, c.Case.Person, "", RuleCase, "a commuted sentence (%s) is lighter than the one it commutes (%s)", d.Sentence, c.Sentence)
		}
		ns := *d.Sentence
		sent = &ns
	default:
		return s.reject(e, c.Case.Person, "", RuleRequired, "outcome %q is not one of upheld, commuted, quashed, retrial", d.Outcome)
	}
	summary := "appeal decided: " + d.Outcome
	if d.Outcome == AppealCommuted {
		summary += ", to " + sent.String()
	}
	s.caseStep(seq, e, c, summary, func(c *CaseState) {
		c.Appeal, c.Stage, c.Sentence = d.Outcome, next, sent
		if d.Outcome == AppealRetrial {
			c.Decision = DecisionReferred
		}
	}, u)
	return nil
}

// CasesOf returns the cases of person p, oldest first.
func (s *State) CasesOf(p PersonID) []*CaseState {
	var out []*CaseState
	for _, id := range s.casesOf[p] {
		out = append(out, s.Cases[id])
	}
	return out
}
