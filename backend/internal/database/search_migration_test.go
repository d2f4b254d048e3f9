package database_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/search"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// searchIDs runs a search straight over the index.
func searchIDs(t *testing.T, db *gorm.DB, q string) []int64 {
	t.Helper()
	return searchQueryIDs(t, db, search.Parse(q))
}

func searchQueryIDs(t *testing.T, db *gorm.DB, q search.Query) []int64 {
	t.Helper()
	cond, args := search.Condition(db.Name(), q)
	var ids []int64
	testutil.Must(t, db.Table("tickets").Where(cond, args...).Order("id").Pluck("id", &ids).Error)
	return ids
}

// pairsIDs is whether the index state says the word pairs answer phrases,
// and the tickets the phrase q then finds (through them when they do).
func pairsIDs(t *testing.T, db *gorm.DB, q string) (bool, []int64) {
	t.Helper()
	st, err := search.ReadState(context.Background(), db)
	testutil.Must(t, err)
	parsed := search.Parse(q)
	parsed.Pairs = st.Pairs
	return st.Pairs, searchQueryIDs(t, db, parsed)
}

// insertOldTickets writes n tickets (one reply on the first) into a
// database migrated up to 0006, as a database from before search has them.
func insertOldTickets(t *testing.T, db *gorm.DB, n int) {
	t.Helper()
	now := time.Now().UTC()
	for _, q := range []string{
		"INSERT INTO departments (department) VALUES ('IT')",
		"INSERT INTO categories (category, department_id) VALUES ('Network', 1)",
		"INSERT INTO statuses (status) VALUES ('Open')",
		"INSERT INTO priorities (priority) VALUES ('low')",
	} {
		testutil.Must(t, db.Exec(q).Error)
	}
	for start := 0; start < n; start += 1000 {
		var rows []string
		var args []any
		for i := start; i < min(start+1000, n); i++ {
			rows = append(rows, "(?, ?, 1, 1, 1, ?, ?)")
			args = append(args, fmt.Sprintf("Ticket %d", i+1), "Le café du numéro "+fmt.Sprint(i+1), now, now)
		}
		testutil.Must(t, db.Exec("INSERT INTO tickets (title, content, category_id, status_id, ticket_priority_id, date_added, last_updated) VALUES "+
			strings.Join(rows, ", "), args...).Error)
	}
	testutil.Must(t, db.Exec("INSERT INTO posts (ticket_id, content, date_added) VALUES (1, 'Rebooted the router', ?)", now).Error)
}

// TestSearchMigrationIndexesSmallDatabases: on a database of existing
// tickets, the search migration builds the index and marks it ready; it
// rolls back and applies again.
func TestSearchMigrationIndexesSmallDatabases(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := testutil.NewEmptyDB(t, d).DB
			testutil.Must(t, database.MigrateTo(ctx, db, "0006_ticket_sort_indexes"))
			insertOldTickets(t, db, 30)
			testutil.Must(t, database.MigrateUp(ctx, db))
			ready, err := search.Ready(ctx, db)
			testutil.Must(t, err)
			if !ready {
				t.Fatal("index not ready after the migration on 30 tickets")
			}
			if got := searchIDs(t, db, "CAFE"); len(got) != 30 {
				t.Errorf("cafe finds %d tickets, want 30", len(got))
			}
			if got := searchIDs(t, db, "router numero 1"); fmt.Sprint(got) != "[1]" {
				t.Errorf("router numero 1 finds %v, want [1]", got)
			}
			if pairsTable := map[database.Dialect]string{database.MySQL: "ticket_search_pairs", database.SQLite: "ticket_fts_pairs"}[d]; pairsTable != "" {
				// 0075 (0076 on SQLite) wrote the pairs of adjacent words;
				// reindex writes them again after they are lost, and says so.
				checkPairs := func(when string) {
					if pairs, ids := pairsIDs(t, db, `"numero 30"`); !pairs || fmt.Sprint(ids) != "[30]" {
						t.Errorf("%s: pairs %v, \"numero 30\" finds %v", when, pairs, ids)
					}
				}
				checkPairs("after the migration")
				testutil.Must(t, db.Exec("DELETE FROM "+pairsTable).Error)
				testutil.Must(t, db.Exec("UPDATE search_state SET pairs = FALSE").Error)
				testutil.Must(t, search.Reindex(ctx, db, nil))
				checkPairs("after reindex")
			}
			testutil.Must(t, database.RollbackTo(ctx, db, "0015_upload_names_without_bidi"))
			for _, table := range []string{"search_state", "ticket_search", "ticket_fts", "ticket_search_pairs", "ticket_fts_pairs"} {
				if db.Migrator().HasTable(table) {
					t.Errorf("%s still there after the rollback", table)
				}
			}
			testutil.Must(t, database.MigrateUp(ctx, db))
			if got := searchIDs(t, db, "numero 30"); fmt.Sprint(got) != "[30]" {
				t.Errorf("after up again, numero 30 finds %v", got)
			}
		})
	}
}

// TestSearchMigrationLeavesBigDatabasesToReindex: past search.SmallDatabase
// tickets the migration only creates the structures (serve is not held);
// the index says it is not ready until search.Reindex has run.
func TestSearchMigrationLeavesBigDatabasesToReindex(t *testing.T) {
	ctx := context.Background()
	db := testutil.NewEmptyDB(t, database.SQLite).DB
	testutil.Must(t, database.MigrateTo(ctx, db, "0006_ticket_sort_indexes"))
	insertOldTickets(t, db, search.SmallDatabase+1)
	testutil.Must(t, database.MigrateUp(ctx, db))
	if st, err := search.ReadState(ctx, db); err != nil || st.Ready || st.Pairs {
		t.Fatalf("state %+v, %v after the migration on a big database", st, err)
	}
	if got := searchIDs(t, db, "router"); len(got) != 0 {
		t.Errorf("the migration indexed a big database: %v", got)
	}
	var last int64
	testutil.Must(t, search.Reindex(ctx, db, func(done, _ int64) { last = done }))
	if ready, err := search.Ready(ctx, db); err != nil || !ready || last != search.SmallDatabase+1 {
		t.Fatalf("after reindex: ready = %v, %v; progress ended at %d", ready, err, last)
	}
	if got := searchIDs(t, db, "router"); fmt.Sprint(got) != "[1]" {
		t.Errorf("router finds %v after reindex", got)
	}
	// The word pairs (migration 0076) too: left empty by the migration,
	// written by the reindex, which then says phrases may use them.
	if pairs, ids := pairsIDs(t, db, `"rebooted the router"`); !pairs || fmt.Sprint(ids) != "[1]" {
		t.Errorf("after reindex: pairs %v, \"rebooted the router\" finds %v", pairs, ids)
	}
}
