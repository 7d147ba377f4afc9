package handlers

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

// attributesForm is the attributes form as the person typed it; Validate
// reads it into attributes.
type attributesForm struct{ views.AttributesValues }

// readAttributesForm takes the form's fields from a POST.
func readAttributesForm(c echo.Context) attributesForm {
	f := attributesForm{views.AttributesValues{
		Currency:           c.FormValue(views.AttrCurrency),
		LeadValueMethod:    c.FormValue(views.AttrLeadValueMethod),
		AverageLeadValue:   c.FormValue(views.AttrAverageLeadValue),
		UnitLabel:          c.FormValue(views.AttrUnitLabel),
		UnitPrice:          c.FormValue(views.AttrUnitPrice),
		ConversionRatio:    c.FormValue(views.AttrConversionRatio),
		RedirectionType:    c.FormValue(views.AttrRedirectionType),
		RecognitionPercent: c.FormValue(views.AttrRecognitionPercent),
		Timezone:           c.FormValue(views.AttrTimezone),
		TestContacts:       c.FormValue(views.AttrTestContacts),
	}}
	for d := range 7 {
		f.Hours[d] = c.FormValue(views.AttrHours(d))
	}
	return f
}

// attributesFormOf writes saved attributes the way the form shows them:
// money in major units ("65.00"), percentages as exact decimals ("33.33").
func attributesFormOf(a *models.Attributes) attributesForm {
	f := attributesForm{views.AttributesValues{
		Currency:           a.Currency,
		LeadValueMethod:    a.LeadValueMethod,
		AverageLeadValue:   formatMajor(a.AverageLeadValueCents),
		UnitLabel:          a.UnitLabel,
		UnitPrice:          formatMajor(a.UnitPriceCents),
		ConversionRatio:    a.ConversionRatio.String(),
		RedirectionType:    a.RedirectionType,
		RecognitionPercent: a.RecognitionPercent.String(),
		Timezone:           a.Timezone,
		TestContacts:       strings.Join(a.TestContacts, "\n"),
	}}
	for d, list := range a.WorkingHours {
		f.Hours[d] = formatIntervals(list)
	}
	return f
}

// view is the form for the page, with the messages per field name.
func (f attributesForm) view(errs map[string]string) views.AttributesForm {
	return views.AttributesForm{AttributesValues: f.AttributesValues, Errors: errs}
}

// Validate turns the typed values into attributes and checks them: first
// what the form itself must read (money, percentages, intervals), then every
// rule of models.Attributes.Validate, each message mapped to the input it is
// about. An empty map means a may be saved.
func (f attributesForm) Validate() (models.Attributes, map[string]string) {
	errs := map[string]string{}
	a := models.DefaultAttributes()
	a.Currency = strings.ToUpper(strings.TrimSpace(f.Currency))
	a.LeadValueMethod = f.LeadValueMethod
	a.UnitLabel = strings.TrimSpace(f.UnitLabel)
	a.RedirectionType = f.RedirectionType
	a.Timezone = strings.TrimSpace(f.Timezone)

	var err error
	if a.AverageLeadValueCents, err = parseMoney(f.AverageLeadValue, models.MaxLeadValueCents); err != nil {
		errs[views.AttrAverageLeadValue] = err.Error()
	}
	if a.UnitPriceCents, err = parseMoney(f.UnitPrice, models.MaxUnitPriceCents); err != nil {
		errs[views.AttrUnitPrice] = err.Error()
	}
	if a.ConversionRatio, err = parsePercent(f.ConversionRatio); err != nil {
		errs[views.AttrConversionRatio] = err.Error()
	}
	if a.RecognitionPercent, err = parsePercent(f.RecognitionPercent); err != nil {
		errs[views.AttrRecognitionPercent] = err.Error()
	}
	for d := range 7 {
		if a.WorkingHours[d], err = parseIntervals(f.Hours[d]); err != nil {
			errs[views.AttrHours(d)] = err.Error()
		}
	}
	contacts, lines := splitContacts(f.TestContacts)
	a.TestContacts = contacts

	unread := make(map[string]bool, len(errs))
	for k := range errs {
		unread[k] = true
	}
	for _, fe := range a.Validate() {
		field, msg := attributeFormField(fe, lines)
		if unread[field] {
			continue // the form's own message already says what is wrong
		}
		if prev := errs[field]; prev != "" {
			msg = prev + "; " + msg
		}
		errs[field] = msg
	}
	return a, errs
}

// attributeFormField maps a field of models.Attributes.Validate
// ("working_hours.mon", "test_contacts[2]") to the input it is about, and
// words a test contact's message with its line in the textarea.
func attributeFormField(fe models.FieldError, lines []int) (string, string) {
	switch {
	case fe.Field == "lead_value_method":
		return views.AttrLeadValueMethod, "choose Average or Per unit"
	case fe.Field == "redirection_type":
		return views.AttrRedirectionType, "choose Overflow or Non-overflow"
	case fe.Field == "average_lead_value_cents":
		return views.AttrAverageLeadValue, fe.Message
	case fe.Field == "unit_price_cents":
		return views.AttrUnitPrice, fe.Message
	case strings.HasPrefix(fe.Field, "working_hours."):
		key := strings.TrimPrefix(fe.Field, "working_hours.")
		for d, k := range models.WeekdayKeys {
			if k == key {
				return views.AttrHours(d), fe.Message
			}
		}
		return views.AttrHours(0), fe.Message
	case strings.HasPrefix(fe.Field, "test_contacts["):
		i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(fe.Field, "test_contacts["), "]"))
		if err == nil && i >= 0 && i < len(lines) {
			return views.AttrTestContacts, fmt.Sprintf("line %d: %s", lines[i], fe.Message)
		}
		return views.AttrTestContacts, fe.Message
	}
	return fe.Field, fe.Message
}

