package model

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TicketCount is the number of tickets in one category with one status.
// Every change that creates, deletes, re-files or re-statuses a ticket
// adjusts it in the same transaction (AdjustTicketCount), so list totals for
// department, category and status filters are a sum over a few rows.
type TicketCount struct {
	CategoryID int64 `gorm:"primaryKey;autoIncrement:false"`
	StatusID   int64 `gorm:"primaryKey;autoIncrement:false"`
	N          int64 `gorm:"column:n"`
}

// TableName pins the table name.
func (TicketCount) TableName() string { return "ticket_counts" }

// AdjustTicketCount adds delta to the (category, status) counter. Call it
// inside the transaction that changes the ticket.
func AdjustTicketCount(ctx context.Context, tx *gorm.DB, categoryID, statusID, delta int64) error {
	if delta == 0 {
		return nil
	}
	err := tx.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "category_id"}, {Name: "status_id"}},
		DoUpdates: clause.Assignments(map[string]any{"n": gorm.Expr("ticket_counts.n + ?", delta)}),
	}).Create(&TicketCount{CategoryID: categoryID, StatusID: statusID, N: delta}).Error
	if err != nil {
		return fmt.Errorf("adjust ticket count: %w", err)
	}
	return nil
}

// MoveTicketCount moves one ticket from one (category, status) cell to
// another. The two rows are always written in key order, so two tickets
// moving between the same cells in opposite directions cannot deadlock.
func MoveTicketCount(ctx context.Context, tx *gorm.DB, fromCat, fromStatus, toCat, toStatus int64) error {
	if fromCat == toCat && fromStatus == toStatus {
		return nil
	}
	type cell struct{ cat, status, delta int64 }
	first, second := cell{fromCat, fromStatus, -1}, cell{toCat, toStatus, 1}
	if second.cat < first.cat || (second.cat == first.cat && second.status < first.status) {
		first, second = second, first
	}
	if err := AdjustTicketCount(ctx, tx, first.cat, first.status, first.delta); err != nil {
		return err
	}
	return AdjustTicketCount(ctx, tx, second.cat, second.status, second.delta)
}

// RecountTickets rebuilds every counter from the tickets table (for
// `flicket recount` and after bulk imports).
func RecountTickets(ctx context.Context, db *gorm.DB) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM ticket_counts").Error; err != nil {
			return fmt.Errorf("clear ticket counts: %w", err)
		}
		err := tx.Exec(`INSERT INTO ticket_counts (category_id, status_id, n)
			SELECT category_id, status_id, COUNT(*) FROM tickets GROUP BY category_id, status_id`).Error
		if err != nil {
			return fmt.Errorf("rebuild ticket counts: %w", err)
		}
		return nil
	})
}
