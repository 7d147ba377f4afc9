package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"math/rand/v2"
	"net/http"
	"net/url"
	"testing"
	"time"

	"asrboard/models"
)

// dashJSON reads the dashboard answer without the models' marshal-only types.
type dashJSON struct {
	From                  *string      `json:"from"`
	To                    *string      `json:"to"`
	SessionCount          int64        `json:"session_count"`
	LeadCount             int64        `json:"lead_count"`
	LeadValueCents        int64        `json:"lead_value_cents"`
	OpportunityCount      int64        `json:"opportunity_count"`
	OpportunityValueCents int64        `json:"opportunity_value_cents"`
	AdditionalDealCount   json.Number  `json:"additional_deal_count"`
	ASRCents              int64        `json:"asr_cents"`
	OSS                   *json.Number `json:"oss"`
	CSS                   *json.Number `json:"css"`
	LSS                   *json.Number `json:"lss"`
}

func (v *env) dashboard(q url.Values) dashJSON {
	v.t.Helper()
	return decode[dashJSON](v.t, want(v.t, v.do(http.MethodGet, "/api/v1/dashboard?"+q.Encode(), models.RoleReviewer, nil), http.StatusOK))
}

// listAll pages through GET /api/v1/sessions with q, following next_cursor.
func (v *env) listAll(q url.Values, pageSize int) []sessionJSON {
	v.t.Helper()
	var out []sessionJSON
	q = maps.Clone(q)
	if q == nil {
		q = url.Values{}
	}
	q.Set("limit", fmt.Sprint(pageSize))
	for range 10_000 {
		page := decode[sessionsPage](v.t, want(v.t, v.do(http.MethodGet, "/api/v1/sessions?"+q.Encode(), models.RoleIngest, nil), http.StatusOK))
		if len(page.Sessions) > pageSize {
			v.t.Fatalf("page of %d sessions, limit %d", len(page.Sessions), pageSize)
		}
		out = append(out, page.Sessions...)
		if page.NextCursor == nil {
			return out
		}
		q.Set("cursor", *page.NextCursor)
	}
	v.t.Fatal("paging never ended")
	return nil
}

// e8 reads an exact decimal with at most 8 decimals as hundred-millionths.
func e8(t *testing.T, n json.Number) int64 {
	t.Helper()
	r, ok := new(big.Rat).SetString(n.String())
	if !ok {
		t.Fatalf("not a number: %q", n)
	}
	r.Mul(r, big.NewRat(models.ScaleE8, 1))
	if !r.IsInt() || !r.Num().IsInt64() {
		t.Fatalf("%q has more than 8 decimals", n)
	}
	return r.Num().Int64()
}

func scoreOf(num, den int64) *string {
	if den == 0 {
		return nil
	}
	s := models.FormatScaled(num, den, 4)
	return &s
}

func numString(n *json.Number) *string {
	if n == nil {
		return nil
	}
	s := n.String()
	return &s
}

