package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"asrboard/models"
)

// usersState is what a refused users-page request must leave alone.
func usersState(t *testing.T, v *env) string {
	t.Helper()
	ctx := context.Background()
	users, err := v.store.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := v.store.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, u := range users {
		b.WriteString(u.Email + " " + string(u.Role) + " " + strconv.FormatBool(u.Disabled) + "\n")
	}
	for _, tk := range tokens {
		b.WriteString(tk.Name + " " + string(tk.Role) + " " + strconv.FormatBool(tk.RevokedAt != nil) + "\n")
	}
	return b.String()
}

// userID finds a user's id by email.
func userID(t *testing.T, v *env, email string) int64 {
	t.Helper()
	users, err := v.store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Email == email {
			return u.ID
		}
	}
	t.Fatalf("no user %s", email)
	return 0
}

func TestWebUsersOwnerOnly(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		owner := admSignIn(t, v, "owner@example.com", models.RoleOwner)
		doc := page(t, owner.get("/users"), http.StatusOK)
		if doc.Find(`[data-testid="users"]`).Length() != 1 || doc.Find(`[data-testid="tokens"]`).Length() != 1 {
			t.Fatal("owner does not see users and tokens")
		}
		if doc.Find(`[data-testid="nav-users"][aria-current="page"]`).Length() != 1 {
			t.Error("users not the active navigation item")
		}
		ownerID := userID(t, v, "owner@example.com")
		_, tok, err := v.store.CreateToken(context.Background(), "victim", models.RoleIngest)
		if err != nil {
			t.Fatal(err)
		}
		victim := strconv.FormatInt(tok.ID, 10)
		var before string

		posts := []struct {
			path string
			form url.Values
		}{
			{"/users", url.Values{"email": {"mallory@example.com"}, "role": {"owner"}, "password": {testPassword}}},
			{"/users/" + strconv.FormatInt(ownerID, 10) + "/role", url.Values{"role": {"reviewer"}}},
			{"/users/" + strconv.FormatInt(ownerID, 10) + "/disable", nil},
			{"/users/tokens", url.Values{"name": {"stolen"}, "role": {"owner"}}},
			{"/users/tokens/" + victim + "/revoke", nil},
		}
		for _, role := range []models.Role{models.RoleStaff, models.RoleReviewer} {
			b := admSignIn(t, v, string(role)+"@example.com", role)
			before = usersState(t, v)
			doc := page(t, b.get("/users"), http.StatusForbidden)
			if doc.Find(`[data-testid="users"]`).Length() != 0 || doc.Find(`[data-testid="nav-users"]`).Length() != 0 {
				t.Fatalf("%s sees the users page or its link", role)
			}
			want(t, b.get("/users/tokens/"+victim+"/revoke"), http.StatusForbidden)
			for _, p := range posts {
				if rec := b.post(p.path, p.form); rec.Code != http.StatusForbidden {
					t.Fatalf("%s POST %s: status %d, want 403", role, p.path, rec.Code)
				}
			}
			if after := usersState(t, v); after != before {
				t.Fatalf("%s changed users or tokens:\nbefore %s\nafter  %s", role, before, after)
			}
		}

		// The owner without the CSRF token is refused too.
		for _, p := range posts {
			if rec := owner.postRaw(p.path, p.form); rec.Code != http.StatusForbidden {
				t.Fatalf("owner POST %s without token: status %d, want 403", p.path, rec.Code)
			}
		}
		if after := usersState(t, v); after != before {
			t.Fatalf("posts without token changed users or tokens:\nbefore %s\nafter  %s", before, after)
		}
	})
}

