package storage

import (
	"context"
	"errors"
	"io"

	"gorm.io/gorm"

	"asrboard/models"
)

// MaxImportErrors is how many bad lines an import reports before it stops reading.
const MaxImportErrors = 50

// ImportRecord is one decoded line of an import file.
type ImportRecord struct {
	Line  int
	Input models.SessionInput
	// Errors are the rules this line broke; such a record is not stored.
	Errors []models.FieldError
}

// Import upserts every record next yields (io.EOF ends) in one transaction,
// a chunk at a time so memory stays constant. Any bad line rolls everything
// back; up to MaxImportErrors are reported, each with its line number.
// Human fields in the records are applied and audited under actor. progress,
// when set, is told how many records were read so far.
func (s *Store) Import(ctx context.Context, actor string, next func() (ImportRecord, error), progress func(n int)) (IngestResult, error) {
	var res IngestResult
	var bad []models.FieldError
	err := s.tx(ctx, func(tx *gorm.DB) error {
		tx, err := sessionWriter(ctx, tx)
		if err != nil {
			return err
		}
		hours := hourSet{}
		const chunk = 1000
		batch := make([]models.SessionInput, 0, chunk)
		lines := make([]int, 0, chunk)
		read := 0
		flush := func() error {
			if len(batch) == 0 || len(bad) > 0 {
				batch, lines = batch[:0], lines[:0]
				return nil
			}
			r, err := upsert(tx, actor, batch, hours)
			if err != nil {
				var e *models.Error
				if errors.As(err, &e) {
					for _, d := range e.Details {
						if d.Item != nil {
							d.Line, d.Item = lines[*d.Item], nil
						}
						bad = append(bad, d)
					}
					batch, lines = batch[:0], lines[:0]
					return nil
				}
				return err
			}
			res.Created += r.Created
			res.Updated += r.Updated
			batch, lines = batch[:0], lines[:0]
			return nil
		}
		for len(bad) < MaxImportErrors {
			rec, err := next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				var e *models.Error
				if errors.As(err, &e) {
					bad = append(bad, e.Details...)
					break // the file itself is unreadable past here
				}
				return err
			}
			read++
			if progress != nil && read%1000 == 0 {
				progress(read)
			}
			if len(rec.Errors) > 0 {
				for _, fe := range rec.Errors {
					fe.Line = rec.Line
					bad = append(bad, fe)
				}
				continue
			}
			batch = append(batch, rec.Input)
			lines = append(lines, rec.Line)
			if len(batch) == chunk {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		if progress != nil {
			progress(read)
		}
		if len(bad) > 0 {
			if len(bad) > MaxImportErrors {
				bad = bad[:MaxImportErrors]
			}
			return models.Invalid("import rejected, nothing was stored", bad...)
		}
		return refreshRollups(tx, hours)
	})
	if err != nil {
		return IngestResult{}, err
	}
	return res, nil
}