func eqPtr(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func show(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

// checkSums pages through the non-test sessions of a period and compares
// their sums with the dashboard cards of the same period.
func checkSums(t *testing.T, v *env, a *models.Attributes, period url.Values) int {
	t.Helper()
	q := url.Values{"is_test": {"false"}}
	for k, vals := range period {
		q[k] = vals
	}
	list := v.listAll(q, 37)
	var leads, leadValue, opps, oppValue, dealsE8, asr, oppSuccess, leadSuccess, rated, stars int64
	seen := map[string]bool{}
	for _, s := range list {
		if seen[s.ExternalID] {
			t.Fatalf("%s listed twice while paging", s.ExternalID)
		}
		seen[s.ExternalID] = true
		if s.IsTest {
			t.Fatalf("is_test=false listed test session %s", s.ExternalID)
		}
		checkDerived(t, s, a)
		if !s.IsLead && s.LeadValueCents != 0 {
			t.Fatalf("non-lead %s has lead value %d", s.ExternalID, s.LeadValueCents)
		}
		leadValue += s.LeadValueCents
		if s.IsLead {
			leads++
			leadSuccess += int64(s.SuccessFactor)
		}
		if s.IsOpportunity {
			opps++
			oppValue += s.LeadValueCents
			oppSuccess += int64(s.SuccessFactor)
		}
		dealsE8 += e8(t, s.AdditionalDeals)
		asr += s.ASRCents
		if s.Stars != nil {
			rated++
			stars += int64(*s.Stars)
		}
	}
	d := v.dashboard(period)
	got := fmt.Sprintf("sessions %d leads %d lead value %d opps %d opp value %d deals %s asr %d oss %s css %s lss %s",
		d.SessionCount, d.LeadCount, d.LeadValueCents, d.OpportunityCount, d.OpportunityValueCents, d.AdditionalDealCount,
		d.ASRCents, show(numString(d.OSS)), show(numString(d.CSS)), show(numString(d.LSS)))
	exp := fmt.Sprintf("sessions %d leads %d lead value %d opps %d opp value %d deals %s asr %d oss %s css %s lss %s",
		len(list), leads, leadValue, opps, oppValue, models.FormatScaled(dealsE8, models.ScaleE8, 4),
		asr, show(scoreOf(oppSuccess, opps)), show(scoreOf(stars*2, rated*10)), show(scoreOf(leadSuccess, leads)))
	if got != exp {
		t.Errorf("period %v:\ndashboard %s\nlist sums %s", period, got, exp)
	}
	return len(list)
}

// checkDerived recomputes a listed session from its auto and human parts with
// the pure formulas and compares every derived field the API answered, which
// holds the per-row hooks and the set-based recompute to the same rules.
func checkDerived(t *testing.T, s sessionJSON, a *models.Attributes) {
	t.Helper()
	m := models.Session{StartedAt: s.StartedAt, CallerPhone: s.CallerPhone, CallerEmail: s.CallerEmail,
		AutoIsLead: s.Auto.IsLead, Refused: s.Auto.Refused, Unavailable: s.Auto.Unavailable, Units: s.Auto.Units,
		AutoIsTest: s.Auto.IsTest, HumanIsTest: s.Human.IsTest, HumanIsLead: s.Human.IsLead,
		HumanIsOpportunity: s.Human.IsOpportunity, HumanAgentSuccess: s.Human.AgentSuccess, Stars: s.Human.Stars}
	if s.Auto.AgentSuccess != nil {
		m.AutoAgentSuccess = *s.Auto.AgentSuccess
	}
	m.Recompute(a)
	exp := sessionView(&m, false)
	got := fmt.Sprintf("%v %v %v %s %d %d %v %s %s %d", s.IsTest, s.IsLead, s.IsOpportunity, show(s.AgentSuccess), s.SuccessFactor,
		s.LeadValueCents, s.InWorkingHours, s.RecognitionPercent, s.AdditionalDeals, s.ASRCents)
	want := fmt.Sprintf("%v %v %v %s %d %d %v %s %s %d", exp.IsTest, exp.IsLead, exp.IsOpportunity, show(exp.AgentSuccess), exp.SuccessFactor,
		exp.LeadValueCents, exp.InWorkingHours, exp.RecognitionPercent, exp.AdditionalDeals, exp.ASRCents)
	if got != want {
		t.Fatalf("session %s started %s: API answered %s, formulas give %s", s.ExternalID, s.StartedAt.Time, got, want)
	}
}

// randomSessions makes n varied sessions over the 20 days from 2026-03-01:
// leads, refusals, contacts (some on the test list), units, assessments.
func randomSessions(r *rand.Rand, n int) []any {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+1800), time.FixedZone("", -7*3600)}
	out := make([]any, n)
	for i := range out {
		at := start.Add(time.Duration(r.Int64N(int64(20 * 24 * time.Hour)))).Truncate(time.Second)
		s := obj{
			"external_id": fmt.Sprintf("r-%04d", i),
			"started_at":  at.In(zones[r.IntN(len(zones))]).Format(time.RFC3339),
			"channel":     models.Channels[r.IntN(len(models.Channels))],
			"is_lead":     r.IntN(100) < 55,
			"refused":     r.IntN(100) < 15,
			"unavailable": r.IntN(100) < 10,
			"is_test":     r.IntN(100) < 5,
			"summary":     "caller asked about a table",
		}
		if r.IntN(2) == 0 {
			s["ended_at"] = at.Add(time.Duration(r.IntN(900)) * time.Second).Format(time.RFC3339)
		}
		switch p := r.IntN(100); {
		case p < 6:
			s["caller_phone"] = "+1 (555) 010-0000" // on the test list of some attribute sets
		case p < 70:
			s["caller_phone"] = fmt.Sprintf("+1 555 %04d", r.IntN(10000))
		}
		switch p := r.IntN(100); {
		case p < 4:
			s["caller_email"] = "QA@Example.com"
		case p < 30:
			s["caller_email"] = fmt.Sprintf("guest%d@example.com", i)
		}
		switch p := r.IntN(100); {
		case p < 30:
		case p < 40:
			s["units"] = 0
		default:
			s["units"] = json.Number(fmt.Sprintf("%d.%d", 1+r.IntN(12), []int{0, 5, 25}[r.IntN(3)]))
		}
		if c := r.IntN(4); c < 3 {
			s["agent_success"] = models.AgentSuccessCodes[c]
		}
		out[i] = s
	}
	return out
}

