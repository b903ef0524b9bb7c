package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// ManifestLine is one person on a manifest.
type ManifestLine struct {
	Seat     string // "12"
	PersonID string // "NES-000123"
	Arabic   string // name in Arabic script, may be empty
	Latin    string // name in Latin script
	RiskTier int    // 0 = not assessed, 1..3
	Category string // "man", "woman", "boy", "girl"
	QR       string // QR payload (the person's wristband code), drawn as a QR code on the line
}

// Manifest is the list of the persons of one allocation (a vehicle or a
// flight) of a move.
type Manifest struct {
	Move, Allocation, Mode      string    // "MV-20260121-01", "ALLOC-1", "land"|"air"
	Vehicle, VehicleLabel       string    // "bus-03", "armoured bus, plate 12-345"
	Origin, Destination, Escort string    // display names
	Departure                   time.Time // scheduled
	Frozen                      string    // e.g. "frozen at boarding, log index 81234", or "draft (not frozen)"
	Generated                   time.Time
	Lines                       []ManifestLine
}

// manifest geometry
const (
	manifestModule   = 1.25 // points per QR module on a line: 2.6 pixels at 150 dpi
	manifestMaxQR    = 56.0 // largest QR on a line; longer payloads get smaller modules
	manifestQRGap    = 3.0  // white above and below a line's QR
	manifestHeadRowH = 18.0
)

type manifestCol struct {
	title string
	w     float64
	a     align
}

// RenderManifest writes m as an A4 PDF: a header block (repeated on every
// page), then a table with one line per person, each with a small QR code of
// its QR payload, paginated with "page i of n".
func RenderManifest(w io.Writer, m Manifest) error {
	codes := make([]barcode.Barcode, len(m.Lines))
	maxDim := 21
	for i, l := range m.Lines {
		if l.QR == "" {
			continue
		}
		c, err := qrCode(l.QR, qr.M)
		if err != nil {
			return fmt.Errorf("report: manifest: line %d (person %s): %w", i+1, l.PersonID, err)
		}
		codes[i] = c
		maxDim = max(maxDim, qrDim(c))
	}
	qrSide := math.Min(float64(maxDim)*manifestModule, manifestMaxQR)
	rowH := math.Max(qrSide+2*manifestQRGap, 24)

	d, err := newDoc("manifest", "Manifest "+m.Move)
	if err != nil {
		return err
	}
	cols := []manifestCol{
		{"Seat", 32, alignCenter},
		{"QR", qrSide + 8, alignCenter},
		{"Person ID", 74, alignLeft},
		{"Name (Latin)", 0, alignLeft},
		{"Name (Arabic)", 0, alignRight},
		{"Category", 46, alignLeft},
		{"Risk", 30, alignCenter},
	}
	rest := pageW - 2*margin
	for _, c := range cols {
		rest -= c.w
	}
	cols[3].w = rest * 0.48
	cols[4].w = rest - cols[3].w
	xs := make([]float64, len(cols)+1)
	xs[0] = margin
	for i, c := range cols {
		xs[i+1] = xs[i] + c.w
	}

	summary := manifestSummary(m.Lines)
	bottom := pageH - margin - 12 // footer
	for i := 0; i == 0 || i < len(m.Lines); {
		d.addPage()
		tableTop := d.manifestHeader(m, summary)
		// column titles
		d.fillRect(margin, tableTop, pageW-2*margin, manifestHeadRowH, fillGray)
		for c, col := range cols {
			d.text(xs[c]+3, tableTop+12.5, col.w-6, col.title, true, 8.5, 6.5, col.a, darkGray)
		}
		y := tableTop + manifestHeadRowH
		if len(m.Lines) == 0 {
			d.text(margin+4, y+16, 300, "No person on this manifest.", false, 10, 10, alignLeft, midGray)
			break
		}
		for ; i < len(m.Lines) && y+rowH <= bottom; i++ {
			d.manifestRow(m.Lines[i], codes[i], xs, cols, y, rowH, qrSide)
			y += rowH
		}
		// vertical rules of the table
		for _, x := range xs {
			d.line(x, tableTop, x, y, 0.4, lineGray)
		}
	}
	d.footers(fmt.Sprintf("Manifest %s · %s · generated %s", m.Move, m.Allocation, when(m.Generated)))
	return d.finish(w)
}

