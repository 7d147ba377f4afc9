package handlers

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"asrboard/models"
	"asrboard/storage"
	"asrboard/views"
)

// spGenerate fills the database with n varied sessions over the last 60
// days, some of them test sessions and some reviewed.
func spGenerate(t *testing.T, v *env, n int) {
	t.Helper()
	if err := v.store.Generate(context.Background(), storage.GenerateOptions{Sessions: n, Days: 60, Seed: 7}, nil); err != nil {
		t.Fatalf("generate: %v", err)
	}
}

// spSignIn creates a user of the role and a browser signed in as them.
func spSignIn(t *testing.T, v *env, role models.Role) *browser {
	t.Helper()
	email := string(role) + "@example.com"
	v.addUser(email, role)
	b := v.browser()
	b.login(email, testPassword)
	return b
}

// spRowIDs are the session ids of the table's rows, in order.
func spRowIDs(t *testing.T, doc *goquery.Document) []int64 {
	t.Helper()
	var ids []int64
	testid(doc, "session-row").Each(func(_ int, s *goquery.Selection) {
		id, err := strconv.ParseInt(s.AttrOr("data-id", ""), 10, 64)
		if err != nil {
			t.Fatalf("row without data-id: %v", err)
		}
		ids = append(ids, id)
	})
	return ids
}

// spListIDs lists the ids storage gives for a filter, every page of them.
func spListIDs(t *testing.T, v *env, f storage.SessionFilter) []int64 {
	t.Helper()
	f.Limit = storage.MaxListLimit
	p, err := v.store.ListSessions(context.Background(), f)
	if err != nil {
		t.Fatalf("list sessions: %v", err)
	}
	if p.Next != "" {
		t.Fatalf("more than %d sessions", storage.MaxListLimit)
	}
	ids := make([]int64, len(p.Sessions))
	for i, s := range p.Sessions {
		ids[i] = s.ID
	}
	return ids
}

func spBool(b bool) *bool { return &b }

