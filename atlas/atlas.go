// Package atlas draws maps of north-east Syria, Iraq and their neighbours as
// self-contained inline SVG, from country outlines embedded in the binary
// (Natural Earth admin-0 countries; see data/README.md). Nothing is loaded at
// run time and no script is needed.
//
// A Map has markers (facilities, sized by the persons they hold, with their
// capacity as a dashed ring) and routes (transfers, as arrows whose width
// grows with the persons moved). The projection is equirectangular, with
// longitude scaled by the cosine of the middle latitude, which at these
// latitudes is within a few per cent of true shape.
//
// The SVG is themed with classes so the page's CSS can restyle it; default
// presentation attributes make it readable on its own:
//
//	svg.atlas                 the map (also role="img")
//	rect.sea                  the background
//	path.country.iso-SYR      a country outline, class iso-CODE, plus
//	path.country.focus        for the emphasised ones (Syria, Iraq by default)
//	text.country-label        a country's name (.small when it is small)
//	g.route > path.route-line, path.route-head
//	g.marker.kind-KIND > circle.capacity, circle.count
//	text.marker-label
//	g.scale                   the scale bar
//
// Output is deterministic: the same Map renders to the same bytes.
package atlas

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/opencustody/custody/internal/svgtext"
)

// Point is a place on the earth in decimal degrees (WGS 84).
type Point struct {
	Lat, Lon float64
}

// Bounds is the area a map shows at least, in decimal degrees. The map
// fills its whole view, so it may show more than Bounds on the sides or at
// top and bottom. The embedded outlines cover lon 30–52, lat 26–42.
type Bounds struct {
	MinLat, MinLon, MaxLat, MaxLon float64
}

// Region is the default bounds: north-east Syria to southern Iraq with the
// Levant coast (lon 34–49, lat 29–38.5).
func Region() Bounds {
	return Bounds{MinLat: 29, MinLon: 34, MaxLat: 38.5, MaxLon: 49}
}

// Marker is a place on the map, such as a facility.
type Marker struct {
	ID       string // rendered as data-id; optional
	Label    string // the name shown next to the marker and in its tooltip
	At       Point
	Kind     string // a class kind-KIND (lower-cased, letters, digits and '-' only), e.g. prison, camp
	Count    int    // persons there; the circle's area grows with it
	Capacity int    // drawn as a dashed ring on the same scale when > 0
	Href     string // a link, when set (relative, http or https only)
	Title    string // the tooltip; when empty it is made of Label, Count and Capacity
}

// Route is a movement between two places, drawn as an arrow From → To. With
// no Via it is a gentle curve (so that A→B and B→A do not overlap);
// otherwise a polyline through Via.
type Route struct {
	From, To Point
	Via      []Point
	Label    string // shown in the tooltip
	Count    int    // persons moved; the arrow's width grows with it
	Href     string // a link, when set (relative, http or https only)
	Title    string // the tooltip; when empty it is made of Label and Count
}

// Map is a map to render. The zero value, given a Width or not, draws the
// Region with nothing on it.
type Map struct {
	Width, Height int    // view size in pixels; Width defaults to 800, Height to Bounds' aspect
	Bounds        Bounds // the area shown at least; zero means Region()
	Title         string // accessible name (aria-label and <title>); optional
	Markers       []Marker
	Routes        []Route

	// Focus lists the codes of the countries emphasised (class focus); nil
	// means Syria and Iraq. An empty non-nil slice emphasises none.
	Focus []string
	// Names overrides country names by code (e.g. Arabic names); an empty
	// string hides that country's name.
	Names map[string]string
	// HideMarkerLabels leaves marker labels out (tooltips stay).
	HideMarkerLabels bool
}

// Default look. Classes let the page's CSS override all of it.
const (
	defaultWidth = 800
	minRadius    = 3.0 // px, a marker with nothing in it
	minWidth     = 1.5 // px, a route with nobody on it
	maxWidth     = 7.0 // px, the route with the most
	labelFont    = 11.0
	smallFont    = 9.0
	markerFont   = 10.0
)

