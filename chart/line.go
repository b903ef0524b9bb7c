package chart

import (
	"html/template"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/opencustody/custody/internal/svgtext"
)

// Point is a value at a time.
type Point struct {
	X time.Time
	Y float64
}

// LineOptions sets up a Line chart. Every field is optional.
type LineOptions struct {
	Width, Height int    // pixels; 640×240 by default
	Title         string // drawn at the top left and used as the accessible name
	YLabel        string // the unit of the values, drawn above the Y axis, e.g. "persons"
	// Target draws a dashed horizontal line at this value, labelled, when > 0;
	// the Y axis then reaches at least up to it.
	Target      float64
	TargetLabel string // the target's label before its value; "Target" by default
	// FormatDate writes a date tick; "2 Jan" by default.
	FormatDate func(time.Time) string
	NoData     string // the text shown for an empty series; "No data" by default
}

// Plot margins of a Line chart, in pixels: the plot area is the chart less
// these (plus lineTitle at the top when there is a title, and lineYLabel
// when there is a Y label).
const (
	lineLeft   = 52.0
	lineRight  = 52.0
	lineTop    = 12.0
	lineBottom = 24.0
	lineTitle  = 20.0
	lineYLabel = 14.0
)

// Line draws series as a line over time: the Y axis starts at zero (or
// below, for negative values) with round ticks, the X axis has date ticks,
// the last point is marked and labelled with its value. The series need not
// be sorted; points with a NaN or infinite Y are left out. An empty series
// draws "No data"; a single point is drawn in the middle of a one-day span.
func Line(series []Point, opts LineOptions) template.HTML {
	W, H := float64(opts.Width), float64(opts.Height)
	if W <= 0 {
		W = 640
	}
	if H <= 0 {
		H = 240
	}
	var b svg
	b.open("line-chart", W, H, opts.Title)
	top := lineTop
	if opts.Title != "" {
		top += lineTitle
	}
	if opts.YLabel != "" {
		top += lineYLabel
	}

	pts := make([]Point, 0, len(series))
	for _, p := range series {
		if !math.IsNaN(p.Y) && !math.IsInf(p.Y, 0) {
			pts = append(pts, p)
		}
	}
	if len(pts) == 0 {
		b.empty(W, H, top-lineTop, opts.NoData)
		b.printf(`</svg>`)
		return html(&b)
	}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].X.Before(pts[j].X) })

	plot := lineLayout(pts, opts, W, H, top)

	// Y grid and ticks.
	b.printf(`<g class="axis y-axis" fill="%s" text-anchor="end">`, axisColor)
	for _, v := range plot.yTicks {
		y := plot.y(v)
		b.printf(`<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1"/>`,
			num(plot.x0), num(plot.x1), num(y), num(y), gridColor)
		b.printf(`<text class="tick" x="%s" y="%s">%s</text>`, num(plot.x0-6), num(y+fontSize/3), Format(v))
	}
	b.printf(`</g>`)
	if opts.YLabel != "" {
		b.printf(`<text class="y-label" x="%s" y="%s" fill="%s">%s</text>`,
			num(plot.x0), num(plot.y1-8), axisColor, svgtext.Escape(opts.YLabel))
	}

	// X axis and date ticks.
	format := opts.FormatDate
	if format == nil {
		format = func(t time.Time) string { return t.Format("2 Jan") }
	}
	b.printf(`<g class="axis x-axis" fill="%s" text-anchor="middle">`, axisColor)
	b.printf(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1"/>`,
		num(plot.x0), num(plot.x1), num(plot.y0), num(plot.y0), axisColor)
	for _, t := range plot.xTicks {
		x := plot.x(t)
		b.printf(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1"/>`,
			num(x), num(x), num(plot.y0), num(plot.y0+4), axisColor)
		b.printf(`<text class="tick" x="%s" y="%s">%s</text>`, num(x), num(plot.y0+4+fontSize), svgtext.Escape(format(t)))
	}
	b.printf(`</g>`)

	// Target.
	if opts.Target > 0 {
		y := plot.y(opts.Target)
		label := opts.TargetLabel
		if label == "" {
			label = "Target"
		}
		b.printf(`<g class="target" fill="%s"><line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.2" stroke-dasharray="5 4"/>`,
			overColor, num(plot.x0), num(plot.x1), num(y), num(y), overColor)
		b.printf(`<text x="%s" y="%s" text-anchor="end">%s</text></g>`,
			num(plot.x1), num(y-4), svgtext.Escape(label+" "+Format(opts.Target)))
	}

	// The area under the line, the line and the last point.
	var d strings.Builder
	for i, p := range pts {
		if i == 0 {
			d.WriteByte('M')
		} else {
			d.WriteByte('L')
		}
		d.WriteString(num(plot.x(p.X)) + " " + num(plot.y(p.Y)))
	}
	base := plot.y(math.Max(plot.ymin, math.Min(0, plot.ymax)))
	first, last := pts[0], pts[len(pts)-1]
	b.printf(`<path class="area" fill="%s" fill-opacity="0.12" stroke="none" d="%sL%s %sL%s %sZ"/>`,
		lineColor, d.String(), num(plot.x(last.X)), num(base), num(plot.x(first.X)), num(base))
	b.printf(`<path class="line" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round" stroke-linecap="round" d="%s"/>`,
		lineColor, d.String())
	lx, ly := plot.x(last.X), plot.y(last.Y)
	b.printf(`<circle class="last" cx="%s" cy="%s" r="3.5" fill="%s" stroke="#fff" stroke-width="1"/>`, num(lx), num(ly), lineColor)
	text := Format(last.Y)
	anchor, tx, ty := "start", lx+7, ly+fontSize/3
	if tx+textWidth(text, fontSize) > W-2 {
		anchor, tx, ty = "end", lx-7, ly-7
	}
	b.printf(`<text class="last-label" x="%s" y="%s" text-anchor="%s" font-weight="bold" fill="%s">%s</text>`,
		num(tx), num(ty), anchor, inkColor, svgtext.Escape(text))
	b.printf(`</svg>`)
	return html(&b)
}

