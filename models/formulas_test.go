package models

import (
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

// leadSession is a lead with a contact that the rule of SPEC §3 makes an
// opportunity, started on a Wednesday afternoon in UTC (in default hours).
func leadSession(t *testing.T) *Session {
	t.Helper()
	return &Session{
		ExternalID:       "s1",
		StartedAt:        utcTS(t, "2026-05-06T13:00:00Z"),
		Channel:          "phone",
		CallerPhone:      "+1 555 123 4567",
		AutoIsLead:       true,
		AutoAgentSuccess: SuccessYesA,
	}
}

func TestEffectiveFlags(t *testing.T) {
	tests := []struct {
		name         string
		mod          func(s *Session)
		testContacts []string
		wantTest     bool
		wantLead     bool
		wantOpp      bool
	}{
		// is_test = human.is_test ?? (auto.is_test OR contact ∈ test_contacts)
		{name: "plain lead", wantLead: true, wantOpp: true},
		{name: "auto test", mod: func(s *Session) { s.AutoIsTest = true }, wantTest: true, wantLead: true, wantOpp: true},
		{name: "human is_test false overrides auto true", mod: func(s *Session) { s.AutoIsTest = true; s.HumanIsTest = ptr(false) }, wantLead: true, wantOpp: true},
		{name: "human is_test true overrides auto false", mod: func(s *Session) { s.HumanIsTest = ptr(true) }, wantTest: true, wantLead: true, wantOpp: true},
		{name: "null human is_test keeps auto true", mod: func(s *Session) { s.AutoIsTest = true; s.HumanIsTest = nil }, wantTest: true, wantLead: true, wantOpp: true},
		{name: "test contact phone", testContacts: []string{"15551234567"}, wantTest: true, wantLead: true, wantOpp: true},
		{name: "human is_test false overrides test contact", mod: func(s *Session) { s.HumanIsTest = ptr(false) }, testContacts: []string{"15551234567"}, wantLead: true, wantOpp: true},

		// is_lead = human.is_lead ?? auto.is_lead
		{name: "human is_lead false overrides auto true", mod: func(s *Session) { s.HumanIsLead = ptr(false) }},
		{name: "human is_lead true overrides auto false", mod: func(s *Session) { s.AutoIsLead = false; s.HumanIsLead = ptr(true) }, wantLead: true, wantOpp: true},
		{name: "auto non-lead", mod: func(s *Session) { s.AutoIsLead = false }},
		{name: "null human is_lead keeps auto", mod: func(s *Session) { s.HumanIsLead = nil }, wantLead: true, wantOpp: true},

		// is_opportunity = is_lead AND (human ?? (NOT refused AND NOT unavailable AND contact))
		{name: "email only is a contact", mod: func(s *Session) { s.CallerPhone = ""; s.CallerEmail = "a@example.com" }, wantLead: true, wantOpp: true},
		{name: "phone and email", mod: func(s *Session) { s.CallerEmail = "a@example.com" }, wantLead: true, wantOpp: true},
		{name: "no contact", mod: func(s *Session) { s.CallerPhone = "" }, wantLead: true},
		{name: "name alone is no contact", mod: func(s *Session) { s.CallerPhone = ""; s.CallerName = "Ann" }, wantLead: true},
		{name: "refused", mod: func(s *Session) { s.Refused = true }, wantLead: true},
		{name: "unavailable", mod: func(s *Session) { s.Unavailable = true }, wantLead: true},
		{name: "refused and unavailable", mod: func(s *Session) { s.Refused = true; s.Unavailable = true }, wantLead: true},
		{name: "human opportunity true without contact", mod: func(s *Session) { s.CallerPhone = ""; s.HumanIsOpportunity = ptr(true) }, wantLead: true, wantOpp: true},
		{name: "human opportunity true on refused", mod: func(s *Session) { s.Refused = true; s.HumanIsOpportunity = ptr(true) }, wantLead: true, wantOpp: true},
		{name: "human opportunity true on unavailable", mod: func(s *Session) { s.Unavailable = true; s.HumanIsOpportunity = ptr(true) }, wantLead: true, wantOpp: true},
		{name: "human opportunity false overrides the rule", mod: func(s *Session) { s.HumanIsOpportunity = ptr(false) }, wantLead: true},
		{name: "null human opportunity keeps the rule", mod: func(s *Session) { s.HumanIsOpportunity = nil; s.Refused = true }, wantLead: true},
		{name: "human opportunity true on auto non-lead is ignored", mod: func(s *Session) { s.AutoIsLead = false; s.HumanIsOpportunity = ptr(true) }},
		{name: "human opportunity true but human not a lead", mod: func(s *Session) { s.HumanIsLead = ptr(false); s.HumanIsOpportunity = ptr(true) }},
		{name: "test session can still be an opportunity", mod: func(s *Session) { s.AutoIsTest = true }, wantTest: true, wantLead: true, wantOpp: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attrs(t, func(a *Attributes) { a.TestContacts = tt.testContacts })
			s := leadSession(t)
			if tt.mod != nil {
				tt.mod(s)
			}
			s.Recompute(a)
			if s.IsTest != tt.wantTest || s.IsLead != tt.wantLead || s.IsOpportunity != tt.wantOpp {
				t.Fatalf("is_test, is_lead, is_opportunity = %v, %v, %v; want %v, %v, %v",
					s.IsTest, s.IsLead, s.IsOpportunity, tt.wantTest, tt.wantLead, tt.wantOpp)
			}
			// The exported helpers are the same rules (storage's SQL is checked against them).
			if got := EffectiveIsLead(s); got != tt.wantLead {
				t.Fatalf("EffectiveIsLead = %v, want %v", got, tt.wantLead)
			}
			if got := EffectiveIsOpportunity(s); got != tt.wantOpp {
				t.Fatalf("EffectiveIsOpportunity = %v, want %v", got, tt.wantOpp)
			}
			if got := EffectiveIsTest(s, a); got != tt.wantTest {
				t.Fatalf("EffectiveIsTest = %v, want %v", got, tt.wantTest)
			}
		})
	}
}

