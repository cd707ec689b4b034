// Package obs holds logging and metrics: JSON logs through log/slog with the
// request or correlation ID on every line, and Prometheus metrics including
// the Temporal SDK's own.
package obs

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"github.com/snoutos/snout/internal/platform/correlation"
)

// WithCorrelationID stores the request/correlation ID in ctx (it then
// travels through Temporal: see package correlation).
func WithCorrelationID(ctx context.Context, id string) context.Context {
	return correlation.With(ctx, id)
}

// CorrelationID returns the ID stored by WithCorrelationID, or "".
func CorrelationID(ctx context.Context) string { return correlation.ID(ctx) }

// NewLogger builds the process logger. Every record logged with a context
// that carries a correlation ID gets a "correlationId" attribute.
func NewLogger(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	switch strings.ToLower(level) {
	case "debug":
		lv = slog.LevelDebug
	case "warn":
		lv = slog.LevelWarn
	case "error":
		lv = slog.LevelError
	default:
		lv = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lv}
	var h slog.Handler
	if format == "text" {
		h = slog.NewTextHandler(w, opts)
	} else {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(correlationHandler{h})
}

type correlationHandler struct{ slog.Handler }

func (h correlationHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := CorrelationID(ctx); id != "" {
		r.AddAttrs(slog.String("correlationId", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h correlationHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return correlationHandler{h.Handler.WithAttrs(attrs)}
}

func (h correlationHandler) WithGroup(name string) slog.Handler {
	return correlationHandler{h.Handler.WithGroup(name)}
}
