package api

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// tkEvents records the ticket events a server queues; fail makes Enqueue fail.
type tkEvents struct {
	mu   sync.Mutex
	got  []model.Event
	fail error
}

func (r *tkEvents) Enqueue(_ context.Context, tx *gorm.DB, ev model.Event) error {
	if tx == nil {
		return errors.New("no transaction")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.got = append(r.got, ev)
	return nil
}

// take returns and forgets the recorded events.
func (r *tkEvents) take() []model.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.got
	r.got = nil
	return out
}

// tkUseEvents rebuilds env's server with an event recorder (tokens stay
// valid: same key, same database).
func tkUseEvents(env *testEnv) *tkEvents {
	rec := &tkEvents{}
	cfg := env.srv.cfg
	env.srv = New(Deps{
		DB: env.db, Config: cfg, Logger: env.srv.log, Hasher: testutil.Hasher(),
		Tokens:   auth.NewTokens(env.secret, cfg.TokenTTL, env.clock.Now),
		Settings: model.NewSettingsCache(env.db, 0), Now: env.clock.Now, Events: rec,
	})
	return rec
}

// tkLastAction is the ticket's newest action.
func tkLastAction(t *testing.T, env *testEnv, ticketID int64) model.Action {
	t.Helper()
	acts := tkActions(t, env, ticketID)
	if len(acts) == 0 {
		t.Fatalf("ticket %d has no actions", ticketID)
	}
	return acts[len(acts)-1]
}

// tkExpectBumped checks last_updated moved to the clock's now.
func tkExpectBumped(t *testing.T, env *testEnv, id int64) {
	t.Helper()
	if tk := tkTicket(t, env, id); !tkSameTime(tk.LastUpdated, env.clock.Now()) {
		t.Errorf("last_updated = %v, want %v", tk.LastUpdated, env.clock.Now())
	}
}

