package names

import (
	"slices"
	"strconv"
	"strings"
)

// up moves s toward 1 by the share a; down moves it toward 0 by the share b.
func up(s, a float64) float64   { return s + (1-s)*a }
func down(s, b float64) float64 { return s * (1 - b) }

// display writes tokens for a reason.
func display(f []*feat) string {
	ws := make([]string, len(f))
	for i, t := range f {
		ws[i] = t.norm
	}
	return strings.Join(ws, " ")
}

// bestForms is the best comparison of any query form with any record form.
func bestForms(qs, rs [][]*feat) (formResult, int, int) {
	var best formResult
	bi, bj := -1, -1
	for i, q := range qs {
		for j, r := range rs {
			if res := compareForms(q, r, false); bi < 0 || res.score > best.score {
				best, bi, bj = res, i, j
			}
		}
	}
	return best, bi, bj
}

// score compares a prepared query with a prepared record: the best name
// form pair, then the evidence of the father's and mother's names, the
// birth year and nationality, each moving the score up or down. With
// reasons it says why.
func score(q, r *prepared, reasons bool) Match {
	m := Match{ID: r.id}
	best, bi, bj := bestForms(q.names, r.names)
	if bi < 0 {
		return m
	}
	if reasons {
		best = compareForms(q.names[bi], r.names[bj], true)
	}
	m.Name = r.raw[bj]
	s := best.score
	qf, rf := q.names[bi], r.names[bj]
	if reasons {
		for _, p := range best.pairs {
			m.Reasons = append(m.Reasons, Reason{Field: "name", Query: qf[p.q].norm, Found: rf[p.r].norm, How: p.how, Score: p.score})
		}
		for _, i := range best.unfound {
			how := "missing"
			if best.conflict {
				how = "conflict"
			}
			m.Reasons = append(m.Reasons, Reason{Field: "name", Query: qf[i].norm, How: how})
		}
	}
	var rs []Reason
	s, rs = fatherInName(s, qf, rf, r, best, reasons)
	m.Reasons = append(m.Reasons, rs...)
	s, rs = parentEvidence("father", s, q.father, r.father, r.names, agreeFather, disagreeFather, reasons)
	m.Reasons = append(m.Reasons, rs...)
	s, rs = parentEvidence("mother", s, q.mother, r.mother, nil, agreeMother, disagreeMother, reasons)
	m.Reasons = append(m.Reasons, rs...)
	s, rs = birthEvidence(s, q, r, reasons)
	m.Reasons = append(m.Reasons, rs...)
	s, rs = nationEvidence(s, q, r, reasons)
	m.Reasons = append(m.Reasons, rs...)
	if best.conflict && slices.Contains(best.unfound, 0) && s > givenConflictCap {
		// The given name meets another name: brothers share the father's
		// and the grandfather's names, the family name, the mother and
		// often the place and years of birth. No evidence makes them one
		// person.
		s = givenConflictCap
		if reasons {
			m.Reasons = append(m.Reasons, Reason{Field: "name", Query: qf[0].norm, How: "given name differs", Score: givenConflictCap})
		}
	}
	m.Score = clamp01(s)
	return m
}

// givenConflictCap is the highest score of a record whose given name
// differs from the query's: below Threshold.
const givenConflictCap = 0.7

// fatherInName credits a query token the record's name form lacks that is
// the record's father's name (the query wrote the name chain, the record
// keeps the father apart).
func fatherInName(s float64, qf, rf []*feat, r *prepared, best formResult, reasons bool) (float64, []Reason) {
	if len(r.father) == 0 || len(qf) < 2 {
		return s, nil
	}
	unfound := best.unfound
	if !reasons {
		unfound = compareForms(qf, rf, true).unfound
	}
	for _, i := range unfound {
		if i == 0 {
			continue
		}
		for _, f := range r.father {
			if len(f) == 0 {
				continue
			}
			if sim, how := pairSim(qf[i], f[0]); sim >= 0.85 {
				credit := missingCredit
				if best.conflict {
					credit = 0
				}
				s = clamp01(s + (sim-credit)/float64(min(len(qf), maxFormTokens)))
				if reasons {
					return s, []Reason{{Field: "father", Query: qf[i].norm, Found: f[0].norm, How: how + ", in the query's name chain", Score: sim}}
				}
				return s, nil
			}
		}
	}
	return s, nil
}

