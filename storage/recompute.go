package storage

import (
	"fmt"
	"strings"
	"time"

	"asrboard/models"
)

// This file states in SQL the attribute-dependent rules of models/formulas.go
// (test contacts, lead value, working hours, recognition, additional deals,
// ASR), so that an attribute change recomputes every session in one UPDATE
// instead of per-row hooks. TestBulkRecomputeMatchesHooks proves that this
// statement and Session.Recompute agree. The attribute-independent derived
// fields (is_lead, is_opportunity, agent_success, success_factor) only change
// on a session's own writes, where the hook recomputes them.

const microsPerHour = int64(time.Hour / time.Microsecond)

// recomputeSQL builds the statements that apply attributes a to the
// sessions whose started_at lies in [minUS, maxUS] (the range decides which
// time-zone offsets the statement must know). in_working_hours, the costly
// rule, is rewritten by a statement of its own and only when the time zone
// or the working hours differ from old (nil: always); the main UPDATE then
// reads the stored column. Rows whose derived fields would not change are
// not written, since each write also rewrites index entries; the derived
// columns are NOT NULL, so <> suffices.
func recomputeSQL(a, old *models.Attributes, minUS, maxUS int64) []string {
	var stmts []string
	if old == nil || old.Timezone != a.Timezone || old.WorkingHours.String() != a.WorkingHours.String() {
		inWH := workingHoursSQL(a, minUS, maxUS)
		stmts = append(stmts, fmt.Sprintf(`UPDATE sessions SET in_working_hours = %[1]s WHERE in_working_hours <> %[1]s`, inWH))
	}
	isTest := isTestSQL(a)
	lead := leadValueSQL(a)
	recog := "10000"
	if a.RedirectionType == models.RedirectNonOverflow {
		recog = fmt.Sprintf("(CASE WHEN in_working_hours THEN %d ELSE %d END)", int64(a.RecognitionPercent), int64(models.FullPercent))
	}
	// Literals are INTEGER (4 bytes) in PostgreSQL: every product is cast to BIGINT.
	deals := fmt.Sprintf("CAST(CASE WHEN (%s) OR NOT is_opportunity OR success_factor = 0 THEN 0 ELSE %d * %s END AS BIGINT)", isTest, int64(a.ConversionRatio), recog)
	asr := fmt.Sprintf("((%[1]s) / %[3]d * %[2]s + (((%[1]s) %% %[3]d) * %[2]s + %[4]d) / %[3]d)", lead, deals, models.ScaleE8, models.ScaleE8/2)
	stmts = append(stmts, fmt.Sprintf(`UPDATE sessions SET is_test = %[1]s, lead_value_cents = %[2]s, recognition = %[3]s, additional_deals_e8 = %[4]s, asr_cents = %[5]s
		WHERE (is_test <> %[1]s OR lead_value_cents <> %[2]s OR recognition <> %[3]s OR additional_deals_e8 <> %[4]s OR asr_cents <> %[5]s)`,
		isTest, lead, recog, deals, asr))
	return stmts
}

// isTestSQL: EffectiveIsTest.
func isTestSQL(a *models.Attributes) string {
	cond := []string{"auto_is_test"}
	if keys := a.TestPhoneKeys(); len(keys) > 0 {
		cond = append(cond, "phone_key IN ("+quoteList(keys)+")")
	}
	if keys := a.TestEmailKeys(); len(keys) > 0 {
		cond = append(cond, "email_key IN ("+quoteList(keys)+")")
	}
	return "COALESCE(human_is_test, " + strings.Join(cond, " OR ") + ")"
}

// leadValueSQL: LeadValueCents (units and prices are non-negative, so
// (n + 50) / 100 is division rounding half away from zero).
func leadValueSQL(a *models.Attributes) string {
	value := fmt.Sprintf("%d", a.AverageLeadValueCents)
	if a.LeadValueMethod == models.MethodPerUnit {
		value = fmt.Sprintf("CASE WHEN units > 0 THEN (units * CAST(%d AS BIGINT) + 50) / 100 ELSE %d END", a.UnitPriceCents, a.AverageLeadValueCents)
	}
	return fmt.Sprintf("CAST(CASE WHEN is_lead THEN %s ELSE 0 END AS BIGINT)", value)
}

// workingHoursSQL: InWorkingHours. started_at (µs, after 1971) plus the zone
// offset in force gives local seconds; the Unix epoch was a Thursday, so
// (local minutes + 3 days) mod 7 days is the minute of a Monday-first week.
func workingHoursSQL(a *models.Attributes, minUS, maxUS int64) string {
	var parts []string
	for d, list := range a.WorkingHours {
		for _, iv := range list {
			parts = append(parts, fmt.Sprintf("(%s >= %d AND %s < %d)", "{mow}", d*1440+iv.Start, "{mow}", d*1440+iv.End))
		}
	}
	if len(parts) == 0 {
		return "FALSE"
	}
	mow := fmt.Sprintf("(((started_at / 1000000 + %s) / 60 + %d) %% %d)", offsetSQL(a.Location(), minUS, maxUS), 3*1440, 7*1440)
	return "(" + strings.ReplaceAll(strings.Join(parts, " OR "), "{mow}", mow) + ")"
}

// offsetSQL is the zone's UTC offset in seconds at started_at: a constant,
// or a CASE over the transitions between minUS and maxUS.
func offsetSQL(loc *time.Location, minUS, maxUS int64) string {
	t := time.UnixMicro(minUS).In(loc)
	_, off := t.Zone()
	var b strings.Builder
	n := 0
	for range 100_000 {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.UnixMicro() > maxUS {
			break
		}
		fmt.Fprintf(&b, " WHEN started_at < %d THEN %d", end.UnixMicro(), off)
		n++
		t = end.In(loc)
		_, off = t.Zone()
	}
	if n == 0 {
		return fmt.Sprintf("%d", off)
	}
	return fmt.Sprintf("(CASE%s ELSE %d END)", b.String(), off)
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}