func TestTicketAssignAndClaim(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		events := tkUseEvents(env)
		james := testutil.NewUser(t, env.db, "james", nil)
		mary := testutil.NewUser(t, env.db, "mary", nil, testutil.WithName("Mary Adams"))
		zed := testutil.NewUser(t, env.db, "zed", nil)
		off := testutil.NewUser(t, env.db, "off", nil, testutil.Disabled())
		asJames, asZed := env.as(james), env.as(zed)
		id := tkCreate(t, env, james, nil)
		path := "/flicket-api/ticket/" + itoa(id)
		replyID := tkPost(t, env, id, james, "a reply before the action", 0)

		t.Run("anyone assigns: In Work, subscribed, counted, logged, notified", func(t *testing.T) {
			env.clock.Advance(time.Minute)
			events.take() // the set-up's own events (ticket.created, post.created)
			r := env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": mary.ID}, asZed).expect(t, http.StatusOK)
			m := r.object(t)
			tkCheckDetail(t, m)
			if m["assigned_id"] != float64(mary.ID) || m["status"] != "In Work" || m["status_id"] != 3.0 {
				t.Errorf("assigned = %v", m)
			}
			if a, _ := m["assigned_to"].(map[string]any); a["name"] != "Mary Adams" {
				t.Errorf("assigned_to = %v", m["assigned_to"])
			}
			tkExpectBumped(t, env, id)
			if !tkSubscribed(t, env, id, mary.ID) {
				t.Error("assignee not subscribed")
			}
			if u := tkUser(t, env, mary.ID); u.TotalAssigned != 1 {
				t.Errorf("total_assigned = %d", u.TotalAssigned)
			}
			a := tkLastAction(t, env, id)
			if a.Action != "assign" || *a.UserID != zed.ID || a.RecipientID == nil || *a.RecipientID != mary.ID || a.Data != nil {
				t.Errorf("action = %+v", a)
			}
			if a.PostID == nil || *a.PostID != replyID {
				t.Errorf("action post_id = %v, want the latest reply %d", a.PostID, replyID)
			}
			evs := events.take()
			if len(evs) != 1 || evs[0].Kind != model.EventTicketAssigned || evs[0].TicketID != id || evs[0].ActorID != zed.ID ||
				evs[0].AssigneeID == nil || *evs[0].AssigneeID != mary.ID {
				t.Errorf("events = %+v", evs)
			}
			tkCheckCounters(t, env)
		})

		t.Run("re-assigning moves total_assigned", func(t *testing.T) {
			env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": zed.ID}, asJames).expect(t, http.StatusOK)
			if tkUser(t, env, mary.ID).TotalAssigned != 0 || tkUser(t, env, zed.ID).TotalAssigned != 1 {
				t.Error("total_assigned did not move")
			}
			events.take()
			tkCheckCounters(t, env)
		})

		t.Run("assign refusals", func(t *testing.T) {
			env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": zed.ID}, asJames).expectError(t, http.StatusConflict, "ticket.already_assigned")
			env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": 999999}, asJames).expectField(t, "user_id", "not_found")
			env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": off.ID}, asJames).expectField(t, "user_id", "disabled")
			env.call(http.MethodPost, path+"/assign", map[string]any{}, asJames).expectField(t, "user_id", "required")
			env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": "zed"}, asJames).expectField(t, "user_id", "type")
			env.call(http.MethodPost, path+"/assign", `{"user_id":`, asJames).expectError(t, http.StatusBadRequest, "request.malformed_json")
			env.call(http.MethodPost, "/flicket-api/ticket/999999/assign", map[string]any{"user_id": zed.ID}, asJames).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodPost, "/flicket-api/ticket/abc/assign", `{"user_id":`, asJames).expectError(t, http.StatusNotFound, "not_found")
			if evs := events.take(); len(evs) != 0 {
				t.Errorf("refusals queued events: %+v", evs)
			}
		})

		t.Run("claim: mine, In Work, subscribed, counted", func(t *testing.T) {
			env.clock.Advance(time.Minute)
			asMary := env.as(mary)
			testutil.Must(t, env.db.Where("ticket_id = ? AND user_id = ?", id, mary.ID).Delete(&model.Subscription{}).Error)
			m := env.call(http.MethodPost, path+"/claim", nil, asMary).expect(t, http.StatusOK).object(t)
			if m["assigned_id"] != float64(mary.ID) || m["status_id"] != 3.0 {
				t.Errorf("claimed = %v", m)
			}
			tkExpectBumped(t, env, id)
			if !tkSubscribed(t, env, id, mary.ID) {
				t.Error("claimer not subscribed")
			}
			if tkUser(t, env, zed.ID).TotalAssigned != 0 || tkUser(t, env, mary.ID).TotalAssigned != 1 {
				t.Error("total_assigned did not move to the claimer")
			}
			if a := tkLastAction(t, env, id); a.Action != "claim" || *a.UserID != mary.ID || a.RecipientID != nil {
				t.Errorf("action = %+v", a)
			}
			evs := events.take()
			if len(evs) != 1 || evs[0].Kind != model.EventTicketClaimed || evs[0].AssigneeID == nil || *evs[0].AssigneeID != mary.ID {
				t.Errorf("events = %+v", evs)
			}
			env.call(http.MethodPost, path+"/claim", nil, asMary).expectError(t, http.StatusConflict, "ticket.already_assigned")
			env.call(http.MethodPost, "/flicket-api/ticket/999999/claim", nil, asMary).expectError(t, http.StatusNotFound, "not_found")
			tkCheckCounters(t, env)
		})

		t.Run("no assign or claim once closed", func(t *testing.T) {
			env.call(http.MethodPost, path+"/close", nil, asJames).expect(t, http.StatusOK)
			events.take()
			env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": zed.ID}, asJames).expectError(t, http.StatusConflict, "ticket.closed")
			env.call(http.MethodPost, path+"/claim", nil, asZed).expectError(t, http.StatusConflict, "ticket.closed")
			if evs := events.take(); len(evs) != 0 {
				t.Errorf("events = %+v", evs)
			}
		})

		t.Run("an event that cannot be queued undoes the change", func(t *testing.T) {
			other := tkCreate(t, env, james, nil)
			events.fail = errors.New("outbox down")
			defer func() { events.fail = nil }()
			env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(other)+"/assign", map[string]any{"user_id": zed.ID}, asJames).
				expectError(t, http.StatusInternalServerError, "internal")
			tk := tkTicket(t, env, other)
			if tk.AssignedID != nil || tk.StatusID != model.StatusOpen || len(tkActions(t, env, other)) != 0 || tkSubscribed(t, env, other, zed.ID) {
				t.Errorf("half-written assign: %+v", tk)
			}
			tkCheckCounters(t, env)
		})
	})
}

