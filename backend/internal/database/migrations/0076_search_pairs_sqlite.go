package migrations

import (
	"context"
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/search"
)

// m0076SearchPairsSQLite lets SQLite's index answer phrases as MariaDB's and
// PostgreSQL's do (0075, 0036). FTS5 checks a phrase ("error from") in the
// position lists of both its words, in every ticket holding both, and its
// bm25() does so a second time to count them: in the pure-Go build a phrase
// search cost 16 ms of CPU at a million tickets, a rare word's 5 ms. A
// second FTS5 table holds each ticket's pairs of adjacent words as single
// words (error_from, see search.Pairs; the underscore is made a word
// character), so a phrase's candidates are the few tickets holding its
// pairs: a lookup like a rare word's. Contentless, like ticket_fts; with
// positions all the same, since without them FTS5's bm25() scores every
// match zero. On a small database the pairs are written here; on a bigger
// one by `flicket search reindex`, so `serve` starts at once: until then
// search_state.pairs is false and phrases are found as before (the write
// path keeps the pairs of every ticket it changes meanwhile).
func m0076SearchPairsSQLite() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0076_search_pairs_sqlite",
		Migrate: func(tx *gorm.DB) error {
			if tx.Name() != "sqlite" {
				return nil
			}
			for _, q := range []string{
				`CREATE VIRTUAL TABLE ticket_fts_pairs USING fts5(pairs,
					tokenize = "unicode61 remove_diacritics 0 tokenchars '_'", content = '', contentless_delete = 1)`,
				"ALTER TABLE search_state ADD COLUMN pairs BOOLEAN NOT NULL DEFAULT FALSE",
			} {
				if err := tx.Exec(q).Error; err != nil {
					return fmt.Errorf("create the word-pairs index: %w", err)
				}
			}
			if fill, err := fillPairsHere(tx); err != nil || !fill {
				return err // on a big database, flicket search reindex writes them
			}
			// Every ticket's words again, and now its pairs.
			if err := search.Rebuild(context.Background(), tx, nil); err != nil {
				return err
			}
			if err := tx.Exec("UPDATE search_state SET pairs = TRUE").Error; err != nil {
				return fmt.Errorf("write search state: %w", err)
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Name() != "sqlite" {
				return nil
			}
			for _, q := range []string{
				"DROP TABLE IF EXISTS ticket_fts_pairs",
				"ALTER TABLE search_state DROP COLUMN pairs",
			} {
				if err := tx.Exec(q).Error; err != nil {
					return fmt.Errorf("drop the word-pairs index: %w", err)
				}
			}
			return nil
		},
	}
}
