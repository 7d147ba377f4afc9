package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"asrboard/models"
)

func runUserAdd(ctx context.Context, e *env, args []string) error {
	fs, db := newFlagSet(e, "user add", "--email E --role owner|staff|reviewer [--password-stdin]")
	email := fs.String("email", "", "the user's email address, used to log in (required)")
	role := fs.String("role", "", "owner, staff or reviewer (required)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin instead of prompting")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usagef("--email is required")
	}
	r, err := models.ParseRole(*role, models.UserRoles)
	if err != nil {
		return usagef("--role %v", err)
	}
	if !models.LooksLikeEmail(strings.TrimSpace(*email)) {
		return models.Invalid("invalid user", models.FieldError{Field: "email", Message: fmt.Sprintf("must look like an email address, got %q", *email)})
	}
	store, err := db.open(ctx, e, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	pw, err := readPassword(e, *email, *fromStdin)
	if err != nil {
		return err
	}
	u, err := store.CreateUser(ctx, *email, pw, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s user %s\n", u.Role, u.Email)
	return nil
}

// readPassword takes the first line of stdin (--password-stdin) or prompts
// twice on the terminal without echo.
func readPassword(e *env, email string, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password from stdin: %w", err)
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			return "", models.Invalid("invalid password", models.FieldError{Field: "password", Message: "stdin held no password (give it on the first line)"})
		}
		return line, nil
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usagef("stdin is not a terminal, so the password cannot be prompted for: pipe it in and pass --password-stdin")
	}
	fmt.Fprintf(e.stderr, "Password for %s (at least %d characters): ", email, models.MinPasswordLen)
	first, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprint(e.stderr, "Repeat the password: ")
	second, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if string(first) != string(second) {
		return "", models.Invalid("invalid password", models.FieldError{Field: "password", Message: "the two passwords differ"})
	}
	return string(first), nil
}
