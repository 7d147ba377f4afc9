package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"asrboard/models"
	"asrboard/views"
)

// recentSessions makes n varied sessions over the 400 days before now, most
// of them in the last 100 days and a few today, shaped like randomSessions.
func recentSessions(r *rand.Rand, n int, now time.Time, loc *time.Location) []any {
	l := now.In(loc)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	out := make([]any, n)
	for i := range out {
		var at time.Time
		switch p := r.IntN(100); {
		case p < 4: // today, before now
			at = midnight.Add(time.Duration(r.Int64N(int64(now.Sub(midnight)) + 1)))
		case p < 64:
			at = now.Add(-time.Duration(r.Int64N(int64(100 * 24 * time.Hour))))
		default:
			at = now.Add(-time.Duration(r.Int64N(int64(400 * 24 * time.Hour))))
		}
		s := obj{
			"external_id": fmt.Sprintf("w-%04d", i),
			"started_at":  at.Truncate(time.Second).UTC().Format(time.RFC3339),
			"channel":     models.Channels[r.IntN(len(models.Channels))],
			"is_lead":     r.IntN(100) < 55,
			"refused":     r.IntN(100) < 15,
			"unavailable": r.IntN(100) < 10,
			"is_test":     r.IntN(100) < 5,
		}
		switch p := r.IntN(100); {
		case p < 6:
			s["caller_phone"] = "+1 (555) 010-0000" // on the test list
		case p < 75:
			s["caller_phone"] = fmt.Sprintf("+1 555 %04d", r.IntN(10000))
		}
		if r.IntN(100) < 25 {
			s["caller_email"] = fmt.Sprintf("guest%d@example.com", i)
		}
		if r.IntN(100) < 70 {
			s["units"] = json.Number(fmt.Sprintf("%d.%d", 1+r.IntN(12), []int{0, 5, 25}[r.IntN(3)]))
		}
		if c := r.IntN(4); c < 3 {
			s["agent_success"] = models.AgentSuccessCodes[c]
		}
		out[i] = s
	}
	return out
}

// dashboardAttributes are a New York business with per-unit values, the AI
// answering first and partial recognition, so every factor matters.
var dashboardAttributes = obj{
	"currency": "USD", "lead_value_method": "per_unit", "unit_price_cents": 6533, "average_lead_value_cents": 12345,
	"conversion_ratio_percent": 83.33, "redirection_type": "non_overflow", "recognition_percent": 37.5,
	"timezone": "America/New_York", "test_contacts": []string{"15550100000"},
	"working_hours": obj{"mon": []string{"09:00-17:30"}, "tue": []string{"09:00-17:30"}, "wed": []string{"09:00-12:00", "13:00-17:30"},
		"thu": []string{"09:00-17:30"}, "fri": []string{"09:00-17:30"}, "sat": []string{"10:00-14:00"}},
}

// seedDashboard fills the database with reviewed random sessions around now.
func seedDashboard(t *testing.T, v *env, n int) *models.Attributes {
	t.Helper()
	want(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleStaff, dashboardAttributes), http.StatusOK)
	a, err := v.store.Attributes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(20260513, 3))
	if res := v.ingest(recentSessions(r, n, time.Now(), a.Location())); res.Created != n {
		t.Fatalf("ingest: %+v", res)
	}
	for range n / 3 {
		id := fmt.Sprintf("w-%04d", r.IntN(n))
		want(t, v.do(http.MethodPatch, "/api/v1/sessions/"+id+"/review", models.RoleReviewer, randomReview(r)), http.StatusOK)
	}
	return a
}

// dashboardCard is what the page shows of one card.
type dashboardCard struct {
	raw, change, href string
}

// dashboardPage is the figures of a rendered dashboard.
type dashboardPage struct {
	from, to, prevFrom, prevTo string
	cards                      map[string]dashboardCard
	chartASR, chartSessions    int64
	chartRows                  int
	doc                        *goquery.Document
}

