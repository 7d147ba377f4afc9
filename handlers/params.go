package handlers

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"asrboard/models"
	"asrboard/storage"
)

// dateLayout is the date-only form of from and to, read in the attributes'
// time zone.
const dateLayout = "2006-01-02"

// periodParams reads the optional from and to of the list and the
// dashboard: RFC 3339 timestamps, or dates at midnight in the attributes'
// time zone (loaded only when a date needs it).
func (s *server) periodParams(ctx context.Context, q url.Values) (from, to *time.Time, fe []models.FieldError, err error) {
	var loc *time.Location
	read := func(name string) *time.Time {
		v := strings.TrimSpace(q.Get(name))
		if v == "" || err != nil {
			return nil
		}
		if t, perr := time.Parse(time.RFC3339Nano, v); perr == nil {
			return &t
		}
		if _, perr := time.Parse(dateLayout, v); perr != nil {
			fe = append(fe, models.FieldError{Field: name,
				Message: fmt.Sprintf("must be an RFC 3339 time like 2026-05-01T18:30:00Z or a date like 2026-05-01, got %q", v)})
			return nil
		}
		if loc == nil {
			a, aerr := s.store.Attributes(ctx)
			if aerr != nil {
				err = aerr
				return nil
			}
			loc = a.Location()
		}
		t, _ := time.ParseInLocation(dateLayout, v, loc)
		return &t
	}
	from, to = read("from"), read("to")
	return from, to, fe, err
}

// boolParam reads an optional true/false query parameter.
func boolParam(q url.Values, name string, fe *[]models.FieldError) *bool {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return nil
	}
	switch strings.ToLower(v) {
	case "true", "1":
		b := true
		return &b
	case "false", "0":
		b := false
		return &b
	}
	*fe = append(*fe, models.FieldError{Field: name, Message: fmt.Sprintf("must be true or false, got %q", v)})
	return nil
}

// sessionFilter reads the query parameters of GET /api/v1/sessions. The API
// lists test sessions too unless is_test=false asks otherwise.
func (s *server) sessionFilter(ctx context.Context, q url.Values) (storage.SessionFilter, error) {
	var f storage.SessionFilter
	from, to, fe, err := s.periodParams(ctx, q)
	if err != nil {
		return f, err
	}
	f.From, f.To = from, to
	f.IsTest = boolParam(q, "is_test", &fe)
	f.IsLead = boolParam(q, "is_lead", &fe)
	f.IsOpportunity = boolParam(q, "is_opportunity", &fe)
	f.InWorkingHours = boolParam(q, "in_working_hours", &fe)
	f.Rated = boolParam(q, "rated", &fe)
	f.AgentSuccess = strings.TrimSpace(q.Get("agent_success"))
	f.HumanAgentSuccess = strings.TrimSpace(q.Get("human_agent_success"))
	f.Channel = strings.ToLower(strings.TrimSpace(q.Get("channel")))
	f.Query = q.Get("q")
	f.Sort = strings.TrimSpace(q.Get("sort"))
	f.Cursor = strings.TrimSpace(q.Get("cursor"))
	switch strings.ToLower(strings.TrimSpace(q.Get("order"))) {
	case "", "desc":
	case "asc":
		f.Asc = true
	default:
		fe = append(fe, models.FieldError{Field: "order", Message: fmt.Sprintf("must be asc or desc, got %q", q.Get("order"))})
	}
	if v := strings.TrimSpace(q.Get("limit")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > storage.MaxListLimit {
			fe = append(fe, models.FieldError{Field: "limit", Message: fmt.Sprintf("must be a whole number from 1 to %d, got %q", storage.MaxListLimit, v)})
		} else {
			f.Limit = n
		}
	}
	fe = append(fe, f.Validate()...)
	if len(fe) > 0 {
		return f, invalidParams(fe)
	}
	return f, nil
}
