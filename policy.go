package custody

import (
	"fmt"
	"slices"
	"strings"
)

// Access policy. Every decision is a plain function of the user and the
// thing asked for; anything not allowed here is denied. The web server
// asks these functions and nothing else, and a test calls every route as
// every role against them.

// Role is what a user does in the operation.
type Role string

// Roles, as in DESIGN.md's access control.
const (
	RoleAdmin      Role = "admin"       // users and reference data; not the register itself
	RoleRegistrar  Role = "registrar"   // the roll of its facilities
	RolePlanner    Role = "planner"     // allocations and moves
	RoleEscort     Role = "escort"      // the moves its authority escorts
	RoleReceiver   Role = "receiver"    // persons held by, or moving to, its authority
	RoleJudicial   Role = "judicial"    // persons held by its authority (cases come later)
	RoleConsular   Role = "consular"    // its nationals only
	RoleMonitor    Role = "monitor"     // everything, read only, plus the audit trail
	RoleFamilyDesk Role = "family-desk" // answers families; no direct access to records
)

// Roles lists every role, in the order they are shown.
var Roles = []Role{RoleAdmin, RoleRegistrar, RolePlanner, RoleEscort, RoleReceiver, RoleJudicial, RoleConsular, RoleMonitor, RoleFamilyDesk}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if slices.Contains(Roles, r) {
		return r, nil
	}
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return "", fmt.Errorf("role %q is not one of %s", s, strings.Join(names, ", "))
}

// User is someone who signs in: a login name, one role, the authority they
// act for and, for scoped roles, their scope.
type User struct {
	Name          string       `json:"name"`
	Role          Role         `json:"role"`
	Authority     AuthorityID  `json:"authority,omitempty"`
	Facilities    []FacilityID `json:"facilities,omitempty"`    // registrar scope
	Nationalities []string     `json:"nationalities,omitempty"` // consular scope (ISO 3166-1 alpha-2)
	Disabled      bool         `json:"disabled,omitempty"`
}

// Validate checks that the user has what their role needs: an authority for
// every role that records or reads by authority, facilities for a
// registrar, nationalities for a consular officer.
func (u *User) Validate() error {
	if u.Name == "" {
		return fmt.Errorf("name is empty")
	}
	for _, r := range u.Name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '@') {
			return fmt.Errorf("name %q: only lower-case letters, digits and - _ . @ are allowed", u.Name)
		}
	}
	if _, err := ParseRole(string(u.Role)); err != nil {
		return err
	}
	switch u.Role {
	case RoleRegistrar, RoleEscort, RoleReceiver, RoleJudicial, RolePlanner:
		if u.Authority == "" {
			return fmt.Errorf("a %s acts for an authority: authority is empty", u.Role)
		}
	}
	if u.Role == RoleRegistrar && len(u.Facilities) == 0 {
		return fmt.Errorf("a registrar needs at least one facility")
	}
	if u.Role != RoleRegistrar && len(u.Facilities) > 0 {
		return fmt.Errorf("only a registrar has facilities")
	}
	if u.Role == RoleConsular && len(u.Nationalities) == 0 {
		return fmt.Errorf("a consular officer needs at least one nationality")
	}
	if u.Role != RoleConsular && len(u.Nationalities) > 0 {
		return fmt.Errorf("only a consular officer has nationalities")
	}
	for _, n := range u.Nationalities {
		if len(n) != 2 || strings.ToUpper(n) != n {
			return fmt.Errorf("nationality %q is not an ISO 3166-1 alpha-2 code", n)
		}
	}
	return nil
}

// Actor is the user as the recorder of events.
func (u *User) Actor(site string) Actor {
	return Actor{User: u.Name, Authority: u.Authority, Site: site}
}

// Action is something a user does that is not about one person or move.
type Action string

