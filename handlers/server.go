// Package handlers is the HTTP side of ASR Board: the Echo instance, its
// middleware, the JSON API and (later) the web pages.
package handlers

import (
	"log/slog"

	"github.com/labstack/echo/v4"

	"asrboard/storage"
)

// Config holds what the HTTP layer needs besides the store.
type Config struct {
	Logger *slog.Logger
}

// New builds the Echo instance with every route and middleware.
func New(store *storage.Store, cfg Config) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	_ = store
	_ = cfg
	return e
}
