package handlers

import (
	"fmt"
	"strings"

	"asrboard/models"
)

// newUserForm is the add-user form as typed.
type newUserForm struct {
	Email, Role, Password string
}

// Validate checks the form before the store does, so every field's message
// is shown at once; the store checks again (and for a taken email).
func (f newUserForm) Validate() map[string]string {
	errs := map[string]string{}
	if email := strings.TrimSpace(f.Email); email == "" {
		errs["email"] = "is required"
	} else if !models.LooksLikeEmail(strings.ToLower(email)) {
		errs["email"] = fmt.Sprintf("must look like an email address, got %q", email)
	}
	if _, err := models.ParseRole(f.Role, models.UserRoles); err != nil {
		errs["role"] = err.Error()
	}
	switch {
	case len(f.Password) < models.MinPasswordLen:
		errs["password"] = fmt.Sprintf("must be at least %d characters", models.MinPasswordLen)
	case len(f.Password) > 72:
		errs["password"] = "must be at most 72 bytes"
	}
	return errs
}

// newTokenForm is the create-token form as typed.
type newTokenForm struct {
	Name, Role string
}

// Validate checks the form the way storage.CreateToken does, with messages
// for people.
func (f newTokenForm) Validate() map[string]string {
	errs := map[string]string{}
	switch name := strings.TrimSpace(f.Name); {
	case name == "":
		errs["name"] = "is required: say what will use the token"
	case len([]rune(name)) > 100:
		errs["name"] = "must be at most 100 characters"
	}
	if _, err := models.ParseRole(f.Role, models.TokenRoles); err != nil {
		errs["role"] = err.Error()
	}
	return errs
}
