// Package chart draws small, self-contained SVG charts for server-rendered
// pages: a line of progress over time (Line) and horizontal bars (Bars).
// They need no script, load nothing and escape every piece of text, so the
// result can go straight into an html/template as template.HTML.
//
// Charts are themed with classes (svg.chart, .title, .axis, .grid, .tick,
// .line, .area, .target, .last, .bar, .track, .value, .over, .label,
// .value-label, .empty); default presentation attributes make them readable
// without CSS. The svg carries dir="ltr" and direction="ltr" so that a
// right-to-left page does not mirror the layout; Arabic labels still read
// right to left inside their text.
//
// Output is deterministic: the same input renders to the same bytes.
package chart

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/opencustody/custody/internal/svgtext"
)

// Default look.
const (
	fontSize  = 11.0
	titleSize = 13.0
	axisColor = "#8a8175"
	gridColor = "#e4dfd6"
	inkColor  = "#3b342c"
	lineColor = "#1f5f8b"
	barColor  = "#1f5f8b"
	overColor = "#c0392b"
	trackFill = "#e8e3da"
)

// svg accumulates a document.
type svg struct{ strings.Builder }

func (b *svg) printf(format string, args ...any) {
	if len(args) == 0 {
		b.WriteString(format)
		return
	}
	fmt.Fprintf(&b.Builder, format, args...)
}

// open writes the root element and, when given, the title.
func (b *svg) open(class string, w, h float64, title string) {
	b.printf(`<svg xmlns="http://www.w3.org/2000/svg" class="chart %s" viewBox="0 0 %s %s" width="%s" height="%s" role="img"`,
		class, num(w), num(h), num(w), num(h))
	if title != "" {
		b.printf(` aria-label="%s"`, svgtext.Escape(title))
	}
	b.printf(` dir="ltr" direction="ltr" font-family="sans-serif" font-size="%s">`, num(fontSize))
	if title != "" {
		b.printf(`<title>%s</title>`, svgtext.Escape(title))
		b.printf(`<text class="title" x="4" y="%s" font-size="%s" font-weight="bold" fill="%s">%s</text>`,
			num(titleSize+3), num(titleSize), inkColor, svgtext.Escape(title))
	}
}

// empty writes the "no data" text in the middle of the area below the title.
func (b *svg) empty(w, h, top float64, text string) {
	if text == "" {
		text = "No data"
	}
	b.printf(`<text class="empty" x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`,
		num(w/2), num(top+(h-top)/2+fontSize/3), axisColor, svgtext.Escape(text))
}

// num formats a coordinate to 0.1 px.
func num(f float64) string {
	f = math.Round(f*10) / 10
	if f == 0 {
		f = 0 // no "-0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Format writes v with comma thousands separators and at most one decimal:
// 7000 → "7,000", 1234.56 → "1,234.6", -0.25 → "-0.3".
func Format(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	v = math.Round(v*10) / 10
	if v == 0 {
		v = 0 // no "-0"
	}
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	intPart, frac := s[:len(s)-2], s[len(s)-1:]
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "0" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// textWidth estimates the width of a label in a sans-serif font.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w * size
}

// runeWidth is a rune's advance in ems, on the wide side of common
// sans-serif fonts (DejaVu Sans) so that estimated space is rarely short.
func runeWidth(r rune) float64 {
	switch {
	case strings.ContainsRune(" .,:;'|!ijlI", r):
		return 0.32
	case strings.ContainsRune("()[]/-ft", r):
		return 0.4
	case r >= '0' && r <= '9':
		return 0.64
	case r == 'm' || r == 'w' || r == 'M' || r == 'W':
		return 0.9
	case r >= 'A' && r <= 'Z':
		return 0.72
	case r >= 0x0600 && r <= 0x06FF:
		return 0.56
	default:
		return 0.62
	}
}

// truncate shortens s with an ellipsis to fit width at size.
func truncate(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	limit := width - textWidth("…", size)
	w := 0.0
	for i, r := range s {
		w += runeWidth(r) * size
		if w > limit {
			return strings.TrimSpace(s[:i]) + "…"
		}
	}
	return s
}

// html marks the built document safe: every piece of data in it is escaped.
func html(b *svg) template.HTML {
	return template.HTML(b.String()) // #nosec G203 -- all text is escaped by esc
}
