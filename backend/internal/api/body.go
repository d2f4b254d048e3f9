package api

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// Request bodies: how large, how slow, and what becomes of a refused one.
//
// The server has no overall read timeout (a long export must not lose its
// request context when one fires); the headers have ReadHeaderTimeout, and
// each body gets a read deadline here, from the end of its headers to its
// last byte: short for JSON, long for uploads. Once the body is read the
// deadline is lifted, so the handler takes the time it needs.

// bodyRules are the body deadlines and the drain bound; tests shorten them.
type bodyRules struct {
	jsonTimeout   time.Duration // a JSON body (at most 1 MB)
	uploadTimeout time.Duration // a multipart upload (up to FLICKET_MAX_UPLOAD_MB)
	// A refused (413) body: after the answer is sent, up to drainMax more
	// bytes are read and dropped, for at most drainTimeout, so that a client
	// that writes its whole body before reading gets the 413 rather than a
	// connection reset (closing a socket with unread data resets it).
	drainMax     int64
	drainTimeout time.Duration
}

var defaultBodyRules = bodyRules{
	jsonTimeout:   30 * time.Second,
	uploadTimeout: 15 * time.Minute,
	drainMax:      8 << 20,
	drainTimeout:  10 * time.Second,
}

// uploadRoutes take multipart bodies up to FLICKET_MAX_UPLOAD_MB.
var uploadRoutes = map[string]bool{apiPrefix + "/uploads": true, apiPrefix + "/me/avatar": true}

// bodyLimit gives the body its size limit and read deadline: upload routes
// sent multipart get the upload ones, everything else the JSON ones. A body
// over the limit is a 413, before it is read when its length says so.
func (s *Server) bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Body == nil || req.Body == http.NoBody {
			return next(c)
		}
		limit, timeout := int64(maxJSONBody), s.body.jsonTimeout
		rc := http.NewResponseController(c.Response())
		if uploadRoutes[c.Path()] && strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
			limit, timeout = int64(s.cfg.MaxUploadMB)<<20, s.body.uploadTimeout
			// The answer comes after the upload: leave it the usual time.
			_ = rc.SetWriteDeadline(time.Now().Add(timeout + writeTimeout))
		}
		raw := req.Body
		if req.ContentLength > limit {
			return s.refuseBody(c, rc, raw, limit, newError(http.StatusRequestEntityTooLarge, "request.too_large",
				"The request body is larger than %d bytes.", limit).with(map[string]any{"max_bytes": limit}))
		}
		// Not supported by test recorders; a real connection always is.
		_ = rc.SetReadDeadline(time.Now().Add(timeout))
		body := &deadlineBody{ReadCloser: http.MaxBytesReader(c.Response(), raw, limit), lift: func() { _ = rc.SetReadDeadline(time.Time{}) }}
		req.Body = body
		err := next(c)
		switch {
		case body.timedOut.Load():
			c.Response().Header().Set(echo.HeaderConnection, "close")
			return &APIError{Status: http.StatusRequestTimeout, Code: "request.body_timeout",
				Message: "The request body did not arrive in time (" + timeout.String() + " at most).", Cause: err}
		case err != nil && toAPIError(err).Status == http.StatusRequestEntityTooLarge:
			return s.refuseBody(c, rc, raw, limit, err)
		}
		return err
	}
}

// refuseBody sends the 413 now, then drains a bounded remainder of the body
// (see bodyRules) so that the client reads the answer instead of a reset.
func (s *Server) refuseBody(c echo.Context, rc *http.ResponseController, raw io.Reader, limit int64, err error) error {
	req := c.Request()
	// A client waiting for "100 Continue" has sent nothing to drain; a body
	// known to be far larger is not worth reading: the connection closes.
	if strings.EqualFold(req.Header.Get("Expect"), "100-continue") || req.ContentLength > limit+s.body.drainMax {
		c.Response().Header().Set(echo.HeaderConnection, "close")
		return err
	}
	// Full duplex: the server would otherwise mark the connection for
	// closing when the answer goes out with so much of the body unread.
	_ = rc.EnableFullDuplex()
	c.Error(err)
	_ = rc.Flush()
	_ = rc.SetReadDeadline(time.Now().Add(s.body.drainTimeout))
	if _, derr := io.Copy(io.Discard, io.LimitReader(raw, s.body.drainMax)); derr != nil {
		requestLogger(c, s.log).Debug("413 body not drained", "err", derr)
	}
	return nil
}

// deadlineBody lifts the read deadline once the body is read to its end,
// and notes whether the deadline cut it short.
type deadlineBody struct {
	io.ReadCloser
	lift     func()
	lifted   atomic.Bool
	timedOut atomic.Bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	switch {
	case errors.Is(err, io.EOF):
		if !b.lifted.Swap(true) {
			b.lift()
		}
	case errors.Is(err, os.ErrDeadlineExceeded):
		b.timedOut.Store(true)
	}
	return n, err // a body's errors pass through as they are
}
