package migrations

import (
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0064Notification: an index on read_at alone lets the janitor delete the
// notifications read long ago as a range (the (user_id, read_at) index
// serves one user's unread count, not a range over everyone).
type m0064Notification struct {
	ReadAt *time.Time `gorm:"index:idx_notifications_read_at"`
}

func (m0064Notification) TableName() string { return "notifications" }

func m0064NotificationsReadAt() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0064_notifications_read_at",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().CreateIndex(&m0064Notification{}, "idx_notifications_read_at"); err != nil {
				return fmt.Errorf("index notifications.read_at: %w", err)
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Migrator().DropIndex(&m0064Notification{}, "idx_notifications_read_at"); err != nil {
				return fmt.Errorf("drop index notifications.read_at: %w", err)
			}
			return nil
		},
	}
}
