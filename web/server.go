// Package web serves custody over HTTP: for now a read-only status page,
// its JSON and the log's latest signed checkpoint. Routes are listed in one
// function; handlers return errors; templates are embedded.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

//go:embed templates/*.html
var templates embed.FS

// Store is what the web server reads.
type Store interface {
	Stats(ctx context.Context) (*sqlstore.Stats, error)
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	VerifierKey() string
	Origin() string
}

// Server is the HTTP side of custody.
type Server struct {
	store Store
	log   *slog.Logger
	tmpl  *template.Template
	mux   *http.ServeMux
}

// New returns a server reading from store, logging to log.
func New(store Store, log *slog.Logger) (*Server, error) {
	t, err := template.New("").Funcs(template.FuncMap{
		"pct": func(n, d int) int {
			if d == 0 {
				return 0
			}
			return n * 100 / d
		},
	}).ParseFS(templates, "templates/*.html")
	if err != nil {
		return nil, err
	}
	s := &Server{store: store, log: log, tmpl: t, mux: http.NewServeMux()}
	s.routes()
	return s, nil
}

// routes lists every route.
func (s *Server) routes() {
	s.mux.Handle("GET /{$}", s.handle(s.status))
	s.mux.Handle("GET /api/v1/status", s.handle(s.statusJSON))
	s.mux.Handle("GET /checkpoint", s.handle(s.checkpoint))
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
	s.mux.ServeHTTP(w, r)
}

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle turns an error-returning handler into an http.Handler: errors
// are logged in full and shown to the user only by their code.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		err := h(w, r)
		if err == nil {
			return
		}
		code := custody.ErrorCode(err)
		status := http.StatusInternalServerError
		msg := "internal error"
		var ce *custody.Error
		if errors.As(err, &ce) && code != custody.Internal {
			msg = ce.Msg
			switch code {
			case custody.NotFound:
				status = http.StatusNotFound
			case custody.Conflict:
				status = http.StatusConflict
			case custody.Invalid:
				status = http.StatusBadRequest
			}
		}
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err, "took", time.Since(start))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"code": string(code), "message": msg})
	})
}

type statusPage struct {
	Stats       *sqlstore.Stats
	Checkpoint  string
	VerifierKey string
	Origin      string
}

func (s *Server) page(r *http.Request) (*statusPage, error) {
	st, err := s.store.Stats(r.Context())
	if err != nil {
		return nil, err
	}
	cp, err := s.store.LatestCheckpoint(r.Context())
	if err != nil {
		return nil, err
	}
	return &statusPage{Stats: st, Checkpoint: string(cp), VerifierKey: s.store.VerifierKey(), Origin: s.store.Origin()}, nil
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) error {
	p, err := s.page(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return s.tmpl.ExecuteTemplate(w, "status.html", p)
}

func (s *Server) statusJSON(w http.ResponseWriter, r *http.Request) error {
	p, err := s.page(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(map[string]any{
		"origin": p.Origin, "verifier_key": p.VerifierKey, "checkpoint": p.Checkpoint, "stats": p.Stats,
	})
}

// checkpoint serves the latest signed checkpoint (C2SP tlog-tiles path).
func (s *Server) checkpoint(w http.ResponseWriter, r *http.Request) error {
	cp, err := s.store.LatestCheckpoint(r.Context())
	if err != nil {
		return err
	}
	if cp == nil {
		return &custody.Error{Code: custody.NotFound, Msg: "the log is empty: no checkpoint yet"}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, err = w.Write(cp)
	return err
}
