package api

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

const (
	idempotencyHeader = "Idempotency-Key"
	// idempotencyReplayed marks an answer given again from the store.
	idempotencyReplayed = "Idempotent-Replayed"
	maxIdempotencyKey   = 255
	// A key left pending this long belongs to a request that died (the
	// process stopped mid-way); a retry may take it over.
	idempotencyStale = time.Minute
	// Expired keys are pruned at most this often, by the request that notices.
	idempotencyPruneEvery = time.Hour
)

// idempotencyPruner remembers when expired keys were last deleted.
type idempotencyPruner struct {
	mu   sync.Mutex
	last time.Time
}

// due says whether a prune should run now, and if so records it.
func (p *idempotencyPruner) due(now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Sub(p.last) < idempotencyPruneEvery {
		return false
	}
	p.last = now
	return true
}

// idempotent wraps a create so that a client may send it again safely: with
// an Idempotency-Key header, the same key from the same user within 24 hours
// gets the first answer again (same status and body, with
// Idempotent-Replayed: true) and creates nothing; the same key with another
// request is a 409. Server errors are not kept, so a retry runs again.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get(idempotencyHeader)
		if key == "" {
			return next(c)
		}
		if err := checkIdempotencyKey(key); err != nil {
			return err
		}
		req := c.Request()
		raw, err := io.ReadAll(req.Body)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return newError(http.StatusRequestEntityTooLarge, "request.too_large", "The request body is larger than %d bytes.", tooBig.Limit).
					with(map[string]any{"max_bytes": tooBig.Limit})
			}
			return errBadRequest("request.unreadable", "The request body could not be read.")
		}
		req.Body = io.NopCloser(bytes.NewReader(raw))

		ctx := context.WithoutCancel(req.Context())
		now := s.now()
		rec := &model.IdempotencyKey{
			UserID:      currentUser(c).ID,
			KeyHash:     sha256Hex([]byte(key)),
			RequestHash: requestHash(req, raw),
			CreatedAt:   now,
		}
		prev, err := model.ClaimIdempotencyKey(ctx, s.db, rec, idempotencyStale)
		if err != nil {
			return err
		}
		if prev != nil {
			return replayIdempotent(c, prev, rec.RequestHash)
		}

		resp := c.Response()
		tee := &teeWriter{ResponseWriter: resp.Writer}
		resp.Writer = tee
		if err := next(c); err != nil {
			c.Error(err) // written now, through the tee, so the answer is kept
		}
		resp.Writer = tee.ResponseWriter

		status := resp.Status
		if keepIdempotent(status) {
			err = model.CompleteIdempotencyKey(ctx, s.db, rec.ID, status,
				resp.Header().Get(echo.HeaderContentType), resp.Header().Get(echo.HeaderLocation), tee.body.Bytes())
		} else {
			err = model.ReleaseIdempotencyKey(ctx, s.db, rec.ID)
		}
		if err != nil {
			// The answer is sent; only a retry's protection is lost.
			requestLogger(c, s.log).ErrorContext(ctx, "idempotency key not saved", "err", err)
		}
		if s.idemPrune.due(now) {
			if _, err := model.PruneIdempotencyKeys(ctx, s.db, now); err != nil {
				requestLogger(c, s.log).ErrorContext(ctx, "prune idempotency keys", "err", err)
			}
		}
		return nil
	}
}

// keepIdempotent says whether an answer is final for its key: success and
// client errors are; server errors, timeouts and rate limits are worth a retry.
func keepIdempotent(status int) bool {
	return status < http.StatusInternalServerError &&
		status != http.StatusTooManyRequests && status != http.StatusRequestTimeout
}

func replayIdempotent(c echo.Context, prev *model.IdempotencyKey, requestHash string) error {
	if prev.RequestHash != requestHash {
		return errConflict("idempotency.key_reused",
			"This Idempotency-Key was already used with a different request in the last 24 hours; send a new key for a new request.")
	}
	if prev.Pending() {
		e := errConflict("idempotency.in_progress", "A request with this Idempotency-Key is still being handled; retry in a moment.")
		e.Header = map[string]string{"Retry-After": "1"}
		return e
	}
	h := c.Response().Header()
	if prev.Location != "" {
		h.Set(echo.HeaderLocation, prev.Location)
	}
	h.Set(idempotencyReplayed, "true")
	ct := prev.ContentType
	if ct == "" {
		ct = echo.MIMEApplicationJSON
	}
	return c.Blob(prev.StatusCode, ct, prev.Body)
}

// checkIdempotencyKey accepts 1–255 visible ASCII characters (a UUID, say).
func checkIdempotencyKey(key string) error {
	ok := len(key) <= maxIdempotencyKey
	for i := 0; ok && i < len(key); i++ {
		ok = key[i] > ' ' && key[i] < 0x7f
	}
	if ok {
		return nil
	}
	msg := "Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID."
	return &APIError{
		Status: http.StatusBadRequest, Code: "request.invalid_header", Message: msg,
		Fields: []model.FieldError{{Field: idempotencyHeader, Code: "invalid", Message: msg}},
	}
}

// requestHash identifies what a request asks for: its method, path and
// body. JSON is compared by value (key order and spacing do not matter);
// multipart bodies by their parts, since a browser picks a new boundary
// for each send.
func requestHash(req *http.Request, raw []byte) string {
	h := sha256.New()
	_, _ = io.WriteString(h, req.Method+"\n"+req.URL.Path+"?"+req.URL.RawQuery+"\n")
	mt, params, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	switch {
	case mt == echo.MIMEApplicationJSON:
		if canon, ok := canonicalJSON(raw); ok {
			raw = canon
		}
	case mt == echo.MIMEMultipartForm && params["boundary"] != "":
		if parts, ok := multipartDigest(raw, params["boundary"]); ok {
			raw = parts
		}
	}
	_, _ = h.Write(raw)
	return hex.EncodeToString(h.Sum(nil))
}

func canonicalJSON(raw []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	out, err := json.Marshal(v) // map keys come out sorted
	return out, err == nil
}

func multipartDigest(raw []byte, boundary string) ([]byte, bool) {
	r := multipart.NewReader(bufio.NewReader(bytes.NewReader(raw)), boundary)
	var out bytes.Buffer
	for {
		p, err := r.NextRawPart()
		if errors.Is(err, io.EOF) {
			return out.Bytes(), true
		}
		if err != nil {
			return nil, false
		}
		content := sha256.New()
		if _, err := io.Copy(content, p); err != nil {
			return nil, false
		}
		out.WriteString(p.FormName() + "\x00" + p.FileName() + "\x00" + hex.EncodeToString(content.Sum(nil)) + "\n")
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// teeWriter copies the answer's body as it is written.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *teeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