func readDashboard(t *testing.T, doc *goquery.Document) dashboardPage {
	t.Helper()
	d := testid(doc, "dashboard")
	if d.Length() != 1 {
		t.Fatal("no dashboard on the page")
	}
	p := dashboardPage{cards: map[string]dashboardCard{}, doc: doc}
	p.from, _ = d.Attr("data-from")
	p.to, _ = d.Attr("data-to")
	p.prevFrom, _ = d.Attr("data-prev-from")
	p.prevTo, _ = d.Attr("data-prev-to")
	for _, key := range []string{"asr", "additional-deals", "sessions", "leads", "lead-value", "opportunities", "opportunity-value", "oss", "css", "lss"} {
		c := testid(doc, "card-"+key)
		raw, ok := c.Attr("data-value")
		href, _ := testid(doc, "card-"+key+"-link").Attr("href")
		if c.Length() != 1 || !ok || href == "" {
			t.Fatalf("card %s missing, or without data-value or link", key)
		}
		p.cards[key] = dashboardCard{raw: raw, href: href, change: strings.Join(strings.Fields(testid(doc, "card-"+key+"-change").Text()), " ")}
	}
	testid(doc, "chart-row").Each(func(_ int, s *goquery.Selection) {
		asr, _ := s.Attr("data-asr")
		n, _ := s.Attr("data-sessions")
		p.chartASR += mustInt(t, asr)
		p.chartSessions += mustInt(t, n)
		p.chartRows++
	})
	return p
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an integer: %q", s)
	}
	return n
}

func nullable(p *json.Number) string {
	if p == nil {
		return ""
	}
	return p.String()
}

// apiBounds asks the API for the same instants the page resolved.
func apiBounds(from, to string) url.Values {
	q := url.Values{}
	if from != "" {
		q.Set("from", from)
	}
	if to != "" {
		q.Set("to", to)
	}
	return q
}

