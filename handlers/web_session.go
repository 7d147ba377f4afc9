package handlers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

// Cookie sessions of the web pages: a signed and encrypted cookie holds the
// user id; the user is loaded again on every request so a disabled account
// is out at once.
const (
	sessionCookie = "asrboard_session"
	// sessionMaxAge is how long a login lasts: 7 days, in seconds.
	sessionMaxAge = 7 * 24 * 60 * 60
	// The names and sizes of the cookie keys kept by the store.
	hashKeyName, hashKeySize   = "session-hash-key", 64
	blockKeyName, blockKeySize = "session-block-key", 32

	sessionUserID = "uid"
	flashPrefix   = "flash_"

	// userKey is where loadUser leaves the signed-in *models.User.
	userKey = "asrboard.user"
	// csrfKey is where the CSRF middleware leaves the token.
	csrfKey = "csrf"
)

// cookieKeys builds the session store on first use, from keys the database
// keeps (created on first start), and retries after a failure.
type cookieKeys struct {
	store secretStore
	mu    sync.Mutex
	cs    *sessions.CookieStore
}

func (k *cookieKeys) get(ctx context.Context) (*sessions.CookieStore, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cs != nil {
		return k.cs, nil
	}
	hash, err := k.store.Secret(ctx, hashKeyName, hashKeySize)
	if err != nil {
		return nil, fmt.Errorf("session keys: %w", err)
	}
	block, err := k.store.Secret(ctx, blockKeyName, blockKeySize)
	if err != nil {
		return nil, fmt.Errorf("session keys: %w", err)
	}
	if len(hash) != hashKeySize || len(block) != blockKeySize {
		return nil, fmt.Errorf("session keys: stored keys have %d and %d bytes, want %d and %d", len(hash), len(block), hashKeySize, blockKeySize)
	}
	cs := sessions.NewCookieStore(hash, block)
	cs.MaxAge(sessionMaxAge)
	k.cs = cs
	return cs, nil
}

// session returns the request's cookie session; a cookie that does not
// decode (old keys, tampering, expiry) counts as no session.
func (w *web) session(c echo.Context) (*sessions.Session, error) {
	cs, err := w.cookies.get(c.Request().Context())
	if err != nil {
		return nil, err
	}
	sess, err := cs.Get(c.Request(), sessionCookie)
	var ce securecookie.Error
	if err != nil && !(errors.As(err, &ce) && ce.IsDecode()) {
		return nil, fmt.Errorf("read session cookie: %w", err)
	}
	if err != nil || sess == nil {
		// Start over with an empty session rather than the undecodable one.
		if sess, err = cs.New(c.Request(), sessionCookie); sess == nil {
			return nil, fmt.Errorf("new session: %w", err)
		}
	}
	return sess, nil
}

// saveSession writes the session cookie with the options of this request:
// HttpOnly, SameSite=Lax, Secure over HTTPS.
func (w *web) saveSession(c echo.Context, sess *sessions.Session) error {
	maxAge := sessionMaxAge
	if sess.Options != nil && sess.Options.MaxAge < 0 {
		maxAge = -1
	}
	sess.Options = &sessions.Options{Path: "/", MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(c)}
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// isHTTPS tells whether the browser reached us over TLS, directly or through
// a reverse proxy on a loopback or private address (the proxies whose
// X-Forwarded-For the server believes too).
func isHTTPS(c echo.Context) bool {
	req := c.Request()
	if req.TLS != nil {
		return true
	}
	return strings.EqualFold(req.Header.Get(echo.HeaderXForwardedProto), "https") && trustedPeer(req.RemoteAddr)
}

func trustedPeer(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate())
}

// signIn starts a fresh session for u (nothing of the old one is kept).
func (w *web) signIn(c echo.Context, u *models.User) error {
	sess, err := w.session(c)
	if err != nil {
		return err
	}
	for k := range sess.Values {
		delete(sess.Values, k)
	}
	sess.Values[sessionUserID] = u.ID
	return w.saveSession(c, sess)
}

// signOut forgets the user; a flash may still ride on the session.
func (w *web) signOut(c echo.Context, flash string) error {
	sess, err := w.session(c)
	if err != nil {
		return err
	}
	for k := range sess.Values {
		delete(sess.Values, k)
	}
	if flash != "" {
		sess.AddFlash(flash, flashPrefix+views.FlashSuccess)
	}
	return w.saveSession(c, sess)
}

