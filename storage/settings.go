package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"asrboard/models"
)

// Secret returns the random key stored under name, creating size random
// bytes on first use, so cookie keys survive restarts and are never written
// in the code.
func (s *Store) Secret(ctx context.Context, name string, size int) ([]byte, error) {
	var value string
	err := s.read(ctx).Raw(`SELECT value FROM settings WHERE name = ?`, name).Row().Scan(&value)
	if err == nil {
		return base64.StdEncoding.DecodeString(value)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read secret %s: %w", name, err)
	}
	b := make([]byte, size)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// Another process may have created it meanwhile: the first one wins.
		if err := tx.Exec(
			`INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, base64.StdEncoding.EncodeToString(b)).Error; err != nil {
			return err
		}
		return tx.Raw(`SELECT value FROM settings WHERE name = ?`, name).Row().Scan(&value)
	})
	if err != nil {
		return nil, fmt.Errorf("create secret %s: %w", name, err)
	}
	return base64.StdEncoding.DecodeString(value)
}

// TouchToken records that a token was used, at most once a minute per token
// so that API traffic does not turn into writes.
func (s *Store) TouchToken(ctx context.Context, t *models.APIToken) error {
	now := time.Now().UTC()
	if t.LastUsedAt != nil && now.Sub(*t.LastUsedAt) < time.Minute {
		return nil
	}
	return s.w.WithContext(ctx).Model(&models.APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error
}
