package model

import (
	"context"
	"slices"
	"sync"
)

// Gate lets at most a fixed number of callers through at once, the others in
// the order they arrived. The Writer queues its transactions at one; the API
// queues its searches at another (see DefaultSearches).
//
// Writes: SQLite has one writer at a time: without a gate of one,
// concurrent writers meet at BEGIN IMMEDIATE, and the busy handler lets them
// retry after sleeps that grow the longer they have waited, so a writer that
// has waited long is the one least likely to get in (at 16 connections, 100k
// tickets: p50 60 ms, p99 1.9 s). Queued here instead, a write waits for the
// ones ahead of it only: p99 is about the queue's length times one write.
//
// MariaDB and PostgreSQL lock rows and take writes concurrently, but a write
// more than the server can work on at once only waits inside it — for the
// commit's log flush, a counter row, a busy index page — while holding its
// own row locks, and whichever waiter the server wakes first goes first. At
// 16 connections on PostgreSQL (100k tickets, 2 cores) replies had p99 150–
// 270 ms unqueued and 110–135 ms with four at a time, at the same
// throughput: queued in order here, a write's wait is the queue ahead of it.
type Gate struct {
	mu     sync.Mutex
	slots  int // callers let through at once (at least 1)
	inside int
	queue  []chan struct{}
	queued func() // test hook: a caller joined the queue
}

// NewGate lets slots callers through at once (at least one).
func NewGate(slots int) *Gate {
	return &Gate{slots: max(slots, 1)}
}

// Slots is how many callers g lets through at once.
func (g *Gate) Slots() int { return g.slots }

// Queued is how many callers wait for their turn.
func (g *Gate) Queued() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}

// Enter waits for the caller's turn, or until ctx is done; a caller that
// got in calls Leave when done.
func (g *Gate) Enter(ctx context.Context) error {
	g.mu.Lock()
	if g.inside < g.slots {
		g.inside++
		g.mu.Unlock()
		return nil
	}
	turn := make(chan struct{})
	g.queue = append(g.queue, turn)
	hook := g.queued
	g.mu.Unlock()
	if hook != nil {
		hook()
	}
	select {
	case <-turn:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		i := slices.Index(g.queue, turn)
		if i >= 0 {
			g.queue = slices.Delete(g.queue, i, i+1)
		}
		g.mu.Unlock()
		if i < 0 {
			// The turn was handed over meanwhile: pass it on.
			g.Leave()
		}
		return ctx.Err()
	}
}

// Leave hands the caller's place to the first caller waiting, if any.
func (g *Gate) Leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.inside--
		return
	}
	next := g.queue[0]
	g.queue = g.queue[1:]
	close(next)
}
