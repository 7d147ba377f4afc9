package handlers

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"asrboard/models"
)

// TestHealthz checks the health check: 200 while the database answers, 503
// once it is gone, no token needed either way.
func TestHealthz(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		got := decode[map[string]string](t, want(t, v.do(http.MethodGet, "/healthz", "", nil), http.StatusOK))
		if got["status"] != "ok" {
			t.Fatalf("healthz = %v", got)
		}
		v.store.Close()
		wantError(t, v.do(http.MethodGet, "/healthz", "", nil), http.StatusServiceUnavailable)
	})
}

// TestNotFound checks 404s: an unknown API route or session is JSON, an
// unknown page is the templ error page.
func TestNotFound(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		wantError(t, v.do(http.MethodGet, "/api/v1/nothing", models.RoleOwner, nil), http.StatusNotFound)
		wantError(t, v.do(http.MethodGet, "/api/v2/sessions", "", nil), http.StatusNotFound)
		rec405 := v.do(http.MethodDelete, "/api/v1/sessions", models.RoleOwner, nil)
		wantError(t, rec405, http.StatusMethodNotAllowed)
		if allow := rec405.Header().Get(echo.HeaderAllow); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Errorf("405 Allow header %q", allow)
		}
		e := wantError(t, v.do(http.MethodGet, "/api/v1/sessions/unknown-id", models.RoleStaff, nil), http.StatusNotFound)
		if !strings.Contains(e.Error, "unknown-id") {
			t.Errorf("404 %q does not name the id", e.Error)
		}

		rec := v.do(http.MethodGet, "/no/such/page", "", nil)
		body := want(t, rec, http.StatusNotFound)
		if ct := rec.Header().Get(echo.HeaderContentType); !strings.HasPrefix(ct, echo.MIMETextHTML) {
			t.Fatalf("page content type %q", ct)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.Find(`[data-testid="error-status"]`).Text(); got != "404 Not Found" {
			t.Errorf("error-status %q", got)
		}
		if got := doc.Find(`[data-testid="error-message"]`).Text(); got == "" {
			t.Error("error page without a message")
		}
	})
}

// TestServerErrorsAreGeneric checks that a database failure or a panic is a
// 500 whose message reveals nothing, while the cause reaches the log.
func TestServerErrorsAreGeneric(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	st := openSQLite(t)
	v := newEnv(t, st, Config{Logger: slog.New(slog.NewJSONHandler(lockedWriter{&logs, &mu}, nil)), RateLimit: -1})
	v.e.GET("/api/v1/panic", func(echo.Context) error { panic("boom: secret detail") })

	e := wantError(t, v.do(http.MethodGet, "/api/v1/panic", "", nil), http.StatusInternalServerError)
	if strings.Contains(e.Error, "secret") {
		t.Errorf("500 leaks the panic: %q", e.Error)
	}
	st.Close()
	e = wantError(t, v.do(http.MethodGet, "/api/v1/attributes", models.RoleOwner, nil), http.StatusInternalServerError)
	if strings.Contains(e.Error, "sql") || strings.Contains(e.Error, "closed") {
		t.Errorf("500 leaks the database error: %q", e.Error)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), "secret detail") || !strings.Contains(logs.String(), "closed") {
		t.Errorf("causes not logged:\n%s", logs.String())
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestRequestLogAndHeaders checks the one structured log line per request
// and the security headers and request id on answers.
func TestRequestLogAndHeaders(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	v := newEnv(t, openSQLite(t), Config{Logger: slog.New(slog.NewJSONHandler(lockedWriter{&logs, &mu}, nil)), RateLimit: -1})
	want(t, v.do(http.MethodGet, "/api/v1/dashboard", models.RoleOwner, nil), http.StatusOK)
	r := v.do(http.MethodGet, "/api/v1/sessions/missing", models.RoleOwner, nil)
	id := r.Header().Get(echo.HeaderXRequestID)
	for _, h := range []string{echo.HeaderXRequestID, echo.HeaderXContentTypeOptions, echo.HeaderXFrameOptions, echo.HeaderContentSecurityPolicy} {
		if r.Header().Get(h) == "" {
			t.Errorf("answer lacks %s", h)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d log lines for 2 requests:\n%s", len(lines), logs.String())
	}
	last := lines[1]
	if last["msg"] != "request" || last["method"] != "GET" || last["path"] != "/api/v1/sessions/missing" ||
		last["status"] != float64(404) || last["request_id"] != id || last["latency"] == nil {
		t.Errorf("log line %v", last)
	}
}

// TestBodyLimit checks the 1 MiB limit of requests other than ingest, for a
// declared and for a streamed body.
func TestBodyLimit(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		before := v.snapshot()
		big := `{"unit_label": "` + strings.Repeat("x", MaxBody) + `"}`
		e := wantError(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleOwner, big), http.StatusRequestEntityTooLarge)
		if !strings.Contains(e.Error, "1 MiB") {
			t.Errorf("413 %q does not name the limit", e.Error)
		}
		wantError(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleOwner, io.MultiReader(strings.NewReader(big))), http.StatusRequestEntityTooLarge)
		wantError(t, v.do(http.MethodPatch, "/api/v1/sessions/x/review", models.RoleOwner, io.MultiReader(strings.NewReader(big))), http.StatusRequestEntityTooLarge)
		if after := v.snapshot(); after != before {
			t.Fatal("an oversized request changed the data")
		}
	})
}

