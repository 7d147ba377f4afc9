package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/storage"
	"asrboard/views"
)

// dashboardPage is GET /: the SPEC §4 cards for a period (?period=, or
// ?from=&to= with to exclusive, or ?from=&through= from the form) with the
// change against the previous period, the chart, the working-hours split and
// the AI agreement. A bad period shows the default one and the error (422).
func (w *web) dashboardPage(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := w.store.Attributes(ctx)
	if err != nil {
		return err
	}
	loc := a.Location()
	p, picker, status := w.dashboardPeriod(c.QueryParams(), loc)
	cur, err := w.store.Totals(ctx, p.From, p.To)
	if err != nil {
		return err
	}
	var prev *models.Totals
	if p.Comparable() {
		t, err := w.store.Totals(ctx, p.PrevFrom, p.PrevTo)
		if err != nil {
			return err
		}
		prev = &t
	}
	inside, outside, err := w.store.TotalsByWorkingHours(ctx, p.From, p.To)
	if err != nil {
		return err
	}
	agreement, err := w.store.Agreement(ctx, p.From, p.To)
	if err != nil {
		return err
	}
	chart, err := w.dashboardChart(ctx, p, loc, a.Currency)
	if err != nil {
		return err
	}
	link := periodLinks(p, loc)
	v := views.DashboardView{
		Picker:    picker,
		From:      rfc3339(p.From),
		To:        rfc3339(p.To),
		PrevFrom:  rfc3339(p.PrevFrom),
		PrevTo:    rfc3339(p.PrevTo),
		Cards:     dashboardCards(cur, prev, a.Currency, link),
		Chart:     chart,
		Split:     workingHoursSplit(inside, outside, a.Currency, link),
		Agreement: agreementStats(agreement, link),
	}
	return w.page(c, status, views.PageMeta{Title: "Dashboard", Active: views.NavDashboard}, views.DashboardPage(v))
}

// dashboardPeriod reads the period of the query, falling back to the default
// period (and a 422) when it is invalid, and fills the period picker.
func (w *web) dashboardPeriod(q url.Values, loc *time.Location) (models.Period, views.PeriodPicker, int) {
	now := w.now()
	name, from, to, through := q.Get("period"), q.Get("from"), q.Get("to"), q.Get("through")
	var picker views.PeriodPicker
	status := http.StatusOK
	if through != "" && to == "" {
		if d, err := time.ParseInLocation(models.DateLayout, through, loc); err == nil {
			to = d.AddDate(0, 0, 1).Format(models.DateLayout)
		} else {
			picker.ThroughError = "must be a date like 2026-05-01"
		}
	}
	p, err := models.ResolvePeriod(name, from, to, now, loc)
	if err != nil || picker.ThroughError != "" {
		var me *models.Error
		if errors.As(err, &me) {
			for _, d := range me.Details {
				switch d.Field {
				case "from":
					picker.FromError = d.Message
				case "to":
					picker.ThroughError = d.Message
				default:
					picker.PeriodError = "period " + d.Message
				}
			}
		}
		status = http.StatusUnprocessableEntity
		p, _ = models.ResolvePeriod(models.DefaultPeriod, "", "", now, loc)
		picker.From, picker.Through = from, through
	} else {
		picker.From, picker.Through = p.FromDate(loc), p.LastDate(loc)
	}
	picker.Label, picker.Range, picker.PrevRange = p.Label, p.Range, p.PrevRange
	picker.Custom = p.Name == models.PeriodCustom
	for _, n := range models.PeriodPresets {
		picker.Options = append(picker.Options, views.PeriodOption{Name: n, Label: models.PeriodLabel(n),
			Href: "/?period=" + n, Active: n == p.Name})
	}
	return p, picker, status
}

// sessionsLinker makes /sessions links for one period with extra filters.
type sessionsLinker func(filters ...string) string

// periodLinks links to the non-test sessions of p, read by the sessions
// table with the same from/to dates (to exclusive); all time says
// period=all. filters come in name, value pairs.
func periodLinks(p models.Period, loc *time.Location) sessionsLinker {
	return func(filters ...string) string {
		return sessionsURL(p.From, p.To, loc, filters...)
	}
}

func sessionsURL(from, to *time.Time, loc *time.Location, filters ...string) string {
	q := url.Values{}
	if from != nil {
		q.Set("from", from.In(loc).Format(models.DateLayout))
	}
	if to != nil {
		q.Set("to", to.In(loc).Format(models.DateLayout))
	}
	if from == nil && to == nil {
		q.Set("period", models.PeriodAll)
	}
	q.Set("is_test", "false")
	for i := 0; i+1 < len(filters); i += 2 {
		q.Set(filters[i], filters[i+1])
	}
	return "/sessions?" + q.Encode()
}

