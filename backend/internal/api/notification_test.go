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

// TestWorkflowNotifications drives the ticket workflow through the API with
// the real outbox and a real SMTP server, and checks who is mailed for each
// step, in which language, with which link (issue: mail and operations).
func TestWorkflowNotifications(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		outbox := mail.NewOutbox(env.db, mail.Options{BaseURL: "http://flicket.test", Now: env.clock.Now})
		env.srv.events, env.srv.mail = outbox, outbox
		smtp := mailtest.Start(t)
		smtp.Configure(t, env.db)
		sender := mail.NewSender(env.db, mail.SenderOptions{Now: env.clock.Now, Timeout: 5 * time.Second})

		alice := testutil.NewUser(t, env.db, "alice", nil)                        // creator
		bob := testutil.NewUser(t, env.db, "bob", nil, testutil.WithLocale("fr")) // subscriber, French
		carol := testutil.NewUser(t, env.db, "carol", nil)                        // assignee
		dave := testutil.NewUser(t, env.db, "dave", nil)                          // subscriber, then disabled
		asAlice, asBob, asCarol := env.as(alice), env.as(bob), env.as(carol)

		var tk struct{ ID int64 }
		env.call(http.MethodPost, "/flicket-api/tickets", map[string]any{
			"title": "VPN drops every hour", "content": "It drops at :00 every hour.", "category_id": 1, "ticket_priority_id": 2,
		}, asAlice).expect(t, http.StatusCreated).decode(t, &tk)
		for _, u := range []*model.User{bob, dave} {
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk.ID, "user_id": u.ID}, asAlice).
				expect(t, http.StatusCreated)
		}
		testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", dave.ID).Update("disabled", true).Error)

		// step runs one API call, delivers the outbox and returns who got mail.
		step := func(t *testing.T, method, path string, body any, as reqOpt, code int) map[string]mailtest.Message {
			t.Helper()
			before := len(smtp.Messages())
			env.call(method, path, body, as).expect(t, code)
			env.clock.Advance(UndoWindow + time.Second) // workflow mails wait out their undo window
			if _, err := sender.Drain(context.Background()); err != nil {
				t.Fatalf("deliver: %v", err)
			}
			got := map[string]mailtest.Message{}
			for _, m := range smtp.Messages()[before:] {
				for _, to := range m.To {
					if _, dup := got[to]; dup {
						t.Errorf("%s mailed twice for %s %s", to, method, path)
					}
					got[to] = m
				}
			}
			return got
		}
		expectTo := func(t *testing.T, got map[string]mailtest.Message, want ...*model.User) {
			t.Helper()
			var g, w []string
			for to := range got {
				g = append(g, to)
			}
			for _, u := range want {
				w = append(w, u.Email)
			}
			sort.Strings(g)
			sort.Strings(w)
			if strings.Join(g, ",") != strings.Join(w, ",") {
				t.Errorf("mailed %v, want %v", g, w)
			}
			link := "http://flicket.test/tickets/" + itoa(tk.ID)
			for to, m := range got {
				if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, link) {
					t.Errorf("mail to %s lacks the link %s in both parts", to, link)
				}
			}
		}
		ticket := "/flicket-api/ticket/" + itoa(tk.ID)

		t.Run("assign mails every subscriber and the new assignee once", func(t *testing.T) {
			got := step(t, http.MethodPost, ticket+"/assign", map[string]any{"user_id": carol.ID}, env.as(env.admin), http.StatusOK)
			expectTo(t, got, alice, bob, carol)
			if m := got[bob.Email]; m.Subject == got[alice.Email].Subject {
				t.Errorf("bob (fr) got the English subject %q", m.Subject)
			}
		})
		t.Run("a reply mails every subscriber but its author", func(t *testing.T) {
			got := step(t, http.MethodPost, "/flicket-api/posts", map[string]any{"ticket_id": tk.ID, "content": "Seen it too, at 10:00."}, asBob, http.StatusCreated)
			expectTo(t, got, alice, carol)
			if !strings.Contains(got[alice.Email].Text, "Seen it too, at 10:00.") {
				t.Errorf("the reply mail lacks the reply: %s", got[alice.Email].Text)
			}
		})
		t.Run("release mails every subscriber", func(t *testing.T) {
			expectTo(t, step(t, http.MethodPost, ticket+"/release", nil, asCarol, http.StatusOK), alice, bob, carol)
		})
		t.Run("claim mails every subscriber", func(t *testing.T) {
			expectTo(t, step(t, http.MethodPost, ticket+"/claim", nil, asBob, http.StatusOK), alice, bob, carol)
		})
		t.Run("close mails every subscriber", func(t *testing.T) {
			expectTo(t, step(t, http.MethodPost, ticket+"/close", nil, asAlice, http.StatusOK), alice, bob, carol)
		})
		t.Run("a refused change mails nobody", func(t *testing.T) {
			got := step(t, http.MethodPost, ticket+"/close", nil, asAlice, http.StatusConflict)
			expectTo(t, got)
		})
		t.Run("no mail for changes the original did not mail", func(t *testing.T) {
			expectTo(t, step(t, http.MethodPost, ticket+"/status", map[string]any{"status_id": model.StatusOpen}, asAlice, http.StatusOK))
			expectTo(t, step(t, http.MethodPost, ticket+"/priority", map[string]any{"ticket_priority_id": 3}, asAlice, http.StatusOK))
		})
	})
}

