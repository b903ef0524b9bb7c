package ledger

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// benchLogSize is the size of the log the proof benchmarks run against.
const benchLogSize = 1_000_000

var (
	benchOnce   sync.Once
	benchHashes *MemoryHashes
	benchRoot   [32]byte
)

// benchLog builds the stored hashes of a log of benchLogSize records once.
func benchLog(b *testing.B) *MemoryHashes {
	benchOnce.Do(func() {
		m := &MemoryHashes{}
		tr := NewTree(nil)
		for n := range int64(benchLogSize) {
			hs, err := tr.Append(n, LeafHash(record(0, n)))
			if err != nil {
				panic(err)
			}
			if err := m.Add(hs...); err != nil {
				panic(err)
			}
		}
		root, err := tr.Root(benchLogSize)
		if err != nil {
			panic(err)
		}
		benchHashes, benchRoot = m, root
	})
	return benchHashes
}

func BenchmarkInclusionProof(b *testing.B) {
	m := benchLog(b)
	rng := rand.New(rand.NewPCG(5, 6))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ProveInclusion(benchLogSize, rng.Int64N(benchLogSize), m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInclusionCheck(b *testing.B) {
	m := benchLog(b)
	const index = benchLogSize / 3
	p, err := ProveInclusion(benchLogSize, index, m)
	if err != nil {
		b.Fatal(err)
	}
	leaf := LeafHash(record(0, index))
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckInclusion(p, benchLogSize, benchRoot, index, leaf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConsistencyProof(b *testing.B) {
	m := benchLog(b)
	rng := rand.New(rand.NewPCG(7, 8))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ProveConsistency(benchLogSize, 1+rng.Int64N(benchLogSize), m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTreeAppend(b *testing.B) {
	tr := NewTree(nil)
	leaf := LeafHash([]byte("leaf"))
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Append(n, leaf); err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// benchEvent is shaped like a custody event, about 600 bytes canonical.
type benchEvent struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	OccurredAt time.Time      `json:"occurred_at"`
	RecordedAt time.Time      `json:"recorded_at"`
	Recorder   benchRecorder  `json:"recorder"`
	Subjects   benchSubjects  `json:"subjects"`
	Payload    map[string]any `json:"payload"`
	Salt       string         `json:"salt"`
}

type benchRecorder struct {
	User      string `json:"user"`
	Authority string `json:"authority"`
	Site      string `json:"site"`
}

type benchSubjects struct {
	Persons  []string `json:"persons"`
	Facility string   `json:"facility"`
	Move     string   `json:"move"`
}

func newBenchEvent() benchEvent {
	at := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	return benchEvent{
		ID:         "01JPA7Q9ZK3M4N5P6Q7R8S9T0V",
		Type:       "move.person_boarded",
		OccurredAt: at,
		RecordedAt: at.Add(17 * time.Minute),
		Recorder:   benchRecorder{User: "u-registrar-0042", Authority: "a-sdf", Site: "site-hasakah-02"},
		Subjects: benchSubjects{
			Persons:  []string{"p-000123456", "p-000123457"},
			Facility: "f-al-hol-annex",
			Move:     "m-2025-03-14-convoy-07",
		},
		Payload: map[string]any{
			"vehicle":    "bus-3",
			"seat":       17,
			"manifested": true,
			"scan":       map[string]any{"kind": "wristband_qr", "code": "CUS-7Q9ZK3M4N5P6", "device": "d-17"},
			"note":       "boarded with child under 12",
			"names":      map[string]any{"ar": "أبو محمد العراقي", "latin": "Abu Muhammad al-Iraqi"},
			"escort":     "a-coalition",
			"checkpoint": 2,
		},
		Salt: "AAECAwQFBgcICQoLDA0ODw",
	}
}

func BenchmarkCanonical(b *testing.B) {
	ev := newBenchEvent()
	c, err := Canonical(ev)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(c)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Canonical(ev); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLeafHash(b *testing.B) {
	c, err := Canonical(newBenchEvent())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(c)))
	b.ReportAllocs()
	for b.Loop() {
		LeafHash(c)
	}
}
