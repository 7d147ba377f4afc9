package models

import (
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// span writes a pair of bounds as RFC 3339 in their own zone, "open" for nil.
func span(from, to *time.Time) string {
	f, t := "open", "open"
	if from != nil {
		f = from.Format(time.RFC3339)
	}
	if to != nil {
		t = to.Format(time.RFC3339)
	}
	return f + " .. " + t
}

func TestResolvePeriod(t *testing.T) {
	ny, berlin, kolkata := mustLoc(t, "America/New_York"), mustLoc(t, "Europe/Berlin"), mustLoc(t, "Asia/Kolkata")
	at := func(loc *time.Location, s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name         string
		period       string
		from, to     string
		now          time.Time
		loc          *time.Location
		want, prev   string
		label, rng   string
		prevRange    string
		fromD, lastD string
	}{
		{name: "default is 30 days", now: at(time.UTC, "2026-05-13 10:00"), loc: time.UTC,
			want: "2026-04-14T00:00:00Z .. 2026-05-14T00:00:00Z", prev: "2026-03-15T00:00:00Z .. 2026-04-14T00:00:00Z",
			label: "Last 30 days", rng: "Apr 14 – May 13, 2026", prevRange: "Mar 15 – Apr 13, 2026", fromD: "2026-04-14", lastD: "2026-05-13"},
		{name: "today in New York after midnight UTC", period: "today", now: time.Date(2026, 5, 14, 2, 0, 0, 0, time.UTC), loc: ny,
			want: "2026-05-13T00:00:00-04:00 .. 2026-05-14T00:00:00-04:00", prev: "2026-05-12T00:00:00-04:00 .. 2026-05-13T00:00:00-04:00",
			label: "Today", rng: "May 13, 2026", prevRange: "May 12, 2026", fromD: "2026-05-13", lastD: "2026-05-13"},
		{name: "today is the short DST day", period: "today", now: at(ny, "2026-03-08 12:00"), loc: ny,
			want: "2026-03-08T00:00:00-05:00 .. 2026-03-09T00:00:00-04:00", prev: "2026-03-07T00:00:00-05:00 .. 2026-03-08T00:00:00-05:00",
			label: "Today", rng: "Mar 8, 2026", prevRange: "Mar 7, 2026", fromD: "2026-03-08", lastD: "2026-03-08"},
		{name: "7 days across spring forward", period: "7d", now: at(ny, "2026-03-10 23:59"), loc: ny,
			want: "2026-03-04T00:00:00-05:00 .. 2026-03-11T00:00:00-04:00", prev: "2026-02-25T00:00:00-05:00 .. 2026-03-04T00:00:00-05:00",
			label: "Last 7 days", rng: "Mar 4 – 10, 2026", prevRange: "Feb 25 – Mar 3, 2026", fromD: "2026-03-04", lastD: "2026-03-10"},
		{name: "90 days across fall back in Berlin", period: "90d", now: at(berlin, "2026-11-15 08:00"), loc: berlin,
			want: "2026-08-18T00:00:00+02:00 .. 2026-11-16T00:00:00+01:00", prev: "2026-05-20T00:00:00+02:00 .. 2026-08-18T00:00:00+02:00",
			label: "Last 90 days", rng: "Aug 18 – Nov 15, 2026", prevRange: "May 20 – Aug 17, 2026", fromD: "2026-08-18", lastD: "2026-11-15"},
		{name: "this month to date", period: "this_month", now: at(kolkata, "2026-05-13 09:00"), loc: kolkata,
			want: "2026-05-01T00:00:00+05:30 .. 2026-05-14T00:00:00+05:30", prev: "2026-04-01T00:00:00+05:30 .. 2026-04-14T00:00:00+05:30",
			label: "This month", rng: "May 1 – 13, 2026", prevRange: "Apr 1 – 13, 2026", fromD: "2026-05-01", lastD: "2026-05-13"},
		{name: "this month on the 31st against February", period: "this_month", now: at(time.UTC, "2026-03-31 18:00"), loc: time.UTC,
			want: "2026-03-01T00:00:00Z .. 2026-04-01T00:00:00Z", prev: "2026-02-01T00:00:00Z .. 2026-03-01T00:00:00Z",
			label: "This month", rng: "Mar 1 – 31, 2026", prevRange: "Feb 1 – 28, 2026", fromD: "2026-03-01", lastD: "2026-03-31"},
		{name: "this month on the 1st", period: "this_month", now: at(time.UTC, "2026-03-01 00:00"), loc: time.UTC,
			want: "2026-03-01T00:00:00Z .. 2026-03-02T00:00:00Z", prev: "2026-02-01T00:00:00Z .. 2026-02-02T00:00:00Z",
			label: "This month", rng: "Mar 1, 2026", prevRange: "Feb 1, 2026", fromD: "2026-03-01", lastD: "2026-03-01"},
		{name: "last month in January", period: "last_month", now: at(ny, "2026-01-05 12:00"), loc: ny,
			want: "2025-12-01T00:00:00-05:00 .. 2026-01-01T00:00:00-05:00", prev: "2025-11-01T00:00:00-04:00 .. 2025-12-01T00:00:00-05:00",
			label: "Last month", rng: "Dec 1 – 31, 2025", prevRange: "Nov 1 – 30, 2025", fromD: "2025-12-01", lastD: "2025-12-31"},
		{name: "last month of a leap February", period: "last_month", now: at(time.UTC, "2028-03-31 12:00"), loc: time.UTC,
			want: "2028-02-01T00:00:00Z .. 2028-03-01T00:00:00Z", prev: "2028-01-01T00:00:00Z .. 2028-02-01T00:00:00Z",
			label: "Last month", rng: "Feb 1 – 29, 2028", prevRange: "Jan 1 – 31, 2028", fromD: "2028-02-01", lastD: "2028-02-29"},
		{name: "all time", period: "all", now: at(time.UTC, "2026-05-13 10:00"), loc: time.UTC,
			want: "open .. open", prev: "open .. open", label: "All time", rng: "All time"},
		{name: "custom across the year end", period: "30d", from: "2025-12-20", to: "2026-01-19", now: at(time.UTC, "2026-05-13 10:00"), loc: ny,
			want: "2025-12-20T00:00:00-05:00 .. 2026-01-19T00:00:00-05:00", prev: "2025-11-20T00:00:00-05:00 .. 2025-12-20T00:00:00-05:00",
			label: "Custom range", rng: "Dec 20, 2025 – Jan 18, 2026", prevRange: "Nov 20 – Dec 19, 2025", fromD: "2025-12-20", lastD: "2026-01-18"},
		{name: "custom without to runs through today", from: "2026-05-01", now: at(time.UTC, "2026-05-13 10:00"), loc: time.UTC,
			want: "2026-05-01T00:00:00Z .. 2026-05-14T00:00:00Z", prev: "2026-04-18T00:00:00Z .. 2026-05-01T00:00:00Z",
			label: "Custom range", rng: "May 1 – 13, 2026", prevRange: "Apr 18 – 30, 2026", fromD: "2026-05-01", lastD: "2026-05-13"},
		{name: "custom without from is not comparable", to: "2026-05-01", now: at(time.UTC, "2026-05-13 10:00"), loc: time.UTC,
			want: "open .. 2026-05-01T00:00:00Z", prev: "open .. open", label: "Custom range", rng: "until Apr 30, 2026", lastD: "2026-04-30"},
		{name: "custom one day over fall back", from: "2026-11-01", to: "2026-11-02", now: at(time.UTC, "2026-05-13 10:00"), loc: ny,
			want: "2026-11-01T00:00:00-04:00 .. 2026-11-02T00:00:00-05:00", prev: "2026-10-31T00:00:00-04:00 .. 2026-11-01T00:00:00-04:00",
			label: "Custom range", rng: "Nov 1, 2026", prevRange: "Oct 31, 2026", fromD: "2026-11-01", lastD: "2026-11-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ResolvePeriod(c.period, c.from, c.to, c.now, c.loc)
			if err != nil {
				t.Fatal(err)
			}
			if got := span(p.From, p.To); got != c.want {
				t.Errorf("period %s, want %s", got, c.want)
			}
			if got := span(p.PrevFrom, p.PrevTo); got != c.prev {
				t.Errorf("previous %s, want %s", got, c.prev)
			}
			if p.Comparable() != (c.prev != "open .. open") {
				t.Errorf("comparable %v", p.Comparable())
			}
			if p.Label != c.label || p.Range != c.rng || p.PrevRange != c.prevRange {
				t.Errorf("label %q range %q prev %q, want %q %q %q", p.Label, p.Range, p.PrevRange, c.label, c.rng, c.prevRange)
			}
			if p.FromDate(c.loc) != c.fromD || p.LastDate(c.loc) != c.lastD {
				t.Errorf("from date %q last date %q, want %q %q", p.FromDate(c.loc), p.LastDate(c.loc), c.fromD, c.lastD)
			}
			if p.Comparable() && p.Name != PeriodLastMonth && DaysBetween(*p.From, *p.To) < DaysBetween(*p.PrevFrom, *p.PrevTo) {
				t.Errorf("previous period longer than the period")
			}
		})
	}
}

