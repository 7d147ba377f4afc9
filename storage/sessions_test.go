package storage

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"asrboard/models"
)

func mustInput(t *testing.T, js string) models.SessionInput {
	t.Helper()
	rec, err := models.RecordFromJSON([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	in, fe := models.DecodeSession(rec, models.DecodeOptions{})
	if len(fe) > 0 {
		t.Fatalf("decode %s: %+v", js, fe)
	}
	return in
}

func TestReingestKeepsHumanPartAndAuditsReviews(t *testing.T) {
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			a := models.DefaultAttributes()
			a.AverageLeadValueCents = 10000
			if _, err := s.SaveAttributes(ctx, "owner", &a); err != nil {
				t.Fatal(err)
			}
			first := mustInput(t, `{"external_id":"x/1","started_at":"2026-05-04T20:00:00Z","is_lead":true,"caller_phone":"555 0100","agent_success":"No"}`)
			if r, err := s.Ingest(ctx, []models.SessionInput{first}); err != nil || r != (IngestResult{Created: 1}) {
				t.Fatalf("ingest: %+v %v", r, err)
			}
			yes := models.SuccessYesA
			stars := 4
			got, err := s.Review(ctx, "rev@x.test", "x/1", models.HumanPatch{
				AgentSuccess: models.OptString{Set: true, Value: &yes}, Stars: models.OptInt{Set: true, Value: &stars}})
			if err != nil {
				t.Fatal(err)
			}
			if got.ASRCents != 10000 || got.AgentSuccess != yes {
				t.Fatalf("after review: asr %d, assessment %q", got.ASRCents, got.AgentSuccess)
			}
			audit, err := s.Audit(ctx, models.EntitySession, got.ID, 10)
			if err != nil || len(audit) != 2 {
				t.Fatalf("audit: %+v %v", audit, err)
			}
			// Re-ingest with new auto fields: the human part stays.
			again := mustInput(t, `{"external_id":"x/1","started_at":"2026-05-04T20:00:00Z","is_lead":true,"caller_phone":"555 0100","agent_success":"No","units":3}`)
			if r, err := s.Ingest(ctx, []models.SessionInput{again}); err != nil || r != (IngestResult{Updated: 1}) {
				t.Fatalf("re-ingest: %+v %v", r, err)
			}
			after, err := s.Session(ctx, "x/1")
			if err != nil {
				t.Fatal(err)
			}
			if after.HumanAgentSuccess == nil || *after.HumanAgentSuccess != yes || after.Stars == nil || *after.Stars != 4 || after.ASRCents != 10000 {
				t.Fatalf("human part lost on re-ingest: %+v", after)
			}
			if after.Units == nil || *after.Units != 300 {
				t.Fatalf("auto part not replaced: units %v", after.Units)
			}
			// Only a lead can be an opportunity; nothing changes.
			no := false
			yesOpp := true
			_, err = s.Review(ctx, "rev@x.test", "x/1", models.HumanPatch{
				IsLead: models.OptBool{Set: true, Value: &no}, IsOpportunity: models.OptBool{Set: true, Value: &yesOpp}})
			if models.ErrorCode(err) != models.CodeInvalid {
				t.Fatalf("opportunity on a non-lead: err %v", err)
			}
			unchanged, _ := s.Session(ctx, "x/1")
			if unchanged.HumanIsLead != nil || unchanged.HumanIsOpportunity != nil {
				t.Fatalf("rejected review changed the session: %+v", unchanged)
			}
			if _, err := s.Review(ctx, "rev", "nope", models.HumanPatch{Stars: models.OptInt{Set: true}}); models.ErrorCode(err) != models.CodeNotFound {
				t.Fatalf("unknown session: %v", err)
			}
			tot, err := s.Totals(ctx, nil, nil)
			if err != nil || tot.ASRCents != 10000 || tot.Rated != 1 || tot.StarsSum != 4 {
				t.Fatalf("totals %+v %v", tot, err)
			}
		})
	}
}

