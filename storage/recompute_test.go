package storage

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"asrboard/models"
)

var testPhones = []string{"+1 (555) 010-0000", "15550100000", "+49 30 1234567", "555-0199", "", "", "+44 20 7946 0018"}
var testEmails = []string{"Test@Example.com", "test@example.com", "guest@mail.test", "", "", "other@x.io"}

func ptr[T any](v T) *T { return &v }

// randomInput makes a session input exercising every branch of the rules:
// DST edges, fractional units, every flag and override.
func randomInput(r *rand.Rand, i int, base time.Time, spanDays int) models.SessionInput {
	start := base.Add(time.Duration(r.Int64N(int64(spanDays) * int64(24*time.Hour))))
	switch edges := transitions(base, spanDays); {
	case r.IntN(10) == 0: // land exactly on minute and hour boundaries too
		start = start.Truncate(time.Hour)
	case r.IntN(8) == 0 && len(edges) > 0: // within minutes of a daylight-saving change, or on it
		start = edges[r.IntN(len(edges))].Add(time.Duration(r.Int64N(int64(4*time.Minute))) - 2*time.Minute)
		if r.IntN(4) == 0 {
			start = start.Truncate(time.Minute)
		}
	}
	in := models.SessionInput{
		ExternalID:  fmt.Sprintf("rnd-%d", i),
		StartedAt:   start.UTC().Truncate(time.Microsecond),
		Channel:     models.Channels[r.IntN(len(models.Channels))],
		CallerPhone: testPhones[r.IntN(len(testPhones))],
		CallerEmail: testEmails[r.IntN(len(testEmails))],
		IsLead:      r.IntN(2) == 0,
		Refused:     r.IntN(6) == 0,
		Unavailable: r.IntN(6) == 0,
		IsTest:      r.IntN(12) == 0,
	}
	switch r.IntN(4) {
	case 0:
	case 1:
		in.Units = ptr(models.Centi(0))
	default:
		in.Units = ptr(models.Centi(r.Int64N(2000)))
	}
	codes := []string{"", models.SuccessYesA, models.SuccessYesB, models.SuccessNo}
	in.AgentSuccess = codes[r.IntN(len(codes))]
	maybeBool := func() models.OptBool {
		switch r.IntN(5) {
		case 0:
			return models.OptBool{Set: true, Value: ptr(true)}
		case 1:
			return models.OptBool{Set: true, Value: ptr(false)}
		}
		return models.OptBool{}
	}
	in.Human.IsTest = maybeBool()
	in.Human.IsLead = maybeBool()
	if lead := in.IsLead; (in.Human.IsLead.Value != nil && *in.Human.IsLead.Value) || (in.Human.IsLead.Value == nil && lead) {
		in.Human.IsOpportunity = maybeBool()
	} else if r.IntN(3) == 0 {
		in.Human.IsOpportunity = models.OptBool{Set: true, Value: ptr(false)}
	}
	if r.IntN(3) == 0 {
		in.Human.AgentSuccess = models.OptString{Set: true, Value: ptr(codes[1+r.IntN(3)])}
	}
	if r.IntN(3) == 0 {
		in.Human.Stars = models.OptInt{Set: true, Value: ptr(1 + r.IntN(5))}
	}
	return in
}

var transitionCache = map[string][]time.Time{}

// transitions lists the offset changes of every zone in attributeSets
// between base and spanDays later.
func transitions(base time.Time, spanDays int) []time.Time {
	key := fmt.Sprint(base.Unix(), spanDays)
	if v, ok := transitionCache[key]; ok {
		return v
	}
	var out []time.Time
	end := base.AddDate(0, 0, spanDays)
	for _, a := range attributeSets() {
		t := base.In(a.Location())
		for {
			_, next := t.ZoneBounds()
			if next.IsZero() || next.After(end) {
				break
			}
			out = append(out, next)
			t = next.In(a.Location())
		}
	}
	transitionCache[key] = out
	return out
}

