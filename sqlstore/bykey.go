package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	custody "github.com/opencustody/custody"
)

// EventByKey returns the event logged with an idempotency key and its log
// index, or found false. A retry of a request whose occurred_at the
// server chose takes the first attempt's time from it, so that it replays
// instead of conflicting.
func (s *Store) EventByKey(ctx context.Context, key string) (seq int64, e custody.Event, found bool, err error) {
	var body []byte
	err = s.readDB.QueryRowContext(ctx, `SELECT seq, body FROM events WHERE key = ?`, key).Scan(&seq, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, custody.Event{}, false, nil
	}
	if err != nil {
		return 0, custody.Event{}, false, fmt.Errorf("look up key %q: %w", key, err)
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return 0, custody.Event{}, false, fmt.Errorf("look up key %q: decode event %d: %w", key, seq, err)
	}
	return seq, e, true, nil
}
