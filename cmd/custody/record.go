package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

// runRecord records events from a JSON Lines file, all in one request:
// either every event keeps the rules and all are recorded, or none is.
// It is how a field laptop without the web UI records a move's stages
// (boarding, counts, handovers) or anything else.
func (m *Main) runRecord(ctx context.Context, args []string) error {
	fs := m.flags("record")
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	in := fs.String("in", "-", "JSON Lines `file` of events (- for standard input)")
	user := fs.String("user", "", "the user recording the events (required)")
	authority := fs.String("authority", "", "the `authority` the user acts for (required)")
	site := fs.String("site", "", "where the events are recorded")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *user == "" || *authority == "" {
		fmt.Fprintln(m.Stderr, "custody record: --user and --authority are required")
		return errUsage
	}
	var r io.Reader = os.Stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	by := custody.Actor{User: *user, Authority: custody.AuthorityID(*authority), Site: *site}
	events, err := parseEventLines(r, by, time.Now())
	if err != nil {
		return err
	}
	s, err := sqlstore.Open(ctx, sqlstore.Config{DB: *db, KeyFile: *key, Logger: m.logger()})
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.Append(ctx, events...)
	if err != nil {
		return err
	}
	verb := "recorded"
	if res.Replayed {
		verb = "already recorded (same keys, same content)"
	}
	for i, e := range events {
		fmt.Fprintf(m.Stdout, "%s %s (key %s) at log index %d\n", verb, e.Type, e.Key, res.Seqs[i])
	}
	return nil
}

// maxLine is the longest line accepted (a move.planned of a full aircraft
// is a few tens of kilobytes).
const maxLine = 4 << 20

// parseEventLines reads events, one JSON object per line (blank lines and
// lines starting with # are skipped): {"type", "occurred_at" (RFC 3339),
// "key" (the idempotency key), "data" (the event's payload)}. Members an
// event does not have are refused. Errors name the line and the member.
func parseEventLines(r io.Reader, by custody.Actor, now time.Time) ([]custody.Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var events []custody.Event
	keys := map[string]int{}
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		e, err := parseEventLine(line, by, now)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if first, dup := keys[e.Key]; dup {
			return nil, fmt.Errorf("line %d: key %q is already used on line %d", n, e.Key, first)
		}
		keys[e.Key] = n
		events = append(events, e)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes", n+1, maxLine)
		}
		return nil, fmt.Errorf("read events: %w", err)
	}
	if len(events) == 0 {
		return nil, errors.New("no events to record")
	}
	return events, nil
}

func parseEventLine(line []byte, by custody.Actor, now time.Time) (custody.Event, error) {
	var l struct {
		Type       custody.EventType `json:"type"`
		OccurredAt string            `json:"occurred_at"`
		Key        string            `json:"key"`
		Data       jsontext.Value    `json:"data"`
	}
	if err := jsonv2.Unmarshal(line, &l, jsonv2.RejectUnknownMembers(true)); err != nil {
		return custody.Event{}, fmt.Errorf("not an event object: %w", err)
	}
	switch {
	case l.Type == "":
		return custody.Event{}, errors.New(`member "type" is missing`)
	case l.Key == "":
		return custody.Event{}, errors.New(`member "key" (the idempotency key) is missing`)
	case l.OccurredAt == "":
		return custody.Event{}, errors.New(`member "occurred_at" is missing`)
	case len(l.Data) == 0:
		return custody.Event{}, errors.New(`member "data" is missing`)
	}
	at, err := time.Parse(time.RFC3339Nano, l.OccurredAt)
	if err != nil {
		return custody.Event{}, fmt.Errorf(`member "occurred_at": %q is not an RFC 3339 time`, l.OccurredAt)
	}
	if at.After(now.Add(5 * time.Minute)) {
		return custody.Event{}, fmt.Errorf(`member "occurred_at": %s is in the future`, l.OccurredAt)
	}
	p, err := custody.NewPayload(l.Type)
	if err != nil {
		return custody.Event{}, fmt.Errorf(`member "type": %w`, err)
	}
	if err := jsonv2.Unmarshal(l.Data, p, jsonv2.RejectUnknownMembers(true)); err != nil {
		return custody.Event{}, fmt.Errorf(`member "data" of a %s: %w`, l.Type, err)
	}
	return custody.NewEvent(p, at, now, by, l.Key), nil
}
