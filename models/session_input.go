package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on free text, so one record cannot exhaust memory; the transcript
// limit is SPEC §1's.
const (
	MaxExternalIDLen = 200
	MaxTranscript    = 1 << 20
	MaxSummary       = 100_000
	MaxContactField  = 320
	MaxComment       = 2000
)

// Value is one field of an incoming record: raw JSON from the API or a JSON
// Lines file, or a cell of a CSV file.
type Value struct {
	JSON   json.RawMessage
	Text   string
	IsText bool
}

// Record is one incoming session keyed by field name.
type Record map[string]Value

// RecordFromJSON splits a JSON object into its fields.
func RecordFromJSON(b []byte) (Record, error) {
	var m map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&m); err != nil || m == nil {
		return nil, fmt.Errorf("must be a JSON object")
	}
	r := make(Record, len(m))
	for k, v := range m {
		r[k] = Value{JSON: v}
	}
	return r, nil
}

// RecordFromCSV pairs a CSV row with its header.
func RecordFromCSV(header, row []string) Record {
	r := make(Record, len(header))
	for i, h := range header {
		if i < len(row) {
			r[h] = Value{Text: row[i], IsText: true}
		}
	}
	return r
}

func (v Value) isNull() bool {
	if v.IsText {
		return strings.TrimSpace(v.Text) == ""
	}
	return len(v.JSON) == 0 || string(v.JSON) == "null"
}

func (v Value) str() (string, error) {
	if v.IsText {
		return v.Text, nil
	}
	var s string
	if err := json.Unmarshal(v.JSON, &s); err != nil {
		return "", fmt.Errorf("must be a string")
	}
	return s, nil
}

func (v Value) boolean() (bool, error) {
	if v.IsText {
		switch strings.ToLower(strings.TrimSpace(v.Text)) {
		case "true", "1", "yes", "y", "t":
			return true, nil
		case "false", "0", "no", "n", "f":
			return false, nil
		}
		return false, fmt.Errorf("must be true or false, got %q", v.Text)
	}
	switch string(v.JSON) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("must be true or false, got %s", v.JSON)
}

func (v Value) centi() (Centi, error) {
	s := v.Text
	if !v.IsText {
		s = string(v.JSON)
		if unq, err := strconv.Unquote(s); err == nil {
			s = unq
		}
	}
	return ParseCenti(s)
}

// SessionInput is a validated auto part, plus the human part when the record
// carries one (imports restoring an export).
type SessionInput struct {
	ExternalID   string
	StartedAt    time.Time
	EndedAt      *time.Time
	Channel      string
	CallerName   string
	CallerPhone  string
	CallerEmail  string
	Summary      string
	Transcript   string
	IsLead       bool
	Refused      bool
	Unavailable  bool
	Units        *Centi
	AgentSuccess string
	IsTest       bool
	Human        HumanPatch
}

// DecodeOptions choose how strict DecodeSession is.
type DecodeOptions struct {
	// AllowHuman accepts human_is_test, human_is_lead, human_is_opportunity,
	// human_agent_success, stars and comment (imports); the API's ingest
	// rejects them because the platform never sets the human part.
	AllowHuman bool
	// IgnoreDerived skips the derived and bookkeeping columns an export writes,
	// so an export can be imported again.
	IgnoreDerived bool
}

var autoFields = []string{"external_id", "started_at", "ended_at", "channel", "caller_name", "caller_phone",
	"caller_email", "summary", "transcript", "is_lead", "refused", "unavailable", "units", "agent_success", "is_test"}

// autoAliases are the export's names for the auto flags that share a name
// with a derived field; when present they win over the plain name.
var autoAliases = map[string]string{"is_lead": "auto_is_lead", "agent_success": "auto_agent_success", "is_test": "auto_is_test"}

var humanFields = map[string]string{"human_is_test": "is_test", "human_is_lead": "is_lead",
	"human_is_opportunity": "is_opportunity", "human_agent_success": "agent_success", "stars": "stars", "comment": "comment"}

// DerivedFields are the names of the derived and bookkeeping columns of
// answers and exports, in output order.
var DerivedFields = []string{"id", "is_opportunity", "success_factor", "lead_value_cents", "in_working_hours",
	"recognition_percent", "additional_deals", "asr_cents", "quality", "created_at", "updated_at"}

// DecodeSession validates one record against SPEC §1 and §7 and returns every
// broken rule, each naming its field.
func DecodeSession(r Record, opt DecodeOptions) (SessionInput, []FieldError) {
	var in SessionInput
	var fe fieldErrors
	known := map[string]bool{}
	for _, f := range autoFields {
		known[f] = true
	}
	get := func(name string) (Value, bool) {
		if alias, ok := autoAliases[name]; ok {
			if v, ok := r[alias]; ok {
				return v, true
			}
		}
		v, ok := r[name]
		return v, ok
	}
	for k := range r {
		switch {
		case known[k]:
		case opt.AllowHuman && humanFields[k] != "":
		case opt.IgnoreDerived && (isDerived(k) || autoAliases[strings.TrimPrefix(k, "auto_")] == k):
		case humanFields[k] != "":
			fe.add(k, "is set by reviewers through PATCH /api/v1/sessions/{external_id}/review, not by ingest")
		default:
			fe.add(k, "is not a session field")
		}
	}

	str := func(name string, max int) string {
		v, ok := get(name)
		if !ok || v.isNull() {
			return ""
		}
		s, err := v.str()
		if err != nil {
			fe.add(name, "%v", err)
			return ""
		}
		if !utf8.ValidString(s) {
			fe.add(name, "must be valid UTF-8 text")
		} else if len(s) > max {
			fe.add(name, "must be at most %d bytes, got %d", max, len(s))
		}
		return s
	}
	boolean := func(name string) bool {
		v, ok := get(name)
		if !ok || v.isNull() {
			return false
		}
		b, err := v.boolean()
		if err != nil {
			fe.add(name, "%v", err)
		}
		return b
	}
	when := func(name string) *time.Time {
		s := strings.TrimSpace(str(name, 100))
		if s == "" {
			return nil
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			fe.add(name, "must be an RFC 3339 time like 2026-05-01T18:30:00Z, got %q", s)
			return nil
		}
		if t.Year() < 1971 || t.Year() > 9999 {
			fe.add(name, "must be between 1971 and 9999, got %q", s)
			return nil
		}
		t = t.Truncate(time.Microsecond).UTC()
		return &t
	}

	if v, ok := get("external_id"); !ok || v.isNull() {
		fe.add("external_id", "is required")
	} else if id, err := v.str(); err != nil {
		fe.add("external_id", "%v", err)
	} else if strings.TrimSpace(id) == "" {
		fe.add("external_id", "must not be blank")
	} else if !utf8.ValidString(id) {
		fe.add("external_id", "must be valid UTF-8 text")
	} else if n := utf8.RuneCountInString(id); n > MaxExternalIDLen {
		fe.add("external_id", "must be at most %d characters, got %d", MaxExternalIDLen, n)
	} else {
		in.ExternalID = id
	}
	if t := when("started_at"); t != nil {
		in.StartedAt = *t
	} else if v, ok := get("started_at"); !ok || v.isNull() {
		fe.add("started_at", "is required")
	}
	in.EndedAt = when("ended_at")
	if in.EndedAt != nil && !in.StartedAt.IsZero() && in.EndedAt.Before(in.StartedAt) {
		fe.add("ended_at", "must not be before started_at")
	}
	in.Channel = strings.ToLower(strings.TrimSpace(str("channel", 50)))
	if in.Channel == "" {
		in.Channel = Channels[0]
	} else if !contains(Channels, in.Channel) {
		fe.add("channel", "must be one of %s, got %q", strings.Join(Channels, ", "), in.Channel)
	}
	in.CallerName = strings.TrimSpace(str("caller_name", MaxContactField))
	in.CallerPhone = strings.TrimSpace(str("caller_phone", MaxContactField))
	in.CallerEmail = strings.TrimSpace(str("caller_email", MaxContactField))
	if in.CallerEmail != "" && !LooksLikeEmail(in.CallerEmail) {
		fe.add("caller_email", "must look like an email address (name@example.com), got %q", in.CallerEmail)
	}
	// Line ends are stored as "\n": CSV readers turn "\r\n" into "\n" even
	// inside quotes, so this keeps every text identical through an export
	// and an import.
	in.Summary = normaliseNewlines(str("summary", MaxSummary))
	in.Transcript = normaliseNewlines(str("transcript", MaxTranscript))
	in.IsLead = boolean("is_lead")
	in.Refused = boolean("refused")
	in.Unavailable = boolean("unavailable")
	in.IsTest = boolean("is_test")
	if v, ok := get("units"); ok && !v.isNull() {
		u, err := v.centi()
		switch {
		case err != nil:
			fe.add("units", "%v", err)
		case u < 0:
			fe.add("units", "must be 0 or more, got %s", u)
		case u > MaxUnits:
			fe.add("units", "must be at most %s, got %s", MaxUnits, u)
		default:
			in.Units = &u
		}
	}
	if v, ok := get("agent_success"); ok && !v.isNull() {
		if s, err := v.str(); err != nil {
			fe.add("agent_success", "must be one of Yes-A, Yes-B, No")
		} else if strings.TrimSpace(s) == "" {
			// "" means no assessment, like null
		} else if code, ok := NormaliseAgentSuccess(s); !ok {
			fe.add("agent_success", "must be one of Yes-A, Yes-B, No, got %q", s)
		} else {
			in.AgentSuccess = code
		}
	}
	if opt.AllowHuman {
		hr := Record{}
		for k, v := range r {
			if short := humanFields[k]; short != "" {
				hr[short] = v
			}
		}
		h, herrs := decodeHuman(hr, "human_")
		in.Human = h
		fe = append(fe, herrs...)
	}
	sort.SliceStable(fe, func(i, j int) bool { return fieldOrder(fe[i].Field) < fieldOrder(fe[j].Field) })
	return in, fe
}

