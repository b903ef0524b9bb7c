package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
)

// Pages are html/template files: templates/layout.html (the frame, with
// templates/partials/*.html) around one templates/pages/<name>.html, which
// defines "content".

func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	partials, err := fs.Glob(templateFS, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		files := append([]string{"templates/layout.html"}, partials...)
		files = append(files, n)
		t, err := template.New("layout.html").Funcs(funcs).Funcs(uiFuncs).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		pages[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return pages, nil
}

// funcs are the template functions every page may use.
var funcs = template.FuncMap{
	"list": func(s ...string) []string { return s },
	"pct": func(n, d int) int {
		if d == 0 {
			return 0
		}
		return n * 100 / d
	},
	"num":  formatInt,
	"date": func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"ago": func(t time.Time) string { return since(time.Now(), t) },
}

// formatInt writes n with thousands separators (7,000).
func formatInt(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// since says how long ago t was, in days and hours.
func since(now, t time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		d = 0
	}
	days := int(d / (24 * time.Hour))
	hours := int(d%(24*time.Hour)) / int(time.Hour)
	if days > 0 {
		return fmt.Sprintf("%dd %dh", days, hours)
	}
	return fmt.Sprintf("%dh %dm", hours, int(d%time.Hour)/int(time.Minute))
}

// view is what every page template gets.
type view struct {
	Lang   Lang
	User   *custody.User
	CSRF   string // the session's form token, for every form
	Path   string
	Title  string
	Origin string
	Data   any
	Now    time.Time
}

// T translates a message key into the page's language.
func (v *view) T(key string, args ...any) string { return v.Lang.T(key, args...) }

// Dir is the page's writing direction.
func (v *view) Dir() string { return v.Lang.Dir() }

// Can reports whether the user may take an action (for showing links).
func (v *view) Can(a string) bool { return custody.Can(v.User, custody.Action(a)) }

func (s *Server) newView(r *http.Request, title string, data any) *view {
	p := who(r)
	v := &view{Lang: langOf(r), User: p.user, Path: r.URL.Path, Title: title, Origin: s.store.Origin(), Data: data, Now: s.cfg.Now()}
	if p.session != nil {
		v.CSRF = p.session.CSRF
	}
	return v
}

// render writes a page: the page's template inside the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name, title string, data any) error {
	t := s.pages[name]
	if t == nil {
		return fmt.Errorf("render: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, s.newView(r, title, data)); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, err := w.Write(buf.Bytes())
	return err
}

// renderError shows an error page.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, code int, e apiError) {
	if err := s.render(w, r, code, "error", http.StatusText(code), e); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "err", err)
		http.Error(w, e.Message, code)
	}
}

// loginPage shows the sign-in form.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "login", "Sign in", loginForm{Next: safeNext(r.URL.Query().Get("next"))})
}

type loginForm struct {
	Name, Next string
	Error      string
}

// loginFailed shows the sign-in form again with what went wrong.
func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, err error, name, next string) error {
	e := publicError(err)
	s.log.WarnContext(r.Context(), "sign-in failed", "user", name, "addr", clientAddr(r), "why", e.Message)
	if wantsJSON(r) {
		return err
	}
	if e.Code == custody.TooMany {
		w.Header().Set("Retry-After", "60")
	}
	return s.render(w, r, status(e.Code), "login", "Sign in", loginForm{Name: name, Next: next, Error: e.Message})
}

// setLang sets the language cookie and goes back.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	l, ok := parseLang(r.PathValue("lang"))
	if !ok {
		return custody.Errorf(custody.NotFound, "no language %q", r.PathValue("lang"))
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: s.cfg.TLS})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
	return nil
}

// notFound answers a path no route serves.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return custody.Errorf(custody.NotFound, "no such endpoint: %s %s (see /api/openapi.json)", r.Method, r.URL.Path)
	}
	return custody.Errorf(custody.NotFound, "no such page: %s", r.URL.Path)
}
