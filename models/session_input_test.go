package models

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// valid is the smallest session the API accepts, to be extended per case.
const valid = `"external_id":"call-1","started_at":"2026-05-01T18:30:00Z"`

func TestDecodeSession(t *testing.T) {
	started := time.Date(2026, 5, 1, 18, 30, 0, 0, time.UTC)
	tests := []struct {
		name       string
		body       string
		opt        DecodeOptions
		wantFields []string
		wantMsg    string
		check      func(t *testing.T, in SessionInput)
	}{
		{name: "minimal", body: `{` + valid + `}`, check: func(t *testing.T, in SessionInput) {
			if in.ExternalID != "call-1" || !in.StartedAt.Equal(started) || in.EndedAt != nil || in.Channel != "phone" ||
				in.IsLead || in.Refused || in.Unavailable || in.IsTest || in.Units != nil || in.AgentSuccess != "" || !in.Human.Empty() {
				t.Fatalf("minimal session decoded as %+v", in)
			}
		}},
		{name: "full", body: `{` + valid + `,"ended_at":"2026-05-01T18:40:00.123456789Z","channel":"WhatsApp","caller_name":" Ann ",
			"caller_phone":" +1 555 ","caller_email":" Ann@Example.com ","summary":"table for 4","transcript":"hi",
			"is_lead":true,"refused":false,"unavailable":true,"units":2.5,"agent_success":"yes-b","is_test":true}`,
			check: func(t *testing.T, in SessionInput) {
				wantEnd := time.Date(2026, 5, 1, 18, 40, 0, 123456000, time.UTC)
				if in.EndedAt == nil || !in.EndedAt.Equal(wantEnd) {
					t.Fatalf("ended_at = %v, want %v (truncated to microseconds)", in.EndedAt, wantEnd)
				}
				if in.Channel != "whatsapp" || in.CallerName != "Ann" || in.CallerPhone != "+1 555" || in.CallerEmail != "Ann@Example.com" ||
					in.Summary != "table for 4" || in.Transcript != "hi" || !in.IsLead || in.Refused || !in.Unavailable || !in.IsTest ||
					in.Units == nil || *in.Units != 250 || in.AgentSuccess != SuccessYesB {
					t.Fatalf("full session decoded as %+v", in)
				}
			}},
		{name: "offset converted to UTC", body: `{"external_id":"x","started_at":"2026-05-01T20:30:00+02:00"}`, check: func(t *testing.T, in SessionInput) {
			if !in.StartedAt.Equal(started) || in.StartedAt.Location() != time.UTC {
				t.Fatalf("started_at = %v, want %v in UTC", in.StartedAt, started)
			}
		}},

		// external_id
		{name: "missing external_id", body: `{"started_at":"2026-05-01T18:30:00Z"}`, wantFields: []string{"external_id"}, wantMsg: "required"},
		{name: "null external_id", body: `{"external_id":null,"started_at":"2026-05-01T18:30:00Z"}`, wantFields: []string{"external_id"}, wantMsg: "required"},
		{name: "blank external_id", body: `{"external_id":"  ","started_at":"2026-05-01T18:30:00Z"}`, wantFields: []string{"external_id"}, wantMsg: "blank"},
		{name: "external_id of 200 chars", body: `{"external_id":"` + strings.Repeat("x", 200) + `","started_at":"2026-05-01T18:30:00Z"}`},

		// started_at, ended_at
		{name: "missing started_at", body: `{"external_id":"x"}`, wantFields: []string{"started_at"}, wantMsg: "required"},
		{name: "null started_at", body: `{"external_id":"x","started_at":null}`, wantFields: []string{"started_at"}, wantMsg: "required"},
		{name: "both required fields missing, in field order", body: `{"channel":"chat"}`, wantFields: []string{"external_id", "started_at"}},
		{name: "started_at not RFC 3339", body: `{"external_id":"x","started_at":"2026-05-01 18:30"}`, wantFields: []string{"started_at"}, wantMsg: "RFC 3339"},
		{name: "started_at without zone", body: `{"external_id":"x","started_at":"2026-05-01T18:30:00"}`, wantFields: []string{"started_at"}, wantMsg: "RFC 3339"},
		{name: "started_at as a number", body: `{"external_id":"x","started_at":1777660200}`, wantFields: []string{"started_at"}, wantMsg: "string"},
		{name: "started_at in 1900", body: `{"external_id":"x","started_at":"1900-01-01T00:00:00Z"}`, wantFields: []string{"started_at"}, wantMsg: "between 1971"},
		{name: "ended_at before started_at", body: `{` + valid + `,"ended_at":"2026-05-01T18:29:59Z"}`, wantFields: []string{"ended_at"}, wantMsg: "before started_at"},
		{name: "ended_at before started_at across zones", body: `{` + valid + `,"ended_at":"2026-05-01T20:29:00+02:00"}`, wantFields: []string{"ended_at"}, wantMsg: "before started_at"},
		{name: "ended_at equal to started_at", body: `{` + valid + `,"ended_at":"2026-05-01T18:30:00Z"}`},
		{name: "ended_at later in another zone", body: `{` + valid + `,"ended_at":"2026-05-01T14:45:00-04:00"}`},
		{name: "bad ended_at", body: `{` + valid + `,"ended_at":"soon"}`, wantFields: []string{"ended_at"}, wantMsg: "RFC 3339"},
		{name: "null ended_at", body: `{` + valid + `,"ended_at":null}`},

		// channel
		{name: "bad channel", body: `{` + valid + `,"channel":"fax"}`, wantFields: []string{"channel"}, wantMsg: "must be one of phone, chat, sms, whatsapp, email, other"},
		{name: "empty channel defaults to phone", body: `{` + valid + `,"channel":""}`, check: func(t *testing.T, in SessionInput) {
			if in.Channel != "phone" {
				t.Fatalf("channel = %q, want phone", in.Channel)
			}
		}},
		{name: "null channel defaults to phone", body: `{` + valid + `,"channel":null}`},
		{name: "channel email", body: `{` + valid + `,"channel":"email"}`},

		// contact
		{name: "bad email", body: `{` + valid + `,"caller_email":"ann@"}`, wantFields: []string{"caller_email"}, wantMsg: "email"},
		{name: "email without dot", body: `{` + valid + `,"caller_email":"ann@localhost"}`, wantFields: []string{"caller_email"}},
		{name: "email with space", body: `{` + valid + `,"caller_email":"ann smith@example.com"}`, wantFields: []string{"caller_email"}},
		{name: "empty email is no email", body: `{` + valid + `,"caller_email":""}`},
		{name: "too long phone", body: `{` + valid + `,"caller_phone":"` + strings.Repeat("1", MaxContactField+1) + `"}`, wantFields: []string{"caller_phone"}},
		{name: "transcript of 1 MiB", body: `{` + valid + `,"transcript":"` + strings.Repeat("a", MaxTranscript) + `"}`},
		{name: "transcript over 1 MiB", body: `{` + valid + `,"transcript":"` + strings.Repeat("a", MaxTranscript+1) + `"}`, wantFields: []string{"transcript"}, wantMsg: "at most"},

		// flags
		{name: "is_lead as a string", body: `{` + valid + `,"is_lead":"true"}`, wantFields: []string{"is_lead"}, wantMsg: "true or false"},
		{name: "refused as a number", body: `{` + valid + `,"refused":1}`, wantFields: []string{"refused"}},
		{name: "null flags are false", body: `{` + valid + `,"is_lead":null,"is_test":null}`, check: func(t *testing.T, in SessionInput) {
			if in.IsLead || in.IsTest {
				t.Fatalf("null flags decoded as is_lead %v, is_test %v", in.IsLead, in.IsTest)
			}
		}},

		// units
		{name: "units with 3 decimals", body: `{` + valid + `,"units":2.555}`, wantFields: []string{"units"}, wantMsg: "at most 2 decimals"},
		{name: "units as a string with 3 decimals", body: `{` + valid + `,"units":"2.555"}`, wantFields: []string{"units"}, wantMsg: "at most 2 decimals"},
		{name: "negative units", body: `{` + valid + `,"units":-1}`, wantFields: []string{"units"}, wantMsg: "0 or more"},
		{name: "units over the maximum", body: `{` + valid + `,"units":1000000.01}`, wantFields: []string{"units"}, wantMsg: "at most"},
		{name: "units at the maximum", body: `{` + valid + `,"units":1000000}`},
		{name: "units text", body: `{` + valid + `,"units":"four"}`, wantFields: []string{"units"}},
		{name: "units as a string", body: `{` + valid + `,"units":"2.50"}`, check: checkUnits(250)},
		{name: "units 0", body: `{` + valid + `,"units":0}`, check: checkUnits(0)},
		{name: "units 1e1", body: `{` + valid + `,"units":1e1}`, check: checkUnits(1000)},
		{name: "null units", body: `{` + valid + `,"units":null}`, check: func(t *testing.T, in SessionInput) {
			if in.Units != nil {
				t.Fatalf("units = %v, want nil", *in.Units)
			}
		}},

		// agent_success
		{name: "unknown agent_success", body: `{` + valid + `,"agent_success":"Yes-C"}`, wantFields: []string{"agent_success"}, wantMsg: "Yes-A, Yes-B, No"},
		{name: "agent_success yes", body: `{` + valid + `,"agent_success":"yes"}`, wantFields: []string{"agent_success"}},
		{name: "agent_success number", body: `{` + valid + `,"agent_success":1}`, wantFields: []string{"agent_success"}},
		{name: "agent_success true", body: `{` + valid + `,"agent_success":true}`, wantFields: []string{"agent_success"}},
		{name: "agent_success lower case", body: `{` + valid + `,"agent_success":"no"}`, check: func(t *testing.T, in SessionInput) {
			if in.AgentSuccess != SuccessNo {
				t.Fatalf("agent_success = %q, want No", in.AgentSuccess)
			}
		}},
		{name: "null agent_success is unset", body: `{` + valid + `,"agent_success":null}`},

		// unknown and human fields
		{name: "unknown field", body: `{` + valid + `,"colour":"red"}`, wantFields: []string{"colour"}, wantMsg: "not a session field"},
		{name: "derived field without IgnoreDerived", body: `{` + valid + `,"asr_cents":100}`, wantFields: []string{"asr_cents"}, wantMsg: "not a session field"},
		{name: "human field stars rejected", body: `{` + valid + `,"stars":4}`, wantFields: []string{"stars"}, wantMsg: "reviewers"},
		{name: "human_is_test rejected", body: `{` + valid + `,"human_is_test":true}`, wantFields: []string{"human_is_test"}, wantMsg: "reviewers"},
		{name: "comment rejected", body: `{` + valid + `,"comment":"x"}`, wantFields: []string{"comment"}},
		{name: "human field rejected with IgnoreDerived only", body: `{` + valid + `,"human_is_lead":false}`, opt: DecodeOptions{IgnoreDerived: true}, wantFields: []string{"human_is_lead"}},
		{name: "human fields allowed", opt: DecodeOptions{AllowHuman: true},
			body: `{` + valid + `,"human_is_test":true,"human_is_lead":null,"human_is_opportunity":false,"human_agent_success":"yes-a","stars":4,"comment":"nice"}`,
			check: func(t *testing.T, in SessionInput) {
				h := in.Human
				if !h.IsTest.Set || h.IsTest.Value == nil || !*h.IsTest.Value {
					t.Fatalf("human is_test = %+v, want true", h.IsTest)
				}
				if !h.IsLead.Set || h.IsLead.Value != nil {
					t.Fatalf("human is_lead = %+v, want set to null", h.IsLead)
				}
				if !h.IsOpportunity.Set || h.IsOpportunity.Value == nil || *h.IsOpportunity.Value {
					t.Fatalf("human is_opportunity = %+v, want false", h.IsOpportunity)
				}
				if !h.AgentSuccess.Set || h.AgentSuccess.Value == nil || *h.AgentSuccess.Value != SuccessYesA {
					t.Fatalf("human agent_success = %+v, want Yes-A", h.AgentSuccess)
				}
				if !h.Stars.Set || h.Stars.Value == nil || *h.Stars.Value != 4 {
					t.Fatalf("stars = %+v, want 4", h.Stars)
				}
				if !h.Comment.Set || h.Comment.Value == nil || *h.Comment.Value != "nice" {
					t.Fatalf("comment = %+v, want nice", h.Comment)
				}
				if in.IsTest {
					t.Fatalf("auto is_test took the human value")
				}
			}},
		{name: "absent human fields are not set", opt: DecodeOptions{AllowHuman: true}, body: `{` + valid + `}`, check: func(t *testing.T, in SessionInput) {
			if !in.Human.Empty() {
				t.Fatalf("human part = %+v, want empty", in.Human)
			}
		}},
		{name: "allowed human stars out of range", opt: DecodeOptions{AllowHuman: true}, body: `{` + valid + `,"stars":6}`, wantFields: []string{"stars"}},
		{name: "allowed human agent_success unknown", opt: DecodeOptions{AllowHuman: true}, body: `{` + valid + `,"human_agent_success":"maybe"}`, wantFields: []string{"human_agent_success"}},
		{name: "allowed human is_test not a bool", opt: DecodeOptions{AllowHuman: true}, body: `{` + valid + `,"human_is_test":"sure"}`, wantFields: []string{"human_is_test"}},
		{name: "plain human names are not review names", opt: DecodeOptions{AllowHuman: true}, body: `{` + valid + `,"is_opportunity":true}`, wantFields: []string{"is_opportunity"}},

		// export columns
		{name: "derived fields ignored", opt: DecodeOptions{IgnoreDerived: true},
			body: `{` + valid + `,"id":7,"is_opportunity":true,"success_factor":1,"lead_value_cents":100,"in_working_hours":false,
				"recognition_percent":100,"additional_deals":0.9,"asr_cents":90,"quality":0.8,"created_at":"x","updated_at":"y"}`},
		{name: "export auto columns win over plain names", opt: DecodeOptions{IgnoreDerived: true, AllowHuman: true},
			body: `{` + valid + `,"is_lead":true,"auto_is_lead":false,"agent_success":"Yes-A","auto_agent_success":"No",
				"is_test":true,"auto_is_test":false,"human_is_lead":true,"human_is_test":true,"human_agent_success":"Yes-A"}`,
			check: func(t *testing.T, in SessionInput) {
				if in.IsLead || in.IsTest || in.AgentSuccess != SuccessNo {
					t.Fatalf("auto part is_lead %v, is_test %v, agent_success %q; want the auto_ columns false, false, No", in.IsLead, in.IsTest, in.AgentSuccess)
				}
				if in.Human.IsLead.Value == nil || !*in.Human.IsLead.Value {
					t.Fatalf("human is_lead = %+v, want true", in.Human.IsLead)
				}
			}},
		{name: "empty export auto column still wins", opt: DecodeOptions{IgnoreDerived: true},
			body: `{` + valid + `,"agent_success":"Yes-A","auto_agent_success":null,"is_lead":true,"auto_is_lead":null}`,
			check: func(t *testing.T, in SessionInput) {
				if in.AgentSuccess != "" || in.IsLead {
					t.Fatalf("agent_success %q, is_lead %v; want the empty auto columns to win", in.AgentSuccess, in.IsLead)
				}
			}},
		{name: "invalid export auto column is reported", opt: DecodeOptions{IgnoreDerived: true},
			body: `{` + valid + `,"agent_success":"Yes-A","auto_agent_success":"Maybe"}`, wantFields: []string{"agent_success"}},
		{name: "auto_ column without IgnoreDerived", body: `{` + valid + `,"auto_is_lead":true}`, wantFields: []string{"auto_is_lead"}},
		{name: "unknown auto_ column with IgnoreDerived", opt: DecodeOptions{IgnoreDerived: true}, body: `{` + valid + `,"auto_refused":true}`, wantFields: []string{"auto_refused"}},

		// several errors come in field order, unknown fields last
		{name: "errors in field order", body: `{"zzz":1,"units":-1,"channel":"fax","started_at":"x"}`,
			wantFields: []string{"external_id", "started_at", "channel", "units", "zzz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, fe := DecodeSession(record(t, tt.body), tt.opt)
			checkFields(t, fe, tt.wantFields, tt.wantMsg)
			if tt.check != nil {
				tt.check(t, in)
			}
		})
	}
}

