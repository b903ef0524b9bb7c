package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// SitrepCount is one line of a breakdown in a situation report.
type SitrepCount struct {
	Label string // "held", "man", "IQ (Iraq)"
	N     int
}

// SitrepDay is the transfers of one day and the running total.
type SitrepDay struct {
	Date       string // "2026-01-21"
	N          int
	Cumulative int
}

// SitrepFacility is a facility's population against its capacity.
type SitrepFacility struct {
	Name     string // Latin
	Arabic   string // may be empty
	Kind     string // "camp", "prison", "destination"…
	Held     int
	Capacity int // 0: not recorded
}

// SitrepData is everything a situation report shows. The transfer
// figures (Transferred, ByDay) are up to and including Day; the other
// figures are the state of the log when it was read (LogSize entries).
type SitrepData struct {
	Day       string    // the day reported, "2026-01-21"
	Generated time.Time // when the figures were read

	LogSize        int64  // entries in the log
	CheckpointSize int64  // tree size of the latest signed checkpoint; 0: none
	CheckpointRoot string // its root hash (base64)

	Persons, InCustody, Under12 int
	OpenEscapes                 int // persons missing from custody
	OpenAlerts                  int // open discrepancy alerts

	// After the transfer.
	Cases, OpenCases     int // cases in all, and not final or closed
	DeathPenaltyAlerts   int // open
	NotificationsPending int // consular notifications not yet delivered
	Repatriated          int

	Target      int         // persons to transfer; 0: no target set
	Transferred int         // transferred up to and including Day
	ByDay       []SitrepDay // days with transfers, oldest first, up to Day

	ByStatus      []SitrepCount
	ByCategory    []SitrepCount
	Nationalities []SitrepCount // most frequent first
	Facilities    []SitrepFacility
}

// sitrep geometry
const (
	sitrepChartH   = 110.0
	sitrepRowH     = 16.0
	sitrepListRows = 8 // lines of each breakdown; the rest are summed
)

