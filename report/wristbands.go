package report

import (
	"fmt"
	"io"
	"math"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// Wristband is one wristband label; Code is the QR payload.
type Wristband struct{ PersonID, Latin, Arabic, Facility, Code string }

// wristband sheet: 2 columns × 8 rows of labels on A4, with cut lines.
const (
	bandCols    = 2
	bandRows    = 8
	bandMarginX = 28.0
	bandMarginY = 30.0
	bandGapX    = 14.0
	bandGapY    = 8.0
	bandPad     = 6.0
)

// RenderWristbands writes labels for bands, 16 to an A4 page (2 columns of
// 8), each with the QR code of its Code, the person ID, the names in Latin
// and Arabic script and the facility.
func RenderWristbands(w io.Writer, bands []Wristband) error {
	codes := make([]barcode.Barcode, len(bands))
	for i, b := range bands {
		c, err := qrCode(b.Code, qr.M)
		if err != nil {
			return fmt.Errorf("report: wristbands: label %d (person %s): %w", i+1, b.PersonID, err)
		}
		codes[i] = c
	}
	d, err := newDoc("wristbands", "Wristbands")
	if err != nil {
		return err
	}
	labelW := (pageW - 2*bandMarginX - (bandCols-1)*bandGapX) / bandCols
	labelH := (pageH - 2*bandMarginY - 12 - (bandRows-1)*bandGapY) / bandRows
	perPage := bandCols * bandRows
	if len(bands) == 0 {
		d.addPage()
		d.text(bandMarginX, bandMarginY+14, 400, "No wristband to print.", false, 11, 11, alignLeft, midGray)
	}
	for i, b := range bands {
		if i%perPage == 0 {
			d.addPage()
		}
		k := i % perPage
		x := bandMarginX + float64(k%bandCols)*(labelW+bandGapX)
		y := bandMarginY + float64(k/bandCols)*(labelH+bandGapY)
		d.wristband(b, codes[i], x, y, labelW, labelH)
	}
	d.footers("Wristband labels · cut along the grey lines")
	return d.finish(w)
}

func (d *doc) wristband(b Wristband, code barcode.Barcode, x, y, w, h float64) {
	if d.err != nil {
		return
	}
	d.pdf.SetCustomLineType([]float64{3, 2}, 0)
	d.strokeRect(x, y, w, h, 0.5, lineGray)
	d.pdf.SetLineType("solid")
	// The QR code, square, at the left, with a quiet zone of about four
	// modules inside the label.
	dim := float64(qrDim(code))
	side := h - 2*bandPad
	quiet := math.Max(4*side/dim, bandPad)
	side = h - 2*quiet
	d.drawQR(code, x+quiet, y+quiet, side)
	tx := x + side + 2*quiet
	tw := x + w - bandPad - tx
	d.text(tx, y+19, tw, b.PersonID, true, 15, 9, alignLeft, black)
	d.text(tx, y+36, tw, b.Latin, false, 11, 7, alignLeft, black)
	d.text(tx, y+56, tw, b.Arabic, false, 14, 8, alignRight, black)
	d.text(tx, y+h-bandPad-2, tw*0.6, b.Facility, false, 8, 6, alignLeft, darkGray)
	d.text(tx+tw*0.6, y+h-bandPad-2, tw*0.4, b.Code, false, 6.5, 5, alignRight, midGray)
}
