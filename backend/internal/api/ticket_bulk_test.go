package api

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/mail/mailtest"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

const bulkPath = "/flicket-api/tickets/bulk"

// bulkWorld is a server with the real outbox and a real SMTP server, and
// three tickets: alice started 1 and 2, bob started 3; dave (French)
// follows all three.
type bulkWorld struct {
	env                     *testEnv
	smtp                    *mailtest.Server
	sender                  *mail.Sender
	alice, bob, carol, dave *model.User
	tickets                 []int64
}

func newBulkWorld(t *testing.T, tdb *testutil.TestDB) *bulkWorld {
	env := newTestEnv(t, tdb)
	outbox := mail.NewOutbox(env.db, mail.Options{BaseURL: "http://flicket.test", Now: env.clock.Now})
	env.srv.events, env.srv.mail = outbox, outbox
	w := &bulkWorld{env: env, smtp: mailtest.Start(t)}
	w.smtp.Configure(t, env.db)
	w.sender = mail.NewSender(env.db, mail.SenderOptions{Now: env.clock.Now, Timeout: 5 * time.Second})
	w.alice = testutil.NewUser(t, env.db, "alice", nil)
	w.bob = testutil.NewUser(t, env.db, "bob", nil)
	w.carol = testutil.NewUser(t, env.db, "carol", nil)
	w.dave = testutil.NewUser(t, env.db, "dave", nil, testutil.WithLocale("fr"))
	for i, starter := range []*model.User{w.alice, w.alice, w.bob} {
		var tk struct{ ID int64 }
		env.call(http.MethodPost, "/flicket-api/tickets", map[string]any{
			"title": "Bulk ticket " + itoa(int64(i+1)), "content": "Needs triage.", "category_id": 1, "ticket_priority_id": 1,
		}, env.as(starter)).expect(t, http.StatusCreated).decode(t, &tk)
		env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk.ID, "user_id": w.dave.ID}, env.as(env.admin)).
			expect(t, http.StatusCreated)
		w.tickets = append(w.tickets, tk.ID)
	}
	w.deliver(t) // nothing was mailed so far; start clean anyway
	return w
}

// deliver sends what the outbox holds that is due, and returns the mails
// sent, by recipient; a recipient mailed twice fails the test.
func (w *bulkWorld) deliver(t *testing.T) map[string]mailtest.Message {
	t.Helper()
	before := len(w.smtp.Messages())
	if _, err := w.sender.Drain(context.Background()); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	got := map[string]mailtest.Message{}
	for _, m := range w.smtp.Messages()[before:] {
		for _, to := range m.To {
			if _, dup := got[to]; dup {
				t.Errorf("%s mailed more than once for one bulk change", to)
			}
			got[to] = m
		}
	}
	return got
}

func (w *bulkWorld) bulk(t *testing.T, as *model.User, body any, opts ...reqOpt) []TicketBulkResult {
	t.Helper()
	var out TicketBulkResponse
	w.env.call(http.MethodPost, bulkPath, body, append(opts, w.env.as(as))...).expect(t, http.StatusOK).decode(t, &out)
	return out.Results
}

func expectResults(t *testing.T, got []TicketBulkResult, want []TicketBulkResult) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("results %+v, want %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.OK != w.OK || g.Code != w.Code {
			t.Errorf("result %d = %+v, want id %d ok %v code %q", i, g, w.ID, w.OK, w.Code)
		}
		if !g.OK && g.Message == "" {
			t.Errorf("result %d has no message: %+v", i, g)
		}
	}
}

func mailedTo(got map[string]mailtest.Message) []string {
	var out []string
	for to := range got {
		out = append(out, to)
	}
	sort.Strings(out)
	return out
}

func emails(us ...*model.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Email)
	}
	sort.Strings(out)
	return out
}

func ticketLink(id int64) string { return "http://flicket.test/tickets/" + itoa(id) }

