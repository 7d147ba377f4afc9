package cli_test

import (
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"asrboard/models"
	"asrboard/storage"
)

// The column order of SPEC-conformant exports, written out once more so a
// change to it is a deliberate one.
const exportHeader = "external_id,started_at,ended_at,channel,caller_name,caller_phone,caller_email,summary,transcript," +
	"auto_is_lead,refused,unavailable,units,auto_agent_success,auto_is_test,human_is_test,human_is_lead," +
	"human_is_opportunity,human_agent_success,stars,comment,is_test,is_lead,is_opportunity,agent_success," +
	"success_factor,lead_value_cents,in_working_hours,recognition_percent,additional_deals,asr_cents,quality," +
	"created_at,updated_at"

// roundTripAttributes are far from the defaults: per unit, non-overflow,
// fractional percentages, a time zone with DST, test contacts.
func roundTripAttributes() *models.Attributes {
	a := models.DefaultAttributes()
	a.Currency = "EUR"
	a.LeadValueMethod = models.MethodPerUnit
	a.UnitPriceCents = 4990
	a.AverageLeadValueCents = 15000
	a.UnitLabel = "nights"
	a.ConversionRatio = 8750
	a.RedirectionType = models.RedirectNonOverflow
	a.RecognitionPercent = 3333
	a.Timezone = "Europe/Berlin"
	a.WorkingHours = models.WorkingHours{}
	for d := range 6 {
		a.WorkingHours[d] = []models.Interval{{Start: 8 * 60, End: 12 * 60}, {Start: 13 * 60, End: 18*60 + 30}}
	}
	a.TestContacts = []string{"+49 30 1234567", "QA@Example.org"}
	return &a
}

func ptr[T any](v T) *T { return &v }

// seedRoundTrip fills a database with generated sessions plus hand-made ones
// that stress the CSV: quotes, commas, newlines, Unicode, zero units, no end.
func seedRoundTrip(t *testing.T, s *storage.Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.SaveAttributes(ctx, "test", roundTripAttributes()); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 4, 28, 16, 20, 0, 0, time.UTC)
	if err := s.Generate(ctx, storage.GenerateOptions{Sessions: 400, Days: 60, Seed: 11, Now: now}, nil); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 3, 29, 0, 30, 0, 123456000, time.UTC) // the night Berlin moves to summer time
	special := []models.SessionInput{
		{ExternalID: "quote \"1\", comma", StartedAt: base, Channel: "phone", CallerName: "Zoë Ångström", CallerPhone: "+49 30 1234567",
			Summary: "Line one,\nline \"two\"\n", Transcript: "AI: Hallo!\nCaller: Zwei Nächte, bitte.\n\nAI: 👍", IsLead: true, Units: ptr(models.Centi(0)),
			AgentSuccess: models.SuccessYesA},
		{ExternalID: "no-end", StartedAt: base.Add(2 * time.Hour), Channel: "email", CallerEmail: "qa@example.org", IsLead: true,
			Units: ptr(models.Centi(1275)), AgentSuccess: models.SuccessYesB},
		{ExternalID: "worked-hours", StartedAt: time.Date(2026, 4, 1, 9, 15, 0, 0, time.UTC), Channel: "chat", CallerEmail: "x@example.com",
			IsLead: true, Units: ptr(models.Centi(333)), AgentSuccess: models.SuccessYesA, Summary: "  leading and trailing spaces  "},
	}
	end := ptr(special[2].StartedAt.Add(90 * time.Second))
	special[2].EndedAt = end
	if _, err := s.Ingest(ctx, special); err != nil {
		t.Fatal(err)
	}
	four := 4
	if _, err := s.Review(ctx, "rita", "worked-hours", models.HumanPatch{Stars: models.OptInt{Set: true, Value: &four},
		IsOpportunity: models.OptBool{Set: true, Value: ptr(false)}, Comment: models.OptString{Set: true, Value: ptr("Comma, \"quote\"\nnewline")}}); err != nil {
		t.Fatal(err)
	}
}

