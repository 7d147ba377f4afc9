package models

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultAttributes(t *testing.T) {
	a := DefaultAttributes()
	if fe := a.Validate(); len(fe) != 0 {
		t.Fatalf("defaults invalid: %+v", fe)
	}
	if a.Currency != "USD" || a.LeadValueMethod != MethodAverage || a.AverageLeadValueCents != 0 ||
		a.UnitLabel != "guests" || a.UnitPriceCents != 0 || a.ConversionRatio != FullPercent ||
		a.RedirectionType != RedirectOverflow || a.RecognitionPercent != FullPercent || a.Timezone != "UTC" ||
		len(a.TestContacts) != 0 {
		t.Fatalf("defaults differ from SPEC §2: %+v", a)
	}
	for d := range 7 {
		var want []Interval
		if d < 5 {
			want = []Interval{{Start: 9 * 60, End: 17 * 60}}
		}
		if !reflect.DeepEqual(a.WorkingHours[d], want) {
			t.Fatalf("default %s hours = %v, want %v", WeekdayNames[d], a.WorkingHours[d], want)
		}
	}
	// Each call gives fresh working hours: changing one copy leaves the next alone.
	a.WorkingHours[0][0].Start = 0
	if b := DefaultAttributes(); b.WorkingHours[0][0].Start != 9*60 {
		t.Fatalf("DefaultAttributes shares its working hours between calls")
	}
}

