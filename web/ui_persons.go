package web

import (
	"context"
	"net/http"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/ledger"
	"github.com/opencustody/custody/names"
	"github.com/opencustody/custody/personindex"
	"github.com/opencustody/custody/sqlstore"
)

// The persons search and a person's page: identity, custody now, and the
// whole timeline with each event's inclusion proof checked against the
// latest signed checkpoint.

var (
	uiStatuses = []custody.Status{custody.StatusHeld, custody.StatusHospitalised, custody.StatusAboard,
		custody.StatusReleased, custody.StatusEscaped, custody.StatusDeceased, custody.StatusRepatriated}
	uiCategories = []custody.Category{custody.Man, custody.Woman, custody.Boy, custody.Girl}
)

type personsData struct {
	L                                          *lookup
	Matches                                    []matchJSON // by name, through the names index
	Q, Facility, Status, Nationality, Category string
	Statuses                                   []custody.Status
	Categories                                 []custody.Category
	Persons                                    []sqlstore.PersonSummary
	NextURL, FirstURL                          string
	Paged                                      bool // not the first page
}

// personsPage searches the persons in the user's scope.
func (s *Server) personsPage(w http.ResponseWriter, r *http.Request) error {
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := &personsData{L: l, Statuses: uiStatuses, Categories: uiCategories,
		Q:        strings.TrimSpace(q.Get("q")),
		Facility: q.Get("facility"), Status: q.Get("status"), Category: q.Get("category"),
		Nationality: strings.ToUpper(strings.TrimSpace(q.Get("nationality"))),
	}
	after := custody.PersonID(q.Get("after"))
	page, err := s.store.ListPersons(r.Context(), sqlstore.PersonQuery{
		Scope: custody.PersonScope(userOf(r)), Text: d.Q,
		Facility: custody.FacilityID(d.Facility), Status: custody.Status(d.Status),
		Nationality: d.Nationality, Category: custody.Category(d.Category),
		After: after, Limit: 50,
	})
	if err != nil {
		return err
	}
	d.Persons = page.Persons
	if d.Q != "" && after == "" && !looksLikeID(d.Q) {
		if d.Matches, err = s.search(r.Context(), userOf(r), namesQueryOf(d), 10); err != nil {
			return err
		}
		ids := make([]custody.PersonID, len(d.Matches))
		for i, m := range d.Matches {
			ids[i] = m.ID
		}
		if err := s.audit(r, ids...); err != nil {
			return err
		}
	}
	if page.Next != "" {
		d.NextURL = withQuery("/persons", q, "after", string(page.Next))
	}
	if after != "" {
		d.Paged, d.FirstURL = true, withQuery("/persons", q, "after", "")
	}
	ids := make([]custody.PersonID, len(page.Persons))
	for i, p := range page.Persons {
		ids[i] = p.ID
	}
	if err := s.audit(r, ids...); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "persons", "Persons", d)
}

// uiCheckpointInfo is the latest signed checkpoint, opened with the log's
// verifier key.
type uiCheckpointInfo struct {
	Note     string
	Size     int64
	Root     tlog.Hash
	Verifier string
}

func (s *Server) uiCheckpoint(ctx context.Context) (*uiCheckpointInfo, error) {
	note, err := s.store.LatestCheckpoint(ctx)
	if err != nil || note == nil {
		return nil, err
	}
	size, root, err := ledger.OpenCheckpoint(note, s.store.VerifierKey(), s.store.Origin())
	if err != nil {
		return nil, err
	}
	return &uiCheckpointInfo{Note: string(note), Size: size, Root: root, Verifier: s.store.VerifierKey()}, nil
}

type personData struct {
	L          *lookup
	P          *custody.PersonState
	Age        int
	HasAge     bool
	Family     []relative
	Timeline   []timelineRow
	Checkpoint *uiCheckpointInfo
	Reads      []sqlstore.PersonRead
	ShowReads  bool
	// Probable duplicates of this record that the reader may see, and
	// whether they may merge (a registrar).
	Duplicates []matchJSON
	CanMerge   bool
	// Legal is the "Legal and consular" section: cases, consular
	// notifications, death-penalty alerts, repatriation requests.
	Legal *personLegal
}

type relative struct {
	Relation custody.Relation
	P        shownPerson
}