// attributeSets covers zones with DST, half- and three-quarter-hour offsets,
// 24:00 ends, split days, both methods and both redirection types.
func attributeSets() []models.Attributes {
	wh := func(spec map[int][][2]string) models.WorkingHours {
		var w models.WorkingHours
		for d, list := range spec {
			for _, iv := range list {
				s, _ := models.ParseClock(iv[0])
				e, _ := models.ParseClock(iv[1])
				w[d] = append(w[d], models.Interval{Start: s, End: e})
			}
		}
		return w
	}
	a := models.DefaultAttributes()
	a.LeadValueMethod, a.UnitPriceCents, a.AverageLeadValueCents = models.MethodPerUnit, 6533, 12001
	a.ConversionRatio, a.RedirectionType, a.RecognitionPercent = 9000, models.RedirectNonOverflow, 3000
	a.Timezone = "America/New_York"
	a.WorkingHours = wh(map[int][][2]string{0: {{"09:00", "12:00"}, {"13:00", "17:30"}}, 1: {{"00:00", "02:30"}, {"22:00", "24:00"}}, 4: {{"09:00", "24:00"}}, 5: {{"00:00", "24:00"}},
		6: {{"00:59", "01:01"}, {"01:15", "02:10"}, {"02:40", "03:20"}}}) // Sunday small hours straddle the changes
	a.TestContacts = []string{"15550100000", "TEST@example.com"}

	b := models.DefaultAttributes()
	b.AverageLeadValueCents, b.ConversionRatio, b.Timezone = 99999, 8750, "Asia/Kolkata"

	c := models.DefaultAttributes()
	c.LeadValueMethod, c.UnitPriceCents, c.AverageLeadValueCents = models.MethodPerUnit, 1999, 500
	c.ConversionRatio, c.RedirectionType, c.RecognitionPercent = 3333, models.RedirectNonOverflow, 3333
	c.Timezone = "Australia/Lord_Howe" // 30-minute daylight saving
	c.WorkingHours = wh(map[int][][2]string{0: {{"01:30", "02:45"}}, 2: {{"00:00", "24:00"}}, 6: {{"01:50", "02:20"}, {"10:15", "18:05"}}})
	c.TestContacts = []string{"guest@mail.test", "+49 30 1234567"}

	d := c
	d.Timezone = "Pacific/Chatham" // +12:45 / +13:45
	d.LeadValueMethod = models.MethodAverage
	d.TestContacts = nil
	d.WorkingHours = wh(map[int][][2]string{6: {{"02:00", "03:00"}, {"03:30", "04:30"}}})

	e := a
	e.Timezone = "America/St_Johns" // -3:30 with DST
	e.RecognitionPercent, e.ConversionRatio = 1, 1

	f := a
	f.Timezone = "Europe/Berlin"
	f.WorkingHours = models.WorkingHours{}

	g := e // same zone and hours as e: in_working_hours is not rewritten
	g.ConversionRatio, g.RecognitionPercent, g.LeadValueMethod = 7777, 4321, models.MethodAverage
	g.TestContacts = []string{"other@x.io"}
	h := g // only the conversion ratio changes: one column is assigned
	h.ConversionRatio = 6543
	i := h // only what no formula reads changes: no statement runs
	i.Currency, i.UnitLabel = "EUR", "nights"
	j := i // only the test contacts change
	j.TestContacts = []string{"guest@mail.test", "+1 (555) 010-0000"}
	return []models.Attributes{a, b, c, d, e, g, h, i, j, f}
}

// TestBulkRecomputeMatchesHooks ingests random sessions through the per-row
// hooks, then changes the attributes (set-based UPDATE) and checks that every
// stored derived field equals Session.Recompute under the new attributes, and
// that the rollups equal sums over the sessions.
func TestBulkRecomputeMatchesHooks(t *testing.T) {
	n := 10_000
	if testing.Short() {
		n = 2000
	}
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			r := rand.New(rand.NewPCG(7, 11))
			base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) // two years: four DST changes in each zone
			var batch []models.SessionInput
			for i := range n {
				batch = append(batch, randomInput(r, i, base, 730))
			}
			if _, err := s.Import(ctx, "test", sliceSource(batch), nil); err != nil {
				t.Fatalf("import: %v", err)
			}
			for i, a := range attributeSets() {
				if _, err := s.SaveAttributes(ctx, "test", &a); err != nil {
					t.Fatalf("set %d: save attributes: %v", i, err)
				}
				compareWithHooks(t, s, &a, fmt.Sprintf("set %d (%s)", i, a.Timezone))
			}
		})
	}
}

func sliceSource(batch []models.SessionInput) func() (ImportRecord, error) {
	i := 0
	return func() (ImportRecord, error) {
		if i == len(batch) {
			return ImportRecord{}, io.EOF
		}
		i++
		return ImportRecord{Line: i, Input: batch[i-1]}, nil
	}
}

