package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

// Helpers of the attributes and users page tests, on top of the web test
// helpers (eachWebBackend, browser, page, testid).

// admSignIn signs in a browser as email, creating the user with role and
// testPassword unless it exists.
func admSignIn(t *testing.T, v *env, email string, role models.Role) *browser {
	t.Helper()
	if _, err := v.store.CreateUser(context.Background(), email, testPassword, role); err != nil && models.ErrorCode(err) != models.CodeConflict {
		t.Fatalf("create %s: %v", email, err)
	}
	b := v.browser()
	b.login(email, testPassword)
	return b
}

// admFollow loads the page a POST redirected to.
func admFollow(b *browser, rec *httptest.ResponseRecorder) *httptest.ResponseRecorder {
	b.t.Helper()
	if rec.Code != http.StatusSeeOther {
		b.t.Fatalf("status %d, want 303; body: %s", rec.Code, truncate(rec.Body.String()))
	}
	return b.get(rec.Header().Get(echo.HeaderLocation))
}

// admHTMX posts a form the way htmx does: with the HX-Request header and
// the CSRF token as X-CSRF-Token (from the page's hx-headers).
func admHTMX(b *browser, path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	req.Header.Set("HX-Request", "true")
	req.Header.Set(views.CSRFHeader, b.token)
	return b.do(req)
}

// admText is the trimmed text of the first data-testid element.
func admText(doc *goquery.Document, id string) string {
	return strings.TrimSpace(testid(doc, id).First().Text())
}

// admValue is what the first data-testid input or textarea holds.
func admValue(doc *goquery.Document, id string) string {
	s := testid(doc, id).First()
	if goquery.NodeName(s) == "textarea" {
		return s.Text()
	}
	return s.AttrOr("value", "")
}

// admCopy copies a form, so a test case can change one field.
func admCopy(form url.Values) url.Values {
	out := url.Values{}
	for k, vs := range form {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
