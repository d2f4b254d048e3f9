package model_test

import (
	"context"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/demo"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestAssigneeSuggestionsPlan: the department's recent assignees are read
// by walking idx_tickets_department_id_id backwards for a bounded number of
// tickets, with no sort and no scan of tickets, on each database.
func TestAssigneeSuggestionsPlan(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		admin := testutil.Seed(t, tdb.DB).Admin
		_, err := demo.Seed(ctx, tdb.DB, testutil.Hasher(), demo.Options{Tickets: planTickets, PostsPerTicket: 0, Users: 4, BatchSize: planTickets}, nil)
		testutil.Must(t, err)
		if tdb.Dialect == database.SQLite {
			testutil.Must(t, tdb.DB.Exec("DROP TABLE IF EXISTS sqlite_stat1").Error)
			testutil.Must(t, tdb.DB.Exec("DROP TABLE IF EXISTS sqlite_stat4").Error)
		}
		var tk model.Ticket
		testutil.Must(t, tdb.DB.Order("id DESC").First(&tk).Error)
		rec, stmts := testutil.RecordStatements(tdb.DB)
		first, err := model.AssigneeSuggestions(ctx, rec, &tk, admin)
		testutil.Must(t, err)
		if len(first) == 0 || first[0] != admin.ID {
			t.Errorf("suggestions = %v, want the caller first", first)
		}
		ran := stmts.Take()
		if len(ran) != 1 {
			t.Fatalf("ran %d statements, want 1: %q", len(ran), ran)
		}
		plan := explain(t, tdb, ran[0])
		if msg := badPlan(tdb.Dialect, plan, "idx_tickets_department_id_id"); msg != "" {
			t.Errorf("%s\nquery: %s\nplan:\n%s", msg, ran[0], strings.Join(plan, "\n"))
		}
	})
}
