// Package report renders the documents of a transfer: PDF manifests,
// handover receipts and wristband labels, with QR codes and with names in
// Latin and Arabic script.
//
// PDFs are written with github.com/signintech/gopdf and QR codes with
// github.com/boombuler/barcode. Text is set in Amiri (SIL Open Font
// License, fonts/OFL.txt), embedded in the binary. Arabic text is shaped and
// put in right-to-left order by this package (arabic.go) before it is drawn,
// since a PDF content stream does neither.
package report

import (
	_ "embed"
	"errors"
	"fmt"
	"image/color"
	"io"
	"strings"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/signintech/gopdf"
)

//go:embed fonts/Amiri-Regular.ttf
var amiriRegular []byte

//go:embed fonts/Amiri-Bold.ttf
var amiriBold []byte

const fontFamily = "amiri"

// A4 portrait, in points.
const (
	pageW  = 595.28
	pageH  = 841.89
	margin = 36.0
)

// colours
var (
	black    = rgb{0, 0, 0}
	darkGray = rgb{70, 70, 70}
	midGray  = rgb{110, 110, 110}
	lineGray = rgb{190, 190, 190}
	fillGray = rgb{235, 235, 235}
	alertRed = rgb{170, 20, 20}
)

type rgb struct{ r, g, b uint8 }

type align int

const (
	alignLeft align = iota
	alignRight
	alignCenter
)

// doc wraps a gopdf document; the first drawing error is kept in err and
// later calls do nothing, so that layout code reads straight and the error
// is reported once, by finish.
type doc struct {
	pdf  *gopdf.GoPdf
	what string // "manifest", "receipt", "wristbands": named in errors
	err  error
	bold bool
	size float64
}

func newDoc(what, title string) (*doc, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: title, Creator: "custody", Producer: "custody report (gopdf)"})
	missing := func(rune) rune { return '?' }
	if err := pdf.AddTTFFontDataWithOption(fontFamily, amiriRegular, gopdf.TtfOption{Style: gopdf.Regular, OnGlyphNotFoundSubstitute: missing}); err != nil {
		return nil, fmt.Errorf("report: %s: loading font Amiri Regular: %w", what, err)
	}
	if err := pdf.AddTTFFontDataWithOption(fontFamily, amiriBold, gopdf.TtfOption{Style: gopdf.Bold, OnGlyphNotFoundSubstitute: missing}); err != nil {
		return nil, fmt.Errorf("report: %s: loading font Amiri Bold: %w", what, err)
	}
	d := &doc{pdf: pdf, what: what}
	d.font(false, 10)
	return d, d.err
}

func (d *doc) fail(err error, format string, args ...any) {
	if err != nil && d.err == nil {
		d.err = fmt.Errorf("report: %s: %s: %w", d.what, fmt.Sprintf(format, args...), err)
	}
}

func (d *doc) font(bold bool, size float64) {
	if d.err != nil {
		return
	}
	style := ""
	if bold {
		style = "B"
	}
	d.fail(d.pdf.SetFont(fontFamily, style, size), "setting font")
	d.bold, d.size = bold, size
}

func (d *doc) addPage() {
	if d.err != nil {
		return
	}
	d.pdf.AddPage()
}

// width measures already visual text in the current font.
func (d *doc) width(vis string) float64 {
	if d.err != nil {
		return 0
	}
	w, err := d.pdf.MeasureTextWidth(vis)
	d.fail(err, "measuring text")
	return w
}

// fit returns s in visual order at the largest size from size down to
// minSize at which it fits maxW; past that it is cut (at its logical end,
// which is the left for Arabic) and ends with an ellipsis. It leaves the
// font set to the size returned.
func (d *doc) fit(s string, bold bool, size, minSize, maxW float64) (string, float64) {
	vis := visual(s)
	for sz := size; ; sz -= 0.5 {
		if sz < minSize {
			sz = minSize
		}
		d.font(bold, sz)
		if d.width(vis) <= maxW || sz == minSize {
			if d.width(vis) <= maxW {
				return vis, sz
			}
			break
		}
	}
	runes := []rune(strings.TrimSpace(prepareLine(s)))
	lo, hi := 0, len(runes) // the longest prefix that fits, with an ellipsis
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.width(visual(strings.TrimSpace(string(runes[:mid]))+"…")) <= maxW {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return "", minSize
	}
	return visual(strings.TrimSpace(string(runes[:lo])) + "…"), minSize
}

