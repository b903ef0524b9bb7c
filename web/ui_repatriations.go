package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	custody "github.com/opencustody/custody"
)

// Repatriation: the requests a user may see; a consular officer's form to
// ask for their state's nationals; a request's page with where each of its
// persons stands and, for the holding authority's staff, the decision and
// handover forms, and for the receiving state's officer the form that
// receives those handed over (after which they are out of custody,
// repatriated, their record closed).

// repatriationActions are the forms of a request's page.
var repatriationActions = []string{"decide", "release", "receive"}

type repatriationRow struct {
	R                                  *custody.RepatriationState
	Approved, Refused, Released, Recvd int
	Undecided                          int
	Persons                            int
}

// requestForm is what the request form was sent with, kept when refused.
type requestForm struct {
	Persons, Note string
}

type repatriationsData struct {
	L          *lookup
	Rows       []repatriationRow
	CanRequest bool   // a consular officer acting for a foreign state's authority
	Country    string // the state they ask for
	Authority  custody.AuthorityID
	Form       requestForm
	Flash      string
	Error      *apiError
}

// requestingState returns the state and authority a consular officer asks
// repatriations for: their authority, a foreign state's among their
// nationalities.
func (s *Server) requestingState(r *http.Request) (string, custody.AuthorityID, bool, error) {
	u := userOf(r)
	if u.Role != custody.RoleConsular || u.Authority == "" || !custody.Can(u, custody.RecordEvents) {
		return "", "", false, nil
	}
	auth, err := s.store.Authorities(r.Context())
	if err != nil {
		return "", "", false, err
	}
	a := auth[u.Authority]
	if a == nil || a.Kind != custody.ForeignState || !slices.Contains(u.Nationalities, a.Country) {
		return "", "", false, nil
	}
	return a.Country, a.ID, true, nil
}

// repatriationsPage lists the requests the user may see, newest first.
func (s *Server) repatriationsPage(w http.ResponseWriter, r *http.Request) error {
	flash := ""
	if r.URL.Query().Get("done") == "requested" {
		flash = langOf(r).T("Recorded.")
	}
	return s.renderRepatriations(w, r, http.StatusOK, &repatriationsData{Flash: flash})
}

func (s *Server) renderRepatriations(w http.ResponseWriter, r *http.Request, code int, d *repatriationsData) error {
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	d.L = l
	rs, err := s.visibleRepatriations(r.Context(), userOf(r), "")
	if err != nil {
		return err
	}
	for _, rp := range rs {
		row := repatriationRow{R: rp, Persons: len(rp.Persons)}
		for _, p := range rp.Persons {
			switch {
			case p.Received != 0:
				row.Recvd++
			case p.Released != 0:
				row.Released++
			case p.Decision == custody.RepatriationApproved:
				row.Approved++
			case p.Decision == custody.RepatriationRefused:
				row.Refused++
			default:
				row.Undecided++
			}
		}
		d.Rows = append(d.Rows, row)
	}
	if d.Country, d.Authority, d.CanRequest, err = s.requestingState(r); err != nil {
		return err
	}
	return s.render(w, r, code, "repatriations", "Repatriations", d)
}

// splitIDs splits person IDs typed one a line (or separated by commas,
// semicolons or spaces).
func splitIDs(s string) []custody.PersonID {
	var out []custody.PersonID
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ';' || r == ' ' || r == '\t' || r == '،'
	}) {
		out = append(out, custody.PersonID(strings.ToUpper(f)))
	}
	return out
}