func TestWebSessionsTableFilters(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spGenerate(t, v, 260)
		b := spSignIn(t, v, models.RoleStaff)
		ctx := context.Background()
		a, err := v.store.Attributes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		loc := a.Location()
		// A name to search for, from a session of the middle of the list.
		all := spListIDs(t, v, storage.SessionFilter{})
		mid, err := v.store.SessionByID(ctx, all[len(all)/2])
		if err != nil {
			t.Fatal(err)
		}
		word := strings.Fields(mid.CallerName + " x")[0]
		day := func(daysAgo int) time.Time {
			n := time.Now().In(loc)
			return time.Date(n.Year(), n.Month(), n.Day()-daysAgo, 0, 0, 0, 0, loc)
		}
		from, to := day(20), day(5)
		weekAgo, monthAgo, tomorrow := day(6), day(29), day(-1)

		cases := []struct {
			query string
			f     storage.SessionFilter
		}{
			{"", storage.SessionFilter{IsTest: spBool(false)}},
			{"is_test=any", storage.SessionFilter{}},
			{"is_test=true", storage.SessionFilter{IsTest: spBool(true)}},
			{"is_lead=true&is_opportunity=false", storage.SessionFilter{IsTest: spBool(false), IsLead: spBool(true), IsOpportunity: spBool(false)}},
			{"agent_success=none", storage.SessionFilter{IsTest: spBool(false), AgentSuccess: "none"}},
			{"agent_success=Yes-B&is_test=any", storage.SessionFilter{AgentSuccess: models.SuccessYesB}},
			{"human_agent_success=any", storage.SessionFilter{IsTest: spBool(false), HumanAgentSuccess: "any"}},
			{"rated=true&channel=phone", storage.SessionFilter{IsTest: spBool(false), Rated: spBool(true), Channel: "phone"}},
			{"rated=false&in_working_hours=false", storage.SessionFilter{IsTest: spBool(false), Rated: spBool(false), InWorkingHours: spBool(false)}},
			{"q=" + url.QueryEscape(word), storage.SessionFilter{IsTest: spBool(false), Query: word}},
			{"sort=asr&order=asc", storage.SessionFilter{IsTest: spBool(false), Sort: storage.SortASR, Asc: true}},
			{"sort=lead_value&is_lead=true", storage.SessionFilter{IsTest: spBool(false), Sort: storage.SortLeadValue, IsLead: spBool(true)}},
			// The dashboard's card links: dates with to exclusive.
			{"from=" + from.Format(models.DateLayout) + "&to=" + to.Format(models.DateLayout) + "&is_test=false&is_opportunity=true",
				storage.SessionFilter{From: &from, To: &to, IsTest: spBool(false), IsOpportunity: spBool(true)}},
			// RFC 3339 works too, and the form's inclusive through.
			{"from=" + url.QueryEscape(from.Format(time.RFC3339)) + "&through=" + to.AddDate(0, 0, -1).Format(models.DateLayout),
				storage.SessionFilter{From: &from, To: &to, IsTest: spBool(false)}},
			{"period=7d", storage.SessionFilter{From: &weekAgo, To: &tomorrow, IsTest: spBool(false)}},
			{"period=all&is_test=false", storage.SessionFilter{IsTest: spBool(false)}},
			// Dates typed with "All time" still chosen apply; a preset wins over dates.
			{"period=all&from=" + from.Format(models.DateLayout), storage.SessionFilter{From: &from, IsTest: spBool(false)}},
			{"period=30d&from=" + from.Format(models.DateLayout), storage.SessionFilter{From: &monthAgo, To: &tomorrow, IsTest: spBool(false)}},
		}
		for _, tc := range cases {
			doc := page(t, b.get("/sessions?limit=500&"+tc.query), http.StatusOK)
			got := spRowIDs(t, doc)
			want := spListIDs(t, v, tc.f)
			if !slices.Equal(got, want) {
				t.Errorf("%q: table lists %d sessions %v…, storage %d %v…", tc.query, len(got), head(got), len(want), head(want))
			}
			n, err := v.store.CountSessions(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if total := testid(doc, "sessions-total").Text(); total != views.FormatMatches(n) {
				t.Errorf("%q: total %q, want %+v", tc.query, total, n)
			}
			if len(want) == 0 && tc.query != "is_test=true" {
				t.Errorf("%q: no sessions to compare; the seed data should have some", tc.query)
			}
		}

		// The form shows what applies: a dashboard link's dates as a custom
		// range with the inclusive last day; a preset without dates.
		doc := page(t, b.get("/sessions?from="+from.Format(models.DateLayout)+"&to="+to.Format(models.DateLayout)), http.StatusOK)
		if got := testid(doc, "filter-period").Find("option[selected]").AttrOr("value", ""); got != models.PeriodCustom {
			t.Errorf("period select %q for dates", got)
		}
		if got := testid(doc, "filter-through").AttrOr("value", ""); got != to.AddDate(0, 0, -1).Format(models.DateLayout) {
			t.Errorf("through %q, want the day before to", got)
		}
		doc = page(t, b.get("/sessions?period=30d&from="+from.Format(models.DateLayout)), http.StatusOK)
		if got := testid(doc, "filter-period").Find("option[selected]").AttrOr("value", ""); got != models.Period30Days {
			t.Errorf("period select %q for 30d", got)
		}
		if got := testid(doc, "filter-from").AttrOr("value", "x"); got != "" {
			t.Errorf("from %q shown beside a preset", got)
		}

		// The default hides tests, and the form says so.
		doc = page(t, b.get("/sessions"), http.StatusOK)
		if sel := testid(doc, "filter-is_test").Find("option[selected]").AttrOr("value", ""); sel != "false" {
			t.Errorf("is_test select %q, want false (hide)", sel)
		}
		if len(spRowIDs(t, doc)) != sessionsPageSize {
			t.Errorf("first page has %d rows, want %d", len(spRowIDs(t, doc)), sessionsPageSize)
		}

		// A bad filter: the message beside the field, no rows, 422.
		doc = page(t, b.get("/sessions?is_lead=maybe&channel=fax"), http.StatusUnprocessableEntity)
		if msg := testid(doc, "f-is_lead-error").Text(); !strings.Contains(msg, "true or false") {
			t.Errorf("is_lead error %q", msg)
		}
		if msg := testid(doc, "f-channel-error").Text(); !strings.Contains(msg, "phone") {
			t.Errorf("channel error %q", msg)
		}
		if testid(doc, "session-row").Length() != 0 {
			t.Error("rows listed for an invalid filter")
		}
	})
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }

func TestWebSessionsSortHeaders(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spGenerate(t, v, 80)
		b := spSignIn(t, v, models.RoleReviewer)
		doc := page(t, b.get("/sessions?is_lead=true"), http.StatusOK)
		if s := testid(doc, "col-started").AttrOr("aria-sort", ""); s != "descending" {
			t.Errorf("started aria-sort %q, want descending", s)
		}
		// Click ASR: largest first; click again: smallest first.
		href := testid(doc, "sort-asr").AttrOr("href", "")
		doc = page(t, b.get(href), http.StatusOK)
		if s := testid(doc, "col-asr").AttrOr("aria-sort", ""); s != "descending" {
			t.Errorf("asr aria-sort %q after one click", s)
		}
		if !strings.Contains(href, "is_lead=true") {
			t.Errorf("sort link %q lost the filter", href)
		}
		want := spListIDs(t, v, storage.SessionFilter{IsTest: spBool(false), IsLead: spBool(true), Sort: storage.SortASR})
		if got := spRowIDs(t, doc); !slices.Equal(got, want[:min(len(want), sessionsPageSize)]) {
			t.Errorf("sorted by ASR: %v…, want %v…", head(got), head(want))
		}
		prev := int64(1 << 62)
		doc.Find(`[data-testid="session-row"]`).Each(func(_ int, s *goquery.Selection) {
			asr, _ := strconv.ParseInt(s.AttrOr("data-asr", ""), 10, 64)
			if asr > prev {
				t.Errorf("ASR %d after %d in a descending sort", asr, prev)
			}
			prev = asr
		})
		doc = page(t, b.get(testid(doc, "sort-asr").AttrOr("href", "")), http.StatusOK)
		if s := testid(doc, "col-asr").AttrOr("aria-sort", ""); s != "ascending" {
			t.Errorf("asr aria-sort %q after two clicks", s)
		}
	})
}

