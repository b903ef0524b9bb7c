package web

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/password"
)

// Authentication: browsers sign in with a name and password and get a
// session cookie (HttpOnly, SameSite=Lax, Secure and __Host- prefixed over
// TLS); machines send an API token as "Authorization: Bearer cst_…".

func (s *Server) cookieName() string {
	if s.cfg.TLS {
		return "__Host-custody_session"
	}
	return "custody_session"
}

// authenticate finds the principal of a request: nil with no error when
// nobody is signed in.
func (s *Server) authenticate(r *http.Request) (*principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, custody.Errorf(custody.Unauthenticated, "the Authorization header must be \"Bearer <token>\"")
		}
		u, err := s.tokenUser(r, strings.TrimSpace(tok))
		if err != nil {
			return nil, err
		}
		return &principal{user: u}, nil
	}
	c, err := r.Cookie(s.cookieName())
	if err != nil || c.Value == "" {
		return nil, nil
	}
	sess, err := s.store.SessionOf(r.Context(), c.Value)
	if err != nil {
		if custody.ErrorCode(err) == custody.Unauthenticated {
			return nil, nil // an ended session is nobody
		}
		return nil, err
	}
	return &principal{user: sess.User, session: sess, token: c.Value}, nil
}

// LoginRate limits sign-in attempts, per user name and per client address:
// a burst, then one attempt per interval.
type LoginRate struct {
	PerUserBurst int
	PerUserEvery time.Duration
	PerAddrBurst int
	PerAddrEvery time.Duration
}

// DefaultLoginRate allows 5 quick attempts per name, then one every 30
// seconds, and 20 per address, then one every 5 seconds.
var DefaultLoginRate = LoginRate{PerUserBurst: 5, PerUserEvery: 30 * time.Second, PerAddrBurst: 20, PerAddrEvery: 5 * time.Second}

type loginLimiter struct {
	cfg  LoginRate
	mu   sync.Mutex
	keys map[string]*limiterEntry
}

type limiterEntry struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLoginLimiter(cfg LoginRate) *loginLimiter {
	return &loginLimiter{cfg: cfg, keys: map[string]*limiterEntry{}}
}

// allow takes one attempt for both the name and the address.
func (l *loginLimiter) allow(name, addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.keys) > 10000 {
		for k, e := range l.keys {
			if now.Sub(e.seen) > time.Hour {
				delete(l.keys, k)
			}
		}
	}
	get := func(key string, every time.Duration, burst int) *rate.Limiter {
		e := l.keys[key]
		if e == nil {
			e = &limiterEntry{lim: rate.NewLimiter(rate.Every(every), burst)}
			l.keys[key] = e
		}
		e.seen = now
		return e.lim
	}
	u := get("user:"+name, l.cfg.PerUserEvery, l.cfg.PerUserBurst)
	a := get("addr:"+addr, l.cfg.PerAddrEvery, l.cfg.PerAddrBurst)
	// Both are charged, so that trying many names from one address, or
	// one name from many addresses, is slowed either way.
	okU, okA := u.AllowN(now, 1), a.AllowN(now, 1)
	return okU && okA
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// safeNext returns next if it is a path on this site, else "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

var errBadLogin = custody.Errorf(custody.Unauthenticated, "wrong name or password")

// login checks a name and password and starts a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return custody.Errorf(custody.Invalid, "the sign-in form could not be read")
	}
	name := strings.TrimSpace(strings.ToLower(r.PostFormValue("name")))
	pw := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	if !s.limiter.allow(name, clientAddr(r), s.cfg.Now()) {
		s.log.WarnContext(r.Context(), "sign-in rate limited", "user", name, "addr", clientAddr(r))
		return s.loginFailed(w, r, custody.Errorf(custody.TooMany, "too many sign-in attempts: wait a minute and try again"), name, next)
	}
	u, hash, err := s.store.User(r.Context(), name)
	switch {
	case custody.ErrorCode(err) == custody.NotFound:
		password.Check(pw, s.dummyHash) // same time as a wrong password
		return s.loginFailed(w, r, errBadLogin, name, next)
	case err != nil:
		return err
	}
	if hash == "" {
		password.Check(pw, s.dummyHash)
		return s.loginFailed(w, r, errBadLogin, name, next)
	}
	if err := password.Check(pw, hash); err != nil {
		if !errors.Is(err, password.ErrMismatch) {
			s.log.ErrorContext(r.Context(), "password hash unreadable", "user", name, "err", err)
		}
		return s.loginFailed(w, r, errBadLogin, name, next)
	}
	if u.Disabled {
		return s.loginFailed(w, r, custody.Errorf(custody.Unauthenticated, "this user is disabled"), name, next)
	}
	tok, sess, err := s.store.NewSession(r.Context(), u.Name, s.cfg.SessionTTL)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookieName(),
		Value:    tok,
		Path:     "/",
		Expires:  sess.Expires,
		HttpOnly: true,
		Secure:   s.cfg.TLS,
		SameSite: http.SameSiteLaxMode,
	})
	s.log.InfoContext(r.Context(), "signed in", "user", u.Name, "role", u.Role, "addr", clientAddr(r))
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	p := who(r)
	if p.session != nil {
		if err := s.store.EndSession(r.Context(), p.token); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.TLS, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// tokenTTL is how long a token's user is remembered: a machine client
// asks many times a second, and a user disabled through another process
// (custody user disable) is cut off within this time. Disabling through
// this server forgets every token at once.
const tokenTTL = 5 * time.Second

// tokenCache remembers the users of recently seen API tokens.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]tokenEntry
}

type tokenEntry struct {
	user  *custody.User
	until time.Time
}

func (s *Server) tokenUser(r *http.Request, tok string) (*custody.User, error) {
	now := s.cfg.Now()
	c := &s.tokens
	c.mu.Lock()
	e, ok := c.m[tok]
	c.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.user, nil
	}
	u, err := s.store.TokenUser(r.Context(), tok)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) > 10000 {
		c.m = map[string]tokenEntry{}
	}
	c.m[tok] = tokenEntry{user: u, until: now.Add(tokenTTL)}
	c.mu.Unlock()
	return u, nil
}

// forgetTokens drops every remembered token (a user was disabled).
func (s *Server) forgetTokens() {
	s.tokens.mu.Lock()
	s.tokens.m = nil
	s.tokens.mu.Unlock()
}
