package handlers

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"asrboard/models"
)

// chromiumPath finds Debian's Chromium; the browser test skips only when it
// is absent (.ci/run installs it).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("Chromium is not installed: the browser test needs /usr/bin/chromium (apt-get install chromium)")
	return ""
}

// TestBrowserReviewAndAttributes is the end-to-end path of issue #3 in
// headless Chromium: a reviewer marks a session as a test, gives 4 stars and
// a human "No", the page updates in place (no reload) and the dashboard
// totals drop by that session; then staff enter a conversion ratio of 150,
// see the error beside the field, enter 80, and see the totals change.
func TestBrowserReviewAndAttributes(t *testing.T) {
	chrome := chromiumPath(t)
	v := newEnv(t, openSQLite(t), webConfig())
	ctx := context.Background()

	a := models.DefaultAttributes()
	a.LeadValueMethod, a.UnitPriceCents, a.ConversionRatio = models.MethodPerUnit, 6500, 9000
	a.RedirectionType, a.RecognitionPercent, a.Timezone = models.RedirectNonOverflow, 3000, "America/New_York"
	if _, err := v.store.SaveAttributes(ctx, "test", &a); err != nil {
		t.Fatal(err)
	}
	var batch []map[string]any
	start := time.Date(2026, 9, 1, 16, 0, 0, 0, time.UTC)
	for i := range 12 {
		batch = append(batch, map[string]any{
			"external_id": fmt.Sprintf("e2e-%02d", i), "started_at": start.Add(time.Duration(i) * 7 * time.Hour).Format(time.RFC3339),
			"caller_name": fmt.Sprintf("Guest %d", i), "caller_phone": fmt.Sprintf("+1 555 01%02d", i),
			"is_lead": i%3 != 2, "units": 2 + i%5, "agent_success": []string{"Yes-A", "Yes-B", "No"}[i%3],
		})
	}
	v.ingest(batch)
	target, err := v.store.Session(ctx, "e2e-00")
	if err != nil || target.ASRCents == 0 {
		t.Fatalf("the session to review should have ASR: %+v %v", target, err)
	}
	before, _ := v.store.Totals(ctx, nil, nil)
	v.addUser("rev@e2e.test", models.RoleReviewer)
	v.addUser("staff@e2e.test", models.RoleStaff)

	srv := httptest.NewServer(v.e)
	defer srv.Close()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1400, 900), chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	bctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
	defer cancel()

	run := func(step string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(step string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(bctx, a)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	login := func(email string) {
		t.Helper()
		run("log in as "+email,
			chromedp.Navigate(srv.URL+"/login"),
			chromedp.WaitVisible(`#email`),
			chromedp.SendKeys(`#email`, email),
			chromedp.SendKeys(`#password`, testPassword),
			chromedp.Click(`[data-testid=login-submit]`),
			chromedp.WaitVisible(`[data-testid=dashboard]`))
	}
	card := func(key string) int64 {
		t.Helper()
		run("open the dashboard", chromedp.Navigate(srv.URL+"/?period=all"), chromedp.WaitVisible(`[data-testid=card-`+key+`]`))
		attr, err := chromedp.Run(bctx, chromedp.AttributeValue(`[data-testid=card-`+key+`]`, "data-value"))
		if err != nil || !attr.Exists {
			t.Fatalf("card %s: %v (attribute present %v)", key, err, attr.Exists)
		}
		n, err := strconv.ParseInt(attr.Value, 10, 64)
		if err != nil {
			t.Fatalf("card %s value %q: %v", key, attr.Value, err)
		}
		return n
	}

	// The reviewer's part.
	login("rev@e2e.test")
	if got := card("asr"); got != before.ASRCents {
		t.Fatalf("dashboard ASR before review %d, store says %d", got, before.ASRCents)
	}
	// settled waits until cond holds and htmx has finished swapping, so the
	// next click does not land on an element that is being replaced.
	settled := func(cond string) chromedp.Action[chromedp.Void] {
		poll := chromedp.Poll[bool](`(`+cond+`) && document.querySelectorAll('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added').length === 0`,
			chromedp.WithPollingTimeout(20*time.Second))
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := poll(ctx, tg)
			return chromedp.Void{}, err
		}
	}
	audits := func(n int) string {
		return fmt.Sprintf(`document.querySelectorAll('[data-testid=audit-row]').length >= %d`, n)
	}
	run("review the session in place",
		chromedp.Navigate(fmt.Sprintf("%s/sessions/%d", srv.URL, target.ID)),
		chromedp.WaitVisible(`[data-testid=review-panel]`),
		chromedp.Evaluate[chromedp.Void](`window.__samePage = "yes"; undefined`),
		chromedp.Click(`label[for="review-is_test-1"]`),
		chromedp.Click(`[data-testid=review-save-is_test]`),
		settled(audits(1)+` && document.getElementById('review-is_test-1').checked`),
		chromedp.Click(`label[for="review-stars-4"]`),
		chromedp.Click(`[data-testid=review-save-stars]`),
		settled(audits(2)+` && document.getElementById('review-stars-4').checked`),
		chromedp.Click(`label[for="review-agent_success-3"]`),
		chromedp.Click(`[data-testid=review-save-agent_success]`),
		settled(audits(3)+` && document.getElementById('review-agent_success-3').checked`))
	marker := text("read the marker", chromedp.Evaluate[string](`window.__samePage || "reloaded"`))
	asrText := text("read the ASR", chromedp.Text(`[data-testid=session-asr]`))
	if marker != "yes" {
		t.Fatalf("the review reloaded the page (marker %q); it must update in place", marker)
	}
	if !strings.Contains(asrText, "0.00") {
		t.Fatalf("ASR shown after marking a test session: %q", asrText)
	}
	got, err := v.store.Session(ctx, "e2e-00")
	if err != nil {
		t.Fatal(err)
	}
	if got.HumanIsTest == nil || !*got.HumanIsTest || got.Stars == nil || *got.Stars != 4 ||
		got.HumanAgentSuccess == nil || *got.HumanAgentSuccess != models.SuccessNo || !got.IsTest || got.ASRCents != 0 {
		t.Fatalf("stored review: test %v stars %v human %v (is_test %v, asr %d)", got.HumanIsTest, got.Stars, got.HumanAgentSuccess, got.IsTest, got.ASRCents)
	}
	if asr := card("asr"); asr != before.ASRCents-target.ASRCents {
		t.Fatalf("dashboard ASR after the review %d, want %d - %d", asr, before.ASRCents, target.ASRCents)
	}
	if n := card("sessions"); n != before.Sessions-1 {
		t.Fatalf("dashboard sessions after marking a test %d, want %d", n, before.Sessions-1)
	}

	// The staff member's part.
	run("log out", chromedp.Click(`[data-testid=logout]`), chromedp.WaitVisible(`#email`))
	login("staff@e2e.test")
	asrBefore := card("asr")
	run("enter a conversion ratio of 150",
		chromedp.Navigate(srv.URL+"/attributes"),
		chromedp.WaitVisible(`[data-testid=attributes-form]`),
		chromedp.SetValue(`[data-testid=input-conversion_ratio_percent]`, "150"),
		chromedp.Click(`[data-testid=save-attributes]`),
		chromedp.WaitVisible(`#err-conversion_ratio_percent`))
	errText := text("read the error", chromedp.Text(`#err-conversion_ratio_percent`))
	typed := text("read the field", chromedp.Value(`[data-testid=input-conversion_ratio_percent]`))
	if !strings.Contains(errText, "100") || typed != "150" {
		t.Fatalf("error beside the field %q, typed value kept %q", errText, typed)
	}
	if now, _ := v.store.Attributes(ctx); now.ConversionRatio != 9000 {
		t.Fatalf("a rejected form changed the conversion ratio to %s", now.ConversionRatio)
	}
	run("enter 80",
		chromedp.SetValue(`[data-testid=input-conversion_ratio_percent]`, "80"),
		chromedp.Click(`[data-testid=save-attributes]`),
		chromedp.WaitVisible(`[data-testid=flash-success]`))
	after, _ := v.store.Totals(ctx, nil, nil)
	if after.ASRCents == asrBefore {
		t.Fatalf("conversion 90%% → 80%% left the total ASR at %d", asrBefore)
	}
	if asr := card("asr"); asr != after.ASRCents {
		t.Fatalf("dashboard ASR after the change %d, store says %d", asr, after.ASRCents)
	}
}
