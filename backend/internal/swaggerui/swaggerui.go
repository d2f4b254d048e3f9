// Package swaggerui serves Swagger UI (the swagger-ui-dist build shipped by
// github.com/swaggo/files/v2) on Flicket's generated OpenAPI document,
// under a Content-Security-Policy that allows no inline script or style and
// no other origin.
package swaggerui

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"

	swaggerFiles "github.com/swaggo/files/v2"
	"github.com/swaggo/swag"
)

// own holds the page and its start-up script; the rest is Swagger UI's.
//
//go:embed index.html init.js
var own embed.FS

// CSP is the policy of every Swagger UI response. Swagger UI's styles are
// set through the DOM (allowed) but for one <style> in its logo, allowed by
// its hash (logoStyleHash); its icons are data: images; "Try it out" calls
// this server only.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' '" + logoStyleHash + "'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// logoStyleHash is the hash of the top bar logo's <style> in Swagger UI
// 5.18.2 (".logo_small_svg__cls-2{fill:#fff}..."); the e2e journey fails on
// any CSP violation, so a new release with another logo is noticed.
const logoStyleHash = "sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w="

// dist lists the Swagger UI files the page loads; nothing else is served.
var dist = map[string]string{
	"swagger-ui.css":                  "text/css; charset=utf-8",
	"index.css":                       "text/css; charset=utf-8",
	"swagger-ui-bundle.js":            "text/javascript; charset=utf-8",
	"swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
	"favicon-32x32.png":               "image/png",
	"favicon-16x16.png":               "image/png",
}

// Handler serves /<prefix>/index.html (also /<prefix>/), init.js, doc.json
// and Swagger UI's files; anything else is a 404.
type Handler struct {
	prefix string
}

// New serves Swagger UI under prefix ("/swagger").
func New(prefix string) *Handler { return &Handler{prefix: strings.TrimSuffix(prefix, "/")} }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", CSP)
	name := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(r.URL.Path, h.prefix)), "/")
	switch name {
	case "", "index.html":
		h.serve(w, own, "index.html", "text/html; charset=utf-8", "no-cache")
	case "init.js":
		h.serve(w, own, "init.js", "text/javascript; charset=utf-8", "no-cache")
	case "doc.json":
		doc, err := swag.ReadDoc()
		if err != nil {
			http.Error(w, "no API document", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write([]byte(doc))
	default:
		ctype, ok := dist[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h.serve(w, swaggerFiles.FS, name, ctype, "public, max-age=86400")
	}
}

func (h *Handler) serve(w http.ResponseWriter, fsys fs.FS, name, ctype, cache string) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", cache)
	_, _ = w.Write(data) //nolint:gosec // G705: data is one of the embedded files listed above, never request input
}
