package database_test

import (
	"context"
	"testing"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestMigration0010ShardedCounters: up rebuilds ticket_counts by category,
// status and priority from the tickets; down folds the users' counter shards
// back into their row and rebuilds the old ticket_counts.
func TestMigration0010ShardedCounters(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		db := tdb.DB
		seeded := testutil.Seed(t, db)
		exec := func(q string, args ...any) { t.Helper(); testutil.Must(t, db.Exec(q, args...).Error) }
		scalar := func(q string, args ...any) int64 {
			t.Helper()
			var n int64
			testutil.Must(t, db.Raw(q, args...).Row().Scan(&n))
			return n
		}
		// Three tickets, then the users' shards as the API leaves them.
		for i, p := range []int64{1, 3, 3} {
			exec(`INSERT INTO tickets (title, content, started_id, date_added, status_id, category_id, ticket_priority_id, hours, last_updated, num_replies, total_hours)
				VALUES (?, 'x', ?, CURRENT_TIMESTAMP, 1, 1, ?, 0, CURRENT_TIMESTAMP, 0, 0)`, "t"+string(rune('a'+i)), seeded.Admin.ID, p)
		}
		exec("INSERT INTO user_counts (user_id, shard, total_posts, total_assigned) VALUES (?, 1, 2, 1), (?, 5, 1, 0)", seeded.Admin.ID, seeded.Admin.ID)

		testutil.Must(t, database.RollbackTo(ctx, db, "0006_ticket_sort_indexes"))
		if db.Migrator().HasTable("user_counts") || db.Migrator().HasColumn("ticket_counts", "ticket_priority_id") {
			t.Fatal("0010's tables are still there after its rollback")
		}
		if got := scalar("SELECT total_posts FROM users WHERE id = ?", seeded.Admin.ID); got != 3 {
			t.Errorf("total_posts after folding the shards = %d, want 3", got)
		}
		if got := scalar("SELECT total_assigned FROM users WHERE id = ?", seeded.Admin.ID); got != 1 {
			t.Errorf("total_assigned after folding the shards = %d, want 1", got)
		}
		if got := scalar("SELECT n FROM ticket_counts WHERE category_id = 1 AND status_id = 1"); got != 3 {
			t.Errorf("old ticket_counts = %d, want 3", got)
		}

		testutil.Must(t, database.MigrateUp(ctx, db))
		if got := scalar("SELECT n FROM ticket_counts WHERE category_id = 1 AND status_id = 1 AND ticket_priority_id = 3 AND shard = 0"); got != 2 {
			t.Errorf("ticket_counts for priority 3 = %d, want 2", got)
		}
		if got := scalar("SELECT COALESCE(SUM(n), 0) FROM ticket_counts"); got != 3 {
			t.Errorf("ticket_counts sum = %d, want 3", got)
		}
		if got := scalar("SELECT COUNT(*) FROM user_counts"); got != 0 {
			t.Errorf("user_counts has %d rows after up", got)
		}
	})
}
