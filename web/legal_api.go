package web

import (
	"net/http"
	"slices"
	"strconv"

	custody "github.com/opencustody/custody"
)

// The JSON API's reads of cases, consular notifications, death-penalty
// alerts, repatriation requests and the legal reference data. Every list
// is scoped item by item by the access policy (custody.CanViewCase and
// the like) and paged by key as the moves are: a page's "next" is the
// "after" of the next one. A case or request out of scope is "not found",
// like one that does not exist. Writes go through POST /api/v1/events.

// Page sizes of the legal lists.
const maxLegalPage = 1000

var (
	caseStages = []custody.CaseStage{custody.CaseStageInvestigation, custody.CaseStageTrial, custody.CaseStageConvicted,
		custody.CaseStageSentenced, custody.CaseStageAppeal, custody.CaseStageFinal, custody.CaseStageClosed}
	notificationStatuses = []custody.NotificationStatus{custody.NotificationPending, custody.NotificationDelivered, custody.NotificationAcknowledged}
)

type casePage struct {
	Cases []*custody.CaseState `json:"cases"`
	Next  custody.CaseID       `json:"next,omitempty"`
}

// boolParam reads a true/false query parameter: nil if absent.
func boolParam(r *http.Request, name string) (*bool, error) {
	switch v := r.URL.Query().Get(name); v {
	case "":
		return nil, nil
	case "true", "false":
		b := v == "true"
		return &b, nil
	default:
		return nil, custody.Errorf(custody.Invalid, "query parameter %s: %q is not true or false", name, v)
	}
}

// countryParam reads an ISO 3166-1 alpha-2 query parameter.
func countryParam(r *http.Request, name string) (string, error) {
	c := r.URL.Query().Get(name)
	if c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
		return "", custody.Errorf(custody.Invalid, "query parameter %s: %q is not an ISO 3166-1 alpha-2 code (two capital letters)", name, c)
	}
	return c, nil
}

