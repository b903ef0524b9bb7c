package sqlstore_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// The multi-writer test's children are this test binary, run with
// -test.run=^TestMultiWriterChild$ and these variables set.
const (
	mwDBEnv     = "CUSTODY_MW_DB"     // the database the child appends to
	mwKeyEnv    = "CUSTODY_MW_KEY"    // the log's signing key file
	mwWriterEnv = "CUSTODY_MW_WRITER" // the child's number: makes its keys and persons unique
)

const (
	mwWriters   = 4    // child processes appending at once
	mwPerWriter = 5000 // events each appends (registrations: two a request)
	mwSetup     = 6    // events the parent appends first (storetest.Setup)
)

// mwPrefix is writer w's key prefix; mwFirst its first person number.
func mwPrefix(w int) string { return fmt.Sprintf("mw%d", w) }
func mwFirst(w int) int     { return (w + 1) * 100_000 }

// mwAck is what a child acknowledged: log index seq holds key.
type mwAck struct {
	seq int64
	key string
}

// TestMultiWriter runs four processes appending to one database at once
// and proves that the log never forked: indexes 0..N-1 with no gap and no
// duplicate, every acknowledged index holding its key, every child's keys
// present exactly once, the log head at N, Verify passing, and every
// signed checkpoint consistent with the one before it. Each writer locks
// the log head in its transaction (FOR UPDATE on PostgreSQL, BEGIN
// IMMEDIATE on SQLite) and catches up with the others' events first.
//
// In the late-openers variant two of the writers open the store while the
// other two are appending: their state, loaded from the projections, must
// match the log size they start from.
//
// Each child keeps its last request back until every child has appended
// the rest; then they append it one at a time, and the store is verified
// after each: a child whose state had fallen behind the log writes a
// projection row (the facility's population) that verify rejects.
func TestMultiWriter(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-writer test: skipped in -short mode")
	}
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Run("together", func(t *testing.T) { testMultiWriter(t, e, false) })
			t.Run("late-openers", func(t *testing.T) { testMultiWriter(t, e, true) })
		})
	}
}

