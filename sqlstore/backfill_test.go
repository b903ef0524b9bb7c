package sqlstore_test

import (
	"context"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// TestNotificationBackfill: a log recorded before the schema had consular
// notifications (version 4) holds custody events that owe them; opening it
// with this version derives them from the log, so that verify agrees.
func TestNotificationBackfill(t *testing.T) {
	ctx := context.Background()
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			d := e.New(t)
			if _, err := sqlstore.Init(ctx, d.Config); err != nil {
				t.Fatal(err)
			}
			s, err := sqlstore.Open(ctx, d.Config)
			if err != nil {
				t.Fatal(err)
			}
			storetest.MustAppend(t, s, storetest.Setup("bf"))
			storetest.MustAppend(t, s, storetest.Registrations("bf", 0, 8, storetest.PrisonA))
			for i := range 8 {
				storetest.MustAppend(t, s, [][]custody.Event{storetest.Transfer("bf", i, i, storetest.PrisonA, storetest.Destination)})
			}
			want, err := s.CountNotifications(ctx, sqlstore.NotificationFilter{})
			if err != nil || want == 0 {
				t.Fatalf("the log owes %d notifications (%v), want some", want, err)
			}
			s.Close()
			// As version 4 left it: no legal tables.
			for _, q := range []string{`DROP TABLE legal_references`, `DROP TABLE repatriations`, `DROP TABLE notifications`,
				`DROP TABLE exposures`, `DROP TABLE cases`, `DELETE FROM goose_db_version WHERE version_id = 5`} {
				d.Exec(t, q)
			}
			s, err = sqlstore.Open(ctx, d.Config)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if n, err := s.CountNotifications(ctx, sqlstore.NotificationFilter{}); err != nil || n != want {
				t.Fatalf("after the upgrade: %d notifications (%v), want %d", n, err, want)
			}
			if _, err := s.Verify(ctx, ""); err != nil {
				t.Fatalf("verify after the upgrade: %v", err)
			}
		})
	}
}
