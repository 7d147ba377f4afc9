package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

// httpError is a failure of the request itself rather than of the domain:
// malformed JSON (400), a missing token (401), too many requests (429).
type httpError struct {
	Status  int
	Message string
	Details []models.FieldError
}

func (e *httpError) Error() string { return e.Message }

// errorBody is the JSON form of every API error (SPEC §5).
type errorBody struct {
	Error   string              `json:"error"`
	Details []models.FieldError `json:"details"`
}

// statusOf maps each domain error kind to its one HTTP status.
var statusOf = map[models.Code]int{
	models.CodeInvalid:   http.StatusUnprocessableEntity,
	models.CodeNotFound:  http.StatusNotFound,
	models.CodeForbidden: http.StatusForbidden,
	models.CodeConflict:  http.StatusConflict,
	models.CodeTooLarge:  http.StatusRequestEntityTooLarge,
}

// handleError is the one place an error becomes an answer: JSON for the API
// and /healthz, an error page otherwise. Server faults are logged with their
// cause and answered with a generic message.
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, body := classify(err)
	if status >= http.StatusInternalServerError {
		req := c.Request()
		s.log.ErrorContext(req.Context(), "request failed", "error", err, "method", req.Method,
			"path", req.URL.Path, "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	}
	if wantsJSON(c.Request().URL.Path) {
		if err := c.JSON(status, body); err != nil {
			s.log.ErrorContext(c.Request().Context(), "write error answer", "error", err)
		}
		return
	}
	s.errorPage(c, status, body.Error)
}

// wantsJSON tells the API (and the health check) from the web pages.
func wantsJSON(path string) bool {
	return path == "/healthz" || path == "/api" || strings.HasPrefix(path, "/api/")
}

// classify turns any error into a status and a message fit to show.
func classify(err error) (int, errorBody) {
	var he *httpError
	var me *models.Error
	var mbe *http.MaxBytesError
	var ee *echo.HTTPError
	switch {
	case errors.As(err, &he):
		return he.Status, errorBody{Error: he.Message, Details: nonNil(he.Details)}
	case errors.As(err, &me):
		if st, ok := statusOf[me.Code]; ok {
			return st, errorBody{Error: me.Message, Details: nonNil(me.Details)}
		}
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, errorBody{Error: tooLarge(mbe.Limit).Error(), Details: nonNil(nil)}
	case errors.As(err, &ee):
		if ee.Code < http.StatusInternalServerError {
			return ee.Code, errorBody{Error: echoMessage(ee), Details: nonNil(nil)}
		}
	}
	return http.StatusInternalServerError, errorBody{Error: "internal server error; the cause was logged", Details: nonNil(nil)}
}

// echoMessage words Echo's own errors (unknown route, wrong method).
func echoMessage(ee *echo.HTTPError) string {
	switch ee.Code {
	case http.StatusNotFound:
		return "not found: no such page or API route"
	case http.StatusMethodNotAllowed:
		return "method not allowed on this route"
	}
	if m, ok := ee.Message.(string); ok && m != "" {
		return strings.ToLower(m[:1]) + m[1:]
	}
	return strings.ToLower(http.StatusText(ee.Code))
}

func nonNil(d []models.FieldError) []models.FieldError {
	if d == nil {
		return []models.FieldError{}
	}
	return d
}

// errorPage renders the templ error page into a buffer first, so a render
// failure still answers a real 500.
func (s *server) errorPage(c echo.Context, status int, message string) {
	var buf bytes.Buffer
	v := views.ErrorView{Status: status, Title: http.StatusText(status), Message: message}
	if err := views.ErrorPage(v).Render(c.Request().Context(), &buf); err != nil {
		s.log.ErrorContext(c.Request().Context(), "render error page", "error", err)
		_ = c.String(http.StatusInternalServerError, "internal server error")
		return
	}
	if err := c.HTMLBlob(status, buf.Bytes()); err != nil {
		s.log.ErrorContext(c.Request().Context(), "write error page", "error", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// invalidParams is the 422 for query parameters that break a rule.
func invalidParams(fe []models.FieldError) error {
	return models.Invalid(fmt.Sprintf("invalid query parameter%s", plural(len(fe))), fe...)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
