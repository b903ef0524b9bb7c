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
