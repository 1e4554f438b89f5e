// Package importer reads ticket and work-order exports (CSV in UTF-8 or GB18030, XLSX, JSON), maps their
// columns to case fields with a preset the user can adjust, and feeds the good rows through the ingest
// pipeline while every bad row is reported with its row number and reason.
package importer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Row is one data row as the user sees it: No is the sheet row number (the header is row 1).
type Row struct {
	No    int
	Cells []string
	Err   string // the row could not be read at all (broken quoting, not an object ...)
}

// Table is a file read into a header and rows.
type Table struct {
	Format   string // csv | xlsx | json
	Encoding string // utf-8 | utf-8-bom | gb18030 (csv); "" otherwise
	Header   []string
	Rows     []Row
}

// ErrUnknownFormat is returned for files that are none of CSV, XLSX or JSON.
var ErrUnknownFormat = errors.New("unknown file format (use .csv, .xlsx or .json)")

// MaxFileSize bounds what is read into memory; exports larger than this should be split.
const MaxFileSize = 64 << 20

// ReadTable reads a file by its extension, falling back to sniffing the content.
func ReadTable(name string, data []byte) (Table, error) {
	if len(data) > MaxFileSize {
		return Table{}, fmt.Errorf("%s is %d MB; split files larger than %d MB", name, len(data)>>20, MaxFileSize>>20)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return readXLSX(data)
	case ".json", ".ndjson", ".jsonl":
		return readJSON(data)
	case ".csv", ".txt", ".tsv":
		return readCSV(data)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readXLSX(data)
	case len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{'):
		return readJSON(data)
	case len(trimmed) > 0:
		return readCSV(data)
	}
	return Table{}, ErrUnknownFormat
}

// decodeText returns data as UTF-8 and the encoding it was in. Exports from Chinese Excel are GB18030
// (a superset of GBK/GB2312); anything that is not valid UTF-8 is read as such.
func decodeText(data []byte) (string, string, error) {
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return string(data[3:]), "utf-8-bom", nil
	}
	if utf8.Valid(data) {
		return string(data), "utf-8", nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", fmt.Errorf("neither UTF-8 nor GB18030: %w", err)
	}
	return string(out), "gb18030", nil
}

func readCSV(data []byte) (Table, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return Table{}, err
	}
	t := Table{Format: "csv", Encoding: enc}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1 // short and long rows are reported per row, not as a file error
	r.Comma = sniffComma(text)
	for n := 1; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && n > 1 {
				t.Rows = append(t.Rows, Row{No: n, Err: fmt.Sprintf("unreadable CSV (line %d): %v", pe.StartLine, pe.Err)})
				continue
			}
			return t, fmt.Errorf("csv header: %w", err)
		}
		if n == 1 {
			t.Header = trimAll(rec)
			continue
		}
		t.Rows = append(t.Rows, Row{No: n, Cells: rec})
	}
	if len(t.Header) == 0 {
		return t, errors.New("the file is empty")
	}
	return t, nil
}

// sniffComma picks tab or semicolon when the header line clearly uses them instead of commas.
func sniffComma(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	best, n := ',', strings.Count(line, ",")
	for _, c := range []rune{'\t', ';'} {
		if k := strings.Count(line, string(c)); k > n {
			best, n = c, k
		}
	}
	return best
}

func trimAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.TrimSpace(v)
	}
	return out
}

func readXLSX(data []byte) (Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return Table{}, fmt.Errorf("xlsx: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Table{}, errors.New("xlsx: no sheets")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return Table{}, fmt.Errorf("xlsx sheet %q: %w", sheets[0], err)
	}
	t := Table{Format: "xlsx"}
	for i, rec := range rows {
		if i == 0 {
			t.Header = trimAll(rec)
			continue
		}
		t.Rows = append(t.Rows, Row{No: i + 1, Cells: rec})
	}
	if len(t.Header) == 0 {
		return t, errors.New("xlsx: the first sheet is empty")
	}
	return t, nil
}

// readJSON accepts an array of objects, an object holding one such array ({"tickets": [...]}, as the
// helpdesk APIs export), or one object per line (NDJSON). Nested values are kept as JSON text.
func readJSON(data []byte) (Table, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var items []json.RawMessage
	var arr []json.RawMessage
	if err := json.Unmarshal(data, &arr); err == nil {
		items = arr
	} else {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err == nil {
			keys := make([]string, 0, len(obj))
			for k := range obj {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if json.Unmarshal(obj[k], &arr) == nil && len(arr) > 0 {
					items = arr
					break
				}
			}
			if items == nil {
				items = []json.RawMessage{data}
			}
		} else {
			for _, line := range bytes.Split(data, []byte("\n")) {
				if line = bytes.TrimSpace(line); len(line) > 0 {
					items = append(items, append(json.RawMessage{}, line...))
				}
			}
		}
	}
	t := Table{Format: "json"}
	col := map[string]int{}
	for i, raw := range items {
		row := Row{No: i + 2} // as if exported to a sheet: the header is row 1
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			row.Err = fmt.Sprintf("item %d is not a JSON object: %v", i+1, err)
			t.Rows = append(t.Rows, row)
			continue
		}
		flat := flatten(obj)
		keys := make([]string, 0, len(flat))
		for k := range flat {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, ok := col[k]; !ok {
				col[k] = len(t.Header)
				t.Header = append(t.Header, k)
			}
		}
		row.Cells = make([]string, len(t.Header))
		for _, k := range keys {
			row.Cells[col[k]] = flat[k]
		}
		t.Rows = append(t.Rows, row)
	}
	if len(items) == 0 {
		return t, errors.New("json: no items")
	}
	return t, nil
}

// flatten turns one level of nesting into dotted columns ({"requester":{"email":..}} -> requester.email),
// the shape helpdesk exports use for people; deeper values stay JSON text.
func flatten(obj map[string]json.RawMessage) map[string]string {
	out := make(map[string]string, len(obj))
	for k, v := range obj {
		var sub map[string]json.RawMessage
		if json.Unmarshal(v, &sub) == nil && sub != nil {
			for sk, sv := range sub {
				out[k+"."+sk] = jsonCell(sv)
			}
			continue
		}
		out[k] = jsonCell(v)
	}
	return out
}

// jsonCell renders a value as a cell: strings unquoted, null empty, numbers and nested values as JSON.
func jsonCell(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	if string(bytes.TrimSpace(v)) == "null" {
		return ""
	}
	return string(bytes.TrimSpace(v))
}