func TestWebUsersCreate(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		owner := admSignIn(t, v, "owner@example.com", models.RoleOwner)
		owner.get("/users")
		rec := owner.post("/users", url.Values{"email": {" New.Person@Example.com "}, "role": {"staff"}, "password": {"long enough pw"}})
		doc := page(t, admFollow(owner, rec), http.StatusOK)
		if msg := admText(doc, "flash-success"); !strings.Contains(msg, "new.person@example.com") {
			t.Fatalf("flash %q", msg)
		}
		row := doc.Find(`tr[data-email="new.person@example.com"]`)
		if row.AttrOr("data-role", "") != "staff" || row.AttrOr("data-disabled", "") != "false" {
			t.Fatalf("new user row: role %q disabled %q", row.AttrOr("data-role", ""), row.AttrOr("data-disabled", ""))
		}
		newcomer := v.browser()
		newcomer.login("new.person@example.com", "long enough pw")

		before := usersState(t, v)
		cases := []struct {
			name           string
			form           url.Values
			status         int
			field, message string
		}{
			{"duplicate", url.Values{"email": {"NEW.person@example.com"}, "role": {"reviewer"}, "password": {"long enough pw"}},
				http.StatusConflict, "email", "already has an account"},
			{"short password", url.Values{"email": {"short@example.com"}, "role": {"reviewer"}, "password": {"short"}},
				http.StatusUnprocessableEntity, "password", "at least " + strconv.Itoa(models.MinPasswordLen) + " characters"},
			{"bad email", url.Values{"email": {"not-an-email"}, "role": {"reviewer"}, "password": {"long enough pw"}},
				http.StatusUnprocessableEntity, "email", "must look like an email"},
			{"ingest is not a person", url.Values{"email": {"bot@example.com"}, "role": {"ingest"}, "password": {"long enough pw"}},
				http.StatusUnprocessableEntity, "role", "must be one of owner, staff, reviewer"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				doc := page(t, owner.post("/users", c.form), c.status)
				if msg := admText(doc, "err-user-"+c.field); !strings.Contains(msg, c.message) {
					t.Errorf("message beside %s = %q, want %q", c.field, msg, c.message)
				}
				if got := admValue(doc, "input-user-email"); got != c.form.Get("email") {
					t.Errorf("email shows %q, want the typed %q", got, c.form.Get("email"))
				}
				if got := admValue(doc, "input-user-password"); got != "" {
					t.Error("the password was sent back")
				}
				if admText(doc, "new-user-error") == "" {
					t.Error("no summary above the form")
				}
				if after := usersState(t, v); after != before {
					t.Fatalf("a refused user was stored:\n%s", after)
				}
			})
		}
	})
}

func TestWebUsersRoleAndStatus(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		owner := admSignIn(t, v, "owner@example.com", models.RoleOwner)
		bob := admSignIn(t, v, "bob@example.com", models.RoleReviewer)
		ownerID, bobID := userID(t, v, "owner@example.com"), userID(t, v, "bob@example.com")
		bobPath := "/users/" + strconv.FormatInt(bobID, 10)

		// The owner's own row has no controls.
		doc := page(t, owner.get("/users"), http.StatusOK)
		self := doc.Find(`[data-testid="user-` + strconv.FormatInt(ownerID, 10) + `"]`)
		if self.Find("form").Length() != 0 {
			t.Error("the owner's own row offers to change it")
		}

		// Change role: bob becomes staff and sees the attributes at once.
		doc = page(t, admFollow(owner, owner.post(bobPath+"/role", url.Values{"role": {"staff"}})), http.StatusOK)
		if !strings.Contains(admText(doc, "flash-success"), "bob@example.com is now staff") {
			t.Fatalf("flash %q", admText(doc, "flash-success"))
		}
		if got := doc.Find(`[data-testid="user-` + strconv.FormatInt(bobID, 10) + `"] [data-testid="role-select"] option[selected]`).Text(); got != "staff" {
			t.Fatalf("bob's select shows %q", got)
		}
		want(t, bob.get("/attributes"), http.StatusOK)
		want(t, owner.post(bobPath+"/role", url.Values{"role": {"ingest"}}), http.StatusUnprocessableEntity)

		// Disable: bob's open session ends and he cannot log in again.
		admFollow(owner, owner.post(bobPath+"/disable", nil))
		if rec := bob.get("/attributes"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Fatalf("disabled user's session: status %d location %q", rec.Code, rec.Header().Get("Location"))
		}
		again := v.browser()
		again.get("/login")
		if rec := again.post("/login", url.Values{"email": {"bob@example.com"}, "password": {testPassword}}); rec.Code != http.StatusUnauthorized {
			t.Fatalf("disabled user logs in: status %d", rec.Code)
		}
		doc = page(t, owner.get("/users"), http.StatusOK)
		if doc.Find(`tr[data-email="bob@example.com"]`).AttrOr("data-disabled", "") != "true" {
			t.Fatal("bob not shown disabled")
		}
		admFollow(owner, owner.post(bobPath+"/enable", nil))
		again.login("bob@example.com", testPassword)

		// Self-demotion and self-disabling are refused with a message; nothing changes.
		before := usersState(t, v)
		selfPath := "/users/" + strconv.FormatInt(ownerID, 10)
		for _, p := range []struct {
			path string
			form url.Values
		}{{selfPath + "/role", url.Values{"role": {"staff"}}}, {selfPath + "/disable", nil}} {
			doc := page(t, owner.post(p.path, p.form), http.StatusConflict)
			if msg := admText(doc, "users-error"); !strings.Contains(msg, "cannot demote or disable yourself") {
				t.Errorf("POST %s: message %q", p.path, msg)
			}
		}
		if after := usersState(t, v); after != before {
			t.Fatalf("self change went through:\n%s", after)
		}
		want(t, owner.get("/users"), http.StatusOK) // still an owner

		// An unknown user is a 404.
		want(t, owner.post("/users/99999/role", url.Values{"role": {"staff"}}), http.StatusNotFound)
		want(t, owner.post("/users/abc/disable", nil), http.StatusNotFound)
	})
}

