package models

import (
	"encoding/json"
	"testing"
	"time"
)

func TestScores(t *testing.T) {
	tests := []struct {
		name    string
		totals  Totals
		oss     string // "" is none
		lss     string
		css     string
		ossJSON string
	}{
		{name: "empty: every score is none", totals: Totals{}, ossJSON: "null"},
		{name: "sessions but no leads", totals: Totals{Sessions: 5, Rated: 0}, ossJSON: "null"},
		{name: "2 of 3 opportunities succeeded", totals: Totals{Opportunities: 3, OppSuccess: 2, Leads: 3, LeadSuccess: 1}, oss: "0.6667", lss: "0.3333", ossJSON: "0.6667"},
		{name: "all succeeded", totals: Totals{Opportunities: 4, OppSuccess: 4, Leads: 8, LeadSuccess: 4}, oss: "1", lss: "0.5", ossJSON: "1"},
		{name: "none succeeded", totals: Totals{Opportunities: 4, Leads: 4}, oss: "0", lss: "0", ossJSON: "0"},
		{name: "leads without opportunities", totals: Totals{Leads: 7, LeadSuccess: 1}, lss: "0.1429", ossJSON: "null"},
		{name: "stars 4 and 5", totals: Totals{Rated: 2, StarsSum: 9}, css: "0.9", ossJSON: "null"},
		{name: "stars 1, 1, 2", totals: Totals{Rated: 3, StarsSum: 4}, css: "0.2667", ossJSON: "null"},
		{name: "one star", totals: Totals{Rated: 1, StarsSum: 1}, css: "0.2", ossJSON: "null"},
		{name: "all five stars", totals: Totals{Rated: 6, StarsSum: 30}, css: "1", ossJSON: "null"},
		{name: "0.0000625 rounds up", totals: Totals{Opportunities: 80000, OppSuccess: 5}, oss: "0.0001", ossJSON: "0.0001"},
		{name: "exactly half rounds up", totals: Totals{Opportunities: 20000, OppSuccess: 1}, oss: "0.0001", ossJSON: "0.0001"}, // 0.00005 // 0.0000625
		{name: "just under half", totals: Totals{Opportunities: 20001, OppSuccess: 1}, oss: "0", ossJSON: "0"},                  // 0.0000499975
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, sc := range []struct {
				name  string
				score Score
				want  string
			}{{"OSS", tt.totals.OSS(), tt.oss}, {"LSS", tt.totals.LSS(), tt.lss}, {"CSS", tt.totals.CSS(), tt.css}} {
				if sc.score.Valid() != (sc.want != "") || sc.score.String() != sc.want {
					t.Fatalf("%s = %q (valid %v), want %q", sc.name, sc.score.String(), sc.score.Valid(), sc.want)
				}
				b, err := json.Marshal(sc.score)
				wantJSON := sc.want
				if wantJSON == "" {
					wantJSON = "null"
				}
				if err != nil || string(b) != wantJSON {
					t.Fatalf("%s JSON = %s, %v; want %s", sc.name, b, err, wantJSON)
				}
			}
			if b, _ := json.Marshal(tt.totals.OSS()); string(b) != tt.ossJSON {
				t.Fatalf("OSS JSON = %s, want %s", b, tt.ossJSON)
			}
		})
	}
}

