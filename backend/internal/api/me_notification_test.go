package api

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestMyNotifications(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		agent := testutil.NewUser(t, env.db, "agent", nil, testutil.WithName("Agent Smith"))
		requester := testutil.NewUser(t, env.db, "requester", nil, testutil.WithName("Rita Requester"))
		gone := testutil.NewUser(t, env.db, "gone", nil, testutil.Disabled())
		asAgent, asReq, asAdmin := env.as(agent), env.as(requester), env.as(env.admin)
		list := func(as reqOpt, query string) Envelope[Notification] {
			t.Helper()
			var e Envelope[Notification]
			env.call(http.MethodGet, "/flicket-api/me/notifications"+query, nil, as).expect(t, http.StatusOK).decode(t, &e)
			return e
		}
		tk := tkCreate(t, env, requester, map[string]any{"title": "Printer jams"})
		// The disabled user follows the ticket too: they get nothing.
		testutil.Must(t, env.db.Create(&model.Subscription{TicketID: tk, UserID: gone.ID, DateAdded: env.clock.Now()}).Error)

		t.Run("needs a token", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/me/notifications", nil).expectError(t, http.StatusUnauthorized, "")
			env.call(http.MethodPost, "/flicket-api/me/notifications/read", nil).expectError(t, http.StatusUnauthorized, "")
		})

		t.Run("assigned by someone else notifies the assignee", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(tk)+"/assign", map[string]any{"user_id": agent.ID}, asAdmin).expect(t, http.StatusOK)
			e := list(asAgent, "")
			if len(e.Items) != 1 || e.Meta.TotalItems != 1 {
				t.Fatalf("agent's notifications = %+v", e)
			}
			n := e.Items[0]
			if n.Kind != model.NotifyAssigned || n.TicketID != tk || n.TicketTitle != "Printer jams" || n.Read || n.ReadAt != nil ||
				n.Actor == nil || n.Actor.ID != env.admin.ID || n.Links.Ticket != testBase+"/ticket/"+itoa(tk) ||
				n.Links.Read != testBase+"/me/notification/"+itoa(n.ID)+"/read" {
				t.Errorf("notification = %+v", n)
			}
			// Taking a ticket oneself is no news.
			other := tkCreate(t, env, requester, nil)
			env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(other)+"/claim", nil, asAgent).expect(t, http.StatusOK)
			if got := list(asAgent, "").Meta.TotalItems; got != 1 {
				t.Errorf("claim notified: %d", got)
			}
		})

		t.Run("a reply notifies every follower but its author", func(t *testing.T) {
			post := tkPost(t, env, tk, requester, "Still jams", 0)
			e := list(asAgent, "?unread=true")
			if e.Meta.TotalItems != 2 || e.Items[0].Kind != model.NotifyReply || e.Items[0].PostID == nil || *e.Items[0].PostID != post ||
				e.Items[0].Actor == nil || e.Items[0].Actor.Name != "Rita Requester" {
				t.Errorf("agent's unread = %+v", e)
			}
			if got := list(asReq, "").Meta.TotalItems; got != 0 {
				t.Errorf("the author was notified of their own reply: %d", got)
			}
			if got := list(asAdmin, "").Meta.TotalItems; got != 0 {
				t.Errorf("a non-follower was notified: %d", got)
			}
			tkPost(t, env, tk, agent, "Try this", 0)
			if e := list(asReq, ""); e.Meta.TotalItems != 1 || e.Items[0].Kind != model.NotifyReply {
				t.Errorf("requester's = %+v", e)
			}
			var n int64
			testutil.Must(t, env.db.Model(&model.Notification{}).Where("user_id = ?", gone.ID).Count(&n).Error)
			if n != 0 {
				t.Errorf("disabled user got %d notifications", n)
			}
		})

		t.Run("pages newest first in the list envelope", func(t *testing.T) {
			p1 := list(asAgent, "?per_page=1")
			if p1.Meta != (Meta{Page: 1, PerPage: 1, TotalItems: 2, TotalPages: 2}) || p1.Items[0].Kind != model.NotifyReply ||
				p1.Links.Next == nil || *p1.Links.Next != testBase+"/me/notifications/?page=2&per_page=1" {
				t.Errorf("page 1 = %+v %+v", p1.Meta, p1.Links)
			}
			p2 := list(asAgent, "?per_page=1&page=2")
			if len(p2.Items) != 1 || p2.Items[0].Kind != model.NotifyAssigned {
				t.Errorf("page 2 = %+v", p2.Items)
			}
			env.call(http.MethodGet, "/flicket-api/me/notifications?unread=yes", nil, asAgent).expectQuery(t, "unread", "oneof")
			env.call(http.MethodGet, "/flicket-api/me/notifications?page=0", nil, asAgent).expectQuery(t, "page", "min")
		})

		t.Run("mark one read, only one's own", func(t *testing.T) {
			e := list(asAgent, "")
			id := e.Items[1].ID
			env.call(http.MethodPost, "/flicket-api/me/notification/"+itoa(id)+"/read", nil, asReq).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodPost, "/flicket-api/me/notification/99999999/read", nil, asAgent).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodPost, "/flicket-api/me/notification/abc/read", nil, asAgent).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodPost, "/flicket-api/me/notification/"+itoa(id)+"/read", nil, asAgent).expect(t, http.StatusNoContent)
			env.call(http.MethodPost, "/flicket-api/me/notification/"+itoa(id)+"/read", nil, asAgent).expect(t, http.StatusNoContent)
			if u := list(asAgent, "?unread=true"); u.Meta.TotalItems != 1 || u.Items[0].ID == id {
				t.Errorf("unread after one = %+v", u)
			}
			if all := list(asAgent, ""); !all.Items[1].Read || all.Items[1].ReadAt == nil {
				t.Errorf("read one = %+v", all.Items[1])
			}
		})

		t.Run("mark all read", func(t *testing.T) {
			var out NotificationsRead
			env.call(http.MethodPost, "/flicket-api/me/notifications/read", nil, asAgent).expect(t, http.StatusOK).decode(t, &out)
			if out.Marked != 1 {
				t.Errorf("marked = %d", out.Marked)
			}
			if u := list(asAgent, "?unread=true"); u.Meta.TotalItems != 0 {
				t.Errorf("unread after all = %d", u.Meta.TotalItems)
			}
			if u := list(asReq, "?unread=true"); u.Meta.TotalItems != 1 {
				t.Errorf("another user's were marked too: %d", u.Meta.TotalItems)
			}
		})

		t.Run("written in the change's transaction: none when it rolls back", func(t *testing.T) {
			other := tkCreate(t, env, requester, nil)
			boom := errors.New("boom")
			err := env.srv.writer.Do(context.Background(), func(tx *model.Tx) error {
				if err := model.Assign(context.Background(), tx, other, env.admin, requester.ID); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v", err)
			}
			var n int64
			testutil.Must(t, env.db.Model(&model.Notification{}).Where("ticket_id = ?", other).Count(&n).Error)
			if n != 0 {
				t.Errorf("%d notifications of a rolled-back assignment", n)
			}
		})
	})
}

