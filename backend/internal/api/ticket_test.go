package api

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/markdown"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// ---- helpers shared by the ticket tests (prefixed tk to stay clear of other
// resources' test helpers) ----

// tkCreate opens a ticket through the API as u; fields override the defaults.
func tkCreate(t *testing.T, env *testEnv, u *model.User, fields map[string]any) int64 {
	t.Helper()
	body := map[string]any{
		"title": "A ticket title", "content": "Some ticket content",
		"category_id": 1, "ticket_priority_id": 1,
	}
	for k, v := range fields {
		body[k] = v
	}
	r := env.call(http.MethodPost, "/flicket-api/tickets", body, env.as(u)).expect(t, http.StatusCreated)
	var out struct{ ID int64 }
	r.decode(t, &out)
	return out.ID
}

// tkTicket loads a ticket row straight from the database.
func tkTicket(t *testing.T, env *testEnv, id int64) *model.Ticket {
	t.Helper()
	tk, err := model.FindTicket(context.Background(), env.db, id)
	testutil.Must(t, err)
	return tk
}

// tkUser reloads a user row.
func tkUser(t *testing.T, env *testEnv, id int64) *model.User {
	t.Helper()
	var u model.User
	testutil.Must(t, env.db.First(&u, id).Error)
	testutil.Must(t, model.LoadUserTotals(context.Background(), env.db, &u))
	return &u
}

// tkPost adds a reply through the model (model.CreatePost, on the test's
// clock): row, counters, subscription, search, as the replies endpoint does.
func tkPost(t *testing.T, env *testEnv, ticketID int64, author *model.User, content string, hours model.Hours) int64 {
	t.Helper()
	return testutil.NewPost(t, env.srv.writer, ticketID, author, content, hours).ID
}

// tkActions returns a ticket's action rows in order.
func tkActions(t *testing.T, env *testEnv, ticketID int64) []model.Action {
	t.Helper()
	var out []model.Action
	testutil.Must(t, env.db.Where("ticket_id = ?", ticketID).Order("id").Find(&out).Error)
	return out
}

// tkActionData decodes an action's data.
func tkActionData(t *testing.T, a model.Action) map[string]any {
	t.Helper()
	if a.Data == nil {
		return nil
	}
	var m map[string]any
	testutil.Must(t, json.Unmarshal([]byte(*a.Data), &m))
	return m
}

// tkSubscribed tells whether the user is subscribed to the ticket.
func tkSubscribed(t *testing.T, env *testEnv, ticketID, userID int64) bool {
	t.Helper()
	var n int64
	testutil.Must(t, env.db.Model(&model.Subscription{}).Where("ticket_id = ? AND user_id = ?", ticketID, userID).Count(&n).Error)
	return n > 0
}

