package sqlstore_test

import (
	"testing"

	"github.com/opencustody/custody/sqlstore/storetest"
)

// TestConformance runs the store conformance suite on every engine:
// SQLite always, PostgreSQL when CUSTODY_TEST_POSTGRES names a server
// (and never skipped under CUSTODY_TEST_REQUIRE). The engines run side by
// side: each spends most of its time waiting for fsync.
func TestConformance(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			storetest.Run(t, e)
		})
	}
}

// TestCrashChild is the writer the suite's crash test starts in a child
// process and kills; it skips when run any other way.
func TestCrashChild(t *testing.T) { storetest.CrashChild(t) }
