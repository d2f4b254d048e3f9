package api

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// tkStatements records every SQL statement the test database runs while on.
type tkStatements struct {
	mu    sync.Mutex
	on    bool
	stmts []string
}

// tkWatchSQL hooks a recorder into every GORM callback chain of db.
func tkWatchSQL(t *testing.T, db *gorm.DB) *tkStatements {
	t.Helper()
	rec := &tkStatements{}
	fn := func(tx *gorm.DB) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if rec.on {
			rec.stmts = append(rec.stmts, tx.Statement.SQL.String())
		}
	}
	cb := db.Callback()
	testutil.Must(t, cb.Query().After("gorm:query").Register("tk:watch", fn))
	testutil.Must(t, cb.Row().After("gorm:row").Register("tk:watch", fn))
	testutil.Must(t, cb.Raw().After("gorm:raw").Register("tk:watch", fn))
	testutil.Must(t, cb.Create().After("gorm:create").Register("tk:watch", fn))
	testutil.Must(t, cb.Update().After("gorm:update").Register("tk:watch", fn))
	testutil.Must(t, cb.Delete().After("gorm:delete").Register("tk:watch", fn))
	return rec
}

// during runs fn and returns the statements it caused.
func (r *tkStatements) during(fn func()) []string {
	r.mu.Lock()
	r.on, r.stmts = true, nil
	r.mu.Unlock()
	fn()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return r.stmts
}

// countOverTickets matches a COUNT whose FROM is the tickets table.
var countOverTickets = regexp.MustCompile(`count\(.*\)\s+from\s+tickets\b`)

func tkNormalise(sql string) string {
	return strings.NewReplacer("`", "", `"`, "").Replace(strings.ToLower(sql))
}

func TestTicketQueriesPerRequest(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil)
		mary := testutil.NewUser(t, env.db, "mary", nil)
		as := env.as(james)
		sql := tkWatchSQL(t, env.db)

		// addTickets creates tickets until there are n, each assigned, with a
		// reply, so every join has something to load.
		var ids []int64
		addTickets := func(n int) {
			for len(ids) < n {
				id := tkCreate(t, env, james, map[string]any{"category_id": 1 + len(ids)%7})
				env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(id)+"/assign", map[string]any{"user_id": mary.ID}, as).expect(t, http.StatusOK)
				env.call(http.MethodPatch, "/flicket-api/ticket/"+itoa(id), map[string]any{"title": "Edited title"}, as).expect(t, http.StatusOK)
				tkPost(t, env, id, mary, "a reply", 10)
				ids = append(ids, id)
			}
		}
		requests := []string{
			"/flicket-api/tickets/?per_page=100",
			"/flicket-api/tickets/?per_page=100&sort=department_category_desc&department=Design&status=In%20Work",
			"/flicket-api/tickets/?per_page=100&user=mary&q=reply&sort=assigned",
			"/flicket-api/tickets/export.csv?sort=time",
			"/flicket-api/stats",
		}
		measure := func() map[string]int {
			out := map[string]int{}
			for _, p := range requests {
				out[p] = len(sql.during(func() { env.call(http.MethodGet, p, nil, as).expect(t, http.StatusOK) }))
			}
			detail := "/flicket-api/ticket/" + itoa(ids[0])
			out["detail"] = len(sql.during(func() { env.call(http.MethodGet, detail, nil, as).expect(t, http.StatusOK) }))
			return out
		}

		addTickets(5)
		small := measure()
		addTickets(50)
		large := measure()
		for k, n := range small {
			if large[k] != n {
				t.Errorf("%s: %d statements for 5 tickets, %d for 50", k, n, large[k])
			}
			// Token check, settings, lookups of named filters, count, page,
			// the caller's seen marks of the page (one keyed read, for the
			// unread flags); a search adds one keyed read of the page's
			// replies for its snippets.
			limit := 9
			if strings.Contains(k, "q=") {
				limit = 10
			}
			if strings.Contains(k, "export") || k == "detail" || strings.Contains(k, "stats") {
				limit = 8 // no unread flags there
			}
			if n > limit {
				t.Errorf("%s: %d statements", k, n)
			}
		}
		t.Logf("statements per request: %v", large)
	})
}