// TestUndoWindowMails: a workflow change's mails wait out UndoWindow in the
// outbox, and the same user changing the field back within it mails nobody
// (issue 13 §3), through the API, the real outbox and a real SMTP server.
func TestUndoWindowMails(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		outbox := mail.NewOutbox(env.db, mail.Options{BaseURL: "http://flicket.test", Now: env.clock.Now})
		env.srv.events, env.srv.mail = outbox, outbox
		smtp := mailtest.Start(t)
		smtp.Configure(t, env.db)
		sender := mail.NewSender(env.db, mail.SenderOptions{Now: env.clock.Now, Timeout: 5 * time.Second})

		alice := testutil.NewUser(t, env.db, "alice", nil) // creator
		bob := testutil.NewUser(t, env.db, "bob", nil)     // subscriber, claims
		carol := testutil.NewUser(t, env.db, "carol", nil)
		dave := testutil.NewUser(t, env.db, "dave", nil)
		asAdmin, asAlice, asBob, asCarol := env.as(env.admin), env.as(alice), env.as(bob), env.as(carol)

		newTicket := func(t *testing.T) string {
			t.Helper()
			var tk struct{ ID int64 }
			env.call(http.MethodPost, "/flicket-api/tickets", map[string]any{
				"title": "Printer offline", "content": "Since this morning.", "category_id": 1, "ticket_priority_id": 2,
			}, asAlice).expect(t, http.StatusCreated).decode(t, &tk)
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk.ID, "user_id": bob.ID}, asAlice).
				expect(t, http.StatusCreated)
			return "/flicket-api/ticket/" + itoa(tk.ID)
		}
		// deliver sends what is due and returns the subjects mailed, by recipient.
		deliver := func(t *testing.T) map[string][]string {
			t.Helper()
			before := len(smtp.Messages())
			if _, err := sender.Drain(context.Background()); err != nil {
				t.Fatalf("deliver: %v", err)
			}
			got := map[string][]string{}
			for _, m := range smtp.Messages()[before:] {
				for _, to := range m.To {
					got[to] = append(got[to], m.Subject)
				}
			}
			return got
		}
		// afterWindow delivers what is due now (expected: nothing), then
		// what is due once the window is over.
		afterWindow := func(t *testing.T) map[string][]string {
			t.Helper()
			if early := deliver(t); len(early) > 0 {
				t.Errorf("mailed within the undo window: %v", early)
			}
			env.clock.Advance(UndoWindow + time.Second)
			return deliver(t)
		}
		// count is how many mails went out.
		count := func(got map[string][]string) int {
			n := 0
			for _, s := range got {
				n += len(s)
			}
			return n
		}
		t.Run("an assign's mails wait out the window, then go", func(t *testing.T) {
			tk := newTicket(t)
			env.call(http.MethodPost, tk+"/assign", map[string]any{"user_id": carol.ID}, asAdmin).expect(t, http.StatusOK)
			var pending []model.OutboxMail
			testutil.Must(t, env.db.Where("status = ?", model.MailPending).Find(&pending).Error)
			for _, m := range pending {
				if !m.NextAttemptAt.After(env.clock.Now()) {
					t.Errorf("mail to %s due at %s, not held", m.RecipientEmail, m.NextAttemptAt)
				}
			}
			got := afterWindow(t)
			for _, u := range []*model.User{alice, bob, carol} {
				if len(got[u.Email]) != 1 || !strings.Contains(got[u.Email][0], "User carol") {
					t.Errorf("%s got %v, want the assign mail once", u.Username, got[u.Email])
				}
			}
		})
		t.Run("assign undone by a release of the same user mails nobody", func(t *testing.T) {
			tk := newTicket(t)
			env.call(http.MethodPost, tk+"/assign", map[string]any{"user_id": carol.ID}, asAdmin).expect(t, http.StatusOK)
			env.clock.Advance(UndoWindow / 2)
			env.call(http.MethodPost, tk+"/release", nil, asAdmin).expect(t, http.StatusOK)
			if got := afterWindow(t); count(got) != 0 {
				t.Errorf("an undone assign mailed %v", got)
			}
			if n := countRows(t, env, &model.OutboxMail{}, "status = ?", model.MailPending); n != 0 {
				t.Errorf("%d mails left pending", n)
			}
		})
		t.Run("claim undone, and reassignment undone, mail nobody", func(t *testing.T) {
			tk := newTicket(t)
			env.call(http.MethodPost, tk+"/claim", nil, asBob).expect(t, http.StatusOK)
			env.call(http.MethodPost, tk+"/release", nil, asBob).expect(t, http.StatusOK)
			if got := afterWindow(t); count(got) != 0 {
				t.Errorf("an undone claim mailed %v", got)
			}
			// Assigned to carol (mailed); then dave, and back to carol, by the admin.
			env.call(http.MethodPost, tk+"/assign", map[string]any{"user_id": carol.ID}, asAdmin).expect(t, http.StatusOK)
			afterWindow(t)
			env.call(http.MethodPost, tk+"/assign", map[string]any{"user_id": dave.ID}, asAdmin).expect(t, http.StatusOK)
			env.call(http.MethodPost, tk+"/assign", map[string]any{"user_id": carol.ID}, asAdmin).expect(t, http.StatusOK)
			if got := afterWindow(t); count(got) != 0 {
				t.Errorf("an undone reassignment mailed %v", got)
			}
		})
		t.Run("close undone by setting the status back mails nobody", func(t *testing.T) {
			tk := newTicket(t)
			env.call(http.MethodPost, tk+"/close", nil, asAlice).expect(t, http.StatusOK)
			env.call(http.MethodPost, tk+"/status", map[string]any{"status_id": model.StatusOpen}, asAlice).expect(t, http.StatusOK)
			if got := afterWindow(t); count(got) != 0 {
				t.Errorf("an undone close mailed %v", got)
			}
		})
		t.Run("a correction within the window mails the net change once", func(t *testing.T) {
			tk := newTicket(t)
			env.call(http.MethodPost, tk+"/assign", map[string]any{"user_id": carol.ID}, asAdmin).expect(t, http.StatusOK)
			env.call(http.MethodPost, tk+"/assign", map[string]any{"user_id": dave.ID}, asAdmin).expect(t, http.StatusOK)
			got := afterWindow(t)
			for _, u := range []*model.User{alice, bob, carol, dave} {
				if len(got[u.Email]) != 1 || !strings.Contains(got[u.Email][0], "User dave") {
					t.Errorf("%s got %v, want one mail: assigned to dave", u.Username, got[u.Email])
				}
			}
		})
		t.Run("a change back after the window is mailed", func(t *testing.T) {
			tk := newTicket(t)
			env.call(http.MethodPost, tk+"/claim", nil, asBob).expect(t, http.StatusOK)
			if got := afterWindow(t); len(got[alice.Email]) != 1 {
				t.Errorf("alice got %v for the claim", got[alice.Email])
			}
			env.call(http.MethodPost, tk+"/release", nil, asBob).expect(t, http.StatusOK)
			if got := afterWindow(t); len(got[alice.Email]) != 1 {
				t.Errorf("alice got %v for the release", got[alice.Email])
			}
		})
		t.Run("a change back by someone else is mailed, as is the change", func(t *testing.T) {
			tk := newTicket(t)
			env.call(http.MethodPost, tk+"/assign", map[string]any{"user_id": carol.ID}, asAdmin).expect(t, http.StatusOK)
			env.call(http.MethodPost, tk+"/release", nil, asCarol).expect(t, http.StatusOK)
			if got := afterWindow(t); len(got[alice.Email]) != 2 || len(got[bob.Email]) != 2 {
				t.Errorf("alice got %v, bob %v: want the assign and the release", got[alice.Email], got[bob.Email])
			}
		})
		t.Run("the same user's change back after another's change is no undo", func(t *testing.T) {
			tk := newTicket(t)
			env.call(http.MethodPost, tk+"/assign", map[string]any{"user_id": carol.ID}, asAdmin).expect(t, http.StatusOK)
			env.call(http.MethodPost, tk+"/claim", nil, asBob).expect(t, http.StatusOK)
			env.call(http.MethodPost, tk+"/release", nil, asAdmin).expect(t, http.StatusOK)
			// assigned to carol, claimed by bob, released: three changes, three mails each.
			if got := afterWindow(t); len(got[alice.Email]) != 3 {
				t.Errorf("alice got %v, want three mails", got[alice.Email])
			}
		})
		t.Run("an undone status or priority change is just a change back", func(t *testing.T) {
			tk := newTicket(t)
			env.call(http.MethodPost, tk+"/priority", map[string]any{"ticket_priority_id": 3}, asAlice).expect(t, http.StatusOK)
			env.call(http.MethodPost, tk+"/priority", map[string]any{"ticket_priority_id": 2}, asAlice).expect(t, http.StatusOK)
			env.call(http.MethodPost, tk+"/status", map[string]any{"status_id": model.StatusAwaitingInformation}, asAlice).expect(t, http.StatusOK)
			env.call(http.MethodPost, tk+"/status", map[string]any{"status_id": model.StatusOpen}, asAlice).expect(t, http.StatusOK)
			if got := afterWindow(t); count(got) != 0 {
				t.Errorf("status and priority changes mailed %v", got)
			}
		})
		// Last: it switches sending off for the rest of env.
		t.Run("with sending suppressed, mails wait out the window all the same", func(t *testing.T) {
			testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = ?", model.SettingsID).
				Update("mail_suppress_send", true).Error)
			tk := newTicket(t)
			env.call(http.MethodPost, tk+"/claim", nil, asBob).expect(t, http.StatusOK)
			deliver(t)
			if n := countRows(t, env, &model.OutboxMail{}, "status = ?", model.MailPending); n != 2 {
				t.Errorf("%d mails pending within the window, want the claim's 2 (alice and bob, subscribed)", n)
			}
			// An undo withdraws them: nothing is left to show as suppressed.
			env.call(http.MethodPost, tk+"/release", nil, asBob).expect(t, http.StatusOK)
			deliver(t)
			if n := countRows(t, env, &model.OutboxMail{}, "status IN ?", []string{model.MailPending, model.MailSuppressed}); n != 0 {
				t.Errorf("%d mails left of an undone claim", n)
			}
			// A change kept is suppressed once its window is over, never sent.
			env.call(http.MethodPost, tk+"/claim", nil, asBob).expect(t, http.StatusOK)
			if got := afterWindow(t); count(got) != 0 {
				t.Errorf("suppressed mail sent: %v", got)
			}
			if n := countRows(t, env, &model.OutboxMail{}, "status = ?", model.MailSuppressed); n != 2 {
				t.Errorf("%d mails suppressed after the window, want the claim's 2", n)
			}
		})
	})
}
