package handlers

import (
	"encoding/csv"
	"maps"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

// exportFlushRows is how many rows are written between flushes to the client.
const exportFlushRows = 500

// exportSessions is GET /sessions/export.csv: every session of the table's
// filter (the same query string; paging and order aside), oldest first,
// streamed as the CSV of `asrboard export` (models.ExportColumns). A bad
// filter is refused before anything is written.
func (p *sessionPages) exportSessions(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := p.store.Attributes(ctx)
	if err != nil {
		return err
	}
	loc := a.Location()
	sq, err := p.readSessionsQuery(ctx, c.QueryParams(), loc, p.now())
	if err != nil {
		return err
	}
	if len(sq.form.Errors) > 0 {
		return invalidFilter(sq.form.Errors)
	}
	f := sq.filter
	f.Cursor, f.Limit = "", 0

	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="asrboard-sessions-`+p.now().In(loc).Format("2006-01-02")+`.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	cw := csv.NewWriter(c.Response())
	if err := cw.Write(models.ExportColumns); err != nil {
		return err
	}
	row := make([]string, 0, len(models.ExportColumns))
	n := 0
	err = p.store.EachSession(ctx, f, func(s *models.Session) error {
		row = models.ExportRow(row[:0], s)
		if err := cw.Write(row); err != nil {
			return err
		}
		if n++; n%exportFlushRows == 0 {
			cw.Flush()
			c.Response().Flush()
		}
		return cw.Error()
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		// The status is sent; all that is left is to log why the file is short.
		p.log.ErrorContext(ctx, "export sessions", "error", err, "rows", n)
	}
	return err
}

// invalidFilter is the 422 of a filter the table would show beside its fields.
func invalidFilter(errs views.FieldErrors) error {
	fe := make([]models.FieldError, 0, len(errs))
	for _, k := range slices.Sorted(maps.Keys(errs)) {
		fe = append(fe, models.FieldError{Field: k, Message: errs[k]})
	}
	msg := "invalid filter"
	if len(fe) > 0 {
		msg += ": " + fe[0].String()
	}
	return models.Invalid(msg, fe...)
}
