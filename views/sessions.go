package views

import "strings"

// Column keys of the sessions table, in display order; the key names the
// column in data-testid="col-<key>" and in the remembered column choice.
const (
	ColStarted       = "started"
	ColChannel       = "channel"
	ColContact       = "contact"
	ColSummary       = "summary"
	ColIsTest        = "is_test"
	ColIsLead        = "is_lead"
	ColIsOpportunity = "is_opportunity"
	ColLeadValue     = "lead_value"
	ColRecognition   = "recognition"
	ColASR           = "asr"
	ColAgentSuccess  = "agent_success"
	ColQuality       = "quality"
)

// ColumnLabels names every column of the sessions table, in display order.
var ColumnLabels = []Option{
	{Value: ColStarted, Label: "Started"},
	{Value: ColChannel, Label: "Channel"},
	{Value: ColContact, Label: "Contact"},
	{Value: ColSummary, Label: "Summary"},
	{Value: ColIsTest, Label: "Is Test"},
	{Value: ColIsLead, Label: "Is Lead"},
	{Value: ColIsOpportunity, Label: "Is Opportunity"},
	{Value: ColLeadValue, Label: "Lead Value"},
	{Value: ColRecognition, Label: "Recognition"},
	{Value: ColASR, Label: "ASR"},
	{Value: ColAgentSuccess, Label: "Agent Success"},
	{Value: ColQuality, Label: "Conversation Quality"},
}

// Option is one choice of a select, a radio group or a checkbox list.
type Option struct {
	Value, Label string
	Selected     bool
}

// Columns is the column choice of the sessions table: the keys hidden.
// Started cannot be hidden, it holds the link to the session.
type Columns map[string]bool

// Hidden tells whether the column is hidden.
func (c Columns) Hidden(key string) bool { return key != ColStarted && c[key] }

// class is the class of every cell of a column: "col-<key>", plus
// "col-off" when the column is hidden.
func (c Columns) class(key string) string {
	if c.Hidden(key) {
		return "col-" + key + " col-off"
	}
	return "col-" + key
}

// SessionsView is the content of /sessions: the filter form, one page of
// rows and the links to move through them.
type SessionsView struct {
	Filter SessionsFilter
	// Total is how many sessions match ("1,234"); Shown how many this page lists.
	Total string
	Shown int
	Rows  []SessionRow
	// Sort holds the header links of the sortable columns by column key.
	Sort map[string]SortLink
	// NextHref is the following page ("" on the last); FirstHref the first
	// page ("" when this is the first).
	NextHref, FirstHref string
	ExportHref          string
	Columns             Columns
	// Query is the current filter as a query string, sent back by the column
	// form so the table comes back as it was.
	Query string
	CSRF  string
	// Zone is the attributes' time zone the Started column is written in.
	Zone string
}

// SessionsFilter is the filter form as typed, with the error of each field
// beside it.
type SessionsFilter struct {
	Period        string
	PeriodOptions []Option
	From, Through string
	// Range describes the resolved period ("Apr 14 – May 13, 2026").
	Range                                  string
	IsTest, IsLead, IsOpportunity, InHours []Option
	AgentSuccess, HumanAgentSuccess, Rated []Option
	Channel                                []Option
	Q                                      string
	Sort, Order                            string
	Errors                                 FieldErrors
	// Active tells whether anything but the defaults is chosen, so the page
	// can offer to clear the filter.
	Active bool
}

// FieldErrors are the messages of a form's fields, keyed by field name.
type FieldErrors map[string]string

// SortLink is the header link of a sortable column: where a click goes and
// the aria-sort value of the column now ("ascending", "descending", "none").
type SortLink struct {
	Href, State string
}

// arrow is the visible mark of a sorted column.
func (l SortLink) arrow() string {
	switch l.State {
	case "ascending":
		return "▲"
	case "descending":
		return "▼"
	}
	return "↕"
}

// FlagCell is an effective flag and whether a reviewer set it.
type FlagCell struct {
	Value, Human bool
}

// SessionRow is one line of the sessions table, formatted.
type SessionRow struct {
	ID   int64
	Href string
	// StartedDate and StartedTime are the local day and time in the
	// attributes' zone, StartedISO the instant for <time datetime>.
	StartedDate, StartedTime, StartedISO string
	Channel                              string
	Name, Phone, Email                   string
	Summary, SummaryFull                 string
	IsTest, IsLead, IsOpportunity        FlagCell
	LeadValue, Recognition, ASR          string
	AutoSuccess, HumanSuccess            string
	Stars                                int
	LeadValueCents, ASRCents             int64
	HasContact                           bool
}

// dashIfEmpty writes Dash for a missing value.
func dashIfEmpty(s string) string {
	if s == "" {
		return Dash
	}
	return s
}

// starString draws a rating of n (1..5) as filled and empty stars.
func starString(n int) string {
	n = max(0, min(n, 5))
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}