// TestBulkTickets: POST /tickets/bulk changes each ticket in its own
// transaction under its own permission check, answers every ticket's
// outcome, and mails each subscriber once per bulk change (issue 13 §2).
func TestBulkTickets(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		w := newBulkWorld(t, tdb)
		env := w.env
		t1, t2, t3 := w.tickets[0], w.tickets[1], w.tickets[2]

		t.Run("assign: every ticket changes, every recipient gets one mail", func(t *testing.T) {
			res := w.bulk(t, w.bob, map[string]any{"ids": w.tickets, "action": "assign", "value": w.carol.ID})
			expectResults(t, res, []TicketBulkResult{{ID: t1, OK: true}, {ID: t2, OK: true}, {ID: t3, OK: true}})
			for _, id := range w.tickets {
				tk := reloadTicket(t, env, id)
				if tk.AssignedID == nil || *tk.AssignedID != w.carol.ID || tk.StatusID != model.StatusInWork {
					t.Errorf("ticket %d: assignee %v status %d, want carol In Work", id, tk.AssignedID, tk.StatusID)
				}
			}
			got := w.deliver(t)
			if g, want := mailedTo(got), emails(w.alice, w.bob, w.carol, w.dave); strings.Join(g, ",") != strings.Join(want, ",") {
				t.Fatalf("mailed %v, want %v", g, want)
			}
			// carol (assignee of 3) and dave (follows 3): one mail listing all three.
			for _, u := range []*model.User{w.carol, w.dave} {
				m := got[u.Email]
				for _, id := range w.tickets {
					if !strings.Contains(m.Text, ticketLink(id)) || !strings.Contains(m.HTML, ticketLink(id)) {
						t.Errorf("%s's mail lacks ticket %d: %s", u.Username, id, m.Text)
					}
				}
			}
			if s := got[w.carol.Email].Subject; s != "3 tickets have been assigned to User carol." {
				t.Errorf("carol's subject %q", s)
			}
			if s := got[w.dave.Email].Subject; s != "3 tickets ont été assignés à User carol." {
				t.Errorf("dave (fr) subject %q", s)
			}
			if !strings.Contains(got[w.dave.Email].Text, "User bob a assigné ces tickets à User carol") {
				t.Errorf("dave's mail does not say who did it: %s", got[w.dave.Email].Text)
			}
			// alice follows 1 and 2: one mail of two; bob follows only 3:
			// the ticket's own mail, as a single assign sends it.
			if a := got[w.alice.Email]; !strings.Contains(a.Text, ticketLink(t1)) || !strings.Contains(a.Text, ticketLink(t2)) || strings.Contains(a.Text, ticketLink(t3)) {
				t.Errorf("alice's mail should list tickets 1 and 2 only: %s", a.Text)
			}
			if b := got[w.bob.Email]; !strings.Contains(b.Subject, model.TicketNumber(t3)) || !strings.Contains(b.Text, ticketLink(t3)) {
				t.Errorf("bob's mail should be ticket 3's own: %q %s", b.Subject, b.Text)
			}
			// Nothing held back for later.
			if n := countRows(t, env, &model.OutboxMail{}, "status = ?", model.MailPending); n != 0 {
				t.Errorf("%d mails still pending", n)
			}
			env.clock.Advance(bulkMailHold + time.Minute)
			if late := w.deliver(t); len(late) != 0 {
				t.Errorf("held mails went out after the hold as well: %v", mailedTo(late))
			}
		})

		t.Run("status: each ticket's outcome, no mail", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(t2)+"/status", map[string]any{"status_id": 4}, env.as(w.alice)).expect(t, http.StatusOK)
			res := w.bulk(t, w.alice, map[string]any{"ids": []int64{t1, 999999, t2}, "action": "status", "value": 4})
			expectResults(t, res, []TicketBulkResult{{ID: t1, OK: true}, {ID: 999999, Code: "not_found"}, {ID: t2, Code: "ticket.same_status"}})
			if tk := reloadTicket(t, env, t1); tk.StatusID != 4 {
				t.Errorf("ticket 1 status %d, want 4", tk.StatusID)
			}
			if got := w.deliver(t); len(got) != 0 {
				t.Errorf("a status change mailed %v", mailedTo(got))
			}
		})

		t.Run("close: each ticket's own permission", func(t *testing.T) {
			// bob started ticket 3, not 1 (alice's, assigned to carol).
			res := w.bulk(t, w.bob, map[string]any{"ids": []int64{t1, t3}, "action": "close"})
			expectResults(t, res, []TicketBulkResult{{ID: t1, Code: "forbidden"}, {ID: t3, OK: true}})
			if tk := reloadTicket(t, env, t1); tk.IsClosed() {
				t.Error("ticket 1 was closed by someone not allowed to")
			}
			if tk := reloadTicket(t, env, t3); !tk.IsClosed() || tk.AssignedID != nil {
				t.Errorf("ticket 3: status %d assignee %v, want closed, unassigned", tk.StatusID, tk.AssignedID)
			}
			for _, a := range actionsOf(t, env, t1) {
				if a.Action == model.ActionClose {
					t.Error("ticket 1 has a close action")
				}
			}
			// One ticket closed: its subscribers get its own close mail.
			got := w.deliver(t)
			if g, want := mailedTo(got), emails(w.bob, w.carol, w.dave); strings.Join(g, ",") != strings.Join(want, ",") {
				t.Errorf("mailed %v, want %v", g, want)
			}
		})

		t.Run("priority: a closed ticket refuses, the others change", func(t *testing.T) {
			res := w.bulk(t, w.carol, map[string]any{"ids": []int64{t1, t2, t3}, "action": "priority", "value": model.PriorityHigh})
			expectResults(t, res, []TicketBulkResult{{ID: t1, OK: true}, {ID: t2, OK: true}, {ID: t3, Code: "ticket.closed"}})
			if tk := reloadTicket(t, env, t2); tk.TicketPriorityID != model.PriorityHigh {
				t.Errorf("ticket 2 priority %d", tk.TicketPriorityID)
			}
		})

		t.Run("an administrator closes the lot: one mail each", func(t *testing.T) {
			res := w.bulk(t, env.admin, map[string]any{"ids": []int64{t1, t2}, "action": "close", "value": nil})
			expectResults(t, res, []TicketBulkResult{{ID: t1, OK: true}, {ID: t2, OK: true}})
			got := w.deliver(t)
			if g, want := mailedTo(got), emails(w.alice, w.carol, w.dave); strings.Join(g, ",") != strings.Join(want, ",") {
				t.Errorf("mailed %v, want %v", g, want)
			}
			if s := got[w.alice.Email].Subject; s != "2 tickets have been closed." {
				t.Errorf("alice's subject %q", s)
			}
		})

		checkCounters(t, env)
	})
}

