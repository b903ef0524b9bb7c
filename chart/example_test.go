package chart_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/opencustody/custody/chart"
)

func ExampleLine() {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	svg := chart.Line([]chart.Point{
		{X: day(21), Y: 150}, {X: day(28), Y: 2400}, {X: day(35), Y: 4583},
	}, chart.LineOptions{Title: "Persons handed over", Target: 7000, YLabel: "persons"})
	fmt.Println(strings.Contains(string(svg), ">4,583</text>"), strings.Contains(string(svg), ">Target 7,000</text>"))
	// Output: true true
}

func ExampleBars() {
	svg := chart.Bars([]chart.Bar{
		{Label: "al-Hol camp", Value: 17480, Max: 40000, Href: "/facilities/al-hol"},
		{Label: "مخيم روج", Value: 2600, Max: 3500},
	}, chart.BarOptions{Width: 480, Title: "Persons by facility"})
	fmt.Println(strings.Contains(string(svg), ">17,480 / 40,000</text>"))
	// Output: true
}
