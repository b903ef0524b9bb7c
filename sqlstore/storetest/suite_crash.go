package storetest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// The crash test's child process is the test binary itself, run with
// -test.run=^TestCrashChild$ and these variables set: the child's store
// configuration comes from them, so the child runs on any engine.
const (
	// CrashChildTest is the test the crash test re-executes: the package
	// running Run must have a test of this name that calls CrashChild.
	CrashChildTest = "TestCrashChild"

	crashDBEnv   = "CUSTODY_CRASH_DB"   // the database the child appends to (path or URL)
	crashKeyEnv  = "CUSTODY_CRASH_KEY"  // its signing key file
	crashRunEnv  = "CUSTODY_CRASH_RUN"  // the child's number: makes its keys and persons unique
	crashSeedEnv = "CUSTODY_CRASH_SEED" // optional: the seed of the kill delays
)

// crashKills is how many times the crash test kills a writer, per engine.
const crashKills = 20

// crashAck is what a child acknowledged: log index seq holds key.
type crashAck struct {
	seq int64
	key string
}

// testCrash kills a writer with SIGKILL at random moments and proves that
// nothing it acknowledged was lost: each acknowledged index holds its key
// after reopening, the log verifies, and the store takes further appends.
// Every child continues the same log.
func testCrash(t *testing.T, e Engine) {
	if testing.Short() {
		t.Skip("crash test: skipped in -short mode")
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(crashSeedEnv); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("%s=%q: %v", crashSeedEnv, v, err)
		}
	}
	t.Logf("kill delays seeded with %s=%d", crashSeedEnv, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))

	start := time.Now()
	ctx := context.Background()
	f := newFixture(t, e)
	MustAppend(t, f.s, Setup("crash"))
	if err := f.s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	cfg := f.db.Config

	var all []crashAck // every acknowledgement of every child
	var size int64     // the log size after the last reopen
	for run := range crashKills {
		delay := time.Duration(20+rng.IntN(281)) * time.Millisecond
		acks := runCrashChild(t, cfg, run, delay)
		if len(acks) == 0 {
			t.Fatalf("run %d: the child acknowledged nothing", run)
		}
		all = append(all, acks...)

		s, err := sqlstore.Open(ctx, cfg)
		if err != nil {
			t.Fatalf("run %d: reopen after SIGKILL: %v", run, err)
		}
		checkAcked(t, f.db, all)
		rep, err := s.Verify(ctx, f.verifier)
		if err != nil {
			s.Close()
			t.Fatalf("run %d: verify after SIGKILL: %v", run, err)
		}
		if rep.Entries <= size {
			t.Errorf("run %d: log has %d entries after the child, %d before it", run, rep.Entries, size)
		}
		// The writer takes further appends, at the next index.
		res, err := s.Append(ctx, Registrations(fmt.Sprintf("crash-parent-%d", run), 500_000+run, 1, PrisonB)[0]...)
		if err != nil {
			s.Close()
			t.Fatalf("run %d: append after reopening: %v", run, err)
		}
		if want := []int64{rep.Entries, rep.Entries + 1}; fmt.Sprint(res.Seqs) != fmt.Sprint(want) {
			t.Errorf("run %d: append after reopening got seqs %v, want %v", run, res.Seqs, want)
		}
		size = rep.Entries + 2
		if err := s.Close(); err != nil {
			t.Fatalf("run %d: close: %v", run, err)
		}
		t.Logf("run %d: killed %v after the first ack; %d acknowledged; log now %d entries", run, delay, len(acks), size)
	}
	t.Logf("%s: %d kills, %d acknowledged events, in %v", e.Name, crashKills, len(all), time.Since(start).Round(time.Millisecond))
}