func compareWithHooks(t *testing.T, s *Store, a *models.Attributes, label string) {
	t.Helper()
	ctx := context.Background()
	var want models.Totals
	mismatches := 0
	err := s.EachSession(ctx, SessionFilter{}, func(got *models.Session) error {
		exp := *got
		exp.Recompute(a)
		if exp.IsTest != got.IsTest || exp.IsLead != got.IsLead || exp.IsOpportunity != got.IsOpportunity ||
			exp.AgentSuccess != got.AgentSuccess || exp.SuccessFactor != got.SuccessFactor ||
			exp.LeadValueCents != got.LeadValueCents || exp.InWorkingHours != got.InWorkingHours ||
			exp.Recognition != got.Recognition || exp.AdditionalDealsE8 != got.AdditionalDealsE8 || exp.ASRCents != got.ASRCents {
			mismatches++
			if mismatches <= 5 {
				t.Errorf("%s: session %s at %s: stored %+v, hook gives %+v", label, got.ExternalID,
					got.StartedAt.In(a.Location()).Format(time.RFC3339), derived(got), derived(&exp))
			}
		}
		want = want.Add(totalsOf(&exp))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if mismatches > 0 {
		t.Fatalf("%s: %d sessions differ between bulk and per-row recompute", label, mismatches)
	}
	got, err := s.Totals(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("%s: rollup totals %+v, sessions sum to %+v", label, got, want)
	}
}

func derived(s *models.Session) string {
	return fmt.Sprintf("test=%v lead=%v opp=%v as=%q sf=%d lv=%d wh=%v rec=%s ad=%d asr=%d",
		s.IsTest, s.IsLead, s.IsOpportunity, s.AgentSuccess, s.SuccessFactor, s.LeadValueCents, s.InWorkingHours,
		s.Recognition, s.AdditionalDealsE8, s.ASRCents)
}

// totalsOf is the Totals contribution of one session, stated independently
// of the SQL in rollup.go.
func totalsOf(s *models.Session) models.Totals {
	if s.IsTest {
		return models.Totals{}
	}
	t := models.Totals{Sessions: 1, AdditionalDealsE8: s.AdditionalDealsE8, ASRCents: s.ASRCents}
	if s.IsLead {
		t.Leads, t.LeadValueCents, t.LeadSuccess = 1, s.LeadValueCents, int64(s.SuccessFactor)
	}
	if s.IsOpportunity {
		t.Opportunities, t.OpportunityCents, t.OppSuccess = 1, s.LeadValueCents, int64(s.SuccessFactor)
	}
	if s.Stars != nil {
		t.Rated, t.StarsSum = 1, int64(*s.Stars)
	}
	one := func(b bool) int64 {
		if b {
			return 1
		}
		return 0
	}
	if s.HumanAgentSuccess != nil && s.AutoAgentSuccess != "" {
		t.ReviewedAssessments, t.AgreeAssessments = 1, one(*s.HumanAgentSuccess == s.AutoAgentSuccess)
	}
	if s.HumanIsLead != nil {
		t.ReviewedLeads, t.AgreeLeads = 1, one(*s.HumanIsLead == s.AutoIsLead)
	}
	if s.HumanIsOpportunity != nil {
		auto := !s.Refused && !s.Unavailable && models.HasContact(s)
		t.ReviewedOpps, t.AgreeOpps = 1, one(*s.HumanIsOpportunity == auto)
	}
	return t
}

// TestTotalsAtRandomEdges checks the rollup-plus-edges sum against a plain
// sum over the sessions for periods that start and end mid-hour, on hour
// boundaries, open-ended and empty.
func TestTotalsAtRandomEdges(t *testing.T) {
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			r := rand.New(rand.NewPCG(3, 5))
			base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			var batch []models.SessionInput
			for i := range 1500 {
				batch = append(batch, randomInput(r, i, base, 20))
			}
			if _, err := s.Import(ctx, "test", sliceSource(batch), nil); err != nil {
				t.Fatal(err)
			}
			a := attributeSets()[2] // Lord Howe: working hours at odd minutes
			if _, err := s.SaveAttributes(ctx, "test", &a); err != nil {
				t.Fatal(err)
			}
			var all []models.Session
			if err := s.EachSession(ctx, SessionFilter{}, func(x *models.Session) error { all = append(all, *x); return nil }); err != nil {
				t.Fatal(err)
			}
			sum := func(from, to *time.Time) models.Totals {
				var tot models.Totals
				for i := range all {
					st := all[i].StartedAt.Time
					if (from == nil || !st.Before(*from)) && (to == nil || st.Before(*to)) {
						tot = tot.Add(totalsOf(&all[i]))
					}
				}
				return tot
			}
			at := func() *time.Time {
				v := base.Add(time.Duration(r.Int64N(int64(22 * 24 * time.Hour))))
				if r.IntN(3) == 0 {
					v = v.Truncate(time.Hour)
				}
				return &v
			}
			for i := range 60 {
				from, to := at(), at()
				switch i % 6 {
				case 0:
					from = nil
				case 1:
					to = nil
				case 2:
					x := from.Add(17 * time.Minute)
					to = &x
				}
				got, err := s.Totals(ctx, from, to)
				if err != nil {
					t.Fatal(err)
				}
				if want := sum(from, to); got != want {
					t.Fatalf("period %v..%v: totals %+v, sessions sum to %+v", from, to, got, want)
				}
				in, out, err := s.TotalsByWorkingHours(ctx, from, to)
				if err != nil {
					t.Fatal(err)
				}
				var wantIn models.Totals
				for i := range all {
					st := all[i].StartedAt.Time
					if all[i].InWorkingHours && (from == nil || !st.Before(*from)) && (to == nil || st.Before(*to)) {
						wantIn = wantIn.Add(totalsOf(&all[i]))
					}
				}
				if in != wantIn || in.Add(out) != got {
					t.Fatalf("period %v..%v: inside %+v (want %+v), outside %+v, total %+v", from, to, in, wantIn, out, got)
				}
			}
		})
	}
}
