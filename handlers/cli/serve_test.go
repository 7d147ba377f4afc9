package cli_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"asrboard/handlers/cli"
)

// running is a serve or demo command running in the background.
type running struct {
	url            string
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan int
}

// start runs a serving command until it prints "listening on", as SIGINT's
// context would be cancelled in main.
func start(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stdout: newSyncBuffer(), stderr: newSyncBuffer(), cancel: cancel, done: make(chan int, 1)}
	go func() { r.done <- cli.Main(ctx, args, strings.NewReader(""), r.stdout, r.stderr) }()
	select {
	case r.url = <-r.stderr.listening:
	case code := <-r.done:
		cancel()
		t.Fatalf("%v exited with %d before listening\nstdout: %s\nstderr: %s", args, code, r.stdout, r.stderr)
	case <-time.After(2 * time.Minute):
		cancel()
		t.Fatalf("%v did not start listening", args)
	}
	t.Cleanup(cancel)
	return r
}

// stop cancels the context like SIGTERM and returns the exit code.
func (r *running) stop(t *testing.T) int {
	t.Helper()
	r.cancel()
	select {
	case code := <-r.done:
		return code
	case <-time.After(cli.ShutdownTimeout + 5*time.Second):
		t.Fatal("the server did not stop")
		return -1
	}
}

func TestServeStopsGracefully(t *testing.T) {
	db := tempDB(t)
	r := start(t, "serve", "--addr", "127.0.0.1:0", "--db", db, "--log-format", "json")
	resp, err := http.Get(r.url + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	resp.Body.Close()
	if code := r.stop(t); code != 0 {
		t.Fatalf("exit %d after cancel; stderr %s", code, r.stderr)
	}
	if !strings.Contains(r.stderr.String(), "stopped") {
		t.Errorf("stderr = %q", r.stderr)
	}
	if _, err := http.Get(r.url + "/healthz"); err == nil {
		t.Errorf("still answering after shutdown")
	}

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	res := runCLI(t, "", "serve", "--addr", busy.Addr().String(), "--db", db)
	if res.code != 1 || !strings.Contains(res.stderr, "listen on") {
		t.Errorf("address in use: exit %d, stderr %q", res.code, res.stderr)
	}
	if res := runCLI(t, "", "serve", "--log-format", "xml", "--db", db); res.code != 2 {
		t.Errorf("bad log format: exit %d", res.code)
	}
}
