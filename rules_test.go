package custody

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// ruleCase builds a world through accepted events, then makes one request
// that must be rejected with the error described.
type ruleCase struct {
	name     string
	req      func(w *world) []Event // builds the starting state, returns the offending request
	code     Code
	rule     Rule
	event    EventType
	person   PersonID
	facility FacilityID
	msg      string // a part of the message the user must see
}

// escaped admits id to f and records an escape, returning its log index.
func (w *world) escaped(id PersonID, f FacilityID) int64 {
	w.admit(id, f)
	return w.must(&Escaped{Person: id, Facility: f, Circumstances: "riot"})
}

// dead admits id to f and records a death there.
func (w *world) dead(id PersonID, f FacilityID) {
	w.admit(id, f)
	w.must(death(id, f))
}

// hospitalised admits id to f and sends them to hospital.
func (w *world) hospitalised(id PersonID, f FacilityID) {
	w.admit(id, f)
	w.must(&Hospitalised{Person: id, From: f, Hospital: hospital, Reason: "wound"})
}

func one(w *world, p Payload) []Event { return []Event{w.ev(p)} }

func withPerson(mod func(p *Person)) func(w *world) []Event {
	return func(w *world) []Event {
		p := person("p9")
		mod(&p)
		return w.evs(&PersonRegistered{Person: p}, admission("p9", hasakah))
	}
}

