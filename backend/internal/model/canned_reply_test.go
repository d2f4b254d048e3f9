package model_test

import (
	"context"
	"errors"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestCannedReplies checks the rules in the model itself, through the
// Writer: who sees and may change which reply, and the title rule.
func TestCannedReplies(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		db := tdb.DB
		admin := testutil.Seed(t, db).Admin
		ann := testutil.NewUser(t, db, "ann", nil)
		bob := testutil.NewUser(t, db, "bob", nil)
		w := testutil.NewWriter(db, testutil.NewClock())
		str := func(s string) *string { return &s }
		yes := true
		create := func(u *model.User, title string, shared bool) (*model.CannedReply, error) {
			var r *model.CannedReply
			err := w.Do(ctx, func(tx *model.Tx) error {
				var err error
				r, err = model.CreateCannedReply(ctx, tx, u, model.CannedReplyInput{Title: &title, Content: str("text of " + title), Shared: &shared})
				return err
			})
			return r, err
		}
		mine, err := create(ann, "Thanks", false)
		testutil.Must(t, err)
		shared, err := create(admin, "Apologies", true)
		testutil.Must(t, err)

		var forbidden *model.ForbiddenError
		if _, err := create(ann, "Everyone", true); !errors.As(err, &forbidden) {
			t.Errorf("ann shares: %v", err)
		}
		var conflict *model.ConflictError
		if _, err := create(ann, "Apologies", false); !errors.As(err, &conflict) || conflict.Code != "canned_reply.duplicate" || conflict.Field != "title" {
			t.Errorf("shared title reused: %v", err)
		}
		if _, err := create(bob, "Thanks", false); err != nil {
			t.Errorf("bob may reuse ann's private title: %v", err)
		}

		list, err := model.ListCannedReplies(ctx, db, ann)
		testutil.Must(t, err)
		if len(list) != 2 || list[0].ID != shared.ID || list[1].ID != mine.ID || list[0].CanEdit(ann) || !list[1].CanEdit(ann) {
			t.Errorf("ann's list = %+v", list)
		}
		if _, err := model.FindCannedReply(ctx, db, bob, mine.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("bob finds ann's: %v", err)
		}
		err = w.Do(ctx, func(tx *model.Tx) error {
			_, err := model.UpdateCannedReply(ctx, tx, bob, shared.ID, model.CannedReplyInput{Title: str("Hijack")})
			return err
		})
		if !errors.As(err, &forbidden) {
			t.Errorf("bob changes a shared one: %v", err)
		}
		testutil.Write(t, w, func(tx *model.Tx) error {
			r, err := model.UpdateCannedReply(ctx, tx, admin, mine.ID, model.CannedReplyInput{})
			if !errors.Is(err, model.ErrNotFound) {
				t.Errorf("admin changes ann's private one: %v, %+v", err, r)
			}
			r, err = model.UpdateCannedReply(ctx, tx, admin, shared.ID, model.CannedReplyInput{Content: str("Sorry!"), Shared: &yes})
			if err != nil || r.Content != "Sorry!" || r.Title != "Apologies" {
				t.Errorf("admin's update = %+v, %v", r, err)
			}
			return model.DeleteCannedReply(ctx, tx, ann, mine.ID)
		})
		list, err = model.ListCannedReplies(ctx, db, ann)
		testutil.Must(t, err)
		if len(list) != 1 || list[0].Content != "Sorry!" {
			t.Errorf("after: %+v", list)
		}
	})
}
