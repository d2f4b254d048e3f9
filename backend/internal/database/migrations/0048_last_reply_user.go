package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// 0048 keeps on each ticket who wrote its latest reply (NULL: no reply, or
// its author was deleted), set by the write path with every reply created
// or deleted, so "waiting on me" (open tickets I created whose latest reply
// is someone else's) is a range of (started_id, last_reply_user_id) instead
// of a look at every ticket's replies. No foreign key: deleting a user
// would have to touch every ticket they last replied to, for a column only
// compared with the reader's own id.
func m0048LastReplyUser() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0048_last_reply_user",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Exec("ALTER TABLE tickets ADD COLUMN last_reply_user_id BIGINT NULL").Error; err != nil {
				return err
			}
			// Every ticket's latest reply (posts are numbered in order).
			if err := tx.Exec(`UPDATE tickets SET last_reply_user_id = (
				SELECT p.user_id FROM posts p WHERE p.ticket_id = tickets.id ORDER BY p.id DESC LIMIT 1)
				WHERE tickets.num_replies > 0`).Error; err != nil {
				return err
			}
			return tx.Exec("CREATE INDEX idx_tickets_started_last_reply ON tickets (started_id, last_reply_user_id)").Error
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Migrator().DropIndex("tickets", "idx_tickets_started_last_reply"); err != nil {
				return err
			}
			return tx.Exec("ALTER TABLE tickets DROP COLUMN last_reply_user_id").Error
		},
	}
}
