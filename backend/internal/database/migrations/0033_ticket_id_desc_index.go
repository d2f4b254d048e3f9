package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// 0033 gives MariaDB/MySQL an index of ticket ids in descending order. A deep
// page of the list in the default order nearer its end than its start is read
// from the end (model.listFromEnd); InnoDB walks an index backwards at about
// a third of the speed it walks it forwards, so the walk from the end goes
// forwards over this one. SQLite and PostgreSQL read their index backwards
// as fast and get none.
func m0033TicketIDDescIndex() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0033_ticket_id_desc_index",
		Migrate: func(tx *gorm.DB) error {
			if tx.Name() != "mysql" {
				return nil
			}
			return tx.Exec("CREATE INDEX idx_tickets_id_desc ON tickets (id DESC)").Error
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Name() != "mysql" {
				return nil
			}
			return tx.Migrator().DropIndex("tickets", "idx_tickets_id_desc")
		},
	}
}
