package models

import (
	"slices"
	"testing"
	"time"
)

func TestExportRow(t *testing.T) {
	a := attrs(t, func(a *Attributes) {
		a.LeadValueMethod = MethodPerUnit
		a.UnitPriceCents = 6500
		a.ConversionRatio = 9000
	})
	start := time.Date(2026, 5, 12, 22, 0, 0, 0, time.FixedZone("EDT", -4*3600))
	s := &Session{ExternalID: "r1", StartedAt: TS(start), Channel: "phone", CallerPhone: "+1 555 0100",
		AutoIsLead: true, Units: ptr(Centi(400)), AutoAgentSuccess: SuccessYesA}
	s.Recompute(a)
	col := func(row []string, name string) string { return row[slices.Index(ExportColumns, name)] }

	row := ExportRow(nil, s)
	if len(row) != len(ExportColumns) {
		t.Fatalf("%d cells for %d columns", len(row), len(ExportColumns))
	}
	for name, want := range map[string]string{
		"started_at": "2026-05-13T02:00:00Z", "ended_at": "", "units": "4", "human_is_test": "", "stars": "",
		"comment": "", "quality": "", "lead_value_cents": "26000", "recognition_percent": "100",
		"additional_deals": "0.9", "asr_cents": "23400", "is_opportunity": "true",
	} {
		if got := col(row, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	s.Stars, s.HumanIsTest, s.Comment = ptr(4), ptr(true), ptr("a, \"b\"")
	row = ExportRow(row[:0], s)
	for name, want := range map[string]string{"stars": "4", "quality": "0.8", "human_is_test": "true", "comment": "a, \"b\""} {
		if got := col(row, name); got != want {
			t.Errorf("reviewed: %s = %q, want %q", name, got, want)
		}
	}
}
