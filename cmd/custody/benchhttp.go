package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/scenario"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/web"
)

// benchHTTPOptions are the flags of `custody bench http`.
type benchHTTPOptions struct {
	db, key  string
	clients  int
	duration time.Duration
	persons  int
}

// benchUser is the monitor whose API token the load generator sends.
const benchUser = "bench-monitor"

// runBenchHTTP measures "where is this person" through the real web
// server, in-process on a loopback port: clients concurrent clients ask
// GET /api/v1/persons/{id}/whereabouts with a monitor's API token for
// the duration, and then, the same way, a bare net/http handler that
// writes a fixed small JSON body, the ceiling of this machine, client
// and loopback. It prints the figures as "name value" lines and fails if
// any request did.
func (m *Main) runBenchHTTP(ctx context.Context, args []string) error {
	fs := m.flags("bench http")
	var o benchHTTPOptions
	fs.StringVar(&o.db, "db", "", "database `path` to bench (it gets a user "+benchUser+" and its reads are audited); default: a fresh demo in a temporary directory")
	fs.StringVar(&o.key, "key", "", "signing key `file` of --db (default beside it)")
	fs.IntVar(&o.clients, "clients", 64, "concurrent `clients`")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to measure each server")
	fs.IntVar(&o.persons, "persons", 1000, "how many persons held to ask about (spread over the register)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the custody server's run to `file`")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case o.clients < 1:
		fmt.Fprintf(m.Stderr, "custody bench http: --clients %d: at least 1\n", o.clients)
		return errUsage
	case o.duration <= 0:
		fmt.Fprintf(m.Stderr, "custody bench http: --duration %s: must be positive\n", o.duration)
		return errUsage
	case o.persons < 1:
		fmt.Fprintf(m.Stderr, "custody bench http: --persons %d: at least 1\n", o.persons)
		return errUsage
	}
	s, name, cleanup, err := m.benchStore(ctx, o)
	if err != nil {
		return err
	}
	defer cleanup()
	ids, held, err := samplePersons(ctx, s, o.persons)
	if err != nil {
		return err
	}
	token, err := benchToken(ctx, s)
	if err != nil {
		return err
	}
	defer func() {
		// No live token is left behind in a database that is kept.
		if _, err := s.RevokeAPITokens(context.WithoutCancel(ctx), benchUser); err != nil {
			fmt.Fprintf(m.Stderr, "custody bench http: %v\n", err)
		}
	}()
	tuneServerGC() // as serve does
	h, err := web.New(web.Config{Store: s, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("web server: %w", err)
	}
	defer h.Close()

	w := m.Stdout
	fmt.Fprintf(w, "# GET /api/v1/persons/{id}/whereabouts with a monitor's API token: %d clients for %s, %d of the %d persons held in %s\n",
		o.clients, o.duration, len(ids), held, name)
	fmt.Fprintln(w, "# the clients and the servers share this process; the bare server writes a fixed JSON body, the ceiling of this machine")
	printMachine(w)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	got, err := measureHTTP(ctx, h, ids, token, o)
	pprof.StopCPUProfile()
	if err != nil {
		return fmt.Errorf("custody server: %w", err)
	}
	got.print(w, "custody")
	bare, err := measureHTTP(ctx, bareHandler(), ids, token, o)
	if err != nil {
		return fmt.Errorf("bare server: %w", err)
	}
	bare.print(w, "bare")
	fmt.Fprintf(w, "ratio_req_per_s %.3f\n", ratio(got.throughput(), bare.throughput()))
	fmt.Fprintf(w, "ratio_p99 %.2f\n", ratio(float64(got.percentile(0.99)), float64(bare.percentile(0.99))))
	var errs []error
	for _, r := range []struct {
		name string
		res  *loadResult
	}{{"custody", got}, {"bare", bare}} {
		if r.res.errors > 0 {
			errs = append(errs, fmt.Errorf("%d of %d requests to the %s server failed (first: %s)", r.res.errors, len(r.res.lat), r.name, r.res.firstErr))
		}
	}
	return errors.Join(errs...)
}