func checkUnits(want Centi) func(t *testing.T, in SessionInput) {
	return func(t *testing.T, in SessionInput) {
		t.Helper()
		if in.Units == nil || *in.Units != want {
			t.Fatalf("units = %v, want %s", in.Units, want)
		}
	}
}

// SPEC §1: external_id is at most 200 characters, not bytes, and a too long
// id gets one clear message.
func TestDecodeSessionExternalIDCountsCharacters(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		wantErr bool
	}{
		{"200 ASCII characters", strings.Repeat("x", 200), false},
		{"201 ASCII characters", strings.Repeat("x", 201), true},
		{"200 two-byte characters", strings.Repeat("é", 200), false},
		{"200 four-byte characters", strings.Repeat("😀", 200), false},
		{"201 two-byte characters", strings.Repeat("é", 201), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fe := DecodeSession(record(t, `{"external_id":`+strconv.Quote(tt.id)+`,"started_at":"2026-05-01T18:30:00Z"}`), DecodeOptions{})
			if tt.wantErr {
				checkFields(t, fe, []string{"external_id"}, "at most 200")
				return
			}
			checkFields(t, fe, nil, "")
		})
	}
}

// A wrongly typed external_id gets one message naming the rule it broke,
// not a second "must not be blank" about a value that was not blank.
func TestDecodeSessionNonStringExternalID(t *testing.T) {
	for _, v := range []string{`42`, `true`, `["a"]`, `{"id":"a"}`} {
		t.Run(v, func(t *testing.T) {
			_, fe := DecodeSession(record(t, `{"external_id":`+v+`,"started_at":"2026-05-01T18:30:00Z"}`), DecodeOptions{})
			checkFields(t, fe, []string{"external_id"}, "must be a string")
		})
	}
}

