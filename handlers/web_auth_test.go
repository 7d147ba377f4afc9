package handlers

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

func TestWebLogin(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		owner := v.addUser("owner@example.com", models.RoleOwner)
		b := v.browser()

		doc := page(t, b.get("/login"), http.StatusOK)
		if testid(doc, "login-form").Length() != 1 || doc.Find(`input[name="email"]`).Length() != 1 ||
			doc.Find(`input[name="password"][type="password"]`).Length() != 1 || b.token == "" {
			t.Fatalf("login form lacks email, password or CSRF token")
		}
		if testid(doc, "user-email").Length() != 0 || testid(doc, "nav-dashboard").Length() != 0 {
			t.Errorf("login page shows a user or navigation")
		}

		// Wrong password: the form again, 401, the email kept, the password not.
		rec := b.post("/login", url.Values{"email": {"Owner@Example.com "}, "password": {"wrong password!"}})
		doc = page(t, rec, http.StatusUnauthorized)
		if got := testid(doc, "login-error").Text(); got != "Wrong email or password." {
			t.Errorf("login error %q", got)
		}
		if got, _ := doc.Find(`input[name="email"]`).Attr("value"); got != "Owner@Example.com" {
			t.Errorf("typed email not kept: %q", got)
		}
		if strings.Contains(rec.Body.String(), "wrong password!") {
			t.Errorf("the page repeats the typed password")
		}
		if got, _ := doc.Find(`#email`).Attr("aria-describedby"); got != "login-error" {
			t.Errorf("email field not described by the error: %q", got)
		}
		if cookie(rec, sessionCookie) != nil {
			t.Errorf("a failed login set a session cookie")
		}
		// Unknown email: the same answer.
		doc = page(t, b.post("/login", url.Values{"email": {"nobody@example.com"}, "password": {testPassword}}), http.StatusUnauthorized)
		if got := testid(doc, "login-error").Text(); got != "Wrong email or password." {
			t.Errorf("unknown email error %q", got)
		}

		// Success: a session cookie with the right attributes, then the dashboard.
		rec = b.post("/login", url.Values{"email": {"owner@example.com"}, "password": {testPassword}})
		wantRedirect(t, rec, "/")
		c := cookie(rec, sessionCookie)
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" ||
			c.MaxAge < 6*24*3600 || c.MaxAge > 8*24*3600 {
			t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over HTTP, Path=/, about 7 days", c)
		}
		if strings.Contains(c.Value, owner.Email) {
			t.Errorf("session cookie is not opaque: %q", c.Value)
		}
		rec = b.get("/")
		doc = page(t, rec, http.StatusOK)
		if got := testid(doc, "user-email").Text(); got != "owner@example.com" {
			t.Errorf("signed in as %q", got)
		}
		if got := testid(doc, "user-role").Text(); got != "owner" {
			t.Errorf("role shown %q", got)
		}
		if cc := rec.Header().Get(echo.HeaderCacheControl); cc != "no-store" {
			t.Errorf("Cache-Control of a private page %q, want no-store", cc)
		}
		// A signed-in visitor of /login goes on.
		wantRedirect(t, b.get("/login?next=%2F%3Fperiod%3D7d"), "/?period=7d")

		// A tampered cookie is no session.
		bad := v.browser()
		bad.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: c.Value[:len(c.Value)-4] + "AAAA"}
		wantRedirect(t, bad.get("/"), "/login")
	})
}

func TestWebLoginDisabledUser(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		ctx := context.Background()
		u := v.addUser("staff@example.com", models.RoleStaff)
		b := v.browser()
		b.login("staff@example.com", testPassword)
		page(t, b.get("/"), http.StatusOK)

		// Disabled while signed in: the next request is sent to the login page.
		if err := v.store.UpdateUser(ctx, u.ID, models.RoleStaff, true); err != nil {
			t.Fatal(err)
		}
		rec := b.get("/")
		wantRedirect(t, rec, "/login")
		if c := cookie(rec, sessionCookie); c == nil {
			t.Errorf("the session of a disabled user was not ended")
		}
		// And may not sign in again.
		want(t, b.get("/login"), http.StatusOK)
		doc := page(t, b.post("/login", url.Values{"email": {"staff@example.com"}, "password": {testPassword}}), http.StatusUnauthorized)
		if testid(doc, "login-error").Length() != 1 {
			t.Errorf("no error for a disabled user")
		}
		// Enabled again with another role: the new role applies at once.
		if err := v.store.UpdateUser(ctx, u.ID, models.RoleReviewer, false); err != nil {
			t.Fatal(err)
		}
		b.login("staff@example.com", testPassword)
		doc = page(t, b.get("/"), http.StatusOK)
		if got := testid(doc, "user-role").Text(); got != "reviewer" {
			t.Errorf("role %q after the change, want reviewer", got)
		}
	})
}