// runCrashChild starts a child appending to the store of cfg, kills it
// with SIGKILL delay after its first acknowledgement and returns every
// acknowledgement it printed.
func runCrashChild(t *testing.T, cfg sqlstore.Config, run int, delay time.Duration) []crashAck {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+CrashChildTest+"$", "-test.count=1", "-test.timeout=60s")
	cmd.Env = append(os.Environ(), crashDBEnv+"="+cfg.DB, crashKeyEnv+"="+cfg.KeyFilePath(), crashRunEnv+"="+strconv.Itoa(run))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("run %d: start child: %v", run, err)
	}
	first := make(chan struct{})
	type result struct {
		acks  []crashAck
		other []string // lines that are not acks: the testing package's
		err   error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		br := bufio.NewReader(out)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				// A line cut short by the kill was never acknowledged
				// (each result is one write, so this does not happen).
				if !errors.Is(err, io.EOF) {
					r.err = err
				}
				break
			}
			rest, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "ack ")
			if !ok {
				r.other = append(r.other, line)
				continue
			}
			seq, key, ok := strings.Cut(rest, " ")
			n, err := strconv.ParseInt(seq, 10, 64)
			if !ok || err != nil {
				r.err = fmt.Errorf("malformed ack line %q", line)
				break
			}
			if len(r.acks) == 0 {
				close(first)
			}
			r.acks = append(r.acks, crashAck{n, key})
		}
		done <- r
	}()
	var r result
	select {
	case <-first:
		time.Sleep(delay)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("run %d: kill: %v", run, err)
		}
		r = <-done
	case r = <-done: // the child stopped without acknowledging anything
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		cmd.Wait()
		t.Fatalf("run %d: the child acknowledged nothing in 30s; stderr:\n%s", run, stderr.String())
	}
	werr := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(werr, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("run %d: the child was not killed but ended with %v (does the test binary have a %s that calls storetest.CrashChild?); stdout:\n%s\nstderr:\n%s",
			run, werr, CrashChildTest, strings.Join(r.other, ""), stderr.String())
	}
	if r.err != nil {
		t.Fatalf("run %d: read the child's acks: %v", run, r.err)
	}
	return r.acks
}

// checkAcked checks, behind the store's back, that every acknowledged
// index is in the events table with its key.
func checkAcked(t *testing.T, d *DB, acks []crashAck) {
	t.Helper()
	rows, err := d.Raw(t).Query(`SELECT seq, key FROM events`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	logged := map[int64]string{}
	for rows.Next() {
		var seq int64
		var key string
		if err := rows.Scan(&seq, &key); err != nil {
			t.Fatal(err)
		}
		logged[seq] = key
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	lost := 0
	for _, a := range acks {
		if key, ok := logged[a.seq]; !ok || key != a.key {
			if lost++; lost <= 10 {
				t.Errorf("acknowledged log index %d (key %s) lost: the events table has %q there", a.seq, a.key, key)
			}
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged events lost", lost, len(acks))
	}
}

// CrashChild is the writer the crash test kills, when run in the child
// process (it skips otherwise). A package that runs the suite calls it
// from a test named TestCrashChild:
//
//	func TestCrashChild(t *testing.T) { storetest.CrashChild(t) }
//
// Three goroutines append batches of registrations (AppendBatch), a
// fourth transfers the persons they registered one event per transaction
// (Append); after each acknowledged result it prints "ack <seq> <key>" per
// event, one write per result, to stdout (unbuffered).
func CrashChild(t *testing.T) {
	db := os.Getenv(crashDBEnv)
	if db == "" {
		t.Skip("run by the conformance suite's crash test in a child process")
	}
	run, err := strconv.Atoi(os.Getenv(crashRunEnv))
	if err != nil {
		t.Fatalf("%s: %v", crashRunEnv, err)
	}
	// A safety net: the parent kills the child long before this.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: db, KeyFile: os.Getenv(crashKeyEnv)})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()

	prefix := fmt.Sprintf("crash-%d", run)
	base := (run + 1) * 1_000_000 // this child's persons
	var mu sync.Mutex
	ack := func(seqs []int64, events []custody.Event) {
		var b []byte
		for i, seq := range seqs {
			b = fmt.Appendf(b, "ack %d %s\n", seq, events[i].Key)
		}
		mu.Lock()
		defer mu.Unlock()
		if _, err := os.Stdout.Write(b); err != nil {
			panic(err)
		}
	}
	fail := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
		os.Exit(3)
	}

	registered := make(chan int, 100_000)
	var wg sync.WaitGroup
	const batchers, perBatch = 3, 5
	for g := range batchers {
		wg.Go(func() {
			for b := 0; ctx.Err() == nil; b++ {
				first := base + g*100_000 + b*perBatch
				reqs := Registrations(prefix, first, perBatch, PrisonA)
				res, err := s.AppendBatch(ctx, reqs)
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					fail("append batch: %v", err)
				}
				for i, r := range res {
					if r.Err != nil || r.Replayed {
						fail("request %s rejected: %v (replayed %v)", reqs[i][0].Key, r.Err, r.Replayed)
					}
					ack(r.Seqs, reqs[i])
					select {
					case registered <- first + i:
					default:
					}
				}
			}
		})
	}
	wg.Go(func() {
		for n := 0; ctx.Err() == nil; n++ {
			var p int
			select {
			case p = <-registered:
			case <-ctx.Done():
				return
			}
			req := Transfer(prefix, n, p, PrisonA, PrisonB)
			res, err := s.Append(ctx, req...)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				fail("append transfer %s: %v", req[0].Key, err)
			}
			ack(res.Seqs, req)
		}
	})
	wg.Wait()
}
