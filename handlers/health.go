package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// healthz answers {"status":"ok"} when the database answers, 503 otherwise;
// it needs no token so a load balancer can call it.
func (s *server) healthz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "health check failed", "error", err)
		return &httpError{Status: http.StatusServiceUnavailable, Message: "database unavailable"}
	}
	return c.JSON(http.StatusOK, healthJSON{Status: "ok"})
}

// healthJSON is the answer of a healthy /healthz.
type healthJSON struct {
	Status string `json:"status"`
}
