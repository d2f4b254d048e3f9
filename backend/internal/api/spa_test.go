package api

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/flicket/flicket/backend/internal/spa"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestSPAMount(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		srv := env.newServer()
		// Rebuild with a known app.
		srv = New(Deps{
			DB: env.db, Config: srv.cfg, Logger: srv.log, Hasher: srv.hasher, Tokens: srv.tokens,
			Settings: srv.settings, Now: env.clock.Now,
			SPA: spa.NewFS(fstest.MapFS{
				"index.html":       {Data: []byte(`<!doctype html><title>Flicket</title><div id="root"></div>`)},
				"assets/app-1.js":  {Data: []byte("x")},
				"assets/app-1.css": {Data: []byte("y")},
			}),
		})

		t.Run("app routes get index.html with the CSP", func(t *testing.T) {
			for _, p := range []string{"/", "/tickets", "/tickets/", "/tickets/42", "/admin/config", "/reset-password?token=x"} {
				r := env.do(srv, http.MethodGet, p, nil).expect(t, http.StatusOK)
				if !strings.Contains(string(r.Body), `<div id="root">`) {
					t.Errorf("%s: %q", p, r.Body)
				}
				if !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
					t.Errorf("%s: CSP %q", p, r.Header.Get("Content-Security-Policy"))
				}
				if r.Header.Get("Cache-Control") != "no-cache" || r.Header.Get("X-Frame-Options") != "DENY" {
					t.Errorf("%s: headers %v", p, r.Header)
				}
			}
			env.do(srv, http.MethodHead, "/tickets", nil).expect(t, http.StatusOK)
		})

		t.Run("assets are served with a long cache", func(t *testing.T) {
			r := env.do(srv, http.MethodGet, "/assets/app-1.js", nil).expect(t, http.StatusOK)
			if string(r.Body) != "x" || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
				t.Errorf("%q %v", r.Body, r.Header)
			}
			env.do(srv, http.MethodGet, "/assets/app-0.js", nil).expect(t, http.StatusNotFound)
		})

		t.Run("the API keeps JSON errors and no-store", func(t *testing.T) {
			r := env.do(srv, http.MethodGet, "/flicket-api/nope", nil)
			r.expectError(t, http.StatusNotFound, "route.not_found")
			if r.Header.Get("Content-Security-Policy") != "" || r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("API headers %v", r.Header)
			}
			env.do(srv, http.MethodGet, "/flicket-api", nil).expectError(t, http.StatusNotFound, "route.not_found")
			env.do(srv, http.MethodPut, "/flicket-api/statuses/", nil, env.as(env.admin)).expectError(t, http.StatusMethodNotAllowed, "route.method_not_allowed")
			env.do(srv, http.MethodGet, "/flicket-api/statuses/", nil, env.as(env.admin)).expect(t, http.StatusOK)
		})

		t.Run("swagger and health stay where they are", func(t *testing.T) {
			r := env.do(srv, http.MethodGet, "/swagger/index.html", nil).expect(t, http.StatusOK)
			if strings.Contains(string(r.Body), `<div id="root">`) {
				t.Error("swagger served the app")
			}
			env.do(srv, http.MethodGet, "/healthz", nil).expect(t, http.StatusOK)
		})

		t.Run("only GET and HEAD reach the app", func(t *testing.T) {
			r := env.do(srv, http.MethodPost, "/tickets", nil)
			if r.Code != http.StatusMethodNotAllowed && r.Code != http.StatusNotFound {
				t.Errorf("POST /tickets: %d", r.Code)
			}
		})
	})
}
