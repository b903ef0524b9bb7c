package custody

import (
	"strings"
	"testing"
)

// The policy tests ask what each role may record and read in the move
// world: a move MV-P planned from ghwayran (SDF) to karkh (Iraqi MoJ),
// escorted by CENTCOM.

func policyWorld(t *testing.T) *moveWorld {
	w := newMoveWorld(t)
	w.plan("MV-P", centcom, w.man(0), w.man(1))
	return w
}

var (
	pAdmin     = &User{Name: "admin", Role: RoleAdmin}
	pRegistrar = &User{Name: "reg", Role: RoleRegistrar, Authority: sdf, Facilities: []FacilityID{ghwayran}}
	pOtherReg  = &User{Name: "reg2", Role: RoleRegistrar, Authority: sdf, Facilities: []FacilityID{panorama}}
	pPlanner   = &User{Name: "plan", Role: RolePlanner, Authority: centcom}
	pEscort    = &User{Name: "esc", Role: RoleEscort, Authority: centcom}
	pOtherEsc  = &User{Name: "esc2", Role: RoleEscort, Authority: france}
	pReceiver  = &User{Name: "recv", Role: RoleReceiver, Authority: iraqMoJ}
	pJudicial  = &User{Name: "judge", Role: RoleJudicial, Authority: iraqMoJ}
	pConsular  = &User{Name: "consul", Role: RoleConsular, Nationalities: []string{"FR"}}
	pMonitor   = &User{Name: "icrc", Role: RoleMonitor}
	pFamily    = &User{Name: "desk", Role: RoleFamilyDesk}
	pDisabled  = &User{Name: "gone", Role: RoleMonitor, Disabled: true}
)

func TestCanRecord(t *testing.T) {
	w := policyWorld(t)
	m0 := w.man(0)
	tests := []struct {
		name string
		p    Payload
		ok   []*User
	}{
		{"register facility", &FacilityRegistered{Facility: Facility{ID: "x"}}, []*User{pAdmin}},
		{"control change", &ControlChanged{Facility: ghwayran, From: sdf, To: gov}, []*User{pAdmin}},
		{"register person", &PersonRegistered{Person: person("N-1")}, []*User{pRegistrar, pOtherReg}},
		{"admit at ghwayran", admission("N-1", ghwayran), []*User{pRegistrar}},
		{"admit at panorama", admission("N-1", panorama), []*User{pOtherReg}},
		{"release from ghwayran", &Released{Person: m0, Facility: ghwayran, Reason: "court-order"}, []*User{pRegistrar}},
		{"escape from ghwayran", &Escaped{Person: m0, Facility: ghwayran}, []*User{pRegistrar}},
		{"escape from the move", &Escaped{Person: m0, Move: "MV-P"}, []*User{pEscort}},
		{"identity correction", &IdentityCorrected{Person: person(m0)}, []*User{pRegistrar}},
		{"allocation", &AllocationCreated{}, []*User{pPlanner}},
		{"plan", &MovePlanned{}, []*User{pPlanner}},
		{"amend", &ManifestAmended{Move: "MV-P"}, []*User{pPlanner}},
		{"abort", &MoveAborted{Move: "MV-P"}, []*User{pPlanner, pEscort}},
		{"start boarding", &BoardingStarted{Move: "MV-P"}, []*User{pEscort}},
		{"board", &Boarded{Move: "MV-P", Person: m0}, []*User{pEscort}},
		{"depart", &Departed{Move: "MV-P"}, []*User{pEscort}},
		{"count", &Counted{Move: "MV-P", Leg: 1}, []*User{pEscort, pReceiver}},
		{"arrive", &Arrived{Move: "MV-P"}, []*User{pEscort}},
		{"release at departure", &HandoverReleased{Move: "MV-P", Stage: AtDeparture, To: centcom}, []*User{pRegistrar, pEscort, pReceiver}},
		{"receive", &HandoverReceived{Move: "MV-P"}, []*User{pEscort, pReceiver}},
		{"refuse", &HandoverRefused{Move: "MV-P"}, []*User{pEscort, pReceiver}},
		{"close", &MoveClosed{Move: "MV-P"}, []*User{pEscort, pReceiver}},
	}
	all := []*User{pAdmin, pRegistrar, pOtherReg, pPlanner, pEscort, pOtherEsc, pReceiver, pJudicial, pConsular, pMonitor, pFamily, pDisabled}
	for _, tc := range tests {
		for _, u := range all {
			e := NewEvent(tc.p, t0, t0, u.Actor("test"), "k")
			err := CanRecord(u, w.s, &e)
			want := false
			for _, ok := range tc.ok {
				want = want || ok == u
			}
			if (err == nil) != want {
				t.Errorf("%s as %s (%s): allowed %v, want %v (%v)", tc.name, u.Name, u.Role, err == nil, want, err)
			}
			if err != nil && ErrorCode(err) != Forbidden {
				t.Errorf("%s as %s: code %s, want forbidden", tc.name, u.Name, ErrorCode(err))
			}
		}
	}
}