// randomReview is a patch of human fields that is always valid.
func randomReview(r *rand.Rand) obj {
	p := obj{}
	if r.IntN(2) == 0 {
		p["stars"] = 1 + r.IntN(5)
	}
	if r.IntN(3) == 0 {
		p["agent_success"] = []any{"Yes-A", "Yes-B", "No", nil}[r.IntN(4)]
	}
	if r.IntN(6) == 0 {
		p["is_test"] = r.IntN(2) == 0
	}
	switch r.IntN(6) {
	case 0:
		p["is_lead"] = false
	case 1:
		p["is_lead"], p["is_opportunity"] = true, true
	case 2:
		p["is_opportunity"] = false
	case 3:
		p["is_lead"] = true
	}
	if len(p) == 0 || r.IntN(4) == 0 {
		p["comment"] = "reviewed"
	}
	return p
}

// TestListSumsMatchDashboard checks, on a few hundred random sessions and
// reviews under three attribute sets, that the listed non-test sessions of a
// period add up to that period's dashboard cards and that every listed
// session's derived fields follow the formulas.
func TestListSumsMatchDashboard(t *testing.T) {
	attributeSets := []obj{
		{"lead_value_method": "per_unit", "unit_price_cents": 6533, "average_lead_value_cents": 12345,
			"conversion_ratio_percent": 83.33, "redirection_type": "non_overflow", "recognition_percent": 37.5,
			"timezone": "Asia/Kolkata", "test_contacts": []string{"15550100000", "qa@example.com"},
			"working_hours": obj{"mon": []string{"09:00-17:30"}, "tue": []string{"09:00-17:30"}, "wed": []string{"09:00-12:00", "13:00-17:30"},
				"thu": []string{"09:00-17:30"}, "fri": []string{"09:00-17:30"}, "sat": []string{"10:00-14:00"}}},
		{"lead_value_method": "average", "average_lead_value_cents": 25000, "conversion_ratio_percent": 100,
			"redirection_type": "overflow", "timezone": "America/New_York"},
		{"lead_value_method": "per_unit", "unit_price_cents": 999, "average_lead_value_cents": 5001,
			"conversion_ratio_percent": 66.67, "redirection_type": "non_overflow", "recognition_percent": 12.34,
			"timezone": "America/St_Johns", "test_contacts": []string{"QA@example.com"},
			"working_hours": obj{"mon": []string{"08:00-24:00"}, "sun": []string{"00:00-06:15", "18:45-24:00"}}},
	}
	periods := []url.Values{
		{},
		{"from": {"2026-03-05"}, "to": {"2026-03-12"}},
		{"from": {"2026-03-07"}, "to": {"2026-03-10"}}, // across the North American DST change
		{"from": {"2026-03-03T07:13:00Z"}, "to": {"2026-03-15T19:47:30+02:00"}},
		{"from": {"2026-03-10"}},
		{"to": {"2026-03-08T00:00:00-05:00"}},
		{"from": {"2026-03-09T10:30:00Z"}, "to": {"2026-03-09T11:15:00Z"}}, // inside two hours
	}
	eachBackend(t, func(t *testing.T, v *env) {
		r := rand.New(rand.NewPCG(20260301, 7))
		if res := v.ingest(randomSessions(r, 300)); res.Created != 300 {
			t.Fatalf("ingest: %+v", res)
		}
		for i, set := range attributeSets {
			want(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleStaff, set), http.StatusOK)
			// reviews after each attribute change go through the per-row hooks
			for range 40 {
				id := fmt.Sprintf("r-%04d", r.IntN(300))
				want(t, v.do(http.MethodPatch, "/api/v1/sessions/"+id+"/review", models.RoleReviewer, randomReview(r)), http.StatusOK)
			}
			// and a re-ingest of some sessions moves them in time
			again := randomSessions(r, 300)[:30]
			if res := v.ingest(again); res.Updated != 30 {
				t.Fatalf("re-ingest: %+v", res)
			}
			a, err := v.store.Attributes(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, p := range periods {
				n := checkSums(t, v, a, p)
				if len(p) == 0 {
					total = n
				}
			}
			if total < 200 {
				t.Fatalf("attribute set %d: only %d non-test sessions", i, total)
			}
			all := v.listAll(url.Values{}, 1000)
			if len(all) != 300 {
				t.Fatalf("the API lists %d sessions including tests, want 300", len(all))
			}
			for _, s := range all {
				checkDerived(t, s, a)
			}
		}
	})
}