// formErrorOrder lists the form's fields top to bottom, for messages that
// list them (the preview's).
func formErrorOrder() []string {
	out := []string{views.AttrCurrency, views.AttrLeadValueMethod, views.AttrAverageLeadValue, views.AttrUnitPrice,
		views.AttrUnitLabel, views.AttrConversionRatio, views.AttrRecognitionPercent, views.AttrRedirectionType, views.AttrTimezone}
	for d := range 7 {
		out = append(out, views.AttrHours(d))
	}
	return append(out, views.AttrTestContacts)
}

// moneyRE is an amount in major units: digits, optionally grouped in
// thousands with commas, and any number of decimals (more than two is
// refused with its own message).
var moneyRE = regexp.MustCompile(`^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$`)

// parseMoney reads "65", "65.00", "1,234.50" or ".5" into cents; max is the
// largest amount in cents.
func parseMoney(s string, max int64) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("is required: enter an amount like 65.00, or 0")
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		return 0, fmt.Errorf("must not be negative, got %s", s)
	}
	m := moneyRE.FindStringSubmatch(s)
	if m == nil || (m[1] == "" && m[2] == "") {
		return 0, fmt.Errorf("must be an amount like 65.00 or 1,234.50, got %q", s)
	}
	if len(m[2]) > 2 {
		return 0, fmt.Errorf("must have at most 2 decimals (whole cents), got %s", s)
	}
	whole := strings.ReplaceAll(m[1], ",", "")
	if whole == "" {
		whole = "0"
	}
	frac := (m[2] + "00")[:2]
	limit := fmt.Errorf("must be at most %s", formatMajor(max))
	if len(whole) > 15 {
		return 0, limit
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, limit
	}
	c, _ := strconv.ParseInt(frac, 10, 64) // two digits, always a number
	cents := w*100 + c
	if cents > max {
		return 0, limit
	}
	return cents, nil
}

// formatMajor writes cents as an amount the money inputs read back: "65.00".
func formatMajor(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// parsePercent reads "90", "33.33" or "90 %" exactly; the range is checked by
// models.Attributes.Validate.
func parsePercent(s string) (models.Centi, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, fmt.Errorf("is required: a percentage from 0 to 100")
	}
	v, err := models.ParseCenti(s)
	if err != nil {
		return 0, fmt.Errorf("must be a percentage from 0 to 100 with at most 2 decimals, got %q", s)
	}
	return v, nil
}

// intervalSplit separates the intervals of one weekday.
var intervalSplit = regexp.MustCompile(`\s*[,;]\s*`)

// parseIntervals reads one weekday like "09:00-12:00, 13:00-17:00"; empty
// or "closed" is no working hours. Order and overlap are checked by
// models.Attributes.Validate.
func parseIntervals(s string) ([]models.Interval, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "closed") {
		return nil, nil
	}
	var out []models.Interval
	for _, part := range intervalSplit.Split(s, -1) {
		if part == "" {
			continue
		}
		start, end, ok := cutDash(part)
		if !ok {
			return nil, fmt.Errorf("%q is not an interval like 09:00-17:00", part)
		}
		a, err := models.ParseClock(padClock(start))
		if err != nil {
			return nil, fmt.Errorf("%q: %v", part, err)
		}
		b, err := models.ParseClock(padClock(end))
		if err != nil {
			return nil, fmt.Errorf("%q: %v", part, err)
		}
		out = append(out, models.Interval{Start: a, End: b})
	}
	return out, nil
}

// cutDash splits "09:00-17:00" (also with an en dash or "to").
func cutDash(s string) (string, string, bool) {
	for _, sep := range []string{"-", "–", "—", " to "} {
		if a, b, ok := strings.Cut(s, sep); ok {
			return strings.TrimSpace(a), strings.TrimSpace(b), true
		}
	}
	return "", "", false
}

// padClock turns "9:00" into "09:00", so a single-digit hour is read.
func padClock(s string) string {
	if len(s) == 4 && s[1] == ':' {
		return "0" + s
	}
	return s
}

// formatIntervals writes one weekday the way parseIntervals reads it.
func formatIntervals(list []models.Interval) string {
	parts := make([]string, len(list))
	for i, iv := range list {
		parts[i] = models.FormatClock(iv.Start) + "-" + models.FormatClock(iv.End)
	}
	return strings.Join(parts, ", ")
}

// splitContacts reads one contact per line, skipping blank lines, and
// returns the line number of each for messages.
func splitContacts(s string) ([]string, []int) {
	out, lines := []string{}, []int{}
	for i, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if t := strings.TrimSpace(line); t != "" {
			out = append(out, t)
			lines = append(lines, i+1)
		}
	}
	return out, lines
}

// commonTimezones fill the time zone input's suggestions; any IANA name is
// accepted.
var commonTimezones = []string{
	"UTC",
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu", "America/Toronto", "America/Vancouver", "America/Mexico_City",
	"America/Bogota", "America/Lima", "America/Santiago", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
	"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
	"Europe/Rome", "Europe/Amsterdam", "Europe/Zurich", "Europe/Vienna", "Europe/Stockholm", "Europe/Warsaw",
	"Europe/Prague", "Europe/Athens", "Europe/Helsinki", "Europe/Istanbul", "Europe/Kyiv", "Europe/Moscow",
	"Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
	"Asia/Dubai", "Asia/Jerusalem", "Asia/Karachi", "Asia/Kolkata", "Asia/Bangkok", "Asia/Jakarta",
	"Asia/Singapore", "Asia/Hong_Kong", "Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul", "Asia/Manila",
	"Australia/Perth", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney", "Australia/Melbourne",
	"Pacific/Auckland",
}
