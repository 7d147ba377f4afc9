package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// testStores opens a fresh SQLite store, and a fresh PostgreSQL database too
// when ASRBOARD_TEST_POSTGRES_URL is set, so every test runs on both.
func testStores(t *testing.T) map[string]*Store {
	t.Helper()
	ctx := context.Background()
	out := map[string]*Store{}
	s, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "test.db")})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	out[SQLite] = s
	if base := os.Getenv("ASRBOARD_TEST_POSTGRES_URL"); base != "" {
		out[Postgres] = openTestPostgres(t, base)
	}
	return out
}

func openTestPostgres(t *testing.T, base string) *Store {
	t.Helper()
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("connect postgres: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "asrboard_test_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatalf("create database: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	s, err := Open(context.Background(), Config{URL: u.String()})
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() {
		s.Close()
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		if db, err := admin.DB(); err == nil {
			db.Close()
		}
	})
	return s
}
