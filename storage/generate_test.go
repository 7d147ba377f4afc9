package storage

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"asrboard/models"
)

// genOpenStore opens a fresh SQLite file under t.TempDir().
func genOpenStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{Path: filepath.Join(t.TempDir(), "gen.db")})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// genAttributes are non-default attributes that exercise every formula: per
// unit, non-overflow, fractional percentages, a time zone with DST and test
// contacts.
func genAttributes() *models.Attributes {
	a := models.DefaultAttributes()
	a.LeadValueMethod = models.MethodPerUnit
	a.UnitPriceCents = 6550
	a.AverageLeadValueCents = 12345
	a.ConversionRatio = 8750
	a.RedirectionType = models.RedirectNonOverflow
	a.RecognitionPercent = 3333
	a.Timezone = "America/New_York"
	a.WorkingHours = models.WorkingHours{}
	for d := 1; d < 7; d++ {
		a.WorkingHours[d] = []models.Interval{{Start: 11*60 + 30, End: 14*60 + 30}, {Start: 17 * 60, End: 22 * 60}}
	}
	a.TestContacts = []string{"+1 555 010 9999", "qa@example.com"}
	return &a
}

func genAllSessions(t *testing.T, s *Store) []models.Session {
	t.Helper()
	var out []models.Session
	if err := s.EachSession(context.Background(), SessionFilter{}, func(sess *models.Session) error {
		out = append(out, *sess)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// genSumTotals adds the sessions up in Go, the reference the rollups must match.
func genSumTotals(list []models.Session) models.Totals {
	var t models.Totals
	for i := range list {
		t = t.Add(totalsOf(&list[i]))
	}
	return t
}

func TestGenerateInsertsConsistentSessions(t *testing.T) {
	for dialect, s := range testStores(t) {
		t.Run(dialect, func(t *testing.T) { testGenerateConsistent(t, s) })
	}
}

func testGenerateConsistent(t *testing.T, s *Store) {
	ctx := context.Background()
	if _, err := s.SaveAttributes(ctx, "test", genAttributes()); err != nil {
		t.Fatal(err)
	}
	a, err := s.Attributes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 10, 15, 4, 5, 0, time.UTC)
	const n = 3000
	var last int
	if err := s.Generate(ctx, GenerateOptions{Sessions: n, Days: 30, Seed: 7, Now: now}, func(done int) { last = done }); err != nil {
		t.Fatal(err)
	}
	if last != n {
		t.Errorf("last progress = %d, want %d", last, n)
	}
	list := genAllSessions(t, s)
	if len(list) != n {
		t.Fatalf("stored %d sessions, want %d", len(list), n)
	}

	var tests, leads, contactLeads, rated, human, units, fractional int
	from := now.Add(-30 * 24 * time.Hour)
	for i := range list {
		got := list[i]
		if got.StartedAt.Before(from) || !got.StartedAt.Before(now) {
			t.Fatalf("%s started at %s, outside [%s, %s)", got.ExternalID, got.StartedAt, from, now)
		}
		if got.EndedAt != nil && got.EndedAt.Before(got.StartedAt.Time) {
			t.Fatalf("%s ends before it starts", got.ExternalID)
		}
		if got.CallerEmail != "" && !models.LooksLikeEmail(got.CallerEmail) {
			t.Fatalf("%s has a bad email %q", got.ExternalID, got.CallerEmail)
		}
		want := got
		want.Recompute(a)
		if want != got {
			t.Fatalf("derived fields of %s differ from Recompute:\n got %+v\nwant %+v", got.ExternalID, got, want)
		}
		if got.IsTest {
			tests++
		}
		if got.AutoIsLead {
			leads++
			if models.HasContact(&got) {
				contactLeads++
			}
		}
		if got.Stars != nil {
			rated++
		}
		if got.HumanAgentSuccess != nil || got.HumanIsLead != nil || got.HumanIsTest != nil || got.HumanIsOpportunity != nil {
			human++
		}
		if got.Units != nil {
			units++
			if *got.Units%models.CentiOne != 0 {
				fractional++
			}
			if *got.Units < models.CentiOne || *got.Units >= 13*models.CentiOne {
				t.Errorf("%s has units %s, want 1 to 12", got.ExternalID, got.Units)
			}
		}
		if got.HumanIsOpportunity != nil && *got.HumanIsOpportunity && !got.IsLead {
			t.Errorf("%s is a human opportunity but not a lead", got.ExternalID)
		}
	}
	share := func(k int) float64 { return float64(k) / n }
	checks := []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"test share", share(tests), 0.06, 0.16},
		{"lead share", share(leads), 0.38, 0.52},
		{"leads with contact", float64(contactLeads) / float64(leads), 0.8, 0.95},
		{"rated share", share(rated), 0.25, 0.35},
		{"human override share", share(human), 0.02, 0.12},
		{"fractional units", float64(fractional) / float64(units), 0.02, 0.15},
	}
	for _, c := range checks {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s = %.3f, want %.2f..%.2f", c.name, c.got, c.lo, c.hi)
		}
	}

	sum := genSumTotals(list)
	total, err := s.Totals(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if total != sum {
		t.Errorf("rollup totals %+v\n differ from the sum of the sessions %+v", total, sum)
	}
	if sum.ASRCents == 0 || sum.Opportunities == 0 {
		t.Errorf("no ASR in generated data: %+v", sum)
	}
	// A window with partial hours at both edges mixes rollups and raw rows.
	lo, hi := from.Add(50*time.Hour+17*time.Minute), now.Add(-3*24*time.Hour-41*time.Minute)
	var in []models.Session
	for _, sess := range list {
		if !sess.StartedAt.Before(lo) && sess.StartedAt.Before(hi) {
			in = append(in, sess)
		}
	}
	window, err := s.Totals(ctx, &lo, &hi)
	if err != nil {
		t.Fatal(err)
	}
	if want := genSumTotals(in); window != want {
		t.Errorf("window totals %+v, want %+v", window, want)
	}
}

