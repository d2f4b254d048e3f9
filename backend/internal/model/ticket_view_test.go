package model_test

import (
	"context"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestTicketViewReadsEveryColumn reads a ticket whose every column is set
// (through the model's own changes) with the positional read path, and
// compares it with GORM's reflective read of the same row, on each database.
func TestTicketViewReadsEveryColumn(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		db := tdb.DB
		admin := testutil.Seed(t, db).Admin
		bob := testutil.NewUser(t, db, "bob", nil, testutil.WithName("Bob Builder"))
		clock := testutil.NewClock()
		w := testutil.NewWriter(db, clock)
		tk := testutil.NewTicket(t, w, bob, testutil.WithHours(125), testutil.WithPriority(model.PriorityHigh))
		clock.Advance(61)
		testutil.NewPost(t, w, tk.ID, admin, "A reply", 50)
		title, html := "A better title", "<p>new</p>"
		content := "New content"
		testutil.Write(t, w, func(tx *model.Tx) error {
			if err := model.Assign(ctx, tx, tk.ID, admin, bob.ID); err != nil {
				return err
			}
			_, err := model.EditTicket(ctx, tx, tk.ID, admin, model.TicketEdit{Title: &title, Content: &content, ContentHTML: &html})
			return err
		})

		v, err := model.FindTicketView(ctx, db, tk.ID)
		testutil.Must(t, err)
		row, err := model.FindTicket(ctx, db, tk.ID)
		testutil.Must(t, err)
		got := v.Ticket
		// The collation keys are not read (ORDER BY only).
		got.TitleKey, got.StarterKey, got.AssigneeKey, got.DeptCatKey = row.TitleKey, row.StarterKey, row.AssigneeKey, row.DeptCatKey
		if got.ID != row.ID || got.Title != row.Title || got.Content != row.Content || *got.ContentHTML != *row.ContentHTML ||
			*got.StartedID != *row.StartedID || !got.DateAdded.Equal(row.DateAdded) || !got.DateModified.Equal(*row.DateModified) ||
			*got.ModifiedID != *row.ModifiedID || got.StatusID != row.StatusID || got.CategoryID != row.CategoryID ||
			*got.AssignedID != *row.AssignedID || got.TicketPriorityID != row.TicketPriorityID || got.Hours != row.Hours ||
			!got.LastUpdated.Equal(row.LastUpdated) || got.NumReplies != row.NumReplies || got.TotalHours != row.TotalHours ||
			got.DepartmentID != row.DepartmentID {
			t.Errorf("view read\n%+v\nrow read\n%+v", got, *row)
		}
		if got.NumReplies != 1 || got.TotalHours != 175 || got.StatusID != model.StatusInWork || got.TicketPriorityID != model.PriorityHigh {
			t.Errorf("ticket = %+v", got)
		}
		if v.StarterName == nil || *v.StarterName != "Bob Builder" || v.AssigneeUsername == nil || *v.AssigneeUsername != "bob" ||
			v.ModifierUsername == nil || *v.ModifierUsername != admin.Username || v.StatusName != "In Work" || v.PriorityName != "high" ||
			v.DepartmentName == "" || v.CategoryName == "" {
			t.Errorf("names = %+v", v)
		}
	})
}
