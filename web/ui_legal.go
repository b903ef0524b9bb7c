package web

import (
	"context"
	"net/http"
	"slices"

	custody "github.com/opencustody/custody"
)

// The legal reference page (the charges a case may carry, with their
// articles and maximum penalties, and the states' positions on the death
// penalty, each with its source), the "Legal and consular" section of a
// person's page, and the dashboard's consular figures.

type positionRow struct {
	custody.StatePosition
	Label   string // the position in the page's language
	Opposes bool
}

type legalRefData struct {
	Charges        *custody.ChargeList
	ChargeRows     []chargeView
	ChargeVersions int
	Positions      *custody.PositionTable
	PositionRows   []positionRow
	PosVersions    int
}

// positionLabels are the English labels of the death-penalty positions.
var positionLabels = map[custody.Position]string{
	custody.Abolitionist:           "abolitionist for all crimes",
	custody.AbolitionistOrdinary:   "abolitionist for ordinary crimes only",
	custody.AbolitionistInPractice: "abolitionist in practice",
	custody.Retentionist:           "retentionist",
}

// legalReferencePage shows the current charges and positions.
func (s *Server) legalReferencePage(w http.ResponseWriter, r *http.Request) error {
	lang := langOf(r)
	cs, ps, err := s.store.LegalReference(r.Context())
	if err != nil {
		return err
	}
	d := &legalRefData{ChargeVersions: len(cs), PosVersions: len(ps)}
	if len(cs) > 0 {
		d.Charges = cs[len(cs)-1]
		refs := make([]custody.ChargeRef, len(d.Charges.Charges))
		for i, c := range d.Charges.Charges {
			refs[i] = custody.ChargeRef{Code: c.Code, Version: d.Charges.Version}
		}
		for _, ch := range resolveCharges(cs, refs) {
			cv := chargeView{Code: ch.Code, Version: ch.Version, Law: ch.Law, Article: ch.Article, Text: ch.Label, Max: penaltyText(lang, ch.Max),
				Death: ch.Max != nil && ch.Max.Kind == custody.PenaltyDeath}
			if lang == Arabic && ch.LabelAr != "" {
				cv.Text = ch.LabelAr
			}
			d.ChargeRows = append(d.ChargeRows, cv)
		}
	}
	if len(ps) > 0 {
		d.Positions = ps[len(ps)-1]
		for _, p := range d.Positions.Positions {
			label := string(p.Position)
			if l, ok := positionLabels[p.Position]; ok {
				label = lang.T(l)
			}
			d.PositionRows = append(d.PositionRows, positionRow{StatePosition: p, Label: label, Opposes: p.Position.OpposesExecution()})
		}
		slices.SortFunc(d.PositionRows, func(a, b positionRow) int {
			if a.Country < b.Country {
				return -1
			}
			if a.Country > b.Country {
				return 1
			}
			return 0
		})
	}
	return s.render(w, r, http.StatusOK, "legal_reference", "Legal reference", d)
}

// repatriationOf is one request naming a person, and where they stand in
// it.
type repatriationOf struct {
	R *custody.RepatriationState
	X custody.Repatriate
}

// personLegal is the "Legal and consular" section of a person's page.
type personLegal struct {
	Show          bool
	Cases         []caseRow
	Notifications []notificationRow
	Exposures     []*custody.Exposure
	Repatriations []repatriationOf
	// OpenCase: the user, a judicial user of the authority that holds the
	// person, may open a case (none is open).
	OpenCase bool
	Current  *custody.CaseState // the case open now, if any (seen or not, it bars a second)
}