// linePlot maps values to the plot area.
type linePlot struct {
	x0, x1, y0, y1 float64 // plot area: left, right, bottom, top
	t0, t1         time.Time
	ymin, ymax     float64
	yTicks         []float64
	xTicks         []time.Time
}

func (p *linePlot) x(t time.Time) float64 {
	return p.x0 + (p.x1-p.x0)*float64(t.Sub(p.t0))/float64(p.t1.Sub(p.t0))
}

func (p *linePlot) y(v float64) float64 {
	return p.y0 - (p.y0-p.y1)*(v-p.ymin)/(p.ymax-p.ymin)
}

// lineLayout works out scales and ticks for sorted, finite points.
func lineLayout(pts []Point, opts LineOptions, W, H, top float64) *linePlot {
	p := &linePlot{x0: lineLeft, x1: W - lineRight, y0: H - lineBottom, y1: top}
	if p.x1-p.x0 < 10 {
		p.x1 = p.x0 + 10
	}
	if p.y0-p.y1 < 10 {
		p.y0 = p.y1 + 10
	}
	p.t0, p.t1 = pts[0].X, pts[len(pts)-1].X
	if !p.t1.After(p.t0) {
		p.t0, p.t1 = p.t0.Add(-12*time.Hour), p.t1.Add(12*time.Hour)
	}

	lo, hi := 0.0, opts.Target
	if hi < 0 {
		hi = 0
	}
	for _, q := range pts {
		lo, hi = math.Min(lo, q.Y), math.Max(hi, q.Y)
	}
	if hi == lo {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / 5)
	p.ymin = math.Floor(lo/step) * step
	p.ymax = math.Ceil(hi/step) * step
	for v := p.ymin; v <= p.ymax+step/2; v += step {
		p.yTicks = append(p.yTicks, math.Round(v/step)*step)
	}

	// Date ticks at midnights, every n days so that they keep ~80 px apart.
	span := p.t1.Sub(p.t0)
	maxTicks := math.Max(1, (p.x1-p.x0)/80)
	days := 1
	for _, n := range []int{1, 2, 7, 14, 28, 56, 91, 182, 364} {
		days = n
		if float64(span)/float64(time.Duration(n)*24*time.Hour) <= maxTicks {
			break
		}
	}
	loc := p.t0.Location()
	y, m, d := p.t0.Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if t.Before(p.t0) {
		t = t.AddDate(0, 0, 1)
	}
	for ; !t.After(p.t1); t = t.AddDate(0, 0, days) {
		p.xTicks = append(p.xTicks, t)
	}
	if len(p.xTicks) == 0 {
		p.xTicks = []time.Time{pts[0].X}
	}
	return p
}

// niceStep rounds a raw tick step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, f := range []float64{1, 2, 5, 10} {
		if f*mag >= raw {
			return f * mag
		}
	}
	return 10 * mag
}
