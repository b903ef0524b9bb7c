package custody

import (
	"fmt"
	"time"
)

// apply checks event e against the state and, if it keeps every rule,
// applies it, recording the inverse of each change in u. On error nothing
// has been changed by e.
func (s *State) apply(seq int64, e *Event, u *journal) error {
	u.custody, u.ended = u.custody[:0], u.ended[:0]
	if err := s.applyData(seq, e, u); err != nil {
		return err
	}
	// What follows from where the event left persons: consular
	// notifications owed, death-penalty alerts ended.
	if len(u.custody) > 0 {
		s.notifyCustody(seq, e, u)
	}
	for _, p := range u.ended {
		s.endExposures(seq, e, p, u)
	}
	return nil
}

func (s *State) applyData(seq int64, e *Event, u *journal) error {
	if e.Data == nil || e.Data.EventType() != e.Type {
		return &Error{Code: Invalid, Event: e.Type, Key: e.Key, Msg: "data does not match the event type"}
	}
	if e.OccurredAt.IsZero() {
		return s.reject(e, "", "", RuleRequired, "occurred_at is empty")
	}
	if e.Key == "" {
		return s.reject(e, "", "", RuleRequired, "idempotency key is empty")
	}
	switch d := e.Data.(type) {
	case *AuthorityRegistered:
		return s.applyAuthority(e, d, u)
	case *FacilityRegistered:
		return s.applyFacility(seq, e, d, u)
	case *ControlChanged:
		return s.applyControl(seq, e, d, u)
	case *PersonRegistered:
		return s.applyRegistered(seq, e, d, u)
	case *IdentityCorrected:
		return s.applyCorrected(seq, e, d, u)
	case *Admitted:
		return s.applyAdmitted(seq, e, d, u)
	case *Transferred:
		return s.applyTransferred(seq, e, d, u)
	case *Released:
		return s.applyReleased(seq, e, d, u)
	case *Escaped:
		return s.applyEscaped(seq, e, d, u)
	case *Recaptured:
		return s.applyRecaptured(seq, e, d, u)
	case *Died:
		return s.applyDied(seq, e, d, u)
	case *Hospitalised:
		return s.applyHospitalised(seq, e, d, u)
	case *Returned:
		return s.applyReturned(seq, e, d, u)
	case *ReferencePublished:
		return s.applyReference(seq, e, d, u)
	case *PersonMerged:
		return s.applyMerged(seq, e, d, u)
	case *PersonUnmerged:
		return s.applyUnmerged(seq, e, d, u)
	case *InquiryOpened:
		return s.applyInquiryOpened(seq, e, d, u)
	case *InquiryDecided:
		return s.applyInquiryDecided(seq, e, d, u)
	case *InquiryAnswered:
		return s.applyInquiryAnswered(seq, e, d, u)
	case *ChargesPublished:
		return s.applyCharges(seq, e, d, u)
	case *PositionsPublished:
		return s.applyPositions(seq, e, d, u)
	case *CaseOpened:
		return s.applyCaseOpened(seq, e, d, u)
	case *CaseCharged:
		return s.applyCaseCharged(seq, e, d, u)
	case *CaseHearing:
		return s.applyCaseHearing(seq, e, d, u)
	case *CaseDecided:
		return s.applyCaseDecided(seq, e, d, u)
	case *CaseSentenced:
		return s.applyCaseSentenced(seq, e, d, u)
	case *CaseAppealed:
		return s.applyCaseAppealed(seq, e, d, u)
	case *CaseAppealDecided:
		return s.applyCaseAppealDecided(seq, e, d, u)
	case *ConsularNotified:
		return s.applyConsularNotified(seq, e, d, u)
	case *ConsularAcknowledged:
		return s.applyConsularAcknowledged(seq, e, d, u)
	case *RepatriationRequested:
		return s.applyRepatriationRequested(seq, e, d, u)
	case *RepatriationDecided:
		return s.applyRepatriationDecided(seq, e, d, u)
	case *RepatriationReleased:
		return s.applyRepatriationReleased(seq, e, d, u)
	case *RepatriationReceived:
		return s.applyRepatriationReceived(seq, e, d, u)
	}
	if err := s.applyMoveEvent(seq, e, u); err != errNoRules {
		return err
	}
	return &Error{Code: Invalid, Event: e.Type, Key: e.Key, Msg: fmt.Sprintf("no rules for data of type %T", e.Data)}
}

