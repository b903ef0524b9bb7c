// Command gen makes atlas/data/countries.geojson, the country outlines the
// atlas package embeds, from Natural Earth's admin-0 countries as the npm
// package world-atlas ships them (TopoJSON, quantised, in degrees).
//
// Run it through go generate in the atlas directory:
//
//	go generate ./atlas
//
// Without -in it fetches the pinned world-atlas release with `npm pack` (npm
// checks the tarball against the registry's integrity hash) into a temporary
// directory and reads countries-10m.json from it. With -in it reads the given
// TopoJSON file instead.
//
// What it does, in order, so that shared borders stay shared:
//  1. decode the topology's arcs (delta-decoded, dequantised);
//  2. simplify every arc once with Douglas–Peucker at -tolerance degrees and
//     round its points to -precision decimals (both 0.01° by default);
//  3. assemble the rings of the selected countries from the simplified arcs;
//  4. clip every ring to the data box (lon 30–52, lat 26–42), drop rings
//     that collapsed or are tiny, and write one GeoJSON Feature a line,
//     sorted by code, every geometry a MultiPolygon.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// worldAtlas is the npm package and version the data is made from.
const worldAtlas = "world-atlas@2.0.2"

// country is one selected country: its code in the output and its name.
type country struct {
	Code string // ISO 3166-1 alpha-3, or Natural Earth's ADM0_A3 where ISO has none
	Name string
}

// selected maps the topology's id (ISO 3166-1 numeric) or, for features
// without one, its name, to the country written out. The region is Syria and
// Iraq with every neighbour whose land can show in a map of them.
var selected = map[string]country{
	"760": {"SYR", "Syria"},
	"368": {"IRQ", "Iraq"},
	"792": {"TUR", "Turkey"},
	"400": {"JOR", "Jordan"},
	"422": {"LBN", "Lebanon"},
	"376": {"ISR", "Israel"},
	"275": {"PSE", "Palestine"},
	"364": {"IRN", "Iran"},
	"682": {"SAU", "Saudi Arabia"},
	"414": {"KWT", "Kuwait"},
	"196": {"CYP", "Cyprus"},
	"818": {"EGY", "Egypt"},
	"051": {"ARM", "Armenia"},
	"031": {"AZE", "Azerbaijan"},
	"268": {"GEO", "Georgia"},
	"643": {"RUS", "Russia"},
	"048": {"BHR", "Bahrain"},
	"634": {"QAT", "Qatar"},
	// No ISO code: Natural Earth's ADM0_A3.
	"N. Cyprus":               {"CYN", "N. Cyprus"},
	"Cyprus U.N. Buffer Zone": {"CNM", "Cyprus U.N. Buffer Zone"},
}

// box is the data extent in degrees.
type box struct{ MinLon, MinLat, MaxLon, MaxLat float64 }

var dataBox = box{MinLon: 30, MinLat: 26, MaxLon: 52, MaxLat: 42}

type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects map[string]struct {
		Geometries []geometry `json:"geometries"`
	} `json:"objects"`
	Arcs [][][]float64 `json:"arcs"`
}

