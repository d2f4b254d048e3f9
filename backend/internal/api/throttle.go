package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// throttle counts failures per key (e.g. address + login) in a sliding window
// and blocks the key once it has too many. It is per process: a determined
// attacker spreading over replicas gets at most limit × replicas tries.
type throttle struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu   sync.Mutex
	hits map[string][]time.Time
}

func newThrottle(limit int, window time.Duration, now func() time.Time) *throttle {
	return &throttle{limit: limit, window: window, now: now, hits: map[string][]time.Time{}}
}

// recent drops timestamps older than the window; call with mu held.
func (t *throttle) recent(key string) []time.Time {
	cutoff := t.now().Add(-t.window)
	hits := t.hits[key]
	i := 0
	for i < len(hits) && hits[i].Before(cutoff) {
		i++
	}
	hits = hits[i:]
	if len(hits) == 0 {
		delete(t.hits, key)
	} else {
		t.hits[key] = hits
	}
	return hits
}

// blocked returns how long the key must wait, or 0.
func (t *throttle) blocked(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	hits := t.recent(key)
	if len(hits) < t.limit {
		return 0
	}
	return hits[len(hits)-t.limit].Add(t.window).Sub(t.now())
}

// fail records one failure (or one use, for rate limits).
func (t *throttle) fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.hits[key] = append(t.recent(key), t.now())
	// Bound memory under a flood of distinct keys.
	if len(t.hits) > 100_000 {
		for k := range t.hits {
			t.recent(k)
		}
	}
}

// reset forgets a key after a success.
func (t *throttle) reset(key string) {
	t.mu.Lock()
	delete(t.hits, key)
	t.mu.Unlock()
}

// throttled is the 429 answer with Retry-After.
func throttled(wait time.Duration) *APIError {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	e := newError(http.StatusTooManyRequests, "request.rate_limited", "Too many attempts; try again in %d seconds.", secs)
	e.Header = map[string]string{"Retry-After": strconv.Itoa(secs)}
	return e
}
