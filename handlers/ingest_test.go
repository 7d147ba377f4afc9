package handlers

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"asrboard/models"
)

// TestReingestKeepsHumanFields checks SPEC §1: re-sending an external_id
// replaces the auto part, keeps every human override and recomputes the
// derived fields.
func TestReingestKeepsHumanFields(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		want(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleOwner, obj{
			"lead_value_method": "per_unit", "unit_price_cents": 6500, "average_lead_value_cents": 10000,
		}), http.StatusOK)
		first := obj{"external_id": "call-1", "started_at": "2026-05-04T20:00:00Z", "is_lead": true,
			"caller_phone": "+1 555 0199", "units": 2, "agent_success": "No", "caller_name": "Ann"}
		if res := v.ingest(first); res.Created != 1 || res.Updated != 0 {
			t.Fatalf("first ingest = %+v, want created 1", res)
		}
		want(t, v.do(http.MethodPatch, "/api/v1/sessions/call-1/review", models.RoleReviewer,
			obj{"agent_success": "Yes-B", "stars": 4, "comment": "polite", "is_test": false}), http.StatusOK)

		second := obj{"external_id": "call-1", "started_at": "2026-05-04T20:05:00Z", "is_lead": true,
			"caller_phone": "+1 555 0199", "units": 4.5, "agent_success": "No", "caller_name": "Ann Lee", "refused": false}
		res := v.ingest(second)
		if res.Created != 0 || res.Updated != 1 {
			t.Fatalf("re-ingest = %+v, want {created:0 updated:1}", res)
		}
		s := v.session("call-1")
		if s.Human.AgentSuccess == nil || *s.Human.AgentSuccess != "Yes-B" || s.Human.Stars == nil || *s.Human.Stars != 4 ||
			s.Human.Comment == nil || *s.Human.Comment != "polite" || s.Human.IsTest == nil || *s.Human.IsTest {
			t.Fatalf("human part lost: %+v", s.Human)
		}
		if s.Auto.AgentSuccess == nil || *s.Auto.AgentSuccess != "No" || s.CallerName != "Ann Lee" || s.Units.String() != "4.5" {
			t.Fatalf("auto part not replaced: %+v name %q units %v", s.Auto, s.CallerName, s.Units)
		}
		// derived: human Yes-B wins, 4.5 guests × $65 = $292.50, opportunity by rule
		if s.AgentSuccess == nil || *s.AgentSuccess != "Yes-B" || s.SuccessFactor != 1 || s.LeadValueCents != 29250 ||
			!s.IsOpportunity || s.ASRCents != 29250 || s.Quality == nil || s.Quality.String() != "0.8" {
			t.Fatalf("derived fields not recomputed: %+v", s)
		}
	})
}

// TestIngestBatchAllOrNothing checks that one invalid item rejects the whole
// batch with each broken field named by item index and field.
func TestIngestBatchAllOrNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		before := v.snapshot()
		batch := []any{
			obj{"external_id": "ok-1", "started_at": "2026-05-01T10:00:00Z"},
			obj{"external_id": "bad-1", "started_at": "2026-05-01T10:00:00Z", "caller_email": "not-an-email",
				"stars": 5, "units": 1.234, "colour": "red"},
			obj{"external_id": "ok-2", "started_at": "2026-05-01T11:00:00Z"},
			obj{"started_at": "yesterday", "agent_success": "Maybe"},
			"not an object",
		}
		e := wantError(t, v.do(http.MethodPost, "/api/v1/sessions", models.RoleIngest, batch), http.StatusUnprocessableEntity)
		for _, d := range []struct {
			item  int
			field string
		}{{1, "caller_email"}, {1, "stars"}, {1, "units"}, {1, "colour"}, {3, "external_id"}, {3, "started_at"}, {3, "agent_success"}, {4, "session"}} {
			if !hasDetail(e, d.item, d.field) {
				t.Errorf("no detail for item %d field %s in %+v", d.item, d.field, e.Details)
			}
		}
		for _, d := range e.Details {
			if d.Item == nil || *d.Item == 0 || *d.Item == 2 {
				t.Errorf("detail blames a valid item or none: %+v", d)
			}
		}
		if !strings.Contains(e.Error, "nothing was stored") {
			t.Errorf("error %q does not say nothing was stored", e.Error)
		}
		if after := v.snapshot(); after != before {
			t.Fatal("a rejected batch stored something")
		}

		// A single object reports item 0.
		e = wantError(t, v.do(http.MethodPost, "/api/v1/sessions", models.RoleIngest,
			obj{"external_id": "x", "started_at": "2026-05-01T10:00:00Z", "ended_at": "2026-05-01T09:00:00Z"}), http.StatusUnprocessableEntity)
		if !hasDetail(e, 0, "ended_at") {
			t.Errorf("single object: details %+v, want item 0 ended_at", e.Details)
		}
		// An empty batch, a scalar body.
		e = wantError(t, v.do(http.MethodPost, "/api/v1/sessions", models.RoleIngest, "[]"), http.StatusUnprocessableEntity)
		if !hasDetail(e, -1, "body") {
			t.Errorf("empty batch: %+v", e)
		}
		wantError(t, v.do(http.MethodPost, "/api/v1/sessions", models.RoleIngest, "42"), http.StatusUnprocessableEntity)
		if after := v.snapshot(); after != before {
			t.Fatal("a rejected request stored something")
		}

		// A valid batch with a repeated id: the later version wins.
		res := v.ingest([]any{
			obj{"external_id": "dup", "started_at": "2026-05-01T10:00:00Z", "caller_name": "first"},
			obj{"external_id": "dup", "started_at": "2026-05-01T10:00:00Z", "caller_name": "second"},
		})
		if res.Created+res.Updated != 2 || v.session("dup").CallerName != "second" {
			t.Fatalf("repeated id: %+v, name %q", res, v.session("dup").CallerName)
		}
	})
}

