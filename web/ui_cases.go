package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
)

// The judicial board (the cases a user may see, by stage), a case's page
// (its person, court, the charge sheet in force and the earlier ones, its
// history with each step's proof, its death-penalty alerts) with the forms
// of the steps that may follow, and the form that opens a case from a
// person's page. Every form records its event through Server.record, in
// the user's name, checked by the policy in the writer.

// caseSteps are the forms of a case page, by the path they post to.
var caseSteps = []string{"charge", "hearing", "decision", "sentence", "appeal", "appeal-decision"}

type caseStageTab struct {
	Stage  custody.CaseStage
	N      int
	Active bool
}

type caseRow struct {
	C     *custody.CaseState
	P     shownPerson
	Max   string // the charges' maximum penalty, in the page's language
	Death bool   // the person faces death now
	Last  time.Time
}

type casesData struct {
	L                 *lookup
	Stage             string
	Person            string
	All               int
	Tabs              []caseStageTab
	Rows              []caseRow
	NextURL, FirstURL string
}

// casesPage is the judicial board: the cases the user may see, filtered
// by stage (and person), the latest step first, a page at a time.
func (s *Server) casesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	lang := langOf(r)
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := &casesData{L: l, Stage: q.Get("stage"), Person: strings.ToUpper(strings.TrimSpace(q.Get("person")))}
	if d.Stage != "" && !slices.Contains(caseStages, custody.CaseStage(d.Stage)) {
		return custody.Errorf(custody.Invalid, "no stage %q: one of %s", d.Stage, joinNames(caseStages))
	}
	cases, err := s.visibleCases(ctx, u, custody.PersonID(d.Person))
	if err != nil {
		return err
	}
	d.All = len(cases)
	for _, st := range caseStages {
		n := 0
		for _, c := range cases {
			if c.Stage == st {
				n++
			}
		}
		d.Tabs = append(d.Tabs, caseStageTab{Stage: st, N: n, Active: string(st) == d.Stage})
	}
	if d.Stage != "" {
		cases = slices.DeleteFunc(cases, func(c *custody.CaseState) bool { return string(c.Stage) != d.Stage })
	}
	// The latest step first: what moved last is on top.
	slices.SortStableFunc(cases, func(a, b *custody.CaseState) int { return cmp.Compare(b.LastStep, a.LastStep) })
	key := func(c *custody.CaseState) string { return string(c.Case.ID) }
	after := q.Get("after")
	if cases, err = pageAfter(cases, after, key, "case"); err != nil {
		return err
	}
	cases, next := clip(cases, 100, key)
	if next != "" {
		d.NextURL = withQuery("/cases", q, "after", next)
	}
	if after != "" {
		d.FirstURL = withQuery("/cases", q, "after", "")
	}
	ids := make([]custody.PersonID, len(cases))
	for i, c := range cases {
		ids[i] = c.Case.Person
	}
	shown, err := s.shownPersons(ctx, u, ids)
	if err != nil {
		return err
	}
	for _, c := range cases {
		row := caseRow{C: c, P: shown[c.Case.Person], Max: penaltyText(lang, c.MaxPenalty), Death: facesDeath(c)}
		if n := len(c.Steps); n > 0 {
			row.Last = c.Steps[n-1].At
		}
		d.Rows = append(d.Rows, row)
	}
	if err := s.audit(r, readIDs(shown)...); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "cases", "Cases", d)
}

// chargeView is a charge as the case page shows it: from the version it
// was chosen from, in the page's language.
type chargeView struct {
	Code         string
	Version      int
	Law, Article string
	Text         string // the label
	Max          string // the maximum penalty
	Death        bool
}

// sheetView is a charge sheet.
type sheetView struct {
	Seq     int64
	At      time.Time
	Charges []chargeView
}

// choiceBox is a checkbox of the charge-sheet form.
type choiceBox struct {
	Code, Article, Label, Max string
	Checked                   bool
}