// Sitrep writes the daily situation report as an A4 PDF: the log's size
// and latest checkpoint, the headline figures, the transfer's progress and
// a bar chart of transfers per day, persons by status, category and
// nationality, then the facilities with held against capacity (continued
// on further pages when they do not fit).
func Sitrep(w io.Writer, s SitrepData) error {
	d, err := newDoc("situation report", "Situation report "+s.Day)
	if err != nil {
		return err
	}
	d.addPage()
	bottom := pageH - margin - 12 // footer
	cw := pageW - 2*margin
	y := margin

	// title
	d.text(margin, y+18, 330, "Situation report", true, 20, 14, alignLeft, black)
	d.text(pageW-margin-180, y+18, 180, "تقرير الحالة", true, 18, 12, alignRight, black)
	y += 28
	d.text(margin, y+14, cw, "Day "+orDash(s.Day)+"  ·  figures read "+when(s.Generated), true, 12, 9, alignLeft, black)
	y += 22
	cp := "no signed checkpoint yet"
	if s.CheckpointSize > 0 {
		cp = fmt.Sprintf("latest signed checkpoint: tree size %d, root %s", s.CheckpointSize, s.CheckpointRoot)
	}
	d.text(margin, y+10, cw, fmt.Sprintf("Log: %d entries  ·  %s", s.LogSize, cp), false, 9, 6.5, alignLeft, darkGray)
	y += 16
	d.line(margin, y, pageW-margin, y, 0.8, black)
	y += 8

	// headline figures
	fw := cw / 4
	progress := fmt.Sprintf("%d", s.Transferred)
	if s.Target > 0 {
		progress = fmt.Sprintf("%d of %d (%.1f%%)", s.Transferred, s.Target, 100*float64(s.Transferred)/float64(s.Target))
	}
	d.field(margin, y+8, fw-6, "Transferred to Iraq", progress, black, true)
	d.field(margin+fw, y+8, fw-6, "In custody / registered", fmt.Sprintf("%d / %d", s.InCustody, s.Persons), black, true)
	d.field(margin+2*fw, y+8, fw-6, "Missing from custody", fmt.Sprint(s.OpenEscapes), redIf(s.OpenEscapes > 0), true)
	d.field(margin+3*fw, y+8, fw-6, "Open discrepancy alerts", fmt.Sprint(s.OpenAlerts), redIf(s.OpenAlerts > 0), true)
	y += 34
	d.field(margin, y+8, fw-6, "Cases open / in all", fmt.Sprintf("%d / %d", s.OpenCases, s.Cases), black, true)
	d.field(margin+fw, y+8, fw-6, "Death-penalty alerts open", fmt.Sprint(s.DeathPenaltyAlerts), redIf(s.DeathPenaltyAlerts > 0), true)
	d.field(margin+2*fw, y+8, fw-6, "Consular notifications pending", fmt.Sprint(s.NotificationsPending), redIf(s.NotificationsPending > 0), true)
	d.field(margin+3*fw, y+8, fw-6, "Repatriated", fmt.Sprint(s.Repatriated), black, true)
	y += 34

	// progress bar toward the target
	if s.Target > 0 {
		frac := math.Min(1, float64(s.Transferred)/float64(s.Target))
		d.fillRect(margin, y, cw, 10, fillGray)
		d.fillRect(margin, y, cw*frac, 10, darkGray)
		d.strokeRect(margin, y, cw, 10, 0.5, midGray)
		y += 16
	}

	// transfers per day
	y += 6
	d.text(margin, y+10, cw, fmt.Sprintf("Transferred per day, up to %s", orDash(s.Day)), true, 11, 9, alignLeft, black)
	y += 16
	y = d.sitrepChart(s.ByDay, margin, y, cw, sitrepChartH)
	y += 10

	// breakdowns, three columns
	colW := (cw - 24) / 3
	d.text(margin, y+10, colW, "Persons by status", true, 11, 8, alignLeft, black)
	d.text(margin+colW+12, y+10, colW, "Persons by category", true, 11, 8, alignLeft, black)
	d.text(margin+2*colW+24, y+10, colW, "Top nationalities", true, 11, 8, alignLeft, black)
	y += 16
	h1 := d.sitrepList(s.ByStatus, margin, y, colW)
	h2 := d.sitrepList(s.ByCategory, margin+colW+12, y, colW)
	h3 := d.sitrepList(s.Nationalities, margin+2*colW+24, y, colW)
	y += max(h1, h2, h3) + 10
	if s.Under12 > 0 {
		d.text(margin, y+8, cw, fmt.Sprintf("Children under 12: %d", s.Under12), false, 9, 7, alignLeft, darkGray)
		y += 14
	}

	// facilities
	cols := []manifestCol{
		{"Facility", 0, alignLeft},
		{"Arabic name", 0, alignRight},
		{"Kind", 70, alignLeft},
		{"Held", 50, alignRight},
		{"Capacity", 56, alignRight},
		{"Use", 42, alignRight},
	}
	rest := cw
	for _, c := range cols {
		rest -= c.w
	}
	cols[0].w, cols[1].w = rest*0.55, rest*0.45
	xs := make([]float64, len(cols)+1)
	xs[0] = margin
	for i, c := range cols {
		xs[i+1] = xs[i] + c.w
	}
	head := func(title string) {
		d.text(margin, y+12, cw, title, true, 11, 9, alignLeft, black)
		y += 18
		d.fillRect(margin, y, cw, sitrepRowH, fillGray)
		for i, c := range cols {
			d.text(xs[i]+3, y+11.5, c.w-6, c.title, true, 8.5, 6.5, c.a, darkGray)
		}
		y += sitrepRowH
	}
	if y+18+2*sitrepRowH > bottom {
		d.addPage()
		y = margin
	}
	head(fmt.Sprintf("Facilities (%d): persons held against capacity", len(s.Facilities)))
	if len(s.Facilities) == 0 {
		d.text(margin+4, y+12, 300, "No facility registered.", false, 10, 10, alignLeft, midGray)
	}
	for _, f := range s.Facilities {
		if y+sitrepRowH > bottom {
			d.addPage()
			y = margin
			head("Facilities (continued)")
		}
		base := y + 11.5
		d.text(xs[0]+3, base, cols[0].w-6, f.Name, false, 9.5, 6.5, alignLeft, black)
		d.text(xs[1]+3, base+0.5, cols[1].w-6, f.Arabic, false, 11, 7, alignRight, black)
		d.text(xs[2]+3, base, cols[2].w-6, f.Kind, false, 9, 6.5, alignLeft, darkGray)
		d.text(xs[3]+3, base, cols[3].w-6, fmt.Sprint(f.Held), true, 9.5, 6.5, alignRight, black)
		capacity, use, uc := "—", "—", black
		if f.Capacity > 0 {
			capacity = fmt.Sprint(f.Capacity)
			pct := 100 * float64(f.Held) / float64(f.Capacity)
			use = fmt.Sprintf("%.0f%%", pct)
			uc = redIf(f.Held > f.Capacity)
		}
		d.text(xs[4]+3, base, cols[4].w-6, capacity, false, 9.5, 6.5, alignRight, black)
		d.text(xs[5]+3, base, cols[5].w-6, use, f.Capacity > 0 && f.Held > f.Capacity, 9.5, 6.5, alignRight, uc)
		d.line(margin, y+sitrepRowH, pageW-margin, y+sitrepRowH, 0.4, lineGray)
		y += sitrepRowH
	}

	d.footers(fmt.Sprintf("Situation report %s · log size %d · generated %s", orDash(s.Day), s.LogSize, when(s.Generated)))
	return d.finish(w)
}

