package cli

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/schollz/progressbar/v3"

	"asrboard/storage"
)

// maxGenerate bounds one generate run (about 5 GB of SQLite at the limit).
const maxGenerate = 20_000_000

func runGenerate(ctx context.Context, e *env, args []string) error {
	fs, db := newFlagSet(e, "generate", "--sessions N [--days 90] [--seed S]")
	n := fs.Int("sessions", 0, "how many synthetic sessions to add (required)")
	days := fs.Int("days", 90, "spread started_at over the last DAYS days")
	seed := fs.Uint64("seed", 0, "random seed; the same seed gives the same sessions, ids gen-SEED-n (default: random)")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if *n < 1 || *n > maxGenerate {
		return usagef("--sessions must be from 1 to %d, got %d", maxGenerate, *n)
	}
	if *days < 1 || *days > 36500 {
		return usagef("--days must be from 1 to 36500, got %d", *days)
	}
	seedGiven := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			seedGiven = true
		}
	})
	if !seedGiven {
		*seed = 1 + rand.Uint64N(999_999_999)
	}
	store, err := db.open(ctx, e, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(e.stderr, "generating %d sessions over %d days (seed %d)\n", *n, *days, *seed)
	start := time.Now()
	progress, finish := generateProgress(e, *n, "generating")
	err = store.Generate(ctx, storage.GenerateOptions{Sessions: *n, Days: *days, Seed: *seed}, progress)
	finish()
	if err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(e.stdout, "generated %d sessions in %s (%.0f sessions/s), ids gen-%d-*\n",
		*n, took.Round(time.Millisecond), float64(*n)/took.Seconds(), *seed)
	return nil
}

// generateProgress shows a bar of n sessions when stderr is a terminal; the
// returned finish clears it.
func generateProgress(e *env, n int, what string) (func(int), func()) {
	if !isTerminal(e.stderr) {
		return nil, func() {}
	}
	bar := progressbar.NewOptions(n, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("sessions"),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	return func(done int) { _ = bar.Set(done) }, func() { _ = bar.Finish() }
}
