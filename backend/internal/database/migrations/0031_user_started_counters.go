package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// 0031 counts, per user, the tickets they started (total_started) and those
// they started and are assigned to (total_self_assigned), beside
// total_assigned: the list's total for `created_id` is total_started, and
// for `user` and `view=mine` (started by or assigned to) it is total_started
// + total_assigned - total_self_assigned, instead of a COUNT over the
// tickets. Like the other user counters, the users row holds a base and
// user_counts the changes since, in shards; both start from a recount here.
var m0031Columns = []string{"total_started", "total_self_assigned"}

func m0031UserStartedCounters() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0031_user_started_counters",
		Migrate: func(tx *gorm.DB) error {
			for _, table := range []string{"users", "user_counts"} {
				for _, col := range m0031Columns {
					if err := tx.Exec(fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s BIGINT NOT NULL DEFAULT 0", table, col)).Error; err != nil {
						return fmt.Errorf("add %s.%s: %w", table, col, err)
					}
				}
			}
			err := tx.Exec(`UPDATE users SET
				total_started = (SELECT COUNT(*) FROM tickets WHERE tickets.started_id = users.id),
				total_self_assigned = (SELECT COUNT(*) FROM tickets WHERE tickets.started_id = users.id AND tickets.assigned_id = users.id)`).Error
			if err != nil {
				return fmt.Errorf("fill users.total_started: %w", err)
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, table := range []string{"user_counts", "users"} {
				for _, col := range m0031Columns {
					if err := tx.Exec(fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", table, col)).Error; err != nil {
						return fmt.Errorf("drop %s.%s: %w", table, col, err)
					}
				}
			}
			return nil
		},
	}
}