func TestAttributesValidate(t *testing.T) {
	mon := func(ivs ...Interval) func(a *Attributes) {
		return func(a *Attributes) { a.WorkingHours[0] = ivs }
	}
	iv := func(start, end string) Interval {
		s, err := ParseClock(start)
		if err != nil {
			panic(err)
		}
		e, err := ParseClock(end)
		if err != nil {
			panic(err)
		}
		return Interval{Start: s, End: e}
	}
	tests := []struct {
		name       string
		mod        func(a *Attributes)
		wantFields []string
		wantMsg    string
	}{
		{name: "defaults", mod: func(a *Attributes) {}},
		{name: "conversion 150", mod: func(a *Attributes) { a.ConversionRatio = 15000 }, wantFields: []string{"conversion_ratio_percent"}, wantMsg: "from 0 to 100, got 150"},
		{name: "conversion 100.01", mod: func(a *Attributes) { a.ConversionRatio = 10001 }, wantFields: []string{"conversion_ratio_percent"}},
		{name: "conversion -1", mod: func(a *Attributes) { a.ConversionRatio = -100 }, wantFields: []string{"conversion_ratio_percent"}},
		{name: "conversion 0", mod: func(a *Attributes) { a.ConversionRatio = 0 }},
		{name: "conversion 33.33", mod: func(a *Attributes) { a.ConversionRatio = 3333 }},
		{name: "recognition 100.01", mod: func(a *Attributes) { a.RecognitionPercent = 10001 }, wantFields: []string{"recognition_percent"}},
		{name: "recognition -0.01", mod: func(a *Attributes) { a.RecognitionPercent = -1 }, wantFields: []string{"recognition_percent"}},
		{name: "recognition 0", mod: func(a *Attributes) { a.RecognitionPercent = 0 }},
		{name: "unknown time zone", mod: func(a *Attributes) { a.Timezone = "Mars/Olympus_Mons" }, wantFields: []string{"timezone"}, wantMsg: "IANA"},
		{name: "empty time zone", mod: func(a *Attributes) { a.Timezone = "" }, wantFields: []string{"timezone"}},
		{name: "Local is not a zone", mod: func(a *Attributes) { a.Timezone = "Local" }, wantFields: []string{"timezone"}},
		{name: "offset is not a zone", mod: func(a *Attributes) { a.Timezone = "+02:00" }, wantFields: []string{"timezone"}},
		{name: "America/New_York", mod: func(a *Attributes) { a.Timezone = "America/New_York" }},
		{name: "Europe/Berlin", mod: func(a *Attributes) { a.Timezone = "Europe/Berlin" }},
		{name: "overlapping intervals", mod: mon(iv("09:00", "12:00"), iv("11:00", "13:00")), wantFields: []string{"working_hours.mon"}, wantMsg: "overlap"},
		{name: "overlap listed late first", mod: mon(iv("11:00", "13:00"), iv("09:00", "12:00")), wantFields: []string{"working_hours.mon"}, wantMsg: "overlap"},
		{name: "contained interval", mod: mon(iv("09:00", "17:00"), iv("10:00", "11:00")), wantFields: []string{"working_hours.mon"}, wantMsg: "overlap"},
		{name: "same interval twice", mod: mon(iv("09:00", "17:00"), iv("09:00", "17:00")), wantFields: []string{"working_hours.mon"}, wantMsg: "overlap"},
		{name: "adjacent intervals", mod: mon(iv("09:00", "12:00"), iv("12:00", "13:00"))},
		{name: "split day", mod: mon(iv("13:00", "17:00"), iv("09:00", "12:00"))},
		{name: "reversed interval", mod: mon(iv("17:00", "09:00")), wantFields: []string{"working_hours.mon"}, wantMsg: "start before it ends"},
		{name: "empty interval", mod: mon(iv("09:00", "09:00")), wantFields: []string{"working_hours.mon"}},
		{name: "22:00-24:00", mod: mon(iv("22:00", "24:00"))},
		{name: "whole day", mod: mon(iv("00:00", "24:00"))},
		{name: "end after 24:00", mod: mon(Interval{Start: 22 * 60, End: 24*60 + 1}), wantFields: []string{"working_hours.mon"}},
		{name: "negative start", mod: mon(Interval{Start: -1, End: 60}), wantFields: []string{"working_hours.mon"}},
		{name: "error names the weekday", mod: func(a *Attributes) { a.WorkingHours[6] = []Interval{iv("12:00", "10:00")} }, wantFields: []string{"working_hours.sun"}},
		{name: "no working hours at all", mod: func(a *Attributes) { a.WorkingHours = WorkingHours{} }},
		{name: "lower-case currency", mod: func(a *Attributes) { a.Currency = "usd" }, wantFields: []string{"currency"}},
		{name: "two-letter currency", mod: func(a *Attributes) { a.Currency = "US" }, wantFields: []string{"currency"}},
		{name: "EUR", mod: func(a *Attributes) { a.Currency = "EUR" }},
		{name: "unknown lead value method", mod: func(a *Attributes) { a.LeadValueMethod = "median" }, wantFields: []string{"lead_value_method"}},
		{name: "per_unit", mod: func(a *Attributes) { a.LeadValueMethod = MethodPerUnit }},
		{name: "negative average", mod: func(a *Attributes) { a.AverageLeadValueCents = -1 }, wantFields: []string{"average_lead_value_cents"}},
		{name: "max average", mod: func(a *Attributes) { a.AverageLeadValueCents = MaxLeadValueCents }},
		{name: "average over max", mod: func(a *Attributes) { a.AverageLeadValueCents = MaxLeadValueCents + 1 }, wantFields: []string{"average_lead_value_cents"}},
		{name: "negative unit price", mod: func(a *Attributes) { a.UnitPriceCents = -1 }, wantFields: []string{"unit_price_cents"}},
		{name: "max unit price", mod: func(a *Attributes) { a.UnitPriceCents = MaxUnitPriceCents }},
		{name: "unit price over max", mod: func(a *Attributes) { a.UnitPriceCents = MaxUnitPriceCents + 1 }, wantFields: []string{"unit_price_cents"}},
		{name: "unknown redirection", mod: func(a *Attributes) { a.RedirectionType = "both" }, wantFields: []string{"redirection_type"}},
		{name: "non_overflow", mod: func(a *Attributes) { a.RedirectionType = RedirectNonOverflow }},
		{name: "long unit label", mod: func(a *Attributes) { a.UnitLabel = strings.Repeat("x", 51) }, wantFields: []string{"unit_label"}},
		{name: "test contacts", mod: func(a *Attributes) { a.TestContacts = []string{"+1 (555) 010-0000", "QA@Example.com"} }},
		{name: "bad test contact", mod: func(a *Attributes) { a.TestContacts = []string{"qa@example.com", "ab"} }, wantFields: []string{"test_contacts[1]"}},
		{name: "too many test contacts", mod: func(a *Attributes) { a.TestContacts = make([]string, 1001); fillPhones(a.TestContacts) }, wantFields: []string{"test_contacts"}},
		{name: "several errors", mod: func(a *Attributes) { a.ConversionRatio = 15000; a.Timezone = "Nowhere" }, wantFields: []string{"conversion_ratio_percent", "timezone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := DefaultAttributes()
			tt.mod(&a)
			checkFields(t, a.Validate(), tt.wantFields, tt.wantMsg)
		})
	}
}

