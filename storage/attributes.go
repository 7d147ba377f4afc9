package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"asrboard/models"
)

// Attributes returns the saved attributes, or the SPEC defaults when none
// were saved yet; the result is prepared for the formulas.
func (s *Store) Attributes(ctx context.Context) (*models.Attributes, error) {
	return loadAttributes(s.read(ctx))
}

// sessionWriter returns tx carrying the saved attributes in its context, as
// every write of a Session must (its BeforeSave hook computes with them).
func sessionWriter(ctx context.Context, tx *gorm.DB) (*gorm.DB, error) {
	a, err := loadAttributes(tx)
	if err != nil {
		return nil, err
	}
	return tx.WithContext(models.WithAttributes(ctx, a)), nil
}

func loadAttributes(db *gorm.DB) (*models.Attributes, error) {
	var a models.Attributes
	err := db.Where("id = ?", 1).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		a = models.DefaultAttributes()
	} else if err != nil {
		return nil, fmt.Errorf("load attributes: %w", err)
	}
	if a.TestContacts == nil {
		a.TestContacts = []string{}
	}
	if err := a.Prepare(); err != nil {
		return nil, err
	}
	return &a, nil
}

// SaveAttributes validates and saves a, records each changed attribute in the
// audit log, and recomputes every session and the rollups, all in one
// transaction: either everything changes or nothing does.
func (s *Store) SaveAttributes(ctx context.Context, actor string, a *models.Attributes) (*models.Attributes, error) {
	if fe := a.Validate(); len(fe) > 0 {
		return nil, models.Invalid("invalid attributes", fe...)
	}
	if err := a.Prepare(); err != nil {
		return nil, err
	}
	a.ID = 1
	a.UpdatedAt = time.Now().UTC()
	if a.TestContacts == nil {
		a.TestContacts = []string{}
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		old, err := loadAttributes(tx)
		if err != nil {
			return err
		}
		if err := tx.Save(a).Error; err != nil {
			return fmt.Errorf("save attributes: %w", err)
		}
		if err := auditAttributes(tx, actor, old, a); err != nil {
			return err
		}
		return recomputeAll(tx, a, old)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// PreviewAttributes computes the totals over [from, to) that a would give,
// without saving anything (the change is rolled back).
func (s *Store) PreviewAttributes(ctx context.Context, a *models.Attributes, from, to *time.Time) (models.Totals, error) {
	if fe := a.Validate(); len(fe) > 0 {
		return models.Totals{}, models.Invalid("invalid attributes", fe...)
	}
	if err := a.Prepare(); err != nil {
		return models.Totals{}, err
	}
	var out models.Totals
	errRollback := errors.New("preview")
	err := s.tx(ctx, func(tx *gorm.DB) error {
		cond, args := rangeCond(from, to)
		var minMax struct{ Lo, Hi *int64 }
		if err := tx.Raw(`SELECT MIN(started_at) AS lo, MAX(started_at) AS hi FROM sessions WHERE 1=1`+cond, args...).Scan(&minMax).Error; err != nil {
			return err
		}
		if minMax.Lo != nil {
			old, err := loadAttributes(tx)
			if err != nil {
				return err
			}
			for _, stmt := range recomputeSQL(a, old, *minMax.Lo, *minMax.Hi) {
				if err := tx.Exec(stmt+cond, args...).Error; err != nil {
					return err
				}
			}
		}
		t, err := rawTotals(tx, from, to, nil)
		if err != nil {
			return err
		}
		out = t
		return errRollback
	})
	if err != nil && !errors.Is(err, errRollback) {
		return models.Totals{}, err
	}
	return out, nil
}

// recomputeAll applies a (replacing old) to every stored session with
// set-based UPDATEs and rebuilds the rollups.
func recomputeAll(tx *gorm.DB, a, old *models.Attributes) error {
	var minMax struct{ Lo, Hi *int64 }
	if err := tx.Raw(`SELECT MIN(started_at) AS lo, MAX(started_at) AS hi FROM sessions`).Scan(&minMax).Error; err != nil {
		return err
	}
	if minMax.Lo == nil {
		return tx.Exec(`DELETE FROM rollup_hours`).Error
	}
	stmts := recomputeSQL(a, old, *minMax.Lo, *minMax.Hi)
	if len(stmts) == 0 {
		return nil // nothing the formulas read changed: sessions and rollups stand
	}
	for _, stmt := range stmts {
		if err := tx.Exec(stmt).Error; err != nil {
			return fmt.Errorf("recompute sessions: %w", err)
		}
	}
	return rebuildRollups(tx)
}

// auditAttributes records every attribute whose JSON value changed.
func auditAttributes(tx *gorm.DB, actor string, old, next *models.Attributes) error {
	ob, err := json.Marshal(old)
	if err != nil {
		return err
	}
	nb, err := json.Marshal(next)
	if err != nil {
		return err
	}
	var om, nm map[string]json.RawMessage
	if err := json.Unmarshal(ob, &om); err != nil {
		return err
	}
	if err := json.Unmarshal(nb, &nm); err != nil {
		return err
	}
	now := time.Now().UTC()
	var entries []models.AuditEntry
	for _, k := range AttributeFields {
		if string(om[k]) != string(nm[k]) {
			entries = append(entries, models.AuditEntry{Entity: models.EntityAttributes, EntityID: 1, Actor: actor,
				Field: k, Old: string(om[k]), New: string(nm[k]), At: now})
		}
	}
	if len(entries) == 0 {
		return nil
	}
	return tx.Create(&entries).Error
}

// AttributeFields are the JSON names of the attributes, in SPEC order.
var AttributeFields = []string{"currency", "lead_value_method", "average_lead_value_cents", "unit_label", "unit_price_cents",
	"conversion_ratio_percent", "redirection_type", "recognition_percent", "timezone", "working_hours", "test_contacts"}
