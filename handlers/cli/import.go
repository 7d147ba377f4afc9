package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"asrboard/models"
	"asrboard/storage"
)

// Import formats.
const (
	formatCSV   = "csv"
	formatJSONL = "jsonl"
)

// maxJSONLine bounds one JSON Lines record: a 1 MiB transcript can take up to
// six times its size once JSON-escaped.
const maxJSONLine = 8 << 20

// importRejected is the message of every import error: all or nothing.
const importRejected = "import rejected, nothing was stored"

var decodeOptions = models.DecodeOptions{AllowHuman: true, IgnoreDerived: true}

func runImport(ctx context.Context, e *env, args []string) error {
	fs, db := newFlagSet(e, "import", "FILE|-")
	format := fs.String("format", "", "csv or jsonl (default: from the extension, else from the content)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one FILE to import (- for stdin)")
	}
	if *format != "" && *format != formatCSV && *format != formatJSONL {
		return usagef("--format must be csv or jsonl, got %q", *format)
	}
	var src io.Reader = e.stdin
	size := int64(-1)
	if pos[0] == "-" && isTerminal(e.stdin) {
		fmt.Fprintln(e.stderr, "reading sessions from the terminal; end with Ctrl-D")
	}
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
		src = f
	}
	store, err := db.open(ctx, e, nil)
	if err != nil {
		return err
	}
	defer store.Close()

	var bar *progressbar.ProgressBar
	var progress func(int)
	if isTerminal(e.stderr) {
		if size >= 0 {
			bar = progressbar.NewOptions64(size, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("importing"),
				progressbar.OptionShowBytes(true), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			src = io.TeeReader(src, bar)
		} else {
			bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("importing"),
				progressbar.OptionShowCount(), progressbar.OptionSetItsString("sessions"), progressbar.OptionShowIts(),
				progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			progress = func(n int) { _ = bar.Set(n) }
		}
	}
	br := bufio.NewReaderSize(src, 64<<10)
	skipBOM(br)
	kind := *format
	if kind == "" {
		kind = detectFormat(pos[0], br)
	}
	next := csvRecords(br)
	if kind == formatJSONL {
		next = jsonlRecords(br)
	}
	res, err := store.Import(ctx, "import", next, progress)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "imported: %d created, %d updated\n", res.Created, res.Updated)
	return nil
}

// skipBOM drops the UTF-8 byte order mark spreadsheet programs write.
func skipBOM(br *bufio.Reader) {
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
}

// detectFormat decides by extension (.csv; .jsonl, .ndjson, .json), else by
// content: a first non-space byte '{' is JSON Lines, anything else CSV.
func detectFormat(name string, br *bufio.Reader) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return formatCSV
	case ".jsonl", ".ndjson", ".json":
		return formatJSONL
	}
	for n := 512; ; n *= 2 {
		b, err := br.Peek(n)
		if i := bytes.IndexFunc(b, func(r rune) bool { return !strings.ContainsRune(" \t\r\n", r) }); i >= 0 {
			if b[i] == '{' {
				return formatJSONL
			}
			return formatCSV
		}
		if err != nil || n >= br.Size() {
			return formatCSV
		}
	}
}

