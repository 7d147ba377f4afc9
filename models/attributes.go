package models

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Lead value methods of SPEC §2.
const (
	MethodAverage = "average"
	MethodPerUnit = "per_unit"
)

// Redirection types of SPEC §2.
const (
	RedirectOverflow    = "overflow"
	RedirectNonOverflow = "non_overflow"
)

// Upper bounds that keep every product of the formulas inside int64 (see
// ASRCents); far above any real business and documented in the README.
const (
	MaxLeadValueCents int64 = 1_000_000_000_000 // $10,000,000,000.00
	MaxUnitPriceCents int64 = 10_000_000_000    // $100,000,000.00
	MaxUnits          Centi = 1_000_000 * CentiOne
)

// Attributes are the settings of the AI Employee (SPEC §2); there is one row.
// Percentages are hundredths of a percent (10000 is 100%).
type Attributes struct {
	ID                    int64        `gorm:"primaryKey" json:"-"`
	Currency              string       `json:"currency"`
	LeadValueMethod       string       `json:"lead_value_method"`
	AverageLeadValueCents int64        `json:"average_lead_value_cents"`
	UnitLabel             string       `json:"unit_label"`
	UnitPriceCents        int64        `json:"unit_price_cents"`
	ConversionRatio       Centi        `gorm:"column:conversion_ratio_percent" json:"conversion_ratio_percent"`
	RedirectionType       string       `json:"redirection_type"`
	RecognitionPercent    Centi        `json:"recognition_percent"`
	Timezone              string       `json:"timezone"`
	WorkingHours          WorkingHours `gorm:"serializer:json" json:"working_hours"`
	TestContacts          []string     `gorm:"serializer:json" json:"test_contacts"`
	UpdatedAt             time.Time    `json:"updated_at,omitzero"`

	compiled *compiledAttributes
}

// DefaultAttributes are the SPEC §2 defaults: a fresh installation and every
// field left out of a PUT take these.
func DefaultAttributes() Attributes {
	return Attributes{
		ID:                 1,
		Currency:           "USD",
		LeadValueMethod:    MethodAverage,
		UnitLabel:          "guests",
		ConversionRatio:    FullPercent,
		RedirectionType:    RedirectOverflow,
		RecognitionPercent: FullPercent,
		Timezone:           "UTC",
		WorkingHours:       DefaultWorkingHours(),
		TestContacts:       []string{},
	}
}

// Interval is a [Start, End) span of minutes after local midnight; End may be
// 1440 ("24:00").
type Interval struct {
	Start int
	End   int
}

// WorkingHours holds the intervals of each weekday, Monday first.
type WorkingHours [7][]Interval

// DefaultWorkingHours is Monday to Friday, 09:00 to 17:00.
func DefaultWorkingHours() WorkingHours {
	var w WorkingHours
	for d := range 5 {
		w[d] = []Interval{{Start: 9 * 60, End: 17 * 60}}
	}
	return w
}

// String writes the intervals as "mon 09:00-17:00, ..." (empty days left
// out), for comparisons and messages.
func (w WorkingHours) String() string {
	var b strings.Builder
	for d, list := range w {
		for _, iv := range list {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %s-%s", WeekdayKeys[d], FormatClock(iv.Start), FormatClock(iv.End))
		}
	}
	return b.String()
}

// WeekdayKeys are the JSON keys of WorkingHours, Monday first.
var WeekdayKeys = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// WeekdayNames are the English names of the weekdays, Monday first.
var WeekdayNames = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// FormatClock writes minutes after midnight as "HH:MM" (1440 is "24:00").
func FormatClock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

var clockRE = regexp.MustCompile(`^([01]\d|2[0-4]):([0-5]\d)$`)

// ParseClock reads "HH:MM" (00:00 to 24:00) into minutes after midnight.
func ParseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	m := clockRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a time HH:MM", s)
	}
	v := int(m[1][0]-'0')*600 + int(m[1][1]-'0')*60 + int(m[2][0]-'0')*10 + int(m[2][1]-'0')
	if v > 24*60 {
		return 0, fmt.Errorf("%q is after 24:00", s)
	}
	return v, nil
}

// MarshalJSON writes {"mon":[["09:00","17:00"]],...} with every weekday present.
func (w WorkingHours) MarshalJSON() ([]byte, error) {
	out := make(map[string][][2]string, 7)
	for d, key := range WeekdayKeys {
		list := make([][2]string, 0, len(w[d]))
		for _, iv := range w[d] {
			list = append(list, [2]string{FormatClock(iv.Start), FormatClock(iv.End)})
		}
		out[key] = list
	}
	return json.Marshal(out)
}