// SVG renders the map as an <svg> element for a template.
func (m *Map) SVG() (template.HTML, error) {
	var b bytes.Buffer
	if err := m.Render(&b); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // #nosec G203 -- every piece of data in it is escaped
}

// Render writes the map as a self-contained <svg> element.
func (m *Map) Render(w io.Writer) error {
	countries, err := loadCountries()
	if err != nil {
		return err
	}
	width, height, bounds, err := m.layout()
	if err != nil {
		return err
	}
	for i, mk := range m.Markers {
		if !validPoint(mk.At) {
			return fmt.Errorf("atlas: marker %d (%q): invalid position %v", i, mk.Label, mk.At)
		}
	}
	for i, r := range m.Routes {
		ok := validPoint(r.From) && validPoint(r.To)
		for _, v := range r.Via {
			ok = ok && validPoint(v)
		}
		if !ok {
			return fmt.Errorf("atlas: route %d (%q): invalid position", i, r.Label)
		}
	}

	W, H := float64(width), float64(height)
	pr := newProjection(bounds, W, H)
	var b svgBuilder
	b.printf(`<svg xmlns="http://www.w3.org/2000/svg" class="atlas" viewBox="0 0 %d %d" width="%d" height="%d" role="img"`, width, height, width, height)
	if m.Title != "" {
		b.printf(` aria-label="%s"`, svgtext.Escape(m.Title))
	}
	b.printf(` dir="ltr" direction="ltr" font-family="sans-serif">`)
	if m.Title != "" {
		b.printf(`<title>%s</title>`, svgtext.Escape(m.Title))
	}
	b.printf(`<rect class="sea" x="0" y="0" width="%d" height="%d" fill="#dce9f2"/>`, width, height)

	rad := m.radii(W)
	items := m.markerItems(pr, rad)
	// Labels keep clear of each other and of the markers.
	placed := &labels{view: rect{2, 2, W - 2, H - 2}}
	for _, it := range items {
		r := math.Max(it.r, it.rc)
		placed.boxes = append(placed.boxes, rect{it.at.X - r, it.at.Y - r, it.at.X + r, it.at.Y + r})
	}
	m.drawCountries(&b, countries, pr, W, H, placed)
	m.drawRoutes(&b, pr, rad)
	m.drawMarkers(&b, items, placed)
	drawScale(&b, pr, W, H)
	b.printf(`</svg>`)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("atlas: write svg: %w", err)
	}
	return nil
}

