package storage

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"asrboard/models"
)

// Sort keys of the sessions list.
const (
	SortStarted   = "started_at"
	SortLeadValue = "lead_value"
	SortASR       = "asr"
)

var sortColumns = map[string]string{SortStarted: "started_at", SortLeadValue: "lead_value_cents", SortASR: "asr_cents"}

// MaxListLimit caps one page of the sessions list.
const MaxListLimit = 10_000

// SessionFilter selects sessions for the list, the export and card links.
// Nil pointers and empty strings do not filter.
type SessionFilter struct {
	From, To       *time.Time
	IsTest         *bool
	IsLead         *bool
	IsOpportunity  *bool
	InWorkingHours *bool
	// AgentSuccess is a code, or "none" for sessions without an assessment.
	AgentSuccess string
	// HumanAgentSuccess is a code, "none" (no human assessment) or "any".
	HumanAgentSuccess string
	Rated             *bool
	Channel           string
	Query             string
	Sort              string // SortStarted (default), SortLeadValue, SortASR
	Asc               bool
	Limit             int
	Cursor            string
}

// Page is one page of the sessions list; Next is the cursor of the following
// page, "" on the last one.
type Page struct {
	Sessions []models.Session
	Next     string
}

// Validate checks the filter's values and names the parameter at fault.
func (f *SessionFilter) Validate() []models.FieldError {
	var fe []models.FieldError
	add := func(field, msg string) { fe = append(fe, models.FieldError{Field: field, Message: msg}) }
	if f.Sort == "" {
		f.Sort = SortStarted
	}
	if _, ok := sortColumns[f.Sort]; !ok {
		add("sort", "must be started_at, lead_value or asr")
	}
	if f.AgentSuccess != "" && f.AgentSuccess != "none" {
		if c, ok := models.NormaliseAgentSuccess(f.AgentSuccess); ok {
			f.AgentSuccess = c
		} else {
			add("agent_success", "must be Yes-A, Yes-B, No or none")
		}
	}
	if f.HumanAgentSuccess != "" && f.HumanAgentSuccess != "none" && f.HumanAgentSuccess != "any" {
		if c, ok := models.NormaliseAgentSuccess(f.HumanAgentSuccess); ok {
			f.HumanAgentSuccess = c
		} else {
			add("human_agent_success", "must be Yes-A, Yes-B, No, none or any")
		}
	}
	if f.Channel != "" && !containsStr(models.Channels, f.Channel) {
		add("channel", "must be one of "+strings.Join(models.Channels, ", "))
	}
	if f.Limit < 0 || f.Limit > MaxListLimit {
		add("limit", fmt.Sprintf("must be from 1 to %d", MaxListLimit))
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		add("to", "must be after from")
	}
	if f.Cursor != "" {
		if _, _, err := decodeCursor(f.Cursor); err != nil {
			add("cursor", "is not a cursor this server gave out")
		}
	}
	return fe
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// where applies the filter's conditions (not its order or paging).
func (s *Store) where(db *gorm.DB, f *SessionFilter) *gorm.DB {
	if f.From != nil {
		db = db.Where("started_at >= ?", f.From.UnixMicro())
	}
	if f.To != nil {
		db = db.Where("started_at < ?", f.To.UnixMicro())
	}
	for col, v := range map[string]*bool{"is_test": f.IsTest, "is_lead": f.IsLead, "is_opportunity": f.IsOpportunity, "in_working_hours": f.InWorkingHours} {
		if v != nil {
			db = db.Where(col+" = ?", *v)
		}
	}
	switch f.AgentSuccess {
	case "":
	case "none":
		db = db.Where("agent_success = ''")
	default:
		db = db.Where("agent_success = ?", f.AgentSuccess)
	}
	switch f.HumanAgentSuccess {
	case "":
	case "none":
		db = db.Where("human_agent_success IS NULL")
	case "any":
		db = db.Where("human_agent_success IS NOT NULL")
	default:
		db = db.Where("human_agent_success = ?", f.HumanAgentSuccess)
	}
	if f.Rated != nil {
		if *f.Rated {
			db = db.Where("stars IS NOT NULL")
		} else {
			db = db.Where("stars IS NULL")
		}
	}
	if f.Channel != "" {
		db = db.Where("channel = ?", f.Channel)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
		op := "LIKE"
		if s.dialect == Postgres {
			op = "ILIKE"
		}
		cond := make([]string, 0, 5)
		args := make([]any, 0, 5)
		for _, col := range []string{"caller_name", "caller_phone", "caller_email", "summary", "comment"} {
			cond = append(cond, fmt.Sprintf(`%s %s ? ESCAPE '\'`, col, op))
			args = append(args, like)
		}
		db = db.Where("("+strings.Join(cond, " OR ")+")", args...)
	}
	return db
}

// listColumns leaves out the transcript, which only the session page shows.
const listColumns = `id, external_id, started_at, ended_at, channel, caller_name, caller_phone, caller_email,
	auto_is_lead, refused, unavailable, units, auto_agent_success, auto_is_test, phone_key, email_key,
	human_is_test, human_is_lead, human_is_opportunity, human_agent_success, stars, comment,
	is_test, is_lead, is_opportunity, agent_success, success_factor, lead_value_cents, in_working_hours,
	recognition, additional_deals_e8, asr_cents, created_at, updated_at, summary`

// ListSessions returns one page of sessions in the filter's order, paged by
// a keyset cursor so deep pages cost as little as the first.
func (s *Store) ListSessions(ctx context.Context, f SessionFilter) (Page, error) {
	if fe := f.Validate(); len(fe) > 0 {
		return Page{}, models.Invalid("invalid filter", fe...)
	}
	col := sortColumns[f.Sort]
	dir, cmp := "DESC", "<"
	if f.Asc {
		dir, cmp = "ASC", ">"
	}
	db := s.where(s.read(ctx).Model(&models.Session{}).Select(listColumns), &f)
	if f.Cursor != "" {
		v, id, _ := decodeCursor(f.Cursor)
		db = db.Where(fmt.Sprintf("(%s %s ? OR (%s = ? AND id %s ?))", col, cmp, col, cmp), v, v, id)
	}
	var rows []models.Session
	if err := db.Order(col + " " + dir).Order("id " + dir).Limit(f.Limit + 1).Find(&rows).Error; err != nil {
		return Page{}, err
	}
	p := Page{Sessions: rows}
	if len(rows) > f.Limit {
		p.Sessions = rows[:f.Limit]
		last := p.Sessions[f.Limit-1]
		p.Next = encodeCursor(sortValue(&last, f.Sort), last.ID)
	}
	return p, nil
}

// CountCap is where counting stops for filters the rollups cannot answer:
// a count of a million rows costs a second, "10,000+" costs milliseconds.
const CountCap = 10_000

// CountSessions counts the sessions matching the filter (paging ignored).
// Filters the rollups can answer (non-test sessions of a period, by lead,
// opportunity, rating and working hours) get an exact count from them;
// others are counted up to CountCap and marked capped beyond it.
func (s *Store) CountSessions(ctx context.Context, f SessionFilter) (models.Count, error) {
	db := s.read(ctx)
	if n, ok, err := countFromRollups(db, &f); ok || err != nil {
		return models.Count{N: n}, err
	}
	var n int64
	sub := s.where(db.Model(&models.Session{}).Select("1"), &f).Limit(CountCap + 1)
	if err := db.Raw(`SELECT COUNT(*) FROM (?) AS matching`, sub).Scan(&n).Error; err != nil {
		return models.Count{}, err
	}
	if n > CountCap {
		return models.Count{N: CountCap, Capped: true}, nil
	}
	return models.Count{N: n}, nil
}

// countFromRollups answers the count from models.Totals when the filter
// only uses what the rollups hold; ok is false otherwise.
func countFromRollups(db *gorm.DB, f *SessionFilter) (n int64, ok bool, err error) {
	if f.IsTest == nil || *f.IsTest || f.AgentSuccess != "" || f.HumanAgentSuccess != "" || f.Channel != "" ||
		strings.TrimSpace(f.Query) != "" || (f.Rated != nil && (f.IsLead != nil || f.IsOpportunity != nil)) {
		return 0, false, nil
	}
	t, err := totals(db, f.From, f.To, f.InWorkingHours)
	if err != nil {
		return 0, true, err
	}
	lead, opp := f.IsLead, f.IsOpportunity
	switch {
	case f.Rated != nil && *f.Rated:
		return t.Rated, true, nil
	case f.Rated != nil:
		return t.Sessions - t.Rated, true, nil
	case opp != nil && *opp: // every opportunity is a lead
		if lead != nil && !*lead {
			return 0, true, nil
		}
		return t.Opportunities, true, nil
	case opp != nil && lead == nil:
		return t.Sessions - t.Opportunities, true, nil
	case opp != nil && *lead:
		return t.Leads - t.Opportunities, true, nil
	case lead != nil && *lead:
		return t.Leads, true, nil
	case lead != nil: // not a lead, hence not an opportunity either
		return t.Sessions - t.Leads, true, nil
	}
	return t.Sessions, true, nil
}

// EachSession streams every session matching the filter, oldest first,
// transcript included, without holding them all in memory.
func (s *Store) EachSession(ctx context.Context, f SessionFilter, fn func(*models.Session) error) error {
	f.Limit = 1
	if fe := f.Validate(); len(fe) > 0 {
		return models.Invalid("invalid filter", fe...)
	}
	db := s.where(s.read(ctx).Model(&models.Session{}), &f)
	rows, err := db.Order("started_at ASC").Order("id ASC").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sess models.Session
		if err := db.ScanRows(rows, &sess); err != nil {
			return err
		}
		if err := fn(&sess); err != nil {
			return err
		}
	}
	return rows.Err()
}

func sortValue(s *models.Session, sort string) int64 {
	switch sort {
	case SortLeadValue:
		return s.LeadValueCents
	case SortASR:
		return s.ASRCents
	}
	return s.StartedAt.UnixMicro()
}

func encodeCursor(v, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(v, 10) + ":" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (int64, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, err
	}
	a, b2, ok := strings.Cut(string(b), ":")
	if !ok {
		return 0, 0, fmt.Errorf("bad cursor")
	}
	v, err := strconv.ParseInt(a, 10, 64)
	if err != nil {
		return 0, 0, err
	}
	id, err := strconv.ParseInt(b2, 10, 64)
	return v, id, err
}