// readCSV parses an export, blanking created_at and updated_at, which an
// import sets anew.
func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("export is not valid CSV: %v", err)
	}
	created, updated := slices.Index(rows[0], "created_at"), slices.Index(rows[0], "updated_at")
	for _, r := range rows[1:] {
		if _, err := time.Parse(time.RFC3339Nano, r[created]); err != nil {
			t.Errorf("created_at %q: %v", r[created], err)
		}
		r[created], r[updated] = "", ""
	}
	return rows
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	dbA, dbB := tempDB(t), tempDB(t)
	withStore(t, dbA, func(s *storage.Store) { seedRoundTrip(t, s) })
	exportA := mustRun(t, "", "export", "--db", dbA).stdout
	if first, _, _ := strings.Cut(exportA, "\n"); first != exportHeader {
		t.Fatalf("header = %q\nwant     %q", first, exportHeader)
	}
	for _, want := range []string{",33.33,", ",0.2916375,", `"Comma, ""quote""` + "\nnewline\"", ",12.75,", ",0.8,"} {
		if !strings.Contains(exportA, want) {
			t.Errorf("export lacks %q", want)
		}
	}

	withStore(t, dbB, func(s *storage.Store) {
		if _, err := s.SaveAttributes(ctx, "test", roundTripAttributes()); err != nil {
			t.Fatal(err)
		}
	})
	r := mustRun(t, "", "import", writeFile(t, "a.csv", exportA), "--db", dbB)
	if lastLine(r.stdout) != "imported: 403 created, 0 updated" {
		t.Errorf("import said %q", r.stdout)
	}
	exportB := mustRun(t, "", "export", "--db", dbB).stdout

	rowsA, rowsB := readCSV(t, exportA), readCSV(t, exportB)
	if len(rowsA) != 404 || len(rowsB) != len(rowsA) {
		t.Fatalf("rows: A %d, B %d, want 404", len(rowsA), len(rowsB))
	}
	for i := range rowsA {
		if !slices.Equal(rowsA[i], rowsB[i]) {
			t.Fatalf("row %d differs after the round trip:\nA %q\nB %q", i, rowsA[i], rowsB[i])
		}
	}

	a, b := openStore(t, dbA), openStore(t, dbB)
	attrs, err := a.Attributes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	totalA, errA := a.Totals(ctx, nil, nil)
	totalB, errB := b.Totals(ctx, nil, nil)
	if errA != nil || errB != nil || totalA != totalB {
		t.Fatalf("all-time totals differ: %+v (%v) vs %+v (%v)", totalA, errA, totalB, errB)
	}
	if totalA.ASRCents == 0 || totalA.Opportunities == 0 || totalA.Rated == 0 {
		t.Errorf("round trip data too thin: %+v", totalA)
	}
	day := time.Date(2026, 2, 25, 0, 0, 0, 0, attrs.Location())
	for range 66 {
		next := day.AddDate(0, 0, 1)
		ta, errA := a.Totals(ctx, &day, &next)
		tb, errB := b.Totals(ctx, &day, &next)
		if errA != nil || errB != nil || ta != tb {
			t.Fatalf("totals of %s differ: %+v vs %+v (%v, %v)", day.Format(time.DateOnly), ta, tb, errA, errB)
		}
		day = next
	}
}

func TestExportPeriodInAttributesTimeZone(t *testing.T) {
	db := tempDB(t)
	withStore(t, db, func(s *storage.Store) {
		ctx := context.Background()
		a := models.DefaultAttributes()
		a.Timezone = "America/New_York"
		if _, err := s.SaveAttributes(ctx, "test", &a); err != nil {
			t.Fatal(err)
		}
		var batch []models.SessionInput
		for _, ts := range []string{"2026-03-02T04:59:59Z", "2026-03-02T05:00:00Z", "2026-03-03T04:59:59.5Z", "2026-03-03T05:00:00Z"} {
			at, _ := time.Parse(time.RFC3339, ts)
			batch = append(batch, models.SessionInput{ExternalID: ts, StartedAt: at, Channel: "phone"})
		}
		if _, err := s.Ingest(ctx, batch); err != nil {
			t.Fatal(err)
		}
	})
	ids := func(out string) []string {
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
			id, _, _ := strings.Cut(line, ",")
			got = append(got, id)
		}
		return got
	}
	r := mustRun(t, "", "export", "--db", db, "--from", "2026-03-02", "--to", "2026-03-03")
	if got := ids(r.stdout); !slices.Equal(got, []string{"2026-03-02T05:00:00Z", "2026-03-03T04:59:59.5Z"}) {
		t.Errorf("local day 2026-03-02 in New York = %v", got)
	}
	r = mustRun(t, "", "export", "--db", db, "--from", "2026-03-03T04:59:59.5Z")
	if got := ids(r.stdout); !slices.Equal(got, []string{"2026-03-03T04:59:59.5Z", "2026-03-03T05:00:00Z"}) {
		t.Errorf("from an RFC 3339 instant = %v", got)
	}
	r = mustRun(t, "", "export", "--db", db, "--to", "2020-01-01")
	if r.stdout != exportHeader+"\n" {
		t.Errorf("an empty period prints only the header, got %q", r.stdout)
	}
	for _, args := range [][]string{{"--from", "yesterday"}, {"--from", "2026-03-03", "--to", "2026-03-02"}} {
		r := runCLI(t, "", append([]string{"export", "--db", db}, args...)...)
		if r.code != 1 || r.stdout != "" || (!strings.Contains(r.stderr, "from") && !strings.Contains(r.stderr, "to")) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
}
