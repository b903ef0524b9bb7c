package atlas

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencustody/custody/internal/svgtext"
)

var (
	hasakah = Point{Lat: 36.50, Lon: 40.75}
	alHol   = Point{Lat: 36.38, Lon: 41.15}
	roj     = Point{Lat: 36.97, Lon: 42.06}
	rabia   = Point{Lat: 36.80, Lon: 42.10}
	baghdad = Point{Lat: 33.31, Lon: 44.37}
	south   = Point{Lat: 31.05, Lon: 46.26}
	babil   = Point{Lat: 32.55, Lon: 44.42}
)

// example is the demo's transfer: facilities in north-east Syria, prisons
// in Iraq, convoys by the Rabia crossing and flights.
func example() *Map {
	return &Map{
		Width: 900,
		Title: "Transfer of detainees, north-east Syria → Iraq",
		Markers: []Marker{
			{ID: "gweiran", Label: "Gweiran (Panorama) prison", At: Point{36.48, 40.74}, Kind: "prison", Count: 4500, Capacity: 5000, Href: "/facilities/gweiran"},
			{ID: "hasakah-hospital", Label: "Hasakah hospital", At: hasakah, Kind: "hospital", Count: 40, Capacity: 80},
			{ID: "al-hol", Label: "al-Hol camp", At: alHol, Kind: "camp", Count: 17480, Capacity: 40000, Href: "/facilities/al-hol"},
			{ID: "roj", Label: "Roj camp", At: roj, Kind: "camp", Count: 2600, Capacity: 3500},
			{ID: "shaddadeh", Label: "Shaddadeh prison", At: Point{36.06, 40.73}, Kind: "prison", Count: 600, Capacity: 800},
			{ID: "alaya", Label: "Alaya prison, Qamishli", At: Point{37.05, 41.22}, Kind: "prison", Count: 450, Capacity: 600},
			{ID: "hajin", Label: "Hajin", At: Point{34.69, 40.83}, Kind: "prison", Count: 130, Capacity: 250},
			{ID: "aqtan", Label: "Al-Aqtan prison, Raqqa", At: Point{36.01, 39.07}, Kind: "prison", Count: 1200, Capacity: 1500},
			{ID: "iq-moj-baghdad", Label: "Baghdad (MoJ)", At: baghdad, Kind: "destination", Count: 2100, Capacity: 3200, Href: "/facilities/iq-moj-baghdad"},
			{ID: "iq-moj-central", Label: "Babil (MoJ)", At: babil, Kind: "destination", Count: 900, Capacity: 1700},
			{ID: "iq-moj-south", Label: "Nasiriyah (MoJ)", At: south, Kind: "destination", Count: 1583, Capacity: 2600},
		},
		Routes: []Route{
			{From: Point{36.48, 40.74}, To: baghdad, Via: []Point{rabia, {36.34, 43.13}}, Label: "Convoy Gweiran → Baghdad via Rabia", Count: 2100, Href: "/moves?to=baghdad"},
			{From: alHol, To: babil, Via: []Point{rabia}, Label: "Convoy al-Hol → Babil", Count: 900},
			{From: Point{36.48, 40.74}, To: south, Label: "Flights Hasakah → Nasiriyah", Count: 1583},
		},
	}
}

func render(t *testing.T, m *Map) string {
	t.Helper()
	var b bytes.Buffer
	if err := m.Render(&b); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b.String()
}

// element is a parsed SVG element with its attributes and text.
type element struct {
	name  string
	attr  map[string]string
	text  string
	depth int
}

// parse checks that s is well-formed XML and returns its elements.
func parse(t *testing.T, s string) []element {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	var out []element
	var stack []int
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attr: map[string]string{}, depth: len(stack)}
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
	if len(out) == 0 || out[0].name != "svg" {
		t.Fatalf("root element is not svg")
	}
	return out
}

func hasClass(e element, c string) bool {
	for _, f := range strings.Fields(e.attr["class"]) {
		if f == c {
			return true
		}
	}
	return false
}