func TestHasContact(t *testing.T) {
	tests := []struct {
		phone, email string
		want         bool
	}{
		{"", "", false},
		{"555", "", true},
		{"", "a@example.com", true},
		{"555", "a@example.com", true},
	}
	for _, tt := range tests {
		if got := HasContact(&Session{CallerPhone: tt.phone, CallerEmail: tt.email}); got != tt.want {
			t.Errorf("HasContact(phone %q, email %q) = %v, want %v", tt.phone, tt.email, got, tt.want)
		}
	}
}

func TestAgentSuccessAndSuccessFactor(t *testing.T) {
	tests := []struct {
		name       string
		auto       string
		human      *string
		want       string
		wantFactor int
	}{
		{name: "unset counts 0", auto: "", want: "", wantFactor: 0},
		{name: "auto Yes-A", auto: SuccessYesA, want: SuccessYesA, wantFactor: 1},
		{name: "auto Yes-B", auto: SuccessYesB, want: SuccessYesB, wantFactor: 1},
		{name: "auto No", auto: SuccessNo, want: SuccessNo, wantFactor: 0},
		{name: "human No overrides auto Yes-A", auto: SuccessYesA, human: ptr(SuccessNo), want: SuccessNo, wantFactor: 0},
		{name: "human Yes-B overrides unset auto", auto: "", human: ptr(SuccessYesB), want: SuccessYesB, wantFactor: 1},
		{name: "human Yes-A overrides auto No", auto: SuccessNo, human: ptr(SuccessYesA), want: SuccessYesA, wantFactor: 1},
		{name: "null human keeps auto", auto: SuccessYesB, human: nil, want: SuccessYesB, wantFactor: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attrs(t, nil)
			s := leadSession(t)
			s.AutoAgentSuccess, s.HumanAgentSuccess = tt.auto, tt.human
			s.Recompute(a)
			if s.AgentSuccess != tt.want || s.SuccessFactor != tt.wantFactor {
				t.Fatalf("agent_success, success_factor = %q, %d; want %q, %d", s.AgentSuccess, s.SuccessFactor, tt.want, tt.wantFactor)
			}
			if tt.wantFactor == 0 && s.ASRCents != 0 {
				t.Fatalf("success factor 0 but asr = %d", s.ASRCents)
			}
		})
	}
	for _, code := range []string{"yes-a", "YES-B", "Yes", "Yes-C", "no", " Yes-A"} {
		if f := SuccessFactor(code); f != 0 {
			t.Errorf("SuccessFactor(%q) = %d, want 0: only canonical codes count", code, f)
		}
	}
}

func TestQuality(t *testing.T) {
	tests := []struct {
		stars  *int
		want   int64
		wantOK bool
	}{
		{nil, 0, false},
		{ptr(1), 20, true},
		{ptr(2), 40, true},
		{ptr(3), 60, true},
		{ptr(4), 80, true},
		{ptr(5), 100, true},
	}
	for _, tt := range tests {
		got, ok := QualityHundredths(tt.stars)
		s := Session{Stars: tt.stars}
		got2, ok2 := s.Quality()
		if got != tt.want || ok != tt.wantOK || got2 != got || ok2 != ok {
			t.Errorf("quality(%v) = %d, %v (method %d, %v); want %d, %v", tt.stars, got, ok, got2, ok2, tt.want, tt.wantOK)
		}
	}
}

func TestLeadValueCents(t *testing.T) {
	perUnit := func(price, average int64) func(a *Attributes) {
		return func(a *Attributes) {
			a.LeadValueMethod = MethodPerUnit
			a.UnitPriceCents = price
			a.AverageLeadValueCents = average
		}
	}
	average := func(v int64) func(a *Attributes) {
		return func(a *Attributes) { a.AverageLeadValueCents = v; a.UnitPriceCents = 9999 }
	}
	tests := []struct {
		name   string
		attrs  func(a *Attributes)
		isLead bool
		units  *Centi
		want   int64
	}{
		{"per_unit 4 guests", perUnit(6500, 1000), true, ptr(4 * CentiOne), 26000},
		{"per_unit 2.5 units, 4997.5 rounds up", perUnit(1999, 0), true, ptr(Centi(250)), 4998},
		{"per_unit 2.49 units", perUnit(1999, 0), true, ptr(Centi(249)), 4978}, // 4977.51
		{"per_unit 0.01 × 50 = 0.5 rounds up", perUnit(50, 0), true, ptr(Centi(1)), 1},
		{"per_unit 0.01 × 49 = 0.49 rounds down", perUnit(49, 0), true, ptr(Centi(1)), 0},
		{"per_unit 0.01 × 150 = 1.5 rounds to 2", perUnit(150, 0), true, ptr(Centi(1)), 2},
		{"per_unit 0.01 × 250 = 2.5 rounds to 3", perUnit(250, 0), true, ptr(Centi(1)), 3},
		{"per_unit units 0 falls back to average", perUnit(6500, 1234), true, ptr(Centi(0)), 1234},
		{"per_unit no units falls back to average", perUnit(6500, 1234), true, nil, 1234},
		{"per_unit unit price 0", perUnit(0, 1234), true, ptr(4 * CentiOne), 0},
		{"per_unit max units × max price", perUnit(MaxUnitPriceCents, 0), true, ptr(MaxUnits), 10_000_000_000_000_000},
		{"per_unit non-lead", perUnit(6500, 1234), false, ptr(4 * CentiOne), 0},
		{"average ignores units", average(5000), true, ptr(4 * CentiOne), 5000},
		{"average without units", average(5000), true, nil, 5000},
		{"average max", average(MaxLeadValueCents), true, nil, MaxLeadValueCents},
		{"average non-lead", average(5000), false, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attrs(t, tt.attrs)
			if got := LeadValueCents(tt.isLead, tt.units, a); got != tt.want {
				t.Fatalf("LeadValueCents = %d, want %d", got, tt.want)
			}
			s := leadSession(t)
			s.AutoIsLead, s.Units = tt.isLead, tt.units
			s.Recompute(a)
			if s.LeadValueCents != tt.want {
				t.Fatalf("Recompute lead_value_cents = %d, want %d", s.LeadValueCents, tt.want)
			}
		})
	}
}

