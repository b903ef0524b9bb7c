package nameseval

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opencustody/custody/names/variants"
)

// Dataset is a gallery, queries and the truth of which gallery ids each
// query should find.
type Dataset struct {
	Name    string
	Gallery []Entry
	Queries []Entry
	Truth   Truth
}

// Options size the data sets.
type Options struct {
	Gallery int    // entries in each gallery (the Google set has at most its distinct names)
	Queries int    // queries of each data set
	Seed    uint64 // all choices are deterministic for a seed
}

// The files of the development data, in the directory given to Datasets.
const (
	GoogleFile   = "google-ar2en-train.tsv"
	WikidataFile = "wikidata-arabic-64.tsv"
)

// pair is one name in both scripts.
type pair struct{ latin, arabic string }

// arabicOrigin are letters that names from other languages written in
// Arabic script seldom use: a token with one is most likely an Arabic name.
const arabicOrigin = "عحقصضطظ"

// Datasets builds the data sets of the quality benchmark from the
// development data in dir:
//
//   - latin-latin: a register of full Latin names (2 to 4 tokens of the
//     Wikidata and Google Latin spellings, 70% of Arabic origin) and, as
//     queries, variants of some of them by variants.FromLatin;
//   - google-ar-lat and google-lat-ar: the Google pairs (single names),
//     gallery in one script, queries in the other;
//   - wikidata-ar-lat and wikidata-lat-ar: full names of 2 or 3 Wikidata
//     tokens with their Arabic counterparts, gallery in one script,
//     queries in the other;
//   - variants-ar-lat: a gallery of Arabic-script full names (tokens of
//     Arabic origin) and, as queries, Latin spellings of some of them by
//     variants.FromArabic.
//
// Every gallery holds all its names, so each query has the others as
// distractors.
func Datasets(dir string, o Options) ([]Dataset, error) {
	google, err := readGoogle(filepath.Join(dir, GoogleFile))
	if err != nil {
		return nil, err
	}
	wiki, err := readWikidata(filepath.Join(dir, WikidataFile), 2)
	if err != nil {
		return nil, err
	}
	var arab, other []pair
	for _, p := range wiki {
		if strings.ContainsAny(p.arabic, arabicOrigin) {
			arab = append(arab, p)
		} else {
			other = append(other, p)
		}
	}
	rng := func(i uint64) *rand.Rand { return rand.New(rand.NewPCG(o.Seed, i)) }

	var sets []Dataset

	// Latin against Latin.
	{
		r := rng(1)
		var latinArab, latinAll []string
		for _, p := range arab {
			latinArab = append(latinArab, p.latin)
		}
		for _, p := range append(other, google...) {
			latinAll = append(latinAll, p.latin)
		}
		latinAll = append(latinAll, latinArab...)
		seen := map[string]bool{}
		var gallery []Entry
		for tries := 0; len(gallery) < o.Gallery && tries < 10*o.Gallery; tries++ {
			n := 2 + r.IntN(3)
			toks := make([]string, n)
			for i := range toks {
				pool := latinAll
				if r.Float64() < 0.7 {
					pool = latinArab
				}
				toks[i] = title(pool[r.IntN(len(pool))])
			}
			name := strings.Join(toks, " ")
			if seen[name] {
				continue
			}
			seen[name] = true
			gallery = append(gallery, Entry{ID: fmt.Sprintf("L%06d", len(gallery)+1), Name: name})
		}
		d := Dataset{Name: "latin-latin", Gallery: gallery, Truth: Truth{}}
		for _, i := range r.Perm(len(gallery)) {
			if len(d.Queries) == o.Queries {
				break
			}
			v := variants.FromLatin(r, gallery[i].Name, 1)
			if len(v) == 0 {
				continue
			}
			qid := fmt.Sprintf("q%06d", len(d.Queries)+1)
			d.Queries = append(d.Queries, Entry{ID: qid, Name: v[0]})
			d.Truth[qid] = []string{gallery[i].ID}
		}
		sets = append(sets, d)
	}

	// Single names across scripts: the Google pairs.
	{
		r := rng(2)
		ps := google
		if len(ps) > o.Gallery {
			ps = sample(r, ps, o.Gallery)
		}
		sets = append(sets,
			across("google-ar-lat", ps, func(p pair) (string, string) { return p.latin, p.arabic }, o.Queries, r),
			across("google-lat-ar", ps, func(p pair) (string, string) { return p.arabic, p.latin }, o.Queries, r))
	}

	// Full names across scripts: Wikidata tokens joined.
	{
		r := rng(3)
		full := fullNames(r, wiki, o.Gallery, 2, 3)
		sets = append(sets,
			across("wikidata-ar-lat", full, func(p pair) (string, string) { return p.latin, p.arabic }, o.Queries, r),
			across("wikidata-lat-ar", full, func(p pair) (string, string) { return p.arabic, p.latin }, o.Queries, r))
	}

	// Arabic-script register, generated Latin spellings.
	{
		r := rng(4)
		full := fullNames(r, arab, o.Gallery, 2, 4)
		d := Dataset{Name: "variants-ar-lat", Truth: Truth{}}
		ids := map[string]string{}
		for _, p := range full {
			if _, ok := ids[p.arabic]; ok {
				continue
			}
			id := fmt.Sprintf("A%06d", len(d.Gallery)+1)
			ids[p.arabic] = id
			d.Gallery = append(d.Gallery, Entry{ID: id, Name: p.arabic})
		}
		for _, i := range r.Perm(len(d.Gallery)) {
			if len(d.Queries) == o.Queries {
				break
			}
			v := variants.FromArabic(r, d.Gallery[i].Name, 1)
			if len(v) == 0 {
				continue
			}
			qid := fmt.Sprintf("q%06d", len(d.Queries)+1)
			d.Queries = append(d.Queries, Entry{ID: qid, Name: v[0]})
			d.Truth[qid] = []string{d.Gallery[i].ID}
		}
		sets = append(sets, d)
	}
	return sets, nil
}