// weekdayIndex maps the accepted spellings of a weekday ("mon", "Monday",
// "1" for Monday ... "0" or "7" for Sunday) to its Monday-first index.
func weekdayIndex(key string) (int, bool) {
	k := strings.ToLower(strings.TrimSpace(key))
	for d := range 7 {
		if k == WeekdayKeys[d] || k == strings.ToLower(WeekdayNames[d]) {
			return d, true
		}
	}
	switch k {
	case "0", "7":
		return 6, true
	case "1", "2", "3", "4", "5", "6":
		return int(k[0] - '1'), true
	}
	return 0, false
}

// UnmarshalJSON accepts an object keyed by weekday whose values are lists of
// intervals, each written as ["09:00","17:00"], {"start":"09:00","end":"17:00"}
// or "09:00-17:00"; a weekday left out has no working hours. Order and overlap
// are checked by Attributes.Validate, so a wrong interval gets a field message.
func (w *WorkingHours) UnmarshalJSON(b []byte) error {
	var raw map[string][]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("must be an object keyed by weekday (mon..sun) with lists of [start, end] intervals")
	}
	var out WorkingHours
	for key, list := range raw {
		d, ok := weekdayIndex(key)
		if !ok {
			return fmt.Errorf("unknown weekday %q (use mon, tue, wed, thu, fri, sat, sun)", key)
		}
		for _, item := range list {
			iv, err := parseInterval(item)
			if err != nil {
				return fmt.Errorf("%s: %v", WeekdayKeys[d], err)
			}
			out[d] = append(out[d], iv)
		}
	}
	*w = out
	return nil
}