func ruleCases() []ruleCase {
	return []ruleCase{
		// unknown-person
		{name: "admission of an unregistered person", req: func(w *world) []Event {
			return one(w, admission("ghost", hasakah))
		}, code: NotFound, rule: RuleUnknownPerson, event: TypeAdmitted, person: "ghost"},
		{name: "release of an unregistered person", req: func(w *world) []Event {
			return one(w, release("ghost", hasakah))
		}, code: NotFound, rule: RuleUnknownPerson, event: TypeReleased, person: "ghost"},
		{name: "correction of an unregistered person", req: func(w *world) []Event {
			return one(w, &IdentityCorrected{Corrects: 1, Reason: "typo", Person: person("ghost")})
		}, code: NotFound, rule: RuleUnknownPerson, event: TypeIdentityCorrected, person: "ghost"},

		// unknown-facility
		{name: "admission to an unregistered facility", req: func(w *world) []Event {
			return w.evs(&PersonRegistered{Person: person("p1")}, admission("p1", "nowhere"))
		}, code: NotFound, rule: RuleUnknownFacility, event: TypeAdmitted, person: "p1", facility: "nowhere"},
		{name: "transfer to an unregistered facility", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, transfer("p1", hasakah, "nowhere"))
		}, code: NotFound, rule: RuleUnknownFacility, event: TypeTransferred, person: "p1", facility: "nowhere"},
		{name: "recapture into an unregistered facility", req: func(w *world) []Event {
			esc := w.escaped("p1", hasakah)
			return one(w, &Recaptured{Person: "p1", Escape: esc, Facility: "nowhere"})
		}, code: NotFound, rule: RuleUnknownFacility, event: TypeRecaptured, person: "p1", facility: "nowhere"},
		{name: "section of an unregistered facility", req: func(w *world) []Event {
			return one(w, &FacilityRegistered{Facility: Facility{ID: "annex2", Name: Name{Arabic: "ملحق"}, Kind: CampSection, Parent: "nowhere", Security: SecurityHigh, Controller: sdf}})
		}, code: NotFound, rule: RuleUnknownFacility, event: TypeFacilityRegistered, facility: "nowhere"},
		{name: "control change of an unregistered facility", req: func(w *world) []Event {
			return one(w, &ControlChanged{Facility: "nowhere", From: sdf, To: gov})
		}, code: NotFound, rule: RuleUnknownFacility, event: TypeControlChanged, facility: "nowhere"},

		// unknown-authority
		{name: "admission ordered by an unregistered authority", req: func(w *world) []Event {
			a := admission("p1", hasakah)
			a.OrderedBy = "isis"
			return w.evs(&PersonRegistered{Person: person("p1")}, a)
		}, code: NotFound, rule: RuleUnknownAuthority, event: TypeAdmitted, person: "p1", facility: hasakah, msg: `"isis"`},
		{name: "control change to an unregistered authority", req: func(w *world) []Event {
			return one(w, &ControlChanged{Facility: alhol, From: sdf, To: "isis"})
		}, code: NotFound, rule: RuleUnknownAuthority, event: TypeControlChanged, facility: alhol, msg: `"isis"`},
		{name: "facility controlled by an unregistered authority", req: func(w *world) []Event {
			return one(w, &FacilityRegistered{Facility: Facility{ID: "roj", Name: Name{Latin: []string{"Roj"}}, Kind: Camp, Security: SecurityMedium, Controller: "isis"}})
		}, code: NotFound, rule: RuleUnknownAuthority, event: TypeFacilityRegistered, facility: "roj", msg: `"isis"`},

		// already-registered
		{name: "person registered twice", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return w.evs(&PersonRegistered{Person: person("p1")}, admission("p1", alhol))
		}, code: Conflict, rule: RuleDuplicate, event: TypePersonRegistered, person: "p1"},
		{name: "facility registered twice", req: func(w *world) []Event {
			return one(w, &FacilityRegistered{Facility: Facility{ID: alhol, Name: Name{Latin: []string{"al-Hol"}}, Kind: Camp, Security: SecurityLow, Controller: gov}})
		}, code: Conflict, rule: RuleDuplicate, event: TypeFacilityRegistered, facility: alhol},
		{name: "authority registered twice", req: func(w *world) []Event {
			return one(w, &AuthorityRegistered{Authority: Authority{ID: gov, Name: Name{Latin: []string{"Damascus"}}, Kind: Ministry}})
		}, code: Conflict, rule: RuleDuplicate, event: TypeAuthorityRegistered, msg: `"gov"`},

		// held-elsewhere
		{name: "admission of someone held elsewhere", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, admission("p1", alhol))
		}, code: Conflict, rule: RuleHeldElsewhere, event: TypeAdmitted, person: "p1", facility: alhol, msg: "hasakah"},
		{name: "admission of someone held in the same facility", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, admission("p1", hasakah))
		}, code: Conflict, rule: RuleHeldElsewhere, event: TypeAdmitted, person: "p1", facility: hasakah},
		{name: "admission of someone in hospital", req: func(w *world) []Event {
			w.hospitalised("p1", hasakah)
			return one(w, admission("p1", alhol))
		}, code: Conflict, rule: RuleHeldElsewhere, event: TypeAdmitted, person: "p1", facility: alhol, msg: "hospital"},
		{name: "admission of an escaped person: must be a recapture", req: func(w *world) []Event {
			w.escaped("p1", hasakah)
			return one(w, admission("p1", alhol))
		}, code: Conflict, rule: RuleHeldElsewhere, event: TypeAdmitted, person: "p1", facility: alhol, msg: "recapture"},

		// not-held
		{name: "release of someone already released", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			w.must(release("p1", hasakah))
			return one(w, release("p1", hasakah))
		}, code: Conflict, rule: RuleNotHeld, event: TypeReleased, person: "p1", facility: hasakah, msg: "released"},
		{name: "release of someone at large", req: func(w *world) []Event {
			w.escaped("p1", hasakah)
			return one(w, release("p1", hasakah))
		}, code: Conflict, rule: RuleNotHeld, event: TypeReleased, person: "p1", facility: hasakah, msg: "escaped"},
		{name: "release of someone in hospital", req: func(w *world) []Event {
			w.hospitalised("p1", hasakah)
			return one(w, release("p1", hospital))
		}, code: Conflict, rule: RuleNotHeld, event: TypeReleased, person: "p1", facility: hospital, msg: "hospitalised"},
		{name: "transfer of someone released", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			w.must(release("p1", hasakah))
			return one(w, transfer("p1", hasakah, alhol))
		}, code: Conflict, rule: RuleNotHeld, event: TypeTransferred, person: "p1", facility: hasakah},
		{name: "transfer of someone in hospital", req: func(w *world) []Event {
			w.hospitalised("p1", hasakah)
			return one(w, transfer("p1", hospital, alhol))
		}, code: Conflict, rule: RuleNotHeld, event: TypeTransferred, person: "p1", facility: hospital},
		{name: "escape of someone released", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			w.must(release("p1", hasakah))
			return one(w, &Escaped{Person: "p1", Facility: hasakah})
		}, code: Conflict, rule: RuleNotHeld, event: TypeEscaped, person: "p1", facility: hasakah},
		{name: "escape of someone at large", req: func(w *world) []Event {
			w.escaped("p1", hasakah)
			return one(w, &Escaped{Person: "p1", Facility: hasakah})
		}, code: Conflict, rule: RuleNotHeld, event: TypeEscaped, person: "p1", facility: hasakah},
		{name: "hospitalisation of someone released", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			w.must(release("p1", hasakah))
			return one(w, &Hospitalised{Person: "p1", From: hasakah, Hospital: hospital})
		}, code: Conflict, rule: RuleNotHeld, event: TypeHospitalised, person: "p1", facility: hasakah},
		{name: "death at large naming a facility", req: func(w *world) []Event {
			w.escaped("p1", hasakah)
			return one(w, death("p1", hasakah))
		}, code: Conflict, rule: RuleNotHeld, event: TypeDied, person: "p1", facility: hasakah},

		// not-held-here
		{name: "release from the wrong facility", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, release("p1", alhol))
		}, code: Conflict, rule: RuleNotHeldHere, event: TypeReleased, person: "p1", facility: alhol, msg: "hasakah"},
		{name: "transfer from the wrong facility", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, transfer("p1", alhol, baghdad))
		}, code: Conflict, rule: RuleNotHeldHere, event: TypeTransferred, person: "p1", facility: alhol, msg: "hasakah"},
		{name: "transfer to where the person already is", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, transfer("p1", hasakah, hasakah))
		}, code: Conflict, rule: RuleNotHeldHere, event: TypeTransferred, person: "p1", facility: hasakah},
		{name: "escape from the wrong facility", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, &Escaped{Person: "p1", Facility: alhol})
		}, code: Conflict, rule: RuleNotHeldHere, event: TypeEscaped, person: "p1", facility: alhol},
		{name: "death in the wrong facility", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, death("p1", alhol))
		}, code: Conflict, rule: RuleNotHeldHere, event: TypeDied, person: "p1", facility: alhol},
		{name: "hospitalisation from the wrong facility", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, &Hospitalised{Person: "p1", From: alhol, Hospital: hospital})
		}, code: Conflict, rule: RuleNotHeldHere, event: TypeHospitalised, person: "p1", facility: alhol},

		// no-open-escape
		{name: "recapture naming another person's escape", req: func(w *world) []Event {
			esc1 := w.escaped("p1", hasakah)
			w.escaped("p2", hasakah)
			return one(w, &Recaptured{Person: "p2", Escape: esc1, Facility: alhol})
		}, code: Conflict, rule: RuleNoOpenEscape, event: TypeRecaptured, person: "p2", facility: alhol},
		{name: "recapture naming an event that is not an escape", req: func(w *world) []Event {
			reg := w.admit("p1", hasakah)
			w.must(&Escaped{Person: "p1", Facility: hasakah})
			return one(w, &Recaptured{Person: "p1", Escape: reg + 1, Facility: alhol})
		}, code: Conflict, rule: RuleNoOpenEscape, event: TypeRecaptured, person: "p1", facility: alhol},
		{name: "recapture naming an earlier, closed escape", req: func(w *world) []Event {
			esc1 := w.escaped("p1", hasakah)
			w.must(&Recaptured{Person: "p1", Escape: esc1, Facility: hasakah})
			w.must(&Escaped{Person: "p1", Facility: hasakah})
			return one(w, &Recaptured{Person: "p1", Escape: esc1, Facility: alhol})
		}, code: Conflict, rule: RuleNoOpenEscape, event: TypeRecaptured, person: "p1", facility: alhol, msg: "closed"},
		{name: "recapture twice", req: func(w *world) []Event {
			esc := w.escaped("p1", hasakah)
			w.must(&Recaptured{Person: "p1", Escape: esc, Facility: hasakah})
			return one(w, &Recaptured{Person: "p1", Escape: esc, Facility: hasakah})
		}, code: Conflict, rule: RuleNoOpenEscape, event: TypeRecaptured, person: "p1", facility: hasakah, msg: "closed"},
		{name: "recapture of someone held", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, &Recaptured{Person: "p1", Escape: 0, Facility: hasakah})
		}, code: Conflict, rule: RuleNoOpenEscape, event: TypeRecaptured, person: "p1", facility: hasakah},

		// deceased: nothing afterwards
		{name: "admission of a deceased person", req: func(w *world) []Event {
			w.dead("p1", hasakah)
			return one(w, admission("p1", alhol))
		}, code: Conflict, rule: RuleDeceased, event: TypeAdmitted, person: "p1"},
		{name: "release of a deceased person", req: func(w *world) []Event {
			w.dead("p1", hasakah)
			return one(w, release("p1", hasakah))
		}, code: Conflict, rule: RuleDeceased, event: TypeReleased, person: "p1"},
		{name: "transfer of a deceased person", req: func(w *world) []Event {
			w.dead("p1", hasakah)
			return one(w, transfer("p1", hasakah, alhol))
		}, code: Conflict, rule: RuleDeceased, event: TypeTransferred, person: "p1"},
		{name: "escape of a deceased person", req: func(w *world) []Event {
			w.dead("p1", hasakah)
			return one(w, &Escaped{Person: "p1", Facility: hasakah})
		}, code: Conflict, rule: RuleDeceased, event: TypeEscaped, person: "p1"},
		{name: "recapture of someone who died at large", req: func(w *world) []Event {
			esc := w.escaped("p1", hasakah)
			w.must(death("p1", ""))
			return one(w, &Recaptured{Person: "p1", Escape: esc, Facility: hasakah})
		}, code: Conflict, rule: RuleDeceased, event: TypeRecaptured, person: "p1"},
		{name: "hospitalisation of a deceased person", req: func(w *world) []Event {
			w.dead("p1", hasakah)
			return one(w, &Hospitalised{Person: "p1", From: hasakah, Hospital: hospital})
		}, code: Conflict, rule: RuleDeceased, event: TypeHospitalised, person: "p1"},
		{name: "return from hospital of someone who died there", req: func(w *world) []Event {
			w.hospitalised("p1", hasakah)
			w.must(death("p1", hospital))
			return one(w, &Returned{Person: "p1", Hospital: hospital, Facility: hasakah})
		}, code: Conflict, rule: RuleDeceased, event: TypeReturned, person: "p1"},
		{name: "a second death", req: func(w *world) []Event {
			w.dead("p1", hasakah)
			return one(w, death("p1", ""))
		}, code: Conflict, rule: RuleDeceased, event: TypeDied, person: "p1"},

		// hospital
		{name: "hospitalisation to a facility that is not a hospital", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, &Hospitalised{Person: "p1", From: hasakah, Hospital: alhol})
		}, code: Invalid, rule: RuleHospital, event: TypeHospitalised, person: "p1", facility: alhol, msg: "camp"},

		// not-hospitalised
		{name: "return from hospital of someone held", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			return one(w, &Returned{Person: "p1", Hospital: hospital, Facility: hasakah})
		}, code: Conflict, rule: RuleNotHospitalised, event: TypeReturned, person: "p1", facility: hospital},
		{name: "return from a hospital the person is not in", req: func(w *world) []Event {
			w.hospitalised("p1", alhol)
			return one(w, &Returned{Person: "p1", Hospital: hasakah, Facility: alhol})
		}, code: Conflict, rule: RuleNotHospitalised, event: TypeReturned, person: "p1", facility: hasakah},

		// correction-target
		{name: "correction naming another person's registration", req: func(w *world) []Event {
			reg1 := w.admit("p1", hasakah)
			w.admit("p2", hasakah)
			p := person("p2")
			p.Birth = BirthDate{Date: "1991-05-05"}
			return one(w, &IdentityCorrected{Corrects: reg1, Reason: "document seen", Person: p})
		}, code: Conflict, rule: RuleCorrectionTarget, event: TypeIdentityCorrected, person: "p2"},
		{name: "correction naming the person's admission", req: func(w *world) []Event {
			reg := w.admit("p1", hasakah)
			return one(w, &IdentityCorrected{Corrects: reg + 1, Reason: "document seen", Person: person("p1")})
		}, code: Conflict, rule: RuleCorrectionTarget, event: TypeIdentityCorrected, person: "p1"},

		// control
		{name: "control change from an authority that does not control the facility", req: func(w *world) []Event {
			return one(w, &ControlChanged{Facility: alhol, From: gov, To: irq})
		}, code: Conflict, rule: RuleControl, event: TypeControlChanged, facility: alhol, msg: "sdf"},
		{name: "control change from the former controller", req: func(w *world) []Event {
			w.must(&ControlChanged{Facility: alhol, From: sdf, To: gov})
			return one(w, &ControlChanged{Facility: alhol, From: sdf, To: irq})
		}, code: Conflict, rule: RuleControl, event: TypeControlChanged, facility: alhol},
		{name: "control change to the current controller", req: func(w *world) []Event {
			return one(w, &ControlChanged{Facility: alhol, From: sdf, To: sdf})
		}, code: Conflict, rule: RuleControl, event: TypeControlChanged, facility: alhol},

		// conservation
		{name: "registration without admission", req: func(w *world) []Event {
			return one(w, &PersonRegistered{Person: person("p9")})
		}, code: Invalid, rule: RuleConservation, event: TypePersonRegistered, person: "p9", msg: "nowhere"},
		{name: "registration and correction without admission", req: func(w *world) []Event {
			reg := w.next
			return w.evs(&PersonRegistered{Person: person("p9")}, &IdentityCorrected{Corrects: reg, Reason: "typo", Person: person("p9")})
		}, code: Invalid, rule: RuleConservation, event: TypeIdentityCorrected, person: "p9", msg: "nowhere"},

		// family-link
		{name: "family link to an unregistered person", req: withPerson(func(p *Person) {
			p.Family = []FamilyLink{{Relation: ChildOf, Person: "ghost"}}
		}), code: Invalid, rule: RuleFamilyLink, event: TypePersonRegistered, person: "p9", msg: "ghost"},
		{name: "correction adding a link to an unregistered person", req: func(w *world) []Event {
			reg := w.admit("p1", hasakah)
			p := person("p1")
			p.Family = []FamilyLink{{Relation: SpouseOf, Person: "ghost"}}
			return one(w, &IdentityCorrected{Corrects: reg, Reason: "marriage", Person: p})
		}, code: Invalid, rule: RuleFamilyLink, event: TypeIdentityCorrected, person: "p1", msg: "ghost"},

		// required-field, from Person.Validate
		{name: "person with a bad category", req: withPerson(func(p *Person) { p.Category = "adult" }),
			code: Invalid, rule: RuleRequired, event: TypePersonRegistered, person: "p9", msg: "category"},
		{name: "under_12 on an adult", req: withPerson(func(p *Person) { p.Under12 = true }),
			code: Invalid, rule: RuleRequired, event: TypePersonRegistered, person: "p9", msg: "under_12"},
		{name: "impossible birth date", req: withPerson(func(p *Person) { p.Birth = BirthDate{Date: "2001-02-30"} }),
			code: Invalid, rule: RuleRequired, event: TypePersonRegistered, person: "p9", msg: "birth date"},
		{name: "birth date in another format", req: withPerson(func(p *Person) { p.Birth = BirthDate{Date: "30/01/2001"} }),
			code: Invalid, rule: RuleRequired, event: TypePersonRegistered, person: "p9", msg: "birth date"},
		{name: "three-letter nationality code", req: withPerson(func(p *Person) { p.Nationalities = []string{"IQ", "SYR"} }),
			code: Invalid, rule: RuleRequired, event: TypePersonRegistered, person: "p9", msg: `nationality 2 "SYR"`},
		{name: "nationality code of digits", req: withPerson(func(p *Person) { p.Nationalities = []string{"12"} }),
			code: Invalid, rule: RuleRequired, event: TypePersonRegistered, person: "p9", msg: "nationality"},
		{name: "correction to an invalid record", req: func(w *world) []Event {
			reg := w.admit("p1", hasakah)
			p := person("p1")
			p.Sex = "m"
			return one(w, &IdentityCorrected{Corrects: reg, Reason: "typo", Person: p})
		}, code: Invalid, rule: RuleRequired, event: TypeIdentityCorrected, person: "p1", msg: "sex"},

		// required-field, on events
		{name: "admission without grounds", req: func(w *world) []Event {
			a := admission("p1", hasakah)
			a.Grounds = ""
			return w.evs(&PersonRegistered{Person: person("p1")}, a)
		}, code: Invalid, rule: RuleRequired, event: TypeAdmitted, person: "p1", facility: hasakah, msg: "grounds"},
		{name: "release without a reason", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			r := release("p1", hasakah)
			r.Reason = ""
			return one(w, r)
		}, code: Invalid, rule: RuleRequired, event: TypeReleased, person: "p1", facility: hasakah, msg: "reason"},
		{name: "death without a cause", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			d := death("p1", hasakah)
			d.Cause = ""
			return one(w, d)
		}, code: Invalid, rule: RuleRequired, event: TypeDied, person: "p1", facility: hasakah, msg: "cause"},
		{name: "event without an idempotency key", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			e := w.ev(release("p1", hasakah))
			e.Key = ""
			return []Event{e}
		}, code: Invalid, rule: RuleRequired, event: TypeReleased, msg: "key"},
		{name: "event without occurred_at", req: func(w *world) []Event {
			w.admit("p1", hasakah)
			e := w.ev(release("p1", hasakah))
			e.OccurredAt = time.Time{}
			return []Event{e}
		}, code: Invalid, rule: RuleRequired, event: TypeReleased, msg: "occurred_at"},
	}
}

