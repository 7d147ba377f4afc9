package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"asrboard/models"
	"asrboard/views"
)

// web serves the HTML pages. It adds to the API server's dependencies the
// cookie sessions, the CSRF check and the login limiter; every page handler
// is a method of it, and every page route goes through public() or private().
type web struct {
	*server
	cookies    *cookieKeys
	csrf       echo.MiddlewareFunc
	loginLimit echo.MiddlewareFunc
	// now is the clock the dashboard reads "today" from.
	now func() time.Time
}

func newWeb(s *server, cfg Config) *web {
	w := &web{server: s, cookies: &cookieKeys{store: s.store}, now: time.Now}
	w.csrf = middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:" + views.CSRFField + ",header:" + views.CSRFHeader,
		ContextKey:     csrfKey,
		CookieName:     "asrboard_csrf",
		CookiePath:     "/",
		CookieMaxAge:   sessionMaxAge,
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler: func(error, echo.Context) error {
			return &httpError{Status: http.StatusForbidden,
				Message: "this form has expired or did not come from this site: reload the page and try again"}
		},
	})
	w.loginLimit = w.loginLimiter(cfg)
	return w
}

// routes registers the web pages. Add a page here with public() (no login
// needed) or private(guards...) (login, then e.g. w.allow(...)).
func (w *web) routes(e *echo.Echo) {
	e.GET("/static/*", serveStatic)

	e.GET("/login", w.loginForm, w.public()...)
	e.POST("/login", w.login, append(w.public(), w.loginLimit)...)
	e.POST("/logout", w.logout, w.private()...)

	e.GET("/", w.dashboardPage, w.private(w.allow(models.Role.CanView, "view the dashboard"))...)
	w.registerAdminPages(e)
	w.registerSessionPages(e)
}

// public is the chain of a page anyone may open: the CSRF check (and token)
// and the signed-in user when there is one.
func (w *web) public() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{w.csrf, w.loadUser}
}

// private is the chain of a page that needs a signed-in user, followed by
// the guards given (see allow).
func (w *web) private(guards ...echo.MiddlewareFunc) []echo.MiddlewareFunc {
	return append([]echo.MiddlewareFunc{w.csrf, w.loadUser, w.requireLogin}, guards...)
}

// loginLimiter throttles POST /login per client address (see
// Config.LoginRate); a throttled attempt sees the form again with a 429.
func (w *web) loginLimiter(cfg Config) echo.MiddlewareFunc {
	perMinute, burst := cfg.LoginRate, cfg.LoginBurst
	if perMinute < 0 {
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	if perMinute == 0 {
		perMinute = 5
	}
	if burst <= 0 {
		burst = 10
	}
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(perMinute / 60), Burst: burst, ExpiresIn: 10 * time.Minute,
		}),
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "60")
			// The form was not read yet; keep what was typed anyway.
			return w.loginFailed(c, http.StatusTooManyRequests, c.FormValue("email"), c.FormValue("next"),
				"Too many sign-in attempts from your address. Wait a minute and try again.")
		},
	})
}
