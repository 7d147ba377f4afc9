package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"asrboard/models"
)

// The budgets of SPEC-scale data (issue #2): with 1,000,000 sessions the
// dashboard answers in ≤ 20 ms, a page of the list in ≤ 30 ms and an
// attribute change recomputes everything in ≤ 3 s. The benchmarks run on a
// generated SQLite file kept in the temp folder between runs:
//
//	ASRBOARD_BENCH_SESSIONS=1000000 go test ./storage/ -run '^$' -bench . -benchtime 20x
//
// (default 200,000 sessions). Results are recorded in BENCHMARKS.md.

var benchNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func benchStore(b *testing.B) *Store {
	b.Helper()
	n := 200_000
	if v := os.Getenv("ASRBOARD_BENCH_SESSIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("ASRBOARD_BENCH_SESSIONS: %v", err)
		}
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("asrboard-bench-%d.db", n))
	ctx := context.Background()
	_, statErr := os.Stat(path)
	s, err := Open(ctx, Config{Path: path})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if os.IsNotExist(statErr) {
		a := benchAttributes(0)
		if _, err := s.SaveAttributes(ctx, "bench", &a); err != nil {
			b.Fatal(err)
		}
		if err := s.Generate(ctx, GenerateOptions{Sessions: n, Days: 365, Seed: 1, Now: benchNow}, nil); err != nil {
			os.Remove(path)
			b.Fatal(err)
		}
	}
	return s
}

// benchAttributes are a restaurant's; i varies the conversion ratio so that
// each save really changes the derived fields.
func benchAttributes(i int) models.Attributes {
	a := models.DefaultAttributes()
	a.LeadValueMethod, a.UnitPriceCents, a.AverageLeadValueCents = models.MethodPerUnit, 6500, 19500
	a.RedirectionType, a.RecognitionPercent, a.Timezone = models.RedirectNonOverflow, 3000, "America/New_York"
	a.ConversionRatio = models.Centi(8000 + (i%2)*1000)
	return a
}

func BenchmarkDashboard(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	loc, _ := time.LoadLocation("America/New_York")
	periods := map[string][2]*time.Time{}
	d := func(y int, m time.Month, day int) *time.Time { t := time.Date(y, m, day, 0, 0, 0, 0, loc); return &t }
	periods["all"] = [2]*time.Time{nil, nil}
	periods["30d"] = [2]*time.Time{d(2026, 10, 2), d(2026, 11, 1)}
	periods["90d"] = [2]*time.Time{d(2026, 8, 3), d(2026, 11, 1)}
	for name, p := range periods {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Totals(ctx, p[0], p[1]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkListSessions(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	no, yes := false, true
	b.Run("first-page", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.ListSessions(ctx, SessionFilter{IsTest: &no, Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("leads-by-asr", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.ListSessions(ctx, SessionFilter{IsTest: &no, IsLead: &yes, Sort: SortASR, Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A page deep in the table: the keyset cursor costs what the first page costs.
	p, err := s.ListSessions(ctx, SessionFilter{IsTest: &no, Limit: 10_000})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("page-10000-deep", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.ListSessions(ctx, SessionFilter{IsTest: &no, Limit: 50, Cursor: p.Next}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkRecompute(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		a := benchAttributes(i)
		if _, err := s.SaveAttributes(ctx, "bench", &a); err != nil {
			b.Fatal(err)
		}
	}
}
