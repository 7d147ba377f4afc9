package models

import (
	"slices"
	"strings"
	"testing"
	"time"

	// The tests read America/New_York and Europe/Berlin; embedding the zone
	// database keeps them independent of the machine's /usr/share/zoneinfo.
	_ "time/tzdata"
)

// ptr returns a pointer to a copy of v, for the nullable human fields.
func ptr[T any](v T) *T { return &v }

// attrs returns valid, prepared attributes: the SPEC §2 defaults changed by mod.
func attrs(t *testing.T, mod func(a *Attributes)) *Attributes {
	t.Helper()
	a := DefaultAttributes()
	if mod != nil {
		mod(&a)
	}
	if fe := a.Validate(); len(fe) != 0 {
		t.Fatalf("test attributes invalid: %+v", fe)
	}
	if err := a.Prepare(); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	return &a
}

// localTS reads "2006-01-02 15:04" as a wall-clock time in the named zone.
func localTS(t *testing.T, zone, clock string) Timestamp {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", zone, err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", clock, loc)
	if err != nil {
		t.Fatalf("ParseInLocation(%q): %v", clock, err)
	}
	return TS(v)
}

// utcTS reads an RFC 3339 instant.
func utcTS(t *testing.T, s string) Timestamp {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("time.Parse(%q): %v", s, err)
	}
	return TS(v)
}

// record splits a JSON object into a Record, failing the test when it is not one.
func record(t *testing.T, js string) Record {
	t.Helper()
	r, err := RecordFromJSON([]byte(js))
	if err != nil {
		t.Fatalf("RecordFromJSON(%s): %v", js, err)
	}
	return r
}

// fields lists the Field of each error, in order.
func fields(fe []FieldError) []string {
	out := make([]string, 0, len(fe))
	for _, e := range fe {
		out = append(out, e.Field)
	}
	return out
}

// checkFields compares the fields named by fe with want (in order) and, when
// msg is not empty, requires one message to contain it.
func checkFields(t *testing.T, fe []FieldError, want []string, msg string) {
	t.Helper()
	if got := fields(fe); !slices.Equal(got, want) {
		t.Fatalf("error fields = %q, want %q (errors: %+v)", got, want, fe)
	}
	if msg == "" {
		return
	}
	for _, e := range fe {
		if containsFold(e.Message, msg) {
			return
		}
	}
	t.Fatalf("no error message contains %q: %+v", msg, fe)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
