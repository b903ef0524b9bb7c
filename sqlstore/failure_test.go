package sqlstore_test

import (
	"context"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// TestCommitFailure breaks the database behind the writer's back, early in
// its transaction (the log head cannot be read) and late (the checkpoint
// cannot be written): every request of the batch must then say that
// nothing was recorded — none may look accepted — and once the database
// is mended the same requests go through.
func TestCommitFailure(t *testing.T) {
	cases := []struct {
		name         string
		break_, mend string
	}{
		{"early", `ALTER TABLE log_head RENAME TO log_head_gone`, `ALTER TABLE log_head_gone RENAME TO log_head`},
		{"late", `CREATE TRIGGER no_checkpoints BEFORE INSERT ON checkpoints BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`, `DROP TRIGGER no_checkpoints`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			d := storetest.SQLite().New(t)
			if _, err := sqlstore.Init(ctx, d.Config); err != nil {
				t.Fatal(err)
			}
			s, err := sqlstore.Open(ctx, d.Config)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			storetest.MustAppend(t, s, storetest.Setup("f"))
			before, err := s.Size(ctx)
			if err != nil {
				t.Fatal(err)
			}
			reqs := storetest.Registrations("f", 0, 20, storetest.PrisonA)
			// A replay, in the same batch, of the first request.
			reqs = append(reqs, reqs[0])
			d.Exec(t, c.break_)
			res, err := s.AppendBatch(ctx, reqs)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				if r.Err == nil || custody.ErrorCode(r.Err) != custody.Internal {
					t.Errorf("request %d: result %+v, want an internal error (nothing recorded)", i, r)
				}
			}
			d.Exec(t, c.mend)
			if after, err := s.Size(ctx); err != nil || after != before {
				t.Errorf("log size %d after a failed commit, want %d (%v)", after, before, err)
			}
			storetest.MustAppend(t, s, reqs[:20])
			if _, err := s.Verify(ctx, ""); err != nil {
				t.Errorf("verify after the failure and the retry: %v", err)
			}
		})
	}
}
