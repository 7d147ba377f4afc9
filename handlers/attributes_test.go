package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"asrboard/models"
	"asrboard/storage"
)

// TestAttributesPutRejects checks that each bad attribute is a 422 naming
// its field and that nothing is saved.
func TestAttributesPutRejects(t *testing.T) {
	valid := func(mod obj) obj {
		a := obj{"currency": "EUR", "lead_value_method": "average", "average_lead_value_cents": 5000,
			"conversion_ratio_percent": 80, "redirection_type": "non_overflow", "recognition_percent": 40,
			"timezone": "Europe/Berlin", "working_hours": obj{"mon": [][]string{{"09:00", "17:00"}}}}
		for k, v := range mod {
			a[k] = v
		}
		return a
	}
	cases := []struct {
		name  string
		body  any
		field string
		says  string
	}{
		{"conversion over 100", valid(obj{"conversion_ratio_percent": 150}), "conversion_ratio_percent", "0 to 100"},
		{"three decimals", valid(obj{"conversion_ratio_percent": 33.333}), "conversion_ratio_percent", "2 decimals"},
		{"recognition below 0", valid(obj{"recognition_percent": -1}), "recognition_percent", "0 to 100"},
		{"unknown time zone", valid(obj{"timezone": "Mars/Olympus_Mons"}), "timezone", "IANA"},
		{"overlapping hours", valid(obj{"working_hours": obj{"mon": [][]string{{"09:00", "12:00"}, {"11:30", "14:00"}}}}), "working_hours.mon", "overlap"},
		{"reversed hours", valid(obj{"working_hours": obj{"tue": [][]string{{"17:00", "09:00"}}}}), "working_hours.tue", "start before"},
		{"bad clock", valid(obj{"working_hours": obj{"wed": [][]string{{"9am", "17:00"}}}}), "working_hours", "HH:MM"},
		{"unknown weekday", valid(obj{"working_hours": obj{"funday": [][]string{{"09:00", "17:00"}}}}), "working_hours", "weekday"},
		{"unknown field", valid(obj{"colour": "red"}), "colour", "not an attribute"},
		{"text for a number", valid(obj{"average_lead_value_cents": "12"}), "average_lead_value_cents", "whole number"},
		{"fraction of a cent", valid(obj{"unit_price_cents": 12.5}), "unit_price_cents", "whole number"},
		{"negative money", valid(obj{"average_lead_value_cents": -5}), "average_lead_value_cents", "from 0"},
		{"unknown method", valid(obj{"lead_value_method": "guess"}), "lead_value_method", "average"},
		{"bad test contact", valid(obj{"test_contacts": []string{"nobody"}}), "test_contacts[0]", "neither"},
		{"contacts not a list", valid(obj{"test_contacts": "555-0100"}), "test_contacts", "list"},
		{"not an object", []int{1}, "body", "JSON object"},
	}
	eachBackend(t, func(t *testing.T, v *env) {
		want(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleOwner, valid(nil)), http.StatusOK)
		v.ingest(obj{"external_id": "s", "started_at": "2026-05-04T10:00:00Z", "is_lead": true, "caller_phone": "555-0100", "agent_success": "Yes-A"})
		before := v.snapshot()
		for _, c := range cases {
			e := wantError(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleStaff, c.body), http.StatusUnprocessableEntity)
			found := false
			for _, d := range e.Details {
				found = found || (d.Field == c.field && strings.Contains(d.Message, c.says))
			}
			if !found {
				t.Errorf("%s: details %+v, want field %s saying %q", c.name, e.Details, c.field, c.says)
			}
		}
		// Two bad fields at once are both named.
		e := wantError(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleStaff,
			valid(obj{"conversion_ratio_percent": 33.333, "timezone": "Nowhere/Land"})), http.StatusUnprocessableEntity)
		if !hasDetail(e, -1, "conversion_ratio_percent") || !hasDetail(e, -1, "timezone") {
			t.Errorf("two errors: %+v", e.Details)
		}
		if after := v.snapshot(); after != before {
			t.Fatal("a rejected PUT changed the attributes or the sessions")
		}
	})
}

