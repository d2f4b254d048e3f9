package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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
			var cat model.Category
			testutil.Must(t, db.First(&cat).Error)
			now := time.Now().UTC()
			for i := range 3 {
				tk := &model.Ticket{Title: fmt.Sprintf("Bulk %d", i), Content: "Written by a bulk tool", DateAdded: now,
					StatusID: model.StatusOpen, CategoryID: cat.ID, TicketPriorityID: model.PriorityLow, LastUpdated: now}
				testutil.Must(t, db.Create(tk).Error)
			}
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
