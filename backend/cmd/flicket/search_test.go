package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/search"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestSearchReindexCommand: tickets written behind the index's back are
// found once `flicket search reindex` has run, which shows its progress and
// marks the index ready.
func TestSearchReindexCommand(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewDB(t, d)
			env := seededDB(t, tdb)
			db := tdb.DB
			ctx := context.Background()
			ticketsBehindIndex(t, db, "Bulk", "Written by a bulk tool", 3)
			testutil.Must(t, search.SetReady(ctx, db, false))

			r := flicket(t, env, "search", "reindex")
			if r.code != 0 || !strings.Contains(r.stdout, "indexed 3 tickets") || !strings.Contains(r.stderr, "tickets: 3 rows") {
				t.Fatalf("search reindex: %+v", r)
			}
			if ready, err := search.Ready(ctx, db); err != nil || !ready {
				t.Errorf("ready = %v, %v after reindex", ready, err)
			}
			ts, err := model.NewTicketSearch(ctx, db, "bulk tool")
			testutil.Must(t, err)
			_, total, err := model.ListTickets(ctx, db, model.TicketFilter{Q: "bulk tool", Search: ts}, model.TicketSort{}, 0, 10)
			testutil.Must(t, err)
			if total != 3 {
				t.Errorf("bulk tool finds %d tickets after reindex, want 3", total)
			}
		})
	}
}

// TestSearchOptimizeCommand: on SQLite, `flicket search optimize` merges an
// index written in several transactions (several FTS5 segments) into one,
// which still finds every ticket; a second run has nothing to merge. The
// other databases have nothing to do.
func TestSearchOptimizeCommand(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewDB(t, d)
			env := seededDB(t, tdb)
			db := tdb.DB
			ctx := context.Background()
			for _, tk := range ticketsBehindIndex(t, db, "Segment", "Indexed in its own transaction", 3) {
				testutil.Must(t, db.Transaction(func(tx *gorm.DB) error { return search.Refresh(ctx, tx, tk.ID) }))
			}
			// Segments of the words' index and of the word pairs' (both
			// merged by optimize).
			segments := func() (words, pairs int64) {
				testutil.Must(t, db.Raw("SELECT COUNT(DISTINCT segid) FROM ticket_fts_idx").Scan(&words).Error)
				testutil.Must(t, db.Raw("SELECT COUNT(DISTINCT segid) FROM ticket_fts_pairs_idx").Scan(&pairs).Error)
				return words, pairs
			}
			if d != database.SQLite {
				if r := flicket(t, env, "search", "optimize"); r.code != 0 || !strings.Contains(r.stdout, "nothing to do") {
					t.Fatalf("search optimize: %+v", r)
				}
				return
			}
			if words, pairs := segments(); words < 2 || pairs < 2 {
				t.Fatalf("%d and %d segments before: the test shows nothing", words, pairs)
			}
			if r := flicket(t, env, "search", "optimize"); r.code != 0 || !strings.Contains(r.stdout, "merged into one segment") {
				t.Fatalf("search optimize: %+v", r)
			}
			if words, pairs := segments(); words != 1 || pairs != 1 {
				t.Errorf("%d and %d segments after optimize, want 1 and 1", words, pairs)
			}
			for _, q := range []string{"own transaction", `"own transaction"`} {
				ts, err := model.NewTicketSearch(ctx, db, q)
				testutil.Must(t, err)
				_, total, err := model.ListTickets(ctx, db, model.TicketFilter{Q: q, Search: ts}, model.TicketSort{}, 0, 10)
				testutil.Must(t, err)
				if total != 3 {
					t.Errorf("%s finds %d tickets after optimize, want 3", q, total)
				}
			}
			if r := flicket(t, env, "search", "optimize"); r.code != 0 || !strings.Contains(r.stdout, "already in one segment") {
				t.Fatalf("search optimize again: %+v", r)
			}
		})
	}
}

// ticketsBehindIndex writes n open tickets ("<title> 0", ...) straight to the
// tickets table, as a bulk tool would: the search index does not hold them.
func ticketsBehindIndex(t *testing.T, db *gorm.DB, title, content string, n int) []*model.Ticket {
	t.Helper()
	var cat model.Category
	testutil.Must(t, db.First(&cat).Error)
	now := time.Now().UTC()
	out := make([]*model.Ticket, n)
	for i := range out {
		out[i] = &model.Ticket{Title: fmt.Sprintf("%s %d", title, i), Content: content, DateAdded: now,
			StatusID: model.StatusOpen, CategoryID: cat.ID, TicketPriorityID: model.PriorityLow, LastUpdated: now}
		testutil.Must(t, db.Create(out[i]).Error)
	}
	return out
}
