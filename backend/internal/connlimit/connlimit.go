// Package connlimit caps how many connections a server holds at once
// (FLICKET_MAX_CONNECTIONS). Its listener hands out a connection only while
// fewer than the cap are open; the next client waits in the kernel's accept
// backlog until one closes, as with golang.org/x/net/netutil.LimitListener.
// Two additions: an idle keep-alive connection is closed to make room for a
// waiting client (idle browsers would otherwise hold every slot for the
// server's idle timeout), and long-lived event streams are counted apart, in
// a pool of their own, so that they can neither starve ordinary requests
// nor be refused because requests are busy.
package connlimit

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// Listener is a net.Listener with a connection cap. Give its ConnState and
// ConnContext to the http.Server that serves it.
type Listener struct {
	net.Listener
	slots   chan struct{} // one token per open ordinary connection
	streams chan struct{} // one token per open event stream
	done    chan struct{}
	close   sync.Once

	mu      sync.Mutex
	idle    map[*Conn]struct{}
	waiting bool // Accept waits for a slot: close connections as they go idle
	open    int  // ordinary connections open
}

// New caps l at max ordinary connections and maxStreams event streams.
func New(l net.Listener, maxConns, maxStreams int) *Listener {
	return &Listener{
		Listener: l,
		slots:    make(chan struct{}, maxConns),
		streams:  make(chan struct{}, maxStreams),
		done:     make(chan struct{}),
		idle:     map[*Conn]struct{}{},
	}
}

// Accept takes the next connection, then waits for a free slot before
// handing it out (one accepted connection may wait beyond the cap, the rest
// wait in the kernel's backlog). While it waits, idle keep-alive connections
// are closed to make room, the one idle now and any that goes idle.
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err // the listener's own error, for http.Server to judge
	}
	select {
	case l.slots <- struct{}{}:
	default:
		l.mu.Lock()
		l.waiting = true
		victim := l.takeIdle()
		l.mu.Unlock()
		if victim != nil {
			_ = victim.Close()
		}
		select {
		case l.slots <- struct{}{}:
		case <-l.done:
			_ = c.Close()
			return nil, net.ErrClosed
		}
		l.mu.Lock()
		l.waiting = false
		l.mu.Unlock()
	}
	l.mu.Lock()
	l.open++
	l.mu.Unlock()
	return &Conn{Conn: c, l: l, pool: l.slots}, nil
}

// Close stops accepting, waking an Accept that waits for a slot.
func (l *Listener) Close() error {
	l.close.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// Open is how many ordinary connections and event streams are open.
func (l *Listener) Open() (conns, streams int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open, len(l.streams)
}

// ConnState is for http.Server.ConnState: it tracks idle connections.
func (l *Listener) ConnState(nc net.Conn, state http.ConnState) {
	c, ok := nc.(*Conn)
	if !ok {
		return
	}
	c.mu.Lock()
	stream := c.pool == l.streams
	c.mu.Unlock()
	l.mu.Lock()
	// A finished event stream is not kept alive: its client reconnects.
	closeNow := state == http.StateIdle && (l.waiting || stream)
	if state == http.StateIdle && !closeNow {
		l.idle[c] = struct{}{}
	} else {
		delete(l.idle, c)
	}
	l.mu.Unlock()
	if closeNow {
		_ = c.Close()
	}
}

// takeIdle removes and returns an idle connection, if any; l.mu is held.
func (l *Listener) takeIdle() *Conn {
	for c := range l.idle {
		delete(l.idle, c)
		return c
	}
	return nil
}

type connKey struct{}

// ConnContext is for http.Server.ConnContext: it lets a handler find its
// connection (see Stream).
func (l *Listener) ConnContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// Stream moves the request's connection from the ordinary pool to the event
// stream pool, for a response that stays open (server-sent events). It
// returns false when the stream pool is full (answer 503) or the request
// did not come through this listener.
func (l *Listener) Stream(ctx context.Context) bool {
	c, ok := ctx.Value(connKey{}).(*Conn)
	if !ok || c.l != l {
		return false
	}
	select {
	case l.streams <- struct{}{}:
	default:
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		<-l.streams
		return false
	}
	old := c.pool
	c.pool = l.streams
	<-old
	l.mu.Lock()
	l.open--
	l.mu.Unlock()
	return true
}

// Conn is an accepted connection; closing it frees its slot once.
type Conn struct {
	net.Conn
	l      *Listener
	mu     sync.Mutex
	pool   chan struct{}
	closed bool
}

// Close closes the connection and frees its slot.
func (c *Conn) Close() error {
	err := c.Conn.Close()
	c.mu.Lock()
	first, ordinary := !c.closed, c.pool == c.l.slots
	if first {
		c.closed = true
		<-c.pool
	}
	c.mu.Unlock()
	c.l.mu.Lock()
	delete(c.l.idle, c)
	if first && ordinary {
		c.l.open--
	}
	c.l.mu.Unlock()
	return err
}

// CloseWrite half-closes a TCP connection, as net/http does before closing
// one whose request body it did not read (so the client reads the answer
// rather than a reset); the wrapper must not hide it.
func (c *Conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
