package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"asrboard/handlers/cli"
	"asrboard/models"
	"asrboard/storage"
)

func TestGenerateCommand(t *testing.T) {
	db := tempDB(t)
	r := mustRun(t, "", "generate", "--sessions", "1500", "--days", "10", "--seed", "4", "--db", db)
	if !strings.HasPrefix(lastLine(r.stdout), "generated 1500 sessions in ") || !strings.Contains(r.stdout, "gen-4-") {
		t.Errorf("stdout = %q", r.stdout)
	}
	if n := countSessions(t, db); n != 1500 {
		t.Errorf("%d sessions, want 1500", n)
	}

	r = runCLI(t, "", "generate", "--sessions", "10", "--seed", "4", "--db", db)
	if r.code != 1 || !strings.Contains(r.stderr, "choose another seed") {
		t.Errorf("same seed twice: exit %d, stderr %q", r.code, r.stderr)
	}
	mustRun(t, "", "generate", "--sessions", "10", "--db", db) // a random seed
	withStore(t, db, func(s *storage.Store) {
		ctx := context.Background()
		n, err := s.CountSessions(ctx, storage.SessionFilter{})
		if err != nil || n != (models.Count{N: 1510}) {
			t.Errorf("%+v sessions (%v), want 1510", n, err)
		}
		page, err := s.ListSessions(ctx, storage.SessionFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.Attributes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range page.Sessions {
			want := got
			want.Recompute(a)
			if want.ASRCents != got.ASRCents || want.IsOpportunity != got.IsOpportunity || want.IsTest != got.IsTest || want.InWorkingHours != got.InWorkingHours {
				t.Errorf("%s: stored derived fields differ from Recompute", got.ExternalID)
			}
		}
	})

	for _, args := range [][]string{
		{"generate", "--db", db},
		{"generate", "--sessions", "0", "--db", db},
		{"generate", "--sessions", "5", "--days", "0", "--db", db},
		{"generate", "--sessions", "many", "--db", db},
	} {
		if r := runCLI(t, "", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, r.code, r.stderr)
		}
	}
}

func TestGenerateInterruptedStoresNothing(t *testing.T) {
	db := tempDB(t)
	mustRun(t, "", "token", "create", "--name", "x", "--role", "ingest", "--db", db) // create the file first
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, []string{"generate", "--sessions", "5000000", "--db", db}, strings.NewReader(""), &out, &errb)
	}()
	time.Sleep(300 * time.Millisecond) // like Ctrl-C while the rows are written
	cancel()
	select {
	case code := <-done:
		if code != 1 || !strings.Contains(errb.String(), "interrupted") {
			t.Errorf("exit %d, stderr %q; want 1 and interrupted", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("generate did not stop on cancel")
	}
	if n := countSessions(t, db); n != 0 {
		t.Errorf("%d sessions stored by an interrupted generate, want 0", n)
	}
}
