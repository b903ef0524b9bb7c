package web

import (
	"context"
	"testing"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/sqlstore"
)

func TestZZProbe(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ns, err := f.store.Notifications(ctx, sqlstore.NotificationFilter{})
	t.Log("notifications", len(ns), err)
	by := map[string]int{}
	for _, n := range ns { by[string(n.Authority)+"/"+n.Country+"/"+string(n.Status)]++ }
	t.Log(by)
	cs, err := f.store.Cases(ctx, "")
	t.Log("cases", len(cs), err)
	xs, err := f.store.Exposures(ctx, false)
	t.Log("exposures", len(xs), err)
	cl, pt, err := f.store.LegalReference(ctx)
	t.Log("legal", len(cl), len(pt), err)
	rs, err := f.store.Repatriations(ctx, "")
	t.Log("repat", len(rs), err)
	for _, nat := range []string{"SE", "FR"} {
		p, _ := f.store.ListPersons(ctx, sqlstore.PersonQuery{Scope: custody.Scope{All: true}, Nationality: nat, Limit: 500})
		h := map[string]int{}
		for _, x := range p.Persons { h[string(x.Status)+"@"+string(x.Facility)]++ }
		t.Log(nat, len(p.Persons), h)
	}
	a, _ := f.store.Authorities(ctx)
	for id, x := range a { t.Log(id, x.Kind, x.Country) }
}