// benchStore opens o.db, or loads the demo into a temporary database; it
// returns the store, its name and what closes (and removes) it.
func (m *Main) benchStore(ctx context.Context, o benchHTTPOptions) (*sqlstore.Store, string, func(), error) {
	if o.db != "" {
		s, err := sqlstore.Open(ctx, sqlstore.Config{DB: o.db, KeyFile: o.key, Logger: m.logger()})
		if err != nil {
			return nil, "", nil, err
		}
		return s, s.Path(), func() { s.Close() }, nil
	}
	dir, err := os.MkdirTemp("", "custody-bench-http-")
	if err != nil {
		return nil, "", nil, fmt.Errorf("temporary directory: %w", err)
	}
	fail := func(err error) (*sqlstore.Store, string, func(), error) {
		os.RemoveAll(dir)
		return nil, "", nil, err
	}
	cfg := sqlstore.Config{DB: filepath.Join(dir, "demo.db"), Origin: "custody.local/demo"}
	if _, err := sqlstore.Init(ctx, cfg); err != nil {
		return fail(err)
	}
	s, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(m.Stderr, "custody bench http: loading the demo operation into %s ...\n", cfg.DB)
	start := time.Now()
	if _, err := loadDemo(ctx, s, scenario.Config{Seed: 1}); err != nil {
		s.Close()
		return fail(fmt.Errorf("load the demo: %w", err))
	}
	fmt.Fprintf(m.Stderr, "custody bench http: demo loaded in %s\n", time.Since(start).Round(time.Millisecond))
	return s, "a fresh demo database", func() { s.Close(); os.RemoveAll(dir) }, nil
}

// samplePersons returns n of the persons held, spread evenly over the
// register (in ID order), and how many are held.
func samplePersons(ctx context.Context, s *sqlstore.Store, n int) ([]custody.PersonID, int, error) {
	held, err := s.Held(ctx)
	if err != nil {
		return nil, 0, err
	}
	if len(held) == 0 {
		return nil, 0, errors.New("no person is held in the database: nobody to ask about")
	}
	n = min(n, len(held))
	ids := make([]custody.PersonID, n)
	for i := range ids {
		ids[i] = held[i*len(held)/n].Person.ID
	}
	return ids, len(held), nil
}

// benchToken adds the bench's monitor (a machine user, unless it is
// there already) and issues it an API token.
func benchToken(ctx context.Context, s *sqlstore.Store) (string, error) {
	u := custody.User{Name: benchUser, Role: custody.RoleMonitor}
	err := s.AddUser(ctx, u, "")
	if custody.ErrorCode(err) == custody.Conflict {
		old, _, err := s.User(ctx, benchUser)
		if err != nil {
			return "", err
		}
		if old.Role != custody.RoleMonitor || old.Disabled {
			return "", fmt.Errorf("user %s exists as a %s (disabled: %t): the bench needs it to be an enabled monitor", benchUser, old.Role, old.Disabled)
		}
	} else if err != nil {
		return "", fmt.Errorf("add the bench user: %w", err)
	}
	tok, err := s.NewAPIToken(ctx, benchUser, "custody bench http")
	if err != nil {
		return "", fmt.Errorf("API token for the bench user: %w", err)
	}
	return tok, nil
}

// bareHandler answers every request with a small fixed JSON body: what
// net/http, the loopback and the client cost without custody.
func bareHandler() http.Handler {
	body := []byte(`{"person":"NES-000001","status":"held","facility":"gweiran","authority":"sdf"}` + "\n")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}

// loadResult is what one measurement saw.
type loadResult struct {
	lat      []time.Duration // every request's latency, sorted
	errors   int             // requests that failed or did not answer 200
	firstErr string
	elapsed  time.Duration
}

func (r *loadResult) throughput() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(len(r.lat)) / r.elapsed.Seconds()
}

// percentile returns the q-quantile of the latencies (nearest rank).
func (r *loadResult) percentile(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(q*float64(len(r.lat))+0.5) - 1
	return r.lat[min(max(i, 0), len(r.lat)-1)]
}

