package models

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"
)

func TestErrorMessage(t *testing.T) {
	item := 2
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"no details", NotFound("session not found"), "session not found"},
		{"one detail", Invalid("invalid session", FieldError{Field: "units", Message: "must be 0 or more"}), "invalid session: units: must be 0 or more"},
		{"line", Invalid("invalid file", FieldError{Line: 3, Field: "started_at", Message: "is required"}), "invalid file: line 3: started_at: is required"},
		{"item", Invalid("invalid batch", FieldError{Item: &item, Field: "channel", Message: "is bad"}), "invalid batch: item 2: channel: is bad"},
		{"line wins over item", Invalid("x", FieldError{Line: 4, Item: &item, Field: "f", Message: "m"}), "x: line 4: f: m"},
		{"more details", Invalid("invalid", FieldError{Field: "a", Message: "1"}, FieldError{Field: "b", Message: "2"}, FieldError{Field: "c", Message: "3"}), "invalid: a: 1 (and 2 more)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: Error() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestErrorCode(t *testing.T) {
	tests := []struct {
		err  error
		want Code
	}{
		{nil, ""},
		{errors.New("plain"), ""},
		{Invalid("x"), CodeInvalid},
		{NotFound("x"), CodeNotFound},
		{Forbidden("x"), CodeForbidden},
		{&Error{Code: CodeConflict}, CodeConflict},
		{fmt.Errorf("saving: %w", Forbidden("x")), CodeForbidden},
	}
	for _, tt := range tests {
		if got := ErrorCode(tt.err); got != tt.want {
			t.Errorf("ErrorCode(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestRoles(t *testing.T) {
	// SPEC §6.
	tests := []struct {
		role                                     Role
		view, attributes, review, ingest, manage bool
	}{
		{RoleOwner, true, true, true, true, true},
		{RoleStaff, true, true, false, false, false},
		{RoleReviewer, true, false, true, false, false},
		{RoleIngest, true, false, false, true, false},
		{"", false, false, false, false, false},
	}
	for _, tt := range tests {
		got := [5]bool{tt.role.CanView(), tt.role.CanEditAttributes(), tt.role.CanReview(), tt.role.CanIngest(), tt.role.CanManageUsers()}
		want := [5]bool{tt.view, tt.attributes, tt.review, tt.ingest, tt.manage}
		if got != want {
			t.Errorf("role %q: view, attributes, review, ingest, manage = %v, want %v", tt.role, got, want)
		}
	}
	parse := []struct {
		in      string
		allowed []Role
		wantErr bool
	}{
		{"owner", UserRoles, false},
		{"reviewer", UserRoles, false},
		{"ingest", UserRoles, true}, // a person cannot be an ingest token
		{"ingest", TokenRoles, false},
		{"Owner", UserRoles, true},
		{"", TokenRoles, true},
		{"admin", TokenRoles, true},
	}
	for _, tt := range parse {
		r, err := ParseRole(tt.in, tt.allowed)
		if (err != nil) != tt.wantErr || (!tt.wantErr && string(r) != tt.in) {
			t.Errorf("ParseRole(%q, %v) = %q, %v; want error %v", tt.in, tt.allowed, r, err, tt.wantErr)
		}
	}
}

func TestTimestamp(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	in := time.Date(2026, 3, 29, 3, 30, 0, 123456789, berlin)
	ts := TS(in)
	if ts.Location() != time.UTC || ts.Nanosecond() != 123456000 || !ts.Equal(in.Truncate(time.Microsecond)) {
		t.Fatalf("TS(%v) = %v, want UTC truncated to microseconds", in, ts.Time)
	}
	v, err := ts.Value()
	if err != nil || v != in.UnixMicro() {
		t.Fatalf("Value = %v, %v; want %d", v, err, in.UnixMicro())
	}
	var back Timestamp
	if err := back.Scan(v); err != nil || !back.Equal(ts.Time) || back.Location() != time.UTC {
		t.Fatalf("Scan(Value) = %v, %v; want %v", back.Time, err, ts.Time)
	}
	if err := back.Scan(nil); err != nil || !back.IsZero() {
		t.Fatalf("Scan(nil) = %v, %v; want the zero time", back.Time, err)
	}
	if err := back.Scan("2026-01-01"); err == nil {
		t.Fatalf("Scan(string) accepted")
	}
	b, err := ts.MarshalJSON()
	if err != nil || string(b) != `"2026-03-29T01:30:00.123456Z"` {
		t.Fatalf("MarshalJSON = %s, %v", b, err)
	}
}

func TestBeforeSave(t *testing.T) {
	s := leadSession(t)
	tx := &gorm.DB{Statement: &gorm.Statement{Context: context.Background()}}
	if err := s.BeforeSave(tx); !errors.Is(err, ErrNoAttributes) {
		t.Fatalf("BeforeSave without attributes = %v, want ErrNoAttributes", err)
	}
	if s.IsLead || s.ASRCents != 0 {
		t.Fatalf("derived fields written without attributes: %+v", s)
	}
	a := attrs(t, func(a *Attributes) { a.AverageLeadValueCents = 5000 })
	tx.Statement.Context = WithAttributes(context.Background(), a)
	if err := s.BeforeSave(tx); err != nil {
		t.Fatalf("BeforeSave: %v", err)
	}
	if !s.IsLead || !s.IsOpportunity || s.ASRCents != 5000 {
		t.Fatalf("BeforeSave did not recompute: %+v", s)
	}
	if _, ok := AttributesFrom(WithAttributes(context.Background(), nil)); ok {
		t.Fatalf("AttributesFrom accepts nil attributes")
	}
}
