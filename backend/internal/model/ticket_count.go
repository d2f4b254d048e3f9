package model

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// counterShards is how many rows each counter is split over. A change adds
// to the shard of its ticket (id modulo counterShards), so concurrent
// changes to different tickets rarely wait on one row's lock; a counter's
// value is the sum of its shards.
const counterShards = 8

// userCounterShards is how many rows a user's counters are split over: more
// than a ticket cell's, because one busy user (an agent answering all day,
// an import, an integration's account) writes every change to their own
// counters, and a counter row's lock is held until the commit's WAL flush.
// At 8 shards 16 concurrent writes by one user queued on that lock
// (pg_stat_activity: Lock/transactionid on UPDATE user_counts). A user's
// figure is the sum of their rows, so the number can change at any time.
const userCounterShards = 64

// userCounterShard is the shard of a user's counters that changes about a
// ticket go to.
func userCounterShard(ticketID int64) int64 {
	return ((ticketID % userCounterShards) + userCounterShards) % userCounterShards
}

// counterShard is the shard that changes about a ticket go to.
func counterShard(ticketID int64) int64 {
	return ((ticketID % counterShards) + counterShards) % counterShards
}

// TicketCount is the number of tickets in one category with one status and
// one priority, in one shard. Every change that creates, deletes, re-files,
// re-statuses or re-prioritises a ticket adjusts it in the same transaction,
// so list totals for department, category, status, state and priority
// filters are a sum over a few rows.
type TicketCount struct {
	CategoryID       int64 `gorm:"primaryKey;autoIncrement:false"`
	StatusID         int64 `gorm:"primaryKey;autoIncrement:false"`
	TicketPriorityID int64 `gorm:"primaryKey;autoIncrement:false"`
	Shard            int64 `gorm:"primaryKey;autoIncrement:false"`
	N                int64 `gorm:"column:n"`
}

// TableName pins the table name.
func (TicketCount) TableName() string { return "ticket_counts" }

// TicketCell is what ticket_counts counts tickets by.
type TicketCell struct {
	CategoryID, StatusID, PriorityID int64
}

// Cell is the ticket's counter cell.
func (t *Ticket) Cell() TicketCell {
	return TicketCell{CategoryID: t.CategoryID, StatusID: t.StatusID, PriorityID: t.TicketPriorityID}
}

func (c TicketCell) compare(o TicketCell) int {
	if c.CategoryID != o.CategoryID {
		return int(c.CategoryID - o.CategoryID)
	}
	if c.StatusID != o.StatusID {
		return int(c.StatusID - o.StatusID)
	}
	return int(c.PriorityID - o.PriorityID)
}

// adjustTicketCount adds delta to the cell's counter in one shard
// (pendingCounters.flush is its one caller).
func adjustTicketCount(ctx context.Context, tx *gorm.DB, shard int64, c TicketCell, delta int64) error {
	if delta == 0 {
		return nil
	}
	// An UPDATE of an existing row locks just that row; only the first
	// change to a cell inserts (an upsert would take gap locks on MariaDB).
	res := tx.WithContext(ctx).Model(&TicketCount{}).
		Where("category_id = ? AND status_id = ? AND ticket_priority_id = ? AND shard = ?", c.CategoryID, c.StatusID, c.PriorityID, shard).
		UpdateColumn("n", gorm.Expr("n + ?", delta))
	if res.Error != nil {
		return fmt.Errorf("adjust ticket count: %w", res.Error)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	err := tx.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "category_id"}, {Name: "status_id"}, {Name: "ticket_priority_id"}, {Name: "shard"}},
		DoUpdates: clause.Assignments(map[string]any{"n": gorm.Expr("ticket_counts.n + ?", delta)}),
	}).Create(&TicketCount{CategoryID: c.CategoryID, StatusID: c.StatusID, TicketPriorityID: c.PriorityID, Shard: shard, N: delta}).Error
	if err != nil {
		return fmt.Errorf("add ticket count: %w", err)
	}
	return nil
}

