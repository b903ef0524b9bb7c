package web

import (
	"context"
	"fmt"
	"slices"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// What the legal and consular pages and the API share: the cases,
// consular notifications, death-penalty alerts and repatriation requests a
// user may see (custody.CanViewCase and the like, item by item, after a
// query narrowed to the user's part where the store can), and the names of
// the persons they concern, shown only to those who may read their record.

// visibleCases returns the cases u may see, oldest first: one person's if
// person is set.
func (s *Server) visibleCases(ctx context.Context, u *custody.User, person custody.PersonID) ([]*custody.CaseState, error) {
	if !custody.Can(u, custody.ViewCases) {
		return nil, nil
	}
	var (
		all []*custody.CaseState
		err error
	)
	switch {
	case person != "":
		all, err = s.store.CasesOf(ctx, person)
	case u.Role == custody.RoleJudicial:
		all, err = s.store.Cases(ctx, u.Authority)
	default:
		all, err = s.store.Cases(ctx, "")
	}
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if custody.CanViewCase(u, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// visibleCase returns case id if u may see it: a case out of scope is
// "not found", like one that does not exist.
func (s *Server) visibleCase(ctx context.Context, u *custody.User, id custody.CaseID) (*custody.CaseState, error) {
	c, err := s.store.Case(ctx, id)
	if err != nil {
		if custody.ErrorCode(err) == custody.NotFound {
			return nil, noCase(id)
		}
		return nil, err
	}
	if !custody.CanViewCase(u, c) {
		return nil, noCase(id)
	}
	return c, nil
}

func noCase(id custody.CaseID) error {
	return custody.Errorf(custody.NotFound, "no case %q that you may see", id)
}

// notificationScope is the part of the notifications u may see, as a
// store filter: every one for a monitor, their states' for a consular
// officer, their authority's for its staff. false: none at all.
func notificationScope(u *custody.User) (sqlstore.NotificationFilter, bool) {
	switch {
	case !custody.Can(u, custody.ViewConsular):
		return sqlstore.NotificationFilter{}, false
	case u.Role == custody.RoleMonitor:
		return sqlstore.NotificationFilter{}, true
	case u.Role == custody.RoleConsular:
		return sqlstore.NotificationFilter{Countries: u.Nationalities}, len(u.Nationalities) > 0
	}
	return sqlstore.NotificationFilter{Authority: u.Authority}, u.Authority != ""
}

// notificationQuery is what a list of notifications asks for, beside the
// user's scope.
type notificationQuery struct {
	Country string
	Person  custody.PersonID
	Status  custody.NotificationStatus
	Overdue bool // pending past the window
	Limit   int  // 0: no limit
}

// filter returns the store filter of q within u's scope, or false if it
// selects nothing.
func (s *Server) notificationFilter(u *custody.User, q notificationQuery) (sqlstore.NotificationFilter, bool) {
	f, ok := notificationScope(u)
	if !ok {
		return f, false
	}
	if q.Country != "" {
		if f.Countries != nil && !slices.Contains(f.Countries, q.Country) {
			return f, false
		}
		f.Countries = []string{q.Country}
	}
	f.Person, f.Status, f.Limit = q.Person, q.Status, q.Limit
	if q.Overdue {
		if q.Status != "" && q.Status != custody.NotificationPending {
			return f, false
		}
		f.Status = custody.NotificationPending
		f.Before = s.cfg.Now().Add(-s.cfg.NotifyWithin)
	}
	return f, true
}

// visibleNotifications returns the notifications q selects that u may
// see, oldest custody first.
func (s *Server) visibleNotifications(ctx context.Context, u *custody.User, q notificationQuery) ([]*custody.Notification, error) {
	f, ok := s.notificationFilter(u, q)
	if !ok {
		return nil, nil
	}
	all, err := s.store.Notifications(ctx, f)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, n := range all {
		if custody.CanViewNotification(u, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// countNotifications counts the notifications q selects that u may see
// (the scope filter is exactly the policy's, so the store counts them).
func (s *Server) countNotifications(ctx context.Context, u *custody.User, q notificationQuery) (int, error) {
	f, ok := s.notificationFilter(u, q)
	if !ok {
		return 0, nil
	}
	return s.store.CountNotifications(ctx, f)
}

// overdue reports whether a notification is overdue now, by the server's
// window.
func (s *Server) overdue(n *custody.Notification) bool {
	return n.Overdue(s.cfg.Now(), s.cfg.NotifyWithin)
}

// visibleExposures returns the death-penalty alerts u may see, oldest
// first: only the open ones if open.
func (s *Server) visibleExposures(ctx context.Context, u *custody.User, open bool) ([]*custody.Exposure, error) {
	if !custody.Can(u, custody.ViewConsular) {
		return nil, nil
	}
	all, err := s.store.Exposures(ctx, open)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, x := range all {
		if custody.CanViewExposure(u, x) {
			out = append(out, x)
		}
	}
	return out, nil
}

// repatriationHolders returns, for each request, the authorities that hold
// or held its persons (deciding, releasing, holding now), and for each of
// its persons the authorities involved with them.
func (s *Server) repatriationHolders(ctx context.Context, rs []*custody.RepatriationState) (map[custody.RepatriationID][]custody.AuthorityID, map[custody.PersonID][]custody.AuthorityID, error) {
	var ids []custody.PersonID
	for _, r := range rs {
		for _, p := range r.Persons {
			ids = append(ids, p.Person)
		}
	}
	states := map[custody.PersonID]*custody.PersonState{}
	for chunk := range slices.Chunk(ids, 500) {
		m, err := s.store.Persons(ctx, chunk)
		if err != nil {
			return nil, nil, err
		}
		for id, st := range m {
			states[id] = st
		}
	}
	out := make(map[custody.RepatriationID][]custody.AuthorityID, len(rs))
	per := map[custody.PersonID][]custody.AuthorityID{}
	for _, r := range rs {
		var hs []custody.AuthorityID
		for _, p := range r.Persons {
			mine := []custody.AuthorityID{p.DecidedBy, p.ReleasedBy}
			if st := states[p.Person]; st != nil {
				mine = append(mine, st.Location.Authority)
			}
			for _, a := range mine {
				if a == "" {
					continue
				}
				if !slices.Contains(hs, a) {
					hs = append(hs, a)
				}
				if !slices.Contains(per[p.Person], a) {
					per[p.Person] = append(per[p.Person], a)
				}
			}
		}
		out[r.Request.ID] = hs
	}
	return out, per, nil
}

// scopedRepatriation returns r as u may see it: whole for its state's
// consuls and monitors; for a holding authority's staff, only the persons
// their authority holds, decided or released (the others' IDs would tell
// who else is a national of that state asking to go home).
func scopedRepatriation(u *custody.User, r *custody.RepatriationState, per map[custody.PersonID][]custody.AuthorityID) *custody.RepatriationState {
	if u.Role == custody.RoleMonitor || u.Role == custody.RoleConsular {
		return r
	}
	c := *r
	c.Persons = slices.DeleteFunc(slices.Clone(r.Persons), func(p custody.Repatriate) bool {
		return !slices.Contains(per[p.Person], u.Authority)
	})
	c.Request.Persons = slices.DeleteFunc(slices.Clone(r.Request.Persons), func(p custody.PersonID) bool {
		return !slices.Contains(per[p], u.Authority)
	})
	return &c
}

// visibleRepatriations returns the requests u may see, newest first: one
// state's if country is set.
func (s *Server) visibleRepatriations(ctx context.Context, u *custody.User, country string) ([]*custody.RepatriationState, error) {
	if !custody.Can(u, custody.ViewConsular) {
		return nil, nil
	}
	all, err := s.store.Repatriations(ctx, country)
	if err != nil {
		return nil, err
	}
	holders, per, err := s.repatriationHolders(ctx, all)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, r := range all {
		if custody.CanViewRepatriation(u, r, holders[r.Request.ID]) {
			out = append(out, scopedRepatriation(u, r, per))
		}
	}
	return out, nil
}

// visibleRepatriation returns request id if u may see it ("not found"
// otherwise, like one that does not exist).
func (s *Server) visibleRepatriation(ctx context.Context, u *custody.User, id custody.RepatriationID) (*custody.RepatriationState, error) {
	r, err := s.store.Repatriation(ctx, id)
	if err != nil {
		if custody.ErrorCode(err) == custody.NotFound {
			return nil, noRepatriation(id)
		}
		return nil, err
	}
	holders, per, err := s.repatriationHolders(ctx, []*custody.RepatriationState{r})
	if err != nil {
		return nil, err
	}
	if !custody.CanViewRepatriation(u, r, holders[r.Request.ID]) {
		return nil, noRepatriation(id)
	}
	return scopedRepatriation(u, r, per), nil
}

func noRepatriation(id custody.RepatriationID) error {
	return custody.Errorf(custody.NotFound, "no repatriation request %q that you may see", id)
}

// shownPersons returns persons as a page shows them: by name those u may
// read (on the facts of their records, which never admit more than the
// full facts), by ID the others. The caller records the reads of those
// shown by name (readIDs).
func (s *Server) shownPersons(ctx context.Context, u *custody.User, ids []custody.PersonID) (map[custody.PersonID]shownPerson, error) {
	out := make(map[custody.PersonID]shownPerson, len(ids))
	var uniq []custody.PersonID
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			out[id] = shownPerson{ID: id}
			uniq = append(uniq, id)
		}
	}
	if custody.PersonScope(u).None() {
		return out, nil
	}
	for chunk := range slices.Chunk(uniq, 500) {
		states, err := s.store.Persons(ctx, chunk)
		if err != nil {
			return nil, err
		}
		for id, st := range states {
			f := custody.PersonFacts{Nationalities: st.Person.Nationalities, Facility: st.Location.Facility, Holder: st.Location.Authority}
			if custody.CanReadPerson(u, f) {
				out[id] = shownPerson{ID: id, Name: st.Person.Name, Readable: true, State: st}
			}
		}
	}
	return out, nil
}

// readIDs returns the persons of shown that are shown by name (whose
// reads are recorded), in a stable order.
func readIDs(shown map[custody.PersonID]shownPerson) []custody.PersonID {
	var out []custody.PersonID
	for id, p := range shown {
		if p.Readable {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// penaltyText says a penalty in the page's language ("" for none).
func penaltyText(lang Lang, p *custody.Penalty) string {
	if p == nil {
		return ""
	}
	switch p.Kind {
	case custody.PenaltyDeath:
		return lang.T("death")
	case custody.PenaltyLife:
		return lang.T("life imprisonment")
	case custody.PenaltyYears:
		return lang.T("%d years' imprisonment", p.Years)
	}
	return string(p.Kind)
}

// facesDeath reports whether a case exposes its person to death now: the
// charges in force carry it and no sentence is passed, or a death sentence
// stands.
func facesDeath(c *custody.CaseState) bool {
	if c.Sentence != nil {
		return c.Sentence.Kind == custody.PenaltyDeath && (c.Stage.Open() || c.Stage == custody.CaseStageFinal)
	}
	return c.Stage.Open() && c.MaxPenalty != nil && c.MaxPenalty.Kind == custody.PenaltyDeath
}

// pageAfter returns the items after the one whose key is after (all if
// after is empty), and an error naming the parameter if none has it.
func pageAfter[T any](items []T, after string, key func(T) string, what string) ([]T, error) {
	if after == "" {
		return items, nil
	}
	i := slices.IndexFunc(items, func(x T) bool { return key(x) == after })
	if i < 0 {
		return nil, custody.Errorf(custody.Invalid, "query parameter after: no %s %q in this list", what, after)
	}
	return items[i+1:], nil
}

// clip cuts a page of at most limit items, and returns the key of the
// last one shown if more follow.
func clip[T any](items []T, limit int, key func(T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	return items[:limit], key(items[limit-1])
}

// sinceCustody says how long a notification has been owed.
func sinceCustody(now time.Time, n *custody.Notification) string {
	return since(now, n.CustodyAt)
}

// caseIDFor returns the ID of person p's n-th case.
func caseIDFor(p custody.PersonID, n int) custody.CaseID {
	return custody.CaseID(fmt.Sprintf("CASE-%s-%d", p, n))
}
