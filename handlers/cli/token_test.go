package cli_test

import (
	"context"
	"strings"
	"testing"

	"asrboard/models"
	"asrboard/storage"
)

func TestTokenCreatePrintsTokenAloneOnLastLine(t *testing.T) {
	db := tempDB(t)
	r := mustRun(t, "", "token", "create", "--name", "voice platform", "--role", "ingest", "--db", db)
	token := lastLine(r.stdout)
	if !strings.HasPrefix(token, models.TokenPrefix) || strings.ContainsAny(token, " \t") {
		t.Fatalf("last stdout line %q is not a bare token (stdout %q)", token, r.stdout)
	}
	if !strings.Contains(r.stderr, "only this once") {
		t.Errorf("stderr lacks the warning: %q", r.stderr)
	}
	withStore(t, db, func(s *storage.Store) {
		tok, err := s.TokenByPlain(context.Background(), token)
		if err != nil {
			t.Fatalf("printed token does not authenticate: %v", err)
		}
		if tok.Role != models.RoleIngest || tok.Name != "voice platform" {
			t.Errorf("token = %+v", tok)
		}
	})

	for _, args := range [][]string{
		{"token", "create", "--name", "x", "--role", "admin", "--db", db},
		{"token", "create", "--role", "owner", "--db", db},
		{"token", "create", "--name", "x", "--role", "owner", "extra", "--db", db},
	} {
		if r := runCLI(t, "", args...); r.code != 2 || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and no token", args, r.code, r.stdout, r.stderr)
		}
	}
}
