package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/personindex"
	"github.com/opencustody/custody/sqlstore"
)

// The UI of names: the registration form with its duplicate check, merges
// and unmerges from the person page, and the probable duplicates of the
// register.

var errNotRegistrar = &custody.Error{Code: custody.Forbidden, Msg: "persons are registered by a registrar"}

// registerForm is the registration form as typed.
type registerForm struct {
	ID, Arabic, Latin, Sex, Category, Birth, Nationality string
	Estimated                                            bool
	FatherAr, FatherLatin, MotherAr, MotherLatin         string
	Facility, TakenBy, OrderedBy, Grounds                string
	Idem                                                 string
}

type registerData struct {
	L     *lookup
	Form  registerForm
	Error *apiError
	// The duplicate check's candidates, and those outside the scope.
	Candidates []matchJSON
	Elsewhere  int
	Facilities []custody.FacilityID // where the registrar admits
}

// registerPage shows the registration form.
func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	if u.Role != custody.RoleRegistrar {
		return errNotRegistrar
	}
	f := registerForm{ID: "REG-" + strings.ToUpper(newIdem()[:8]), Sex: "male", Category: "man", Idem: newIdem()}
	if len(u.Facilities) > 0 {
		f.Facility = string(u.Facilities[0])
	}
	return s.renderRegister(w, r, http.StatusOK, &registerData{Form: f})
}

func (s *Server) renderRegister(w http.ResponseWriter, r *http.Request, code int, d *registerData) error {
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	d.L, d.Facilities = l, userOf(r).Facilities
	return s.render(w, r, code, "register", "Register a person", d)
}

// registerForm registers a person from the form, after the duplicate check:
// probable duplicates are shown, and the registration goes ahead only when
// the registrar has marked each one as another person.
func (s *Server) registerSubmit(w http.ResponseWriter, r *http.Request) error {
	if userOf(r).Role != custody.RoleRegistrar {
		return errNotRegistrar
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	v := r.PostForm
	f := registerForm{ID: strings.TrimSpace(v.Get("id")), Arabic: strings.TrimSpace(v.Get("arabic")), Latin: v.Get("latin"),
		Sex: v.Get("sex"), Category: v.Get("category"), Birth: strings.TrimSpace(v.Get("birth")), Estimated: v.Get("estimated") != "",
		Nationality: strings.ToUpper(strings.TrimSpace(v.Get("nationality"))),
		FatherAr:    strings.TrimSpace(v.Get("father_ar")), FatherLatin: strings.TrimSpace(v.Get("father_latin")),
		MotherAr: strings.TrimSpace(v.Get("mother_ar")), MotherLatin: strings.TrimSpace(v.Get("mother_latin")),
		Facility: v.Get("facility"), TakenBy: strings.TrimSpace(v.Get("taken_by")), OrderedBy: v.Get("ordered_by"),
		Grounds: strings.TrimSpace(v.Get("grounds")), Idem: v.Get("idem")}
	d := &registerData{Form: f}
	fail := func(err error) error {
		e := errorOf(err)
		if e == nil {
			return err
		}
		d.Error = e
		return s.renderRegister(w, r, status(e.Code), d)
	}
	p := custody.Person{ID: custody.PersonID(f.ID), Name: custody.Name{Arabic: f.Arabic, Latin: splitLines(f.Latin)},
		FatherName: custody.Name{Arabic: f.FatherAr, Latin: splitLines(f.FatherLatin)},
		MotherName: custody.Name{Arabic: f.MotherAr, Latin: splitLines(f.MotherLatin)},
		Sex:        custody.Sex(f.Sex), Category: custody.Category(f.Category),
		Birth: custody.BirthDate{Date: f.Birth, Estimated: f.Estimated}}
	if f.Nationality != "" {
		p.Nationalities = []string{f.Nationality}
	}
	if err := p.Validate(); err != nil {
		return fail(custody.Errorf(custody.Invalid, "%v", err))
	}
	if f.TakenBy == "" || f.Grounds == "" || f.OrderedBy == "" || f.Facility == "" {
		return fail(custody.Errorf(custody.Invalid, "facility, taken by, ordered by and grounds are required: a person is registered where they are admitted"))
	}
	ctx := r.Context()
	var notDup []custody.PersonID
	for _, id := range v["not_duplicate"] {
		notDup = append(notDup, custody.PersonID(id))
	}
	held, _, shown, elsewhere, err := s.pendingDuplicates(ctx, r, &p, notDup, v.Get("elsewhere_checked") != "")
	if err != nil {
		return err
	}
	if held {
		ids := make([]custody.PersonID, len(shown))
		for i, m := range shown {
			ids[i] = m.ID
		}
		if err := s.audit(r, ids...); err != nil {
			return err
		}
		d.Candidates, d.Elsewhere = shown, elsewhere
		return s.renderRegister(w, r, http.StatusConflict, d)
	}
	_, err = s.record(ctx, r,
		custody.Event{Type: custody.TypePersonRegistered, Data: &custody.PersonRegistered{Person: p}},
		custody.Event{Type: custody.TypeAdmitted, Data: &custody.Admitted{Person: p.ID, Facility: custody.FacilityID(f.Facility), TakenBy: f.TakenBy, OrderedBy: custody.AuthorityID(f.OrderedBy), Grounds: f.Grounds}})
	if err != nil {
		return fail(err)
	}
	http.Redirect(w, r, "/persons/"+url.PathEscape(f.ID), http.StatusSeeOther)
	return nil
}

// splitLines splits a text area into its non-empty lines.
func splitLines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// mergeForm merges two records of one person: the page's record and the
// "other" one of the form. The earlier registration is kept and the later
// one merged into it, whichever page the registrar merged from.
func (s *Server) mergeForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := custody.PersonID(r.PathValue("id"))
	other := custody.PersonID(strings.TrimSpace(r.PostFormValue("other")))
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	switch {
	case other == "" || other == id:
		return custody.Errorf(custody.Invalid, "say which other record is the same person")
	case reason == "":
		return custody.Errorf(custody.Invalid, "give the reason: how the two records were found to be one person")
	}
	var recs [2]*sqlstore.PersonRecord
	for i, p := range []custody.PersonID{id, other} {
		rec, ok, err := s.readableOne(ctx, userOf(r), p)
		if err != nil {
			return err
		} else if !ok {
			return notInScope(p)
		}
		recs[i] = rec
	}
	kept, merged := recs[0].State, recs[1].State
	if merged.Registered < kept.Registered {
		kept, merged = merged, kept
	}
	if _, err := s.record(ctx, r, custody.Event{Type: custody.TypePersonMerged, Data: &custody.PersonMerged{Kept: kept.Person.ID, Merged: merged.Person.ID, Reason: reason}}); err != nil {
		return err
	}
	http.Redirect(w, r, "/persons/"+url.PathEscape(string(kept.Person.ID)), http.StatusSeeOther)
	return nil
}

