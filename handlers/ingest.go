package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"asrboard/models"
)

// ingestSessions is POST /api/v1/sessions: one session object or an array of
// up to MaxBatch, upserted by external_id in one transaction. Every item is
// validated first; if any is invalid the answer is 422 listing each broken
// field with its item index (0 for a single object) and nothing is stored.
// Success is always 200 with {"created":n,"updated":m}, whether the batch
// created, updated or mixed sessions.
func (s *server) ingestSessions(c echo.Context) error {
	body, err := readJSON(c)
	if err != nil {
		return err
	}
	items, err := splitBatch(body)
	if err != nil {
		return err
	}
	batch := make([]models.SessionInput, 0, len(items))
	var bad []models.FieldError
	badItems := 0
	for i, raw := range items {
		item := i
		rec, err := models.RecordFromJSON(raw)
		var fe []models.FieldError
		if err != nil {
			fe = []models.FieldError{{Field: "session", Message: "must be a JSON object of session fields"}}
		} else {
			var in models.SessionInput
			in, fe = models.DecodeSession(rec, models.DecodeOptions{})
			batch = append(batch, in)
		}
		if len(fe) > 0 {
			badItems++
		}
		for _, f := range fe {
			f.Item = &item
			bad = append(bad, f)
		}
	}
	if len(bad) > 0 {
		return models.Invalid(fmt.Sprintf("%d of %d session%s invalid, nothing was stored", badItems, len(items), pluralIs(len(items))), bad...)
	}
	res, err := s.store.Ingest(c.Request().Context(), batch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func pluralIs(n int) string {
	if n == 1 {
		return " is"
	}
	return "s are"
}

// splitBatch returns the items of an array body, or the body itself as the
// only item when it is an object.
func splitBatch(body []byte) ([]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(body)
	switch trimmed[0] {
	case '{':
		return []json.RawMessage{trimmed}, nil
	case '[':
	default:
		return nil, models.Invalid("invalid sessions", models.FieldError{Field: "body",
			Message: "must be a session object or an array of session objects"})
	}
	var items []json.RawMessage
	if err := json.Unmarshal(trimmed, &items); err != nil {
		return nil, fmt.Errorf("split batch: %w", err) // the body was checked to be valid JSON
	}
	switch {
	case len(items) == 0:
		return nil, models.Invalid("empty batch, nothing was stored", models.FieldError{Field: "body",
			Message: "must hold at least one session"})
	case len(items) > MaxBatch:
		return nil, &models.Error{Code: models.CodeTooLarge,
			Message: fmt.Sprintf("a batch holds at most %d sessions, got %d: split it into several requests", MaxBatch, len(items))}
	}
	return items, nil
}