// loadUser finds the signed-in user of the session, if any, and leaves it
// for currentUser and the layout; a session of a disabled or deleted user is
// ended. It never refuses a request: requireLogin does.
func (w *web) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		sess, err := w.session(c)
		if err != nil {
			return err
		}
		var u *models.User
		if id, ok := sess.Values[sessionUserID].(int64); ok {
			u, err = w.store.User(req.Context(), id)
			switch {
			case models.ErrorCode(err) == models.CodeNotFound:
				u = nil
			case err != nil:
				return err
			}
			if u == nil || u.Disabled {
				u = nil
				if err := w.signOut(c, ""); err != nil {
					return err
				}
			}
		}
		meta := views.PageMeta{CSRF: csrfToken(c)}
		if u != nil {
			c.Set(userKey, u)
			meta.User = &views.UserView{Email: u.Email, Role: u.Role}
		}
		c.SetRequest(req.WithContext(views.WithMeta(req.Context(), meta)))
		return next(c)
	}
}

// requireLogin sends a visitor without a session to the login page, with
// the page they wanted as next (htmx requests get an HX-Redirect instead).
func (w *web) requireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) != nil {
			return next(c)
		}
		req := c.Request()
		target := "/login"
		if uri := req.URL.RequestURI(); req.Method == http.MethodGet && uri != "/" {
			target += "?next=" + url.QueryEscape(uri)
		}
		if req.Header.Get("HX-Request") == "true" {
			c.Response().Header().Set("HX-Redirect", target)
			return &httpError{Status: http.StatusUnauthorized, Message: "your session has ended: log in again"}
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
}

// allow admits a signed-in user whose role may take the action (SPEC §6) and
// answers 403 otherwise, before the handler runs; use after requireLogin.
func (w *web) allow(allowed func(models.Role) bool, action string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if u == nil {
				return fmt.Errorf("route %s has no requireLogin before allow", c.Path())
			}
			if !allowed(u.Role) {
				return models.Forbidden(fmt.Sprintf("your role (%s) may not %s", u.Role, action))
			}
			return next(c)
		}
	}
}

// currentUser is the signed-in user, nil on public pages seen signed out.
func currentUser(c echo.Context) *models.User {
	u, _ := c.Get(userKey).(*models.User)
	return u
}

// webActor names the signed-in user in the audit log: "user:" and the email.
func webActor(c echo.Context) (string, error) {
	u := currentUser(c)
	if u == nil {
		return "", fmt.Errorf("route %s has no requireLogin", c.Path())
	}
	return "user:" + u.Email, nil
}

// csrfToken is the token forms put in the _csrf field (views.CSRFInput)
// and htmx sends as X-CSRF-Token; every route under public() or private()
// has one.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfKey).(string)
	return t
}

// flash stores a one-time message for the next page (POST/redirect/GET):
//
//	if err := w.flash(c, views.FlashSuccess, "Attributes saved."); err != nil {
//		return err
//	}
//	return c.Redirect(http.StatusSeeOther, "/attributes")
func (w *web) flash(c echo.Context, kind, message string) error {
	sess, err := w.session(c)
	if err != nil {
		return err
	}
	sess.AddFlash(message, flashPrefix+kind)
	return w.saveSession(c, sess)
}

// takeFlashes removes the pending flashes from the session; the caller must
// save it (page does).
func takeFlashes(sess *sessions.Session) []views.Flash {
	var out []views.Flash
	for _, kind := range []string{views.FlashError, views.FlashSuccess} {
		for _, f := range sess.Flashes(flashPrefix + kind) {
			if msg, ok := f.(string); ok {
				out = append(out, views.Flash{Kind: kind, Message: msg})
			}
		}
	}
	return out
}

// safeNext keeps a post-login destination only when it is a path on this
// site, so /login?next= cannot send anyone elsewhere.
func safeNext(raw string) string {
	if raw == "" || len(raw) > 2000 || !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") ||
		strings.ContainsAny(raw, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	if u.Path == "/login" || u.Path == "/logout" {
		return ""
	}
	return raw
}
