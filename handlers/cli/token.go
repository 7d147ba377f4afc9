package cli

import (
	"context"
	"fmt"

	"asrboard/models"
)

func runTokenCreate(ctx context.Context, e *env, args []string) error {
	fs, db := newFlagSet(e, "token create", "--name N --role owner|staff|reviewer|ingest")
	name := fs.String("name", "", "a name to tell the token apart, e.g. the platform using it (required)")
	role := fs.String("role", "", "owner, staff, reviewer or ingest (required)")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if *name == "" {
		return usagef("--name is required")
	}
	r, err := models.ParseRole(*role, models.TokenRoles)
	if err != nil {
		return usagef("--role %v", err)
	}
	store, err := db.open(ctx, e, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	plain, t, err := store.CreateToken(ctx, *name, r)
	if err != nil {
		return err
	}
	// Only the token goes to stdout, so TOKEN=$(asrboard token create ...) works.
	fmt.Fprintf(e.stderr, "Created API token %q (role %s, starts %s). It is shown only this once; store it now.\n", t.Name, t.Role, t.Prefix)
	fmt.Fprintln(e.stdout, plain)
	return nil
}
