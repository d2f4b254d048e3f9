package bulkdb

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// migrationsTable records applied migrations; it is the target's own.
const migrationsTable = "schema_migrations"

// setupTables are what `flicket setup` (or the first run of `serve`) fills,
// children first: a bulk load replaces their rows. Everything else in the
// target must be empty, and users may hold at most setup's administrator.
var setupTables = []string{
	"ticket_counts", "group_members", "api_tokens", "password_resets",
	"users", "user_groups", "categories", "departments", "statuses", "priorities", "config",
}

// searchTable tells whether the table belongs to the search index (see
// internal/search): derived from tickets and posts, and rebuilt by a bulk
// load, so its rows (FTS5's own bookkeeping, the ready flag) do not count.
func searchTable(name string) bool {
	return name == "search_state" || name == "ticket_search" || name == "ticket_search_pairs" ||
		name == "flicket_ft_stopwords" || name == "ticket_fts" || strings.HasPrefix(name, "ticket_fts_")
}

// RefusedError says why the target cannot take a bulk load; nothing was written.
type RefusedError struct {
	// Tables names each table with rows, and how many.
	Tables []string
}

func (e *RefusedError) Error() string {
	return "the target database is not empty (" + strings.Join(e.Tables, ", ") +
		"): it must be empty or hold only what `flicket setup` creates"
}

// TargetState is what CheckTarget found.
type TargetState struct {
	// SetupOnly is true when setup's rows are there (to be replaced).
	SetupOnly bool
}

// CheckTarget accepts an empty database, or one only setup has filled (at
// most one user, no tickets, replies or anything else), and refuses
// anything more with a *RefusedError.
func CheckTarget(ctx context.Context, db *gorm.DB) (TargetState, error) {
	tables, err := db.WithContext(ctx).Migrator().GetTables()
	if err != nil {
		return TargetState{}, fmt.Errorf("list the target's tables: %w", err)
	}
	sort.Strings(tables)
	setup := map[string]bool{}
	for _, t := range setupTables {
		setup[t] = true
	}
	var st TargetState
	var refused []string
	for _, table := range tables {
		if table == migrationsTable || strings.HasPrefix(table, "sqlite_") || searchTable(table) {
			continue
		}
		var n int64
		if err := db.WithContext(ctx).Table(table).Count(&n).Error; err != nil {
			return st, fmt.Errorf("count %s: %w", table, err)
		}
		switch {
		case n == 0:
		case table == "users" && n > 1:
			refused = append(refused, fmt.Sprintf("%d users", n))
		case setup[table]:
			st.SetupOnly = true
		default:
			refused = append(refused, fmt.Sprintf("%d rows in %s", n, table))
		}
	}
	if len(refused) > 0 {
		return st, &RefusedError{Tables: refused}
	}
	return st, nil
}

// ClearSetup deletes setup's rows inside the bulk transaction, before the
// source's own are written.
func (t *Tx) ClearSetup(ctx context.Context) error {
	for _, table := range setupTables {
		if err := t.Exec(ctx, "DELETE FROM "+t.quote(table)); err != nil {
			return err
		}
	}
	return nil
}
