package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"asrboard/models"
	"asrboard/static"
)

func TestWebStatic(t *testing.T) {
	v := newEnv(t, openSQLite(t), webConfig())
	b := v.browser()
	for _, c := range []struct{ name, contentType string }{
		{"app.css", "text/css"}, {"htmx-2.0.11.min.js", "javascript"}, {"favicon.svg", "image/svg+xml"},
	} {
		rec := b.get(static.URL(c.name))
		body := want(t, rec, http.StatusOK)
		if len(body) == 0 || !strings.Contains(rec.Header().Get("Content-Type"), c.contentType) {
			t.Errorf("%s: %d bytes of %q", c.name, len(body), rec.Header().Get("Content-Type"))
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", c.name, cc)
		}
		// Without the current hash: revalidate, and the ETag answers 304.
		rec = b.get("/static/" + c.name + "?v=old")
		if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s with an old hash: Cache-Control %q", c.name, cc)
		}
		req := httptest.NewRequest(http.MethodGet, "/static/"+c.name, nil)
		req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
		if rec := b.do(req); rec.Code != http.StatusNotModified {
			t.Errorf("%s: If-None-Match answered %d", c.name, rec.Code)
		}
	}
	for _, p := range []string{"/static/", "/static/nope.css", "/static/../go.mod", "/static/static.go", "/static/README.md"} {
		if rec := b.get(p); rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, rec.Code)
		}
	}

	// Every page links the stylesheet and htmx by their hashed URLs, and
	// keeps htmx inside the Content-Security-Policy.
	v.addUser("owner@example.com", models.RoleOwner)
	for _, path := range []string{"/login", "/"} {
		if path == "/" {
			b.login("owner@example.com", testPassword)
		}
		doc := page(t, b.get(path), http.StatusOK)
		if href, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href"); href != static.URL("app.css") {
			t.Errorf("%s: stylesheet %q", path, href)
		}
		if src, _ := doc.Find(`script[src]`).Attr("src"); src != static.URL("htmx-2.0.11.min.js") {
			t.Errorf("%s: script %q", path, src)
		}
		if cfg, _ := doc.Find(`meta[name="htmx-config"]`).Attr("content"); !strings.Contains(cfg, `"includeIndicatorStyles":false`) {
			t.Errorf("%s: htmx config %q", path, cfg)
		}
		if n := doc.Find("[style]").Length() + doc.Find("script:not([src])").Length() + doc.Find("style").Length(); n != 0 {
			t.Errorf("%s: %d inline styles or scripts, which the Content-Security-Policy blocks", path, n)
		}
	}
}