func fillPhones(list []string) {
	for i := range list {
		list[i] = "555" + strings.Repeat("1", 1+i%5)
	}
}

// Prepare refuses what Validate refuses about the time zone, so Recompute
// never runs with a zone it cannot load.
func TestPrepareRejectsUnknownTimeZone(t *testing.T) {
	for _, zone := range []string{"Mars/Olympus_Mons", "", "Local"} {
		a := DefaultAttributes()
		a.Timezone = zone
		err := a.Prepare()
		if ErrorCode(err) != CodeInvalid {
			t.Errorf("Prepare with time zone %q: error %v, want a %s error", zone, err, CodeInvalid)
		}
		if loc := a.Location(); loc.String() != "UTC" {
			t.Errorf("Location with time zone %q = %s, want the UTC fallback", zone, loc)
		}
	}
}

func TestAttributesJSONPercentages(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantErr    bool
		wantConv   Centi
		wantFields []string
	}{
		{name: "90", body: `{"conversion_ratio_percent": 90}`, wantConv: 9000},
		{name: "33.33", body: `{"conversion_ratio_percent": 33.33}`, wantConv: 3333},
		{name: "string 12.5", body: `{"conversion_ratio_percent": "12.5"}`, wantConv: 1250},
		{name: "33.333 rejected at parse", body: `{"conversion_ratio_percent": 33.333}`, wantErr: true},
		{name: "text rejected at parse", body: `{"conversion_ratio_percent": "most"}`, wantErr: true},
		{name: "150 parses, Validate rejects", body: `{"conversion_ratio_percent": 150}`, wantConv: 15000, wantFields: []string{"conversion_ratio_percent"}},
		{name: "recognition 100.5 rejected by Validate", body: `{"recognition_percent": 100.5}`, wantConv: FullPercent, wantFields: []string{"recognition_percent"}},
		{name: "recognition 0.001 rejected at parse", body: `{"recognition_percent": 0.001}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := DefaultAttributes()
			err := json.Unmarshal([]byte(tt.body), &a)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Unmarshal(%s) accepted: %+v", tt.body, a)
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.body, err)
			}
			if a.ConversionRatio != tt.wantConv {
				t.Fatalf("conversion = %s, want %s", a.ConversionRatio, tt.wantConv)
			}
			checkFields(t, a.Validate(), tt.wantFields, "")
		})
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{in: "00:00", want: 0},
		{in: "09:00", want: 540},
		{in: "17:30", want: 1050},
		{in: "23:59", want: 1439},
		{in: "24:00", want: 1440},
		{in: " 09:00 ", want: 540},
		{in: "24:01", wantErr: true},
		{in: "24:59", wantErr: true},
		{in: "25:00", wantErr: true},
		{in: "9:00", wantErr: true},
		{in: "09:60", wantErr: true},
		{in: "0900", wantErr: true},
		{in: "09:00:00", wantErr: true},
		{in: "", wantErr: true},
		{in: "noon", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseClock(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("ParseClock(%q) = %d, %v; want %d (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
		if !tt.wantErr && FormatClock(got) != strings.TrimSpace(tt.in) {
			t.Errorf("FormatClock(%d) = %q, want %q", got, FormatClock(got), strings.TrimSpace(tt.in))
		}
	}
}

func TestWorkingHoursUnmarshalJSON(t *testing.T) {
	nineToFive := []Interval{{Start: 540, End: 1020}}
	only := func(day int, ivs []Interval) WorkingHours {
		var w WorkingHours
		w[day] = ivs
		return w
	}
	tests := []struct {
		name    string
		in      string
		want    WorkingHours
		wantErr string
	}{
		{name: "pairs", in: `{"mon":[["09:00","17:00"]]}`, want: only(0, nineToFive)},
		{name: "objects with full name", in: `{"monday":[{"start":"09:00","end":"17:00"}]}`, want: only(0, nineToFive)},
		{name: "text with capitalised key", in: `{"Mon":["09:00-17:00"]}`, want: only(0, nineToFive)},
		{name: "text with spaces", in: `{"mon":["09:00 - 17:00"]}`, want: only(0, nineToFive)},
		{name: "upper-case name", in: `{"SUNDAY":[["09:00","17:00"]]}`, want: only(6, nineToFive)},
		{name: "number 1 is Monday", in: `{"1":[["09:00","17:00"]]}`, want: only(0, nineToFive)},
		{name: "number 6 is Saturday", in: `{"6":[["09:00","17:00"]]}`, want: only(5, nineToFive)},
		{name: "number 0 is Sunday", in: `{"0":[["09:00","17:00"]]}`, want: only(6, nineToFive)},
		{name: "number 7 is Sunday", in: `{"7":[["09:00","17:00"]]}`, want: only(6, nineToFive)},
		{name: "24:00 end", in: `{"sat":[["22:00","24:00"]]}`, want: only(5, []Interval{{Start: 1320, End: 1440}})},
		{name: "two intervals keep their order", in: `{"fri":[["13:00","17:00"],["09:00","12:00"]]}`, want: only(4, []Interval{{780, 1020}, {540, 720}})},
		{name: "mixed forms", in: `{"tue":[["09:00","10:00"],{"start":"11:00","end":"12:00"},"13:00-14:00"]}`, want: only(1, []Interval{{540, 600}, {660, 720}, {780, 840}})},
		{name: "empty list", in: `{"mon":[]}`, want: WorkingHours{}},
		{name: "null list", in: `{"mon":null}`, want: WorkingHours{}},
		{name: "empty object closes every day", in: `{}`, want: WorkingHours{}},
		{name: "reversed parses, Validate rejects", in: `{"mon":[["17:00","09:00"]]}`, want: only(0, []Interval{{1020, 540}})},
		{name: "unknown weekday", in: `{"funday":[["09:00","17:00"]]}`, wantErr: "unknown weekday"},
		{name: "number 8", in: `{"8":[["09:00","17:00"]]}`, wantErr: "unknown weekday"},
		{name: "one time", in: `{"mon":[["09:00"]]}`, wantErr: "mon"},
		{name: "three times", in: `{"mon":[["09:00","10:00","11:00"]]}`, wantErr: "mon"},
		{name: "single-digit hour", in: `{"mon":[["9:00","17:00"]]}`, wantErr: "HH:MM"},
		{name: "after 24:00", in: `{"mon":[["09:00","24:30"]]}`, wantErr: "after 24:00"},
		{name: "bad minute", in: `{"mon":[["09:60","10:00"]]}`, wantErr: "HH:MM"},
		{name: "text without dash", in: `{"mon":["09:00"]}`, wantErr: "mon"},
		{name: "text with two dashes", in: `{"mon":["09:00-12:00-17:00"]}`, wantErr: "mon"},
		{name: "number interval", in: `{"mon":[42]}`, wantErr: "mon"},
		{name: "null interval", in: `{"mon":[null]}`, wantErr: "mon"},
		{name: "object missing end", in: `{"mon":[{"start":"09:00"}]}`, wantErr: "mon"},
		{name: "day not a list", in: `{"mon":"09:00-17:00"}`, wantErr: "object keyed by weekday"},
		{name: "array", in: `[["09:00","17:00"]]`, wantErr: "object keyed by weekday"},
		{name: "string", in: `"mon 9-5"`, wantErr: "object keyed by weekday"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := DefaultWorkingHours() // decoding replaces, never merges
			err := json.Unmarshal([]byte(tt.in), &w)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Unmarshal(%s) = %v, want an error containing %q", tt.in, w, tt.wantErr)
				}
				if !containsFold(err.Error(), tt.wantErr) {
					t.Fatalf("Unmarshal(%s) error = %q, want it to contain %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			if !sameHours(w, tt.want) {
				t.Fatalf("Unmarshal(%s) = %v, want %v", tt.in, w, tt.want)
			}
		})
	}
}

// sameHours compares working hours, treating a nil and an empty day alike.
func sameHours(a, b WorkingHours) bool {
	for d := range 7 {
		if len(a[d]) != len(b[d]) {
			return false
		}
		for i := range a[d] {
			if a[d][i] != b[d][i] {
				return false
			}
		}
	}
	return true
}

func TestWorkingHoursMarshalJSON(t *testing.T) {
	b, err := json.Marshal(DefaultWorkingHours())
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"fri":[["09:00","17:00"]],"mon":[["09:00","17:00"]],"sat":[],"sun":[],"thu":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]]}`
	if string(b) != want {
		t.Fatalf("Marshal(default) = %s, want %s", b, want)
	}

	var late WorkingHours
	late[0] = []Interval{{Start: 0, End: 60}, {Start: 22 * 60, End: 24 * 60}}
	late[5] = []Interval{{Start: 13*60 + 30, End: 14*60 + 5}}
	var whole WorkingHours
	for d := range 7 {
		whole[d] = []Interval{{Start: 0, End: 24 * 60}}
	}
	tests := []struct {
		name string
		in   WorkingHours
	}{
		{"default", DefaultWorkingHours()},
		{"closed", WorkingHours{}},
		{"late and split", late},
		{"always open", whole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var keys map[string]json.RawMessage
			if err := json.Unmarshal(b, &keys); err != nil || len(keys) != 7 {
				t.Fatalf("Marshal = %s: want all 7 weekdays (%v)", b, err)
			}
			var back WorkingHours
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("Unmarshal(Marshal) = %v for %s", err, b)
			}
			if !sameHours(back, tt.in) {
				t.Fatalf("round trip %s = %v, want %v", b, back, tt.in)
			}
		})
	}
}

