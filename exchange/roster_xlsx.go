package exchange

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// xlsxLimit bounds the unzipped size of a workbook read.
const xlsxLimit = 64 << 20

// readXLSX reads the rows of the first sheet of an XLSX workbook, as
// formatted text (a date cell reads as the sheet shows it, so rosters
// should keep dates as text or in YYYY-MM-DD format).
func readXLSX(r io.Reader) (table [][]string, err error) {
	// excelize parses untrusted XML and ZIP; a panic in it on a malformed
	// file is turned into an error about the file, not a crash.
	defer func() {
		if p := recover(); p != nil {
			table, err = nil, fmt.Errorf("malformed workbook: %v", p)
		}
	}()
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: xlsxLimit, UnzipXMLSizeLimit: xlsxLimit / 4})
	if err != nil {
		return nil, fmt.Errorf("not a workbook: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheets[0], err)
	}
	defer rows.Close()
	for rows.Next() {
		if len(table) > maxRows+1 {
			return nil, fmt.Errorf("more than %d rows", maxRows)
		}
		cols, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("sheet %q, row %d: %w", sheets[0], len(table)+1, err)
		}
		table = append(table, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheets[0], err)
	}
	return table, nil
}
