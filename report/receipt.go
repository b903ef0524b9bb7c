package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/boombuler/barcode/qr"
)

// ReceiptPerson is one person handed over.
type ReceiptPerson struct{ PersonID, Latin, Arabic string }

// ReceiptCounts are the counts of a handover.
type ReceiptCounts struct{ Manifested, Boarded, NotBoarded, HandedOver, Incidents, Refused int }

// Receipt is the record of one handover of a move: at departure from the
// releasing facility to the escort, or at arrival from the escort to the
// receiving authority.
type Receipt struct {
	Move, Stage            string // stage "departure" (to escort) or "arrival"
	From, To               string // authority display names (releasing, receiving)
	Facility               string // destination facility display name (arrival) or ""
	ReleasedBy, ReceivedBy string // users, e.g. "escort.sdf-3 (SDF)"
	ReleasedAt, ReceivedAt time.Time
	Counts                 ReceiptCounts
	Persons                []ReceiptPerson
	LogIndex               int64  // log index of the receiving confirmation
	LeafHash               string // base64
	Checkpoint             string // the signed checkpoint note text (multi-line)
	Proof                  string // QR payload: opaque string (up to ~1.5 KB) built by the caller, holding index, leaf hash, inclusion proof and checkpoint
}

// receipt geometry
const (
	receiptMaxQR      = 440.0 // side of the proof QR code, at most
	receiptMaxModule  = 4.0   // points per module, at most
	receiptPersonRowH = 17.0
)

