package migrations

import (
	"context"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/search"
)

// m0070SQLiteFTSStats drops SQLite's planner samples of the FTS5 index's
// own tables, left by an earlier ANALYZE (seed-demo ran one): with them,
// every lookup of a word in the index planned its statement again (see
// search.ForgetIndexStats). Nothing to undo.
func m0070SQLiteFTSStats() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0070_sqlite_fts_stats",
		Migrate: func(tx *gorm.DB) error {
			return search.ForgetIndexStats(context.Background(), tx)
		},
		Rollback: func(*gorm.DB) error { return nil },
	}
}
