package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"asrboard/models"
)

// IngestResult counts what an ingest or import did.
type IngestResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// Ingest upserts a batch by external_id in one transaction: a new id creates
// a session, a known one gets its auto part replaced and keeps its human part.
func (s *Store) Ingest(ctx context.Context, batch []models.SessionInput) (IngestResult, error) {
	var res IngestResult
	err := s.tx(ctx, func(tx *gorm.DB) error {
		tx, err := sessionWriter(ctx, tx)
		if err != nil {
			return err
		}
		hours := hourSet{}
		r, err := upsert(tx, "", batch, hours)
		if err != nil {
			return err
		}
		res = r
		return refreshRollups(tx, hours)
	})
	return res, err
}

// upsert writes a batch through the model hooks and notes the hours it
// touched; human fields set on an input (imports) are applied and audited
// under actor.
func upsert(tx *gorm.DB, actor string, batch []models.SessionInput, hours hourSet) (IngestResult, error) {
	var res IngestResult
	ids := make([]string, len(batch))
	for i := range batch {
		ids[i] = batch[i].ExternalID
	}
	existing := make(map[string]*models.Session, len(batch))
	for chunk := range chunks(ids, 500) {
		var found []*models.Session
		if err := tx.Where("external_id IN ?", chunk).Find(&found).Error; err != nil {
			return res, err
		}
		for _, f := range found {
			existing[f.ExternalID] = f
		}
	}
	type pending struct {
		sess   *models.Session
		change models.Change
	}
	var creates []*models.Session
	var changed []pending
	for i := range batch {
		in := &batch[i]
		sess, ok := existing[in.ExternalID]
		if ok {
			hours.addMicros(sess.StartedAt.UnixMicro())
		} else {
			sess = &models.Session{}
		}
		in.ApplyAuto(sess)
		changes, err := in.Human.ApplyHuman(sess)
		if err != nil {
			return res, withItem(err, i)
		}
		hours.addMicros(sess.StartedAt.UnixMicro())
		switch {
		case ok && sess.ID == 0:
			// the same id earlier in this batch: its pending insert takes this version
			res.Updated++
		case ok:
			if err := tx.Save(sess).Error; err != nil {
				return res, fmt.Errorf("update session %q: %w", in.ExternalID, err)
			}
			res.Updated++
		default:
			creates = append(creates, sess)
			existing[in.ExternalID] = sess
			res.Created++
		}
		for _, c := range changes {
			changed = append(changed, pending{sess, c})
		}
	}
	if len(creates) > 0 {
		if err := tx.CreateInBatches(creates, 200).Error; err != nil {
			return res, fmt.Errorf("insert sessions: %w", err)
		}
	}
	if len(changed) > 0 {
		now := time.Now().UTC()
		audits := make([]models.AuditEntry, len(changed))
		for i, p := range changed { // ids are known now that the inserts ran
			audits[i] = models.AuditEntry{Entity: models.EntitySession, EntityID: p.sess.ID, Actor: actor,
				Field: p.change.Field, Old: p.change.Old, New: p.change.New, At: now}
		}
		if err := tx.CreateInBatches(audits, 500).Error; err != nil {
			return res, err
		}
	}
	return res, nil
}

// withItem marks a domain error with the batch position it came from.
func withItem(err error, i int) error {
	var e *models.Error
	if errors.As(err, &e) {
		for j := range e.Details {
			e.Details[j].Item = &i
		}
	}
	return err
}

func chunks[T any](s []T, n int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for i := 0; i < len(s); i += n {
			if !yield(s[i:min(i+n, len(s))]) {
				return
			}
		}
	}
}

// Session returns one session by its external id.
func (s *Store) Session(ctx context.Context, externalID string) (*models.Session, error) {
	return findSession(s.read(ctx), "external_id = ?", externalID)
}

// SessionByID returns one session by its internal id.
func (s *Store) SessionByID(ctx context.Context, id int64) (*models.Session, error) {
	return findSession(s.read(ctx), "id = ?", id)
}

