package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0020SearchPostgres creates PostgreSQL's search index: a tsvector per
// ticket under a GIN index, made with the language-neutral 'simple'
// configuration (no stemming, no stop-words: French and English alike)
// over flicket_unaccent, an IMMUTABLE wrapper of the unaccent extension
// (unaccent itself is only STABLE, so it cannot be used in an index). The
// wrapper names the extension's schema so it does not depend on search_path.
func m0020SearchPostgres() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0020_search_postgres",
		Migrate: func(tx *gorm.DB) error {
			if tx.Name() != "postgres" {
				return nil
			}
			if err := tx.Exec("CREATE EXTENSION IF NOT EXISTS unaccent").Error; err != nil {
				return fmt.Errorf("create extension unaccent (it ships with PostgreSQL's contrib; the database owner may create it): %w", err)
			}
			var schema string
			err := tx.Raw("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'").Row().Scan(&schema)
			if err != nil {
				return fmt.Errorf("find the unaccent extension: %w", err)
			}
			fn := fmt.Sprintf(`CREATE OR REPLACE FUNCTION flicket_unaccent(text) RETURNS text
				LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
				AS $$ SELECT %[1]s.unaccent('%[1]s.unaccent'::regdictionary, $1) $$`, schema)
			for _, q := range []string{
				fn,
				`CREATE TABLE ticket_search (ticket_id BIGINT PRIMARY KEY, doc TSVECTOR NOT NULL)`,
				`CREATE INDEX idx_ticket_search_doc ON ticket_search USING GIN (doc)`,
			} {
				if err := tx.Exec(q).Error; err != nil {
					return fmt.Errorf("create the search index: %w", err)
				}
			}
			return createSearchState(tx)
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Name() != "postgres" {
				return nil
			}
			if err := dropSearch(tx, "ticket_search"); err != nil {
				return err
			}
			// The extension stays: other objects may use it.
			if err := tx.Exec("DROP FUNCTION IF EXISTS flicket_unaccent(text)").Error; err != nil {
				return fmt.Errorf("drop flicket_unaccent: %w", err)
			}
			return nil
		},
	}
}
