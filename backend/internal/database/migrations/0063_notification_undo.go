package migrations

import (
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0063NotificationUndoHold is the undo window of the latest change of a
// ticket's assignee by one user (undo_key: ticket, field, user), for the
// in-app notifications: undo_from and undo_to are the assignee before and
// after (0: nobody), until is when the window ends. A change back by the
// same user before until is an undo: it withdraws the notifications that
// point at the hold and notifies nobody. The row outlives its window until
// the next change under its key reuses it or the janitor deletes it.
type m0063NotificationUndoHold struct {
	ID       int64     `gorm:"primaryKey;autoIncrement"`
	UndoKey  string    `gorm:"size:64;not null;uniqueIndex:idx_notification_undo_holds_key"`
	UndoFrom int64     `gorm:"not null"`
	UndoTo   int64     `gorm:"not null"`
	Until    time.Time `gorm:"not null;index:idx_notification_undo_holds_until"`
}

func (m0063NotificationUndoHold) TableName() string { return "notification_undo_holds" }

// m0063Notification: undo_hold_id names the hold of the change that wrote
// the notification while it may be undone (no foreign key: the write path
// clears it before it reuses or deletes a hold).
type m0063Notification struct {
	UndoHoldID *int64 `gorm:"index:idx_notifications_undo_hold_id"`
}

func (m0063Notification) TableName() string { return "notifications" }

func m0063NotificationUndo() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0063_notification_undo",
		Migrate: func(tx *gorm.DB) error {
			if err := createTables(tx, &m0063NotificationUndoHold{}); err != nil {
				return err
			}
			m := tx.Migrator()
			if err := m.AddColumn(&m0063Notification{}, "UndoHoldID"); err != nil {
				return fmt.Errorf("add notifications.undo_hold_id: %w", err)
			}
			if err := m.CreateIndex(&m0063Notification{}, "idx_notifications_undo_hold_id"); err != nil {
				return fmt.Errorf("index notifications.undo_hold_id: %w", err)
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			m := tx.Migrator()
			if err := m.DropIndex(&m0063Notification{}, "idx_notifications_undo_hold_id"); err != nil {
				return fmt.Errorf("drop index notifications.undo_hold_id: %w", err)
			}
			if err := m.DropColumn(&m0063Notification{}, "UndoHoldID"); err != nil {
				return fmt.Errorf("drop notifications.undo_hold_id: %w", err)
			}
			return dropTables(tx, &m0063NotificationUndoHold{})
		},
	}
}