type caseData struct {
	L          *lookup
	C          *custody.CaseState
	P          shownPerson
	Death      bool
	Max        string
	Sentence   string
	InForce    *sheetView
	Earlier    []sheetView // newest first
	Steps      []timelineRow
	Checkpoint *uiCheckpointInfo
	Exposures  []*custody.Exposure
	ShowAlerts bool // the user may see death-penalty alerts

	// The forms of the next steps, for a judicial user of the case's
	// jurisdiction.
	Judge                   bool
	Forms                   map[string]bool
	Decisions               []string
	ChargeVersion           int
	ChargeChoices           []choiceBox
	Flash                   string
	Error                   *apiError
	PenaltyKinds, AppealBys []string
	Outcomes                []string
}

// casePage shows a case the user may see.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.visibleCase(r.Context(), userOf(r), custody.CaseID(r.PathValue("id")))
	if err != nil {
		return err
	}
	flash := ""
	if done := r.URL.Query().Get("done"); done == "opened" || slices.Contains(caseSteps, done) {
		flash = langOf(r).T("Recorded.")
	}
	return s.renderCase(w, r, http.StatusOK, c, flash, nil)
}

// judgeOf reports whether u is a judicial user of case c's jurisdiction,
// who records its steps.
func judgeOf(u *custody.User, c *custody.CaseState) bool {
	return u.Role == custody.RoleJudicial && u.Authority == c.Case.Jurisdiction && custody.Can(u, custody.RecordEvents)
}

// mayJudge reports whether u records a next step of case c now.
func mayJudge(u *custody.User, c *custody.CaseState) bool { return judgeOf(u, c) && c.Stage.Open() }

// nextSteps are the forms valid at a case's stage, and the decisions a
// decision form offers.
func nextSteps(c *custody.CaseState) (map[string]bool, []string) {
	f := map[string]bool{}
	var decisions []string
	switch c.Stage {
	case custody.CaseStageInvestigation:
		f["charge"], f["hearing"], f["decision"] = true, true, true
		if len(c.Sheets) > 0 {
			decisions = append(decisions, custody.DecisionReferred)
		}
		decisions = append(decisions, custody.DecisionDismissed)
	case custody.CaseStageTrial:
		f["charge"], f["hearing"], f["decision"] = true, true, true
		decisions = []string{custody.DecisionConvicted, custody.DecisionAcquitted}
	case custody.CaseStageConvicted:
		f["sentence"], f["appeal"] = true, true
	case custody.CaseStageSentenced:
		f["appeal"] = true
	case custody.CaseStageAppeal:
		f["hearing"], f["appeal-decision"] = true, true
	}
	return f, decisions
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, code int, c *custody.CaseState, flash string, fail *apiError) error {
	ctx := r.Context()
	u := userOf(r)
	lang := langOf(r)
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	lists, _, err := s.store.LegalReference(ctx)
	if err != nil {
		return err
	}
	d := &caseData{L: l, C: c, Death: facesDeath(c), Max: penaltyText(lang, c.MaxPenalty), Sentence: penaltyText(lang, c.Sentence),
		Flash: flash, Error: fail}
	shown, err := s.shownPersons(ctx, u, []custody.PersonID{c.Case.Person})
	if err != nil {
		return err
	}
	d.P = shown[c.Case.Person]
	view := func(sh custody.ChargeSheet) sheetView {
		v := sheetView{Seq: sh.Seq, At: sh.At}
		for _, ch := range resolveCharges(lists, sh.Charges) {
			cv := chargeView{Code: ch.Code, Version: ch.Version, Law: ch.Law, Article: ch.Article, Text: ch.Label, Max: penaltyText(lang, ch.Max),
				Death: ch.Max != nil && ch.Max.Kind == custody.PenaltyDeath}
			if lang == Arabic && ch.LabelAr != "" {
				cv.Text = ch.LabelAr
			}
			if cv.Text == "" {
				cv.Text = ch.Code
			}
			v.Charges = append(v.Charges, cv)
		}
		return v
	}
	for i := len(c.Sheets) - 1; i >= 0; i-- {
		v := view(c.Sheets[i])
		if i == len(c.Sheets)-1 {
			d.InForce = &v
		} else {
			d.Earlier = append(d.Earlier, v)
		}
	}
	if d.Checkpoint, err = s.uiCheckpoint(ctx); err != nil {
		return err
	}
	for _, st := range c.Steps {
		row, err := s.stepRow(ctx, l, d.Checkpoint, st)
		if err != nil {
			return err
		}
		d.Steps = append(d.Steps, row)
	}
	if d.Exposures, err = s.caseExposures(r, c); err != nil {
		return err
	}
	d.ShowAlerts = custody.Can(u, custody.ViewConsular) && showsAlerts(u, d.Exposures)
	if mayJudge(u, c) {
		d.Judge = true
		d.Forms, d.Decisions = nextSteps(c)
		d.PenaltyKinds = []string{string(custody.PenaltyYears), string(custody.PenaltyLife), string(custody.PenaltyDeath)}
		d.AppealBys = []string{"defence", "prosecution", "automatic"}
		d.Outcomes = []string{custody.AppealUpheld, custody.AppealCommuted, custody.AppealQuashed, custody.AppealRetrial}
		if len(lists) > 0 {
			cur := lists[len(lists)-1]
			d.ChargeVersion = cur.Version
			inForce := map[string]bool{}
			for _, ch := range c.Charges() {
				inForce[ch.Code] = true
			}
			for _, ch := range cur.Charges {
				label := ch.Label
				if lang == Arabic && ch.LabelAr != "" {
					label = ch.LabelAr
				}
				m := ch.Max
				d.ChargeChoices = append(d.ChargeChoices, choiceBox{Code: ch.Code, Article: ch.Article, Label: label, Max: penaltyText(lang, &m), Checked: inForce[ch.Code]})
			}
		}
	}
	if d.P.Readable {
		if err := s.audit(r, c.Case.Person); err != nil {
			return err
		}
	}
	return s.render(w, r, code, "case", "Case", d)
}

