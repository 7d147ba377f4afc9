package models

import (
	"errors"
	"fmt"
)

// Code is the kind of a domain error; handlers map each kind to one HTTP status.
type Code string

// The error kinds of the application.
const (
	CodeInvalid   Code = "invalid"
	CodeNotFound  Code = "not_found"
	CodeForbidden Code = "forbidden"
	CodeConflict  Code = "conflict"
	CodeTooLarge  Code = "too_large"
)

// FieldError names one field that broke a rule; Item (0-based) or Line
// (1-based) locate it inside a batch or a file when set.
type FieldError struct {
	Item    *int   `json:"item,omitempty"`
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a user-facing failure with a kind, so transports map it once
// instead of matching message text.
type Error struct {
	Code    Code
	Message string
	Details []FieldError
}

// String writes "line L: field: message" (or "item N: …", or "field: message").
func (d FieldError) String() string {
	loc := ""
	switch {
	case d.Line > 0:
		loc = fmt.Sprintf("line %d: ", d.Line)
	case d.Item != nil:
		loc = fmt.Sprintf("item %d: ", *d.Item)
	}
	return loc + d.Field + ": " + d.Message
}

func (e *Error) Error() string {
	if len(e.Details) == 0 {
		return e.Message
	}
	more := ""
	if len(e.Details) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(e.Details)-1)
	}
	return fmt.Sprintf("%s: %s%s", e.Message, e.Details[0], more)
}

// Invalid builds a validation error from field errors.
func Invalid(msg string, details ...FieldError) *Error {
	return &Error{Code: CodeInvalid, Message: msg, Details: details}
}

// NotFound builds an error for a missing record.
func NotFound(msg string) *Error { return &Error{Code: CodeNotFound, Message: msg} }

// Forbidden builds an error for an action the caller's role may not take.
func Forbidden(msg string) *Error { return &Error{Code: CodeForbidden, Message: msg} }

// ErrorCode returns the kind of err, or "" when err is not a domain error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// fieldErrors collects field errors while validating one record.
type fieldErrors []FieldError

func (f *fieldErrors) add(field, format string, args ...any) {
	*f = append(*f, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}
