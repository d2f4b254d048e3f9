package model_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestPruneNotifications: the janitor's rules (read 90 days ago, the newest
// 200 per user, undo holds an hour past their window) on each database.
func TestPruneNotifications(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		db := tdb.DB
		clock := testutil.NewClock()
		admin := testutil.Seed(t, db).Admin
		w := testutil.NewWriter(db, clock)
		tk := testutil.NewTicket(t, w, admin)
		busy := testutil.NewUser(t, db, "busy", nil)
		reader := testutil.NewUser(t, db, "reader", nil)
		now := clock.Now()
		at := func(d time.Duration) *time.Time { x := now.Add(-d); return &x }
		add := func(u *model.User, n int, created time.Time, read *time.Time) {
			t.Helper()
			rows := make([]model.Notification, n)
			for i := range rows {
				rows[i] = model.Notification{UserID: u.ID, Kind: model.NotifyReply, TicketID: tk.ID, CreatedAt: created, ReadAt: read}
			}
			testutil.Must(t, db.CreateInBatches(rows, 100).Error)
		}
		ids := func(u *model.User) []int64 {
			t.Helper()
			var out []int64
			testutil.Must(t, db.Model(&model.Notification{}).Where("user_id = ?", u.ID).Order("id").Pluck("id", &out).Error)
			return out
		}
		day := 24 * time.Hour
		add(reader, 1, now.Add(-200*day), at(91*day)) // read 91 days ago: goes
		add(reader, 1, now.Add(-200*day), at(89*day)) // read 89 days ago: stays
		add(reader, 1, now.Add(-400*day), nil)        // unread, however old: stays
		add(busy, model.NotificationsPerUser+5, now, nil)
		busyBefore := ids(busy)

		// Undo holds: one ended two hours ago (its notification is unlinked), one a minute ago.
		old := model.NotificationUndoHold{UndoKey: "1:assignee:1", Until: now.Add(-2 * time.Hour)}
		recent := model.NotificationUndoHold{UndoKey: "1:assignee:2", Until: now.Add(-time.Minute)}
		testutil.Must(t, db.Create(&old).Error)
		testutil.Must(t, db.Create(&recent).Error)
		testutil.Must(t, db.Model(&model.Notification{}).Where("id = ?", busyBefore[len(busyBefore)-1]).Update("undo_hold_id", old.ID).Error)

		var p model.NotificationPruner
		got, err := p.Prune(ctx, db, now)
		testutil.Must(t, err)
		if got != (model.NotificationsPruned{Read: 1, OverCap: 5, Holds: 1}) {
			t.Errorf("first pass = %+v", got)
		}
		if got := ids(busy); len(got) != model.NotificationsPerUser || got[0] != busyBefore[5] {
			t.Errorf("busy keeps %d from id %v, want the newest %d", len(got), got[:1], model.NotificationsPerUser)
		}
		if n := len(ids(reader)); n != 2 {
			t.Errorf("reader keeps %d, want 2", n)
		}
		var linked int64
		testutil.Must(t, db.Model(&model.Notification{}).Where("undo_hold_id IS NOT NULL").Count(&linked).Error)
		var holds []string
		testutil.Must(t, db.Model(&model.NotificationUndoHold{}).Pluck("undo_key", &holds).Error)
		if linked != 0 || len(holds) != 1 || holds[0] != recent.UndoKey {
			t.Errorf("after the pass: %d notifications linked, holds %v", linked, holds)
		}

		// The next pass looks only at users notified since: busy again.
		add(busy, 3, now, nil)
		add(reader, 1, now, nil)
		rec, stmts := testutil.RecordStatements(db)
		got, err = p.Prune(ctx, rec, now)
		testutil.Must(t, err)
		ran := stmts.Take()
		for _, q := range ran {
			if plan := explain(t, tdb, q); scansNotifications(tdb.Dialect, plan) {
				t.Errorf("scans a whole table or index: %s\nplan:\n%s", q, strings.Join(plan, "\n"))
			}
		}
		if got != (model.NotificationsPruned{OverCap: 3}) || len(ids(busy)) != model.NotificationsPerUser || len(ids(reader)) != 3 {
			t.Errorf("second pass = %+v, busy %d, reader %d", got, len(ids(busy)), len(ids(reader)))
		}
		// read, newest, users notified, those over the cap, busy's extra ones, their delete, holds.
		if len(ran) != 7 {
			t.Errorf("second pass ran %d statements, want 7", len(ran))
		}
		got, err = p.Prune(ctx, db, now)
		testutil.Must(t, err)
		if got != (model.NotificationsPruned{}) {
			t.Errorf("a pass with nothing new = %+v", got)
		}
	})
}

// scansNotifications says whether a plan reads all of notifications or of
// one of its indexes, rather than a range.
func scansNotifications(d database.Dialect, plan []string) bool {
	for _, l := range plan {
		switch d {
		case database.SQLite:
			if strings.HasPrefix(l, "SCAN notifications") {
				return true
			}
		case database.MySQL:
			if strings.Contains(l, "table=notifications ") && (strings.Contains(l, "type=ALL") || strings.Contains(l, "type=index ")) {
				return true
			}
		case database.Postgres:
			if strings.Contains(l, "Seq Scan on notifications") {
				return true
			}
		}
	}
	return false
}
