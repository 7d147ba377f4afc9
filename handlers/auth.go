package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"asrboard/models"
)

// tokenKey is where authorize leaves the caller's token in the context.
const tokenKey = "asrboard.token"

// authorize admits a request whose bearer token is live and whose role may
// take the action (SPEC §6); it answers 401 or 403 before the handler runs,
// so a forbidden request changes nothing.
func (s *server) authorize(allowed func(models.Role) bool, action string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			plain, ok := bearerToken(c.Request().Header.Get(echo.HeaderAuthorization))
			if !ok {
				return unauthorized(c, "missing bearer token: send the header Authorization: Bearer TOKEN")
			}
			tok, err := s.store.TokenByPlain(c.Request().Context(), plain)
			if models.ErrorCode(err) == models.CodeNotFound {
				return unauthorized(c, "unknown or revoked token")
			}
			if err != nil {
				return err
			}
			if !allowed(tok.Role) {
				return models.Forbidden(fmt.Sprintf("a token with role %s may not %s", tok.Role, action))
			}
			if err := s.store.TouchToken(c.Request().Context(), tok); err != nil {
				// Bookkeeping only: the request goes on, the failure is logged.
				s.log.Warn("record token use", "token", tok.Name, "error", err)
			}
			c.Set(tokenKey, tok)
			return next(c)
		}
	}
}

func unauthorized(c echo.Context, msg string) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="asrboard"`)
	return &httpError{Status: http.StatusUnauthorized, Message: msg}
}

// bearerToken reads "Bearer TOKEN" (the scheme is case-insensitive).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// actor names the caller in the audit log: "token:" and the token's name.
func actor(c echo.Context) (string, error) {
	tok, ok := c.Get(tokenKey).(*models.APIToken)
	if !ok || tok == nil {
		return "", fmt.Errorf("route %s has no authorize middleware", c.Path())
	}
	return "token:" + tok.Name, nil
}
