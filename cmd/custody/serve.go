package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/personindex"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/web"
)

// serveOptions are the flags of serve (and of demo, which serves too).
type serveOptions struct {
	addr            string
	tlsCert, tlsKey string
	site            string
	familyRelease   string
	release         []custody.ReleaseField // parsed by check
	notifyWithin    time.Duration
	certificate     *tls.Certificate // loaded by check
	// banner, if set, prints more after the server's own banner, given
	// the server's base URL (the demo's sign-in table).
	banner func(url string)
}

// serveFlags adds --addr, --tls-cert, --tls-key and --site to fs.
func serveFlags(fs *flag.FlagSet) *serveOptions {
	o := &serveOptions{}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen `address` (host:port; port 0 picks a free one)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS with the certificate (chain) in PEM `file` (needs --tls-key)")
	fs.StringVar(&o.tlsKey, "tls-key", "", "the private key in PEM `file` of --tls-cert")
	fs.StringVar(&o.site, "site", "", "the `site` recorded on events recorded through this server (e.g. a place name)")
	fs.DurationVar(&o.notifyWithin, "notify-within", custody.DefaultNotifyWithin, "the `window` for consular notification (\"without delay\", VCCR Art. 36): a notification not delivered this long after custody began is overdue")
	fs.StringVar(&o.familyRelease, "family-release", "", "what answers to families may release: a comma-separated `list` narrowing the default of every field of CED Art. 18(1) ("+releaseList()+")")
	return o
}

// check checks the flags and loads the certificate, before anything is
// opened or loaded. --tls-cert and --tls-key go together: one without the
// other is a usage error, reported on w.
func (o *serveOptions) check(w io.Writer, cmd string) error {
	if o.notifyWithin <= 0 {
		fmt.Fprintf(w, "custody %s: --notify-within %s: give a positive duration, e.g. 72h\n", cmd, o.notifyWithin)
		return errUsage
	}
	if o.familyRelease != "" {
		r, err := custody.ParseReleaseFields(o.familyRelease)
		if err != nil {
			fmt.Fprintf(w, "custody %s: --family-release: %v\n", cmd, err)
			return errUsage
		}
		if len(r) == 0 {
			r = []custody.ReleaseField{} // release nothing but whether the person was found
		}
		o.release = r
	}
	switch {
	case o.tlsCert != "" && o.tlsKey == "":
		fmt.Fprintf(w, "custody %s: --tls-key is missing: --tls-cert needs the private key of its certificate\n", cmd)
		return errUsage
	case o.tlsKey != "" && o.tlsCert == "":
		fmt.Fprintf(w, "custody %s: --tls-cert is missing: --tls-key needs its certificate\n", cmd)
		return errUsage
	case o.tlsCert == "":
		return nil
	}
	c, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
	if err != nil {
		return fmt.Errorf("--tls-cert %s, --tls-key %s: %w", o.tlsCert, o.tlsKey, err)
	}
	o.certificate = &c
	return nil
}

func (o *serveOptions) tls() bool { return o.certificate != nil }

// tuneServerGC trades memory for latency in a long-running server: the
// collector runs when the heap has grown 400% (not 100%) past the live
// heap, which took "where is this person" at 64 clients from p99 about
// 14 ms to 9.4–11 ms. No soft memory limit: as verify found (tuneGC), a
// live heap that outgrows one makes the collector run without pause. GOGC,
// when set, wins.
func tuneServerGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

func releaseList() string {
	var s []string
	for _, f := range custody.ReleaseFields {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

// url is the base URL of the server listening at addr.
func (o *serveOptions) url(addr string) string {
	if o.tls() {
		return "https://" + addr
	}
	return "http://" + addr
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flags("serve")
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	o := serveFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(m.Stderr, "serve"); err != nil {
		return err
	}
	log := m.logger()
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: *db, KeyFile: *key, Logger: log})
	if err != nil {
		return err
	}
	defer s.Close()
	return m.serve(ctx, s, o, log)
}

// serve serves s as o says until ctx ends, then shuts down gracefully.
func (m *Main) serve(ctx context.Context, s *sqlstore.Store, o *serveOptions, log *slog.Logger) error {
	tuneServerGC()
	names := personindex.New(ctx, s, log)
	names.Warm()
	h, err := web.New(web.Config{Store: s, Logger: log, TLS: o.tls(), Site: o.site, FamilyRelease: o.release, NotifyWithin: o.notifyWithin, Names: names})
	if err != nil {
		return fmt.Errorf("web server: %w", err)
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if o.tls() {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*o.certificate}, MinVersion: tls.VersionTLS12}
	}
	url := o.url(ln.Addr().String())
	fmt.Fprintf(m.Stdout, "serving %s at %s/\n", s.Path(), url)
	fmt.Fprintf(m.Stdout, "verifier key: %s\n", s.VerifierKey())
	fmt.Fprintf(m.Stdout, "open %s/login in a browser to sign in (public: %s/checkpoint, %s/api/v1/status). Stop with Ctrl-C.\n", url, url, url)
	if o.banner != nil {
		o.banner(url)
	}
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() {
		if o.tls() {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
