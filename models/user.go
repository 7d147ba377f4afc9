package models

import (
	"fmt"
	"time"
)

// Role is what a user or an API token may do (SPEC §6).
type Role string

// The roles of SPEC §6; ingest is for API tokens only.
const (
	RoleOwner    Role = "owner"
	RoleStaff    Role = "staff"
	RoleReviewer Role = "reviewer"
	RoleIngest   Role = "ingest"
)

// UserRoles are the roles a person can have.
var UserRoles = []Role{RoleOwner, RoleStaff, RoleReviewer}

// TokenRoles are the roles an API token can have.
var TokenRoles = []Role{RoleOwner, RoleStaff, RoleReviewer, RoleIngest}

// ParseRole checks a role name against the allowed list.
func ParseRole(s string, allowed []Role) (Role, error) {
	for _, r := range allowed {
		if string(r) == s {
			return r, nil
		}
	}
	names := ""
	for i, r := range allowed {
		if i > 0 {
			names += ", "
		}
		names += string(r)
	}
	return "", fmt.Errorf("must be one of %s, got %q", names, s)
}

// Can* are the permissions of SPEC §6, the one place they are decided.

// CanView: every role reads the dashboard and the sessions.
func (r Role) CanView() bool { return r != "" }

// CanEditAttributes: owners and staff.
func (r Role) CanEditAttributes() bool { return r == RoleOwner || r == RoleStaff }

// CanReview: owners and reviewers.
func (r Role) CanReview() bool { return r == RoleOwner || r == RoleReviewer }

// CanIngest: owners and ingest tokens.
func (r Role) CanIngest() bool { return r == RoleOwner || r == RoleIngest }

// CanManageUsers: owners only.
func (r Role) CanManageUsers() bool { return r == RoleOwner }

// User is a person who logs in to the web app.
type User struct {
	ID           int64  `gorm:"primaryKey"`
	Email        string `gorm:"uniqueIndex"`
	PasswordHash string
	Role         Role
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// APIToken is a bearer token for the JSON API; only its SHA-256 is stored.
type APIToken struct {
	ID         int64 `gorm:"primaryKey"`
	Name       string
	Role       Role
	Hash       string `gorm:"uniqueIndex"`
	Prefix     string // the first characters, to tell tokens apart in lists
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Audit entities.
const (
	EntitySession    = "session"
	EntityAttributes = "attributes"
)

// AuditEntry records one human change: who, when, which field, old → new.
type AuditEntry struct {
	ID       int64 `gorm:"primaryKey"`
	Entity   string
	EntityID int64
	Actor    string
	Field    string
	Old      string
	New      string
	At       time.Time
}

// TableName pins the table of the attributes row.
func (Attributes) TableName() string { return "attributes" }

// TableName pins the sessions table.
func (Session) TableName() string { return "sessions" }

// TableName pins the users table.
func (User) TableName() string { return "users" }

// TableName pins the API tokens table.
func (APIToken) TableName() string { return "api_tokens" }

// TableName pins the audit log table.
func (AuditEntry) TableName() string { return "audit_entries" }
