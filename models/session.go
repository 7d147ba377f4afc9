package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Channels a session may come through (SPEC §1); the first is the default.
var Channels = []string{"phone", "chat", "sms", "whatsapp", "email", "other"}

// Agent-success codes of SPEC §1.
const (
	SuccessYesA = "Yes-A"
	SuccessYesB = "Yes-B"
	SuccessNo   = "No"
)

// AgentSuccessCodes lists the valid codes in display order.
var AgentSuccessCodes = []string{SuccessYesA, SuccessYesB, SuccessNo}

// Session is one conversation handled by the AI Employee: the auto part the
// platform reports, the human part reviewers set (nil = no override), and the
// derived fields of SPEC §3, which only Recompute writes.
type Session struct {
	ID         int64     `gorm:"primaryKey"`
	ExternalID string    `gorm:"column:external_id"`
	StartedAt  Timestamp `gorm:"column:started_at"`
	EndedAt    *Timestamp

	// Auto part.
	Channel          string
	CallerName       string
	CallerPhone      string
	CallerEmail      string
	Summary          string
	Transcript       string
	AutoIsLead       bool
	Refused          bool
	Unavailable      bool
	Units            *Centi
	AutoAgentSuccess string // "" when the platform gave none
	AutoIsTest       bool

	// Normalised contact keys (see PhoneKey, EmailKey), kept so that the
	// set-based recompute can match test contacts in SQL.
	PhoneKey string
	EmailKey string

	// Human part.
	HumanIsTest        *bool
	HumanIsLead        *bool
	HumanIsOpportunity *bool
	HumanAgentSuccess  *string
	Stars              *int
	Comment            *string

	// Derived fields (SPEC §3).
	IsTest            bool
	IsLead            bool
	IsOpportunity     bool
	AgentSuccess      string
	SuccessFactor     int
	LeadValueCents    int64
	InWorkingHours    bool
	Recognition       Centi `gorm:"column:recognition"` // hundredths of a percent
	AdditionalDealsE8 int64 `gorm:"column:additional_deals_e8"`
	ASRCents          int64 `gorm:"column:asr_cents"`

	CreatedAt time.Time
	UpdatedAt time.Time
}

type attributesKey struct{}

// WithAttributes puts the attributes the session hooks compute with into ctx;
// every write of a Session must carry them (storage does).
func WithAttributes(ctx context.Context, a *Attributes) context.Context {
	return context.WithValue(ctx, attributesKey{}, a)
}

// AttributesFrom returns the attributes put in ctx by WithAttributes.
func AttributesFrom(ctx context.Context) (*Attributes, bool) {
	a, ok := ctx.Value(attributesKey{}).(*Attributes)
	return a, ok && a != nil
}

// ErrNoAttributes is returned by the hook when a session is written without
// attributes in the context, instead of storing stale derived fields.
var ErrNoAttributes = errors.New("session written without attributes in the context")

// BeforeSave recomputes the derived fields on every Create and Save.
func (s *Session) BeforeSave(tx *gorm.DB) error {
	a, ok := AttributesFrom(tx.Statement.Context)
	if !ok {
		return ErrNoAttributes
	}
	s.Recompute(a)
	return nil
}
