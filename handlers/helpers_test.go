package handlers

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver of the admin connection that creates test databases
	"github.com/labstack/echo/v4"

	// The tests read America/New_York and Asia/Kolkata; embedding the zone
	// database keeps them independent of the machine.
	_ "time/tzdata"

	"asrboard/models"
	"asrboard/storage"
)

// backend opens a fresh, migrated, empty database for one test.
type backend struct {
	name string
	open func(t *testing.T) *storage.Store
}

// backends are SQLite always, and PostgreSQL when ASRBOARD_TEST_POSTGRES_URL
// names a server (each test then gets a database of its own).
func backends() []backend {
	list := []backend{{name: "sqlite", open: openSQLite}}
	if u := os.Getenv("ASRBOARD_TEST_POSTGRES_URL"); u != "" {
		list = append(list, backend{name: "postgres", open: func(t *testing.T) *storage.Store { return openPostgres(t, u) }})
	}
	return list
}

func openSQLite(t *testing.T) *storage.Store {
	t.Helper()
	st, err := storage.Open(context.Background(), storage.Config{Path: filepath.Join(t.TempDir(), "asrboard.db")})
	if err != nil {
		t.Fatalf("open SQLite: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// openPostgres creates asrboard_test_<random> through the given URL, opens
// the store on it and drops it when the test ends.
func openPostgres(t *testing.T, base string) *storage.Store {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "asrboard_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse ASRBOARD_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	st, err := storage.Open(context.Background(), storage.Config{URL: u.String()})
	if err != nil {
		t.Fatalf("open PostgreSQL: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// env is one server on one fresh database with a token per role.
type env struct {
	t      *testing.T
	store  *storage.Store
	e      *echo.Echo
	tokens map[models.Role]string
}

// quietConfig keeps test output clean and the rate limiter out of the way.
func quietConfig() Config {
	return Config{Logger: slog.New(slog.DiscardHandler), RateLimit: -1}
}

// eachBackend runs fn as a subtest on every available database.
func eachBackend(t *testing.T, fn func(t *testing.T, v *env)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			fn(t, newEnv(t, b.open(t), quietConfig()))
		})
	}
}

func newEnv(t *testing.T, st *storage.Store, cfg Config) *env {
	t.Helper()
	v := &env{t: t, store: st, e: New(st, cfg), tokens: map[models.Role]string{}}
	for _, r := range models.TokenRoles {
		plain, _, err := st.CreateToken(context.Background(), string(r), r)
		if err != nil {
			t.Fatalf("create %s token: %v", r, err)
		}
		v.tokens[r] = plain
	}
	return v
}

// do sends a request as role ("" sends no Authorization header). body is
// nil, a string or []byte sent as is, an io.Reader, or a value to marshal.
func (v *env) do(method, path string, role models.Role, body any) *httptest.ResponseRecorder {
	v.t.Helper()
	auth := ""
	if role != "" {
		auth = "Bearer " + v.tokens[role]
	}
	return v.doAuth(method, path, auth, body)
}

// doAuth sends a request with the given Authorization header ("" for none).
func (v *env) doAuth(method, path, auth string, body any) *httptest.ResponseRecorder {
	v.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	case io.Reader:
		r = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			v.t.Fatalf("marshal body: %v", err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if d, ok := body.(interface{ declaredLength() int64 }); ok {
		req.ContentLength = d.declaredLength()
	}
	if r != nil {
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	}
	if auth != "" {
		req.Header.Set(echo.HeaderAuthorization, auth)
	}
	rec := httptest.NewRecorder()
	v.e.ServeHTTP(rec, req)
	return rec
}

// want fails the test unless the answer has the status; it returns the body.
func want(t *testing.T, rec *httptest.ResponseRecorder, status int) []byte {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body: %s", rec.Code, status, truncate(rec.Body.String()))
	}
	return rec.Body.Bytes()
}

func truncate(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// decode unmarshals an answer body.
func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("decode %T: %v; body: %s", out, err, truncate(string(b)))
	}
	return out
}

// apiErr is the JSON error answer.
type apiErr struct {
	Error   string              `json:"error"`
	Details []models.FieldError `json:"details"`
}

// wantError checks the status and that the answer is a JSON error; it
// returns the error.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int) apiErr {
	t.Helper()
	b := want(t, rec, status)
	if ct := rec.Header().Get(echo.HeaderContentType); !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		t.Fatalf("content type %q, want JSON; body: %s", ct, truncate(string(b)))
	}
	e := decode[apiErr](t, b)
	if e.Error == "" || e.Details == nil {
		t.Fatalf("error answer lacks error or details: %s", b)
	}
	return e
}

// hasDetail tells whether a detail names field (and item, when item >= 0).
func hasDetail(e apiErr, item int, field string) bool {
	for _, d := range e.Details {
		if d.Field == field && (item < 0 || (d.Item != nil && *d.Item == item)) {
			return true
		}
	}
	return false
}

// ingest posts sessions as the owner and expects success.
func (v *env) ingest(body any) storage.IngestResult {
	v.t.Helper()
	return decode[storage.IngestResult](v.t, want(v.t, v.do(http.MethodPost, "/api/v1/sessions", models.RoleOwner, body), http.StatusOK))
}

// session fetches one session as the owner.
func (v *env) session(externalID string) sessionJSON {
	v.t.Helper()
	return decode[sessionJSON](v.t, want(v.t, v.do(http.MethodGet, "/api/v1/sessions/"+url.PathEscape(externalID), models.RoleOwner, nil), http.StatusOK))
}

// snapshot is everything a forbidden or rejected request must leave alone:
// every session (transcripts aside), the attributes and the dashboard.
func (v *env) snapshot() string {
	v.t.Helper()
	var b strings.Builder
	for _, p := range []string{"/api/v1/sessions?limit=10000", "/api/v1/attributes", "/api/v1/dashboard"} {
		b.Write(want(v.t, v.do(http.MethodGet, p, models.RoleOwner, nil), http.StatusOK))
		b.WriteByte('\n')
	}
	return b.String()
}

// obj is a JSON object literal for request bodies.
type obj = map[string]any
