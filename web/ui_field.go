package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	custody "github.com/opencustody/custody"
)

// The field page: a phone's page for the escort and the receiving side of
// a move. It says what to do next and has a form for each step: start
// boarding, board (wristband scan or typed ID), not boarded, depart, count
// at a leg, arrive, release to the next authority, receive or refuse, and
// close. Every form carries the session's csrf token and a fresh
// idempotency key, so that a form sent twice records once.

// maxFieldList bounds the persons a field page lists by name.
const maxFieldList = 50

type fieldData struct {
	L       *lookup
	M       *custody.MoveState
	Facts   custody.MoveFacts
	Balance custody.Balance
	Next    []string // what to do next
	Flash   string
	Error   *apiError
	// Forms shown to this user at this stage.
	Start, Board, NotBoarded, Depart, Count, Arrive, Release, Close bool
	ToBoard                                                         []fieldPerson // unresolved, at most maxFieldList
	MoreToBoard                                                     int
	Unresolved                                                      []custody.PersonID
	ReleaseStage                                                    custody.HandoverStage
	ReleaseTo                                                       custody.AuthorityID
	Releasable                                                      []custody.PersonID
	Pending                                                         []pendingHandover
	NotBoardedReasons, RefuseReasons                                []choice
	Legs                                                            []choice
	OpenAlerts                                                      []*custody.Alert
	PersonValue                                                     string // the board form's typed value, kept on error
}

type fieldPerson struct {
	P       shownPerson
	Vehicle string
	Seat    int
}

type pendingHandover struct {
	H       *custody.Handover
	Persons []shownPerson
}

// fieldMove reads a move the user records on in the field, or answers
// "not found".
func (s *Server) fieldMove(r *http.Request) (*custody.MoveState, *lookup, custody.MoveFacts, error) {
	m, l, f, err := s.moveFor(r)
	if err != nil {
		return nil, nil, f, err
	}
	if !mayRecordOnMove(userOf(r), f) {
		return nil, nil, f, custody.Errorf(custody.NotFound, "no move %q that you record on", m.Move.ID)
	}
	return m, l, f, nil
}

// moveFor reads the move of a request's path, with names and reference
// lists, whoever asks (the caller checks the policy).
func (s *Server) moveFor(r *http.Request) (*custody.MoveState, *lookup, custody.MoveFacts, error) {
	m, err := s.store.Move(r.Context(), custody.MoveID(r.PathValue("id")))
	if err != nil {
		return nil, nil, custody.MoveFacts{}, err
	}
	l, err := s.lookup(r)
	if err != nil {
		return nil, nil, custody.MoveFacts{}, err
	}
	if err := s.loadRefs(r.Context(), l); err != nil {
		return nil, nil, custody.MoveFacts{}, err
	}
	return m, l, l.stateFacts(m), nil
}

// fieldPage shows the field page of a move.
func (s *Server) fieldPage(w http.ResponseWriter, r *http.Request) error {
	m, l, f, err := s.fieldMove(r)
	if err != nil {
		return err
	}
	flash := doneMessage(l.lang, r.URL.Query(), m)
	return s.renderField(w, r, http.StatusOK, m, l, f, flash, nil, "")
}