func (s *State) reject(e *Event, p PersonID, f FacilityID, r Rule, format string, args ...any) error {
	code := Invalid
	switch r {
	case RuleUnknownPerson, RuleUnknownFacility, RuleUnknownAuthority:
		code = NotFound
	case RuleDuplicate, RuleHeldElsewhere, RuleNotHeld, RuleNotHeldHere, RuleNoOpenEscape,
		RuleDeceased, RuleControl, RuleNotHospitalised, RuleCorrectionTarget,
		RuleAlreadyBoarded, RuleAlreadyHandedOver, RuleOnOtherManifest, RuleStage, RuleBalance, RuleNotAboard, RuleCapacity,
		RuleMerged, RuleMergePlace, RuleMergeRef, RuleInquiry, RuleUnconfirmed,
		RuleCase, RuleNotification, RuleRepatriation, RuleClosed:
		code = Conflict
	}
	return &Error{Code: code, Rule: r, Event: e.Type, Key: e.Key, Person: p, Facility: f, Msg: fmt.Sprintf(format, args...)}
}

// needAuthority requires authority id, named in field of an event about
// person p or facility f.
func (s *State) needAuthority(e *Event, p PersonID, f FacilityID, id AuthorityID, field string) error {
	if id == "" {
		return s.reject(e, p, f, RuleRequired, "%s is empty", field)
	}
	if _, ok := s.Authorities[id]; !ok {
		return s.reject(e, p, f, RuleUnknownAuthority, "%s %q is not a registered authority", field, id)
	}
	return nil
}

func (s *State) needFacility(e *Event, p PersonID, id FacilityID, field string) (*FacilityState, error) {
	if id == "" {
		return nil, s.reject(e, p, "", RuleRequired, "%s is empty", field)
	}
	f, ok := s.Facilities[id]
	if !ok {
		return nil, s.reject(e, p, id, RuleUnknownFacility, "%s %q is not a registered facility", field, id)
	}
	return f, nil
}

func (s *State) needPerson(e *Event, id PersonID) (*PersonState, error) {
	if id == "" {
		return nil, s.reject(e, "", "", RuleRequired, "person is empty")
	}
	ps, ok := s.Persons[id]
	if !ok {
		return nil, s.reject(e, id, "", RuleUnknownPerson, "no person %q is registered", id)
	}
	if ps.Location.Status == StatusDeceased {
		return nil, s.reject(e, id, "", RuleDeceased, "the person is recorded as deceased")
	}
	if ps.Location.Status == StatusRepatriated {
		return nil, s.reject(e, id, "", RuleClosed, "the record is closed: the person was repatriated to %s (log index %d)", ps.Location.Authority, ps.Location.SinceSeq)
	}
	if m := ps.Merged; m != nil {
		return nil, s.reject(e, id, "", RuleMerged, "the record was merged into %s (log index %d): record on that one, or unmerge first", m.Into, m.Seq)
	}
	return ps, nil
}

// needHeldAt requires the person to be held (status held) at facility f.
func (s *State) needHeldAt(e *Event, ps *PersonState, f FacilityID, field string) error {
	id, l := ps.Person.ID, ps.Location
	if f == "" {
		return s.reject(e, id, "", RuleRequired, "%s is empty", field)
	}
	if l.Status != StatusHeld {
		return s.reject(e, id, f, RuleNotHeld, "the person is not held (status %s)", l.Status)
	}
	if l.Facility != f {
		return s.reject(e, id, f, RuleNotHeldHere, "the person is held in %s, not %s", l.Facility, f)
	}
	return nil
}

