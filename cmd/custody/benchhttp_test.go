package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

func TestBenchHTTP(t *testing.T) {
	db := smallDB(t, 50)
	r := run(context.Background(), nil, "bench", "http", "--db", db, "--clients", "2", "--duration", "300ms", "--persons", "20")
	figures := map[string]string{}
	for line := range strings.Lines(r.stdout) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			t.Errorf("bench http line %q is not \"name value\"", line)
			continue
		}
		figures[name] = value
	}
	if !strings.Contains(r.stdout, "2 clients for 300ms, 20 of the 50 persons held") {
		t.Errorf("bench http does not say what it measured:\n%s", r.stdout)
	}
	positive := []string{"gomaxprocs", "num_cpu"}
	for _, server := range []string{"custody", "bare"} {
		for _, f := range []string{"requests", "req_per_s", "p50_ms", "p90_ms", "p99_ms", "max_ms"} {
			positive = append(positive, server+"_"+f)
		}
	}
	positive = append(positive, "ratio_req_per_s", "ratio_p99")
	for _, name := range positive {
		if v, err := strconv.ParseFloat(figures[name], 64); err != nil || v <= 0 {
			t.Errorf("bench http: %s = %q, want a positive number", name, figures[name])
		}
	}
	for _, name := range []string{"custody_errors", "bare_errors"} {
		if figures[name] != "0" {
			t.Errorf("bench http: %s = %q, want 0", name, figures[name])
		}
	}
	for _, name := range []string{"go_version", "cpu_model", "os_arch"} {
		if figures[name] == "" {
			t.Errorf("bench http does not print %s", name)
		}
	}
	p50, _ := strconv.ParseFloat(figures["custody_p50_ms"], 64)
	p99, _ := strconv.ParseFloat(figures["custody_p99_ms"], 64)
	mx, _ := strconv.ParseFloat(figures["custody_max_ms"], 64)
	if !(p50 <= p99 && p99 <= mx) {
		t.Errorf("custody percentiles out of order: p50 %v, p99 %v, max %v", p50, p99, mx)
	}
	if r.code != 0 {
		t.Errorf("bench http: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	// The bench leaves its user, but no live token, behind.
	s, err := sqlstore.OpenReadOnly(context.Background(), sqlstore.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	users, err := s.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 || users[0].Name != benchUser || users[0].Role != custody.RoleMonitor || users[0].Tokens != 0 {
		t.Errorf("after bench http, the users are %+v; want %s, a monitor with no token left", users, benchUser)
	}
}

func TestBenchHTTPUsage(t *testing.T) {
	cases := []struct {
		args []string
		say  string
	}{
		{[]string{"--clients", "0"}, "--clients 0: at least 1"},
		{[]string{"--duration", "0s"}, "--duration 0s: must be positive"},
		{[]string{"--persons", "-1"}, "--persons -1: at least 1"},
		{[]string{"--duration", "soon"}, "invalid value"},
	}
	for _, tc := range cases {
		r := run(context.Background(), nil, append([]string{"bench", "http"}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.say) {
			t.Errorf("bench http %v: exit %d, stderr %q; want 2 saying %q", tc.args, r.code, r.stderr, tc.say)
		}
	}
}

func TestLoadResult(t *testing.T) {
	r := &loadResult{elapsed: 2 * time.Second}
	for i := 1; i <= 100; i++ {
		r.lat = append(r.lat, time.Duration(i)*time.Millisecond)
	}
	cases := []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.9, 90 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0, time.Millisecond}}
	for _, tc := range cases {
		if got := r.percentile(tc.q); got != tc.want {
			t.Errorf("percentile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if got := r.throughput(); got != 50 {
		t.Errorf("throughput = %v, want 50/s", got)
	}
	if got := (&loadResult{}).percentile(0.99); got != 0 {
		t.Errorf("percentile of nothing = %v", got)
	}
}
