package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// 0030 gives deep pages of the list in the default order an index to walk
// that holds nothing but ids. A page past the first few is found in two
// steps: its ids, skipping OFFSET entries of an index, then its rows by id.
// Every other order and filter has its own (key, id) index for the first
// step; by id alone, SQLite and InnoDB would walk the table itself (the rows
// with their bodies are the primary key's b-tree), so a page at offset 90,000
// read 90,000 rows. PostgreSQL's primary key is already a b-tree apart from
// the rows (an index-only scan), so it gets no second copy.
func m0030TicketIDIndex() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0030_ticket_id_index",
		Migrate: func(tx *gorm.DB) error {
			if tx.Name() == "postgres" {
				return nil
			}
			return tx.Exec("CREATE INDEX idx_tickets_id ON tickets (id)").Error
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Name() == "postgres" {
				return nil
			}
			return tx.Migrator().DropIndex("tickets", "idx_tickets_id")
		},
	}
}
