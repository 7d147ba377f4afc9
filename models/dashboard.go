package models

import (
	"encoding/json"
	"time"
)

// Totals are the integer sums behind the dashboard cards of SPEC §4, over
// non-test sessions; every card derives from them, so they add exactly.
type Totals struct {
	Sessions          int64
	Leads             int64
	LeadValueCents    int64
	Opportunities     int64
	OpportunityCents  int64
	AdditionalDealsE8 int64
	ASRCents          int64
	OppSuccess        int64 // Σ success_factor over opportunities
	LeadSuccess       int64 // Σ success_factor over leads
	Rated             int64 // sessions with stars
	StarsSum          int64

	// The sums behind Agreement.
	ReviewedAssessments int64
	AgreeAssessments    int64
	ReviewedLeads       int64
	AgreeLeads          int64
	ReviewedOpps        int64
	AgreeOpps           int64
}

// Agreement is the part of the totals that compares reviewers with the AI.
func (t Totals) Agreement() Agreement {
	return Agreement{Assessments: t.ReviewedAssessments, AssessmentsAgree: t.AgreeAssessments,
		Leads: t.ReviewedLeads, LeadsAgree: t.AgreeLeads, Opportunities: t.ReviewedOpps, OpportunitiesAgree: t.AgreeOpps}
}

// Add sums two sets of totals.
func (t Totals) Add(o Totals) Totals {
	return Totals{
		Sessions: t.Sessions + o.Sessions, Leads: t.Leads + o.Leads, LeadValueCents: t.LeadValueCents + o.LeadValueCents,
		Opportunities: t.Opportunities + o.Opportunities, OpportunityCents: t.OpportunityCents + o.OpportunityCents,
		AdditionalDealsE8: t.AdditionalDealsE8 + o.AdditionalDealsE8, ASRCents: t.ASRCents + o.ASRCents,
		OppSuccess: t.OppSuccess + o.OppSuccess, LeadSuccess: t.LeadSuccess + o.LeadSuccess,
		Rated: t.Rated + o.Rated, StarsSum: t.StarsSum + o.StarsSum,
		ReviewedAssessments: t.ReviewedAssessments + o.ReviewedAssessments, AgreeAssessments: t.AgreeAssessments + o.AgreeAssessments,
		ReviewedLeads: t.ReviewedLeads + o.ReviewedLeads, AgreeLeads: t.AgreeLeads + o.AgreeLeads,
		ReviewedOpps: t.ReviewedOpps + o.ReviewedOpps, AgreeOpps: t.AgreeOpps + o.AgreeOpps,
	}
}

// Score is a mean from 0 to 1 held as an exact fraction; Valid is false when
// nothing was counted ("none").
type Score struct {
	Num, Den int64
}

// Valid tells whether the score has anything to average.
func (s Score) Valid() bool { return s.Den > 0 }

// String writes the score to 4 decimals, half away from zero.
func (s Score) String() string {
	if !s.Valid() {
		return ""
	}
	return FormatScaled(s.Num, s.Den, 4)
}

// MarshalJSON writes the score as a number with at most 4 decimals, or null.
func (s Score) MarshalJSON() ([]byte, error) {
	if !s.Valid() {
		return []byte("null"), nil
	}
	return []byte(s.String()), nil
}

// OSS is the mean success factor over opportunities.
func (t Totals) OSS() Score { return Score{t.OppSuccess, t.Opportunities} }

// LSS is the mean success factor over leads.
func (t Totals) LSS() Score { return Score{t.LeadSuccess, t.Leads} }

// CSS is the mean quality (0.2 × stars) over rated sessions.
func (t Totals) CSS() Score { return Score{t.StarsSum * 2, t.Rated * 10} }

// AdditionalDeals is Σ additional deals as an exact decimal string.
func (t Totals) AdditionalDeals(decimals int) string {
	return FormatScaled(t.AdditionalDealsE8, ScaleE8, decimals)
}

// Dashboard is the answer of GET /api/v1/dashboard (SPEC §5).
type Dashboard struct {
	From                  *time.Time  `json:"from"`
	To                    *time.Time  `json:"to"`
	SessionCount          int64       `json:"session_count"`
	LeadCount             int64       `json:"lead_count"`
	LeadValueCents        int64       `json:"lead_value_cents"`
	OpportunityCount      int64       `json:"opportunity_count"`
	OpportunityValueCents int64       `json:"opportunity_value_cents"`
	AdditionalDealCount   json.Number `json:"additional_deal_count"`
	ASRCents              int64       `json:"asr_cents"`
	OSS                   Score       `json:"oss"`
	CSS                   Score       `json:"css"`
	LSS                   Score       `json:"lss"`
}

// DashboardOf turns totals for [from, to) into the API answer.
func DashboardOf(t Totals, from, to *time.Time) Dashboard {
	return Dashboard{
		From: from, To: to,
		SessionCount: t.Sessions, LeadCount: t.Leads, LeadValueCents: t.LeadValueCents,
		OpportunityCount: t.Opportunities, OpportunityValueCents: t.OpportunityCents,
		AdditionalDealCount: json.Number(t.AdditionalDeals(4)), ASRCents: t.ASRCents,
		OSS: t.OSS(), CSS: t.CSS(), LSS: t.LSS(),
	}
}

// Agreement counts, over sessions that carry both an automatic and a human
// verdict, how many agree: the owner's measure of how far to trust the AI.
type Agreement struct {
	Assessments        int64 // sessions with an auto and a human assessment
	AssessmentsAgree   int64 // ... where both give the same code
	Leads              int64 // sessions with a human lead flag
	LeadsAgree         int64 // ... equal to the platform's flag
	Opportunities      int64 // sessions with a human opportunity flag
	OpportunitiesAgree int64 // ... equal to the automatic opportunity rule
}

// Count is how many sessions match a filter; Capped means counting stopped
// at N and there are more.
type Count struct {
	N      int64
	Capped bool
}
