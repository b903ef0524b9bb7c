package chart

import (
	"context"
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

type element struct {
	name string
	attr map[string]string
	text string
}

// parse checks that s is well-formed XML with an svg root and returns its
// elements in document order.
func parse(t *testing.T, s template.HTML) []element {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(s)))
	var out []element
	var stack []int
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.attr[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].text += string(tok)
			}
		}
	}
	if len(out) == 0 || out[0].name != "svg" || out[0].attr["dir"] != "ltr" {
		t.Fatalf("root is not an ltr svg: %s", s)
	}
	return out
}

func find(els []element, name, class string) []element {
	var out []element
	for _, e := range els {
		if e.name != name {
			continue
		}
		for _, c := range strings.Fields(e.attr["class"]) {
			if c == class {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

func attrF(t *testing.T, e element, name string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(e.attr[name], 64)
	if err != nil {
		t.Fatalf("%s attribute %s=%q: %v", e.name, name, e.attr[name], err)
	}
	return f
}

func day(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }

// progress is cumulative persons handed over by day.
func progress() []Point {
	return []Point{
		{day(21), 150}, {day(22), 420}, {day(24), 900}, {day(27), 1800},
		{day(30), 2700}, {day(31) /* 31 Jan */, 3100}, {day(31).AddDate(0, 0, 3), 4200}, {day(31).AddDate(0, 0, 5), 4583},
	}
}

func TestLineLastPoint(t *testing.T) {
	s := Line(progress(), LineOptions{Width: 600, Height: 300, Title: "Handed over", Target: 7000, YLabel: "persons"})
	els := parse(t, s)
	last := find(els, "circle", "last")
	if len(last) != 1 {
		t.Fatalf("%d last points", len(last))
	}
	// Plot area: x 52…548; y from 300-24=276 (bottom) to 12+20+14=46 (top).
	// Y axis 0…8,000 (target 7,000, step 2,000); the last point is the
	// right end of the X axis.
	wantX := 600.0 - lineRight
	wantY := 276 - (276-46)*4583.0/8000
	if x, y := attrF(t, last[0], "cx"), attrF(t, last[0], "cy"); math.Abs(x-wantX) > 0.05 || math.Abs(y-wantY) > 0.05 {
		t.Errorf("last point at (%v, %v), want (%v, %.1f)", x, y, wantX, wantY)
	}
	// And the first at the left end, 150 persons up.
	line := find(els, "path", "line")[0].attr["d"]
	wantStart := "M52 " + num(276-(276-46)*150.0/8000) + "L"
	if !strings.HasPrefix(line, wantStart) {
		t.Errorf("line starts %q, want %q", line[:20], wantStart)
	}
	if got := find(els, "text", "last-label"); len(got) != 1 || got[0].text != "4,583" {
		t.Errorf("last label %v", got)
	}
	var ticks []string
	for _, e := range find(els, "text", "tick") {
		ticks = append(ticks, e.text)
	}
	joined := strings.Join(ticks, " ")
	for _, want := range []string{"0", "2,000", "8,000", "21 Jan", "28 Jan", "4 Feb"} {
		if !strings.Contains(" "+joined+" ", " "+want+" ") {
			t.Errorf("ticks %q lack %q", joined, want)
		}
	}
	if !strings.Contains(string(s), "Target 7,000") || !strings.Contains(string(s), "stroke-dasharray") {
		t.Errorf("no dashed, labelled target line")
	}
}

func TestLineEdgeCases(t *testing.T) {
	cases := map[string][]Point{
		"empty":  nil,
		"single": {{day(21), 150}},
		"zeros":  {{day(21), 0}, {day(22), 0}},
		"same-x": {{day(21), 1}, {day(21), 2}},
		"nan":    {{day(21), math.NaN()}, {day(22), math.Inf(1)}},
		"neg":    {{day(21), -5}, {day(22), 3}},
		"hours":  {{day(21).Add(time.Hour), 1}, {day(21).Add(5 * time.Hour), 2}},
		"year":   {{day(1), 1}, {day(1).AddDate(1, 0, 0), 2}},
	}
	for name, series := range cases {
		t.Run(name, func(t *testing.T) {
			for _, opts := range []LineOptions{{}, {Width: 20, Height: 10, Target: 7000, Title: "t"}} {
				s := Line(series, opts)
				els := parse(t, s)
				if strings.Contains(string(s), "NaN") || strings.Contains(string(s), "Inf") {
					t.Errorf("non-finite number in %s", s)
				}
				empty := len(find(els, "text", "empty")) == 1
				if empty != (name == "empty" || name == "nan") {
					t.Errorf("empty text shown: %v", empty)
				}
			}
		})
	}
	// A single point sits in the middle.
	els := parse(t, Line([]Point{{day(21), 150}}, LineOptions{Width: 600}))
	if x := attrF(t, find(els, "circle", "last")[0], "cx"); x != 300 {
		t.Errorf("single point at x=%v, want 300", x)
	}
}

func TestBars(t *testing.T) {
	items := []Bar{
		{Label: "al-Hol camp", Value: 17480, Max: 40000, Href: "/facilities/al-hol"},
		{Label: "سجن غويران (بانوراما)", Value: 4500, Max: 5000},
		{Label: "Over <full> & \"more\"", Value: 120, Max: 100, Href: "javascript:alert(1)"},
		{Label: "No capacity", Value: 30},
	}
	s := Bars(items, BarOptions{Width: 500, Title: "Persons by facility"})
	els := parse(t, s)
	if strings.Contains(string(s), "<full>") || strings.Contains(string(s), "javascript") {
		t.Fatalf("unescaped or unsafe: %s", s)
	}
	labels := find(els, "text", "label")
	if len(labels) != 4 || labels[1].text != "سجن غويران (بانوراما)" || labels[2].text != `Over <full> & "more"` {
		t.Errorf("labels %v", labels)
	}
	vals := find(els, "text", "value-label")
	if vals[0].text != "17,480 / 40,000" || vals[3].text != "30" {
		t.Errorf("values %v", vals)
	}
	if len(find(els, "g", "over")) != 1 {
		t.Errorf("want one bar over its capacity")
	}
	tracks, bars := find(els, "rect", "track"), find(els, "rect", "value")
	if len(tracks) != 3 || len(bars) != 4 {
		t.Fatalf("%d tracks, %d bars", len(tracks), len(bars))
	}
	// One scale: the 40,000 track is the longest and al-Hol's bar is
	// 17,480/40,000 of it.
	full := attrF(t, tracks[0], "width")
	if got, want := attrF(t, bars[0], "width"), full*17480/40000; math.Abs(got-want) > 0.1 {
		t.Errorf("bar width %v, want %v", got, want)
	}
	links := 0
	for _, e := range els {
		if e.name == "a" {
			links++
			if e.attr["href"] != "/facilities/al-hol" {
				t.Errorf("href %q", e.attr["href"])
			}
		}
	}
	if links != 1 {
		t.Errorf("%d links, want 1", links)
	}
}

func TestBarsEdgeCases(t *testing.T) {
	for name, items := range map[string][]Bar{
		"empty":   nil,
		"zeros":   {{Label: "a"}, {Label: "b", Max: 0}},
		"single":  {{Label: "a", Value: 1}},
		"nan":     {{Label: "a", Value: math.NaN(), Max: math.Inf(1)}},
		"long":    {{Label: strings.Repeat("very long label ", 20), Value: 3}},
		"invalid": {{Label: "bad \xff utf-8 \x00", Value: 3}},
	} {
		t.Run(name, func(t *testing.T) {
			for _, opts := range []BarOptions{{}, {Width: 30, Title: "t"}} {
				s := Bars(items, opts)
				els := parse(t, s)
				if strings.Contains(string(s), "NaN") || strings.Contains(string(s), "Inf") {
					t.Errorf("non-finite number in %s", s)
				}
				if empty := len(find(els, "text", "empty")) == 1; empty != (name == "empty") {
					t.Errorf("empty text shown: %v", empty)
				}
			}
		})
	}
	els := parse(t, Bars([]Bar{{Label: strings.Repeat("x", 200), Value: 1}}, BarOptions{}))
	if l := find(els, "text", "label")[0].text; !strings.HasSuffix(l, "…") || len(l) > 200 {
		t.Errorf("long label not shortened: %q", l)
	}
}

func TestFormat(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", 7: "7", 999: "999", 1000: "1,000", 4583: "4,583", 1234567: "1,234,567",
		-7000: "-7,000", 1234.56: "1,234.6", 0.25: "0.3", -0.04: "0",
	} {
		if got := Format(v); got != want {
			t.Errorf("Format(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := Line(progress(), LineOptions{Target: 7000}), Line(progress(), LineOptions{Target: 7000})
	if a != b {
		t.Error("Line differs between runs")
	}
	items := []Bar{{Label: "a", Value: 1, Max: 2}, {Label: "b", Value: 3}}
	c, d := Bars(items, BarOptions{}), Bars(items, BarOptions{})
	if c != d {
		t.Error("Bars differs between runs")
	}
}

// TestArtifact writes example charts, alone and in a right-to-left HTML
// page, to $CUSTODY_TEST_ARTIFACTS/chart, with PNGs when rsvg-convert is
// installed.
func TestArtifact(t *testing.T) {
	dir := os.Getenv("CUSTODY_TEST_ARTIFACTS")
	if dir == "" {
		t.Skip("CUSTODY_TEST_ARTIFACTS not set")
	}
	dir = filepath.Join(dir, "chart")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	line := Line(progress(), LineOptions{Title: "Persons handed over", Target: 7000, YLabel: "persons"})
	bars := Bars([]Bar{
		{Label: "al-Hol camp", Value: 17480, Max: 40000},
		{Label: "Gweiran (Panorama) prison", Value: 4500, Max: 5000},
		{Label: "مخيم روج", Value: 2600, Max: 3500},
		{Label: "Hasakah hospital", Value: 95, Max: 80},
		{Label: "Unknown", Value: 12},
	}, BarOptions{Title: "Persons by facility"})
	files := map[string]string{
		"line.svg": string(line),
		"bars.svg": string(bars),
		"page.html": `<!doctype html><html dir="rtl" lang="ar"><meta charset="utf-8"><body style="font-family:sans-serif">` +
			string(line) + "<br>" + string(bars) + `</body></html>`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := exec.LookPath("rsvg-convert"); err == nil {
		for _, name := range []string{"line", "bars"} {
			out, err := exec.CommandContext(ctx, "rsvg-convert", "-o", filepath.Join(dir, name+".png"), filepath.Join(dir, name+".svg")).CombinedOutput()
			if err != nil {
				t.Logf("no PNG of %s: %v\n%s", name, err, out)
			}
		}
	}
	// The page, right to left, as a browser shows it.
	if chromium := os.Getenv("CUSTODY_TEST_CHROMIUM"); chromium != "" {
		out, err := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			"--window-size=700,480", "--screenshot="+filepath.Join(dir, "page.png"), "file://"+filepath.Join(dir, "page.html")).CombinedOutput()
		if err != nil {
			t.Logf("no PNG of page.html: %v\n%s", err, out)
		}
	}
}
