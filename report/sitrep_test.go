package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

func testSitrep(facilities int) SitrepData {
	s := SitrepData{
		Day: "2026-02-14", Generated: time.Date(2026, 2, 14, 18, 30, 0, 0, time.UTC),
		LogSize: 48213, CheckpointSize: 48213, CheckpointRoot: "q3Jz0mX5hT3f0bq9o8m0c3WJgk6xk8Yc1o4M0b7n2fQ=",
		Persons: 9120, InCustody: 9046, Under12: 1402, OpenEscapes: 3, OpenAlerts: 2,
		Target:     7000,
		ByStatus:   []SitrepCount{{"held", 6890}, {"transferred", 2137}, {"in-transit", 19}, {"released", 71}, {"escaped", 3}},
		ByCategory: []SitrepCount{{"man", 6102}, {"woman", 1203}, {"boy", 1211}, {"girl", 604}},
	}
	for i, c := range []string{"IQ", "SY", "TR", "TN", "MA", "RU", "FR", "DE", "BE", "NL", "GB"} {
		s.Nationalities = append(s.Nationalities, SitrepCount{c, 4000 / (i + 1)})
	}
	cum := 0
	for i := range 21 {
		n := (i * 37) % 180
		if i == 20 {
			n = 311
		}
		cum += n
		s.ByDay = append(s.ByDay, SitrepDay{Date: time.Date(2026, 1, 25+i, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), N: n, Cumulative: cum})
	}
	s.Transferred = cum
	names := [][3]string{
		{"al-Hol camp", "مخيم الهول", "camp"},
		{"Roj camp", "مخيم روج", "camp"},
		{"Ghwayran prison", "سجن غويران", "prison"},
		{"Al-Karkh central prison", "سجن الكرخ المركزي", "destination"},
	}
	for i := range facilities {
		n := names[i%len(names)]
		name := n[0]
		if i >= len(names) {
			name = fmt.Sprintf("%s %d", n[0], i)
		}
		s.Facilities = append(s.Facilities, SitrepFacility{Name: name, Arabic: n[1], Kind: n[2], Held: 1000 + 97*i, Capacity: 1500 - 20*i})
	}
	return s
}

func TestSitrep(t *testing.T) {
	s := testSitrep(4)
	r := renderAndRead(t, "sitrep", func(w io.Writer) error { return Sitrep(w, s) })
	if len(r.pages) != 1 {
		t.Errorf("%d pages, want 1", len(r.pages))
	}
	text := r.pages[0].text
	for _, want := range []string{
		"Situation report", "2026-02-14", "48213 entries", s.CheckpointRoot,
		fmt.Sprintf("%d of 7000", s.Transferred), "9046 / 9120", "Missing from custody", "Open discrepancy alerts",
		"held", "6890", "woman", "1203", "IQ", "4000", "4 others", // nationalities past the 7th are summed
		"al-Hol camp", "Al-Karkh central prison", "1291", "1440", // held, capacity of the 4th facility
		"311", // the last day's bar
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if axis := lineOf(text, "01-25"); !strings.Contains(axis, "02-14") {
		t.Errorf("the chart's axis does not label the first and last days: %q", axis)
	}
	checkArabicRuns(t, "sitrep", text, []string{"تقرير الحالة", "مخيم الهول", "سجن الكرخ المركزي"})
}

func TestSitrepPaginatesFacilities(t *testing.T) {
	s := testSitrep(40)
	r := renderAndRead(t, "sitrep-long", func(w io.Writer) error { return Sitrep(w, s) })
	if len(r.pages) != 2 {
		t.Fatalf("%d pages, want 2", len(r.pages))
	}
	if !strings.Contains(r.pages[1].text, "Facilities (continued)") || !strings.Contains(r.pages[1].text, "Roj camp 37") {
		t.Errorf("page 2 does not continue the facilities:\n%s", r.pages[1].text)
	}
	if !strings.Contains(r.pages[1].text, "page 2 of 2") {
		t.Errorf("page 2 lacks its footer:\n%s", r.pages[1].text)
	}
}

func TestSitrepEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := Sitrep(&buf, SitrepData{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", buf.Bytes())
	}
	if err := Sitrep(failingWriter{}, testSitrep(2)); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("writing to a failing writer: %v", err)
	}
}
