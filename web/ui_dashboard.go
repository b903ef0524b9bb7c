package web

import (
	"html/template"
	"net/http"
	"slices"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/atlas"
	"github.com/opencustody/custody/chart"
	"github.com/opencustody/custody/sqlstore"
)

// The dashboard (transfer progress, who is held where, open discrepancies,
// missing-from-custody clocks, the latest checkpoint) and the map.

type dashboardData struct {
	L          *lookup
	Stats      *sqlstore.Stats
	Remaining  int
	Progress   template.HTML
	Facilities template.HTML
	Categories template.HTML
	Nations    template.HTML
	Alerts     []*custody.Alert
	Escapes    []escapeRow
	Checkpoint *uiCheckpointInfo
	// Legal: overdue consular notifications and open death-penalty
	// alerts in the user's scope.
	Legal *dashboardLegal
}

type escapeRow struct {
	custody.Escape
	P    shownPerson
	Open string // how long the clock has run
}

// topNations is how many nationalities the dashboard names; the rest are
// one "other" bar.
const topNations = 15

// dashboard shows the operation at a glance.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	T := langOf(r).T
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	st, err := s.store.Stats(ctx)
	if err != nil {
		return err
	}
	d := &dashboardData{L: l, Stats: st, Remaining: max(st.Transfer.Target-st.Transfer.Done, 0)}
	var pts []chart.Point
	for _, day := range st.Transfer.ByDay {
		t, err := time.Parse(time.DateOnly, day.Date)
		if err == nil {
			pts = append(pts, chart.Point{X: t, Y: float64(day.Cumulative)})
		}
	}
	d.Progress = chart.Line(pts, chart.LineOptions{Width: 1100, Height: 300, Title: T("Persons transferred to Iraq"), YLabel: T("persons"),
		Target: float64(st.Transfer.Target), TargetLabel: T("Target"), NoData: T("No transfers yet")})
	var bars []chart.Bar
	for _, f := range st.ByFacility {
		if f.Population > 0 {
			bars = append(bars, chart.Bar{Label: l.Facility(custody.FacilityID(f.ID)), Value: float64(f.Population), Max: float64(f.Capacity), Href: "/facilities/" + f.ID})
		}
	}
	d.Facilities = chart.Bars(bars, chart.BarOptions{Width: 1100, Title: T("Persons held by facility, against capacity"), NoData: T("Nobody is held")})
	bars = nil
	for _, c := range st.ByCategory {
		bars = append(bars, chart.Bar{Label: T(c.Key), Value: float64(c.N), Href: "/persons?category=" + c.Key})
	}
	d.Categories = chart.Bars(bars, chart.BarOptions{Width: 540, Title: T("Persons by category"), NoData: T("Nobody is registered")})
	bars = nil
	other := 0
	for i, c := range st.ByNationality {
		if i < topNations {
			bars = append(bars, chart.Bar{Label: c.Key, Value: float64(c.N), Href: "/persons?nationality=" + c.Key})
		} else {
			other += c.N
		}
	}
	if other > 0 {
		bars = append(bars, chart.Bar{Label: T("%d others", len(st.ByNationality)-topNations), Value: float64(other)})
	}
	d.Nations = chart.Bars(bars, chart.BarOptions{Width: 540, Title: T("Persons by nationality"), NoData: T("Nobody is registered")})

	// Open discrepancies of the moves the user may view.
	alerts, err := s.store.Alerts(ctx, true)
	if err != nil {
		return err
	}
	for _, a := range alerts {
		m, err := s.store.Move(ctx, a.Move)
		if err != nil {
			return err
		}
		if custody.CanViewMove(u, l.stateFacts(m)) {
			d.Alerts = append(d.Alerts, a)
		}
	}
	// Missing-from-custody clocks: named only for those the user may read.
	escapes, err := s.store.OpenEscapes(ctx)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	var named []custody.PersonID
	for _, e := range escapes {
		row := escapeRow{Escape: e, P: shownPerson{ID: e.Person}, Open: since(now, e.At)}
		rec, ok, err := s.readableOne(ctx, u, e.Person)
		if err != nil {
			return err
		}
		if ok {
			row.P.Readable, row.P.Name, row.P.State = true, rec.State.Person.Name, rec.State
			named = append(named, e.Person)
		}
		d.Escapes = append(d.Escapes, row)
	}
	legal, shown, err := s.dashboardLegalOf(ctx, u)
	if err != nil {
		return err
	}
	d.Legal = legal
	named = append(named, readIDs(shown)...)
	if err := s.audit(r, named...); err != nil {
		return err
	}
	if d.Checkpoint, err = s.uiCheckpoint(ctx); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "dashboard", "Dashboard", d)
}