// tkCheckCounters fails unless every denormalised counter equals what the
// rows say: ticket_counts (summed over shards), tickets.num_replies and
// total_hours, users' total_posts and total_assigned (row plus shards).
func tkCheckCounters(t *testing.T, env *testEnv) {
	t.Helper()
	var tickets []model.Ticket
	var posts []model.Post
	var users []model.User
	var counts []model.TicketCount
	testutil.Must(t, env.db.Find(&tickets).Error)
	testutil.Must(t, env.db.Find(&posts).Error)
	testutil.Must(t, env.db.Find(&users).Error)
	testutil.Must(t, env.db.Find(&counts).Error)
	for i := range users {
		testutil.Must(t, model.LoadUserTotals(context.Background(), env.db, &users[i]))
	}

	type cell struct{ cat, st, pr int64 }
	want := map[cell]int64{}
	replies := map[int64]int64{}
	hours := map[int64]model.Hours{}
	posted := map[int64]int64{}
	assigned := map[int64]int64{}
	for _, tk := range tickets {
		want[cell{tk.CategoryID, tk.StatusID, tk.TicketPriorityID}]++
		if tk.StartedID != nil {
			posted[*tk.StartedID]++
		}
		if tk.AssignedID != nil {
			assigned[*tk.AssignedID]++
		}
		hours[tk.ID] += tk.Hours
	}
	for _, p := range posts {
		replies[p.TicketID]++
		hours[p.TicketID] += p.Hours
		if p.UserID != nil {
			posted[*p.UserID]++
		}
	}
	got := map[cell]int64{} // summed over the shards
	for _, c := range counts {
		got[cell{c.CategoryID, c.StatusID, c.TicketPriorityID}] += c.N
	}
	for k, n := range got {
		if n == 0 {
			delete(got, k)
		}
	}
	if len(got) != len(want) {
		t.Errorf("ticket_counts %v, real counts %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("ticket_counts %+v = %d, real COUNT %d", k, got[k], n)
		}
	}
	for _, tk := range tickets {
		if tk.NumReplies != replies[tk.ID] {
			t.Errorf("ticket %d num_replies = %d, real %d", tk.ID, tk.NumReplies, replies[tk.ID])
		}
		if tk.TotalHours != hours[tk.ID] {
			t.Errorf("ticket %d total_hours = %s, real %s", tk.ID, tk.TotalHours, hours[tk.ID])
		}
	}
	for _, u := range users {
		if u.TotalPosts != posted[u.ID] {
			t.Errorf("user %s total_posts = %d, real %d", u.Username, u.TotalPosts, posted[u.ID])
		}
		if u.TotalAssigned != assigned[u.ID] {
			t.Errorf("user %s total_assigned = %d, real %d", u.Username, u.TotalAssigned, assigned[u.ID])
		}
	}
}

// tkSameTime compares stored times to the millisecond MariaDB keeps.
func tkSameTime(a, b time.Time) bool {
	d := a.Sub(b)
	return d < time.Millisecond && d > -time.Millisecond
}

// tkKeys returns the sorted keys of a JSON object.
func tkKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The original's ticket keys (oracle 18_get_ticket_1) plus ours.
var (
	tkOriginalKeys = []string{
		"assigned_id", "category_id", "content", "date_added", "date_modified", "id", "links",
		"modified_id", "started_id", "status_id", "ticket_priority_id", "title",
	}
	tkAddedKeys = []string{
		"assigned_to", "category", "content_html", "department", "department_id", "hours",
		"last_updated", "modified_by", "num_replies", "number", "priority", "started_by",
		"status", "total_hours",
	}
	tkLinkKeys = []string{
		"assigned", "category", "histories", "modified_by", "priority", "self", "started_ny",
		"status", "subscribers", "tickets",
	}
)

// tkCanKeys are the keys of a single ticket's can object.
var tkCanKeys = []string{
	"assign", "change_category", "change_priority", "change_status", "change_status_to", "claim",
	"close", "delete", "edit", "release", "reply", "subscribe", "subscribe_others",
}

// tkCheckShape checks a list item has exactly the original's keys plus
// ours, and the original's links.
func tkCheckShape(t *testing.T, m map[string]any) {
	t.Helper()
	tkCheckKeys(t, m, []string{"unread"}) // the caller's seen mark (ticket_seen.go)
}

// tkCheckDetail checks a single ticket: a list item's keys and can.
func tkCheckDetail(t *testing.T, m map[string]any) {
	t.Helper()
	tkCheckKeys(t, m, []string{"can"})
	can, _ := m["can"].(map[string]any)
	if got := tkKeys(can); strings.Join(got, ",") != strings.Join(tkCanKeys, ",") {
		t.Errorf("can keys %v, want %v", got, tkCanKeys)
	}
}

func tkCheckKeys(t *testing.T, m map[string]any, extra []string) {
	t.Helper()
	want := append(append(append([]string{}, tkOriginalKeys...), tkAddedKeys...), extra...)
	sort.Strings(want)
	if got := tkKeys(m); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ticket keys\n got %v\nwant %v", got, want)
	}
	links, _ := m["links"].(map[string]any)
	if got := tkKeys(links); strings.Join(got, ",") != strings.Join(tkLinkKeys, ",") {
		t.Errorf("ticket link keys %v, want %v", got, tkLinkKeys)
	}
}

