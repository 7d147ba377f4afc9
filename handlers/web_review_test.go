package handlers

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

// spHTMX posts a review the way htmx does: the form fields and the CSRF
// token in the X-CSRF-Token header, with HX-Request: true.
func spHTMX(b *browser, path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	req.Header.Set("HX-Request", "true")
	req.Header.Set(views.CSRFHeader, b.token)
	return b.do(req)
}

// spFragment parses an htmx answer: 200, HTML, not a whole page.
func spFragment(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc := page(t, rec, http.StatusOK)
	if bytes.Contains(rec.Body.Bytes(), []byte("<html")) {
		t.Fatalf("htmx answer is a whole page: %s", truncate(rec.Body.String()))
	}
	return doc
}

func checked(doc *goquery.Document, form, value string) bool {
	_, ok := testid(doc, "review-form-"+form).Find(`input[value="` + value + `"]`).Attr("checked")
	return ok
}

func TestWebReviewRoles(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spRestaurant(t, v)
		ids := spIngest(t, v, spParty("p1", time.Date(2026, 5, 12, 13, 0, 0, 0, time.UTC)))
		path := "/sessions/" + itoa(ids["p1"])

		// Staff see the values read-only and may not post.
		staff := spSignIn(t, v, models.RoleStaff)
		doc := page(t, staff.get(path), http.StatusOK)
		if testid(doc, "review-readonly").Length() != 1 || testid(doc, "review-form-is_test").Length() != 0 {
			t.Error("staff see review controls")
		}
		if got := testid(doc, "fact-human-is_lead").Find("dd").Text(); got != "auto: yes" {
			t.Errorf("read-only lead %q", got)
		}
		before := v.snapshot()
		want(t, staff.post(path+"/review", url.Values{"is_test": {"true"}, "stars": {"2"}}), http.StatusForbidden)
		want(t, spHTMX(staff, path+"/review", url.Values{"stars": {"2"}}), http.StatusForbidden)
		if v.snapshot() != before {
			t.Error("a forbidden review changed data")
		}

		for _, role := range []models.Role{models.RoleReviewer, models.RoleOwner} {
			b := spSignIn(t, v, role)
			doc := page(t, b.get(path), http.StatusOK)
			for _, f := range models.ReviewFields {
				if testid(doc, "review-form-"+f).Length() != 1 {
					t.Errorf("%s: no review form for %s", role, f)
				}
			}
			// Without the CSRF token: refused, nothing changed.
			before := v.snapshot()
			want(t, b.postRaw(path+"/review", url.Values{"stars": {"5"}}), http.StatusForbidden)
			if v.snapshot() != before {
				t.Errorf("%s: a review without CSRF token changed data", role)
			}
			rec := b.post(path+"/review", url.Values{"stars": {"3"}})
			wantRedirect(t, rec, path)
			s, err := v.store.SessionByID(context.Background(), ids["p1"])
			if err != nil {
				t.Fatal(err)
			}
			if s.Stars == nil || *s.Stars != 3 {
				t.Errorf("%s: stars %v after review", role, s.Stars)
			}
			if _, err := v.store.Review(context.Background(), "reset", "p1", models.HumanPatch{Stars: models.OptInt{Set: true}}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestWebReviewPlainForm(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spRestaurant(t, v)
		ids := spIngest(t, v, spParty("p1", time.Date(2026, 5, 12, 13, 0, 0, 0, time.UTC)))
		path := "/sessions/" + itoa(ids["p1"])
		b := spSignIn(t, v, models.RoleReviewer)
		doc := page(t, b.get(path), http.StatusOK)
		if !checked(doc, "is_test", "") {
			t.Error("test control not on auto")
		}

		wantRedirect(t, b.post(path+"/review", url.Values{"is_test": {"true"}}), path)
		doc = page(t, b.get(path), http.StatusOK)
		if msg := testid(doc, "flash-success").Text(); msg != "Review saved: Test session → yes." {
			t.Errorf("flash %q", msg)
		}
		if !checked(doc, "is_test", "true") {
			t.Error("test control does not show yes")
		}
		if got := testid(doc, "formula").Text(); got != "$260.00 × 1 × 90% × 1 × 30% × 0 = $0.00" {
			t.Errorf("formula after marking test %q", got)
		}
		rows := testid(doc, "audit-row")
		if rows.Length() != 1 || !strings.Contains(rows.Text(), "Test session") || !strings.Contains(rows.Text(), "auto → yes") ||
			!strings.Contains(rows.Text(), "user:reviewer@example.com") {
			t.Errorf("audit rows %q", rows.Text())
		}

		// Back to auto, a comment, and an unknown assessment refused.
		wantRedirect(t, b.post(path+"/review", url.Values{"is_test": {""}, "comment": {"Called back, booked."}}), path)
		s, _ := v.store.SessionByID(context.Background(), ids["p1"])
		if s.HumanIsTest != nil || s.Comment == nil || *s.Comment != "Called back, booked." || s.ASRCents != 7020 {
			t.Errorf("after clearing: human test %v, comment %v, ASR %d", s.HumanIsTest, s.Comment, s.ASRCents)
		}
		before := v.snapshot()
		doc = page(t, b.post(path+"/review", url.Values{"agent_success": {"Maybe"}}), http.StatusUnprocessableEntity)
		if msg := testid(doc, "review-error-agent_success").Text(); !strings.Contains(msg, "Yes-A, Yes-B, No") {
			t.Errorf("assessment error %q", msg)
		}
		if v.snapshot() != before {
			t.Error("an invalid review changed data")
		}
	})
}

func TestWebReviewOpportunityNeedsLead(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spRestaurant(t, v)
		ids := spIngest(t, v, models.SessionInput{ExternalID: "np", StartedAt: time.Date(2026, 5, 12, 13, 0, 0, 0, time.UTC),
			CallerName: "Not A Lead", CallerPhone: "+1 555 0199"})
		path := "/sessions/" + itoa(ids["np"])
		b := spSignIn(t, v, models.RoleOwner)
		page(t, b.get(path), http.StatusOK)
		before := v.snapshot()

		doc := page(t, b.post(path+"/review", url.Values{"is_opportunity": {"true"}}), http.StatusUnprocessableEntity)
		if msg := testid(doc, "review-error-is_opportunity").Text(); !strings.Contains(msg, "only a lead can be an opportunity") {
			t.Errorf("error beside the opportunity control %q", msg)
		}
		if !checked(doc, "is_opportunity", "true") {
			t.Error("the typed choice was not kept")
		}
		if testid(doc, "review-error-is_lead").Length() != 0 {
			t.Error("the error shows beside another control")
		}

		doc = spFragment(t, spHTMX(b, path+"/review", url.Values{"is_opportunity": {"true"}}))
		if msg := testid(doc, "review-error-is_opportunity").Text(); !strings.Contains(msg, "only a lead can be an opportunity") {
			t.Errorf("htmx: error beside the opportunity control %q", msg)
		}
		if v.snapshot() != before {
			t.Error("a refused opportunity changed data")
		}
		audit, err := v.store.Audit(context.Background(), models.EntitySession, ids["np"], 10)
		if err != nil || len(audit) != 0 {
			t.Errorf("audit after refusal: %v, %v", audit, err)
		}
	})
}

