package models

import "time"

// This file is the single Go statement of the rules of SPEC §3. The set-based
// recompute in storage (recompute.go) states the attribute-dependent ones in
// SQL; a test on random data proves both give identical results.

// ScaleE8 is the fixed-point scale of additional deals: percent hundredths
// times percent hundredths (10000 × 10000), so 1.0 deal is 100,000,000.
const ScaleE8 int64 = 100_000_000

// EffectiveIsTest: the human flag wins; otherwise the platform's flag or a
// caller phone or email on the test-contact list.
func EffectiveIsTest(s *Session, a *Attributes) bool {
	if s.HumanIsTest != nil {
		return *s.HumanIsTest
	}
	c := a.mustCompiled()
	return s.AutoIsTest || (s.PhoneKey != "" && c.phones[s.PhoneKey]) || (s.EmailKey != "" && c.emails[s.EmailKey])
}

// EffectiveIsLead: the human flag wins over the platform's.
func EffectiveIsLead(s *Session) bool {
	if s.HumanIsLead != nil {
		return *s.HumanIsLead
	}
	return s.AutoIsLead
}

// HasContact: the caller left a phone number or an email address.
func HasContact(s *Session) bool { return s.CallerPhone != "" || s.CallerEmail != "" }

// EffectiveIsOpportunity: only a lead can be an opportunity; a human flag
// decides for leads, else a lead that was not refused, not unavailable and
// left a contact.
func EffectiveIsOpportunity(s *Session) bool {
	if !EffectiveIsLead(s) {
		return false
	}
	if s.HumanIsOpportunity != nil {
		return *s.HumanIsOpportunity
	}
	return !s.Refused && !s.Unavailable && HasContact(s)
}

// EffectiveAgentSuccess: the human assessment wins; "" when neither is set.
func EffectiveAgentSuccess(s *Session) string {
	if s.HumanAgentSuccess != nil {
		return *s.HumanAgentSuccess
	}
	return s.AutoAgentSuccess
}

// SuccessFactor is 1 for Yes-A and Yes-B, else 0 (an unset assessment counts 0).
func SuccessFactor(agentSuccess string) int {
	if agentSuccess == SuccessYesA || agentSuccess == SuccessYesB {
		return 1
	}
	return 0
}

// QualityHundredths is 0.2 × stars in hundredths (4 stars is 80), and false
// when the session is not rated.
func QualityHundredths(stars *int) (int64, bool) {
	if stars == nil {
		return 0, false
	}
	return int64(*stars) * 20, true
}

// LeadValueCents is 0 for a non-lead; round(units × unit price) for per-unit
// attributes and units > 0; otherwise the average lead value. The outcome of
// the call does not matter.
func LeadValueCents(isLead bool, units *Centi, a *Attributes) int64 {
	if !isLead {
		return 0
	}
	if a.LeadValueMethod == MethodPerUnit && units != nil && *units > 0 {
		return divRound(int64(*units)*a.UnitPriceCents, int64(CentiOne))
	}
	return a.AverageLeadValueCents
}

// InWorkingHours reads started_at in the attributes' time zone and tells
// whether its weekday and minute fall in one of that day's intervals.
func InWorkingHours(t time.Time, a *Attributes) bool {
	lt := t.In(a.mustCompiled().loc)
	day := (int(lt.Weekday()) + 6) % 7 // Monday = 0
	minute := lt.Hour()*60 + lt.Minute()
	for _, iv := range a.WorkingHours[day] {
		if minute >= iv.Start && minute < iv.End {
			return true
		}
	}
	return false
}

// RecognitionFor is the credit the AI gets: 100% outside working hours or for
// overflow redirection, the recognition percentage in working hours for
// non-overflow.
func RecognitionFor(inWorkingHours bool, a *Attributes) Centi {
	if inWorkingHours && a.RedirectionType == RedirectNonOverflow {
		return a.RecognitionPercent
	}
	return FullPercent
}

// AdditionalDealsE8 is is_opportunity × conversion ratio × success factor ×
// recognition, scaled by ScaleE8; a test session gets 0.
func AdditionalDealsE8(isTest, isOpportunity bool, successFactor int, recognition Centi, a *Attributes) int64 {
	if isTest || !isOpportunity || successFactor == 0 {
		return 0
	}
	return int64(a.ConversionRatio) * int64(recognition)
}

// ASRCents is round(lead value × additional deals), half away from zero. The
// lead value is split at 10^8 so the product stays inside int64 exactly as the
// SQL statement of the rule does: (lv div 1e8)·d + round((lv mod 1e8)·d / 1e8).
func ASRCents(leadValueCents, additionalDealsE8 int64) int64 {
	hi, lo := leadValueCents/ScaleE8, leadValueCents%ScaleE8
	return hi*additionalDealsE8 + divRound(lo*additionalDealsE8, ScaleE8)
}

// Recompute sets every derived field of s from its auto and human parts and
// the attributes; it is the only writer of derived fields on the per-row path.
func (s *Session) Recompute(a *Attributes) {
	s.PhoneKey = PhoneKey(s.CallerPhone)
	s.EmailKey = EmailKey(s.CallerEmail)
	s.IsTest = EffectiveIsTest(s, a)
	s.IsLead = EffectiveIsLead(s)
	s.IsOpportunity = EffectiveIsOpportunity(s)
	s.AgentSuccess = EffectiveAgentSuccess(s)
	s.SuccessFactor = SuccessFactor(s.AgentSuccess)
	s.LeadValueCents = LeadValueCents(s.IsLead, s.Units, a)
	s.InWorkingHours = InWorkingHours(s.StartedAt.Time, a)
	s.Recognition = RecognitionFor(s.InWorkingHours, a)
	s.AdditionalDealsE8 = AdditionalDealsE8(s.IsTest, s.IsOpportunity, s.SuccessFactor, s.Recognition, a)
	s.ASRCents = ASRCents(s.LeadValueCents, s.AdditionalDealsE8)
}

// Quality is the session's conversation quality in hundredths (0.2 × stars).
func (s *Session) Quality() (int64, bool) { return QualityHundredths(s.Stars) }
