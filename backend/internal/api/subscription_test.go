package api

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestSubscriptionsRead(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		william := testutil.NewUser(t, env.db, "whernandez", nil, testutil.WithName("William Hernandez"))
		michael := testutil.NewUser(t, env.db, "mmiller", nil, testutil.WithName("Michael Miller"))
		as := env.as(michael)
		// Five tickets, each with its creator subscribed, plus Michael on the first.
		var tickets []*model.Ticket
		for i := 0; i < 5; i++ {
			tickets = append(tickets, seedPostTicket(t, env, william))
		}
		testutil.Must(t, env.db.Create(&model.Subscription{TicketID: tickets[0].ID, UserID: michael.ID, DateAdded: env.clock.Now()}).Error)
		var first model.Subscription
		testutil.Must(t, env.db.Where("ticket_id = ? AND user_id = ?", tickets[0].ID, william.ID).First(&first).Error)

		t.Run("one subscription, as in the oracle plus username", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/subscription/"+itoa(first.ID), nil, as).expect(t, http.StatusOK)
			assertJSON(t, r.Body, fmt.Sprintf(`{
			 "can": {"remove": false},
			 "id": %d,
			 "links": {"self": "%s/subscription/%d", "subscriptions": "%s/subscriptions/", "ticket": "%s/ticket/%d", "user": "%s/user/%d"},
			 "ticket_id": %d, "user_def": "William Hernandez", "user_id": %d, "username": "whernandez"}`,
				first.ID, testBase, first.ID, testBase, testBase, tickets[0].ID, testBase, william.ID, tickets[0].ID, william.ID))
			env.call(http.MethodGet, "/flicket-api/subscription/99999999", nil, as).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("a ticket's subscribers, page in the path", func(t *testing.T) {
			var e Envelope[Subscription]
			env.call(http.MethodGet, "/flicket-api/subscriptions/"+itoa(tickets[0].ID)+"/", nil, as).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta != (Meta{Page: 1, PerPage: 50, TotalItems: 2, TotalPages: 1}) || len(e.Items) != 2 ||
				e.Items[0].UserDef != "William Hernandez" || e.Items[1].UserDef != "Michael Miller" {
				t.Errorf("subscribers = %+v %+v", e.Meta, e.Items)
			}
			if e.Links.Self != fmt.Sprintf("%s/subscriptions/%d/1/?per_page=50", testBase, tickets[0].ID) {
				t.Errorf("self = %s", e.Links.Self)
			}
			env.call(http.MethodGet, "/flicket-api/subscriptions/"+itoa(tickets[0].ID)+"/2/?per_page=1", nil, as).expect(t, http.StatusOK).decode(t, &e)
			if len(e.Items) != 1 || e.Items[0].UserID != michael.ID || e.Links.Next != nil ||
				e.Links.Prev == nil || *e.Links.Prev != fmt.Sprintf("%s/subscriptions/%d/1/?per_page=1", testBase, tickets[0].ID) {
				t.Errorf("page 2 = %+v %+v", e.Items, e.Links)
			}
		})

		t.Run("an unknown ticket is 404", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/subscriptions/99999999/", nil, as).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("all subscriptions really page", func(t *testing.T) {
			var p1, p2, p3 Envelope[Subscription]
			env.call(http.MethodGet, "/flicket-api/subscriptions/?per_page=2", nil, as).expect(t, http.StatusOK).decode(t, &p1)
			if p1.Meta != (Meta{Page: 1, PerPage: 2, TotalItems: 6, TotalPages: 3}) {
				t.Errorf("meta = %+v", p1.Meta)
			}
			if p1.Links.Self != testBase+"/subscriptions/?page=1&per_page=2" || p1.Links.Next == nil ||
				*p1.Links.Next != testBase+"/subscriptions/?page=2&per_page=2" {
				t.Fatalf("links = %+v", p1.Links)
			}
			// Follow the next link: it gives the next page, not page 1 again.
			env.call(http.MethodGet, (*p1.Links.Next)[len("http://flicket.test"):], nil, as).expect(t, http.StatusOK).decode(t, &p2)
			env.call(http.MethodGet, "/flicket-api/subscriptions/?page=3&per_page=2", nil, as).expect(t, http.StatusOK).decode(t, &p3)
			seen := map[int64]bool{}
			for _, e := range []Envelope[Subscription]{p1, p2, p3} {
				if len(e.Items) != 2 {
					t.Fatalf("page %d has %d items", e.Meta.Page, len(e.Items))
				}
				for _, s := range e.Items {
					if seen[s.ID] {
						t.Errorf("subscription %d on two pages", s.ID)
					}
					seen[s.ID] = true
				}
			}
			if p2.Meta.Page != 2 || p3.Links.Next != nil {
				t.Errorf("p2 %+v p3 %+v", p2.Meta, p3.Links)
			}
		})
	})
}

