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
