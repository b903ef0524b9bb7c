package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/sqlstore"
)

// arabicPersons are registered with an Arabic name only, so that their
// display name is in Arabic script.
var arabicPersons = []custody.Person{
	{ID: "Q-AR-1", Name: custody.Name{Arabic: "فاطمة الزهراء"}, Sex: custody.Female, Category: custody.Woman, Nationalities: []string{"SE", "IQ"}},
	{ID: "Q-AR-2", Name: custody.Name{Arabic: "زينب علي"}, Sex: custody.Female, Category: custody.Woman, Nationalities: []string{"TN"}},
	{ID: "Q-AR-3", Name: custody.Name{Arabic: "مريم الزهراوي"}, Sex: custody.Female, Category: custody.Woman},
}

// queryWorld builds the world the query tests read:
//   - persons 0..29 admitted to PrisonA, 30..44 and the Arabic-named ones
//     to PrisonB;
//   - MV-Q1 (PrisonA → Destination, persons 0..9): closed, the persons
//     held at Destination by iraq-moj;
//   - MV-Q2 (PrisonA → Destination, persons 10..15): boarding, 10..14
//     aboard, 15 not boarded (back on PrisonA's roll);
//   - MV-Q3 (PrisonB → Destination, persons 30..32): planned only.
//
// It returns every person's ID, sorted.
func queryWorld(t *testing.T, s *sqlstore.Store) []custody.PersonID {
	t.Helper()
	MustAppend(t, s, Setup("q"))
	MustAppend(t, s, MoveSetup("q", 100))
	MustAppend(t, s, Registrations("q", 0, 30, PrisonA))
	MustAppend(t, s, Registrations("q", 30, 15, PrisonB))
	at := epoch.Add(time.Hour * 2)
	var reqs [][]custody.Event
	for i, p := range arabicPersons {
		reqs = append(reqs, []custody.Event{
			custody.NewEvent(&custody.PersonRegistered{Person: p}, at, at, actor, fmt.Sprintf("q-ar-reg-%d", i)),
			custody.NewEvent(&custody.Admitted{Person: p.ID, Facility: PrisonB, TakenBy: "unit", OrderedBy: "sdf", Grounds: "camp transfer"}, at, at, actor, fmt.Sprintf("q-ar-adm-%d", i)),
		})
	}
	MustAppend(t, s, reqs)

	AppendMove(t, s, MoveRun("q", 1, "MV-Q1", PrisonA, ints(0, 10), false))
	q2 := MoveRun("q", 2, "MV-Q2", PrisonA, ints(10, 16), false)
	AppendMove(t, s, q2[:2+5]) // planned, boarding started, 10..14 boarded
	nb := epoch.Add(time.Hour * 24 * 50)
	MustAppend(t, s, [][]custody.Event{{custody.NewEvent(&custody.NotBoarded{Move: "MV-Q2", Person: pid(15), Reason: custody.Reason{Code: "medical-unfit", Version: 1}},
		nb, nb, sdfActor, "q-nb-15")}})
	AppendMove(t, s, MoveRun("q", 3, "MV-Q3", PrisonB, ints(30, 33), false)[:1])

	var ids []custody.PersonID
	for i := range 45 {
		ids = append(ids, pid(i))
	}
	for _, p := range arabicPersons {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	return ids
}

func ints(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

func pids(is ...int) []custody.PersonID {
	out := make([]custody.PersonID, len(is))
	for k, i := range is {
		out[k] = pid(i)
	}
	return out
}

// listAll pages through ListPersons with page size limit and returns every
// ID, failing the test if a page is out of order, over-full, repeats an ID
// or ends wrongly.
func listAll(t *testing.T, s *sqlstore.Store, q sqlstore.PersonQuery, limit int) []custody.PersonID {
	t.Helper()
	ctx := context.Background()
	q.Limit = limit
	var out []custody.PersonID
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatalf("list %+v: no end after 1000 pages", q)
		}
		page, err := s.ListPersons(ctx, q)
		if err != nil {
			t.Fatalf("list %+v: %v", q, err)
		}
		if len(page.Persons) > limit {
			t.Fatalf("list %+v: page of %d, over the limit", q, len(page.Persons))
		}
		for _, p := range page.Persons {
			if len(out) > 0 && p.ID <= out[len(out)-1] {
				t.Fatalf("list %+v: %s after %s: not in ID order, or repeated", q, p.ID, out[len(out)-1])
			}
			out = append(out, p.ID)
		}
		if page.Next == "" {
			return out
		}
		if len(page.Persons) != limit || page.Next != page.Persons[len(page.Persons)-1].ID {
			t.Fatalf("list %+v: page of %d ending %v with next %q", q, len(page.Persons), page.Persons, page.Next)
		}
		q.After = page.Next
	}
}

