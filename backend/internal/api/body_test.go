package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// serveTCP runs srv on a real loopback listener (deadlines, connection caps
// and resets only exist on real connections) and returns its address.
func serveTCP(t *testing.T, srv *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	testutil.Must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return ln.Addr().String()
}

// rawRequest is a request written by hand on its own connection.
type rawRequest struct {
	method, path string
	header       map[string]string
	body         []byte
	chunked      bool
}

func (r rawRequest) head() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: flicket.test\r\n", r.method, r.path)
	for k, v := range r.header {
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	if r.chunked {
		b.WriteString("Transfer-Encoding: chunked\r\n\r\n")
	} else {
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(r.body))
	}
	return b.String()
}

// writeAll writes the request whole, body included, before anything is read.
func (r rawRequest) writeAll(c net.Conn) error {
	var buf bytes.Buffer
	buf.WriteString(r.head())
	if r.chunked {
		for rest := r.body; len(rest) > 0; {
			n := min(len(rest), 64<<10)
			fmt.Fprintf(&buf, "%x\r\n%s\r\n", n, rest[:n])
			rest = rest[n:]
		}
		buf.WriteString("0\r\n\r\n")
	} else {
		buf.Write(r.body)
	}
	_, err := c.Write(buf.Bytes())
	return err
}

func readErrorBody(t *testing.T, res *http.Response) ErrorBody {
	t.Helper()
	defer func() { _ = res.Body.Close() }()
	var eb ErrorBody
	if err := json.NewDecoder(res.Body).Decode(&eb); err != nil {
		t.Fatalf("%d answer is not the JSON error: %v", res.StatusCode, err)
	}
	return eb
}

// TestTooLargeBodyIsAnswered: a client that writes its whole over-limit
// body before reading gets the 413 JSON every time, never a reset.
func TestTooLargeBodyIsAnswered(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	srv := env.newServerWith(map[string]string{"FLICKET_MAX_UPLOAD_MB": "1"})
	addr := serveTCP(t, srv)
	bearer := "Bearer " + env.tokenFor(env.admin)

	ticket := []byte(`{"title":"Too big","content":"` + strings.Repeat("x", 7<<20) + `","category_id":1,"ticket_priority_id":1}`)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	_ = mw.WriteField("ticket_id", "1")
	fw, _ := mw.CreateFormFile("file", "big.txt")
	_, _ = fw.Write(bytes.Repeat([]byte("y"), 6<<20))
	_ = mw.Close()

	cases := map[string]rawRequest{
		"JSON with its length": {method: "POST", path: "/flicket-api/tickets", body: ticket,
			header: map[string]string{"Authorization": bearer, "Content-Type": "application/json"}},
		"JSON chunked": {method: "POST", path: "/flicket-api/tickets", body: ticket, chunked: true,
			header: map[string]string{"Authorization": bearer, "Content-Type": "application/json"}},
		"sign-in, no token": {method: "POST", path: "/flicket-api/session", body: ticket,
			header: map[string]string{"Content-Type": "application/json", "X-Requested-With": "flicket"}},
		"upload over FLICKET_MAX_UPLOAD_MB": {method: "POST", path: "/flicket-api/uploads", body: form.Bytes(),
			header: map[string]string{"Authorization": bearer, "Content-Type": mw.FormDataContentType()}},
		"upload chunked": {method: "POST", path: "/flicket-api/uploads", body: form.Bytes(), chunked: true,
			header: map[string]string{"Authorization": bearer, "Content-Type": mw.FormDataContentType()}},
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			for i := 0; i < 10; i++ {
				c, err := net.Dial("tcp", addr)
				testutil.Must(t, err)
				_ = c.SetDeadline(time.Now().Add(30 * time.Second))
				if err := req.writeAll(c); err != nil {
					t.Fatalf("try %d: writing the body: %v", i, err)
				}
				res, err := http.ReadResponse(bufio.NewReader(c), nil)
				if err != nil {
					t.Fatalf("try %d: reading the answer: %v", i, err)
				}
				if eb := readErrorBody(t, res); res.StatusCode != http.StatusRequestEntityTooLarge || eb.Code != "request.too_large" {
					t.Fatalf("try %d: %d %+v", i, res.StatusCode, eb)
				}
				_ = c.Close()
			}
		})
	}

	t.Run("drained to its end, the connection serves the next request", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		testutil.Must(t, err)
		defer func() { _ = c.Close() }()
		_ = c.SetDeadline(time.Now().Add(30 * time.Second))
		r := bufio.NewReader(c)
		testutil.Must(t, cases["JSON with its length"].writeAll(c))
		res, err := http.ReadResponse(r, nil)
		testutil.Must(t, err)
		readErrorBody(t, res)
		testutil.Must(t, rawRequest{method: "GET", path: "/healthz"}.writeAll(c))
		res, err = http.ReadResponse(r, nil)
		testutil.Must(t, err)
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("next request: %d", res.StatusCode)
		}
	})
}