// Scores are computed from the per-session derived values, so a column of
// the sessions table agrees with its card: CSS of stars 4 and 5 is the mean
// of the sessions' quality 0.8 and 1.0.
func TestTotalsFromSessions(t *testing.T) {
	a := attrs(t, func(a *Attributes) { a.AverageLeadValueCents = 10000; a.ConversionRatio = 3333 })
	mk := func(mod func(s *Session)) Session {
		s := *leadSession(t)
		mod(&s)
		s.Recompute(a)
		return s
	}
	sessions := []Session{
		mk(func(s *Session) { s.Stars = ptr(4) }),                                      // opportunity, success
		mk(func(s *Session) { s.Stars = ptr(5); s.AutoAgentSuccess = SuccessNo }),      // opportunity, no success
		mk(func(s *Session) { s.Refused = true }),                                      // lead only, success
		mk(func(s *Session) { s.AutoIsLead = false }),                                  // not a lead
		mk(func(s *Session) { s.AutoIsTest = true; s.Stars = ptr(1) }),                 // test: never counts
		mk(func(s *Session) { s.HumanAgentSuccess = ptr(SuccessYesB); s.Units = nil }), // opportunity, success
	}
	var tot Totals
	var qualitySum, rated int64
	for _, s := range sessions {
		if s.IsTest {
			continue
		}
		one := Totals{Sessions: 1}
		if s.IsLead {
			one.Leads, one.LeadValueCents, one.LeadSuccess = 1, s.LeadValueCents, int64(s.SuccessFactor)
		}
		if s.IsOpportunity {
			one.Opportunities, one.OpportunityCents, one.OppSuccess = 1, s.LeadValueCents, int64(s.SuccessFactor)
		}
		one.AdditionalDealsE8, one.ASRCents = s.AdditionalDealsE8, s.ASRCents
		if s.Stars != nil {
			one.Rated, one.StarsSum = 1, int64(*s.Stars)
			q, _ := s.Quality()
			qualitySum += q
			rated++
		}
		tot = tot.Add(one)
	}
	want := Totals{Sessions: 5, Leads: 4, LeadValueCents: 40000, Opportunities: 3, OpportunityCents: 30000,
		AdditionalDealsE8: 2 * 33_330_000, ASRCents: 2 * 3333, OppSuccess: 2, LeadSuccess: 3, Rated: 2, StarsSum: 9}
	if tot != want {
		t.Fatalf("totals = %+v, want %+v", tot, want)
	}
	if got := tot.CSS().String(); got != "0.9" || got != FormatScaled(qualitySum, rated*100, 4) {
		t.Fatalf("CSS = %s, mean quality = %s, want 0.9", got, FormatScaled(qualitySum, rated*100, 4))
	}
	if got := tot.OSS().String(); got != "0.6667" {
		t.Fatalf("OSS = %s, want 0.6667", got)
	}
	if got := tot.LSS().String(); got != "0.75" {
		t.Fatalf("LSS = %s, want 0.75", got)
	}
	if got := tot.AdditionalDeals(4); got != "0.6666" {
		t.Fatalf("additional deals = %s, want 0.6666", got)
	}
}

func TestTotalsAdd(t *testing.T) {
	a := Totals{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}
	b := Totals{100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700}
	want := Totals{101, 202, 303, 404, 505, 606, 707, 808, 909, 1010, 1111, 1212, 1313, 1414, 1515, 1616, 1717}
	if got := a.Add(b); got != want {
		t.Fatalf("Add = %+v, want %+v", got, want)
	}
	if got := (Totals{}).Add(a); got != a {
		t.Fatalf("zero.Add(a) = %+v, want %+v", got, a)
	}
}

func TestAdditionalDeals(t *testing.T) {
	tests := []struct {
		e8       int64
		decimals int
		want     string
	}{
		{0, 4, "0"},
		{90_000_000, 4, "0.9"},
		{117_000_000, 4, "1.17"},
		{16_831_650, 4, "0.1683"},
		{16_835_000, 4, "0.1684"},
		{1_234 * ScaleE8, 4, "1234"},
		{1, 4, "0"},
		{1, 8, "0.00000001"},
	}
	for _, tt := range tests {
		if got := (Totals{AdditionalDealsE8: tt.e8}).AdditionalDeals(tt.decimals); got != tt.want {
			t.Errorf("AdditionalDeals(%d e-8, %d) = %q, want %q", tt.e8, tt.decimals, got, tt.want)
		}
	}
}

func TestDashboardJSON(t *testing.T) {
	from := time.Date(2026, 5, 1, 4, 0, 0, 0, time.UTC)
	to := time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		totals   Totals
		from, to *time.Time
		want     string
	}{
		{name: "empty all time", want: `{"from":null,"to":null,"session_count":0,"lead_count":0,"lead_value_cents":0,"opportunity_count":0,"opportunity_value_cents":0,"additional_deal_count":0,"asr_cents":0,"oss":null,"css":null,"lss":null}`},
		{name: "a month", from: &from, to: &to,
			totals: Totals{Sessions: 10, Leads: 3, LeadValueCents: 78000, Opportunities: 3, OpportunityCents: 78000,
				AdditionalDealsE8: 207_000_000, ASRCents: 53820, OppSuccess: 2, LeadSuccess: 2, Rated: 2, StarsSum: 9},
			want: `{"from":"2026-05-01T04:00:00Z","to":"2026-06-01T04:00:00Z","session_count":10,"lead_count":3,"lead_value_cents":78000,"opportunity_count":3,"opportunity_value_cents":78000,"additional_deal_count":2.07,"asr_cents":53820,"oss":0.6667,"css":0.9,"lss":0.6667}`},
		{name: "fractional deals to 4 decimals", totals: Totals{Sessions: 1, AdditionalDealsE8: 33_335_000},
			want: `{"from":null,"to":null,"session_count":1,"lead_count":0,"lead_value_cents":0,"opportunity_count":0,"opportunity_value_cents":0,"additional_deal_count":0.3334,"asr_cents":0,"oss":null,"css":null,"lss":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(DashboardOf(tt.totals, tt.from, tt.to))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Fatalf("dashboard JSON\n got %s\nwant %s", b, tt.want)
			}
		})
	}
}
