package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0046Notification is one in-app notification to one user, written by the
// write path's notification sink in the transaction of the change it
// announces. (user_id, id) serves the newest-first page; (user_id,
// read_at) the bell's unread count.
type m0046Notification struct {
	ID        int64        `gorm:"primaryKey;autoIncrement"`
	UserID    int64        `gorm:"not null;index:idx_notifications_user_read,priority:1"`
	Kind      string       `gorm:"size:20;not null"`
	TicketID  int64        `gorm:"not null;index:idx_notifications_ticket_id"`
	PostID    *int64       `gorm:""`
	ActorID   *int64       `gorm:"index:idx_notifications_actor_id"`
	CreatedAt time.Time    `gorm:"not null"`
	ReadAt    *time.Time   `gorm:"index:idx_notifications_user_read,priority:2"`
	User      *m0001User   `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	Actor     *m0001User   `gorm:"foreignKey:ActorID;constraint:OnDelete:SET NULL"`
	Ticket    *m0001Ticket `gorm:"foreignKey:TicketID;constraint:OnDelete:CASCADE"`
}

func (m0046Notification) TableName() string { return "notifications" }

func m0046Notifications() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0046_notifications",
		Migrate: func(tx *gorm.DB) error {
			if err := createTables(tx, &m0046Notification{}); err != nil {
				return err
			}
			// (user_id, id): gorm cannot put the primary key in a tagged
			// composite index, so it is created here.
			return tx.Exec("CREATE INDEX idx_notifications_user_id_id ON notifications (user_id, id)").Error
		},
		Rollback: func(tx *gorm.DB) error {
			return dropTables(tx, &m0046Notification{})
		},
	}
}
