package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencustody/custody/ledger"
)

// httpTiles reads hash tiles from the server's public C2SP paths, as a
// witness or a monitor would, with no sign-in.
type httpTiles struct {
	t     *testing.T
	base  string
	reads int
}

func (h *httpTiles) Height() int { return tileHeight }

func (h *httpTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, tile := range tiles {
		path := "/tile/" + strings.TrimPrefix(tile.Path(), "tile/8/")
		resp, err := http.Get(h.base + path)
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		h.reads++
		out[i] = b
	}
	return out, nil
}

func (h *httpTiles) SaveTiles([]tlog.Tile, [][]byte) {}

// TestPublicTiles follows the log from its public face alone: the signed
// checkpoint, then inclusion proofs built from hash tiles fetched over
// HTTP (tlog checks every tile against the checkpoint's root), for leaves
// whose hashes the store holds.
func TestPublicTiles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	code, body := f.do(t, "", "GET", "/checkpoint", "")
	if code != http.StatusOK {
		t.Fatalf("GET /checkpoint: %d %s", code, body)
	}
	size, root, err := ledger.OpenCheckpoint([]byte(body), f.store.VerifierKey(), f.store.Origin())
	if err != nil {
		t.Fatalf("the public checkpoint does not verify: %v", err)
	}
	tiles := &httpTiles{t: t, base: f.ts.URL}
	hr := tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, tiles)
	for _, index := range []int64{0, 1, 255, 256, 65535, 65536, size / 2, size - 1} {
		proof, err := tlog.ProveRecord(size, index, hr)
		if err != nil {
			t.Fatalf("prove %d of %d from public tiles: %v", index, size, err)
		}
		_, leaf, err := f.store.Event(ctx, index)
		if err != nil {
			t.Fatal(err)
		}
		if err := tlog.CheckRecord(proof, size, root, index, ledger.LeafHash(leaf)); err != nil {
			t.Fatalf("leaf %d does not verify against the public checkpoint: %v", index, err)
		}
	}
	if tiles.reads == 0 {
		t.Fatal("no tile was read")
	}

	// Leaf data is not public, tiles past the tree are not there, and
	// non-canonical paths name nothing.
	for _, path := range []string{"/tile/entries/000", "/tile/data/000", "/tile/0/x999/999", "/tile/0/0", "/tile/0/000.p/0", "/tile/9/000", "/tile/x/000"} {
		if code, _ := f.do(t, "", "GET", path, ""); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, code)
		}
	}
	// A full tile is immutable; the partial tile at the edge is not.
	resp, err := http.Get(f.ts.URL + "/tile/0/000")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("full tile Cache-Control %q", cc)
	}
}
