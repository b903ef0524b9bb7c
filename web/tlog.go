package web

import (
	"net/http"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	custody "github.com/opencustody/custody"
)

// The log's public face, at the C2SP tlog-tiles paths: the latest signed
// checkpoint and the hash tiles (height 8), so that transparency tooling
// and independent witnesses can follow the tree. Leaf data (the events)
// is never public: /tile/entries/… is not served.

// tileHeight is the tile height of C2SP tlog-tiles.
const tileHeight = 8

// checkpoint serves the latest signed checkpoint.
func (s *Server) checkpoint(w http.ResponseWriter, r *http.Request) error {
	cp, err := s.store.LatestCheckpoint(r.Context())
	if err != nil {
		return err
	}
	if cp == nil {
		return custody.Errorf(custody.NotFound, "the log is empty: no checkpoint yet")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, err = w.Write(cp)
	return err
}

// parseTile parses a C2SP tile path after /tile/: "<L>/<N>[.p/<W>]", with
// N in x-prefixed groups of three digits. It is tlog's own path syntax
// without the height element, so tlog parses it once the height is put
// back.
func parseTile(rest string) (tlog.Tile, error) {
	if strings.HasPrefix(rest, "entries/") || strings.HasPrefix(rest, "data/") {
		return tlog.Tile{}, custody.Errorf(custody.NotFound, "leaf data is not public")
	}
	t, err := tlog.ParseTilePath("tile/8/" + rest)
	if err != nil || t.L < 0 || t.L > 6 { // 256^7 leaves is beyond any log
		return tlog.Tile{}, custody.Errorf(custody.NotFound, "no tile %q: want /tile/<L>/<N>[.p/<W>]", rest)
	}
	// tlog accepts paths that are not canonical; only the canonical one
	// names a tile.
	if "tile/8/"+rest != t.Path() {
		return tlog.Tile{}, custody.Errorf(custody.NotFound, "no tile %q: not the canonical path", rest)
	}
	return t, nil
}

// tile serves a hash tile of the tree at its latest size.
func (s *Server) tile(w http.ResponseWriter, r *http.Request) error {
	t, err := parseTile(r.PathValue("path"))
	if err != nil {
		return err
	}
	size, err := s.store.Size(r.Context())
	if err != nil {
		return err
	}
	// The tile exists when the tree has the hashes it covers: level-L
	// hashes are of 256^L leaves each.
	perHash := int64(1) << (tileHeight * t.L)
	have := size / perHash // level-L hashes in the tree
	if (t.N*(1<<tileHeight) + int64(t.W)) > have {
		return custody.Errorf(custody.NotFound, "no tile %s: the tree has %d entries", r.PathValue("path"), size)
	}
	data, err := tlog.ReadTileData(t, s.store.HashReader(r.Context()))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	if t.W == 1<<tileHeight {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	_, err = w.Write(data)
	return err
}