// personLegalOf reads what the user may see of a person's cases,
// notifications, alerts and repatriation requests.
func (s *Server) personLegalOf(ctx context.Context, r *http.Request, ps *custody.PersonState) (*personLegal, error) {
	u := userOf(r)
	lang := langOf(r)
	d := &personLegal{Show: custody.Can(u, custody.ViewCases) || custody.Can(u, custody.ViewConsular)}
	id := ps.Person.ID
	all, err := s.store.CasesOf(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, c := range all {
		if c.Stage.Open() {
			d.Current = c
		}
		if !custody.CanViewCase(u, c) {
			continue
		}
		row := caseRow{C: c, Max: penaltyText(lang, c.MaxPenalty), Death: facesDeath(c)}
		if n := len(c.Steps); n > 0 {
			row.Last = c.Steps[n-1].At
		}
		d.Cases = append(d.Cases, row)
	}
	d.OpenCase = u.Role == custody.RoleJudicial && custody.Can(u, custody.RecordEvents) && d.Current == nil &&
		ps.Location.Status.InCustody() && ps.Location.Authority == u.Authority
	if !d.Show {
		return d, nil
	}
	ns, err := s.visibleNotifications(ctx, u, notificationQuery{Person: id})
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	for _, n := range ns {
		d.Notifications = append(d.Notifications, notificationRow{N: n, Overdue: s.overdue(n), Owed: sinceCustody(now, n)})
	}
	if custody.Can(u, custody.ViewConsular) {
		xs, err := s.store.ExposuresOf(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, x := range xs {
			if x.Open() && custody.CanViewExposure(u, x) {
				d.Exposures = append(d.Exposures, x)
			}
		}
		rs, err := s.visibleRepatriations(ctx, u, "")
		if err != nil {
			return nil, err
		}
		for _, rp := range rs {
			for _, x := range rp.Persons {
				if x.Person == id {
					d.Repatriations = append(d.Repatriations, repatriationOf{R: rp, X: x})
				}
			}
		}
	}
	return d, nil
}

// dashboardLegal is the dashboard's consular part.
type dashboardLegal struct {
	ShowConsular bool // the user sees notifications
	Overdue      int
	Oldest       []notificationRow
	ShowAlerts   bool
	OpenAlerts   int           // the open death-penalty alerts the user may see
	Alerts       []exposureRow // the latest of them
}

// oldestOverdue is how many overdue notifications the dashboard names,
// and latestAlerts how many death-penalty alerts.
const (
	oldestOverdue = 5
	latestAlerts  = 5
)

// dashboardLegalOf counts the overdue notifications the user may see and
// names the oldest, and lists the open death-penalty alerts they may see.
// It returns the persons it shows (their reads are the caller's to record).
func (s *Server) dashboardLegalOf(ctx context.Context, u *custody.User) (*dashboardLegal, map[custody.PersonID]shownPerson, error) {
	d := &dashboardLegal{}
	if !custody.Can(u, custody.ViewConsular) {
		return d, nil, nil
	}
	d.ShowConsular = true
	q := notificationQuery{Overdue: true}
	var err error
	if d.Overdue, err = s.countNotifications(ctx, u, q); err != nil {
		return nil, nil, err
	}
	q.Limit = oldestOverdue
	ns, err := s.visibleNotifications(ctx, u, q)
	if err != nil {
		return nil, nil, err
	}
	xs, err := s.visibleExposures(ctx, u, true)
	if err != nil {
		return nil, nil, err
	}
	d.ShowAlerts = showsAlerts(u, xs)
	d.OpenAlerts = len(xs)
	xs = latest(xs, latestAlerts)
	var ids []custody.PersonID
	for _, n := range ns {
		ids = append(ids, n.Person)
	}
	for _, x := range xs {
		ids = append(ids, x.Person)
	}
	shown, err := s.shownPersons(ctx, u, ids)
	if err != nil {
		return nil, nil, err
	}
	now := s.cfg.Now()
	for _, n := range ns {
		d.Oldest = append(d.Oldest, notificationRow{N: n, P: shown[n.Person], Overdue: true, Owed: sinceCustody(now, n)})
	}
	for _, x := range xs {
		d.Alerts = append(d.Alerts, exposureRow{X: x, P: shown[x.Person], CaseLink: custody.Can(u, custody.ViewCases)})
	}
	return d, shown, nil
}

// showsAlerts reports whether a page has a section for death-penalty
// alerts: those the user sees, or none yet for those who would see them.
func showsAlerts(u *custody.User, visible []*custody.Exposure) bool {
	return len(visible) > 0 || u.Role == custody.RoleConsular || u.Role == custody.RoleMonitor
}

// latest returns at most n of the alerts xs (oldest first), newest first.
func latest(xs []*custody.Exposure, n int) []*custody.Exposure {
	out := slices.Clone(xs[max(len(xs)-n, 0):])
	slices.Reverse(out)
	return out
}
