package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/storage"
	"asrboard/views"
)

// adminStore is what the attributes and users pages need from storage.
type adminStore interface {
	attributeStore
	Totals(ctx context.Context, from, to *time.Time) (models.Totals, error)
	PreviewAttributes(ctx context.Context, a *models.Attributes, from, to *time.Time) (models.Totals, error)
	Audit(ctx context.Context, entity string, id int64, limit int) ([]models.AuditEntry, error)

	Users(ctx context.Context) ([]models.User, error)
	User(ctx context.Context, id int64) (*models.User, error)
	CreateUser(ctx context.Context, email, password string, role models.Role) (*models.User, error)
	ChangeUser(ctx context.Context, actorID, id int64, ch storage.UserChange) (*models.User, error)

	Tokens(ctx context.Context) ([]models.APIToken, error)
	Token(ctx context.Context, id int64) (*models.APIToken, error)
	CreateToken(ctx context.Context, name string, role models.Role) (string, *models.APIToken, error)
	RevokeToken(ctx context.Context, id int64) error
}

// adminPages are the pages that change settings: attributes (staff and
// owners) and users and tokens (owners).
type adminPages struct {
	*web
	store adminStore
}

// registerAdminPages adds the attributes and the users and tokens pages to
// the web routes.
func (w *web) registerAdminPages(e *echo.Echo) {
	p := &adminPages{web: w, store: w.server.store}

	edit := w.private(w.allow(models.Role.CanEditAttributes, "edit the attributes"))
	e.GET("/attributes", p.attributesPage, edit...)
	e.POST("/attributes", p.saveAttributes, edit...)
	e.POST("/attributes/preview", p.previewAttributes, edit...)

	owner := w.private(w.allow(models.Role.CanManageUsers, "manage users and tokens"))
	e.GET("/users", p.usersPage, owner...)
	e.POST("/users", p.createUser, owner...)
	e.POST("/users/:id/role", p.changeRole, owner...)
	e.POST("/users/:id/disable", p.setDisabled(true), owner...)
	e.POST("/users/:id/enable", p.setDisabled(false), owner...)
	e.POST("/users/tokens", p.createToken, owner...)
	e.GET("/users/tokens/:id/revoke", p.confirmRevoke, owner...)
	e.POST("/users/tokens/:id/revoke", p.revokeToken, owner...)
}

// usersMeta is the layout's part of the users page.
var usersMeta = views.PageMeta{Title: "Users & tokens", Active: views.NavUsers}

// usersPage is GET /users.
func (p *adminPages) usersPage(c echo.Context) error {
	return p.renderUsers(c, http.StatusOK, views.UsersView{})
}

// renderUsers shows the users page: v carries what this request adds (a
// form as typed, a refusal, a new token), the lists are filled here.
func (p *adminPages) renderUsers(c echo.Context, status int, v views.UsersView) error {
	ctx := c.Request().Context()
	a, err := p.store.Attributes(ctx)
	if err != nil {
		return err
	}
	users, err := p.store.Users(ctx)
	if err != nil {
		return err
	}
	tokens, err := p.store.Tokens(ctx)
	if err != nil {
		return err
	}
	loc, self := a.Location(), currentUser(c)
	v.CSRF = csrfToken(c)
	v.UserRoles, v.TokenRoles = roleNames(models.UserRoles), roleNames(models.TokenRoles)
	if v.NewUser.Role == "" {
		v.NewUser.Role = string(models.RoleReviewer)
	}
	if v.NewToken.Role == "" {
		v.NewToken.Role = string(models.RoleIngest)
	}
	for _, u := range users {
		v.Users = append(v.Users, views.UserRow{ID: u.ID, Email: u.Email, Role: string(u.Role), Disabled: u.Disabled,
			Created: adminTime(u.CreatedAt, loc), Self: self != nil && self.ID == u.ID})
	}
	for _, t := range tokens {
		row := views.TokenRow{ID: t.ID, Name: t.Name, Role: string(t.Role), Prefix: t.Prefix,
			Created: adminTime(t.CreatedAt, loc), LastUsed: "never", IsRevoked: t.RevokedAt != nil}
		if t.LastUsedAt != nil {
			row.LastUsed = adminTime(*t.LastUsedAt, loc)
		}
		if t.RevokedAt != nil {
			row.Revoked = adminTime(*t.RevokedAt, loc)
		}
		v.Tokens = append(v.Tokens, row)
	}
	// A page that may hold a new token's only copy is never cached.
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return p.page(c, status, usersMeta, views.UsersPage(v))
}

// createUser is POST /users (email, role, password).
func (p *adminPages) createUser(c echo.Context) error {
	f := newUserForm{Email: c.FormValue("email"), Role: c.FormValue("role"), Password: c.FormValue("password")}
	refuse := func(status int, errs map[string]string) error {
		return p.renderUsers(c, status, views.UsersView{NewUser: views.NewUserForm{Email: f.Email, Role: f.Role, Errors: errs}})
	}
	if errs := f.Validate(); len(errs) > 0 {
		return refuse(http.StatusUnprocessableEntity, errs)
	}
	u, err := p.store.CreateUser(c.Request().Context(), f.Email, f.Password, models.Role(f.Role))
	if errs := detailErrors(err); errs != nil {
		return refuse(statusOf[models.ErrorCode(err)], errs)
	}
	if err != nil {
		return err
	}
	return p.done(c, views.FlashSuccess, fmt.Sprintf("Added %s as %s.", u.Email, u.Role))
}

