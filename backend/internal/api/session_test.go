package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// withCSRF adds the header the SPA sends on every request.
func withCSRF() reqOpt { return withHeader("X-Requested-With", "flicket") }

func withSession(token string) reqOpt {
	return withHeader("Cookie", sessionCookie+"="+token)
}

// sessionCookieOf returns the flicket_session cookie a response sets.
func sessionCookieOf(t *testing.T, r *response) *http.Cookie {
	t.Helper()
	for _, ck := range (&http.Response{Header: r.Header}).Cookies() {
		if ck.Name == sessionCookie {
			return ck
		}
	}
	t.Fatalf("no %s cookie in %v", sessionCookie, r.Header.Values("Set-Cookie"))
	return nil
}

// signIn opens a browser session and returns its cookie.
func (e *testEnv) signIn(t *testing.T, login string, remember bool, opts ...reqOpt) *http.Cookie {
	t.Helper()
	body := map[string]any{"username": login, "password": testutil.Password, "remember": remember}
	r := e.call(http.MethodPost, "/flicket-api/session", body, append([]reqOpt{withCSRF()}, opts...)...).expect(t, http.StatusOK)
	return sessionCookieOf(t, r)
}

func TestSession(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "Alice", []string{model.SuperUserGroup})
		testutil.NewUser(t, env.db, "dora", nil, testutil.Disabled())

		t.Run("sign in sets an HttpOnly strict session cookie and returns the user, not the token", func(t *testing.T) {
			body := map[string]any{"username": "alice", "password": testutil.Password}
			r := env.call(http.MethodPost, "/flicket-api/session", body, withCSRF()).expect(t, http.StatusOK)
			ck := sessionCookieOf(t, r)
			if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.Secure {
				t.Errorf("cookie flags: %+v", ck)
			}
			if ck.MaxAge != 0 || strings.Contains(strings.Join(r.Header.Values("Set-Cookie"), ";"), "Max-Age") {
				t.Errorf("without remember the cookie must end with the browser: %v", r.Header.Values("Set-Cookie"))
			}
			if strings.Contains(string(r.Body), ck.Value) || strings.Contains(string(r.Body), `"token"`) {
				t.Errorf("the body exposes the token: %s", r.Body)
			}
			got := r.object(t)
			if got["username"] != "Alice" || got["is_super_user"] != true || got["locale"] != "en" {
				t.Errorf("user = %v", got)
			}
			if groups, _ := got["groups"].([]any); len(groups) != 1 || groups[0] != model.SuperUserGroup {
				t.Errorf("groups = %v", got["groups"])
			}
		})

		t.Run("remember keeps the cookie for the token's lifetime", func(t *testing.T) {
			ck := env.signIn(t, "Alice", true)
			if ck.MaxAge != 36000 {
				t.Errorf("Max-Age = %d, want 36000", ck.MaxAge)
			}
		})

		t.Run("e-mail login works", func(t *testing.T) {
			env.signIn(t, "ALICE@example.com", false)
		})

		t.Run("the cookie authenticates reads", func(t *testing.T) {
			ck := env.signIn(t, "Alice", false)
			env.call(http.MethodGet, "/flicket-api/users/", nil, withSession(ck.Value)).expect(t, http.StatusOK)
			got := env.call(http.MethodGet, "/flicket-api/session", nil, withSession(ck.Value)).expect(t, http.StatusOK).object(t)
			if got["id"] != float64(alice.ID) {
				t.Errorf("GET /session = %v", got)
			}
			// Bearer clients may ask too.
			env.call(http.MethodGet, "/flicket-api/session", nil, env.as(alice)).expect(t, http.StatusOK)
		})

		t.Run("cookie-authenticated unsafe methods need X-Requested-With", func(t *testing.T) {
			ck := env.signIn(t, "Alice", false)
			for _, h := range []string{"", "XMLHttpRequest"} {
				opts := []reqOpt{withSession(ck.Value)}
				if h != "" {
					opts = append(opts, withHeader("X-Requested-With", h))
				}
				env.call(http.MethodDelete, "/flicket-api/tokens", nil, opts...).expectError(t, http.StatusForbidden, "auth.csrf_header_missing")
			}
			// Still signed in: the refused request changed nothing.
			env.call(http.MethodGet, "/flicket-api/users/", nil, withSession(ck.Value)).expect(t, http.StatusOK)
			env.call(http.MethodDelete, "/flicket-api/tokens", nil, withSession(ck.Value), withCSRF()).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, "/flicket-api/users/", nil, withSession(ck.Value)).expectError(t, http.StatusUnauthorized, "auth.token_revoked")
		})

		t.Run("bearer clients need no extra header, and the header wins over a cookie", func(t *testing.T) {
			token := env.tokenFor(alice)
			env.call(http.MethodDelete, "/flicket-api/tokens", nil, withToken(token), withSession("garbage")).expect(t, http.StatusNoContent)
		})

		t.Run("sign in refuses a request without the header (login CSRF)", func(t *testing.T) {
			body := map[string]any{"username": "Alice", "password": testutil.Password}
			r := env.call(http.MethodPost, "/flicket-api/session", body)
			r.expectError(t, http.StatusForbidden, "auth.csrf_header_missing")
			if len(r.Header.Values("Set-Cookie")) != 0 {
				t.Error("a refused sign-in set a cookie")
			}
		})

		t.Run("bad credentials are 401 without a browser login prompt", func(t *testing.T) {
			cases := []struct {
				name, login, password, code string
			}{
				{"wrong password", "Alice", "nope", "auth.invalid_credentials"},
				{"unknown user", "nobody", testutil.Password, "auth.invalid_credentials"},
				{"disabled user", "dora", testutil.Password, "auth.account_disabled"},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					body := map[string]any{"username": tc.login, "password": tc.password}
					r := env.call(http.MethodPost, "/flicket-api/session", body, withCSRF())
					r.expectError(t, http.StatusUnauthorized, tc.code)
					if h := r.Header.Get("WWW-Authenticate"); h != "" {
						t.Errorf("WWW-Authenticate %q makes browsers prompt", h)
					}
					if len(r.Header.Values("Set-Cookie")) != 0 {
						t.Error("a refused sign-in set a cookie")
					}
				})
			}
		})

		t.Run("missing fields are 422 naming them", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/session", map[string]any{"password": "x"}, withCSRF()).expectField(t, "username", "required")
			env.call(http.MethodPost, "/flicket-api/session", map[string]any{"username": "Alice"}, withCSRF()).expectField(t, "password", "required")
			env.call(http.MethodPost, "/flicket-api/session", "{", withCSRF()).expectError(t, http.StatusBadRequest, "")
		})

		t.Run("failures are throttled like POST /tokens", func(t *testing.T) {
			testutil.NewUser(t, env.db, "erin", nil)
			// Signed in from here before: only the per-address-and-account limit applies.
			env.signIn(t, "erin", false)
			body := map[string]any{"username": "erin", "password": "wrong"}
			for i := 0; i < 10; i++ {
				env.call(http.MethodPost, "/flicket-api/session", body, withCSRF()).expect(t, http.StatusUnauthorized)
			}
			good := map[string]any{"username": "erin", "password": testutil.Password}
			env.call(http.MethodPost, "/flicket-api/session", good, withCSRF()).expectError(t, http.StatusTooManyRequests, "request.rate_limited")
			// POST /tokens shares the count.
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("erin", testutil.Password)).expect(t, http.StatusTooManyRequests)
			env.clock.Advance(16 * time.Minute)
			defer env.clock.Advance(-16 * time.Minute)
			env.call(http.MethodPost, "/flicket-api/session", good, withCSRF()).expect(t, http.StatusOK)
		})

		t.Run("sign out revokes the token and clears the cookie", func(t *testing.T) {
			ck := env.signIn(t, "Alice", true)
			env.call(http.MethodDelete, "/flicket-api/session", nil, withSession(ck.Value)).expectError(t, http.StatusForbidden, "auth.csrf_header_missing")
			env.call(http.MethodGet, "/flicket-api/session", nil, withSession(ck.Value)).expect(t, http.StatusOK)
			r := env.call(http.MethodDelete, "/flicket-api/session", nil, withSession(ck.Value), withCSRF()).expect(t, http.StatusNoContent)
			if cleared := sessionCookieOf(t, r); cleared.MaxAge >= 0 || cleared.Value != "" {
				t.Errorf("cookie not cleared: %+v", cleared)
			}
			// The token is dead even for a client that kept a copy.
			env.call(http.MethodGet, "/flicket-api/users/", nil, withToken(ck.Value)).expectError(t, http.StatusUnauthorized, "auth.token_revoked")
			var tok model.APIToken
			testutil.Must(t, env.db.Where("user_id = ? AND revoked_at IS NOT NULL", alice.ID).First(&tok).Error)
		})

		t.Run("sign out without a session is a harmless 204", func(t *testing.T) {
			env.call(http.MethodDelete, "/flicket-api/session", nil).expect(t, http.StatusNoContent)
			env.call(http.MethodDelete, "/flicket-api/session", nil, withSession("not.a.token"), withCSRF()).expect(t, http.StatusNoContent)
		})

		t.Run("a dead session cookie is 401 and cleared", func(t *testing.T) {
			ck := env.signIn(t, "Alice", false)
			env.clock.Advance(10*time.Hour + time.Second)
			defer env.clock.Advance(-(10*time.Hour + time.Second))
			// The SPA's start-up probe: no error, just "nobody", and the dead cookie goes.
			r := env.call(http.MethodGet, "/flicket-api/session", nil, withSession(ck.Value)).expect(t, http.StatusNoContent)
			if cleared := sessionCookieOf(t, r); cleared.MaxAge >= 0 {
				t.Errorf("cookie not cleared: %+v", cleared)
			}
			env.call(http.MethodGet, "/flicket-api/users/", nil, withSession(ck.Value)).expectError(t, http.StatusUnauthorized, "auth.token_expired")
			if r := env.call(http.MethodGet, "/flicket-api/session", nil).expect(t, http.StatusNoContent); len(r.Body) != 0 {
				t.Errorf("204 with a body %q", r.Body)
			}
		})

		t.Run("disabling the account ends its browser sessions", func(t *testing.T) {
			frank := testutil.NewUser(t, env.db, "frank", nil)
			ck := env.signIn(t, "frank", false)
			testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", frank.ID).Update("disabled", true).Error)
			env.call(http.MethodGet, "/flicket-api/session", nil, withSession(ck.Value)).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, "/flicket-api/users/", nil, withSession(ck.Value)).expectError(t, http.StatusUnauthorized, "auth.account_disabled")
		})

		t.Run("the cookie is Secure over https", func(t *testing.T) {
			// X-Forwarded-Proto counts from a proxy in FLICKET_TRUSTED_PROXIES only.
			proxied := env.newServerWith(map[string]string{"FLICKET_TRUSTED_PROXIES": "127.0.0.1"})
			fromProxy := func(r *http.Request) { r.RemoteAddr = "127.0.0.1:40000" }
			signIn := func(srv *Server, opts ...reqOpt) *http.Cookie {
				body := map[string]any{"username": "Alice", "password": testutil.Password}
				r := env.do(srv, http.MethodPost, "/flicket-api/session", body, append([]reqOpt{withCSRF()}, opts...)...).expect(t, http.StatusOK)
				return sessionCookieOf(t, r)
			}
			if ck := signIn(proxied, withHeader("X-Forwarded-Proto", "https"), fromProxy); !ck.Secure {
				t.Error("https request: cookie not Secure")
			}
			if ck := signIn(proxied, withHeader("X-Forwarded-Proto", "https")); ck.Secure {
				t.Error("an untrusted client's X-Forwarded-Proto was believed")
			}
			if ck := signIn(env.srv, withHeader("X-Forwarded-Proto", "https"), fromProxy); ck.Secure {
				t.Error("loopback's X-Forwarded-Proto was believed without FLICKET_TRUSTED_PROXIES")
			}
			testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = ?", model.SettingsID).Update("base_url", "https://help.example.com").Error)
			defer func() {
				testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = ?", model.SettingsID).Update("base_url", "http://flicket.test").Error)
			}()
			if ck := env.signIn(t, "Alice", false); !ck.Secure {
				t.Error("https base URL: cookie not Secure")
			}
		})
	})
}
