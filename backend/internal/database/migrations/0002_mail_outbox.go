package migrations

import (
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0002MailOutbox is the outbox of e-mails: rows are written in the same
// transaction as the change they announce and sent later by the background
// sender, so a mail is queued if and only if its change commits, and an SMTP
// outage delays mail instead of failing requests.
type m0002MailOutbox struct {
	ID              int64  `gorm:"primaryKey;autoIncrement"`
	Kind            string `gorm:"size:20;not null"`
	TicketID        *int64 `gorm:"index:idx_mail_outbox_ticket_id"`
	RecipientEmail  string `gorm:"size:254;not null"`
	RecipientUserID *int64 `gorm:"index:idx_mail_outbox_recipient_user_id"`
	Locale          string `gorm:"size:10;not null;default:en"`
	Subject         string `gorm:"size:512;not null"`
	BodyText        string `gorm:"type:text;not null"`
	BodyHTML        string `gorm:"column:body_html;type:text;not null"`
	// Status is pending, sent, suppressed or failed; the sender looks for
	// pending rows whose next_attempt_at has come.
	Status        string     `gorm:"size:12;not null;default:pending;index:idx_mail_outbox_due,priority:1"`
	Attempts      int        `gorm:"not null;default:0"`
	NextAttemptAt time.Time  `gorm:"not null;index:idx_mail_outbox_due,priority:2"`
	LastError     *string    `gorm:"size:1000"`
	CreatedAt     time.Time  `gorm:"not null"`
	SentAt        *time.Time `gorm:""`
	// ClaimedUntil and ClaimToken are the lease of the sender working on the
	// row; another sender may take the row only once the lease has run out.
	ClaimedUntil *time.Time   `gorm:""`
	ClaimToken   *string      `gorm:"size:36"`
	Ticket       *m0001Ticket `gorm:"foreignKey:TicketID;constraint:OnDelete:SET NULL"`
	Recipient    *m0001User   `gorm:"foreignKey:RecipientUserID;constraint:OnDelete:SET NULL"`
}

func (m0002MailOutbox) TableName() string { return "mail_outbox" }

func m0002MailOutboxMigration() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0002_mail_outbox",
		Migrate: func(tx *gorm.DB) error {
			if err := createTables(tx, &m0002MailOutbox{}); err != nil {
				return err
			}
			// MySQL's TEXT holds 64 KiB; a digest of many tickets can be longer.
			if tx.Name() == "mysql" {
				err := tx.Exec("ALTER TABLE mail_outbox MODIFY body_text MEDIUMTEXT NOT NULL, MODIFY body_html MEDIUMTEXT NOT NULL").Error
				if err != nil {
					return fmt.Errorf("widen mail_outbox bodies: %w", err)
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			return dropTables(tx, &m0002MailOutbox{})
		},
	}
}
