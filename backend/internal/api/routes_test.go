package api

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestWrongMethod walks the route table: every known path answers every
// method it does not route with a 405 naming the methods it does in Allow,
// before any authentication.
func TestWrongMethod(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))

	// The table's paths with "1" for each parameter, and their methods.
	byPath := map[string]map[string]bool{}
	for _, r := range env.srv.apiRoutes() {
		segs := strings.Split(r.path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, ":") {
				segs[i] = "1"
			}
		}
		p := strings.Join(segs, "/")
		if byPath[p] == nil {
			byPath[p] = map[string]bool{}
		}
		byPath[p][r.method] = true
		if r.method == http.MethodGet {
			byPath[p][http.MethodHead] = true
		}
	}
	// A concrete path may fit several patterns (/tickets/bulk is also
	// /tickets/:page): it accepts the methods of all of them.
	for p, accepted := range byPath {
		segs := strings.Split(strings.Trim(p, "/"), "/")
		for _, r := range env.srv.apiRoutes() {
			if matchPath(strings.Split(strings.Trim(r.path, "/"), "/"), segs) {
				accepted[r.method] = true
				if r.method == http.MethodGet {
					accepted[http.MethodHead] = true
				}
			}
		}
	}
	if len(byPath) < 50 {
		t.Fatalf("only %d paths in the route table", len(byPath))
	}
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	token := env.tokenFor(env.admin)
	for p, accepted := range byPath {
		want := []string{http.MethodOptions}
		for m := range accepted {
			want = append(want, m)
		}
		sort.Strings(want)
		allow := strings.Join(want, ", ")
		for _, m := range methods {
			if accepted[m] {
				continue
			}
			for _, url := range []string{apiPrefix + p, apiPrefix + p + "/"} {
				r := env.call(m, url, nil)
				if m == http.MethodHead {
					r.expect(t, http.StatusMethodNotAllowed)
				} else {
					body := r.expectError(t, http.StatusMethodNotAllowed, "route.method_not_allowed")
					if !strings.Contains(body.Message, m) {
						t.Errorf("%s %s: message %q does not name the method", m, url, body.Message)
					}
				}
				if got := r.Header.Get("Allow"); got != allow {
					t.Errorf("%s %s: Allow %q, want %q", m, url, got, allow)
				}
			}
			// Signed in, the answer is the same.
			if r := env.call(m, apiPrefix+p, nil, withToken(token)); r.Code != http.StatusMethodNotAllowed || r.Header.Get("Allow") != allow {
				t.Errorf("%s %s signed in: %d, Allow %q", m, p, r.Code, r.Header.Get("Allow"))
			}
		}
		r := env.call(http.MethodOptions, apiPrefix+p, nil).expect(t, http.StatusNoContent)
		if got := r.Header.Get("Allow"); got != allow {
			t.Errorf("OPTIONS %s: Allow %q, want %q", p, got, allow)
		}
	}

	t.Run("the issue's example", func(t *testing.T) {
		r := env.call(http.MethodGet, "/flicket-api/tokens", nil)
		r.expectError(t, http.StatusMethodNotAllowed, "route.method_not_allowed")
		if got := r.Header.Get("Allow"); got != "DELETE, OPTIONS, POST" {
			t.Errorf("Allow %q", got)
		}
	})

	t.Run("HEAD works wherever GET does", func(t *testing.T) {
		env.call(http.MethodHead, "/flicket-api/statuses", nil, withToken(token)).expect(t, http.StatusOK)
		env.call(http.MethodHead, "/flicket-api/statuses", nil).expect(t, http.StatusUnauthorized)
		env.call(http.MethodHead, "/healthz", nil).expect(t, http.StatusOK)
	})

	t.Run("unknown API paths stay 404 for every method", func(t *testing.T) {
		for _, m := range append(methods, http.MethodOptions) {
			for _, p := range []string{"/flicket-api", "/flicket-api/nope", "/flicket-api/ticket/1/nope", "/flicket-api/tokens/1"} {
				r := env.call(m, p, nil)
				if r.Code != http.StatusNotFound {
					t.Errorf("%s %s: %d %s, want 404", m, p, r.Code, r.Body)
				}
			}
		}
	})

	t.Run("outside the API", func(t *testing.T) {
		for p, allow := range map[string]string{"/healthz": "OPTIONS, GET, HEAD", "/readyz": "OPTIONS, GET, HEAD", "/": "OPTIONS, GET, HEAD"} {
			r := env.call(http.MethodPost, p, nil)
			r.expectError(t, http.StatusMethodNotAllowed, "route.method_not_allowed")
			if got := r.Header.Get("Allow"); got != allow {
				t.Errorf("POST %s: Allow %q, want %q", p, got, allow)
			}
		}
	})
}
