package web

import (
	"fmt"
	"net/http"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/bundle"
)

// apiBundle answers a person's proof bundle (text/plain; `custody
// verify-bundle` checks it offline): their events with inclusion proofs in
// the latest signed checkpoint, the checkpoint and the verifier key. The
// reader's scope applies and the read is audited, as for the timeline.
func (s *Server) apiBundle(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := custody.PersonID(r.PathValue("id"))
	if _, err := s.readPerson(r, id); err != nil {
		return err
	}
	tl, err := s.store.Timeline(ctx, id)
	if err != nil {
		return err
	}
	seqs := make([]int64, len(tl))
	for i, t := range tl {
		seqs[i] = t.Seq
	}
	b, _, err := bundle.Build(ctx, s.store, id, seqs)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "custody-bundle-"+string(id)+".txt"))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(b.Encode())
	return err
}
