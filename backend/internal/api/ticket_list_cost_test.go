package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestTicketListStatements counts what one list request asks the database:
// the token check (every request: a revoked token is refused at once), the
// page with its total, the names of the page's rows and the caller's seen
// marks for its ids (one keyed read, for unread; none on an empty page); a filter given by
// name adds its lookup, one given by id nothing unless nothing matched. The
// page is read from the tickets table alone.
func TestTicketListStatements(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil, testutil.WithName("James Smith"))
		var last int64
		for _, cat := range []int{1, 9, 9} {
			last = tkCreate(t, env, james, map[string]any{"category_id": cat})
		}
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(last)+"/assign", map[string]any{"user_id": james.ID}, env.as(james)).
			expect(t, http.StatusOK)
		rec, stmts := testutil.RecordStatements(env.db)
		env.srv.db = rec
		// As in production: the settings row is read once in a while.
		env.srv.settings = model.NewSettingsCache(rec, time.Hour)
		as := env.as(james)
		env.call(http.MethodGet, "/flicket-api/tickets/", nil, as).expect(t, http.StatusOK)
		stmts.Take()

		for _, c := range []struct {
			query string
			want  int
		}{
			{"", 4},
			{"?sort=title_desc", 4},
			{"?state=open&sort=priority_desc", 4}, // the web app's default
			{"?department=3&category=9&status=1", 4},
			{"?user=" + itoa(james.ID) + "&created_id=" + itoa(james.ID), 5}, // + an indexed COUNT
			{"?assigned_id=" + itoa(james.ID), 4},                            // the total from the assignee's counter
			{"?department=IT", 5},
			{"?department=3&status=2", 3 + 2}, // nothing matched: the ids are checked
			{"/40/", 3},                       // past the end: the total, no names
		} {
			path := "/flicket-api/tickets/" + c.query
			if strings.HasPrefix(c.query, "/") {
				path = "/flicket-api/tickets" + c.query
			}
			env.call(http.MethodGet, path, nil, as).expect(t, http.StatusOK)
			got := stmts.Take()
			if len(got) != c.want {
				t.Errorf("%s: %d statements, want %d:\n%s", path, len(got), c.want, strings.Join(got, "\n"))
				continue
			}
			if !strings.Contains(got[0], "api_tokens") {
				t.Errorf("%s: the first statement is not the token check: %s", path, got[0])
			}
			for _, q := range got {
				if i := strings.LastIndex(q, "FROM tickets"); i >= 0 && strings.Contains(strings.ToUpper(q[i:]), "JOIN") {
					t.Errorf("%s: a query over tickets joins: %s", path, q)
				}
			}
		}
		// An id that names nothing is still a 400 naming the parameter.
		for _, q := range []string{"department=999", "category=999", "status=99", "priority=99", "user=999", "assigned_id=999", "created_id=999"} {
			env.call(http.MethodGet, "/flicket-api/tickets/?"+q, nil, as).expectError(t, http.StatusBadRequest, "")
		}
	})
}

// TestTicketListIsNeverStale: the list is built for every request, so a
// change made through another server process or the command line shows at
// once, and a revoked token is refused at once.
func TestTicketListIsNeverStale(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil)
		id := tkCreate(t, env, alice, map[string]any{"title": "First ticket"})
		list := func() Envelope[map[string]any] {
			var e Envelope[map[string]any]
			env.call(http.MethodGet, "/flicket-api/tickets/", nil, env.as(alice)).expect(t, http.StatusOK).decode(t, &e)
			return e
		}
		list()
		replica := env.newServer()
		env.do(replica, http.MethodPatch, "/flicket-api/ticket/"+itoa(id), map[string]any{"title": "Renamed elsewhere"}, env.as(alice)).
			expect(t, http.StatusOK)
		if e := list(); e.Items[0]["title"] != "Renamed elsewhere" {
			t.Errorf("after a change through another process: %v", e.Items[0]["title"])
		}
		token := env.tokenFor(alice)
		env.call(http.MethodGet, "/flicket-api/tickets/", nil, withToken(token)).expect(t, http.StatusOK)
		env.call(http.MethodDelete, "/flicket-api/tokens", nil, withToken(token)).expect(t, http.StatusNoContent)
		env.call(http.MethodGet, "/flicket-api/tickets/", nil, withToken(token)).expectError(t, http.StatusUnauthorized, "auth.token_revoked")
	})
}

// TestTicketDetailStatements: GET /ticket/{id} asks the token, then the
// ticket with its names and the status ids its permissions need, in one
// statement.
func TestTicketDetailStatements(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil)
		id := tkCreate(t, env, james, nil)
		rec, stmts := testutil.RecordStatements(env.db)
		env.srv.db = rec
		env.srv.settings = model.NewSettingsCache(rec, time.Hour)
		as := env.as(james)
		env.call(http.MethodGet, "/flicket-api/ticket/"+itoa(id), nil, as).expect(t, http.StatusOK)
		stmts.Take()
		r := env.call(http.MethodGet, "/flicket-api/ticket/"+itoa(id), nil, as).expect(t, http.StatusOK)
		if q := stmts.Take(); len(q) != 2 {
			t.Errorf("%d statements, want 2:\n%s", len(q), strings.Join(q, "\n"))
		}
		var detail struct {
			Can struct {
				ChangeStatusTo []int64 `json:"change_status_to"`
			} `json:"can"`
		}
		r.decode(t, &detail)
		if len(detail.Can.ChangeStatusTo) == 0 {
			t.Errorf("can.change_status_to is empty: %s", r.Body)
		}
	})
}
