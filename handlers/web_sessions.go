package handlers

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/storage"
	"asrboard/views"
)

// sessionPagesStore is what the sessions table, the session page, the
// review controls, the review queue and the CSV export need from storage.
type sessionPagesStore interface {
	Attributes(ctx context.Context) (*models.Attributes, error)
	ListSessions(ctx context.Context, f storage.SessionFilter) (storage.Page, error)
	CountSessions(ctx context.Context, f storage.SessionFilter) (models.Count, error)
	EachSession(ctx context.Context, f storage.SessionFilter, fn func(*models.Session) error) error
	SessionByID(ctx context.Context, id int64) (*models.Session, error)
	Review(ctx context.Context, actor, externalID string, p models.HumanPatch) (*models.Session, error)
	Audit(ctx context.Context, entity string, id int64, limit int) ([]models.AuditEntry, error)
}

// sessionPages are the pages people go through sessions with: the table,
// its column choice and CSV export, the session page with its review
// controls, and the review queue.
type sessionPages struct {
	*web
	store sessionPagesStore
}

// registerSessionPages adds the session pages to the web routes.
func (w *web) registerSessionPages(e *echo.Echo) {
	p := &sessionPages{web: w, store: w.server.store}

	view := w.private(w.allow(models.Role.CanView, "view sessions"))
	review := w.private(w.allow(models.Role.CanReview, "review sessions"))
	e.GET("/sessions", p.sessionsPage, view...)
	e.POST("/sessions/columns", p.saveColumns, view...)
	e.GET("/sessions/export.csv", p.exportSessions, view...)
	e.GET("/sessions/:id", p.sessionPage, view...)
	e.POST("/sessions/:id/review", p.reviewSessionForm, review...)
	e.GET("/review", p.reviewQueuePage, review...)
}

// sessionsPageSize is how many rows one page of the table shows unless the
// URL asks for another size (up to maxSessionsPageSize).
const (
	sessionsPageSize    = 50
	maxSessionsPageSize = 500
)

// sessionsPage is GET /sessions: the filter form, the count of matching
// sessions, one page of rows in the chosen order, and the links to the next
// and first pages and to the CSV of the same filter. A bad filter shows the
// form with the message beside the field (422) and no rows.
func (p *sessionPages) sessionsPage(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := p.store.Attributes(ctx)
	if err != nil {
		return err
	}
	loc := a.Location()
	sq, err := p.readSessionsQuery(ctx, c.QueryParams(), loc, p.now())
	if err != nil {
		return err
	}
	v := views.SessionsView{
		Filter:     sq.form,
		Total:      "0",
		Sort:       sq.sortLinks(),
		ExportHref: sq.href("/sessions/export.csv", ""),
		Columns:    readColumns(c),
		Query:      sq.values.Encode(),
		CSRF:       csrfToken(c),
		Zone:       a.Timezone,
	}
	status := http.StatusOK
	if len(sq.form.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		page, err := p.store.ListSessions(ctx, sq.filter)
		if err != nil {
			return err
		}
		n, err := p.store.CountSessions(ctx, sq.filter)
		if err != nil {
			return err
		}
		v.Total, v.Shown = views.FormatMatches(n), len(page.Sessions)
		v.Rows = make([]views.SessionRow, len(page.Sessions))
		for i := range page.Sessions {
			v.Rows[i] = sessionRow(&page.Sessions[i], a, loc)
		}
		if page.Next != "" {
			v.NextHref = sq.href("/sessions", page.Next)
		}
		if sq.filter.Cursor != "" {
			v.FirstHref = sq.href("/sessions", "")
		}
	}
	return p.page(c, status, views.PageMeta{Title: "Sessions", Active: views.NavSessions}, views.SessionsPage(v))
}

// sessionRow formats one session for the table.
func sessionRow(s *models.Session, a *models.Attributes, loc *time.Location) views.SessionRow {
	return views.SessionRow{
		ID:             s.ID,
		Href:           "/sessions/" + itoa(s.ID),
		StartedDate:    s.StartedAt.In(loc).Format("Jan 2, 2006"),
		StartedTime:    s.StartedAt.In(loc).Format("15:04 Mon"),
		StartedISO:     s.StartedAt.UTC().Format(time.RFC3339),
		Channel:        s.Channel,
		Name:           s.CallerName,
		Phone:          s.CallerPhone,
		Email:          s.CallerEmail,
		HasContact:     models.HasContact(s),
		Summary:        truncateText(s.Summary, 90),
		SummaryFull:    truncateText(s.Summary, 600),
		IsTest:         views.FlagCell{Value: s.IsTest, Human: s.HumanIsTest != nil},
		IsLead:         views.FlagCell{Value: s.IsLead, Human: s.HumanIsLead != nil},
		IsOpportunity:  views.FlagCell{Value: s.IsOpportunity, Human: s.HumanIsOpportunity != nil},
		LeadValue:      views.FormatMoney(s.LeadValueCents, a.Currency),
		LeadValueCents: s.LeadValueCents,
		Recognition:    percent(s.Recognition),
		ASR:            views.FormatMoney(s.ASRCents, a.Currency),
		ASRCents:       s.ASRCents,
		AutoSuccess:    s.AutoAgentSuccess,
		HumanSuccess:   deref(s.HumanAgentSuccess),
		Stars:          derefInt(s.Stars),
	}
}

// percent writes hundredths of a percent as "30%" or "33.33%".
func percent(c models.Centi) string { return c.String() + "%" }

// truncateText shortens s to at most n characters on one line, ending in
// "…" when something was cut.
func truncateText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}
