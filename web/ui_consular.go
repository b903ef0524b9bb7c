package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// The consular page: the notifications a user may see (Vienna Convention,
// Art. 36), by status, with how long each has been owed; for the staff of
// the authority that owes them a form to record the delivery of pending
// ones to one state, for a consular officer a form to acknowledge
// delivered ones; and the open death-penalty alerts the user may see.

// consularAlerts is how many death-penalty alerts the consular page
// lists (the latest; the filters narrow them).
const consularAlerts = 100

// consularTabs are the filters of the consular page ("" for all).
var consularTabs = []string{"", "pending", "overdue", "delivered", "acknowledged"}

type consularTab struct {
	Key    string
	URL    string
	N      int
	Active bool
}

type notificationRow struct {
	N          *custody.Notification
	P          shownPerson
	Overdue    bool
	Owed       string // how long since the person came into custody
	Selectable bool   // the user's form acts on it
}

type exposureRow struct {
	X        *custody.Exposure
	P        shownPerson
	CaseLink bool // the user may open the case
}

// deliveryForm is what the delivery and acknowledgement forms were sent
// with, kept when one is refused.
type deliveryForm struct {
	Means, To, Reference, Note string
	Selected                   []string
}

type consularData struct {
	L                 *lookup
	Status            string
	Country, Person   string // the filters
	Tabs              []consularTab
	Rows              []notificationRow
	Window            string
	NextURL, FirstURL string
	Deliver           bool // the user records deliveries (staff of an owing authority)
	Acknowledge       bool // the user acknowledges (a consular officer)
	Form              deliveryForm
	ShowAlerts        bool
	Exposures         []exposureRow // the latest, newest first
	MoreAlerts        int           // open alerts not shown
	Flash             string
	Error             *apiError
}

// tabQuery is the notification query of a consular tab, within the
// page's filters.
func tabQuery(key string, filter notificationQuery) notificationQuery {
	q := notificationQuery{Country: filter.Country, Person: filter.Person}
	if key == "overdue" {
		q.Overdue = true
	} else {
		q.Status = custody.NotificationStatus(key)
	}
	return q
}

// deliversNotifications reports whether u records the delivery of the
// notifications their authority owes.
func deliversNotifications(u *custody.User) bool {
	switch u.Role {
	case custody.RoleJudicial, custody.RoleReceiver, custody.RoleRegistrar:
		return u.Authority != "" && custody.Can(u, custody.RecordEvents)
	}
	return false
}

// acknowledgesNotifications reports whether u acknowledges notifications
// to their states.
func acknowledgesNotifications(u *custody.User) bool {
	return u.Role == custody.RoleConsular && len(u.Nationalities) > 0 && custody.Can(u, custody.RecordEvents)
}

// consularPage lists the notifications the user may see.
func (s *Server) consularPage(w http.ResponseWriter, r *http.Request) error {
	flash := ""
	switch r.URL.Query().Get("done") {
	case "delivered":
		flash = langOf(r).T("Recorded: the notifications are delivered.")
	case "acknowledged":
		flash = langOf(r).T("Recorded: the notifications are acknowledged.")
	}
	return s.renderConsular(w, r, http.StatusOK, &consularData{Flash: flash})
}

func (s *Server) renderConsular(w http.ResponseWriter, r *http.Request, code int, d *consularData) error {
	ctx := r.Context()
	u := userOf(r)
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d.L, d.Status, d.Window = l, q.Get("status"), windowText(langOf(r), s.cfg.NotifyWithin)
	d.Country, d.Person = strings.ToUpper(strings.TrimSpace(q.Get("country"))), strings.ToUpper(strings.TrimSpace(q.Get("person")))
	if !slices.Contains(consularTabs, d.Status) {
		return custody.Errorf(custody.Invalid, "no status %q: one of pending, overdue, delivered, acknowledged", d.Status)
	}
	if c := d.Country; c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
		return custody.Errorf(custody.Invalid, "the state %q is not an ISO 3166-1 alpha-2 code (two letters, e.g. SE)", q.Get("country"))
	}
	filter := notificationQuery{Country: d.Country, Person: custody.PersonID(d.Person)}
	kept := url.Values{}
	for _, k := range []string{"country", "person"} {
		if v := q.Get(k); v != "" {
			kept.Set(k, v)
		}
	}
	for _, k := range consularTabs {
		n, err := s.countNotifications(ctx, u, tabQuery(k, filter))
		if err != nil {
			return err
		}
		d.Tabs = append(d.Tabs, consularTab{Key: k, URL: withQuery("/consular", kept, "status", k), N: n, Active: k == d.Status})
	}
	ns, err := s.visibleNotifications(ctx, u, tabQuery(d.Status, filter))
	if err != nil {
		return err
	}
	key := func(n *custody.Notification) string { return string(n.ID) }
	after := q.Get("after")
	if ns, err = pageAfter(ns, after, key, "notification"); err != nil {
		return err
	}
	ns, next := clip(ns, 100, key)
	if next != "" {
		d.NextURL = withQuery("/consular", q, "after", next)
	}
	if after != "" {
		d.FirstURL = withQuery("/consular", q, "after", "")
	}
	d.Deliver, d.Acknowledge = deliversNotifications(u), acknowledgesNotifications(u)
	ids := make([]custody.PersonID, 0, len(ns))
	for _, n := range ns {
		ids = append(ids, n.Person)
	}
	xs, err := s.visibleExposures(ctx, u, true)
	if err != nil {
		return err
	}
	d.ShowAlerts = showsAlerts(u, xs)
	xs = slices.DeleteFunc(xs, func(x *custody.Exposure) bool {
		return d.Country != "" && !slices.Contains(x.Countries, d.Country) || d.Person != "" && string(x.Person) != d.Person
	})
	d.MoreAlerts = max(len(xs)-consularAlerts, 0)
	xs = latest(xs, consularAlerts)
	for _, x := range xs {
		ids = append(ids, x.Person)
	}
	shown, err := s.shownPersons(ctx, u, ids)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	for _, n := range ns {
		row := notificationRow{N: n, P: shown[n.Person], Overdue: s.overdue(n), Owed: sinceCustody(now, n)}
		switch {
		case d.Deliver:
			row.Selectable = n.Status == custody.NotificationPending && n.Authority == u.Authority
		case d.Acknowledge:
			row.Selectable = n.Status == custody.NotificationDelivered && slices.Contains(u.Nationalities, n.Country)
		}
		d.Rows = append(d.Rows, row)
	}
	for _, x := range xs {
		d.Exposures = append(d.Exposures, exposureRow{X: x, P: shown[x.Person], CaseLink: custody.Can(u, custody.ViewCases)})
	}
	if err := s.audit(r, readIDs(shown)...); err != nil {
		return err
	}
	return s.render(w, r, code, "consular", "Consular notifications", d)
}