// unmergeForm undoes the merge in force on the page's record.
func (s *Server) unmergeForm(w http.ResponseWriter, r *http.Request) error {
	id := custody.PersonID(r.PathValue("id"))
	merge, err := strconv.ParseInt(r.PostFormValue("merge"), 10, 64)
	if err != nil || merge <= 0 {
		return custody.Errorf(custody.Invalid, "the form does not name the merge undone")
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		return custody.Errorf(custody.Invalid, "give the reason: why the two records are two persons")
	}
	e, err := s.unmergeEvent(r, id, merge, reason)
	if err != nil {
		return err
	}
	if _, err := s.record(r.Context(), r, e); err != nil {
		return err
	}
	http.Redirect(w, r, "/persons/"+url.PathEscape(string(id)), http.StatusSeeOther)
	return nil
}

type duplicatesData struct {
	L       *lookup
	Pairs   []pairJSON
	Scan    personindex.DuplicateScan
	Refresh bool
}

// duplicatesPage lists the register's probable duplicates that the reader
// may see.
func (s *Server) duplicatesPage(w http.ResponseWriter, r *http.Request) error {
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	pairs, scan, err := s.duplicatePairs(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	var ids []custody.PersonID
	for _, p := range pairs {
		ids = append(ids, p.A.ID, p.B.ID)
	}
	if err := s.audit(r, ids...); err != nil {
		return err
	}
	if !scan.Done {
		w.Header().Set("Refresh", strconv.Itoa(int((5 * time.Second).Seconds())))
	}
	return s.render(w, r, http.StatusOK, "duplicates", "Probable duplicates", &duplicatesData{L: l, Pairs: pairs, Scan: scan, Refresh: !scan.Done})
}