// dashboardChart sums ASR and sessions per local day (or week, month, year
// for long spans) of the period; all time starts at the first session.
func (w *web) dashboardChart(ctx context.Context, p models.Period, loc *time.Location, currency string) (views.ChartView, error) {
	from, to := p.From, p.To
	if to == nil {
		now := w.now().In(loc)
		t := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, loc)
		to = &t
	}
	if from == nil {
		no := false
		first, err := w.store.ListSessions(ctx, storage.SessionFilter{IsTest: &no, To: to, Sort: storage.SortStarted, Asc: true, Limit: 1})
		if err != nil {
			return views.ChartView{}, err
		}
		if len(first.Sessions) == 0 {
			return views.NewChart("", "", models.BucketDay, nil, currency), nil
		}
		s := first.Sessions[0].StartedAt.In(loc)
		d := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, loc)
		from = &d
	}
	size, buckets := models.ChartBuckets(*from, *to, loc)
	points := make([]views.ChartPoint, 0, len(buckets))
	var total, sessions, best int64
	bestAt := ""
	for _, b := range buckets {
		t, err := w.store.Totals(ctx, &b.From, &b.To)
		if err != nil {
			return views.ChartView{}, err
		}
		title := models.RangeLabel(&b.From, &b.To, loc)
		points = append(points, views.ChartPoint{Label: bucketLabel(size, b.From.In(loc)), Title: title,
			ASRCents: t.ASRCents, Sessions: t.Sessions, Href: sessionsURL(&b.From, &b.To, loc)})
		total += t.ASRCents
		sessions += t.Sessions
		if t.ASRCents > best {
			best, bestAt = t.ASRCents, title
		}
	}
	title := "ASR and sessions per " + size + ", " + models.RangeLabel(from, to, loc)
	desc := "Total ASR " + views.FormatMoney(total, currency) + " from " + views.FormatCount(sessions) + " sessions in " +
		views.FormatCount(int64(len(points))) + " " + size + "s."
	if bestAt != "" {
		desc += " Highest ASR: " + bestAt + " with " + views.FormatMoney(best, currency) + "."
	}
	return views.NewChart(title, desc, size, points, currency), nil
}

func bucketLabel(size string, t time.Time) string {
	switch size {
	case models.BucketMonth:
		return t.Format("Jan 2006")
	case models.BucketYear:
		return t.Format("2006")
	}
	return t.Format("Jan 2")
}

// dashboardCards are the SPEC §4 figures, Total ASR first; each links to
// exactly the sessions it sums over.
func dashboardCards(cur models.Totals, prev *models.Totals, currency string, link sessionsLinker) []views.Card {
	opps := link("is_opportunity", "true")
	leads := link("is_lead", "true")
	p := func(f func(models.Totals) int64) *int64 {
		if prev == nil {
			return nil
		}
		v := f(*prev)
		return &v
	}
	var prevOSS, prevCSS, prevLSS *models.Score
	if prev != nil {
		o, c, l := prev.OSS(), prev.CSS(), prev.LSS()
		prevOSS, prevCSS, prevLSS = &o, &c, &l
	}
	count := func(n int64, what string) string { return "View " + views.FormatCount(n) + " " + what }
	return []views.Card{
		moneyCard("asr", "Total ASR", "Additional Secured Revenue: earned only because the AI answered.",
			cur.ASRCents, p(func(t models.Totals) int64 { return t.ASRCents }), currency, opps, count(cur.Opportunities, "opportunities"), true),
		dealsCard(cur.AdditionalDealsE8, p(func(t models.Totals) int64 { return t.AdditionalDealsE8 }), cur.AdditionalDeals(4),
			opps, count(cur.Opportunities, "opportunities")),
		countCard("sessions", "Total Session Count", "Conversations handled, test sessions left out.",
			cur.Sessions, p(func(t models.Totals) int64 { return t.Sessions }), link(), count(cur.Sessions, "sessions")),
		countCard("leads", "Total Lead Count", "Callers who expressed intent to buy.",
			cur.Leads, p(func(t models.Totals) int64 { return t.Leads }), leads, count(cur.Leads, "leads")),
		moneyCard("lead-value", "Total Lead Value", "What all leads would be worth.",
			cur.LeadValueCents, p(func(t models.Totals) int64 { return t.LeadValueCents }), currency, leads, count(cur.Leads, "leads"), false),
		countCard("opportunities", "Total Opportunity Count", "Leads the business could still win.",
			cur.Opportunities, p(func(t models.Totals) int64 { return t.Opportunities }), opps, count(cur.Opportunities, "opportunities")),
		moneyCard("opportunity-value", "Total Opportunity Value", "What all opportunities would be worth.",
			cur.OpportunityCents, p(func(t models.Totals) int64 { return t.OpportunityCents }), currency, opps, count(cur.Opportunities, "opportunities"), false),
		scoreCard("oss", "OSS", "Opportunity Success Score: agent success over opportunities.", cur.OSS(), prevOSS, opps, count(cur.Opportunities, "opportunities")),
		scoreCard("css", "CSS", "Conversation Success Score: mean rating of rated sessions.", cur.CSS(), prevCSS,
			link("rated", "true"), count(cur.Rated, "rated sessions")),
		scoreCard("lss", "LSS", "Lead Success Score: agent success over leads.", cur.LSS(), prevLSS, leads, count(cur.Leads, "leads")),
	}
}

