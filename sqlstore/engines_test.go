package sqlstore_test

import (
	"context"
	"testing"

	"github.com/opencustody/custody/sqlstore"
	"github.com/opencustody/custody/sqlstore/storetest"
)

// TestEnginesSmoke initialises, appends, reopens and verifies on every
// engine.
func TestEnginesSmoke(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			d := e.New(t)
			if _, err := sqlstore.Init(ctx, d.Config); err != nil {
				t.Fatal(err)
			}
			s, err := sqlstore.Open(ctx, d.Config)
			if err != nil {
				t.Fatal(err)
			}
			reqs := append(storetest.Setup("s"), storetest.Registrations("s", 0, 100, storetest.PrisonA)...)
			res, err := s.AppendBatch(ctx, reqs)
			if err != nil || res[len(res)-1].Err != nil {
				t.Fatal(err, res[len(res)-1].Err)
			}
			s.Close()
			s, err = sqlstore.Open(ctx, d.Config)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Append(ctx, storetest.Transfer("s", 1, 1, storetest.PrisonA, storetest.PrisonB)...); err != nil {
				t.Fatal(err)
			}
			rep, err := s.Verify(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if rep.Entries != 6+200+1 {
				t.Errorf("entries %d", rep.Entries)
			}
			var n int
			if err := d.Raw(t).QueryRow("SELECT count(*) FROM persons").Scan(&n); err != nil || n != 100 {
				t.Errorf("persons %d, %v", n, err)
			}
		})
	}
}