// renderField renders the field page with a message: what was recorded,
// or why a form was refused.
func (s *Server) renderField(w http.ResponseWriter, r *http.Request, code int, m *custody.MoveState, l *lookup, f custody.MoveFacts, flash string, fail *apiError, value string) error {
	ctx := r.Context()
	u := userOf(r)
	d := &fieldData{L: l, M: m, Facts: f, Balance: m.Balance(), Flash: flash, Error: fail, PersonValue: value,
		NotBoardedReasons: l.Choices(custody.ListNotBoarded), RefuseReasons: l.Choices(custody.ListHandoverRefused)}
	ids := make([]custody.PersonID, len(m.Manifest))
	for i, st := range m.Manifest {
		ids[i] = st.Person
	}
	states, err := s.store.Persons(ctx, ids)
	if err != nil {
		return err
	}
	var shown []custody.PersonID // read by name on this page
	show := func(id custody.PersonID) shownPerson {
		sp := shownPerson{ID: id}
		if ps := states[id]; ps != nil && custody.CanReadPerson(u, onMoveFacts(ps, m, f.Receiver)) {
			sp.Name, sp.Readable, sp.State = ps.Person.Name, true, ps
			shown = append(shown, id)
		}
		return sp
	}
	role, auth := u.Role, u.Authority
	escortRole := role == custody.RoleEscort
	sideRole := role == custody.RoleEscort || role == custody.RoleReceiver
	escortTakes := m.Move.Escort != f.Releaser && m.Move.Escort != f.Receiver
	switch m.Status {
	case custody.StagePlanned:
		d.Start = escortRole
		d.Next = append(d.Next, l.lang.T("Start boarding when the persons are ready at the origin: the manifests are then frozen."))
	case custody.StageBoarding:
		d.Board, d.NotBoarded, d.Depart = escortRole, escortRole, escortRole
		d.Next = append(d.Next, l.lang.T("Board each person on the manifest: scan their wristband or type their ID. Record anyone who does not board, with a reason."))
		if escortTakes {
			d.ReleaseStage, d.ReleaseTo = custody.AtDeparture, m.Move.Escort
			d.Next = append(d.Next, l.lang.T("Before departure the origin hands the persons aboard over to the escort (%s), who confirms each of them.", l.Authority(m.Move.Escort)))
		}
		d.Next = append(d.Next, l.lang.T("Then record the departure with the headcount."))
		for _, st := range m.Manifest {
			if m.Boarded[st.Person] != 0 || m.NotBoarded[st.Person].Seq != 0 {
				continue
			}
			d.Unresolved = append(d.Unresolved, st.Person)
			if len(d.ToBoard) < maxFieldList {
				d.ToBoard = append(d.ToBoard, fieldPerson{P: show(st.Person), Vehicle: st.Vehicle, Seat: st.Seat})
			} else {
				d.MoreToBoard++
			}
		}
	case custody.StageDeparted:
		d.Count, d.Arrive = sideRole, escortRole
		d.Next = append(d.Next, l.lang.T("Count the persons aboard at each leg of the route; record the arrival with the headcount."))
	case custody.StageArrived:
		d.Count = sideRole
		d.Close = sideRole && slices.Contains([]custody.AuthorityID{f.Releaser, f.Receiver, m.Move.Escort}, auth)
		d.ReleaseStage, d.ReleaseTo = custody.AtArrival, f.Receiver
		d.Next = append(d.Next, l.lang.T("Hand the persons aboard over to %s; the receiving side checks each person's identity and confirms.", l.Authority(f.Receiver)),
			l.lang.T("Close the move when its counts balance."))
	case custody.StageClosed:
		d.Next = append(d.Next, l.lang.T("The move is closed."))
	case custody.StageAborted:
		d.Next = append(d.Next, l.lang.T("The move was called off."))
	}
	if d.ReleaseStage != "" && (sideRole || role == custody.RoleRegistrar) {
		for _, st := range m.Manifest {
			p := st.Person
			ps := states[p]
			if !m.Aboard[p] || ps == nil || ps.Location.Authority != auth || ps.Location.Authority == d.ReleaseTo || m.PendingHandover(p) != nil {
				continue
			}
			d.Releasable = append(d.Releasable, p)
		}
		d.Release = len(d.Releasable) > 0
	}
	if sideRole {
		for _, h := range m.Handovers {
			if h.To != auth {
				continue
			}
			ph := pendingHandover{H: h}
			for _, p := range h.Persons {
				if h.Pending(p) && m.Aboard[p] {
					ph.Persons = append(ph.Persons, show(p))
				}
			}
			if len(ph.Persons) > 0 {
				d.Pending = append(d.Pending, ph)
			}
		}
	}
	if d.Count {
		d.Legs = append(d.Legs, choice{Value: "0", Label: l.lang.T("recount where the move stands")})
		if m.Status == custody.StageDeparted {
			for i, leg := range m.Move.Legs {
				d.Legs = append(d.Legs, choice{Value: strconv.Itoa(i + 1), Label: l.lang.T("leg %d: %s", i+1, leg.Place), Selected: i == len(m.Counts)-1})
			}
		}
	}
	alerts, err := s.store.Alerts(ctx, true)
	if err != nil {
		return err
	}
	for _, a := range alerts {
		if a.Move == m.Move.ID {
			d.OpenAlerts = append(d.OpenAlerts, a)
		}
	}
	if err := s.audit(r, shown...); err != nil {
		return err
	}
	return s.render(w, r, code, "field", "Field page", d)
}

