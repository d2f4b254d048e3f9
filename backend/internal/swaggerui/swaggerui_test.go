package swaggerui_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	// Registers the document doc.json serves.
	_ "github.com/flicket/flicket/backend/internal/apidocs"
	"github.com/flicket/flicket/backend/internal/swaggerui"
)

func get(t *testing.T, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	swaggerui.New("/swagger").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestServesUnderCSP(t *testing.T) {
	for path, ctype := range map[string]string{
		"/swagger/":                                "text/html",
		"/swagger/index.html":                      "text/html",
		"/swagger/init.js":                         "text/javascript",
		"/swagger/swagger-ui-bundle.js":            "text/javascript",
		"/swagger/swagger-ui-standalone-preset.js": "text/javascript",
		"/swagger/swagger-ui.css":                  "text/css",
		"/swagger/doc.json":                        "application/json",
	} {
		r := get(t, path)
		if r.Code != http.StatusOK || !strings.HasPrefix(r.Header().Get("Content-Type"), ctype) {
			t.Errorf("%s: %d %q", path, r.Code, r.Header().Get("Content-Type"))
		}
		csp := r.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self';", "connect-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-") {
			t.Errorf("%s: CSP %q allows unsafe code", path, csp)
		}
	}
}

// The page itself has no inline script or style, which the CSP would block.
func TestIndexHasNoInlineCode(t *testing.T) {
	page := get(t, "/swagger/index.html").Body.String()
	for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(page, -1) {
		if !strings.Contains(tag, " src=") {
			t.Errorf("inline script %s", tag)
		}
	}
	if strings.Contains(page, "<style") || strings.Contains(page, "style=") || strings.Contains(page, "onload") {
		t.Error("inline style or handler in index.html")
	}
	if !strings.Contains(page, `src="init.js"`) {
		t.Error("index.html does not start Swagger UI with init.js")
	}
}

// Swagger UI is a current 5.x release, not the 4.15.5 of 2022.
func TestSwaggerUIVersion(t *testing.T) {
	m := regexp.MustCompile(`PACKAGE_VERSION:"(\d+)\.(\d+)\.(\d+)"`).FindStringSubmatch(get(t, "/swagger/swagger-ui-bundle.js").Body.String())
	if m == nil {
		t.Fatal("no version in swagger-ui-bundle.js")
	}
	if m[1] != "5" || len(m[2]) < 2 {
		t.Errorf("Swagger UI %s.%s.%s, want 5.10 or newer", m[1], m[2], m[3])
	}
}

func TestOnlyItsFiles(t *testing.T) {
	for _, path := range []string{"/swagger/nope.js", "/swagger/../go.mod", "/swagger/swagger-ui-bundle.js.map", "/swagger/oauth2-redirect.html", "/swagger/%2e%2e/swaggerui.go"} {
		if r := get(t, path); r.Code != http.StatusNotFound {
			t.Errorf("%s: %d", path, r.Code)
		}
	}
	var doc struct {
		Swagger string `json:"swagger"`
		Info    struct{ Title string }
	}
	if err := json.Unmarshal(get(t, "/swagger/doc.json").Body.Bytes(), &doc); err != nil || doc.Swagger != "2.0" || doc.Info.Title == "" {
		t.Errorf("doc.json: %+v %v", doc, err)
	}
}
