package web

import (
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/names"
)

// InquiryRate limits each family-desk user's inquiries and candidate
// searches, so that nobody can enumerate the register through them.
type InquiryRate struct {
	Burst  int           // searches allowed at once
	Every  time.Duration // then one more every this long
	PerDay int           // and at most this many in a day
}

// DefaultInquiryRate allows 10 searches at once, then one every 2 minutes,
// and at most 100 a day, per desk user.
var DefaultInquiryRate = InquiryRate{Burst: 10, Every: 2 * time.Minute, PerDay: 100}

// What a search costs. The register is enumerated by asking many
// different questions, not by asking one question again: a search of an
// inquiry's candidates is charged to the desk user the first time it runs
// (a token of the user's limiter and one of the day's searches), and its
// result, the candidates proposed, is kept for candidatesFresh; looking at
// them again meanwhile is free. The candidates proposed are also what the
// desk may decide on.

// candidatesFresh is how long the candidates proposed for an inquiry are
// kept: within it the inquiry's page shows them again without a search.
const candidatesFresh = 15 * time.Minute

// inquiryDesk is a server's state of the family desk: each desk user's
// searches, and the candidates last proposed for each inquiry.
type inquiryDesk struct {
	cfg      InquiryRate
	mu       sync.Mutex
	users    map[string]*deskUser
	proposed map[custody.InquiryID]proposal
}

type deskUser struct {
	lim *rate.Limiter
	day string // the UTC day of n
	n   int    // searches that day
}

type proposal struct {
	at      time.Time
	matches []names.Match
}

func newInquiryDesk(cfg InquiryRate) *inquiryDesk {
	return &inquiryDesk{cfg: cfg, users: map[string]*deskUser{}, proposed: map[custody.InquiryID]proposal{}}
}

// desk returns the server's family-desk state.
func (s *Server) desk() *inquiryDesk { return s.desks }

// limitError is a search refused by the rate limit, with when to try
// again.
type limitError struct {
	err   *custody.Error
	retry time.Duration
}

func (e *limitError) Error() string { return e.err.Error() }
func (e *limitError) Unwrap() error { return e.err }

// charge takes one search from user's allowance at now, or says when the
// next one is allowed.
func (d *inquiryDesk) charge(user string, now time.Time) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	u := d.users[user]
	if u == nil {
		every := rate.Limit(0)
		if d.cfg.Every > 0 {
			every = rate.Every(d.cfg.Every)
		}
		u = &deskUser{lim: rate.NewLimiter(every, d.cfg.Burst)}
		d.users[user] = u
	}
	now = now.UTC()
	day := now.Format(time.DateOnly)
	if u.day != day {
		u.day, u.n = day, 0
	}
	tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	if d.cfg.PerDay > 0 && u.n >= d.cfg.PerDay {
		return tooManySearches(fmt.Sprintf("you have made the %d candidate searches allowed in a day", d.cfg.PerDay), tomorrow.Sub(now), tomorrow)
	}
	res := u.lim.ReserveN(now, 1)
	if !res.OK() {
		return tooManySearches("no candidate searches are allowed now", tomorrow.Sub(now), tomorrow)
	}
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		at := now.Add(wait).Truncate(time.Second).Add(time.Second)
		return tooManySearches("too many candidate searches in a short time", at.Sub(now), at)
	}
	u.n++
	return nil
}

func tooManySearches(why string, wait time.Duration, at time.Time) error {
	return &limitError{
		err:   &custody.Error{Code: custody.TooMany, Msg: fmt.Sprintf("%s: try again after %s", why, at.UTC().Format("2006-01-02 15:04:05 UTC"))},
		retry: wait,
	}
}

// retryAfter is the Retry-After of a limit error, in whole seconds.
func (e *limitError) retryAfter() string {
	return fmt.Sprint(max(int64((e.retry+time.Second-1)/time.Second), 1))
}

// proposedFor returns the candidates proposed for inquiry id, if still
// fresh at now.
func (d *inquiryDesk) proposedFor(id custody.InquiryID, now time.Time) ([]names.Match, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.proposed[id]
	if !ok || now.Sub(p.at) > candidatesFresh || now.Before(p.at) {
		return nil, false
	}
	return p.matches, true
}

// propose keeps the candidates proposed for inquiry id at now (and forgets
// those no longer fresh).
func (d *inquiryDesk) propose(id custody.InquiryID, ms []names.Match, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, p := range d.proposed {
		if now.Sub(p.at) > candidatesFresh {
			delete(d.proposed, k)
		}
	}
	d.proposed[id] = proposal{at: now, matches: ms}
}
