package cli_test

import (
	"context"
	"strings"
	"testing"

	"asrboard/models"
	"asrboard/storage"
)

func TestUserAdd(t *testing.T) {
	db := tempDB(t)
	r := mustRun(t, "correct horse battery\nignored second line\n", "user", "add", "--email", "Ann@Example.com", "--role", "reviewer", "--password-stdin", "--db", db)
	if !strings.Contains(r.stdout, "ann@example.com") {
		t.Errorf("stdout %q does not name the user", r.stdout)
	}
	withStore(t, db, func(s *storage.Store) {
		u, err := s.Authenticate(context.Background(), "ann@example.com", "correct horse battery")
		if err != nil {
			t.Fatalf("the password from stdin does not log in: %v", err)
		}
		if u.Role != models.RoleReviewer {
			t.Errorf("role = %s", u.Role)
		}
	})

	r = runCLI(t, "short\n", "user", "add", "--email", "bob@example.com", "--role", "staff", "--password-stdin", "--db", db)
	if r.code != 1 || !strings.Contains(r.stderr, "password") || !strings.Contains(r.stderr, "at least 10 characters") {
		t.Errorf("short password: exit %d, stderr %q; want 1 naming the rule", r.code, r.stderr)
	}
	r = runCLI(t, "correct horse battery\n", "user", "add", "--email", "ann@example.com", "--role", "owner", "--password-stdin", "--db", db)
	if r.code != 1 || !strings.Contains(r.stderr, "already has an account") {
		t.Errorf("duplicate: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, "correct horse battery\n", "user", "add", "--email", "carl@example.com", "--role", "staff", "--db", db)
	if r.code == 0 || !strings.Contains(r.stderr, "--password-stdin") {
		t.Errorf("no terminal and no --password-stdin: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, "correct horse battery\n", "user", "add", "--email", "dora@example.com", "--role", "ingest", "--password-stdin", "--db", db)
	if r.code != 2 || !strings.Contains(r.stderr, "owner, staff, reviewer") {
		t.Errorf("ingest is no user role: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, "correct horse battery\n", "user", "add", "--email", "not-an-email", "--role", "staff", "--password-stdin", "--db", db)
	if r.code != 1 || !strings.Contains(r.stderr, "email") {
		t.Errorf("bad email: exit %d, stderr %q", r.code, r.stderr)
	}
	withStore(t, db, func(s *storage.Store) {
		users, err := s.Users(context.Background())
		if err != nil || len(users) != 1 {
			t.Errorf("users = %v, %v; want only ann", users, err)
		}
	})
}