// Actions.
const (
	ViewOperation   Action = "view-operation"   // dashboard figures, map, facilities, authorities, checkpoints
	SearchPersons   Action = "search-persons"   // list and search persons (results are still scoped)
	ViewAllocations Action = "view-allocations" // allocations and their progress
	ViewMoves       Action = "view-moves"       // move boards (each move is still scoped)
	ReadLog         Action = "read-log"         // the log's events, with their content
	ReadAudit       Action = "read-audit"       // who read which person's record
	ManageUsers     Action = "manage-users"     // add, disable, issue tokens
	RecordEvents    Action = "record-events"    // record anything at all (each event is still checked)
	AnswerFamilies  Action = "answer-families"  // family inquiries: record, propose candidates, decide, answer
	ViewCases       Action = "view-cases"       // the judicial board and case pages (each case is still scoped)
	ViewConsular    Action = "view-consular"    // consular notifications, death-penalty alerts, repatriation requests (each still scoped)
)

// Can reports whether u may take action a.
func Can(u *User, a Action) bool {
	if u == nil || u.Disabled {
		return false
	}
	r := u.Role
	switch a {
	case ViewOperation:
		return true
	case SearchPersons:
		return readsPersons(r)
	case ViewAllocations, ViewMoves:
		return r == RoleAdmin || r == RolePlanner || r == RoleEscort || r == RoleReceiver || r == RoleRegistrar || r == RoleMonitor
	case ReadLog, ReadAudit:
		return r == RoleMonitor
	case ManageUsers:
		return r == RoleAdmin
	case AnswerFamilies:
		return r == RoleFamilyDesk
	case RecordEvents:
		return r == RoleAdmin || r == RoleRegistrar || r == RolePlanner || r == RoleEscort || r == RoleReceiver || r == RoleJudicial || r == RoleConsular
	case ViewCases:
		return r == RoleJudicial || r == RoleConsular || r == RoleMonitor
	case ViewConsular:
		return r == RoleConsular || r == RoleMonitor || r == RoleJudicial || r == RoleReceiver || r == RoleRegistrar
	}
	return false
}

func readsPersons(r Role) bool {
	switch r {
	case RoleRegistrar, RolePlanner, RoleEscort, RoleReceiver, RoleJudicial, RoleConsular, RoleMonitor:
		return true
	}
	return false
}

// PersonFacts are what the policy needs to know about a person: their
// nationalities and where they are, and the open move they are on or
// manifested for.
type PersonFacts struct {
	Nationalities []string
	Facility      FacilityID  // where held (or the move's origin, aboard)
	Holder        AuthorityID // in whose custody now
	MoveEscort    AuthorityID // escort of their open move, if any
	MoveReceiver  AuthorityID // controller of their open move's destination, if any
}

// Scope is what a user may read of the register, as a filter: a person is
// in scope if All, or if any of the set fields matches them.
type Scope struct {
	All           bool
	Facilities    []FacilityID // held in (or moving from) one of these
	Nationalities []string     // a national of one of these
	Holder        AuthorityID  // in this authority's custody
	Escort        AuthorityID  // on or manifested for a move this authority escorts
	Receiver      AuthorityID  // on or manifested for a move into this authority's facilities
}

// None reports whether the scope admits nobody.
func (s Scope) None() bool {
	return !s.All && len(s.Facilities) == 0 && len(s.Nationalities) == 0 && s.Holder == "" && s.Escort == "" && s.Receiver == ""
}

// Admits reports whether a person with facts f is in the scope.
func (s Scope) Admits(f PersonFacts) bool {
	switch {
	case s.All:
		return true
	case f.Facility != "" && slices.Contains(s.Facilities, f.Facility):
		return true
	case s.Holder != "" && f.Holder == s.Holder:
		return true
	case s.Escort != "" && f.MoveEscort == s.Escort:
		return true
	case s.Receiver != "" && (f.MoveReceiver == s.Receiver || f.Holder == s.Receiver):
		return true
	}
	for _, n := range f.Nationalities {
		if slices.Contains(s.Nationalities, n) {
			return true
		}
	}
	return false
}