// setLocation moves a person, keeping rolls and counts, with undo.
func (s *State) setLocation(ps *PersonState, l Location, u *journal) {
	old := ps.Location
	u.person(ps.Person.ID)
	if old.Status.OnRoll() {
		u.facility(old.Facility)
	}
	if l.Status.OnRoll() {
		u.facility(l.Facility)
	}
	if old.Status.OnRoll() {
		s.offRoll(old.Facility, ps.Person.ID)
	}
	if l.Status.OnRoll() {
		s.onRoll(l.Facility, ps.Person.ID)
	}
	ps.Location = l
	if l.Status.InCustody() && (!old.Status.InCustody() || old.Authority != l.Authority) {
		u.custody = append(u.custody, ps.Person.ID)
	}
	switch l.Status {
	case StatusReleased, StatusDeceased, StatusRepatriated:
		if len(s.casesOf[ps.Person.ID]) > 0 {
			u.ended = append(u.ended, ps.Person.ID)
		}
	}
	u.add(func() {
		if l.Status.OnRoll() {
			s.offRoll(l.Facility, ps.Person.ID)
		}
		if old.Status.OnRoll() {
			s.onRoll(old.Facility, ps.Person.ID)
		}
		ps.Location = old
	})
}

func (s *State) onRoll(f FacilityID, p PersonID) {
	r := s.roll[f]
	if r == nil {
		r = map[PersonID]struct{}{}
		s.roll[f] = r
	}
	r[p] = struct{}{}
	s.Facilities[f].Count++
}

func (s *State) offRoll(f FacilityID, p PersonID) {
	delete(s.roll[f], p)
	s.Facilities[f].Count--
}

func (s *State) applyAuthority(e *Event, d *AuthorityRegistered, u *journal) error {
	a := d.Authority
	if err := a.Validate(); err != nil {
		return s.reject(e, "", "", RuleRequired, "authority %q: %v", a.ID, err)
	}
	if _, dup := s.Authorities[a.ID]; dup {
		return s.reject(e, "", "", RuleDuplicate, "authority %q is already registered", a.ID)
	}
	s.Authorities[a.ID] = &a
	u.ch.Authorities = append(u.ch.Authorities, a.ID)
	u.add(func() { delete(s.Authorities, a.ID) })
	return nil
}

func (s *State) applyFacility(seq int64, e *Event, d *FacilityRegistered, u *journal) error {
	f := d.Facility
	if err := f.Validate(); err != nil {
		return s.reject(e, "", f.ID, RuleRequired, "%v", err)
	}
	if _, dup := s.Facilities[f.ID]; dup {
		return s.reject(e, "", f.ID, RuleDuplicate, "facility %q is already registered", f.ID)
	}
	if err := s.needAuthority(e, "", f.ID, f.Controller, "controller"); err != nil {
		return err
	}
	if f.Parent != "" {
		if _, err := s.needFacility(e, "", f.Parent, "parent"); err != nil {
			return err
		}
	}
	s.Facilities[f.ID] = &FacilityState{
		Facility:   f,
		Controller: f.Controller,
		Control:    []ControlPeriod{{Authority: f.Controller, From: e.OccurredAt, Seq: seq}},
	}
	u.add(func() { delete(s.Facilities, f.ID) })
	u.facility(f.ID)
	return nil
}

func (s *State) applyControl(seq int64, e *Event, d *ControlChanged, u *journal) error {
	fs, err := s.needFacility(e, "", d.Facility, "facility")
	if err != nil {
		return err
	}
	if err := s.needAuthority(e, "", d.Facility, d.To, "to"); err != nil {
		return err
	}
	if d.From != fs.Controller {
		return s.reject(e, "", d.Facility, RuleControl, "from %q is not the current controller %q", d.From, fs.Controller)
	}
	if d.To == d.From {
		return s.reject(e, "", d.Facility, RuleControl, "from and to are both %q", d.To)
	}
	for _, f := range s.controlScope(d.Facility) {
		fs := s.Facilities[f]
		old, oldControl := fs.Controller, fs.Control
		fs.Controller = d.To
		fs.Control = append(fs.Control[:len(fs.Control):len(fs.Control)], ControlPeriod{Authority: d.To, From: e.OccurredAt, Seq: seq})
		u.add(func() { fs.Controller, fs.Control = old, oldControl })
		u.facility(f)
		for _, p := range s.Roll(f) { // sorted, so that the Change is the same on every replay
			ps := s.Persons[p]
			if ps.Location.Status != StatusHeld {
				continue // in hospital: custody stays with who sent them
			}
			l := ps.Location
			l.Authority = d.To
			l.Since, l.SinceSeq = e.OccurredAt, seq
			prev := ps.Location
			ps.Location = l
			u.add(func() { ps.Location = prev })
			u.person(p)
			u.custody = append(u.custody, p) // a new authority's custody
		}
	}
	return nil
}

