package names

import (
	"fmt"
	"math"
	"strings"

	"github.com/xrash/smetrics"
)

// Threshold is the score at or above which a match is probable: a
// registration that probably exists already is warned about, and a
// family inquiry's candidates are proposed.
//
// Every token of a one- or two-token query matched by a spelling variant
// scores 0.9 and more; one token of two in conflict scores at most about
// 0.5, and agreeing evidence (birth year, father, nationality) lifts such a
// half-match to about 0.75 at most. 0.8 lies between.
const Threshold = 0.8

// Weights of the scoring.
const (
	minPair        = 0.55 // a pair of tokens scoring less is no match
	missingCredit  = 0.5  // share of a query token the record has no token for
	extraPenalty   = 0.03 // per record token the query does not mention
	extraCap       = 0.09
	orderPenalty   = 0.04 // per pair of matched tokens in crossed order
	orderCap       = 0.08
	kunyaDiscount  = 0.8  // Abu Hamza against Hamza
	nasabDiscount  = 0.9  // bin Salman against Salman
	altDiscount    = 0.95 // an Arabic word with ال read as a whole (البان, Alban)
	maxFormTokens  = 8    // tokens of a form beyond this are ignored
	agreeFather    = 0.3
	chainFather    = 0.2
	disagreeFather = 0.35 // the father's and mother's names separate people who share a name
	agreeMother    = 0.2
	disagreeMother = 0.3
	agreeBirth     = 0.25
	offBirth       = 0.1
	farBirth       = 0.3
	agreeNation    = 0.05
	disagreeNation = 0.1
)

// String gives the reason briefly: name "mohamed" ~ "muhammad" (phonetic).
func (r Reason) String() string {
	switch r.How {
	case "missing", "conflict":
		return fmt.Sprintf("%s %q not found (%s)", r.Field, r.Query, r.How)
	}
	return fmt.Sprintf("%s %q ~ %q (%s, %.2f)", r.Field, r.Query, r.Found, r.How, r.Score)
}

// jw is Jaro-Winkler as the package uses it.
func jw(a, b string) float64 { return smetrics.JaroWinkler(a, b, 0.7, 4) }

// pairSim scores two tokens: 1 for the same token or the same full key,
// high for the same skeleton (certain across scripts, where short vowels
// are not written), less for the same Double Metaphone code or a close
// Jaro-Winkler, and the base of Abu X or bin X against a plain X.
func pairSim(a, b *feat) (float64, string) {
	if a.norm == b.norm {
		return 1, "exact"
	}
	if a.full == b.full && a.full != "" {
		if a.arabic != b.arabic {
			return 1, "arabic-key"
		}
		return 1, "normalised"
	}
	s, how := 0.0, ""
	cross := a.arabic != b.arabic
	if a.kind == b.kind {
		s, how = simFeat(a, b, cross)
	}
	if a.base != nil && b.base == nil {
		if t, h := simFeat(a.base, b, a.base.arabic != b.arabic); t*discount(a) > s {
			s, how = t*discount(a), h+", "+kindName(a)
		}
	}
	if b.base != nil && a.base == nil {
		if t, h := simFeat(a, b.base, a.arabic != b.base.arabic); t*discount(b) > s {
			s, how = t*discount(b), h+", "+kindName(b)
		}
	}
	if s < 0.9 && (a.alt != nil || b.alt != nil) {
		aa, ba := or(a.alt, a), or(b.alt, b)
		if t, h := simFeat(aa, ba, aa.arabic != ba.arabic); t*altDiscount > s {
			s, how = t*altDiscount, h+", with the article"
		}
	}
	return s, how
}

func or(a, b *feat) *feat {
	if a != nil {
		return a
	}
	return b
}

func discount(f *feat) float64 {
	if f.kind == kunya {
		return kunyaDiscount
	}
	return nasabDiscount
}

func kindName(f *feat) string {
	if f.kind == kunya {
		return "kunya"
	}
	return "nasab"
}

// simFeat compares the keys of two tokens of the same kind.
func simFeat(a, b *feat, cross bool) (float64, string) {
	if a.full == b.full && a.full != "" {
		if cross {
			return 1, "arabic-key"
		}
		return 1, "normalised"
	}
	if a.skel == "" || b.skel == "" {
		return 0, ""
	}
	if a.skel == b.skel {
		if cross {
			return 0.85 + 0.15*jw(a.full, b.full), "arabic-key"
		}
		return 0.6 + 0.4*jw(a.full, b.full), "skeleton"
	}
	if !near(a.skel, b.skel) {
		return 0, ""
	}
	j := jw(a.full, b.full)
	if cross || a.arabic {
		j = math.Max(j, jw(a.skel, b.skel))
	}
	if a.loose == b.loose {
		if cross {
			return 0.8 + 0.15*j, "arabic-key, th=s"
		}
		return 0.55 + 0.4*j, "skeleton, th=s"
	}
	if a.meta1 == b.meta1 || (b.meta2 != "" && a.meta1 == b.meta2) || (a.meta2 != "" && (a.meta2 == b.meta1 || a.meta2 == b.meta2)) {
		return 0.55 + 0.35*j, "phonetic"
	}
	if j <= 0.7 {
		return 0, ""
	}
	return 0.9 * (j - 0.7) / 0.3, "jaro-winkler"
}