// slowClient sends the request's head, then its body one byte per gap, in
// the background; it returns when the body is sent or the connection fails.
func slowClient(c net.Conn, req rawRequest, gap time.Duration) <-chan error {
	done := make(chan error, 1)
	go func() {
		if _, err := io.WriteString(c, req.head()); err != nil {
			done <- err
			return
		}
		for i := range req.body {
			time.Sleep(gap)
			if _, err := c.Write(req.body[i : i+1]); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	return done
}

// TestSlowBodies: a JSON body has a short read deadline, an upload a long
// one; a late body is cut off with a 408, and once a body is in, the
// handler is not.
func TestSlowBodies(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	srv := env.newServer()
	srv.body.jsonTimeout, srv.body.uploadTimeout = 400*time.Millisecond, 30*time.Second
	srv.echo.POST("/test/slow-handler", func(c echo.Context) error {
		var v struct{ N int }
		if err := json.NewDecoder(c.Request().Body).Decode(&v); err != nil {
			return err
		}
		time.Sleep(3 * srv.body.jsonTimeout)
		if err := c.Request().Context().Err(); err != nil {
			return fmt.Errorf("context after a slow handler: %w", err)
		}
		return c.JSON(http.StatusOK, v)
	})
	addr := serveTCP(t, srv)
	login := []byte(`{"username":"admin","password":"` + strings.Repeat("p", 40) + `"}`)

	t.Run("a sign-in body sent byte by byte is cut off", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		testutil.Must(t, err)
		defer func() { _ = c.Close() }()
		_ = c.SetDeadline(time.Now().Add(30 * time.Second))
		// 65 bytes, one every 100 ms: 6.5 s to send; the deadline is 0.4 s.
		sent := slowClient(c, rawRequest{method: "POST", path: "/flicket-api/session", body: login,
			header: map[string]string{"Content-Type": "application/json", "X-Requested-With": "flicket"}}, 100*time.Millisecond)
		r := bufio.NewReader(c)
		res, err := http.ReadResponse(r, nil)
		testutil.Must(t, err)
		if eb := readErrorBody(t, res); res.StatusCode != http.StatusRequestTimeout || eb.Code != "request.body_timeout" {
			t.Errorf("%d %+v", res.StatusCode, eb)
		}
		select {
		case err := <-sent:
			t.Fatalf("the client sent its whole body (%v) before being cut off", err)
		default:
		}
		// The server closed the connection: the client's next writes fail. A
		// close with the client's bytes still unread arrives as a reset, not EOF.
		if _, err := r.ReadByte(); !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("connection still open after the 408: %v", err)
		}
		if err := <-sent; err == nil {
			t.Error("the slow client could finish its body on a closed connection")
		}
	})

	t.Run("an upload gets the long deadline", func(t *testing.T) {
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		fw, _ := mw.CreateFormFile("file", "slow.txt")
		_, _ = fw.Write([]byte("slow"))
		_ = mw.Close()
		body := form.Bytes()
		c, err := net.Dial("tcp", addr)
		testutil.Must(t, err)
		defer func() { _ = c.Close() }()
		_ = c.SetDeadline(time.Now().Add(60 * time.Second))
		// About 1.2 s in all: three times the JSON deadline.
		gap := 3 * srv.body.jsonTimeout / time.Duration(len(body))
		sent := slowClient(c, rawRequest{method: "POST", path: "/flicket-api/uploads", body: body,
			header: map[string]string{"Authorization": "Bearer " + env.tokenFor(env.admin), "Content-Type": mw.FormDataContentType()}}, gap)
		testutil.Must(t, <-sent)
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		testutil.Must(t, err)
		// Read to the end: the upload names no ticket, so 422, not a timeout.
		if eb := readErrorBody(t, res); res.StatusCode == http.StatusRequestTimeout || eb.Code == "request.body_timeout" {
			t.Errorf("upload cut off: %d %+v", res.StatusCode, eb)
		}
	})

	t.Run("after the body, the handler takes its time", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		testutil.Must(t, err)
		defer func() { _ = c.Close() }()
		_ = c.SetDeadline(time.Now().Add(30 * time.Second))
		testutil.Must(t, rawRequest{method: "POST", path: "/test/slow-handler", body: []byte(`{"N":7}`),
			header: map[string]string{"Content-Type": "application/json"}}.writeAll(c))
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		testutil.Must(t, err)
		b, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(b), `"N":7`) {
			t.Errorf("%d %s", res.StatusCode, b)
		}
	})
}

// TestMaxConnections: Run serves at most FLICKET_MAX_CONNECTIONS connections;
// the next client is served once one closes.
func TestMaxConnections(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	srv := env.newServerWith(map[string]string{"FLICKET_MAX_CONNECTIONS": "1"})
	srv.body.jsonTimeout = 30 * time.Second
	addr := serveTCP(t, srv)

	a, err := net.Dial("tcp", addr)
	testutil.Must(t, err)
	defer func() { _ = a.Close() }()
	// a holds the only slot with a body it is slow to send.
	_, err = io.WriteString(a, rawRequest{method: "POST", path: "/flicket-api/markdown", body: []byte(`{"content":"x"}`),
		header: map[string]string{"Content-Type": "application/json"}}.head())
	testutil.Must(t, err)

	b, err := net.Dial("tcp", addr)
	testutil.Must(t, err)
	defer func() { _ = b.Close() }()
	testutil.Must(t, rawRequest{method: "GET", path: "/healthz"}.writeAll(b))
	br := bufio.NewReader(b)
	_ = b.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := http.ReadResponse(br, nil); err == nil {
		t.Fatal("a second connection was served over FLICKET_MAX_CONNECTIONS=1")
	}
	_ = a.Close()
	_ = b.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(br, nil)
	testutil.Must(t, err)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("after the first closed: %d", res.StatusCode)
	}
}