func (s *State) applyRegistered(seq int64, e *Event, d *PersonRegistered, u *journal) error {
	p := d.Person
	if err := p.Validate(); err != nil {
		return s.reject(e, p.ID, "", RuleRequired, "%v", err)
	}
	if _, dup := s.Persons[p.ID]; dup {
		return s.reject(e, p.ID, "", RuleDuplicate, "person %q is already registered", p.ID)
	}
	if err := s.checkLinks(e, &p); err != nil {
		return err
	}
	s.Persons[p.ID] = &PersonState{Person: p, Registered: seq, Identity: []int64{seq}}
	u.add(func() { delete(s.Persons, p.ID) })
	u.person(p.ID)
	return nil
}

func (s *State) checkLinks(e *Event, p *Person) error {
	for _, l := range p.Family {
		if _, ok := s.Persons[l.Person]; !ok {
			return s.reject(e, p.ID, "", RuleFamilyLink, "family link %s %q names no registered person", l.Relation, l.Person)
		}
	}
	return nil
}

func (s *State) applyCorrected(seq int64, e *Event, d *IdentityCorrected, u *journal) error {
	ps, ok := s.Persons[d.Person.ID]
	if !ok {
		return s.reject(e, d.Person.ID, "", RuleUnknownPerson, "no person %q is registered", d.Person.ID)
	}
	if err := d.Person.Validate(); err != nil {
		return s.reject(e, d.Person.ID, "", RuleRequired, "%v", err)
	}
	if d.Reason == "" {
		return s.reject(e, d.Person.ID, "", RuleRequired, "reason is empty")
	}
	found := false
	for _, i := range ps.Identity {
		found = found || i == d.Corrects
	}
	if !found {
		return s.reject(e, d.Person.ID, "", RuleCorrectionTarget, "event %d is not an identity record of this person (have %v)", d.Corrects, ps.Identity)
	}
	if err := s.checkLinks(e, &d.Person); err != nil {
		return err
	}
	old, oldIdentity := ps.Person, ps.Identity
	ps.Person = d.Person
	ps.Identity = append(ps.Identity[:len(ps.Identity):len(ps.Identity)], seq)
	u.add(func() { ps.Person, ps.Identity = old, oldIdentity })
	u.person(ps.Person.ID)
	return nil
}

func (s *State) applyAdmitted(seq int64, e *Event, d *Admitted, u *journal) error {
	ps, err := s.needPerson(e, d.Person)
	if err != nil {
		return err
	}
	fs, err := s.needFacility(e, d.Person, d.Facility, "facility")
	if err != nil {
		return err
	}
	if err := s.needAuthority(e, d.Person, d.Facility, d.OrderedBy, "ordered_by"); err != nil {
		return err
	}
	switch {
	case d.Grounds == "":
		return s.reject(e, d.Person, d.Facility, RuleRequired, "grounds are empty")
	case d.TakenBy == "":
		return s.reject(e, d.Person, d.Facility, RuleRequired, "taken_by is empty")
	}
	switch l := ps.Location; l.Status {
	case StatusHeld, StatusHospitalised:
		return s.reject(e, d.Person, d.Facility, RuleHeldElsewhere, "the person is already %s in %s", l.Status, l.Facility)
	case StatusEscaped:
		return s.reject(e, d.Person, d.Facility, RuleHeldElsewhere, "the person escaped (event %d): record a recapture naming that escape", l.Escape)
	}
	s.setLocation(ps, Location{Status: StatusHeld, Facility: d.Facility, Authority: fs.Controller, Since: e.OccurredAt, SinceSeq: seq}, u)
	return nil
}

