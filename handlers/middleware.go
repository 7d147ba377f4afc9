package handlers

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"asrboard/models"
)

// middleware is the global chain, outermost first: the request id exists
// before the log line needs it, the logger sees the status the error handler
// chose, and a panic becomes an error the logger can report.
func (s *server) middleware() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{
		middleware.RequestID(),
		middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
			HandleError:   true,
			LogMethod:     true,
			LogURIPath:    true,
			LogStatus:     true,
			LogLatency:    true,
			LogRequestID:  true,
			LogRemoteIP:   true,
			LogValuesFunc: s.logRequest,
		}),
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			DisableErrorHandler: true,
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				s.log.ErrorContext(c.Request().Context(), "panic", "error", err, "stack", string(stack))
				return err
			},
		}),
		middleware.SecureWithConfig(middleware.SecureConfig{
			XSSProtection:         "0",
			ContentTypeNosniff:    "nosniff",
			XFrameOptions:         "DENY",
			ContentSecurityPolicy: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
			ReferrerPolicy:        "same-origin",
		}),
		limitBodies,
	}
}

// logRequest writes the one log line of a request.
func (s *server) logRequest(c echo.Context, v middleware.RequestLoggerValues) error {
	level := slog.LevelInfo
	if v.Status >= http.StatusInternalServerError {
		level = slog.LevelError
	}
	s.log.LogAttrs(c.Request().Context(), level, "request",
		slog.String("method", v.Method),
		slog.String("path", v.URIPath),
		slog.Int("status", v.Status),
		slog.Duration("latency", v.Latency),
		slog.String("request_id", v.RequestID),
		slog.String("remote_ip", v.RemoteIP),
	)
	return nil
}

// limitBodies caps request bodies: an ingest batch may be MaxIngestBody,
// every other request MaxBody. A declared length over the limit is refused
// before reading; a longer body fails while it is read (see readJSON).
func limitBodies(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Body == nil || req.Body == http.NoBody {
			return next(c)
		}
		limit := int64(MaxBody)
		if req.Method == http.MethodPost && c.Path() == ingestPath {
			limit = MaxIngestBody
		}
		if req.ContentLength > limit {
			return tooLarge(limit)
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		return next(c)
	}
}

// tooLarge is the 413 for a body over limit bytes.
func tooLarge(limit int64) error {
	return &models.Error{Code: models.CodeTooLarge, Message: "request body is larger than the limit of " + byteSize(limit)}
}

// byteSize writes a limit in MiB or KiB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return itoa(n>>20) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return itoa(n>>10) + " KiB"
	}
	return itoa(n) + " bytes"
}

// rateLimiter keeps one client address from flooding the API (paths under
// /api/); the limits are generous because the legitimate caller is a
// platform sending batches.
func rateLimiter(cfg Config) echo.MiddlewareFunc {
	r, burst := cfg.RateLimit, cfg.RateBurst
	if r < 0 {
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	if r == 0 {
		r = 50
	}
	if burst <= 0 {
		burst = 200
	}
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper: func(c echo.Context) bool { return !strings.HasPrefix(c.Request().URL.Path, "/api/") },
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(r), Burst: burst, ExpiresIn: 3 * time.Minute,
		}),
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "1")
			return &httpError{Status: http.StatusTooManyRequests, Message: "too many requests from this address, retry in a second"}
		},
	})
}
