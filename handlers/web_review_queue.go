package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"asrboard/storage"
	"asrboard/views"
)

// queueShown is how many waiting leads the queue page lists.
const queueShown = 50

// reviewQueueFilter selects the review queue: non-test leads without a human
// assessment, oldest first.
func reviewQueueFilter() storage.SessionFilter {
	yes, no := true, false
	return storage.SessionFilter{IsLead: &yes, IsTest: &no, HumanAgentSuccess: "none", Sort: storage.SortStarted, Asc: true}
}

// reviewQueuePage is GET /review (owners and reviewers): how many leads wait
// for a human assessment, the oldest of them, and a link that opens the
// first in queue mode, where each session page links to the next.
func (p *sessionPages) reviewQueuePage(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := p.store.Attributes(ctx)
	if err != nil {
		return err
	}
	loc := a.Location()
	f := reviewQueueFilter()
	n, err := p.store.CountSessions(ctx, f)
	if err != nil {
		return err
	}
	f.Limit = queueShown
	page, err := p.store.ListSessions(ctx, f)
	if err != nil {
		return err
	}
	v := views.ReviewQueueView{Left: n, More: page.Next != ""}
	for i := range page.Sessions {
		s := &page.Sessions[i]
		contact := []string{}
		for _, x := range []string{s.CallerName, s.CallerPhone, s.CallerEmail} {
			if x != "" {
				contact = append(contact, x)
			}
		}
		v.Rows = append(v.Rows, views.QueueRow{
			ID: s.ID, Href: queueHref(s.ID),
			Started: s.StartedAt.In(loc).Format("Jan 2, 2006 15:04"), StartedISO: s.StartedAt.UTC().Format(time.RFC3339),
			Channel: s.Channel, Contact: strings.Join(contact, " · "), Summary: truncateText(s.Summary, 90),
			LeadValue: views.FormatMoney(s.LeadValueCents, a.Currency), AutoSuccess: s.AutoAgentSuccess,
		})
	}
	if len(v.Rows) > 0 {
		v.FirstHref = v.Rows[0].Href
	}
	return p.page(c, http.StatusOK, views.PageMeta{Title: "Review queue", Active: views.NavReview}, views.ReviewQueuePage(v))
}
