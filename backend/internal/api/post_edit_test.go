package api

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestUpdatePost(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil, testutil.WithName("Alice Adams"))
		bob := testutil.NewUser(t, env.db, "bob", nil, testutil.WithName("Bob Brown"))
		carol := testutil.NewUser(t, env.db, "carol", []string{model.SuperUserGroup})
		asAlice, asBob, asAdmin := env.as(alice), env.as(bob), env.as(env.admin)

		t.Run("content edits keep the history, credited to the previous writer", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "First version."})
			env.clock.Advance(time.Hour)
			var got postOut
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Second version."}, asAdmin).
				expect(t, http.StatusOK).decode(t, &got)
			if got.Content != "Second version." || got.ContentHTML != "<p>Second version.</p>\n" ||
				got.ModifiedID == nil || *got.ModifiedID != env.admin.ID || got.DateModified == nil ||
				*got.DateModified != env.clock.Now().Format(http.TimeFormat) ||
				got.ModifiedBy == nil || got.ModifiedBy.Username != "admin" {
				t.Errorf("after the admin's edit: %+v", got)
			}
			if lu := reloadTicket(t, env, tk.ID).LastUpdated; !sameInstant(lu, env.clock.Now()) {
				t.Errorf("last_updated = %v", lu)
			}
			env.clock.Advance(time.Hour)
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Third version."}, asBob).expect(t, http.StatusOK)

			var hist []model.History
			testutil.Must(t, env.db.Where("post_id = ?", p.ID).Order("id").Find(&hist).Error)
			if len(hist) != 2 {
				t.Fatalf("histories = %+v", hist)
			}
			if hist[0].OriginalContent != "First version." || *hist[0].UserID != bob.ID || hist[0].TicketID != nil {
				t.Errorf("first history = %+v (want the author's text)", hist[0])
			}
			if hist[1].OriginalContent != "Second version." || *hist[1].UserID != env.admin.ID {
				t.Errorf("second history = %+v (want the previous modifier's text)", hist[1])
			}
			// Unchanged content adds no history.
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Third version."}, asBob).expect(t, http.StatusOK)
			var n int64
			testutil.Must(t, env.db.Model(&model.History{}).Where("post_id = ?", p.ID).Count(&n).Error)
			if n != 2 {
				t.Errorf("%d histories after an unchanged edit", n)
			}
		})

		t.Run("hours move the ticket's total", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice, func(tk *model.Ticket) { tk.Hours = model.HoursFromFloat(1) })
			p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Some work.", "hours": 2.5})
			newPost(t, env, asAlice, map[string]any{"ticket_id": tk.ID, "content": "More work.", "hours": 0.25})
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"hours": 0.5}, asBob).expect(t, http.StatusOK)
			if got := reloadTicket(t, env, tk.ID).TotalHours; got != model.HoursFromFloat(1.75) {
				t.Errorf("total_hours = %s, want 1.75", got)
			}
			checkCounters(t, env)
		})

		t.Run("status and priority through an edit, logged on that reply", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Some work."})
			newPost(t, env, asAlice, map[string]any{"ticket_id": tk.ID, "content": "A later reply."})
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"status_id": 4, "ticket_priority_id": 2}, asBob).expect(t, http.StatusOK)
			got := reloadTicket(t, env, tk.ID)
			if got.StatusID != model.StatusAwaitingInformation || got.TicketPriorityID != model.PriorityMedium {
				t.Errorf("ticket = %+v", got)
			}
			acts := actionsOf(t, env, tk.ID)
			if len(acts) != 2 || acts[0].Action != model.ActionStatus || acts[1].Action != model.ActionPriority ||
				*acts[0].PostID != p.ID || *acts[1].PostID != p.ID {
				t.Errorf("actions = %+v", acts)
			}
			// The status alone does not mark the reply as edited.
			var row model.Post
			testutil.Must(t, env.db.First(&row, p.ID).Error)
			if row.ModifiedID != nil {
				t.Errorf("a status change marked the reply modified")
			}
			checkCounters(t, env)
		})

		t.Run("who may edit", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Bob's reply."})
			// Not even the ticket's creator, nor a super user.
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Alice was here"}, asAlice).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Carol was here"}, env.as(carol)).expectError(t, http.StatusForbidden, "forbidden")
			var row model.Post
			testutil.Must(t, env.db.First(&row, p.ID).Error)
			if row.Content != "Bob's reply." {
				t.Errorf("a refused edit changed the reply: %q", row.Content)
			}
			env.call(http.MethodPatch, "/flicket-api/post/99999999", map[string]any{"content": "hello there"}, asBob).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("a closed ticket's replies cannot be edited", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Bob's reply."})
			testutil.Write(t, env.srv.writer, func(tx *model.Tx) error { return model.Close(t.Context(), tx, tk.ID, env.admin) })
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Bob again"}, asBob).expectError(t, http.StatusConflict, "ticket.closed")
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Admin again"}, asAdmin).expectError(t, http.StatusConflict, "ticket.closed")
		})

		t.Run("a short reply is a reply", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Bob's reply."})
			var got postOut
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Thx"}, asBob).expect(t, http.StatusOK).decode(t, &got)
			if got.Content != "Thx" {
				t.Errorf("content = %q", got.Content)
			}
		})

		t.Run("invalid fields", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Bob's reply."})
			path := "/flicket-api/post/" + itoa(p.ID)
			env.call(http.MethodPatch, path, map[string]any{"content": "   "}, asBob).expectField(t, "content", "")
			env.call(http.MethodPatch, path, map[string]any{"hours": -0.5}, asBob).expectField(t, "hours", "gte")
			env.call(http.MethodPatch, path, map[string]any{"status_id": 2}, asBob).expectField(t, "status_id", "closed")
			env.call(http.MethodPatch, path, map[string]any{"status_id": 77}, asBob).expectField(t, "status_id", "not_found")
			env.call(http.MethodPatch, path, map[string]any{"ticket_priority_id": 77}, asBob).expectField(t, "ticket_priority_id", "not_found")
			env.call(http.MethodPatch, path, map[string]any{"content": "A valid new text", "status_id": 77}, asBob).expectField(t, "status_id", "not_found")
			var hist int64
			testutil.Must(t, env.db.Model(&model.History{}).Where("post_id = ?", p.ID).Count(&hist).Error)
			if hist != 0 {
				t.Errorf("a refused edit wrote %d histories", hist)
			}
		})
	})
}