// pathRings parses the M/L/Z path data this package writes.
func pathRings(t *testing.T, d string) [][]xy {
	t.Helper()
	var rings [][]xy
	for _, part := range strings.Split(d, "Z") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var ring []xy
		for _, seg := range strings.FieldsFunc(part, func(r rune) bool { return r == 'M' || r == 'L' }) {
			f := strings.Fields(seg)
			if len(f) != 2 {
				t.Fatalf("bad path segment %q", seg)
			}
			x, err1 := strconv.ParseFloat(f[0], 64)
			y, err2 := strconv.ParseFloat(f[1], 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("bad path segment %q", seg)
			}
			ring = append(ring, xy{x, y})
		}
		rings = append(rings, ring)
	}
	return rings
}

func markerCentre(t *testing.T, els []element, id string) xy {
	t.Helper()
	for i, e := range els {
		if e.name == "g" && e.attr["data-id"] == id {
			for _, c := range els[i+1:] {
				if c.depth <= e.depth {
					break
				}
				if c.name == "circle" && hasClass(c, "count") {
					x, _ := strconv.ParseFloat(c.attr["cx"], 64)
					y, _ := strconv.ParseFloat(c.attr["cy"], 64)
					return xy{x, y}
				}
			}
		}
	}
	t.Fatalf("no marker %q", id)
	return xy{}
}

func countryRings(t *testing.T, els []element, code string) [][]xy {
	t.Helper()
	for _, e := range els {
		if e.name == "path" && hasClass(e, "country") && hasClass(e, "iso-"+code) {
			return pathRings(t, e.attr["d"])
		}
	}
	t.Fatalf("no country %s", code)
	return nil
}

func TestPlacesFallInTheirCountries(t *testing.T) {
	els := parse(t, render(t, example()))
	cases := []struct {
		id, in string
		notIn  []string
	}{
		{"hasakah-hospital", "SYR", []string{"IRQ", "TUR"}},
		{"al-hol", "SYR", []string{"IRQ", "TUR"}},
		{"roj", "SYR", []string{"IRQ", "TUR"}},
		{"iq-moj-baghdad", "IRQ", []string{"SYR", "IRN"}},
		{"iq-moj-south", "IRQ", []string{"SAU", "KWT", "IRN"}},
	}
	for _, c := range cases {
		p := markerCentre(t, els, c.id)
		if !inRings(p, countryRings(t, els, c.in)) {
			t.Errorf("%s at %v is not inside %s", c.id, p, c.in)
		}
		for _, o := range c.notIn {
			if inRings(p, countryRings(t, els, o)) {
				t.Errorf("%s at %v is inside %s", c.id, p, o)
			}
		}
	}
}

func TestFocusAndNames(t *testing.T) {
	m := example()
	m.Names = map[string]string{"SYR": "سوريا", "TUR": ""}
	els := parse(t, render(t, m))
	focus := map[string]bool{}
	labels := map[string]string{}
	for _, e := range els {
		if e.name == "path" && hasClass(e, "focus") {
			for _, f := range strings.Fields(e.attr["class"]) {
				focus[f] = true
			}
		}
		if e.name == "text" && hasClass(e, "country-label") {
			for _, f := range strings.Fields(e.attr["class"]) {
				if strings.HasPrefix(f, "iso-") {
					labels[f[4:]] = e.text
				}
			}
		}
	}
	if !focus["iso-SYR"] || !focus["iso-IRQ"] || focus["iso-TUR"] || len(focus) != 4 {
		t.Errorf("focus classes %v, want Syria and Iraq only", focus)
	}
	if labels["SYR"] != "سوريا" || labels["IRQ"] != "Iraq" || labels["JOR"] != "Jordan" {
		t.Errorf("country labels %v", labels)
	}
	if _, ok := labels["TUR"]; ok {
		t.Errorf("Turkey's label should be hidden")
	}
}