func TestWebSessionsPaging(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spGenerate(t, v, 120)
		b := spSignIn(t, v, models.RoleOwner)
		for _, q := range []string{"limit=7", "limit=9&sort=lead_value&order=asc&is_test=any", "limit=11&sort=asr"} {
			var got []int64
			path := "/sessions?" + q
			pages := 0
			for path != "" {
				doc := page(t, b.get(path), http.StatusOK)
				got = append(got, spRowIDs(t, doc)...)
				if first := testid(doc, "first-page"); (pages == 0) != (first.Length() == 0) {
					t.Errorf("%s page %d: first-page link present = %v", q, pages, first.Length() > 0)
				}
				path = testid(doc, "next-page").AttrOr("href", "")
				if pages++; pages > 100 {
					t.Fatal("paging does not end")
				}
			}
			vals, _ := url.ParseQuery(q)
			f := storage.SessionFilter{Sort: vals.Get("sort"), Asc: vals.Get("order") == "asc"}
			if vals.Get("is_test") == "" {
				f.IsTest = spBool(false)
			}
			want := spListIDs(t, v, f)
			if !slices.Equal(got, want) {
				t.Errorf("%s: paging listed %d sessions, want %d in the same order", q, len(got), len(want))
			}
			seen := map[int64]bool{}
			for _, id := range got {
				if seen[id] {
					t.Errorf("%s: session %d listed twice", q, id)
				}
				seen[id] = true
			}
		}
	})
}

func TestWebSessionsColumns(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spGenerate(t, v, 20)
		b := spSignIn(t, v, models.RoleStaff)
		doc := page(t, b.get("/sessions?is_lead=true"), http.StatusOK)
		if testid(doc, "cell-summary").First().HasClass("col-off") {
			t.Fatal("summary hidden before any choice")
		}
		back := testid(doc, "columns-form").Find(`input[name="back"]`).AttrOr("value", "")

		// Without the CSRF token: refused, nothing remembered.
		rec := b.postRaw("/sessions/columns", url.Values{"col": {"channel"}, "back": {back}})
		want(t, rec, http.StatusForbidden)
		if cookie(rec, columnsCookie) != nil {
			t.Error("a refused post set the column cookie")
		}

		shown := []string{}
		for _, o := range views.ColumnLabels {
			if o.Value != views.ColSummary && o.Value != views.ColRecognition && o.Value != views.ColStarted {
				shown = append(shown, o.Value)
			}
		}
		rec = b.post("/sessions/columns", url.Values{"col": shown, "back": {back}})
		wantRedirect(t, rec, "/sessions?is_lead=true")
		if c := cookie(rec, columnsCookie); c == nil || c.Value != "summary.recognition" || !c.HttpOnly {
			t.Fatalf("column cookie %+v", c)
		}
		doc = page(t, b.get("/sessions?is_lead=true"), http.StatusOK)
		if testid(doc, "flash-success").Length() == 0 {
			t.Error("no flash after saving the columns")
		}
		for _, key := range []string{"summary", "recognition"} {
			if !testid(doc, "col-"+key).HasClass("col-off") || !testid(doc, "cell-"+key).First().HasClass("col-off") {
				t.Errorf("column %s not hidden", key)
			}
			if _, checked := testid(doc, "show-"+key).Attr("checked"); checked {
				t.Errorf("checkbox of hidden %s is checked", key)
			}
		}
		if testid(doc, "cell-asr").First().HasClass("col-off") {
			t.Error("ASR hidden though chosen")
		}
		// Another page load remembers it; showing everything clears the cookie.
		rec = b.post("/sessions/columns", url.Values{"col": append(shown, "summary", "recognition"), "back": {"x=1&q=a"}})
		wantRedirect(t, rec, "/sessions?q=a")
		if c := cookie(rec, columnsCookie); c == nil || c.MaxAge >= 0 {
			t.Errorf("showing every column should delete the cookie, got %+v", c)
		}
		// The back field cannot send anyone elsewhere.
		wantRedirect(t, b.post("/sessions/columns", url.Values{"back": {"//evil.example/"}}), "/sessions")
	})
}

func TestWebSessionsRoles(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spGenerate(t, v, 10)
		for _, role := range []models.Role{models.RoleOwner, models.RoleStaff, models.RoleReviewer} {
			b := spSignIn(t, v, role)
			doc := page(t, b.get("/sessions"), http.StatusOK)
			if testid(doc, "sessions-table").Length() == 0 {
				t.Errorf("%s: no sessions table", role)
			}
			if a := testid(doc, "nav-sessions").AttrOr("aria-current", ""); a != "page" {
				t.Errorf("%s: sessions nav not current", role)
			}
			rec := b.get("/review")
			if role.CanReview() {
				page(t, rec, http.StatusOK)
			} else {
				want(t, rec, http.StatusForbidden)
			}
		}
	})
}
