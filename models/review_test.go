package models

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeReview(t *testing.T) {
	type want struct {
		isTest, isLead, isOpp OptBool
		success               OptString
		stars                 OptInt
		comment               OptString
	}
	set := OptBool{Set: true}
	yes := OptBool{Set: true, Value: ptr(true)}
	no := OptBool{Set: true, Value: ptr(false)}
	tests := []struct {
		name       string
		body       string
		want       want
		wantFields []string
		wantMsg    string
	}{
		{name: "null clears is_test", body: `{"is_test":null}`, want: want{isTest: set}},
		{name: "is_test true", body: `{"is_test":true}`, want: want{isTest: yes}},
		{name: "is_lead false with human_ prefix", body: `{"human_is_lead":false}`, want: want{isLead: no}},
		{name: "is_opportunity true", body: `{"is_opportunity":true}`, want: want{isOpp: yes}},
		{name: "null clears is_opportunity", body: `{"is_opportunity":null}`, want: want{isOpp: set}},
		{name: "agent_success normalised", body: `{"agent_success":"yes-a"}`, want: want{success: OptString{Set: true, Value: ptr(SuccessYesA)}}},
		{name: "null clears agent_success", body: `{"agent_success":null}`, want: want{success: OptString{Set: true}}},
		{name: "stars 1", body: `{"stars":1}`, want: want{stars: OptInt{Set: true, Value: ptr(1)}}},
		{name: "stars 5", body: `{"stars":5}`, want: want{stars: OptInt{Set: true, Value: ptr(5)}}},
		{name: "stars 3.0", body: `{"stars":3.0}`, want: want{stars: OptInt{Set: true, Value: ptr(3)}}},
		{name: "null clears stars", body: `{"stars":null}`, want: want{stars: OptInt{Set: true}}},
		{name: "comment", body: `{"comment":"called back"}`, want: want{comment: OptString{Set: true, Value: ptr("called back")}}},
		{name: "blank comment clears", body: `{"comment":"   "}`, want: want{comment: OptString{Set: true}}},
		{name: "null clears comment", body: `{"comment":null}`, want: want{comment: OptString{Set: true}}},
		{name: "comment of 2000 characters", body: `{"comment":"` + strings.Repeat("é", MaxComment) + `"}`, want: want{comment: OptString{Set: true, Value: ptr(strings.Repeat("é", MaxComment))}}},
		{name: "everything at once", body: `{"is_test":false,"is_lead":true,"is_opportunity":true,"agent_success":"No","stars":4,"comment":"ok"}`,
			want: want{isTest: no, isLead: yes, isOpp: yes, success: OptString{Set: true, Value: ptr(SuccessNo)}, stars: OptInt{Set: true, Value: ptr(4)}, comment: OptString{Set: true, Value: ptr("ok")}}},

		{name: "stars 0", body: `{"stars":0}`, wantFields: []string{"stars"}, wantMsg: "1 to 5"},
		{name: "stars 6", body: `{"stars":6}`, wantFields: []string{"stars"}, wantMsg: "1 to 5"},
		{name: "stars 2.5", body: `{"stars":2.5}`, wantFields: []string{"stars"}, wantMsg: "whole number"},
		{name: "stars -1", body: `{"stars":-1}`, wantFields: []string{"stars"}},
		{name: "stars 4.001", body: `{"stars":4.001}`, wantFields: []string{"stars"}},
		{name: "stars text", body: `{"stars":"four"}`, wantFields: []string{"stars"}},
		{name: "stars true", body: `{"stars":true}`, wantFields: []string{"stars"}},
		{name: "unknown agent_success", body: `{"agent_success":"maybe"}`, wantFields: []string{"agent_success"}, wantMsg: "Yes-A, Yes-B, No or null"},
		{name: "agent_success number", body: `{"agent_success":1}`, wantFields: []string{"agent_success"}},
		{name: "is_test as a string", body: `{"is_test":"yes"}`, wantFields: []string{"is_test"}, wantMsg: "true or false"},
		{name: "is_lead as a number", body: `{"is_lead":1}`, wantFields: []string{"is_lead"}},
		{name: "comment too long", body: `{"comment":"` + strings.Repeat("a", MaxComment+1) + `"}`, wantFields: []string{"comment"}, wantMsg: "at most 2000"},
		{name: "comment not text", body: `{"comment":5}`, wantFields: []string{"comment"}},
		{name: "unknown field", body: `{"colour":"red"}`, wantFields: []string{"colour"}, wantMsg: "not a review field"},
		{name: "unknown field next to a valid one", body: `{"is_test":true,"units":3}`, wantFields: []string{"units"}},
		{name: "derived field", body: `{"asr_cents":0}`, wantFields: []string{"asr_cents"}},
		{name: "empty object", body: `{}`, wantFields: []string{"body"}, wantMsg: "names no field"},
		{name: "empty body", body: ``, wantFields: []string{"body"}, wantMsg: "JSON object"},
		{name: "null body", body: `null`, wantFields: []string{"body"}},
		{name: "array body", body: `[{"is_test":true}]`, wantFields: []string{"body"}},
		{name: "malformed", body: `{"is_test":`, wantFields: []string{"body"}},
		{name: "string body", body: `"is_test"`, wantFields: []string{"body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, fe := DecodeReview([]byte(tt.body))
			checkFields(t, fe, tt.wantFields, tt.wantMsg)
			if len(tt.wantFields) != 0 {
				return
			}
			got := want{p.IsTest, p.IsLead, p.IsOpportunity, p.AgentSuccess, p.Stars, p.Comment}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("DecodeReview(%s) = %+v, want %+v", tt.body, show3(got), show3(tt.want))
			}
		})
	}
}

