package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Throttles live in the server process: a determined attacker spreading over
// replicas gets at most their limits times the number of replicas.

// maxThrottleKeys bounds the memory of one throttle under a flood of
// distinct keys.
const maxThrottleKeys = 100_000

// throttle counts events per key (e.g. failed sign-ins per address) in a
// sliding window and refuses the key once it has limit of them.
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

// waitFor is how long a key with these hits must wait; call with mu held.
func (t *throttle) waitFor(hits []time.Time) time.Duration {
	if len(hits) < t.limit {
		return 0
	}
	return hits[len(hits)-t.limit].Add(t.window).Sub(t.now())
}

// blocked returns how long the key must wait, or 0.
func (t *throttle) blocked(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.waitFor(t.recent(key))
}

// take checks the key and, in the same step, counts one event for it, so
// that concurrent requests cannot all pass the check before any is counted.
// It returns the event's stamp (for give), or how long to wait.
func (t *throttle) take(key string) (time.Time, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	hits := t.recent(key)
	if wait := t.waitFor(hits); wait > 0 {
		return time.Time{}, wait
	}
	stamp := t.now()
	t.hits[key] = append(hits, stamp)
	t.bound()
	return stamp, 0
}

// give takes back one event counted by take (the attempt succeeded, or
// never happened).
func (t *throttle) give(key string, stamp time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	hits := t.hits[key]
	for i := len(hits) - 1; i >= 0; i-- {
		if hits[i].Equal(stamp) {
			hits = append(hits[:i:i], hits[i+1:]...)
			break
		}
	}
	if len(hits) == 0 {
		delete(t.hits, key)
	} else {
		t.hits[key] = hits
	}
}

// fail counts one event (a failure, or one use for rate limits).
func (t *throttle) fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.hits[key] = append(t.recent(key), t.now())
	t.bound()
}

// bound forgets expired keys when there are too many; call with mu held.
func (t *throttle) bound() {
	if len(t.hits) > maxThrottleKeys {
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

// backoff spaces out the failures of one key without ever refusing it for
// long: the first free failures in the window are not slowed; after them,
// each attempt must wait base, 2×base, 4×base... after the previous
// failure, at most ceiling. It is the per-account limit: counted across
// every address, so a guesser with many addresses is slowed down, yet
// nobody can lock an account: its owner waits at most ceiling.
type backoff struct {
	free          int
	base, ceiling time.Duration
	window        time.Duration
	now           func() time.Time

	mu    sync.Mutex
	fails map[string][]time.Time
}

func newBackoff(free int, base, ceiling, window time.Duration, now func() time.Time) *backoff {
	return &backoff{free: free, base: base, ceiling: ceiling, window: window, now: now, fails: map[string][]time.Time{}}
}

// delay is the least gap after the n-th failure (n >= free).
func (b *backoff) delay(n int) time.Duration {
	shift := max(n-b.free, 0)
	if shift >= 30 {
		return b.ceiling
	}
	return min(b.base<<shift, b.ceiling)
}

// take checks the key and counts one attempt in the same step, like
// throttle.take.
func (b *backoff) take(key string) (time.Time, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	cutoff := now.Add(-b.window)
	fails := b.fails[key]
	i := 0
	for i < len(fails) && fails[i].Before(cutoff) {
		i++
	}
	fails = fails[i:]
	if n := len(fails); n >= b.free {
		if next := fails[n-1].Add(b.delay(n)); now.Before(next) {
			b.fails[key] = fails
			return time.Time{}, next.Sub(now)
		}
	}
	b.fails[key] = append(fails, now)
	if len(b.fails) > maxThrottleKeys {
		for k, v := range b.fails {
			if len(v) == 0 || v[len(v)-1].Before(cutoff) {
				delete(b.fails, k)
			}
		}
	}
	return now, 0
}

// give takes back an attempt counted by take.
func (b *backoff) give(key string, stamp time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fails := b.fails[key]
	for i := len(fails) - 1; i >= 0; i-- {
		if fails[i].Equal(stamp) {
			b.fails[key] = append(fails[:i:i], fails[i+1:]...)
			break
		}
	}
	if len(b.fails[key]) == 0 {
		delete(b.fails, key)
	}
}

// reset forgets a key after a success.
func (b *backoff) reset(key string) {
	b.mu.Lock()
	delete(b.fails, key)
	b.mu.Unlock()
}

// throttled is the 429 answer with Retry-After.
func throttled(wait time.Duration) *APIError {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	e := newError(http.StatusTooManyRequests, "request.rate_limited", "Too many attempts; try again in %d seconds.", secs).
		with(map[string]any{"seconds": secs})
	e.Header = map[string]string{"Retry-After": strconv.Itoa(secs)}
	return e
}
