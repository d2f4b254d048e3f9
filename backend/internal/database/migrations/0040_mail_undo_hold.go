package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0040MailOutbox adds what an undo needs to the outbox. A change made from
// a ticket's field (status, priority, assignee, category) may be undone for
// a few seconds, so its mails are held (next_attempt_at, the not-before time,
// lies in that window) and marked with the change they announce: undo_key
// names the ticket, the field and who changed it; undo_from and undo_to are
// the field's values before and after (0: none). A change back by the same
// user within the window finds them by undo_key and deletes them, so an
// undo mails nobody.
type m0040MailOutbox struct {
	UndoKey  *string `gorm:"size:64;index:idx_mail_outbox_undo_key"`
	UndoFrom *int64
	UndoTo   *int64
}

func (m0040MailOutbox) TableName() string { return "mail_outbox" }

var m0040Columns = []string{"UndoKey", "UndoFrom", "UndoTo"}

func m0040MailUndoHold() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0040_mail_undo_hold",
		Migrate: func(tx *gorm.DB) error {
			m := tx.Migrator()
			for _, c := range m0040Columns {
				if err := m.AddColumn(&m0040MailOutbox{}, c); err != nil {
					return fmt.Errorf("add mail_outbox.%s: %w", c, err)
				}
			}
			if err := m.CreateIndex(&m0040MailOutbox{}, "idx_mail_outbox_undo_key"); err != nil {
				return fmt.Errorf("index mail_outbox.undo_key: %w", err)
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			m := tx.Migrator()
			if err := m.DropIndex(&m0040MailOutbox{}, "idx_mail_outbox_undo_key"); err != nil {
				return fmt.Errorf("drop index mail_outbox.undo_key: %w", err)
			}
			for _, c := range m0040Columns {
				if err := m.DropColumn(&m0040MailOutbox{}, c); err != nil {
					return fmt.Errorf("drop mail_outbox.%s: %w", c, err)
				}
			}
			return nil
		},
	}
}
