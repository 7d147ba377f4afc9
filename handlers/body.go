package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"asrboard/models"
)

// readJSON reads the whole body and checks that it is well-formed JSON, so
// a syntax error is a 400 saying where it is before any field is looked at.
func readJSON(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(mbe.Limit)
		}
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, &httpError{Status: http.StatusBadRequest, Message: "malformed JSON: the request body is empty"}
	}
	if !json.Valid(b) {
		return nil, syntaxError(b)
	}
	return b, nil
}

// syntaxError locates the first JSON syntax error of b by line, column and
// byte offset.
func syntaxError(b []byte) error {
	var v any
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &httpError{Status: http.StatusBadRequest, Message: "malformed JSON"}
	}
	// Offset counts the bytes read including the offending one.
	pos := max(0, min(int(se.Offset), len(b))-1)
	line := 1 + bytes.Count(b[:pos], []byte("\n"))
	col := pos - bytes.LastIndexByte(b[:pos], '\n')
	return &httpError{Status: http.StatusBadRequest,
		Message: fmt.Sprintf("malformed JSON at line %d, column %d (byte %d): %s", line, col, se.Offset, se.Error())}
}

// externalID reads the :external_id path parameter. Echo routes on the raw
// path when the URL carries escapes Go would not produce itself (such as
// %2F), and then the parameter is still escaped; otherwise it is already
// decoded and must not be decoded twice ("50%25off" is "50%off").
func externalID(c echo.Context) (string, error) {
	v := c.Param("external_id")
	if c.Request().URL.RawPath != "" {
		u, err := url.PathUnescape(v)
		if err != nil {
			return "", &httpError{Status: http.StatusBadRequest, Message: "the session id in the path is not properly escaped"}
		}
		v = u
	}
	if v == "" {
		return "", models.NotFound("no session id in the path")
	}
	return v, nil
}
