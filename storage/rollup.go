package storage

import (
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// Hourly rollups hold the sums of models.Totals for the non-test sessions
// that started in each UTC hour, split by in_working_hours, so the dashboard reads a few thousand rows
// instead of a million. Every write that can change a session refreshes the
// hours it touched, in the same transaction.

// totalsColumns are the sums behind models.Totals, as SQL over sessions.
const totalsColumns = `CAST(COUNT(*) AS BIGINT) AS sessions,
	CAST(COALESCE(SUM(CASE WHEN is_lead THEN 1 ELSE 0 END), 0) AS BIGINT) AS leads,
	CAST(COALESCE(SUM(lead_value_cents), 0) AS BIGINT) AS lead_value_cents,
	CAST(COALESCE(SUM(CASE WHEN is_opportunity THEN 1 ELSE 0 END), 0) AS BIGINT) AS opportunities,
	CAST(COALESCE(SUM(CASE WHEN is_opportunity THEN lead_value_cents ELSE 0 END), 0) AS BIGINT) AS opportunity_cents,
	CAST(COALESCE(SUM(additional_deals_e8), 0) AS BIGINT) AS additional_deals_e8,
	CAST(COALESCE(SUM(asr_cents), 0) AS BIGINT) AS asr_cents,
	CAST(COALESCE(SUM(CASE WHEN is_opportunity THEN success_factor ELSE 0 END), 0) AS BIGINT) AS opp_success,
	CAST(COALESCE(SUM(CASE WHEN is_lead THEN success_factor ELSE 0 END), 0) AS BIGINT) AS lead_success,
	CAST(COUNT(stars) AS BIGINT) AS rated,
	CAST(COALESCE(SUM(stars), 0) AS BIGINT) AS stars_sum,
	CAST(COALESCE(SUM(CASE WHEN human_agent_success IS NOT NULL AND auto_agent_success <> '' THEN 1 ELSE 0 END), 0) AS BIGINT) AS reviewed_assessments,
	CAST(COALESCE(SUM(CASE WHEN human_agent_success IS NOT NULL AND human_agent_success = auto_agent_success THEN 1 ELSE 0 END), 0) AS BIGINT) AS agree_assessments,
	CAST(COALESCE(SUM(CASE WHEN human_is_lead IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS reviewed_leads,
	CAST(COALESCE(SUM(CASE WHEN human_is_lead = auto_is_lead THEN 1 ELSE 0 END), 0) AS BIGINT) AS agree_leads,
	CAST(COALESCE(SUM(CASE WHEN human_is_opportunity IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS reviewed_opps,
	CAST(COALESCE(SUM(CASE WHEN human_is_opportunity =
		(NOT refused AND NOT unavailable AND (caller_phone <> '' OR caller_email <> '')) THEN 1 ELSE 0 END), 0) AS BIGINT) AS agree_opps`

// rollupSums adds up rollup rows.
const rollupSums = `CAST(COALESCE(SUM(sessions), 0) AS BIGINT) AS sessions,
	CAST(COALESCE(SUM(leads), 0) AS BIGINT) AS leads,
	CAST(COALESCE(SUM(lead_value_cents), 0) AS BIGINT) AS lead_value_cents,
	CAST(COALESCE(SUM(opportunities), 0) AS BIGINT) AS opportunities,
	CAST(COALESCE(SUM(opportunity_cents), 0) AS BIGINT) AS opportunity_cents,
	CAST(COALESCE(SUM(additional_deals_e8), 0) AS BIGINT) AS additional_deals_e8,
	CAST(COALESCE(SUM(asr_cents), 0) AS BIGINT) AS asr_cents,
	CAST(COALESCE(SUM(opp_success), 0) AS BIGINT) AS opp_success,
	CAST(COALESCE(SUM(lead_success), 0) AS BIGINT) AS lead_success,
	CAST(COALESCE(SUM(rated), 0) AS BIGINT) AS rated,
	CAST(COALESCE(SUM(stars_sum), 0) AS BIGINT) AS stars_sum,
	CAST(COALESCE(SUM(reviewed_assessments), 0) AS BIGINT) AS reviewed_assessments,
	CAST(COALESCE(SUM(agree_assessments), 0) AS BIGINT) AS agree_assessments,
	CAST(COALESCE(SUM(reviewed_leads), 0) AS BIGINT) AS reviewed_leads,
	CAST(COALESCE(SUM(agree_leads), 0) AS BIGINT) AS agree_leads,
	CAST(COALESCE(SUM(reviewed_opps), 0) AS BIGINT) AS reviewed_opps,
	CAST(COALESCE(SUM(agree_opps), 0) AS BIGINT) AS agree_opps`

const rollupInsert = `INSERT INTO rollup_hours (hour, in_working_hours, sessions, leads, lead_value_cents, opportunities, opportunity_cents,
	additional_deals_e8, asr_cents, opp_success, lead_success, rated, stars_sum,
	reviewed_assessments, agree_assessments, reviewed_leads, agree_leads, reviewed_opps, agree_opps)
	SELECT started_at / %d AS hour, in_working_hours, ` + totalsColumns + ` FROM sessions WHERE NOT is_test %s
	GROUP BY started_at / %d, in_working_hours`

// rebuildRollups recomputes every rollup row.
func rebuildRollups(tx *gorm.DB) error {
	if err := tx.Exec(`DELETE FROM rollup_hours`).Error; err != nil {
		return err
	}
	return tx.Exec(fmt.Sprintf(rollupInsert, microsPerHour, "", microsPerHour)).Error
}

// hourSet collects the UTC hours (started_at / 1h) a transaction touched.
type hourSet map[int64]bool

func (h hourSet) addMicros(us int64) { h[us/microsPerHour] = true }

// refreshRollups recomputes the rollup rows of the touched hours, in runs of
// nearby hours so a batch spread over months costs a few statements.
func refreshRollups(tx *gorm.DB, hours hourSet) error {
	if len(hours) == 0 {
		return nil
	}
	list := make([]int64, 0, len(hours))
	for h := range hours {
		list = append(list, h)
	}
	slices.Sort(list)
	const gap = 48 // hours between touched hours that still join one run
	start, end := list[0], list[0]
	flush := func() error {
		if err := tx.Exec(`DELETE FROM rollup_hours WHERE hour >= ? AND hour <= ?`, start, end).Error; err != nil {
			return err
		}
		cond := fmt.Sprintf("AND started_at >= %d AND started_at < %d", start*microsPerHour, (end+1)*microsPerHour)
		return tx.Exec(fmt.Sprintf(rollupInsert, microsPerHour, cond, microsPerHour)).Error
	}
	for _, h := range list[1:] {
		if h-end > gap {
			if err := flush(); err != nil {
				return err
			}
			start = h
		}
		end = h
	}
	return flush()
}