func TestTicketCreate(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil, testutil.WithName("James Smith"))
		asJames := env.as(james)

		t.Run("201 with the original's shape, an absolute Location and our additions", func(t *testing.T) {
			now := env.clock.Now()
			r := env.call(http.MethodPost, "/flicket-api/tickets", map[string]any{
				"title": "this is my ticket", "content": "this is **my** content",
				"category_id": 1, "ticket_priority_id": 3, "hours": 1.25,
			}, asJames).expect(t, http.StatusCreated)
			m := r.object(t)
			tkCheckDetail(t, m)
			id := int64(m["id"].(float64))
			if loc := r.Header.Get("Location"); loc != testBase+"/ticket/"+itoa(id) {
				t.Errorf("Location = %q", loc)
			}
			html := markdown.New().MustRender("this is **my** content")
			date := apiTime(now)
			dateJSON, _ := date.MarshalJSON()
			idStr, num := itoa(id), model.TicketNumber(id)
			jid := itoa(james.ID)
			assertJSON(t, r.Body, `{
			 "assigned_id": null, "assigned_to": null,
			 "can": {
			  "assign": true, "change_category": false, "change_priority": true, "change_status": true,
			  "change_status_to": [1, 3, 4], "claim": true, "close": true, "delete": false, "edit": true,
			  "release": false, "reply": true, "subscribe": true, "subscribe_others": true
			 },
			 "category": "Dataset", "category_id": 1,
			 "content": "this is **my** content", "content_html": `+strings.TrimSpace(string(tkJSON(t, html)))+`,
			 "date_added": `+string(dateJSON)+`, "date_modified": null,
			 "department": "Design", "department_id": 1,
			 "hours": 1.25, "id": `+idStr+`, "last_updated": `+string(dateJSON)+`,
			 "links": {
			  "assigned": null,
			  "category": "`+testBase+`/category/1",
			  "histories": "`+testBase+`/histories/?topic_id=`+idStr+`",
			  "modified_by": null,
			  "priority": "`+testBase+`/priority/3",
			  "self": "`+testBase+`/ticket/`+idStr+`",
			  "started_ny": "`+testBase+`/user/`+jid+`",
			  "status": "`+testBase+`/status/1",
			  "subscribers": "`+testBase+`/subscriptions/`+idStr+`/",
			  "tickets": "`+testBase+`/tickets/"
			 },
			 "modified_by": null, "modified_id": null, "num_replies": 0, "number": "`+num+`",
			 "priority": "high",
			 "started_by": {"id": `+jid+`, "name": "James Smith", "username": "james"},
			 "started_id": `+jid+`, "status": "Open", "status_id": 1,
			 "ticket_priority_id": 3, "title": "this is my ticket", "total_hours": 1.25
			}`)

			// Side effects: Open, subscribed creator, counters.
			tk := tkTicket(t, env, id)
			if tk.StatusID != model.StatusOpen || !tk.LastUpdated.Equal(tk.DateAdded) || tk.TotalHours != 125 {
				t.Errorf("stored ticket = %+v", tk)
			}
			if !tkSubscribed(t, env, id, james.ID) {
				t.Error("creator not subscribed")
			}
			if u := tkUser(t, env, james.ID); u.TotalPosts != 1 {
				t.Errorf("total_posts = %d", u.TotalPosts)
			}
			if acts := tkActions(t, env, id); len(acts) != 0 {
				t.Errorf("creation logged actions: %+v", acts)
			}
			tkCheckCounters(t, env)
		})

		t.Run("the created ticket reads back the same", func(t *testing.T) {
			id := tkCreate(t, env, james, nil)
			created := env.call(http.MethodGet, "/flicket-api/ticket/"+itoa(id), nil, asJames).expect(t, http.StatusOK)
			tkCheckDetail(t, created.object(t))
			if n := created.object(t)["number"]; n != model.TicketNumber(id) {
				t.Errorf("number = %v", n)
			}
		})

		t.Run("422 per field", func(t *testing.T) {
			long := func(n int) string { return strings.Repeat("x", n) }
			cases := []struct {
				name  string
				body  map[string]any
				field string
				code  string
			}{
				{"title missing", map[string]any{"title": nil}, "title", "required"},
				{"title short", map[string]any{"title": "ab"}, "title", "min"},
				{"title long", map[string]any{"title": long(129)}, "title", "max"},
				{"title blank", map[string]any{"title": "     "}, "title", "nonblank"},
				{"content missing", map[string]any{"content": nil}, "content", "required"},
				{"content short", map[string]any{"content": "abcd"}, "content", "min"},
				{"content long", map[string]any{"content": long(5001)}, "content", "max"},
				{"category missing", map[string]any{"category_id": nil}, "category_id", "required"},
				{"category unknown", map[string]any{"category_id": 9999}, "category_id", "not_found"},
				{"category as string", map[string]any{"category_id": "1"}, "category_id", "type"},
				{"priority missing", map[string]any{"ticket_priority_id": nil}, "ticket_priority_id", "required"},
				{"priority unknown", map[string]any{"ticket_priority_id": 99}, "ticket_priority_id", "not_found"},
				{"hours negative", map[string]any{"hours": -1}, "hours", "gte"},
				{"hours too many", map[string]any{"hours": 10000}, "hours", "lte"},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					body := map[string]any{"title": "A title", "content": "Some content", "category_id": 1, "ticket_priority_id": 1}
					for k, v := range tc.body {
						if v == nil {
							delete(body, k)
						} else {
							body[k] = v
						}
					}
					env.call(http.MethodPost, "/flicket-api/tickets", body, asJames).expectField(t, tc.field, tc.code)
				})
			}
			// The original's messages are kept.
			r := env.call(http.MethodPost, "/flicket-api/tickets", map[string]any{
				"title": "A title", "content": "Some content", "category_id": 9999, "ticket_priority_id": 1,
			}, asJames)
			if b := r.expectField(t, "category_id", "not_found"); b.Message != "not a valid category_id" {
				t.Errorf("message = %q", b.Message)
			}
			r = env.call(http.MethodPost, "/flicket-api/tickets", map[string]any{
				"title": "A title", "content": "Some content", "category_id": 1, "ticket_priority_id": 99,
			}, asJames)
			if b := r.expectField(t, "ticket_priority_id", "not_found"); b.Message != "not a valid ticket_priority_id" {
				t.Errorf("message = %q", b.Message)
			}
			tkCheckCounters(t, env)
		})

		t.Run("malformed body and no token", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/tickets", `{"title":`, asJames).expectError(t, http.StatusBadRequest, "request.malformed_json")
			env.call(http.MethodPost, "/flicket-api/tickets", map[string]any{"title": "x"}).expect(t, http.StatusUnauthorized)
		})
	})
}

func tkJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	testutil.Must(t, err)
	return b
}

func TestTicketGet(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil)
		id := tkCreate(t, env, james, nil)
		as := env.as(env.admin)

		t.Run("names, users and counts", func(t *testing.T) {
			tkPost(t, env, id, env.admin, "a reply", 50)
			env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(id)+"/assign", map[string]any{"user_id": env.admin.ID}, as).expect(t, http.StatusOK)
			m := env.call(http.MethodGet, "/flicket-api/ticket/"+itoa(id), nil, as).expect(t, http.StatusOK).object(t)
			tkCheckDetail(t, m)
			if m["status"] != "In Work" || m["num_replies"] != 1.0 || m["total_hours"] != 0.5 || m["hours"] != 0.0 {
				t.Errorf("ticket = %v", m)
			}
			if a, _ := m["assigned_to"].(map[string]any); a["username"] != "admin" || a["id"] != float64(env.admin.ID) {
				t.Errorf("assigned_to = %v", m["assigned_to"])
			}
			if l := m["links"].(map[string]any); l["assigned"] != testBase+"/user/"+itoa(env.admin.ID) {
				t.Errorf("links.assigned = %v", l["assigned"])
			}
		})

		t.Run("a deleted creator is null", func(t *testing.T) {
			ghost := testutil.NewUser(t, env.db, "ghost", nil)
			gid := tkCreate(t, env, ghost, nil)
			testutil.Must(t, env.db.Delete(&model.User{}, ghost.ID).Error)
			m := env.call(http.MethodGet, "/flicket-api/ticket/"+itoa(gid), nil, as).expect(t, http.StatusOK).object(t)
			if m["started_by"] != nil || m["started_id"] != nil || m["links"].(map[string]any)["started_ny"] != nil {
				t.Errorf("ghost ticket = %v", m)
			}
		})

		t.Run("404", func(t *testing.T) {
			for _, p := range []string{"999999", "0", "abc", "99999999999999999999"} {
				env.call(http.MethodGet, "/flicket-api/ticket/"+p, nil, as).expectError(t, http.StatusNotFound, "not_found")
			}
		})
	})
}

