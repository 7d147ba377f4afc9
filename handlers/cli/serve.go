package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"asrboard/handlers"
	"asrboard/storage"
)

// ShutdownTimeout is how long a stopping server waits for requests in flight.
const ShutdownTimeout = 10 * time.Second

// serveFlags are the flags of serve and demo.
type serveFlags struct {
	addr      string
	logFormat string
}

func addServeFlags(fs *flag.FlagSet) *serveFlags {
	sf := &serveFlags{}
	fs.StringVar(&sf.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port)")
	fs.StringVar(&sf.logFormat, "log-format", "text", "log format on stderr: text or json")
	return sf
}

// logger builds the request and error logger, writing to stderr.
func (sf *serveFlags) logger(e *env) (*slog.Logger, error) {
	switch sf.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, nil)), nil
	}
	return nil, usagef("--log-format must be text or json, got %q", sf.logFormat)
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs, db := newFlagSet(e, "serve", "[--addr 127.0.0.1:8080]")
	sf := addServeFlags(fs)
	if err := noArgs(fs, args); err != nil {
		return err
	}
	logger, err := sf.logger(e)
	if err != nil {
		return err
	}
	store, err := db.open(ctx, e, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	return serve(ctx, e, store, sf.addr, logger)
}

// serve answers HTTP on addr until ctx is cancelled (SIGINT/SIGTERM), then
// shuts down gracefully: no new connections, and requests in flight get
// ShutdownTimeout to finish.
func serve(ctx context.Context, e *env, store *storage.Store, addr string, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           handlers.New(store, handlers.Config{Logger: logger}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,  // an ingest batch of 10,000 sessions is a large body
		WriteTimeout:      10 * time.Minute, // a CSV export of a million sessions streams for a while
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Fprintf(e.stderr, "listening on http://%s\n", displayAddr(ln.Addr()))

	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(e.stderr, "shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(e.stderr, "stopped")
	return nil
}

// displayAddr is the listening address as a browser would reach it: an
// unspecified host (":8080", "0.0.0.0") is shown as localhost.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return tcp.String()
}