func TestDeletePost(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil)
		carol := testutil.NewUser(t, env.db, "carol", []string{model.SuperUserGroup})
		asAlice, asBob := env.as(alice), env.as(bob)

		t.Run("author deletes: counters, histories, attachments and files follow", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			keep := newPost(t, env, asAlice, map[string]any{"ticket_id": tk.ID, "content": "Alice's reply.", "hours": 1})
			p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Bob's reply.", "hours": 2, "status_id": 3})
			env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Bob's edited reply."}, asBob).expect(t, http.StatusOK)
			var ups []Upload
			env.upload(t, asBob, map[string]string{"post_id": itoa(p.ID)}, testFile{"file", "log.txt", []byte("some log")}).
				expect(t, http.StatusCreated).decode(t, &ups)
			stored := filepath.Join(env.srv.cfg.UploadDir, ups[0].Filename)
			if _, err := os.Stat(stored); err != nil {
				t.Fatal(err)
			}
			before := reloadUser(t, env, bob.ID).TotalPosts

			// Others may not.
			env.call(http.MethodDelete, "/flicket-api/post/"+itoa(p.ID), nil, asAlice).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodDelete, "/flicket-api/post/"+itoa(p.ID), nil, env.as(carol)).expectError(t, http.StatusForbidden, "forbidden")

			env.call(http.MethodDelete, "/flicket-api/post/"+itoa(p.ID), nil, asBob).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, "/flicket-api/post/"+itoa(p.ID), nil, asBob).expectError(t, http.StatusNotFound, "not_found")
			got := reloadTicket(t, env, tk.ID)
			if got.NumReplies != 1 || got.TotalHours != model.HoursFromFloat(1) {
				t.Errorf("ticket after delete: %d replies, %s hours", got.NumReplies, got.TotalHours)
			}
			if after := reloadUser(t, env, bob.ID).TotalPosts; after != before-1 {
				t.Errorf("author total_posts %d → %d", before, after)
			}
			var n int64
			testutil.Must(t, env.db.Model(&model.History{}).Where("post_id = ?", p.ID).Count(&n).Error)
			if n != 0 {
				t.Errorf("%d histories left", n)
			}
			testutil.Must(t, env.db.Model(&model.Upload{}).Where("post_id = ?", p.ID).Count(&n).Error)
			if n != 0 {
				t.Errorf("%d upload rows left", n)
			}
			if _, err := os.Stat(stored); !os.IsNotExist(err) {
				t.Errorf("attachment file still on disk: %v", err)
			}
			// The status action stays in the log, detached from the reply.
			acts := actionsOf(t, env, tk.ID)
			if len(acts) != 1 || acts[0].Action != model.ActionStatus || acts[0].PostID != nil {
				t.Errorf("actions = %+v", acts)
			}
			env.call(http.MethodDelete, "/flicket-api/post/"+itoa(p.ID), nil, asBob).expectError(t, http.StatusNotFound, "not_found")
			// An administrator may delete anyone's reply.
			env.call(http.MethodDelete, "/flicket-api/post/"+itoa(keep.ID), nil, env.as(env.admin)).expect(t, http.StatusNoContent)
			checkCounters(t, env)
		})
	})
}
