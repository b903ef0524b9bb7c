// Package web serves custody over HTTP: the JSON API under /api/v1 (with
// its OpenAPI document), the server-rendered UI, and the log's public face
// at the C2SP tlog-tiles paths. Routes are listed in one function
// (routes.go); handlers return errors; templates and assets are embedded.
//
// Every route passes one gate of the access policy (the root package's
// Can… functions) before its handler runs, and handlers check each person
// and move against the same policy; every read of a person's record is
// recorded before it is shown.
package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/password"
	"github.com/opencustody/custody/personindex"
	"github.com/opencustody/custody/sqlstore"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config configures a server.
type Config struct {
	Store  *sqlstore.Store
	Logger *slog.Logger // nil: discard
	// TLS is set when the server is reached over HTTPS: session cookies
	// are then Secure (and __Host- prefixed).
	TLS bool
	// SessionTTL is how long a sign-in lasts (default 12 hours).
	SessionTTL time.Duration
	// Site is recorded as the site of events recorded through this server.
	Site string
	// LoginRate limits sign-in attempts (default DefaultLoginRate).
	LoginRate LoginRate
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
	// Names is the register's names index (search, the duplicate check,
	// family inquiries). nil: New starts one on Store.
	Names *personindex.Index
	// FamilyRelease is what answers to families may release (default
	// custody.ReleaseFields, the whole of CED Art. 18(1)); a deployment
	// narrows it.
	FamilyRelease []custody.ReleaseField
	// InquiryRate limits each family-desk user's inquiries and candidate
	// searches (default DefaultInquiryRate).
	InquiryRate InquiryRate
	// NotifyWithin is the deployment's window for consular notification
	// "without delay" (Vienna Convention, Art. 36): a notification still
	// undelivered this long after the person came into custody is overdue
	// (default custody.DefaultNotifyWithin).
	NotifyWithin time.Duration
}

// Server is the HTTP side of custody.
type Server struct {
	cfg     Config
	store   *sqlstore.Store
	log     *slog.Logger
	pages   map[string]*template.Template
	mux     *http.ServeMux
	handler http.Handler
	routes  []Route
	limiter *loginLimiter
	names   *personindex.Index
	stop    context.CancelFunc // ends the background work of the names index New made
	desks   *inquiryDesk       // the family desk's rate limits and proposed candidates
	tokens  tokenCache
	// dummyHash is checked against when a sign-in names no user, so that
	// a wrong name takes as long as a wrong password.
	dummyHash string
}

// New returns a server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("web: no store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.LoginRate == (LoginRate{}) {
		cfg.LoginRate = DefaultLoginRate
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FamilyRelease == nil {
		cfg.FamilyRelease = custody.ReleaseFields
	}
	if cfg.InquiryRate == (InquiryRate{}) {
		cfg.InquiryRate = DefaultInquiryRate
	}
	if cfg.NotifyWithin <= 0 {
		cfg.NotifyWithin = custody.DefaultNotifyWithin
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	dummy, err := password.Hash(password.Generate(), password.Default)
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	stop := context.CancelFunc(func() {})
	if cfg.Names == nil {
		var ctx context.Context
		ctx, stop = context.WithCancel(context.Background())
		cfg.Names = personindex.New(ctx, cfg.Store, cfg.Logger)
	}
	s := &Server{
		cfg:       cfg,
		store:     cfg.Store,
		log:       cfg.Logger,
		pages:     pages,
		mux:       http.NewServeMux(),
		limiter:   newLoginLimiter(cfg.LoginRate),
		names:     cfg.Names,
		stop:      stop,
		desks:     newInquiryDesk(cfg.InquiryRate),
		dummyHash: dummy,
	}
	s.addRoutes()
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	// Browsers' cross-origin requests that change anything are refused
	// (Sec-Fetch-Site / Origin); forms also carry a per-session token.
	s.handler = http.NewCrossOriginProtection().Handler(s.mux)
	return s, nil
}

// Close ends the server's background work (the names index's load and
// duplicate scan, when New made the index). It does not close the store.
func (s *Server) Close() { s.stop() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	if s.cfg.TLS {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	s.handler.ServeHTTP(w, r)
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// principal is who is asking: a user signed in with a session cookie or
// an API token, or nobody.
type principal struct {
	user    *custody.User
	session *sqlstore.Session // nil for API tokens
	token   string            // the session token (to sign out)
}

type ctxKey int

const principalKey ctxKey = 0

func withPrincipal(ctx context.Context, p *principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}

// who returns the principal of a request (never nil).
func who(r *http.Request) *principal {
	if p, ok := r.Context().Value(principalKey).(*principal); ok && p != nil {
		return p
	}
	return &principal{}
}

// userOf returns the signed-in user of a request, or nil.
func userOf(r *http.Request) *custody.User { return who(r).user }