// TestBulkTicketsBadInput: a request that is wrong as a whole changes
// nothing and names the field at fault.
func TestBulkTicketsBadInput(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		w := newBulkWorld(t, tdb)
		env := w.env
		disabled := testutil.NewUser(t, env.db, "gone", nil, testutil.Disabled())
		many := make([]int64, maxBulkTickets+1)
		for i := range many {
			many[i] = int64(i + 1)
		}
		ids := w.tickets
		for _, tc := range []struct {
			name  string
			body  any
			field string
			code  string
		}{
			{"no ids", map[string]any{"action": "close"}, "ids", "required"},
			{"empty ids", map[string]any{"ids": []int64{}, "action": "close"}, "ids", "required"},
			{"too many ids", map[string]any{"ids": many, "action": "close"}, "ids", "max"},
			{"id zero", map[string]any{"ids": []int64{ids[0], 0}, "action": "close"}, "ids[1]", "gt"},
			{"id repeated", map[string]any{"ids": []int64{ids[0], ids[1], ids[0]}, "action": "close"}, "ids[2]", "unique"},
			{"ids not a list", map[string]any{"ids": "1,2", "action": "close"}, "ids", "type"},
			{"id not a number", `{"ids": [1, "two"], "action": "close"}`, "ids", "type"},
			{"no action", map[string]any{"ids": ids}, "action", "required"},
			{"unknown action", map[string]any{"ids": ids, "action": "delete"}, "action", "oneof"},
			{"assign without value", map[string]any{"ids": ids, "action": "assign"}, "value", "required"},
			{"assign to nobody", map[string]any{"ids": ids, "action": "assign", "value": 999999}, "value", "not_found"},
			{"assign to a disabled account", map[string]any{"ids": ids, "action": "assign", "value": disabled.ID}, "value", "disabled"},
			{"status Closed", map[string]any{"ids": ids, "action": "status", "value": model.StatusClosed}, "value", "closed"},
			{"unknown status", map[string]any{"ids": ids, "action": "status", "value": 99}, "value", "not_found"},
			{"negative priority", map[string]any{"ids": ids, "action": "priority", "value": -1}, "value", "gt"},
			{"unknown priority", map[string]any{"ids": ids, "action": "priority", "value": 99}, "value", "not_found"},
			{"close with a value", map[string]any{"ids": ids, "action": "close", "value": 2}, "value", "absent"},
			{"value not a number", map[string]any{"ids": ids, "action": "status", "value": "open"}, "value", "type"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				env.call(http.MethodPost, bulkPath, tc.body, env.as(env.admin)).expectField(t, tc.field, tc.code)
			})
		}
		t.Run("malformed JSON", func(t *testing.T) {
			env.call(http.MethodPost, bulkPath, `{"ids": [1,`, env.as(env.admin)).expectError(t, http.StatusBadRequest, "request.malformed_json")
		})
		t.Run("signed out", func(t *testing.T) {
			env.call(http.MethodPost, bulkPath, map[string]any{"ids": ids, "action": "close"}).expect(t, http.StatusUnauthorized)
		})
		t.Run("nothing changed, nobody mailed", func(t *testing.T) {
			for _, id := range ids {
				if tk := reloadTicket(t, env, id); tk.StatusID != model.StatusOpen || tk.AssignedID != nil || tk.TicketPriorityID != model.PriorityLow {
					t.Errorf("ticket %d changed: %+v", id, tk)
				}
			}
			if got := w.deliver(t); len(got) != 0 {
				t.Errorf("mailed %v", mailedTo(got))
			}
		})
	})
}