func redIf(b bool) rgb {
	if b {
		return alertRed
	}
	return black
}

// sitrepChart draws a bar chart of transfers per day in the box at (x, y)
// of width w and height h (axis labels included) and returns the y below it.
func (d *doc) sitrepChart(days []SitrepDay, x, y, w, h float64) float64 {
	axisW, labelH := 34.0, 14.0
	px, pw, ph := x+axisW, w-axisW, h-labelH
	d.line(px, y+ph, px+pw, y+ph, 0.6, darkGray)
	d.line(px, y, px, y+ph, 0.6, darkGray)
	if len(days) == 0 {
		d.text(px+8, y+ph/2, pw-16, "No transfer yet.", false, 10, 10, alignLeft, midGray)
		return y + h
	}
	top := 0
	for _, dy := range days {
		top = max(top, dy.N)
	}
	top = max(top, 1)
	d.text(x, y+7, axisW-4, fmt.Sprint(top), false, 8, 6, alignRight, darkGray)
	d.text(x, y+ph+3, axisW-4, "0", false, 8, 6, alignRight, darkGray)
	d.line(px, y, px+pw, y, 0.3, lineGray)
	slot := pw / float64(len(days))
	bw := math.Min(slot*0.8, 36)
	// label the last day, and every k-th before it, so that no dates overlap
	k := int(math.Ceil(52 / slot))
	for i, dy := range days {
		bx := px + float64(i)*slot + (slot-bw)/2
		bh := ph * float64(dy.N) / float64(top)
		if dy.N > 0 {
			d.fillRect(bx, y+ph-bh, bw, bh, darkGray)
		}
		if slot >= 18 {
			d.text(bx-4, y+ph-bh-3, bw+8, fmt.Sprint(dy.N), false, 7.5, 5.5, alignCenter, black)
		}
		if last := len(days) - 1; i == last || i%k == 0 && last-i >= k {
			lw := 52.0
			d.text(bx+bw/2-lw/2, y+ph+11, lw, shortDate(dy.Date), false, 7.5, 6, alignCenter, darkGray)
		}
	}
	return y + h
}

// shortDate turns "2026-01-21" into "01-21"; other text is kept.
func shortDate(s string) string {
	if len(s) == 10 && strings.Count(s, "-") == 2 {
		return s[5:]
	}
	return s
}

// sitrepList draws up to sitrepListRows lines of counts in a column of
// width w from y, summing the rest on a last line, and returns its height.
func (d *doc) sitrepList(cs []SitrepCount, x, y, w float64) float64 {
	if len(cs) == 0 {
		d.text(x, y+11, w, "none", false, 9, 7, alignLeft, midGray)
		return sitrepRowH
	}
	shown := cs
	others, rest := 0, 0
	if len(cs) > sitrepListRows {
		shown = cs[:sitrepListRows-1]
		for _, c := range cs[sitrepListRows-1:] {
			others++
			rest += c.N
		}
	}
	h := 0.0
	row := func(label string, n int, c rgb) {
		d.text(x+2, y+h+11, w-52, label, false, 9.5, 6.5, alignLeft, c)
		d.text(x+w-50, y+h+11, 48, fmt.Sprint(n), true, 9.5, 6.5, alignRight, c)
		d.line(x, y+h+sitrepRowH, x+w, y+h+sitrepRowH, 0.3, lineGray)
		h += sitrepRowH
	}
	for _, c := range shown {
		row(orDash(c.Label), c.N, black)
	}
	if others > 0 {
		row(fmt.Sprintf("%d others", others), rest, midGray)
	}
	return h
}
