// Package cli is the command line of ASR Board (SPEC §5): one function per
// command, each parsing its flags, opening the store and calling storage, so
// that main.go only wires signals and standard streams.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"asrboard/models"
	"asrboard/storage"
)

// DefaultDBPath is the SQLite file used when no database is named.
const DefaultDBPath = "data/asrboard.db"

// Environment variables naming the database; --db and --database-url win.
const (
	EnvDB          = "ASRBOARD_DB"
	EnvDatabaseURL = "DATABASE_URL"
)

// env is what a command may touch of the outside world, so tests can run
// commands with buffers.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

var commands = []command{
	{"serve", "[--addr 127.0.0.1:8080]", "migrate the database and serve the web app and API until SIGINT/SIGTERM", runServe},
	{"demo", "[--addr 127.0.0.1:8080] [--sessions 2000]", "on an empty database create demo users and sessions, print the logins, then serve", runDemo},
	{"user add", "--email E --role owner|staff|reviewer [--password-stdin]", "create a user (password prompted, or first line of stdin)", runUserAdd},
	{"token create", "--name N --role owner|staff|reviewer|ingest", "create an API token and print it once, alone on the last line", runTokenCreate},
	{"import", "FILE|-", "import sessions from CSV or JSON Lines, all or nothing", runImport},
	{"export", "[--from D] [--to D]", "write sessions with derived fields as CSV to stdout", runExport},
	{"generate", "--sessions N [--days 90] [--seed S]", "fill the database with N synthetic sessions, for benchmarks", runGenerate},
}

// Main runs the command named by args (os.Args[1:]) and returns the process
// exit code: 0 on success, 1 when the command failed, 2 on a usage error.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(ctx, &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}, args)
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run(ctx, e, append(args[1:], "-h"))
		}
		usage(e.stdout)
		return 0
	}
	cmd, rest, ok := findCommand(args)
	if !ok {
		name := args[0]
		for _, c := range commands {
			if strings.HasPrefix(c.name, args[0]+" ") && len(args) > 1 {
				name += " " + args[1] // "user remove"
				break
			}
		}
		fmt.Fprintf(e.stderr, "asrboard: unknown command %q\n\n", name)
		usage(e.stderr)
		return 2
	}
	err := cmd.run(ctx, e, rest)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		if ue.msg == "" {
			return 2 // the flag package has printed the problem and the flags
		}
		fmt.Fprintf(e.stderr, "asrboard %s: %s\n", cmd.name, ue.msg)
		fmt.Fprintf(e.stderr, "usage: asrboard %s %s\nRun \"asrboard %s -h\" for its flags.\n", cmd.name, cmd.args, cmd.name)
		return 2
	case ctx.Err() != nil:
		// Errors after a cancel are side effects (a closed statement); say why.
		fmt.Fprintf(e.stderr, "asrboard %s: interrupted; an unfinished transaction was rolled back\n", cmd.name)
		return 1
	default:
		printError(e.stderr, err)
		return 1
	}
}

// findCommand matches one- and two-word command names ("user add").
func findCommand(args []string) (command, []string, bool) {
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):], true
		}
	}
	return command{}, nil, false
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "ASR Board: sessions of your AI Employee and the revenue it secured.\n\nUsage: asrboard <command> [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-13s %s\n  %-13s   %s\n", c.name, c.args, "", c.summary)
	}
	fmt.Fprintf(w, `  help [command] show this help, or the flags of a command

Every command takes --db PATH (SQLite file, default %s) or
--database-url postgres://... (or the environment variables %s, then %s).
Run "asrboard <command> -h" for the flags of a command.
`, DefaultDBPath, EnvDB, EnvDatabaseURL)
}

// usageError is a mistake in the command line: exit code 2 and a usage hint.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// printError writes err as one line; a domain error with several details, or
// with line numbers (imports), lists each on its own line.
func printError(w io.Writer, err error) {
	var me *models.Error
	if errors.As(err, &me) && (len(me.Details) > 1 || (len(me.Details) == 1 && me.Details[0].Line > 0)) {
		fmt.Fprintf(w, "asrboard: %s\n", me.Message)
		for _, d := range me.Details {
			fmt.Fprintf(w, "  %s\n", d)
		}
		return
	}
	fmt.Fprintf(w, "asrboard: %v\n", err)
}

// newFlagSet makes the flag set of one command with the database flags every
// command shares; errors and -h go to stderr.
func newFlagSet(e *env, name, args string) (*flag.FlagSet, *dbFlags) {
	fs := flag.NewFlagSet("asrboard "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: asrboard %s %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	d := &dbFlags{}
	fs.StringVar(&d.path, "db", "", "SQLite database file (default "+DefaultDBPath+", or $"+EnvDB+")")
	fs.StringVar(&d.url, "database-url", "", "PostgreSQL URL postgres://... (or $"+EnvDB+", $"+EnvDatabaseURL+")")
	return fs, d
}

// parse reads flags that may come before or after positional arguments
// ("import data.csv --db x.db") and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{} // the flag package already said what is wrong
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// noArgs rejects positional arguments for commands that take none.
func noArgs(fs *flag.FlagSet, args []string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return nil
}

// dbFlags are --db and --database-url.
type dbFlags struct {
	path, url string
}

// config resolves where the database is: a flag wins over the environment,
// ASRBOARD_DB over DATABASE_URL; a postgres:// value is a URL, anything else
// a SQLite path.
func (d *dbFlags) config(e *env) (storage.Config, error) {
	if d.path != "" && d.url != "" {
		return storage.Config{}, usagef("give either --db or --database-url, not both")
	}
	if d.url != "" {
		if !isPostgresURL(d.url) {
			return storage.Config{}, usagef("--database-url must start with postgres:// (use --db for a SQLite file)")
		}
		return storage.Config{URL: d.url}, nil
	}
	if d.path != "" {
		return storage.Config{Path: d.path}, nil
	}
	for _, name := range []string{EnvDB, EnvDatabaseURL} {
		v := strings.TrimSpace(e.getenv(name))
		switch {
		case v == "":
		case isPostgresURL(v):
			return storage.Config{URL: v}, nil
		default:
			return storage.Config{Path: strings.TrimPrefix(strings.TrimPrefix(v, "sqlite://"), "sqlite:")}, nil
		}
	}
	return storage.Config{Path: DefaultDBPath}, nil
}

func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// open opens (and migrates) the store the flags name.
func (d *dbFlags) open(ctx context.Context, e *env, logger *slog.Logger) (*storage.Store, error) {
	cfg, err := d.config(e)
	if err != nil {
		return nil, err
	}
	cfg.Logger = logger
	return storage.Open(ctx, cfg)
}

// isTerminal tells whether f is an *os.File attached to a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}