func validPoint(p Point) bool {
	return !math.IsNaN(p.Lat) && !math.IsNaN(p.Lon) && !math.IsInf(p.Lat, 0) && !math.IsInf(p.Lon, 0) &&
		p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// layout checks the map's size and bounds and fills in defaults.
func (m *Map) layout() (w, h int, b Bounds, err error) {
	b = m.Bounds
	if b == (Bounds{}) {
		b = Region()
	}
	if !validPoint(Point{b.MinLat, b.MinLon}) || !validPoint(Point{b.MaxLat, b.MaxLon}) ||
		b.MinLat >= b.MaxLat || b.MinLon >= b.MaxLon || b.MaxLat >= 89 || b.MinLat <= -89 {
		return 0, 0, b, fmt.Errorf("atlas: invalid bounds %+v", b)
	}
	w, h = m.Width, m.Height
	if w < 0 || h < 0 {
		return 0, 0, b, fmt.Errorf("atlas: invalid size %d×%d", w, h)
	}
	if w == 0 {
		w = defaultWidth
	}
	if h == 0 {
		k := math.Cos((b.MinLat + b.MaxLat) / 2 * math.Pi / 180)
		h = int(math.Round(float64(w) * (b.MaxLat - b.MinLat) / ((b.MaxLon - b.MinLon) * k)))
		if h < 1 {
			h = 1
		}
	}
	return w, h, b, nil
}

// drawCountries writes the outlines clipped to the view, then their names.
func (m *Map) drawCountries(b *svgBuilder, cs []country, pr projection, W, H float64, placed *labels) {
	focus := m.Focus
	if focus == nil {
		focus = []string{"SYR", "IRQ"}
	}
	isFocus := func(code string) bool {
		for _, f := range focus {
			if strings.EqualFold(f, code) {
				return true
			}
		}
		return false
	}
	// Clip a little outside the view so the clip edges' strokes do not show.
	view := rect{-4, -4, W + 4, H + 4}
	tol := 0.3 // px: finer detail than this is invisible
	type candidate struct {
		name  string
		at    xy
		r     float64
		focus bool
		code  string
	}
	var cands []candidate
	b.printf(`<g class="countries" fill-rule="evenodd" stroke-linejoin="round">`)
	for _, c := range cs {
		var d strings.Builder
		var biggest [][]xy
		bigArea := 0.0
		for _, poly := range c.Polys {
			var rings [][]xy
			for _, ring := range poly {
				pts := make([]xy, 0, len(ring))
				for _, q := range ring {
					pts = append(pts, pr.project(q[1], q[0]))
				}
				if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
					pts = pts[:len(pts)-1]
				}
				pts = thin(clipRing(pts, view), tol)
				if len(pts) < 3 || math.Abs(ringArea(pts)) < 0.5 {
					continue
				}
				rings = append(rings, pts)
				for i, p := range pts {
					if i == 0 {
						d.WriteByte('M')
					} else {
						d.WriteByte('L')
					}
					writeXY(&d, p)
				}
				d.WriteByte('Z')
			}
			if len(rings) > 0 {
				if a := polygonArea(rings); a > bigArea {
					bigArea, biggest = a, rings
				}
			}
		}
		if d.Len() == 0 {
			continue
		}
		name := c.Name
		if n, ok := m.Names[c.Code]; ok {
			name = n
		}
		class, fill, stroke, sw := "country iso-"+c.Code, "#ece8df", "#a89f91", "0.6"
		f := isFocus(c.Code)
		if f {
			class, fill, stroke, sw = class+" focus", "#fbf8f1", "#6d6458", "1.1"
		}
		b.printf(`<path class="%s" fill="%s" stroke="%s" stroke-width="%s" d="%s">`, class, fill, stroke, sw, d.String())
		if name != "" {
			b.printf(`<title>%s</title>`, svgtext.Escape(name))
		}
		b.printf(`</path>`)
		if name != "" && biggest != nil {
			// Label only inside the strict view: a label point found in the
			// clip margin would be cut off.
			inner := make([][]xy, len(biggest))
			for i, r := range biggest {
				inner[i] = clipRing(r, rect{0, 0, W, H})
			}
			if len(inner[0]) >= 3 {
				at, r := labelPoint(inner, 1)
				cands = append(cands, candidate{name, at, r, f, c.Code})
			}
		}
	}
	b.printf(`</g>`)

	// Biggest room first, so that small neighbours give way.
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].focus != cands[j].focus {
			return cands[i].focus
		}
		return cands[i].r > cands[j].r
	})
	b.printf(`<g class="country-labels" text-anchor="middle" fill="#7a7266" stroke="#fbf8f1" stroke-width="3" stroke-linejoin="round" paint-order="stroke">`)
	for _, c := range cands {
		font, class := labelFont, "country-label"
		switch {
		case c.r >= 24:
		case c.r >= 6:
			font, class = smallFont, "country-label small"
		default:
			continue
		}
		tw := textWidth(c.name, font)
		box := rect{c.at.X - tw/2, c.at.Y - font*0.7, c.at.X + tw/2, c.at.Y + font*0.5}
		if !placed.place(box) {
			continue
		}
		extra := ""
		if c.focus {
			extra = ` font-weight="bold" fill="#4d463d"`
		}
		b.printf(`<text class="%s iso-%s" x="%s" y="%s" font-size="%s"%s>%s</text>`,
			class, c.code, num(c.at.X), num(c.at.Y+font*0.35), num(font), extra, svgtext.Escape(c.name))
	}
	b.printf(`</g>`)
}

