package spa

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

var build = fstest.MapFS{
	"index.html":             {Data: []byte(`<html><head><meta name="csp-nonce" content="__CSP_NONCE__"></head><body>app</body></html>`)},
	"assets/index-abc123.js": {Data: []byte(strings.Repeat("console.log('flicket');\n", 200))},
	"assets/small-x1.css":    {Data: []byte("body{margin:0}")},
	"favicon.svg":            {Data: []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")},
	".gitkeep":               {Data: nil},
}

func get(t *testing.T, h http.Handler, method, path string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var nonceRE = regexp.MustCompile(`style-src 'self' 'nonce-([A-Za-z0-9+/=]{24})'`)

func TestHistoryFallbackServesIndex(t *testing.T) {
	h := NewFS(build)
	for _, p := range []string{"/", "/index.html", "/tickets", "/tickets/12", "/reset-password?token=abc", "/admin/users/", "/../../etc/passwd"} {
		t.Run(p, func(t *testing.T) {
			rec := get(t, h, http.MethodGet, p)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<body>app</body>") {
				t.Fatalf("%d %q", rec.Code, rec.Body)
			}
			if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control %q", got)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestEveryResponseHasItsOwnNonce(t *testing.T) {
	h := NewFS(build)
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		rec := get(t, h, http.MethodGet, "/tickets")
		csp := rec.Header().Get("Content-Security-Policy")
		m := nonceRE.FindStringSubmatch(csp)
		if m == nil {
			t.Fatalf("CSP without a style nonce: %q", csp)
		}
		nonce := m[1]
		if !strings.Contains(rec.Body.String(), `content="`+nonce+`"`) || strings.Contains(rec.Body.String(), NoncePlaceholder) {
			t.Errorf("index.html does not carry the nonce %s: %s", nonce, rec.Body)
		}
		if seen[nonce] {
			t.Error("nonce reused")
		}
		seen[nonce] = true
	}
}

func TestStrictCSP(t *testing.T) {
	csp := get(t, NewFS(build), http.MethodGet, "/").Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "img-src 'self' data: blob:", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
}

func TestAssetsAreImmutableAndCompressed(t *testing.T) {
	h := NewFS(build)
	rec := get(t, h, http.MethodGet, "/assets/index-abc123.js")
	if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("Content-Type %q", ct)
	}
	if rec.Header().Get("Content-Encoding") != "" || rec.Body.Len() != 24*200 {
		t.Errorf("compressed without Accept-Encoding")
	}
	gz := get(t, h, http.MethodGet, "/assets/index-abc123.js", "Accept-Encoding", "br, gzip")
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("not gzipped: %v", gz.Header())
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || string(plain) != strings.Repeat("console.log('flicket');\n", 200) {
		t.Errorf("gzip body wrong: %v", err)
	}
	small := get(t, h, http.MethodGet, "/assets/small-x1.css", "Accept-Encoding", "gzip")
	if small.Header().Get("Content-Encoding") != "" || small.Body.String() != "body{margin:0}" {
		t.Errorf("tiny file compressed: %v", small.Header())
	}
	if icon := get(t, h, http.MethodGet, "/favicon.svg"); icon.Header().Get("Cache-Control") != "no-cache" || icon.Header().Get("Content-Type") != "image/svg+xml" {
		t.Errorf("favicon headers %v", icon.Header())
	}
}

// TestBuildsOwnGzipIsSent: the build's NAME.gz (zlib -9, smaller than
// compress/gzip makes) is sent as it is.
func TestBuildsOwnGzipIsSent(t *testing.T) {
	js := strings.Repeat("console.log('precompressed');\n", 100)
	var pre bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&pre, gzip.BestSpeed)
	_, _ = zw.Write([]byte(js))
	_ = zw.Close()
	h := NewFS(fstest.MapFS{
		"index.html":          {Data: []byte("<html></html>")},
		"assets/pre-x1.js":    {Data: []byte(js)},
		"assets/pre-x1.js.gz": {Data: pre.Bytes()},
	})
	for range 2 { // the first request and the kept copy
		rec := get(t, h, http.MethodGet, "/assets/pre-x1.js", "Accept-Encoding", "gzip")
		if rec.Header().Get("Content-Encoding") != "gzip" || !bytes.Equal(rec.Body.Bytes(), pre.Bytes()) {
			t.Fatalf("not the build's own gzip: %v, %d bytes", rec.Header(), rec.Body.Len())
		}
	}
	if plain := get(t, h, http.MethodGet, "/assets/pre-x1.js"); plain.Body.String() != js {
		t.Errorf("without Accept-Encoding: %q", plain.Body.String())
	}
}

func TestMissingFilesAre404NotTheApp(t *testing.T) {
	h := NewFS(build)
	for _, p := range []string{"/assets/index-old999.js", "/assets/nothing", "/robots.txt", "/favicon.ico"} {
		if rec := get(t, h, http.MethodGet, p); rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "app") {
			t.Errorf("%s: %d %q", p, rec.Code, rec.Body)
		}
	}
}

func TestHeadHasNoBody(t *testing.T) {
	rec := get(t, NewFS(build), http.MethodHead, "/tickets")
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
		t.Errorf("%d %q %v", rec.Code, rec.Body, rec.Header())
	}
}

func TestNotBuilt(t *testing.T) {
	h := NewFS(fstest.MapFS{".gitkeep": {}})
	if h.Built() {
		t.Fatal("an empty dist counts as built")
	}
	rec := get(t, h, http.MethodGet, "/tickets")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "make build") {
		t.Errorf("%d %q", rec.Code, rec.Body)
	}
}

func TestEmbeddedBuildLoads(t *testing.T) {
	// Whatever is embedded (a real build or only .gitkeep) must serve.
	rec := get(t, New(), http.MethodGet, "/")
	if rec.Code != http.StatusOK && rec.Code != http.StatusServiceUnavailable {
		t.Errorf("embedded app: %d", rec.Code)
	}
}