// TestIngestLimits checks the size rules: MaxBatch items, a 64 MiB ingest
// body, 1 MiB elsewhere, and that a batch over 1 MiB is fine for ingest.
func TestIngestLimits(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		items := strings.Repeat(`{},`, MaxBatch) + `{}`
		e := wantError(t, v.do(http.MethodPost, "/api/v1/sessions", models.RoleIngest, "["+items+"]"), http.StatusRequestEntityTooLarge)
		if !strings.Contains(e.Error, "10000") {
			t.Errorf("batch too long: %q does not name the limit", e.Error)
		}

		// 1,000 sessions of 2 KiB each: over the general limit, under the ingest one.
		var b bytes.Buffer
		b.WriteByte('[')
		for i := range 1000 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"external_id":"big-%d","started_at":"2026-05-01T10:00:00Z","summary":%q}`, i, strings.Repeat("s", 2048))
		}
		b.WriteByte(']')
		if b.Len() <= MaxBody {
			t.Fatalf("test batch is only %d bytes", b.Len())
		}
		if res := v.ingest(b.Bytes()); res.Created != 1000 {
			t.Fatalf("big batch: %+v", res)
		}

		// Declared too long: refused before reading.
		req := v.do(http.MethodPost, "/api/v1/sessions", models.RoleIngest, declaredLength{strings.NewReader("[]"), MaxIngestBody + 1})
		if e := wantError(t, req, http.StatusRequestEntityTooLarge); !strings.Contains(e.Error, "64 MiB") {
			t.Errorf("413 message %q does not name 64 MiB", e.Error)
		}
		// Streamed without a length: refused once the limit is passed.
		stream := io.MultiReader(strings.NewReader("["), &spaces{n: MaxIngestBody}, strings.NewReader("]"))
		wantError(t, v.do(http.MethodPost, "/api/v1/sessions", models.RoleIngest, stream), http.StatusRequestEntityTooLarge)
	})
}

// declaredLength is a body whose request claims a Content-Length.
type declaredLength struct {
	io.Reader
	n int64
}

func (d declaredLength) declaredLength() int64 { return d.n }

// spaces yields n spaces with no known length.
type spaces struct{ n int }

func (s *spaces) Read(p []byte) (int, error) {
	if s.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), s.n)
	for i := range k {
		p[i] = ' '
	}
	s.n -= k
	return k, nil
}

// TestMalformedJSON checks that a syntax error is a 400 that says where.
func TestMalformedJSON(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		cases := []struct {
			method, path string
			role         models.Role
			body, where  string
		}{
			{http.MethodPost, "/api/v1/sessions", models.RoleIngest, `{"external_id": "x",}`, "line 1, column 21"},
			{http.MethodPost, "/api/v1/sessions", models.RoleIngest, "[\n  {\"external_id\": \"x\"},\n  {oops}\n]", "line 3, column 4"},
			{http.MethodPut, "/api/v1/attributes", models.RoleStaff, `{"timezone": "UTC"`, "line 1"},
			{http.MethodPatch, "/api/v1/sessions/x/review", models.RoleReviewer, `{"stars": 4}}`, "line 1, column 13"},
			{http.MethodPost, "/api/v1/sessions", models.RoleIngest, ``, "empty"},
		}
		for _, c := range cases {
			e := wantError(t, v.do(c.method, c.path, c.role, c.body), http.StatusBadRequest)
			if !strings.Contains(e.Error, "malformed JSON") || !strings.Contains(e.Error, c.where) {
				t.Errorf("%s %s %q: error %q, want it to mention %q", c.method, c.path, c.body, e.Error, c.where)
			}
		}
	})
}