func TestTicketTotalsUseCounters(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil)
		as := env.as(james)
		tkCreate(t, env, james, nil)
		sql := tkWatchSQL(t, env.db)

		run := func(query string) []string {
			return sql.during(func() {
				env.call(http.MethodGet, "/flicket-api/tickets/?"+query, nil, as).expect(t, http.StatusOK)
			})
		}
		for _, q := range []string{"", "department=1", "category=Other", "status=Open", "state=open", "state=closed&department=IT", "category=1&status=2",
			"priority=1", "status=1&priority=1", "priority=high&department=1&state=open"} {
			stmts := run(q)
			joined := tkNormalise(strings.Join(stmts, "\n"))
			if countOverTickets.MatchString(joined) {
				t.Errorf("%q counts over tickets: %s", q, joined)
			}
			if !strings.Contains(joined, "from ticket_counts") {
				t.Errorf("%q does not read ticket_counts: %s", q, joined)
			}
		}
		// A person filter alone is that user's counters (users row plus its
		// user_counts shards), read in the page's query: total_assigned,
		// total_started, and for created by or assigned to (user, view=mine)
		// started + assigned - both.
		for _, q := range []string{"assigned_id=" + itoa(james.ID), "created_id=" + itoa(james.ID), "user=james", "view=mine"} {
			joined := tkNormalise(strings.Join(run(q), "\n"))
			if countOverTickets.MatchString(joined) || !strings.Contains(joined, "user_counts") {
				t.Errorf("%q should read the user's counters: %s", q, joined)
			}
		}
		// A search counts the matches it ranks (up to search's limit) and runs
		// no COUNT while they are fewer.
		for _, q := range []string{"q=title"} {
			joined := tkNormalise(strings.Join(run(q), "\n"))
			if countOverTickets.MatchString(joined) || strings.Contains(joined, "ticket_counts") {
				t.Errorf("%q should be counted from its ranked matches: %s", q, joined)
			}
		}
		// view=subscribed alone counts the user's subscriptions, not tickets.
		for _, q := range []string{"view=subscribed"} {
			joined := tkNormalise(strings.Join(run(q), "\n"))
			if countOverTickets.MatchString(joined) || !strings.Contains(joined, "from subscriptions where subscriptions.user_id") {
				t.Errorf("%q should count the user's subscriptions: %s", q, joined)
			}
		}
		for _, q := range []string{"view=subscribed&state=open", "priority=1&user=james"} {
			joined := tkNormalise(strings.Join(run(q), "\n"))
			if !countOverTickets.MatchString(joined) || strings.Contains(joined, "ticket_counts") {
				t.Errorf("%q should be an indexed COUNT over tickets: %s", q, joined)
			}
		}
	})
}

