package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/search"
)

// m0036SearchPairsPostgres lets PostgreSQL's index answer phrases. GIN over
// a tsvector holds no positions, so a phrase ("place were", or e-mail) was
// every ticket holding both words, each one's tsvector then read and
// checked: 4.8 s at a million tickets for two common words. A second GIN
// index holds, for each ticket, the hashes of its pairs of adjacent words
// (flicket_word_pairs, computed from the tsvector's own positions, so
// "adjacent" is exactly what the phrase operator <-> means): a phrase's
// candidates are then the tickets holding its pairs, and only those are
// checked against the tsvector. An index over an expression, so the table
// is not rewritten. On a big database it is built by `flicket search
// reindex` (concurrently, without stopping writes) rather than here, so
// `serve` starts at once; until then search_state.pairs is false and
// phrases are found as before.
func m0036SearchPairsPostgres() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0036_search_pairs_postgres",
		Migrate: func(tx *gorm.DB) error {
			if tx.Name() != "postgres" {
				return nil
			}
			for _, q := range []string{
				m0036PairsFunction,
				"ALTER TABLE search_state ADD COLUMN pairs BOOLEAN NOT NULL DEFAULT FALSE",
			} {
				if err := tx.Exec(q).Error; err != nil {
					return fmt.Errorf("add the word-pairs index: %w", err)
				}
			}
			var n int64
			if err := tx.Table("tickets").Count(&n).Error; err != nil {
				return fmt.Errorf("count tickets: %w", err)
			}
			if n > search.SmallDatabase {
				return nil
			}
			for _, q := range []string{
				"CREATE INDEX idx_ticket_search_pairs ON ticket_search USING GIN (flicket_word_pairs(doc))",
				"UPDATE search_state SET pairs = TRUE",
			} {
				if err := tx.Exec(q).Error; err != nil {
					return fmt.Errorf("create the word-pairs index: %w", err)
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Name() != "postgres" {
				return nil
			}
			for _, q := range []string{
				"DROP INDEX IF EXISTS idx_ticket_search_pairs",
				"ALTER TABLE search_state DROP COLUMN IF EXISTS pairs",
				"DROP FUNCTION IF EXISTS flicket_word_pairs(tsvector)",
			} {
				if err := tx.Exec(q).Error; err != nil {
					return fmt.Errorf("drop the word-pairs index: %w", err)
				}
			}
			return nil
		},
	}
}

// m0036PairsFunction: the distinct hashes of a tsvector's adjacent words
// (lexemes at positions p and p+1), as int4 for a compact GIN index. A
// hash can collide, so a match is always checked against the tsvector.
const m0036PairsFunction = `CREATE OR REPLACE FUNCTION flicket_word_pairs(tsvector) RETURNS int[]
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	AS $$ SELECT COALESCE(array_agg(DISTINCT hashtext(a.lexeme || ' ' || b.lexeme)), '{}')
		FROM (SELECT u.lexeme, p FROM unnest($1) u, unnest(u.positions) p) a
		JOIN (SELECT u.lexeme, p FROM unnest($1) u, unnest(u.positions) p) b ON b.p = a.p + 1 $$`
