package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"asrboard/models"
)

// CreateUser adds a person with a hashed password.
func (s *Store) CreateUser(ctx context.Context, email, password string, role models.Role) (*models.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var fe []models.FieldError
	if !models.LooksLikeEmail(email) {
		fe = append(fe, models.FieldError{Field: "email", Message: "must look like an email address"})
	}
	if _, err := models.ParseRole(string(role), models.UserRoles); err != nil {
		fe = append(fe, models.FieldError{Field: "role", Message: err.Error()})
	}
	if len(fe) > 0 {
		return nil, models.Invalid("invalid user", fe...)
	}
	hash, err := models.HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &models.User{Email: email, PasswordHash: hash, Role: role}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.User{}).Where("email = ?", email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &models.Error{Code: models.CodeConflict, Message: "user exists",
				Details: []models.FieldError{{Field: "email", Message: fmt.Sprintf("%s already has an account", email)}}}
		}
		return tx.Create(u).Error
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Authenticate returns the enabled user with this email and password.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*models.User, error) {
	var u models.User
	err := s.read(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		models.CheckPassword("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z3ZbgyE0o4oNpt0BYV3xp0eW", password) // same time as a real check
		return nil, models.Forbidden("wrong email or password")
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled || !models.CheckPassword(u.PasswordHash, password) {
		return nil, models.Forbidden("wrong email or password")
	}
	return &u, nil
}

// User returns one user by id.
func (s *Store) User(ctx context.Context, id int64) (*models.User, error) {
	var u models.User
	err := s.read(ctx).Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.NotFound("no such user")
	}
	return &u, err
}

// Users lists every user by email.
func (s *Store) Users(ctx context.Context) ([]models.User, error) {
	var out []models.User
	return out, s.read(ctx).Order("email").Find(&out).Error
}

// UpdateUser changes a user's role and whether the account is disabled.
func (s *Store) UpdateUser(ctx context.Context, id int64, role models.Role, disabled bool) error {
	if _, err := models.ParseRole(string(role), models.UserRoles); err != nil {
		return models.Invalid("invalid user", models.FieldError{Field: "role", Message: err.Error()})
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&models.User{}).Where("id = ?", id).Updates(map[string]any{"role": role, "disabled": disabled, "updated_at": time.Now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.NotFound("no such user")
		}
		return nil
	})
}

// CreateToken stores a new API token and returns its only plain copy.
func (s *Store) CreateToken(ctx context.Context, name string, role models.Role) (string, *models.APIToken, error) {
	name = strings.TrimSpace(name)
	var fe []models.FieldError
	if name == "" || len(name) > 100 {
		fe = append(fe, models.FieldError{Field: "name", Message: "is required, at most 100 characters"})
	}
	if _, err := models.ParseRole(string(role), models.TokenRoles); err != nil {
		fe = append(fe, models.FieldError{Field: "role", Message: err.Error()})
	}
	if len(fe) > 0 {
		return "", nil, models.Invalid("invalid token", fe...)
	}
	plain, hash, prefix, err := models.NewToken()
	if err != nil {
		return "", nil, err
	}
	t := &models.APIToken{Name: name, Role: role, Hash: hash, Prefix: prefix}
	if err := s.w.WithContext(ctx).Create(t).Error; err != nil {
		return "", nil, err
	}
	return plain, t, nil
}

// TokenByPlain finds the live token a bearer presented.
func (s *Store) TokenByPlain(ctx context.Context, plain string) (*models.APIToken, error) {
	var t models.APIToken
	err := s.read(ctx).Where("hash = ? AND revoked_at IS NULL", models.HashToken(plain)).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.NotFound("unknown or revoked token")
	}
	return &t, err
}

// Tokens lists every API token, newest first.
func (s *Store) Tokens(ctx context.Context) ([]models.APIToken, error) {
	var out []models.APIToken
	return out, s.read(ctx).Order("created_at DESC, id DESC").Find(&out).Error
}

// RevokeToken stops a token from working.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	now := time.Now().UTC()
	res := s.w.WithContext(ctx).Model(&models.APIToken{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", &now)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return models.NotFound("no such live token")
	}
	return nil
}

// IsEmpty tells whether the database has no users, sessions or saved
// attributes (demo seeds only such a database).
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var users, sessions, attrs int64
	if err := s.read(ctx).Model(&models.Attributes{}).Count(&attrs).Error; err != nil {
		return false, err
	}
	if attrs > 0 {
		return false, nil
	}
	if err := s.read(ctx).Model(&models.User{}).Count(&users).Error; err != nil {
		return false, err
	}
	if err := s.read(ctx).Model(&models.Session{}).Count(&sessions).Error; err != nil {
		return false, err
	}
	return users == 0 && sessions == 0, nil
}
