package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"asrboard/models"
)

// TestReview checks the human fields: setting, null clearing, the
// lead-only opportunity rule, validation and the audit trail.
func TestReview(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		v.ingest([]any{
			obj{"external_id": "lead", "started_at": "2026-05-01T10:00:00Z", "is_lead": true, "caller_phone": "555-0100", "agent_success": "No"},
			obj{"external_id": "chat", "started_at": "2026-05-01T11:00:00Z", "channel": "chat"},
		})
		path := "/api/v1/sessions/lead/review"
		s := decode[sessionJSON](t, want(t, v.do(http.MethodPatch, path, models.RoleReviewer,
			obj{"stars": 5, "comment": "great call", "agent_success": "yes-b"}), http.StatusOK))
		if s.Stars == nil || *s.Stars != 5 || s.Quality == nil || s.Quality.String() != "1" || s.Human.AgentSuccess == nil ||
			*s.Human.AgentSuccess != "Yes-B" || *s.AgentSuccess != "Yes-B" || s.SuccessFactor != 1 || s.Transcript != nil {
			t.Fatalf("after review: %+v", s)
		}
		if s.Comment == nil || *s.Comment != "great call" || s.Human.Comment == nil {
			t.Fatalf("comment not set: %+v", s)
		}

		// null clears an override and leaves the other fields alone
		s = decode[sessionJSON](t, want(t, v.do(http.MethodPatch, path, models.RoleOwner, `{"stars": null, "agent_success": null}`), http.StatusOK))
		if s.Stars != nil || s.Human.Stars != nil || s.Quality != nil || s.Human.AgentSuccess != nil ||
			s.AgentSuccess == nil || *s.AgentSuccess != "No" || s.SuccessFactor != 0 || s.Comment == nil {
			t.Fatalf("null did not clear: %+v", s)
		}

		// a non-lead cannot become an opportunity; nothing changes
		before := v.snapshot()
		e := wantError(t, v.do(http.MethodPatch, "/api/v1/sessions/chat/review", models.RoleReviewer,
			obj{"is_opportunity": true, "stars": 2}), http.StatusUnprocessableEntity)
		if e.Error != "only a lead can be an opportunity" || !hasDetail(e, -1, "is_opportunity") {
			t.Fatalf("opportunity on a non-lead: %+v", e)
		}
		// invalid values name their fields
		e = wantError(t, v.do(http.MethodPatch, "/api/v1/sessions/chat/review", models.RoleReviewer,
			obj{"stars": 6, "agent_success": "Maybe", "mood": "ok"}), http.StatusUnprocessableEntity)
		for _, f := range []string{"stars", "agent_success", "mood"} {
			if !hasDetail(e, -1, f) {
				t.Errorf("no detail for %s: %+v", f, e.Details)
			}
		}
		wantError(t, v.do(http.MethodPatch, "/api/v1/sessions/chat/review", models.RoleReviewer, obj{}), http.StatusUnprocessableEntity)
		wantError(t, v.do(http.MethodPatch, "/api/v1/sessions/chat/review", models.RoleReviewer, "[1]"), http.StatusUnprocessableEntity)
		if after := v.snapshot(); after != before {
			t.Fatal("a rejected review changed the data")
		}
		// made a lead in the same patch, it may be an opportunity
		s = decode[sessionJSON](t, want(t, v.do(http.MethodPatch, "/api/v1/sessions/chat/review", models.RoleReviewer,
			obj{"is_lead": true, "is_opportunity": true}), http.StatusOK))
		if !s.IsLead || !s.IsOpportunity || s.Auto.IsLead {
			t.Fatalf("lead + opportunity: %+v", s)
		}

		// unknown session
		wantError(t, v.do(http.MethodPatch, "/api/v1/sessions/nope/review", models.RoleReviewer, obj{"stars": 3}), http.StatusNotFound)
		wantError(t, v.do(http.MethodGet, "/api/v1/sessions/nope", models.RoleReviewer, nil), http.StatusNotFound)

		// the audit trail: who, field, old → new, newest first
		lead := v.session("lead")
		audit, err := v.store.Audit(context.Background(), models.EntitySession, lead.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, a := range audit {
			got[a.Actor+" "+a.Field+" "+a.Old+" → "+a.New] = true
		}
		for _, w := range []string{
			"token:reviewer stars null → 5", "token:reviewer comment null → great call", "token:reviewer agent_success null → Yes-B",
			"token:owner stars 5 → null", "token:owner agent_success Yes-B → null",
		} {
			if !got[w] {
				t.Errorf("audit lacks %q; have %v", w, got)
			}
		}
		if len(audit) != 5 {
			t.Errorf("audit has %d entries, want 5", len(audit))
		}
	})
}

// TestEscapedExternalIDs checks that any external id works in the path once
// URL-escaped, whether Echo routes on the raw or the decoded path.
func TestEscapedExternalIDs(t *testing.T) {
	ids := []string{"calls/2026/05 #1?x=y&z", "a b", "50%off", "ümlaut/ü", "review", "..", "%2F"}
	eachBackend(t, func(t *testing.T, v *env) {
		var batch []any
		for _, id := range ids {
			batch = append(batch, obj{"external_id": id, "started_at": "2026-05-01T10:00:00Z", "is_lead": true})
		}
		v.ingest(batch)
		for _, id := range ids {
			esc := url.PathEscape(id)
			if id == ".." {
				esc = "%2E%2E"
			}
			s := decode[sessionJSON](t, want(t, v.do(http.MethodGet, "/api/v1/sessions/"+esc, models.RoleStaff, nil), http.StatusOK))
			if s.ExternalID != id || s.Transcript == nil {
				t.Errorf("GET %q: got %q", esc, s.ExternalID)
			}
			s = decode[sessionJSON](t, want(t, v.do(http.MethodPatch, "/api/v1/sessions/"+esc+"/review", models.RoleReviewer,
				obj{"comment": "id " + id}), http.StatusOK))
			if s.ExternalID != id || s.Comment == nil || *s.Comment != "id "+id {
				t.Errorf("PATCH %q: got %q %v", esc, s.ExternalID, s.Comment)
			}
		}
		// a slash left unescaped is another route
		rec := v.do(http.MethodGet, "/api/v1/sessions/calls/2026/05", models.RoleStaff, nil)
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Header().Get("Content-Type"), "json") {
			t.Errorf("unescaped slash: %d %s", rec.Code, rec.Body)
		}
	})
}
