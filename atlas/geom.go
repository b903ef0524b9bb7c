package atlas

import (
	"container/heap"
	"math"
)

// xy is a point in SVG user units (pixels, y down).
type xy struct{ X, Y float64 }

// projection is equirectangular: x grows with longitude scaled by the cosine
// of the bounds' middle latitude, y with latitude, both by the same factor.
type projection struct {
	lon0, lat0 float64 // top-left corner of the bounds
	k          float64 // cos(middle latitude)
	s          float64 // pixels per degree of latitude
	ox, oy     float64 // offset of the bounds in the view
}

// newProjection fits b into a w×h view, centred.
func newProjection(b Bounds, w, h float64) projection {
	k := math.Cos((b.MinLat + b.MaxLat) / 2 * math.Pi / 180)
	gw, gh := (b.MaxLon-b.MinLon)*k, b.MaxLat-b.MinLat
	s := math.Min(w/gw, h/gh)
	return projection{
		lon0: b.MinLon, lat0: b.MaxLat, k: k, s: s,
		ox: (w - gw*s) / 2, oy: (h - gh*s) / 2,
	}
}

func (p projection) project(lat, lon float64) xy {
	return xy{p.ox + (lon-p.lon0)*p.k*p.s, p.oy + (p.lat0-lat)*p.s}
}

// kmPerPixel is the ground distance of one pixel along a meridian.
func (p projection) kmPerPixel() float64 { return 111.32 / p.s }

// rect is an axis-aligned box in view coordinates.
type rect struct{ X0, Y0, X1, Y1 float64 }

func (r rect) overlaps(o rect) bool {
	return r.X0 < o.X1 && o.X0 < r.X1 && r.Y0 < o.Y1 && o.Y0 < r.Y1
}

func (r rect) inside(o rect) bool {
	return r.X0 >= o.X0 && r.X1 <= o.X1 && r.Y0 >= o.Y0 && r.Y1 <= o.Y1
}

// clipRing is Sutherland–Hodgman against r. The ring is open (its last
// point is not its first); so is the result.
func clipRing(ring []xy, r rect) []xy {
	type edge struct {
		in  func(xy) bool
		cut func(a, b xy) xy
	}
	atX := func(a, b xy, x float64) xy { return xy{x, a.Y + (x-a.X)/(b.X-a.X)*(b.Y-a.Y)} }
	atY := func(a, b xy, y float64) xy { return xy{a.X + (y-a.Y)/(b.Y-a.Y)*(b.X-a.X), y} }
	edges := [4]edge{
		{func(p xy) bool { return p.X >= r.X0 }, func(a, b xy) xy { return atX(a, b, r.X0) }},
		{func(p xy) bool { return p.X <= r.X1 }, func(a, b xy) xy { return atX(a, b, r.X1) }},
		{func(p xy) bool { return p.Y >= r.Y0 }, func(a, b xy) xy { return atY(a, b, r.Y0) }},
		{func(p xy) bool { return p.Y <= r.Y1 }, func(a, b xy) xy { return atY(a, b, r.Y1) }},
	}
	for _, e := range edges {
		if len(ring) == 0 {
			return nil
		}
		out := make([]xy, 0, len(ring)+4)
		prev := ring[len(ring)-1]
		for _, cur := range ring {
			cin, pin := e.in(cur), e.in(prev)
			switch {
			case cin && pin:
				out = append(out, cur)
			case cin:
				out = append(out, e.cut(prev, cur), cur)
			case pin:
				out = append(out, e.cut(prev, cur))
			}
			prev = cur
		}
		ring = out
	}
	return ring
}

// thin drops points closer than tol to the last kept one.
func thin(ring []xy, tol float64) []xy {
	out := ring[:0:0]
	for _, p := range ring {
		if n := len(out); n > 0 && math.Abs(p.X-out[n-1].X) < tol && math.Abs(p.Y-out[n-1].Y) < tol {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && math.Abs(out[0].X-out[len(out)-1].X) < tol && math.Abs(out[0].Y-out[len(out)-1].Y) < tol {
		out = out[:len(out)-1]
	}
	return out
}

// ringArea is the signed shoelace area of an open ring.
func ringArea(ring []xy) float64 {
	var s float64
	for i := range ring {
		a, b := ring[i], ring[(i+1)%len(ring)]
		s += a.X*b.Y - b.X*a.Y
	}
	return s / 2
}

// polygonArea is the area of a polygon (outer ring less holes).
func polygonArea(rings [][]xy) float64 {
	if len(rings) == 0 {
		return 0
	}
	a := math.Abs(ringArea(rings[0]))
	for _, h := range rings[1:] {
		a -= math.Abs(ringArea(h))
	}
	return a
}

// inRings tells whether p is inside the rings by the even-odd rule.
func inRings(p xy, rings [][]xy) bool {
	in := false
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a.Y > p.Y) != (b.Y > p.Y) && p.X < (b.X-a.X)*(p.Y-a.Y)/(b.Y-a.Y)+a.X {
				in = !in
			}
		}
	}
	return in
}

