package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// Indexes that match the ticket list's common orders, ties broken by id
// ascending: the SPA's default (priority, highest first) and "recently
// updated". With them a page is read in index order instead of sorting
// every matching ticket.
var m0006Indexes = []struct{ name, columns string }{
	{"idx_tickets_priority_desc_id", "ticket_priority_id DESC, id"},
	{"idx_tickets_last_updated_desc_id", "last_updated DESC, id"},
}

func m0006TicketSortIndexes() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0006_ticket_sort_indexes",
		Migrate: func(tx *gorm.DB) error {
			for _, ix := range m0006Indexes {
				if err := tx.Exec(fmt.Sprintf("CREATE INDEX %s ON tickets (%s)", ix.name, ix.columns)).Error; err != nil {
					return fmt.Errorf("create index %s: %w", ix.name, err)
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, ix := range m0006Indexes {
				if err := tx.Migrator().DropIndex("tickets", ix.name); err != nil {
					return fmt.Errorf("drop index %s: %w", ix.name, err)
				}
			}
			return nil
		},
	}
}
