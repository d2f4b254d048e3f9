package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestRequestIDFromContext(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "json", slog.LevelInfo)
	ctx := WithRequestID(context.Background(), "req-42")
	log.InfoContext(ctx, "inside a request", "k", "v")
	log.With("component", "x").WarnContext(ctx, "derived logger")
	log.Info("outside")
	Bound(ctx, log).Error("bound, no context given")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("lines = %q", lines)
	}
	for i, want := range []string{"req-42", "req-42", "", "req-42"} {
		var m map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &m); err != nil {
			t.Fatal(err)
		}
		got, _ := m["request_id"].(string)
		if got != want {
			t.Errorf("line %d request_id = %q, want %q", i, got, want)
		}
	}
	if RequestID(context.Background()) != "" {
		t.Error("empty context has a request id")
	}
}
