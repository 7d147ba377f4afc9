package handlers

import (
	"context"
	"fmt"
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

// attrForm reads the attributes form of a page as a browser would submit
// it: every input and textarea, radios only when checked, no CSRF token.
func attrForm(t *testing.T, doc *goquery.Document) url.Values {
	t.Helper()
	form := doc.Find(`[data-testid="attributes-form"]`)
	if form.Length() == 0 {
		t.Fatal("no attributes form on the page")
	}
	out := url.Values{}
	form.Find("input, textarea").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" || name == views.CSRFField {
			return
		}
		if typ, _ := s.Attr("type"); typ == "radio" {
			if _, checked := s.Attr("checked"); !checked {
				return
			}
		}
		if goquery.NodeName(s) == "textarea" {
			out.Set(name, s.Text())
			return
		}
		v, _ := s.Attr("value")
		out.Set(name, v)
	})
	return out
}

// attrJSON is GET /api/v1/attributes, the reference for "nothing changed".
func attrJSON(v *env) string {
	v.t.Helper()
	return string(want(v.t, v.do(http.MethodGet, "/api/v1/attributes", models.RoleOwner, nil), http.StatusOK))
}

// attrSessions stores opportunities (lead, contact, Yes-A) started days ago
// at 22:00 UTC, outside the default working hours, and one test session.
func attrSessions(v *env, daysAgo ...int) {
	v.t.Helper()
	now := time.Now().UTC()
	var batch []obj
	for i, d := range daysAgo {
		day := now.AddDate(0, 0, -d)
		start := time.Date(day.Year(), day.Month(), day.Day(), 22, 0, 0, 0, time.UTC)
		if start.After(now) {
			start = start.AddDate(0, 0, -1)
		}
		batch = append(batch, obj{"external_id": fmt.Sprintf("opp-%d", i), "started_at": start.Format(time.RFC3339),
			"is_lead": true, "caller_phone": fmt.Sprintf("+1 555 01%02d", i), "agent_success": "Yes-A"})
	}
	batch = append(batch, obj{"external_id": "test-call", "started_at": now.Add(-time.Hour).Format(time.RFC3339),
		"is_lead": true, "caller_phone": "+1 555 0999", "agent_success": "Yes-A", "is_test": true})
	v.ingest(batch)
}

func TestWebAttributesRoles(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		for _, role := range []models.Role{models.RoleOwner, models.RoleStaff} {
			b := admSignIn(t, v, string(role)+"@example.com", role)
			doc := page(t, b.get("/attributes"), http.StatusOK)
			if doc.Find(`[data-testid="attributes-form"]`).Length() != 1 {
				t.Fatalf("%s: no attributes form", role)
			}
			if got := admValue(doc, "input-"+views.AttrConversionRatio); got != "100" {
				t.Errorf("%s: conversion ratio shows %q, want 100", role, got)
			}
			if doc.Find(`[data-testid="nav-attributes"][aria-current="page"]`).Length() != 1 {
				t.Errorf("%s: attributes not the active navigation item", role)
			}
			form := attrForm(t, doc)
			form.Set(views.AttrUnitLabel, "nights "+string(role))
			rec := b.post("/attributes", form)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("%s: save status %d; body: %s", role, rec.Code, truncate(rec.Body.String()))
			}
			if !strings.Contains(attrJSON(v), `"unit_label":"nights `+string(role)+`"`) {
				t.Fatalf("%s: unit label not saved: %s", role, attrJSON(v))
			}
		}

		before := v.snapshot()
		staff := admSignIn(t, v, "staff@example.com", models.RoleStaff)
		form := attrForm(t, page(t, staff.get("/attributes"), http.StatusOK))
		form.Set(views.AttrConversionRatio, "50")

		reviewer := admSignIn(t, v, "reviewer@example.com", models.RoleReviewer)
		doc := page(t, reviewer.get("/attributes"), http.StatusForbidden)
		if doc.Find(`[data-testid="attributes-form"]`).Length() != 0 {
			t.Fatal("reviewer sees the attributes form")
		}
		if doc.Find(`[data-testid="nav-attributes"]`).Length() != 0 {
			t.Error("reviewer's navigation links to the attributes")
		}
		for _, path := range []string{"/attributes", "/attributes/preview"} {
			reviewer.get("/") // a fresh CSRF token: the refusal is the role's
			want(t, reviewer.post(path, form), http.StatusForbidden)
		}

		// Staff without the CSRF token (and without Sec-Fetch-Site) is refused.
		want(t, staff.postRaw("/attributes", form), http.StatusForbidden)
		bad := admCopy(form)
		bad.Set(views.CSRFField, "not-the-token")
		want(t, staff.postRaw("/attributes", bad), http.StatusForbidden)

		// Signed out: to the login page, nothing saved.
		anon := v.browser()
		anon.get("/login")
		if rec := anon.post("/attributes", form); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Fatalf("signed-out POST: status %d location %q", rec.Code, rec.Header().Get("Location"))
		}
		if after := v.snapshot(); after != before {
			t.Fatalf("refused posts changed something:\nbefore %s\nafter  %s", before, after)
		}
	})
}

