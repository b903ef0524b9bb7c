package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	custody "github.com/opencustody/custody"
)

// ReferenceLists returns every published version of every reference list,
// by list, each list's versions in order (the last is the current one).
// Forms offer the codes of the current version; a recorded reason names
// the version it was chosen from.
func (s *Store) ReferenceLists(ctx context.Context) (map[custody.ListID][]*custody.ReferenceList, error) {
	all, err := loadDocs[custody.ReferenceList](ctx, s.readDB, "reference_lists")
	if err != nil {
		return nil, fmt.Errorf("read %w", err)
	}
	out := map[custody.ListID][]*custody.ReferenceList{}
	for _, l := range all {
		out[l.List] = append(out[l.List], l)
	}
	for _, ls := range out {
		slices.SortFunc(ls, func(a, b *custody.ReferenceList) int { return cmp.Compare(a.Version, b.Version) })
	}
	return out, nil
}