func TestInvalidAttributesChangeNothing(t *testing.T) {
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			before, _ := s.Attributes(ctx)
			bad := models.DefaultAttributes()
			bad.ConversionRatio = 15000
			bad.Timezone = "Mars/Olympus"
			_, err := s.SaveAttributes(ctx, "staff", &bad)
			var e *models.Error
			if !errors.As(err, &e) || e.Code != models.CodeInvalid || len(e.Details) != 2 {
				t.Fatalf("want 2 field errors, got %v", err)
			}
			after, _ := s.Attributes(ctx)
			if after.ConversionRatio != before.ConversionRatio || after.Timezone != before.Timezone {
				t.Fatalf("attributes changed: %+v", after)
			}
		})
	}
}

// TestConcurrentWriters runs ingests, reviews, attribute changes and reads
// at once: with one immediate-lock writer none may fail with "database is
// locked", and the rollups must still equal the sessions afterwards.
func TestConcurrentWriters(t *testing.T) {
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make(chan error, 100)
			base := time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 15 {
						in := models.SessionInput{ExternalID: fmt.Sprintf("w%d-%d", w, i), StartedAt: base.Add(time.Duration(w*100+i) * time.Minute),
							Channel: "phone", IsLead: true, CallerPhone: "5550100", AgentSuccess: models.SuccessYesB}
						if _, err := s.Ingest(ctx, []models.SessionInput{in}); err != nil {
							errs <- err
							return
						}
						st := 1 + i%5
						if _, err := s.Review(ctx, "rev", in.ExternalID, models.HumanPatch{Stars: models.OptInt{Set: true, Value: &st}}); err != nil {
							errs <- err
							return
						}
						if _, err := s.Totals(ctx, nil, nil); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 5 {
					a := models.DefaultAttributes()
					a.AverageLeadValueCents = int64(1000 * (i + 1))
					if _, err := s.SaveAttributes(ctx, "staff", &a); err != nil {
						errs <- err
						return
					}
				}
			}()
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("concurrent write failed: %v", err)
			}
			a, _ := s.Attributes(ctx)
			compareWithHooks(t, s, a, "after concurrent writes")
		})
	}
}

func TestAgreementCountsMatchingVerdicts(t *testing.T) {
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			at := "2026-06-01T10:00:00Z"
			batch := []models.SessionInput{
				mustInput(t, `{"external_id":"a","started_at":"`+at+`","is_lead":true,"agent_success":"Yes-A","caller_phone":"555 0100"}`),
				mustInput(t, `{"external_id":"b","started_at":"`+at+`","is_lead":true,"agent_success":"No","caller_phone":"555 0101"}`),
				mustInput(t, `{"external_id":"c","started_at":"`+at+`","is_lead":false,"refused":true}`),
				mustInput(t, `{"external_id":"d","started_at":"`+at+`","is_lead":true,"is_test":true,"agent_success":"No"}`),
				mustInput(t, `{"external_id":"e","started_at":"`+at+`","is_lead":true}`),
			}
			if _, err := s.Ingest(ctx, batch); err != nil {
				t.Fatal(err)
			}
			str := func(v string) models.OptString { return models.OptString{Set: true, Value: &v} }
			b := func(v bool) models.OptBool { return models.OptBool{Set: true, Value: &v} }
			reviews := map[string]models.HumanPatch{
				"a": {AgentSuccess: str("Yes-A"), IsLead: b(true), IsOpportunity: b(true)}, // all agree
				"b": {AgentSuccess: str("Yes-B"), IsLead: b(false)},                        // both disagree
				"c": {IsLead: b(true), IsOpportunity: b(false)},                            // lead disagrees, opportunity agrees (refused)
				"d": {AgentSuccess: str("No")},                                             // a test session: not counted
				"e": {AgentSuccess: str("No")},                                             // no auto assessment: not compared
			}
			for id, p := range reviews {
				if _, err := s.Review(ctx, "rev", id, p); err != nil {
					t.Fatalf("review %s: %v", id, err)
				}
			}
			got, err := s.Agreement(ctx, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := models.Agreement{Assessments: 2, AssessmentsAgree: 1, Leads: 3, LeadsAgree: 1, Opportunities: 2, OpportunitiesAgree: 2}
			if got != want {
				t.Fatalf("agreement %+v, want %+v", got, want)
			}
			from := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
			if none, _ := s.Agreement(ctx, &from, nil); none != (models.Agreement{}) {
				t.Fatalf("agreement outside the period: %+v", none)
			}
		})
	}
}

