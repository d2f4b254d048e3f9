package api

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestPostsRead(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil, testutil.WithName("Alice Adams"))
		bob := testutil.NewUser(t, env.db, "bob", []string{model.SuperUserGroup}, testutil.WithName("Bob Brown"))
		jt := "Technician"
		testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", bob.ID).Update("job_title", jt).Error)
		tk := seedPostTicket(t, env, alice)
		empty := seedPostTicket(t, env, alice)
		asAlice, asBob := env.as(alice), env.as(bob)

		// Seven replies, a minute apart, alternating authors.
		var ids []int64
		for i := 0; i < 7; i++ {
			env.clock.Advance(time.Minute)
			as := asAlice
			if i%2 == 1 {
				as = asBob
			}
			p := newPost(t, env, as, map[string]any{"ticket_id": tk.ID, "content": fmt.Sprintf("Reply number %d", i+1)})
			ids = append(ids, p.ID)
		}

		t.Run("one reply in the original's shape plus additions", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/post/"+itoa(ids[1]), nil, asAlice).expect(t, http.StatusOK)
			var p model.Post
			testutil.Must(t, env.db.First(&p, ids[1]).Error)
			want := fmt.Sprintf(`{
			 "can": {"delete": false, "edit": false},
			 "content": "Reply number 2",
			 "content_html": "<p>Reply number 2</p>\n",
			 "data_added": %q,
			 "date_modified": null,
			 "hours": 0,
			 "id": %d,
			 "links": {"created_by": "%s/user/%d", "posts": "%s/posts/%d/", "self": "%s/post/%d"},
			 "modified_by": null,
			 "modified_id": null,
			 "ticket_id": %d,
			 "uploads": [],
			 "user": {"id": %d, "is_admin": false, "is_super_user": true, "job_title": "Technician", "name": "Bob Brown", "username": "bob"},
			 "user_id": %d
			}`, p.DateAdded.UTC().Format(http.TimeFormat), p.ID, testBase, bob.ID, testBase, tk.ID, testBase, p.ID, tk.ID, bob.ID, bob.ID)
			assertJSON(t, r.Body, want)
		})

		t.Run("list: path-paged envelope, written order", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/posts/"+itoa(tk.ID)+"/", nil, asAlice).expect(t, http.StatusOK)
			var e Envelope[postOut]
			r.decode(t, &e)
			if e.Meta != (Meta{Page: 1, PerPage: 50, TotalItems: 7, TotalPages: 1}) {
				t.Errorf("meta = %+v", e.Meta)
			}
			if e.Links.Self != fmt.Sprintf("%s/posts/%d/1/?per_page=50", testBase, tk.ID) || e.Links.Next != nil || e.Links.Prev != nil {
				t.Errorf("links = %+v", e.Links)
			}
			for i, p := range e.Items {
				if p.ID != ids[i] {
					t.Fatalf("order: item %d is %d, want %d", i, p.ID, ids[i])
				}
			}
			if e.Items[0].User == nil || e.Items[0].User.Username != "alice" || e.Items[0].User.JobTitle != nil {
				t.Errorf("author of the first reply = %+v", e.Items[0].User)
			}
		})

		t.Run("page 2 of 5, as in the oracle", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/posts/"+itoa(tk.ID)+"/2/?per_page=5", nil, asAlice).expect(t, http.StatusOK)
			var e Envelope[postOut]
			r.decode(t, &e)
			if e.Meta != (Meta{Page: 2, PerPage: 5, TotalItems: 7, TotalPages: 2}) {
				t.Errorf("meta = %+v", e.Meta)
			}
			if len(e.Items) != 2 || e.Items[0].ID != ids[5] || e.Items[1].ID != ids[6] {
				t.Errorf("page 2 = %+v", e.Items)
			}
			prev := fmt.Sprintf("%s/posts/%d/1/?per_page=5", testBase, tk.ID)
			if e.Links.Next != nil || e.Links.Prev == nil || *e.Links.Prev != prev ||
				e.Links.Self != fmt.Sprintf("%s/posts/%d/2/?per_page=5", testBase, tk.ID) {
				t.Errorf("links = %+v", e.Links)
			}
			// ?page= is ignored where the page is in the path.
			r = env.call(http.MethodGet, "/flicket-api/posts/"+itoa(tk.ID)+"/1/?per_page=5&page=2", nil, asAlice).expect(t, http.StatusOK)
			r.decode(t, &e)
			if e.Meta.Page != 1 || e.Items[0].ID != ids[0] {
				t.Errorf("path page lost to the query: %+v", e.Meta)
			}
		})

		t.Run("a page past the end is empty", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/posts/"+itoa(tk.ID)+"/3/?per_page=5", nil, asAlice).expect(t, http.StatusOK)
			var e Envelope[postOut]
			r.decode(t, &e)
			if len(e.Items) != 0 || e.Meta.TotalItems != 7 {
				t.Errorf("past the end = %+v", e)
			}
		})

		t.Run("ordered by date added, then id", func(t *testing.T) {
			// A reply imported with an earlier date comes first despite its id.
			early := model.Post{TicketID: empty.ID, Content: "late import", UserID: &alice.ID, DateAdded: env.clock.Now().Add(-time.Hour)}
			same1 := model.Post{TicketID: empty.ID, Content: "same time 1", UserID: &alice.ID, DateAdded: env.clock.Now()}
			same2 := model.Post{TicketID: empty.ID, Content: "same time 2", UserID: &alice.ID, DateAdded: env.clock.Now()}
			testutil.Must(t, env.db.Create(&same1).Error)
			testutil.Must(t, env.db.Create(&same2).Error)
			testutil.Must(t, env.db.Create(&early).Error)
			r := env.call(http.MethodGet, "/flicket-api/posts/"+itoa(empty.ID)+"/", nil, asAlice).expect(t, http.StatusOK)
			var e Envelope[postOut]
			r.decode(t, &e)
			if len(e.Items) != 3 || e.Items[0].ID != early.ID || e.Items[1].ID != same1.ID || e.Items[2].ID != same2.ID {
				t.Errorf("order = %+v", e.Items)
			}
			testutil.Must(t, env.db.Delete(&model.Post{}, []int64{early.ID, same1.ID, same2.ID}).Error)
		})

		t.Run("a ticket without replies", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/posts/"+itoa(empty.ID)+"/", nil, asAlice).expect(t, http.StatusOK)
			assertJSON(t, r.Body, fmt.Sprintf(`{"_links": {"next": null, "prev": null, "self": "%s/posts/%d/1/?per_page=50"},
			 "_meta": {"page": 1, "per_page": 50, "total_items": 0, "total_pages": 0}, "items": []}`, testBase, empty.ID))
		})

		t.Run("unknown ticket and reply are 404", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/posts/99999999/", nil, asAlice).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodGet, "/flicket-api/posts/abc/", nil, asAlice).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodGet, "/flicket-api/post/99999999", nil, asAlice).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("needs a token", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/post/"+itoa(ids[0]), nil).expectError(t, http.StatusUnauthorized, "")
		})

		t.Run("no query per reply", func(t *testing.T) {
			qc := countQueries(t, env.db)
			token := env.tokenFor(alice)
			small := qc.during(func() {
				env.call(http.MethodGet, "/flicket-api/posts/"+itoa(tk.ID)+"/?per_page=2", nil, withToken(token)).expect(t, http.StatusOK)
			})
			large := qc.during(func() {
				env.call(http.MethodGet, "/flicket-api/posts/"+itoa(tk.ID)+"/?per_page=7", nil, withToken(token)).expect(t, http.StatusOK)
			})
			if small != large || small == 0 {
				t.Errorf("2 replies took %d queries, 7 took %d", small, large)
			}
		})
	})
}