// SPEC §3: lead value is computed whatever the outcome of the call; only
// ASR depends on it being an opportunity.
func TestLeadValueWhateverTheOutcome(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(s *Session)
		wantASR int64
	}{
		{"opportunity", nil, 5000},
		{"refused", func(s *Session) { s.Refused = true }, 0},
		{"unavailable (no table free)", func(s *Session) { s.Unavailable = true }, 0},
		{"no contact", func(s *Session) { s.CallerPhone = "" }, 0},
		{"agent failed", func(s *Session) { s.AutoAgentSuccess = SuccessNo }, 0},
		{"test session", func(s *Session) { s.AutoIsTest = true }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attrs(t, func(a *Attributes) { a.AverageLeadValueCents = 5000 })
			s := leadSession(t)
			if tt.mod != nil {
				tt.mod(s)
			}
			s.Recompute(a)
			if s.LeadValueCents != 5000 {
				t.Fatalf("lead_value_cents = %d, want 5000", s.LeadValueCents)
			}
			if s.ASRCents != tt.wantASR {
				t.Fatalf("asr_cents = %d, want %d", s.ASRCents, tt.wantASR)
			}
		})
	}
}

func TestInWorkingHoursAcrossTimeZonesAndDST(t *testing.T) {
	sundayNight := func(a *Attributes) {
		a.WorkingHours[6] = []Interval{{Start: 60, End: 120}} // Sun 01:00-02:00
	}
	lateHours := func(zone string) func(a *Attributes) {
		return func(a *Attributes) {
			a.Timezone = zone
			a.WorkingHours = WorkingHours{}
			a.WorkingHours[0] = []Interval{{Start: 22 * 60, End: 24 * 60}} // Mon 22:00-24:00
			a.WorkingHours[4] = []Interval{{Start: 18 * 60, End: 24 * 60}} // Fri 18:00-24:00
		}
	}
	tests := []struct {
		name  string
		zone  string
		extra func(a *Attributes)
		at    string // UTC instant
		want  bool
	}{
		// America/New_York, DST starts Sunday 2026-03-08 02:00 EST -> 03:00 EDT.
		{name: "NY Fri before DST 08:59 EST", zone: "America/New_York", at: "2026-03-06T13:59:00Z", want: false},
		{name: "NY Fri before DST 09:00 EST", zone: "America/New_York", at: "2026-03-06T14:00:00Z", want: true},
		{name: "NY Fri before DST 16:59 EST", zone: "America/New_York", at: "2026-03-06T21:59:00Z", want: true},
		{name: "NY Fri before DST 17:00 EST", zone: "America/New_York", at: "2026-03-06T22:00:00Z", want: false},
		{name: "NY Mon after DST 08:59 EDT", zone: "America/New_York", at: "2026-03-09T12:59:00Z", want: false},
		{name: "NY Mon after DST 09:00 EDT", zone: "America/New_York", at: "2026-03-09T13:00:00Z", want: true},
		{name: "NY Mon after DST 16:59 EDT", zone: "America/New_York", at: "2026-03-09T20:59:00Z", want: true},
		{name: "NY Mon after DST 17:00 EDT", zone: "America/New_York", at: "2026-03-09T21:00:00Z", want: false},
		{name: "NY Sun DST day is no working day", zone: "America/New_York", at: "2026-03-08T15:00:00Z", want: false},
		{name: "NY Sun 01:59 EST before the jump", zone: "America/New_York", extra: sundayNight, at: "2026-03-08T06:59:00Z", want: true},
		{name: "NY Sun 03:00 EDT after the jump", zone: "America/New_York", extra: sundayNight, at: "2026-03-08T07:00:00Z", want: false},
		// DST ends Sunday 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice.
		{name: "NY Fri before DST end 09:00 EDT", zone: "America/New_York", at: "2026-10-30T13:00:00Z", want: true},
		{name: "NY Fri before DST end 08:59 EDT", zone: "America/New_York", at: "2026-10-30T12:59:00Z", want: false},
		{name: "NY Mon after DST end 08:00 EST", zone: "America/New_York", at: "2026-11-02T13:00:00Z", want: false},
		{name: "NY Mon after DST end 09:00 EST", zone: "America/New_York", at: "2026-11-02T14:00:00Z", want: true},
		{name: "NY Mon after DST end 16:59 EST", zone: "America/New_York", at: "2026-11-02T21:59:00Z", want: true},
		{name: "NY Mon after DST end 17:00 EST", zone: "America/New_York", at: "2026-11-02T22:00:00Z", want: false},
		{name: "NY Sun 00:59 EDT", zone: "America/New_York", extra: sundayNight, at: "2026-11-01T04:59:00Z", want: false},
		{name: "NY Sun first 01:30 (EDT)", zone: "America/New_York", extra: sundayNight, at: "2026-11-01T05:30:00Z", want: true},
		{name: "NY Sun second 01:30 (EST)", zone: "America/New_York", extra: sundayNight, at: "2026-11-01T06:30:00Z", want: true},
		{name: "NY Sun 02:00 EST", zone: "America/New_York", extra: sundayNight, at: "2026-11-01T07:00:00Z", want: false},
		// Europe/Berlin, DST starts Sunday 2026-03-29 02:00 CET -> 03:00 CEST.
		{name: "Berlin Fri before DST 08:59 CET", zone: "Europe/Berlin", at: "2026-03-27T07:59:00Z", want: false},
		{name: "Berlin Fri before DST 09:00 CET", zone: "Europe/Berlin", at: "2026-03-27T08:00:00Z", want: true},
		{name: "Berlin Fri before DST 16:59 CET", zone: "Europe/Berlin", at: "2026-03-27T15:59:00Z", want: true},
		{name: "Berlin Fri before DST 17:00 CET", zone: "Europe/Berlin", at: "2026-03-27T16:00:00Z", want: false},
		{name: "Berlin Mon after DST 08:59 CEST", zone: "Europe/Berlin", at: "2026-03-30T06:59:00Z", want: false},
		{name: "Berlin Mon after DST 09:00 CEST", zone: "Europe/Berlin", at: "2026-03-30T07:00:00Z", want: true},
		{name: "Berlin Mon after DST 16:59 CEST", zone: "Europe/Berlin", at: "2026-03-30T14:59:00Z", want: true},
		{name: "Berlin Mon after DST 17:00 CEST", zone: "Europe/Berlin", at: "2026-03-30T15:00:00Z", want: false},
		// The weekday is the local one too.
		{name: "UTC Saturday is Friday 19:00 in Los Angeles", zone: "America/Los_Angeles", extra: lateHours("America/Los_Angeles"), at: "2026-05-09T02:00:00Z", want: true},
		{name: "UTC Friday 20:00 is Friday 13:00 in Los Angeles", zone: "America/Los_Angeles", extra: lateHours("America/Los_Angeles"), at: "2026-05-08T20:00:00Z", want: false},
		{name: "UTC Sunday 23:30 is Monday 08:30 in Tokyo", zone: "Asia/Tokyo", at: "2026-05-10T23:30:00Z", want: false},
		{name: "UTC Monday 00:00 is Monday 09:00 in Tokyo", zone: "Asia/Tokyo", at: "2026-05-11T00:00:00Z", want: true},
		{name: "UTC Friday 08:00 is Friday 17:00 in Tokyo", zone: "Asia/Tokyo", at: "2026-05-08T08:00:00Z", want: false},
		// "24:00" ends: Mon 22:00-24:00 includes 23:59 local, excludes Tue 00:00.
		{name: "Berlin Mon 21:59 CEST", zone: "Europe/Berlin", extra: lateHours("Europe/Berlin"), at: "2026-05-11T19:59:00Z", want: false},
		{name: "Berlin Mon 22:00 CEST", zone: "Europe/Berlin", extra: lateHours("Europe/Berlin"), at: "2026-05-11T20:00:00Z", want: true},
		{name: "Berlin Mon 23:59 CEST", zone: "Europe/Berlin", extra: lateHours("Europe/Berlin"), at: "2026-05-11T21:59:00Z", want: true},
		{name: "Berlin Mon 23:59:59 CEST", zone: "Europe/Berlin", extra: lateHours("Europe/Berlin"), at: "2026-05-11T21:59:59Z", want: true},
		{name: "Berlin Tue 00:00 CEST", zone: "Europe/Berlin", extra: lateHours("Europe/Berlin"), at: "2026-05-11T22:00:00Z", want: false},
		{name: "UTC Mon 23:59 with 24:00 end", zone: "UTC", extra: lateHours("UTC"), at: "2026-05-11T23:59:00Z", want: true},
		{name: "UTC Tue 00:00 with 24:00 end", zone: "UTC", extra: lateHours("UTC"), at: "2026-05-12T00:00:00Z", want: false},
		// Minute resolution: the end is exclusive, seconds do not matter.
		{name: "UTC 16:59:59 in", zone: "UTC", at: "2026-05-06T16:59:59Z", want: true},
		{name: "UTC 17:00:00 out", zone: "UTC", at: "2026-05-06T17:00:00Z", want: false},
		{name: "UTC Saturday noon out", zone: "UTC", at: "2026-05-09T12:00:00Z", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attrs(t, func(a *Attributes) {
				a.Timezone = tt.zone
				if tt.extra != nil {
					tt.extra(a)
				}
			})
			at := utcTS(t, tt.at)
			if got := InWorkingHours(at.Time, a); got != tt.want {
				t.Fatalf("InWorkingHours(%s = %s local) = %v, want %v", tt.at, at.In(a.Location()).Format("Mon 15:04 MST"), got, tt.want)
			}
			s := leadSession(t)
			s.StartedAt = at
			s.Recompute(a)
			if s.InWorkingHours != tt.want {
				t.Fatalf("Recompute in_working_hours = %v, want %v", s.InWorkingHours, tt.want)
			}
		})
	}
}