func TestTicketTotalsExactAfterEveryChange(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil)
		mary := testutil.NewUser(t, env.db, "mary", nil)
		asJames, asAdmin := env.as(james), env.as(env.admin)
		testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = 1").Update("change_category", true).Error)

		filters := map[string]func(w *tkWorld, tk model.Ticket) bool{
			"":                         func(*tkWorld, model.Ticket) bool { return true },
			"department=1":             func(w *tkWorld, tk model.Ticket) bool { return w.deptOf[tk.CategoryID] == 1 },
			"department=Manufacturing": func(w *tkWorld, tk model.Ticket) bool { return w.deptOf[tk.CategoryID] == 2 },
			"category=Other":           func(w *tkWorld, tk model.Ticket) bool { return w.catName[tk.CategoryID] == "Other" },
			"category=1":               func(w *tkWorld, tk model.Ticket) bool { return tk.CategoryID == 1 },
			"status=1":                 func(w *tkWorld, tk model.Ticket) bool { return tk.StatusID == 1 },
			"status=Closed":            func(w *tkWorld, tk model.Ticket) bool { return tk.StatusID == 2 },
			"status=3":                 func(w *tkWorld, tk model.Ticket) bool { return tk.StatusID == 3 },
			"status=4&department=2":    func(w *tkWorld, tk model.Ticket) bool { return tk.StatusID == 4 && w.deptOf[tk.CategoryID] == 2 },
			"state=open":               func(w *tkWorld, tk model.Ticket) bool { return tk.StatusID != 2 },
			"state=closed&category=1":  func(w *tkWorld, tk model.Ticket) bool { return tk.StatusID == 2 && tk.CategoryID == 1 },
			"priority=3":               func(w *tkWorld, tk model.Ticket) bool { return tk.TicketPriorityID == 3 },
			"priority=3&department=2": func(w *tkWorld, tk model.Ticket) bool {
				return tk.TicketPriorityID == 3 && w.deptOf[tk.CategoryID] == 2
			},
			"priority=1&state=open": func(w *tkWorld, tk model.Ticket) bool { return tk.TicketPriorityID == 1 && tk.StatusID != 2 },
			"user=mary": func(w *tkWorld, tk model.Ticket) bool {
				return tkEqID(tk.StartedID, mary.ID) || tkEqID(tk.AssignedID, mary.ID)
			},
			"assigned_id=" + itoa(mary.ID): func(w *tkWorld, tk model.Ticket) bool { return tkEqID(tk.AssignedID, mary.ID) },
		}
		check := func(step string) {
			t.Helper()
			w := tkLoadWorld(t, env)
			for q, keep := range filters {
				want := int64(len(w.where(func(tk model.Ticket) bool { return keep(w, tk) })))
				l := tkGetList(t, env, asJames, "/flicket-api/tickets/?per_page=1&"+q)
				if l.Meta.TotalItems != want {
					t.Errorf("after %s: %q total_items %d, real %d", step, q, l.Meta.TotalItems, want)
				}
			}
			tkCheckCounters(t, env)
		}

		a := tkCreate(t, env, james, map[string]any{"category_id": 1})
		b := tkCreate(t, env, mary, map[string]any{"category_id": 5, "ticket_priority_id": 3})
		c := tkCreate(t, env, james, map[string]any{"category_id": 4})
		check("create")
		post := func(path string, body any, as reqOpt) {
			t.Helper()
			env.call(http.MethodPost, path, body, as).expect(t, http.StatusOK)
		}
		tp := func(id int64) string { return "/flicket-api/ticket/" + itoa(id) }
		post(tp(a)+"/assign", map[string]any{"user_id": mary.ID}, asJames)
		check("assign")
		post(tp(a)+"/assign", map[string]any{"user_id": james.ID}, asJames)
		check("re-assign")
		post(tp(b)+"/claim", nil, asJames)
		check("claim")
		post(tp(b)+"/claim", nil, env.as(mary))
		check("claim over another assignee")
		post(tp(b)+"/release", nil, env.as(mary))
		check("release")
		post(tp(c)+"/status", map[string]any{"status_id": 4}, asJames)
		check("status")
		post(tp(c)+"/category", map[string]any{"category_id": 8}, asJames)
		check("category")
		env.call(http.MethodPatch, tp(a), map[string]any{"category_id": 6}, asJames).expect(t, http.StatusOK)
		check("edit category")
		post(tp(a)+"/close", nil, asJames)
		check("close")
		post(tp(a)+"/status", map[string]any{"status_id": 1}, asJames)
		check("reopen")
		post(tp(c)+"/priority", map[string]any{"ticket_priority_id": 3}, asJames)
		check("priority")
		post(tp(c)+"/assign", map[string]any{"user_id": mary.ID}, asJames)
		post(tp(c)+"/close", nil, env.as(mary))
		check("close an assigned ticket")
		env.call(http.MethodDelete, tp(b), nil, asAdmin).expect(t, http.StatusNoContent)
		check("delete")
		env.call(http.MethodDelete, tp(c), nil, asAdmin).expect(t, http.StatusNoContent)
		check("delete a closed ticket")
	})
}
