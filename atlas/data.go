package atlas

//go:generate go run ./internal/gen -out data/countries.geojson

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// countriesJSON is Natural Earth's admin-0 countries of the region, made by
// internal/gen (see data/README.md).
//
//go:embed data/countries.geojson
var countriesJSON []byte

// country is one outline of the embedded data.
type country struct {
	Code  string           // ISO 3166-1 alpha-3 (CYN, CNM: Natural Earth codes)
	Name  string           // English short name
	Polys [][][][2]float64 // polygons of rings of [lon, lat]
}

// loadCountries parses the embedded data once; the result is read-only.
var loadCountries = sync.OnceValues(func() ([]country, error) {
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
			Geometry struct {
				Type        string           `json:"type"`
				Coordinates [][][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(countriesJSON, &fc); err != nil {
		return nil, fmt.Errorf("atlas: parse embedded countries: %w", err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) == 0 {
		return nil, errors.New("atlas: embedded countries: not a non-empty FeatureCollection")
	}
	out := make([]country, 0, len(fc.Features))
	for _, f := range fc.Features {
		if f.Geometry.Type != "MultiPolygon" {
			return nil, fmt.Errorf("atlas: embedded country %s: geometry %s, want MultiPolygon", f.ID, f.Geometry.Type)
		}
		out = append(out, country{Code: f.ID, Name: f.Properties.Name, Polys: f.Geometry.Coordinates})
	}
	return out, nil
})

// Countries lists the codes and English names of the embedded countries, in
// the order they are drawn (by code). Codes are ISO 3166-1 alpha-3 except
// Natural Earth's CYN (N. Cyprus) and CNM (Cyprus U.N. Buffer Zone).
func Countries() ([]CountryName, error) {
	cs, err := loadCountries()
	if err != nil {
		return nil, err
	}
	out := make([]CountryName, len(cs))
	for i, c := range cs {
		out[i] = CountryName{Code: c.Code, Name: c.Name}
	}
	return out, nil
}

// CountryName is a country of the embedded data.
type CountryName struct {
	Code string // ISO 3166-1 alpha-3, the class iso-CODE of its outline
	Name string // English short name, as Natural Earth has it
}