// radii scales marker sizes: the area of a circle is proportional to the
// persons in it, the largest count or capacity on the map getting maxR.
type radii struct {
	maxV     float64
	maxR     float64
	maxCount float64
}

func (m *Map) radii(W float64) radii {
	r := radii{maxR: math.Max(8, W/45)}
	for _, mk := range m.Markers {
		r.maxV = math.Max(r.maxV, math.Max(float64(mk.Count), float64(mk.Capacity)))
	}
	for _, rt := range m.Routes {
		r.maxCount = math.Max(r.maxCount, float64(rt.Count))
	}
	return r
}

func (r radii) radius(v int) float64 {
	if v <= 0 || r.maxV <= 0 {
		return minRadius
	}
	return minRadius + (r.maxR-minRadius)*math.Sqrt(float64(v)/r.maxV)
}

func (r radii) width(count int) float64 {
	if count <= 0 || r.maxCount <= 0 {
		return minWidth
	}
	return minWidth + (maxWidth-minWidth)*math.Sqrt(float64(count)/r.maxCount)
}

// markerRadiusAt is the radius of the count circle of a marker at p, or 0.
func (m *Map) markerRadiusAt(pr projection, rad radii, p xy) float64 {
	best := 0.0
	for _, mk := range m.Markers {
		q := pr.project(mk.At.Lat, mk.At.Lon)
		if math.Abs(q.X-p.X) < 0.5 && math.Abs(q.Y-p.Y) < 0.5 {
			best = math.Max(best, rad.radius(mk.Count))
		}
	}
	return best
}

func (m *Map) drawRoutes(b *svgBuilder, pr projection, rad radii) {
	if len(m.Routes) == 0 {
		return
	}
	// Widest first, so thin routes stay visible on top.
	order := make([]int, len(m.Routes))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return m.Routes[order[i]].Count > m.Routes[order[j]].Count })
	b.printf(`<g class="routes" fill="none" stroke="#1f5f8b" stroke-opacity="0.8" stroke-linecap="round" stroke-linejoin="round">`)
	for _, i := range order {
		rt := m.Routes[i]
		from, to := pr.project(rt.From.Lat, rt.From.Lon), pr.project(rt.To.Lat, rt.To.Lon)
		var line polyline
		if len(rt.Via) == 0 {
			mid := xy{(from.X + to.X) / 2, (from.Y + to.Y) / 2}
			dx, dy := to.X-from.X, to.Y-from.Y
			ctrl := xy{mid.X - dy*0.15, mid.Y + dx*0.15}
			line = quad(from, ctrl, to, 24)
		} else {
			line = append(line, from)
			for _, v := range rt.Via {
				line = append(line, pr.project(v.Lat, v.Lon))
			}
			line = append(line, to)
		}
		w := rad.width(rt.Count)
		headLen, headHalf := 6+2*w, 3+w
		startCut := m.markerRadiusAt(pr, rad, from)
		endCut := m.markerRadiusAt(pr, rad, to)
		if startCut > 0 {
			startCut++
		}
		if endCut > 0 {
			endCut += 1.5
		}
		total := line.length()
		if total-startCut-endCut < headLen*1.5 {
			startCut, endCut = 0, 0
		}
		line = line.trimStart(startCut).trimEnd(endCut)
		var head string
		if total >= headLen*1.5 && len(line) >= 2 {
			tip := line[len(line)-1]
			back := line.trimEnd(headLen)
			base := back[len(back)-1]
			ux, uy := (tip.X-base.X)/headLen, (tip.Y-base.Y)/headLen
			l := xy{base.X - uy*headHalf, base.Y + ux*headHalf}
			r := xy{base.X + uy*headHalf, base.Y - ux*headHalf}
			var hb strings.Builder
			hb.WriteByte('M')
			writeXY(&hb, tip)
			hb.WriteByte('L')
			writeXY(&hb, l)
			hb.WriteByte('L')
			writeXY(&hb, r)
			hb.WriteByte('Z')
			head = hb.String()
			line = line.trimEnd(headLen * 0.6)
		}
		var d strings.Builder
		for k, p := range line {
			if k == 0 {
				d.WriteByte('M')
			} else {
				d.WriteByte('L')
			}
			writeXY(&d, p)
		}
		title := rt.Title
		if title == "" {
			title = rt.Label
			if rt.Count > 0 {
				title = joinTitle(rt.Label, thousands(rt.Count))
			}
		}
		b.printf(`<g class="route" data-count="%d">`, rt.Count)
		href := svgtext.SafeHref(rt.Href)
		if href != "" {
			b.printf(`<a href="%s">`, svgtext.Escape(href))
		}
		if title != "" {
			b.printf(`<title>%s</title>`, svgtext.Escape(title))
		}
		if len(line) >= 2 {
			b.printf(`<path class="route-line" stroke-width="%s" d="%s"/>`, num(w), d.String())
		}
		if head != "" {
			b.printf(`<path class="route-head" fill="#1f5f8b" fill-opacity="0.9" stroke="none" d="%s"/>`, head)
		}
		if href != "" {
			b.printf(`</a>`)
		}
		b.printf(`</g>`)
	}
	b.printf(`</g>`)
}

