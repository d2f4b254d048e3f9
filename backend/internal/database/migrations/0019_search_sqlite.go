package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0019SearchSQLite creates SQLite's search index: an FTS5 table holding the
// words of each ticket (title, body, replies) under the ticket's id. It is
// contentless (the text lives in tickets and posts) with contentless_delete,
// so an entry is replaced or removed in the writer's transaction.
func m0019SearchSQLite() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0019_search_sqlite",
		Migrate: func(tx *gorm.DB) error {
			if tx.Name() != "sqlite" {
				return nil
			}
			err := tx.Exec(`CREATE VIRTUAL TABLE ticket_fts USING fts5(doc,
				tokenize = 'unicode61 remove_diacritics 2', content = '', contentless_delete = 1)`).Error
			if err != nil {
				return fmt.Errorf("create ticket_fts: %w", err)
			}
			return createSearchState(tx)
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Name() != "sqlite" {
				return nil
			}
			return dropSearch(tx, "ticket_fts")
		},
	}
}
