package names

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// devData is the development data of name variants, outside the project.
const devData = "../../shared/data/names/"

// readTSV reads the rows of a tab-separated file of the development data,
// skipping the test if it is absent.
func readTSV(t testing.TB, name string) [][]string {
	t.Helper()
	f, err := os.Open(devData + name)
	if err != nil {
		t.Skipf("development data absent: %v", err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rows = append(rows, strings.Split(sc.Text(), "\t"))
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return rows
}

// TestDevArabicLatinRecall indexes the Arabic-script names of the
// google-ar2en set and searches each by its Latin spelling: a check of the
// rule-based Arabic key, not a target (the set mixes non-Arabic names).
func TestDevArabicLatinRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("development check")
	}
	rows := readTSV(t, "google-ar2en-train.tsv")
	x := NewIndex()
	var pairs [][2]string
	for i, r := range rows {
		if len(r) < 2 {
			continue
		}
		id := strconv.Itoa(i)
		x.Put(Record{ID: id, Names: []string{r[0]}})
		pairs = append(pairs, [2]string{id, r[1]})
	}
	at1, at10, above := 0, 0, 0
	n := 0
	for i, p := range pairs {
		if i%3 != 0 { // a third is enough for a check
			continue
		}
		n++
		ms := x.Search(Query{Names: []string{p[1]}}, 10)
		for j, m := range ms {
			if m.ID == p[0] {
				at10++
				if j == 0 {
					at1++
				}
				if m.Score >= Threshold {
					above++
				}
				break
			}
		}
	}
	t.Logf("ar2en: %d queries, recall@1 %.3f, recall@10 %.3f, found above threshold %.3f",
		n, float64(at1)/float64(n), float64(at10)/float64(n), float64(above)/float64(n))
}

// TestDevWikidataPairs scores each Latin token against its Arabic letters
// in the Wikidata pairs seen more than once: the share that scores at or
// above Threshold.
func TestDevWikidataPairs(t *testing.T) {
	if testing.Short() {
		t.Skip("development check")
	}
	rows := readTSV(t, "wikidata-arabic-64.tsv")
	n, above := 0, 0
	var sum float64
	for _, r := range rows {
		if len(r) < 3 || r[2] == "1" {
			continue
		}
		ar := strings.ReplaceAll(r[1], " ", "")
		m := Score(Query{Names: []string{r[0]}}, Record{Names: []string{ar}})
		n++
		sum += m.Score
		if m.Score >= Threshold {
			above++
		}
	}
	t.Logf("wikidata: %d pairs, mean score %.3f, at or above threshold %.3f", n, sum/float64(n), float64(above)/float64(n))
}
