package plan

import "testing"

// benchPlan plans req b.N times, checks the last plan and reports the
// vehicles used against the lower bound.
func benchPlan(b *testing.B, req Request) {
	b.ReportAllocs()
	var p *Plan
	for b.Loop() {
		var err error
		if p, err = Make(req); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if vs := Check(req, p); len(vs) != 0 {
		b.Fatalf("%d violations, first: %v", len(vs), vs[0])
	}
	b.ReportMetric(float64(len(req.Candidates)), "persons")
	b.ReportMetric(float64(len(p.Assignments)), "seated")
	b.ReportMetric(float64(p.VehiclesUsed()), "vehicles")
	b.ReportMetric(float64(LowerBound(req)), "lowerbound")
}

// BenchmarkPlan7000 plans 7,000 men of mixed tiers from 4 origins, with 300
// keep-apart pairs, into buses of 40 and aircraft of 150 seats over 5 days
// and 3 destinations of 7,500 places in all.
func BenchmarkPlan7000(b *testing.B) {
	benchPlan(b, generate(2026, shape{men: 7000, keepApart: 300, origins: 4, dates: 5,
		busSeats: 40, airSeats: 150, slack: 1.15, capacity: 7500}))
}

// BenchmarkPlan7000Families plans 4,000 men and about 3,500 women and
// children (1,000 mothers with 1 to 4 children, 300 women alone, 200
// unaccompanied minors) into 3 destinations of 9,000 places in all.
func BenchmarkPlan7000Families(b *testing.B) {
	benchPlan(b, generate(2026, shape{men: 4000, families: 1000, women: 300, minors: 200, keepApart: 300,
		origins: 4, dates: 5, busSeats: 40, airSeats: 150, slack: 1.15, capacity: 9000}))
}

// BenchmarkCheck7000 checks the plan of BenchmarkPlan7000.
func BenchmarkCheck7000(b *testing.B) {
	req := generate(2026, shape{men: 7000, keepApart: 300, origins: 4, dates: 5,
		busSeats: 40, airSeats: 150, slack: 1.15, capacity: 7500})
	p, err := Make(req)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if vs := Check(req, p); len(vs) != 0 {
			b.Fatal(vs[0])
		}
	}
}