func findSession(db *gorm.DB, cond string, arg any) (*models.Session, error) {
	var sess models.Session
	err := db.Where(cond, arg).Take(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.NotFound(fmt.Sprintf("no session %v", arg))
	}
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

// Review applies a reviewer's patch to the human part of one session, writes
// one audit entry per changed field and refreshes the rollups, all in one
// transaction.
func (s *Store) Review(ctx context.Context, actor, externalID string, p models.HumanPatch) (*models.Session, error) {
	var out *models.Session
	err := s.tx(ctx, func(tx *gorm.DB) error {
		tx, err := sessionWriter(ctx, tx)
		if err != nil {
			return err
		}
		q := tx
		if s.dialect == Postgres {
			q = tx.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		sess, err := findSession(q, "external_id = ?", externalID)
		if err != nil {
			return err
		}
		changes, err := p.ApplyHuman(sess)
		if err != nil {
			return err
		}
		out = sess
		if len(changes) == 0 {
			return nil
		}
		if err := tx.Save(sess).Error; err != nil {
			return err
		}
		now := time.Now().UTC()
		entries := make([]models.AuditEntry, len(changes))
		for i, c := range changes {
			entries[i] = models.AuditEntry{Entity: models.EntitySession, EntityID: sess.ID, Actor: actor,
				Field: c.Field, Old: c.Old, New: c.New, At: now}
		}
		if err := tx.Create(&entries).Error; err != nil {
			return err
		}
		hours := hourSet{}
		hours.addMicros(sess.StartedAt.UnixMicro())
		return refreshRollups(tx, hours)
	})
	return out, err
}

// Audit lists the audit entries of one entity, newest first.
func (s *Store) Audit(ctx context.Context, entity string, id int64, limit int) ([]models.AuditEntry, error) {
	var out []models.AuditEntry
	err := s.read(ctx).Where("entity = ? AND entity_id = ?", entity, id).Order("at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// Totals sums the non-test sessions that started in [from, to); a nil bound
// is open. Whole UTC hours come from the rollups, the partial hours at the
// edges from the sessions themselves.
func (s *Store) Totals(ctx context.Context, from, to *time.Time) (models.Totals, error) {
	return totals(s.read(ctx), from, to, nil)
}

// TotalsByWorkingHours splits Totals into the sessions that started inside
// and outside working hours.
func (s *Store) TotalsByWorkingHours(ctx context.Context, from, to *time.Time) (inside, outside models.Totals, err error) {
	db := s.read(ctx)
	yes, no := true, false
	if inside, err = totals(db, from, to, &yes); err != nil {
		return
	}
	outside, err = totals(db, from, to, &no)
	return
}

func totals(db *gorm.DB, from, to *time.Time, inWH *bool) (models.Totals, error) {
	var lo, hi *int64 // rollup hours [lo, hi)
	if from != nil {
		h := ceilDiv(from.UnixMicro(), microsPerHour)
		lo = &h
	}
	if to != nil {
		h := floorDiv(to.UnixMicro(), microsPerHour)
		hi = &h
	}
	if lo != nil && hi != nil && *lo >= *hi {
		return rawTotals(db, from, to, inWH)
	}
	q := `SELECT ` + rollupSums + ` FROM rollup_hours WHERE 1=1`
	var args []any
	if lo != nil {
		q += ` AND hour >= ?`
		args = append(args, *lo)
	}
	if hi != nil {
		q += ` AND hour < ?`
		args = append(args, *hi)
	}
	if inWH != nil {
		q += ` AND in_working_hours = ?`
		args = append(args, *inWH)
	}
	var t models.Totals // GORM maps the column aliases onto its fields
	if err := db.Raw(q, args...).Scan(&t).Error; err != nil {
		return models.Totals{}, err
	}
	if lo != nil {
		edge := time.UnixMicro(*lo * microsPerHour)
		if edge.After(*from) {
			e, err := rawTotals(db, from, &edge, inWH)
			if err != nil {
				return t, err
			}
			t = t.Add(e)
		}
	}
	if hi != nil {
		edge := time.UnixMicro(*hi * microsPerHour)
		if to.After(edge) {
			e, err := rawTotals(db, &edge, to, inWH)
			if err != nil {
				return t, err
			}
			t = t.Add(e)
		}
	}
	return t, nil
}

// rawTotals sums the sessions table directly over [from, to).
func rawTotals(db *gorm.DB, from, to *time.Time, inWH *bool) (models.Totals, error) {
	cond, args := rangeCond(from, to)
	if inWH != nil {
		cond += " AND in_working_hours = ?"
		args = append(args, *inWH)
	}
	var t models.Totals
	err := db.Raw(`SELECT `+totalsColumns+` FROM sessions WHERE NOT is_test`+cond, args...).Scan(&t).Error
	return t, err
}

// Agreement compares the platform's verdicts with the reviewers' over the
// non-test sessions in [from, to) that carry both (see models.Agreement);
// it reads the rollups like Totals.
func (s *Store) Agreement(ctx context.Context, from, to *time.Time) (models.Agreement, error) {
	t, err := s.Totals(ctx, from, to)
	return t.Agreement(), err
}

// rangeCond is " AND started_at >= ? AND started_at < ?" for the bounds given.
func rangeCond(from, to *time.Time) (string, []any) {
	cond := ""
	var args []any
	if from != nil {
		cond += " AND started_at >= ?"
		args = append(args, from.UnixMicro())
	}
	if to != nil {
		cond += " AND started_at < ?"
		args = append(args, to.UnixMicro())
	}
	return cond, args
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }
