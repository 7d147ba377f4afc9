package views

import (
	"context"
	"encoding/json"

	"asrboard/models"
)

// Keys of the navigation items, for PageMeta.Active.
const (
	NavDashboard  = "dashboard"
	NavSessions   = "sessions"
	NavReview     = "review"
	NavAttributes = "attributes"
	NavUsers      = "users"
)

// NavItem is one link of the top navigation.
type NavItem struct {
	Key   string
	Label string
	Href  string
}

// NavFor lists the pages a role may open (SPEC §6), in menu order.
func NavFor(role models.Role) []NavItem {
	items := []NavItem{{NavDashboard, "Dashboard", "/"}, {NavSessions, "Sessions", "/sessions"}}
	if role.CanReview() {
		items = append(items, NavItem{NavReview, "Review queue", "/review"})
	}
	if role.CanEditAttributes() {
		items = append(items, NavItem{NavAttributes, "Attributes", "/attributes"})
	}
	if role.CanManageUsers() {
		items = append(items, NavItem{NavUsers, "Users & tokens", "/users"})
	}
	return items
}

// UserView is the signed-in person as the layout shows them.
type UserView struct {
	Email string
	Role  models.Role
}

// Kinds of flash messages.
const (
	FlashSuccess = "success"
	FlashError   = "error"
)

// Flash is a one-time message shown on the next page after a redirect.
type Flash struct {
	Kind    string
	Message string
}

// PageMeta is what the layout needs besides the page's content; handlers
// fill User, CSRF and Flashes (see handlers' page helper), pages set Title
// and Active.
type PageMeta struct {
	// Title goes into <title>, before " · ASR Board".
	Title string
	// Active is the NavItem key to highlight.
	Active string
	// User is nil on pages seen signed out (login, errors before sign-in).
	User *UserView
	// CSRF is the token every form and htmx request sends back.
	CSRF    string
	Flashes []Flash
}

// Nav is the navigation of the signed-in user (none when signed out).
func (m PageMeta) Nav() []NavItem {
	if m.User == nil {
		return nil
	}
	return NavFor(m.User.Role)
}

// csrfHeaders is the hx-headers value that makes htmx send the token.
func (m PageMeta) csrfHeaders() string {
	b, _ := json.Marshal(map[string]string{CSRFHeader: m.CSRF})
	return string(b)
}

// CSRFField and CSRFHeader are the names the CSRF token travels under.
const (
	CSRFField  = "_csrf"
	CSRFHeader = "X-CSRF-Token"
)

type metaKey struct{}

// WithMeta stores the request's base PageMeta (user, CSRF token) in ctx, so
// pages rendered without a handler's help (the error page) still show who is
// signed in.
func WithMeta(ctx context.Context, m PageMeta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

// MetaFrom returns the PageMeta stored by WithMeta, or an empty one.
func MetaFrom(ctx context.Context) PageMeta {
	m, _ := ctx.Value(metaKey{}).(PageMeta)
	return m
}