func parseInterval(b json.RawMessage) (Interval, error) {
	var pair []string
	var obj struct {
		Start string `json:"start"`
		End   string `json:"end"`
	}
	var text string
	var start, end string
	switch {
	case json.Unmarshal(b, &pair) == nil:
		if len(pair) != 2 {
			return Interval{}, fmt.Errorf("an interval is [start, end], got %s", b)
		}
		start, end = pair[0], pair[1]
	case json.Unmarshal(b, &text) == nil:
		parts := strings.Split(text, "-")
		if len(parts) != 2 {
			return Interval{}, fmt.Errorf("an interval is \"HH:MM-HH:MM\", got %q", text)
		}
		start, end = parts[0], parts[1]
	case json.Unmarshal(b, &obj) == nil:
		start, end = obj.Start, obj.End
	default:
		return Interval{}, fmt.Errorf("an interval is [\"HH:MM\", \"HH:MM\"], got %s", b)
	}
	s, err := ParseClock(start)
	if err != nil {
		return Interval{}, err
	}
	e, err := ParseClock(end)
	if err != nil {
		return Interval{}, err
	}
	return Interval{Start: s, End: e}, nil
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// Validate checks every rule of SPEC §2 and §7 and returns one message per
// broken field; nil means the attributes may be saved.
func (a *Attributes) Validate() []FieldError {
	var fe fieldErrors
	if !currencyRE.MatchString(a.Currency) {
		fe.add("currency", "must be an ISO 4217 code of three capital letters, like USD")
	}
	if a.LeadValueMethod != MethodAverage && a.LeadValueMethod != MethodPerUnit {
		fe.add("lead_value_method", "must be %q or %q", MethodAverage, MethodPerUnit)
	}
	if a.AverageLeadValueCents < 0 || a.AverageLeadValueCents > MaxLeadValueCents {
		fe.add("average_lead_value_cents", "must be an amount of cents from 0 to %d", MaxLeadValueCents)
	}
	if a.UnitPriceCents < 0 || a.UnitPriceCents > MaxUnitPriceCents {
		fe.add("unit_price_cents", "must be an amount of cents from 0 to %d", MaxUnitPriceCents)
	}
	if len(a.UnitLabel) > 50 {
		fe.add("unit_label", "must be at most 50 characters")
	}
	if a.ConversionRatio < 0 || a.ConversionRatio > FullPercent {
		fe.add("conversion_ratio_percent", "must be a percentage from 0 to 100, got %s", a.ConversionRatio)
	}
	if a.RedirectionType != RedirectOverflow && a.RedirectionType != RedirectNonOverflow {
		fe.add("redirection_type", "must be %q or %q", RedirectOverflow, RedirectNonOverflow)
	}
	if a.RecognitionPercent < 0 || a.RecognitionPercent > FullPercent {
		fe.add("recognition_percent", "must be a percentage from 0 to 100, got %s", a.RecognitionPercent)
	}
	if _, err := loadLocation(a.Timezone); err != nil {
		fe.add("timezone", "must be an IANA time zone name like Europe/Berlin, got %q", a.Timezone)
	}
	for d, list := range a.WorkingHours {
		for i, iv := range list {
			field := fmt.Sprintf("working_hours.%s", WeekdayKeys[d])
			if iv.Start < 0 || iv.End > 24*60 || iv.Start >= iv.End {
				fe.add(field, "interval %s-%s must start before it ends (end at most 24:00)", FormatClock(iv.Start), FormatClock(iv.End))
				continue
			}
			for j := range i {
				o := list[j]
				if iv.Start < o.End && o.Start < iv.End {
					fe.add(field, "intervals %s-%s and %s-%s overlap", FormatClock(o.Start), FormatClock(o.End), FormatClock(iv.Start), FormatClock(iv.End))
				}
			}
		}
	}
	if len(a.TestContacts) > 1000 {
		fe.add("test_contacts", "must hold at most 1000 entries")
	}
	for i, c := range a.TestContacts {
		if PhoneKey(c) == "" && EmailKey(c) == "" {
			fe.add(fmt.Sprintf("test_contacts[%d]", i), "%q is neither a phone number nor an email address", c)
		}
	}
	return fe
}

func loadLocation(name string) (*time.Location, error) {
	if name == "" {
		return nil, fmt.Errorf("empty time zone")
	}
	// "Local" would depend on the server; only real zone names are accepted.
	if name == "Local" {
		return nil, fmt.Errorf("Local is not an IANA name")
	}
	return time.LoadLocation(name)
}

// compiledAttributes caches what the formulas need per session: the loaded
// time zone and the normalised test contacts.
type compiledAttributes struct {
	timezone string   // what loc was loaded from
	contacts []string // what phones and emails were built from
	loc      *time.Location
	phones   map[string]bool
	emails   map[string]bool
}

// Prepare loads the time zone and indexes the test contacts so that Recompute
// does no per-session lookups; call it once after loading or validating.
func (a *Attributes) Prepare() error {
	loc, err := loadLocation(a.Timezone)
	if err != nil {
		return Invalid("invalid attributes", FieldError{Field: "timezone", Message: err.Error()})
	}
	c := &compiledAttributes{timezone: a.Timezone, contacts: slices.Clone(a.TestContacts), loc: loc, phones: map[string]bool{}, emails: map[string]bool{}}
	for _, tc := range a.TestContacts {
		if k := EmailKey(tc); k != "" {
			c.emails[k] = true
		} else if k := PhoneKey(tc); k != "" {
			c.phones[k] = true
		}
	}
	a.compiled = c
	return nil
}

// mustCompiled returns the prepared form, preparing it again when the time
// zone or the test contacts changed since (a copy that was edited).
func (a *Attributes) mustCompiled() *compiledAttributes {
	if c := a.compiled; c == nil || c.timezone != a.Timezone || !slices.Equal(c.contacts, a.TestContacts) {
		if err := a.Prepare(); err != nil {
			panic(fmt.Sprintf("attributes used without valid time zone: %v", err))
		}
	}
	return a.compiled
}

// Location is the attributes' time zone (UTC when it cannot be loaded).
func (a *Attributes) Location() *time.Location {
	if c := a.compiled; c != nil && c.timezone == a.Timezone {
		return c.loc
	}
	if a.Prepare() != nil {
		return time.UTC
	}
	return a.compiled.loc
}

// TestPhoneKeys and TestEmailKeys list the normalised test contacts, for the
// set-based recompute in SQL.
func (a *Attributes) TestPhoneKeys() []string { return keys(a.mustCompiled().phones) }

// TestEmailKeys lists the normalised test email addresses.
func (a *Attributes) TestEmailKeys() []string { return keys(a.mustCompiled().emails) }

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// PhoneKey normalises a phone number for matching test contacts: its digits
// only, so "+1 (555) 010-0000" matches "15550100000"; "" when it holds fewer
// than 3 digits or is an email address.
func PhoneKey(s string) string {
	if strings.Contains(s, "@") {
		return ""
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return b.String()
}

// EmailKey normalises an email address for matching: trimmed and lower-case;
// "" when it does not look like an email.
func EmailKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if !LooksLikeEmail(s) {
		return ""
	}
	return s
}

var emailRE = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)

// LooksLikeEmail is the "must look like an email" rule of SPEC §1.
func LooksLikeEmail(s string) bool { return len(s) <= 254 && emailRE.MatchString(s) }
