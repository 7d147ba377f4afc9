package storage

import (
	"fmt"
	"slices"
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

// recomputeSQL builds the statements that apply attributes a, replacing old
// (nil: unknown), to the sessions whose started_at lies in [minUS, maxUS]
// (the range decides which time-zone offsets the statement must know).
//
// Only what the change can move is written: in_working_hours, the costly
// rule, gets a statement of its own when the time zone or the hours change;
// the main UPDATE assigns only the derived columns whose inputs changed (a
// conversion change touches additional deals and ASR, so SQLite leaves the
// other indexes alone) and reads the stored value of the others; rows whose
// values stay the same are not written (the columns are NOT NULL, so <>
// suffices). No statement at all means nothing the formulas read changed.
func recomputeSQL(a, old *models.Attributes, minUS, maxUS int64) []string {
	var stmts []string
	hoursChanged := old == nil || old.Timezone != a.Timezone || old.WorkingHours.String() != a.WorkingHours.String()
	if hoursChanged {
		inWH := workingHoursSQL(a, minUS, maxUS)
		stmts = append(stmts, fmt.Sprintf(`UPDATE sessions SET in_working_hours = %[1]s WHERE in_working_hours <> %[1]s`, inWH))
	}
	testChanged := old == nil || !sameKeys(old.TestPhoneKeys(), a.TestPhoneKeys()) || !sameKeys(old.TestEmailKeys(), a.TestEmailKeys())
	leadChanged := old == nil || old.LeadValueMethod != a.LeadValueMethod ||
		old.AverageLeadValueCents != a.AverageLeadValueCents || old.UnitPriceCents != a.UnitPriceCents
	recogChanged := hoursChanged || old.RedirectionType != a.RedirectionType || old.RecognitionPercent != a.RecognitionPercent
	dealsChanged := testChanged || recogChanged || old.ConversionRatio != a.ConversionRatio

	var set, differ []string
	assign := func(changed bool, column, expr string) string {
		if !changed {
			return column
		}
		set = append(set, column+" = "+expr)
		differ = append(differ, column+" <> "+expr)
		return expr
	}
	isTest := assign(testChanged, "is_test", isTestSQL(a))
	lead := assign(leadChanged, "lead_value_cents", leadValueSQL(a))
	recog := "10000"
	if a.RedirectionType == models.RedirectNonOverflow {
		recog = fmt.Sprintf("(CASE WHEN in_working_hours THEN %d ELSE %d END)", int64(a.RecognitionPercent), int64(models.FullPercent))
	}
	recog = assign(recogChanged, "recognition", recog)
	// Literals are INTEGER (4 bytes) in PostgreSQL: every product is cast to BIGINT.
	deals := assign(dealsChanged, "additional_deals_e8",
		fmt.Sprintf("CAST(CASE WHEN (%s) OR NOT is_opportunity OR success_factor = 0 THEN 0 ELSE %d * %s END AS BIGINT)", isTest, int64(a.ConversionRatio), recog))
	assign(dealsChanged || leadChanged, "asr_cents",
		fmt.Sprintf("((%[1]s) / %[3]d * %[2]s + (((%[1]s) %% %[3]d) * %[2]s + %[4]d) / %[3]d)", lead, deals, models.ScaleE8, models.ScaleE8/2))
	if len(set) > 0 {
		stmts = append(stmts, fmt.Sprintf(`UPDATE sessions SET %s WHERE (%s)`, strings.Join(set, ", "), strings.Join(differ, " OR ")))
	}
	return stmts
}

// sameKeys tells whether two lists hold the same keys, in any order.
func sameKeys(x, y []string) bool {
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
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
