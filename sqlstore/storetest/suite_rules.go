package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	custody "github.com/opencustody/custody"
)

// testRejected sends requests that break an invariant: each is refused
// with the rule it breaks, in a message naming the event, the person (or
// facility) and the rule, and leaves the database exactly as it was.
func testRejected(t *testing.T, e Engine) {
	f := newFixture(t, e)
	inputWorld(t, f.s)
	s := f.s
	ctx := context.Background()
	at := time.Date(2026, 1, 21, 9, 0, 0, 0, time.UTC)
	reg := func(i int, key string) custody.Event {
		return event(&custody.PersonRegistered{Person: Person(i)}, at, key)
	}
	admit := func(i int, fac custody.FacilityID, key string) custody.Event {
		return event(&custody.Admitted{Person: pid(i), Facility: fac, TakenBy: "unit 7", OrderedBy: "sdf", Grounds: "suspected membership"}, at, key)
	}
	noName := Person(53)
	noName.Name = custody.Name{}
	linked := Person(55)
	linked.Family = []custody.FamilyLink{{Relation: custody.SiblingOf, Person: "B-8888888"}}
	// Person 19 dies: nothing may change their custody afterwards.
	MustAppend(t, s, [][]custody.Event{{event(&custody.Died{Person: pid(19), Facility: PrisonA, Circumstances: "in custody", Cause: "illness", Remains: "returned to family"}, at.Add(-time.Hour), "rj-died-19")}})
	cases := []struct {
		name  string
		req   []custody.Event
		code  custody.Code
		rule  custody.Rule
		names []string // what the message must name
	}{
		{"admit someone held elsewhere", []custody.Event{admit(0, PrisonB, "bad-admit")},
			custody.Conflict, custody.RuleHeldElsewhere, []string{"custody.admitted", "bad-admit", string(pid(0)), string(PrisonA)}},
		{"release someone not held", []custody.Event{event(&custody.Released{Person: pid(20), Facility: PrisonA, Reason: "court-order", AuthorisedBy: "sdf"}, at, "bad-release")},
			custody.Conflict, custody.RuleNotHeld, []string{"custody.released", string(pid(20)), "released"}},
		{"event for an unknown person", []custody.Event{event(&custody.Transferred{Person: "B-9999999", From: PrisonA, To: PrisonB, OrderedBy: "sdf"}, at, "bad-unknown")},
			custody.NotFound, custody.RuleUnknownPerson, []string{"custody.transferred", "B-9999999"}},
		{"recapture naming no open escape", []custody.Event{event(&custody.Recaptured{Person: pid(21), Escape: 6, Facility: PrisonA}, at, "bad-recapture")},
			custody.Conflict, custody.RuleNoOpenEscape, []string{"custody.recaptured", string(pid(21)), "event 6"}},
		{"recapture of someone held", []custody.Event{event(&custody.Recaptured{Person: pid(1), Escape: 6, Facility: PrisonA}, at, "bad-recapture-held")},
			custody.Conflict, custody.RuleNoOpenEscape, []string{"custody.recaptured", string(pid(1))}},
		{"registration without admission", []custody.Event{reg(50, "bad-reg")},
			custody.Invalid, custody.RuleConservation, []string{"person.registered", string(pid(50)), "nowhere"}},
		{"registration of a registered person", []custody.Event{reg(3, "bad-dup-reg"), admit(3, PrisonB, "bad-dup-admit")},
			custody.Conflict, custody.RuleDuplicate, []string{"person.registered", "bad-dup-reg", string(pid(3))}},
		{"registration without a name", []custody.Event{event(&custody.PersonRegistered{Person: noName}, at, "bad-noname-reg"), admit(53, PrisonA, "bad-noname-admit")},
			custody.Invalid, custody.RuleRequired, []string{"person.registered", "bad-noname-reg"}},
		{"registration with a family link to no one", []custody.Event{event(&custody.PersonRegistered{Person: linked}, at, "bad-link-reg"), admit(55, PrisonA, "bad-link-admit")},
			custody.Invalid, custody.RuleFamilyLink, []string{"person.registered", "bad-link-reg", string(pid(55)), "B-8888888"}},
		{"correction of another person's record", []custody.Event{event(&custody.IdentityCorrected{Corrects: 6, Reason: "typo", Person: Person(1)}, at, "bad-correction")},
			custody.Conflict, custody.RuleCorrectionTarget, []string{"person.identity_corrected", "bad-correction", string(pid(1)), "event 6"}},
		{"transfer of a dead person", []custody.Event{event(&custody.Transferred{Person: pid(19), From: PrisonA, To: PrisonB, OrderedBy: "sdf"}, at, "bad-dead")},
			custody.Conflict, custody.RuleDeceased, []string{"custody.transferred", "bad-dead", string(pid(19)), "deceased"}},
		{"transfer ordered by an unknown authority", []custody.Event{event(&custody.Transferred{Person: pid(2), From: PrisonA, To: PrisonB, OrderedBy: "no-such-authority"}, at, "bad-authority")},
			custody.NotFound, custody.RuleUnknownAuthority, []string{"custody.transferred", "bad-authority", string(pid(2)), "no-such-authority"}},
		{"admission to an unknown facility", []custody.Event{reg(51, "bad-fac-reg"), admit(51, "no-such-prison", "bad-fac-admit")},
			custody.NotFound, custody.RuleUnknownFacility, []string{"custody.admitted", "bad-fac-admit", string(pid(51)), "no-such-prison"}},
		{"transfer to an unknown facility", []custody.Event{event(&custody.Transferred{Person: pid(2), From: PrisonA, To: "no-such-prison", OrderedBy: "sdf"}, at, "bad-transfer-to")},
			custody.NotFound, custody.RuleUnknownFacility, []string{"custody.transferred", string(pid(2)), "no-such-prison"}},
		{"hospitalisation to a prison", []custody.Event{event(&custody.Hospitalised{Person: pid(2), From: PrisonA, Hospital: PrisonB}, at, "bad-hospital")},
			custody.Invalid, custody.RuleHospital, []string{"custody.hospitalised", string(pid(2))}},
		{"return of someone not in hospital", []custody.Event{event(&custody.Returned{Person: pid(2), Hospital: Hospital, Facility: PrisonA}, at, "bad-return")},
			custody.Conflict, custody.RuleNotHospitalised, []string{"custody.returned", string(pid(2))}},
		{"control change from the wrong authority", []custody.Event{event(&custody.ControlChanged{Facility: PrisonA, From: "iraq-moj", To: "sdf"}, at, "bad-control")},
			custody.Conflict, custody.RuleControl, []string{"facility.control_changed", string(PrisonA), "iraq-moj", `"sdf"`}},
		{"request whose last event is invalid", []custody.Event{reg(52, "multi-reg"), admit(52, PrisonA, "multi-admit"),
			event(&custody.Transferred{Person: pid(3), From: PrisonB, To: Destination, OrderedBy: "sdf"}, at, "multi-transfer")},
			custody.Conflict, custody.RuleNotHeldHere, []string{"custody.transferred", "multi-transfer", string(pid(3)), string(PrisonA)}},
		{"key used twice in one request", []custody.Event{reg(54, "twice"), admit(54, PrisonA, "twice")},
			custody.Invalid, custody.RuleIdempotency, []string{"twice"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := dump(t, f.db)
			res, err := s.Append(ctx, tc.req...)
			ce := errorIs(t, err, tc.code, tc.rule)
			msg := ce.Error()
			for _, n := range append(tc.names, "rule "+string(tc.rule)) {
				if !strings.Contains(msg, n) {
					t.Errorf("message %q does not name %q", msg, n)
				}
			}
			if len(res.Seqs) != 0 || res.Replayed {
				t.Errorf("a rejected request got seqs %v, replayed %v", res.Seqs, res.Replayed)
			}
			sameDump(t, f.db, before)
		})
	}

	// Nothing of the rejected requests stayed behind, not even in the
	// writer's memory: their valid events go through afterwards, with the
	// same keys, at the next index.
	size, err := s.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := dump(t, f.db)
	res, err := s.Append(ctx, reg(52, "multi-reg"), admit(52, PrisonA, "multi-admit"))
	if err != nil {
		t.Fatalf("the valid part of the rejected request: %v", err)
	}
	if dump(t, f.db) == before {
		t.Errorf("an accepted request left the dump unchanged: the dump sees nothing")
	}
	if want := []int64{size, size + 1}; !slices.Equal(res.Seqs, want) {
		t.Errorf("seqs %v, want %v", res.Seqs, want)
	}
	if _, err := s.Verify(ctx, ""); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// testIdempotency checks retries: the same request again is the first
// result; the same key for something else is a conflict; a mix of old and
// new keys is refused; none of these writes anything.
func testIdempotency(t *testing.T, e Engine) {
	f := newFixture(t, e)
	inputWorld(t, f.s)
	s := f.s
	ctx := context.Background()
	first := Registrations("idem", 100, 1, PrisonA)[0]
	res1, err := s.Append(ctx, first...)
	if err != nil {
		t.Fatal(err)
	}
	transfer := Transfer("idem", 1, 100, PrisonA, PrisonB)
	res2, err := s.Append(ctx, transfer...)
	if err != nil {
		t.Fatal(err)
	}
	changed := func(e custody.Event, f func(*custody.Transferred)) []custody.Event {
		d := *e.Data.(*custody.Transferred)
		f(&d)
		e.Data = &d
		return []custody.Event{e}
	}
	later := transfer[0]
	later.RecordedAt = later.RecordedAt.Add(time.Hour) // a retry, recorded later
	otherActor := transfer[0]
	otherActor.By.User = "someone.else"

	cases := []struct {
		name     string
		req      []custody.Event
		want     []int64 // the first result's seqs, for a replay
		conflict string  // the key named in the conflict, if refused
	}{
		{"replay of a registration", Registrations("idem", 100, 1, PrisonA)[0], res1.Seqs, ""},
		{"replay of a transfer", transfer, res2.Seqs, ""},
		{"replay recorded later", []custody.Event{later}, res2.Seqs, ""},
		{"same key, other destination", changed(transfer[0], func(d *custody.Transferred) { d.To = Destination }), nil, transfer[0].Key},
		{"same key, other person", changed(transfer[0], func(d *custody.Transferred) { d.Person = pid(5) }), nil, transfer[0].Key},
		{"same key, other recorder", []custody.Event{otherActor}, nil, transfer[0].Key},
		{"same keys, other facility", []custody.Event{first[0], event(&custody.Admitted{Person: pid(100), Facility: PrisonB, TakenBy: "bench unit", OrderedBy: "sdf", Grounds: "suspected IS membership"}, first[1].OccurredAt, first[1].Key)}, nil, first[1].Key},
		{"old key and new key", []custody.Event{transfer[0], Transfer("idem", 2, 100, PrisonB, Destination)[0]}, nil, transfer[0].Key},
		{"new key and old key", []custody.Event{Transfer("idem", 3, 101, PrisonA, PrisonB)[0], transfer[0]}, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := dump(t, f.db)
			res, err := s.Append(ctx, tc.req...)
			if tc.want != nil {
				if err != nil {
					t.Fatalf("replay: %v", err)
				}
				if !res.Replayed || !slices.Equal(res.Seqs, tc.want) {
					t.Errorf("replay = seqs %v replayed %v, want the first result %v, replayed", res.Seqs, res.Replayed, tc.want)
				}
			} else {
				errorIs(t, err, custody.Conflict, custody.RuleIdempotency)
				if !strings.Contains(err.Error(), tc.conflict) {
					t.Errorf("message %q does not name key %q", err, tc.conflict)
				}
				if res.Replayed || len(res.Seqs) != 0 {
					t.Errorf("refused request got seqs %v, replayed %v", res.Seqs, res.Replayed)
				}
			}
			sameDump(t, f.db, before)
		})
	}

	// Within one batch: a request and its retry; a request and a conflicting
	// one; the retry gets the first result, the conflict is refused.
	t.Run("replay and conflict in one batch", func(t *testing.T) {
		size, err := s.Size(ctx)
		if err != nil {
			t.Fatal(err)
		}
		req := Transfer("idem-batch", 1, 100, PrisonB, Destination)
		retry := slices.Clone(req)
		clash := changed(req[0], func(d *custody.Transferred) { d.To = PrisonA })
		res, err := s.AppendBatch(ctx, [][]custody.Event{req, retry, clash})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Err != nil || res[0].Replayed || !slices.Equal(res[0].Seqs, []int64{size}) {
			t.Errorf("first = %+v, want seqs [%d]", res[0], size)
		}
		if res[1].Err != nil || !res[1].Replayed || !slices.Equal(res[1].Seqs, []int64{size}) {
			t.Errorf("retry in the same batch = %+v, want the first result [%d], replayed", res[1], size)
		}
		errorIs(t, res[2].Err, custody.Conflict, custody.RuleIdempotency)
		checkHead(t, f, size+1)
	})
	if _, err := s.Verify(ctx, ""); err != nil {
		t.Errorf("verify: %v", err)
	}
}
