package nameseval

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestReadGallery(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []Entry
		line  int    // of the error; 0: none
		field string // of the error
	}{
		{"ok", "# gallery\nP1\tMuhammad Ali\n\nP2\tعبد الرحمن\r\n", []Entry{{"P1", "Muhammad Ali"}, {"P2", "عبد الرحمن"}}, 0, ""},
		{"empty file", "", nil, 0, ""},
		{"one field", "P1\tAli\nP2 Omar\n", nil, 2, "line"},
		{"three fields", "P1\tAli\textra\n", nil, 1, "line"},
		{"empty id", "\tAli\n", nil, 1, "id"},
		{"spaced id", " P1\tAli\n", nil, 1, "id"},
		{"empty name", "P1\t  \n", nil, 1, "name"},
		{"duplicate id", "P1\tAli\nP1\tOmar\n", nil, 2, "id"},
		{"bad utf-8", "P1\tA\xffli\n", nil, 1, "line"},
		{"too long", "P1\t" + strings.Repeat("a", maxLine+10) + "\n", nil, 1, "line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadGallery(strings.NewReader(tt.in))
			if tt.line == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
				return
			}
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LineError", err)
			}
			if le.Line != tt.line || le.Field != tt.field || le.Reason == "" {
				t.Errorf("err = %+v, want line %d field %s", le, tt.line, tt.field)
			}
		})
	}
}

func TestReadQueriesAndTruth(t *testing.T) {
	if _, err := ReadQueries(strings.NewReader("q1\tAli\nq1\tOmar\n")); err == nil || !strings.Contains(err.Error(), "qid") {
		t.Errorf("duplicate qid: err = %v", err)
	}
	tr, err := ReadTruth(strings.NewReader("q1\tP1\nq1\tP7\nq2\tP2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tr["q1"], []string{"P1", "P7"}) || !slices.Equal(tr["q2"], []string{"P2"}) {
		t.Errorf("truth = %v", tr)
	}
	e := &LineError{File: "g.tsv", Line: 3, Field: "name", Reason: "empty"}
	if e.Error() != "g.tsv:3: name: empty" {
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestWriteResults(t *testing.T) {
	var b bytes.Buffer
	if err := WriteResults(&b, []Result{{"q1", 1, "P1", 0.98765}, {"q1", 2, "P2", 0.5}}); err != nil {
		t.Fatal(err)
	}
	if want := "q1\t1\tP1\t0.9877\nq1\t2\tP2\t0.5000\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestScore(t *testing.T) {
	res := []Result{
		{"q1", 1, "A", 0.95}, {"q1", 2, "B", 0.90},
		{"q2", 1, "C", 0.95}, {"q2", 2, "D", 0.7},
		{"q3", 1, "E", 0.5},
	}
	q := Score(res, Truth{"q1": {"A"}, "q2": {"D"}, "q3": {"Z"}, "q4": {"Y"}}, 0.9)
	want := Quality{Queries: 4, Recall1: 0.25, Recall10: 0.5, Threshold: 0.9, Precision: 1.0 / 3, Above: 3, Covered: 0.5, RecallT: 0.25}
	if q != want {
		t.Errorf("got %+v\nwant %+v", q, want)
	}
}

func TestBaseline(t *testing.T) {
	b := Baseline{Gallery: []Entry{{"1", "Muhammad"}, {"2", "Mohammed"}, {"3", "Fatima"}, {"4", "muhammad"}}}
	hits := b.Search("Muhammad", 2)
	if len(hits) != 2 || hits[0].ID != "1" || hits[0].Score != 1 || hits[1].Score > hits[0].Score {
		t.Errorf("hits = %v", hits)
	}
	if len(b.Search("x", 10)) != 4 {
		t.Error("k larger than the gallery")
	}
}

func FuzzReadGallery(f *testing.F) {
	for _, s := range []string{"P1\tAli\n", "#\n\n", "a\tb\tc", "\t\t", "P1\tx\nP1\ty", "a\tb\r\n", "\xff\tb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ReadGallery(strings.NewReader(in))
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || le.Line < 1 || le.Field == "" || le.Reason == "" {
				t.Fatalf("err = %#v", err)
			}
			return
		}
		// What was read writes back as lines it reads again the same.
		var b strings.Builder
		for _, e := range got {
			if e.ID == "" || strings.ContainsAny(e.ID, "\t\n") || strings.TrimSpace(e.Name) == "" || strings.ContainsAny(e.Name, "\t\n") {
				t.Fatalf("entry %q", e)
			}
			b.WriteString(e.ID + "\t" + e.Name + "\n")
		}
		again, err := ReadGallery(strings.NewReader(b.String()))
		if err != nil || !slices.Equal(again, got) {
			t.Fatalf("round trip: %v, %q != %q", err, again, got)
		}
	})
}
