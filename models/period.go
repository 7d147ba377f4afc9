package models

import (
	"fmt"
	"strings"
	"time"
)

// Period names of the dashboard (SPEC §4): the presets, and "custom" for
// explicit from/to dates.
const (
	PeriodToday     = "today"
	Period7Days     = "7d"
	Period30Days    = "30d"
	Period90Days    = "90d"
	PeriodThisMonth = "this_month"
	PeriodLastMonth = "last_month"
	PeriodAll       = "all"
	PeriodCustom    = "custom"
)

// DefaultPeriod is what the dashboard shows when the URL names none.
const DefaultPeriod = Period30Days

// PeriodPresets lists the preset names in the order a period picker shows them.
var PeriodPresets = []string{PeriodToday, Period7Days, Period30Days, Period90Days, PeriodThisMonth, PeriodLastMonth, PeriodAll}

// periodLabels are the words shown for each period name.
var periodLabels = map[string]string{
	PeriodToday: "Today", Period7Days: "Last 7 days", Period30Days: "Last 30 days", Period90Days: "Last 90 days",
	PeriodThisMonth: "This month", PeriodLastMonth: "Last month", PeriodAll: "All time", PeriodCustom: "Custom range",
}

// PeriodLabel is the display name of a period name ("Last 30 days").
func PeriodLabel(name string) string { return periodLabels[name] }

// DateLayout is the date-only form of period bounds in URLs (YYYY-MM-DD).
const DateLayout = "2006-01-02"

// Period is a span [From, To) of whole local days, with the span it is
// compared against. A nil bound is open; Prev* are nil when nothing is
// comparable (all time, or a custom range without a start).
type Period struct {
	Name     string
	From, To *time.Time
	// PrevFrom and PrevTo bound the previous period of the same length:
	// the same number of days just before, or for the month presets the
	// matching days of the month before.
	PrevFrom, PrevTo *time.Time
	// Label names the period ("Last 30 days"); Range shows its days with the
	// last one inclusive ("Apr 14 – May 13, 2026", or "All time").
	Label, Range string
	// PrevRange shows the previous period's days, "" when not comparable.
	PrevRange string
}

// Comparable tells whether the period has a previous period to compare with.
func (p Period) Comparable() bool { return p.PrevFrom != nil && p.PrevTo != nil }

// FromDate is From as YYYY-MM-DD in loc, "" when open.
func (p Period) FromDate(loc *time.Location) string { return dateOf(p.From, loc) }

// ToDate is the exclusive To as YYYY-MM-DD in loc, "" when open.
func (p Period) ToDate(loc *time.Location) string { return dateOf(p.To, loc) }

// LastDate is the inclusive last day (the day before To) as YYYY-MM-DD in
// loc, "" when open: what a person reads as "to".
func (p Period) LastDate(loc *time.Location) string {
	if p.To == nil {
		return ""
	}
	return lastDay(*p.To, loc).Format(DateLayout)
}

func dateOf(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format(DateLayout)
}

// ResolvePeriod turns a preset name or custom YYYY-MM-DD dates (to
// exclusive) into instants: days are read in loc and "now" decides which day
// is today. Dates win over the name; an empty name means DefaultPeriod.
// Presets end at the end of today (this month is month-to-date). A bad name or
// date is an Invalid error naming the parameter.
func ResolvePeriod(name string, from, to string, now time.Time, loc *time.Location) (Period, error) {
	name, from, to = strings.TrimSpace(name), strings.TrimSpace(from), strings.TrimSpace(to)
	if from != "" || to != "" {
		return customPeriod(from, to, now, loc)
	}
	if name == "" {
		name = DefaultPeriod
	}
	today := startOfDay(now, loc)
	tomorrow := today.AddDate(0, 0, 1)
	var p Period
	switch name {
	case PeriodToday:
		p = daysBack(today, tomorrow)
	case Period7Days:
		p = daysBack(tomorrow.AddDate(0, 0, -7), tomorrow)
	case Period30Days:
		p = daysBack(tomorrow.AddDate(0, 0, -30), tomorrow)
	case Period90Days:
		p = daysBack(tomorrow.AddDate(0, 0, -90), tomorrow)
	case PeriodThisMonth:
		first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, loc)
		prevFirst := first.AddDate(0, -1, 0)
		prevTo := prevFirst.AddDate(0, 0, DaysBetween(first, tomorrow))
		if prevTo.After(first) { // the 31st against a shorter month: all of it
			prevTo = first
		}
		p = Period{From: &first, To: &tomorrow, PrevFrom: &prevFirst, PrevTo: &prevTo}
	case PeriodLastMonth:
		first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, loc)
		from, prevFrom := first.AddDate(0, -1, 0), first.AddDate(0, -2, 0)
		p = Period{From: &from, To: &first, PrevFrom: &prevFrom, PrevTo: &from}
	case PeriodAll:
		p = Period{}
	default:
		return Period{}, Invalid("invalid period", FieldError{Field: "period",
			Message: fmt.Sprintf("must be one of %s, got %q", strings.Join(PeriodPresets, ", "), name)})
	}
	p.Name = name
	p.Label = PeriodLabel(name)
	p.describe(loc)
	return p, nil
}

