// Package static holds the CSS, scripts and icons of the web pages, embedded
// in the binary so a deployment is one file and nothing loads from the
// internet.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
)

// FS holds the files served under /static/.
//
//go:embed *.css *.js *.svg
var FS embed.FS

// versions maps each file name to the first hex digits of its SHA-256, the
// cache-busting query of its URL.
var versions = func() map[string]string {
	out := map[string]string{}
	err := fs.WalkDir(FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := FS.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	if err != nil {
		panic("static: " + err.Error())
	}
	return out
}()

// Version is the content hash of a file and whether the file exists.
func Version(name string) (string, bool) {
	v, ok := versions[name]
	return v, ok
}

// URL is the address of a file with its content hash as query, so it can be
// cached for a year and still change on every release that changes it.
func URL(name string) string {
	if v, ok := versions[name]; ok {
		return "/static/" + name + "?v=" + v
	}
	return "/static/" + name
}
