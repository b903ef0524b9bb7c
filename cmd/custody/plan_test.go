package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlan plans the men still held in Gweiran after the demo's transfer
// into buses and an aircraft bound for two Iraqi prisons whose free room
// (capacity less those held there now) is smaller than the vehicles' seats;
// then checks a hand-edited copy of the plan.
func TestPlan(t *testing.T) {
	db := demoDB(t)
	dir := t.TempDir()
	res := filepath.Join(dir, "resources.json")
	writeFile(t, res, `{
  "vehicles": [
    {"id": "bus-01", "kind": "land", "seats": 40, "move": "convoy-A", "date": "2026-02-13", "origin": "gweiran", "destination": "iq-moj-baghdad"},
    {"id": "bus-02", "kind": "land", "seats": 40, "move": "convoy-A", "date": "2026-02-13", "origin": "gweiran", "destination": "iq-moj-baghdad"},
    {"id": "bus-03", "kind": "land", "seats": 40, "move": "convoy-A", "date": "2026-02-13", "origin": "gweiran", "destination": "iq-moj-south"},
    {"id": "air-01", "kind": "aircraft", "seats": 150, "move": "flight-1", "date": "2026-02-14", "origin": "gweiran", "destination": "iq-moj-south"}
  ],
  "destinations": [{"facility": "iq-moj-baghdad", "capacity": 3070}, {"facility": "iq-moj-south"}]
}`)
	out := filepath.Join(dir, "plan.json")
	r := runOK(t, nil, "plan", "--db", db, "--resources", res, "--out", out)
	for _, want := range []string{"candidates 240,", "checker: 0 violations", "unassigned, destination-capacity-exhausted"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan output lacks %q:\n%s", want, r.stdout)
		}
	}
	var pf planFile
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pf); err != nil {
		t.Fatal(err)
	}
	// Baghdad holds 3,031 and is given a capacity of 3,070: 39 more at most.
	toBaghdad := 0
	for _, a := range pf.Plan.Assignments {
		if a.Vehicle == "bus-01" || a.Vehicle == "bus-02" {
			toBaghdad++
		}
	}
	if toBaghdad > 39 {
		t.Errorf("%d planned into Baghdad, which has room for 39", toBaghdad)
	}
	if len(pf.Plan.Assignments)+len(pf.Plan.Unassigned) != 240 {
		t.Errorf("%d seated + %d unassigned, want 240 in all", len(pf.Plan.Assignments), len(pf.Plan.Unassigned))
	}

	// A planner edits the plan by hand and puts two men in one seat.
	pf.Plan.Assignments[1].Vehicle, pf.Plan.Assignments[1].Seat = pf.Plan.Assignments[0].Vehicle, pf.Plan.Assignments[0].Seat
	edited := filepath.Join(dir, "edited.json")
	b, _ = json.Marshal(pf)
	writeFile(t, edited, string(b))
	r = run(t.Context(), nil, "plan", "--check", edited)
	if r.code != exitMismatch || !strings.Contains(r.stdout, "2 persons in seat") {
		t.Errorf("check of an edited plan: exit %d, want %d naming the seat\n%s%s", r.code, exitMismatch, r.stdout, r.stderr)
	}
	if r := runOK(t, nil, "plan", "--check", out); !strings.Contains(r.stdout, "checker: 0 violations") {
		t.Errorf("check of the planner's own plan:\n%s", r.stdout)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestPlanSubmit records a plan as planned moves: refused whole when the
// allocation's target is reached, accepted under an allocation with room;
// the moves board then shows the planned move and its manifest.
func TestPlanSubmit(t *testing.T) {
	db := copyDB(t, demoDB(t))
	dir := t.TempDir()
	res := filepath.Join(dir, "resources.json")
	writeFile(t, res, `{
  "vehicles": [
    {"id": "suv-1", "kind": "land", "seats": 3, "move": "MV-20260214-01", "date": "2026-02-14", "origin": "gweiran", "destination": "iq-moj-central"}
  ],
  "destinations": [{"facility": "iq-moj-central"}]
}`)
	submit := func(alloc string) result {
		return run(t.Context(), nil, "plan", "--db", db, "--resources", res, "--tier", "1,2,3,0",
			"--submit", "--allocation", alloc, "--escort", "centcom", "--user", "planner.centcom", "--authority", "centcom")
	}
	size := func() string { return strings.Fields(runOK(t, nil, "verify", "--db", db).stdout)[1] }
	before := size()
	seated := func(name string) map[string]bool {
		t.Helper()
		out := filepath.Join(dir, name)
		runOK(t, nil, "plan", "--db", db, "--resources", res, "--tier", "1,2,3,0", "--out", out)
		var pf planFile
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &pf); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, a := range pf.Plan.Assignments {
			ids[string(a.Person)] = true
		}
		if len(ids) != 3 {
			t.Fatalf("%s seats %d, want 3", name, len(ids))
		}
		return ids
	}
	first := seated("first.json")
	// The main allocation has carried its 7,000: nothing is recorded.
	if r := submit("ALLOC-2026-01"); r.code != 1 || !strings.Contains(r.stderr, "above its target of 7000") {
		t.Fatalf("submit under a full allocation: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if after := size(); after != before {
		t.Fatalf("a refused submission changed the log: %s entries, then %s", before, after)
	}
	// Usage: --submit needs the allocation and who records it.
	if r := run(t.Context(), nil, "plan", "--db", db, "--resources", res, "--submit"); r.code != 2 {
		t.Errorf("--submit without --allocation: exit %d, want 2", r.code)
	}
	r := submit("ALLOC-2026-01-R")
	if r.code != 0 || !strings.Contains(r.stdout, "planned move MV-20260214-01 (gweiran → iq-moj-central, 3 persons)") {
		t.Fatalf("submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runOK(t, nil, "moves", "--db", db, "--status", "planned")
	if !strings.Contains(r.stdout, "MV-20260214-01") || !strings.Contains(r.stdout, "1 moves") {
		t.Errorf("moves --status planned:\n%s", r.stdout)
	}
	// Planned again, the same men are on an open manifest: the planner
	// leaves them out and seats others.
	for id := range seated("again.json") {
		if first[id] {
			t.Errorf("%s, on the submitted move's manifest, is planned again", id)
		}
	}
	if r := runOK(t, nil, "verify", "--db", db); !strings.HasPrefix(r.stdout, "ok: ") {
		t.Errorf("verify: %s", r.stdout)
	}
}
