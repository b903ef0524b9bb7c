package web

import (
	"context"
	"net/http"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/bundle"
	"github.com/opencustody/custody/sqlstore"
)

// TestBundleScope: a French consul takes home the proof bundle of a French
// national, which verifies offline with the log's key; another country's
// national is not found.
func TestBundleScope(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pick := func(nat string) custody.PersonID {
		p, err := f.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Nationality: nat, Limit: 1})
		if err != nil || len(p.Persons) == 0 {
			t.Fatalf("no %s national in the demo: %v", nat, err)
		}
		return p.Persons[0].ID
	}
	fr, ru := pick("FR"), pick("RU")
	code, body := f.do(t, "consular", "GET", "/api/v1/persons/"+string(fr)+"/bundle", "")
	if code != http.StatusOK {
		t.Fatalf("bundle of %s: %d %s", fr, code, body)
	}
	r, err := bundle.Verify([]byte(body), f.store.VerifierKey())
	if err != nil {
		t.Fatalf("the consul's bundle does not verify: %v", err)
	}
	if r.Person != fr || len(r.Events) < 2 {
		t.Errorf("bundle of %s with %d events", r.Person, len(r.Events))
	}
	if code, _ := f.do(t, "consular", "GET", "/api/v1/persons/"+string(ru)+"/bundle", ""); code != http.StatusNotFound {
		t.Errorf("the French consul's bundle of a Russian national: %d, want 404", code)
	}
}
