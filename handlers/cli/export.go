package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"time"

	"asrboard/models"
	"asrboard/storage"
)

// runExport writes the sessions of [from, to) as CSV (see models.ExportColumns).
func runExport(ctx context.Context, e *env, args []string) error {
	fs, db := newFlagSet(e, "export", "[--from D] [--to D]")
	from := fs.String("from", "", "first day YYYY-MM-DD (in the attributes' time zone) or RFC 3339 time")
	to := fs.String("to", "", "day or time to stop before (exclusive)")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	store, err := db.open(ctx, e, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	a, err := store.Attributes(ctx)
	if err != nil {
		return err
	}
	var f storage.SessionFilter
	var fe []models.FieldError
	for _, p := range []struct {
		name  string
		value string
		dst   **time.Time
	}{{"from", *from, &f.From}, {"to", *to, &f.To}} {
		if p.value == "" {
			continue
		}
		t, err := parseDay(p.value, a.Location())
		if err != nil {
			fe = append(fe, models.FieldError{Field: p.name, Message: err.Error()})
			continue
		}
		*p.dst = &t
	}
	if len(fe) > 0 {
		return models.Invalid("invalid period", fe...)
	}

	bw := bufio.NewWriterSize(e.stdout, 64<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(models.ExportColumns); err != nil {
		return err
	}
	row := make([]string, 0, len(models.ExportColumns))
	err = store.EachSession(ctx, f, func(s *models.Session) error {
		row = models.ExportRow(row[:0], s)
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// parseDay reads an RFC 3339 time, or a date YYYY-MM-DD meaning its local
// midnight in loc.
func parseDay(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("must be a date YYYY-MM-DD or an RFC 3339 time, got %q", s)
	}
	return t.UTC(), nil
}
