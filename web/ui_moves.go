package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// The allocations board, the moves board and a move's page.

var uiStages = []custody.MoveStatus{custody.StagePlanned, custody.StageBoarding, custody.StageDeparted,
	custody.StageArrived, custody.StageClosed, custody.StageAborted}

type allocationsData struct {
	L           *lookup
	Allocations []allocRow
}

type allocRow struct {
	A        *custody.AllocationState
	Moved    int // received at the destination
	OnTheWay int // aboard open moves
	Planned  int // manifested on moves not yet departed
	Moves    []allocMove
	Hidden   int // moves the user may not view
}

type allocMove struct {
	sqlstore.MoveSummary
	HandedOver int
}

// moveStates reads the moves of a list of summaries, by ID.
func (s *Server) moveStates(ctx context.Context, ms []sqlstore.MoveSummary) (map[custody.MoveID]*custody.MoveState, error) {
	out := make(map[custody.MoveID]*custody.MoveState, len(ms))
	for _, m := range ms {
		st, err := s.store.Move(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		out[m.ID] = st
	}
	return out, nil
}

// allocationsPage shows each allocation's target, criteria, destinations
// and progress, with its moves.
func (s *Server) allocationsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	allocs, err := s.store.Allocations(ctx)
	if err != nil {
		return err
	}
	moves, err := s.store.MovesFor(ctx, sqlstore.MoveQuery{})
	if err != nil {
		return err
	}
	states, err := s.moveStates(ctx, moves)
	if err != nil {
		return err
	}
	d := &allocationsData{L: l}
	for _, a := range allocs {
		row := allocRow{A: a}
		for _, m := range moves {
			if m.Allocation != a.Allocation.ID {
				continue
			}
			st := states[m.ID]
			b := st.Balance()
			row.Moved += b.HandedOver
			switch m.Status {
			case custody.StagePlanned, custody.StageBoarding:
				row.Planned += b.Manifested - b.NotBoarded
			case custody.StageDeparted, custody.StageArrived:
				row.OnTheWay += b.Aboard
			}
			if custody.CanViewMove(u, l.moveFacts(&m)) {
				row.Moves = append(row.Moves, allocMove{MoveSummary: m, HandedOver: b.HandedOver})
			} else {
				row.Hidden++
			}
		}
		d.Allocations = append(d.Allocations, row)
	}
	return s.render(w, r, http.StatusOK, "allocations", "Allocations", d)
}

type movesData struct {
	L                 *lookup
	Stage             string
	Stages            []stageTab
	All               int
	Moves             []moveRow
	NextURL, FirstURL string
}

type stageTab struct {
	Stage  custody.MoveStatus
	N      int
	Active bool
}

type moveRow struct {
	sqlstore.MoveSummary
	Alerts int  // open
	Field  bool // the user records on it in the field
}

const movesPerPage = 100

// movesPage lists the moves the user may view, filtered by stage.
func (s *Server) movesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	all, err := s.store.MovesFor(ctx, sqlstore.MoveQuery{})
	if err != nil {
		return err
	}
	alerts, err := s.store.Alerts(ctx, true)
	if err != nil {
		return err
	}
	open := map[custody.MoveID]int{}
	for _, a := range alerts {
		open[a.Move]++
	}
	q := r.URL.Query()
	d := &movesData{L: l, Stage: q.Get("stage")}
	count := map[custody.MoveStatus]int{}
	var rows []moveRow
	for _, m := range all {
		f := l.moveFacts(&m)
		if !custody.CanViewMove(u, f) {
			continue
		}
		count[m.Status]++
		d.All++
		if d.Stage != "" && string(m.Status) != d.Stage {
			continue
		}
		rows = append(rows, moveRow{MoveSummary: m, Alerts: open[m.ID], Field: m.Status.Open() && mayRecordOnMove(u, f)})
	}
	for _, st := range uiStages {
		d.Stages = append(d.Stages, stageTab{Stage: st, N: count[st], Active: string(st) == d.Stage})
	}
	page := atoiOr(q.Get("page"), 0)
	from := min(page*movesPerPage, len(rows))
	to := min(from+movesPerPage, len(rows))
	d.Moves = rows[from:to]
	if to < len(rows) {
		d.NextURL = withQuery("/moves", q, "page", strconv.Itoa(page+1))
	}
	if page > 0 {
		d.FirstURL = withQuery("/moves", q, "page", "")
	}
	return s.render(w, r, http.StatusOK, "moves", "Moves", d)
}

type moveData struct {
	L          *lookup
	M          *custody.MoveState
	Receiver   custody.AuthorityID
	Balance    custody.Balance
	Vehicles   []vehicleRow
	History    []stageRow
	Handovers  []handoverRow
	Alerts     []*custody.Alert
	Field      bool
	Allocation string
}

