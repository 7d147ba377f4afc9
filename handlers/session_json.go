package handlers

import (
	"encoding/json"
	"time"

	"asrboard/models"
)

// sessionJSON is the API form of a session (SPEC §5): the platform's fields,
// then the derived fields under their SPEC names, the rating, and the auto
// and human parts nested so a client can tell an override from the
// platform's value. Numbers that must stay exact (units, percentages,
// additional deals, quality) are decimal literals, never floats.
type sessionJSON struct {
	ID          int64             `json:"id"`
	ExternalID  string            `json:"external_id"`
	StartedAt   models.Timestamp  `json:"started_at"`
	EndedAt     *models.Timestamp `json:"ended_at"`
	Channel     string            `json:"channel"`
	CallerName  string            `json:"caller_name"`
	CallerPhone string            `json:"caller_phone"`
	CallerEmail string            `json:"caller_email"`
	Summary     string            `json:"summary"`
	Transcript  *string           `json:"transcript,omitempty"`
	Refused     bool              `json:"refused"`
	Unavailable bool              `json:"unavailable"`
	Units       *models.Centi     `json:"units"`

	IsTest             bool         `json:"is_test"`
	IsLead             bool         `json:"is_lead"`
	IsOpportunity      bool         `json:"is_opportunity"`
	AgentSuccess       *string      `json:"agent_success"`
	SuccessFactor      int          `json:"success_factor"`
	LeadValueCents     int64        `json:"lead_value_cents"`
	InWorkingHours     bool         `json:"in_working_hours"`
	RecognitionPercent models.Centi `json:"recognition_percent"`
	AdditionalDeals    json.Number  `json:"additional_deals"`
	ASRCents           int64        `json:"asr_cents"`
	Quality            *json.Number `json:"quality"`

	Stars   *int    `json:"stars"`
	Comment *string `json:"comment"`

	Auto  autoJSON  `json:"auto"`
	Human humanJSON `json:"human"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// autoJSON is what the platform reported for the fields a reviewer can override.
type autoJSON struct {
	IsLead       bool          `json:"is_lead"`
	Refused      bool          `json:"refused"`
	Unavailable  bool          `json:"unavailable"`
	AgentSuccess *string       `json:"agent_success"`
	IsTest       bool          `json:"is_test"`
	Units        *models.Centi `json:"units"`
	Channel      string        `json:"channel"`
}

// humanJSON is the reviewers' part; null means "no override".
type humanJSON struct {
	IsTest        *bool   `json:"is_test"`
	IsLead        *bool   `json:"is_lead"`
	IsOpportunity *bool   `json:"is_opportunity"`
	AgentSuccess  *string `json:"agent_success"`
	Stars         *int    `json:"stars"`
	Comment       *string `json:"comment"`
}

// sessionView builds the one JSON form of a session used by every answer;
// only the single-session GET carries the transcript.
func sessionView(s *models.Session, withTranscript bool) sessionJSON {
	v := sessionJSON{
		ID: s.ID, ExternalID: s.ExternalID, StartedAt: s.StartedAt, EndedAt: s.EndedAt,
		Channel: s.Channel, CallerName: s.CallerName, CallerPhone: s.CallerPhone, CallerEmail: s.CallerEmail,
		Summary: s.Summary, Refused: s.Refused, Unavailable: s.Unavailable, Units: s.Units,

		IsTest: s.IsTest, IsLead: s.IsLead, IsOpportunity: s.IsOpportunity,
		AgentSuccess: optString(s.AgentSuccess), SuccessFactor: s.SuccessFactor,
		LeadValueCents: s.LeadValueCents, InWorkingHours: s.InWorkingHours,
		RecognitionPercent: s.Recognition,
		AdditionalDeals:    json.Number(models.FormatScaled(s.AdditionalDealsE8, models.ScaleE8, 8)),
		ASRCents:           s.ASRCents,

		Stars: s.Stars, Comment: s.Comment,
		Auto: autoJSON{IsLead: s.AutoIsLead, Refused: s.Refused, Unavailable: s.Unavailable,
			AgentSuccess: optString(s.AutoAgentSuccess), IsTest: s.AutoIsTest, Units: s.Units, Channel: s.Channel},
		Human: humanJSON{IsTest: s.HumanIsTest, IsLead: s.HumanIsLead, IsOpportunity: s.HumanIsOpportunity,
			AgentSuccess: s.HumanAgentSuccess, Stars: s.Stars, Comment: s.Comment},
		CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(),
	}
	if q, ok := s.Quality(); ok {
		n := json.Number(models.FormatScaled(q, 100, 1))
		v.Quality = &n
	}
	if withTranscript {
		t := s.Transcript
		v.Transcript = &t
	}
	return v
}

// optString is nil for "", so an unset assessment is JSON null.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