func TestRecognition(t *testing.T) {
	tests := []struct {
		name        string
		redirection string
		inHours     bool
		want        Centi
	}{
		{"outside hours, overflow", RedirectOverflow, false, FullPercent},
		{"outside hours, non_overflow", RedirectNonOverflow, false, FullPercent},
		{"in hours, overflow", RedirectOverflow, true, FullPercent},
		{"in hours, non_overflow", RedirectNonOverflow, true, 3000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attrs(t, func(a *Attributes) {
				a.RedirectionType = tt.redirection
				a.RecognitionPercent = 3000
			})
			if got := RecognitionFor(tt.inHours, a); got != tt.want {
				t.Fatalf("RecognitionFor(%v) = %s, want %s", tt.inHours, got, tt.want)
			}
			s := leadSession(t)
			s.StartedAt = utcTS(t, "2026-05-06T22:00:00Z") // Wednesday, out of hours
			if tt.inHours {
				s.StartedAt = utcTS(t, "2026-05-06T13:00:00Z")
			}
			s.Recompute(a)
			if s.InWorkingHours != tt.inHours || s.Recognition != tt.want {
				t.Fatalf("in_working_hours, recognition = %v, %s; want %v, %s", s.InWorkingHours, s.Recognition, tt.inHours, tt.want)
			}
		})
	}
}