func TestTicketUpdate(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil, testutil.WithName("James Smith"))
		stranger := testutil.NewUser(t, env.db, "stranger", nil)
		asJames, asAdmin := env.as(james), env.as(env.admin)
		id := tkCreate(t, env, james, map[string]any{"content": "first version", "hours": 1})
		path := "/flicket-api/ticket/" + itoa(id)

		t.Run("creator edits title and body: history keeps the old text", func(t *testing.T) {
			env.clock.Advance(time.Minute)
			r := env.call(http.MethodPatch, path, map[string]any{"title": "New title", "content": "second version"}, asJames).expect(t, http.StatusOK)
			m := r.object(t)
			if m["title"] != "New title" || m["content"] != "second version" || m["modified_id"] != float64(james.ID) {
				t.Errorf("edited = %v", m)
			}
			if mb, _ := m["modified_by"].(map[string]any); mb["username"] != "james" {
				t.Errorf("modified_by = %v", m["modified_by"])
			}
			tk := tkTicket(t, env, id)
			if tk.DateModified == nil || !tkSameTime(*tk.DateModified, env.clock.Now()) || !tkSameTime(tk.LastUpdated, env.clock.Now()) {
				t.Errorf("dates = %v %v", tk.DateModified, tk.LastUpdated)
			}
			var hs []model.History
			testutil.Must(t, env.db.Where("ticket_id = ?", id).Order("id").Find(&hs).Error)
			if len(hs) != 1 || hs[0].OriginalContent != "first version" || hs[0].UserID == nil || *hs[0].UserID != james.ID {
				t.Fatalf("history = %+v", hs)
			}
		})

		t.Run("the next edit credits the previous modifier", func(t *testing.T) {
			env.call(http.MethodPatch, path, map[string]any{"content": "third version"}, asAdmin).expect(t, http.StatusOK)
			env.call(http.MethodPatch, path, map[string]any{"content": "fourth version"}, asJames).expect(t, http.StatusOK)
			var hs []model.History
			testutil.Must(t, env.db.Where("ticket_id = ?", id).Order("id").Find(&hs).Error)
			if len(hs) != 3 || hs[1].OriginalContent != "second version" || *hs[1].UserID != james.ID ||
				hs[2].OriginalContent != "third version" || *hs[2].UserID != env.admin.ID {
				t.Fatalf("histories = %+v", hs)
			}
		})

		t.Run("same text is no history", func(t *testing.T) {
			before := len(tkActions(t, env, id))
			var n0, n1 int64
			env.db.Model(&model.History{}).Count(&n0)
			env.call(http.MethodPatch, path, map[string]any{"content": "fourth version", "title": "New title"}, asJames).expect(t, http.StatusOK)
			env.db.Model(&model.History{}).Count(&n1)
			if n0 != n1 || len(tkActions(t, env, id)) != before {
				t.Errorf("a no-op edit wrote history or actions")
			}
		})

		t.Run("priority change is an action", func(t *testing.T) {
			env.call(http.MethodPatch, path, map[string]any{"ticket_priority_id": 2}, asJames).expect(t, http.StatusOK)
			acts := tkActions(t, env, id)
			last := acts[len(acts)-1]
			d := tkActionData(t, last)
			if last.Action != "priority" || d["priority_id"] != 2.0 || d["priority"] != "medium" || *last.UserID != james.ID {
				t.Errorf("action = %+v %v", last, d)
			}
		})

		t.Run("hours: total_hours follows", func(t *testing.T) {
			tkPost(t, env, id, env.admin, "reply with time", 25)
			m := env.call(http.MethodPatch, path, map[string]any{"hours": 2.5}, asJames).expect(t, http.StatusOK).object(t)
			if m["hours"] != 2.5 || m["total_hours"] != 2.75 {
				t.Errorf("hours %v total %v", m["hours"], m["total_hours"])
			}
			tkCheckCounters(t, env)
		})

		t.Run("category change follows the switches", func(t *testing.T) {
			// change_category is off: the creator may not, an administrator may.
			env.call(http.MethodPatch, path, map[string]any{"category_id": 5}, asJames).expectError(t, http.StatusForbidden, "forbidden")
			if tkTicket(t, env, id).CategoryID != 1 {
				t.Fatal("a refused category change was saved")
			}
			m := env.call(http.MethodPatch, path, map[string]any{"category_id": 5}, asAdmin).expect(t, http.StatusOK).object(t)
			if m["category_id"] != 5.0 || m["department"] != "Manufacturing" || m["category"] != "Process Planning" {
				t.Errorf("re-filed = %v", m)
			}
			acts := tkActions(t, env, id)
			last := acts[len(acts)-1]
			assertJSON(t, []byte(*last.Data), `{"category": "Process Planning", "category_id": 5,
				"department": "Manufacturing", "department_category": "Manufacturing / Process Planning", "department_id": 2}`)
			if last.Action != "department_category" {
				t.Errorf("action = %s", last.Action)
			}
			tkCheckCounters(t, env)
			testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = 1").Update("change_category", true).Error)
			env.call(http.MethodPatch, path, map[string]any{"category_id": 1}, asJames).expect(t, http.StatusOK)
			tkCheckCounters(t, env)
		})

		t.Run("422 per field", func(t *testing.T) {
			cases := []struct {
				body  map[string]any
				field string
				code  string
			}{
				{map[string]any{"title": "ab"}, "title", "min"},
				{map[string]any{"title": strings.Repeat("t", 129)}, "title", "max"},
				{map[string]any{"content": "abc"}, "content", "min"},
				{map[string]any{"content": strings.Repeat("c", 5001)}, "content", "max"},
				{map[string]any{"hours": -0.5}, "hours", "gte"},
				{map[string]any{"ticket_priority_id": 42}, "ticket_priority_id", "not_found"},
				{map[string]any{"category_id": 4242}, "category_id", "not_found"},
				{map[string]any{"category_id": "x"}, "category_id", "type"},
			}
			for _, tc := range cases {
				env.call(http.MethodPatch, path, tc.body, asAdmin).expectField(t, tc.field, tc.code)
			}
		})

		t.Run("403 for a stranger, 404 for an unknown ticket", func(t *testing.T) {
			env.call(http.MethodPatch, path, map[string]any{"title": "Mine now"}, env.as(stranger)).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodPatch, "/flicket-api/ticket/999999", map[string]any{"title": "Whatever"}, asAdmin).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("409 once closed", func(t *testing.T) {
			env.call(http.MethodPost, path+"/close", nil, asJames).expect(t, http.StatusOK)
			env.call(http.MethodPatch, path, map[string]any{"title": "Too late"}, asJames).expectError(t, http.StatusConflict, "ticket.closed")
			env.call(http.MethodPatch, path, map[string]any{"title": "Too late"}, asAdmin).expectError(t, http.StatusConflict, "ticket.closed")
		})
	})
}