func TestEscaping(t *testing.T) {
	evil := `<script>alert("x")</script> & 'q'` + "\x01"
	m := &Map{
		Width: 400, Title: evil,
		Markers: []Marker{{ID: evil, Label: evil, At: hasakah, Kind: `camp" onclick="x`, Count: 1, Href: "javascript:alert(1)"}},
		Routes:  []Route{{From: hasakah, To: baghdad, Label: evil, Count: 1, Href: `/moves?a=1&b="2"`}},
		Names:   map[string]string{"IRQ": evil},
	}
	s := render(t, m)
	els := parse(t, s)
	if strings.Contains(s, "<script") || strings.Contains(s, "javascript:") || strings.Contains(s, "onclick=") {
		t.Fatalf("unescaped or unsafe content in %s", s)
	}
	found := 0
	for _, e := range els {
		if strings.Contains(e.text, `<script>alert("x")</script> & 'q'`) {
			found++
		}
		if e.name == "a" && e.attr["href"] != `/moves?a=1&b="2"` {
			t.Errorf("href %q", e.attr["href"])
		}
	}
	if found < 3 {
		t.Errorf("escaped label found %d times in text, want the title, tooltips and labels", found)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := render(t, example()), render(t, example())
	if a != b {
		t.Fatal("two renderings of the same map differ")
	}
	h, err := example().SVG()
	if err != nil || string(h) != a {
		t.Fatalf("SVG() differs from Render (err %v)", err)
	}
}

func TestDefaultsAndErrors(t *testing.T) {
	var m Map
	els := parse(t, render(t, &m))
	if els[0].attr["viewBox"] != "0 0 800 609" {
		t.Errorf("default viewBox %q", els[0].attr["viewBox"])
	}
	bad := []*Map{
		{Width: -1},
		{Bounds: Bounds{MinLat: 38, MaxLat: 30, MinLon: 34, MaxLon: 49}},
		{Markers: []Marker{{At: Point{Lat: 100}}}},
		{Routes: []Route{{From: hasakah, To: baghdad, Via: []Point{{Lon: 500}}}}},
	}
	for i, m := range bad {
		if err := m.Render(io.Discard); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
	// Degenerate but valid: a route to itself, zero counts, a tiny map.
	m = Map{Width: 40, Height: 30, Markers: []Marker{{At: hasakah}}, Routes: []Route{{From: hasakah, To: hasakah}, {From: hasakah, To: alHol}}}
	parse(t, render(t, &m))
}

func TestCountries(t *testing.T) {
	cs, err := Countries()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"SYR": true, "IRQ": true, "TUR": true, "JOR": true, "LBN": true, "ISR": true, "PSE": true, "IRN": true, "SAU": true, "KWT": true, "CYP": true}
	for _, c := range cs {
		delete(want, c.Code)
	}
	if len(want) > 0 {
		t.Errorf("missing countries %v", want)
	}
	if len(countriesJSON) > 300<<10 {
		t.Errorf("embedded data is %d bytes, want < 300 KiB", len(countriesJSON))
	}
}

func TestSafeHref(t *testing.T) {
	for in, want := range map[string]string{
		"/facilities/x":        "/facilities/x",
		"x?y=a:b":              "x?y=a:b",
		"https://example.org":  "https://example.org",
		"JavaScript:alert(1)":  "",
		" javascript:alert(1)": "",
		"data:text/html,x":     "",
		"java\tscript:x":       "",
	} {
		if got := svgtext.SafeHref(in); got != want {
			t.Errorf("svgtext.SafeHref(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestArtifact writes the example map to $CUSTODY_TEST_ARTIFACTS/atlas,
// and a PNG of it when rsvg-convert is installed.
func TestArtifact(t *testing.T) {
	dir := os.Getenv("CUSTODY_TEST_ARTIFACTS")
	if dir == "" {
		t.Skip("CUSTODY_TEST_ARTIFACTS not set")
	}
	dir = filepath.Join(dir, "atlas")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	svg := filepath.Join(dir, "map.svg")
	if err := os.WriteFile(svg, []byte(render(t, example())), 0o644); err != nil {
		t.Fatal(err)
	}
	zoom := example()
	zoom.Bounds = Bounds{MinLat: 35.5, MinLon: 39.5, MaxLat: 37.4, MaxLon: 42.6}
	if err := os.WriteFile(filepath.Join(dir, "zoom.svg"), []byte(render(t, zoom)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"map", "zoom"} {
		svg, png := filepath.Join(dir, name+".svg"), filepath.Join(dir, name+".png")
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		var cmd *exec.Cmd
		if _, err := exec.LookPath("rsvg-convert"); err == nil {
			cmd = exec.CommandContext(ctx, "rsvg-convert", "-o", png, svg)
		} else if chromium := os.Getenv("CUSTODY_TEST_CHROMIUM"); chromium != "" {
			cmd = exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
				"--window-size=900,686", "--screenshot="+png, "file://"+svg)
		} else {
			cancel()
			return // no rasteriser: the SVG alone will do
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Logf("no PNG of %s: %v\n%s", name, err, out)
		}
		cancel()
	}
}

func BenchmarkRender(b *testing.B) {
	m := example()
	for b.Loop() {
		if err := m.Render(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
