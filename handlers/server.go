// Package handlers is the HTTP side of ASR Board: the Echo instance, its
// middleware, the JSON API and the web pages (web_*.go).
package handlers

import (
	"context"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/storage"
)

// Config holds what the HTTP layer needs besides the store.
type Config struct {
	// Logger receives one line per request and the real cause of every 500;
	// nil means slog.Default().
	Logger *slog.Logger
	// RateLimit is how many API requests per second one client address may
	// make on average: 0 means 50, a negative value turns the limiter off.
	RateLimit float64
	// RateBurst is how many API requests one client address may make at
	// once: 0 means 200.
	RateBurst int
	// LoginRate is how many POST /login one client address may make per
	// minute on average: 0 means 5, a negative value turns the limiter off.
	LoginRate float64
	// LoginBurst is how many POST /login one client address may make at
	// once: 0 means 10.
	LoginBurst int
}

// Limits of the JSON API (SPEC §5 and §7).
const (
	// MaxIngestBody is the largest body POST /api/v1/sessions accepts.
	MaxIngestBody = 64 << 20
	// MaxBody is the largest body every other request may send.
	MaxBody = 1 << 20
	// MaxBatch is how many sessions one POST /api/v1/sessions may carry.
	MaxBatch = 10_000
)

// Store is what the handlers need from storage, split by concern so each
// handler's needs are visible; *storage.Store satisfies it.
type Store interface {
	healthChecker
	tokenFinder
	sessionStore
	attributeStore
	dashboardStore
	userStore
	secretStore
	sessionPagesStore // web_sessions.go
	adminStore        // web_users.go
}

type healthChecker interface {
	Ping(ctx context.Context) error
}

type tokenFinder interface {
	TokenByPlain(ctx context.Context, plain string) (*models.APIToken, error)
	TouchToken(ctx context.Context, t *models.APIToken) error
}

type sessionStore interface {
	Ingest(ctx context.Context, batch []models.SessionInput) (storage.IngestResult, error)
	ListSessions(ctx context.Context, f storage.SessionFilter) (storage.Page, error)
	Session(ctx context.Context, externalID string) (*models.Session, error)
	Review(ctx context.Context, actor, externalID string, p models.HumanPatch) (*models.Session, error)
}

type attributeStore interface {
	Attributes(ctx context.Context) (*models.Attributes, error)
	SaveAttributes(ctx context.Context, actor string, a *models.Attributes) (*models.Attributes, error)
}

type dashboardStore interface {
	Totals(ctx context.Context, from, to *time.Time) (models.Totals, error)
	TotalsByWorkingHours(ctx context.Context, from, to *time.Time) (inside, outside models.Totals, err error)
	Agreement(ctx context.Context, from, to *time.Time) (models.Agreement, error)
}

// userStore signs people in to the web pages.
type userStore interface {
	Authenticate(ctx context.Context, email, password string) (*models.User, error)
	User(ctx context.Context, id int64) (*models.User, error)
}

// secretStore keeps the cookie keys, generated on first use.
type secretStore interface {
	Secret(ctx context.Context, name string, size int) ([]byte, error)
}

var _ Store = (*storage.Store)(nil)

// server carries the dependencies every handler method uses.
type server struct {
	store Store
	log   *slog.Logger
}

// New builds the Echo instance with every route and middleware.
func New(store *storage.Store, cfg Config) *echo.Echo {
	return newEcho(store, cfg)
}

// ingestPath is the route whose bodies may be as large as MaxIngestBody.
const ingestPath = "/api/v1/sessions"

func newEcho(store Store, cfg Config) *echo.Echo {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &server{store: store, log: log}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	// X-Forwarded-For is believed only from loopback and private addresses
	// (a local reverse proxy), so a client on the internet cannot pick the
	// address the rate limiter counts it under.
	e.IPExtractor = echo.ExtractIPFromXFFHeader()

	// Global middleware rather than group middleware: a group with its own
	// middleware gets a catch-all route, which would turn 405 into 404.
	e.Use(s.middleware()...)
	e.Use(rateLimiter(cfg))
	e.GET("/healthz", s.healthz)

	v1 := e.Group("/api/v1")
	view := s.authorize(models.Role.CanView, "read sessions, attributes or the dashboard")
	v1.POST("/sessions", s.ingestSessions, s.authorize(models.Role.CanIngest, "ingest sessions"))
	v1.GET("/sessions", s.listSessions, view)
	v1.GET("/sessions/:external_id", s.getSession, view)
	v1.PATCH("/sessions/:external_id/review", s.reviewSession, s.authorize(models.Role.CanReview, "review sessions"))
	v1.GET("/attributes", s.getAttributes, view)
	v1.PUT("/attributes", s.putAttributes, s.authorize(models.Role.CanEditAttributes, "edit attributes"))
	v1.GET("/dashboard", s.dashboard, view)

	newWeb(s, cfg).routes(e)
	return e
}
