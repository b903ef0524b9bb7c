// Package nameseval measures name matching: it reads galleries, queries
// and truths from TSV files, runs the queries through the names index (or
// the baseline, a plain Jaro-Winkler scan), times them, writes the ranked
// results, and scores them against the truth: recall at 1 and 10 and the
// precision of the matches at or above the threshold. It also builds the
// development data sets of the quality benchmark.
package nameseval

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Entry is one line of a gallery (id, name) or of a query file (qid, name).
type Entry struct {
	ID   string
	Name string
}

// LineError is a bad line of a TSV file.
type LineError struct {
	File   string // set by the caller that knows it; "" prints no file
	Line   int    // from 1
	Field  string // id, qid, name, or "line" for the line as a whole
	Reason string
}

func (e *LineError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Reason)
}

// maxLine is the longest line read.
const maxLine = 64 << 10

// readPairs reads lines of exactly two tab-separated fields, named
// first and second, skipping blank lines and lines starting with '#'.
// With unique, a first field seen before is an error.
func readPairs(r io.Reader, first, second string, unique bool) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var out []Entry
	seen := map[string]int{}
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(field, format string, a ...any) error {
			return &LineError{Line: n, Field: field, Reason: fmt.Sprintf(format, a...)}
		}
		if !utf8.ValidString(line) {
			return nil, bad("line", "not valid UTF-8")
		}
		f := strings.Split(line, "\t")
		if len(f) != 2 {
			return nil, bad("line", "%d tab-separated fields, want 2 (%s<TAB>%s)", len(f), first, second)
		}
		id, name := f[0], f[1]
		switch {
		case strings.TrimSpace(id) == "":
			return nil, bad(first, "empty")
		case strings.TrimSpace(id) != id:
			return nil, bad(first, "%q has spaces around it", id)
		case strings.TrimSpace(name) == "":
			return nil, bad(second, "empty")
		}
		if unique {
			if l, ok := seen[id]; ok {
				return nil, bad(first, "%q already on line %d", id, l)
			}
			seen[id] = n
		}
		out = append(out, Entry{ID: id, Name: strings.TrimSpace(name)})
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, &LineError{Line: n + 1, Field: "line", Reason: fmt.Sprintf("longer than %d bytes", maxLine)}
		}
		return nil, err
	}
	return out, nil
}

// ReadGallery reads a gallery: lines id<TAB>name, ids unique. Blank lines
// and lines starting with '#' are skipped. A bad line is a *LineError.
func ReadGallery(r io.Reader) ([]Entry, error) { return readPairs(r, "id", "name", true) }

// ReadQueries reads queries: lines qid<TAB>name, qids unique.
func ReadQueries(r io.Reader) ([]Entry, error) { return readPairs(r, "qid", "name", true) }

// Truth says which gallery ids are right for each query id (more than one
// when the gallery holds the same person twice).
type Truth map[string][]string

// ReadTruth reads lines qid<TAB>id; a qid may have several lines.
func ReadTruth(r io.Reader) (Truth, error) {
	pairs, err := readPairs(r, "qid", "id", false)
	if err != nil {
		return nil, err
	}
	t := Truth{}
	for _, p := range pairs {
		t[p.ID] = append(t[p.ID], p.Name)
	}
	return t, nil
}

// Result is one ranked match of one query.
type Result struct {
	QID   string
	Rank  int // from 1
	ID    string
	Score float64
}

// WriteResults writes lines qid<TAB>rank<TAB>id<TAB>score, in the order
// given (each query's best first), the score with four decimals.
func WriteResults(w io.Writer, results []Result) error {
	bw := bufio.NewWriter(w)
	for _, r := range results {
		fmt.Fprintf(bw, "%s\t%d\t%s\t%.4f\n", r.QID, r.Rank, r.ID, r.Score)
	}
	return bw.Flush()
}
