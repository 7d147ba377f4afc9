package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

// auditShown is how many audit entries the session page lists.
const auditShown = 100

// sessionPage is GET /sessions/{id} (the internal id): every field, the
// transcript, the ASR formula with this session's numbers, the review
// controls (read-only for roles that may not review) and the audit history.
// With ?queue=1 it also shows the review-queue navigation.
func (p *sessionPages) sessionPage(c echo.Context) error {
	sess, a, err := p.sessionOfPath(c)
	if err != nil {
		return err
	}
	v, err := p.sessionView(c, sess, a, c.QueryParam("queue") == "1")
	if err != nil {
		return err
	}
	return p.page(c, http.StatusOK, sessionMeta(v), views.SessionPage(v))
}

// sessionOfPath loads the session of /sessions/{id} (the numeric id;
// anything else is not a page) and the attributes it is shown with.
func (p *sessionPages) sessionOfPath(c echo.Context) (*models.Session, *models.Attributes, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, models.NotFound("no session " + strconv.Quote(c.Param("id")) + ": session pages are /sessions/ and a number")
	}
	ctx := c.Request().Context()
	sess, err := p.store.SessionByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	a, err := p.store.Attributes(ctx)
	if err != nil {
		return nil, nil, err
	}
	return sess, a, nil
}

func sessionMeta(v views.SessionPageView) views.PageMeta {
	m := views.PageMeta{Title: v.Heading, Active: views.NavSessions}
	if v.Queue != nil {
		m.Active = views.NavReview
	}
	return m
}

// sessionView builds the whole session page for the signed-in user.
func (p *sessionPages) sessionView(c echo.Context, s *models.Session, a *models.Attributes, queue bool) (views.SessionPageView, error) {
	ctx := c.Request().Context()
	loc := a.Location()
	u := currentUser(c)
	canReview := u != nil && u.Role.CanReview()
	queue = queue && canReview
	v := views.SessionPageView{
		ID:         s.ID,
		ExternalID: s.ExternalID,
		Heading:    sessionHeading(s),
		BackHref:   "/sessions",
		BackLabel:  "Sessions",
		Started:    s.StartedAt.In(loc).Format("Mon Jan 2, 2006 15:04 MST"),
		StartedISO: s.StartedAt.UTC().Format(time.RFC3339),
		Channel:    s.Channel,
		Name:       s.CallerName,
		Phone:      s.CallerPhone,
		Email:      s.CallerEmail,
		Summary:    s.Summary,
		Transcript: s.Transcript,
		Call:       callFacts(s, a),
		Figures:    sessionFigures(s, a),
		Review:     reviewPanel(s, a, canReview, csrfToken(c), queue),
	}
	if back := tableReferer(c); back != "" {
		v.BackHref = back
	}
	if queue {
		v.BackHref, v.BackLabel = "/review", "Review queue"
		q, err := p.queueNav(ctx, s.ID)
		if err != nil {
			return v, err
		}
		v.Queue = &q
	}
	audit, err := p.store.Audit(ctx, models.EntitySession, s.ID, auditShown+1)
	if err != nil {
		return v, err
	}
	if len(audit) > auditShown {
		audit, v.Audit.More = audit[:auditShown], true
	}
	for _, e := range audit {
		v.Audit.Rows = append(v.Audit.Rows, views.AuditRow{
			Actor: e.Actor, At: e.At.In(loc).Format("Jan 2, 2006 15:04"), AtISO: e.At.UTC().Format(time.RFC3339),
			Field: reviewLabel(e.Field), Old: humanValue(e.Field, e.Old), New: humanValue(e.Field, e.New),
		})
	}
	return v, nil
}

// tableReferer is the sessions table the person came from (with its
// filter), so "back" returns to it; "" when they came from elsewhere.
func tableReferer(c echo.Context) string {
	ref, err := url.Parse(c.Request().Referer())
	if err != nil || ref.Host != c.Request().Host || ref.Path != "/sessions" {
		return ""
	}
	return sessionsBack(ref.RawQuery)
}

// sessionHeading names a session by its caller, else by how to reach them.
func sessionHeading(s *models.Session) string {
	for _, h := range []string{s.CallerName, s.CallerPhone, s.CallerEmail} {
		if h != "" {
			return h
		}
	}
	return "Unnamed " + s.Channel + " session"
}

// callFacts are the rest of the auto part, as the platform reported it.
func callFacts(s *models.Session, a *models.Attributes) []views.Fact {
	loc := a.Location()
	ended := ""
	if s.EndedAt != nil {
		ended = s.EndedAt.In(loc).Format("15:04:05") + " (" + s.EndedAt.Sub(s.StartedAt.Time).Round(time.Second).String() + ")"
	}
	units := ""
	if s.Units != nil {
		units = s.Units.String() + " " + a.UnitLabel
	}
	return []views.Fact{
		{Key: "ended_at", Label: "Ended", Value: ended},
		{Key: "units", Label: "Units", Value: units},
		{Key: "auto_is_lead", Label: "Lead (AI)", Value: yesNo(s.AutoIsLead)},
		{Key: "refused", Label: "Refused", Value: yesNo(s.Refused)},
		{Key: "unavailable", Label: "Unavailable", Value: yesNo(s.Unavailable)},
		{Key: "auto_agent_success", Label: "Assessment (AI)", Value: orNone(s.AutoAgentSuccess, "none")},
		{Key: "auto_is_test", Label: "Test (AI)", Value: yesNo(s.AutoIsTest)},
	}
}

// queueNav counts the leads still waiting for a review and finds the oldest
// of them other than the session on screen.
func (p *sessionPages) queueNav(ctx context.Context, current int64) (views.QueueNav, error) {
	f := reviewQueueFilter()
	n, err := p.store.CountSessions(ctx, f)
	if err != nil {
		return views.QueueNav{}, err
	}
	f.Limit = 2
	page, err := p.store.ListSessions(ctx, f)
	if err != nil {
		return views.QueueNav{}, err
	}
	q := views.QueueNav{Left: n}
	for _, s := range page.Sessions {
		if s.ID != current {
			q.NextHref = queueHref(s.ID)
			break
		}
	}
	return q, nil
}

func queueHref(id int64) string { return "/sessions/" + itoa(id) + "?queue=1" }
