// Package spa serves the single-page app that frontend/ builds into dist/,
// embedded in the binary: real files as they are, every other path the
// app's index.html (history fallback, so /tickets/12 can be reloaded), all
// under a strict Content-Security-Policy.
package spa

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// dist holds the built app; dist/.gitkeep keeps the folder embeddable
// before the first build.
//
//go:embed all:dist
var dist embed.FS

// NoncePlaceholder is replaced in index.html by each response's CSP nonce;
// the app hands it to Mantine, whose <style> elements must carry it.
const NoncePlaceholder = "__CSP_NONCE__"

// CSP is the policy of every SPA response, with the style nonce to fill in.
// No inline script anywhere; styles only from our files or elements that
// carry this response's nonce; images may be data:/blob: (avatars
// previewed before upload); nothing may frame the app.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-%s'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// Cache policies: Vite names files under assets/ by their content hash, so
// they never change; everything else must be revalidated.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheRevalid   = "no-cache"
)

// Handler serves the app.
type Handler struct {
	files fs.FS
	index []byte // nil when the app was not built

	gzMu sync.Mutex
	gz   map[string][]byte // compressed assets, made on first request
}

// New serves the embedded build.
func New() *Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(fmt.Sprintf("spa: %v", err)) // cannot happen: dist is embedded
	}
	return NewFS(sub)
}

// NewFS serves the app in files (tests pass their own).
func NewFS(files fs.FS) *Handler {
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		index = nil
	}
	return &Handler{files: files, index: index, gz: map[string][]byte{}}
}

// Built tells whether the binary carries the app.
func (h *Handler) Built() bool { return h.index != nil }

// ServeHTTP serves a file of the build, or index.html for app routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	nonce := newNonce()
	w.Header().Set("Content-Security-Policy", fmt.Sprintf(CSP, nonce))
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name != "" && name != "index.html" {
		if data, err := fs.ReadFile(h.files, name); err == nil {
			h.serveFile(w, r, name, data)
			return
		}
		// A missing file (a stale hashed chunk, a typo'd image) is a 404:
		// answering with the HTML page would only fail later and stranger.
		if path.Ext(name) != "" || strings.HasPrefix(name, "assets/") {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
	}
	if h.index == nil {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "Flicket's web app is not built into this binary: run `make build`. The API is at /flicket-api/, its documentation at /swagger/.", http.StatusServiceUnavailable)
		return
	}
	page := bytes.ReplaceAll(h.index, []byte(NoncePlaceholder), []byte(nonce))
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", cacheRevalid)
	hd.Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(page)
	}
}

func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, name string, data []byte) {
	hd := w.Header()
	if strings.HasPrefix(name, "assets/") {
		hd.Set("Cache-Control", cacheImmutable)
	} else {
		hd.Set("Cache-Control", cacheRevalid)
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	hd.Set("Content-Type", ctype)
	if compressible(ctype) && len(data) > 1024 {
		hd.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			data = h.gzipped(name, data)
			hd.Set("Content-Encoding", "gzip")
		}
	}
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data) //nolint:gosec // G705: data is one of the embedded build files, never request input
	}
}

// gzipped is the build's own NAME.gz when it has one (zlib at level 9:
// smaller than compress/gzip makes), else the file compressed once and kept:
// the build never changes while the process runs.
func (h *Handler) gzipped(name string, data []byte) []byte {
	h.gzMu.Lock()
	defer h.gzMu.Unlock()
	if z, ok := h.gz[name]; ok {
		return z
	}
	if z, err := fs.ReadFile(h.files, name+".gz"); err == nil {
		h.gz[name] = z
		return z
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(data)
	_ = zw.Close()
	h.gz[name] = buf.Bytes()
	return h.gz[name]
}

func compressible(ctype string) bool {
	for _, p := range []string{"text/", "application/javascript", "text/javascript", "application/json", "image/svg+xml"} {
		if strings.HasPrefix(ctype, p) {
			return true
		}
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

// newNonce is 128 random bits, as CSP asks.
func newNonce() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("spa: no randomness: %v", err)) // crypto/rand never fails on supported systems
	}
	return base64.StdEncoding.EncodeToString(b)
}