// dealsCard is Total Additional Deal Count, a fraction held as E8; raw is
// the API's 4-decimal form.
func dealsCard(cur int64, prev *int64, raw, href, linkText string) views.Card {
	c := views.Card{Key: "additional-deals", Title: "Total Additional Deal Count", Help: "Opportunities statistically won thanks to the AI.",
		Value: views.FormatE8(cur, 2), Raw: raw, Href: href, LinkText: linkText, Trend: views.TrendNone, Change: views.Dash}
	if prev != nil {
		c.Change, c.ChangePercent, c.Trend = views.FormatE8Change(cur-*prev, 2), views.FormatChangePercent(cur, *prev), trend(cur-*prev)
	}
	return c
}

func moneyCard(key, title, help string, cur int64, prev *int64, currency, href, linkText string, primary bool) views.Card {
	c := views.Card{Key: key, Title: title, Help: help, Value: views.FormatMoney(cur, currency), Raw: itoa(cur),
		Href: href, LinkText: linkText, Primary: primary, Trend: views.TrendNone, Change: views.Dash}
	if prev != nil {
		c.Change, c.ChangePercent, c.Trend = views.FormatMoneyChange(cur-*prev, currency), views.FormatChangePercent(cur, *prev), trend(cur-*prev)
	}
	return c
}

func countCard(key, title, help string, cur int64, prev *int64, href, linkText string) views.Card {
	c := views.Card{Key: key, Title: title, Help: help, Value: views.FormatCount(cur), Raw: itoa(cur),
		Href: href, LinkText: linkText, Trend: views.TrendNone, Change: views.Dash}
	if prev != nil {
		c.Change, c.ChangePercent, c.Trend = views.FormatCountChange(cur-*prev), views.FormatChangePercent(cur, *prev), trend(cur-*prev)
	}
	return c
}

func scoreCard(key, title, help string, cur models.Score, prev *models.Score, href, linkText string) views.Card {
	c := views.Card{Key: key, Title: title, Help: help, Value: views.FormatScore(cur), Raw: cur.String(),
		Href: href, LinkText: linkText, Trend: views.TrendNone, Change: views.Dash}
	if prev != nil && cur.Valid() && prev.Valid() {
		c.Change = views.FormatScoreChange(cur, *prev)
		// Compare the fractions exactly: cur.Num/cur.Den against prev.Num/prev.Den.
		c.Trend = trend(cur.Num*prev.Den - prev.Num*cur.Den)
	}
	return c
}

// trend is the direction of a change, for its colour.
func trend(d int64) string {
	switch {
	case d > 0:
		return views.TrendUp
	case d < 0:
		return views.TrendDown
	}
	return views.TrendFlat
}

// workingHoursSplit shows ASR and opportunities inside and outside working
// hours, each linked to its sessions.
func workingHoursSplit(inside, outside models.Totals, currency string, link sessionsLinker) []views.SplitRow {
	asr, opps := inside.ASRCents+outside.ASRCents, inside.Opportunities+outside.Opportunities
	row := func(key, label string, t models.Totals, in string) views.SplitRow {
		return views.SplitRow{Key: key, Label: label,
			ASR: views.FormatMoney(t.ASRCents, currency), ASRRaw: t.ASRCents, ASRShare: views.FormatShare(t.ASRCents, asr), ASRBar: bar(t.ASRCents, asr),
			Opps: views.FormatCount(t.Opportunities), OppsRaw: t.Opportunities, OppsShare: views.FormatShare(t.Opportunities, opps), OppsBar: bar(t.Opportunities, opps),
			Href: link("in_working_hours", in, "is_opportunity", "true")}
	}
	return []views.SplitRow{row("inside", "Inside working hours", inside, "true"), row("outside", "Outside working hours", outside, "false")}
}

func bar(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole) * 100
}

// agreementStats words models.Agreement: "83.3%" of N, or no reviews yet.
func agreementStats(a models.Agreement, link sessionsLinker) []views.AgreementStat {
	stat := func(key, label string, agree, total int64, href string) views.AgreementStat {
		s := views.AgreementStat{Key: key, Label: label, Agree: agree, Total: total, Share: views.Dash, Detail: "no reviews yet", Href: href}
		if total > 0 {
			s.Share = views.FormatShare(agree, total)
			s.Detail = "of " + views.FormatCount(total) + " reviewed"
		}
		return s
	}
	return []views.AgreementStat{
		stat("assessment", "Agent success assessment", a.AssessmentsAgree, a.Assessments, link("human_agent_success", "any")),
		stat("lead", "Lead flag", a.LeadsAgree, a.Leads, ""),
		stat("opportunity", "Opportunity flag", a.OpportunitiesAgree, a.Opportunities, ""),
	}
}

func rfc3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}
