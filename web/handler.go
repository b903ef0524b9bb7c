package web

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
)

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// wrap runs a handler behind its route's gate: it finds who is asking,
// applies the gate, checks the form token of a browser's write, and turns
// a returned error into a response that shows only what is safe to show.
func (s *Server) wrap(rt Route, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r, err := s.serveRoute(w, r, rt, h)
		if err == nil {
			return
		}
		s.fail(w, r, rt, err, start)
	})
}

// serveRoute returns the request with its principal (so that an error
// page still shows who is signed in) and the handler's error.
func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, rt Route, h handlerFunc) (*http.Request, error) {
	p, err := s.authenticate(r)
	if err != nil && !rt.Gate.Public {
		return r, err
	}
	if p == nil {
		p = &principal{}
	}
	r = r.WithContext(withPrincipal(r.Context(), p))
	if !rt.Gate.Public {
		if p.user == nil {
			return r, errSignIn
		}
		if rt.Gate.Action != "" && !custody.Can(p.user, rt.Gate.Action) {
			return r, forbidden("your role (%s) may not do this", p.user.Role)
		}
	}
	if unsafeMethod(r.Method) && p.session != nil {
		if err := checkCSRF(r, p.session.CSRF); err != nil {
			return r, err
		}
	}
	return r, h(w, r)
}

var errSignIn = &custody.Error{Code: custody.Unauthenticated, Msg: "sign in first"}

func forbidden(format string, args ...any) error {
	return custody.Errorf(custody.Forbidden, format, args...)
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// checkCSRF checks the form token of a session's write: the "csrf" form
// field, or the X-CSRF-Token header of a script's request.
func checkCSRF(r *http.Request, want string) error {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		ct := r.Header.Get("Content-Type")
		if strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data") {
			r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
			got = r.PostFormValue("csrf")
		}
	}
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return custody.Errorf(custody.Forbidden, "the form has expired or did not come from this site: reload the page and try again")
	}
	return nil
}

// status maps an error code to an HTTP status.
func status(code custody.Code) int {
	switch code {
	case custody.Invalid:
		return http.StatusBadRequest
	case custody.NotFound:
		return http.StatusNotFound
	case custody.Conflict:
		return http.StatusConflict
	case custody.Unauthenticated:
		return http.StatusUnauthorized
	case custody.Forbidden:
		return http.StatusForbidden
	case custody.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// apiError is the body of every error response of the API.
type apiError struct {
	Code    custody.Code `json:"code"`
	Message string       `json:"message"`
	Rule    custody.Rule `json:"rule,omitempty"`
}

// publicError returns what may be shown of err: its code, message and
// rule for a custody error, "internal error" for anything else.
func publicError(err error) apiError {
	var ce *custody.Error
	if errors.As(err, &ce) && ce.Code != custody.Internal {
		return apiError{Code: ce.Code, Message: ce.Safe(), Rule: ce.Rule}
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return apiError{Code: custody.Invalid, Message: "the request body is larger than the limit"}
	}
	return apiError{Code: custody.Internal, Message: "internal error: the failure is logged; try again or ask an administrator"}
}

// fail answers a failed request: JSON for the API, a page for the UI (or,
// for a page that needs a sign-in, a redirect to the sign-in page).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rt Route, err error, start time.Time) {
	e := publicError(err)
	code := status(e.Code)
	if e.Code == custody.Invalid {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			code = http.StatusRequestEntityTooLarge
		}
	}
	lvl := s.log.WarnContext
	if code >= 500 {
		lvl = s.log.ErrorContext
	}
	user := ""
	if u := userOf(r); u != nil {
		user = u.Name
	}
	lvl(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "user", user, "status", code, "err", err, "took", time.Since(start))
	api := rt.API || strings.HasPrefix(r.URL.Path, "/api/")
	if !api && e.Code == custody.Unauthenticated && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if e.Code == custody.TooMany {
		w.Header().Set("Retry-After", "60")
	}
	if e.Code == custody.Unauthenticated && api {
		w.Header().Set("WWW-Authenticate", `Bearer realm="custody"`)
	}
	if api || wantsJSON(r) {
		writeJSON(w, code, e)
		return
	}
	s.renderError(w, r, code, e)
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json") && !strings.Contains(r.Header.Get("Accept"), "text/html")
}

// writeJSON writes v as the JSON body of a response with the given status.
func writeJSON(w http.ResponseWriter, code int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
