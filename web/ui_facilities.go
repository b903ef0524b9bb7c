package web

import (
	"cmp"
	"net/http"
	"slices"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// The facilities: their list, and each facility's record, control history
// and roll (scoped: persons outside the user's scope are counted, not
// listed).

type facilitiesData struct {
	L          *lookup
	Facilities []sqlstore.FacilitySummary
	Capacity   int
	Population int
}

// facilitiesPage lists the facilities: Syria's first, then Iraq's, each
// by population.
func (s *Server) facilitiesPage(w http.ResponseWriter, r *http.Request) error {
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	d := &facilitiesData{L: l, Facilities: slices.Clone(l.Facilities())}
	slices.SortStableFunc(d.Facilities, func(a, b sqlstore.FacilitySummary) int {
		return cmp.Or(-cmp.Compare(a.Place.Country, b.Place.Country), cmp.Compare(b.Population, a.Population))
	})
	for _, f := range d.Facilities {
		d.Capacity += f.Capacity
		d.Population += f.Population
	}
	return s.render(w, r, http.StatusOK, "facilities", "Facilities", d)
}

type facilityData struct {
	L        *lookup
	F        *custody.FacilityState
	Summary  sqlstore.FacilitySummary
	Sections []sqlstore.FacilitySummary
	Control  []controlRow
	// The roll: shown only to users who search persons.
	ShowRoll          bool
	Roll              []sqlstore.PersonSummary
	InScope, OutScope int
	AtLeast           bool // InScope was not counted to the end
	NextURL, FirstURL string
}

type controlRow struct {
	custody.ControlPeriod
	Until string // when the next period began, or ""
}

// maxRollCount bounds the pages read to count a roll in a user's scope.
const maxRollCount = 20

// facilityPage shows a facility's record, control history and roll.
func (s *Server) facilityPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	id := custody.FacilityID(r.PathValue("id"))
	f, err := s.store.Facility(ctx, id)
	if err != nil {
		return err
	}
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	d := &facilityData{L: l, F: f, Summary: l.facs[id]}
	for _, x := range l.Facilities() {
		if x.Parent == id {
			d.Sections = append(d.Sections, x)
		}
	}
	for i, c := range f.Control {
		row := controlRow{ControlPeriod: c}
		if i+1 < len(f.Control) {
			row.Until = f.Control[i+1].From.UTC().Format("2006-01-02 15:04 UTC")
		}
		d.Control = append(d.Control, row)
	}
	slices.Reverse(d.Control) // the current controller first
	if custody.Can(u, custody.SearchPersons) {
		d.ShowRoll = true
		scope := custody.PersonScope(u)
		q := r.URL.Query()
		after := custody.PersonID(q.Get("after"))
		page, err := s.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: scope, Facility: id, After: after, Limit: 50})
		if err != nil {
			return err
		}
		d.Roll = page.Persons
		if page.Next != "" {
			d.NextURL = withQuery(r.URL.Path, q, "after", string(page.Next))
		}
		if after != "" {
			d.FirstURL = withQuery(r.URL.Path, q, "after", "")
		}
		// How many of the roll are in scope, to say how many are not.
		pop := d.Summary.Population
		switch {
		case scope.All || slices.Contains(scope.Facilities, id):
			d.InScope = pop
		case after == "" && page.Next == "":
			d.InScope = len(page.Persons)
		default:
			var next custody.PersonID
			for i := 0; ; i++ {
				if i == maxRollCount {
					d.AtLeast = true
					break
				}
				pg, err := s.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: scope, Facility: id, After: next, Limit: 500})
				if err != nil {
					return err
				}
				d.InScope += len(pg.Persons)
				if next = pg.Next; next == "" {
					break
				}
			}
		}
		d.OutScope = max(pop-d.InScope, 0)
		ids := make([]custody.PersonID, len(page.Persons))
		for i, p := range page.Persons {
			ids[i] = p.ID
		}
		if err := s.audit(r, ids...); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "facility", "Facility", d)
}
