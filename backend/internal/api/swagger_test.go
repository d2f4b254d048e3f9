package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestSwaggerDocumentsEveryRoute serves Swagger UI and checks that the
// OpenAPI document it shows describes every route of the route table
// (path-paged variants such as /tickets/{page}/ are covered by their list).
func TestSwaggerDocumentsEveryRoute(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	ui := env.call(http.MethodGet, "/swagger/index.html", nil).expect(t, http.StatusOK)
	if !strings.Contains(string(ui.Body), "swagger-ui") {
		t.Fatalf("Swagger UI page: %s", ui.Body[:min(200, len(ui.Body))])
	}
	if r := env.call(http.MethodGet, "/swagger/", nil); r.Code != http.StatusFound && r.Code != http.StatusOK {
		t.Errorf("/swagger/ answered %d", r.Code)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	env.call(http.MethodGet, "/swagger/doc.json", nil).expect(t, http.StatusOK).decode(t, &doc)

	// Normalise "/flicket-api/ticket/{id}/" and "/ticket/:id" to one form.
	param := regexp.MustCompile(`\{[^}]+\}|:[a-z_]+`)
	norm := func(p string) string {
		p = strings.TrimSuffix(strings.TrimPrefix(p, apiPrefix), "/")
		return param.ReplaceAllString(p, "*")
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+norm(path)] = true
		}
	}
	for _, r := range env.srv.apiRoutes() {
		key := r.method + " " + norm(r.path)
		if documented[key] {
			continue
		}
		// A path-paged variant is documented by its list route.
		if strings.HasSuffix(key, "/*") && documented[strings.TrimSuffix(key, "/*")] {
			continue
		}
		if strings.HasSuffix(r.path, "/:page") && documented[r.method+" "+norm(strings.TrimSuffix(r.path, "/:page"))] {
			continue
		}
		t.Errorf("route %s %s is not in the OpenAPI document", r.method, r.path)
	}
}
