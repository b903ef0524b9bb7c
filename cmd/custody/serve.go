package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/web"
)

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flags("serve")
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address` (host:port; port 0 picks a free one)")
	if err := parse(fs, args); err != nil {
		return err
	}
	log := m.logger()
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: *db, KeyFile: *key, Logger: log})
	if err != nil {
		return err
	}
	defer s.Close()
	return m.serve(ctx, s, *addr, log)
}

// serve serves s on addr until ctx ends, then shuts down gracefully.
func (m *Main) serve(ctx context.Context, s *sqlstore.Store, addr string, log *slog.Logger) error {
	h, err := web.New(s, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(m.Stdout, "serving %s at %s\n", s.Path(), url)
	fmt.Fprintf(m.Stdout, "verifier key: %s\n", s.VerifierKey())
	fmt.Fprintf(m.Stdout, "open %s in a browser (read-only status; no login yet). Stop with Ctrl-C.\n", url)
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
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