func TestSubscribeUnsubscribe(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil)
		carol := testutil.NewUser(t, env.db, "carol", []string{model.SuperUserGroup})
		asAlice, asBob := env.as(alice), env.as(bob)
		tk := seedPostTicket(t, env, alice)
		latest := newPost(t, env, asAlice, map[string]any{"ticket_id": tk.ID, "content": "A first reply."})

		var sub Subscription
		t.Run("the creator subscribes someone: 201, Location, subscribe action", func(t *testing.T) {
			before := reloadTicket(t, env, tk.ID).LastUpdated
			env.clock.Advance(time.Hour)
			r := env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk.ID, "user_id": bob.ID}, asAlice).
				expect(t, http.StatusCreated)
			r.decode(t, &sub)
			if r.Header.Get("Location") != testBase+"/subscription/"+itoa(sub.ID) {
				t.Errorf("Location = %q", r.Header.Get("Location"))
			}
			if sub.TicketID != tk.ID || sub.UserID != bob.ID || sub.Username != "bob" || sub.UserDef != bob.Name {
				t.Errorf("subscription = %+v", sub)
			}
			acts := actionsOf(t, env, tk.ID)
			a := acts[len(acts)-1]
			if a.Action != model.ActionSubscribe || *a.RecipientID != bob.ID || *a.UserID != alice.ID ||
				a.PostID == nil || *a.PostID != latest.ID {
				t.Errorf("action = %+v", a)
			}
			// Subscribing is not activity on the ticket (as in the original).
			if got := reloadTicket(t, env, tk.ID).LastUpdated; !got.Equal(before) {
				t.Errorf("last_updated moved to %v", got)
			}
		})

		t.Run("twice is a conflict", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk.ID, "user_id": bob.ID}, asBob).
				expectError(t, http.StatusConflict, "subscription.exists")
			var n int64
			testutil.Must(t, env.db.Model(&model.Subscription{}).Where("ticket_id = ? AND user_id = ?", tk.ID, bob.ID).Count(&n).Error)
			if n != 1 {
				t.Errorf("%d subscriptions", n)
			}
		})

		t.Run("invalid fields", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": 99999999, "user_id": bob.ID}, asBob).expectField(t, "ticket_id", "not_found")
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk.ID, "user_id": 99999999}, asAlice).expectField(t, "user_id", "not_found")
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"user_id": bob.ID}, asBob).expectField(t, "ticket_id", "required")
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk.ID}, asBob).expectField(t, "user_id", "required")
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk.ID, "user_id": "bob"}, asBob).expectField(t, "user_id", "type")
		})

		t.Run("others are subscribed only by administrators, super users, the creator and the assignee", func(t *testing.T) {
			dave := testutil.NewUser(t, env.db, "dave", nil)
			erin := testutil.NewUser(t, env.db, "erin", nil)
			frank := testutil.NewUser(t, env.db, "frank", nil)
			subscribe := func(as reqOpt, who *model.User) *response {
				return env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk.ID, "user_id": who.ID}, as)
			}
			unsub := func(who *model.User) {
				testutil.Must(t, env.db.Where("ticket_id = ? AND user_id = ?", tk.ID, who.ID).Delete(&model.Subscription{}).Error)
			}
			// Anyone else: refused, and nobody is subscribed (or mailed).
			subscribe(env.as(dave), erin).expectError(t, http.StatusForbidden, "forbidden")
			var n int64
			testutil.Must(t, env.db.Model(&model.Subscription{}).Where("ticket_id = ? AND user_id = ?", tk.ID, erin.ID).Count(&n).Error)
			if n != 0 {
				t.Fatal("a bystander subscribed someone else")
			}
			// Themself: fine.
			subscribe(env.as(dave), dave).expect(t, http.StatusCreated)
			// The assignee, a super user and an administrator may.
			env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(tk.ID)+"/assign", map[string]any{"user_id": frank.ID}, env.as(env.admin)).expect(t, http.StatusOK)
			subscribe(env.as(frank), erin).expect(t, http.StatusCreated)
			unsub(erin)
			subscribe(env.as(carol), erin).expect(t, http.StatusCreated)
			unsub(erin)
			subscribe(env.as(env.admin), erin).expect(t, http.StatusCreated)
		})

		t.Run("only oneself, or an administrator or super user, unsubscribes", func(t *testing.T) {
			path := "/flicket-api/subscription/" + itoa(sub.ID)
			env.call(http.MethodDelete, path, nil, asAlice).expectError(t, http.StatusForbidden, "forbidden")
			env.clock.Advance(time.Hour)
			env.call(http.MethodDelete, path, nil, asBob).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, path, nil, asBob).expectError(t, http.StatusNotFound, "not_found")
			acts := actionsOf(t, env, tk.ID)
			a := acts[len(acts)-1]
			if a.Action != model.ActionUnsubscribe || *a.RecipientID != bob.ID || *a.UserID != bob.ID {
				t.Errorf("action = %+v", a)
			}
			if lu := reloadTicket(t, env, tk.ID).LastUpdated; !sameInstant(lu, env.clock.Now()) {
				t.Errorf("last_updated = %v", lu)
			}
			env.call(http.MethodDelete, path, nil, asBob).expectError(t, http.StatusNotFound, "not_found")

			// A super user and an administrator may remove others.
			var aliceSub model.Subscription
			testutil.Must(t, env.db.Where("ticket_id = ? AND user_id = ?", tk.ID, alice.ID).First(&aliceSub).Error)
			env.call(http.MethodDelete, "/flicket-api/subscription/"+itoa(aliceSub.ID), nil, env.as(carol)).expect(t, http.StatusNoContent)
			var again Subscription
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk.ID, "user_id": bob.ID}, asBob).
				expect(t, http.StatusCreated).decode(t, &again)
			env.call(http.MethodDelete, "/flicket-api/subscription/"+itoa(again.ID), nil, env.as(env.admin)).expect(t, http.StatusNoContent)
		})
	})
}
