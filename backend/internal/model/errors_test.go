package model_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestIsCanceled: a statement stopped by its context's end is recognised on
// every database, whatever the driver makes of it (SQLite reports
// "interrupted (9)", not the context's error), and a plain failure is not.
func TestIsCanceled(t *testing.T) {
	slow := map[database.Dialect]string{
		database.SQLite: `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000)
			SELECT COUNT(*) FROM c`,
		database.MySQL:    "SELECT SLEEP(10)",
		database.Postgres: "SELECT 1 FROM pg_sleep(10)",
	}
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		var n int64
		err := tdb.DB.WithContext(ctx).Raw(slow[tdb.Dialect]).Scan(&n).Error
		if err == nil {
			t.Fatal("the slow statement finished within 200 ms")
		}
		if !model.IsCanceled(err) {
			t.Errorf("IsCanceled(%v) = false for a statement stopped by its context", err)
		}
		err = tdb.DB.Raw("SELECT no_such_column FROM tickets").Scan(&n).Error
		if err == nil || model.IsCanceled(err) {
			t.Errorf("IsCanceled(%v) = true for a plain failure", err)
		}
	})
}

// sqliteErr stands for the SQLite driver's error, which carries the result
// code: a statement interrupted mid-step reports SQLITE_INTERRUPT, not the
// context's error ("find token: interrupted (9)" on a request whose client
// left).
type sqliteErr struct{ code int }

func (e sqliteErr) Error() string { return fmt.Sprintf("sqlite error (%d)", e.code) }
func (e sqliteErr) Code() int     { return e.code }

func TestIsCanceledSQLiteInterrupt(t *testing.T) {
	if !model.IsCanceled(fmt.Errorf("find token: %w", sqliteErr{9})) {
		t.Error("SQLITE_INTERRUPT is not seen as canceled")
	}
	if model.IsCanceled(fmt.Errorf("find token: %w", sqliteErr{5})) {
		t.Error("SQLITE_BUSY is seen as canceled")
	}
	if model.IsCanceled(errors.New("interrupted")) {
		t.Error("a plain error is seen as canceled")
	}
}
