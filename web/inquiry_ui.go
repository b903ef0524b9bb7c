package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
)

// The family desk's pages: its inquiries with a form to open one; an
// inquiry with its candidates (why each matched, in plain words), a
// confirm and a reject button for each, and the answer buttons; and the
// printable answer. Every form carries the session's csrf token and a
// fresh idempotency key, and is followed by a redirect.

// inquiryForm is the form that opens an inquiry, kept on error.
type inquiryForm struct {
	Names, Age, Sex, Origin, Father, Mother, Nationality string
	Asker, Relationship, Contact                         string
}

type inquiriesData struct {
	Inquiries []*custody.InquiryState
	Form      inquiryForm
	Sexes     []custody.Sex
	Error     *apiError
	Flash     string
}

// inquiriesPage lists the user's inquiries, with a form to open one.
func (s *Server) inquiriesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInquiries(w, r, http.StatusOK, &inquiriesData{})
}

func (s *Server) renderInquiries(w http.ResponseWriter, r *http.Request, code int, d *inquiriesData) error {
	qs, err := s.store.Inquiries(r.Context(), userOf(r).Name)
	if err != nil {
		return err
	}
	d.Inquiries, d.Sexes = qs, []custody.Sex{custody.Male, custody.Female}
	return s.render(w, r, code, "inquiries", "Family inquiries", d)
}

// splitNames splits the names typed in the form: one a line, or separated
// by semicolons or commas (Latin or Arabic).
func splitNames(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' || r == ',' || r == '،' || r == '؛' })
}

// openInquiryForm opens an inquiry from the form, and goes to it.
func (s *Server) openInquiryForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := inquiryForm{Names: v("names"), Age: v("age"), Sex: v("sex"), Origin: v("origin"), Father: v("father"), Mother: v("mother"),
		Nationality: v("nationality"), Asker: v("asker"), Relationship: v("relationship"), Contact: v("contact")}
	fail := func(err error) error {
		e := errorOf(err)
		if e == nil {
			return err
		}
		return s.renderInquiries(w, r, status(e.Code), &inquiriesData{Form: f, Error: e})
	}
	age := 0
	if f.Age != "" {
		n, err := strconv.Atoi(f.Age)
		if err != nil {
			return fail(badInput("the age %q is not a number of years", f.Age))
		}
		age = n
	}
	sought := custody.Sought{Names: splitNames(f.Names), Age: age, Sex: custody.Sex(f.Sex), Origin: f.Origin, Father: f.Father, Mother: f.Mother, Nationality: f.Nationality}
	if len(sought.Names) == 0 {
		return fail(badInput("give the name of the person sought"))
	}
	_, q, err := s.openInquiry(r, sought, custody.Asker{Name: f.Asker, Relationship: f.Relationship, Contact: f.Contact})
	if err != nil {
		return fail(err)
	}
	http.Redirect(w, r, "/inquiries/"+url.PathEscape(string(q.Inquiry.ID)), http.StatusSeeOther)
	return nil
}

// candidateView is a candidate as the inquiry's page shows it.
type candidateView struct {
	candidate
	Percent int
	Reasons []reasonView
}

// reasonView is one reason of a match in plain words, in the page's
// language.
type reasonView struct {
	Field, Query, Found, How string
	Against                  bool
}

var reasonFields = map[string]string{
	"name":        "Name",
	"father":      "Father's name",
	"mother":      "Mother's name",
	"birth":       "Year of birth",
	"nationality": "Nationality",
}

// reasonHows say the names index's ways of matching (each part of a
// reason's How, separated by commas) in plain words.
var reasonHows = map[string]string{
	"exact":                     "the same",
	"normalised":                "the same once normalised",
	"arabic-key":                "the same in Arabic script",
	"phonetic":                  "sounds the same",
	"skeleton":                  "the same consonants",
	"th=s":                      "th read as s",
	"jaro-winkler":              "a close spelling",
	"initial":                   "the same initial",
	"missing":                   "not in the record",
	"conflict":                  "differs",
	"agree":                     "agrees",
	"partial":                   "partly agrees",
	"near":                      "close in years",
	"off":                       "a few years off",
	"far off":                   "far off",
	"kunya":                     "as a kunya (Abu, Umm)",
	"nasab":                     "as a father's name (bin, ibn)",
	"with the article":          "with the article",
	"in the name chain":         "as part of the name",
	"in the query's name chain": "as part of the name asked",
}

func plainReasons(lang Lang, rs []names.Reason) []reasonView {
	out := make([]reasonView, len(rs))
	for i, r := range rs {
		v := reasonView{Field: r.Field, Query: r.Query, Found: r.Found, Against: r.How == "conflict" || r.Score < 0}
		if f, ok := reasonFields[r.Field]; ok {
			v.Field = lang.T(f)
		}
		var how []string
		for _, part := range strings.Split(r.How, ",") {
			part = strings.TrimSpace(part)
			if h, ok := reasonHows[part]; ok {
				part = lang.T(h)
			}
			if part != "" {
				how = append(how, part)
			}
		}
		sep := ", "
		if lang == Arabic {
			sep = "، "
		}
		v.How = strings.Join(how, sep)
		out[i] = v
	}
	return out
}

// confirmedView is a person confirmed for an inquiry: the answer may be
// about them.
type confirmedView struct {
	Person custody.PersonID
	Name   custody.Name // if among the candidates shown
}

type inquiryData struct {
	Q          *custody.InquiryState
	Candidates []candidateView
	Limited    string // why no candidates are shown now: the search limit, and when to try again
	Confirmed  []confirmedView
	Flash      string
	Error      *apiError
}

