package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"asrboard/handlers/cli"
	"asrboard/storage"
)

// result is what one command run printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs one command through cli.Main with buffers for the streams.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

// mustRun runs a command that has to succeed.
func mustRun(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	r := runCLI(t, stdin, args...)
	if r.code != 0 {
		t.Fatalf("asrboard %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// tempDB names a fresh SQLite file under t.TempDir().
func tempDB(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "asrboard.db")
}

// openStore opens the database a command used, closed when the test ends.
func openStore(t *testing.T, path string) *storage.Store {
	t.Helper()
	s, err := storage.Open(context.Background(), storage.Config{Path: path})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// withStore opens the database, runs fn and closes it again, so that the
// next command is the only one holding the file.
func withStore(t *testing.T, path string, fn func(s *storage.Store)) {
	t.Helper()
	s, err := storage.Open(context.Background(), storage.Config{Path: path})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer s.Close()
	fn(s)
}

func countSessions(t *testing.T, path string) int64 {
	t.Helper()
	var n int64
	withStore(t, path, func(s *storage.Store) {
		c, err := s.CountSessions(context.Background(), storage.SessionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		n = c.N
	})
	return n
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines, which
// notices the "listening on" line of serve and demo.
type syncBuffer struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	listening chan string
	once      sync.Once
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{listening: make(chan string, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	s := b.buf.String()
	if i := strings.Index(s, "listening on http://"); i >= 0 {
		rest := s[i+len("listening on "):]
		if j := strings.IndexByte(rest, '\n'); j >= 0 {
			b.once.Do(func() { b.listening <- rest[:j] })
		}
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestUsage(t *testing.T) {
	r := runCLI(t, "", "help")
	if r.code != 0 {
		t.Fatalf("help: exit %d", r.code)
	}
	for _, cmd := range []string{"serve", "demo", "user add", "token create", "import", "export", "generate", "--db", "--database-url"} {
		if !strings.Contains(r.stdout, cmd) {
			t.Errorf("usage lacks %q:\n%s", cmd, r.stdout)
		}
	}
	if r := runCLI(t, "", "-h"); r.code != 0 || !strings.Contains(r.stdout, "Commands:") {
		t.Errorf("-h: exit %d, stdout %q", r.code, r.stdout)
	}
	if r := runCLI(t, ""); r.code != 2 || !strings.Contains(r.stderr, "Commands:") {
		t.Errorf("no command: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, "", "frobnicate")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) || !strings.Contains(r.stderr, "Commands:") || r.stdout != "" {
		t.Errorf("unknown command: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "", "user", "remove"); r.code != 2 {
		t.Errorf("user remove: exit %d, want 2", r.code)
	}
	if r := runCLI(t, "", "token", "create", "-h"); r.code != 0 || !strings.Contains(r.stderr, "-role") {
		t.Errorf("token create -h: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := runCLI(t, "", "export", "--nope"); r.code != 2 || !strings.Contains(r.stderr, "nope") {
		t.Errorf("unknown flag: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestDatabaseFlagsAndEnvironment(t *testing.T) {
	dir := t.TempDir()
	fromEnv := filepath.Join(dir, "env.db")
	fromURL := filepath.Join(dir, "url.db")
	fromFlag := filepath.Join(dir, "flag.db")
	t.Setenv(cli.EnvDB, fromEnv)
	t.Setenv(cli.EnvDatabaseURL, "sqlite:"+fromURL)

	mustRun(t, "", "token", "create", "--name", "a", "--role", "ingest")
	if _, err := os.Stat(fromEnv); err != nil {
		t.Errorf("%s wins over %s: %v", cli.EnvDB, cli.EnvDatabaseURL, err)
	}
	mustRun(t, "", "token", "create", "--name", "b", "--role", "ingest", "--db", fromFlag)
	if _, err := os.Stat(fromFlag); err != nil {
		t.Errorf("--db wins over the environment: %v", err)
	}
	t.Setenv(cli.EnvDB, "")
	mustRun(t, "", "token", "create", "--name", "c", "--role", "ingest")
	if _, err := os.Stat(fromURL); err != nil {
		t.Errorf("%s is used without %s: %v", cli.EnvDatabaseURL, cli.EnvDB, err)
	}

	if r := runCLI(t, "", "export", "--db", fromFlag, "--database-url", "postgres://x@localhost/db"); r.code != 2 || !strings.Contains(r.stderr, "not both") {
		t.Errorf("both flags: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := runCLI(t, "", "export", "--database-url", "mysql://x"); r.code != 2 || !strings.Contains(r.stderr, "postgres://") {
		t.Errorf("a non-postgres URL: exit %d, stderr %q", r.code, r.stderr)
	}
}