// across makes a data set of pairs: the gallery holds each distinct
// gallery-side name once, the queries are distinct query-side names, and
// a query's truth is every gallery name paired with it in the data.
func across(name string, ps []pair, sides func(pair) (gallery, query string), queries int, r *rand.Rand) Dataset {
	d := Dataset{Name: name, Truth: Truth{}}
	ids := map[string]string{}
	right := map[string][]string{} // query-side name -> gallery ids
	var qnames []string
	for _, p := range ps {
		g, q := sides(p)
		id, ok := ids[g]
		if !ok {
			id = fmt.Sprintf("G%06d", len(d.Gallery)+1)
			ids[g] = id
			d.Gallery = append(d.Gallery, Entry{ID: id, Name: g})
		}
		if _, ok := right[q]; !ok {
			qnames = append(qnames, q)
		}
		if !contains(right[q], id) {
			right[q] = append(right[q], id)
		}
	}
	for _, i := range r.Perm(len(qnames)) {
		if len(d.Queries) == queries {
			break
		}
		qid := fmt.Sprintf("q%06d", len(d.Queries)+1)
		d.Queries = append(d.Queries, Entry{ID: qid, Name: qnames[i]})
		d.Truth[qid] = right[qnames[i]]
	}
	return d
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// fullNames joins random pairs into n distinct full names of min to max
// tokens, in both scripts.
func fullNames(r *rand.Rand, ps []pair, n, min, max int) []pair {
	seen := map[string]bool{}
	var out []pair
	for tries := 0; len(out) < n && tries < 10*n; tries++ {
		k := min + r.IntN(max-min+1)
		lat, ar := make([]string, k), make([]string, k)
		for i := range k {
			p := ps[r.IntN(len(ps))]
			lat[i], ar[i] = title(p.latin), p.arabic
		}
		l := strings.Join(lat, " ")
		if seen[l] {
			continue
		}
		seen[l] = true
		out = append(out, pair{latin: l, arabic: strings.Join(ar, " ")})
	}
	return out
}

// sample returns n of ps, chosen at random, in their order.
func sample(r *rand.Rand, ps []pair, n int) []pair {
	keep := r.Perm(len(ps))[:n]
	mark := make([]bool, len(ps))
	for _, i := range keep {
		mark[i] = true
	}
	var out []pair
	for i, p := range ps {
		if mark[i] {
			out = append(out, p)
		}
	}
	return out
}

// title upper-cases the first letter of each part of a name.
func title(s string) string {
	var b strings.Builder
	up := true
	for _, c := range s {
		if up && unicode.IsLetter(c) {
			c = unicode.ToUpper(c)
		}
		up = c == ' ' || c == '-'
		b.WriteRune(c)
	}
	return b.String()
}

// readGoogle reads lines arabic<TAB>latin.
func readGoogle(path string) ([]pair, error) {
	var out []pair
	err := readTSV(path, func(f []string) error {
		if len(f) != 2 {
			return fmt.Errorf("%d fields, want 2", len(f))
		}
		out = append(out, pair{latin: f[1], arabic: f[0]})
		return nil
	})
	return out, err
}

// readWikidata reads lines latin<TAB>arabic letters separated by
// spaces<TAB>count, keeping the pairs seen at least min times.
func readWikidata(path string, min int) ([]pair, error) {
	var out []pair
	err := readTSV(path, func(f []string) error {
		if len(f) != 3 {
			return fmt.Errorf("%d fields, want 3", len(f))
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			return fmt.Errorf("count: %v", err)
		}
		if n >= min {
			out = append(out, pair{latin: f[0], arabic: strings.ReplaceAll(f[1], " ", "")})
		}
		return nil
	})
	return out, err
}

func readTSV(path string, line func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		t := sc.Text()
		if t == "" || !utf8.ValidString(t) {
			continue
		}
		if err := line(strings.Split(t, "\t")); err != nil {
			return fmt.Errorf("%s:%d: %v", path, n, err)
		}
	}
	return sc.Err()
}
