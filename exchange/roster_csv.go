package exchange

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// readCSV reads every record of a CSV file (comma-separated, RFC 4180,
// a UTF-8 byte-order mark allowed; rows may have different lengths).
func readCSV(r io.Reader) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	var table [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return table, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("line %d, column %d: %w", pe.Line, pe.Column, pe.Err)
			}
			return nil, err
		}
		if len(table) > maxRows+1 {
			return nil, fmt.Errorf("more than %d rows", maxRows)
		}
		table = append(table, rec)
	}
}
