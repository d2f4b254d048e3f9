package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0010TicketCount is ticket_counts keyed by priority too (so a priority
// filter's total is a sum of counters) and split into shards: a change adds
// to the shard of its ticket (id modulo the shard count), so concurrent
// changes to tickets of one category, status and priority rarely wait for
// each other's row lock. The number is the sum over the shards.
type m0010TicketCount struct {
	CategoryID       int64          `gorm:"primaryKey;autoIncrement:false"`
	StatusID         int64          `gorm:"primaryKey;autoIncrement:false;index:idx_ticket_counts_status_id"`
	TicketPriorityID int64          `gorm:"primaryKey;autoIncrement:false;index:idx_ticket_counts_priority_id"`
	Shard            int64          `gorm:"primaryKey;autoIncrement:false"`
	N                int64          `gorm:"column:n;not null;default:0"`
	Category         *m0001Category `gorm:"foreignKey:CategoryID;constraint:OnDelete:CASCADE"`
	Status           *m0001Status   `gorm:"foreignKey:StatusID;constraint:OnDelete:CASCADE"`
	Priority         *m0001Priority `gorm:"foreignKey:TicketPriorityID;constraint:OnDelete:CASCADE"`
}

func (m0010TicketCount) TableName() string { return "ticket_counts" }

// m0010UserCount holds changes to users.total_posts and total_assigned, in
// shards like ticket_counts: a user's figure is the column plus the sum of
// their rows. Writes never lock the users row itself, which every ticket and
// reply of that user used to queue on (and which InnoDB's foreign key checks
// lock in share mode).
type m0010UserCount struct {
	UserID        int64      `gorm:"primaryKey;autoIncrement:false"`
	Shard         int64      `gorm:"primaryKey;autoIncrement:false"`
	TotalPosts    int64      `gorm:"not null;default:0"`
	TotalAssigned int64      `gorm:"not null;default:0"`
	User          *m0001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

func (m0010UserCount) TableName() string { return "user_counts" }

func m0010ShardedCounters() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0010_sharded_counters",
		Migrate: func(tx *gorm.DB) error {
			// ticket_counts holds nothing but what the tickets say: rebuild it.
			if err := tx.Migrator().DropTable("ticket_counts"); err != nil {
				return fmt.Errorf("drop ticket_counts: %w", err)
			}
			if err := createTables(tx, &m0010TicketCount{}, &m0010UserCount{}); err != nil {
				return err
			}
			err := tx.Exec(`INSERT INTO ticket_counts (category_id, status_id, ticket_priority_id, shard, n)
				SELECT category_id, status_id, ticket_priority_id, 0, COUNT(*) FROM tickets
				GROUP BY category_id, status_id, ticket_priority_id`).Error
			if err != nil {
				return fmt.Errorf("fill ticket_counts: %w", err)
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			// Fold the users' shards back into their columns.
			for _, col := range []string{"total_posts", "total_assigned"} {
				err := tx.Exec(fmt.Sprintf(`UPDATE users SET %[1]s = %[1]s
					+ COALESCE((SELECT SUM(c.%[1]s) FROM user_counts c WHERE c.user_id = users.id), 0)`, col)).Error
				if err != nil {
					return fmt.Errorf("fold user_counts.%s: %w", col, err)
				}
			}
			if err := dropTables(tx, &m0010TicketCount{}, &m0010UserCount{}); err != nil {
				return err
			}
			if err := createTables(tx, &m0001TicketCount{}); err != nil {
				return err
			}
			err := tx.Exec(`INSERT INTO ticket_counts (category_id, status_id, n)
				SELECT category_id, status_id, COUNT(*) FROM tickets GROUP BY category_id, status_id`).Error
			if err != nil {
				return fmt.Errorf("fill ticket_counts: %w", err)
			}
			return nil
		},
	}
}