// RecountTickets rebuilds every ticket counter from the tickets table (for
// `flicket recount` and after bulk imports).
func RecountTickets(ctx context.Context, db *gorm.DB) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM ticket_counts").Error; err != nil {
			return fmt.Errorf("clear ticket counts: %w", err)
		}
		err := tx.Exec(`INSERT INTO ticket_counts (category_id, status_id, ticket_priority_id, shard, n)
			SELECT category_id, status_id, ticket_priority_id, 0, COUNT(*) FROM tickets
			GROUP BY category_id, status_id, ticket_priority_id`).Error
		if err != nil {
			return fmt.Errorf("rebuild ticket counts: %w", err)
		}
		return nil
	})
}

// User counters. users.total_posts, total_assigned, total_started and
// total_self_assigned hold a base (written by imports and `flicket
// recount`); every change since goes to the user's rows in user_counts, in
// the shard of the ticket concerned, so a user's tickets and replies never
// queue on the users row. A user's figure is the base plus their rows
// (LoadUserTotals).

// UserCount is one shard of changes to a user's counters.
type UserCount struct {
	UserID            int64 `gorm:"primaryKey;autoIncrement:false"`
	Shard             int64 `gorm:"primaryKey;autoIncrement:false"`
	TotalPosts        int64
	TotalAssigned     int64
	TotalStarted      int64
	TotalSelfAssigned int64
}

// TableName pins the table name.
func (UserCount) TableName() string { return "user_counts" }

// columns are the counter columns c changes, each as "column + delta".
func (c UserCount) columns(table string) map[string]any {
	set := map[string]any{}
	for _, col := range []struct {
		name string
		n    int64
	}{{"total_posts", c.TotalPosts}, {"total_assigned", c.TotalAssigned}, {"total_started", c.TotalStarted}, {"total_self_assigned", c.TotalSelfAssigned}} {
		if col.n != 0 {
			set[col.name] = gorm.Expr(table+col.name+" + ?", col.n)
		}
	}
	return set
}

// addUserCount adds a user's deltas to their counters in the shard
// delta.Shard, all columns in one statement.
func addUserCount(ctx context.Context, tx *gorm.DB, delta UserCount) error {
	set := delta.columns("")
	if len(set) == 0 {
		return nil
	}
	res := tx.WithContext(ctx).Model(&UserCount{}).Where("user_id = ? AND shard = ?", delta.UserID, delta.Shard).
		UpdateColumns(set)
	if res.Error != nil {
		return fmt.Errorf("adjust user counts: %w", res.Error)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	err := tx.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "shard"}},
		DoUpdates: clause.Assignments(delta.columns("user_counts.")),
	}).Create(&delta).Error
	if err != nil {
		return fmt.Errorf("add user counts: %w", err)
	}
	return nil
}

// LoadUserTotals adds each user's counter shards to the TotalPosts,
// TotalAssigned, TotalStarted and TotalSelfAssigned read from the users row,
// in one query.
func LoadUserTotals(ctx context.Context, db *gorm.DB, users ...*User) error {
	if len(users) == 0 {
		return nil
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	var rows []UserCount
	err := db.WithContext(ctx).Model(&UserCount{}).
		Select(`user_id, SUM(total_posts) AS total_posts, SUM(total_assigned) AS total_assigned,
			SUM(total_started) AS total_started, SUM(total_self_assigned) AS total_self_assigned`).
		Where("user_id IN ?", ids).Group("user_id").Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("load user totals: %w", err)
	}
	for _, r := range rows {
		for _, u := range users {
			if u.ID == r.UserID {
				u.TotalPosts += r.TotalPosts
				u.TotalAssigned += r.TotalAssigned
				u.TotalStarted += r.TotalStarted
				u.TotalSelfAssigned += r.TotalSelfAssigned
			}
		}
	}
	return nil
}
