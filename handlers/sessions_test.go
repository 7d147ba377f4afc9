package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"asrboard/models"
)

// TestListFilters checks each query parameter of GET /api/v1/sessions and
// that bad values are a 422 naming the parameter.
func TestListFilters(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		want(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleOwner, obj{"average_lead_value_cents": 1000}), http.StatusOK)
		v.ingest([]any{
			obj{"external_id": "a", "started_at": "2026-05-01T10:00:00Z", "channel": "chat", "is_lead": true, "caller_phone": "555 0101",
				"agent_success": "Yes-A", "summary": "wants a window table"},
			obj{"external_id": "b", "started_at": "2026-05-02T10:00:00Z", "caller_email": "b@example.com", "agent_success": "No", "is_test": true},
			obj{"external_id": "c", "started_at": "2026-05-03T23:30:00Z", "channel": "sms", "is_lead": true},
			obj{"external_id": "d", "started_at": "2026-05-04T12:00:00Z", "channel": "whatsapp", "is_lead": true, "caller_phone": "555 0104",
				"refused": true, "agent_success": "Yes-B"},
		})
		want(t, v.do(http.MethodPatch, "/api/v1/sessions/c/review", models.RoleReviewer, obj{"stars": 3, "comment": "needs follow_up 100%"}), http.StatusOK)
		want(t, v.do(http.MethodPatch, "/api/v1/sessions/d/review", models.RoleReviewer, obj{"agent_success": "No"}), http.StatusOK)

		cases := []struct{ query, ids string }{
			{"", "d c b a"},
			{"is_test=false", "d c a"},
			{"is_test=true", "b"},
			{"is_lead=true", "d c a"},
			{"is_lead=false", "b"},
			{"is_opportunity=true", "a"},
			{"in_working_hours=true", "d a"},
			{"agent_success=none", "c"},
			{"agent_success=yes-a", "a"},
			{"agent_success=No", "d b"},
			{"human_agent_success=any", "d"},
			{"human_agent_success=none", "c b a"},
			{"human_agent_success=No", "d"},
			{"rated=true", "c"},
			{"rated=false", "d b a"},
			{"channel=chat", "a"},
			{"channel=SMS", "c"},
			{"q=WINDOW", "a"},
			{"q=follow_up", "c"},
			{"q=" + url.QueryEscape("%"), "c"},
			{"q=_", "c"},
			{"q=example.COM", "b"},
			{"from=2026-05-02&to=2026-05-04", "c b"},
			{"from=2026-05-02T10:00:00Z", "d c b"},
			{"to=2026-05-02T10:00:00Z", "a"},
			{"order=asc", "a b c d"},
			{"sort=lead_value", "d c a b"},
			{"sort=lead_value&order=asc", "b a c d"},
			{"sort=asr&is_test=false", "a d c"},
		}
		for _, c := range cases {
			q, err := url.ParseQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{1, 100} {
				var ids []string
				for _, s := range v.listAll(q, size) {
					ids = append(ids, s.ExternalID)
				}
				if got := strings.Join(ids, " "); got != c.ids {
					t.Errorf("?%s (pages of %d): %q, want %q", c.query, size, got, c.ids)
				}
			}
		}

		bad := map[string]string{
			"limit=0": "limit", "limit=10001": "limit", "limit=x": "limit", "is_lead=maybe": "is_lead", "rated=2": "rated",
			"order=up": "order", "sort=name": "sort", "agent_success=Maybe": "agent_success", "human_agent_success=x": "human_agent_success",
			"channel=fax": "channel", "from=yesterday": "from", "to=2026-02-30": "to", "from=2026-05-02&to=2026-05-01": "to",
			"cursor=bogus": "cursor",
		}
		for query, field := range bad {
			e := wantError(t, v.do(http.MethodGet, "/api/v1/sessions?"+query, models.RoleStaff, nil), http.StatusUnprocessableEntity)
			if !hasDetail(e, -1, field) {
				t.Errorf("?%s: details %+v, want field %s", query, e.Details, field)
			}
		}
		for query, field := range map[string]string{"from=2026-13-01": "from", "to=nope": "to", "from=2026-05-02&to=2026-05-02": "to"} {
			e := wantError(t, v.do(http.MethodGet, "/api/v1/dashboard?"+query, models.RoleStaff, nil), http.StatusUnprocessableEntity)
			if !hasDetail(e, -1, field) {
				t.Errorf("dashboard ?%s: details %+v, want field %s", query, e.Details, field)
			}
		}
	})
}
