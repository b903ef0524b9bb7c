package personindex_test

import (
	"context"
	"os"
	"testing"

	"github.com/opencustody/custody/personindex"
	"github.com/opencustody/custody/sqlstore"
)

// BenchmarkLoadDemo builds the names index of a whole register, from the
// database in $CUSTODY_BENCH_DB (make one with `custody demo --load-only
// --db FILE`): the persons are read in one snapshot and every name form is
// indexed.
func BenchmarkLoadDemo(b *testing.B) {
	db := os.Getenv("CUSTODY_BENCH_DB")
	if db == "" {
		b.Skip("set CUSTODY_BENCH_DB to a database made by custody demo --load-only")
	}
	ctx := context.Background()
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: db})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		x := personindex.New(ctx, s, nil)
		if err := x.Wait(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(x.Len()), "persons")
	}
}