// The worked example of SPEC §3: $260.00 lead value, $234.00 at 22:00 outside
// hours, $70.20 at 13:00 in hours with non_overflow recognition 30%.
func TestRestaurantExample(t *testing.T) {
	const zone = "America/New_York"
	restaurant := func(redirection string) func(a *Attributes) {
		return func(a *Attributes) {
			a.LeadValueMethod = MethodPerUnit
			a.UnitPriceCents = 6500
			a.ConversionRatio = 9000
			a.RedirectionType = redirection
			a.RecognitionPercent = 3000
			a.Timezone = zone
		}
	}
	tests := []struct {
		name        string
		redirection string
		local       string
		wantInHours bool
		wantRecog   Centi
		wantDealsE8 int64
		wantDeals   string
		wantASR     int64
	}{
		{"22:00 outside hours", RedirectOverflow, "2026-05-06 22:00", false, FullPercent, 90_000_000, "0.9", 23400},
		{"22:00 outside hours, non_overflow", RedirectNonOverflow, "2026-05-06 22:00", false, FullPercent, 90_000_000, "0.9", 23400},
		{"13:00 in hours, non_overflow 30%", RedirectNonOverflow, "2026-05-06 13:00", true, 3000, 27_000_000, "0.27", 7020},
		{"13:00 in hours, overflow", RedirectOverflow, "2026-05-06 13:00", true, FullPercent, 90_000_000, "0.9", 23400},
		{"13:00 on a Saturday, non_overflow", RedirectNonOverflow, "2026-05-09 13:00", false, FullPercent, 90_000_000, "0.9", 23400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attrs(t, restaurant(tt.redirection))
			s := &Session{
				ExternalID:       "table-for-4",
				StartedAt:        localTS(t, zone, tt.local),
				CallerName:       "Ann",
				CallerPhone:      "+1 212 555 0199",
				AutoIsLead:       true,
				Units:            ptr(4 * CentiOne),
				AutoAgentSuccess: SuccessYesA,
			}
			s.Recompute(a)
			if !s.IsLead || !s.IsOpportunity || s.IsTest || s.SuccessFactor != 1 {
				t.Fatalf("flags lead=%v opp=%v test=%v factor=%d; want a successful, non-test opportunity", s.IsLead, s.IsOpportunity, s.IsTest, s.SuccessFactor)
			}
			if s.LeadValueCents != 26000 {
				t.Fatalf("lead_value_cents = %d, want 26000", s.LeadValueCents)
			}
			if s.InWorkingHours != tt.wantInHours || s.Recognition != tt.wantRecog {
				t.Fatalf("in_working_hours, recognition = %v, %s; want %v, %s", s.InWorkingHours, s.Recognition, tt.wantInHours, tt.wantRecog)
			}
			if s.AdditionalDealsE8 != tt.wantDealsE8 || FormatScaled(s.AdditionalDealsE8, ScaleE8, 4) != tt.wantDeals {
				t.Fatalf("additional_deals = %d (%s), want %d (%s)", s.AdditionalDealsE8, FormatScaled(s.AdditionalDealsE8, ScaleE8, 4), tt.wantDealsE8, tt.wantDeals)
			}
			if s.ASRCents != tt.wantASR {
				t.Fatalf("asr_cents = %d, want %d", s.ASRCents, tt.wantASR)
			}
		})
	}
}