// edgeDistance is the distance from p to the nearest edge of the rings,
// negative outside.
func edgeDistance(p xy, rings [][]xy) float64 {
	best := math.Inf(1)
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			best = math.Min(best, segDist(p, r[j], r[i]))
		}
	}
	if !inRings(p, rings) {
		return -best
	}
	return best
}

func segDist(p, a, b xy) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((p.X-a.X)*dx+(p.Y-a.Y)*dy)/l2))
	}
	return math.Hypot(p.X-a.X-t*dx, p.Y-a.Y-t*dy)
}

// labelPoint finds the pole of inaccessibility of a polygon (the inside
// point farthest from its edges) to within precision, after Mapbox's
// polylabel, and returns it with its distance to the nearest edge.
func labelPoint(rings [][]xy, precision float64) (xy, float64) {
	outer := rings[0]
	minX, minY, maxX, maxY := outer[0].X, outer[0].Y, outer[0].X, outer[0].Y
	for _, p := range outer {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	size := math.Min(maxX-minX, maxY-minY)
	if size <= 0 {
		return xy{minX, minY}, 0
	}
	mk := func(x, y, h float64) cell {
		d := edgeDistance(xy{x, y}, rings)
		return cell{c: xy{x, y}, h: h, d: d, max: d + h*math.Sqrt2}
	}
	var q cellQueue
	h := size / 2
	for x := minX; x < maxX; x += size {
		for y := minY; y < maxY; y += size {
			heap.Push(&q, mk(x+h, y+h, h))
		}
	}
	best := mk((minX+maxX)/2, (minY+maxY)/2, 0)
	if c := centroid(outer); inRings(c, rings) {
		if cc := mk(c.X, c.Y, 0); cc.d > best.d {
			best = cc
		}
	}
	for q.Len() > 0 {
		c := heap.Pop(&q).(cell)
		if c.d > best.d {
			best = c
		}
		if c.max-best.d <= precision {
			continue
		}
		h := c.h / 2
		heap.Push(&q, mk(c.c.X-h, c.c.Y-h, h))
		heap.Push(&q, mk(c.c.X+h, c.c.Y-h, h))
		heap.Push(&q, mk(c.c.X-h, c.c.Y+h, h))
		heap.Push(&q, mk(c.c.X+h, c.c.Y+h, h))
	}
	return best.c, best.d
}

func centroid(ring []xy) xy {
	var cx, cy, a float64
	for i := range ring {
		p, q := ring[i], ring[(i+1)%len(ring)]
		f := p.X*q.Y - q.X*p.Y
		cx += (p.X + q.X) * f
		cy += (p.Y + q.Y) * f
		a += f * 3
	}
	if a == 0 {
		return ring[0]
	}
	return xy{cx / a, cy / a}
}

type cell struct {
	c   xy
	h   float64 // half the cell's size
	d   float64 // distance from the centre to the polygon
	max float64 // best distance possible in the cell
}

type cellQueue []cell

func (q cellQueue) Len() int { return len(q) }
func (q cellQueue) Less(i, j int) bool {
	if q[i].max != q[j].max {
		return q[i].max > q[j].max
	}
	if q[i].c.Y != q[j].c.Y {
		return q[i].c.Y < q[j].c.Y
	}
	return q[i].c.X < q[j].c.X
}
func (q cellQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *cellQueue) Push(x any)   { *q = append(*q, x.(cell)) }
func (q *cellQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

// polyline is a path through points, with helpers to cut it short.
type polyline []xy

func (l polyline) length() float64 {
	var s float64
	for i := 1; i < len(l); i++ {
		s += math.Hypot(l[i].X-l[i-1].X, l[i].Y-l[i-1].Y)
	}
	return s
}

// trimEnd cuts d off the end of the line.
func (l polyline) trimEnd(d float64) polyline {
	out := append(polyline(nil), l...)
	for d > 0 && len(out) > 1 {
		a, b := out[len(out)-2], out[len(out)-1]
		seg := math.Hypot(b.X-a.X, b.Y-a.Y)
		if seg > d {
			t := (seg - d) / seg
			out[len(out)-1] = xy{a.X + (b.X-a.X)*t, a.Y + (b.Y-a.Y)*t}
			return out
		}
		d -= seg
		out = out[:len(out)-1]
	}
	return out
}

// trimStart cuts d off the start of the line.
func (l polyline) trimStart(d float64) polyline {
	r := make(polyline, len(l))
	for i, p := range l {
		r[len(l)-1-i] = p
	}
	r = r.trimEnd(d)
	out := make(polyline, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

// quad flattens the quadratic Bézier a–c–b into n segments.
func quad(a, c, b xy, n int) polyline {
	out := make(polyline, 0, n+1)
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(n)
		u := 1 - t
		out = append(out, xy{
			u*u*a.X + 2*u*t*c.X + t*t*b.X,
			u*u*a.Y + 2*u*t*c.Y + t*t*b.Y,
		})
	}
	return out
}
