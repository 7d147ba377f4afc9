// Command asrboard is ASR Board: it serves the web app and JSON API and runs
// the maintenance commands of SPEC §5 (see handlers/cli).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"asrboard/handlers/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal kills at once instead of waiting for a graceful stop
	}()
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
