package cli_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"asrboard/models"
	"asrboard/storage"
)

// demoOutput is what demo printed: the logins and the token.
type demoOutput struct {
	passwords map[string]string
	roles     map[string]string
	token     string
}

func parseDemo(t *testing.T, out string) demoOutput {
	t.Helper()
	d := demoOutput{passwords: map[string]string{}, roles: map[string]string{}}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 3 && strings.HasSuffix(f[0], "@demo.test"):
			d.passwords[f[0]], d.roles[f[0]] = f[1], f[2]
		case len(f) == 1 && strings.HasPrefix(f[0], models.TokenPrefix):
			d.token = f[0]
		}
	}
	if len(d.passwords) != 3 || d.token == "" {
		t.Fatalf("demo did not print three logins and a token:\n%s", out)
	}
	return d
}

func TestDemoSeedsPrintsLoginsAndServes(t *testing.T) {
	ctx := context.Background()
	db := tempDB(t)
	r := start(t, "demo", "--sessions", "300", "--addr", "127.0.0.1:0", "--db", db)
	d := parseDemo(t, r.stdout.String())
	if !strings.Contains(r.stdout.String(), "curl -H \"Authorization: Bearer "+d.token+"\"") {
		t.Errorf("no curl example:\n%s", r.stdout)
	}

	req, _ := http.NewRequest(http.MethodGet, r.url+"/api/v1/dashboard", nil)
	req.Header.Set("Authorization", "Bearer "+d.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /api/v1/dashboard: %v", err)
	}
	switch resp.StatusCode {
	case http.StatusNotFound:
		t.Log("the API has no dashboard route yet; checked through the store below")
	case http.StatusOK:
		var dash struct {
			ASRCents int64 `json:"asr_cents"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&dash); err != nil || dash.ASRCents <= 0 {
			t.Errorf("dashboard asr_cents = %d (%v), want > 0", dash.ASRCents, err)
		}
	default:
		t.Errorf("GET /api/v1/dashboard with the demo token: %s", resp.Status)
	}
	resp.Body.Close()
	if code := r.stop(t); code != 0 {
		t.Fatalf("exit %d after cancel; stderr %s", code, r.stderr)
	}

	s, err := storage.Open(ctx, storage.Config{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	for email, pw := range d.passwords {
		u, err := s.Authenticate(ctx, email, pw)
		if err != nil {
			t.Errorf("printed login %s does not work: %v", email, err)
		} else if string(u.Role) != d.roles[email] {
			t.Errorf("%s has role %s, printed %s", email, u.Role, d.roles[email])
		}
	}
	if tok, err := s.TokenByPlain(ctx, d.token); err != nil || tok.Role != models.RoleOwner {
		t.Errorf("printed token: %+v, %v", tok, err)
	}
	a, err := s.Attributes(ctx)
	if err != nil || a.Timezone != "America/New_York" || a.LeadValueMethod != models.MethodPerUnit || a.RecognitionPercent != 3000 {
		t.Errorf("demo attributes = %+v (%v)", a, err)
	}
	var sessions []models.Session
	if err := s.EachSession(ctx, storage.SessionFilter{}, func(x *models.Session) error { sessions = append(sessions, *x); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(sessions) != 300 {
		t.Fatalf("%d sessions, want 300", len(sessions))
	}
	var tests, rated, overridden int
	var reviewed *models.Session
	for i, x := range sessions {
		if x.IsTest {
			tests++
		}
		if x.Stars != nil {
			rated++
			reviewed = &sessions[i]
		}
		if x.HumanAgentSuccess != nil || x.HumanIsTest != nil || x.HumanIsLead != nil || x.HumanIsOpportunity != nil {
			overridden++
		}
		if x.CreatedAt.After(time.Now()) || x.StartedAt.Before(time.Now().AddDate(0, 0, -91)) {
			t.Errorf("%s started %s, outside the last 90 days", x.ExternalID, x.StartedAt)
		}
	}
	if tests < 10 || tests > 60 || rated < 50 || rated > 130 || reviewed == nil {
		t.Errorf("demo mix: %d tests, %d rated, %d overridden of 300", tests, rated, overridden)
	}
	audit, err := s.Audit(ctx, models.EntitySession, reviewed.ID, 10)
	if err != nil || len(audit) == 0 || audit[0].Actor != "reviewer@demo.test" {
		t.Errorf("audit of reviewed %s = %+v (%v), want entries by the demo reviewer", reviewed.ExternalID, audit, err)
	}
	total, err := s.Totals(ctx, nil, nil)
	if err != nil || total.ASRCents <= 0 || total.Sessions == 0 {
		t.Errorf("dashboard totals %+v (%v), want ASR > 0", total, err)
	}
	s.Close()

	// A second demo on the same database serves it without seeding again.
	r = start(t, "demo", "--sessions", "300", "--addr", "127.0.0.1:0", "--db", db)
	if out := r.stdout.String(); strings.Contains(out, "@demo.test") {
		t.Errorf("second demo printed logins:\n%s", out)
	}
	if !strings.Contains(r.stderr.String(), "already has") {
		t.Errorf("second demo did not say why it does not seed: %s", r.stderr)
	}
	if code := r.stop(t); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if n := countSessions(t, db); n != 300 {
		t.Errorf("%d sessions after the second demo, want 300", n)
	}
}
