package api

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/logging"
)

type ctxKey int

const (
	loggerKey ctxKey = iota
)

const (
	requestIDKey = "request_id"
	userKey      = "user"
	tokenIDKey   = "token_id"
)

// A client may send its own request id; it is kept when it looks harmless.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// withRequestLog gives every request an id (X-Request-ID), a logger carrying
// that id for every line written during the request, and one access line.
func (s *Server) withRequestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		id := req.Header.Get(echo.HeaderXRequestID)
		if !requestIDPattern.MatchString(id) {
			id = uuid.NewString()
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		// The logger adds request_id from the context to every line, including
		// GORM's, since queries run with the request's context.
		ctx := logging.WithRequestID(req.Context(), id)
		log := logging.Bound(ctx, s.log)
		c.SetRequest(req.WithContext(context.WithValue(ctx, loggerKey, log)))

		err := next(c)
		if err != nil {
			// Write the error response now so the access line shows its status.
			c.Error(err)
		}
		res := c.Response()
		attrs := []any{
			"method", req.Method,
			"path", req.URL.Path,
			"status", res.Status,
			"bytes", res.Size,
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000,
			"remote_ip", c.RealIP(),
		}
		if u := currentUserOrNil(c); u != nil {
			attrs = append(attrs, "user_id", u.ID)
		}
		level := slog.LevelInfo
		switch {
		case res.Status == http.StatusServiceUnavailable:
			// The database is down or the server overloaded: already logged
			// once as a warning, and not a fault of this request.
			level = slog.LevelWarn
		case res.Status >= 500:
			level = slog.LevelError
		}
		log.Log(c.Request().Context(), level, "request", attrs...)
		return nil
	}
}

// requestLogger returns the request's logger (with its id), or the fallback.
func requestLogger(c echo.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := c.Request().Context().Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return fallback
}

// LoggerFrom returns the request-scoped logger stored in ctx, if any.
func LoggerFrom(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return fallback
}

func requestID(c echo.Context) string {
	if id, ok := c.Get(requestIDKey).(string); ok {
		return id
	}
	return ""
}

// hsts keeps browsers on https for a year once they have seen it over https.
// Subdomains are left alone: they may be other services.
const hsts = "max-age=31536000"

// securityHeaders sets the headers every response carries. HSTS goes only
// on https answers (direct TLS, or X-Forwarded-Proto from a trusted proxy):
// over plain http a browser ignores it and an attacker could strip it.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if c.Scheme() == "https" {
			h.Set("Strict-Transport-Security", hsts)
		}
		if strings.HasPrefix(c.Request().URL.Path, apiPrefix) {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}
