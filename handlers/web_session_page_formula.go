package handlers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"asrboard/models"
	"asrboard/views"
)

// sessionFigures writes the derived fields of s and its ASR formula with
// its own numbers, each factor with the reason for its value:
//
//	$260.00 × 1 × 90% × 1 × 30% = $70.20
//
// A test session gets a last factor 0, as SPEC §3 sets its additional deals
// to 0. The figures are the stored derived fields; the attributes only name
// the conversion ratio and explain the lead value and the recognition.
func sessionFigures(s *models.Session, a *models.Attributes) views.SessionFigures {
	money := func(c int64) string { return views.FormatMoney(c, a.Currency) }
	loc := a.Location()
	opp, sf := b2i(s.IsOpportunity), s.SuccessFactor
	formula := fmt.Sprintf("%s × %d × %s × %d × %s", money(s.LeadValueCents), opp, percent(a.ConversionRatio), sf, percent(s.Recognition))
	f := views.SessionFigures{ASR: money(s.ASRCents)}
	f.Factors = []views.Factor{
		{Key: "lead_value", Name: "Lead value", Value: money(s.LeadValueCents), Why: leadValueWhy(s, a)},
		{Key: "is_opportunity", Name: "Is opportunity", Value: strconv.Itoa(opp), Why: opportunityWhy(s)},
		{Key: "conversion_ratio", Name: "Conversion ratio", Value: percent(a.ConversionRatio),
			Why: "the attributes' conversion ratio: the share of opportunities that become deals"},
		{Key: "success_factor", Name: "Success factor", Value: strconv.Itoa(sf), Why: successWhy(s)},
		{Key: "recognition", Name: "Recognition", Value: percent(s.Recognition), Why: recognitionWhy(s, a, loc)},
	}
	if s.IsTest {
		formula += " × 0"
		why := "the caller is on the test-contact list"
		switch {
		case s.HumanIsTest != nil:
			why = "a reviewer marked it a test"
		case s.AutoIsTest:
			why = "the AI platform marked it a test"
		}
		f.Factors = append(f.Factors, views.Factor{Key: "is_test", Name: "Test session", Value: "0", Why: why + ": test sessions never count"})
		f.Note = "Test session: ASR is 0."
	}
	f.Formula = formula + " = " + money(s.ASRCents)
	quality := views.Dash
	if q, ok := s.Quality(); ok {
		quality = models.FormatScaled(q, 100, 2)
	}
	f.Derived = []views.Fact{
		{Key: "is_test", Label: "Is test", Value: yesNo(s.IsTest)},
		{Key: "is_lead", Label: "Is lead", Value: yesNo(s.IsLead)},
		{Key: "is_opportunity", Label: "Is opportunity", Value: yesNo(s.IsOpportunity)},
		{Key: "agent_success", Label: "Agent success", Value: orNone(s.AgentSuccess, "not assessed")},
		{Key: "success_factor", Label: "Success factor", Value: strconv.Itoa(s.SuccessFactor)},
		{Key: "lead_value", Label: "Lead value", Value: money(s.LeadValueCents)},
		{Key: "in_working_hours", Label: "In working hours", Value: yesNo(s.InWorkingHours)},
		{Key: "recognition", Label: "Recognition", Value: percent(s.Recognition)},
		{Key: "additional_deals", Label: "Additional deals", Value: views.FormatE8(s.AdditionalDealsE8, 4)},
		{Key: "asr", Label: "ASR", Value: money(s.ASRCents)},
		{Key: "quality", Label: "Conversation quality", Value: quality},
	}
	return f
}

func leadValueWhy(s *models.Session, a *models.Attributes) string {
	switch {
	case !s.IsLead:
		return "not a lead, so no lead value"
	case a.LeadValueMethod == models.MethodPerUnit && s.Units != nil && *s.Units > 0:
		return fmt.Sprintf("%s %s × %s per %s", s.Units.String(), a.UnitLabel, views.FormatMoney(a.UnitPriceCents, a.Currency), singular(a.UnitLabel))
	case a.LeadValueMethod == models.MethodPerUnit:
		return "the average lead value: no " + a.UnitLabel + " given for a per-unit value"
	}
	return "the average lead value of the attributes"
}

func opportunityWhy(s *models.Session) string {
	switch {
	case !s.IsLead:
		return "not a lead: only a lead can be an opportunity"
	case s.HumanIsOpportunity != nil:
		return "set by a reviewer"
	case s.IsOpportunity:
		return "a lead that left a contact and neither refused nor found it unavailable"
	}
	var why []string
	if s.Refused {
		why = append(why, "the caller refused")
	}
	if s.Unavailable {
		why = append(why, "what was asked for was unavailable")
	}
	if !models.HasContact(s) {
		why = append(why, "no phone or email left")
	}
	return strings.Join(why, "; ")
}

func successWhy(s *models.Session) string {
	switch {
	case s.AgentSuccess == "":
		return "no assessment"
	case s.HumanAgentSuccess != nil:
		return "the reviewer's assessment " + s.AgentSuccess
	}
	return "the AI's own assessment " + s.AgentSuccess
}

// recognitionWhy: "started 13:00 Tue in working hours, non-overflow
// redirection".
func recognitionWhy(s *models.Session, a *models.Attributes, loc *time.Location) string {
	started := "started " + s.StartedAt.In(loc).Format("15:04 Mon")
	switch {
	case !s.InWorkingHours:
		return started + " outside working hours: nobody would have answered"
	case a.RedirectionType == models.RedirectNonOverflow:
		return started + " in working hours, non-overflow redirection"
	}
	return started + " in working hours, overflow redirection: the AI only takes the calls staff miss"
}

// singular drops a plural "s" from a unit label for "per guest".
func singular(label string) string {
	if len(label) > 3 && strings.HasSuffix(label, "s") && !strings.HasSuffix(label, "ss") {
		return label[:len(label)-1]
	}
	return label
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}