func TestTicketDelete(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil)
		mary := testutil.NewUser(t, env.db, "mary", nil)
		su := testutil.NewUser(t, env.db, "super", []string{model.SuperUserGroup})
		asAdmin := env.as(env.admin)

		keep := tkCreate(t, env, james, nil)
		id := tkCreate(t, env, james, map[string]any{"hours": 1})
		path := "/flicket-api/ticket/" + itoa(id)
		r1 := tkPost(t, env, id, mary, "first reply", 100)
		tkPost(t, env, id, mary, "second reply", 0)
		tkPost(t, env, id, env.admin, "third reply", 0)
		tkPost(t, env, keep, mary, "reply elsewhere", 0)
		env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": mary.ID}, asAdmin).expect(t, http.StatusOK)
		env.call(http.MethodPatch, path, map[string]any{"content": "edited body"}, env.as(james)).expect(t, http.StatusOK)
		testutil.Must(t, model.RecordHistory(context.Background(), env.db, &model.History{PostID: &r1, OriginalContent: "old reply", UserID: &mary.ID}))

		// Attachments on the ticket and on a reply, with their files.
		dir := env.srv.cfg.UploadDir
		files := []string{"ticketfile.txt", "replyfile.txt"}
		for i, name := range files {
			u := model.Upload{Filename: name, OriginalFilename: name, ContentType: "text/plain", DateAdded: env.clock.Now()}
			if i == 0 {
				u.TicketID = &id
			} else {
				u.PostID = &r1
			}
			testutil.Must(t, env.db.Create(&u).Error)
			testutil.Must(t, os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600))
		}
		tkCheckCounters(t, env)

		t.Run("403 for anyone but an administrator", func(t *testing.T) {
			for _, u := range []*model.User{james, su} {
				env.call(http.MethodDelete, path, nil, env.as(u)).expectError(t, http.StatusForbidden, "forbidden")
			}
		})

		t.Run("204 removes everything and fixes every counter", func(t *testing.T) {
			env.call(http.MethodDelete, path, nil, asAdmin).expect(t, http.StatusNoContent)
			for _, tc := range []struct {
				model any
				where string
			}{
				{&model.Ticket{}, "id = ?"}, {&model.Post{}, "ticket_id = ?"}, {&model.Subscription{}, "ticket_id = ?"},
				{&model.Action{}, "ticket_id = ?"}, {&model.History{}, "ticket_id = ?"}, {&model.Upload{}, "ticket_id = ?"},
			} {
				var n int64
				testutil.Must(t, env.db.Model(tc.model).Where(tc.where, id).Count(&n).Error)
				if n != 0 {
					t.Errorf("%T: %d rows left", tc.model, n)
				}
			}
			// Reply histories and reply attachments go with the replies.
			for _, m := range []any{&model.History{}, &model.Upload{}} {
				var n int64
				testutil.Must(t, env.db.Model(m).Count(&n).Error)
				if n != 0 {
					t.Errorf("%T: %d rows left", m, n)
				}
			}
			for _, name := range files {
				if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
					t.Errorf("file %s still on disk (%v)", name, err)
				}
			}
			tkCheckCounters(t, env)
			if u := tkUser(t, env, mary.ID); u.TotalPosts != 1 || u.TotalAssigned != 0 {
				t.Errorf("mary = %d posts %d assigned", u.TotalPosts, u.TotalAssigned)
			}
			if u := tkUser(t, env, james.ID); u.TotalPosts != 1 {
				t.Errorf("james total_posts = %d", u.TotalPosts)
			}
			env.call(http.MethodGet, "/flicket-api/ticket/"+itoa(keep), nil, asAdmin).expect(t, http.StatusOK)
		})

		t.Run("404", func(t *testing.T) {
			env.call(http.MethodDelete, path, nil, asAdmin).expectError(t, http.StatusNotFound, "not_found")
		})
	})
}
