package database_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/database"
)

// A slow bulk statement is logged cut short, with what was left out, not
// megabytes to the log.
func TestSlowQueryLogIsShort(t *testing.T) {
	var buf bytes.Buffer
	l := database.NewGormLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	long := "INSERT INTO t VALUES " + strings.Repeat("('é', 1), ", 100000)
	l.Trace(context.Background(), time.Now().Add(-2*time.Second), func() (string, int64) { return long, 100000 }, nil)
	out := buf.String()
	if !strings.Contains(out, "SQL executed") || !strings.Contains(out, "INSERT INTO t VALUES ('é', 1)") {
		t.Fatalf("slow query not logged: %.300q", out)
	}
	if len(out) > 3000 {
		t.Errorf("log line is %d bytes, want the statement cut to about 2,000", len(out))
	}
	if !strings.Contains(out, "more bytes)") {
		t.Errorf("log line does not say the statement was cut: %.300q", out[len(out)-200:])
	}
	// A short statement is logged whole.
	buf.Reset()
	l.Trace(context.Background(), time.Now().Add(-2*time.Second), func() (string, int64) { return "SELECT 1", 1 }, nil)
	if !strings.Contains(buf.String(), "SELECT 1") || strings.Contains(buf.String(), "more bytes") {
		t.Errorf("short statement: %q", buf.String())
	}
}

// A statement that is neither slow nor failed is not logged, and its text
// (arguments written in) is not even built; a failed one is logged, and a
// query stopped because its client hung up is no failure.
func TestQueryLogBuildsOnlyWhatItLogs(t *testing.T) {
	var buf bytes.Buffer
	l := database.NewGormLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	built := 0
	fc := func() (string, int64) { built++; return "UPDATE t SET a = 1", 1 }
	l.Trace(context.Background(), time.Now(), fc, nil)
	if built != 0 || buf.Len() != 0 {
		t.Errorf("a fast statement: text built %d times, logged %q", built, buf.String())
	}
	l.Trace(context.Background(), time.Now(), fc, errors.New("boom"))
	if built != 1 || !strings.Contains(buf.String(), "boom") || !strings.Contains(buf.String(), "UPDATE t SET a = 1") {
		t.Errorf("a failed statement: text built %d times, logged %q", built, buf.String())
	}
	buf.Reset()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l.Trace(ctx, time.Now(), fc, context.Canceled)
	if built != 1 || buf.Len() != 0 {
		t.Errorf("a cancelled statement: text built %d times, logged %q", built, buf.String())
	}
}

// A failed statement is logged with its placeholders, never its arguments
// (a password hash, a token, a reply's text); a row that is not there is no
// failure and logs nothing.
func TestQueryLogLeavesOutArguments(t *testing.T) {
	var buf bytes.Buffer
	db, _, err := database.Open(context.Background(), "sqlite://"+t.TempDir()+"/log.db",
		database.Options{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, secret TEXT NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	const secret = "hunter2-do-not-log"
	if err := db.Exec("INSERT INTO missing_table (secret) VALUES (?)", secret).Error; err == nil {
		t.Fatal("insert into a missing table succeeded")
	}
	out := buf.String()
	if !strings.Contains(out, "INSERT INTO missing_table (secret) VALUES (?)") {
		t.Errorf("the failed statement is not logged with its placeholder: %q", out)
	}
	if strings.Contains(out, secret) {
		t.Errorf("the log holds the statement's argument: %q", out)
	}
	buf.Reset()
	var row struct{ ID int64 }
	if err := db.Table("t").Where("secret = ?", secret).First(&row).Error; err == nil {
		t.Fatal("found a row in an empty table")
	}
	if buf.Len() != 0 {
		t.Errorf("a missing row was logged: %q", buf.String())
	}
}