// markerItem is a marker placed on the view.
type markerItem struct {
	i  int     // index in Map.Markers
	at xy      // centre
	r  float64 // radius of the count circle
	rc float64 // radius of the capacity ring, or 0
}

func (m *Map) markerItems(pr projection, rad radii) []markerItem {
	items := make([]markerItem, len(m.Markers))
	for i, mk := range m.Markers {
		it := markerItem{i: i, at: pr.project(mk.At.Lat, mk.At.Lon), r: rad.radius(mk.Count)}
		if mk.Capacity > 0 {
			it.rc = rad.radius(mk.Capacity)
		}
		items[i] = it
	}
	return items
}

func (m *Map) drawMarkers(b *svgBuilder, items []markerItem, placed *labels) {
	if len(items) == 0 {
		return
	}
	// Big circles under small ones.
	draw := append([]markerItem(nil), items...)
	sort.SliceStable(draw, func(i, j int) bool {
		return math.Max(draw[i].r, draw[i].rc) > math.Max(draw[j].r, draw[j].rc)
	})
	b.printf(`<g class="markers">`)
	for _, it := range draw {
		mk := m.Markers[it.i]
		class := "marker"
		if k := classToken(mk.Kind); k != "" {
			class += " kind-" + k
		}
		b.printf(`<g class="%s"`, class)
		if mk.ID != "" {
			b.printf(` data-id="%s"`, svgtext.Escape(mk.ID))
		}
		b.printf(` data-count="%d">`, mk.Count)
		href := svgtext.SafeHref(mk.Href)
		if href != "" {
			b.printf(`<a href="%s">`, svgtext.Escape(href))
		}
		title := mk.Title
		if title == "" {
			title = mk.Label
			switch {
			case mk.Capacity > 0:
				title = joinTitle(mk.Label, thousands(mk.Count)+" / "+thousands(mk.Capacity))
			case mk.Count > 0:
				title = joinTitle(mk.Label, thousands(mk.Count))
			}
		}
		if title != "" {
			b.printf(`<title>%s</title>`, svgtext.Escape(title))
		}
		if it.rc > 0 {
			b.printf(`<circle class="capacity" cx="%s" cy="%s" r="%s" fill="none" stroke="#8e2a1f" stroke-width="1" stroke-dasharray="3 2" stroke-opacity="0.7"/>`,
				num(it.at.X), num(it.at.Y), num(it.rc))
		}
		b.printf(`<circle class="count" cx="%s" cy="%s" r="%s" fill="#c0392b" fill-opacity="0.75" stroke="#fff" stroke-width="1"/>`,
			num(it.at.X), num(it.at.Y), num(it.r))
		if href != "" {
			b.printf(`</a>`)
		}
		b.printf(`</g>`)
	}
	b.printf(`</g>`)

	if m.HideMarkerLabels {
		return
	}
	// Labels of the fullest places first; one that would overlap another
	// label is left out (its tooltip stays).
	byCount := append([]markerItem(nil), items...)
	sort.SliceStable(byCount, func(i, j int) bool { return m.Markers[byCount[i].i].Count > m.Markers[byCount[j].i].Count })
	b.printf(`<g class="marker-labels" font-size="%s" fill="#3b342c" stroke="#fff" stroke-width="2.5" stroke-linejoin="round" paint-order="stroke">`, num(markerFont))
	for _, it := range byCount {
		mk := m.Markers[it.i]
		if mk.Label == "" {
			continue
		}
		tw := textWidth(mk.Label, markerFont)
		r := math.Max(it.r, it.rc)
		right := rect{it.at.X + r + 3, it.at.Y - markerFont*0.7, it.at.X + r + 3 + tw, it.at.Y + markerFont*0.5}
		left := rect{it.at.X - r - 3 - tw, right.Y0, it.at.X - r - 3, right.Y1}
		for _, box := range []rect{right, left} {
			if placed.place(box) {
				b.printf(`<text class="marker-label" x="%s" y="%s">%s</text>`, num(box.X0), num(it.at.Y+markerFont*0.35), svgtext.Escape(mk.Label))
				break
			}
		}
	}
	b.printf(`</g>`)
}