func TestWebLoginNext(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		v.addUser("reviewer@example.com", models.RoleReviewer)
		b := v.browser()
		// The wanted page travels through the login form.
		wantRedirect(t, b.get("/?period=7d"), "/login?next=%2F%3Fperiod%3D7d")
		doc := page(t, b.get("/login?next=%2F%3Fperiod%3D7d"), http.StatusOK)
		if got, _ := doc.Find(`input[name="next"]`).Attr("value"); got != "/?period=7d" {
			t.Fatalf("next field %q", got)
		}
		rec := b.post("/login", url.Values{"email": {"reviewer@example.com"}, "password": {testPassword}, "next": {"/?period=7d"}})
		wantRedirect(t, rec, "/?period=7d")

		// Only paths on this site are followed.
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
			"evil", "/login", "/logout", "/%0d%0aSet-Cookie:x=1"} {
			b := v.browser()
			want(t, b.get("/login?next="+url.QueryEscape(next)), http.StatusOK)
			rec := b.post("/login", url.Values{"email": {"reviewer@example.com"}, "password": {testPassword}, "next": {next}})
			loc := rec.Header().Get(echo.HeaderLocation)
			if next == "/%0d%0aSet-Cookie:x=1" {
				if loc != next && loc != "/" {
					t.Errorf("next %q: redirect to %q", next, loc)
				}
				continue
			}
			if loc != "/" {
				t.Errorf("next %q: redirect to %q, want /", next, loc)
			}
		}
	})
}

func TestWebLogout(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		v.addUser("owner@example.com", models.RoleOwner)
		b := v.browser()
		b.login("owner@example.com", testPassword)
		doc := page(t, b.get("/"), http.StatusOK)
		if testid(doc, "logout").Length() != 1 {
			t.Fatal("no logout button")
		}
		rec := b.post("/logout", nil)
		wantRedirect(t, rec, "/login")
		doc = page(t, b.get("/login"), http.StatusOK)
		if got := testid(doc, "flash-success").Text(); got != "You have been logged out." {
			t.Errorf("flash %q", got)
		}
		// The flash is shown once.
		doc = page(t, b.get("/login"), http.StatusOK)
		if testid(doc, "flashes").Length() != 0 {
			t.Errorf("flash shown twice")
		}
		wantRedirect(t, b.get("/"), "/login")
		// GET /logout does nothing.
		if rec := b.get("/logout"); rec.Code == http.StatusSeeOther {
			t.Errorf("GET /logout answered %d", rec.Code)
		}
	})
}

// webRoutes lists the web pages registered on the Echo instance, with
// path parameters filled in: everything but the API, health and static files.
func webRoutes(e *echo.Echo, method string) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method != method || strings.HasPrefix(r.Path, "/api") || r.Path == "/healthz" || strings.HasPrefix(r.Path, "/static") ||
			r.Path == "/login" || r.Path == "/*" {
			continue
		}
		parts := strings.Split(r.Path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = "1"
			}
		}
		p := strings.Join(parts, "/")
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func TestWebPagesRequireLogin(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		gets, posts := webRoutes(v.e, http.MethodGet), webRoutes(v.e, http.MethodPost)
		if len(gets) == 0 || len(posts) == 0 {
			t.Fatalf("no web routes found: GET %v POST %v", gets, posts)
		}
		before := v.snapshot()
		b := v.browser()
		for _, p := range gets {
			rec := b.get(p + "?x=1")
			wantRedirect(t, rec, "/login?next="+url.QueryEscape(p+"?x=1"))
		}
		// Posts with a valid CSRF token but no session are sent to log in.
		want(t, b.get("/login"), http.StatusOK)
		for _, p := range posts {
			wantRedirect(t, b.post(p, url.Values{"stars": {"5"}, "comment": {"x"}}), "/login")
		}
		// htmx requests get HX-Redirect instead of a page.
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("HX-Request", "true")
		rec := b.do(req)
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("HX-Redirect") != "/login" {
			t.Errorf("htmx without session: %d, HX-Redirect %q", rec.Code, rec.Header().Get("HX-Redirect"))
		}
		if after := v.snapshot(); after != before {
			t.Errorf("requests without a session changed data")
		}
		// The pages that need no login.
		page(t, b.get("/login"), http.StatusOK)
		want(t, b.get("/healthz"), http.StatusOK)
		want(t, b.get("/static/app.css"), http.StatusOK)
	})
}

