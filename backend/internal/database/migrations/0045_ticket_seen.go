package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0045TicketSeen is when a user last looked at a ticket, and the latest
// reply they saw then (issue 13 §4). The key (user_id, ticket_id) is the
// index the list's unread lookup reads: one range of it per page. There is
// no foreign key to posts: a seen reply may be deleted, and its id still
// tells which replies came after it.
type m0045TicketSeen struct {
	UserID         int64        `gorm:"primaryKey;autoIncrement:false"`
	TicketID       int64        `gorm:"primaryKey;autoIncrement:false;index:idx_ticket_seen_ticket_id"`
	LastSeenPostID *int64       `gorm:""`
	SeenAt         time.Time    `gorm:"not null"`
	User           *m0001User   `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	Ticket         *m0001Ticket `gorm:"foreignKey:TicketID;constraint:OnDelete:CASCADE"`
}

func (m0045TicketSeen) TableName() string { return "ticket_seen" }

func m0045TicketSeenMigration() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0045_ticket_seen",
		Migrate: func(tx *gorm.DB) error {
			return createTables(tx, &m0045TicketSeen{})
		},
		Rollback: func(tx *gorm.DB) error {
			return dropTables(tx, &m0045TicketSeen{})
		},
	}
}