// drawScale writes a scale bar of a round number of kilometres in the
// bottom-left corner.
func drawScale(b *svgBuilder, pr projection, W, H float64) {
	kmpp := pr.kmPerPixel()
	want := W / 6 * kmpp
	km := 0.0
	for _, s := range []float64{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000} {
		if s <= want {
			km = s
		}
	}
	if km == 0 {
		return
	}
	l := km / kmpp
	x, y := 12.0, H-12
	b.printf(`<g class="scale" font-size="9" fill="#3b342c"><path d="M%s %sv4h%sv-4" fill="none" stroke="#3b342c" stroke-width="1"/><text x="%s" y="%s">%s km</text></g>`,
		num(x), num(y-4), num(l), num(x+l+4), num(y), strconv.FormatFloat(km, 'f', -1, 64))
}

// labels keeps the boxes of the labels placed so far.
type labels struct {
	view  rect
	boxes []rect
}

// place takes box if it is in the view and clear of the others.
func (l *labels) place(box rect) bool {
	if !box.inside(l.view) {
		return false
	}
	for _, o := range l.boxes {
		if o.overlaps(box) {
			return false
		}
	}
	l.boxes = append(l.boxes, box)
	return true
}

// textWidth estimates the width of a label in a sans-serif font, on the
// wide side (DejaVu Sans) so that labels rarely collide.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune(" .,:;'|!ijlI", r):
			w += 0.32
		case strings.ContainsRune("()[]/-ft", r):
			w += 0.4
		case r >= '0' && r <= '9':
			w += 0.64
		case r == 'm' || r == 'w' || r == 'M' || r == 'W':
			w += 0.9
		case r >= 'A' && r <= 'Z':
			w += 0.72
		case r >= 0x0600 && r <= 0x06FF:
			w += 0.56
		default:
			w += 0.62
		}
	}
	return w * size
}

// svgBuilder accumulates the document.
type svgBuilder struct{ strings.Builder }

func (b *svgBuilder) printf(format string, args ...any) {
	if len(args) == 0 {
		b.WriteString(format)
		return
	}
	fmt.Fprintf(&b.Builder, format, args...)
}

func writeXY(b *strings.Builder, p xy) {
	b.WriteString(num(p.X))
	b.WriteByte(' ')
	b.WriteString(num(p.Y))
}

// num formats a coordinate to 0.1 px.
func num(f float64) string {
	f = math.Round(f*10) / 10
	if f == 0 {
		f = 0 // no "-0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func joinTitle(label, figures string) string {
	if label == "" {
		return figures
	}
	return label + " — " + figures
}

// thousands formats n with comma thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// classToken makes s usable as part of a class name.
func classToken(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