// The whole attributes object survives GET then PUT (SPEC §5 PUT replaces it).
func TestAttributesJSONRoundTrip(t *testing.T) {
	a := DefaultAttributes()
	a.LeadValueMethod = MethodPerUnit
	a.UnitPriceCents = 6500
	a.ConversionRatio = 9050
	a.RecognitionPercent = 3333
	a.RedirectionType = RedirectNonOverflow
	a.Timezone = "America/New_York"
	a.WorkingHours[5] = []Interval{{Start: 22 * 60, End: 24 * 60}}
	a.TestContacts = []string{"+1 (555) 010-0000", "qa@example.com"}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"conversion_ratio_percent":90.5`, `"recognition_percent":33.33`, `"sat":[["22:00","24:00"]]`} {
		if !strings.Contains(string(b), want) {
			t.Fatalf("Marshal = %s, want it to contain %s", b, want)
		}
	}
	var back Attributes
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if fe := back.Validate(); len(fe) != 0 {
		t.Fatalf("round-tripped attributes invalid: %+v", fe)
	}
	back.ID = a.ID
	if !sameHours(back.WorkingHours, a.WorkingHours) {
		t.Fatalf("working hours %v, want %v", back.WorkingHours, a.WorkingHours)
	}
	back.WorkingHours = a.WorkingHours
	if !reflect.DeepEqual(back, a) {
		t.Fatalf("round trip = %+v, want %+v", back, a)
	}
}

// Prepare must be called again after a change; then Recompute sees the new
// time zone and test contacts.
func TestPrepareAfterChange(t *testing.T) {
	a := attrs(t, nil)
	s := leadSession(t)
	s.StartedAt = utcTS(t, "2026-05-06T07:30:00Z") // 07:30 UTC, 09:30 in Berlin
	s.Recompute(a)
	if s.InWorkingHours || s.IsTest {
		t.Fatalf("UTC: in_working_hours %v, is_test %v; want false, false", s.InWorkingHours, s.IsTest)
	}
	a.Timezone = "Europe/Berlin"
	a.TestContacts = []string{s.CallerPhone}
	if err := a.Prepare(); err != nil {
		t.Fatal(err)
	}
	s.Recompute(a)
	if !s.InWorkingHours || !s.IsTest {
		t.Fatalf("Berlin: in_working_hours %v, is_test %v; want true, true", s.InWorkingHours, s.IsTest)
	}
}