func TestCreatePost(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		events := &eventRecorder{}
		env.srv.events = events
		alice := testutil.NewUser(t, env.db, "alice", nil, testutil.WithName("Alice Adams"))
		bob := testutil.NewUser(t, env.db, "bob", nil, testutil.WithName("Bob Brown"))
		asBob := env.as(bob)

		t.Run("a reply: 201, Location, shape and every side effect", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice, func(tk *model.Ticket) { tk.Hours = model.HoursFromFloat(2) })
			env.clock.Advance(time.Hour)
			r := env.call(http.MethodPost, "/flicket-api/posts", map[string]any{
				"ticket_id": tk.ID, "content": "Have you tried **water**?", "hours": 1.25,
			}, asBob).expect(t, http.StatusCreated)
			var p postOut
			r.decode(t, &p)
			if loc := r.Header.Get("Location"); loc != testBase+"/post/"+itoa(p.ID) {
				t.Errorf("Location = %q", loc)
			}
			want := fmt.Sprintf(`{
			 "can": {"delete": true, "edit": true},
			 "content": "Have you tried **water**?",
			 "content_html": "<p>Have you tried <strong>water</strong>?</p>\n",
			 "data_added": %q, "date_modified": null, "hours": 1.25, "id": %d,
			 "links": {"created_by": "%s/user/%d", "posts": "%s/posts/%d/", "self": "%s/post/%d"},
			 "modified_by": null, "modified_id": null, "ticket_id": %d, "uploads": [],
			 "user": {"id": %d, "is_admin": false, "is_super_user": false, "job_title": null, "name": "Bob Brown", "username": "bob"},
			 "user_id": %d}`,
				env.clock.Now().Format(http.TimeFormat), p.ID, testBase, bob.ID, testBase, tk.ID, testBase, p.ID, tk.ID, bob.ID, bob.ID)
			assertJSON(t, r.Body, want)

			got := reloadTicket(t, env, tk.ID)
			if got.NumReplies != 1 || got.TotalHours != model.HoursFromFloat(3.25) || !sameInstant(got.LastUpdated, env.clock.Now()) {
				t.Errorf("ticket after reply: replies %d, total_hours %s, last_updated %v", got.NumReplies, got.TotalHours, got.LastUpdated)
			}
			if got.StatusID != model.StatusOpen || len(actionsOf(t, env, tk.ID)) != 0 {
				t.Errorf("a plain reply changed the status or logged actions: %d %+v", got.StatusID, actionsOf(t, env, tk.ID))
			}
			var subs int64
			testutil.Must(t, env.db.Model(&model.Subscription{}).Where("ticket_id = ? AND user_id = ?", tk.ID, bob.ID).Count(&subs).Error)
			if subs != 1 {
				t.Errorf("replier subscribed %d times", subs)
			}
			if reloadUser(t, env, bob.ID).TotalPosts != 1 {
				t.Errorf("replier total_posts not counted")
			}
			evs := events.all()
			last := evs[len(evs)-1]
			if last.Kind != model.EventPostCreated || last.TicketID != tk.ID || last.ActorID != bob.ID || last.PostID == nil || *last.PostID != p.ID {
				t.Errorf("event = %+v", last)
			}
			// A second reply by a subscriber does not subscribe twice.
			newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Again, hello."})
			testutil.Must(t, env.db.Model(&model.Subscription{}).Where("ticket_id = ? AND user_id = ?", tk.ID, bob.ID).Count(&subs).Error)
			if subs != 1 {
				t.Errorf("replier subscribed %d times", subs)
			}
			checkCounters(t, env)
		})

		t.Run("a reply reopens a closed ticket", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice, closedTicket)
			p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "It is broken again."})
			if got := reloadTicket(t, env, tk.ID); got.StatusID != model.StatusOpen {
				t.Errorf("status = %d, want Open", got.StatusID)
			}
			acts := actionsOf(t, env, tk.ID)[1:] // after the seed's close
			if len(acts) != 1 || acts[0].Action != model.ActionReopen || acts[0].PostID == nil || *acts[0].PostID != p.ID ||
				acts[0].UserID == nil || *acts[0].UserID != bob.ID {
				t.Errorf("actions = %+v", acts)
			}
			checkCounters(t, env)
		})

		t.Run("the answer is what GET /post/{id} answers", func(t *testing.T) {
			// The answer is built from what the request holds, not read
			// back: author and roles from the token check, no attachments,
			// the ticket open. Each case against a read of the new reply.
			carol := testutil.NewUser(t, env.db, "carol", nil, testutil.WithName("Carol Clark"))
			testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", carol.ID).Update("job_title", "Technician").Error)
			asCarol, asAdmin := env.as(carol), env.as(env.admin)
			for _, c := range []struct {
				name string
				as   reqOpt
				tk   *model.Ticket
				body map[string]any
			}{
				{"a user with a job title", asCarol, seedPostTicket(t, env, alice), map[string]any{"content": "A *first* reply.", "hours": 0.5}},
				{"to a closed ticket, reopened", asBob, seedPostTicket(t, env, alice, closedTicket), map[string]any{"content": "Broken again."}},
				{"an administrator changing status and priority", asAdmin, seedPostTicket(t, env, alice), map[string]any{"content": "On it.", "status_id": 3, "ticket_priority_id": 3}},
			} {
				c.body["ticket_id"] = c.tk.ID
				r := env.call(http.MethodPost, "/flicket-api/posts", c.body, c.as).expect(t, http.StatusCreated)
				var p postOut
				r.decode(t, &p)
				read := env.call(http.MethodGet, "/flicket-api/post/"+itoa(p.ID), nil, c.as).expect(t, http.StatusOK)
				assertJSON(t, r.Body, string(read.Body))
			}
		})

		t.Run("status and priority change the ticket, logged on the new reply", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			first := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "First reply."})
			p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Working on it.", "status_id": 3, "ticket_priority_id": 3})
			got := reloadTicket(t, env, tk.ID)
			if got.StatusID != model.StatusInWork || got.TicketPriorityID != model.PriorityHigh {
				t.Errorf("ticket = status %d priority %d", got.StatusID, got.TicketPriorityID)
			}
			acts := actionsOf(t, env, tk.ID)
			if len(acts) != 2 {
				t.Fatalf("actions = %+v", acts)
			}
			for _, a := range acts {
				if a.PostID == nil || *a.PostID != p.ID || *a.PostID == first.ID {
					t.Errorf("%s action attached to %v, want the new reply %d", a.Action, a.PostID, p.ID)
				}
			}
			if acts[0].Action != model.ActionStatus || *acts[0].Data != `{"status":"In Work","status_id":3}` {
				t.Errorf("status action = %s %v", acts[0].Action, *acts[0].Data)
			}
			if acts[1].Action != model.ActionPriority || *acts[1].Data != `{"priority":"high","priority_id":3}` {
				t.Errorf("priority action = %s %v", acts[1].Action, *acts[1].Data)
			}
			// The same values again change nothing and log nothing.
			newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Still on it.", "status_id": 3, "ticket_priority_id": 3})
			if n := len(actionsOf(t, env, tk.ID)); n != 2 {
				t.Errorf("%d actions after an unchanged status", n)
			}
			checkCounters(t, env)
		})

		t.Run("a closed ticket replied to with a status: reopened then set", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice, closedTicket)
			newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Waiting for you.", "status_id": 4})
			if got := reloadTicket(t, env, tk.ID); got.StatusID != model.StatusAwaitingInformation {
				t.Errorf("status = %d", got.StatusID)
			}
			acts := actionsOf(t, env, tk.ID)[1:] // after the seed's close
			if len(acts) != 2 || acts[0].Action != model.ActionReopen || acts[1].Action != model.ActionStatus {
				t.Errorf("actions = %+v", acts)
			}
			checkCounters(t, env)
		})

		t.Run("invalid input names the field and writes nothing", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			ok := map[string]any{"ticket_id": tk.ID, "content": "Valid content"}
			with := func(k string, v any) map[string]any {
				m := map[string]any{}
				for kk, vv := range ok {
					m[kk] = vv
				}
				if v == nil {
					delete(m, k)
				} else {
					m[k] = v
				}
				return m
			}
			cases := []struct {
				name, field, code string
				body              any
			}{
				{"no content", "content", "required", with("content", nil)},
				{"blank content", "content", "", with("content", "       ")},
				{"long content", "content", "max", with("content", strings.Repeat("x", 5001))},
				{"no ticket", "ticket_id", "required", with("ticket_id", nil)},
				{"unknown ticket", "ticket_id", "not_found", with("ticket_id", 99999999)},
				{"ticket as a string", "ticket_id", "type", with("ticket_id", "1")},
				{"negative hours", "hours", "gte", with("hours", -1)},
				{"too many hours", "hours", "lte", with("hours", 10000)},
				{"hours as text", "hours", "type", with("hours", "two")},
				{"closing status", "status_id", "closed", with("status_id", 2)},
				{"unknown status", "status_id", "not_found", with("status_id", 99)},
				{"unknown priority", "ticket_priority_id", "not_found", with("ticket_priority_id", 99)},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					env.call(http.MethodPost, "/flicket-api/posts", tc.body, asBob).expectField(t, tc.field, tc.code)
				})
			}
			env.call(http.MethodPost, "/flicket-api/posts", "{", asBob).expectError(t, http.StatusBadRequest, "request.malformed_json")

			if got := reloadTicket(t, env, tk.ID); got.NumReplies != 0 {
				t.Errorf("a refused reply was counted")
			}
			var n int64
			testutil.Must(t, env.db.Model(&model.Post{}).Where("ticket_id = ?", tk.ID).Count(&n).Error)
			if n != 0 {
				t.Errorf("%d replies stored by refused requests", n)
			}
			checkCounters(t, env)
		})

		t.Run("concurrent replies lose no count", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice, closedTicket)
			tokens := []string{env.tokenFor(bob), env.tokenFor(alice), env.tokenFor(env.admin)}
			const n = 9
			codes := make(chan int, n)
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					r := env.call(http.MethodPost, "/flicket-api/posts", map[string]any{
						"ticket_id": tk.ID, "content": fmt.Sprintf("Concurrent reply %d", i), "hours": 0.5,
					}, withToken(tokens[i%len(tokens)]))
					codes <- r.Code
				}(i)
			}
			wg.Wait()
			close(codes)
			for code := range codes {
				if code != http.StatusCreated {
					t.Errorf("a concurrent reply got %d", code)
				}
			}
			got := reloadTicket(t, env, tk.ID)
			if got.NumReplies != n || got.TotalHours != model.HoursFromFloat(0.5*n) || got.StatusID != model.StatusOpen {
				t.Errorf("after %d concurrent replies: %d replies, %s hours, status %d", n, got.NumReplies, got.TotalHours, got.StatusID)
			}
			reopens := 0
			for _, a := range actionsOf(t, env, tk.ID) {
				if a.Action == model.ActionReopen {
					reopens++
				}
			}
			if reopens != 1 {
				t.Errorf("%d reopen actions", reopens)
			}
			checkCounters(t, env)
		})

		t.Run("one author replying to many tickets at once never deadlocks", func(t *testing.T) {
			const n = 8
			tickets := make([]int64, n)
			for i := range tickets {
				tickets[i] = seedPostTicket(t, env, alice).ID
			}
			token := env.tokenFor(bob)
			codes := make(chan int, n)
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					r := env.call(http.MethodPost, "/flicket-api/posts", map[string]any{
						"ticket_id": tickets[i], "content": fmt.Sprintf("Parallel reply %d", i),
					}, withToken(token))
					codes <- r.Code
				}(i)
			}
			wg.Wait()
			close(codes)
			for code := range codes {
				if code != http.StatusCreated {
					t.Errorf("a parallel reply got %d", code)
				}
			}
			checkCounters(t, env)
		})

		t.Run("any non-blank length up to 5000 characters is accepted, counted in characters", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			for _, short := range []string{"Done", "Thx", "k", " ok "} {
				if p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": short}); p.Content != short {
					t.Errorf("content %q stored as %q", short, p.Content)
				}
			}
			newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "héllo"})
			newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": strings.Repeat("é", 5000), "hours": 9999.99})
			checkCounters(t, env)
		})
	})
}