// parentEvidence compares a parent's name: the same name raises the score,
// a different one lowers it. A father the record does not name apart may
// be in the record's name chain (the second token of a form).
func parentEvidence(field string, s float64, qs, rs, chain [][]*feat, agree, disagree float64, reasons bool) (float64, []Reason) {
	if len(qs) == 0 {
		return s, nil
	}
	var rsn []Reason
	add := func(r Reason) {
		if reasons {
			rsn = append(rsn, r)
		}
	}
	if len(rs) > 0 {
		res, i, j := bestForms(qs, rs)
		if i >= 0 {
			switch {
			case res.score >= 0.85:
				s = up(s, agree)
				add(Reason{Field: field, Query: display(qs[i]), Found: display(rs[j]), How: "agree", Score: res.score})
				return s, rsn
			case res.score < 0.5 && !inChain(qs, chain):
				s = down(s, disagree)
				add(Reason{Field: field, Query: display(qs[i]), Found: display(rs[j]), How: "conflict", Score: res.score})
				return s, rsn
			case res.score < 0.5:
			default:
				add(Reason{Field: field, Query: display(qs[i]), Found: display(rs[j]), How: "partial", Score: res.score})
				return s, rsn
			}
		}
	}
	for _, q := range qs {
		if len(q) == 0 {
			continue
		}
		for _, c := range chain {
			for j := 1; j < len(c); j++ {
				if sim, how := pairSim(q[0], c[j]); sim >= 0.85 {
					s = up(s, chainFather)
					add(Reason{Field: field, Query: q[0].norm, Found: c[j].norm, How: how + ", in the name chain", Score: sim})
					return s, rsn
				}
			}
		}
	}
	return s, rsn
}

// inChain reports whether the first token of a query parent's name is in
// the record's name chain after the first token.
func inChain(qs, chain [][]*feat) bool {
	for _, q := range qs {
		if len(q) == 0 {
			continue
		}
		for _, c := range chain {
			for j := 1; j < len(c); j++ {
				if sim, _ := pairSim(q[0], c[j]); sim >= 0.85 {
					return true
				}
			}
		}
	}
	return false
}

// birthEvidence compares birth years: within the query's slack raises the
// score, a few years beyond lowers it a little, far off lowers it more.
func birthEvidence(s float64, q, r *prepared, reasons bool) (float64, []Reason) {
	if q.birth == 0 || r.birth == 0 {
		return s, nil
	}
	d := q.birth - r.birth
	if d < 0 {
		d = -d
	}
	how, sc := "", 0.0
	switch {
	case d <= q.slack:
		s, how, sc = up(s, agreeBirth), "agree", agreeBirth
	case d <= q.slack+2:
		how = "near"
	case d <= q.slack+5:
		s, how, sc = down(s, offBirth), "off", -offBirth
	default:
		s, how, sc = down(s, farBirth), "far off", -farBirth
	}
	if !reasons {
		return s, nil
	}
	return s, []Reason{{Field: "birth", Query: strconv.Itoa(q.birth), Found: strconv.Itoa(r.birth), How: how, Score: sc}}
}

// nationEvidence compares nationality: one of the record's raises the
// score a little, none of them lowers it.
func nationEvidence(s float64, q, r *prepared, reasons bool) (float64, []Reason) {
	if q.national == "" || len(r.nats) == 0 {
		return s, nil
	}
	how, sc := "agree", agreeNation
	if slices.Contains(r.nats, q.national) {
		s = up(s, agreeNation)
	} else {
		s, how, sc = down(s, disagreeNation), "conflict", -disagreeNation
	}
	if !reasons {
		return s, nil
	}
	return s, []Reason{{Field: "nationality", Query: q.national, Found: strings.Join(r.nats, ","), How: how, Score: sc}}
}