func TestTicketReleaseAndClose(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		events := tkUseEvents(env)
		james := testutil.NewUser(t, env.db, "james", nil)
		mary := testutil.NewUser(t, env.db, "mary", nil)
		stranger := testutil.NewUser(t, env.db, "stranger", nil)
		su := testutil.NewUser(t, env.db, "super", []string{model.SuperUserGroup})
		asJames, asMary, asStranger := env.as(james), env.as(mary), env.as(stranger)
		id := tkCreate(t, env, james, nil)
		path := "/flicket-api/ticket/" + itoa(id)

		t.Run("release needs an assignee, then the assignee or an administrator", func(t *testing.T) {
			env.call(http.MethodPost, path+"/release", nil, asJames).expectError(t, http.StatusConflict, "ticket.not_assigned")
			env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": mary.ID}, asJames).expect(t, http.StatusOK)
			events.take()
			for _, as := range []reqOpt{asStranger, asJames, env.as(su)} {
				env.call(http.MethodPost, path+"/release", nil, as).expectError(t, http.StatusForbidden, "forbidden")
			}
			env.clock.Advance(time.Minute)
			m := env.call(http.MethodPost, path+"/release", nil, asMary).expect(t, http.StatusOK).object(t)
			if m["assigned_id"] != nil || m["assigned_to"] != nil || m["status"] != "Open" {
				t.Errorf("released = %v", m)
			}
			tkExpectBumped(t, env, id)
			if tkUser(t, env, mary.ID).TotalAssigned != 0 {
				t.Error("total_assigned not decremented")
			}
			if a := tkLastAction(t, env, id); a.Action != "release" || *a.UserID != mary.ID {
				t.Errorf("action = %+v", a)
			}
			if evs := events.take(); len(evs) != 1 || evs[0].Kind != model.EventTicketReleased || evs[0].ActorID != mary.ID {
				t.Errorf("events = %+v", evs)
			}
			// An administrator releases anyone's ticket.
			env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": mary.ID}, asJames).expect(t, http.StatusOK)
			env.call(http.MethodPost, path+"/release", nil, env.as(env.admin)).expect(t, http.StatusOK)
			events.take()
			env.call(http.MethodPost, "/flicket-api/ticket/999999/release", nil, asMary).expectError(t, http.StatusNotFound, "not_found")
			tkCheckCounters(t, env)
		})

		t.Run("close: creator, assignee or administrator; assignee cleared", func(t *testing.T) {
			env.call(http.MethodPost, path+"/assign", map[string]any{"user_id": mary.ID}, asJames).expect(t, http.StatusOK)
			events.take()
			env.call(http.MethodPost, path+"/close", nil, asStranger).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodPost, path+"/close", nil, env.as(su)).expectError(t, http.StatusForbidden, "forbidden")
			env.clock.Advance(time.Minute)
			m := env.call(http.MethodPost, path+"/close", nil, asMary).expect(t, http.StatusOK).object(t)
			if m["status"] != "Closed" || m["status_id"] != 2.0 || m["assigned_id"] != nil {
				t.Errorf("closed = %v", m)
			}
			tkExpectBumped(t, env, id)
			if tkUser(t, env, mary.ID).TotalAssigned != 0 {
				t.Error("total_assigned not decremented on close")
			}
			a := tkLastAction(t, env, id)
			if a.Action != "close" || *a.UserID != mary.ID {
				t.Errorf("action = %+v", a)
			}
			assertJSON(t, []byte(*a.Data), `{"status_id": 2, "status": "Closed"}`)
			if evs := events.take(); len(evs) != 1 || evs[0].Kind != model.EventTicketClosed || evs[0].TicketID != id {
				t.Errorf("events = %+v", evs)
			}
			env.call(http.MethodPost, path+"/close", nil, asJames).expectError(t, http.StatusConflict, "ticket.already_closed")
			tkCheckCounters(t, env)
		})

		t.Run("creator and administrator close too", func(t *testing.T) {
			for _, as := range []reqOpt{asJames, env.as(env.admin)} {
				other := tkCreate(t, env, james, nil)
				env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(other)+"/close", nil, as).expect(t, http.StatusOK)
			}
			env.call(http.MethodPost, "/flicket-api/ticket/999999/close", nil, asJames).expectError(t, http.StatusNotFound, "not_found")
			tkCheckCounters(t, env)
		})
	})
}

