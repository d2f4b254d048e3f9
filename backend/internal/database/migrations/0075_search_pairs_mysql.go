package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/search"
)

// m0075SearchPairsMySQL lets MariaDB/MySQL's index answer phrases. InnoDB
// FULLTEXT checks a phrase ("error from") on every ticket holding all its
// words, fetching each one's row (30,000 for two common words at a million
// tickets: seconds). A second table holds each ticket's pairs of adjacent
// words as single words (error_from, see search.Pairs) under a FULLTEXT
// index of its own, so a phrase's candidates are the tickets holding its
// pairs. Created with our empty stop-word table, as ticket_search is
// (0021). On a small database the pairs are written here; on a bigger one
// by `flicket search reindex`, so `serve` starts at once: until then
// search_state.pairs is false and phrases are found as before (the write
// path keeps the pairs of every ticket it changes meanwhile).
func m0075SearchPairsMySQL() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0075_search_pairs_mysql",
		Migrate: func(tx *gorm.DB) error {
			if tx.Name() != "mysql" {
				return nil
			}
			err := tx.Connection(func(conn *gorm.DB) error {
				var dbName string
				if err := conn.Raw("SELECT DATABASE()").Row().Scan(&dbName); err != nil {
					return fmt.Errorf("read the database name: %w", err)
				}
				for _, q := range []string{
					"SET SESSION innodb_ft_user_stopword_table = '" + dbName + "/flicket_ft_stopwords'",
					`CREATE TABLE ticket_search_pairs (ticket_id BIGINT NOT NULL PRIMARY KEY, pairs MEDIUMTEXT NOT NULL,
						FULLTEXT KEY ft_ticket_search_pairs (pairs))
						ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
					"SET SESSION innodb_ft_user_stopword_table = DEFAULT",
					"ALTER TABLE search_state ADD COLUMN pairs BOOLEAN NOT NULL DEFAULT FALSE",
				} {
					if err := conn.Exec(q).Error; err != nil {
						return fmt.Errorf("create the word-pairs index: %w", err)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			if fill, err := fillPairsHere(tx); err != nil || !fill {
				return err // on a big database, flicket search reindex writes them
			}
			// The pairs of the documents the index holds, a batch at a time.
			var last int64
			for {
				var rows []struct {
					TicketID int64
					Doc      string
				}
				if err := tx.Raw("SELECT ticket_id, doc FROM ticket_search WHERE ticket_id > ? ORDER BY ticket_id LIMIT 500", last).Scan(&rows).Error; err != nil {
					return fmt.Errorf("read the search index: %w", err)
				}
				if len(rows) == 0 {
					break
				}
				var args []any
				values := ""
				for i, r := range rows {
					if i > 0 {
						values += ", "
					}
					values += "(?, ?)"
					args = append(args, r.TicketID, search.Pairs(r.Doc))
				}
				if err := tx.Exec("INSERT INTO ticket_search_pairs (ticket_id, pairs) VALUES "+values, args...).Error; err != nil {
					return fmt.Errorf("write the word-pairs index: %w", err)
				}
				last = rows[len(rows)-1].TicketID
			}
			if err := tx.Exec("UPDATE search_state SET pairs = TRUE").Error; err != nil {
				return fmt.Errorf("write search state: %w", err)
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Name() != "mysql" {
				return nil
			}
			for _, q := range []string{
				"DROP TABLE IF EXISTS ticket_search_pairs",
				"ALTER TABLE search_state DROP COLUMN IF EXISTS pairs",
			} {
				if err := tx.Exec(q).Error; err != nil {
					return fmt.Errorf("drop the word-pairs index: %w", err)
				}
			}
			return nil
		},
	}
}

// fillPairsHere tells a word-pairs migration (0075, 0076) whether to write
// the pairs itself: on a database of up to search.SmallDatabase tickets
// whose index is ready. A bigger one is left to `flicket search reindex`,
// so that `serve` starts at once.
func fillPairsHere(tx *gorm.DB) (bool, error) {
	var n int64
	if err := tx.Table("tickets").Count(&n).Error; err != nil {
		return false, fmt.Errorf("count tickets: %w", err)
	}
	var ready bool
	if err := tx.Raw("SELECT COALESCE(MAX(ready), FALSE) FROM search_state").Row().Scan(&ready); err != nil {
		return false, fmt.Errorf("read search state: %w", err)
	}
	return n <= search.SmallDatabase && ready, nil
}