// PersonScope is the part of the register u may read.
func PersonScope(u *User) Scope {
	if u == nil || u.Disabled {
		return Scope{}
	}
	switch u.Role {
	case RoleMonitor, RolePlanner:
		return Scope{All: true}
	case RoleRegistrar:
		return Scope{Facilities: u.Facilities}
	case RoleEscort:
		return Scope{Escort: u.Authority}
	case RoleReceiver:
		return Scope{Receiver: u.Authority}
	case RoleJudicial:
		return Scope{Holder: u.Authority}
	case RoleConsular:
		return Scope{Nationalities: u.Nationalities}
	}
	return Scope{}
}

// CanReadPerson reports whether u may read the record of a person with
// facts f. Every such read is recorded in the audit trail.
func CanReadPerson(u *User, f PersonFacts) bool {
	return PersonScope(u).Admits(f)
}

// MoveFacts are what the policy needs to know about a move.
type MoveFacts struct {
	Origin     FacilityID
	Releaser   AuthorityID // controller of the origin
	Escort     AuthorityID
	Receiver   AuthorityID // controller of the destination
	Allocation AllocationID
}

// CanViewMove reports whether u may see move m and its manifest (persons
// on it are shown by ID; their records stay scoped).
func CanViewMove(u *User, m MoveFacts) bool {
	if !Can(u, ViewMoves) {
		return false
	}
	switch u.Role {
	case RoleAdmin, RolePlanner, RoleMonitor:
		return true
	case RoleEscort:
		return m.Escort == u.Authority
	case RoleReceiver:
		return m.Receiver == u.Authority || m.Escort == u.Authority
	case RoleRegistrar:
		return slices.Contains(u.Facilities, m.Origin)
	}
	return false
}

