// Package logging builds Flicket's slog logger. Its handler adds the request
// id stored in a context to every record logged with that context, so lines
// written deep in the stack (GORM's slow-query and error logs, for instance)
// carry the id of the request that caused them.
package logging

import (
	"context"
	"io"
	"log/slog"
)

type ctxKey struct{}

// WithRequestID returns a context carrying the request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// RequestID returns the request id in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// New builds the process logger: text or JSON on w, at the level.
func New(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(contextHandler{h})
}

// contextHandler adds request_id from the record's context.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

// Bound returns a logger that logs every record with ctx, so plain calls
// (Info, Warn...) carry ctx's request id too.
func Bound(ctx context.Context, l *slog.Logger) *slog.Logger {
	return slog.New(boundHandler{Handler: l.Handler(), ctx: ctx})
}

type boundHandler struct {
	slog.Handler
	ctx context.Context
}

func (h boundHandler) Handle(_ context.Context, r slog.Record) error {
	return h.Handler.Handle(h.ctx, r)
}

func (h boundHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return boundHandler{Handler: h.Handler.WithAttrs(attrs), ctx: h.ctx}
}

func (h boundHandler) WithGroup(name string) slog.Handler {
	return boundHandler{Handler: h.Handler.WithGroup(name), ctx: h.ctx}
}
