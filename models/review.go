package models

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// HumanPatch is a change to the human part: a field with Set false is left
// alone, one with Set true and a nil value clears the override.
type HumanPatch struct {
	IsTest        OptBool
	IsLead        OptBool
	IsOpportunity OptBool
	AgentSuccess  OptString
	Stars         OptInt
	Comment       OptString
}

// OptBool is a nullable boolean that knows whether it was given.
type OptBool struct {
	Set   bool
	Value *bool
}

// OptString is a nullable string that knows whether it was given.
type OptString struct {
	Set   bool
	Value *string
}

// OptInt is a nullable integer that knows whether it was given.
type OptInt struct {
	Set   bool
	Value *int
}

// Empty tells whether the patch changes nothing.
func (p HumanPatch) Empty() bool {
	return !p.IsTest.Set && !p.IsLead.Set && !p.IsOpportunity.Set && !p.AgentSuccess.Set && !p.Stars.Set && !p.Comment.Set
}

// ReviewFields are the human fields a review may set, in display order.
var ReviewFields = []string{"is_test", "is_lead", "is_opportunity", "agent_success", "stars", "comment"}

// DecodeReview reads a PATCH body of human fields; JSON null clears an override.
func DecodeReview(body []byte) (HumanPatch, []FieldError) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return HumanPatch{}, []FieldError{{Field: "body", Message: "must be a JSON object of human fields (is_test, is_lead, is_opportunity, agent_success, stars, comment)"}}
	}
	r := Record{}
	var fe fieldErrors
	for k, v := range raw {
		short := strings.TrimPrefix(k, "human_")
		if !contains(ReviewFields, short) {
			fe.add(k, "is not a review field (use %s)", strings.Join(ReviewFields, ", "))
			continue
		}
		if _, dup := r[short]; dup {
			fe.add(k, "is given twice (as %s and human_%s)", short, short)
			continue
		}
		r[short] = Value{JSON: v}
	}
	p, errs := decodeHuman(r, "")
	fe = append(fe, errs...)
	if len(fe) == 0 && p.Empty() {
		fe.add("body", "names no field to change (use %s)", strings.Join(ReviewFields, ", "))
	}
	return p, fe
}

// DecodeReviewForm reads the review fields of a web form, where an empty
// value clears an override; only fields present in the form are changed.
func DecodeReviewForm(form map[string][]string) (HumanPatch, []FieldError) {
	r := Record{}
	for _, f := range ReviewFields {
		if v, ok := form[f]; ok && len(v) > 0 {
			r[f] = Value{Text: v[len(v)-1], IsText: true}
		}
	}
	return decodeHuman(r, "")
}

func decodeHuman(r Record, prefix string) (HumanPatch, []FieldError) {
	var p HumanPatch
	var fe fieldErrors
	optBool := func(name string, o *OptBool) {
		v, ok := r[name]
		if !ok {
			return
		}
		o.Set = true
		if v.isNull() {
			return
		}
		b, err := v.boolean()
		if err != nil {
			fe.add(prefix+name, "%v or null", err)
			return
		}
		o.Value = &b
	}
	optBool("is_test", &p.IsTest)
	optBool("is_lead", &p.IsLead)
	optBool("is_opportunity", &p.IsOpportunity)
	if v, ok := r["agent_success"]; ok {
		p.AgentSuccess.Set = true
		if s, err := v.str(); !v.isNull() && (err != nil || strings.TrimSpace(s) != "") { // "" clears, like null
			code, valid := NormaliseAgentSuccess(s)
			if err != nil || !valid {
				fe.add(prefix+"agent_success", "must be one of Yes-A, Yes-B, No or null, got %s", show(v))
			} else {
				p.AgentSuccess.Value = &code
			}
		}
	}
	if v, ok := r["stars"]; ok {
		p.Stars.Set = true
		if !v.isNull() {
			c, err := v.centi()
			if err != nil || c%CentiOne != 0 || c < CentiOne || c > 5*CentiOne {
				fe.add("stars", "must be a whole number from 1 to 5 or null, got %s", show(v))
			} else {
				n := int(c / CentiOne)
				p.Stars.Value = &n
			}
		}
	}
	if v, ok := r["comment"]; ok {
		p.Comment.Set = true
		if !v.isNull() {
			s, err := v.str()
			switch {
			case err != nil:
				fe.add("comment", "must be text or null")
			case utf8.RuneCountInString(s) > MaxComment:
				fe.add("comment", "must be at most %d characters, got %d", MaxComment, utf8.RuneCountInString(s))
			case strings.TrimSpace(s) != "":
				s = normaliseNewlines(s)
				p.Comment.Value = &s
			}
		}
	}
	return p, fe
}

func show(v Value) string {
	if v.IsText {
		return strconv.Quote(v.Text)
	}
	return string(v.JSON)
}

// Change is one human field changed by a review, for the audit log.
type Change struct {
	Field string
	Old   string
	New   string
}

// ApplyHuman applies p to s and returns the fields that really changed. It
// refuses (and leaves s untouched) a human opportunity on a session that is
// not a lead after the patch: only a lead can be an opportunity.
func (p HumanPatch) ApplyHuman(s *Session) ([]Change, error) {
	next := *s
	var ch []Change
	setBool := func(field string, o OptBool, dst **bool) {
		if !o.Set || eqBool(*dst, o.Value) {
			return
		}
		ch = append(ch, Change{Field: field, Old: fmtBool(*dst), New: fmtBool(o.Value)})
		*dst = o.Value
	}
	setStr := func(field string, o OptString, dst **string) {
		if !o.Set || eqStr(*dst, o.Value) {
			return
		}
		ch = append(ch, Change{Field: field, Old: fmtStr(*dst), New: fmtStr(o.Value)})
		*dst = o.Value
	}
	setBool("is_test", p.IsTest, &next.HumanIsTest)
	setBool("is_lead", p.IsLead, &next.HumanIsLead)
	setBool("is_opportunity", p.IsOpportunity, &next.HumanIsOpportunity)
	setStr("agent_success", p.AgentSuccess, &next.HumanAgentSuccess)
	if p.Stars.Set && !eqInt(next.Stars, p.Stars.Value) {
		ch = append(ch, Change{Field: "stars", Old: fmtInt(next.Stars), New: fmtInt(p.Stars.Value)})
		next.Stars = p.Stars.Value
	}
	setStr("comment", p.Comment, &next.Comment)
	if p.IsOpportunity.Set && p.IsOpportunity.Value != nil && *p.IsOpportunity.Value && !EffectiveIsLead(&next) {
		return nil, Invalid("only a lead can be an opportunity",
			FieldError{Field: "is_opportunity", Message: "only a lead can be an opportunity: this session is not a lead"})
	}
	*s = next
	return ch, nil
}

func eqBool(a, b *bool) bool  { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
func eqStr(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
func eqInt(a, b *int) bool    { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
func fmtBool(b *bool) string  { return fmtPtr(b, func(v bool) string { return strconv.FormatBool(v) }) }
func fmtStr(s *string) string { return fmtPtr(s, func(v string) string { return v }) }
func fmtInt(n *int) string    { return fmtPtr(n, strconv.Itoa) }
func fmtPtr[T any](p *T, f func(T) string) string {
	if p == nil {
		return "null"
	}
	return f(*p)
}