func fieldOrder(f string) int {
	for i, n := range autoFields {
		if n == f {
			return i
		}
	}
	return len(autoFields)
}

func isDerived(k string) bool { return contains(DerivedFields, k) || autoAliases[k] != "" }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// NormaliseAgentSuccess maps "yes-a", "YES-B", "no" to the canonical codes.
func NormaliseAgentSuccess(s string) (string, bool) {
	for _, c := range AgentSuccessCodes {
		if strings.EqualFold(strings.TrimSpace(s), c) {
			return c, true
		}
	}
	return "", false
}

// ApplyAuto replaces the auto part of s with in and leaves the human part
// alone, as re-ingesting must (SPEC §1).
func (in *SessionInput) ApplyAuto(s *Session) {
	s.ExternalID = in.ExternalID
	s.StartedAt = TS(in.StartedAt)
	s.EndedAt = nil
	if in.EndedAt != nil {
		e := TS(*in.EndedAt)
		s.EndedAt = &e
	}
	s.Channel = in.Channel
	s.CallerName, s.CallerPhone, s.CallerEmail = in.CallerName, in.CallerPhone, in.CallerEmail
	s.Summary, s.Transcript = in.Summary, in.Transcript
	s.AutoIsLead, s.Refused, s.Unavailable, s.AutoIsTest = in.IsLead, in.Refused, in.Unavailable, in.IsTest
	s.Units = in.Units
	s.AutoAgentSuccess = in.AgentSuccess
}

func normaliseNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