// CanRecord checks that u may record e, given the state before it: the
// event type must belong to u's role and what it touches must be in u's
// scope. The domain rules (sides of a handover, stages) are checked after
// this, by the state itself.
func CanRecord(u *User, st *State, e *Event) error {
	deny := func(why string) error {
		return &Error{Code: Forbidden, Msg: fmt.Sprintf("%s may not record %s: %s", u.Name, e.Type, why)}
	}
	if u == nil {
		return &Error{Code: Forbidden, Msg: "sign in to record events"}
	}
	if u.Disabled {
		return deny("the user is disabled")
	}
	if e.By.User != u.Name || e.By.Authority != u.Authority {
		return deny("an event is recorded in its own user's name")
	}
	switch d := e.Data.(type) {
	case *ReferencePublished, *AuthorityRegistered, *FacilityRegistered:
		if u.Role != RoleAdmin {
			return deny("reference data, authorities and facilities are an administrator's")
		}
		return nil
	case *ControlChanged:
		if u.Role != RoleAdmin {
			return deny("control changes are recorded by an administrator")
		}
		return nil
	case *PersonRegistered:
		if u.Role != RoleRegistrar {
			return deny("persons are registered by a registrar")
		}
		return nil // the admission in the same request is checked on its own
	case *IdentityCorrected:
		return registrarOf(u, st, deny, d.Person.ID)
	case *InquiryOpened, *InquiryDecided, *InquiryAnswered:
		if u.Role != RoleFamilyDesk {
			return deny("inquiries are a family desk's")
		}
		return nil
	case *PersonMerged:
		return registrarOf(u, st, deny, d.Kept)
	case *PersonUnmerged:
		// The merged record is placed nowhere: its registrar is the one of
		// the facility it is put back on.
		if ps, ok := st.Persons[d.Person]; ok && ps.Merged != nil {
			return registrarAt(u, deny, ps.Merged.Before.Facility)
		}
		return registrarOf(u, st, deny, d.Person)
	case *Admitted:
		if u.Role != RoleRegistrar || !slices.Contains(u.Facilities, d.Facility) {
			return deny(fmt.Sprintf("admissions to %s are its registrar's", d.Facility))
		}
		return nil
	case *Transferred:
		return registrarAt(u, deny, d.From)
	case *Released:
		return registrarAt(u, deny, d.Facility)
	case *Hospitalised:
		return registrarAt(u, deny, d.From)
	case *Returned:
		return registrarAt(u, deny, d.Facility)
	case *Recaptured:
		return registrarAt(u, deny, d.Facility)
	case *Escaped:
		if d.Move != "" {
			return moveSide(u, st, deny, d.Move, RoleEscort)
		}
		return registrarAt(u, deny, d.Facility)
	case *Died:
		if d.Move != "" {
			return moveSide(u, st, deny, d.Move, RoleEscort)
		}
		if d.Facility == "" {
			return registrarOf(u, st, deny, d.Person)
		}
		return registrarAt(u, deny, d.Facility)
	case *AllocationCreated, *MovePlanned, *ManifestAmended:
		if u.Role != RolePlanner {
			return deny("allocations and manifests are a planner's")
		}
		return nil
	case *MoveAborted:
		return moveSide(u, st, deny, d.Move, RolePlanner, RoleEscort)
	case *BoardingStarted:
		return moveSide(u, st, deny, d.Move, RoleEscort)
	case *Boarded:
		return moveSide(u, st, deny, d.Move, RoleEscort)
	case *NotBoarded:
		return moveSide(u, st, deny, d.Move, RoleEscort)
	case *Departed:
		return moveSide(u, st, deny, d.Move, RoleEscort)
	case *Counted:
		return moveSide(u, st, deny, d.Move, RoleEscort, RoleReceiver)
	case *Arrived:
		return moveSide(u, st, deny, d.Move, RoleEscort)
	case *Evacuated:
		return moveSide(u, st, deny, d.Move, RoleEscort)
	case *ChargesPublished, *PositionsPublished:
		if u.Role != RoleAdmin {
			return deny("reference data is an administrator's")
		}
		return nil
	case *CaseOpened:
		if err := judicialOf(u, deny, d.Case.Jurisdiction); err != nil {
			return err
		}
		// Only persons the user's authority holds: a judge learns nothing
		// of anyone else, not even whether they exist.
		if ps := st.Persons[d.Case.Person]; ps == nil || !ps.Location.Status.InCustody() || ps.Location.Authority != u.Authority {
			return unseen(e, "no person %q in the custody of %s", d.Case.Person, u.Authority)
		}
		return nil
	case *CaseCharged:
		return caseJudge(u, st, deny, d.Case)
	case *CaseHearing:
		return caseJudge(u, st, deny, d.Case)
	case *CaseDecided:
		return caseJudge(u, st, deny, d.Case)
	case *CaseSentenced:
		return caseJudge(u, st, deny, d.Case)
	case *CaseAppealed:
		return caseJudge(u, st, deny, d.Case)
	case *CaseAppealDecided:
		return caseJudge(u, st, deny, d.Case)
	case *ConsularNotified:
		if u.Role != RoleJudicial && u.Role != RoleReceiver && u.Role != RoleRegistrar {
			return deny("notifications are delivered by the custodial authority's judicial, receiving or registry staff")
		}
		if !isCountryCode(d.Country) {
			return nil // the state refuses the malformed event with its own rule
		}
		// Another authority's notification is answered as one that does
		// not exist: its existence would tell a person's nationality and
		// custodian.
		for _, id := range d.Notifications {
			if n := st.Notifications[id]; n == nil || n.Authority != u.Authority {
				return unseen(e, "no notification %q owed by %s", id, u.Authority)
			}
		}
		return nil
	case *ConsularAcknowledged:
		if u.Role != RoleConsular || !slices.Contains(u.Nationalities, d.Country) {
			return deny(fmt.Sprintf("notifications to %s are acknowledged by its consular officers", d.Country))
		}
		for _, id := range d.Notifications {
			if n := st.Notifications[id]; n == nil || n.Country != d.Country {
				return unseen(e, "no notification %q to %s", id, d.Country)
			}
		}
		return nil
	case *RepatriationRequested:
		if u.Role != RoleConsular || !slices.Contains(u.Nationalities, d.Request.Country) || u.Authority != d.Request.Authority {
			return deny(fmt.Sprintf("a repatriation to %s is requested by a consular officer of %s acting for %s", d.Request.Country, d.Request.Country, d.Request.Authority))
		}
		// A consul asks only for its own nationals: anyone else is "not
		// found", whether registered or not.
		for _, p := range d.Request.Persons {
			if ps := st.Persons[p]; ps == nil || !slices.Contains(ps.Person.Nationalities, d.Request.Country) {
				return unseen(e, "no national of %s registered as %q", d.Request.Country, p)
			}
		}
		return nil
	case *RepatriationDecided:
		ps := append([]PersonID(nil), d.Approved...)
		for _, r := range d.Refused {
			ps = append(ps, r.Person)
		}
		return holderOf(u, st, deny, ps)
	case *RepatriationReleased:
		return holderOf(u, st, deny, d.Persons)
	case *RepatriationReceived:
		if u.Role != RoleConsular {
			return deny("repatriated persons are received by the state's consular officer")
		}
		if r := st.Repatriations[d.Request]; r == nil || r.Request.Authority != u.Authority {
			return unseen(e, "no repatriation request %q to %s", d.Request, u.Authority)
		}
		return nil // the state checks the receiving authority
	case *HandoverReleased:
		return moveSide(u, st, deny, d.Move, RoleEscort, RoleReceiver, RoleRegistrar)
	case *HandoverReceived:
		return moveSide(u, st, deny, d.Move, RoleEscort, RoleReceiver)
	case *HandoverRefused:
		return moveSide(u, st, deny, d.Move, RoleEscort, RoleReceiver)
	case *MoveClosed:
		return moveSide(u, st, deny, d.Move, RoleEscort, RoleReceiver)
	}
	return deny("no role records this event type")
}

