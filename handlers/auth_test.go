package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"asrboard/models"
)

// endpoint is one API route with a body that would succeed for an allowed role.
type endpoint struct {
	method, path string
	body         func(n int) any
	write        bool
	allowed      func(models.Role) bool
}

func endpoints(v *env) []endpoint {
	attrs := want(v.t, v.do(http.MethodGet, "/api/v1/attributes", models.RoleOwner, nil), http.StatusOK)
	return []endpoint{
		{http.MethodPost, "/api/v1/sessions", func(n int) any {
			return obj{"external_id": fmt.Sprintf("matrix-%d", n), "started_at": "2026-05-01T10:00:00Z", "is_lead": true}
		}, true, models.Role.CanIngest},
		{http.MethodGet, "/api/v1/sessions", nil, false, models.Role.CanView},
		{http.MethodGet, "/api/v1/sessions/seed", nil, false, models.Role.CanView},
		{http.MethodPatch, "/api/v1/sessions/seed/review", func(n int) any { return obj{"stars": 1 + n%5} }, true, models.Role.CanReview},
		{http.MethodGet, "/api/v1/attributes", nil, false, models.Role.CanView},
		{http.MethodPut, "/api/v1/attributes", func(int) any { return attrs }, true, models.Role.CanEditAttributes},
		{http.MethodGet, "/api/v1/dashboard", nil, false, models.Role.CanView},
	}
}

// TestRoleMatrix checks every endpoint for every role against SPEC §6, and
// that a forbidden write changes nothing.
func TestRoleMatrix(t *testing.T) {
	// allowed[method path] lists the roles SPEC §6 admits.
	spec := map[string][]models.Role{
		"POST /api/v1/sessions":              {models.RoleOwner, models.RoleIngest},
		"GET /api/v1/sessions":               models.TokenRoles,
		"GET /api/v1/sessions/seed":          models.TokenRoles,
		"PATCH /api/v1/sessions/seed/review": {models.RoleOwner, models.RoleReviewer},
		"GET /api/v1/attributes":             models.TokenRoles,
		"PUT /api/v1/attributes":             {models.RoleOwner, models.RoleStaff},
		"GET /api/v1/dashboard":              models.TokenRoles,
	}
	eachBackend(t, func(t *testing.T, v *env) {
		v.ingest(obj{"external_id": "seed", "started_at": "2026-05-01T09:00:00Z", "is_lead": true, "caller_phone": "+1 555 0101"})
		n := 0
		for _, ep := range endpoints(v) {
			key := ep.method + " " + ep.path
			for _, role := range models.TokenRoles {
				n++
				allowed := false
				for _, r := range spec[key] {
					allowed = allowed || r == role
				}
				if allowed != ep.allowed(role) {
					t.Fatalf("%s as %s: SPEC says allowed=%v, models.Role says %v", key, role, allowed, !allowed)
				}
				var body any
				if ep.body != nil {
					body = ep.body(n)
				}
				before := ""
				if ep.write && !allowed {
					before = v.snapshot()
				}
				rec := v.do(ep.method, ep.path, role, body)
				if allowed {
					if rec.Code != http.StatusOK {
						t.Errorf("%s as %s: status %d, want 200; body %s", key, role, rec.Code, rec.Body)
					}
					continue
				}
				if rec.Code != http.StatusForbidden {
					t.Errorf("%s as %s: status %d, want 403; body %s", key, role, rec.Code, rec.Body)
					continue
				}
				wantError(t, rec, http.StatusForbidden)
				if ep.write {
					if after := v.snapshot(); after != before {
						t.Errorf("%s as %s was refused but changed the data", key, role)
					}
				}
			}
		}
	})
}

// TestUnauthenticated checks that every API route answers 401 without a
// token, with a malformed header, an unknown token and a revoked one.
func TestUnauthenticated(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		v.ingest(obj{"external_id": "seed", "started_at": "2026-05-01T09:00:00Z"})
		plain, tok, err := v.store.CreateToken(context.Background(), "old", models.RoleOwner)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.store.RevokeToken(context.Background(), tok.ID); err != nil {
			t.Fatal(err)
		}
		before := v.snapshot()
		headers := map[string]string{
			"none":    "",
			"basic":   "Basic b3duZXI6cGFzc3dvcmQ=",
			"empty":   "Bearer ",
			"unknown": "Bearer asr_not_a_real_token",
			"revoked": "Bearer " + plain,
		}
		for _, ep := range endpoints(v) {
			for name, h := range headers {
				var body any
				if ep.body != nil {
					body = ep.body(0)
				}
				rec := v.doAuth(ep.method, ep.path, h, body)
				if rec.Code != http.StatusUnauthorized {
					t.Errorf("%s %s with %s auth: status %d, want 401", ep.method, ep.path, name, rec.Code)
					continue
				}
				wantError(t, rec, http.StatusUnauthorized)
				if rec.Header().Get(echo.HeaderWWWAuthenticate) == "" {
					t.Errorf("%s %s: 401 without WWW-Authenticate", ep.method, ep.path)
				}
			}
		}
		if after := v.snapshot(); after != before {
			t.Error("unauthenticated requests changed the data")
		}
		// The token's name is the actor of the audit trail.
		rec := v.do(http.MethodPatch, "/api/v1/sessions/seed/review", models.RoleReviewer, obj{"comment": "checked"})
		s := decode[sessionJSON](t, want(t, rec, http.StatusOK))
		audit, err := v.store.Audit(context.Background(), models.EntitySession, s.ID, 10)
		if err != nil || len(audit) != 1 || audit[0].Actor != "token:reviewer" {
			t.Fatalf("audit = %+v, %v; want one entry by token:reviewer", audit, err)
		}
	})
}

// TestRateLimit checks that one address flooding the API gets 429 while the
// health check stays reachable.
func TestRateLimit(t *testing.T) {
	st := openSQLite(t)
	v := newEnv(t, st, Config{Logger: slog.New(slog.DiscardHandler), RateLimit: 0.001, RateBurst: 3})
	for range 3 {
		want(t, v.do(http.MethodGet, "/api/v1/attributes", models.RoleStaff, nil), http.StatusOK)
	}
	rec := v.do(http.MethodGet, "/api/v1/attributes", models.RoleStaff, nil)
	wantError(t, rec, http.StatusTooManyRequests)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	want(t, v.do(http.MethodGet, "/healthz", "", nil), http.StatusOK)
}
