package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
)

// TestRecordMove runs a whole move through `custody record`, as an escort
// commander and a receiving prison without the web UI would: planned,
// boarded by wristband scan, handed to the escort, counted, arrived,
// received person by person, closed. A scan of a man not on the manifest
// is refused whole, naming the rule, and records nothing.
func TestRecordMove(t *testing.T) {
	db := copyDB(t, demoDB(t))
	dir := t.TempDir()
	// Three men still held in Gweiran, from the planner.
	res := filepath.Join(dir, "resources.json")
	writeFile(t, res, `{"vehicles": [{"id": "suv-1", "kind": "land", "seats": 4, "move": "MV-X", "date": "2026-02-14", "origin": "gweiran", "destination": "iq-moj-central"}],
  "destinations": [{"facility": "iq-moj-central"}]}`)
	out := filepath.Join(dir, "plan.json")
	runOK(t, nil, "plan", "--db", db, "--resources", res, "--out", out)
	var pf planFile
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &pf); err != nil {
		t.Fatal(err)
	}
	men := make([]string, 0, 4)
	for _, a := range pf.Plan.Assignments[:3] {
		men = append(men, string(a.Person))
	}
	other := string(pf.Plan.Assignments[3].Person)

	at := "2026-02-14T06:00:00Z"
	n := 0
	line := func(typ custody.EventType, data string) string {
		n++
		data = strings.Join(strings.Fields(data), " ") // one line each
		return fmt.Sprintf(`{"type": %q, "occurred_at": %q, "key": "rec-%d", "data": %s}`, typ, at, n, data)
	}
	record := func(user, auth string, lines ...string) result {
		t.Helper()
		f := filepath.Join(dir, fmt.Sprintf("r%d.jsonl", n))
		writeFile(t, f, "# written by the test\n"+strings.Join(lines, "\n")+"\n")
		return run(t.Context(), nil, "record", "--db", db, "--user", user, "--authority", auth, "--site", "Gweiran", "--in", f)
	}
	ok := func(r result) result {
		t.Helper()
		if r.code != 0 {
			t.Fatalf("record: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		return r
	}
	seqOf := func(r result) string {
		t.Helper()
		m := regexp.MustCompile(`at log index (\d+)\n$`).FindStringSubmatch(r.stdout)
		if m == nil {
			t.Fatalf("no log index in %q", r.stdout)
		}
		return m[1]
	}
	ids, _ := json.Marshal(men)
	manifest := fmt.Sprintf(`[{"person": %q, "vehicle": "suv-1", "seat": 1}, {"person": %q, "vehicle": "suv-1", "seat": 2}, {"person": %q, "vehicle": "suv-1", "seat": 3}]`, men[0], men[1], men[2])
	ok(record("planner.centcom", "centcom",
		line(custody.TypeMovePlanned, `{"move": {"id": "MV-X", "allocation": "ALLOC-2026-01-R", "mode": "land", "origin": "gweiran", "destination": "iq-moj-central",
		  "escort": "centcom", "departure": "2026-02-14T06:00:00Z", "arrival": "2026-02-14T16:00:00Z",
		  "vehicles": [{"id": "suv-1", "kind": "armoured SUV", "label": "CC-77", "seats": 4}],
		  "legs": [{"kind": "border-crossing", "place": "Rabia"}]}, "manifest": `+manifest+`}`)))
	ok(record("escort.sdf", "sdf", line(custody.TypeBoardingStarted, `{"move": "MV-X"}`)))

	// A wristband scanned that is not on the manifest: refused, nothing
	// recorded, not even the valid scans of the same file.
	before := runOK(t, nil, "verify", "--db", db).stdout
	r := record("escort.sdf", "sdf",
		line(custody.TypeBoarded, fmt.Sprintf(`{"move": "MV-X", "vehicle": "suv-1", "person": %q, "scan": "qr", "code": %q}`, men[0], custody.WristbandCode(custody.PersonID(men[0])))),
		line(custody.TypeBoarded, fmt.Sprintf(`{"move": "MV-X", "vehicle": "suv-1", "person": %q, "scan": "qr", "code": %q}`, other, custody.WristbandCode(custody.PersonID(other)))))
	if r.code != 1 || !strings.Contains(r.stderr, "rule not-on-manifest") || !strings.Contains(r.stderr, other) {
		t.Fatalf("boarding a man not on the manifest: exit %d\n%s", r.code, r.stderr)
	}
	if after := runOK(t, nil, "verify", "--db", db).stdout; after != before {
		t.Fatalf("a refused file changed the log:\n%s\n%s", before, after)
	}

	var boarded []string
	for _, p := range men {
		boarded = append(boarded, line(custody.TypeBoarded, fmt.Sprintf(`{"move": "MV-X", "vehicle": "suv-1", "person": %q, "scan": "qr", "code": %q}`, p, custody.WristbandCode(custody.PersonID(p)))))
	}
	ok(record("escort.sdf", "sdf", boarded...))
	rel := seqOf(ok(record("escort.sdf", "sdf", line(custody.TypeHandoverReleased, fmt.Sprintf(`{"move": "MV-X", "stage": "departure", "to": "centcom", "persons": %s}`, ids)))))
	// The escort confirms, counts at departure and at the border, arrives.
	ok(record("escort.centcom", "centcom",
		line(custody.TypeHandoverReceived, fmt.Sprintf(`{"move": "MV-X", "handover": %s, "persons": %s, "identity_checked": true}`, rel, ids)),
		line(custody.TypeDeparted, `{"move": "MV-X", "count": 3}`),
		line(custody.TypeCounted, `{"move": "MV-X", "leg": 1, "count": 3}`),
		line(custody.TypeArrived, `{"move": "MV-X", "count": 3}`)))
	rel = seqOf(ok(record("escort.centcom", "centcom", line(custody.TypeHandoverReleased, fmt.Sprintf(`{"move": "MV-X", "stage": "arrival", "to": "iraq-moj", "persons": %s}`, ids)))))
	// A confirmation by a user of the wrong authority is refused.
	if r := record("escort.centcom", "centcom", line(custody.TypeHandoverReceived, fmt.Sprintf(`{"move": "MV-X", "handover": %s, "persons": %s, "identity_checked": true}`, rel, ids))); r.code != 1 || !strings.Contains(r.stderr, "rule wrong-authority") {
		t.Fatalf("receipt confirmed by the escort itself: exit %d\n%s", r.code, r.stderr)
	}
	// Person by person: two, then the third, then close.
	ok(record("intake.moj", "iraq-moj", line(custody.TypeHandoverReceived, fmt.Sprintf(`{"move": "MV-X", "handover": %s, "persons": [%q, %q], "identity_checked": true}`, rel, men[0], men[1]))))
	if r := record("intake.moj", "iraq-moj", line(custody.TypeMoveClosed, `{"move": "MV-X"}`)); r.code != 1 || !strings.Contains(r.stderr, "1 still aboard") {
		t.Fatalf("close with a man still aboard: exit %d\n%s", r.code, r.stderr)
	}
	ok(record("intake.moj", "iraq-moj",
		line(custody.TypeHandoverReceived, fmt.Sprintf(`{"move": "MV-X", "handover": %s, "persons": [%q], "identity_checked": true}`, rel, men[2])),
		line(custody.TypeMoveClosed, `{"move": "MV-X"}`)))

	if r := runOK(t, nil, "moves", "--db", db, "--move", "MV-X"); !regexp.MustCompile(`status\s+closed`).MatchString(r.stdout) || strings.Contains(r.stdout, "does not balance") {
		t.Errorf("MV-X:\n%s", r.stdout)
	}
	if r := runOK(t, nil, "verify", "--db", db); !strings.HasPrefix(r.stdout, "ok: ") {
		t.Errorf("verify: %s", r.stdout)
	}
}

func TestParseEventLines(t *testing.T) {
	now := time.Date(2026, 2, 14, 12, 0, 0, 0, time.UTC)
	by := custody.Actor{User: "u", Authority: "sdf"}
	good := `{"type": "move.departed", "occurred_at": "2026-02-14T06:00:00Z", "key": "k1", "data": {"move": "MV-1", "count": 3}}`
	events, err := parseEventLines(strings.NewReader("# comment\n\n"+good+"\n"), by, now)
	if err != nil || len(events) != 1 {
		t.Fatalf("good input: %v, %v", events, err)
	}
	if d, ok := events[0].Data.(*custody.Departed); !ok || d.Count != 3 || events[0].By != by || !events[0].RecordedAt.Equal(now) {
		t.Errorf("decoded %+v", events[0])
	}
	tests := []struct{ name, in, want string }{
		{"empty", "\n# nothing\n", "no events"},
		{"not JSON", "departed MV-1", "line 1: not an event object"},
		{"unknown member", `{"type": "move.departed", "occurred_at": "2026-02-14T06:00:00Z", "key": "k", "data": {}, "by": "x"}`, `line 1: not an event object`},
		{"unknown type", `{"type": "move.teleported", "occurred_at": "2026-02-14T06:00:00Z", "key": "k", "data": {}}`, `line 1: member "type"`},
		{"no key", `{"type": "move.departed", "occurred_at": "2026-02-14T06:00:00Z", "data": {}}`, `member "key"`},
		{"no time", `{"type": "move.departed", "key": "k", "data": {}}`, `member "occurred_at" is missing`},
		{"bad time", `{"type": "move.departed", "occurred_at": "yesterday", "key": "k", "data": {}}`, `"yesterday" is not an RFC 3339 time`},
		{"future", `{"type": "move.departed", "occurred_at": "2026-03-01T00:00:00Z", "key": "k", "data": {}}`, "in the future"},
		{"no data", `{"type": "move.departed", "occurred_at": "2026-02-14T06:00:00Z", "key": "k"}`, `member "data" is missing`},
		{"unknown data member", `{"type": "move.departed", "occurred_at": "2026-02-14T06:00:00Z", "key": "k", "data": {"move": "M", "cnt": 3}}`, `member "data" of a move.departed`},
		{"wrong type in data", `{"type": "move.departed", "occurred_at": "2026-02-14T06:00:00Z", "key": "k", "data": {"move": "M", "count": "three"}}`, `member "data" of a move.departed`},
		{"duplicate key", good + "\n" + good, `line 2: key "k1" is already used on line 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseEventLines(strings.NewReader(tt.in), by, now)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func FuzzParseEventLines(f *testing.F) {
	f.Add(`{"type": "move.departed", "occurred_at": "2026-02-14T06:00:00Z", "key": "k1", "data": {"move": "MV-1", "count": 3}}`)
	f.Add(`{"type": "move.planned", "occurred_at": "2026-02-14T06:00:00Z", "key": "k", "data": {"move": {"id": "M"}, "manifest": [{"person": "P", "vehicle": "v", "seat": 1}]}}`)
	f.Add("# x\n\n{}")
	now := time.Date(2026, 2, 14, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		events, err := parseEventLines(strings.NewReader(in), custody.Actor{User: "u", Authority: "a"}, now)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") && err.Error() != "no events to record" && !strings.HasPrefix(err.Error(), "read events") {
				t.Fatalf("error does not name the line: %v", err)
			}
			return
		}
		for _, e := range events {
			if e.Data == nil || e.Data.EventType() != e.Type || e.Key == "" {
				t.Fatalf("accepted an event without data, type or key: %+v", e)
			}
		}
	})
}