// TestBulkTicketsIdempotencyKey: a bulk change sent again with its key is
// answered from the first, and changes and mails nothing more.
func TestBulkTicketsIdempotencyKey(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		w := newBulkWorld(t, tdb)
		env := w.env
		key := withHeader("Idempotency-Key", "bulk-1")
		body := map[string]any{"ids": w.tickets, "action": "assign", "value": w.carol.ID}
		first := env.call(http.MethodPost, bulkPath, body, env.as(w.alice), key).expect(t, http.StatusOK)
		if got := w.deliver(t); len(got) != 4 {
			t.Fatalf("first bulk change mailed %v", mailedTo(got))
		}
		actions := countRows(t, env, &model.Action{})
		again := env.call(http.MethodPost, bulkPath, body, env.as(w.alice), key).expect(t, http.StatusOK)
		if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
			t.Errorf("replay: header %q body %s, want the first answer %s", again.Header.Get("Idempotent-Replayed"), again.Body, first.Body)
		}
		if n := countRows(t, env, &model.Action{}); n != actions {
			t.Errorf("the replay recorded %d more actions", n-actions)
		}
		if got := w.deliver(t); len(got) != 0 {
			t.Errorf("the replay mailed %v", mailedTo(got))
		}
		// The same key for another change is refused.
		env.call(http.MethodPost, bulkPath, map[string]any{"ids": w.tickets, "action": "close"}, env.as(w.alice), key).
			expectError(t, http.StatusConflict, "idempotency.key_reused")
	})
}