// requestRepatriationForm records a consular officer's request for the
// persons typed, received by their own authority, and goes to it. The
// request's ID is the state's and the number of its requests; a retried
// form gets the ID it got the first time.
func (s *Server) requestRepatriationForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	form := requestForm{Persons: r.PostFormValue("persons"), Note: strings.TrimSpace(r.PostFormValue("note"))}
	country, authority, ok, err := s.requestingState(r)
	if err != nil {
		return err
	}
	if !ok {
		return custody.Errorf(custody.Forbidden, "repatriations are requested by a consular officer acting for a foreign state's authority")
	}
	fail := func(err error) error {
		e := errorOf(err)
		if e == nil {
			return err
		}
		return s.renderRepatriations(w, r, status(e.Code), &repatriationsData{Form: form, Error: e})
	}
	persons := splitIDs(form.Persons)
	if len(persons) == 0 {
		return fail(badInput("give the ID of at least one person, one a line"))
	}
	for _, p := range persons {
		// Nobody learns through a refusal who is held outside their
		// scope.
		if _, ok, err := s.readableOne(ctx, u, p); err != nil {
			return err
		} else if !ok {
			return fail(notInScope(p))
		}
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return fail(err)
	}
	q := custody.RepatriationRequest{Country: country, Authority: authority, Persons: persons, Note: form.Note}
	if _, prev, ok, err := s.store.EventByKey(ctx, key); err != nil {
		return err
	} else if rq, isReq := prev.Data.(*custody.RepatriationRequested); ok && isReq && rq.Request.Country == country {
		q.ID = rq.Request.ID // a retry: the same request
	}
	if q.ID == "" {
		have, err := s.store.Repatriations(ctx, country)
		if err != nil {
			return err
		}
		q.ID = custody.RepatriationID(fmt.Sprintf("REP-%s-%03d", country, len(have)+1))
	}
	if _, err := s.record(ctx, r, custody.Event{Type: custody.TypeRepatriationRequested, Data: &custody.RepatriationRequested{Request: q}}); err != nil {
		return fail(err)
	}
	http.Redirect(w, r, "/repatriations/"+url.PathEscape(string(q.ID))+"?done=requested", http.StatusSeeOther)
	return nil
}

type repatriatePerson struct {
	X                                 custody.Repatriate
	P                                 shownPerson
	Status                            custody.Status
	Holder                            custody.AuthorityID
	Decidable, Releasable, Receivable bool
}

type repatriationData struct {
	L                        *lookup
	R                        *custody.RepatriationState
	Persons                  []repatriatePerson
	Decide, Release, Receive bool
	Flash                    string
	Error                    *apiError
}

// holdsForRepatriation reports whether u is the holding authority's staff
// who decide on and hand over a person in state st.
func holdsForRepatriation(u *custody.User, st *custody.PersonState) bool {
	if st == nil || !custody.Can(u, custody.RecordEvents) || st.Location.Status != custody.StatusHeld || st.Location.Authority != u.Authority {
		return false
	}
	switch u.Role {
	case custody.RoleReceiver, custody.RoleJudicial:
		return true
	case custody.RoleRegistrar:
		return slices.Contains(u.Facilities, st.Location.Facility)
	}
	return false
}

// repatriationPage shows a request the user may see.
func (s *Server) repatriationPage(w http.ResponseWriter, r *http.Request) error {
	rp, err := s.visibleRepatriation(r.Context(), userOf(r), custody.RepatriationID(r.PathValue("id")))
	if err != nil {
		return err
	}
	flash := ""
	if done := r.URL.Query().Get("done"); done == "requested" || slices.Contains(repatriationActions, done) {
		flash = langOf(r).T("Recorded.")
	}
	return s.renderRepatriation(w, r, http.StatusOK, rp, flash, nil)
}

func (s *Server) renderRepatriation(w http.ResponseWriter, r *http.Request, code int, rp *custody.RepatriationState, flash string, fail *apiError) error {
	ctx := r.Context()
	u := userOf(r)
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	d := &repatriationData{L: l, R: rp, Flash: flash, Error: fail}
	ids := make([]custody.PersonID, len(rp.Persons))
	for i, p := range rp.Persons {
		ids[i] = p.Person
	}
	states, err := s.store.Persons(ctx, ids)
	if err != nil {
		return err
	}
	shown, err := s.shownPersons(ctx, u, ids)
	if err != nil {
		return err
	}
	receiver := u.Role == custody.RoleConsular && u.Authority == rp.Request.Authority && custody.Can(u, custody.RecordEvents)
	for _, x := range rp.Persons {
		row := repatriatePerson{X: x, P: shown[x.Person]}
		st := states[x.Person]
		if st != nil && row.P.Readable {
			row.Status, row.Holder = st.Location.Status, st.Location.Authority
		}
		if !rp.Closed {
			holds := holdsForRepatriation(u, st)
			row.Decidable = holds && x.Decision == ""
			row.Releasable = holds && x.Decision == custody.RepatriationApproved && x.Released == 0
			row.Receivable = receiver && x.Released != 0 && x.Received == 0
		}
		d.Decide = d.Decide || row.Decidable
		d.Release = d.Release || row.Releasable
		d.Receive = d.Receive || row.Receivable
		d.Persons = append(d.Persons, row)
	}
	if err := s.audit(r, readIDs(shown)...); err != nil {
		return err
	}
	return s.render(w, r, code, "repatriation", "Repatriation request", d)
}

