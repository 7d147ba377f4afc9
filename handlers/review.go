package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"asrboard/models"
)

// reviewSession is PATCH /api/v1/sessions/{external_id}/review: any of the
// human fields, JSON null clearing an override. It answers the updated
// session (without transcript); each changed field is audited under the
// token's name by the store, in the same transaction.
func (s *server) reviewSession(c echo.Context) error {
	id, err := externalID(c)
	if err != nil {
		return err
	}
	who, err := actor(c)
	if err != nil {
		return err
	}
	body, err := readJSON(c)
	if err != nil {
		return err
	}
	patch, fe := models.DecodeReview(body)
	if len(fe) > 0 {
		return models.Invalid("invalid review", fe...)
	}
	sess, err := s.store.Review(c.Request().Context(), who, id, patch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sessionView(sess, false))
}