func TestWebReviewHTMX(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spRestaurant(t, v)
		ids := spIngest(t, v, spParty("p1", time.Date(2026, 5, 12, 13, 0, 0, 0, time.UTC)))
		path := "/sessions/" + itoa(ids["p1"])
		b := spSignIn(t, v, models.RoleReviewer)
		doc := page(t, b.get(path), http.StatusOK)
		if got := testid(doc, "review-form-stars").AttrOr("hx-post", ""); got != path+"/review" {
			t.Errorf("stars form hx-post %q", got)
		}
		if got := testid(doc, "review-form-stars").AttrOr("hx-target", ""); got != "#review-panel" {
			t.Errorf("stars form hx-target %q", got)
		}

		doc = spFragment(t, spHTMX(b, path+"/review", url.Values{"stars": {"4"}}))
		if !checked(doc, "stars", "4") {
			t.Error("fragment does not show 4 stars")
		}
		if msg := testid(doc, "review-saved").Text(); msg != "Review saved: Conversation quality → 4★." {
			t.Errorf("saved message %q", msg)
		}
		if got := testid(doc, "session-figures").AttrOr("hx-swap-oob", ""); got != "true" {
			t.Errorf("figures not swapped out of band: %q", got)
		}
		if got := testid(doc, "session-asr").Text(); got != "$70.20" {
			t.Errorf("ASR %q before the assessment", got)
		}

		// A human "No": the derived ASR in the same answer drops to zero.
		doc = spFragment(t, spHTMX(b, path+"/review", url.Values{"agent_success": {"No"}}))
		if !checked(doc, "agent_success", "No") {
			t.Error("fragment does not show the assessment No")
		}
		if got := testid(doc, "session-asr").Text(); got != "$0.00" {
			t.Errorf("ASR %q after a human No", got)
		}
		if got := testid(doc, "formula").Text(); got != "$260.00 × 1 × 90% × 0 × 30% = $0.00" {
			t.Errorf("formula %q after a human No", got)
		}
		if got := testid(doc, "factor-success_factor").Text(); !strings.Contains(got, "the reviewer's assessment No") {
			t.Errorf("success factor %q", got)
		}
		if got := testid(doc, "audit-history").AttrOr("hx-swap-oob", ""); got != "true" || testid(doc, "audit-row").Length() != 2 {
			t.Errorf("audit history oob %q with %d rows", got, testid(doc, "audit-row").Length())
		}
		s, _ := v.store.SessionByID(context.Background(), ids["p1"])
		if s.Stars == nil || *s.Stars != 4 || s.HumanAgentSuccess == nil || *s.HumanAgentSuccess != "No" || s.ASRCents != 0 {
			t.Errorf("stored: stars %v, human %v, ASR %d", s.Stars, s.HumanAgentSuccess, s.ASRCents)
		}
		// The sessions table shows the new values too.
		doc = page(t, b.get("/sessions?is_test=any"), http.StatusOK)
		row := doc.Find(`[data-testid="session-row"][data-id="` + itoa(ids["p1"]) + `"]`)
		if got := row.Find(`[data-testid="human-success"]`).Text(); !strings.Contains(got, "No") {
			t.Errorf("table human assessment %q", got)
		}
		if got := row.Find(`[data-stars]`).AttrOr("data-stars", ""); got != "4" {
			t.Errorf("table stars %q", got)
		}
	})
}