type geometry struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Arcs       json.RawMessage `json:"arcs"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

type pt [2]float64 // lon, lat

func main() {
	in := flag.String("in", "", "TopoJSON countries file (default: fetch "+worldAtlas+" with npm pack and use countries-10m.json)")
	out := flag.String("out", "data/countries.geojson", "output GeoJSON file")
	tol := flag.Float64("tolerance", 0.01, "Douglas–Peucker tolerance in degrees")
	prec := flag.Int("precision", 2, "decimals kept in coordinates")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen: ")

	raw, err := load(*in)
	if err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	if err := convert(raw, &b, *tol, *prec); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes)", *out, b.Len())
}

// load reads the TopoJSON file, fetching it with npm when path is empty.
func load(path string) ([]byte, error) {
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read topology: %w", err)
		}
		return b, nil
	}
	dir, err := os.MkdirTemp("", "atlas-gen-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command("npm", "pack", worldAtlas, "--silent")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	name, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("npm pack %s: %w", worldAtlas, err)
	}
	f, err := os.Open(filepath.Join(dir, strings.TrimSpace(string(name))))
	if err != nil {
		return nil, fmt.Errorf("open tarball: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("gunzip tarball: %w", err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("countries-10m.json not in %s", worldAtlas)
		}
		if err != nil {
			return nil, fmt.Errorf("read tarball: %w", err)
		}
		if h.Name == "package/countries-10m.json" {
			b, err := io.ReadAll(tr)
			if err != nil {
				return nil, fmt.Errorf("read countries-10m.json: %w", err)
			}
			return b, nil
		}
	}
}

func convert(raw []byte, w io.Writer, tol float64, prec int) error {
	var t topology
	if err := json.Unmarshal(raw, &t); err != nil {
		return fmt.Errorf("parse topology: %w", err)
	}
	if t.Type != "Topology" {
		return fmt.Errorf("not a TopoJSON topology: type %q", t.Type)
	}
	obj, ok := t.Objects["countries"]
	if !ok {
		return errors.New("topology has no countries object")
	}
	arcs := decodeArcs(&t)
	scale := math.Pow(10, float64(prec))
	for i, a := range arcs {
		arcs[i] = roundLine(simplify(a, tol), scale)
	}

	type feature struct {
		c     country
		polys [][][]pt
	}
	var feats []feature
	seen := map[string]bool{}
	for _, g := range obj.Geometries {
		key := g.ID
		if key == "" || key == "-99" {
			key = g.Properties.Name
		}
		c, ok := selected[key]
		if !ok {
			continue
		}
		if seen[c.Code] {
			return fmt.Errorf("country %s twice in topology", c.Code)
		}
		seen[c.Code] = true
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return fmt.Errorf("%s arcs: %w", c.Code, err)
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return fmt.Errorf("%s arcs: %w", c.Code, err)
			}
		default:
			return fmt.Errorf("%s: unexpected geometry %s", c.Code, g.Type)
		}
		var out [][][]pt
		for _, p := range polys {
			var rings [][]pt
			for ri, r := range p {
				ring := clip(assemble(arcs, r), dataBox, scale)
				ring = dedupe(ring)
				if len(ring) < 4 || math.Abs(area(ring)) < 0.0005 {
					if ri == 0 {
						break // the outer ring is gone: so are its holes
					}
					continue
				}
				rings = append(rings, ring)
			}
			if len(rings) > 0 {
				out = append(out, rings)
			}
		}
		if len(out) == 0 {
			log.Printf("%s: nothing left in the data box, skipped", c.Code)
			continue
		}
		feats = append(feats, feature{c, out})
	}
	for _, c := range selected {
		if !seen[c.Code] {
			log.Printf("%s (%s) not in topology", c.Code, c.Name)
		}
	}
	sort.Slice(feats, func(i, j int) bool { return feats[i].c.Code < feats[j].c.Code })

	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\"type\":\"FeatureCollection\",\"features\":[\n")
	for i, f := range feats {
		name, _ := json.Marshal(f.c.Name)
		fmt.Fprintf(bw, "{\"type\":\"Feature\",\"id\":%q,\"properties\":{\"name\":%s},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[", f.c.Code, name)
		for pi, p := range f.polys {
			if pi > 0 {
				bw.WriteByte(',')
			}
			bw.WriteByte('[')
			for ri, r := range p {
				if ri > 0 {
					bw.WriteByte(',')
				}
				bw.WriteByte('[')
				for k, q := range r {
					if k > 0 {
						bw.WriteByte(',')
					}
					fmt.Fprintf(bw, "[%s,%s]", num(q[0]), num(q[1]))
				}
				bw.WriteByte(']')
			}
			bw.WriteByte(']')
		}
		bw.WriteString("]}}")
		if i < len(feats)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

func num(f float64) string {
	if f == 0 {
		f = 0 // no "-0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// decodeArcs turns the topology's arcs into degrees.
func decodeArcs(t *topology) [][]pt {
	out := make([][]pt, len(t.Arcs))
	for i, a := range t.Arcs {
		line := make([]pt, len(a))
		var x, y float64
		for j, p := range a {
			if t.Transform != nil {
				x += p[0]
				y += p[1]
				line[j] = pt{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			} else {
				line[j] = pt{p[0], p[1]}
			}
		}
		out[i] = line
	}
	return out
}

// assemble joins a ring's arcs; a negative index ~i is arc i reversed.
func assemble(arcs [][]pt, idx []int) []pt {
	var ring []pt
	for _, i := range idx {
		var a []pt
		if i >= 0 {
			a = arcs[i]
		} else {
			src := arcs[^i]
			a = make([]pt, len(src))
			for k := range src {
				a[k] = src[len(src)-1-k]
			}
		}
		if len(ring) > 0 && len(a) > 0 {
			a = a[1:]
		}
		ring = append(ring, a...)
	}
	return ring
}

// simplify is Douglas–Peucker keeping both ends.
func simplify(line []pt, tol float64) []pt {
	if len(line) < 3 {
		return line
	}
	keep := make([]bool, len(line))
	keep[0], keep[len(line)-1] = true, true
	var rec func(i, j int)
	rec = func(i, j int) {
		best, at := -1.0, -1
		for k := i + 1; k < j; k++ {
			if d := segDist(line[k], line[i], line[j]); d > best {
				best, at = d, k
			}
		}
		if at >= 0 && best > tol {
			keep[at] = true
			rec(i, at)
			rec(at, j)
		}
	}
	rec(0, len(line)-1)
	var out []pt
	for i, k := range keep {
		if k {
			out = append(out, line[i])
		}
	}
	return out
}

func segDist(p, a, b pt) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p[0]-a[0], p[1]-a[1])
	}
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

func roundLine(line []pt, scale float64) []pt {
	out := make([]pt, 0, len(line))
	for _, p := range line {
		q := pt{math.Round(p[0]*scale) / scale, math.Round(p[1]*scale) / scale}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	if len(out) == 1 && len(line) > 1 {
		out = append(out, out[0]) // keep a closed or degenerate arc two points long
	}
	return out
}

// dedupe drops repeated points and closes the ring.
func dedupe(r []pt) []pt {
	var out []pt
	for _, p := range r {
		if len(out) > 0 && out[len(out)-1] == p {
			continue
		}
		out = append(out, p)
	}
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	return out
}

func area(r []pt) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}

// clip is Sutherland–Hodgman against an axis-aligned box. Points made on
// the box edges are rounded like the rest so neighbours agree.
func clip(r []pt, b box, scale float64) []pt {
	edges := []struct {
		in  func(pt) bool
		cut func(p, q pt) pt
	}{
		{func(p pt) bool { return p[0] >= b.MinLon }, func(p, q pt) pt { return atX(p, q, b.MinLon) }},
		{func(p pt) bool { return p[0] <= b.MaxLon }, func(p, q pt) pt { return atX(p, q, b.MaxLon) }},
		{func(p pt) bool { return p[1] >= b.MinLat }, func(p, q pt) pt { return atY(p, q, b.MinLat) }},
		{func(p pt) bool { return p[1] <= b.MaxLat }, func(p, q pt) pt { return atY(p, q, b.MaxLat) }},
	}
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	for _, e := range edges {
		if len(r) == 0 {
			break
		}
		var out []pt
		prev := r[len(r)-1]
		for _, cur := range r {
			switch {
			case e.in(cur) && e.in(prev):
				out = append(out, cur)
			case e.in(cur):
				out = append(out, e.cut(prev, cur), cur)
			case e.in(prev):
				out = append(out, e.cut(prev, cur))
			}
			prev = cur
		}
		r = out
	}
	for i, p := range r {
		r[i] = pt{math.Round(p[0]*scale) / scale, math.Round(p[1]*scale) / scale}
	}
	return r
}

func atX(p, q pt, x float64) pt {
	t := (x - p[0]) / (q[0] - p[0])
	return pt{x, p[1] + t*(q[1]-p[1])}
}

func atY(p, q pt, y float64) pt {
	t := (y - p[1]) / (q[1] - p[1])
	return pt{p[0] + t*(q[0]-p[0]), y}
}
