package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/logging"
	"github.com/flicket/flicket/backend/internal/testutil"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

func TestRequestLogging(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	var buf syncBuffer
	env.srv.log = logging.New(&buf, "json", slog.LevelDebug)
	env.srv.echo.GET("/test/logs", func(c echo.Context) error {
		requestLogger(c, env.srv.log).Info("a handler line")
		return errors.New("boom")
	})

	r := env.call(http.MethodGet, "/test/logs", nil)
	id := r.Header.Get("X-Request-Id")
	env.call(http.MethodGet, "/flicket-api/statuses/", nil, env.as(env.admin)).expect(t, http.StatusOK)

	var mine, access int
	for _, l := range buf.lines() {
		if l["request_id"] == nil || l["request_id"] == "" {
			t.Errorf("log line without request_id: %v", l)
		}
		if l["request_id"] == id {
			mine++
			if l["msg"] == "request" {
				access++
				if l["status"].(float64) != 500 || l["path"] != "/test/logs" {
					t.Errorf("access line = %v", l)
				}
			}
		}
	}
	// The handler's line, the 500's error line and one access line.
	if mine != 3 || access != 1 {
		t.Errorf("lines for the request: %d (access %d), want 3 (1)", mine, access)
	}
}

// TestHSTS: Strict-Transport-Security on https answers only, https being
// direct TLS or X-Forwarded-Proto from a proxy in FLICKET_TRUSTED_PROXIES.
func TestHSTS(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	proxied := env.newServerWith(map[string]string{"FLICKET_TRUSTED_PROXIES": "10.0.0.5"})
	fromProxy := func(r *http.Request) { r.RemoteAddr = "10.0.0.5:40000" }
	https := withHeader("X-Forwarded-Proto", "https")
	for _, tc := range []struct {
		name string
		srv  *Server
		opts []reqOpt
		want bool
	}{
		{"plain http", env.srv, nil, false},
		{"trusted proxy, https", proxied, []reqOpt{https, fromProxy}, true},
		{"trusted proxy, http", proxied, []reqOpt{withHeader("X-Forwarded-Proto", "http"), fromProxy}, false},
		{"untrusted client claiming https", proxied, []reqOpt{https}, false},
		{"no trusted proxies configured", env.srv, []reqOpt{https, fromProxy}, false},
	} {
		for _, path := range []string{"/flicket-api/statuses/", "/healthz", "/", "/swagger/index.html", "/flicket-api/nope"} {
			r := env.do(tc.srv, http.MethodGet, path, nil, tc.opts...)
			if got := r.Header.Get("Strict-Transport-Security"); (got == hsts) != tc.want || (!tc.want && got != "") {
				t.Errorf("%s %s: Strict-Transport-Security %q", tc.name, path, got)
			}
		}
	}

	t.Run("direct TLS", func(t *testing.T) {
		ts := httptest.NewTLSServer(env.srv.Handler())
		defer ts.Close()
		res, err := ts.Client().Get(ts.URL + "/healthz")
		testutil.Must(t, err)
		defer func() { _ = res.Body.Close() }()
		if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
			t.Errorf("over TLS: Strict-Transport-Security %q", got)
		}
	})
}