type mapData struct {
	L          *lookup
	SVG        template.HTML
	Facilities []sqlstore.FacilitySummary
	Routes     []routeRow
}

type routeRow struct {
	Origin, Destination custody.FacilityID
	Moves               int
	Moved               int // received at the destination
	OnTheWay            int // aboard now
}

// countryNamesAr are the Arabic names of the countries the map shows.
var countryNamesAr = map[string]string{
	"SYR": "سوريا", "IRQ": "العراق", "TUR": "تركيا", "JOR": "الأردن", "SAU": "السعودية", "LBN": "لبنان",
	"IRN": "إيران", "KWT": "الكويت", "ISR": "إسرائيل", "PSE": "فلسطين", "CYP": "قبرص", "EGY": "مصر",
	"ARM": "أرمينيا", "AZE": "أذربيجان", "GEO": "جورجيا", "QAT": "قطر", "BHR": "البحرين", "RUS": "روسيا",
	"CYN": "", "CNM": "",
}

// mapPage draws every facility and the routes of the moves.
func (s *Server) mapPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	T := langOf(r).T
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	moves, err := s.store.MovesFor(ctx, sqlstore.MoveQuery{})
	if err != nil {
		return err
	}
	states, err := s.moveStates(ctx, moves)
	if err != nil {
		return err
	}
	type key struct{ from, to custody.FacilityID }
	at := map[key]int{}
	d := &mapData{L: l}
	for _, m := range moves {
		k := key{m.Origin, m.Destination}
		i, ok := at[k]
		if !ok {
			i = len(d.Routes)
			at[k] = i
			d.Routes = append(d.Routes, routeRow{Origin: m.Origin, Destination: m.Destination})
		}
		b := states[m.ID].Balance()
		d.Routes[i].Moves++
		d.Routes[i].Moved += b.HandedOver
		d.Routes[i].OnTheWay += b.Aboard
	}
	slices.SortFunc(d.Routes, func(a, b routeRow) int { return (b.Moved + b.OnTheWay) - (a.Moved + a.OnTheWay) })
	mp := atlas.Map{Width: 1100, Title: T("Facilities and the routes of the transfer")}
	if l.lang == Arabic {
		mp.Names = countryNamesAr
	}
	point := func(id custody.FacilityID) (atlas.Point, bool) {
		f, ok := l.facs[id]
		return atlas.Point{Lat: f.Place.Lat, Lon: f.Place.Lon}, ok && (f.Place.Lat != 0 || f.Place.Lon != 0)
	}
	for _, rt := range d.Routes {
		from, ok1 := point(rt.Origin)
		to, ok2 := point(rt.Destination)
		if !ok1 || !ok2 {
			continue
		}
		label := l.Facility(rt.Origin) + " " + T("→") + " " + l.Facility(rt.Destination)
		mp.Routes = append(mp.Routes, atlas.Route{From: from, To: to, Label: label, Count: rt.Moved + rt.OnTheWay,
			Title: label + ": " + T("%s persons moved in %d moves", formatInt(rt.Moved+rt.OnTheWay), rt.Moves)})
	}
	for _, f := range l.Facilities() {
		d.Facilities = append(d.Facilities, f)
		p, ok := point(f.ID)
		if !ok || f.Parent != "" {
			continue // sections are drawn with their facility
		}
		pop, capa := f.Population, f.Capacity
		for _, sec := range l.Facilities() {
			if sec.Parent == f.ID {
				pop, capa = pop+sec.Population, capa+sec.Capacity
			}
		}
		name := l.Name(f.Name)
		mp.Markers = append(mp.Markers, atlas.Marker{ID: string(f.ID), Label: shortPlace(l, f), At: p, Kind: string(f.Kind),
			Count: pop, Capacity: capa, Href: "/facilities/" + string(f.ID),
			Title: name + " — " + l.Authority(f.Controller) + ": " + T("%s held, capacity %s", formatInt(pop), formatInt(capa))})
	}
	if d.SVG, err = mp.SVG(); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "map", "Map", d)
}

// shortPlace labels a facility on the map: the big ones by name, the
// others not at all (their tooltips name them).
func shortPlace(l *lookup, f sqlstore.FacilitySummary) string {
	if f.Population+f.Capacity < 2000 {
		return ""
	}
	return l.Name(f.Name)
}
