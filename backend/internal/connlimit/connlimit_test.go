package connlimit_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/connlimit"
)

// serve runs an http.Server on a capped listener. /hold keeps its request
// open until release is closed; /stream moves itself to the stream pool and
// stays open the same way.
func serve(t *testing.T, maxConns, maxStreams int) (*connlimit.Listener, string, chan struct{}) {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := connlimit.New(raw, maxConns, maxStreams)
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/hold", func(w http.ResponseWriter, _ *http.Request) {
		<-release
		_, _ = io.WriteString(w, "held")
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		if !ln.Stream(r.Context()) {
			http.Error(w, "too many streams", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "streaming\n")
		w.(http.Flusher).Flush()
		<-release
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	srv := &http.Server{Handler: mux, ConnState: ln.ConnState, ConnContext: ln.ConnContext, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
		_ = srv.Close()
	})
	return ln, raw.Addr().String(), release
}

// client is one raw keep-alive connection.
type client struct {
	c net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &client{c: c, r: bufio.NewReader(c)}
}

func (c *client) send(t *testing.T, path string) {
	t.Helper()
	if _, err := fmt.Fprintf(c.c, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path); err != nil {
		t.Fatal(err)
	}
}

// answer reads one response within wait; "" when none came.
func (c *client) answer(t *testing.T, wait time.Duration) string {
	t.Helper()
	_ = c.c.SetReadDeadline(time.Now().Add(wait))
	res, err := http.ReadResponse(c.r, nil)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ""
	}
	if err != nil {
		return "error: " + err.Error()
	}
	defer func() { _ = res.Body.Close() }()
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") && res.ContentLength < 0 {
		line, _ := bufio.NewReader(res.Body).ReadString('\n')
		return line
	}
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func waitOpen(t *testing.T, ln *connlimit.Listener, conns, streams int) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if c, s := ln.Open(); c == conns && s == streams {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	c, s := ln.Open()
	t.Fatalf("open: %d connections, %d streams; want %d, %d", c, s, conns, streams)
}

func TestCapWaitsForAFreeSlot(t *testing.T) {
	ln, addr, release := serve(t, 2, 2)
	a, b := dial(t, addr), dial(t, addr)
	a.send(t, "/hold")
	b.send(t, "/hold")
	waitOpen(t, ln, 2, 0)
	// A third client connects (the kernel's backlog) but is not served.
	c := dial(t, addr)
	c.send(t, "/")
	if got := c.answer(t, 300*time.Millisecond); got != "" {
		t.Fatalf("third connection served over the cap: %q", got)
	}
	close(release)
	if a.answer(t, 5*time.Second) != "held" || b.answer(t, 5*time.Second) != "held" {
		t.Fatal("held requests did not finish")
	}
	// a and b are idle now: c gets a slot (an idle one is closed for it).
	if got := c.answer(t, 5*time.Second); got != "ok" {
		t.Fatalf("third connection after release: %q", got)
	}
}

func TestIdleConnectionMakesRoom(t *testing.T) {
	ln, addr, _ := serve(t, 2, 2)
	idle := dial(t, addr)
	idle.send(t, "/")
	if idle.answer(t, 5*time.Second) != "ok" {
		t.Fatal("first request")
	}
	busy := dial(t, addr)
	busy.send(t, "/hold")
	waitOpen(t, ln, 2, 0)
	// The cap is reached by one busy and one idle keep-alive connection:
	// the idle one is closed so that a new client is served at once.
	c := dial(t, addr)
	c.send(t, "/")
	if got := c.answer(t, 5*time.Second); got != "ok" {
		t.Fatalf("new client with an idle connection open: %q", got)
	}
	_ = idle.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := idle.r.ReadByte(); err == nil {
		t.Error("the idle connection was not closed")
	}
}

func TestStreamsAreCountedApart(t *testing.T) {
	ln, addr, release := serve(t, 3, 1)
	s := dial(t, addr)
	s.send(t, "/stream")
	if got := s.answer(t, 5*time.Second); got != "streaming\n" {
		t.Fatalf("stream: %q", got)
	}
	waitOpen(t, ln, 0, 1)
	// The stream holds no ordinary slot: three requests still run at once.
	a, b := dial(t, addr), dial(t, addr)
	a.send(t, "/hold")
	b.send(t, "/hold")
	waitOpen(t, ln, 2, 1)
	// The stream pool is full: another stream is refused, not queued.
	s2 := dial(t, addr)
	s2.send(t, "/stream")
	if got := s2.answer(t, 5*time.Second); !strings.Contains(got, "too many streams") {
		t.Errorf("second stream: %q", got)
	}
	waitOpen(t, ln, 3, 1)
	close(release)
	if a.answer(t, 5*time.Second) != "held" || b.answer(t, 5*time.Second) != "held" {
		t.Fatal("held requests")
	}
	// The stream ended: its connection is closed and its slot freed.
	waitOpen(t, ln, 3, 0)
	_ = s.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(s.r); err != nil {
		t.Errorf("stream connection: %v", err)
	}
}