// fileError is an error that makes the rest of the file unreadable; Import
// stops at it and reports it with its line.
func fileError(line int, field, format string, args ...any) error {
	return models.Invalid(importRejected, models.FieldError{Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// importColumns are the CSV columns an import understands: everything an
// export writes, plus the derived names and "id" it skips.
func importColumns() map[string]bool {
	known := map[string]bool{}
	for _, c := range models.ExportColumns {
		known[c] = true
	}
	for _, c := range models.DerivedFields {
		known[c] = true
	}
	return known
}

// csvRecords reads a CSV file with a header row; each record is decoded with
// its file line (the header is line 1; a record spanning lines has the line
// it starts on).
func csvRecords(r io.Reader) func() (storage.ImportRecord, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	var header []string
	return func() (storage.ImportRecord, error) {
		if header == nil {
			row, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return storage.ImportRecord{}, fileError(1, "header", "the file is empty: a CSV import starts with a header row of column names")
			}
			if err != nil {
				return storage.ImportRecord{}, csvError(err)
			}
			header = make([]string, len(row))
			for i, h := range row {
				header[i] = strings.ToLower(strings.TrimSpace(h))
			}
			if err := checkHeader(header); err != nil {
				return storage.ImportRecord{}, err
			}
		}
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return storage.ImportRecord{}, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			return storage.ImportRecord{Line: pe.StartLine, Errors: []models.FieldError{{Field: "csv",
				Message: fmt.Sprintf("has %d fields, the header has %d", len(row), len(header))}}}, nil
		}
		if err != nil {
			return storage.ImportRecord{}, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		in, fe := models.DecodeSession(models.RecordFromCSV(header, row), decodeOptions)
		return storage.ImportRecord{Line: line, Input: in, Errors: fe}, nil
	}
}

// csvError turns malformed CSV (a stray quote) into an error naming the line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fileError(pe.Line, "csv", "malformed CSV at column %d: %v", pe.Column, pe.Err)
	}
	return err
}

// checkHeader rejects unknown and repeated columns and requires the two the
// SPEC requires, naming each column at fault.
func checkHeader(header []string) error {
	known := importColumns()
	var fe []models.FieldError
	for i, h := range header {
		switch {
		case h == "":
			fe = append(fe, models.FieldError{Line: 1, Field: fmt.Sprintf("column %d", i+1), Message: "has no name"})
		case !known[h]:
			fe = append(fe, models.FieldError{Line: 1, Field: h, Message: "is not a session field (use the column names of asrboard export)"})
		case slices.Index(header, h) < i:
			fe = append(fe, models.FieldError{Line: 1, Field: h, Message: "is a repeated column"})
		}
	}
	for _, req := range []string{"external_id", "started_at"} {
		if !slices.Contains(header, req) {
			fe = append(fe, models.FieldError{Line: 1, Field: req, Message: "column is required"})
		}
	}
	if len(fe) > 0 {
		return models.Invalid(importRejected, fe...)
	}
	return nil
}

// jsonlRecords reads one JSON object per line; blank lines are skipped. A
// malformed line is reported with its number and reading goes on, so one
// run lists every bad line.
func jsonlRecords(r io.Reader) func() (storage.ImportRecord, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxJSONLine)
	line := 0
	return func() (storage.ImportRecord, error) {
		for sc.Scan() {
			line++
			b := bytes.TrimSpace(sc.Bytes())
			if len(b) == 0 {
				continue
			}
			if !json.Valid(b) {
				var v any
				msg := "malformed JSON"
				var se *json.SyntaxError
				if err := json.Unmarshal(b, &v); errors.As(err, &se) {
					msg = fmt.Sprintf("malformed JSON at column %d: %v", se.Offset, se)
				}
				return storage.ImportRecord{Line: line, Errors: []models.FieldError{{Field: "json", Message: msg}}}, nil
			}
			rec, err := models.RecordFromJSON(b)
			if err != nil {
				msg := err.Error()
				if b[0] == '[' {
					msg += " (JSON Lines holds one object per line, not an array)"
				}
				return storage.ImportRecord{Line: line, Errors: []models.FieldError{{Field: "json", Message: msg}}}, nil
			}
			in, fe := models.DecodeSession(rec, decodeOptions)
			return storage.ImportRecord{Line: line, Input: in, Errors: fe}, nil
		}
		if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
			return storage.ImportRecord{}, fileError(line+1, "json", "line is longer than %d MiB", maxJSONLine>>20)
		} else if err != nil {
			return storage.ImportRecord{}, err
		}
		return storage.ImportRecord{}, io.EOF
	}
}
