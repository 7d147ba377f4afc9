package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

// loginForm is GET /login; a signed-in user goes straight on.
func (w *web) loginForm(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, orHome(next))
	}
	return w.page(c, http.StatusOK, views.PageMeta{Title: "Log in"},
		views.LoginPage(views.LoginView{CSRF: csrfToken(c), Next: next}))
}

// login is POST /login with the fields email and password: a new session
// and a redirect to next, or the form again with a 401.
func (w *web) login(c echo.Context) error {
	email, password := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	u, err := w.store.Authenticate(c.Request().Context(), email, password)
	if models.ErrorCode(err) == models.CodeForbidden {
		return w.loginFailed(c, http.StatusUnauthorized, email, next, "Wrong email or password.")
	}
	if err != nil {
		return err
	}
	if err := w.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, orHome(next))
}

// loginFailed shows the form again with what was typed (never the password).
func (w *web) loginFailed(c echo.Context, status int, email, next, message string) error {
	return w.page(c, status, views.PageMeta{Title: "Log in"},
		views.LoginPage(views.LoginView{CSRF: csrfToken(c), Email: email, Next: safeNext(next), Error: message}))
}

// logout is POST /logout: the session ends and the login page says so.
func (w *web) logout(c echo.Context) error {
	if err := w.signOut(c, "You have been logged out."); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

func orHome(next string) string {
	if next == "" {
		return "/"
	}
	return next
}
