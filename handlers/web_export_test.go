package handlers

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"asrboard/models"
	"asrboard/storage"
)

func TestWebExportCSV(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		spGenerate(t, v, 700)
		ctx := context.Background()
		b := spSignIn(t, v, models.RoleReviewer)

		cases := []struct {
			query string
			f     storage.SessionFilter
		}{
			{"", storage.SessionFilter{IsTest: spBool(false)}},
			{"is_test=any", storage.SessionFilter{}},
			{"is_lead=true&rated=false&sort=asr", storage.SessionFilter{IsTest: spBool(false), IsLead: spBool(true), Rated: spBool(false)}},
			{"channel=chat&q=a", storage.SessionFilter{IsTest: spBool(false), Channel: "chat", Query: "a"}},
		}
		for _, tc := range cases {
			// The table's link carries exactly its filter.
			doc := page(t, b.get("/sessions?"+tc.query), http.StatusOK)
			href := testid(doc, "export-csv").AttrOr("href", "")
			if !strings.HasPrefix(href, "/sessions/export.csv") {
				t.Fatalf("export link %q", href)
			}
			rec := b.get(href)
			body := want(t, rec, http.StatusOK)
			if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Errorf("content type %q", ct)
			}
			if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="asrboard-sessions-`) {
				t.Errorf("content disposition %q", cd)
			}
			rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
			if err != nil {
				t.Fatalf("%q: parse CSV: %v", tc.query, err)
			}
			if !slices.Equal(rows[0], models.ExportColumns) {
				t.Fatalf("header %v", rows[0])
			}
			var wantRows [][]string
			err = v.store.EachSession(ctx, tc.f, func(s *models.Session) error {
				wantRows = append(wantRows, models.ExportRow(nil, s))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(wantRows) == 0 {
				t.Errorf("%q: nothing to compare", tc.query)
			}
			if len(rows)-1 != len(wantRows) {
				t.Errorf("%q: %d rows, want %d", tc.query, len(rows)-1, len(wantRows))
				continue
			}
			for i := range wantRows {
				if !slices.Equal(rows[i+1], wantRows[i]) {
					t.Errorf("%q: row %d differs:\n got %v\nwant %v", tc.query, i, rows[i+1], wantRows[i])
					break
				}
			}
		}

		// The export link of a filtered table keeps the filter.
		doc := page(t, b.get("/sessions?is_lead=true&channel=sms&sort=asr"), http.StatusOK)
		u, _ := url.Parse(testid(doc, "export-csv").AttrOr("href", ""))
		if q := u.Query(); q.Get("is_lead") != "true" || q.Get("channel") != "sms" {
			t.Errorf("export link %q lost the filter", u)
		}
		// A bad filter is refused before any CSV is written.
		rec := b.get("/sessions/export.csv?rated=perhaps")
		want(t, rec, http.StatusUnprocessableEntity)
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
			t.Error("a refused export answered CSV")
		}
	})
}