// near is a cheap test before Jaro-Winkler: skeletons of about the same
// length that share their first or second letter, or one's first is the
// other's second (Ibrahim, Brahim).
func near(a, b string) bool {
	d := len(a) - len(b)
	if d < -2 || d > 2 {
		return false
	}
	if a[0] == b[0] {
		return true
	}
	if len(a) < 2 || len(b) < 2 {
		return false
	}
	return a[1] == b[1] || a[1] == b[0] || a[0] == b[1]
}

// pair is one query token matched to one record token.
type pair struct {
	q, r  int
	score float64
	how   string
}

// formResult is how one query form compares with one record form.
type formResult struct {
	score    float64
	pairs    []pair
	unfound  []int // query tokens without a partner
	conflict bool  // the unfound tokens conflict (the record had tokens left)
}

// compareForms aligns the tokens of a query form with those of a record
// form (greedy, best pair first) and scores the alignment: the mean over
// query tokens of their pair scores, a query token the record has no token
// left for counting missingCredit, one in conflict with a record token 0;
// less a little for record tokens the query does not mention and for
// crossed order.
func compareForms(q, r []*feat, withPairs bool) formResult {
	n, m := min(len(q), maxFormTokens), min(len(r), maxFormTokens)
	if n == 0 || m == 0 {
		return formResult{}
	}
	var sim [maxFormTokens][maxFormTokens]float64
	var how [maxFormTokens][maxFormTokens]string
	for i := range n {
		for j := range m {
			sim[i][j], how[i][j] = pairSim(q[i], r[j])
		}
	}
	var usedQ, usedR [maxFormTokens]bool
	var ps [maxFormTokens]pair
	np := 0
	sum := 0.0
	for {
		bi, bj, bs := -1, -1, minPair
		for i := range n {
			if usedQ[i] {
				continue
			}
			for j := range m {
				if !usedR[j] && sim[i][j] >= bs && (sim[i][j] > bs || bi < 0) {
					bi, bj, bs = i, j, sim[i][j]
				}
			}
		}
		if bi < 0 {
			break
		}
		usedQ[bi], usedR[bj] = true, true
		ps[np] = pair{bi, bj, bs, how[bi][bj]}
		np++
		sum += bs
	}
	uq, ur := n-np, m-np
	conflicts := min(uq, ur)
	missing := uq - conflicts
	score := (sum + missingCredit*float64(missing)) / float64(n)
	score -= math.Min(extraPenalty*float64(ur-conflicts), extraCap)
	inv := 0
	for a := range np {
		for b := range np {
			if ps[a].q < ps[b].q && ps[a].r > ps[b].r {
				inv++
			}
		}
	}
	score -= math.Min(orderPenalty*float64(inv), orderCap)
	res := formResult{score: clamp01(score), conflict: conflicts > 0}
	if withPairs {
		res.pairs = append([]pair(nil), ps[:np]...)
		for i := range n {
			if !usedQ[i] {
				res.unfound = append(res.unfound, i)
			}
		}
	}
	return res
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// prepared is a record or query made into tokens.
type prepared struct {
	id       string
	raw      []string  // the name forms as given
	names    [][]*feat // tokens of each name form
	father   [][]*feat
	mother   [][]*feat
	birth    int
	nats     []string
	slack    int // query only
	national string
}

// prepareForms tokenises each of the strings.
func prepareForms(ss []string, tok func(string) []*feat) [][]*feat {
	out := make([][]*feat, 0, len(ss))
	for _, s := range ss {
		out = append(out, tok(s))
	}
	return out
}

func prepareQuery(q Query) *prepared {
	return &prepared{
		names: prepareForms(q.Names, tokens), father: prepareForms(q.Father, tokens),
		mother: prepareForms(q.Mother, tokens), birth: q.BirthYear, slack: max(q.BirthYearSlack, 0),
		national: strings.ToUpper(strings.TrimSpace(q.Nationality)),
	}
}

func prepareRecord(r Record, tok func(string) []*feat) *prepared {
	nats := make([]string, 0, len(r.Nationalities))
	for _, n := range r.Nationalities {
		nats = append(nats, strings.ToUpper(strings.TrimSpace(n)))
	}
	return &prepared{
		id: r.ID, raw: r.Names, names: prepareForms(r.Names, tok), father: prepareForms(r.Father, tok),
		mother: prepareForms(r.Mother, tok), birth: r.BirthYear, nats: nats,
	}
}

// Score compares q with one record. Search scores its candidates the same
// way.
func Score(q Query, r Record) Match {
	return score(prepareQuery(q), prepareRecord(r, tokens), true)
}
