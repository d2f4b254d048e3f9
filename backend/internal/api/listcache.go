package api

import (
	"bytes"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	json "github.com/goccy/go-json"
	"github.com/labstack/echo/v4"
)

// listCache keeps the ticket list pages this process built in the last
// second. Every write request this process serves empties it at once, so a
// user always sees their own change; a change made through another process
// sharing the database shows within listCacheTTL. Tokens are still checked
// on every request: only the page is reused, never the authentication.
type listCache struct {
	ttl time.Duration
	max int
	now func() time.Time

	version atomic.Uint64 // bumped by every successful write request
	mu      sync.Mutex
	entries map[string]listEntry
	bytes   int
}

type listEntry struct {
	body    []byte
	version uint64
	at      time.Time
}

// listCacheTTL bounds how stale a list can be after a write made elsewhere.
const listCacheTTL = time.Second

// listCacheBytes caps the memory the cache holds.
const listCacheBytes = 32 << 20

func newListCache(ttl time.Duration, max int, now func() time.Time) *listCache {
	return &listCache{ttl: ttl, max: max, now: now, entries: map[string]listEntry{}}
}

// lookup returns a fresh cached body, and the version a new entry for the
// key must be stored under (read before the data, so a write that commits
// meanwhile makes the new entry stale rather than wrong).
func (lc *listCache) lookup(key string) ([]byte, uint64, bool) {
	v := lc.version.Load()
	lc.mu.Lock()
	e, ok := lc.entries[key]
	lc.mu.Unlock()
	if ok && e.version == v && lc.now().Sub(e.at) < lc.ttl {
		return e.body, v, true
	}
	return nil, v, false
}

func (lc *listCache) store(key string, version uint64, body []byte) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if len(lc.entries) >= lc.max || lc.bytes+len(body) > listCacheBytes {
		// Full: forget everything; the next requests rebuild what is used.
		lc.entries = make(map[string]listEntry, lc.max)
		lc.bytes = 0
	}
	if old, ok := lc.entries[key]; ok {
		lc.bytes -= len(old.body)
	}
	lc.entries[key] = listEntry{body: body, version: version, at: lc.now()}
	lc.bytes += len(body)
}

// invalidate makes every cached page stale.
func (lc *listCache) invalidate() { lc.version.Add(1) }

// invalidateOnWrite empties the cache after every successful API request
// that may change data.
func (s *Server) invalidateOnWrite(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil && unsafeMethod(c.Request().Method) && c.Response().Status < http.StatusBadRequest {
			s.lists.invalidate()
		}
		return err
	}
}

// cachedJSON answers from the cache when it can, else builds the body with
// build, stores it under key and answers it.
func (s *Server) cachedJSON(c echo.Context, key string, build func() (any, error)) error {
	body, version, ok := s.lists.lookup(key)
	if ok {
		c.Response().Header().Set("X-Flicket-Cache", "hit")
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
	}
	v, err := build()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	body = buf.Bytes()
	s.lists.store(key, version, body)
	c.Response().Header().Set("X-Flicket-Cache", "miss")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}
