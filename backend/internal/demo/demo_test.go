package demo_test

import (
	"context"
	"testing"

	"github.com/flicket/flicket/backend/internal/demo"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestSeedIsConsistent(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		testutil.Seed(t, tdb.DB)
		var calls []int
		res, err := demo.Seed(ctx, tdb.DB, testutil.Hasher(), demo.Options{Tickets: 230, PostsPerTicket: 3, Users: 7, BatchSize: 100},
			func(n int) { calls = append(calls, n) })
		testutil.Must(t, err)
		if res.Tickets != 230 || res.Posts != 690 || res.Users != 7 {
			t.Fatalf("result = %+v", res)
		}
		if len(calls) != 3 || calls[2] != 230 {
			t.Errorf("progress calls = %v", calls)
		}
		scalar := func(q string) int64 {
			var n int64
			testutil.Must(t, tdb.DB.Raw(q).Scan(&n).Error)
			return n
		}
		if n := scalar("SELECT COUNT(*) FROM tickets"); n != 230 {
			t.Errorf("tickets = %d", n)
		}
		if n := scalar("SELECT COALESCE(SUM(n), 0) FROM ticket_counts"); n != 230 {
			t.Errorf("ticket_counts sum = %d", n)
		}
		if n := scalar("SELECT COUNT(*) FROM tickets t WHERE t.num_replies <> (SELECT COUNT(*) FROM posts p WHERE p.ticket_id = t.id)"); n != 0 {
			t.Errorf("%d tickets with a wrong num_replies", n)
		}
		if n := scalar("SELECT COUNT(*) FROM tickets t WHERE t.total_hours <> t.hours + COALESCE((SELECT SUM(p.hours) FROM posts p WHERE p.ticket_id = t.id), 0)"); n != 0 {
			t.Errorf("%d tickets with a wrong total_hours", n)
		}
		if n := scalar(`SELECT COUNT(*) FROM users u WHERE u.total_posts <> (SELECT COUNT(*) FROM tickets t WHERE t.started_id = u.id) + (SELECT COUNT(*) FROM posts p WHERE p.user_id = u.id)`); n != 0 {
			t.Errorf("%d users with a wrong total_posts", n)
		}
		if n := scalar("SELECT COUNT(*) FROM tickets WHERE status_id = 2 AND assigned_id IS NOT NULL"); n != 0 {
			t.Errorf("%d closed tickets still assigned", n)
		}
		if n := scalar("SELECT COUNT(*) FROM subscriptions"); n < 230 {
			t.Errorf("subscriptions = %d", n)
		}
		// A second run adds tickets and keeps existing users.
		res, err = demo.Seed(ctx, tdb.DB, testutil.Hasher(), demo.Options{Tickets: 10, PostsPerTicket: 0, Users: 7}, nil)
		testutil.Must(t, err)
		if res.Users != 0 || res.Tickets != 10 {
			t.Errorf("second run = %+v", res)
		}
		if n := scalar("SELECT COALESCE(SUM(n), 0) FROM ticket_counts"); n != 240 {
			t.Errorf("ticket_counts sum after the second run = %d", n)
		}
	})
}