// TestAttributesPutReplacesWhole checks that PUT replaces every attribute
// (left-out ones take defaults), recomputes the sessions, accepts what GET
// answered, and audits the change under the token's name.
func TestAttributesPutReplacesWhole(t *testing.T) {
	eachBackend(t, func(t *testing.T, v *env) {
		v.ingest(obj{"external_id": "s", "started_at": "2026-05-04T10:00:00Z", "is_lead": true,
			"caller_phone": "555-0100", "agent_success": "Yes-A", "units": 3})
		if s := v.session("s"); s.LeadValueCents != 0 || s.ASRCents != 0 {
			t.Fatalf("default attributes give no value: %+v", s)
		}
		got := decode[map[string]json.RawMessage](t, want(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleStaff, obj{
			"lead_value_method": "per_unit", "unit_price_cents": 1000, "conversion_ratio_percent": "50.5",
			"test_contacts": []string{"ops@example.com"}, "unit_label": "nights", "timezone": nil,
		}), http.StatusOK))
		if string(got["currency"]) != `"USD"` || string(got["conversion_ratio_percent"]) != "50.5" ||
			string(got["timezone"]) != `"UTC"` || string(got["unit_label"]) != `"nights"` {
			t.Fatalf("saved attributes: %s", mapString(got))
		}
		if s := v.session("s"); s.LeadValueCents != 3000 || s.ASRCents != 1515 || s.AdditionalDeals.String() != "0.505" {
			t.Fatalf("session not recomputed: lead %d asr %d deals %s", s.LeadValueCents, s.ASRCents, s.AdditionalDeals)
		}
		// GET → PUT round trip (updated_at included) changes nothing but updated_at.
		raw := want(t, v.do(http.MethodGet, "/api/v1/attributes", models.RoleStaff, nil), http.StatusOK)
		again := decode[map[string]json.RawMessage](t, want(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleOwner, raw), http.StatusOK))
		delete(got, "updated_at")
		delete(again, "updated_at")
		if mapString(got) != mapString(again) {
			t.Fatalf("round trip changed attributes:\n%s\n%s", mapString(got), mapString(again))
		}
		// A partial PUT resets the rest to the defaults.
		want(t, v.do(http.MethodPut, "/api/v1/attributes", models.RoleOwner, obj{"currency": "GBP"}), http.StatusOK)
		def := models.DefaultAttributes()
		cur, err := v.store.Attributes(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if cur.Currency != "GBP" || cur.LeadValueMethod != def.LeadValueMethod || len(cur.TestContacts) != 0 || !reflect.DeepEqual(cur.WorkingHours, def.WorkingHours) {
			t.Fatalf("partial PUT: %+v", cur)
		}
		audit, err := v.store.Audit(context.Background(), models.EntityAttributes, 1, 100)
		if err != nil || len(audit) == 0 || audit[0].Actor != "token:owner" || audit[len(audit)-1].Actor != "token:staff" {
			t.Fatalf("attribute audit: %+v %v", audit, err)
		}
	})
}

func mapString(m map[string]json.RawMessage) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + string(m[k]) + " ")
	}
	return b.String()
}

// TestAttributeTargetsCoverEveryField keeps the field-by-field decoder in
// step with the JSON names of models.Attributes and storage.AttributeFields.
func TestAttributeTargetsCoverEveryField(t *testing.T) {
	var a models.Attributes
	targets := attributeTargets(&a)
	typ := reflect.TypeOf(a)
	var tags []string
	for i := range typ.NumField() {
		tag := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
		if tag != "" && tag != "-" && !slices.Contains(readOnlyAttributes, tag) {
			tags = append(tags, tag)
		}
	}
	slices.Sort(tags)
	fields := slices.Clone(storage.AttributeFields)
	slices.Sort(fields)
	var keys []string
	for k := range targets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(tags, fields) || !slices.Equal(keys, fields) {
		t.Fatalf("json tags %v\nstorage.AttributeFields %v\ntargets %v", tags, fields, keys)
	}
}
