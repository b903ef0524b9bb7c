package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/password"
	"github.com/opencustody/custody/sqlstore"
)

// The monitor's audit trail of person reads, and the administrator's users
// page.

type auditData struct {
	User, Person      string
	Reads             []sqlstore.PersonRead
	NextURL, FirstURL string
}

const readsPerPage = 100

// auditPage shows who read which person's record, newest first.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := &auditData{User: strings.TrimSpace(q.Get("user")), Person: strings.TrimSpace(q.Get("person"))}
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	reads, err := s.store.PersonReads(r.Context(), sqlstore.ReadFilter{User: d.User, Person: d.Person, Before: max(before, 0), Limit: readsPerPage + 1})
	if err != nil {
		return err
	}
	if len(reads) > readsPerPage {
		reads = reads[:readsPerPage]
		d.NextURL = withQuery("/audit", q, "before", strconv.FormatInt(reads[len(reads)-1].ID, 10))
	}
	if before > 0 {
		d.FirstURL = withQuery("/audit", q, "before", "")
	}
	d.Reads = reads
	return s.render(w, r, http.StatusOK, "audit", "Audit", d)
}

type usersData struct {
	L        *lookup
	Users    []sqlstore.UserRecord
	Roles    []custody.Role
	Flash    string
	Error    *apiError
	Added    string // the name of the user just added
	Password string // their password, shown once
	Form     userForm
}

type userForm struct {
	Name, Role, Authority, Facilities, Nationalities string
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, code int, d *usersData) error {
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	users, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	d.L, d.Users, d.Roles = l, users, custody.Roles
	if d.Form.Role == "" {
		d.Form.Role = string(custody.RoleMonitor)
	}
	return s.render(w, r, code, "users", "Users", d)
}

// usersPage lists the users, with a form to add one.
func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	d := &usersData{}
	if q := r.URL.Query(); q.Get("done") == "disabled" {
		if u, _, err := s.store.User(r.Context(), q.Get("name")); err == nil && u.Disabled {
			d.Flash = langOf(r).T("User %s disabled: their sessions are ended.", u.Name)
		}
	}
	return s.renderUsers(w, r, http.StatusOK, d)
}

// splitList splits a comma- or space-separated list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '\n' })
}

// addUserForm adds a user with a generated password, shown once.
func (s *Server) addUserForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	f := userForm{Name: strings.ToLower(strings.TrimSpace(r.PostFormValue("name"))), Role: r.PostFormValue("role"),
		Authority: strings.TrimSpace(r.PostFormValue("authority")), Facilities: r.PostFormValue("facilities"),
		Nationalities: strings.ToUpper(r.PostFormValue("nationalities"))}
	u := custody.User{Name: f.Name, Role: custody.Role(f.Role), Authority: custody.AuthorityID(f.Authority)}
	for _, x := range splitList(f.Facilities) {
		u.Facilities = append(u.Facilities, custody.FacilityID(x))
	}
	u.Nationalities = splitList(f.Nationalities)
	fail := func(err error) error {
		e := errorOf(err)
		if e == nil {
			return err
		}
		return s.renderUsers(w, r, status(e.Code), &usersData{Error: e, Form: f})
	}
	if err := u.Validate(); err != nil {
		return fail(custody.Errorf(custody.Invalid, "%v", err))
	}
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	if _, ok := l.auth[u.Authority]; u.Authority != "" && !ok {
		return fail(custody.Errorf(custody.Invalid, "no authority %q", u.Authority))
	}
	for _, id := range u.Facilities {
		if _, ok := l.facs[id]; !ok {
			return fail(custody.Errorf(custody.Invalid, "no facility %q", id))
		}
	}
	pw := password.Generate()
	hash, err := password.Hash(pw, password.Default)
	if err != nil {
		return err
	}
	if err := s.store.AddUser(r.Context(), u, hash); err != nil {
		return fail(err)
	}
	s.log.InfoContext(r.Context(), "user added", "by", userOf(r).Name, "user", u.Name, "role", u.Role)
	return s.renderUsers(w, r, http.StatusOK, &usersData{Added: u.Name, Password: pw})
}

// disableUserForm disables a user and ends their sessions.
func (s *Server) disableUserForm(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if me := userOf(r); me != nil && me.Name == name {
		return custody.Errorf(custody.Conflict, "you cannot disable yourself")
	}
	if err := s.store.SetUserDisabled(r.Context(), name, true); err != nil {
		return err
	}
	s.forgetTokens()
	s.log.InfoContext(r.Context(), "user disabled", "by", userOf(r).Name, "user", name)
	http.Redirect(w, r, "/users?"+url.Values{"done": {"disabled"}, "name": {name}}.Encode(), http.StatusSeeOther)
	return nil
}