// TestWebDashboardMatchesAPI renders the dashboard for every preset and
// custom ranges over a few hundred reviewed random sessions, and checks
// that each card equals GET /api/v1/dashboard for the same span, that each
// change is against the API's previous period, that each card's link lists
// exactly the sessions behind its figure, and that the chart, the
// working-hours split and the agreement add up.
func TestWebDashboardMatchesAPI(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		a := seedDashboard(t, v, 450)
		loc := a.Location()
		v.addUser("owner@example.com", models.RoleOwner)
		b := v.browser()
		b.login("owner@example.com", testPassword)

		// A custom week around the last clock change in New York.
		today := time.Now().In(loc)
		var dst time.Time
		for d := 1; d < 400; d++ {
			day := time.Date(today.Year(), today.Month(), today.Day()-d, 12, 0, 0, 0, loc)
			_, off1 := day.Zone()
			_, off2 := day.AddDate(0, 0, -1).Zone()
			if off1 != off2 {
				dst = day
				break
			}
		}
		if dst.IsZero() {
			t.Fatal("no clock change in the last 400 days")
		}
		date := func(t time.Time, days int) string { return t.AddDate(0, 0, days).Format(models.DateLayout) }
		queries := []string{"", "period=today", "period=7d", "period=30d", "period=90d", "period=this_month", "period=last_month", "period=all",
			"from=" + date(today, -45) + "&to=" + date(today, -10),
			"from=" + date(dst, -3) + "&to=" + date(dst, 4),
			"from=" + date(today, -60) + "&through=" + date(today, -31),
			"to=" + date(today, -200),
		}
		lists := map[string][]sessionJSON{}
		list := func(href string) []sessionJSON {
			if l, ok := lists[href]; ok {
				return l
			}
			u, err := url.Parse(href)
			if err != nil || u.Path != "/sessions" {
				t.Fatalf("card link %q is not a sessions link", href)
			}
			q := u.Query()
			if q.Get("is_test") != "false" {
				t.Fatalf("card link %q does not leave test sessions out", href)
			}
			q.Del("period")
			lists[href] = v.listAll(q, 53)
			return lists[href]
		}
		for _, query := range queries {
			t.Run(query, func(t *testing.T) {
				p := readDashboard(t, page(t, b.get("/?"+query), http.StatusOK))
				api := v.dashboard(apiBounds(p.from, p.to))
				wantRaw := map[string]string{
					"asr": itoa(api.ASRCents), "additional-deals": api.AdditionalDealCount.String(), "sessions": itoa(api.SessionCount),
					"leads": itoa(api.LeadCount), "lead-value": itoa(api.LeadValueCents), "opportunities": itoa(api.OpportunityCount),
					"opportunity-value": itoa(api.OpportunityValueCents), "oss": nullable(api.OSS), "css": nullable(api.CSS), "lss": nullable(api.LSS),
				}
				for key, w := range wantRaw {
					if got := p.cards[key].raw; got != w {
						t.Errorf("card %s shows %q, API %q", key, got, w)
					}
				}
				if api.SessionCount == 0 && query != "period=today" {
					t.Errorf("no sessions in the period: the test data misses it")
				}

				// Changes against the API's previous period.
				if (p.prevFrom == "") != (query == "period=all" || strings.HasPrefix(query, "to=")) {
					t.Errorf("previous period %q..%q", p.prevFrom, p.prevTo)
				}
				if p.prevFrom != "" {
					prev := v.dashboard(apiBounds(p.prevFrom, p.prevTo))
					if got, w := p.cards["sessions"].change, views.FormatCountChange(api.SessionCount-prev.SessionCount); !strings.HasPrefix(got, w+" ") {
						t.Errorf("sessions change %q, want %s", got, w)
					}
					if got, w := p.cards["asr"].change, views.FormatMoneyChange(api.ASRCents-prev.ASRCents, "USD")+" ("+
						views.FormatChangePercent(api.ASRCents, prev.ASRCents)+")"; !strings.HasPrefix(got, w) {
						t.Errorf("ASR change %q, want %s", got, w)
					}
				} else if got := p.cards["asr"].change; got != views.Dash {
					t.Errorf("ASR change %q without a previous period", got)
				}

				// Each link lists the sessions behind its card.
				for key, c := range p.cards {
					u, _ := url.Parse(c.href)
					q := u.Query()
					if p.from != "" && q.Get("from") != mustTime(t, p.from).In(loc).Format(models.DateLayout) ||
						p.to != "" && q.Get("to") != mustTime(t, p.to).In(loc).Format(models.DateLayout) ||
						p.from == "" && p.to == "" && q.Get("period") != "all" {
						t.Errorf("card %s links %q for the period %s..%s", key, c.href, p.from, p.to)
					}
					if got, w := linkFigure(t, key, list(c.href)), p.cards[key].raw; got != w {
						t.Errorf("card %s: its link %s lists sessions adding to %q, the card shows %q", key, c.href, got, w)
					}
				}

				// The chart covers the period.
				if p.chartASR != api.ASRCents || p.chartSessions != api.SessionCount {
					t.Errorf("chart sums ASR %d sessions %d over %d rows, cards %d and %d", p.chartASR, p.chartSessions, p.chartRows, api.ASRCents, api.SessionCount)
				}
				if p.chartRows == 0 || p.chartRows > models.MaxBuckets {
					t.Errorf("chart of %d buckets", p.chartRows)
				}

				// Inside and outside working hours add up, and link to their sessions.
				var splitASR, splitOpps int64
				for _, key := range []string{"inside", "outside"} {
					s := testid(p.doc, "split-"+key)
					asr, _ := s.Attr("data-asr")
					opps, _ := s.Attr("data-opportunities")
					href, _ := s.Find("a").Attr("href")
					splitASR += mustInt(t, asr)
					splitOpps += mustInt(t, opps)
					l := list(href)
					var sum int64
					for _, x := range l {
						sum += x.ASRCents
						if x.InWorkingHours != (key == "inside") || !x.IsOpportunity {
							t.Fatalf("split %s link lists %s", key, x.ExternalID)
						}
					}
					if sum != mustInt(t, asr) || int64(len(l)) != mustInt(t, opps) {
						t.Errorf("split %s: link lists %d opportunities with ASR %d, the page shows %s and %s", key, len(l), sum, opps, asr)
					}
				}
				if splitASR != api.ASRCents || splitOpps != api.OpportunityCount {
					t.Errorf("split adds to ASR %d and %d opportunities, cards %d and %d", splitASR, splitOpps, api.ASRCents, api.OpportunityCount)
				}

				// The agreement figures are the store's.
				ag, err := v.store.Agreement(context.Background(), optTime(t, p.from), optTime(t, p.to))
				if err != nil {
					t.Fatal(err)
				}
				for key, pair := range map[string][2]int64{"assessment": {ag.AssessmentsAgree, ag.Assessments},
					"lead": {ag.LeadsAgree, ag.Leads}, "opportunity": {ag.OpportunitiesAgree, ag.Opportunities}} {
					s := testid(p.doc, "agreement-"+key)
					agree, _ := s.Attr("data-agree")
					total, _ := s.Attr("data-total")
					if mustInt(t, agree) != pair[0] || mustInt(t, total) != pair[1] {
						t.Errorf("agreement %s %s of %s, store %d of %d", key, agree, total, pair[0], pair[1])
					}
					text := strings.Join(strings.Fields(s.Text()), " ")
					if pair[1] == 0 && !strings.Contains(text, "no reviews yet") ||
						pair[1] > 0 && !strings.Contains(text, views.FormatShare(pair[0], pair[1])+" of "+views.FormatCount(pair[1])) {
						t.Errorf("agreement %s reads %q", key, text)
					}
				}
			})
		}
	})
}

