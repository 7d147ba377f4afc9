package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// sessionsPage is the answer of GET /api/v1/sessions; NextCursor is null on
// the last page.
type sessionsPage struct {
	Sessions   []sessionJSON `json:"sessions"`
	NextCursor *string       `json:"next_cursor"`
}

// listSessions is GET /api/v1/sessions: one page of sessions matching the
// filters of the query, transcripts left out.
func (s *server) listSessions(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := s.sessionFilter(ctx, c.QueryParams())
	if err != nil {
		return err
	}
	page, err := s.store.ListSessions(ctx, f)
	if err != nil {
		return err
	}
	out := sessionsPage{Sessions: make([]sessionJSON, len(page.Sessions))}
	for i := range page.Sessions {
		out.Sessions[i] = sessionView(&page.Sessions[i], false)
	}
	if page.Next != "" {
		out.NextCursor = &page.Next
	}
	return c.JSON(http.StatusOK, out)
}

// getSession is GET /api/v1/sessions/{external_id}, transcript included.
func (s *server) getSession(c echo.Context) error {
	id, err := externalID(c)
	if err != nil {
		return err
	}
	sess, err := s.store.Session(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sessionView(sess, true))
}