func sameIDs(t *testing.T, what string, got, want []custody.PersonID) {
	t.Helper()
	if got == nil {
		got = []custody.PersonID{}
	}
	want = slices.Sorted(slices.Values(want))
	if want == nil {
		want = []custody.PersonID{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %d persons %v\nwant %d %v", what, len(got), got, len(want), want)
	}
}

func codeIs(t *testing.T, what string, err error, code custody.Code) {
	t.Helper()
	if err == nil || custody.ErrorCode(err) != code {
		t.Errorf("%s: error %v, want code %s", what, err, code)
	}
}

// testQuery checks the reads of the web UI and the API on a small world:
// scoped lists hold exactly the persons in scope, pages hold each person
// once, text search finds by ID prefix and Arabic name, timelines verify
// against the latest checkpoint, and where-is agrees with the full record.
func testQuery(t *testing.T, e Engine) {
	ctx := context.Background()
	f := newFixture(t, e)
	s := f.s
	ids := queryWorld(t, s)

	// Every person's record and facts, the reference the lists are held to.
	recs := map[custody.PersonID]*sqlstore.PersonRecord{}
	for _, id := range ids {
		r, err := s.PersonFacts(ctx, id)
		if err != nil {
			t.Fatalf("person facts %s: %v", id, err)
		}
		if r.State.Person.ID != id {
			t.Fatalf("person facts %s: the record is %s's", id, r.State.Person.ID)
		}
		recs[id] = r
	}
	where := func(keep func(r *sqlstore.PersonRecord) bool) []custody.PersonID {
		var out []custody.PersonID
		for _, id := range ids {
			if keep(recs[id]) {
				out = append(out, id)
			}
		}
		return out
	}

	t.Run("facts", func(t *testing.T) {
		r := recs[pid(12)]
		if l := r.State.Location; l.Status != custody.StatusAboard || l.Move != "MV-Q2" {
			t.Errorf("person 12 is %+v; want aboard MV-Q2", l)
		}
		want := custody.PersonFacts{Nationalities: []string{"SY"}, Facility: PrisonA, Holder: "sdf", MoveEscort: Escort, MoveReceiver: "iraq-moj"}
		if !factsEqual(r.Facts, want) {
			t.Errorf("person 12 (aboard) facts %+v, want %+v", r.Facts, want)
		}
		want = custody.PersonFacts{Nationalities: []string{"SE"}, Facility: PrisonB, Holder: "sdf", MoveEscort: Escort, MoveReceiver: "iraq-moj"}
		if r := recs[pid(31)]; !factsEqual(r.Facts, want) {
			t.Errorf("person 31 (manifested) facts %+v, want %+v", r.Facts, want)
		}
		want = custody.PersonFacts{Nationalities: []string{"SE"}, Facility: PrisonA, Holder: "sdf"}
		if r := recs[pid(15)]; !factsEqual(r.Facts, want) {
			t.Errorf("person 15 (not boarded) facts %+v, want %+v", r.Facts, want)
		}
		want = custody.PersonFacts{Nationalities: []string{"SY"}, Facility: Destination, Holder: "iraq-moj"}
		if r := recs[pid(4)]; !factsEqual(r.Facts, want) {
			t.Errorf("person 4 (moved, move closed) facts %+v, want %+v", r.Facts, want)
		}
		if r := recs["Q-AR-1"]; !slices.Equal(r.Facts.Nationalities, []string{"IQ", "SE"}) || r.State.Person.Name.Arabic != "فاطمة الزهراء" {
			t.Errorf("Q-AR-1: %+v %+v", r.State.Person, r.Facts)
		}
		_, err := s.PersonFacts(ctx, "NOBODY")
		codeIs(t, "person facts of an unknown person", err, custody.NotFound)
	})

	t.Run("scopes", func(t *testing.T) {
		for _, c := range []struct {
			name  string
			scope custody.Scope
			want  []custody.PersonID // what a user would expect, by hand
		}{
			{"all", custody.Scope{All: true}, ids},
			{"consular SE", custody.Scope{Nationalities: []string{"SE"}}, append(pids(3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 43), "Q-AR-1")},
			{"registrar A", custody.Scope{Facilities: []custody.FacilityID{PrisonA}}, pids(ints(10, 30)...)}, // 10..14 aboard from A, 15 back on the roll
			{"registrar B", custody.Scope{Facilities: []custody.FacilityID{PrisonB}}, append(pids(ints(30, 45)...), "Q-AR-1", "Q-AR-2", "Q-AR-3")},
			{"escort", custody.Scope{Escort: Escort}, pids(10, 11, 12, 13, 14, 30, 31, 32)},
			{"receiver", custody.Scope{Receiver: "iraq-moj"}, pids(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 30, 31, 32)},
			{"judicial", custody.Scope{Holder: "iraq-moj"}, pids(ints(0, 10)...)},
			{"escort of nothing", custody.Scope{Escort: "sdf"}, nil},
			{"receiver of nothing", custody.Scope{Receiver: Escort}, nil},
			{"nobody", custody.Scope{}, nil},
			{"registrar or consular", custody.Scope{Facilities: []custody.FacilityID{Destination}, Nationalities: []string{"TN"}},
				append(pids(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 18, 22, 26, 30, 34, 38, 42), "Q-AR-2")},
		} {
			t.Run(c.name, func(t *testing.T) {
				got := listAll(t, s, sqlstore.PersonQuery{Scope: c.scope}, 50)
				sameIDs(t, "list", got, c.want)
				sameIDs(t, "policy", got, where(func(r *sqlstore.PersonRecord) bool { return c.scope.Admits(r.Facts) }))
				if small := listAll(t, s, sqlstore.PersonQuery{Scope: c.scope}, 4); !slices.Equal(small, got) {
					t.Errorf("pages of 4 list %v, one page %v", small, got)
				}
			})
		}
	})

	t.Run("pages", func(t *testing.T) {
		for _, limit := range []int{1, 7, 48, 49} {
			sameIDs(t, fmt.Sprintf("pages of %d", limit), listAll(t, s, sqlstore.PersonQuery{Scope: custody.Scope{All: true}}, limit), ids)
		}
		page, err := s.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.Scope{All: true}})
		if err != nil || len(page.Persons) != 48 || page.Next != "" {
			t.Fatalf("default page: %d persons, next %q, %v; want all 48, no next", len(page.Persons), page.Next, err)
		}
		// The summary agrees with the record.
		for _, p := range page.Persons {
			r := recs[p.ID]
			l, pr := r.State.Location, r.State.Person
			if p.DisplayName != pr.Name.Display() || p.Category != pr.Category || p.Sex != pr.Sex || p.RiskTier != pr.RiskTier ||
				p.Status != l.Status || p.Facility != l.Facility || p.Authority != l.Authority || p.Move != l.Move || !p.Since.Equal(l.Since) ||
				!slices.Equal(p.Nationalities, r.Facts.Nationalities) {
				t.Errorf("summary %+v disagrees with the record %+v %+v", p, pr, l)
			}
		}
	})

	t.Run("filters", func(t *testing.T) {
		all := custody.Scope{All: true}
		lower := func(s string) string { return strings.ToLower(s) }
		for _, c := range []struct {
			name string
			q    sqlstore.PersonQuery
			want []custody.PersonID
		}{
			{"id prefix", sqlstore.PersonQuery{Text: "b-000001"}, pids(ints(10, 20)...)},
			{"id prefix, upper case", sqlstore.PersonQuery{Text: "  B-000004 "}, pids(ints(40, 45)...)},
			{"arabic substring", sqlstore.PersonQuery{Text: "الزهرا"}, []custody.PersonID{"Q-AR-1", "Q-AR-3"}},
			{"arabic word", sqlstore.PersonQuery{Text: "زينب"}, []custody.PersonID{"Q-AR-2"}},
			{"latin substring", sqlstore.PersonQuery{Text: "MUHAMMAD"}, where(func(r *sqlstore.PersonRecord) bool {
				return strings.Contains(lower(r.State.Person.Name.Display()), "muhammad")
			})},
			{"a wildcard is a character", sqlstore.PersonQuery{Text: "%"}, nil},
			{"an underscore is a character", sqlstore.PersonQuery{Text: "b_0"}, nil},
			{"status", sqlstore.PersonQuery{Status: custody.StatusAboard}, pids(10, 11, 12, 13, 14)},
			{"facility", sqlstore.PersonQuery{Facility: Destination}, pids(ints(0, 10)...)},
			{"nationality", sqlstore.PersonQuery{Nationality: "IQ"}, append(pids(1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41), "Q-AR-1")},
			{"category", sqlstore.PersonQuery{Category: custody.Woman}, []custody.PersonID{"Q-AR-1", "Q-AR-2", "Q-AR-3"}},
			{"filters and scope", sqlstore.PersonQuery{Nationality: "SE", Status: custody.StatusHeld, Scope: custody.Scope{Facilities: []custody.FacilityID{PrisonA}}}, pids(15, 19, 23, 27)},
			{"text and scope", sqlstore.PersonQuery{Text: "q-ar", Scope: custody.Scope{Nationalities: []string{"TN"}}}, []custody.PersonID{"Q-AR-2"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				if c.q.Scope.None() {
					c.q.Scope = all
				}
				sameIDs(t, "list", listAll(t, s, c.q, 5), c.want)
			})
		}
	})

	t.Run("timeline", func(t *testing.T) {
		note, err := s.LatestCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		size, root, err := ledger.OpenCheckpoint(note, f.verifier, s.Origin())
		if err != nil {
			t.Fatal(err)
		}
		tl, err := s.Timeline(ctx, pid(12))
		if err != nil {
			t.Fatal(err)
		}
		var types []custody.EventType
		for i, en := range tl {
			types = append(types, en.Event.Type)
			if i > 0 && en.Seq <= tl[i-1].Seq {
				t.Errorf("timeline out of log order: %d after %d", en.Seq, tl[i-1].Seq)
			}
			ev, body, err := s.Event(ctx, en.Seq)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Key != en.Event.Key || en.LeafHash != ledger.LeafHash(body) {
				t.Errorf("timeline entry %d: key %s leaf %x; the log has %s, %x", en.Seq, en.Event.Key, en.LeafHash, ev.Key, ledger.LeafHash(body))
			}
			proof, err := s.InclusionProof(ctx, size, en.Seq)
			if err != nil {
				t.Fatal(err)
			}
			if err := tlog.CheckRecord(proof, size, root, en.Seq, en.LeafHash); err != nil {
				t.Errorf("timeline entry %d does not verify against the checkpoint of size %d: %v", en.Seq, size, err)
			}
			persons, err := s.EventPersons(ctx, en.Seq)
			if err != nil || !slices.Contains(persons, pid(12)) {
				t.Errorf("persons of event %d: %v, %v; want them to include %s", en.Seq, persons, err, pid(12))
			}
		}
		want := []custody.EventType{custody.TypePersonRegistered, custody.TypeAdmitted, custody.TypeMovePlanned, custody.TypeBoarded}
		if !slices.Equal(types, want) {
			t.Errorf("timeline of person 12: %v, want %v", types, want)
		}
		if b, ok := tl[len(tl)-1].Event.Data.(*custody.Boarded); !ok || b.Person != pid(12) || b.Move != "MV-Q2" {
			t.Errorf("last entry %+v, want person 12 boarding MV-Q2", tl[len(tl)-1].Event.Data)
		}
		// The move's planning names its whole manifest.
		plan := tl[2].Seq
		persons, err := s.EventPersons(ctx, plan)
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, "persons of MV-Q2's planning", persons, pids(ints(10, 16)...))
		// An event about no person has none; an index past the log is not found.
		if persons, err := s.EventPersons(ctx, 0); err != nil || len(persons) != 0 {
			t.Errorf("persons of event 0 (an authority): %v, %v", persons, err)
		}
		_, err = s.EventPersons(ctx, size+10)
		codeIs(t, "persons of an event past the log", err, custody.NotFound)
		_, err = s.Timeline(ctx, "NOBODY")
		codeIs(t, "timeline of an unknown person", err, custody.NotFound)
	})

	t.Run("log", func(t *testing.T) {
		size, err := s.Size(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if size <= 100 {
			t.Fatalf("log of %d entries: the test needs more than a default page", size)
		}
		first, err := s.Events(ctx, -1, 0)
		if err != nil || len(first) != 100 || first[0].Seq != 0 {
			t.Fatalf("first default page: %d entries, %v", len(first), err)
		}
		var n int64
		for after := int64(-1); ; {
			page, err := s.Events(ctx, after, 33)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, en := range page {
				if en.Seq != n {
					t.Fatalf("log entry %d where %d was due", en.Seq, n)
				}
				if en.Type != en.Event.Type || !en.OccurredAt.Equal(en.Event.OccurredAt) || !en.RecordedAt.Equal(en.Event.RecordedAt) {
					t.Errorf("log entry %d: columns %s %v %v, event %s %v %v", en.Seq, en.Type, en.OccurredAt, en.RecordedAt, en.Event.Type, en.Event.OccurredAt, en.Event.RecordedAt)
				}
				n++
			}
			after = page[len(page)-1].Seq
		}
		if n != size {
			t.Errorf("paged through %d entries of %d", n, size)
		}
		if all, err := s.Events(ctx, -1, 1_000_000); err != nil || int64(len(all)) != size {
			t.Errorf("one big page: %d entries, %v; want %d", len(all), err, size)
		}
	})

	t.Run("facilities", func(t *testing.T) {
		facs, err := s.Facilities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []custody.FacilityID
		for _, fc := range facs {
			got = append(got, fc.ID)
			n := len(where(func(r *sqlstore.PersonRecord) bool {
				return r.State.Location.Status.OnRoll() && r.State.Location.Facility == fc.ID
			}))
			if fc.Population != n {
				t.Errorf("facility %s: population %d, %d on its roll", fc.ID, fc.Population, n)
			}
		}
		if want := []custody.FacilityID{Destination, Hospital, PrisonA, PrisonB}; !slices.Equal(got, want) {
			t.Fatalf("facilities %v, want %v", got, want)
		}
		d := facs[0]
		if d.Name.Display() != "Bench destination" || d.Kind != custody.Destination || d.Controller != "iraq-moj" || d.Capacity != 10_000_000 ||
			d.Security != custody.SecurityHigh || d.Place.Country != "SY" || d.Population != 10 {
			t.Errorf("destination %+v", d)
		}
	})

	t.Run("allocations", func(t *testing.T) {
		as, err := s.Allocations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 1 || as[0].Allocation.ID != Allocation || !slices.Equal(as[0].Moves, []custody.MoveID{"MV-Q1", "MV-Q2", "MV-Q3"}) {
			t.Fatalf("allocations %+v", as)
		}
		a, err := s.Allocation(ctx, Allocation)
		if err != nil || a.Allocation.Target != 100 || a.Allocation.OrderedBy != Escort {
			t.Fatalf("allocation %+v, %v", a, err)
		}
		_, err = s.Allocation(ctx, "nope")
		codeIs(t, "unknown allocation", err, custody.NotFound)
	})

	t.Run("moves", func(t *testing.T) {
		for _, c := range []struct {
			name string
			q    sqlstore.MoveQuery
			want []custody.MoveID
		}{
			{"all", sqlstore.MoveQuery{}, []custody.MoveID{"MV-Q1", "MV-Q2", "MV-Q3"}},
			{"open", sqlstore.MoveQuery{Stages: []custody.MoveStatus{custody.StagePlanned, custody.StageBoarding}}, []custody.MoveID{"MV-Q2", "MV-Q3"}},
			{"escort", sqlstore.MoveQuery{Escort: Escort}, []custody.MoveID{"MV-Q1", "MV-Q2", "MV-Q3"}},
			{"escort of nothing", sqlstore.MoveQuery{Escort: "sdf"}, nil},
			{"receiver", sqlstore.MoveQuery{Receiver: "iraq-moj"}, []custody.MoveID{"MV-Q1", "MV-Q2", "MV-Q3"}},
			{"receiver of nothing", sqlstore.MoveQuery{Receiver: "sdf"}, nil},
			{"receiver, closed", sqlstore.MoveQuery{Receiver: "iraq-moj", Stages: []custody.MoveStatus{custody.StageClosed}}, []custody.MoveID{"MV-Q1"}},
			{"origin", sqlstore.MoveQuery{Origins: []custody.FacilityID{PrisonB}}, []custody.MoveID{"MV-Q3"}},
			{"origins", sqlstore.MoveQuery{Origins: []custody.FacilityID{PrisonB, PrisonA}, Stages: []custody.MoveStatus{custody.StageBoarding}}, []custody.MoveID{"MV-Q2"}},
			{"allocation", sqlstore.MoveQuery{Allocation: Allocation}, []custody.MoveID{"MV-Q1", "MV-Q2", "MV-Q3"}},
			{"other allocation", sqlstore.MoveQuery{Allocation: "other"}, nil},
			{"limit and offset", sqlstore.MoveQuery{Limit: 1, Offset: 1}, []custody.MoveID{"MV-Q2"}},
			{"offset", sqlstore.MoveQuery{Offset: 2}, []custody.MoveID{"MV-Q3"}},
		} {
			ms, err := s.MovesFor(ctx, c.q)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []custody.MoveID
			for _, m := range ms {
				got = append(got, m.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: moves %v, want %v", c.name, got, c.want)
			}
		}
		ms, err := s.MovesFor(ctx, sqlstore.MoveQuery{Stages: []custody.MoveStatus{custody.StageBoarding}})
		if err != nil || len(ms) != 1 || ms[0].Manifested != 6 || ms[0].Aboard != 5 || ms[0].Origin != PrisonA || ms[0].Status != custody.StageBoarding {
			t.Errorf("MV-Q2 on the board: %+v, %v", ms, err)
		}
		if old, err := s.Moves(ctx); err != nil || len(old) != 3 {
			t.Errorf("Moves: %d, %v", len(old), err)
		}
	})

	t.Run("where-is", func(t *testing.T) {
		for _, id := range ids {
			w, err := s.WhereIs(ctx, id)
			if err != nil {
				t.Fatalf("where is %s: %v", id, err)
			}
			r := recs[id]
			l := r.State.Location
			if w.Person != id || w.Status != l.Status || w.Facility != l.Facility || w.Authority != l.Authority || w.Move != l.Move ||
				!w.Since.Equal(l.Since) || w.SinceSeq != l.SinceSeq {
				t.Errorf("where is %s: %+v; the record says %+v", id, w, l)
			}
			want := r.Facts
			if l.Move == "" {
				want.MoveEscort, want.MoveReceiver = "", "" // set only aboard
			}
			if !factsEqual(w.Facts, want) {
				t.Errorf("where is %s: facts %+v, the record's %+v", id, w.Facts, want)
			}
		}
		w, err := s.WhereIs(ctx, pid(3))
		if err != nil || w.FacilityName != "Bench destination" || w.Facility != Destination {
			t.Errorf("where is person 3: %+v, %v", w, err)
		}
		if w, err := s.WhereIs(ctx, pid(31)); err != nil || w.Facts.MoveEscort != "" || recs[pid(31)].Facts.MoveEscort != Escort {
			t.Errorf("where is person 31 (manifested, not aboard): %+v, %v", w, err)
		}
		_, err = s.WhereIs(ctx, "NOBODY")
		codeIs(t, "where is an unknown person", err, custody.NotFound)
	})
}

func factsEqual(a, b custody.PersonFacts) bool {
	return slices.Equal(a.Nationalities, b.Nationalities) && a.Facility == b.Facility && a.Holder == b.Holder &&
		a.MoveEscort == b.MoveEscort && a.MoveReceiver == b.MoveReceiver
}

// testAccess checks users, sessions, API tokens and the audit trail of
// person reads.
func testAccess(t *testing.T, e Engine) {
	ctx := context.Background()
	s := newFixture(t, e).s

	mon := custody.User{Name: "monitor.one", Role: custody.RoleMonitor}
	reg := custody.User{Name: "reg.a", Role: custody.RoleRegistrar, Authority: "sdf", Facilities: []custody.FacilityID{PrisonA}}
	bot := custody.User{Name: "sync@bot", Role: custody.RoleMonitor}
	for _, u := range []custody.User{mon, reg} {
		if err := s.AddUser(ctx, u, "$argon2id$v=19$m=65536,t=1,p=1$c2FsdA$aGFzaA"); err != nil {
			t.Fatalf("add user %s: %v", u.Name, err)
		}
	}
	if err := s.AddUser(ctx, bot, ""); err != nil {
		t.Fatalf("add machine user: %v", err)
	}
	codeIs(t, "duplicate user", s.AddUser(ctx, custody.User{Name: "reg.a", Role: custody.RoleMonitor}, ""), custody.Conflict)
	codeIs(t, "user with a space", s.AddUser(ctx, custody.User{Name: "Bad Name", Role: custody.RoleMonitor}, ""), custody.Invalid)
	codeIs(t, "registrar without facilities", s.AddUser(ctx, custody.User{Name: "reg.b", Role: custody.RoleRegistrar, Authority: "sdf"}, ""), custody.Invalid)
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 || users[0].Name != "monitor.one" || users[1].Name != "reg.a" || users[2].Name != "sync@bot" || users[2].HasPassword || !users[1].HasPassword {
		t.Fatalf("users %+v", users)
	}
	if u, _, err := s.User(ctx, "reg.a"); err != nil || !slices.Equal(u.Facilities, reg.Facilities) || u.Authority != "sdf" {
		t.Fatalf("user reg.a: %+v, %v", u, err)
	}
	_, _, err = s.User(ctx, "nobody")
	codeIs(t, "unknown user", err, custody.NotFound)

	t.Run("sessions", func(t *testing.T) {
		tok, sess, err := s.NewSession(ctx, "reg.a", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok, "css_") || sess.CSRF == "" || sess.User.Name != "reg.a" {
			t.Fatalf("new session %q %+v", tok, sess)
		}
		got, err := s.SessionOf(ctx, tok)
		if err != nil || got.User.Name != "reg.a" || got.CSRF != sess.CSRF || !got.Expires.Equal(custody.NormTime(sess.Expires)) {
			t.Fatalf("session of the token: %+v, %v; want %+v", got, err, sess)
		}
		_, err = s.SessionOf(ctx, "cst_"+tok[4:])
		codeIs(t, "session of a token with an API prefix", err, custody.Unauthenticated)
		_, err = s.SessionOf(ctx, tok+"x")
		codeIs(t, "session of a wrong token", err, custody.Unauthenticated)
		_, _, err = s.NewSession(ctx, "nobody", time.Hour)
		codeIs(t, "session of an unknown user", err, custody.NotFound)

		short, _, err := s.NewSession(ctx, "reg.a", time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		_, err = s.SessionOf(ctx, short)
		codeIs(t, "expired session", err, custody.Unauthenticated)

		if err := s.EndSession(ctx, tok); err != nil {
			t.Fatal(err)
		}
		_, err = s.SessionOf(ctx, tok)
		codeIs(t, "ended session", err, custody.Unauthenticated)

		// Disabling a user ends their sessions and refuses new ones;
		// enabling them again does not bring the old ones back.
		tok, _, err = s.NewSession(ctx, "reg.a", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := s.NewSession(ctx, "monitor.one", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserDisabled(ctx, "reg.a", true); err != nil {
			t.Fatal(err)
		}
		_, err = s.SessionOf(ctx, tok)
		codeIs(t, "session of a disabled user", err, custody.Unauthenticated)
		_, _, err = s.NewSession(ctx, "reg.a", time.Hour)
		codeIs(t, "new session of a disabled user", err, custody.Unauthenticated)
		if _, err := s.SessionOf(ctx, other); err != nil {
			t.Errorf("another user's session ended with the disabling: %v", err)
		}
		if err := s.SetUserDisabled(ctx, "reg.a", false); err != nil {
			t.Fatal(err)
		}
		_, err = s.SessionOf(ctx, tok)
		codeIs(t, "session of a user disabled and enabled again", err, custody.Unauthenticated)
		codeIs(t, "disable an unknown user", s.SetUserDisabled(ctx, "nobody", true), custody.NotFound)

		// A new password ends the user's sessions.
		tok, _, err = s.NewSession(ctx, "reg.a", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionOf(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, "reg.a", "$argon2id$v=19$m=65536,t=1,p=1$c2FsdDI$aGFzaDI"); err != nil {
			t.Fatal(err)
		}
		_, err = s.SessionOf(ctx, tok)
		codeIs(t, "session after a password change", err, custody.Unauthenticated)
		if _, hash, err := s.User(ctx, "reg.a"); err != nil || !strings.Contains(hash, "c2FsdDI") {
			t.Errorf("password hash after the change: %q, %v", hash, err)
		}
		codeIs(t, "password of an unknown user", s.SetPassword(ctx, "nobody", "x"), custody.NotFound)
		if _, err := s.SessionOf(ctx, other); err != nil {
			t.Errorf("another user's session ended with the password change: %v", err)
		}
	})

	t.Run("tokens", func(t *testing.T) {
		tok, err := s.NewAPIToken(ctx, "sync@bot", "nightly sync")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok, "cst_") {
			t.Fatalf("API token %q", tok)
		}
		u, err := s.TokenUser(ctx, tok)
		if err != nil || u.Name != "sync@bot" || u.Role != custody.RoleMonitor {
			t.Fatalf("token user: %+v, %v", u, err)
		}
		_, err = s.TokenUser(ctx, "css_"+tok[4:])
		codeIs(t, "API token with a session prefix", err, custody.Unauthenticated)
		_, err = s.TokenUser(ctx, tok[:len(tok)-1])
		codeIs(t, "wrong API token", err, custody.Unauthenticated)
		_, err = s.NewAPIToken(ctx, "nobody", "x")
		codeIs(t, "API token of an unknown user", err, custody.NotFound)
		if sess, err := s.SessionOf(ctx, tok); err == nil {
			t.Errorf("an API token opened a session: %+v", sess)
		}

		second, err := s.NewAPIToken(ctx, "sync@bot", "spare")
		if err != nil {
			t.Fatal(err)
		}
		if users, err := s.Users(ctx); err != nil || users[2].Tokens != 2 {
			t.Errorf("users %+v, %v; want sync@bot with 2 tokens", users, err)
		}
		if err := s.SetUserDisabled(ctx, "sync@bot", true); err != nil {
			t.Fatal(err)
		}
		_, err = s.TokenUser(ctx, tok)
		codeIs(t, "API token of a disabled user", err, custody.Unauthenticated)
		if err := s.SetUserDisabled(ctx, "sync@bot", false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, tok); err != nil {
			t.Errorf("API token of a user enabled again: %v", err)
		}
		n, err := s.RevokeAPITokens(ctx, "sync@bot")
		if err != nil || n != 2 {
			t.Fatalf("revoke: %d, %v; want 2", n, err)
		}
		for _, k := range []string{tok, second} {
			_, err = s.TokenUser(ctx, k)
			codeIs(t, "revoked API token", err, custody.Unauthenticated)
		}
	})

	t.Run("audit", func(t *testing.T) {
		const goroutines = 50
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, goroutines)
		for g := range goroutines {
			wg.Go(func() {
				reads := []sqlstore.PersonRead{
					{User: fmt.Sprintf("u%d", g%5), Person: fmt.Sprintf("P-%d", g%10), Route: "GET /persons/{id}"},
					{User: fmt.Sprintf("u%d", g%5), Person: fmt.Sprintf("P-%d", g%10), Route: "GET /api/v1/persons/{id}/whereabouts"},
					{User: fmt.Sprintf("u%d", g%5), Person: fmt.Sprintf("P-%d", g%10), Route: "GET /persons/{id}/timeline"},
				}
				errs <- s.RecordReads(ctx, reads...)
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("record reads: %v", err)
			}
		}
		if err := s.RecordReads(ctx); err != nil {
			t.Fatalf("record no reads: %v", err)
		}

		all, err := s.PersonReads(ctx, sqlstore.ReadFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3*goroutines {
			t.Fatalf("%d reads recorded, want %d", len(all), 3*goroutines)
		}
		for i, r := range all {
			if i > 0 && r.ID >= all[i-1].ID {
				t.Fatalf("reads not newest first: %d after %d", r.ID, all[i-1].ID)
			}
			if r.At.Before(start.Add(-time.Second)) || r.At.After(time.Now().Add(time.Second)) || r.Route == "" {
				t.Errorf("read %+v", r)
			}
		}
		check := func(f sqlstore.ReadFilter, want int) {
			t.Helper()
			got, err := s.PersonReads(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != want {
				t.Errorf("reads %+v: %d, want %d", f, len(got), want)
			}
			for i, r := range got {
				if f.Person != "" && r.Person != f.Person || f.User != "" && r.User != f.User || i > 0 && r.ID >= got[i-1].ID {
					t.Errorf("reads %+v: got %+v", f, r)
				}
			}
		}
		check(sqlstore.ReadFilter{Person: "P-3"}, 15) // goroutines 3, 13, 23, 33, 43
		check(sqlstore.ReadFilter{User: "u1"}, 30)    // ten goroutines
		check(sqlstore.ReadFilter{Person: "P-3", User: "u3"}, 15)
		check(sqlstore.ReadFilter{Person: "P-3", User: "u1"}, 0)
		check(sqlstore.ReadFilter{Person: "P-99"}, 0)
		check(sqlstore.ReadFilter{}, 100)                     // the default limit
		check(sqlstore.ReadFilter{Limit: 5000}, 3*goroutines) // capped at 1000, not reset to 100

		// Paging back with Before returns every read once.
		var paged []sqlstore.PersonRead
		for before := int64(0); ; {
			page, err := s.PersonReads(ctx, sqlstore.ReadFilter{Before: before, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			paged = append(paged, page...)
			before = page[len(page)-1].ID
		}
		if len(paged) != len(all) {
			t.Fatalf("paged %d reads, want %d", len(paged), len(all))
		}
		for i := range all {
			if paged[i].ID != all[i].ID {
				t.Fatalf("page read %d is %d, want %d", i, paged[i].ID, all[i].ID)
			}
		}
		byPerson := map[string]int{}
		for _, r := range all {
			byPerson[r.Person]++
		}
		if len(byPerson) != 10 || slices.Max(slices.Collect(maps.Values(byPerson))) != 15 {
			t.Errorf("reads by person %v", byPerson)
		}
	})
}