// unseen is the refusal of an event about something outside the user's
// scope: "not found", the same whether it exists or not, so that a refusal
// tells nothing about persons the user may not read.
func unseen(e *Event, format string, args ...any) error {
	return &Error{Code: NotFound, Event: e.Type, Key: e.Key, Msg: fmt.Sprintf(format, args...)}
}

// judicialOf allows a judicial user of authority a.
func judicialOf(u *User, deny func(string) error, a AuthorityID) error {
	if u.Role != RoleJudicial || u.Authority != a {
		return deny(fmt.Sprintf("cases of %s are recorded by its judicial users", a))
	}
	return nil
}

// caseJudge allows a judicial user of the case's jurisdiction; another
// authority's case is "not found", as if it did not exist.
func caseJudge(u *User, st *State, deny func(string) error, id CaseID) error {
	if u.Role != RoleJudicial {
		return deny("cases are recorded by judicial users")
	}
	if c := st.Cases[id]; c == nil || c.Case.Jurisdiction != u.Authority {
		return &Error{Code: NotFound, Rule: RuleCase, Msg: fmt.Sprintf("no case %q of %s", id, u.Authority)}
	}
	return nil
}

// holderOf allows a registrar (at the facility), receiver or judicial user
// of the authority holding every one of persons.
func holderOf(u *User, st *State, deny func(string) error, persons []PersonID) error {
	if len(persons) == 0 {
		return nil // the state refuses an empty decision with its own rule
	}
	if u.Role != RoleRegistrar && u.Role != RoleReceiver && u.Role != RoleJudicial {
		return deny("repatriations are decided and handed over by the holding authority's registrar, receiving or judicial staff")
	}
	for _, p := range persons {
		ps := st.Persons[p]
		if ps == nil {
			return &Error{Code: NotFound, Msg: fmt.Sprintf("no person %q in the custody of %s", p, u.Authority)}
		}
		// Outside the user's custody (or facilities) a person is "not
		// found", as if never registered.
		if ps.Location.Authority != u.Authority || (u.Role == RoleRegistrar && !slices.Contains(u.Facilities, ps.Location.Facility)) {
			return &Error{Code: NotFound, Msg: fmt.Sprintf("no person %q in the custody of %s", p, u.Authority)}
		}
	}
	return nil
}