// linkFigure computes a card's figure from the sessions its link lists, in
// the card's raw form.
func linkFigure(t *testing.T, key string, list []sessionJSON) string {
	t.Helper()
	var n, leadValue, asr, dealsE8, success, stars int64
	for _, s := range list {
		if s.IsTest {
			t.Fatalf("listed test session %s", s.ExternalID)
		}
		n++
		leadValue += s.LeadValueCents
		asr += s.ASRCents
		dealsE8 += e8(t, s.AdditionalDeals)
		success += int64(s.SuccessFactor)
		if s.Stars != nil {
			stars += int64(*s.Stars)
		}
	}
	orNull := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	switch key {
	case "sessions", "leads", "opportunities":
		return itoa(n)
	case "lead-value", "opportunity-value":
		return itoa(leadValue)
	case "asr":
		return itoa(asr)
	case "additional-deals":
		return models.FormatScaled(dealsE8, models.ScaleE8, 4)
	case "oss", "lss":
		return orNull(scoreOf(success, n))
	case "css":
		return orNull(scoreOf(stars*2, n*10))
	}
	t.Fatalf("unknown card %s", key)
	return ""
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("not RFC 3339: %q", s)
	}
	return v
}

func optTime(t *testing.T, s string) *time.Time {
	t.Helper()
	if s == "" {
		return nil
	}
	v := mustTime(t, s)
	return &v
}

