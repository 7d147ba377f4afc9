package models

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Timestamp is an instant stored as whole microseconds since the Unix epoch
// (BIGINT), so that SQL can bucket and compare it the same way in SQLite and
// PostgreSQL.
type Timestamp struct{ time.Time }

// TS wraps a time, truncated to microseconds and in UTC.
func TS(t time.Time) Timestamp { return Timestamp{t.Truncate(time.Microsecond).UTC()} }

// Value stores the instant as microseconds.
func (t Timestamp) Value() (driver.Value, error) { return t.UnixMicro(), nil }

// Scan reads microseconds back into a UTC time.
func (t *Timestamp) Scan(v any) error {
	switch x := v.(type) {
	case int64:
		t.Time = time.UnixMicro(x).UTC()
	case nil:
		t.Time = time.Time{}
	default:
		return fmt.Errorf("timestamp: cannot scan %T", v)
	}
	return nil
}

// GormDataType tells GORM the column type.
func (Timestamp) GormDataType() string { return "bigint" }

// MarshalJSON writes RFC 3339 in UTC.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(time.RFC3339Nano) + `"`), nil
}