type vehicleRow struct {
	custody.Vehicle
	Seats []seatRow
}

type seatRow struct {
	Seat   custody.Seat
	P      shownPerson
	State  string // to board, aboard, not boarded, handed over, incident on the way
	Reason string
	Seq    int64
}

type stageRow struct {
	Label string
	At    time.Time
	Seq   int64
}

type handoverRow struct {
	*custody.Handover
	Received, Refused, Pending int
}

// movePage shows a move: its route, vehicles, manifest, stages, counts,
// handovers and alerts.
func (s *Server) movePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	id := custody.MoveID(r.PathValue("id"))
	m, err := s.store.Move(ctx, id)
	if err != nil {
		return err
	}
	l, err := s.lookup(r)
	if err != nil {
		return err
	}
	f := l.stateFacts(m)
	if !custody.CanViewMove(u, f) {
		return custody.Errorf(custody.NotFound, "no move %q that you may see", id)
	}
	if err := s.loadRefs(ctx, l); err != nil {
		return err
	}
	d := &moveData{L: l, M: m, Receiver: f.Receiver, Balance: m.Balance(), Field: m.Status.Open() && mayRecordOnMove(u, f)}
	ids := make([]custody.PersonID, len(m.Manifest))
	for i, st := range m.Manifest {
		ids[i] = st.Person
	}
	shown, err := s.manifestPersons(r, m, l, ids)
	if err != nil {
		return err
	}
	for _, v := range m.Move.Vehicles {
		vr := vehicleRow{Vehicle: v}
		for _, st := range m.Manifest {
			if st.Vehicle == v.ID {
				vr.Seats = append(vr.Seats, seatOf(l, m, st, shown[st.Person]))
			}
		}
		d.Vehicles = append(d.Vehicles, vr)
	}
	if d.History, err = s.stageHistory(ctx, m); err != nil {
		return err
	}
	for _, h := range m.Handovers {
		hr := handoverRow{Handover: h, Received: len(h.Received), Refused: len(h.Refused)}
		hr.Pending = len(h.Persons) - hr.Received - hr.Refused
		d.Handovers = append(d.Handovers, hr)
	}
	alerts, err := s.store.Alerts(ctx, false)
	if err != nil {
		return err
	}
	for _, a := range alerts {
		if a.Move == id {
			d.Alerts = append(d.Alerts, a)
		}
	}
	return s.render(w, r, http.StatusOK, "move", "Move", d)
}

// seatOf says where a manifested person stands on the move.
func seatOf(l *lookup, m *custody.MoveState, st custody.Seat, p shownPerson) seatRow {
	row := seatRow{Seat: st, P: p, State: "to board"}
	switch id := st.Person; {
	case m.HandedOver[id] != 0:
		row.State, row.Seq = "handed over", m.HandedOver[id]
	case m.Incidents[id] != 0:
		row.State, row.Seq = "incident on the way", m.Incidents[id]
	case m.Aboard[id]:
		row.State, row.Seq = "aboard", m.Boarded[id]
	case m.NotBoarded[id].Seq != 0:
		nb := m.NotBoarded[id]
		row.State, row.Seq, row.Reason = "not boarded", nb.Seq, l.Reason(custody.ListNotBoarded, nb.Reason)
	case !m.Status.Open():
		row.State = "not boarded"
	}
	return row
}

// stageHistory lists when the move reached each stage.
func (s *Server) stageHistory(ctx context.Context, m *custody.MoveState) ([]stageRow, error) {
	at := func(label string, seq int64) (stageRow, error) {
		e, _, err := s.store.Event(ctx, seq)
		return stageRow{Label: label, At: e.OccurredAt, Seq: seq}, err
	}
	var out []stageRow
	add := func(label string, seq int64) error {
		if seq == 0 && label != "planned" {
			return nil
		}
		row, err := at(label, seq)
		out = append(out, row)
		return err
	}
	if err := add("planned", m.Planned); err != nil {
		return nil, err
	}
	if err := add("boarding", m.Frozen); err != nil {
		return nil, err
	}
	for _, c := range m.Counts {
		if c.Stage == "departure" {
			out = append(out, stageRow{Label: "departed", At: c.At, Seq: c.Seq})
		}
	}
	for _, c := range m.Counts {
		if c.Stage == "arrival" {
			out = append(out, stageRow{Label: "arrived", At: c.At, Seq: c.Seq})
		}
	}
	if m.Ended != 0 {
		if err := add(string(m.Status), m.Ended); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out, func(a, b stageRow) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}