// apiCases lists the cases the user may see, oldest first, filtered by
// the query parameters stage and person.
func (s *Server) apiCases(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	stage := custody.CaseStage(v.Get("stage"))
	if stage != "" && !slices.Contains(caseStages, stage) {
		return custody.Errorf(custody.Invalid, "query parameter stage: %q is not one of %s", stage, joinNames(caseStages))
	}
	limit, err := limitParam(r, 100, maxLegalPage)
	if err != nil {
		return err
	}
	cases, err := s.visibleCases(r.Context(), userOf(r), custody.PersonID(v.Get("person")))
	if err != nil {
		return err
	}
	if stage != "" {
		cases = slices.DeleteFunc(cases, func(c *custody.CaseState) bool { return c.Stage != stage })
	}
	key := func(c *custody.CaseState) string { return string(c.Case.ID) }
	if cases, err = pageAfter(cases, v.Get("after"), key, "case"); err != nil {
		return err
	}
	page := casePage{}
	var next string
	page.Cases, next = clip(cases, limit, key)
	page.Next = custody.CaseID(next)
	if page.Cases == nil {
		page.Cases = []*custody.CaseState{}
	}
	if err := auditLegal(s, r, page.Cases, func(c *custody.CaseState) custody.PersonID { return c.Case.Person }); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

// chargeJSON is a charge of the sheet in force, as the version it was
// chosen from has it.
type chargeJSON struct {
	custody.ChargeRef
	Law     string           `json:"law"`
	Article string           `json:"article"`
	Label   string           `json:"label"`
	LabelAr string           `json:"label_ar,omitempty"`
	Max     *custody.Penalty `json:"max,omitempty"` // nil if the version is not published (never in a verified log)
}

// caseJSON is a case with its charges in force spelled out and the
// death-penalty alerts the user may see.
type caseJSON struct {
	*custody.CaseState
	ChargesInForce []chargeJSON        `json:"charges_in_force"`
	Exposures      []*custody.Exposure `json:"exposures"`
}

// resolveCharges spells out charges from the versions they name.
func resolveCharges(lists []*custody.ChargeList, refs []custody.ChargeRef) []chargeJSON {
	out := make([]chargeJSON, 0, len(refs))
	for _, ref := range refs {
		c := chargeJSON{ChargeRef: ref}
		if ref.Version >= 1 && ref.Version <= len(lists) {
			if ch, ok := lists[ref.Version-1].Charge(ref.Code); ok {
				m := ch.Max
				c.Law, c.Article, c.Label, c.LabelAr, c.Max = ch.Law, ch.Article, ch.Label, ch.LabelAr, &m
			}
		}
		out = append(out, c)
	}
	return out
}

// caseExposures returns the alerts of case c the user may see.
func (s *Server) caseExposures(r *http.Request, c *custody.CaseState) ([]*custody.Exposure, error) {
	u := userOf(r)
	out := []*custody.Exposure{}
	if !custody.Can(u, custody.ViewConsular) {
		return out, nil
	}
	xs, err := s.store.ExposuresOf(r.Context(), c.Case.Person)
	if err != nil {
		return nil, err
	}
	for _, x := range xs {
		if x.Case == c.Case.ID && custody.CanViewExposure(u, x) {
			out = append(out, x)
		}
	}
	return out, nil
}

// apiCase answers a case the user may see.
func (s *Server) apiCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.visibleCase(ctx, userOf(r), custody.CaseID(r.PathValue("id")))
	if err != nil {
		return err
	}
	lists, _, err := s.store.LegalReference(ctx)
	if err != nil {
		return err
	}
	out := caseJSON{CaseState: c, ChargesInForce: resolveCharges(lists, c.Charges())}
	if out.Exposures, err = s.caseExposures(r, c); err != nil {
		return err
	}
	if c.Steps == nil {
		c.Steps = []custody.CaseStep{}
	}
	if err := s.audit(r, c.Case.Person); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// notificationJSON is a notification and whether it is overdue now, by
// the server's window.
type notificationJSON struct {
	*custody.Notification
	Overdue bool `json:"overdue"`
}

type notificationPage struct {
	Notifications []notificationJSON `json:"notifications"`
	Next          string             `json:"next,omitempty"`
	NotifyWithin  string             `json:"notify_within"` // the server's window, e.g. "72h0m0s"
}

// notificationQueryOf reads the query parameters status (pending,
// delivered, acknowledged or overdue), overdue, country and person.
func notificationQueryOf(r *http.Request) (notificationQuery, *bool, error) {
	v := r.URL.Query()
	q := notificationQuery{Person: custody.PersonID(v.Get("person"))}
	switch st := v.Get("status"); {
	case st == "overdue":
		q.Overdue = true
	case st == "" || slices.Contains(notificationStatuses, custody.NotificationStatus(st)):
		q.Status = custody.NotificationStatus(st)
	default:
		return q, nil, custody.Errorf(custody.Invalid, "query parameter status: %q is not one of %s, overdue", st, joinNames(notificationStatuses))
	}
	overdue, err := boolParam(r, "overdue")
	if err != nil {
		return q, nil, err
	}
	if overdue != nil && *overdue {
		if q.Status != "" && q.Status != custody.NotificationPending {
			return q, nil, custody.Errorf(custody.Invalid, "query parameter overdue: an overdue notification is pending, not %s", q.Status)
		}
		q.Overdue = true
	}
	if q.Country, err = countryParam(r, "country"); err != nil {
		return q, nil, err
	}
	return q, overdue, nil
}

// apiNotifications lists the consular notifications the user may see,
// oldest custody first.
func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request) error {
	q, overdue, err := notificationQueryOf(r)
	if err != nil {
		return err
	}
	limit, err := limitParam(r, 100, maxLegalPage)
	if err != nil {
		return err
	}
	ns, err := s.visibleNotifications(r.Context(), userOf(r), q)
	if err != nil {
		return err
	}
	if overdue != nil && !*overdue {
		ns = slices.DeleteFunc(ns, s.overdue)
	}
	key := func(n *custody.Notification) string { return string(n.ID) }
	if ns, err = pageAfter(ns, r.URL.Query().Get("after"), key, "notification"); err != nil {
		return err
	}
	ns, next := clip(ns, limit, key)
	page := notificationPage{Notifications: make([]notificationJSON, len(ns)), Next: next, NotifyWithin: s.cfg.NotifyWithin.String()}
	for i, n := range ns {
		page.Notifications[i] = notificationJSON{Notification: n, Overdue: s.overdue(n)}
	}
	if err := auditLegal(s, r, ns, func(n *custody.Notification) custody.PersonID { return n.Person }); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

type exposurePage struct {
	Exposures []*custody.Exposure `json:"exposures"`
	Next      string              `json:"next,omitempty"`
}

// apiExposures lists the death-penalty alerts the user may see, oldest
// first: open=true the open ones, open=false the closed ones; person
// narrows to one person's.
func (s *Server) apiExposures(w http.ResponseWriter, r *http.Request) error {
	open, err := boolParam(r, "open")
	if err != nil {
		return err
	}
	limit, err := limitParam(r, 100, maxLegalPage)
	if err != nil {
		return err
	}
	xs, err := s.visibleExposures(r.Context(), userOf(r), open != nil && *open)
	if err != nil {
		return err
	}
	person := custody.PersonID(r.URL.Query().Get("person"))
	xs = slices.DeleteFunc(xs, func(x *custody.Exposure) bool {
		return open != nil && !*open && x.Open() || person != "" && x.Person != person
	})
	key := func(x *custody.Exposure) string { return strconv.FormatInt(x.Key(), 10) }
	if xs, err = pageAfter(xs, r.URL.Query().Get("after"), key, "alert"); err != nil {
		return err
	}
	page := exposurePage{}
	page.Exposures, page.Next = clip(xs, limit, key)
	if page.Exposures == nil {
		page.Exposures = []*custody.Exposure{}
	}
	if err := auditLegal(s, r, page.Exposures, func(x *custody.Exposure) custody.PersonID { return x.Person }); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

type repatriationPage struct {
	Repatriations []*custody.RepatriationState `json:"repatriations"`
	Next          custody.RepatriationID       `json:"next,omitempty"`
}

// apiRepatriations lists the repatriation requests the user may see,
// newest first; country narrows to one state's.
func (s *Server) apiRepatriations(w http.ResponseWriter, r *http.Request) error {
	country, err := countryParam(r, "country")
	if err != nil {
		return err
	}
	limit, err := limitParam(r, 100, maxLegalPage)
	if err != nil {
		return err
	}
	rs, err := s.visibleRepatriations(r.Context(), userOf(r), country)
	if err != nil {
		return err
	}
	key := func(x *custody.RepatriationState) string { return string(x.Request.ID) }
	if rs, err = pageAfter(rs, r.URL.Query().Get("after"), key, "repatriation request"); err != nil {
		return err
	}
	page := repatriationPage{}
	var next string
	page.Repatriations, next = clip(rs, limit, key)
	page.Next = custody.RepatriationID(next)
	if page.Repatriations == nil {
		page.Repatriations = []*custody.RepatriationState{}
	}
	for _, rp := range page.Repatriations {
		if err := auditLegal(s, r, rp.Persons, func(x custody.Repatriate) custody.PersonID { return x.Person }); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, page)
}

// apiRepatriation answers a repatriation request the user may see.
func (s *Server) apiRepatriation(w http.ResponseWriter, r *http.Request) error {
	rp, err := s.visibleRepatriation(r.Context(), userOf(r), custody.RepatriationID(r.PathValue("id")))
	if err != nil {
		return err
	}
	if err := auditLegal(s, r, rp.Persons, func(x custody.Repatriate) custody.PersonID { return x.Person }); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rp)
}

type legalReferenceJSON struct {
	Charges   []*custody.ChargeList    `json:"charges"`   // every version, the current last
	Positions []*custody.PositionTable `json:"positions"` // every version, the current last
}

// apiLegalReference answers the published charges and states' positions
// on the death penalty, every version with its source.
func (s *Server) apiLegalReference(w http.ResponseWriter, r *http.Request) error {
	cs, ps, err := s.store.LegalReference(r.Context())
	if err != nil {
		return err
	}
	out := legalReferenceJSON{Charges: cs, Positions: ps}
	if out.Charges == nil {
		out.Charges = []*custody.ChargeList{}
	}
	if out.Positions == nil {
		out.Positions = []*custody.PositionTable{}
	}
	return writeJSON(w, http.StatusOK, out)
}

// auditLegal records the reads of the persons a legal answer shows (a
// case, a notification or an alert is part of a person's record), each
// once.
func auditLegal[T any](s *Server, r *http.Request, items []T, person func(T) custody.PersonID) error {
	var ids []custody.PersonID
	for _, it := range items {
		ids = append(ids, person(it))
	}
	slices.Sort(ids)
	return s.audit(r, slices.Compact(ids)...)
}