// show3 makes the pointers inside a decoded review readable in failures.
func show3(v any) string {
	var b strings.Builder
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		f := rv.Field(i)
		val := "unset"
		if f.Field(0).Bool() {
			val = "null"
			if p := f.Field(1); !p.IsNil() {
				val = fmt.Sprint(p.Elem().Interface())
			}
		}
		fmt.Fprintf(&b, "%s=%s ", rv.Type().Field(i).Name, val)
	}
	return b.String()
}

func TestDecodeReviewForm(t *testing.T) {
	tests := []struct {
		name       string
		form       map[string][]string
		wantFields []string
		check      func(t *testing.T, p HumanPatch)
	}{
		{name: "empty value clears", form: map[string][]string{"is_test": {""}, "stars": {""}}, check: func(t *testing.T, p HumanPatch) {
			if !p.IsTest.Set || p.IsTest.Value != nil || !p.Stars.Set || p.Stars.Value != nil {
				t.Fatalf("patch = %+v, want is_test and stars cleared", p)
			}
		}},
		{name: "absent fields unchanged", form: map[string][]string{"stars": {"4"}}, check: func(t *testing.T, p HumanPatch) {
			if p.IsTest.Set || p.IsLead.Set || p.Comment.Set || !p.Stars.Set || *p.Stars.Value != 4 {
				t.Fatalf("patch = %+v, want stars 4 only", p)
			}
		}},
		{name: "last value wins", form: map[string][]string{"is_lead": {"false", "true"}}, check: func(t *testing.T, p HumanPatch) {
			if p.IsLead.Value == nil || !*p.IsLead.Value {
				t.Fatalf("is_lead = %+v, want true", p.IsLead)
			}
		}},
		{name: "agent success", form: map[string][]string{"agent_success": {"yes-b"}}, check: func(t *testing.T, p HumanPatch) {
			if p.AgentSuccess.Value == nil || *p.AgentSuccess.Value != SuccessYesB {
				t.Fatalf("agent_success = %+v", p.AgentSuccess)
			}
		}},
		{name: "stars 6", form: map[string][]string{"stars": {"6"}}, wantFields: []string{"stars"}},
		{name: "bad flag", form: map[string][]string{"is_opportunity": {"perhaps"}}, wantFields: []string{"is_opportunity"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, fe := DecodeReviewForm(tt.form)
			checkFields(t, fe, tt.wantFields, "")
			if tt.check != nil {
				tt.check(t, p)
			}
		})
	}
}