func (d *doc) manifestHeader(m Manifest, summary string) float64 {
	y := margin
	d.text(margin, y+16, 330, "Transfer manifest", true, 18, 12, alignLeft, black)
	d.text(pageW-margin-180, y+16, 180, "بيان نقل", true, 18, 12, alignRight, black)
	y += 24
	d.text(margin, y+14, pageW-2*margin, fmt.Sprintf("%s  ·  %s  ·  %s", orDash(m.Move), orDash(m.Allocation), orDash(m.Mode)), true, 13, 9, alignLeft, black)
	y += 22
	d.line(margin, y, pageW-margin, y, 0.8, black)
	y += 10
	colW := (pageW - 2*margin) / 2
	x2 := margin + colW + 6
	vehicle := m.Vehicle
	if m.VehicleLabel != "" {
		vehicle = strings.TrimSpace(m.Vehicle + " — " + m.VehicleLabel)
	}
	frozenColor := black
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(m.Frozen)), "frozen") {
		frozenColor = alertRed
	}
	d.field(margin, y+8, colW-6, "From", m.Origin, black, false)
	d.field(x2, y+8, colW-6, "To", m.Destination, black, false)
	y += 30
	d.field(margin, y+8, colW-6, "Vehicle", vehicle, black, false)
	d.field(x2, y+8, colW-6, "Escort", m.Escort, black, false)
	y += 30
	d.field(margin, y+8, colW-6, "Scheduled departure", when(m.Departure), black, true)
	d.field(x2, y+8, colW-6, "Status", m.Frozen, frozenColor, true)
	y += 30
	d.field(margin, y+8, pageW-2*margin, "Persons", summary, black, false)
	y += 34
	return y
}

func (d *doc) manifestRow(l ManifestLine, code barcode.Barcode, xs []float64, cols []manifestCol, y, rowH, qrSide float64) {
	base := y + rowH/2 + 3.5
	pad := 4.0
	d.text(xs[0]+pad, base, cols[0].w-2*pad, l.Seat, true, 11, 7, alignCenter, black)
	if code != nil {
		d.drawQR(code, xs[1]+(cols[1].w-qrSide)/2, y+(rowH-qrSide)/2, qrSide)
	}
	d.text(xs[2]+pad, base, cols[2].w-2*pad, l.PersonID, true, 9.5, 6.5, alignLeft, black)
	d.text(xs[3]+pad, base, cols[3].w-2*pad, l.Latin, false, 10.5, 7, alignLeft, black)
	d.text(xs[4]+pad, base+0.5, cols[4].w-2*pad-2, l.Arabic, false, 13, 8, alignRight, black)
	d.text(xs[5]+pad, base, cols[5].w-2*pad, l.Category, false, 9.5, 7, alignLeft, black)
	tier, tc, bold := "n/a", midGray, false
	if l.RiskTier > 0 {
		tier, tc = strconv.Itoa(l.RiskTier), black
		if l.RiskTier == 1 {
			tc, bold = alertRed, true
		}
	}
	d.text(xs[6]+2, base, cols[6].w-4, tier, bold, 10, 7, alignCenter, tc)
	d.line(margin, y+rowH, pageW-margin, y+rowH, 0.4, lineGray)
}

// manifestSummary counts persons by category: "80 persons: 60 men, 10 women, 6 boys, 4 girls".
func manifestSummary(lines []ManifestLine) string {
	counts := map[string]int{}
	for _, l := range lines {
		counts[strings.ToLower(strings.TrimSpace(l.Category))]++
	}
	plural := map[string]string{"man": "men", "woman": "women", "boy": "boys", "girl": "girls"}
	var parts []string
	for _, c := range []string{"man", "woman", "boy", "girl"} {
		if n := counts[c]; n > 0 {
			name := c
			if n != 1 {
				name = plural[c]
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, name))
			delete(counts, c)
		}
	}
	var others []string
	for c := range counts {
		others = append(others, c)
	}
	sort.Strings(others)
	for _, c := range others {
		name := c
		if name == "" {
			name = "category not recorded"
		}
		parts = append(parts, fmt.Sprintf("%d %s", counts[c], name))
	}
	s := fmt.Sprintf("%d persons", len(lines))
	if len(lines) == 1 {
		s = "1 person"
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return s
}