func TestDecodeSessionFromCSV(t *testing.T) {
	header := []string{"external_id", "started_at", "is_lead", "units", "agent_success", "caller_name", "channel"}
	tests := []struct {
		name       string
		row        []string
		wantFields []string
		check      func(t *testing.T, in SessionInput)
	}{
		{name: "typical row", row: []string{"c1", "2026-05-01T18:30:00Z", "yes", "2.5", "Yes-A", "Ann", "chat"}, check: func(t *testing.T, in SessionInput) {
			if !in.IsLead || in.Units == nil || *in.Units != 250 || in.AgentSuccess != SuccessYesA || in.Channel != "chat" {
				t.Fatalf("row decoded as %+v", in)
			}
		}},
		{name: "empty cells are null", row: []string{"c1", "2026-05-01T18:30:00Z", "", "", "", "", ""}, check: func(t *testing.T, in SessionInput) {
			if in.IsLead || in.Units != nil || in.AgentSuccess != "" || in.Channel != "phone" {
				t.Fatalf("row decoded as %+v", in)
			}
		}},
		{name: "short row", row: []string{"c1", "2026-05-01T18:30:00Z"}},
		{name: "flag spellings", row: []string{"c1", "2026-05-01T18:30:00Z", "T", "1", "no", "", ""}, check: func(t *testing.T, in SessionInput) {
			if !in.IsLead || in.AgentSuccess != SuccessNo {
				t.Fatalf("row decoded as %+v", in)
			}
		}},
		{name: "bad flag", row: []string{"c1", "2026-05-01T18:30:00Z", "maybe", "", "", "", ""}, wantFields: []string{"is_lead"}},
		{name: "units with 3 decimals", row: []string{"c1", "2026-05-01T18:30:00Z", "", "1.125", "", "", ""}, wantFields: []string{"units"}},
		{name: "invalid UTF-8", row: []string{"c1", "2026-05-01T18:30:00Z", "", "", "", "Ann\xff", ""}, wantFields: []string{"caller_name"}},
		{name: "missing started_at", row: []string{"c1", " ", "", "", "", "", ""}, wantFields: []string{"started_at"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, fe := DecodeSession(RecordFromCSV(header, tt.row), DecodeOptions{})
			checkFields(t, fe, tt.wantFields, "")
			if tt.check != nil {
				tt.check(t, in)
			}
		})
	}
}

