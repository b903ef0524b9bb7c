package chart

import (
	"html/template"
	"math"

	"github.com/opencustody/custody/internal/svgtext"
)

// Bar is one row of a Bars chart.
type Bar struct {
	Label string  // Arabic or Latin; shortened with "…" when too long (the tooltip keeps it whole)
	Value float64 // the bar's length
	Max   float64 // a capacity drawn as a track behind the bar when > 0
	Href  string  // a link for the row, when set (relative, http or https only)
}

// BarOptions sets up a Bars chart. Every field is optional.
type BarOptions struct {
	Width  int    // pixels; 480 by default. The height follows from the rows.
	Title  string // drawn at the top left and used as the accessible name
	NoData string // the text shown for no items; "No data" by default
}

// Layout of a Bars chart, in pixels.
const (
	barRow    = 22.0 // height of a row
	barHeight = 14.0 // height of a bar in its row
	barTop    = 6.0  // space above the first row, plus barTitle with a title
	barTitle  = 22.0
	barGap    = 6.0 // between a label and its bar, and a bar and its value
)

// Bars draws one horizontal bar a row, in the order given: the label on
// the left (right-aligned against the bars), the bar, then its value ("1,234"
// or "1,234 / 2,000" when it has a Max). All rows share one scale, up to the
// largest Value or Max, so that a capacity track shows both how big a place
// is and how full; a bar over its Max gets the class over. No items draws
// "No data"; all-zero values draw empty rows.
func Bars(items []Bar, opts BarOptions) template.HTML {
	W := float64(opts.Width)
	if W <= 0 {
		W = 480
	}
	top := barTop
	if opts.Title != "" {
		top += barTitle
	}
	var b svg
	if len(items) == 0 {
		H := top + 2*barRow
		b.open("bar-chart", W, H, opts.Title)
		b.empty(W, H, top-barTop, opts.NoData)
		b.printf(`</svg>`)
		return html(&b)
	}
	H := top + float64(len(items))*barRow + barTop
	b.open("bar-chart", W, H, opts.Title)

	// Columns: labels take what the longest needs, up to 40 % of the width;
	// values take what the longest needs.
	labelW, valueW, scale := 0.0, 0.0, 0.0
	values := make([]string, len(items))
	for i, it := range items {
		labelW = math.Max(labelW, textWidth(it.Label, fontSize))
		v := clean(it.Value)
		values[i] = Format(v)
		if m := clean(it.Max); m > 0 {
			values[i] += " / " + Format(m)
		}
		valueW = math.Max(valueW, textWidth(values[i], fontSize))
		scale = math.Max(scale, math.Max(v, clean(it.Max)))
	}
	labelW = math.Min(math.Max(labelW, 40), W*0.4)
	x0 := 4 + labelW + barGap
	span := W - x0 - barGap - valueW - 4
	if span < 20 {
		span = 20
	}
	k := 0.0
	if scale > 0 {
		k = span / scale
	}

	b.printf(`<g class="bars">`)
	for i, it := range items {
		y := top + float64(i)*barRow
		by := y + (barRow-barHeight)/2
		v, m := clean(it.Value), clean(it.Max)
		class := "bar"
		if m > 0 && v > m {
			class += " over"
		}
		b.printf(`<g class="%s">`, class)
		href := svgtext.SafeHref(it.Href)
		if href != "" {
			b.printf(`<a href="%s">`, svgtext.Escape(href))
		}
		title := values[i]
		if it.Label != "" {
			title = it.Label + ": " + values[i]
		}
		b.printf(`<title>%s</title>`, svgtext.Escape(title))
		b.printf(`<text class="label" x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`,
			num(4+labelW), num(y+barRow/2+fontSize/3), inkColor, svgtext.Escape(truncate(it.Label, labelW, fontSize)))
		end := x0 + v*k
		if m > 0 {
			b.printf(`<rect class="track" x="%s" y="%s" width="%s" height="%s" fill="%s"/>`,
				num(x0), num(by), num(m*k), num(barHeight), trackFill)
			end = math.Max(end, x0+m*k)
		}
		fill := barColor
		if m > 0 && v > m {
			fill = overColor
		}
		b.printf(`<rect class="value" x="%s" y="%s" width="%s" height="%s" fill="%s"/>`,
			num(x0), num(by), num(v*k), num(barHeight), fill)
		b.printf(`<text class="value-label" x="%s" y="%s" text-anchor="start" fill="%s">%s</text>`,
			num(end+barGap), num(y+barRow/2+fontSize/3), inkColor, svgtext.Escape(values[i]))
		if href != "" {
			b.printf(`</a>`)
		}
		b.printf(`</g>`)
	}
	b.printf(`</g></svg>`)
	return html(&b)
}

// clean makes a value drawable: NaN, infinities and negatives become 0.
func clean(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}
