// Package storage opens the database (SQLite or PostgreSQL), migrates it and
// runs every query and transaction of ASR Board.
package storage

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialects the store speaks.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Config says which database to open: a PostgreSQL URL when URL is set,
// otherwise the SQLite file at Path.
type Config struct {
	Path string
	URL  string
	// Logger receives slow-query and error logs; nil keeps GORM quiet.
	Logger *slog.Logger
}

// Store is the one concrete storage type. SQLite gets a single writer
// connection whose transactions take the write lock up front
// (_txlock=immediate), so a transaction that reads then writes never fails
// with "database is locked", beside a pool of read-only connections.
// PostgreSQL uses one pool for both.
type Store struct {
	w       *gorm.DB
	r       *gorm.DB
	dialect string
}

// Dialect is SQLite or Postgres.
func (s *Store) Dialect() string { return s.dialect }

// Open connects and migrates the database.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	if cfg.Logger != nil {
		gcfg.Logger = logger.NewSlogLogger(cfg.Logger, logger.Config{SlowThreshold: 500 * time.Millisecond, IgnoreRecordNotFoundError: true, LogLevel: logger.Warn})
	}
	var s *Store
	var err error
	if cfg.URL != "" {
		s, err = openPostgres(cfg.URL, gcfg)
	} else {
		s, err = openSQLite(cfg.Path, gcfg)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return s, nil
}

func openSQLite(path string, gcfg *gorm.Config) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("no database: give --db PATH or --database-url")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	common := "_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL&_cache_size=-65536"
	wdsn := fmt.Sprintf("file:%s?_txlock=immediate&_journal_mode=WAL&%s", url.PathEscape(path), common)
	w, err := gorm.Open(sqlite.Open(wdsn), gcfg)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	wsql, err := w.DB()
	if err != nil {
		return nil, err
	}
	wsql.SetMaxOpenConns(1)
	wsql.SetMaxIdleConns(1)
	wsql.SetConnMaxLifetime(0)
	if err := wsql.Ping(); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	rdsn := fmt.Sprintf("file:%s?mode=ro&%s", url.PathEscape(path), common)
	r, err := gorm.Open(sqlite.Open(rdsn), gcfg)
	if err != nil {
		wsql.Close()
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	}
	rsql, err := r.DB()
	if err != nil {
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	rsql.SetMaxOpenConns(n)
	rsql.SetMaxIdleConns(n)
	return &Store{w: w, r: r, dialect: SQLite}, nil
}

func openPostgres(u string, gcfg *gorm.Config) (*Store, error) {
	if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
		return nil, fmt.Errorf("--database-url must start with postgres://")
	}
	db, err := gorm.Open(postgres.Open(u), gcfg)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(16)
	sqlDB.SetMaxIdleConns(16)
	return &Store{w: db, r: db, dialect: Postgres}, nil
}

// Close releases every connection: the readers first, so that the writer is
// the last connection and SQLite checkpoints and removes the WAL file.
func (s *Store) Close() error {
	var first error
	if s.dialect == SQLite {
		if err := s.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`).Error; err != nil {
			first = err
		}
	}
	for _, db := range []*gorm.DB{s.r, s.w} {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			if err := sqlDB.Close(); err != nil && first == nil {
				first = err
			}
		}
		if s.r == s.w {
			break
		}
	}
	return first
}

// Ping checks that the database answers, for /healthz.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.r.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// writeLockKey names the PostgreSQL advisory lock that serialises writers.
const writeLockKey = 728120432

// tx runs fn in one write transaction: the use case is all or nothing.
// Write transactions run one at a time on both databases: SQLite has one
// writer connection, and on PostgreSQL each takes a transaction-scoped
// advisory lock first. Without that, an ingest computing with the old
// attributes could commit after an attribute change's recompute, and two
// rollup refreshes of one hour could collide. Reads never wait for it.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			if err := tx.Exec(`SELECT pg_advisory_xact_lock(?)`, writeLockKey).Error; err != nil {
				return err
			}
		}
		return fn(tx)
	})
}

// read returns the read pool bound to ctx.
func (s *Store) read(ctx context.Context) *gorm.DB { return s.r.WithContext(ctx) }
