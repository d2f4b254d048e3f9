package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

const foreign = "https://dashboard.example.org"

func preflight(method, headers string) []reqOpt {
	return []reqOpt{
		withHeader("Origin", foreign),
		withHeader("Access-Control-Request-Method", method),
		withHeader("Access-Control-Request-Headers", headers),
	}
}

func TestCORS(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	ticket := map[string]any{"title": "From a dashboard", "content": "Body text", "category_id": 1, "ticket_priority_id": 1}

	t.Run("default: any origin, bearer token, no credentials", func(t *testing.T) {
		r := env.call(http.MethodOptions, "/flicket-api/tickets/", nil, preflight("POST", "authorization,content-type")...).expect(t, http.StatusNoContent)
		h := r.Header
		if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Methods") != "GET, HEAD, OPTIONS, POST" ||
			h.Get("Access-Control-Max-Age") == "" {
			t.Errorf("preflight headers %v", h)
		}
		allowHeaders := strings.ToLower(h.Get("Access-Control-Allow-Headers"))
		for _, want := range []string{"authorization", "content-type", "x-request-id", "idempotency-key"} {
			if !strings.Contains(allowHeaders, want) {
				t.Errorf("Access-Control-Allow-Headers %q lacks %s", allowHeaders, want)
			}
		}
		// A path's own methods: one ticket takes GET, PATCH and DELETE.
		r = env.call(http.MethodOptions, "/flicket-api/ticket/7", nil, preflight("PATCH", "authorization")...).expect(t, http.StatusNoContent)
		if got := r.Header.Get("Access-Control-Allow-Methods"); got != "DELETE, GET, HEAD, OPTIONS, PATCH" {
			t.Errorf("methods for /ticket/7: %q", got)
		}
		// An unknown path stays a 404.
		env.call(http.MethodOptions, "/flicket-api/nope", nil, preflight("GET", "")...).expect(t, http.StatusNotFound)

		// The request itself, with a bearer token from the other origin.
		r = env.call(http.MethodPost, "/flicket-api/tickets", ticket, env.as(env.admin), withHeader("Origin", foreign)).expect(t, http.StatusCreated)
		if r.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "Location") {
			t.Errorf("answer headers %v", r.Header)
		}
		// Errors carry the headers too, so the script can read them.
		r = env.call(http.MethodGet, "/flicket-api/tickets", nil, withHeader("Origin", foreign)).expect(t, http.StatusUnauthorized)
		if r.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("401 headers %v", r.Header)
		}
		for _, r := range []*response{r, env.call(http.MethodOptions, "/flicket-api/tickets", nil, preflight("POST", "content-type")...)} {
			if v := r.Header.Values("Access-Control-Allow-Credentials"); len(v) != 0 {
				t.Errorf("Access-Control-Allow-Credentials %v", v)
			}
		}
		// Not the web app, Swagger UI or health.
		for _, p := range []string{"/", "/healthz", "/swagger/index.html"} {
			if r := env.call(http.MethodGet, p, nil, withHeader("Origin", foreign)); r.Header.Get("Access-Control-Allow-Origin") != "" {
				t.Errorf("%s has CORS headers", p)
			}
		}
	})

	t.Run("a list of origins", func(t *testing.T) {
		srv := env.newServerWith(map[string]string{"FLICKET_CORS_ORIGINS": "https://Dashboard.example.org, http://localhost:3000"})
		r := env.do(srv, http.MethodOptions, "/flicket-api/tickets", nil, preflight("POST", "authorization")...).expect(t, http.StatusNoContent)
		if r.Header.Get("Access-Control-Allow-Origin") != foreign || !strings.Contains(r.Header.Get("Vary"), "Origin") {
			t.Errorf("listed origin: %v", r.Header)
		}
		r = env.do(srv, http.MethodGet, "/flicket-api/statuses", nil, env.as(env.admin), withHeader("Origin", "https://evil.example.net")).expect(t, http.StatusOK)
		if r.Header.Get("Access-Control-Allow-Origin") != "" || !strings.Contains(r.Header.Get("Vary"), "Origin") {
			t.Errorf("unlisted origin: %v", r.Header)
		}
		// An unlisted origin's preflight gets no grant (the plain OPTIONS answer).
		r = env.do(srv, http.MethodOptions, "/flicket-api/tickets", nil, withHeader("Origin", "https://evil.example.net"), withHeader("Access-Control-Request-Method", "POST"))
		if r.Header.Get("Access-Control-Allow-Origin") != "" || r.Header.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("unlisted preflight: %v", r.Header)
		}
	})

	t.Run("none turns CORS off", func(t *testing.T) {
		srv := env.newServerWith(map[string]string{"FLICKET_CORS_ORIGINS": "none"})
		r := env.do(srv, http.MethodOptions, "/flicket-api/tickets", nil, preflight("POST", "authorization")...)
		if r.Header.Get("Access-Control-Allow-Origin") != "" || r.Header.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("preflight with CORS off: %v", r.Header)
		}
		r = env.do(srv, http.MethodGet, "/flicket-api/statuses", nil, env.as(env.admin), withHeader("Origin", foreign)).expect(t, http.StatusOK)
		if r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("answer with CORS off: %v", r.Header)
		}
	})
}