// TestRestaurantExample runs SPEC §3's worked example through the API:
// $234.00 for a party of 4 at 22:00, $70.20 at 13:00 in working hours.
func TestRestaurantExample(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		hours := []string{"09:00-17:00"}
		want(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleOwner, obj{
			"lead_value_method": "per_unit", "unit_price_cents": 6500, "conversion_ratio_percent": 90,
			"redirection_type": "non_overflow", "recognition_percent": 30, "timezone": "America/New_York",
			"working_hours": obj{"mon": hours, "tue": hours, "wed": hours, "thu": hours, "fri": hours, "sat": hours, "sun": hours},
		}), http.StatusOK)
		party := func(id, at string) obj {
			return obj{"external_id": id, "started_at": at, "is_lead": true, "units": 4,
				"agent_success": "Yes-A", "caller_phone": "+1 212 555 0100", "caller_name": "Table for four"}
		}
		// 2026-05-13 is EDT (UTC-4): 22:00 local is 02:00Z the next day.
		res := v.ingest([]any{party("late", "2026-05-14T02:00:00Z"), party("lunch", "2026-05-13T13:00:00-04:00")})
		if res.Created != 2 {
			t.Fatalf("ingest: %+v", res)
		}
		late, lunch := v.session("late"), v.session("lunch")
		for _, c := range []struct {
			s            sessionJSON
			asr          int64
			inHours      bool
			recog, deals string
		}{{late, 23400, false, "100", "0.9"}, {lunch, 7020, true, "30", "0.27"}} {
			if c.s.ASRCents != c.asr || c.s.LeadValueCents != 26000 || c.s.InWorkingHours != c.inHours ||
				c.s.RecognitionPercent.String() != c.recog || c.s.AdditionalDeals.String() != c.deals || !c.s.IsOpportunity || c.s.SuccessFactor != 1 {
				t.Errorf("%s: asr %d lead %d in hours %v recognition %s deals %s opp %v",
					c.s.ExternalID, c.s.ASRCents, c.s.LeadValueCents, c.s.InWorkingHours, c.s.RecognitionPercent, c.s.AdditionalDeals, c.s.IsOpportunity)
			}
		}
		// The local day holds both; the UTC day only lunch.
		if d := v.dashboard(url.Values{"from": {"2026-05-13"}, "to": {"2026-05-14"}}); d.ASRCents != 30420 || d.SessionCount != 2 ||
			d.AdditionalDealCount.String() != "1.17" || d.OpportunityValueCents != 52000 || show(numString(d.OSS)) != "1" ||
			d.From == nil || *d.From != "2026-05-13T00:00:00-04:00" {
			t.Errorf("local day: %+v", d)
		}
		if d := v.dashboard(url.Values{"from": {"2026-05-13T00:00:00Z"}, "to": {"2026-05-14T00:00:00Z"}}); d.ASRCents != 7020 || d.SessionCount != 1 {
			t.Errorf("UTC day: %+v", d)
		}
		list := v.listAll(url.Values{"from": {"2026-05-13"}, "to": {"2026-05-14"}, "sort": {"asr"}}, 10)
		if len(list) != 2 || list[0].ExternalID != "late" || list[1].ExternalID != "lunch" {
			t.Errorf("list by ASR: %+v", list)
		}
	})
}
