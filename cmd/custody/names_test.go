package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeFiles writes name -> content into a new temporary directory and
// returns its path.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const namesGallery = `# id	name
P1	Muhammad Abd al-Rahman al-Dulaimi
P2	Fatima Hasan al-Jubouri
P3	Khalid bin al-Walid
P4	Yusuf Qasim al-Tamimi
P5	Omar Ali al-Shammari
P6	Ahmad Mahmud al-Ani
P7	Husayn Kazim al-Zubaydi
P8	John Smith
`

func TestNamesEval(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"g.tsv": namesGallery,
		"q.tsv": "q1\tMohammed Abdulrahman Al-Dulaimi\nq2\tFatma Hassan Jubouri\nq3\tخالد بن الوليد\nq4\tHussein Kadhim Al-Zubaidi\n\n",
		"t.tsv": "q1\tP1\nq2\tP2\nq3\tP3\nq4\tP7\n",
	})
	out := filepath.Join(dir, "r.tsv")
	r := runOK(t, nil, "names", "eval", "--gallery", filepath.Join(dir, "g.tsv"), "--queries", filepath.Join(dir, "q.tsv"),
		"--truth", filepath.Join(dir, "t.tsv"), "--top", "3", "--out", out)

	figures := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		k, v, ok := strings.Cut(l, " ")
		if !ok {
			t.Fatalf("stdout line %q is not \"name value\"", l)
		}
		figures[k] = v
	}
	for _, k := range []string{"indexed", "build_ms", "index_mib", "query_p50_us", "query_p99_us", "recall_at_1", "recall_at_10", "precision_at_threshold"} {
		if _, ok := figures[k]; !ok {
			t.Errorf("stdout has no %s:\n%s", k, r.stdout)
		}
	}
	if figures["indexed"] != "8" || figures["queries"] != "4" {
		t.Errorf("indexed %s, queries %s; want 8, 4", figures["indexed"], figures["queries"])
	}
	if figures["recall_at_1"] != "1.0000" {
		t.Errorf("recall_at_1 %s, want 1.0000", figures["recall_at_1"])
	}

	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	best := map[string]string{}
	last := map[string]float64{}
	perQuery := map[string]int{}
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			t.Fatalf("result line %q: %d fields, want 4", l, len(f))
		}
		rank, err := strconv.Atoi(f[1])
		if err != nil {
			t.Fatalf("result line %q: rank: %v", l, err)
		}
		score, err := strconv.ParseFloat(f[3], 64)
		if err != nil || len(f[3]) != len("0.0000") {
			t.Fatalf("result line %q: score %q not 4 decimals", l, f[3])
		}
		perQuery[f[0]]++
		if rank != perQuery[f[0]] {
			t.Errorf("result line %q: rank %d, want %d", l, rank, perQuery[f[0]])
		}
		if rank == 1 {
			best[f[0]] = f[2]
		} else if score > last[f[0]] {
			t.Errorf("result line %q: score above the rank before", l)
		}
		last[f[0]] = score
	}
	for q, n := range perQuery {
		if n > 3 {
			t.Errorf("%s: %d results, --top 3", q, n)
		}
	}
	want := map[string]string{"q1": "P1", "q2": "P2", "q3": "P3", "q4": "P7"}
	for q, id := range want {
		if best[q] != id {
			t.Errorf("%s: rank 1 is %q, want %s", q, best[q], id)
		}
	}
}

func TestNamesEvalErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"g.tsv":     namesGallery,
		"bad.tsv":   "P1\tAli\nP2 Omar\n",
		"dup.tsv":   "q1\tAli\nq1\tOmar\n",
		"q.tsv":     "q1\tAli\n",
		"truth.tsv": "q1\t\n",
	})
	p := func(name string) string { return filepath.Join(dir, name) }
	out := p("r.tsv")
	tests := []struct {
		name string
		args []string
		code int
		want []string // in stderr
	}{
		{"bad gallery line", []string{"--gallery", p("bad.tsv"), "--queries", p("q.tsv"), "--out", out}, 1, []string{"bad.tsv:2: line: 1 tab-separated fields, want 2"}},
		{"duplicate qid", []string{"--gallery", p("g.tsv"), "--queries", p("dup.tsv"), "--out", out}, 1, []string{"dup.tsv:2: qid:", "already on line 1"}},
		{"empty truth id", []string{"--gallery", p("g.tsv"), "--queries", p("q.tsv"), "--truth", p("truth.tsv"), "--out", out}, 1, []string{"truth.tsv:1: id: empty"}},
		{"missing gallery", []string{"--gallery", p("none.tsv"), "--queries", p("q.tsv"), "--out", out}, 1, []string{"none.tsv", "no such file"}},
		{"no --out", []string{"--gallery", p("g.tsv"), "--queries", p("q.tsv")}, 2, []string{"required"}},
		{"bad --top", []string{"--gallery", p("g.tsv"), "--queries", p("q.tsv"), "--out", out, "--top", "0"}, 2, []string{"--top 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(context.Background(), nil, append([]string{"names", "eval"}, tt.args...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}
	if r := run(context.Background(), nil, "names"); r.code != 2 || !strings.Contains(r.stderr, "names eval") {
		t.Errorf("custody names: exit %d, stderr %q", r.code, r.stderr)
	}
}