func (r *loadResult) print(w io.Writer, prefix string) {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	fmt.Fprintf(w, "%s_requests %d\n", prefix, len(r.lat))
	fmt.Fprintf(w, "%s_errors %d\n", prefix, r.errors)
	fmt.Fprintf(w, "%s_req_per_s %.0f\n", prefix, r.throughput())
	fmt.Fprintf(w, "%s_p50_ms %.3f\n", prefix, ms(r.percentile(0.50)))
	fmt.Fprintf(w, "%s_p90_ms %.3f\n", prefix, ms(r.percentile(0.90)))
	fmt.Fprintf(w, "%s_p99_ms %.3f\n", prefix, ms(r.percentile(0.99)))
	fmt.Fprintf(w, "%s_max_ms %.3f\n", prefix, ms(r.percentile(1)))
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// measureHTTP serves h on a loopback port and loads it: a short warm-up
// (connections opened, caches filled), then the measurement.
func measureHTTP(ctx context.Context, h http.Handler, ids []custody.PersonID, token string, o benchHTTPOptions) (*loadResult, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shut)
		<-served
	}()
	tr := &http.Transport{
		Proxy:               nil, // loopback: never through a proxy from the environment
		MaxIdleConns:        2 * o.clients,
		MaxIdleConnsPerHost: 2 * o.clients,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	base := "http://" + ln.Addr().String()
	urls := make([]string, len(ids))
	for i, id := range ids {
		urls[i] = base + "/api/v1/persons/" + url.PathEscape(string(id)) + "/whereabouts"
	}
	load(ctx, client, urls, token, o.clients, min(o.duration/10, time.Second))
	res := load(ctx, client, urls, token, o.clients, o.duration)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// load runs clients goroutines asking for urls in turn, each from its own
// place in the list, until d has passed. Each records its latencies in
// its own slice, allocated beforehand: nothing is shared on the way.
func load(ctx context.Context, client *http.Client, urls []string, token string, clients int, d time.Duration) *loadResult {
	type clientResult struct {
		lat      []time.Duration
		errors   int
		firstErr string
	}
	per := make([]clientResult, clients)
	// Room for 100,000 requests a second in all, without growing.
	room := min(max(int(d.Seconds()*100_000)/clients, 1024), 1<<22)
	for c := range per {
		per[c].lat = make([]time.Duration, 0, room)
	}
	auth := "Bearer " + token
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for c := range clients {
		wg.Go(func() {
			lat, errs, firstErr := per[c].lat, 0, ""
			i := c * len(urls) / clients
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(deadline) {
					break
				}
				status, msg := get(ctx, client, urls[i], auth, firstErr == "")
				lat = append(lat, time.Since(t0))
				if status != http.StatusOK {
					errs++
					if firstErr == "" {
						firstErr = msg
					}
				}
				if i++; i == len(urls) {
					i = 0
				}
			}
			per[c] = clientResult{lat, errs, firstErr}
		})
	}
	wg.Wait()
	res := &loadResult{elapsed: time.Since(start)}
	n := 0
	for _, p := range per {
		n += len(p.lat)
	}
	res.lat = make([]time.Duration, 0, n)
	for _, p := range per {
		res.lat = append(res.lat, p.lat...)
		res.errors += p.errors
		if res.firstErr == "" {
			res.firstErr = p.firstErr
		}
	}
	slices.Sort(res.lat)
	return res
}

// get asks for u and reads the whole answer; it returns the status (0
// for a failed request) and, if describe, what went wrong.
func get(ctx context.Context, client *http.Client, u, auth string, describe bool) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK || !describe {
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, ""
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	io.Copy(io.Discard, resp.Body)
	path := req.URL.Path
	return resp.StatusCode, fmt.Sprintf("GET %s: %s: %s", path, resp.Status, strings.TrimSpace(string(b)))
}

// printMachine prints the conditions of the measurement.
func printMachine(w io.Writer) {
	fmt.Fprintf(w, "go_version %s\n", runtime.Version())
	fmt.Fprintf(w, "os_arch %s/%s\n", runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "gomaxprocs %d\n", runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "num_cpu %d\n", runtime.NumCPU())
	fmt.Fprintf(w, "cpu_model %s\n", cpuModel())
}

// cpuModel returns the CPU's model name from /proc/cpuinfo, or "unknown".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "model name", "Model", "Hardware", "cpu model":
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return "unknown"
}