func TestAdditionalDealsAndASR(t *testing.T) {
	base := func(a *Attributes) {
		a.AverageLeadValueCents = 10001
		a.ConversionRatio = 3333
		a.RedirectionType = RedirectNonOverflow
		a.RecognitionPercent = 5050
	}
	tests := []struct {
		name      string
		mod       func(s *Session)
		attrs     func(a *Attributes)
		wantDeals int64
		wantASR   int64
	}{
		// 0.3333 × 0.505 = 0.1683165; 10001 × 0.1683165 = 1683.3333165 -> 1683
		{name: "in hours non_overflow", wantDeals: 16_831_650, wantASR: 1683},
		{name: "outside hours", mod: func(s *Session) { s.StartedAt = TS(s.StartedAt.AddDate(0, 0, 3)) }, wantDeals: 33_330_000, wantASR: 3333}, // 3333.3333
		{name: "test session", mod: func(s *Session) { s.AutoIsTest = true }, wantDeals: 0, wantASR: 0},
		{name: "human test", mod: func(s *Session) { s.HumanIsTest = ptr(true) }, wantDeals: 0, wantASR: 0},
		{name: "human not test overrides auto test", mod: func(s *Session) { s.AutoIsTest = true; s.HumanIsTest = ptr(false) }, wantDeals: 16_831_650, wantASR: 1683},
		{name: "not an opportunity", mod: func(s *Session) { s.Refused = true }, wantDeals: 0, wantASR: 0},
		{name: "not a lead", mod: func(s *Session) { s.AutoIsLead = false }, wantDeals: 0, wantASR: 0},
		{name: "success No", mod: func(s *Session) { s.AutoAgentSuccess = SuccessNo }, wantDeals: 0, wantASR: 0},
		{name: "success unset", mod: func(s *Session) { s.AutoAgentSuccess = "" }, wantDeals: 0, wantASR: 0},
		{name: "conversion 0", attrs: func(a *Attributes) { a.ConversionRatio = 0 }, wantDeals: 0, wantASR: 0},
		{name: "recognition 0 in hours", attrs: func(a *Attributes) { a.RecognitionPercent = 0 }, wantDeals: 0, wantASR: 0},
		{name: "everything 100%", attrs: func(a *Attributes) { a.ConversionRatio = FullPercent; a.RecognitionPercent = FullPercent }, wantDeals: ScaleE8, wantASR: 10001},
		// 0.5 × 0.01 = 0.005 deals; 100 cents × 0.005 = 0.5 -> 1 (half away from zero)
		{name: "half a cent rounds up", attrs: func(a *Attributes) {
			a.AverageLeadValueCents = 100
			a.ConversionRatio = 5000
			a.RecognitionPercent = 100
		}, wantDeals: 500_000, wantASR: 1},
		{name: "just under half a cent", attrs: func(a *Attributes) {
			a.AverageLeadValueCents = 99
			a.ConversionRatio = 5000
			a.RecognitionPercent = 100
		}, wantDeals: 500_000, wantASR: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attrs(t, func(a *Attributes) {
				base(a)
				if tt.attrs != nil {
					tt.attrs(a)
				}
			})
			s := leadSession(t) // Wednesday 13:00 UTC: in hours
			if tt.mod != nil {
				tt.mod(s)
			}
			s.Recompute(a)
			if s.AdditionalDealsE8 != tt.wantDeals || s.ASRCents != tt.wantASR {
				t.Fatalf("additional_deals_e8, asr_cents = %d, %d; want %d, %d", s.AdditionalDealsE8, s.ASRCents, tt.wantDeals, tt.wantASR)
			}
		})
	}
}

func TestTestContacts(t *testing.T) {
	tests := []struct {
		name     string
		contacts []string
		phone    string
		email    string
		human    *bool
		want     bool
	}{
		{name: "formatted session phone matches digits", contacts: []string{"15550100000"}, phone: "+1 (555) 010-0000", want: true},
		{name: "formatted contact matches digits", contacts: []string{"+1 (555) 010-0000"}, phone: "15550100000", want: true},
		{name: "dots and spaces", contacts: []string{"1.555.010.0000"}, phone: "1 555 010 0000", want: true},
		{name: "different number", contacts: []string{"15550100000"}, phone: "15550100001", want: false},
		{name: "missing country code is another number", contacts: []string{"15550100000"}, phone: "5550100000", want: false},
		{name: "email is case-insensitive", contacts: []string{"Test@Example.com"}, email: "test@EXAMPLE.COM", want: true},
		{name: "email with spaces", contacts: []string{" qa@example.com "}, email: "QA@example.com", want: true},
		{name: "other email", contacts: []string{"test@example.com"}, email: "other@example.com", want: false},
		{name: "phone list does not match an email", contacts: []string{"15550100000"}, email: "a@example.com", want: false},
		{name: "email list does not match a phone", contacts: []string{"a@example.com"}, phone: "15550100000", want: false},
		{name: "one of several", contacts: []string{"qa@example.com", "+44 20 7946 0000"}, phone: "442079460000", want: true},
		{name: "no contact never matches", contacts: []string{"15550100000", "qa@example.com"}, want: false},
		{name: "empty list", contacts: nil, phone: "15550100000", want: false},
		{name: "human false overrides a test contact", contacts: []string{"qa@example.com"}, email: "qa@example.com", human: ptr(false), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attrs(t, func(a *Attributes) {
				a.TestContacts = tt.contacts
				a.AverageLeadValueCents = 5000
			})
			s := leadSession(t)
			s.CallerPhone, s.CallerEmail, s.HumanIsTest = tt.phone, tt.email, tt.human
			s.Recompute(a)
			if s.IsTest != tt.want {
				t.Fatalf("is_test = %v, want %v (phone key %q, email key %q)", s.IsTest, tt.want, s.PhoneKey, s.EmailKey)
			}
			if s.IsTest {
				if s.AdditionalDealsE8 != 0 || s.ASRCents != 0 {
					t.Fatalf("test session: additional_deals_e8, asr_cents = %d, %d; want 0, 0", s.AdditionalDealsE8, s.ASRCents)
				}
				if s.LeadValueCents != 5000 {
					t.Fatalf("test session lead_value_cents = %d, want 5000 (the dashboard excludes it, the value stays)", s.LeadValueCents)
				}
			} else if s.IsOpportunity && s.ASRCents != 5000 {
				t.Fatalf("non-test opportunity asr_cents = %d, want 5000", s.ASRCents)
			}
		})
	}
}