// fieldActions are the field page's forms, as the path's last element.
var fieldActions = []string{"start-boarding", "board", "not-boarded", "depart", "count", "arrive", "release", "receive", "refuse", "close"}

// fieldAction records what a field page form says, then goes back to the
// page with a message (303), or shows the page again with the reason the
// form was refused.
func (s *Server) fieldAction(w http.ResponseWriter, r *http.Request) error {
	action := r.PathValue("action")
	if !slices.Contains(fieldActions, action) {
		return custody.Errorf(custody.NotFound, "no field action %q", action)
	}
	// The form is checked first (400), then the move's scope (404), then
	// the policy in the writer (403); the page is shown again, with why,
	// only to those who record on the move.
	m, l, f, err := s.moveFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	typed := strings.TrimSpace(r.PostFormValue("person"))
	e, who, err := fieldEvent(action, r.PostForm, m, l, f)
	if err == nil {
		if !custody.CanViewMove(u, f) {
			return custody.Errorf(custody.NotFound, "no move %q that you record on", m.Move.ID)
		}
		_, err = s.record(r.Context(), r, custody.Event{Type: e.EventType(), Data: e})
	}
	if err != nil {
		fail := errorOf(err)
		if fail == nil || !mayRecordOnMove(u, f) {
			return err
		}
		if m2, err2 := s.store.Move(r.Context(), m.Move.ID); err2 == nil {
			m = m2 // as it is now (another phone may have recorded since)
		}
		return s.renderField(w, r, status(fail.Code), m, l, f, "", fail, typed)
	}
	v := url.Values{"done": {action}}
	if who != "" {
		v.Set("p", string(who))
	}
	http.Redirect(w, r, "/moves/"+url.PathEscape(string(m.Move.ID))+"/field?"+v.Encode(), http.StatusSeeOther)
	return nil
}

func fieldInvalid(format string, args ...any) error {
	return custody.Errorf(custody.Invalid, format, args...)
}

