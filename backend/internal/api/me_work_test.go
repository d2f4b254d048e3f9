package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestMyQueuesAndDashboard(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		req := testutil.NewUser(t, env.db, "requester", nil)
		agent := testutil.NewUser(t, env.db, "agent", nil)
		asReq, asAgent := env.as(req), env.as(agent)
		// The requester's: a answered by the agent (waiting on the
		// requester), b answered by the requester last (not waiting), c
		// answered then closed (not waiting), d without replies.
		a := tkCreate(t, env, req, map[string]any{"title": "Answered"})
		b := tkCreate(t, env, req, map[string]any{"title": "Own last"})
		c := tkCreate(t, env, req, map[string]any{"title": "Closed"})
		tkCreate(t, env, req, map[string]any{"title": "Silent"})
		env.clock.Advance(time.Minute)
		tkPost(t, env, a, agent, "Try rebooting", 0)
		tkPost(t, env, b, agent, "Try rebooting", 0)
		tkPost(t, env, b, req, "Did, still broken", 0)
		tkPost(t, env, c, agent, "Fixed", 0)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(c)+"/close", nil, asReq).expect(t, http.StatusOK)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(b)+"/assign", map[string]any{"user_id": agent.ID}, env.as(env.admin)).expect(t, http.StatusOK)

		t.Run("needs a token", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/me/queues", nil).expectError(t, http.StatusUnauthorized, "")
			env.call(http.MethodGet, "/flicket-api/me/dashboard", nil).expectError(t, http.StatusUnauthorized, "")
		})

		t.Run("each queue's count is its list's total", func(t *testing.T) {
			for _, who := range []struct {
				as reqOpt
				id int64
			}{{asReq, req.ID}, {asAgent, agent.ID}} {
				var q QueueCounts
				env.call(http.MethodGet, "/flicket-api/me/queues", nil, who.as).expect(t, http.StatusOK).decode(t, &q)
				for query, got := range map[string]int64{
					"": q.All, "view=mine": q.Mine, "created_id=" + itoa(who.id): q.Created,
					"assigned_id=" + itoa(who.id): q.Assigned, "view=subscribed": q.Subscribed, "view=waiting": q.Waiting,
				} {
					var e Envelope[TicketListItem]
					env.call(http.MethodGet, "/flicket-api/tickets/?"+query, nil, who.as).expect(t, http.StatusOK).decode(t, &e)
					if e.Meta.TotalItems != got {
						t.Errorf("user %d, %q: count %d, list total %d", who.id, query, got, e.Meta.TotalItems)
					}
				}
			}
			var q QueueCounts
			env.call(http.MethodGet, "/flicket-api/me/queues", nil, asReq).expect(t, http.StatusOK).decode(t, &q)
			if q.All != 4 || q.Created != 4 || q.Waiting != 1 || q.Assigned != 0 {
				t.Errorf("requester's queues = %+v", q)
			}
		})

		t.Run("queue counts cost the same whatever the number of tickets", func(t *testing.T) {
			sql := tkWatchSQL(t, env.db)
			n := len(sql.during(func() { env.call(http.MethodGet, "/flicket-api/me/queues", nil, asReq).expect(t, http.StatusOK) }))
			for range 10 {
				tkCreate(t, env, req, nil)
			}
			m := len(sql.during(func() { env.call(http.MethodGet, "/flicket-api/me/queues", nil, asReq).expect(t, http.StatusOK) }))
			// The token check and one statement per queue.
			if n != m || n > 7 {
				t.Errorf("%d statements, then %d with more tickets", n, m)
			}
		})

		t.Run("the dashboard's sections", func(t *testing.T) {
			var d MyDashboard
			env.call(http.MethodGet, "/flicket-api/me/dashboard", nil, asReq).expect(t, http.StatusOK).decode(t, &d)
			if d.Waiting.Total != 1 || len(d.Waiting.Items) != 1 || d.Waiting.Items[0].ID != a || d.Waiting.Query != "sort=last_updated_desc&view=waiting" {
				t.Errorf("waiting = %+v", d.Waiting)
			}
			if !d.Waiting.Items[0].Unread {
				t.Error("the agent's reply is not unread for the requester")
			}
			if d.Following.Total != 14 || len(d.Following.Items) != dashboardItems || d.Following.Query != "sort=last_updated_desc&view=subscribed" {
				t.Errorf("following = %d %d %q", d.Following.Total, len(d.Following.Items), d.Following.Query)
			}
			if d.Assigned.Total != 0 || len(d.Assigned.Items) != 0 {
				t.Errorf("requester's assigned = %+v", d.Assigned)
			}
			env.call(http.MethodGet, "/flicket-api/me/dashboard", nil, asAgent).expect(t, http.StatusOK).decode(t, &d)
			if d.Assigned.Total != 1 || d.Assigned.Items[0].ID != b || !strings.Contains(d.Assigned.Query, "assigned_id="+itoa(agent.ID)) ||
				!strings.Contains(d.Assigned.Query, "state=open") {
				t.Errorf("agent's assigned = %+v", d.Assigned)
			}
			if d.Waiting.Total != 0 {
				t.Errorf("agent's waiting = %+v", d.Waiting)
			}
			// Each section's query gives the list with its total.
			for _, sec := range []DashboardSection{d.Assigned, d.Waiting, d.Following} {
				var e Envelope[TicketListItem]
				env.call(http.MethodGet, "/flicket-api/tickets/?"+sec.Query, nil, asAgent).expect(t, http.StatusOK).decode(t, &e)
				if e.Meta.TotalItems != sec.Total {
					t.Errorf("%s: list total %d, section %d", sec.Query, e.Meta.TotalItems, sec.Total)
				}
			}
		})

		t.Run("waiting follows replies written and deleted", func(t *testing.T) {
			p := tkPost(t, env, a, req, "Rebooted, fine now", 0)
			var q QueueCounts
			env.call(http.MethodGet, "/flicket-api/me/queues", nil, asReq).expect(t, http.StatusOK).decode(t, &q)
			if q.Waiting != 0 {
				t.Errorf("waiting after the requester's reply = %d", q.Waiting)
			}
			env.call(http.MethodDelete, "/flicket-api/post/"+itoa(p), nil, asReq).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, "/flicket-api/me/queues", nil, asReq).expect(t, http.StatusOK).decode(t, &q)
			if q.Waiting != 1 {
				t.Errorf("waiting after deleting it = %d", q.Waiting)
			}
		})
	})
}
