package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"asrboard/models"
)

// dashboard is GET /api/v1/dashboard: the SPEC §4 cards over non-test
// sessions that started in [from, to); both bounds are optional.
func (s *server) dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	from, to, fe, err := s.periodParams(ctx, c.QueryParams())
	if err != nil {
		return err
	}
	if len(fe) == 0 && from != nil && to != nil && !from.Before(*to) {
		fe = append(fe, models.FieldError{Field: "to", Message: "must be after from"})
	}
	if len(fe) > 0 {
		return invalidParams(fe)
	}
	t, err := s.store.Totals(ctx, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, models.DashboardOf(t, from, to))
}
