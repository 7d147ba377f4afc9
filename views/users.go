package views

// UsersView is the content of /users: people and API tokens, the forms to
// add them, and a token just created (shown this once).
type UsersView struct {
	// CSRF is the token of every form's hidden field.
	CSRF   string
	Users  []UserRow
	Tokens []TokenRow
	// UserRoles and TokenRoles fill the role selects.
	UserRoles, TokenRoles []string
	NewUser               NewUserForm
	NewToken              NewTokenForm
	// Created is the token made by this very request; nil on every other view.
	Created *CreatedToken
	// UsersError is why a change to a user was refused ("" when none).
	UsersError string
}

// UserRow is one person in the users table.
type UserRow struct {
	ID       int64
	Email    string
	Role     string
	Disabled bool
	Created  string
	// Self marks the signed-in owner, who may not demote or disable themselves.
	Self bool
}

// TokenRow is one API token in the tokens table.
type TokenRow struct {
	ID                 int64
	Name, Role, Prefix string
	Created, LastUsed  string
	Revoked            string
	IsRevoked          bool
}

// NewUserForm is the add-user form as typed (the password is never sent
// back) with a message per field name (email, role, password).
type NewUserForm struct {
	Email, Role string
	Errors      map[string]string
}

// NewTokenForm is the create-token form as typed, with a message per field
// name (name, role).
type NewTokenForm struct {
	Name, Role string
	Errors     map[string]string
}

// CreatedToken is a new token's only plain copy.
type CreatedToken struct {
	Name, Role, Plain string
}

// RevokeTokenView asks to confirm revoking one token.
type RevokeTokenView struct {
	CSRF  string
	Token TokenRow
}

// userErrorID is the id of a users-page field's message ("err-user-email").
func userErrorID(form, field string) string { return "err-" + form + "-" + field }

// userInputID is the id of a users-page input ("user-email").
func userInputID(form, field string) string { return form + "-" + field }
