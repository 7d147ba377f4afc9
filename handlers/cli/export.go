package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"asrboard/models"
	"asrboard/storage"
)

// exportColumns are the CSV columns of an export: the auto part, the human
// part, then the derived fields and bookkeeping. An import reads the first
// 21 back and skips the rest, so an export imports back identically.
var exportColumns = []string{
	"external_id", "started_at", "ended_at", "channel", "caller_name", "caller_phone", "caller_email", "summary",
	"transcript", "auto_is_lead", "refused", "unavailable", "units", "auto_agent_success", "auto_is_test",
	"human_is_test", "human_is_lead", "human_is_opportunity", "human_agent_success", "stars", "comment",
	"is_test", "is_lead", "is_opportunity", "agent_success", "success_factor", "lead_value_cents", "in_working_hours",
	"recognition_percent", "additional_deals", "asr_cents", "quality", "created_at", "updated_at",
}

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
	if err := cw.Write(exportColumns); err != nil {
		return err
	}
	row := make([]string, 0, len(exportColumns))
	err = store.EachSession(ctx, f, func(s *models.Session) error {
		row = exportRow(row[:0], s)
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

// exportRow appends the cells of s in exportColumns order: RFC 3339 UTC
// times, exact decimals, an empty cell for null.
func exportRow(row []string, s *models.Session) []string {
	quality := ""
	if q, ok := s.Quality(); ok {
		quality = fmt.Sprintf("%d.%d", q/100, q%100/10)
	}
	return append(row,
		s.ExternalID, formatTime(s.StartedAt.Time), formatTimePtr(s.EndedAt), s.Channel,
		s.CallerName, s.CallerPhone, s.CallerEmail, s.Summary, s.Transcript,
		strconv.FormatBool(s.AutoIsLead), strconv.FormatBool(s.Refused), strconv.FormatBool(s.Unavailable),
		formatCenti(s.Units), s.AutoAgentSuccess, strconv.FormatBool(s.AutoIsTest),
		formatBool(s.HumanIsTest), formatBool(s.HumanIsLead), formatBool(s.HumanIsOpportunity),
		formatString(s.HumanAgentSuccess), formatInt(s.Stars), formatString(s.Comment),
		strconv.FormatBool(s.IsTest), strconv.FormatBool(s.IsLead), strconv.FormatBool(s.IsOpportunity),
		s.AgentSuccess, strconv.Itoa(s.SuccessFactor), strconv.FormatInt(s.LeadValueCents, 10),
		strconv.FormatBool(s.InWorkingHours), s.Recognition.String(),
		models.FormatScaled(s.AdditionalDealsE8, models.ScaleE8, 8), strconv.FormatInt(s.ASRCents, 10), quality,
		formatTime(s.CreatedAt), formatTime(s.UpdatedAt),
	)
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func formatTimePtr(t *models.Timestamp) string {
	if t == nil {
		return ""
	}
	return formatTime(t.Time)
}

func formatCenti(c *models.Centi) string {
	if c == nil {
		return ""
	}
	return c.String()
}

func formatBool(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func formatString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func formatInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}