// stepRow is a step of a case as its history shows it: the event told in
// the page's language, with its inclusion proof checked against the
// latest signed checkpoint, as on a person's timeline.
func (s *Server) stepRow(ctx context.Context, l *lookup, cp *uiCheckpointInfo, st custody.CaseStep) (timelineRow, error) {
	e, body, err := s.store.Event(ctx, st.Seq)
	if err != nil {
		return timelineRow{}, err
	}
	row := timelineRow{Seq: st.Seq, Event: &e, Label: l.EventLabel(e.Type), Text: l.Describe(&e), Leaf: ledger.LeafHash(body)}
	if cp != nil && st.Seq < cp.Size {
		s.proveRow(ctx, cp, &row)
	}
	return row, nil
}

// caseStepForm records the step a case page's form posts, and goes back
// to the case; a refused form shows the case again with why.
func (s *Server) caseStepForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	step := r.PathValue("step")
	if !slices.Contains(caseSteps, step) {
		return custody.Errorf(custody.NotFound, "no step %q of a case: one of %s", step, strings.Join(caseSteps, ", "))
	}
	c, err := s.visibleCase(ctx, u, custody.CaseID(r.PathValue("id")))
	if err != nil {
		return err
	}
	if !judgeOf(u, c) {
		return custody.Errorf(custody.Forbidden, "the steps of case %s are recorded by the judicial users of %s", c.Case.ID, c.Case.Jurisdiction)
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	p, err := caseStepPayload(step, r.PostForm, c)
	if err == nil {
		_, err = s.record(ctx, r, custody.Event{Type: p.EventType(), Data: p})
	}
	if err != nil {
		fail := errorOf(err)
		if fail == nil || !mayJudge(u, c) {
			return err
		}
		if c2, err2 := s.store.Case(ctx, c.Case.ID); err2 == nil {
			c = c2 // as it is now
		}
		return s.renderCase(w, r, status(fail.Code), c, "", fail)
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(string(c.Case.ID))+"?done="+step, http.StatusSeeOther)
	return nil
}

// penaltyOf reads a penalty from a form's kind and years fields.
func penaltyOf(form url.Values, kindField, yearsField string) (custody.Penalty, error) {
	p := custody.Penalty{Kind: custody.PenaltyKind(strings.TrimSpace(form.Get(kindField)))}
	switch p.Kind {
	case "":
		return p, badInput("choose the sentence: death, life imprisonment or a number of years")
	case custody.PenaltyYears:
		n, err := strconv.Atoi(strings.TrimSpace(form.Get(yearsField)))
		if err != nil || n < 1 || n > 99 {
			return p, badInput("the years of imprisonment must be a number from 1 to 99, not %q", form.Get(yearsField))
		}
		p.Years = n
	case custody.PenaltyDeath, custody.PenaltyLife:
	default:
		return p, badInput("the sentence %q is not death, life or years", p.Kind)
	}
	return p, nil
}