func TestRecordFromJSON(t *testing.T) {
	for _, body := range []string{``, `null`, `[]`, `[{}]`, `"x"`, `42`, `{`, `{"a":1,}`} {
		if r, err := RecordFromJSON([]byte(body)); err == nil {
			t.Errorf("RecordFromJSON(%q) = %v, want an error", body, r)
		}
	}
	r, err := RecordFromJSON([]byte(`{"units": 12345678901234567890.25, "a": null}`))
	if err != nil {
		t.Fatal(err)
	}
	// Numbers stay raw: no float64 rounding before ParseCenti reads them.
	if got := string(r["units"].JSON); got != "12345678901234567890.25" {
		t.Fatalf("units kept as %q", got)
	}
	if !r["a"].isNull() {
		t.Fatalf("null field is not null")
	}
}

func TestNormaliseAgentSuccess(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"Yes-A", SuccessYesA, true},
		{"yes-a", SuccessYesA, true},
		{"YES-B", SuccessYesB, true},
		{" No ", SuccessNo, true},
		{"yes", "", false},
		{"Yes A", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := NormaliseAgentSuccess(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("NormaliseAgentSuccess(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// Re-ingesting replaces the auto part and never touches the human part (SPEC §1).
func TestApplyAutoKeepsHumanPart(t *testing.T) {
	a := attrs(t, func(a *Attributes) { a.AverageLeadValueCents = 5000 })
	s := &Session{ID: 9, HumanIsTest: ptr(false), HumanIsLead: ptr(true), HumanIsOpportunity: ptr(true),
		HumanAgentSuccess: ptr(SuccessYesB), Stars: ptr(5), Comment: ptr("keep me"),
		Units: ptr(Centi(300)), CallerEmail: "old@example.com", Refused: true}
	for i, body := range []string{
		`{"external_id":"c1","started_at":"2026-05-01T18:30:00.1234567Z","ended_at":"2026-05-01T18:35:00Z","is_lead":false,"is_test":true,"agent_success":"No","caller_phone":"555 1234"}`,
		`{"external_id":"c1","started_at":"2026-05-02T09:00:00Z"}`,
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			in, fe := DecodeSession(record(t, body), DecodeOptions{})
			if len(fe) != 0 {
				t.Fatalf("decode: %+v", fe)
			}
			in.ApplyAuto(s)
			if s.ID != 9 || s.HumanIsTest == nil || *s.HumanIsTest || s.HumanIsLead == nil || !*s.HumanIsLead ||
				s.HumanIsOpportunity == nil || !*s.HumanIsOpportunity || s.HumanAgentSuccess == nil || *s.HumanAgentSuccess != SuccessYesB ||
				s.Stars == nil || *s.Stars != 5 || s.Comment == nil || *s.Comment != "keep me" {
				t.Fatalf("human part changed by re-ingest: %+v", s)
			}
			if s.ExternalID != "c1" || !s.StartedAt.Equal(in.StartedAt) || s.CallerEmail != "" || s.Refused || s.Units != nil ||
				s.AutoIsLead != in.IsLead || s.AutoIsTest != in.IsTest || s.AutoAgentSuccess != in.AgentSuccess {
				t.Fatalf("auto part not replaced: %+v", s)
			}
			if (in.EndedAt == nil) != (s.EndedAt == nil) {
				t.Fatalf("ended_at = %v, want %v", s.EndedAt, in.EndedAt)
			}
			if s.StartedAt.Nanosecond()%1000 != 0 || s.StartedAt.Location() != time.UTC {
				t.Fatalf("started_at %v not truncated to microseconds in UTC", s.StartedAt)
			}
			s.Recompute(a)
			if s.IsTest || !s.IsLead || !s.IsOpportunity || s.AgentSuccess != SuccessYesB || s.ASRCents != 5000 {
				t.Fatalf("human overrides lost after re-ingest: %+v", s)
			}
		})
	}
}

// An empty assessment means "none", in ingest as in review, like null.
func TestEmptyAgentSuccessMeansNone(t *testing.T) {
	rec, err := RecordFromJSON([]byte(`{"external_id":"e","started_at":"2026-01-01T00:00:00Z","agent_success":""}`))
	if err != nil {
		t.Fatal(err)
	}
	in, fe := DecodeSession(rec, DecodeOptions{})
	if len(fe) > 0 || in.AgentSuccess != "" {
		t.Fatalf("ingest: %+v %+v", in.AgentSuccess, fe)
	}
	p, fe := DecodeReview([]byte(`{"agent_success":""}`))
	if len(fe) > 0 || !p.AgentSuccess.Set || p.AgentSuccess.Value != nil {
		t.Fatalf("review: %+v %+v", p.AgentSuccess, fe)
	}
	if _, fe := DecodeReview([]byte(`{"agent_success":"maybe"}`)); len(fe) != 1 {
		t.Fatalf("unknown code accepted: %+v", fe)
	}
}