// text draws s (logical order) with its baseline at y, within [x, x+w],
// shrunk (down to minSize) or cut to fit, aligned as asked.
func (d *doc) text(x, y, w float64, s string, bold bool, size, minSize float64, a align, c rgb) {
	if d.err != nil || s == "" {
		return
	}
	vis, _ := d.fit(s, bold, size, minSize, w)
	if vis == "" {
		return
	}
	tw := d.width(vis)
	switch a {
	case alignRight:
		x += w - tw
	case alignCenter:
		x += (w - tw) / 2
	}
	d.pdf.SetTextColor(c.r, c.g, c.b)
	d.pdf.SetXY(x, y)
	d.fail(d.pdf.Text(vis), "drawing text %q", s)
}

func (d *doc) fillRect(x, y, w, h float64, c rgb) {
	if d.err != nil {
		return
	}
	d.pdf.SetFillColor(c.r, c.g, c.b)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

func (d *doc) strokeRect(x, y, w, h, lw float64, c rgb) {
	if d.err != nil {
		return
	}
	d.pdf.SetLineWidth(lw)
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

func (d *doc) line(x1, y1, x2, y2, lw float64, c rgb) {
	if d.err != nil {
		return
	}
	d.pdf.SetLineWidth(lw)
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.Line(x1, y1, x2, y2)
}

// qrCode encodes payload at level ecl, or at level L when it does not fit
// at ecl.
func qrCode(payload string, ecl qr.ErrorCorrectionLevel) (barcode.Barcode, error) {
	if payload == "" {
		return nil, errors.New("empty QR payload")
	}
	code, err := qr.Encode(payload, ecl, qr.Auto)
	if err != nil && ecl != qr.L {
		code, err = qr.Encode(payload, qr.L, qr.Auto)
	}
	if err != nil {
		return nil, fmt.Errorf("encoding %d bytes as a QR code: %w", len(payload), err)
	}
	return code, nil
}

func qrDim(code barcode.Barcode) int { return code.Bounds().Dx() }

func dark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r+g+b < 3*0x8000
}

// drawQR draws code as vector squares in a square of side side with its
// upper-left corner at (x, y): one filled rectangle per horizontal run of
// dark modules, each a hair taller and wider than its modules so that
// anti-aliasing leaves no light seams between them. The caller keeps a
// white quiet zone (4 modules is the standard) around it.
func (d *doc) drawQR(code barcode.Barcode, x, y, side float64) {
	if d.err != nil || code == nil {
		return
	}
	b := code.Bounds()
	dim := b.Dx()
	m := side / float64(dim)
	overlap := m * 0.04
	d.pdf.SetFillColor(0, 0, 0)
	for row := 0; row < dim; row++ {
		for col := 0; col < dim; {
			if !dark(code.At(b.Min.X+col, b.Min.Y+row)) {
				col++
				continue
			}
			start := col
			for col < dim && dark(code.At(b.Min.X+col, b.Min.Y+row)) {
				col++
			}
			d.pdf.RectFromUpperLeftWithStyle(x+float64(start)*m, y+float64(row)*m, float64(col-start)*m+overlap, m+overlap, "F")
		}
	}
}

// footers writes "page i of n" and a left-hand note at the foot of every page.
func (d *doc) footers(note string) {
	if d.err != nil {
		return
	}
	n := d.pdf.GetNumberOfPages()
	for i := 1; i <= n; i++ {
		d.fail(d.pdf.SetPage(i), "going back to page %d", i)
		y := pageH - 20
		d.line(margin, y-11, pageW-margin, y-11, 0.5, lineGray)
		d.text(margin, y, 360, note, false, 8, 6, alignLeft, midGray)
		d.text(pageW-margin-120, y, 120, fmt.Sprintf("page %d of %d", i, n), false, 8.5, 8.5, alignRight, darkGray)
	}
}

// finish writes the whole document to w.
func (d *doc) finish(w io.Writer) error {
	if d.err != nil {
		return d.err
	}
	// gopdf ignores the errors of the writer it streams to: keep the first.
	ew := &errWriter{w: w}
	if _, err := d.pdf.WriteTo(ew); err != nil {
		return fmt.Errorf("report: %s: writing the PDF: %w", d.what, err)
	}
	if ew.err != nil {
		return fmt.Errorf("report: %s: writing the PDF: %w", d.what, ew.err)
	}
	return nil
}

// errWriter passes writes to w until one fails, then keeps that error and
// discards the rest.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		e.err = err
	}
	return len(p), nil
}

// when formats a time for a document: minutes, with its zone; "—" if unset.
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02 15:04 MST")
}

// orDash returns s, or "—" when it is blank.
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// field draws a small grey label above its value.
func (d *doc) field(x, y, w float64, label, value string, valueColor rgb, bold bool) {
	d.text(x, y, w, label, false, 7.5, 6.5, alignLeft, midGray)
	d.text(x, y+13, w, orDash(value), bold, 10.5, 7, alignLeft, valueColor)
}