func TestTicketStatusPriorityCategory(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		events := tkUseEvents(env)
		james := testutil.NewUser(t, env.db, "james", nil)
		stranger := testutil.NewUser(t, env.db, "stranger", nil)
		su := testutil.NewUser(t, env.db, "super", []string{model.SuperUserGroup})
		asJames, asStranger := env.as(james), env.as(stranger)
		id := tkCreate(t, env, james, nil)
		path := "/flicket-api/ticket/" + itoa(id)
		setConfig := func(cols map[string]any) {
			testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = 1").Updates(cols).Error)
		}

		t.Run("status: anyone, any status but Closed", func(t *testing.T) {
			events.take() // the set-up's ticket.created
			env.clock.Advance(time.Minute)
			m := env.call(http.MethodPost, path+"/status", map[string]any{"status_id": 4}, asStranger).expect(t, http.StatusOK).object(t)
			if m["status"] != "Awaiting Information" {
				t.Errorf("status = %v", m["status"])
			}
			tkExpectBumped(t, env, id)
			a := tkLastAction(t, env, id)
			if a.Action != "status" || *a.UserID != stranger.ID {
				t.Errorf("action = %+v", a)
			}
			assertJSON(t, []byte(*a.Data), `{"status_id": 4, "status": "Awaiting Information"}`)
			env.call(http.MethodPost, path+"/status", map[string]any{"status_id": 2}, asJames).expectField(t, "status_id", "closed")
			env.call(http.MethodPost, path+"/status", map[string]any{"status_id": 99}, asJames).expectField(t, "status_id", "not_found")
			env.call(http.MethodPost, path+"/status", map[string]any{}, asJames).expectField(t, "status_id", "required")
			env.call(http.MethodPost, path+"/status", map[string]any{"status_id": 4}, asJames).expectError(t, http.StatusConflict, "ticket.same_status")
			env.call(http.MethodPost, "/flicket-api/ticket/999999/status", map[string]any{"status_id": 1}, asJames).expectError(t, http.StatusNotFound, "not_found")
			// One domain event for the one change, which mails nobody (the
			// outbox ignores it: TestNotificationRecipients).
			if evs := events.take(); len(evs) != 1 || evs[0].Kind != model.EventTicketStatusChanged || evs[0].From != model.StatusOpen || evs[0].To != 4 {
				t.Errorf("events = %+v", evs)
			}
			tkCheckCounters(t, env)
		})

		t.Run("status from Closed is a reopen", func(t *testing.T) {
			env.call(http.MethodPost, path+"/close", nil, asJames).expect(t, http.StatusOK)
			env.clock.Advance(time.Minute)
			m := env.call(http.MethodPost, path+"/status", map[string]any{"status_id": 1}, asStranger).expect(t, http.StatusOK).object(t)
			if m["status_id"] != 1.0 {
				t.Errorf("reopened = %v", m)
			}
			tkExpectBumped(t, env, id)
			a := tkLastAction(t, env, id)
			if a.Action != "reopen" {
				t.Errorf("action = %s", a.Action)
			}
			assertJSON(t, []byte(*a.Data), `{"status_id": 1, "status": "Open"}`)
			tkCheckCounters(t, env)
		})

		t.Run("priority", func(t *testing.T) {
			env.clock.Advance(time.Minute)
			m := env.call(http.MethodPost, path+"/priority", map[string]any{"ticket_priority_id": 3}, asStranger).expect(t, http.StatusOK).object(t)
			if m["priority"] != "high" || m["ticket_priority_id"] != 3.0 {
				t.Errorf("priority = %v", m)
			}
			tkExpectBumped(t, env, id)
			a := tkLastAction(t, env, id)
			if a.Action != "priority" {
				t.Errorf("action = %s", a.Action)
			}
			assertJSON(t, []byte(*a.Data), `{"priority_id": 3, "priority": "high"}`)
			env.call(http.MethodPost, path+"/priority", map[string]any{"ticket_priority_id": 3}, asJames).expectError(t, http.StatusConflict, "ticket.same_priority")
			env.call(http.MethodPost, path+"/priority", map[string]any{"ticket_priority_id": 7}, asJames).expectField(t, "ticket_priority_id", "not_found")
			env.call(http.MethodPost, path+"/priority", map[string]any{}, asJames).expectField(t, "ticket_priority_id", "required")
			env.call(http.MethodPost, "/flicket-api/ticket/999999/priority", map[string]any{"ticket_priority_id": 1}, asJames).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("category follows the config switches", func(t *testing.T) {
			body := map[string]any{"category_id": 9}
			env.call(http.MethodPost, path+"/category", body, asJames).expectError(t, http.StatusForbidden, "forbidden")
			setConfig(map[string]any{"change_category": true, "change_category_only_admin_or_super_user": true})
			env.call(http.MethodPost, path+"/category", body, asJames).expectError(t, http.StatusForbidden, "forbidden")
			env.clock.Advance(time.Minute)
			m := env.call(http.MethodPost, path+"/category", body, env.as(su)).expect(t, http.StatusOK).object(t)
			if m["category_id"] != 9.0 || m["category"] != "Internet" || m["department"] != "IT" || m["department_id"] != 3.0 {
				t.Errorf("re-filed = %v", m)
			}
			tkExpectBumped(t, env, id)
			a := tkLastAction(t, env, id)
			if a.Action != "department_category" || *a.UserID != su.ID {
				t.Errorf("action = %+v", a)
			}
			assertJSON(t, []byte(*a.Data), `{"department_category": "IT / Internet", "category_id": 9,
				"category": "Internet", "department_id": 3, "department": "IT"}`)
			tkCheckCounters(t, env)
			setConfig(map[string]any{"change_category_only_admin_or_super_user": false})
			env.call(http.MethodPost, path+"/category", map[string]any{"category_id": 10}, asStranger).expect(t, http.StatusOK)
			env.call(http.MethodPost, path+"/category", map[string]any{"category_id": 10}, asJames).expectError(t, http.StatusConflict, "ticket.same_category")
			env.call(http.MethodPost, path+"/category", map[string]any{"category_id": 999}, asJames).expectField(t, "category_id", "not_found")
			env.call(http.MethodPost, path+"/category", map[string]any{}, asJames).expectField(t, "category_id", "required")
			env.call(http.MethodPost, "/flicket-api/ticket/999999/category", body, asJames).expectError(t, http.StatusNotFound, "not_found")
			tkCheckCounters(t, env)
		})

		t.Run("no priority or category change once closed", func(t *testing.T) {
			env.call(http.MethodPost, path+"/close", nil, asJames).expect(t, http.StatusOK)
			env.call(http.MethodPost, path+"/priority", map[string]any{"ticket_priority_id": 1}, asJames).expectError(t, http.StatusConflict, "ticket.closed")
			env.call(http.MethodPost, path+"/category", map[string]any{"category_id": 1}, asJames).expectError(t, http.StatusConflict, "ticket.closed")
			tkCheckCounters(t, env)
		})
	})
}

