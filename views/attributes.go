package views

import "asrboard/models"

// AttributesView is the content of /attributes: the form, the preview box
// and the history of changes below.
type AttributesView struct {
	// CSRF is the token of the form's hidden field.
	CSRF string
	Form AttributesForm
	// Invalid lists the fields with a message, top to bottom, for the
	// summary above the form.
	Invalid []PreviewError
	Preview AttributesPreview
	History []AttributeChange
	// Timezones fill the time zone input's <datalist>.
	Timezones []string
}

// Names of the attributes form's fields, shared by the view, the handler
// that parses the form and the tests.
const (
	AttrCurrency           = "currency"
	AttrLeadValueMethod    = "lead_value_method"
	AttrAverageLeadValue   = "average_lead_value"
	AttrUnitLabel          = "unit_label"
	AttrUnitPrice          = "unit_price"
	AttrConversionRatio    = "conversion_ratio_percent"
	AttrRedirectionType    = "redirection_type"
	AttrRecognitionPercent = "recognition_percent"
	AttrTimezone           = "timezone"
	AttrTestContacts       = "test_contacts"
)

// AttrHours is the name of a weekday's working-hours input ("hours_mon").
func AttrHours(day int) string { return "hours_" + models.WeekdayKeys[day] }

// AttributesValues are the attribute form's inputs as the user typed them
// (or as saved, formatted): every value a string, so a rejected value goes
// back into its input unchanged.
type AttributesValues struct {
	Currency           string
	LeadValueMethod    string
	AverageLeadValue   string
	UnitLabel          string
	UnitPrice          string
	ConversionRatio    string
	RedirectionType    string
	RecognitionPercent string
	Timezone           string
	// Hours are the weekdays' intervals, Monday first, written like
	// "09:00-12:00, 13:00-17:00"; empty is closed.
	Hours        [7]string
	TestContacts string
}

// AttributesForm is what the attributes form shows: the values and a message
// per field name.
type AttributesForm struct {
	AttributesValues
	// Errors maps a field name (the Attr* constants, AttrHours) to its message.
	Errors map[string]string
}

// AttributesPreview is the effect of the typed attributes on the last 30
// days, or the reasons it could not be computed; the zero value is an empty
// box.
type AttributesPreview struct {
	Shown bool
	// Range names the days compared ("Apr 14 – May 13, 2026"); From and To
	// are its bounds in RFC 3339, for tests and scripts.
	Range, From, To string
	Rows            []PreviewRow
	// Errors list what is wrong with the form when the preview was asked
	// for with invalid input.
	Errors []PreviewError
}

// PreviewRow is one figure now and after the change.
type PreviewRow struct {
	// Key names the row in data-testid="preview-<Key>".
	Key, Label string
	Now, After string
	// NowRaw and AfterRaw are the exact figures (cents or counts).
	NowRaw, AfterRaw int64
	// Change is the signed difference ("+$120.00").
	Change string
	Trend  string
}

// PreviewError is one invalid field named for a person, linked to its
// input; the preview box and the summary above the form list them.
type PreviewError struct {
	Field, Label, Message string
}

// AttributeChange is one row of the attributes' history.
type AttributeChange struct {
	At, Actor, Field string
	Old, New         string
}

// attrLabels name the form fields in messages and the history.
var attrLabels = map[string]string{
	AttrCurrency:           "Currency",
	AttrLeadValueMethod:    "Lead value method",
	AttrAverageLeadValue:   "Average lead value",
	AttrUnitLabel:          "Unit label",
	AttrUnitPrice:          "Unit price",
	AttrConversionRatio:    "Conversion ratio",
	AttrRedirectionType:    "Redirection type",
	AttrRecognitionPercent: "Recognition",
	AttrTimezone:           "Time zone",
	AttrTestContacts:       "Test contacts",
}

// AttrLabel is the label of a form field ("Conversion ratio", "Monday").
func AttrLabel(field string) string {
	for d := range 7 {
		if field == AttrHours(d) {
			return models.WeekdayNames[d] + " working hours"
		}
	}
	if l, ok := attrLabels[field]; ok {
		return l
	}
	return field
}

// AttrErrorID is the id (and data-testid) of a field's message.
func AttrErrorID(field string) string { return "err-" + field }

// AttrInputID is the id of a field's input, the target of the preview's
// links to invalid fields.
func AttrInputID(field string) string { return "attr-" + field }

// attrDescribedBy joins the ids that describe an input: its help text and,
// when it has one, its message.
func attrDescribedBy(help, field string, errs map[string]string) string {
	ids := help
	if errs[field] != "" {
		if ids != "" {
			ids += " "
		}
		ids += AttrErrorID(field)
	}
	return ids
}
