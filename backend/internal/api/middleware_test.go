package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
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
