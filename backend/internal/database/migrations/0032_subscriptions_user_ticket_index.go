package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// 0032 indexes subscriptions by (user_id, ticket_id) instead of user_id
// alone: the list's view=subscribed then reads a user's tickets in id order
// from that index and stops at the page, and counts them there (every
// subscription names an existing ticket, once: a foreign key with ON DELETE
// CASCADE and the unique (ticket_id, user_id)), never reading tickets. The
// new index serves the user_id foreign key as the old one did.
func m0032SubscriptionsUserTicketIndex() *gormigrate.Migration {
	swap := func(tx *gorm.DB, create, createCols, drop string) error {
		if err := tx.Exec(fmt.Sprintf("CREATE INDEX %s ON subscriptions (%s)", create, createCols)).Error; err != nil {
			return fmt.Errorf("create %s: %w", create, err)
		}
		if err := tx.Migrator().DropIndex("subscriptions", drop); err != nil {
			return fmt.Errorf("drop %s: %w", drop, err)
		}
		return nil
	}
	return &gormigrate.Migration{
		ID: "0032_subscriptions_user_ticket_index",
		Migrate: func(tx *gorm.DB) error {
			return swap(tx, "idx_subscriptions_user_id_ticket_id", "user_id, ticket_id", "idx_subscriptions_user_id")
		},
		Rollback: func(tx *gorm.DB) error {
			return swap(tx, "idx_subscriptions_user_id", "user_id", "idx_subscriptions_user_id_ticket_id")
		},
	}
}