func TestRules(t *testing.T) {
	for _, c := range ruleCases() {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t).base()
			req := c.req(w)
			before := snapshot(t, w.s)
			_, err := w.req(req...)
			sameState(t, "rejected request", before, snapshot(t, w.s))
			if err == nil {
				t.Fatal("request accepted, want rejected")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is a %T, not a *custody.Error", err, err)
			}
			if e.Code != c.code || e.Rule != c.rule || e.Event != c.event || e.Person != c.person || e.Facility != c.facility {
				t.Errorf("got code %q rule %q event %q person %q facility %q\nwant code %q rule %q event %q person %q facility %q\n(%v)",
					e.Code, e.Rule, e.Event, e.Person, e.Facility, c.code, c.rule, c.event, c.person, c.facility, err)
			}
			if ErrorCode(err) != c.code {
				t.Errorf("ErrorCode = %q, want %q", ErrorCode(err), c.code)
			}
			text := err.Error()
			want := []string{"event " + string(c.event), "rule " + string(c.rule), c.msg}
			if c.person != "" {
				want = append(want, "person "+string(c.person))
			}
			if c.facility != "" {
				want = append(want, "facility "+string(c.facility))
			}
			for _, s := range want {
				if !strings.Contains(text, s) {
					t.Errorf("error %q does not say %q", text, s)
				}
			}
		})
	}
}