// CanViewCase reports whether u may see case c: the monitors, the judicial
// users of its jurisdiction, and the consular officers of the person's
// nationalities.
func CanViewCase(u *User, c *CaseState) bool {
	if !Can(u, ViewCases) {
		return false
	}
	switch u.Role {
	case RoleMonitor:
		return true
	case RoleJudicial:
		return c.Case.Jurisdiction == u.Authority
	case RoleConsular:
		return follows(u, c.Nationals)
	}
	return false
}

// follows reports whether consul u follows a national of one of countries.
func follows(u *User, countries []string) bool {
	return slices.ContainsFunc(countries, func(n string) bool { return slices.Contains(u.Nationalities, n) })
}

// CanViewNotification reports whether u may see notification n: the
// monitors, its state's consular officers, and the staff of the authority
// that owes it.
func CanViewNotification(u *User, n *Notification) bool {
	if !Can(u, ViewConsular) {
		return false
	}
	switch u.Role {
	case RoleMonitor:
		return true
	case RoleConsular:
		return slices.Contains(u.Nationalities, n.Country)
	}
	return u.Authority == n.Authority
}

// CanViewExposure reports whether u may see a death-penalty alert: the
// monitors and the consular officers of the states it concerns.
func CanViewExposure(u *User, x *Exposure) bool {
	if !Can(u, ViewConsular) {
		return false
	}
	switch u.Role {
	case RoleMonitor:
		return true
	case RoleConsular:
		return follows(u, x.Countries)
	}
	return false
}

// CanViewRepatriation reports whether u may see request r: the monitors,
// the requesting state's consular officers, and the staff of an authority
// that holds (or held) one of its persons, given as holders.
func CanViewRepatriation(u *User, r *RepatriationState, holders []AuthorityID) bool {
	if !Can(u, ViewConsular) {
		return false
	}
	switch u.Role {
	case RoleMonitor:
		return true
	case RoleConsular:
		return slices.Contains(u.Nationalities, r.Request.Country)
	}
	return slices.Contains(holders, u.Authority)
}

func registrarAt(u *User, deny func(string) error, f FacilityID) error {
	if u.Role != RoleRegistrar || !slices.Contains(u.Facilities, f) {
		return deny(fmt.Sprintf("only a registrar of %s records this", f))
	}
	return nil
}

// registrarOf allows the registrar of the facility where p is held.
func registrarOf(u *User, st *State, deny func(string) error, p PersonID) error {
	ps := st.Persons[p]
	if ps == nil {
		return nil // the state refuses an unknown person with its own rule
	}
	return registrarAt(u, deny, ps.Location.Facility)
}

// moveSide allows a user of one of roles whose authority is a side of the
// move (origin controller, escort or destination controller); a registrar
// must also hold the origin in their scope.
func moveSide(u *User, st *State, deny func(string) error, id MoveID, roles ...Role) error {
	if !slices.Contains(roles, u.Role) {
		return deny(fmt.Sprintf("a %s does not record this on a move", u.Role))
	}
	ms := st.Moves[id]
	if ms == nil {
		return nil // the state refuses an unknown move with its own rule
	}
	f := st.MoveFacts(ms)
	switch {
	case u.Role == RoleRegistrar:
		if slices.Contains(u.Facilities, f.Origin) && u.Authority == f.Releaser {
			return nil
		}
	case u.Role == RolePlanner:
		return nil
	case u.Authority == f.Escort || u.Authority == f.Receiver || u.Authority == f.Releaser:
		return nil
	}
	return deny(fmt.Sprintf("move %s is not in the user's scope", id))
}

// MoveFacts returns the policy's facts of a move in this state.
func (s *State) MoveFacts(ms *MoveState) MoveFacts {
	f := MoveFacts{Origin: ms.Move.Origin, Escort: ms.Move.Escort, Allocation: ms.Move.Allocation}
	if o := s.Facilities[ms.Move.Origin]; o != nil {
		f.Releaser = o.Controller
	}
	if d := s.Facilities[ms.Move.Destination]; d != nil {
		f.Receiver = d.Controller
	}
	return f
}
