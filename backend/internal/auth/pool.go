package auth

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// ErrBusy is returned by Pool.Do when the work cannot start soon enough:
// too many are already waiting, or no slot freed up within the wait.
var ErrBusy = errors.New("password hashing is overloaded")

// Pool bounds the bcrypt work running at once. Each hash costs tens to
// hundreds of milliseconds of one core; without a bound, a burst of sign-ins
// (or of requests with made-up usernames, which cost a comparison too)
// queues up on every core and slows everything else. Work beyond the bound
// waits in a short queue; when the queue is full, or the wait too long, Do
// refuses at once so the caller can answer 503 instead of piling up.
type Pool struct {
	slots    chan struct{}
	maxQueue int64
	maxWait  time.Duration

	waiting atomic.Int64
	runs    atomic.Int64
}

// NewPool runs at most size jobs at once; at most queue more wait, each for
// at most maxWait.
func NewPool(size, queue int, maxWait time.Duration) *Pool {
	if size < 1 {
		size = 1
	}
	return &Pool{slots: make(chan struct{}, size), maxQueue: int64(max(queue, 0)), maxWait: maxWait}
}

// Do runs fn in a slot. It returns ErrBusy when the pool is overloaded, or
// the context's error when the caller gave up first; fn has not run then.
func (p *Pool) Do(ctx context.Context, fn func()) error {
	select {
	case p.slots <- struct{}{}:
	default:
		if p.waiting.Add(1) > p.maxQueue {
			p.waiting.Add(-1)
			return ErrBusy
		}
		timer := time.NewTimer(p.maxWait)
		select {
		case p.slots <- struct{}{}:
			p.waiting.Add(-1)
			timer.Stop()
		case <-timer.C:
			p.waiting.Add(-1)
			return ErrBusy
		case <-ctx.Done():
			p.waiting.Add(-1)
			timer.Stop()
			return ctx.Err()
		}
	}
	defer func() { <-p.slots }()
	p.runs.Add(1)
	fn()
	return nil
}

// Runs counts the jobs that ran (tests use it to prove a path did no
// hashing).
func (p *Pool) Runs() int64 { return p.runs.Load() }