func (s *State) applyTransferred(seq int64, e *Event, d *Transferred, u *journal) error {
	ps, err := s.needPerson(e, d.Person)
	if err != nil {
		return err
	}
	if err := s.needHeldAt(e, ps, d.From, "from"); err != nil {
		return err
	}
	to, err := s.needFacility(e, d.Person, d.To, "to")
	if err != nil {
		return err
	}
	if d.To == d.From {
		return s.reject(e, d.Person, d.To, RuleNotHeldHere, "from and to are both %s", d.To)
	}
	if err := s.needAuthority(e, d.Person, d.To, d.OrderedBy, "ordered_by"); err != nil {
		return err
	}
	s.setLocation(ps, Location{Status: StatusHeld, Facility: d.To, Authority: to.Controller, Since: e.OccurredAt, SinceSeq: seq}, u)
	return nil
}

func (s *State) applyReleased(seq int64, e *Event, d *Released, u *journal) error {
	ps, err := s.needPerson(e, d.Person)
	if err != nil {
		return err
	}
	if err := s.needHeldAt(e, ps, d.Facility, "facility"); err != nil {
		return err
	}
	if d.Reason == "" {
		return s.reject(e, d.Person, d.Facility, RuleRequired, "reason is empty")
	}
	if err := s.needAuthority(e, d.Person, d.Facility, d.AuthorisedBy, "authorised_by"); err != nil {
		return err
	}
	s.setLocation(ps, Location{Status: StatusReleased, Since: e.OccurredAt, SinceSeq: seq}, u)
	return nil
}

func (s *State) applyEscaped(seq int64, e *Event, d *Escaped, u *journal) error {
	ps, err := s.needPerson(e, d.Person)
	if err != nil {
		return err
	}
	l := ps.Location
	if d.Move != "" {
		if d.Facility != "" {
			return s.reject(e, d.Person, d.Facility, RuleNotHeldHere, "an escape from move %s names no facility", d.Move)
		}
		if err := s.incidentOnMove(seq, e, ps, d.Move, "escape", u); err != nil {
			return err
		}
	} else {
		if !l.Status.OnRoll() {
			return s.reject(e, d.Person, d.Facility, RuleNotHeld, "the person is not held (status %s)", l.Status)
		}
		if l.Facility != d.Facility {
			return s.reject(e, d.Person, d.Facility, RuleNotHeldHere, "the person is in %s, not %s", l.Facility, d.Facility)
		}
	}
	s.Escapes[seq] = &Escape{Seq: seq, Person: d.Person, Facility: d.Facility, Move: d.Move, At: e.OccurredAt}
	u.add(func() { delete(s.Escapes, seq) })
	u.ch.Escapes = append(u.ch.Escapes, seq)
	s.setLocation(ps, Location{Status: StatusEscaped, Since: e.OccurredAt, SinceSeq: seq, Escape: seq}, u)
	return nil
}

func (s *State) closeEscape(esc *Escape, seq int64, at time.Time, u *journal) {
	esc.ClosedBy, esc.ClosedAt = seq, at
	u.ch.Escapes = append(u.ch.Escapes, esc.Seq)
	u.add(func() { esc.ClosedBy, esc.ClosedAt = 0, time.Time{} })
}