func TestWebDashboardPeriods(t *testing.T) {
	v := newEnv(t, openSQLite(t), webConfig())
	want(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleStaff, obj{"timezone": "America/New_York"}), http.StatusOK)
	v.addUser("reviewer@example.com", models.RoleReviewer)
	b := v.browser()
	b.login("reviewer@example.com", testPassword)

	// An empty database: zeros, dashes, no chart.
	doc := page(t, b.get("/"), http.StatusOK)
	if testid(doc, "chart-empty").Length() != 1 || testid(doc, "card-oss-value").Text() != views.Dash ||
		testid(doc, "card-asr-value").Text() != "$0.00" {
		t.Errorf("empty dashboard: chart-empty %d, OSS %q, ASR %q", testid(doc, "chart-empty").Length(),
			testid(doc, "card-oss-value").Text(), testid(doc, "card-asr-value").Text())
	}
	if cur, _ := testid(doc, "period-30d").Attr("aria-current"); cur != "true" {
		t.Errorf("30 days is not the default")
	}

	// A custom range keeps its inclusive last day in the form.
	doc = page(t, b.get("/?from=2026-03-01&to=2026-03-15"), http.StatusOK)
	if got := strings.Join(strings.Fields(testid(doc, "period-range").Text()), " "); got != "Custom range · Mar 1 – 14, 2026 · compared with Feb 15 – 28, 2026" {
		t.Errorf("range %q", got)
	}
	if f, _ := doc.Find("#range-from").Attr("value"); f != "2026-03-01" {
		t.Errorf("from field %q", f)
	}
	if th, _ := doc.Find("#range-through").Attr("value"); th != "2026-03-14" {
		t.Errorf("through field %q", th)
	}
	if from, _ := testid(doc, "dashboard").Attr("data-from"); from != "2026-03-01T00:00:00-05:00" {
		t.Errorf("data-from %q", from)
	}
	if to, _ := testid(doc, "dashboard").Attr("data-to"); to != "2026-03-15T00:00:00-04:00" {
		t.Errorf("data-to %q", to)
	}
	// The form's inclusive day gives the same period.
	doc2 := page(t, b.get("/?from=2026-03-01&through=2026-03-14"), http.StatusOK)
	if a, _ := testid(doc2, "dashboard").Attr("data-to"); a != "2026-03-15T00:00:00-04:00" {
		t.Errorf("through: data-to %q", a)
	}
	href, _ := testid(doc, "card-leads-link").Attr("href")
	if href != "/sessions?from=2026-03-01&is_lead=true&is_test=false&to=2026-03-15" {
		t.Errorf("leads link %q", href)
	}
	// All time links say so.
	doc = page(t, b.get("/?period=all"), http.StatusOK)
	if href, _ := testid(doc, "card-sessions-link").Attr("href"); href != "/sessions?is_test=false&period=all" {
		t.Errorf("all-time sessions link %q", href)
	}
	if got := testid(doc, "card-sessions-change").Text(); strings.TrimSpace(got) != views.Dash {
		t.Errorf("all-time change %q", got)
	}

	// Bad input: the error beside its field, the default period shown, 422.
	for _, c := range []struct{ query, testid, want string }{
		{"period=week", "period-error", "period must be one of"},
		{"from=2026-13-01", "range-from-error", "must be a date"},
		{"from=2026-05-10&through=2026-05-01", "range-through-error", "must be after from"},
		{"from=2026-05-10&through=tomorrow", "range-through-error", "must be a date"},
	} {
		doc := page(t, b.get("/?"+c.query), http.StatusUnprocessableEntity)
		if got := testid(doc, c.testid).Text(); !strings.Contains(got, c.want) {
			t.Errorf("%s: %s %q, want %q", c.query, c.testid, got, c.want)
		}
		if testid(doc, "card-asr").Length() != 1 {
			t.Errorf("%s: no cards", c.query)
		}
	}
	doc = page(t, b.get("/?from=2026-13-01&through=2026-05-01"), http.StatusUnprocessableEntity)
	if v, _ := doc.Find("#range-from").Attr("value"); v != "2026-13-01" {
		t.Errorf("typed from not kept: %q", v)
	}
	if v, _ := doc.Find("#range-from").Attr("aria-invalid"); v != "true" {
		t.Errorf("bad from not marked invalid")
	}
}