func TestApplyHuman(t *testing.T) {
	// base builds a fresh session each time, so a mutation through a shared
	// pointer would show as a difference between two calls.
	base := func(mod func(s *Session)) *Session {
		s := &Session{ID: 1, ExternalID: "c1", CallerPhone: "555 1234", AutoIsLead: true, AutoAgentSuccess: SuccessYesA}
		if mod != nil {
			mod(s)
		}
		return s
	}
	nonLead := func(s *Session) { s.AutoIsLead = false }
	tests := []struct {
		name        string
		session     func(s *Session)
		patch       string
		wantErr     bool
		wantChanges []Change
		wantLead    bool
		wantOpp     bool
	}{
		{name: "set is_test", patch: `{"is_test":true}`, wantChanges: []Change{{"is_test", "null", "true"}}, wantLead: true, wantOpp: true},
		{name: "same value is no change", session: func(s *Session) { s.HumanIsTest = ptr(true) }, patch: `{"is_test":true}`, wantChanges: nil, wantLead: true, wantOpp: true},
		{name: "null clears", session: func(s *Session) { s.HumanIsTest = ptr(true) }, patch: `{"is_test":null}`, wantChanges: []Change{{"is_test", "true", "null"}}, wantLead: true, wantOpp: true},
		{name: "null on null is no change", patch: `{"is_lead":null}`, wantChanges: nil, wantLead: true, wantOpp: true},
		{name: "false to true", session: func(s *Session) { s.HumanIsLead = ptr(false) }, patch: `{"is_lead":true}`, wantChanges: []Change{{"is_lead", "false", "true"}}, wantLead: true, wantOpp: true},
		{name: "human not a lead", patch: `{"is_lead":false}`, wantChanges: []Change{{"is_lead", "null", "false"}}},
		{name: "opportunity on an auto lead", session: func(s *Session) { s.CallerPhone = "" }, patch: `{"is_opportunity":true}`, wantChanges: []Change{{"is_opportunity", "null", "true"}}, wantLead: true, wantOpp: true},
		{name: "opportunity on a human lead", session: func(s *Session) { s.AutoIsLead = false; s.HumanIsLead = ptr(true) }, patch: `{"is_opportunity":true}`, wantChanges: []Change{{"is_opportunity", "null", "true"}}, wantLead: true, wantOpp: true},
		{name: "lead and opportunity in one patch", session: nonLead, patch: `{"is_lead":true,"is_opportunity":true}`,
			wantChanges: []Change{{"is_lead", "null", "true"}, {"is_opportunity", "null", "true"}}, wantLead: true, wantOpp: true},
		{name: "opportunity false on a non-lead is fine", session: nonLead, patch: `{"is_opportunity":false}`, wantChanges: []Change{{"is_opportunity", "null", "false"}}},
		{name: "opportunity null on a non-lead is fine", session: func(s *Session) { s.AutoIsLead = false; s.HumanIsOpportunity = ptr(false) }, patch: `{"is_opportunity":null}`, wantChanges: []Change{{"is_opportunity", "false", "null"}}},
		{name: "opportunity on a non-lead", session: nonLead, patch: `{"is_opportunity":true}`, wantErr: true},
		{name: "opportunity on a human non-lead", session: func(s *Session) { s.HumanIsLead = ptr(false) }, patch: `{"is_opportunity":true}`, wantErr: true},
		{name: "opportunity while un-leading", patch: `{"is_lead":false,"is_opportunity":true}`, wantErr: true},
		{name: "opportunity on a non-lead with other fields", session: nonLead, patch: `{"is_opportunity":true,"stars":5,"comment":"x","is_test":true,"agent_success":"No"}`, wantErr: true},
		{name: "opportunity already true on a non-lead", session: func(s *Session) { s.AutoIsLead = false; s.HumanIsOpportunity = ptr(true) }, patch: `{"is_opportunity":true}`, wantErr: true},
		{name: "agent success", patch: `{"agent_success":"No"}`, wantChanges: []Change{{"agent_success", "null", "No"}}, wantLead: true, wantOpp: true},
		{name: "stars and comment", session: func(s *Session) { s.Stars = ptr(3); s.Comment = ptr("old") }, patch: `{"stars":4,"comment":"new"}`,
			wantChanges: []Change{{"stars", "3", "4"}, {"comment", "old", "new"}}, wantLead: true, wantOpp: true},
		{name: "clear stars and comment", session: func(s *Session) { s.Stars = ptr(3); s.Comment = ptr("old") }, patch: `{"stars":null,"comment":null}`,
			wantChanges: []Change{{"stars", "3", "null"}, {"comment", "old", "null"}}, wantLead: true, wantOpp: true},
		{name: "changes in field order", patch: `{"comment":"c","stars":2,"agent_success":"Yes-B","is_opportunity":false,"is_lead":true,"is_test":false}`,
			wantChanges: []Change{{"is_test", "null", "false"}, {"is_lead", "null", "true"}, {"is_opportunity", "null", "false"},
				{"agent_success", "null", "Yes-B"}, {"stars", "null", "2"}, {"comment", "null", "c"}}, wantLead: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, fe := DecodeReview([]byte(tt.patch))
			if len(fe) != 0 {
				t.Fatalf("DecodeReview(%s): %+v", tt.patch, fe)
			}
			s, before := base(tt.session), base(tt.session)
			changes, err := p.ApplyHuman(s)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ApplyHuman(%s) accepted: %+v", tt.patch, s)
				}
				var de *Error
				if !errors.As(err, &de) || de.Code != CodeInvalid || ErrorCode(err) != CodeInvalid {
					t.Fatalf("error %v (%T), want a models.Error with code %s", err, err, CodeInvalid)
				}
				if !strings.Contains(err.Error(), "only a lead can be an opportunity") {
					t.Fatalf("error %q does not say %q", err, "only a lead can be an opportunity")
				}
				if len(de.Details) == 0 || de.Details[0].Field != "is_opportunity" {
					t.Fatalf("error details %+v, want the field is_opportunity", de.Details)
				}
				if changes != nil {
					t.Fatalf("changes %+v returned with the error", changes)
				}
				if !reflect.DeepEqual(s, before) {
					t.Fatalf("session changed by a refused review:\n got %+v\nwant %+v", s, before)
				}
				return
			}
			if err != nil {
				t.Fatalf("ApplyHuman(%s): %v", tt.patch, err)
			}
			if !reflect.DeepEqual(changes, tt.wantChanges) {
				t.Fatalf("changes = %+v, want %+v", changes, tt.wantChanges)
			}
			s.Recompute(attrs(t, nil))
			if s.IsLead != tt.wantLead || s.IsOpportunity != tt.wantOpp {
				t.Fatalf("after review is_lead, is_opportunity = %v, %v; want %v, %v", s.IsLead, s.IsOpportunity, tt.wantLead, tt.wantOpp)
			}
			// Applying the same patch again changes nothing.
			again, err := p.ApplyHuman(s)
			if err != nil || len(again) != 0 {
				t.Fatalf("second ApplyHuman = %+v, %v; want no changes", again, err)
			}
		})
	}
}

// The patch holds its own values: changing the session afterwards must not
// reach back into the patch or another session it was applied to.
func TestApplyHumanDoesNotAliasOldValues(t *testing.T) {
	old := ptr(SuccessNo)
	s := &Session{AutoIsLead: true, HumanAgentSuccess: old}
	p, fe := DecodeReview([]byte(`{"agent_success":"Yes-A"}`))
	if len(fe) != 0 {
		t.Fatal(fe)
	}
	if _, err := p.ApplyHuman(s); err != nil {
		t.Fatal(err)
	}
	if *old != SuccessNo {
		t.Fatalf("ApplyHuman wrote through the old pointer: %q", *old)
	}
	if *s.HumanAgentSuccess != SuccessYesA {
		t.Fatalf("agent_success = %q", *s.HumanAgentSuccess)
	}
}

func TestHumanPatchEmpty(t *testing.T) {
	if !(HumanPatch{}).Empty() {
		t.Fatal("zero patch is not empty")
	}
	if (HumanPatch{Stars: OptInt{Set: true}}).Empty() {
		t.Fatal("patch clearing stars is empty")
	}
}