// fieldEvent builds the event a field form records, and the person it is
// about (for the message), or says what is wrong with the form.
func fieldEvent(action string, form url.Values, m *custody.MoveState, l *lookup, f custody.MoveFacts) (custody.Payload, custody.PersonID, error) {
	id := m.Move.ID
	person := custody.PersonID(strings.TrimSpace(form.Get("person")))
	count := func() (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(form.Get("count")))
		if err != nil || n < 0 {
			return 0, fieldInvalid("the headcount must be a number of persons")
		}
		return n, nil
	}
	reason := func(list custody.ListID) (custody.Reason, error) {
		code := form.Get("reason")
		vs := l.refs[list]
		if code == "" || len(vs) == 0 {
			return custody.Reason{}, &custody.Error{Code: custody.Invalid, Rule: custody.RuleRequired, Msg: "choose a reason from the list"}
		}
		return custody.Reason{Code: code, Version: vs[len(vs)-1].Version, Note: strings.TrimSpace(form.Get("note"))}, nil
	}
	handover := func() (*custody.Handover, error) {
		seq, err := strconv.ParseInt(form.Get("handover"), 10, 64)
		h := m.Handover(seq)
		if err != nil || h == nil {
			return nil, fieldInvalid("no such handover on move %s", id)
		}
		return h, nil
	}
	persons := func() []custody.PersonID {
		var out []custody.PersonID
		for _, p := range form["person"] {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, custody.PersonID(p)) {
				out = append(out, custody.PersonID(p))
			}
		}
		return out
	}
	switch action {
	case "start-boarding":
		return &custody.BoardingStarted{Move: id}, "", nil
	case "board":
		code := strings.TrimSpace(form.Get("code"))
		if code == "" && strings.HasPrefix(string(person), "CUSTODY1:") {
			code = string(person) // a scanner that types what it reads
		}
		b := &custody.Boarded{Move: id, Scan: custody.ScanTyped, Person: person}
		if code != "" {
			p, err := custody.ParseWristband(code)
			if err != nil {
				return nil, "", &custody.Error{Code: custody.Invalid, Rule: custody.RuleWristband, Msg: err.Error()}
			}
			b.Scan, b.Code, b.Person = custody.ScanQR, code, p
		}
		if b.Person == "" {
			return nil, "", fieldInvalid("scan a wristband or type the person's ID")
		}
		if st, ok := m.SeatOf(b.Person); ok {
			b.Vehicle = st.Vehicle
		}
		return b, b.Person, nil
	case "not-boarded":
		if person == "" {
			return nil, "", fieldInvalid("type the ID of the person who does not board")
		}
		r, err := reason(custody.ListNotBoarded)
		return &custody.NotBoarded{Move: id, Person: person, Reason: r}, person, err
	case "depart":
		n, err := count()
		return &custody.Departed{Move: id, Count: n}, "", err
	case "count":
		n, err := count()
		leg, lerr := strconv.Atoi(form.Get("leg"))
		if lerr != nil {
			return nil, "", fieldInvalid("choose the leg of the count")
		}
		return &custody.Counted{Move: id, Leg: leg, Count: n}, "", err
	case "arrive":
		n, err := count()
		return &custody.Arrived{Move: id, Count: n}, "", err
	case "release":
		ps := persons()
		if len(ps) == 0 {
			return nil, "", fieldInvalid("choose the persons to hand over")
		}
		stage, to := custody.AtArrival, f.Receiver
		if m.Status == custody.StageBoarding {
			stage, to = custody.AtDeparture, m.Move.Escort
		}
		return &custody.HandoverReleased{Move: id, Stage: stage, To: to, Persons: ps}, "", nil
	case "receive":
		h, err := handover()
		if err != nil {
			return nil, "", err
		}
		ps := persons()
		if len(ps) == 0 {
			return nil, "", fieldInvalid("choose the persons whose custody you accept")
		}
		return &custody.HandoverReceived{Move: id, Handover: h.Seq, Persons: ps, IdentityChecked: form.Get("identity-checked") != ""}, "", nil
	case "refuse":
		h, err := handover()
		if err != nil {
			return nil, "", err
		}
		if person == "" {
			return nil, "", fieldInvalid("choose the person you refuse")
		}
		r, err := reason(custody.ListHandoverRefused)
		return &custody.HandoverRefused{Move: id, Handover: h.Seq, Person: person, Reason: r}, person, err
	case "close":
		return &custody.MoveClosed{Move: id}, "", nil
	}
	return nil, "", errors.New("unreachable")
}

// doneMessage is the message of a form recorded: the page's ?done= and ?p=.
func doneMessage(lang Lang, q url.Values, m *custody.MoveState) string {
	p := custody.PersonID(q.Get("p"))
	if _, ok := m.SeatOf(p); !ok {
		p = ""
	}
	switch q.Get("done") {
	case "start-boarding":
		return lang.T("Boarding started: the manifests are frozen.")
	case "board":
		return lang.T("Boarded: %s.", p)
	case "not-boarded":
		return lang.T("Recorded as not boarded: %s.", p)
	case "depart":
		return lang.T("Departure recorded.")
	case "count":
		return lang.T("Headcount recorded.")
	case "arrive":
		return lang.T("Arrival recorded.")
	case "release":
		return lang.T("Handover recorded: it awaits the receiving side's confirmation.")
	case "receive":
		return lang.T("Custody received.")
	case "refuse":
		return lang.T("Refusal recorded: %s.", p)
	case "close":
		return lang.T("Move closed.")
	}
	return ""
}