// selectedNotifications reads the notifications ticked on the consular
// page: all of one state's, since a delivery or an acknowledgement is one
// note to or from one state.
func selectedNotifications(form url.Values) (string, []custody.NotificationID, error) {
	var ids []custody.NotificationID
	country := ""
	for _, v := range form["n"] {
		id := custody.NotificationID(strings.TrimSpace(v))
		i := strings.LastIndexByte(string(id), '/')
		if id.Person() == "" || i < 0 {
			return "", nil, badInput("%q is not a notification", v)
		}
		c := string(id)[i+1:]
		if country != "" && c != country {
			return "", nil, badInput("tick the notifications of one state only (%s and %s are ticked): a delivery or an acknowledgement is one note to or from one state", country, c)
		}
		country = c
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return "", nil, badInput("tick at least one notification")
	}
	return country, ids, nil
}

// deliveredForm records the delivery of the ticked pending notifications
// to one state.
func (s *Server) deliveredForm(w http.ResponseWriter, r *http.Request) error {
	return s.consularForm(w, r, "delivered")
}

// acknowledgedForm records a state's acknowledgement of the ticked
// delivered notifications.
func (s *Server) acknowledgedForm(w http.ResponseWriter, r *http.Request) error {
	return s.consularForm(w, r, "acknowledged")
}

func (s *Server) consularForm(w http.ResponseWriter, r *http.Request, action string) error {
	u := userOf(r)
	switch {
	case action == "delivered" && !deliversNotifications(u):
		return custody.Errorf(custody.Forbidden, "deliveries are recorded by the custodial authority's judicial, receiving or registry staff")
	case action == "acknowledged" && !acknowledgesNotifications(u):
		return custody.Errorf(custody.Forbidden, "notifications are acknowledged by the state's consular officers")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the form could not be read")
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	form := deliveryForm{Means: v("means"), To: v("to"), Reference: v("reference"), Note: v("note"), Selected: r.PostForm["n"]}
	country, ids, err := selectedNotifications(r.PostForm)
	if err == nil {
		err = s.seesNotifications(r.Context(), u, ids)
	}
	if err == nil {
		switch action {
		case "delivered":
			if form.Means == "" || form.To == "" {
				err = badInput("say how the notification was delivered (note verbale, email...) and to which post")
			} else {
				_, err = s.record(r.Context(), r, custody.Event{Type: custody.TypeConsularNotified,
					Data: &custody.ConsularNotified{Country: country, Notifications: ids, Means: form.Means, To: form.To, Reference: form.Reference}})
			}
		case "acknowledged":
			_, err = s.record(r.Context(), r, custody.Event{Type: custody.TypeConsularAcknowledged,
				Data: &custody.ConsularAcknowledged{Country: country, Notifications: ids, Note: form.Note}})
		}
	}
	if err != nil {
		fail := errorOf(err)
		if fail == nil {
			return err
		}
		return s.renderConsular(w, r, status(fail.Code), &consularData{Form: form, Error: fail})
	}
	http.Redirect(w, r, "/consular?"+url.Values{"status": {action}, "country": {country}, "done": {action}}.Encode(), http.StatusSeeOther)
	return nil
}

// windowText says the notification window in the page's language: in
// hours when it is whole hours.
func windowText(lang Lang, d time.Duration) string {
	if d%time.Hour == 0 {
		return lang.T("%d hours", int(d/time.Hour))
	}
	return d.String()
}

// seesNotifications checks that u may see each of the notifications ids:
// one they may not is "not found", like one that does not exist, so that
// nobody learns through a refusal who is held where.
func (s *Server) seesNotifications(ctx context.Context, u *custody.User, ids []custody.NotificationID) error {
	for _, id := range ids {
		ns, err := s.store.Notifications(ctx, sqlstore.NotificationFilter{Person: id.Person()})
		if err != nil {
			return err
		}
		i := slices.IndexFunc(ns, func(n *custody.Notification) bool { return n.ID == id })
		if i < 0 || !custody.CanViewNotification(u, ns[i]) {
			return custody.Errorf(custody.NotFound, "no notification %q that you may see", id)
		}
	}
	return nil
}