// repatriationForm records the decision, the release or the reception a
// request's page posts, and goes back to it; a refused form shows the
// page again with why.
func (s *Server) repatriationForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	action := r.PathValue("action")
	if !slices.Contains(repatriationActions, action) {
		return custody.Errorf(custody.NotFound, "no action %q on a repatriation request: one of %s", action, strings.Join(repatriationActions, ", "))
	}
	rp, err := s.visibleRepatriation(ctx, u, custody.RepatriationID(r.PathValue("id")))
	if err != nil {
		return err
	}
	switch {
	case !custody.Can(u, custody.RecordEvents):
		return forbidden("your role (%s) may not do this", u.Role)
	case action == "receive" && (u.Role != custody.RoleConsular || u.Authority != rp.Request.Authority):
		return custody.Errorf(custody.Forbidden, "the persons of request %s are received by the consular officers of %s", rp.Request.ID, rp.Request.Authority)
	case action != "receive" && u.Role != custody.RoleRegistrar && u.Role != custody.RoleReceiver && u.Role != custody.RoleJudicial:
		return custody.Errorf(custody.Forbidden, "repatriations are decided and handed over by the holding authority's registrar, receiving or judicial staff")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	p, err := repatriationPayload(action, r.PostForm, rp)
	if err == nil {
		_, err = s.record(ctx, r, custody.Event{Type: p.EventType(), Data: p})
	}
	if err != nil {
		fail := errorOf(err)
		if fail == nil {
			return err
		}
		if rp2, err2 := s.store.Repatriation(ctx, rp.Request.ID); err2 == nil {
			rp = rp2 // as it is now
		}
		return s.renderRepatriation(w, r, status(fail.Code), rp, "", fail)
	}
	http.Redirect(w, r, "/repatriations/"+url.PathEscape(string(rp.Request.ID))+"?done="+action, http.StatusSeeOther)
	return nil
}

// repatriationPayload builds the event of a request's form, or says what
// is wrong with the form.
func repatriationPayload(action string, form url.Values, rp *custody.RepatriationState) (custody.Payload, error) {
	id := rp.Request.ID
	ticked := func() ([]custody.PersonID, error) {
		var ps []custody.PersonID
		for _, v := range form["p"] {
			p := custody.PersonID(strings.TrimSpace(v))
			if !slices.ContainsFunc(rp.Persons, func(x custody.Repatriate) bool { return x.Person == p }) {
				return nil, badInput("%s is not in request %s", p, id)
			}
			ps = append(ps, p)
		}
		if len(ps) == 0 {
			return nil, badInput("tick at least one person")
		}
		return ps, nil
	}
	switch action {
	case "decide":
		d := &custody.RepatriationDecided{Request: id}
		for _, x := range rp.Persons {
			p := x.Person
			switch v := form.Get("d-" + string(p)); v {
			case "":
			case "approve":
				d.Approved = append(d.Approved, p)
			case "refuse":
				reason := strings.TrimSpace(form.Get("r-" + string(p)))
				if reason == "" {
					return nil, badInput("give the reason for refusing %s", p)
				}
				d.Refused = append(d.Refused, custody.Refusal{Person: p, Reason: reason})
			default:
				return nil, badInput("the decision on %s is %q: approve or refuse", p, v)
			}
		}
		if len(d.Approved)+len(d.Refused) == 0 {
			return nil, badInput("approve or refuse at least one person")
		}
		return d, nil
	case "release":
		ps, err := ticked()
		if err != nil {
			return nil, err
		}
		place := strings.TrimSpace(form.Get("place"))
		if place == "" {
			return nil, badInput("name the place of the handover")
		}
		return &custody.RepatriationReleased{Request: id, Persons: ps, Place: place}, nil
	case "receive":
		ps, err := ticked()
		if err != nil {
			return nil, err
		}
		return &custody.RepatriationReceived{Request: id, Persons: ps}, nil
	}
	return nil, custody.Errorf(custody.NotFound, "no action %q on a repatriation request", action)
}
