package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/storage"
)

// getAttributes is GET /api/v1/attributes: the SPEC §2 object.
func (s *server) getAttributes(c echo.Context) error {
	a, err := s.store.Attributes(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// putAttributes is PUT /api/v1/attributes: the body replaces the attributes
// whole (a field left out takes its default). Any bad field is a 422 naming
// it and nothing is saved; on success every session is recomputed by the
// store in the same transaction and the saved attributes are answered.
func (s *server) putAttributes(c echo.Context) error {
	who, err := actor(c)
	if err != nil {
		return err
	}
	body, err := readJSON(c)
	if err != nil {
		return err
	}
	a, err := decodeAttributes(body)
	if err != nil {
		return err
	}
	saved, err := s.store.SaveAttributes(c.Request().Context(), who, &a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, saved)
}

// attributeTargets maps each JSON name of storage.AttributeFields to the
// field of a it decodes into.
func attributeTargets(a *models.Attributes) map[string]any {
	return map[string]any{
		"currency":                 &a.Currency,
		"lead_value_method":        &a.LeadValueMethod,
		"average_lead_value_cents": &a.AverageLeadValueCents,
		"unit_label":               &a.UnitLabel,
		"unit_price_cents":         &a.UnitPriceCents,
		"conversion_ratio_percent": &a.ConversionRatio,
		"redirection_type":         &a.RedirectionType,
		"recognition_percent":      &a.RecognitionPercent,
		"timezone":                 &a.Timezone,
		"working_hours":            &a.WorkingHours,
		"test_contacts":            &a.TestContacts,
	}
}

// readOnlyAttributes are answered by GET and ignored by PUT, so a client may
// send back what it read.
var readOnlyAttributes = []string{"updated_at"}

// decodeAttributes reads a PUT body over the defaults, one field at a time:
// encoding/json does not say which field a custom UnmarshalJSON failed on,
// so decoding each known key on its own is what lets every message name its
// field. A null takes the default. Rule checks (ranges, overlaps, time zone)
// of the fields that decoded are reported together with the type errors.
func decodeAttributes(body []byte) (models.Attributes, error) {
	a := models.DefaultAttributes()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return a, models.Invalid("invalid attributes", models.FieldError{Field: "body",
			Message: "must be a JSON object of attributes (" + strings.Join(storage.AttributeFields, ", ") + ")"})
	}
	targets := attributeTargets(&a)
	var fe []models.FieldError
	failed := map[string]bool{}
	var unknown []string
	for _, name := range storage.AttributeFields {
		v, ok := raw[name]
		if !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			continue
		}
		if err := json.Unmarshal(v, targets[name]); err != nil {
			fe = append(fe, models.FieldError{Field: name, Message: typeMessage(name, err)})
			failed[name] = true
		}
	}
	for k := range raw {
		if _, ok := targets[k]; !ok && !slices.Contains(readOnlyAttributes, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		fe = append(fe, models.FieldError{Field: k, Message: "is not an attribute (use " + strings.Join(storage.AttributeFields, ", ") + ")"})
	}
	if len(fe) == 0 {
		return a, nil
	}
	for _, v := range a.Validate() {
		if !failed[rootField(v.Field)] {
			fe = append(fe, v)
		}
	}
	slices.SortStableFunc(fe, func(x, y models.FieldError) int { return fieldRank(x.Field) - fieldRank(y.Field) })
	return a, models.Invalid("invalid attributes, nothing was saved", fe...)
}

// rootField is the attribute a detail is about: "working_hours.mon" and
// "test_contacts[2]" belong to working_hours and test_contacts.
func rootField(f string) string {
	if i := strings.IndexAny(f, ".["); i >= 0 {
		return f[:i]
	}
	return f
}

// fieldRank orders details as SPEC §2 lists the attributes, unknown last.
func fieldRank(f string) int {
	if i := slices.Index(storage.AttributeFields, rootField(f)); i >= 0 {
		return i
	}
	return len(storage.AttributeFields)
}

// attributeKinds say in words what each plainly typed attribute must be;
// the others (percentages, working hours) explain their own errors.
var attributeKinds = map[string]string{
	"currency":                 "text",
	"lead_value_method":        "text",
	"average_lead_value_cents": "a whole number of cents",
	"unit_label":               "text",
	"unit_price_cents":         "a whole number of cents",
	"redirection_type":         "text",
	"timezone":                 "text",
	"test_contacts":            "a list of phone numbers or email addresses, each a text",
}

// typeMessage words the decoding error of one attribute.
func typeMessage(name string, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want, ok := attributeKinds[name]
		if !ok {
			want = "of another type"
		}
		return fmt.Sprintf("must be %s, got %s", want, te.Value)
	}
	return err.Error()
}
