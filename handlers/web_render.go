package handlers

import (
	"bytes"
	"fmt"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"asrboard/views"
)

// render writes a component with status after rendering it whole into a
// buffer, so a failure is a real 500 and not half a page with a 200. Use it
// for htmx fragments; whole pages go through page.
func render(c echo.Context, status int, component templ.Component) error {
	var buf bytes.Buffer
	if err := component.Render(c.Request().Context(), &buf); err != nil {
		return fmt.Errorf("render %s: %w", c.Path(), err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// page renders content inside the layout: it adds to meta (Title and Active
// are the caller's) the signed-in user, the CSRF token and the pending flash
// messages, which it then removes from the session.
func (w *web) page(c echo.Context, status int, meta views.PageMeta, content templ.Component) error {
	base := views.MetaFrom(c.Request().Context())
	meta.User, meta.CSRF = base.User, csrfToken(c)
	sess, err := w.session(c)
	if err != nil {
		return err
	}
	flashes := takeFlashes(sess)
	meta.Flashes = append(meta.Flashes, flashes...)
	var buf bytes.Buffer
	if err := views.Page(meta, content).Render(c.Request().Context(), &buf); err != nil {
		return fmt.Errorf("render %s: %w", c.Path(), err)
	}
	if len(flashes) > 0 {
		if err := w.saveSession(c, sess); err != nil {
			return err
		}
	}
	return c.HTMLBlob(status, buf.Bytes())
}