func TestWebUsersTokens(t *testing.T) {
	eachWebBackend(t, func(t *testing.T, v *env) {
		owner := admSignIn(t, v, "owner@example.com", models.RoleOwner)
		owner.get("/users")

		rec := owner.post("/users/tokens", url.Values{"name": {"voice platform"}, "role": {"ingest"}})
		doc := page(t, rec, http.StatusOK)
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Fatalf("Cache-Control %q, want no-store", cc)
		}
		plain := admValue(doc, "new-token")
		if !strings.HasPrefix(plain, models.TokenPrefix) || len(plain) < 40 {
			t.Fatalf("new token %q", plain)
		}
		if !strings.Contains(admText(doc, "created-token"), "shown this once") {
			t.Fatal("no copy-now hint")
		}
		auth := "Bearer " + plain
		want(t, v.doAuth(http.MethodGet, "/api/v1/dashboard", auth, nil), http.StatusOK)

		// Shown once: the next page has it no more, the list has its prefix.
		usersRec := owner.get("/users")
		doc = page(t, usersRec, http.StatusOK)
		if strings.Contains(usersRec.Body.String(), plain) || doc.Find(`[data-testid="new-token"]`).Length() != 0 {
			t.Fatal("the token is shown again")
		}
		row := doc.Find(`tr[data-name="voice platform"]`)
		if row.Length() != 1 || row.AttrOr("data-revoked", "") != "false" || !strings.Contains(row.Text(), plain[:len(models.TokenPrefix)+6]) {
			t.Fatalf("token row: %q", row.Text())
		}
		if !strings.Contains(row.Text(), "ingest") {
			t.Error("token row lacks its role")
		}

		// A bad token form keeps the name and says why.
		before := usersState(t, v)
		doc = page(t, owner.post("/users/tokens", url.Values{"name": {"  "}, "role": {"ingest"}}), http.StatusUnprocessableEntity)
		if !strings.Contains(admText(doc, "err-token-name"), "is required") {
			t.Fatalf("name message %q", admText(doc, "err-token-name"))
		}
		doc = page(t, owner.post("/users/tokens", url.Values{"name": {"robot"}, "role": {"admin"}}), http.StatusUnprocessableEntity)
		if !strings.Contains(admText(doc, "err-token-role"), "must be one of") || admValue(doc, "input-token-name") != "robot" {
			t.Fatalf("role message %q, name %q", admText(doc, "err-token-role"), admValue(doc, "input-token-name"))
		}
		if usersState(t, v) != before {
			t.Fatal("a refused token was stored")
		}

		// Revoke: a confirmation page, then the POST; the token is refused at once.
		id := strings.TrimPrefix(row.AttrOr("data-testid", ""), "token-")
		doc = page(t, owner.get("/users/tokens/"+id+"/revoke"), http.StatusOK)
		if !strings.Contains(admText(doc, "revoke-confirm"), "voice platform") {
			t.Fatal("confirmation does not name the token")
		}
		doc = page(t, admFollow(owner, owner.post("/users/tokens/"+id+"/revoke", nil)), http.StatusOK)
		if !strings.Contains(admText(doc, "flash-success"), "revoked") {
			t.Fatalf("flash %q", admText(doc, "flash-success"))
		}
		if doc.Find(`tr[data-name="voice platform"]`).AttrOr("data-revoked", "") != "true" {
			t.Fatal("token not shown revoked")
		}
		want(t, v.doAuth(http.MethodGet, "/api/v1/dashboard", auth, nil), http.StatusUnauthorized)
		doc = page(t, admFollow(owner, owner.post("/users/tokens/"+id+"/revoke", nil)), http.StatusOK)
		if !strings.Contains(admText(doc, "flash-error"), "already revoked") {
			t.Fatalf("second revoke: flash %q", admText(doc, "flash-error"))
		}
		want(t, owner.get("/users/tokens/424242/revoke"), http.StatusNotFound)
	})
}