type timelineRow struct {
	Seq   int64
	Event *custody.Event
	Label string
	Text  string
	Leaf  tlog.Hash
	// Proof: Verified (in the checkpoint of Size entries), Failed (Why),
	// or neither (recorded after the latest checkpoint).
	Verified, Failed bool
	Why              string
	Receipt          string
}

// personPage shows a person's record, after recording the read.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	id := custody.PersonID(r.PathValue("id"))
	rec, err := s.readPerson(r, id)
	if err != nil {
		return err
	}
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	if err := s.loadRefs(ctx, l); err != nil {
		return err
	}
	d := &personData{L: l, P: rec.State}
	d.Age, d.HasAge = rec.State.Person.Birth.AgeOn(s.cfg.Now())
	var seen []custody.PersonID
	for _, f := range rec.State.Person.Family {
		rel := relative{Relation: f.Relation, P: shownPerson{ID: f.Person}}
		if frec, ok, err := s.readableOne(ctx, u, f.Person); err != nil {
			return err
		} else if ok {
			rel.P.Readable, rel.P.Name, rel.P.State = true, frec.State.Person.Name, frec.State
			seen = append(seen, f.Person)
		}
		d.Family = append(d.Family, rel)
	}
	if err := s.audit(r, seen...); err != nil {
		return err
	}
	tl, err := s.store.Timeline(ctx, id)
	if err != nil {
		return err
	}
	if d.Checkpoint, err = s.uiCheckpoint(ctx); err != nil {
		return err
	}
	for i := range tl {
		t := &tl[i]
		row := timelineRow{Seq: t.Seq, Event: &t.Event, Label: l.EventLabel(t.Event.Type), Text: l.Describe(&t.Event), Leaf: t.LeafHash}
		if cp := d.Checkpoint; cp != nil && t.Seq < cp.Size {
			s.proveRow(ctx, cp, &row)
		}
		d.Timeline = append(d.Timeline, row)
	}
	if rec.State.Merged == nil {
		dups, err := s.search(ctx, u, personindex.Query(&rec.State.Person), 6)
		if err != nil {
			return err
		}
		var shown []custody.PersonID
		for _, m := range dups {
			if m.Probable && m.ID != id {
				d.Duplicates = append(d.Duplicates, m)
				shown = append(shown, m.ID)
			}
		}
		if err := s.audit(r, shown...); err != nil {
			return err
		}
	}
	d.CanMerge = u.Role == custody.RoleRegistrar && custody.Can(u, custody.RecordEvents)
	if d.Legal, err = s.personLegalOf(ctx, r, rec.State); err != nil {
		return err
	}
	if custody.Can(u, custody.ReadAudit) {
		d.ShowReads = true
		if d.Reads, err = s.store.PersonReads(ctx, sqlstore.ReadFilter{Person: string(id), Limit: 50}); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "person", "Person", d)
}

// proveRow proves an event's inclusion in the checkpoint's tree and checks
// the proof against the checkpoint's signed root, here, before saying so;
// it also writes the offline receipt that `custody verify-receipt` checks.
func (s *Server) proveRow(ctx context.Context, cp *uiCheckpointInfo, row *timelineRow) {
	proof, err := s.store.InclusionProof(ctx, cp.Size, row.Seq)
	if err == nil {
		err = tlog.CheckRecord(proof, cp.Size, cp.Root, row.Seq, row.Leaf)
	}
	if err != nil {
		row.Failed, row.Why = true, err.Error()
		s.log.ErrorContext(ctx, "inclusion proof failed", "seq", row.Seq, "size", cp.Size, "err", err)
		return
	}
	row.Verified = true
	rp := ledger.ReceiptProof{Index: row.Seq, Leaf: row.Leaf, Proof: proof, Checkpoint: []byte(cp.Note)}
	row.Receipt = rp.Encode()
}

// looksLikeID reports whether a search text is a person ID (or a prefix of
// one) rather than a name: letters, a dash and digits, with a digit.
func looksLikeID(q string) bool {
	digit := false
	for _, c := range q {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c == '-' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		default:
			return false
		}
	}
	return digit
}

// namesQueryOf is the names query of the persons page's search.
func namesQueryOf(d *personsData) names.Query {
	return names.Query{Names: []string{d.Q}, Nationality: d.Nationality}
}
