package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"asrboard/models"
)

// UserChange is what ChangeUser sets; a nil field keeps its value.
type UserChange struct {
	Role     *models.Role
	Disabled *bool
}

// ChangeUser changes a user's role or status on behalf of the owner actorID,
// refusing, in the same transaction as the change, what would lock the
// owners out: an owner demoting or disabling themselves, and the last
// enabled owner losing the role or being disabled.
func (s *Store) ChangeUser(ctx context.Context, actorID, id int64, ch UserChange) (*models.User, error) {
	if ch.Role != nil {
		if _, err := models.ParseRole(string(*ch.Role), models.UserRoles); err != nil {
			return nil, models.Invalid("invalid user", models.FieldError{Field: "role", Message: err.Error()})
		}
	}
	var u models.User
	err := s.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Where("id = ?", id).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return models.NotFound("no such user")
		}
		if err != nil {
			return err
		}
		role, disabled := u.Role, u.Disabled
		if ch.Role != nil {
			role = *ch.Role
		}
		if ch.Disabled != nil {
			disabled = *ch.Disabled
		}
		losesOwner := u.Role == models.RoleOwner && !u.Disabled && (role != models.RoleOwner || disabled)
		if !losesOwner {
			return setUser(tx, &u, role, disabled)
		}
		if u.ID == actorID {
			return &models.Error{Code: models.CodeConflict, Message: "you cannot demote or disable yourself",
				Details: []models.FieldError{{Field: "role", Message: "you cannot demote or disable yourself: ask another owner"}}}
		}
		var others int64
		if err := tx.Model(&models.User{}).Where("role = ? AND disabled = ? AND id <> ?", models.RoleOwner, false, u.ID).Count(&others).Error; err != nil {
			return err
		}
		if others == 0 {
			return &models.Error{Code: models.CodeConflict, Message: "last enabled owner",
				Details: []models.FieldError{{Field: "role", Message: fmt.Sprintf("%s is the last enabled owner and cannot be demoted or disabled: make another user owner first", u.Email)}}}
		}
		return setUser(tx, &u, role, disabled)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// setUser writes role and status (a map, so that false is written too).
func setUser(tx *gorm.DB, u *models.User, role models.Role, disabled bool) error {
	now := time.Now().UTC()
	if err := tx.Model(&models.User{}).Where("id = ?", u.ID).
		Updates(map[string]any{"role": role, "disabled": disabled, "updated_at": now}).Error; err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	u.Role, u.Disabled, u.UpdatedAt = role, disabled, now
	return nil
}

// Token returns one API token by id, revoked or not.
func (s *Store) Token(ctx context.Context, id int64) (*models.APIToken, error) {
	var t models.APIToken
	err := s.read(ctx).Where("id = ?", id).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.NotFound("no such token")
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}