func TestWebCSRF(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		v.addUser("owner@example.com", models.RoleOwner)
		signedIn := func(b *browser) bool {
			return b.get("/").Code == http.StatusOK
		}

		// A login without token is refused: 403, no session.
		b := v.browser()
		want(t, b.get("/login"), http.StatusOK)
		rec := b.postRaw("/login", url.Values{"email": {"owner@example.com"}, "password": {testPassword}})
		doc := page(t, rec, http.StatusForbidden)
		if !strings.Contains(testid(doc, "error-message").Text(), "reload the page") {
			t.Errorf("CSRF error message %q", testid(doc, "error-message").Text())
		}
		if signedIn(b) {
			t.Fatal("a login without CSRF token signed in")
		}

		b.login("owner@example.com", testPassword)
		before := v.snapshot()

		// A form post without token and without Sec-Fetch-Site: 403, nothing changed.
		want(t, b.postRaw("/logout", nil), http.StatusForbidden)
		want(t, b.postRaw("/logout", url.Values{views.CSRFField: {"forged"}}), http.StatusForbidden)
		if !signedIn(b) {
			t.Fatal("a refused logout signed out")
		}
		// Cross-site, even with the token: refused.
		b.secFetchSite = "cross-site"
		want(t, b.post("/logout", nil), http.StatusForbidden)
		b.secFetchSite = "same-site"
		want(t, b.postRaw("/logout", nil), http.StatusForbidden)
		b.secFetchSite = ""
		if !signedIn(b) {
			t.Fatal("a cross-site logout signed out")
		}
		if after := v.snapshot(); after != before {
			t.Errorf("refused posts changed data")
		}

		// The header htmx sends is accepted.
		req := httptest.NewRequest(http.MethodPost, "/logout", nil)
		req.Header.Set(views.CSRFHeader, b.token)
		wantRedirect(t, b.do(req), "/login")
		if signedIn(b) {
			t.Fatal("logout with the header token did not sign out")
		}

		// With the form token: allowed.
		b.login("owner@example.com", testPassword)
		wantRedirect(t, b.post("/logout", nil), "/login")
		if signedIn(b) {
			t.Fatal("logout with the form token did not sign out")
		}

		// A browser that sends Sec-Fetch-Site: same-origin needs no token.
		b.login("owner@example.com", testPassword)
		b.secFetchSite = "same-origin"
		wantRedirect(t, b.postRaw("/logout", nil), "/login")
		b.secFetchSite = ""
		if signedIn(b) {
			t.Fatal("a same-origin logout did not sign out")
		}

		// The layout gives htmx the token as a header.
		b.login("owner@example.com", testPassword)
		doc = page(t, b.get("/"), http.StatusOK)
		if h, _ := doc.Find("body").Attr("hx-headers"); h != `{"X-CSRF-Token":"`+b.token+`"}` || b.token == "" {
			t.Errorf("body hx-headers %q, token %q", h, b.token)
		}
		c := b.cookies["asrboard_csrf"]
		if c == nil || !c.HttpOnly || c.Path != "/" {
			t.Errorf("CSRF cookie %+v: want HttpOnly, Path=/", c)
		}
	})
}

func TestWebLoginRateLimit(t *testing.T) {
	v := newEnv(t, openSQLite(t), quietConfig()) // the default login limit: burst 10, then 5 a minute
	v.addUser("owner@example.com", models.RoleOwner)
	b := v.browser()
	want(t, b.get("/login"), http.StatusOK)
	for i := range 10 {
		if rec := b.post("/login", url.Values{"email": {"owner@example.com"}, "password": {"wrong password"}}); rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d", i+1, rec.Code)
		}
	}
	rec := b.post("/login", url.Values{"email": {"owner@example.com"}, "password": {testPassword}})
	doc := page(t, rec, http.StatusTooManyRequests)
	if !strings.Contains(testid(doc, "login-error").Text(), "Too many sign-in attempts") || cookie(rec, sessionCookie) != nil {
		t.Errorf("throttled login: %q", testid(doc, "login-error").Text())
	}
	// Another address is not throttled; GET /login never is.
	other := v.browser()
	other.remoteAddr = "198.51.100.7:5555"
	other.login("owner@example.com", testPassword)
	page(t, b.get("/login"), http.StatusOK)
}

