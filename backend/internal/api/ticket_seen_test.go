package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// seenUnread is the list's unread flag of each ticket, for the caller.
func seenUnread(t *testing.T, env *testEnv, as reqOpt) map[int64]bool {
	t.Helper()
	var e Envelope[TicketListItem]
	env.call(http.MethodGet, "/flicket-api/tickets/?per_page=100", nil, as).expect(t, http.StatusOK).decode(t, &e)
	out := map[int64]bool{}
	for _, it := range e.Items {
		out[it.ID] = it.Unread
	}
	return out
}

func TestTicketSeen(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		agent := testutil.NewUser(t, env.db, "agent", nil)
		requester := testutil.NewUser(t, env.db, "requester", nil)
		asAgent, asReq := env.as(agent), env.as(requester)
		a := tkCreate(t, env, requester, nil)
		b := tkCreate(t, env, requester, nil)
		env.clock.Advance(time.Minute)

		t.Run("needs a token", func(t *testing.T) {
			env.call(http.MethodPut, "/flicket-api/ticket/"+itoa(a)+"/seen", nil).expectError(t, http.StatusUnauthorized, "")
		})

		t.Run("never opened is unread; the creator's own ticket is not", func(t *testing.T) {
			if u := seenUnread(t, env, asAgent); !u[a] || !u[b] {
				t.Errorf("agent's unread = %v", u)
			}
			if u := seenUnread(t, env, asReq); u[a] || u[b] {
				t.Errorf("requester's unread = %v", u)
			}
		})

		var first int64
		t.Run("first visit marks it read, nothing counted as new", func(t *testing.T) {
			var out TicketSeen
			env.call(http.MethodPut, "/flicket-api/ticket/"+itoa(a)+"/seen", nil, asAgent).expect(t, http.StatusOK).decode(t, &out)
			if out.TicketID != a || out.PreviousSeenAt != nil || out.NewReplies != 0 || out.FirstUnreadPostID != nil || out.LastSeenPostID != nil {
				t.Errorf("first mark = %+v", out)
			}
			if u := seenUnread(t, env, asAgent); u[a] || !u[b] {
				t.Errorf("unread after opening a = %v", u)
			}
		})

		t.Run("replies by others are new, in order; own reply is not", func(t *testing.T) {
			env.clock.Advance(time.Minute)
			first = tkPost(t, env, a, requester, "first new", 0)
			tkPost(t, env, a, requester, "second new", 0)
			tkPost(t, env, a, requester, "third new", 0)
			if u := seenUnread(t, env, asAgent); !u[a] {
				t.Errorf("a not unread after replies: %v", u)
			}
			var out TicketSeen
			env.call(http.MethodPut, "/flicket-api/ticket/"+itoa(a)+"/seen", nil, asAgent).expect(t, http.StatusOK).decode(t, &out)
			if out.NewReplies != 3 || out.FirstUnreadPostID == nil || *out.FirstUnreadPostID != first || out.PreviousSeenAt == nil {
				t.Errorf("second mark = %+v (first new %d)", out, first)
			}
			env.clock.Advance(time.Minute)
			tkPost(t, env, a, agent, "my own reply", 0)
			if u := seenUnread(t, env, asAgent); u[a] {
				t.Errorf("own reply made a unread: %v", u)
			}
			env.call(http.MethodPut, "/flicket-api/ticket/"+itoa(a)+"/seen", nil, asAgent).expect(t, http.StatusOK).decode(t, &out)
			if out.NewReplies != 0 || out.FirstUnreadPostID != nil {
				t.Errorf("after own reply = %+v", out)
			}
			// The requester never opened it since the agent's reply.
			if u := seenUnread(t, env, asReq); !u[a] {
				t.Errorf("requester's a not unread after the agent's reply: %v", u)
			}
		})

		t.Run("an earlier post_id keeps later replies new", func(t *testing.T) {
			var out TicketSeen
			env.call(http.MethodPut, "/flicket-api/ticket/"+itoa(a)+"/seen", map[string]any{"post_id": first}, asReq).expect(t, http.StatusOK).decode(t, &out)
			if out.LastSeenPostID == nil || *out.LastSeenPostID != first {
				t.Errorf("mark = %+v", out)
			}
			env.call(http.MethodPut, "/flicket-api/ticket/"+itoa(a)+"/seen", nil, asReq).expect(t, http.StatusOK).decode(t, &out)
			if out.NewReplies != 1 { // the agent's; the requester's own are not new
				t.Errorf("new since post %d = %+v", first, out)
			}
		})

		t.Run("validation and unknown tickets", func(t *testing.T) {
			env.call(http.MethodPut, "/flicket-api/ticket/99999999/seen", nil, asAgent).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodPut, "/flicket-api/ticket/x/seen", nil, asAgent).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodPut, "/flicket-api/ticket/"+itoa(b)+"/seen", map[string]any{"post_id": first}, asAgent).expectField(t, "post_id", "not_found")
			env.call(http.MethodPut, "/flicket-api/ticket/"+itoa(b)+"/seen", map[string]any{"post_id": 0}, asAgent).expectField(t, "post_id", "min")
			env.call(http.MethodPut, "/flicket-api/ticket/"+itoa(b)+"/seen", map[string]any{"post_id": "x"}, asAgent).expectField(t, "post_id", "type")
		})

		t.Run("a status change by someone else makes it unread; marks are per user", func(t *testing.T) {
			env.call(http.MethodPut, "/flicket-api/ticket/"+itoa(b)+"/seen", nil, asAgent).expect(t, http.StatusOK)
			env.clock.Advance(time.Minute)
			env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(b)+"/priority", map[string]any{"ticket_priority_id": 2}, env.as(env.admin)).expect(t, http.StatusOK)
			if u := seenUnread(t, env, asAgent); !u[b] {
				t.Errorf("b not unread after the admin's change: %v", u)
			}
			if u := seenUnread(t, env, env.as(env.admin)); u[b] {
				t.Errorf("admin's own change made b unread for them: %v", u)
			}
		})

		t.Run("one keyed lookup, whatever the page size", func(t *testing.T) {
			sql := tkWatchSQL(t, env.db)
			stmts := sql.during(func() { seenUnread(t, env, asAgent) })
			n := 0
			for _, s := range stmts {
				if tkNormalise(s) != "" && containsAll(tkNormalise(s), "from ticket_seen", "user_id =", "ticket_id in") {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d reads of ticket_seen in %v", n, stmts)
			}
			var marks int64
			testutil.Must(t, env.db.Model(&model.TicketSeen{}).Count(&marks).Error)
			if marks == 0 {
				t.Error("no marks stored")
			}
		})
	})
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