func TestPhoneAndEmailKeys(t *testing.T) {
	phones := []struct{ in, want string }{
		{"+1 (555) 010-0000", "15550100000"},
		{"15550100000", "15550100000"},
		{"  555-0100 ", "5550100"},
		{"123", "123"},
		{"12", ""},
		{"", ""},
		{"ext. 7", ""},
		{"a1@b2.c3", ""}, // an email is not a phone
	}
	for _, tt := range phones {
		if got := PhoneKey(tt.in); got != tt.want {
			t.Errorf("PhoneKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	emails := []struct{ in, want string }{
		{"Test@Example.COM", "test@example.com"},
		{"  qa@example.com\t", "qa@example.com"},
		{"not-an-email", ""},
		{"a@b", ""},
		{"a b@example.com", ""},
		{"15550100000", ""},
		{"", ""},
	}
	for _, tt := range emails {
		if got := EmailKey(tt.in); got != tt.want {
			t.Errorf("EmailKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPreparedTestContactKeys(t *testing.T) {
	a := attrs(t, func(a *Attributes) {
		a.TestContacts = []string{"+1 (555) 010-0000", "15550100000", "QA@Example.com", "qa@example.com", "+49 30 1234"}
	})
	phones, emails := a.TestPhoneKeys(), a.TestEmailKeys()
	wantPhones := map[string]bool{"15550100000": true, "49301234": true}
	if len(phones) != len(wantPhones) {
		t.Fatalf("TestPhoneKeys = %q, want the keys of %v", phones, wantPhones)
	}
	for _, p := range phones {
		if !wantPhones[p] {
			t.Fatalf("TestPhoneKeys = %q, unexpected %q", phones, p)
		}
	}
	if len(emails) != 1 || emails[0] != "qa@example.com" {
		t.Fatalf("TestEmailKeys = %q, want [qa@example.com]", emails)
	}
}

// Recompute writes the normalised contact keys storage matches in SQL.
func TestRecomputeSetsContactKeys(t *testing.T) {
	a := attrs(t, nil)
	s := leadSession(t)
	s.CallerPhone, s.CallerEmail = "+1 (555) 010-0000", "Ann@Example.com"
	s.Recompute(a)
	if s.PhoneKey != "15550100000" || s.EmailKey != "ann@example.com" {
		t.Fatalf("phone_key, email_key = %q, %q", s.PhoneKey, s.EmailKey)
	}
	s.CallerPhone, s.CallerEmail = "", ""
	s.Recompute(a)
	if s.PhoneKey != "" || s.EmailKey != "" {
		t.Fatalf("cleared contact left keys %q, %q", s.PhoneKey, s.EmailKey)
	}
}

// Recompute is idempotent and depends only on its inputs: running it twice,
// or after changing a derived field by hand, gives the same result.
func TestRecomputeOverwritesStaleDerivedFields(t *testing.T) {
	a := attrs(t, func(a *Attributes) { a.AverageLeadValueCents = 5000 })
	s := leadSession(t)
	s.Recompute(a)
	want := *s
	s.IsTest, s.IsLead, s.IsOpportunity = true, false, false
	s.AgentSuccess, s.SuccessFactor = "No", 0
	s.LeadValueCents, s.InWorkingHours, s.Recognition = 1, false, 1
	s.AdditionalDealsE8, s.ASRCents = 7, 7
	s.PhoneKey, s.EmailKey = "x", "y"
	s.Recompute(a)
	if *s != want {
		t.Fatalf("Recompute after tampering = %+v, want %+v", *s, want)
	}
}

// refDerived states SPEC §3 directly with exact rationals, as a second
// implementation to check Recompute against on random sessions.
type refDerived struct {
	isTest, isLead, isOpp, inHours bool
	leadValue, asr                 int64
	deals                          *big.Rat
}

func reference(s *Session, a *Attributes) refDerived {
	var r refDerived
	onList := false
	for _, c := range a.TestContacts {
		if (s.CallerPhone != "" && PhoneKey(c) != "" && PhoneKey(c) == PhoneKey(s.CallerPhone)) ||
			(s.CallerEmail != "" && EmailKey(c) != "" && EmailKey(c) == EmailKey(s.CallerEmail)) {
			onList = true
		}
	}
	r.isTest = s.AutoIsTest || onList
	if s.HumanIsTest != nil {
		r.isTest = *s.HumanIsTest
	}
	r.isLead = s.AutoIsLead
	if s.HumanIsLead != nil {
		r.isLead = *s.HumanIsLead
	}
	rule := !s.Refused && !s.Unavailable && (s.CallerPhone != "" || s.CallerEmail != "")
	if s.HumanIsOpportunity != nil {
		rule = *s.HumanIsOpportunity
	}
	r.isOpp = r.isLead && rule
	success := s.AutoAgentSuccess
	if s.HumanAgentSuccess != nil {
		success = *s.HumanAgentSuccess
	}
	factor := int64(0)
	if success == "Yes-A" || success == "Yes-B" {
		factor = 1
	}
	switch {
	case !r.isLead:
		r.leadValue = 0
	case a.LeadValueMethod == "per_unit" && s.Units != nil && *s.Units > 0:
		v := new(big.Rat).SetFrac64(int64(*s.Units), 100)
		v.Mul(v, new(big.Rat).SetInt64(a.UnitPriceCents))
		r.leadValue = roundRat(v).Int64()
	default:
		r.leadValue = a.AverageLeadValueCents
	}
	loc, err := time.LoadLocation(a.Timezone)
	if err != nil {
		panic(err)
	}
	local := s.StartedAt.In(loc)
	clock := local.Format("15:04")
	day := map[time.Weekday]int{time.Monday: 0, time.Tuesday: 1, time.Wednesday: 2, time.Thursday: 3, time.Friday: 4, time.Saturday: 5, time.Sunday: 6}[local.Weekday()]
	for _, iv := range a.WorkingHours[day] {
		if clock >= FormatClock(iv.Start) && clock < FormatClock(iv.End) {
			r.inHours = true
		}
	}
	recognition := big.NewRat(1, 1)
	if r.inHours && a.RedirectionType == "non_overflow" {
		recognition.SetFrac64(int64(a.RecognitionPercent), 10000)
	}
	r.deals = new(big.Rat)
	if !r.isTest && r.isOpp {
		r.deals.SetFrac64(int64(a.ConversionRatio), 10000)
		r.deals.Mul(r.deals, big.NewRat(factor, 1))
		r.deals.Mul(r.deals, recognition)
	}
	asr := new(big.Rat).Mul(new(big.Rat).SetInt64(r.leadValue), r.deals)
	r.asr = roundRat(asr).Int64()
	return r
}

func TestRecomputeMatchesReferenceOnRandomSessions(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	zones := []string{"UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"}
	phones := []string{"", "+1 (555) 010-0000", "15550100000", "+44 20 7946 0000", "555"}
	emails := []string{"", "qa@example.com", "QA@Example.com", "ann@example.com"}
	successes := []string{"", SuccessYesA, SuccessYesB, SuccessNo}
	optBool := func() *bool {
		switch rng.IntN(3) {
		case 0:
			return nil
		case 1:
			return ptr(false)
		}
		return ptr(true)
	}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	randomHours := func() WorkingHours {
		var w WorkingHours
		for d := range 7 {
			start := 0
			for start < 24*60 && rng.IntN(3) > 0 {
				s := start + rng.IntN(24*60-start)
				e := s + 1 + rng.IntN(24*60-s)
				w[d] = append(w[d], Interval{Start: s, End: e})
				start = e
			}
		}
		return w
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	var withASR, partialRecognition int
	for i := range 300 {
		a := attrs(t, func(a *Attributes) {
			a.Timezone = zones[rng.IntN(len(zones))]
			if rng.IntN(2) == 0 {
				a.LeadValueMethod = MethodPerUnit
			}
			a.AverageLeadValueCents = rng.Int64N(MaxLeadValueCents + 1)
			a.UnitPriceCents = rng.Int64N(MaxUnitPriceCents + 1)
			if rng.IntN(2) == 0 {
				a.AverageLeadValueCents = rng.Int64N(100_000)
				a.UnitPriceCents = rng.Int64N(10_000)
			}
			a.ConversionRatio = Centi(rng.Int64N(10001))
			a.RecognitionPercent = Centi(rng.Int64N(10001))
			if rng.IntN(2) == 0 {
				a.RedirectionType = RedirectNonOverflow
			}
			a.WorkingHours = randomHours()
			a.TestContacts = []string{pick(phones[1:]), pick(emails[1:])}
		})
		for j := range 50 {
			s := &Session{
				ExternalID:         "r",
				StartedAt:          TS(time.Unix(start+rng.Int64N(3*365*24*3600), 0)),
				CallerPhone:        pick(phones),
				CallerEmail:        pick(emails),
				AutoIsLead:         rng.IntN(3) > 0,
				Refused:            rng.IntN(4) == 0,
				Unavailable:        rng.IntN(4) == 0,
				AutoAgentSuccess:   pick(successes),
				AutoIsTest:         rng.IntN(6) == 0,
				HumanIsTest:        optBool(),
				HumanIsLead:        optBool(),
				HumanIsOpportunity: optBool(),
			}
			if rng.IntN(2) == 0 {
				s.HumanAgentSuccess = ptr(pick(successes[1:]))
			}
			switch rng.IntN(4) {
			case 0:
				s.Units = ptr(Centi(rng.Int64N(int64(MaxUnits) + 1)))
			case 1:
				s.Units = ptr(Centi(rng.Int64N(1000)))
			case 2:
				s.Units = ptr(Centi(0))
			}
			s.Recompute(a)
			want := reference(s, a)
			dealsE8 := new(big.Rat).Mul(want.deals, new(big.Rat).SetInt64(ScaleE8))
			if s.IsTest != want.isTest || s.IsLead != want.isLead || s.IsOpportunity != want.isOpp ||
				s.InWorkingHours != want.inHours || s.LeadValueCents != want.leadValue || s.ASRCents != want.asr ||
				!dealsE8.IsInt() || s.AdditionalDealsE8 != dealsE8.Num().Int64() {
				t.Fatalf("attributes %d session %d: %+v\nRecompute: test=%v lead=%v opp=%v hours=%v lv=%d deals=%d asr=%d\nreference: test=%v lead=%v opp=%v hours=%v lv=%d deals=%s asr=%d",
					i, j, s, s.IsTest, s.IsLead, s.IsOpportunity, s.InWorkingHours, s.LeadValueCents, s.AdditionalDealsE8, s.ASRCents,
					want.isTest, want.isLead, want.isOpp, want.inHours, want.leadValue, dealsE8.RatString(), want.asr)
			}
			if s.ASRCents > 0 {
				withASR++
				if s.Recognition != FullPercent {
					partialRecognition++
				}
			}
		}
	}
	// The random data must exercise the interesting path, not only zeros.
	if withASR < 500 || partialRecognition < 50 {
		t.Fatalf("weak random data: %d sessions with ASR, %d with partial recognition", withASR, partialRecognition)
	}
}