// inquiryPage shows one of the user's inquiries, with its candidates while
// it is open.
func (s *Server) inquiryPage(w http.ResponseWriter, r *http.Request) error {
	q, err := s.ownInquiry(r)
	if err != nil {
		return err
	}
	lang := langOf(r)
	flash := ""
	switch r.URL.Query().Get("done") {
	case "opened":
		flash = lang.T("Inquiry recorded.")
	case "confirmed":
		flash = lang.T("Recorded: this is the person sought.")
	case "rejected":
		flash = lang.T("Recorded: this is not the person sought.")
	}
	return s.renderInquiry(w, r, http.StatusOK, q, flash, nil)
}

func (s *Server) renderInquiry(w http.ResponseWriter, r *http.Request, code int, q *custody.InquiryState, flash string, fail *apiError) error {
	d := &inquiryData{Q: q, Flash: flash, Error: fail}
	known := map[custody.PersonID]custody.Name{}
	if q.Status == custody.InquiryOpen {
		cs, err := s.candidates(r, q)
		var le *limitError
		switch {
		case errors.As(err, &le):
			d.Limited = le.err.Msg
			w.Header().Set("Retry-After", le.retryAfter())
			if code == http.StatusOK {
				code = http.StatusTooManyRequests
			}
		case err != nil:
			return err
		}
		for _, c := range cs {
			d.Candidates = append(d.Candidates, candidateView{candidate: c, Percent: int(c.Score*100 + 0.5), Reasons: plainReasons(langOf(r), c.Reasons)})
			known[c.Person] = c.Name
		}
		seen := map[custody.PersonID]bool{}
		for _, dec := range q.Decisions {
			if !seen[dec.Person] && q.Confirmed(dec.Person) {
				seen[dec.Person] = true
				d.Confirmed = append(d.Confirmed, confirmedView{Person: dec.Person, Name: known[dec.Person]})
			}
		}
	}
	return s.render(w, r, code, "inquiry", "Family inquiry", d)
}

// inquiryFormFail shows the inquiry again with why a form was refused.
func (s *Server) inquiryFormFail(w http.ResponseWriter, r *http.Request, q *custody.InquiryState, err error) error {
	e := errorOf(err)
	var le *limitError
	if e == nil && errors.As(err, &le) {
		e = &apiError{Code: custody.TooMany, Message: le.err.Msg}
	}
	if e == nil {
		return err
	}
	return s.renderInquiry(w, r, status(e.Code), q, "", e)
}

// decideForm records a confirm or reject of a candidate, and goes back to
// the inquiry.
func (s *Server) decideForm(w http.ResponseWriter, r *http.Request) error {
	q, err := s.ownInquiry(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	var confirmed bool
	switch r.PostFormValue("decision") {
	case "confirm":
		confirmed = true
	case "reject":
	default:
		return s.inquiryFormFail(w, r, q, badInput("choose confirm or reject"))
	}
	person := custody.PersonID(strings.TrimSpace(r.PostFormValue("person")))
	if _, err := s.decide(r, q, person, confirmed, r.PostFormValue("note")); err != nil {
		return s.inquiryFormFail(w, r, q, err)
	}
	done := map[bool]string{true: "confirmed", false: "rejected"}[confirmed]
	http.Redirect(w, r, "/inquiries/"+url.PathEscape(string(q.Inquiry.ID))+"?done="+done, http.StatusSeeOther)
	return nil
}

// answerForm records the answer (about a confirmed person, or "not
// found"), and goes to the printable answer.
func (s *Server) answerForm(w http.ResponseWriter, r *http.Request) error {
	q, err := s.ownInquiry(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	var person custody.PersonID
	switch a := strings.TrimSpace(r.PostFormValue("answer")); a {
	case "":
		return s.inquiryFormFail(w, r, q, badInput("choose the answer: a confirmed person, or not found"))
	case "not-found":
	default:
		person = custody.PersonID(a)
	}
	if _, err := s.answer(r, q, person); err != nil {
		return s.inquiryFormFail(w, r, q, err)
	}
	http.Redirect(w, r, "/inquiries/"+url.PathEscape(string(q.Inquiry.ID))+"/answer", http.StatusSeeOther)
	return nil
}

// factView is a released fact with its label (a message key).
type factView struct {
	Field custody.ReleaseField
	Label string
	Value string
}

var releaseLabels = map[custody.ReleaseField]string{
	custody.ReleaseOrderedBy:   "Authority that ordered the detention",
	custody.ReleaseTaken:       "Date and place of detention and admission",
	custody.ReleaseSupervisor:  "Authority responsible now",
	custody.ReleaseWhereabouts: "Whereabouts",
	custody.ReleaseRelease:     "Release",
	custody.ReleaseHealth:      "State of health",
	custody.ReleaseDeath:       "Death",
}

type answerData struct {
	Q     *custody.InquiryState
	At    time.Time
	Facts []factView
}

// answerPage shows the answer given, laid out to be printed and handed to
// the family.
func (s *Server) answerPage(w http.ResponseWriter, r *http.Request) error {
	q, err := s.ownInquiry(r)
	if err != nil {
		return err
	}
	if q.Status == custody.InquiryOpen || q.Answer == nil {
		http.Redirect(w, r, "/inquiries/"+url.PathEscape(string(q.Inquiry.ID)), http.StatusSeeOther)
		return nil
	}
	at, err := s.answeredAt(r, q)
	if err != nil {
		return err
	}
	d := &answerData{Q: q, At: at}
	for _, f := range q.Answer.Facts {
		label, ok := releaseLabels[f.Field]
		if !ok {
			label = string(f.Field)
		}
		d.Facts = append(d.Facts, factView{Field: f.Field, Label: label, Value: f.Value})
	}
	return s.render(w, r, http.StatusOK, "inquiry_answer", "Answer to a family inquiry", d)
}