// expectQuery checks a 400 names the query parameter with the code.
func (r *response) expectQuery(t testing.TB, field, code string) {
	t.Helper()
	body := r.expectError(t, http.StatusBadRequest, "request.invalid_parameter")
	for _, f := range body.Errors {
		if f.Field == field && f.Code == code {
			return
		}
	}
	t.Fatalf("400 does not name parameter %q (code %q): %s", field, code, r.Body)
}

// TestUndoWithdrawsNotifications: an undo (the same user changing the
// assignee back within UndoWindow) withdraws, in its transaction, the in-app
// notifications of the change it undoes, and only those, and notifies
// nobody itself (issue 13 loose ends).
func TestUndoWithdrawsNotifications(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil) // requester
		bob := testutil.NewUser(t, env.db, "bob", nil)
		carol := testutil.NewUser(t, env.db, "carol", nil)
		dave := testutil.NewUser(t, env.db, "dave", nil)
		asAdmin, asBob := env.as(env.admin), env.as(bob)
		path := func(tk int64, action string) string { return "/flicket-api/ticket/" + itoa(tk) + "/" + action }
		assign := func(t *testing.T, tk int64, u *model.User, as reqOpt) {
			t.Helper()
			env.call(http.MethodPost, path(tk, "assign"), map[string]any{"user_id": u.ID}, as).expect(t, http.StatusOK)
		}
		// notes is how many assigned notifications u has on tk.
		notes := func(t *testing.T, u *model.User, tk int64) int64 {
			t.Helper()
			return countRows(t, env, &model.Notification{}, "user_id = ? AND ticket_id = ? AND kind = ?", u.ID, tk, model.NotifyAssigned)
		}
		expect := func(t *testing.T, tk int64, want map[*model.User]int64) {
			t.Helper()
			for u, n := range want {
				if got := notes(t, u, tk); got != n {
					t.Errorf("%s has %d notifications on ticket %d, want %d", u.Username, got, tk, n)
				}
			}
		}
		afterWindow := func() { env.clock.Advance(UndoWindow + time.Second) }

		t.Run("an undone assign withdraws the assignee's notification, and only it", func(t *testing.T) {
			older := tkCreate(t, env, alice, nil)
			assign(t, older, dave, asAdmin) // same user, same assignee, other ticket
			tk := tkCreate(t, env, alice, nil)
			assign(t, tk, carol, asBob) // same ticket, another user's change
			afterWindow()
			assign(t, tk, dave, asAdmin)
			expect(t, tk, map[*model.User]int64{carol: 1, dave: 1})
			env.clock.Advance(UndoWindow / 2)
			assign(t, tk, carol, asAdmin) // the admin's undo
			expect(t, tk, map[*model.User]int64{carol: 1, dave: 0})
			expect(t, older, map[*model.User]int64{dave: 1})
			// The same user's earlier change, whose window is over, stays.
			afterWindow()
			assign(t, tk, dave, asAdmin)
			afterWindow()
			assign(t, tk, carol, asAdmin)
			assign(t, tk, dave, asAdmin) // undoes the assign to carol only
			expect(t, tk, map[*model.User]int64{carol: 1, dave: 1})
		})
		t.Run("assign undone by a release", func(t *testing.T) {
			tk := tkCreate(t, env, alice, nil)
			assign(t, tk, carol, asAdmin)
			expect(t, tk, map[*model.User]int64{carol: 1})
			env.call(http.MethodPost, path(tk, "release"), nil, asAdmin).expect(t, http.StatusOK)
			expect(t, tk, map[*model.User]int64{carol: 0})
			if n := countRows(t, env, &model.NotificationUndoHold{}, "undo_key = ?", model.UndoKey(tk, model.FieldAssignee, env.admin.ID)); n != 0 {
				t.Errorf("%d holds left after the undo", n)
			}
		})
		t.Run("undoing a claim or a release does not tell the assignee they were assigned", func(t *testing.T) {
			tk := tkCreate(t, env, alice, nil)
			assign(t, tk, carol, asAdmin)
			afterWindow()
			env.call(http.MethodPost, path(tk, "claim"), nil, asBob).expect(t, http.StatusOK)
			assign(t, tk, carol, asBob) // bob's undo
			env.call(http.MethodPost, path(tk, "release"), nil, asAdmin).expect(t, http.StatusOK)
			assign(t, tk, carol, asAdmin) // the admin's undo
			expect(t, tk, map[*model.User]int64{carol: 1})
		})
		t.Run("a correction within the window notifies the net change once", func(t *testing.T) {
			tk := tkCreate(t, env, alice, nil)
			assign(t, tk, carol, asAdmin)
			assign(t, tk, dave, asAdmin)
			expect(t, tk, map[*model.User]int64{carol: 0, dave: 1})
		})
		t.Run("a change back after the window, or after someone else's change, is news", func(t *testing.T) {
			tk := tkCreate(t, env, alice, nil)
			assign(t, tk, carol, asAdmin)
			afterWindow()
			env.call(http.MethodPost, path(tk, "release"), nil, asAdmin).expect(t, http.StatusOK)
			assign(t, tk, carol, asAdmin) // undoes the release: no second notification
			expect(t, tk, map[*model.User]int64{carol: 1})
			assign(t, tk, dave, asAdmin)
			env.call(http.MethodPost, path(tk, "claim"), nil, asBob).expect(t, http.StatusOK)
			assign(t, tk, carol, asAdmin) // bob's claim came between: no undo
			expect(t, tk, map[*model.User]int64{carol: 2, dave: 1})
		})
		t.Run("a read notification is withdrawn too", func(t *testing.T) {
			tk := tkCreate(t, env, alice, nil)
			assign(t, tk, dave, asAdmin)
			env.call(http.MethodPost, "/flicket-api/me/notifications/read", nil, env.as(dave)).expect(t, http.StatusOK)
			env.call(http.MethodPost, path(tk, "release"), nil, asAdmin).expect(t, http.StatusOK)
			expect(t, tk, map[*model.User]int64{dave: 0})
		})
	})
}