func TestGenerateIsReproducibleAndRefusesTakenIDs(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	opts := GenerateOptions{Sessions: 700, Days: 5, Seed: 42, Now: now}
	a := genOpenStore(t)
	stores := []*Store{a}
	for _, s := range testStores(t) { // a second SQLite file, and PostgreSQL when configured
		stores = append(stores, s)
	}
	var lists [][]models.Session
	for _, s := range stores {
		if err := s.Generate(ctx, opts, nil); err != nil {
			t.Fatal(err)
		}
		list := genAllSessions(t, s)
		for i := range list {
			list[i].ID, list[i].CreatedAt, list[i].UpdatedAt = 0, time.Time{}, time.Time{}
		}
		lists = append(lists, list)
	}
	la := lists[0]
	for _, lb := range lists[1:] {
		for i := range la {
			if !reflect.DeepEqual(la[i], lb[i]) {
				t.Fatalf("same seed, different session %d:\n%+v\n%+v", i, la[i], lb[i])
			}
		}
	}
	if la[0].ExternalID != "gen-42-001" {
		t.Errorf("first id = %q, want gen-42-001", la[0].ExternalID)
	}

	err := a.Generate(ctx, opts, nil)
	if models.ErrorCode(err) != models.CodeConflict {
		t.Fatalf("second generate with the same seed: err = %v, want a conflict", err)
	}
	if n, _ := a.CountSessions(ctx, SessionFilter{}); n.N != 700 || n.Capped {
		t.Errorf("after the refused generate: %+v sessions, want 700", n)
	}
	opts.Seed = 43
	if err := a.Generate(ctx, opts, nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.CountSessions(ctx, SessionFilter{}); n != (models.Count{N: 1400}) {
		t.Errorf("after a second seed: %+v sessions, want 1400", n)
	}
}

func TestGenerateCancelledStoresNothing(t *testing.T) {
	for dialect, s := range testStores(t) {
		t.Run(dialect, func(t *testing.T) { testGenerateCancelled(t, s) })
	}
}

func testGenerateCancelled(t *testing.T, s *Store) {
	ctx, cancel := context.WithCancel(context.Background())
	err := s.Generate(ctx, GenerateOptions{Sessions: 5000, Seed: 1}, func(done int) {
		if done >= 1000 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n, _ := s.CountSessions(context.Background(), SessionFilter{}); n != (models.Count{}) {
		t.Errorf("%+v sessions stored after cancel, want 0", n)
	}
	if err := s.Generate(context.Background(), GenerateOptions{Sessions: 0}, nil); models.ErrorCode(err) != models.CodeInvalid {
		t.Errorf("0 sessions: err = %v, want invalid", err)
	}
}

func TestGenerateDemoFlavourHasTranscriptsAndNoHumanPart(t *testing.T) {
	ctx := context.Background()
	s := genOpenStore(t)
	if err := s.Generate(ctx, GenerateOptions{Sessions: 400, Seed: 3, Demo: true, Prefix: "demo-"}, nil); err != nil {
		t.Fatal(err)
	}
	for _, sess := range genAllSessions(t, s) {
		if sess.Transcript == "" || sess.Summary == "" {
			t.Fatalf("%s lacks a transcript or summary", sess.ExternalID)
		}
		if sess.Stars != nil || sess.HumanAgentSuccess != nil || sess.HumanIsTest != nil || sess.Comment != nil {
			t.Fatalf("%s has a human part in the demo flavour", sess.ExternalID)
		}
		if sess.Units != nil && *sess.Units%models.CentiOne != 0 {
			t.Fatalf("%s has fractional guests %s", sess.ExternalID, sess.Units)
		}
	}
}

// BenchmarkGenerate measures bulk generation into a fresh SQLite file; the
// sessions/s metric is the figure to compare (go test -bench Generate ./storage/).
func BenchmarkGenerate(b *testing.B) {
	const perRun = 50_000
	ctx := context.Background()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := genOpenStore(b)
		b.StartTimer()
		start := time.Now()
		if err := s.Generate(ctx, GenerateOptions{Sessions: perRun, Seed: uint64(i + 1)}, nil); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(perRun*b.N)/elapsed.Seconds(), "sessions/s")
}