// TestSessionJSONShape pins the field names of SPEC §5 in session answers:
// the single GET carries the transcript, the list does not.
func TestSessionJSONShape(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		v.ingest(obj{"external_id": "shape", "started_at": "2026-05-01T10:00:00+02:00", "ended_at": "2026-05-01T10:05:00+02:00",
			"transcript": "Hello!", "units": "2.5", "is_lead": true, "caller_email": "a@example.com"})
		top := []string{"id", "external_id", "started_at", "ended_at", "channel", "caller_name", "caller_phone", "caller_email",
			"summary", "refused", "unavailable", "units", "is_test", "is_lead", "is_opportunity", "agent_success", "success_factor",
			"lead_value_cents", "in_working_hours", "recognition_percent", "additional_deals", "asr_cents", "quality",
			"stars", "comment", "auto", "human", "created_at", "updated_at"}
		one := decode[map[string]json.RawMessage](t, want(t, v.do(http.MethodGet, "/api/v1/sessions/shape", models.RoleIngest, nil), http.StatusOK))
		checkKeys(t, "single", one, append(slices.Clone(top), "transcript"))
		page := decode[struct {
			Sessions   []map[string]json.RawMessage `json:"sessions"`
			NextCursor *string                      `json:"next_cursor"`
		}](t, want(t, v.do(http.MethodGet, "/api/v1/sessions", models.RoleIngest, nil), http.StatusOK))
		if len(page.Sessions) != 1 || page.NextCursor != nil {
			t.Fatalf("page: %d sessions, cursor %v", len(page.Sessions), page.NextCursor)
		}
		checkKeys(t, "listed", page.Sessions[0], top)
		checkKeys(t, "auto", decode[map[string]json.RawMessage](t, one["auto"]),
			[]string{"is_lead", "refused", "unavailable", "agent_success", "is_test", "units", "channel"})
		checkKeys(t, "human", decode[map[string]json.RawMessage](t, one["human"]),
			[]string{"is_test", "is_lead", "is_opportunity", "agent_success", "stars", "comment"})
		for k, w := range map[string]string{"started_at": `"2026-05-01T08:00:00Z"`, "units": "2.5", "agent_success": "null",
			"quality": "null", "recognition_percent": "100", "additional_deals": "0", "transcript": `"Hello!"`, "channel": `"phone"`} {
			if string(one[k]) != w {
				t.Errorf("%s = %s, want %s", k, one[k], w)
			}
		}
		dash := decode[map[string]json.RawMessage](t, want(t, v.do(http.MethodGet, "/api/v1/dashboard", models.RoleIngest, nil), http.StatusOK))
		checkKeys(t, "dashboard", dash, []string{"from", "to", "session_count", "lead_count", "lead_value_cents", "opportunity_count",
			"opportunity_value_cents", "additional_deal_count", "asr_cents", "oss", "css", "lss"})
	})
}

func checkKeys(t *testing.T, what string, m map[string]json.RawMessage, keys []string) {
	t.Helper()
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	w := slices.Clone(keys)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Errorf("%s keys:\n got  %v\n want %v", what, got, w)
	}
}