// customPeriod reads explicit dates; a missing to runs through today, a
// missing from leaves the start open (and nothing to compare with).
func customPeriod(from, to string, now time.Time, loc *time.Location) (Period, error) {
	var fe fieldErrors
	read := func(field, v string) *time.Time {
		if v == "" {
			return nil
		}
		d, err := time.ParseInLocation(DateLayout, v, loc)
		if err != nil {
			fe.add(field, "must be a date like 2026-05-01, got %q", v)
			return nil
		}
		return &d
	}
	f, t := read("from", from), read("to", to)
	if len(fe) > 0 {
		return Period{}, Invalid("invalid period", fe...)
	}
	if t == nil {
		tomorrow := startOfDay(now, loc).AddDate(0, 0, 1)
		if f != nil && !f.Before(tomorrow) {
			tomorrow = f.AddDate(0, 0, 1)
		}
		t = &tomorrow
	}
	if f != nil && !f.Before(*t) {
		return Period{}, Invalid("invalid period", FieldError{Field: "to", Message: "must be after from"})
	}
	p := Period{Name: PeriodCustom, Label: PeriodLabel(PeriodCustom), To: t}
	if f != nil {
		p = daysBack(*f, *t)
		p.Name, p.Label = PeriodCustom, PeriodLabel(PeriodCustom)
	}
	p.describe(loc)
	return p, nil
}

// daysBack is [from, to) compared with the same number of days before it.
func daysBack(from, to time.Time) Period {
	prevFrom := from.AddDate(0, 0, -DaysBetween(from, to))
	return Period{From: &from, To: &to, PrevFrom: &prevFrom, PrevTo: &from}
}

// describe fills Range and PrevRange.
func (p *Period) describe(loc *time.Location) {
	p.Range = RangeLabel(p.From, p.To, loc)
	if p.Comparable() {
		p.PrevRange = RangeLabel(p.PrevFrom, p.PrevTo, loc)
	}
}

// RangeLabel writes [from, to) as days with the last one inclusive:
// "May 13, 2026", "May 1 – 13, 2026", "Apr 14 – May 13, 2026",
// "Dec 20, 2025 – Jan 18, 2026",
// "until May 13, 2026", or "All time" when both are open.
func RangeLabel(from, to *time.Time, loc *time.Location) string {
	switch {
	case from == nil && to == nil:
		return "All time"
	case to == nil:
		return "since " + from.In(loc).Format("Jan 2, 2006")
	case from == nil:
		return "until " + lastDay(*to, loc).Format("Jan 2, 2006")
	}
	f, l := from.In(loc), lastDay(*to, loc)
	switch {
	case !l.After(f):
		return f.Format("Jan 2, 2006")
	case f.Year() != l.Year():
		return f.Format("Jan 2, 2006") + " – " + l.Format("Jan 2, 2006")
	case f.Month() == l.Month():
		return f.Format("Jan 2") + " – " + l.Format("2, 2006")
	}
	return f.Format("Jan 2") + " – " + l.Format("Jan 2, 2006")
}

// lastDay is the local day that holds the last instant before to.
func lastDay(to time.Time, loc *time.Location) time.Time {
	return startOfDay(to.Add(-time.Nanosecond), loc)
}

// startOfDay is local midnight of the day t falls on in loc (or the first
// instant of that day where midnight is skipped by a clock change).
func startOfDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// DaysBetween counts calendar days from a to b by their dates, so a day of 23
// or 25 hours around a clock change still counts as one.
func DaysBetween(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da) / (24 * time.Hour))
}

// Bucket sizes of a chart over a period.
const (
	BucketDay   = "day"
	BucketWeek  = "week"
	BucketMonth = "month"
	BucketYear  = "year"
)

// MaxBuckets is the most bars a chart gets; a longer span takes the next
// larger bucket size.
const MaxBuckets = 120

// Bucket is one bar of a chart: the local span [From, To).
type Bucket struct {
	From, To time.Time
}

// ChartBuckets cuts [from, to) into local days, or weeks (from Monday),
// months or years when there would be more than MaxBuckets; the first and
// last buckets are clipped to the span. It returns the size chosen.
func ChartBuckets(from, to time.Time, loc *time.Location) (string, []Bucket) {
	from, to = from.In(loc), to.In(loc)
	if !from.Before(to) {
		return BucketDay, nil
	}
	days := DaysBetween(from, lastDay(to, loc)) + 1
	type sizing struct {
		name  string
		start func(time.Time) time.Time
		next  func(time.Time) time.Time
		count int
	}
	sizes := []sizing{
		{BucketDay, func(t time.Time) time.Time { return startOfDay(t, loc) },
			func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }, days},
		{BucketWeek, func(t time.Time) time.Time {
			d := startOfDay(t, loc)
			return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
		}, func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }, days/7 + 2},
		{BucketMonth, func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc) },
			func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, days/28 + 2},
		{BucketYear, func(t time.Time) time.Time { return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, loc) },
			func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }, 0},
	}
	for _, s := range sizes {
		if s.count > MaxBuckets {
			continue
		}
		var out []Bucket
		for b := s.start(from); b.Before(to); b = s.next(b) {
			lo, hi := b, s.next(b)
			if lo.Before(from) {
				lo = from
			}
			if hi.After(to) {
				hi = to
			}
			out = append(out, Bucket{From: lo, To: hi})
		}
		return s.name, out
	}
	return "", nil // unreachable: years always fit
}