func TestWebReviewQueue(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spRestaurant(t, v)
		day := time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)
		qa := spParty("qa", day.Add(-time.Hour))
		qa.IsTest = true
		ids := spIngest(t, v,
			spParty("c", day.Add(3*time.Hour)), spParty("a", day.Add(time.Hour)), spParty("b", day.Add(2*time.Hour)),
			spParty("d", day.Add(4*time.Hour)), qa,
			models.SessionInput{ExternalID: "nolead", StartedAt: day, CallerName: "x"})
		ctx := context.Background()
		yes := models.SuccessYesB
		if _, err := v.store.Review(ctx, "api", "d", models.HumanPatch{AgentSuccess: models.OptString{Set: true, Value: &yes}}); err != nil {
			t.Fatal(err)
		}
		b := spSignIn(t, v, models.RoleReviewer)
		doc := page(t, b.get("/review"), http.StatusOK)
		if got := testid(doc, "queue-left").AttrOr("data-left", ""); got != "3" {
			t.Errorf("queue count %q, want 3 (a, b, c)", got)
		}
		var order []string
		testid(doc, "queue-row").Each(func(_ int, s *goquery.Selection) { order = append(order, s.AttrOr("data-id", "")) })
		if strings.Join(order, ",") != itoa(ids["a"])+","+itoa(ids["b"])+","+itoa(ids["c"]) {
			t.Errorf("queue order %v, want a, b, c oldest first", order)
		}
		first := testid(doc, "queue-first").AttrOr("href", "")
		if first != queueHref(ids["a"]) {
			t.Fatalf("first link %q", first)
		}

		doc = page(t, b.get(first), http.StatusOK)
		if got := testid(doc, "queue-next").AttrOr("href", ""); got != queueHref(ids["b"]) {
			t.Errorf("next from a %q, want b", got)
		}
		// Review a from the queue: back on a in queue mode, two left, next is b.
		wantRedirect(t, b.post("/sessions/"+itoa(ids["a"])+"/review", url.Values{"agent_success": {"Yes-A"}, "queue": {"1"}}), queueHref(ids["a"]))
		doc = page(t, b.get(queueHref(ids["a"])), http.StatusOK)
		if got := testid(doc, "queue-left").AttrOr("data-left", ""); got != "2" {
			t.Errorf("left after one review %q, want 2", got)
		}
		if got := testid(doc, "queue-next").AttrOr("href", ""); got != queueHref(ids["b"]) {
			t.Errorf("next after reviewing a %q, want b", got)
		}
		// b reviewed elsewhere: the next link skips it.
		if _, err := v.store.Review(ctx, "api", "b", models.HumanPatch{AgentSuccess: models.OptString{Set: true, Value: &yes}}); err != nil {
			t.Fatal(err)
		}
		doc = page(t, b.get(queueHref(ids["a"])), http.StatusOK)
		if got := testid(doc, "queue-next").AttrOr("href", ""); got != queueHref(ids["c"]) {
			t.Errorf("next after b was reviewed %q, want c", got)
		}
		// An htmx review in queue mode updates the count out of band.
		doc = spFragment(t, spHTMX(b, "/sessions/"+itoa(ids["c"])+"/review", url.Values{"agent_success": {"No"}, "queue": {"1"}}))
		if got := testid(doc, "queue-left").AttrOr("data-left", ""); got != "0" || testid(doc, "queue-nav").AttrOr("hx-swap-oob", "") != "true" {
			t.Errorf("queue nav in the fragment: left %q", got)
		}
		doc = page(t, b.get("/review"), http.StatusOK)
		if got := testid(doc, "queue-left").AttrOr("data-left", ""); got != "0" || testid(doc, "queue-first").Length() != 0 {
			t.Errorf("empty queue shows %q and a first link", got)
		}
	})
}