func TestResolvePeriodErrors(t *testing.T) {
	now := time.Date(2026, 5, 13, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		period, from, to, field string
	}{
		{period: "week", field: "period"},
		{from: "2026-13-01", field: "from"},
		{from: "2026-05-01", to: "05/10/2026", field: "to"},
		{from: "2026-05-10", to: "2026-05-10", field: "to"},
		{from: "2026-05-10", to: "2026-05-01", field: "to"},
	} {
		_, err := ResolvePeriod(c.period, c.from, c.to, now, time.UTC)
		var me *Error
		if err == nil || ErrorCode(err) != CodeInvalid {
			t.Errorf("%+v: error %v, want invalid", c, err)
			continue
		}
		me = err.(*Error)
		if len(me.Details) == 0 || me.Details[0].Field != c.field {
			t.Errorf("%+v: details %+v, want field %s", c, me.Details, c.field)
		}
	}
}

func TestChartBuckets(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	day := func(s string) time.Time {
		v, err := time.ParseInLocation(DateLayout, s, ny)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		from, to    string
		size        string
		n           int
		first, last string
	}{
		{"2026-03-01", "2026-03-15", BucketDay, 14, "2026-03-01 .. 2026-03-02", "2026-03-14 .. 2026-03-15"},
		{"2026-01-01", "2026-05-01", BucketDay, 120, "2026-01-01 .. 2026-01-02", "2026-04-30 .. 2026-05-01"},
		{"2026-01-01", "2026-05-02", BucketWeek, 18, "2026-01-01 .. 2026-01-05", "2026-04-27 .. 2026-05-02"},
		{"2020-01-15", "2026-05-14", BucketMonth, 77, "2020-01-15 .. 2020-02-01", "2026-05-01 .. 2026-05-14"},
		{"1990-01-01", "2026-01-01", BucketYear, 36, "1990-01-01 .. 1991-01-01", "2025-01-01 .. 2026-01-01"},
		{"2026-05-01", "2026-05-01", BucketDay, 0, "", ""},
	}
	f := func(b Bucket) string { return b.From.Format(DateLayout) + " .. " + b.To.Format(DateLayout) }
	for _, c := range cases {
		size, list := ChartBuckets(day(c.from), day(c.to), ny)
		if size != c.size || len(list) != c.n {
			t.Errorf("%s..%s: %s × %d, want %s × %d", c.from, c.to, size, len(list), c.size, c.n)
			continue
		}
		if c.n == 0 {
			continue
		}
		if f(list[0]) != c.first || f(list[len(list)-1]) != c.last {
			t.Errorf("%s..%s: first %s last %s, want %s and %s", c.from, c.to, f(list[0]), f(list[len(list)-1]), c.first, c.last)
		}
		for i := 1; i < len(list); i++ {
			if !list[i].From.Equal(list[i-1].To) {
				t.Errorf("%s..%s: gap between bucket %d and %d", c.from, c.to, i-1, i)
			}
		}
		for _, b := range list {
			if b.From.In(ny).Hour() != 0 || b.To.In(ny).Hour() != 0 {
				t.Errorf("%s..%s: bucket %v not on local midnights", c.from, c.to, b)
			}
		}
	}
}