func TestWebAttributesValidation(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		b := admSignIn(t, v, "staff@example.com", models.RoleStaff)
		base := attrForm(t, page(t, b.get("/attributes"), http.StatusOK))
		before := attrJSON(v)

		cases := []struct {
			name, field, value, errField, message string
		}{
			{"ratio over 100", views.AttrConversionRatio, "150", views.AttrConversionRatio, "must be a percentage from 0 to 100"},
			{"ratio 3 decimals", views.AttrConversionRatio, "33.333", views.AttrConversionRatio, "at most 2 decimals"},
			{"ratio not a number", views.AttrConversionRatio, "lots", views.AttrConversionRatio, "must be a percentage from 0 to 100"},
			{"recognition negative", views.AttrRecognitionPercent, "-1", views.AttrRecognitionPercent, "must be a percentage from 0 to 100"},
			{"overlap", views.AttrHours(1), "09:00-12:00, 11:00-13:00", views.AttrHours(1), "overlap"},
			{"reversed", views.AttrHours(2), "17:00-09:00", views.AttrHours(2), "must start before it ends"},
			{"not an interval", views.AttrHours(5), "9 to five", views.AttrHours(5), "not a time"},
			{"bad zone", views.AttrTimezone, "Mars/Olympus_Mons", views.AttrTimezone, "IANA time zone"},
			{"negative money", views.AttrAverageLeadValue, "-5.00", views.AttrAverageLeadValue, "must not be negative"},
			{"money 3 decimals", views.AttrUnitPrice, "65.001", views.AttrUnitPrice, "at most 2 decimals"},
			{"money words", views.AttrUnitPrice, "sixty", views.AttrUnitPrice, "must be an amount like 65.00"},
			{"currency", views.AttrCurrency, "dollars", views.AttrCurrency, "ISO 4217"},
			{"lead value method", views.AttrLeadValueMethod, "guess", views.AttrLeadValueMethod, "choose Average or Per unit"},
			{"contact", views.AttrTestContacts, "+1 555 0100\n\nnot a contact", views.AttrTestContacts, "line 3"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				form := admCopy(base)
				form.Set(c.field, c.value)
				doc := page(t, b.post("/attributes", form), http.StatusUnprocessableEntity)
				msg := admText(doc, views.AttrErrorID(c.errField))
				if !strings.Contains(msg, c.message) {
					t.Errorf("message beside %s = %q, want it to contain %q", c.errField, msg, c.message)
				}
				if n := doc.Find(".field-error").Length(); n != 1 {
					t.Errorf("%d messages on the page, want 1", n)
				}
				if got := admValue(doc, "input-"+c.field); c.field != views.AttrLeadValueMethod && strings.TrimSpace(got) != strings.TrimSpace(c.value) {
					t.Errorf("input shows %q, want the typed %q", got, c.value)
				}
				input := doc.Find(`[data-testid="input-` + c.errField + `"]`)
				if c.errField != views.AttrLeadValueMethod {
					if inv, _ := input.Attr("aria-invalid"); inv != "true" {
						t.Errorf("input of %s not aria-invalid", c.errField)
					}
				}
				if desc, _ := input.Attr("aria-describedby"); !strings.Contains(desc, views.AttrErrorID(c.errField)) {
					t.Errorf("input of %s is described by %q, not its message", c.errField, desc)
				}
				if admText(doc, "form-error") == "" {
					t.Error("no summary above the form")
				}
				if after := attrJSON(v); after != before {
					t.Fatalf("attributes changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}

		// Several errors at once each go beside their own field, the
		// other typed values kept.
		form := admCopy(base)
		form.Set(views.AttrConversionRatio, "150")
		form.Set(views.AttrHours(0), "08:00-12:00, 10:00-11:00")
		form.Set(views.AttrUnitLabel, "covers")
		doc := page(t, b.post("/attributes", form), http.StatusUnprocessableEntity)
		if admText(doc, views.AttrErrorID(views.AttrConversionRatio)) == "" || admText(doc, views.AttrErrorID(views.AttrHours(0))) == "" {
			t.Fatal("both messages should show")
		}
		if got := admValue(doc, "input-"+views.AttrUnitLabel); got != "covers" {
			t.Fatalf("unit label shows %q, want the typed covers", got)
		}
		if got := admValue(doc, "input-"+views.AttrHours(0)); got != "08:00-12:00, 10:00-11:00" {
			t.Fatalf("Monday shows %q", got)
		}
		if after := attrJSON(v); after != before {
			t.Fatalf("attributes changed:\nbefore %s\nafter  %s", before, after)
		}
	})
}

func TestWebAttributesSave(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		ctx := context.Background()
		attrSessions(v, 1, 2, 3)
		b := admSignIn(t, v, "staff@example.com", models.RoleStaff)
		doc := page(t, b.get("/attributes"), http.StatusOK)
		if admText(doc, "history-empty") == "" {
			t.Error("no empty history note on a fresh install")
		}
		t0, err := v.store.Totals(ctx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if t0.ASRCents != 0 || t0.Opportunities != 3 {
			t.Fatalf("before: %+v, want 3 opportunities worth nothing", t0)
		}

		form := attrForm(t, doc)
		form.Set(views.AttrConversionRatio, "80")
		form.Set(views.AttrAverageLeadValue, "65.00")
		form.Set(views.AttrUnitPrice, "1,234.50")
		form.Set(views.AttrCurrency, "eur")
		form.Set(views.AttrTimezone, " America/New_York ")
		form.Set(views.AttrHours(5), "10:00-14:00; 18:00-24:00")
		form.Set(views.AttrHours(6), "")
		form.Set(views.AttrTestContacts, "+1 555 0999\r\n\r\nqa@example.com\r\n")
		form.Set(views.AttrRedirectionType, models.RedirectNonOverflow)
		doc = page(t, admFollow(b, b.post("/attributes", form)), http.StatusOK)
		if msg := admText(doc, "flash-success"); !strings.Contains(msg, "saved") {
			t.Fatalf("flash %q, want it to say saved", msg)
		}

		a, err := v.store.Attributes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if a.AverageLeadValueCents != 6500 || a.UnitPriceCents != 123450 || a.ConversionRatio != 8000 || a.Currency != "EUR" ||
			a.Timezone != "America/New_York" || a.RedirectionType != models.RedirectNonOverflow {
			t.Fatalf("saved %+v", a)
		}
		if got := a.WorkingHours.String(); got != "mon 09:00-17:00, tue 09:00-17:00, wed 09:00-17:00, thu 09:00-17:00, fri 09:00-17:00, sat 10:00-14:00, sat 18:00-24:00" {
			t.Fatalf("working hours %s", got)
		}
		if strings.Join(a.TestContacts, "|") != "+1 555 0999|qa@example.com" {
			t.Fatalf("test contacts %q", a.TestContacts)
		}

		// Sessions were recomputed: 3 opportunities × €65.00 × 80%.
		t1, err := v.store.Totals(ctx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := int64(0)
		for _, s := range v.listAll(nil, 100) {
			if !s.IsTest && s.IsOpportunity {
				want += s.ASRCents
			}
		}
		// Recognition stays 100%, so working hours do not matter: 3 × 5200.
		if t1.ASRCents != 3*5200 || t1.ASRCents != want || t1.LeadValueCents != 3*6500 {
			t.Fatalf("after: %+v, want ASR %d (sessions sum to %d) and lead value %d", t1, 3*5200, want, 3*6500)
		}

		// The page shows what was saved, formatted for the inputs, and the history.
		for field, value := range map[string]string{views.AttrAverageLeadValue: "65.00", views.AttrUnitPrice: "1234.50",
			views.AttrConversionRatio: "80", views.AttrCurrency: "EUR", views.AttrHours(5): "10:00-14:00, 18:00-24:00", views.AttrHours(6): ""} {
			if got := admValue(doc, "input-"+field); got != value {
				t.Errorf("%s shows %q, want %q", field, got, value)
			}
		}
		rows := map[string][2]string{}
		doc.Find(`[data-testid="history-row"]`).Each(func(_ int, s *goquery.Selection) {
			rows[strings.TrimSpace(s.Find(`[data-testid="history-field"]`).Text())] = [2]string{
				strings.TrimSpace(s.Find(`[data-testid="history-old"]`).Text()), strings.TrimSpace(s.Find(`[data-testid="history-new"]`).Text())}
			if !strings.Contains(s.Text(), "staff@example.com") {
				t.Errorf("history row without its author: %s", s.Text())
			}
		})
		for field, oldNew := range map[string][2]string{
			"Conversion ratio":   {"100%", "80%"},
			"Average lead value": {"€0.00", "€65.00"},
			"Currency":           {"USD", "EUR"},
			"Redirection type":   {"Overflow", "Non-overflow"},
			"Test contacts":      {"none", "+1 555 0999, qa@example.com"},
		} {
			if rows[field] != oldNew {
				t.Errorf("history of %s: %q, want %q", field, rows[field], oldNew)
			}
		}
		if got := rows["Working hours"]; got != [2]string{"Mon–Fri 09:00-17:00; Sat, Sun closed", "Mon–Fri 09:00-17:00; Sat 10:00-14:00, 18:00-24:00; Sun closed"} {
			t.Errorf("history of working hours: %q", got)
		}
		if _, ok := rows["Unit label"]; ok {
			t.Error("an unchanged attribute is in the history")
		}
	})
}

func TestWebAttributesPreview(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		ctx := context.Background()
		attrSessions(v, 0, 3, 12, 29, 45)
		b := admSignIn(t, v, "owner@example.com", models.RoleOwner)
		form := attrForm(t, page(t, b.get("/attributes"), http.StatusOK))
		form.Set(views.AttrAverageLeadValue, "100.00")
		want(t, b.post("/attributes", form), http.StatusSeeOther)

		form.Set(views.AttrAverageLeadValue, "65.00")
		form.Set(views.AttrConversionRatio, "90")
		form.Set(views.AttrTimezone, "Asia/Kolkata")
		before := attrJSON(v)
		doc := page(t, b.post("/attributes/preview", form), http.StatusOK)
		if attrJSON(v) != before {
			t.Fatal("the preview saved the attributes")
		}
		if got := admValue(doc, "input-"+views.AttrConversionRatio); got != "90" {
			t.Fatalf("the preview page lost the typed ratio: %q", got)
		}
		box := doc.Find(`[data-testid="preview"]`)
		fromS, _ := box.Attr("data-from")
		toS, _ := box.Attr("data-to")
		from, err1 := time.Parse(time.RFC3339Nano, fromS)
		to, err2 := time.Parse(time.RFC3339Nano, toS)
		if err1 != nil || err2 != nil {
			t.Fatalf("preview bounds %q %q", fromS, toS)
		}
		kolkata, _ := time.LoadLocation("Asia/Kolkata")
		if l := from.In(kolkata); l.Hour() != 0 || l.Minute() != 0 || time.Since(to) > time.Minute || to.Sub(from) < 29*24*time.Hour || to.Sub(from) > 30*24*time.Hour {
			t.Fatalf("preview period %s – %s is not the last 30 days in Kolkata", from.In(kolkata), to.In(kolkata))
		}
		asr := doc.Find(`[data-testid="preview-asr"]`)
		now, _ := strconv.ParseInt(asr.AttrOr("data-now", ""), 10, 64)
		after, _ := strconv.ParseInt(asr.AttrOr("data-after", ""), 10, 64)
		cur, err := v.store.Totals(ctx, &from, &to)
		if err != nil {
			t.Fatal(err)
		}
		if now != cur.ASRCents || now == 0 {
			t.Fatalf("preview now %d, store %d", now, cur.ASRCents)
		}
		if !strings.Contains(asr.Text(), "Total ASR, last 30 days") || !strings.Contains(asr.Text(), "$") || !strings.Contains(asr.Text(), "→") {
			t.Fatalf("preview row reads %q", asr.Text())
		}
		if got, wantOpps := doc.Find(`[data-testid="preview-opportunities"]`).AttrOr("data-after", ""), strconv.FormatInt(cur.Opportunities, 10); got != wantOpps {
			t.Fatalf("opportunities after %s, want %s", got, wantOpps)
		}

		// htmx gets the box alone, with the same figures.
		rec := admHTMX(b, "/attributes/preview", form)
		frag := page(t, rec, http.StatusOK)
		if strings.Contains(rec.Body.String(), "<html") || frag.Find(`[data-testid="attributes-form"]`).Length() != 0 {
			t.Fatal("htmx preview answered a whole page")
		}
		if got := frag.Find(`[data-testid="preview-asr"]`).AttrOr("data-after", ""); got != strconv.FormatInt(after, 10) {
			t.Fatalf("htmx preview after %s, page %d", got, after)
		}

		// Saving then produces exactly the previewed figure.
		want(t, b.post("/attributes", form), http.StatusSeeOther)
		saved, err := v.store.Totals(ctx, &from, &to)
		if err != nil {
			t.Fatal(err)
		}
		if saved.ASRCents != after || after == now {
			t.Fatalf("after saving: ASR %d, preview said %d (now %d)", saved.ASRCents, after, now)
		}

		// Invalid input previews nothing and says why, beside the field and in the box.
		form.Set(views.AttrRecognitionPercent, "150")
		doc = page(t, b.post("/attributes/preview", form), http.StatusUnprocessableEntity)
		if !strings.Contains(admText(doc, views.AttrErrorID(views.AttrRecognitionPercent)), "from 0 to 100") {
			t.Fatal("no message beside recognition")
		}
		if doc.Find(`[data-testid="preview-asr"]`).Length() != 0 || !strings.Contains(doc.Find(`.attr-preview-errors`).Text(), "Recognition") {
			t.Fatal("invalid preview shows figures or does not list the error")
		}
		frag = page(t, admHTMX(b, "/attributes/preview", form), http.StatusOK)
		if admText(frag, "preview-errors") == "" || !strings.Contains(frag.Text(), "must be a percentage from 0 to 100") {
			t.Fatalf("htmx invalid preview: %s", frag.Text())
		}
	})
}