// TestRulesCovered checks that every rule State enforces has a case above.
func TestRulesCovered(t *testing.T) {
	covered := map[Rule]bool{}
	for _, c := range ruleCases() {
		covered[c.rule] = true
	}
	for _, r := range []Rule{
		RuleUnknownPerson, RuleUnknownFacility, RuleUnknownAuthority, RuleDuplicate,
		RuleHeldElsewhere, RuleNotHeld, RuleNotHeldHere, RuleConservation,
		RuleNoOpenEscape, RuleCorrectionTarget, RuleDeceased, RuleRequired,
		RuleControl, RuleFamilyLink, RuleHospital, RuleNotHospitalised,
	} {
		if !covered[r] {
			t.Errorf("no rule case for %s", r)
		}
	}
}

func TestDataNotMatchingType(t *testing.T) {
	w := newWorld(t).base()
	w.admit("p1", hasakah)
	before := snapshot(t, w.s)
	for _, e := range []Event{
		{Type: TypeReleased, OccurredAt: t0, Key: "x", Data: &Escaped{Person: "p1", Facility: hasakah}},
		{Type: TypeReleased, OccurredAt: t0, Key: "x"},
	} {
		_, err := w.req(e)
		if ErrorCode(err) != Invalid {
			t.Errorf("%+v: err = %v, want invalid", e, err)
		} else if !strings.Contains(err.Error(), string(TypeReleased)) {
			t.Errorf("error %q does not name the event type", err)
		}
	}
	sameState(t, "rejected requests", before, snapshot(t, w.s))
}