// caseStepPayload builds the event of a case form, or says what is wrong
// with the form.
func caseStepPayload(step string, form url.Values, c *custody.CaseState) (custody.Payload, error) {
	id, person := c.Case.ID, c.Case.Person
	v := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	switch step {
	case "charge":
		codes := form["charge"]
		if len(codes) == 0 {
			return nil, badInput("tick at least one charge: a charge sheet lists every charge in force")
		}
		version, err := strconv.Atoi(v("version"))
		if err != nil || version < 1 {
			return nil, badInput("the form does not name the version of the charges it was filled from: reload the page")
		}
		refs := make([]custody.ChargeRef, len(codes))
		for i, code := range codes {
			refs[i] = custody.ChargeRef{Code: strings.TrimSpace(code), Version: version}
		}
		return &custody.CaseCharged{Case: id, Person: person, Charges: refs, Note: v("note")}, nil
	case "hearing":
		if v("court") == "" || v("summary") == "" {
			return nil, badInput("a hearing names its court and says in a few words what happened")
		}
		return &custody.CaseHearing{Case: id, Person: person, Court: v("court"), Summary: v("summary"), Counsel: v("counsel") == "yes"}, nil
	case "decision":
		if v("decision") == "" {
			return nil, badInput("choose the decision")
		}
		return &custody.CaseDecided{Case: id, Person: person, Decision: v("decision"), Note: v("note")}, nil
	case "sentence":
		p, err := penaltyOf(form, "kind", "years")
		if err != nil {
			return nil, err
		}
		if v("court") == "" {
			return nil, badInput("a sentence names the court that passed it")
		}
		return &custody.CaseSentenced{Case: id, Person: person, Sentence: p, Court: v("court")}, nil
	case "appeal":
		if v("by") == "" || v("court") == "" {
			return nil, badInput("an appeal says who lodged it and before which court")
		}
		return &custody.CaseAppealed{Case: id, Person: person, By: v("by"), Court: v("court")}, nil
	case "appeal-decision":
		d := &custody.CaseAppealDecided{Case: id, Person: person, Outcome: v("outcome"), Note: v("note")}
		if d.Outcome == "" {
			return nil, badInput("choose the appeal court's decision")
		}
		if d.Outcome == custody.AppealCommuted {
			p, err := penaltyOf(form, "kind", "years")
			if err != nil {
				return nil, err
			}
			d.Sentence = &p
		}
		return d, nil
	}
	return nil, custody.Errorf(custody.NotFound, "no step %q of a case", step)
}

// openCaseForm opens a case for the person of the page, in the judicial
// user's jurisdiction, and goes to it. The case's ID is the person's and
// the number of their cases; a retried form gets the ID it got the first
// time.
func (s *Server) openCaseForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	id := custody.PersonID(r.PathValue("id"))
	if _, ok, err := s.readableOne(ctx, u, id); err != nil {
		return err
	} else if !ok {
		return notInScope(id)
	}
	if u.Role != custody.RoleJudicial {
		return custody.Errorf(custody.Forbidden, "cases are opened by judicial users")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	c := custody.Case{Person: id, Jurisdiction: u.Authority, Court: v("court"), Committee: v("committee"), Reference: v("reference")}
	if c.Court == "" || c.Committee == "" {
		return badInput("a case names the court seized and the investigative committee")
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	if _, prev, ok, err := s.store.EventByKey(ctx, key); err != nil {
		return err
	} else if o, isOpen := prev.Data.(*custody.CaseOpened); ok && isOpen && o.Case.Person == id {
		c.ID = o.Case.ID // a retry: the same case
	}
	if c.ID == "" {
		have, err := s.store.CasesOf(ctx, id)
		if err != nil {
			return err
		}
		c.ID = caseIDFor(id, len(have)+1)
	}
	if _, err := s.record(ctx, r, custody.Event{Type: custody.TypeCaseOpened, Data: &custody.CaseOpened{Case: c}}); err != nil {
		return err
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(string(c.ID))+"?done=opened", http.StatusSeeOther)
	return nil
}
