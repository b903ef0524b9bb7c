package atlas_test

import (
	"fmt"
	"strings"

	"github.com/opencustody/custody/atlas"
)

func ExampleMap_SVG() {
	m := atlas.Map{
		Width: 640,
		Title: "Transfers to Iraq",
		Markers: []atlas.Marker{
			{ID: "al-hol", Label: "al-Hol camp", At: atlas.Point{Lat: 36.38, Lon: 41.15}, Kind: "camp", Count: 17480, Capacity: 40000, Href: "/facilities/al-hol"},
			{ID: "iq-moj-baghdad", Label: "Baghdad", At: atlas.Point{Lat: 33.31, Lon: 44.37}, Kind: "prison", Count: 2100, Capacity: 3200},
		},
		Routes: []atlas.Route{
			{From: atlas.Point{Lat: 36.38, Lon: 41.15}, To: atlas.Point{Lat: 33.31, Lon: 44.37}, Via: []atlas.Point{{Lat: 36.80, Lon: 42.10}}, Label: "Convoys via Rabia", Count: 2100},
		},
	}
	svg, err := m.SVG() // a template.HTML for {{.Map}} in a page
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.SplitAfter(string(svg), ">")[0])
	// Output:
	// <svg xmlns="http://www.w3.org/2000/svg" class="atlas" viewBox="0 0 640 487" width="640" height="487" role="img" aria-label="Transfers to Iraq" dir="ltr" direction="ltr" font-family="sans-serif">
}
