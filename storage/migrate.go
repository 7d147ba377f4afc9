package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migration is one numbered schema step; its SQL is written once with
// placeholders for the few types the dialects spell differently.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are applied in order and never edited once released: a change
// to the schema is a new entry.
var migrations = []migration{
	{1, "initial schema", `
CREATE TABLE sessions (
	id {{pk}},
	external_id TEXT NOT NULL,
	started_at BIGINT NOT NULL,
	ended_at BIGINT,
	channel TEXT NOT NULL DEFAULT 'phone',
	caller_name TEXT NOT NULL DEFAULT '',
	caller_phone TEXT NOT NULL DEFAULT '',
	caller_email TEXT NOT NULL DEFAULT '',
	auto_is_lead {{bool}} NOT NULL DEFAULT {{false}},
	refused {{bool}} NOT NULL DEFAULT {{false}},
	unavailable {{bool}} NOT NULL DEFAULT {{false}},
	units BIGINT,
	auto_agent_success TEXT NOT NULL DEFAULT '',
	auto_is_test {{bool}} NOT NULL DEFAULT {{false}},
	phone_key TEXT NOT NULL DEFAULT '',
	email_key TEXT NOT NULL DEFAULT '',
	human_is_test {{bool}},
	human_is_lead {{bool}},
	human_is_opportunity {{bool}},
	human_agent_success TEXT,
	stars INTEGER,
	comment TEXT,
	is_test {{bool}} NOT NULL DEFAULT {{false}},
	is_lead {{bool}} NOT NULL DEFAULT {{false}},
	is_opportunity {{bool}} NOT NULL DEFAULT {{false}},
	agent_success TEXT NOT NULL DEFAULT '',
	success_factor INTEGER NOT NULL DEFAULT 0,
	lead_value_cents BIGINT NOT NULL DEFAULT 0,
	in_working_hours {{bool}} NOT NULL DEFAULT {{false}},
	recognition BIGINT NOT NULL DEFAULT 10000,
	additional_deals_e8 BIGINT NOT NULL DEFAULT 0,
	asr_cents BIGINT NOT NULL DEFAULT 0,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	summary TEXT NOT NULL DEFAULT '',
	transcript TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sessions_external_id ON sessions (external_id);
CREATE INDEX sessions_started ON sessions (started_at, id);
CREATE INDEX sessions_test_started ON sessions (is_test, started_at, id);
CREATE INDEX sessions_test_asr ON sessions (is_test, asr_cents, id);
CREATE INDEX sessions_test_lead_value ON sessions (is_test, lead_value_cents, id);
CREATE INDEX sessions_review_queue ON sessions (is_test, is_lead, human_agent_success, started_at, id);

CREATE TABLE rollup_hours (
	hour BIGINT NOT NULL,
	in_working_hours {{bool}} NOT NULL,
	sessions BIGINT NOT NULL,
	leads BIGINT NOT NULL,
	lead_value_cents BIGINT NOT NULL,
	opportunities BIGINT NOT NULL,
	opportunity_cents BIGINT NOT NULL,
	additional_deals_e8 BIGINT NOT NULL,
	asr_cents BIGINT NOT NULL,
	opp_success BIGINT NOT NULL,
	lead_success BIGINT NOT NULL,
	rated BIGINT NOT NULL,
	stars_sum BIGINT NOT NULL,
	reviewed_assessments BIGINT NOT NULL,
	agree_assessments BIGINT NOT NULL,
	reviewed_leads BIGINT NOT NULL,
	agree_leads BIGINT NOT NULL,
	reviewed_opps BIGINT NOT NULL,
	agree_opps BIGINT NOT NULL,
	PRIMARY KEY (hour, in_working_hours)
);

CREATE TABLE settings (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE attributes (
	id BIGINT PRIMARY KEY,
	currency TEXT NOT NULL,
	lead_value_method TEXT NOT NULL,
	average_lead_value_cents BIGINT NOT NULL,
	unit_label TEXT NOT NULL,
	unit_price_cents BIGINT NOT NULL,
	conversion_ratio_percent BIGINT NOT NULL,
	redirection_type TEXT NOT NULL,
	recognition_percent BIGINT NOT NULL,
	timezone TEXT NOT NULL,
	working_hours TEXT NOT NULL,
	test_contacts TEXT NOT NULL,
	updated_at {{time}} NOT NULL
);

CREATE TABLE users (
	id {{pk}},
	email TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL,
	disabled {{bool}} NOT NULL DEFAULT {{false}},
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE api_tokens (
	id {{pk}},
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	hash TEXT NOT NULL,
	prefix TEXT NOT NULL,
	created_at {{time}} NOT NULL,
	last_used_at {{time}},
	revoked_at {{time}}
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (hash);

CREATE TABLE audit_entries (
	id {{pk}},
	entity TEXT NOT NULL,
	entity_id BIGINT NOT NULL,
	actor TEXT NOT NULL,
	field TEXT NOT NULL,
	old TEXT NOT NULL,
	new TEXT NOT NULL,
	at {{time}} NOT NULL
);
CREATE INDEX audit_entries_entity ON audit_entries (entity, entity_id, at);
`},
}

var placeholders = map[string]map[string]string{
	SQLite:   {"{{pk}}": "INTEGER PRIMARY KEY AUTOINCREMENT", "{{bool}}": "BOOLEAN", "{{false}}": "0", "{{time}}": "DATETIME"},
	Postgres: {"{{pk}}": "BIGSERIAL PRIMARY KEY", "{{bool}}": "BOOLEAN", "{{false}}": "FALSE", "{{time}}": "TIMESTAMPTZ"},
}

// migrate applies the migrations the database has not seen, each in its own
// transaction together with its row in schema_migrations.
func (s *Store) migrate(ctx context.Context) error {
	db := s.w.WithContext(ctx)
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`).Error; err != nil {
		return err
	}
	if s.dialect == Postgres {
		// Two servers starting at once must not both migrate.
		if err := db.Exec(`SELECT pg_advisory_lock(728120431)`).Error; err != nil {
			return err
		}
		defer db.Exec(`SELECT pg_advisory_unlock(728120431)`)
	}
	var applied []int
	if err := db.Raw(`SELECT version FROM schema_migrations`).Scan(&applied).Error; err != nil {
		return err
	}
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
	}
	for _, m := range migrations {
		if done[m.version] {
			continue
		}
		sql := m.sql
		for k, v := range placeholders[s.dialect] {
			sql = strings.ReplaceAll(sql, k, v)
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			for _, stmt := range strings.Split(sql, ";\n") {
				if strings.TrimSpace(stmt) == "" {
					continue
				}
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
				}
			}
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.version, m.name, time.Now().Unix()).Error
		})
		if err != nil {
			return err
		}
	}
	return nil
}
