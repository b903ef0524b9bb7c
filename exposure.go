package custody

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Death-penalty exposure. When a national of a state that opposes the death
// penalty faces a charge whose maximum penalty is death, or is sentenced to
// death, an alert is raised for that state's consular officers and for
// monitors. It stays open while the exposure lasts and is closed by the
// event that ends it (charges amended, acquittal, a lesser sentence,
// commutation, repatriation, release or death).

// Exposure reasons.
const (
	ExposureCharge   = "charge"   // a charge in force carries death
	ExposureSentence = "sentence" // a death sentence stands
)

// Exposure is a death-penalty alert.
type Exposure struct {
	Seq       int64     `json:"seq"` // log index of the event that raised it
	Person    PersonID  `json:"person"`
	Case      CaseID    `json:"case"`
	Reason    string    `json:"reason"`    // charge or sentence
	Countries []string  `json:"countries"` // the person's nationalities whose states oppose the death penalty
	Positions int       `json:"positions"` // the version of the positions table that raised it
	Detail    string    `json:"detail"`
	At        time.Time `json:"at"`
	ClosedBy  int64     `json:"closed_by,omitempty"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	Ended     string    `json:"ended,omitempty"` // what ended the exposure
}

// Open reports whether the exposure lasts.
func (x *Exposure) Open() bool { return x.ClosedBy == 0 }

// exposed says whether case c exposes its person to death for reason r.
func exposed(c *CaseState, r string) bool {
	if c.Stage == CaseStageClosed {
		return false
	}
	switch r {
	case ExposureSentence:
		return c.Sentence != nil && c.Sentence.Kind == PenaltyDeath
	case ExposureCharge:
		// Until a sentence is passed, the charges' maximum is what the
		// person faces.
		return c.Sentence == nil && c.Stage.Open() && c.MaxPenalty != nil && c.MaxPenalty.Kind == PenaltyDeath
	}
	return false
}

// opposing returns the nationalities of the person whose states oppose the
// death penalty, by the latest positions table.
func (s *State) opposing(p PersonID) []string {
	t := s.Positions()
	ps := s.Persons[p]
	if t == nil || ps == nil {
		return nil
	}
	var out []string
	for _, n := range ps.Person.Nationalities {
		if pos, ok := t.Of(n); ok && pos.Position.OpposesExecution() {
			out = append(out, n)
		}
	}
	return out
}

// reviewExposure opens and closes the death-penalty alerts of case c after
// event e (log index seq) changed it.
func (s *State) reviewExposure(seq int64, e *Event, c *CaseState, u *journal) {
	for _, r := range []string{ExposureCharge, ExposureSentence} {
		open := s.openExposure(c.Case.ID, r)
		switch now := exposed(c, r); {
		case now && open == nil:
			countries := s.opposing(c.Case.Person)
			if len(countries) == 0 {
				continue
			}
			detail := fmt.Sprintf("charged under a law whose maximum penalty is death (case %s)", c.Case.ID)
			if r == ExposureSentence {
				detail = fmt.Sprintf("sentenced to death (case %s)", c.Case.ID)
			}
			x := &Exposure{Seq: seq, Person: c.Case.Person, Case: c.Case.ID, Reason: r, Countries: countries,
				Positions: s.Positions().Version, Detail: detail, At: e.OccurredAt}
			k, id, had := x.Key(), c.Case.ID, s.alertsOf[c.Case.ID]
			s.Exposures[k] = x
			s.alertsOf[id] = append(had[:len(had):len(had)], k)
			u.add(func() {
				delete(s.Exposures, k)
				if had == nil {
					delete(s.alertsOf, id)
				} else {
					s.alertsOf[id] = had
				}
			})
			u.exposure(k)
		case !now && open != nil:
			s.closeExposure(seq, e, open, fmt.Sprintf("%s (case %s, %s)", e.Type, c.Case.ID, c.Stage), u)
		}
	}
}

func reasonBit(r string) int64 {
	if r == ExposureSentence {
		return 1
	}
	return 0
}

// Key is the exposure's key in State.Exposures: a charge and a sentence
// alert may be raised by one event.
func (x *Exposure) Key() int64 { return x.Seq*2 + reasonBit(x.Reason) }

func (s *State) openExposure(c CaseID, r string) *Exposure {
	for _, x := range s.exposuresOf(c) {
		if x.Open() && x.Reason == r {
			return x
		}
	}
	return nil
}

// exposuresOf returns the alerts of case c, oldest first.
func (s *State) exposuresOf(c CaseID) []*Exposure {
	keys := s.alertsOf[c]
	out := make([]*Exposure, len(keys))
	for i, k := range keys {
		out[i] = s.Exposures[k]
	}
	return out
}

func (s *State) closeExposure(seq int64, e *Event, x *Exposure, why string, u *journal) {
	old := *x
	x.ClosedBy, x.ClosedAt, x.Ended = seq, e.OccurredAt, why
	u.add(func() { *x = old })
	u.exposure(x.Key())
}

// endExposures closes every open alert of person p: they left the
// jurisdiction (repatriated, released) or died.
func (s *State) endExposures(seq int64, e *Event, p PersonID, u *journal) {
	for _, id := range s.casesOf[p] {
		for _, x := range s.exposuresOf(id) {
			if x.Open() {
				s.closeExposure(seq, e, x, string(e.Type), u)
			}
		}
	}
}

// OpenExposures returns the open death-penalty alerts, oldest first.
func (s *State) OpenExposures() []*Exposure {
	var out []*Exposure
	for _, x := range s.Exposures {
		if x.Open() {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b *Exposure) int { return cmp.Compare(a.Key(), b.Key()) })
	return out
}