func TestWebSessionCookieSecure(t *testing.T) {
	v := newEnv(t, openSQLite(t), webConfig())
	v.addUser("owner@example.com", models.RoleOwner)
	for _, c := range []struct {
		name   string
		remote string
		proto  string
		tls    bool
		secure bool
	}{
		{"plain HTTP", "192.0.2.1:1234", "", false, false},
		{"TLS", "192.0.2.1:1234", "", true, true},
		{"HTTPS through a local proxy", "127.0.0.1:40000", "https", false, true},
		{"HTTPS through a private proxy", "10.1.2.3:40000", "https", false, true},
		{"forged header from the internet", "203.0.113.9:40000", "https", false, false},
	} {
		b := v.browser()
		b.remoteAddr = c.remote
		want(t, b.get("/login"), http.StatusOK)
		form := url.Values{"email": {"owner@example.com"}, "password": {testPassword}, views.CSRFField: {b.token}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
		if c.proto != "" {
			req.Header.Set(echo.HeaderXForwardedProto, c.proto)
		}
		if c.tls {
			req.TLS = &tls.ConnectionState{}
		}
		rec := b.do(req)
		sc := cookie(rec, sessionCookie)
		if rec.Code != http.StatusSeeOther || sc == nil {
			t.Fatalf("%s: login status %d", c.name, rec.Code)
		}
		if sc.Secure != c.secure {
			t.Errorf("%s: Secure %v, want %v", c.name, sc.Secure, c.secure)
		}
	}
}

func TestWebNavByRole(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		all := []string{"dashboard", "sessions", "review", "attributes", "users"}
		for _, c := range []struct {
			role models.Role
			see  []string
		}{
			{models.RoleOwner, all},
			{models.RoleStaff, []string{"dashboard", "sessions", "attributes"}},
			{models.RoleReviewer, []string{"dashboard", "sessions", "review"}},
		} {
			email := string(c.role) + "@example.com"
			v.addUser(email, c.role)
			b := v.browser()
			b.login(email, testPassword)
			doc := page(t, b.get("/"), http.StatusOK)
			var got []string
			for _, key := range all {
				if testid(doc, "nav-"+key).Length() == 1 {
					got = append(got, key)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.see, ",") {
				t.Errorf("%s sees %v, want %v", c.role, got, c.see)
			}
			if cur, _ := testid(doc, "nav-dashboard").Attr("aria-current"); cur != "page" {
				t.Errorf("%s: dashboard not marked current", c.role)
			}
			if testid(doc, "dashboard").Length() != 1 {
				t.Errorf("%s cannot see the dashboard", c.role)
			}
		}
	})
}

// TestWebRoleGuard checks allow on a route only owners may open: another
// role gets the 403 page in the layout, with their navigation.
func TestWebRoleGuard(t *testing.T) {
	v := newEnv(t, openSQLite(t), webConfig())
	w := newWeb(&server{store: v.store, log: quietConfig().Logger}, webConfig())
	v.e.GET("/owners-only", func(c echo.Context) error {
		return w.page(c, http.StatusOK, views.PageMeta{Title: "Owners"}, views.CSRFInput(csrfToken(c)))
	}, w.private(w.allow(models.Role.CanManageUsers, "manage users and tokens"))...)
	v.addUser("reviewer@example.com", models.RoleReviewer)
	v.addUser("owner@example.com", models.RoleOwner)

	b := v.browser()
	wantRedirect(t, b.get("/owners-only"), "/login?next=%2Fowners-only")
	b.login("reviewer@example.com", testPassword)
	doc := page(t, b.get("/owners-only"), http.StatusForbidden)
	if got := testid(doc, "error-message").Text(); got != "your role (reviewer) may not manage users and tokens" {
		t.Errorf("403 message %q", got)
	}
	if testid(doc, "user-email").Text() != "reviewer@example.com" || testid(doc, "nav-review").Length() != 1 {
		t.Errorf("403 page lacks the reviewer's navigation")
	}
	o := v.browser()
	o.login("owner@example.com", testPassword)
	page(t, o.get("/owners-only"), http.StatusOK)
}

func TestWebErrorPages(t *testing.T) {
	v := newEnv(t, openSQLite(t), webConfig())
	doc := page(t, v.browser().get("/no-such-page"), http.StatusNotFound)
	if got := testid(doc, "error-status").Text(); got != "404 Not Found" {
		t.Errorf("error status %q", got)
	}
	if doc.Find(`link[rel="stylesheet"]`).Length() != 1 {
		t.Errorf("error page without the stylesheet")
	}
}