// RenderReceipt writes r as an A4 PDF of one or more pages: who handed over
// to whom and when, both confirming users, the counts, the persons, the log
// entry with its checkpoint printed, and one large QR code holding r.Proof.
func RenderReceipt(w io.Writer, r Receipt) error {
	proof, err := qrCode(r.Proof, qr.M)
	if err != nil && r.Proof != "" {
		return fmt.Errorf("report: receipt: proof QR code: %w", err)
	}
	d, err := newDoc("receipt", "Handover receipt "+r.Move)
	if err != nil {
		return err
	}
	width := pageW - 2*margin
	bottom := pageH - margin - 12
	y := 0.0
	newPage := func() {
		d.addPage()
		y = margin
		if d.pdf.GetNumberOfPages() > 1 {
			d.text(margin, y+10, width, fmt.Sprintf("Handover receipt %s · %s (continued)", orDash(r.Move), orDash(r.Stage)), false, 9, 7, alignLeft, midGray)
			y += 22
		}
	}
	ensure := func(h float64) {
		if y+h > bottom {
			newPage()
		}
	}
	heading := func(s string) {
		ensure(40)
		y += 8
		d.text(margin, y+12, width, s, true, 12.5, 9, alignLeft, black)
		y += 17
		d.line(margin, y, pageW-margin, y, 0.6, black)
		y += 6
	}

	newPage()
	d.text(margin, y+16, 330, "Custody handover receipt", true, 18, 12, alignLeft, black)
	d.text(pageW-margin-180, y+16, 180, "إيصال تسليم", true, 18, 12, alignRight, black)
	y += 24
	stage := r.Stage
	switch strings.ToLower(strings.TrimSpace(r.Stage)) {
	case "departure":
		stage = "departure: handed over to the escort"
	case "arrival":
		stage = "arrival: handed over to the receiving authority"
	}
	d.text(margin, y+14, width, fmt.Sprintf("%s  ·  %s", orDash(r.Move), orDash(stage)), true, 13, 9, alignLeft, black)
	y += 22
	d.line(margin, y, pageW-margin, y, 0.8, black)
	y += 10

	colW := width / 2
	x2 := margin + colW + 6
	d.field(margin, y+8, colW-6, "Released by (releasing authority)", r.From, black, true)
	d.field(x2, y+8, colW-6, "Received by (receiving authority)", r.To, black, true)
	y += 30
	d.field(margin, y+8, colW-6, "Releasing user", r.ReleasedBy, black, false)
	d.field(x2, y+8, colW-6, "Receiving user", r.ReceivedBy, black, false)
	y += 30
	d.field(margin, y+8, colW-6, "Released at", when(r.ReleasedAt), black, false)
	d.field(x2, y+8, colW-6, "Received at", when(r.ReceivedAt), black, false)
	y += 30
	if r.Facility != "" {
		d.field(margin, y+8, width, "Destination facility", r.Facility, black, false)
		y += 30
	}

	heading("Counts")
	counts := []struct {
		label string
		n     int
	}{
		{"Manifested", r.Counts.Manifested}, {"Boarded", r.Counts.Boarded}, {"Not boarded", r.Counts.NotBoarded},
		{"Handed over", r.Counts.HandedOver}, {"Incidents", r.Counts.Incidents}, {"Refused", r.Counts.Refused},
	}
	cw := width / float64(len(counts))
	d.fillRect(margin, y, width, 16, fillGray)
	for i, c := range counts {
		x := margin + float64(i)*cw
		d.text(x+2, y+11.5, cw-4, c.label, true, 8.5, 6.5, alignCenter, darkGray)
		d.text(x+2, y+36, cw-4, strconv.Itoa(c.n), true, 16, 8, alignCenter, black)
		d.line(x, y, x, y+46, 0.4, lineGray)
	}
	d.line(pageW-margin, y, pageW-margin, y+46, 0.4, lineGray)
	d.line(margin, y+46, pageW-margin, y+46, 0.4, lineGray)
	y += 50

	heading(fmt.Sprintf("Persons (%d)", len(r.Persons)))
	pcols := []float64{34, 90, 0, 0}
	restW := width - pcols[0] - pcols[1]
	pcols[2], pcols[3] = restW*0.5, restW*0.5
	personHeader := func() {
		d.fillRect(margin, y, width, 15, fillGray)
		x := margin
		for i, t := range []string{"#", "Person ID", "Name (Latin)", "Name (Arabic)"} {
			a := alignLeft
			if i == 3 {
				a = alignRight
			}
			d.text(x+3, y+11, pcols[i]-6, t, true, 8.5, 6.5, a, darkGray)
			x += pcols[i]
		}
		y += 15
	}
	if len(r.Persons) == 0 {
		d.text(margin+3, y+12, width, "No person listed.", false, 10, 10, alignLeft, midGray)
		y += 18
	} else {
		ensure(15 + receiptPersonRowH)
		personHeader()
	}
	for i, p := range r.Persons {
		if y+receiptPersonRowH > bottom {
			newPage()
			personHeader()
		}
		base := y + 12
		x := margin
		d.text(x+3, base, pcols[0]-6, strconv.Itoa(i+1), false, 9, 7, alignLeft, midGray)
		x += pcols[0]
		d.text(x+3, base, pcols[1]-6, p.PersonID, true, 9.5, 7, alignLeft, black)
		x += pcols[1]
		d.text(x+3, base, pcols[2]-6, p.Latin, false, 10, 7, alignLeft, black)
		x += pcols[2]
		d.text(x+3, base+0.5, pcols[3]-9, p.Arabic, false, 12, 8, alignRight, black)
		y += receiptPersonRowH
		d.line(margin, y, pageW-margin, y, 0.3, lineGray)
	}

	cpLines := strings.Split(strings.TrimRight(strings.ReplaceAll(r.Checkpoint, "\r\n", "\n"), "\n"), "\n")
	if strings.TrimSpace(r.Checkpoint) == "" {
		cpLines = []string{"(no checkpoint)"}
	}
	const cpLineH = 12.0
	ensure(31 + 32 + 14 + cpLineH*float64(min(len(cpLines), 12)) + 8) // heading, fields and checkpoint together
	heading("Log entry")
	d.field(margin, y+8, 120, "Log index", strconv.FormatInt(r.LogIndex, 10), black, true)
	d.field(margin+130, y+8, width-130, "Leaf hash", r.LeafHash, black, false)
	y += 32
	d.text(margin, y+8, width, "Signed checkpoint", false, 7.5, 6.5, alignLeft, midGray)
	y += 12
	boxTop := y
	y += 4
	for _, l := range cpLines {
		if y+cpLineH > bottom {
			d.strokeRect(margin, boxTop, width, y-boxTop+4, 0.5, lineGray)
			newPage()
			boxTop = y
			y += 4
		}
		d.text(margin+6, y+9.5, width-12, l, false, 9, 5.5, alignLeft, black)
		y += cpLineH
	}
	y += 4
	d.strokeRect(margin, boxTop, width, y-boxTop, 0.5, lineGray)
	y += 6

	// Signatures of the two confirming users.
	ensure(58)
	y += 10
	for i, s := range []struct{ label, user string }{{"Released by", r.ReleasedBy}, {"Received by", r.ReceivedBy}} {
		x := margin + float64(i)*(colW+6)
		d.line(x, y+30, x+colW-12, y+30, 0.6, black)
		d.text(x, y+41, colW-12, fmt.Sprintf("%s: %s", s.label, orDash(s.user)), false, 8.5, 6.5, alignLeft, darkGray)
	}
	y += 48

	if proof == nil {
		heading("Proof of inclusion")
		d.text(margin, y+12, width, "No proof was given for this receipt.", false, 10, 10, alignLeft, alertRed)
	} else {
		dim := float64(qrDim(proof))
		side := math.Min(receiptMaxQR, dim*receiptMaxModule)
		quiet := 4 * side / dim
		ensure(31 + 28 + side + 2*quiet) // heading, caption, code: kept together
		heading("Proof of inclusion")
		d.text(margin, y+10, width, "Scan to check offline that this handover is in the custody log: the code holds the log index,", false, 9, 7, alignLeft, darkGray)
		d.text(margin, y+22, width, fmt.Sprintf("the leaf hash, the inclusion proof and the signed checkpoint (%d bytes).", len(r.Proof)), false, 9, 7, alignLeft, darkGray)
		y += 28
		d.drawQR(proof, margin+(width-side)/2, y+quiet, side)
	}
	d.footers(fmt.Sprintf("Handover receipt %s · %s · log index %d", r.Move, r.Stage, r.LogIndex))
	return d.finish(w)
}
