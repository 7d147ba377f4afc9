package cli_test

import (
	"context"
	"strings"
	"testing"

	"asrboard/models"
	"asrboard/storage"
)

const importHeader = "external_id,started_at,ended_at,channel,caller_name,caller_phone,caller_email,summary,transcript,is_lead,refused,unavailable,units,agent_success,is_test,stars,comment,human_agent_success\n"

func TestImportCSV(t *testing.T) {
	db := tempDB(t)
	file := writeFile(t, "sessions.csv", importHeader+
		`c-1,2026-03-01T18:30:00Z,2026-03-01T18:34:10Z,phone,Ann Lee,+1 212 555 0101,,Booked for 4,"AI: Hello
Caller: a table, ""by the window""",true,false,false,4,Yes-A,false,5,Great call,`+"\n"+
		`c-2,2026-03-02T12:00:00.250+01:00,,chat,,,bo@example.com,Asked about parking,,false,false,false,,,,,,No`+"\n"+
		"\n"+
		`c-3,2026-03-03T20:15:00Z,,WhatsApp,Cy,,,Party of 2.5,,yes,0,0,2.5,yes-b,f,,,`+"\n")
	r := mustRun(t, "", "import", file, "--db", db)
	if lastLine(r.stdout) != "imported: 3 created, 0 updated" {
		t.Errorf("stdout = %q", r.stdout)
	}
	withStore(t, db, func(s *storage.Store) {
		ctx := context.Background()
		c1, err := s.Session(ctx, "c-1")
		if err != nil {
			t.Fatal(err)
		}
		if c1.Transcript != "AI: Hello\nCaller: a table, \"by the window\"" || c1.Units == nil || *c1.Units != 400 ||
			c1.Stars == nil || *c1.Stars != 5 || c1.Comment == nil || *c1.Comment != "Great call" || c1.HumanAgentSuccess != nil {
			t.Errorf("c-1 = %+v", c1)
		}
		c2, err := s.Session(ctx, "c-2")
		if err != nil {
			t.Fatal(err)
		}
		if c2.StartedAt.UTC().Format("15:04:05.000") != "11:00:00.250" || c2.HumanAgentSuccess == nil || *c2.HumanAgentSuccess != "No" || c2.Channel != "chat" {
			t.Errorf("c-2 = %+v", c2)
		}
		c3, err := s.Session(ctx, "c-3")
		if err != nil {
			t.Fatal(err)
		}
		if !c3.AutoIsLead || c3.Channel != "whatsapp" || c3.AutoAgentSuccess != models.SuccessYesB || *c3.Units != 250 {
			t.Errorf("c-3 = %+v", c3)
		}
	})
}

func TestImportJSONLinesFromStdin(t *testing.T) {
	db := tempDB(t)
	in := "\n" + `{"external_id":"j-1","started_at":"2026-04-01T09:00:00Z","is_lead":true,"units":3,"caller_phone":"+44 20 7946 0000","agent_success":"Yes-A","stars":4}` + "\r\n" +
		"   \n" +
		`{"external_id":"j-2","started_at":"2026-04-01T10:00:00Z","summary":"hi, \"there\"","human_is_test":true}` + "\n" +
		`{"external_id":"j-3","started_at":"2026-04-01T11:00:00Z","units":"1.5"}`
	r := mustRun(t, in, "import", "-", "--db", db) // no extension: sniffed from the first '{'
	if lastLine(r.stdout) != "imported: 3 created, 0 updated" {
		t.Errorf("stdout = %q", r.stdout)
	}
	withStore(t, db, func(s *storage.Store) {
		j2, err := s.Session(context.Background(), "j-2")
		if err != nil {
			t.Fatal(err)
		}
		if j2.Summary != `hi, "there"` || !j2.IsTest {
			t.Errorf("j-2 = %+v", j2)
		}
	})

	// A .jsonl extension decides without sniffing, and a CSV on stdin is sniffed too.
	file := writeFile(t, "more.jsonl", `{"external_id":"j-4","started_at":"2026-04-02T09:00:00Z"}`+"\n")
	mustRun(t, "", "import", "--db", db, file)
	r = mustRun(t, "\xEF\xBB\xBFexternal_id,started_at\nk-1,2026-04-03T09:00:00Z\n", "import", "--db", db, "-")
	if lastLine(r.stdout) != "imported: 1 created, 0 updated" {
		t.Errorf("CSV with a BOM on stdin: %q", r.stdout)
	}
	if n := countSessions(t, db); n != 5 {
		t.Errorf("%d sessions, want 5", n)
	}
}

