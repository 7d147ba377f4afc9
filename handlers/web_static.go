package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"asrboard/static"
)

// serveStatic answers GET /static/{file} from the embedded files. A URL with
// the file's current content hash (static.URL) may be cached for a year;
// any other gets revalidated through the ETag.
func serveStatic(c echo.Context) error {
	name := c.Param("*")
	version, ok := static.Version(name)
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if c.QueryParam("v") == version {
		h.Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		h.Set(echo.HeaderCacheControl, "no-cache")
	}
	h.Set("ETag", `"`+version+`"`)
	http.ServeFileFS(c.Response(), c.Request(), static.FS, name)
	return nil
}
