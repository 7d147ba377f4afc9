package storage

import (
	"context"
	"testing"

	"asrboard/models"
)

func TestChangeUserKeepsAnOwner(t *testing.T) {
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			mk := func(email string, role models.Role) *models.User {
				u, err := s.CreateUser(ctx, email, "correct horse battery", role)
				if err != nil {
					t.Fatalf("create %s: %v", email, err)
				}
				return u
			}
			alice := mk("alice@example.com", models.RoleOwner)
			bob := mk("bob@example.com", models.RoleOwner)
			carol := mk("carol@example.com", models.RoleStaff)
			change := func(actor, id int64, role models.Role, disabled bool) (*models.User, error) {
				return s.ChangeUser(ctx, actor, id, UserChange{Role: &role, Disabled: &disabled})
			}
			roleOf := func(id int64) (models.Role, bool) {
				u, err := s.User(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				return u.Role, u.Disabled
			}

			// An owner may not demote or disable themselves, even with another owner.
			for _, c := range []struct {
				role     models.Role
				disabled bool
			}{{models.RoleStaff, false}, {models.RoleOwner, true}} {
				if _, err := change(alice.ID, alice.ID, c.role, c.disabled); models.ErrorCode(err) != models.CodeConflict {
					t.Errorf("self change to %s/%v: err %v, want conflict", c.role, c.disabled, err)
				}
			}
			if r, d := roleOf(alice.ID); r != models.RoleOwner || d {
				t.Fatalf("alice changed to %s/%v", r, d)
			}

			// Alice may demote Bob, then Bob's turn: Alice is the last owner.
			if _, err := change(alice.ID, bob.ID, models.RoleReviewer, false); err != nil {
				t.Fatalf("demote bob: %v", err)
			}
			_, err := change(bob.ID, alice.ID, models.RoleStaff, false)
			if models.ErrorCode(err) != models.CodeConflict {
				t.Fatalf("demote last owner: err %v, want conflict", err)
			}
			if r, d := roleOf(alice.ID); r != models.RoleOwner || d {
				t.Fatalf("last owner changed to %s/%v", r, d)
			}

			// A disabled owner does not count as one.
			if _, err := change(alice.ID, bob.ID, models.RoleOwner, true); err != nil {
				t.Fatalf("make bob a disabled owner: %v", err)
			}
			if _, err := change(bob.ID, alice.ID, models.RoleOwner, true); models.ErrorCode(err) != models.CodeConflict {
				t.Fatalf("disable last enabled owner: err %v, want conflict", err)
			}

			// A change of the status alone keeps the role, and the other way round.
			disable := true
			if u, err := s.ChangeUser(ctx, alice.ID, carol.ID, UserChange{Disabled: &disable}); err != nil || u.Role != models.RoleStaff || !u.Disabled {
				t.Fatalf("disable carol: %+v %v", u, err)
			}
			owner := models.RoleOwner
			if u, err := s.ChangeUser(ctx, alice.ID, carol.ID, UserChange{Role: &owner}); err != nil || u.Role != models.RoleOwner || !u.Disabled {
				t.Fatalf("promote carol: %+v %v", u, err)
			}

			// Other changes go through; a bad role or an unknown user does not.
			u, err := change(alice.ID, carol.ID, models.RoleReviewer, true)
			if err != nil || u.Role != models.RoleReviewer || !u.Disabled {
				t.Fatalf("change carol: %+v %v", u, err)
			}
			if r, d := roleOf(carol.ID); r != models.RoleReviewer || !d {
				t.Fatalf("carol stored as %s/%v", r, d)
			}
			if _, err := change(alice.ID, carol.ID, models.RoleIngest, false); models.ErrorCode(err) != models.CodeInvalid {
				t.Fatalf("ingest role for a person: err %v, want invalid", err)
			}
			if _, err := change(alice.ID, 9999, models.RoleStaff, false); models.ErrorCode(err) != models.CodeNotFound {
				t.Fatalf("unknown user: err %v, want not found", err)
			}
		})
	}
}

func TestTokenByID(t *testing.T) {
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			_, tok, err := s.CreateToken(ctx, "ci", models.RoleIngest)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.RevokeToken(ctx, tok.ID); err != nil {
				t.Fatal(err)
			}
			got, err := s.Token(ctx, tok.ID)
			if err != nil || got.Name != "ci" || got.RevokedAt == nil {
				t.Fatalf("Token: %+v %v", got, err)
			}
			if _, err := s.Token(ctx, tok.ID+100); models.ErrorCode(err) != models.CodeNotFound {
				t.Fatalf("unknown token: err %v", err)
			}
		})
	}
}