func TestImportBadLinesStoreNothing(t *testing.T) {
	db := tempDB(t)
	file := writeFile(t, "bad.csv", importHeader+
		"ok-1,2026-03-01T18:30:00Z,,phone,,,,,,true,,,2,,,,,\n"+
		"bad-3,2026-03-01T18:31:00Z,,phone,,,,,,true,,,1.234,,,,,\n"+
		"ok-4,2026-03-01T18:32:00Z,,phone,,,,,,true,,,3,,,,,\n"+
		"bad-5,2026-03-01T18:33:00Z,,phone,,,ann(at)example.com,,,true,,,3,,,,,\n"+
		"ok-6,2026-03-01T18:34:00Z,,phone,,,,,,true,,,3,,,,,\n")
	r := runCLI(t, "", "import", file, "--db", db)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (stderr %q)", r.code, r.stderr)
	}
	for _, want := range []string{"nothing was stored", "line 3: units: must have at most 2 decimals", "line 5: caller_email: must look like an email"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stdout, "imported") {
		t.Errorf("stdout claims an import: %q", r.stdout)
	}
	if n := countSessions(t, db); n != 0 {
		t.Errorf("%d sessions stored, want 0: an import is all or nothing", n)
	}

	jsonl := writeFile(t, "bad.jsonl", `{"external_id":"j-1","started_at":"2026-04-01T09:00:00Z"}`+"\n"+
		`{"external_id":"j-2","started_at": `+"\n"+
		`[1, 2]`+"\n"+
		`{"external_id":"j-4","started_at":"2026-04-01T09:00:00Z","ended_at":"2026-04-01T08:00:00Z","stars":7}`+"\n"+
		`{"external_id":"j-5","started_at":"2026-04-01T09:00:00Z","colour":"red"}`+"\n")
	r = runCLI(t, "", "import", jsonl, "--db", db)
	for _, want := range []string{"line 2: json: malformed JSON", "line 3: json: must be a JSON object",
		"line 4: ended_at: must not be before started_at", "line 4: stars: must be a whole number from 1 to 5", "line 5: colour: is not a session field"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 1 || countSessions(t, db) != 0 {
		t.Errorf("exit %d; a bad JSON Lines file must store nothing", r.code)
	}
}

func TestImportMalformedCSV(t *testing.T) {
	db := tempDB(t)
	cases := []struct {
		name, content, want string
	}{
		{"stray quote", "external_id,started_at,summary\na,2026-03-01T10:00:00Z,ok\nb,2026-03-01T10:00:00Z,fine\nc,2026-03-01T10:00:00Z,\"say \"hi\" now\"\n",
			`line 4: csv: malformed CSV`},
		{"bare quote", "external_id,started_at,summary\na,2026-03-01T10:00:00Z,ok\nb,2026-03-01T10:00:00Z,5\" screen\n",
			`line 3: csv: malformed CSV`},
		{"field count", "external_id,started_at,summary\na,2026-03-01T10:00:00Z,ok\nb,2026-03-01T10:00:00Z\nc,2026-03-01T10:00:00Z,x,y\n",
			"line 3: csv: has 2 fields, the header has 3"},
		{"unknown column", "external_id,started_at,colour,Summary\na,2026-03-01T10:00:00Z,red,x\n",
			"line 1: colour: is not a session field"},
		{"missing column", "external_id,summary\na,x\n", "line 1: started_at: column is required"},
		{"empty", "", "line 1: header: the file is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", "import", writeFile(t, "in.csv", c.content), "--db", db)
			if r.code != 1 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, c.want)
			}
		})
	}
	if r := runCLI(t, "", "import", "--db", db); r.code != 2 {
		t.Errorf("no file: exit %d, want 2", r.code)
	}
	if r := runCLI(t, "", "import", "/nonexistent/file.csv", "--db", db); r.code != 1 || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("missing file: exit %d, stderr %q", r.code, r.stderr)
	}
	if n := countSessions(t, db); n != 0 {
		t.Errorf("%d sessions stored, want 0", n)
	}
}

func TestReimportUpdatesAutoPartAndKeepsHumanPart(t *testing.T) {
	db := tempDB(t)
	first := writeFile(t, "first.csv", "external_id,started_at,summary,is_lead,units,stars,comment,human_is_test\n"+
		"r-1,2026-03-01T18:30:00Z,first,true,2,4,keep me,false\n"+
		"r-2,2026-03-01T19:30:00Z,first,false,,,,\n")
	mustRun(t, "", "import", first, "--db", db)
	second := writeFile(t, "second.jsonl", `{"external_id":"r-1","started_at":"2026-03-01T18:45:00Z","summary":"second","is_lead":true,"units":6}`+"\n"+
		`{"external_id":"r-2","started_at":"2026-03-01T19:30:00Z","summary":"second"}`+"\n"+
		`{"external_id":"r-3","started_at":"2026-03-01T20:30:00Z"}`+"\n")
	r := mustRun(t, "", "import", second, "--db", db)
	if lastLine(r.stdout) != "imported: 1 created, 2 updated" {
		t.Errorf("stdout = %q", r.stdout)
	}
	withStore(t, db, func(s *storage.Store) {
		ctx := context.Background()
		r1, err := s.Session(ctx, "r-1")
		if err != nil {
			t.Fatal(err)
		}
		if r1.Summary != "second" || *r1.Units != 600 || r1.StartedAt.Minute() != 45 {
			t.Errorf("auto part not replaced: %+v", r1)
		}
		if r1.Stars == nil || *r1.Stars != 4 || r1.Comment == nil || *r1.Comment != "keep me" || r1.HumanIsTest == nil || *r1.HumanIsTest {
			t.Errorf("human part not kept: %+v", r1)
		}
		audit, err := s.Audit(ctx, models.EntitySession, r1.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(audit) != 3 || audit[0].Actor != "import" {
			t.Errorf("audit of r-1 = %+v; want stars, comment and is_test by import", audit)
		}
		total, err := s.Totals(ctx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if total.Sessions != 3 || total.Leads != 1 || total.Rated != 1 {
			t.Errorf("totals after re-import = %+v", total)
		}
	})
}
