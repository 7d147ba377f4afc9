package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"asrboard/models"
)

// spRestaurant sets the attributes of the SPEC §3 worked example: per-unit
// lead value at $65.00 a guest, conversion 90%, non-overflow with
// recognition 30%, Monday to Friday 09:00–17:00 in UTC.
func spRestaurant(t *testing.T, v *env) {
	t.Helper()
	a := models.DefaultAttributes()
	a.LeadValueMethod = models.MethodPerUnit
	a.UnitPriceCents = 6500
	a.ConversionRatio = 9000
	a.RedirectionType = models.RedirectNonOverflow
	a.RecognitionPercent = 3000
	if _, err := v.store.SaveAttributes(context.Background(), "test", &a); err != nil {
		t.Fatalf("save attributes: %v", err)
	}
}

// spIngest stores sessions and returns their internal ids by external id.
func spIngest(t *testing.T, v *env, in ...models.SessionInput) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := v.store.Ingest(ctx, in); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	ids := map[string]int64{}
	for _, s := range in {
		got, err := v.store.Session(ctx, s.ExternalID)
		if err != nil {
			t.Fatal(err)
		}
		ids[s.ExternalID] = got.ID
	}
	return ids
}

// spParty is a lead for a party of four that left a phone number, assessed
// Yes-A by the AI.
func spParty(id string, at time.Time) models.SessionInput {
	four := models.Centi(400)
	return models.SessionInput{ExternalID: id, StartedAt: at, Channel: "phone", CallerName: "Ada Party " + id,
		CallerPhone: "+1 555 0100", IsLead: true, Units: &four, AgentSuccess: models.SuccessYesA,
		Summary: "Table for 4", Transcript: "AI: Hello!\nCaller: A table for four, please."}
}

func TestWebSessionPageFormula(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spRestaurant(t, v)
		tuesday := time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC)
		if tuesday.Weekday() != time.Tuesday {
			t.Fatal("the example day is not a Tuesday")
		}
		ids := spIngest(t, v, spParty("lunch", tuesday.Add(13*time.Hour)), spParty("late", tuesday.Add(22*time.Hour)),
			models.SessionInput{ExternalID: "walk-in", StartedAt: tuesday.Add(10 * time.Hour), CallerName: "No Lead"})
		b := spSignIn(t, v, models.RoleStaff)

		cases := []struct {
			id, formula, asr, recognition string
		}{
			{"lunch", "$260.00 × 1 × 90% × 1 × 30% = $70.20", "$70.20", "started 13:00 Tue in working hours, non-overflow redirection"},
			{"late", "$260.00 × 1 × 90% × 1 × 100% = $234.00", "$234.00", "started 22:00 Tue outside working hours"},
			{"walk-in", "$0.00 × 0 × 90% × 0 × 30% = $0.00", "$0.00", "in working hours"},
		}
		for _, tc := range cases {
			doc := page(t, b.get("/sessions/"+itoa(ids[tc.id])), http.StatusOK)
			if got := testid(doc, "formula").Text(); got != tc.formula {
				t.Errorf("%s: formula %q, want %q", tc.id, got, tc.formula)
			}
			if got := testid(doc, "session-asr").Text(); got != tc.asr {
				t.Errorf("%s: ASR %q, want %q", tc.id, got, tc.asr)
			}
			if got := testid(doc, "factor-recognition").Text(); !strings.Contains(got, tc.recognition) {
				t.Errorf("%s: recognition factor %q, want it to say %q", tc.id, got, tc.recognition)
			}
		}
		doc := page(t, b.get("/sessions/"+itoa(ids["lunch"])), http.StatusOK)
		for key, want := range map[string]string{
			"factor-lead_value":       "4 guests × $65.00 per guest",
			"factor-is_opportunity":   "left a contact",
			"factor-success_factor":   "the AI's own assessment Yes-A",
			"factor-conversion_ratio": "90%",
		} {
			if got := testid(doc, key).Text(); !strings.Contains(got, want) {
				t.Errorf("%s %q, want it to contain %q", key, got, want)
			}
		}
		if got := testid(doc, "transcript").Text(); got != "AI: Hello!\nCaller: A table for four, please." {
			t.Errorf("transcript %q", got)
		}
		if got := testid(doc, "session-heading").Text(); got != "Ada Party lunch" {
			t.Errorf("heading %q", got)
		}
		if testid(doc, "audit-empty").Length() != 1 {
			t.Error("an unreviewed session shows audit rows")
		}
		doc = page(t, b.get("/sessions/"+itoa(ids["walk-in"])), http.StatusOK)
		if got := testid(doc, "factor-success_factor").Text(); !strings.Contains(got, "no assessment") {
			t.Errorf("success factor without assessment: %q", got)
		}

		// Unknown and malformed ids are 404 pages.
		page(t, b.get("/sessions/999999"), http.StatusNotFound)
		page(t, b.get("/sessions/abc"), http.StatusNotFound)
	})
}

func TestWebSessionPageTestSession(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spRestaurant(t, v)
		in := spParty("qa", time.Date(2026, 5, 12, 13, 0, 0, 0, time.UTC))
		in.IsTest = true
		ids := spIngest(t, v, in)
		b := spSignIn(t, v, models.RoleOwner)
		doc := page(t, b.get("/sessions/"+itoa(ids["qa"])), http.StatusOK)
		if got := testid(doc, "formula").Text(); got != "$260.00 × 1 × 90% × 1 × 30% × 0 = $0.00" {
			t.Errorf("formula of a test session %q", got)
		}
		if got := testid(doc, "formula-note").Text(); got != "Test session: ASR is 0." {
			t.Errorf("note %q", got)
		}
		if got := testid(doc, "factor-is_test").Text(); !strings.Contains(got, "the AI platform marked it") {
			t.Errorf("test factor %q", got)
		}
	})
}
