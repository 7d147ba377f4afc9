package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"asrboard/views"
)

// columnsCookie remembers which columns of the sessions table are hidden,
// as their keys joined by dots, so a column added later shows by default.
const (
	columnsCookie = "asrboard_columns"
	columnsMaxAge = 365 * 24 * 60 * 60
)

// readColumns is the remembered column choice; unknown keys are ignored.
func readColumns(c echo.Context) views.Columns {
	cols := views.Columns{}
	ck, err := c.Cookie(columnsCookie)
	if err != nil {
		return cols
	}
	for _, k := range strings.Split(ck.Value, ".") {
		if hideableColumn(k) {
			cols[k] = true
		}
	}
	return cols
}

func hideableColumn(key string) bool {
	if key == views.ColStarted {
		return false
	}
	for _, o := range views.ColumnLabels {
		if o.Value == key {
			return true
		}
	}
	return false
}

// saveColumns is POST /sessions/columns: the fields col name the columns to
// show; the others are remembered as hidden in a cookie for a year, and the
// table comes back with the filter it had (field back, a query string).
func (p *sessionPages) saveColumns(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	shown := map[string]bool{}
	for _, k := range form["col"] {
		shown[k] = true
	}
	var hidden []string
	for _, o := range views.ColumnLabels {
		if hideableColumn(o.Value) && !shown[o.Value] {
			hidden = append(hidden, o.Value)
		}
	}
	ck := &http.Cookie{Name: columnsCookie, Value: strings.Join(hidden, "."), Path: "/sessions",
		MaxAge: columnsMaxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(c)}
	if len(hidden) == 0 {
		ck.MaxAge = -1
	}
	c.SetCookie(ck)
	if err := p.flash(c, views.FlashSuccess, "Column choice saved."); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, sessionsBack(form.Get("back")))
}

// sessionsBack rebuilds the table's URL from a query string, keeping only
// the table's own parameters, so the redirect cannot lead anywhere else.
func sessionsBack(back string) string {
	q, err := url.ParseQuery(back)
	if err != nil {
		return "/sessions"
	}
	keep := url.Values{}
	for _, k := range sessionsParams {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	if len(keep) == 0 {
		return "/sessions"
	}
	return "/sessions?" + keep.Encode()
}