// An event must be recorded in its own user's name.
func TestCanRecordOwnName(t *testing.T) {
	w := policyWorld(t)
	e := NewEvent(&BoardingStarted{Move: "MV-P"}, t0, t0, Actor{User: "someone-else", Authority: centcom}, "k")
	if err := CanRecord(pEscort, w.s, &e); err == nil || !strings.Contains(err.Error(), "own user's name") {
		t.Fatalf("an event in another user's name: %v", err)
	}
}

func TestCanReadPerson(t *testing.T) {
	french := PersonFacts{Nationalities: []string{"FR", "DZ"}, Facility: ghwayran, Holder: sdf}
	onMove := PersonFacts{Nationalities: []string{"IQ"}, Facility: ghwayran, Holder: sdf, MoveEscort: centcom, MoveReceiver: iraqMoJ}
	inIraq := PersonFacts{Nationalities: []string{"IQ"}, Facility: karkh, Holder: iraqMoJ}
	tests := []struct {
		f    PersonFacts
		name string
		ok   []*User
	}{
		{french, "French national at ghwayran", []*User{pRegistrar, pPlanner, pConsular, pMonitor}},
		{onMove, "Iraqi on a move", []*User{pRegistrar, pPlanner, pEscort, pReceiver, pMonitor}},
		{inIraq, "Iraqi held in Iraq", []*User{pPlanner, pReceiver, pJudicial, pMonitor}},
	}
	all := []*User{pAdmin, pRegistrar, pOtherReg, pPlanner, pEscort, pOtherEsc, pReceiver, pJudicial, pConsular, pMonitor, pFamily, pDisabled}
	for _, tc := range tests {
		for _, u := range all {
			want := false
			for _, ok := range tc.ok {
				want = want || ok == u
			}
			if got := CanReadPerson(u, tc.f); got != want {
				t.Errorf("%s as %s (%s): %v, want %v", tc.name, u.Name, u.Role, got, want)
			}
		}
	}
	if CanReadPerson(nil, french) {
		t.Error("nobody read a person")
	}
}

func TestCan(t *testing.T) {
	for _, tc := range []struct {
		a  Action
		ok []Role
	}{
		{ViewOperation, Roles},
		{SearchPersons, []Role{RoleRegistrar, RolePlanner, RoleEscort, RoleReceiver, RoleJudicial, RoleConsular, RoleMonitor}},
		{ViewMoves, []Role{RoleAdmin, RoleRegistrar, RolePlanner, RoleEscort, RoleReceiver, RoleMonitor}},
		{ReadLog, []Role{RoleMonitor}},
		{ReadAudit, []Role{RoleMonitor}},
		{ManageUsers, []Role{RoleAdmin}},
		{RecordEvents, []Role{RoleAdmin, RoleRegistrar, RolePlanner, RoleEscort, RoleReceiver, RoleJudicial, RoleConsular}},
		{ViewCases, []Role{RoleJudicial, RoleConsular, RoleMonitor}},
		{ViewConsular, []Role{RoleRegistrar, RoleReceiver, RoleJudicial, RoleConsular, RoleMonitor}},
		{"no-such-action", nil},
	} {
		for _, r := range Roles {
			want := false
			for _, ok := range tc.ok {
				want = want || ok == r
			}
			if got := Can(&User{Name: "u", Role: r}, tc.a); got != want {
				t.Errorf("Can(%s, %s) = %v, want %v", r, tc.a, got, want)
			}
		}
		if Can(pDisabled, tc.a) || Can(nil, tc.a) {
			t.Errorf("a disabled user or nobody can %s", tc.a)
		}
	}
}

func TestCanViewMove(t *testing.T) {
	m := MoveFacts{Origin: ghwayran, Releaser: sdf, Escort: centcom, Receiver: iraqMoJ}
	all := []*User{pAdmin, pRegistrar, pOtherReg, pPlanner, pEscort, pOtherEsc, pReceiver, pJudicial, pConsular, pMonitor, pFamily, pDisabled}
	ok := map[*User]bool{pAdmin: true, pRegistrar: true, pPlanner: true, pEscort: true, pReceiver: true, pMonitor: true}
	for _, u := range all {
		if got := CanViewMove(u, m); got != ok[u] {
			t.Errorf("CanViewMove(%s) = %v, want %v", u.Name, got, ok[u])
		}
	}
}

func TestUserValidate(t *testing.T) {
	for _, tc := range []struct {
		u   User
		err string
	}{
		{User{Name: "a", Role: RoleMonitor}, ""},
		{User{Name: "", Role: RoleMonitor}, "name is empty"},
		{User{Name: "Bad Name", Role: RoleMonitor}, "only lower-case"},
		{User{Name: "a", Role: "king"}, "not one of"},
		{User{Name: "a", Role: RoleRegistrar, Authority: sdf}, "at least one facility"},
		{User{Name: "a", Role: RoleRegistrar, Facilities: []FacilityID{ghwayran}}, "authority is empty"},
		{User{Name: "a", Role: RoleConsular}, "at least one nationality"},
		{User{Name: "a", Role: RoleConsular, Nationalities: []string{"France"}}, "alpha-2"},
		{User{Name: "a", Role: RoleMonitor, Nationalities: []string{"FR"}}, "only a consular"},
		{User{Name: "a", Role: RoleEscort}, "authority is empty"},
	} {
		err := tc.u.Validate()
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%+v: %v, want %q", tc.u, err, tc.err)
		}
	}
}