func TestSecretPersistsAndTokensTouch(t *testing.T) {
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			k1, err := s.Secret(ctx, "session-hash-key", 64)
			if err != nil || len(k1) != 64 {
				t.Fatalf("secret: %d bytes, %v", len(k1), err)
			}
			k2, _ := s.Secret(ctx, "session-hash-key", 64)
			other, _ := s.Secret(ctx, "session-block-key", 32)
			if string(k1) != string(k2) || string(k1[:32]) == string(other) {
				t.Fatal("secret not stable, or two names share a key")
			}
			_, tok, err := s.CreateToken(ctx, "platform", models.RoleIngest)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.TouchToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
			list, _ := s.Tokens(ctx)
			if len(list) != 1 || list[0].LastUsedAt == nil {
				t.Fatalf("last use not recorded: %+v", list)
			}
		})
	}
}

// TestCountSessions checks both ways of counting against a plain Go filter
// over every session: the rollup answer for card filters, the capped count
// for the rest, and the cap itself.
func TestCountSessions(t *testing.T) {
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			r := rand.New(rand.NewPCG(9, 9))
			base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			var batch []models.SessionInput
			for i := range 1200 {
				batch = append(batch, randomInput(r, i, base, 20))
			}
			if _, err := s.Import(ctx, "test", sliceSource(batch), nil); err != nil {
				t.Fatal(err)
			}
			a := attributeSets()[0]
			if _, err := s.SaveAttributes(ctx, "test", &a); err != nil {
				t.Fatal(err)
			}
			var all []models.Session
			if err := s.EachSession(ctx, SessionFilter{}, func(x *models.Session) error { all = append(all, *x); return nil }); err != nil {
				t.Fatal(err)
			}
			flag := func() *bool {
				switch r.IntN(3) {
				case 0:
					return ptr(true)
				case 1:
					return ptr(false)
				}
				return nil
			}
			match := func(p *bool, v bool) bool { return p == nil || *p == v }
			for i := range 300 {
				f := SessionFilter{IsTest: flag(), IsLead: flag(), IsOpportunity: flag(), InWorkingHours: flag(), Rated: flag()}
				if i%2 == 0 { // the dashboard's card filters
					f.IsTest, f.AgentSuccess = ptr(false), ""
				} else if r.IntN(3) == 0 {
					f.AgentSuccess = []string{"none", models.SuccessYesA, models.SuccessNo}[r.IntN(3)]
				}
				if r.IntN(2) == 0 {
					from := base.Add(time.Duration(r.Int64N(int64(10 * 24 * time.Hour))))
					to := from.Add(time.Duration(r.Int64N(int64(10 * 24 * time.Hour))))
					f.From, f.To = &from, &to
				}
				var want int64
				for j := range all {
					x := &all[j]
					st := x.StartedAt.Time
					as := f.AgentSuccess == "" || (f.AgentSuccess == "none" && x.AgentSuccess == "") || f.AgentSuccess == x.AgentSuccess
					if match(f.IsTest, x.IsTest) && match(f.IsLead, x.IsLead) && match(f.IsOpportunity, x.IsOpportunity) &&
						match(f.InWorkingHours, x.InWorkingHours) && match(f.Rated, x.Stars != nil) && as &&
						(f.From == nil || !st.Before(*f.From)) && (f.To == nil || st.Before(*f.To)) {
						want++
					}
				}
				got, err := s.CountSessions(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if got != (models.Count{N: want}) {
					t.Fatalf("filter %+v: count %+v, want %d", f, got, want)
				}
			}
			if err := s.Generate(ctx, GenerateOptions{Sessions: CountCap + 50, Seed: 4}, nil); err != nil {
				t.Fatal(err)
			}
			yes := true
			got, err := s.CountSessions(ctx, SessionFilter{}) // test sessions included: not a rollup filter
			if err != nil || got != (models.Count{N: CountCap, Capped: true}) {
				t.Fatalf("count over the cap: %+v %v", got, err)
			}
			if got, _ := s.CountSessions(ctx, SessionFilter{IsTest: ptr(false), IsLead: &yes}); got.Capped {
				t.Fatalf("a card filter should count exactly from the rollups: %+v", got)
			}
		})
	}
}