func (s *State) applyRecaptured(seq int64, e *Event, d *Recaptured, u *journal) error {
	ps, err := s.needPerson(e, d.Person)
	if err != nil {
		return err
	}
	esc, ok := s.Escapes[d.Escape]
	if !ok || esc.Person != d.Person {
		return s.reject(e, d.Person, d.Facility, RuleNoOpenEscape, "event %d is not an escape of this person", d.Escape)
	}
	if !esc.Open() || ps.Location.Status != StatusEscaped || ps.Location.Escape != d.Escape {
		return s.reject(e, d.Person, d.Facility, RuleNoOpenEscape, "escape %d is already closed (by event %d)", d.Escape, esc.ClosedBy)
	}
	fs, err := s.needFacility(e, d.Person, d.Facility, "facility")
	if err != nil {
		return err
	}
	s.closeEscape(esc, seq, e.OccurredAt, u)
	s.setLocation(ps, Location{Status: StatusHeld, Facility: d.Facility, Authority: fs.Controller, Since: e.OccurredAt, SinceSeq: seq}, u)
	return nil
}

func (s *State) applyDied(seq int64, e *Event, d *Died, u *journal) error {
	ps, err := s.needPerson(e, d.Person)
	if err != nil {
		return err
	}
	switch {
	case d.Circumstances == "":
		return s.reject(e, d.Person, d.Facility, RuleRequired, "circumstances are empty")
	case d.Cause == "":
		return s.reject(e, d.Person, d.Facility, RuleRequired, "cause is empty")
	case d.Remains == "":
		return s.reject(e, d.Person, d.Facility, RuleRequired, "remains (where they went) is empty")
	}
	l := ps.Location
	if d.Move != "" || l.Status == StatusAboard {
		if d.Facility != "" {
			return s.reject(e, d.Person, d.Facility, RuleNotHeldHere, "a death aboard move %s names no facility", l.Move)
		}
		if d.Move == "" {
			return s.reject(e, d.Person, "", RuleNotAboard, "the person is aboard move %s: name it", l.Move)
		}
		if err := s.incidentOnMove(seq, e, ps, d.Move, "death", u); err != nil {
			return err
		}
	} else if l.Status.OnRoll() && d.Facility != l.Facility {
		return s.reject(e, d.Person, d.Facility, RuleNotHeldHere, "the person is in %s, not %q", l.Facility, d.Facility)
	}
	if !l.Status.OnRoll() && d.Facility != "" {
		return s.reject(e, d.Person, d.Facility, RuleNotHeld, "the person is not held (status %s) so no facility may be named", l.Status)
	}
	if l.Status == StatusEscaped {
		s.closeEscape(s.Escapes[l.Escape], seq, e.OccurredAt, u)
	}
	s.setLocation(ps, Location{Status: StatusDeceased, Since: e.OccurredAt, SinceSeq: seq}, u)
	return nil
}

func (s *State) applyHospitalised(seq int64, e *Event, d *Hospitalised, u *journal) error {
	ps, err := s.needPerson(e, d.Person)
	if err != nil {
		return err
	}
	if err := s.needHeldAt(e, ps, d.From, "from"); err != nil {
		return err
	}
	h, err := s.needFacility(e, d.Person, d.Hospital, "hospital")
	if err != nil {
		return err
	}
	if h.Facility.Kind != Hospital {
		return s.reject(e, d.Person, d.Hospital, RuleHospital, "%s is a %s, not a hospital", d.Hospital, h.Facility.Kind)
	}
	auth := ps.Location.Authority
	s.setLocation(ps, Location{Status: StatusHospitalised, Facility: d.Hospital, Authority: auth, Since: e.OccurredAt, SinceSeq: seq}, u)
	return nil
}

func (s *State) applyReturned(seq int64, e *Event, d *Returned, u *journal) error {
	ps, err := s.needPerson(e, d.Person)
	if err != nil {
		return err
	}
	if l := ps.Location; l.Status != StatusHospitalised || l.Facility != d.Hospital {
		return s.reject(e, d.Person, d.Hospital, RuleNotHospitalised, "the person is %s in %q, not in hospital %s", l.Status, l.Facility, d.Hospital)
	}
	fs, err := s.needFacility(e, d.Person, d.Facility, "facility")
	if err != nil {
		return err
	}
	s.setLocation(ps, Location{Status: StatusHeld, Facility: d.Facility, Authority: fs.Controller, Since: e.OccurredAt, SinceSeq: seq}, u)
	return nil
}