// changeRole is POST /users/:id/role (role).
func (p *adminPages) changeRole(c echo.Context) error {
	role := models.Role(c.FormValue("role"))
	u, err := p.changeUser(c, storage.UserChange{Role: &role})
	if err != nil || u == nil {
		return err
	}
	return p.done(c, views.FlashSuccess, fmt.Sprintf("%s is now %s.", u.Email, u.Role))
}

// setDisabled is POST /users/:id/disable or /enable; a disabled user's
// sessions end on their next request.
func (p *adminPages) setDisabled(disabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := p.changeUser(c, storage.UserChange{Disabled: &disabled})
		if err != nil || u == nil {
			return err
		}
		msg := fmt.Sprintf("%s is enabled and may log in again.", u.Email)
		if disabled {
			msg = fmt.Sprintf("%s is disabled and signed out; they can no longer log in.", u.Email)
		}
		return p.done(c, views.FlashSuccess, msg)
	}
}

// changeUser applies ch to the user of the path; a refused change (their
// own account, the last owner, a bad role) is shown on the page and
// answered with a nil user.
func (p *adminPages) changeUser(c echo.Context, ch storage.UserChange) (*models.User, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	self := currentUser(c)
	if self == nil {
		return nil, fmt.Errorf("route %s has no requireLogin", c.Path())
	}
	u, err := p.store.ChangeUser(c.Request().Context(), self.ID, id, ch)
	if code := models.ErrorCode(err); code == models.CodeInvalid || code == models.CodeConflict {
		return nil, p.renderUsers(c, statusOf[models.ErrorCode(err)], views.UsersView{UsersError: firstDetail(err)})
	}
	return u, err
}

// createToken is POST /users/tokens (name, role): the page is answered
// directly with the new token's only plain copy, never through a flash or a
// redirect, and is not cached.
func (p *adminPages) createToken(c echo.Context) error {
	f := newTokenForm{Name: c.FormValue("name"), Role: c.FormValue("role")}
	refuse := func(status int, errs map[string]string) error {
		return p.renderUsers(c, status, views.UsersView{NewToken: views.NewTokenForm{Name: f.Name, Role: f.Role, Errors: errs}})
	}
	if errs := f.Validate(); len(errs) > 0 {
		return refuse(http.StatusUnprocessableEntity, errs)
	}
	plain, t, err := p.store.CreateToken(c.Request().Context(), f.Name, models.Role(f.Role))
	if errs := detailErrors(err); errs != nil {
		return refuse(statusOf[models.ErrorCode(err)], errs)
	}
	if err != nil {
		return err
	}
	return p.renderUsers(c, http.StatusOK, views.UsersView{Created: &views.CreatedToken{Name: t.Name, Role: string(t.Role), Plain: plain}})
}

// confirmRevoke is GET /users/tokens/:id/revoke: the question, as a page,
// so revoking works without JavaScript.
func (p *adminPages) confirmRevoke(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	t, err := p.store.Token(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if t.RevokedAt != nil {
		return p.done(c, views.FlashError, fmt.Sprintf("Token “%s” is already revoked.", t.Name))
	}
	v := views.RevokeTokenView{CSRF: csrfToken(c), Token: views.TokenRow{ID: t.ID, Name: t.Name, Role: string(t.Role), Prefix: t.Prefix}}
	return p.page(c, http.StatusOK, views.PageMeta{Title: "Revoke token", Active: views.NavUsers}, views.RevokeTokenPage(v))
}

// revokeToken is POST /users/tokens/:id/revoke: the token stops working at once.
func (p *adminPages) revokeToken(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := p.store.Token(ctx, id)
	if err != nil {
		return err
	}
	err = p.store.RevokeToken(ctx, id)
	if models.ErrorCode(err) == models.CodeNotFound {
		return p.done(c, views.FlashError, fmt.Sprintf("Token “%s” was already revoked.", t.Name))
	}
	if err != nil {
		return err
	}
	return p.done(c, views.FlashSuccess, fmt.Sprintf("Token “%s” is revoked; requests with it now get 401.", t.Name))
}

// done flashes a message and goes back to /users (POST/redirect/GET).
func (p *adminPages) done(c echo.Context, kind, msg string) error {
	if err := p.flash(c, kind, msg); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/users")
}

// pathID reads the :id of the path; a malformed one is a 404 like a missing one.
func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.NotFound("no such " + pathThing(c))
	}
	return id, nil
}

// pathThing names what the :id of a route is.
func pathThing(c echo.Context) string {
	if strings.HasPrefix(c.Path(), "/users/tokens/") {
		return "token"
	}
	return "user"
}

// detailErrors maps the field errors of an invalid or conflict error to
// field names; nil for any other error.
func detailErrors(err error) map[string]string {
	if code := models.ErrorCode(err); code != models.CodeInvalid && code != models.CodeConflict {
		return nil
	}
	var e *models.Error
	errs := map[string]string{}
	if errors.As(err, &e) {
		for _, d := range e.Details {
			errs[d.Field] = d.Message
		}
	}
	if len(errs) == 0 {
		errs[""] = err.Error()
	}
	return errs
}

// firstDetail is the message of the first field error, or the error's own.
func firstDetail(err error) string {
	var e *models.Error
	if errors.As(err, &e) && len(e.Details) > 0 {
		return e.Details[0].Message
	}
	return err.Error()
}

// roleNames lists roles as strings for the selects.
func roleNames(roles []models.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

// adminTime writes a time of the users page in the attributes' time zone.
func adminTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Jan 2, 2006 15:04")
}