func testMultiWriter(t *testing.T, e storetest.Engine, lateOpeners bool) {
	ctx := context.Background()
	d := e.New(t)
	cfg := d.Config
	cfg.KeyFile = cfg.KeyFilePath() // the children are told where it is
	vkey, err := sqlstore.Init(ctx, cfg)
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	s, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	storetest.MustAppend(t, s, storetest.Setup("mw"))
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	rs, err := sqlstore.OpenReadOnly(ctx, cfg)
	if err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	defer rs.Close()

	// Start the children. Each appends only once it and the others of its
	// group have opened the store, so that they contend from the first
	// append on. Late openers start once the first group has appended a
	// good part of its events, so that loading the projections takes a
	// while and other writers commit meanwhile.
	start := time.Now()
	children := make([]*mwChild, mwWriters)
	groups := [][]int{{0, 1, 2, 3}}
	if lateOpeners {
		groups = [][]int{{0, 1}, {2, 3}}
	}
	for gi, g := range groups {
		if gi > 0 {
			waitAcked(t, children[:g[0]], g[0]*mwPerWriter/3)
		}
		for _, w := range g {
			children[w] = startMWChild(t, cfg, w)
		}
		for _, w := range g {
			children[w].wait(t, children[w].ready, "open the store")
		}
		for _, w := range g {
			children[w].send(t, "go")
		}
	}
	for _, c := range children {
		c.wait(t, c.appended, "append")
	}
	elapsed := time.Since(start)
	// The last requests, one child at a time, each verified.
	var rep *sqlstore.VerifyReport
	for _, c := range children {
		c.send(t, "last")
		c.stdin.Close()
		c.wait(t, c.done, "append its last request")
		if c.err != nil {
			t.Fatalf("writer %d: %v\n%s", c.w, c.err, c.output())
		}
		if rep, err = rs.Verify(ctx, vkey); err != nil {
			t.Fatalf("verify after writer %d's last request: %v", c.w, err)
		}
	}
	var acks []mwAck
	catchUps := 0
	for _, c := range children {
		if len(c.acks) != mwPerWriter {
			t.Fatalf("writer %d acknowledged %d events, want %d\n%s", c.w, len(c.acks), mwPerWriter, c.output())
		}
		acks = append(acks, c.acks...)
		catchUps += strings.Count(c.output(), "catching up")
	}
	t.Logf("%s: %d writers appended %d events in %v (%d catch-ups)",
		e.Name, mwWriters, mwWriters*mwPerWriter, elapsed.Round(time.Millisecond), catchUps)

	const n = mwSetup + mwWriters*mwPerWriter
	raw := d.Raw(t)

	// The log: indexes 0..N-1 in order, each key once.
	rows, err := raw.QueryContext(ctx, `SELECT seq, key FROM events ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	keyAt := make([]string, 0, n)
	seqOf := map[string]int64{}
	for rows.Next() {
		var (
			seq int64
			key string
		)
		if err := rows.Scan(&seq, &key); err != nil {
			t.Fatal(err)
		}
		if want := int64(len(keyAt)); seq != want {
			t.Fatalf("events: index %d follows %d: the log has a gap or a duplicate", seq, want-1)
		}
		if prev, dup := seqOf[key]; dup {
			t.Errorf("key %s at indexes %d and %d", key, prev, seq)
		}
		seqOf[key] = seq
		keyAt = append(keyAt, key)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(keyAt) != n {
		t.Fatalf("events: %d entries, want %d", len(keyAt), n)
	}

	// Every child's keys are there, and every acknowledged index holds the
	// key acknowledged for it.
	for w := range mwWriters {
		missing := 0
		for i := range mwPerWriter / 2 {
			for _, kind := range []string{"reg", "adm"} {
				k := fmt.Sprintf("%s-%s-%d", mwPrefix(w), kind, mwFirst(w)+i)
				if _, ok := seqOf[k]; !ok {
					if missing++; missing <= 5 {
						t.Errorf("writer %d: key %s is not in the log", w, k)
					}
				}
			}
		}
	}
	for _, a := range acks {
		if a.seq < 0 || a.seq >= n || keyAt[a.seq] != a.key {
			t.Fatalf("acknowledged index %d (key %s) holds %q", a.seq, a.key, keyAt[min(max(a.seq, 0), n-1)])
		}
	}

	// The last requests close the log, in the order they were sent.
	for w := range mwWriters {
		last := n - 2*(mwWriters-w)
		if want := fmt.Sprintf("%s-reg-%d", mwPrefix(w), mwFirst(w)+mwPerWriter/2-1); keyAt[last] != want {
			t.Errorf("index %d holds %s, want writer %d's last request %s", last, keyAt[last], w, want)
		}
	}

	// Before them, the writers took turns: each writer's events are split
	// into runs between the others'.
	runs := make([]int, mwWriters)
	prev := -1
	for _, k := range keyAt[mwSetup : n-2*mwWriters] {
		w, err := strconv.Atoi(strings.TrimPrefix(k[:strings.IndexByte(k, '-')], "mw"))
		if err != nil || w < 0 || w >= mwWriters {
			t.Fatalf("unexpected key %q", k)
		}
		if w != prev {
			runs[w]++
			prev = w
		}
	}
	t.Logf("runs of consecutive events per writer: %v", runs)
	// The last requests alone make every writer but the first catch up
	// with another's events.
	if catchUps < mwWriters-1 {
		t.Errorf("%d catch-ups, want at least %d: the writers did not append on top of each other", catchUps, mwWriters-1)
	}
	// PostgreSQL queues the waiters for the log head's row lock, so the
	// writers take turns. SQLite has no queue: a writer waiting for BEGIN
	// IMMEDIATE polls with growing sleeps (busy_timeout) and usually finds
	// the lock taken again by the writer that just committed, so there the
	// writers append in long runs, sometimes one run each.
	if e.Name == "postgres" {
		for w, r := range runs {
			if r < 2 {
				t.Errorf("writer %d appended all its events in one run: the writers did not interleave", w)
			}
		}
	}

	var head int64
	if err := raw.QueryRowContext(ctx, `SELECT size FROM log_head WHERE id = 1`).Scan(&head); err != nil {
		t.Fatal(err)
	}
	if head != n {
		t.Errorf("log_head = %d, want %d", head, n)
	}

	if rep.Entries != n {
		t.Errorf("verify: %d entries, want %d", rep.Entries, n)
	}

	// Every checkpoint is consistent with the one before it.
	crows, err := raw.QueryContext(ctx, `SELECT size, note FROM checkpoints ORDER BY size`)
	if err != nil {
		t.Fatal(err)
	}
	type cp struct {
		size int64
		root [32]byte
	}
	var cps []cp
	for crows.Next() {
		var (
			size int64
			note []byte
		)
		if err := crows.Scan(&size, &note); err != nil {
			t.Fatal(err)
		}
		sz, root, err := ledger.OpenCheckpoint(note, vkey, rs.Origin())
		if err != nil {
			t.Fatalf("checkpoint %d: %v", size, err)
		}
		if sz != size {
			t.Fatalf("checkpoint row %d signs size %d", size, sz)
		}
		cps = append(cps, cp{sz, root})
	}
	if err := crows.Err(); err != nil {
		t.Fatal(err)
	}
	crows.Close()
	if len(cps) == 0 || cps[len(cps)-1].size != n {
		t.Fatalf("the latest checkpoint is not of the whole log (%d checkpoints)", len(cps))
	}
	for i := 1; i < len(cps); i++ {
		old, cur := cps[i-1], cps[i]
		p, err := rs.ConsistencyProof(ctx, cur.size, old.size)
		if err != nil {
			t.Fatalf("consistency proof %d → %d: %v", old.size, cur.size, err)
		}
		if err := ledger.CheckConsistency(p, cur.size, cur.root, old.size, old.root); err != nil {
			t.Fatalf("checkpoint %d is not consistent with checkpoint %d: %v", cur.size, old.size, err)
		}
	}
	t.Logf("%d checkpoints, each consistent with the one before", len(cps))
}

// mwChild is a running child writer.
type mwChild struct {
	w        int
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	ready    chan struct{} // closed when the child has opened the store
	appended chan struct{} // closed when it has appended all but its last request
	done     chan struct{} // closed when it has exited; then err is set

	mu   sync.Mutex
	acks []mwAck
	out  strings.Builder // stderr and the testing package's stdout
	err  error
}

func (c *mwChild) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

func (c *mwChild) acked() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.acks)
}

// Write collects the child's stderr.
func (c *mwChild) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Write(p)
}

// wait waits for ch to close, failing the test if the child exits first
// (unless ch is done) or takes more than 40s.
func (c *mwChild) wait(t *testing.T, ch chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
		return
	case <-c.done:
		if ch == c.done {
			return
		}
		t.Fatalf("writer %d exited before it could %s: %v\n%s", c.w, what, c.err, c.output())
	case <-time.After(40 * time.Second):
		t.Fatalf("writer %d did not %s in 40s\n%s", c.w, what, c.output())
	}
}

// send writes a line to the child's stdin.
func (c *mwChild) send(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(c.stdin, line+"\n"); err != nil {
		t.Fatalf("writer %d: send %q: %v", c.w, line, err)
	}
}

// waitAcked waits until the children have acknowledged n events in all.
func waitAcked(t *testing.T, children []*mwChild, n int) {
	t.Helper()
	deadline := time.Now().Add(40 * time.Second)
	for {
		got := 0
		for _, c := range children {
			got += c.acked()
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first writers acknowledged %d events in 40s, want %d", got, n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func startMWChild(t *testing.T, cfg sqlstore.Config, w int) *mwChild {
	t.Helper()
	c := &mwChild{w: w, ready: make(chan struct{}), appended: make(chan struct{}), done: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestMultiWriterChild$", "-test.count=1", "-test.timeout=60s")
	c.cmd.Env = append(os.Environ(), mwDBEnv+"="+cfg.DB, mwKeyEnv+"="+cfg.KeyFile, mwWriterEnv+"="+strconv.Itoa(w))
	c.cmd.Stderr = c
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("writer %d: start: %v", w, err)
	}
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			c.cmd.Process.Kill()
			<-c.done
		}
	})
	go func() {
		defer close(c.done)
		var rerr error
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			switch line {
			case "ready":
				close(c.ready)
				continue
			case "appended":
				close(c.appended)
				continue
			}
			rest, ok := strings.CutPrefix(line, "ack ")
			if !ok {
				fmt.Fprintln(c, line) // the testing package's own output
				continue
			}
			seq, key, ok := strings.Cut(rest, " ")
			n, err := strconv.ParseInt(seq, 10, 64)
			if !ok || err != nil {
				if rerr == nil {
					rerr = fmt.Errorf("malformed ack line %q", line)
				}
				continue
			}
			c.mu.Lock()
			c.acks = append(c.acks, mwAck{n, key})
			c.mu.Unlock()
		}
		if err := sc.Err(); err != nil && rerr == nil {
			rerr = err
		}
		werr := c.cmd.Wait()
		c.mu.Lock()
		c.err = errors.Join(werr, rerr)
		c.mu.Unlock()
	}()
	return c
}

// TestMultiWriterChild is one writer of TestMultiWriter. It opens the
// store, prints "ready" and waits for a line on stdin; appends all but the
// last of its 2,500 registrations (two events each) in AppendBatch calls
// of 2 to 40 requests mixed with single Appends, printing
// "ack <seq> <key>" per event, one write per call; prints "appended";
// and, given another line, appends its last request.
func TestMultiWriterChild(t *testing.T) {
	db := os.Getenv(mwDBEnv)
	if db == "" {
		t.Skip("run by TestMultiWriter in a child process")
	}
	w, err := strconv.Atoi(os.Getenv(mwWriterEnv))
	if err != nil {
		t.Fatalf("%s: %v", mwWriterEnv, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	cfg := sqlstore.Config{
		DB: db, KeyFile: os.Getenv(mwKeyEnv),
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
	s, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("writer %d: open: %v", w, err)
	}
	defer s.Close()
	in := bufio.NewReader(os.Stdin)
	await := func(what string) {
		if _, err := in.ReadString('\n'); err != nil {
			t.Fatalf("writer %d: wait for %s: %v", w, what, err)
		}
	}
	fmt.Println("ready")
	await("the start")

	reqs := storetest.Registrations(mwPrefix(w), mwFirst(w), mwPerWriter/2, storetest.PrisonA)
	last := reqs[len(reqs)-1:]
	reqs = reqs[:len(reqs)-1]
	ack := func(reqs [][]custody.Event, res []sqlstore.Result) {
		var b []byte
		for i, r := range res {
			if r.Err != nil || r.Replayed || len(r.Seqs) != len(reqs[i]) {
				t.Fatalf("writer %d: request %s: err %v, replayed %v, seqs %v", w, reqs[i][0].Key, r.Err, r.Replayed, r.Seqs)
			}
			for j, seq := range r.Seqs {
				b = fmt.Appendf(b, "ack %d %s\n", seq, reqs[i][j].Key)
			}
		}
		if _, err := os.Stdout.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(uint64(w), 0x3c0de))
	for len(reqs) > 0 {
		k := 1
		if rng.IntN(3) > 0 {
			k = min(2+rng.IntN(39), len(reqs))
		}
		if k == 1 {
			r, err := s.Append(ctx, reqs[0]...)
			if err != nil {
				t.Fatalf("writer %d: append %s: %v", w, reqs[0][0].Key, err)
			}
			ack(reqs[:1], []sqlstore.Result{r})
		} else {
			res, err := s.AppendBatch(ctx, reqs[:k])
			if err != nil {
				t.Fatalf("writer %d: append batch: %v", w, err)
			}
			ack(reqs[:k], res)
		}
		reqs = reqs[k:]
	}
	fmt.Println("appended")
	await("the last request")
	res, err := s.AppendBatch(ctx, last)
	if err != nil {
		t.Fatalf("writer %d: append the last request: %v", w, err)
	}
	ack(last, res)
	if err := s.Close(); err != nil {
		t.Fatalf("writer %d: close: %v", w, err)
	}
}
