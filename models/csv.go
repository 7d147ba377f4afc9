package models

import (
	"fmt"
	"strconv"
	"time"
)

// ExportColumns are the CSV columns of an export, shared by the command line
// and the web page so both write the same file: the auto part, the human
// part, then the derived fields and bookkeeping. An import reads the first
// 21 back and skips the rest, so an export imports back identically.
var ExportColumns = []string{
	"external_id", "started_at", "ended_at", "channel", "caller_name", "caller_phone", "caller_email", "summary",
	"transcript", "auto_is_lead", "refused", "unavailable", "units", "auto_agent_success", "auto_is_test",
	"human_is_test", "human_is_lead", "human_is_opportunity", "human_agent_success", "stars", "comment",
	"is_test", "is_lead", "is_opportunity", "agent_success", "success_factor", "lead_value_cents", "in_working_hours",
	"recognition_percent", "additional_deals", "asr_cents", "quality", "created_at", "updated_at",
}

// ExportRow appends the cells of s to row in ExportColumns order: RFC 3339
// UTC times (so a file reads back the same whatever the time zone), exact
// decimals, an empty cell for null. Passing row[:0] reuses its array.
func ExportRow(row []string, s *Session) []string {
	quality := ""
	if q, ok := s.Quality(); ok {
		quality = fmt.Sprintf("%d.%d", q/100, q%100/10)
	}
	return append(row,
		s.ExternalID, csvTime(s.StartedAt.Time), csvTimePtr(s.EndedAt), s.Channel,
		s.CallerName, s.CallerPhone, s.CallerEmail, s.Summary, s.Transcript,
		strconv.FormatBool(s.AutoIsLead), strconv.FormatBool(s.Refused), strconv.FormatBool(s.Unavailable),
		csvCenti(s.Units), s.AutoAgentSuccess, strconv.FormatBool(s.AutoIsTest),
		csvBool(s.HumanIsTest), csvBool(s.HumanIsLead), csvBool(s.HumanIsOpportunity),
		csvString(s.HumanAgentSuccess), csvInt(s.Stars), csvString(s.Comment),
		strconv.FormatBool(s.IsTest), strconv.FormatBool(s.IsLead), strconv.FormatBool(s.IsOpportunity),
		s.AgentSuccess, strconv.Itoa(s.SuccessFactor), strconv.FormatInt(s.LeadValueCents, 10),
		strconv.FormatBool(s.InWorkingHours), s.Recognition.String(),
		FormatScaled(s.AdditionalDealsE8, ScaleE8, 8), strconv.FormatInt(s.ASRCents, 10), quality,
		csvTime(s.CreatedAt), csvTime(s.UpdatedAt),
	)
}

func csvTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func csvTimePtr(t *Timestamp) string {
	if t == nil {
		return ""
	}
	return csvTime(t.Time)
}

func csvCenti(c *Centi) string {
	if c == nil {
		return ""
	}
	return c.String()
}

func csvBool(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func csvString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func csvInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}