// TestCookieRequestsFromOtherOrigins: the session cookie's unsafe requests
// must come from Flicket's own pages, now that preflights are granted.
func TestCookieRequestsFromOtherOrigins(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	testutil.NewUser(t, env.db, "carol", nil)
	ck := env.signIn(t, "carol", false)
	ticket := map[string]any{"title": "Cookie ticket", "content": "Body text", "category_id": 1, "ticket_priority_id": 1}
	post := func(opts ...reqOpt) *response {
		return env.call(http.MethodPost, "/flicket-api/tickets", ticket, append([]reqOpt{withSession(ck.Value), withCSRF()}, opts...)...)
	}
	for name, opts := range map[string][]reqOpt{
		"foreign Origin":                     {withHeader("Origin", foreign)},
		"same site, other origin":            {withHeader("Origin", "https://evil.flicket.test")},
		"other port":                         {withHeader("Origin", "http://flicket.test:8080")},
		"null Origin":                        {withHeader("Origin", "null")},
		"Sec-Fetch-Site cross-site":          {withHeader("Sec-Fetch-Site", "cross-site")},
		"Sec-Fetch-Site same-site":           {withHeader("Sec-Fetch-Site", "same-site")},
		"Sec-Fetch-Site beats a good Origin": {withHeader("Origin", "http://flicket.test"), withHeader("Sec-Fetch-Site", "same-site")},
	} {
		t.Run(name, func(t *testing.T) { post(opts...).expectError(t, http.StatusForbidden, "auth.cross_origin") })
	}
	// Sign-in and sign-out from another origin are refused too.
	env.call(http.MethodPost, "/flicket-api/session", map[string]any{"username": "carol", "password": testutil.Password},
		withCSRF(), withHeader("Origin", foreign)).expectError(t, http.StatusForbidden, "auth.cross_origin")
	env.call(http.MethodDelete, "/flicket-api/session", nil, withSession(ck.Value), withCSRF(), withHeader("Origin", foreign)).
		expectError(t, http.StatusForbidden, "auth.cross_origin")
	// Reading stays allowed (the answer is not shown to the other origin).
	env.call(http.MethodGet, "/flicket-api/tickets", nil, withSession(ck.Value), withHeader("Origin", foreign)).expect(t, http.StatusOK)

	// Our own pages: Origin or Sec-Fetch-Site say so; a client sending
	// neither is no browser.
	post(withHeader("Origin", "http://flicket.test"), withHeader("Sec-Fetch-Site", "same-origin")).expect(t, http.StatusCreated)
	post(withHeader("Origin", "http://flicket.test")).expect(t, http.StatusCreated)
	post(withHeader("Sec-Fetch-Site", "same-origin")).expect(t, http.StatusCreated)
	post().expect(t, http.StatusCreated)
	// Behind a proxy that is not trusted, the scheme may look wrong: the
	// host decides. The base URL's host counts too.
	post(withHeader("Origin", "https://flicket.test")).expect(t, http.StatusCreated)
	srv := env.newServerWith(map[string]string{"FLICKET_BASE_URL": "https://help.example.com"})
	env.do(srv, http.MethodPost, "/flicket-api/tickets", ticket, withSession(ck.Value), withCSRF(), withHeader("Origin", "https://help.example.com")).
		expect(t, http.StatusCreated)

	// The bearer token from a foreign origin is what integrators use: allowed.
	env.call(http.MethodPost, "/flicket-api/tickets", ticket, env.as(env.admin), withHeader("Origin", foreign), withHeader("Sec-Fetch-Site", "cross-site")).
		expect(t, http.StatusCreated)
}
