package handlers

import (
	"bytes"
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

// webConfig is quietConfig with the login limiter off too.
func webConfig() Config {
	cfg := quietConfig()
	cfg.LoginRate = -1
	return cfg
}

// eachWebBackend runs fn on every database with the login limiter off.
func eachWebBackend(t *testing.T, fn func(t *testing.T, v *env)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			fn(t, newEnv(t, b.open(t), webConfig()))
		})
	}
}

// testPassword is the password of every user the web tests create.
const testPassword = "correct horse battery"

// addUser creates a person with testPassword.
func (v *env) addUser(email string, role models.Role) *models.User {
	v.t.Helper()
	u, err := v.store.CreateUser(context.Background(), email, testPassword, role)
	if err != nil {
		v.t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// browser is a person's browser without JavaScript: it keeps cookies and
// the CSRF token of the last page, and sends Sec-Fetch-Site when set.
type browser struct {
	t       *testing.T
	e       *echo.Echo
	cookies map[string]*http.Cookie
	token   string
	// secFetchSite is sent as Sec-Fetch-Site when not empty (modern
	// browsers send it; tests and scripts do not).
	secFetchSite string
	// remoteAddr overrides the client address when not empty.
	remoteAddr string
	last       *httptest.ResponseRecorder
}

func (v *env) browser() *browser {
	return &browser{t: v.t, e: v.e, cookies: map[string]*http.Cookie{}}
}

// do sends a request with the browser's cookies and keeps the cookies and
// the CSRF token of the answer.
func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	b.t.Helper()
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	if b.secFetchSite != "" {
		req.Header.Set("Sec-Fetch-Site", b.secFetchSite)
	}
	if b.remoteAddr != "" {
		req.RemoteAddr = b.remoteAddr
	}
	rec := httptest.NewRecorder()
	b.e.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	if strings.HasPrefix(rec.Header().Get(echo.HeaderContentType), echo.MIMETextHTML) {
		if doc, err := goquery.NewDocumentFromReader(bytes.NewReader(rec.Body.Bytes())); err == nil {
			if tok, ok := doc.Find(`input[name="` + views.CSRFField + `"]`).First().Attr("value"); ok {
				b.token = tok
			}
		}
	}
	b.last = rec
	return rec
}

// get loads a page.
func (b *browser) get(path string) *httptest.ResponseRecorder {
	b.t.Helper()
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post submits a form with the CSRF token of the last page.
func (b *browser) post(path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if b.token != "" {
		f.Set(views.CSRFField, b.token)
	}
	return b.postRaw(path, f)
}

// postRaw submits a form as given, without adding a token.
func (b *browser) postRaw(path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	return b.do(req)
}

// login signs in through the form and expects the redirect.
func (b *browser) login(email, password string) {
	b.t.Helper()
	want(b.t, b.get("/login"), http.StatusOK)
	rec := b.post("/login", url.Values{"email": {email}, "password": {password}})
	if rec.Code != http.StatusSeeOther {
		b.t.Fatalf("login as %s: status %d, want 303; body: %s", email, rec.Code, truncate(rec.Body.String()))
	}
}

// page parses the answer as HTML after checking its status.
func page(t *testing.T, rec *httptest.ResponseRecorder, status int) *goquery.Document {
	t.Helper()
	body := want(t, rec, status)
	if ct := rec.Header().Get(echo.HeaderContentType); !strings.HasPrefix(ct, echo.MIMETextHTML) {
		t.Fatalf("content type %q, want HTML", ct)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return doc
}

// testid finds the elements with data-testid="id".
func testid(doc *goquery.Document, id string) *goquery.Selection {
	return doc.Find(`[data-testid="` + id + `"]`)
}

// wantRedirect checks a 303 to the given location.
func wantRedirect(t *testing.T, rec *httptest.ResponseRecorder, location string) {
	t.Helper()
	if rec.Code != http.StatusSeeOther && rec.Code != http.StatusFound {
		t.Fatalf("status %d, want a redirect to %s; body: %s", rec.Code, location, truncate(rec.Body.String()))
	}
	if got := rec.Header().Get(echo.HeaderLocation); got != location {
		t.Fatalf("redirect to %q, want %q", got, location)
	}
}

// cookie returns the cookie of that name the answer set, or nil.
func cookie(rec *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
