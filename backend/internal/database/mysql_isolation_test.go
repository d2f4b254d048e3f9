package database_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// Two transactions adding to a counter row that does not exist yet, in the
// order that deadlocked at REPEATABLE READ (both UPDATEs find no row and
// lock its gap, then both insert into it): at READ COMMITTED the first
// insert goes through at once, the second waits for its commit and adds to
// the row, and neither is a deadlock victim.
func TestMySQLWritersTakeNoGapLocks(t *testing.T) {
	if !slices.Contains(testutil.Dialects(), database.MySQL) {
		t.Skip("FLICKET_TEST_MYSQL_URL is not set")
	}
	ctx := context.Background()
	db := testutil.NewEmptyDB(t, database.MySQL).DB
	testutil.Must(t, db.Exec("CREATE TABLE counters (k INT PRIMARY KEY, n INT NOT NULL)").Error)
	testutil.Must(t, db.Exec("INSERT INTO counters VALUES (1, 0), (9, 0)").Error)

	var level string
	// tx_isolation is MariaDB's name (MySQL 8 has transaction_isolation).
	testutil.Must(t, db.Raw("SELECT @@tx_isolation").Row().Scan(&level))
	if level != "READ-COMMITTED" {
		t.Errorf("session isolation level %q, want READ-COMMITTED", level)
	}

	sqlDB, err := db.DB()
	testutil.Must(t, err)
	a, err := sqlDB.BeginTx(ctx, nil)
	testutil.Must(t, err)
	b, err := sqlDB.BeginTx(ctx, nil)
	testutil.Must(t, err)
	defer func() { _ = a.Rollback(); _ = b.Rollback() }()
	const update = "UPDATE counters SET n = n + 1 WHERE k = 5"
	const insert = "INSERT INTO counters (k, n) VALUES (5, 1) ON DUPLICATE KEY UPDATE n = n + 1"
	if _, err := a.ExecContext(ctx, update); err != nil {
		t.Fatalf("A's update: %v", err)
	}
	if _, err := b.ExecContext(ctx, update); err != nil {
		t.Fatalf("B's update: %v", err)
	}
	aDone := make(chan error, 1)
	go func() { _, err := a.ExecContext(ctx, insert); aDone <- err }()
	select {
	case err := <-aDone:
		if err != nil {
			t.Fatalf("A's insert: %v", err)
		}
	case <-time.After(3 * time.Second):
		// A waits on the gap lock B's update took: B's insert now
		// deadlocks (REPEATABLE READ's behaviour).
		_, bErr := b.ExecContext(ctx, insert)
		t.Fatalf("A's insert waited on B's gap lock; B's insert then: %v", bErr)
	}
	bDone := make(chan error, 1)
	go func() { _, err := b.ExecContext(ctx, insert); bDone <- err }()
	testutil.Must(t, a.Commit())
	select {
	case err := <-bDone:
		if err != nil {
			t.Fatalf("B's insert: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("B's insert still waits after A's commit")
	}
	testutil.Must(t, b.Commit())
	var n int
	testutil.Must(t, db.Raw("SELECT n FROM counters WHERE k = 5").Row().Scan(&n))
	if n != 2 {
		t.Errorf("counter = %d, want 2 (both additions)", n)
	}
}
