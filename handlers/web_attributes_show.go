package handlers

import (
	"encoding/json"
	"slices"
	"strings"

	"asrboard/models"
	"asrboard/views"
)

// previewRows are the figures the preview compares, now and after.
func previewRows(before, after models.Totals, curCurrency, newCurrency string) []views.PreviewRow {
	money := func(key, label string, now, next int64) views.PreviewRow {
		return views.PreviewRow{Key: key, Label: label, NowRaw: now, AfterRaw: next,
			Now: views.FormatMoney(now, curCurrency), After: views.FormatMoney(next, newCurrency),
			Change: views.FormatMoneyChange(next-now, newCurrency), Trend: trend(next - now)}
	}
	return []views.PreviewRow{
		money("asr", "Total ASR", before.ASRCents, after.ASRCents),
		{Key: "opportunities", Label: "Opportunities", NowRaw: before.Opportunities, AfterRaw: after.Opportunities,
			Now: views.FormatCount(before.Opportunities), After: views.FormatCount(after.Opportunities),
			Change: views.FormatCountChange(after.Opportunities - before.Opportunities), Trend: trend(after.Opportunities - before.Opportunities)},
		money("lead-value", "Total lead value", before.LeadValueCents, after.LeadValueCents),
		{Key: "additional-deals", Label: "Additional deals", NowRaw: before.AdditionalDealsE8, AfterRaw: after.AdditionalDealsE8,
			Now: views.FormatE8(before.AdditionalDealsE8, 2), After: views.FormatE8(after.AdditionalDealsE8, 2),
			Change: views.FormatE8Change(after.AdditionalDealsE8-before.AdditionalDealsE8, 2), Trend: trend(after.AdditionalDealsE8 - before.AdditionalDealsE8)},
	}
}

// previewErrors is the preview box that lists the form's messages instead
// of figures.
func previewErrors(errs map[string]string) views.AttributesPreview {
	return views.AttributesPreview{Shown: true, Errors: errorList(errs)}
}

// errorList lists the form's messages top to bottom, each with its field's
// label, for the preview box and the summary above the form.
func errorList(errs map[string]string) []views.PreviewError {
	var out []views.PreviewError
	seen := map[string]bool{}
	for _, f := range formErrorOrder() {
		if msg, ok := errs[f]; ok {
			out = append(out, views.PreviewError{Field: f, Label: views.AttrLabel(f), Message: msg})
			seen[f] = true
		}
	}
	var rest []string
	for f := range errs {
		if !seen[f] {
			rest = append(rest, f)
		}
	}
	slices.Sort(rest)
	for _, f := range rest {
		out = append(out, views.PreviewError{Field: f, Label: views.AttrLabel(f), Message: errs[f]})
	}
	return out
}

// historyLabels name the attributes of the audit log (their JSON names).
var historyLabels = map[string]string{
	"currency":                 "Currency",
	"lead_value_method":        "Lead value method",
	"average_lead_value_cents": "Average lead value",
	"unit_label":               "Unit label",
	"unit_price_cents":         "Unit price",
	"conversion_ratio_percent": "Conversion ratio",
	"redirection_type":         "Redirection type",
	"recognition_percent":      "Recognition",
	"timezone":                 "Time zone",
	"working_hours":            "Working hours",
	"test_contacts":            "Test contacts",
}

// attributeHistory writes audit entries for people: times in the
// attributes' time zone, values as the form shows them (money in the
// current currency, percentages with %, working hours as intervals).
func attributeHistory(entries []models.AuditEntry, cur *models.Attributes) []views.AttributeChange {
	loc := cur.Location()
	out := make([]views.AttributeChange, 0, len(entries))
	for _, e := range entries {
		label, ok := historyLabels[e.Field]
		if !ok {
			label = e.Field
		}
		out = append(out, views.AttributeChange{
			At:    e.At.In(loc).Format("Jan 2, 2006 15:04 MST"),
			Actor: actorName(e.Actor),
			Field: label,
			Old:   historyValue(e.Field, e.Old, cur.Currency),
			New:   historyValue(e.Field, e.New, cur.Currency),
		})
	}
	return out
}

// actorName writes an audit actor for people: the email of a user, "API
// token NAME" for a token.
func actorName(actor string) string {
	if email, ok := strings.CutPrefix(actor, "user:"); ok {
		return email
	}
	if name, ok := strings.CutPrefix(actor, "token:"); ok {
		return "API token " + name
	}
	return actor
}

// historyValue writes one stored JSON value of an attribute readably; a
// value that does not decode is shown as stored.
func historyValue(field, raw, currency string) string {
	if strings.TrimSpace(raw) == "" || raw == "null" {
		return views.Dash
	}
	switch field {
	case "average_lead_value_cents", "unit_price_cents":
		var cents int64
		if json.Unmarshal([]byte(raw), &cents) == nil {
			return views.FormatMoney(cents, currency)
		}
	case "conversion_ratio_percent", "recognition_percent":
		var c models.Centi
		if json.Unmarshal([]byte(raw), &c) == nil {
			return c.String() + "%"
		}
	case "working_hours":
		var w models.WorkingHours
		if json.Unmarshal([]byte(raw), &w) == nil {
			return compactHours(w)
		}
	case "test_contacts":
		var list []string
		if json.Unmarshal([]byte(raw), &list) == nil {
			if len(list) == 0 {
				return "none"
			}
			return strings.Join(list, ", ")
		}
	case "lead_value_method", "redirection_type":
		var s string
		if json.Unmarshal([]byte(raw), &s) == nil {
			if l, ok := choiceLabels[s]; ok {
				return l
			}
			return s
		}
	default:
		var s string
		if json.Unmarshal([]byte(raw), &s) == nil {
			if s == "" {
				return views.Dash
			}
			return s
		}
	}
	return raw
}

// choiceLabels are the words of the radio choices.
var choiceLabels = map[string]string{
	models.MethodAverage:       "Average",
	models.MethodPerUnit:       "Per unit",
	models.RedirectOverflow:    "Overflow",
	models.RedirectNonOverflow: "Non-overflow",
}

// shortDays are the weekdays' short names, Monday first.
var shortDays = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// compactHours writes working hours with runs of days that share their
// intervals joined: "Mon–Fri 09:00-17:00; Sat, Sun closed".
func compactHours(w models.WorkingHours) string {
	var parts []string
	for d := 0; d < 7; {
		text, e := formatIntervals(w[d]), d
		for e+1 < 7 && formatIntervals(w[e+1]) == text {
			e++
		}
		days := shortDays[d]
		switch {
		case e == d+1:
			days += ", " + shortDays[e]
		case e > d+1:
			days += "–" + shortDays[e]
		}
		if text == "" {
			text = "closed"
		}
		parts = append(parts, days+" "+text)
		d = e + 1
	}
	return strings.Join(parts, "; ")
}