func TestTicketWorkflowConcurrent(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		u1 := testutil.NewUser(t, env.db, "userone", nil)
		u2 := testutil.NewUser(t, env.db, "usertwo", nil)
		as := env.as(env.admin)
		// Two tickets in one category moving between the same two statuses in
		// opposite directions, and two tickets swapping the same two assignees:
		// both touch the same counter rows in opposite orders.
		t1 := tkCreate(t, env, env.admin, nil)
		t2 := tkCreate(t, env, env.admin, nil)
		t3 := tkCreate(t, env, env.admin, nil)
		t4 := tkCreate(t, env, env.admin, nil)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(t2)+"/status", map[string]any{"status_id": 3}, as).expect(t, http.StatusOK)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(t3)+"/assign", map[string]any{"user_id": u1.ID}, as).expect(t, http.StatusOK)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(t4)+"/assign", map[string]any{"user_id": u2.ID}, as).expect(t, http.StatusOK)

		t5 := tkCreate(t, env, env.admin, nil)

		type step struct {
			path string
			body map[string]any
			as   reqOpt
			ok   int // another accepted status, besides 200
		}
		status := func(id int64, st int) step {
			return step{"/flicket-api/ticket/" + itoa(id) + "/status", map[string]any{"status_id": st}, as, 0}
		}
		assign := func(id int64, u *model.User) step {
			return step{"/flicket-api/ticket/" + itoa(id) + "/assign", map[string]any{"user_id": u.ID}, as, 0}
		}
		// Two users claiming one ticket: each claim wins, or finds it already theirs.
		claim := func(id int64, u *model.User) step {
			return step{"/flicket-api/ticket/" + itoa(id) + "/claim", nil, env.as(u), http.StatusConflict}
		}
		// Creations racing into a counter cell that has no row yet.
		create := step{"/flicket-api/tickets", map[string]any{
			"title": "Racing ticket", "content": "Created concurrently", "category_id": 13, "ticket_priority_id": 1,
		}, as, http.StatusCreated}
		workers := [][]step{
			{create}, {create}, {create},
			{status(t1, 3), status(t1, 1)},
			{status(t2, 1), status(t2, 3)},
			{assign(t3, u2), assign(t3, u1)},
			{assign(t4, u1), assign(t4, u2)},
			{claim(t5, u1)},
			{claim(t5, u2)},
		}
		const rounds = 15
		var wg sync.WaitGroup
		var mu sync.Mutex
		var bad []string
		for _, steps := range workers {
			wg.Add(1)
			go func(steps []step) {
				defer wg.Done()
				for i := 0; i < rounds; i++ {
					for _, s := range steps {
						r := env.call(http.MethodPost, s.path, s.body, s.as)
						if r.Code != http.StatusOK && (s.ok == 0 || r.Code != s.ok) {
							mu.Lock()
							bad = append(bad, s.path+": "+string(r.Body))
							mu.Unlock()
						}
					}
				}
			}(steps)
		}
		wg.Wait()
		if len(bad) > 0 {
			t.Errorf("%d failed requests, first: %s", len(bad), bad[0])
		}
		tkCheckCounters(t, env)
	})
}

func TestTicketTxRetriesDeadlocks(t *testing.T) {
	tdb := testutil.NewDB(t, "sqlite")
	env := newTestEnv(t, tdb)
	deadlock := errors.New("Error 1213 (40001): Deadlock found when trying to get lock; try restarting transaction")
	runs := 0
	err := env.srv.write(context.Background(), func(*model.Tx) error {
		runs++
		if runs < 2 {
			return deadlock
		}
		return nil
	})
	if err != nil || runs != 2 {
		t.Errorf("err %v after %d runs", err, runs)
	}
	runs = 0
	err = env.srv.write(context.Background(), func(*model.Tx) error { runs++; return deadlock })
	if !errors.Is(err, deadlock) || runs != model.WriteAttempts {
		t.Errorf("err %v after %d runs", err, runs)
	}
	runs = 0
	other := errors.New("other")
	if err := env.srv.write(context.Background(), func(*model.Tx) error { runs++; return other }); !errors.Is(err, other) || runs != 1 {
		t.Errorf("a plain error was retried: %v after %d runs", err, runs)
	}
}
