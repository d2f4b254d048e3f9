package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/mail/mailtest"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// serverAddress is a mail server's address as an error names it.
var serverAddress = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// setConfig changes the config row directly.
func (e *testEnv) setConfig(values map[string]any) {
	e.t.Helper()
	testutil.Must(e.t, e.db.Model(&model.Settings{}).Where("id = ?", model.SettingsID).Updates(values).Error)
}

// mailSender delivers the outbox on the env's clock.
func (e *testEnv) mailSender() *mail.Sender {
	return mail.NewSender(e.db, mail.SenderOptions{Now: e.clock.Now, Timeout: 5 * time.Second})
}

func (e *testEnv) deliver() {
	e.t.Helper()
	_, err := e.mailSender().Drain(context.Background())
	testutil.Must(e.t, err)
}

func TestTestEmail(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(env.admin)
		smtp := mailtest.Start(t)
		const path = "/flicket-api/config/test-email"

		t.Run("409 while no mail server is configured", func(t *testing.T) {
			env.call(http.MethodPost, path, map[string]any{"email_address": "x@example.com"}, as).
				expectError(t, http.StatusConflict, "mail.not_configured")
		})

		smtp.Configure(t, env.db)
		env.setConfig(map[string]any{"mail_username": nil, "mail_password": "hunter2-smtp-secret"})

		t.Run("sends at once, with text and HTML", func(t *testing.T) {
			r := env.call(http.MethodPost, path, map[string]any{"email_address": "ops@example.com"}, as).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{"email_address": "ops@example.com", "message": "The mail server accepted the test e-mail to ops@example.com."}`)
			msgs := smtp.Messages() // synchronous: already there
			if len(msgs) != 1 {
				t.Fatalf("%d messages", len(msgs))
			}
			m := msgs[0]
			if m.To[0] != "ops@example.com" || m.Subject != "Flicket Test Email" ||
				!strings.Contains(m.Text, "The Flicket email settings appear to be working. Excellent.") || !strings.Contains(m.HTML, "Excellent.") {
				t.Fatalf("test mail: %+v", m)
			}
			var n int64
			testutil.Must(t, env.db.Model(&model.OutboxMail{}).Count(&n).Error)
			if n != 0 {
				t.Errorf("the test mail went through the outbox (%d rows)", n)
			}
		})

		t.Run("ignores suppress_send", func(t *testing.T) {
			env.setConfig(map[string]any{"mail_suppress_send": true})
			defer env.setConfig(map[string]any{"mail_suppress_send": false})
			before := len(smtp.Messages())
			env.call(http.MethodPost, path, map[string]any{"email_address": "ops@example.com"}, as).expect(t, http.StatusOK)
			if len(smtp.Messages()) != before+1 {
				t.Fatal("not sent")
			}
		})

		t.Run("422 for a bad address", func(t *testing.T) {
			for _, body := range []any{
				map[string]any{"email_address": "not-an-address"},
				map[string]any{"email_address": ""},
				map[string]any{},
				map[string]any{"email_address": strings.Repeat("a", 250) + "@example.com"},
			} {
				env.call(http.MethodPost, path, body, as).expectField(t, "email_address", "")
			}
			env.call(http.MethodPost, path, map[string]any{"email_address": 12}, as).expectField(t, "email_address", "type")
		})

		// The failures are classified in our words: the remote's banner and
		// replies never come back (the test mail is no port scanner).
		const banner = "acme-internal-7"
		fake := fakeSMTP(t, banner)
		silent := silentListener(t)
		env.srv.testEmailTimeout = 300 * time.Millisecond
		cases := []struct {
			name     string
			settings map[string]any
			kind     string
			field    string
		}{
			{"refused", map[string]any{"mail_port": mailtest.ClosedPort(t), "mail_username": "flicket"}, "refused", "mail_port"},
			{"timeout", map[string]any{"mail_port": silent}, "timeout", "mail_port"},
			{"STARTTLS not offered", map[string]any{"mail_port": smtp.Port, "mail_use_tls": true}, "tls", "mail_use_tls"},
			{"TLS on a plain port", map[string]any{"mail_port": fake, "mail_use_ssl": true}, "tls", "mail_use_tls"},
			{"authentication refused", map[string]any{"mail_port": fake, "mail_username": "flicket"}, "auth", "mail_password"},
			{"recipient refused", map[string]any{"mail_port": fake, "mail_username": nil}, "rejected", "mail_default_sender"},
			{"credentials in clear to another host", map[string]any{"mail_server": "mail.example.com", "mail_username": "flicket"}, "insecure_auth", "mail_use_tls"},
		}
		for _, tc := range cases {
			t.Run("502 when "+tc.name, func(t *testing.T) {
				env.setConfig(map[string]any{"mail_server": "127.0.0.1", "mail_username": nil, "mail_use_tls": false, "mail_use_ssl": false})
				env.setConfig(tc.settings)
				start := time.Now()
				r := env.call(http.MethodPost, path, map[string]any{"email_address": "ops@example.com"}, as)
				body := r.expectError(t, http.StatusBadGateway, "mail.send_failed")
				if len(body.Errors) != 1 || body.Errors[0].Code != tc.kind || body.Errors[0].Field != tc.field {
					t.Errorf("errors = %+v, want %s on %s", body.Errors, tc.kind, tc.field)
				}
				// The answer names the server (127.0.0.1:<port>): a port such
				// as 35501 is no quoted reply code.
				answer := serverAddress.ReplaceAllString(string(r.Body), "")
				for _, leak := range []string{banner, "hunter2", "5.7.8", "550"} {
					if strings.Contains(answer, leak) {
						t.Errorf("the answer quotes %q: %s", leak, r.Body)
					}
				}
				if took := time.Since(start); took > 5*time.Second {
					t.Errorf("took %s", took)
				}
			})
		}
		env.setConfig(map[string]any{"mail_server": "127.0.0.1", "mail_port": smtp.Port, "mail_username": nil, "mail_use_tls": false, "mail_use_ssl": false})

		t.Run("in the administrator's language", func(t *testing.T) {
			fr := testutil.NewUser(t, env.db, "adminfr", []string{model.AdminGroup}, testutil.WithLocale("fr"))
			before := len(smtp.Messages())
			env.call(http.MethodPost, path, map[string]any{"email_address": "ops@example.com"}, env.as(fr)).expect(t, http.StatusOK)
			if m := smtp.Messages()[before]; m.Subject != "E-mail de test de Flicket" {
				t.Errorf("subject %q", m.Subject)
			}
		})

		t.Run("administrators only", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "plainuser", []string{model.SuperUserGroup})
			env.call(http.MethodPost, path, map[string]any{"email_address": "ops@example.com"}, env.as(u)).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodPost, path, map[string]any{"email_address": "ops@example.com"}).expectError(t, http.StatusUnauthorized, "auth.token_missing")
		})
	})
}

func TestOutboxList(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(env.admin)
		env.setConfig(map[string]any{"mail_password": "hunter2-smtp-secret"})
		now := env.clock.Now().Truncate(time.Second)
		boom := "mail server smtp.example.com:25: connection refused"
		uid := env.admin.ID
		rows := []model.OutboxMail{
			{Kind: model.MailKindReply, RecipientEmail: "a@example.com", RecipientUserID: &uid, Status: model.MailSent, SentAt: &now, Attempts: 1},
			{Kind: model.MailKindClose, RecipientEmail: "b@example.com", Status: model.MailPending, LastError: &boom},
			{Kind: model.MailKindPasswordReset, RecipientEmail: "c@example.com", Status: model.MailFailed, Attempts: 10, LastError: &boom},
			{Kind: model.MailKindClaim, RecipientEmail: "d@example.com", Status: model.MailPending},
		}
		for i := range rows {
			rows[i].Locale, rows[i].Subject, rows[i].CreatedAt, rows[i].NextAttemptAt = "en", fmt.Sprintf("Subject %d", i), now, now
			rows[i].BodyText, rows[i].BodyHTML = "secret body text", "<p>secret body html</p>"
		}
		testutil.Must(t, model.EnqueueMails(context.Background(), env.db, rows))

		t.Run("newest first, without bodies or SMTP settings", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/mail/outbox/", nil, as).expect(t, http.StatusOK)
			for _, leak := range []string{"secret body", "hunter2", "body_text", "mail_password"} {
				if strings.Contains(string(r.Body), leak) {
					t.Errorf("list leaks %q: %s", leak, r.Body)
				}
			}
			var got Envelope[OutboxMail]
			r.decode(t, &got)
			if got.Meta.TotalItems != 4 || len(got.Items) != 4 || got.Items[0].ID != rows[3].ID || got.Items[3].ID != rows[0].ID {
				t.Fatalf("list: %+v", got)
			}
			first := r.object(t)["items"].([]any)[3]
			assertJSON(t, mailTestJSON(t, first), fmt.Sprintf(`{
			 "attempts": 1, "created_at": %q, "id": %d, "kind": "reply", "last_error": null,
			 "links": {"recipient": "%s/user/%d", "ticket": null}, "locale": "en", "next_attempt_at": %q,
			 "recipient_email": "a@example.com", "recipient_user_id": %d, "sent_at": %q, "status": "sent",
			 "subject": "Subject 0", "ticket_id": null}`,
				now.Format(http.TimeFormat), rows[0].ID, testBase, uid, now.Format(http.TimeFormat), uid, now.Format(http.TimeFormat)))
		})

		t.Run("filter by status", func(t *testing.T) {
			var got Envelope[OutboxMail]
			env.call(http.MethodGet, "/flicket-api/mail/outbox/?status=pending", nil, as).expect(t, http.StatusOK).decode(t, &got)
			if got.Meta.TotalItems != 2 || got.Items[0].Status != model.MailPending || got.Items[1].Status != model.MailPending {
				t.Fatalf("pending: %+v", got)
			}
			env.call(http.MethodGet, "/flicket-api/mail/outbox/?status=failed", nil, as).expect(t, http.StatusOK).decode(t, &got)
			if got.Meta.TotalItems != 1 || got.Items[0].Kind != model.MailKindPasswordReset || got.Items[0].LastError == nil || *got.Items[0].LastError != boom {
				t.Fatalf("failed: %+v", got)
			}
			env.call(http.MethodGet, "/flicket-api/mail/outbox/?status=sent", nil, as).expect(t, http.StatusOK).decode(t, &got)
			if got.Meta.TotalItems != 1 || got.Items[0].SentAt == nil {
				t.Fatalf("sent: %+v", got)
			}
			env.call(http.MethodGet, "/flicket-api/mail/outbox/?status=lost", nil, as).expectError(t, http.StatusBadRequest, "request.invalid_parameter")
		})

		t.Run("paging keeps the filter", func(t *testing.T) {
			var got Envelope[OutboxMail]
			env.call(http.MethodGet, "/flicket-api/mail/outbox/?status=pending&per_page=1&page=2", nil, as).expect(t, http.StatusOK).decode(t, &got)
			if len(got.Items) != 1 || got.Items[0].ID != rows[1].ID || got.Meta.TotalPages != 2 || got.Links.Next != nil ||
				got.Links.Prev == nil || *got.Links.Prev != testBase+"/mail/outbox/?page=1&per_page=1&status=pending" {
				t.Fatalf("page 2: %+v %+v", got.Items, got.Links)
			}
			env.call(http.MethodGet, "/flicket-api/mail/outbox/?page=9", nil, as).expect(t, http.StatusOK).decode(t, &got)
			if len(got.Items) != 0 || got.Meta.TotalItems != 4 {
				t.Fatalf("past the end: %+v", got)
			}
		})

		t.Run("administrators only", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "superu", []string{model.SuperUserGroup})
			env.call(http.MethodGet, "/flicket-api/mail/outbox/", nil, env.as(u)).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodGet, "/flicket-api/mail/outbox/", nil).expectError(t, http.StatusUnauthorized, "auth.token_missing")
		})
	})
}

func mailTestJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	testutil.Must(t, err)
	return b
}

// fakeSMTP is a scripted SMTP server with a recognisable banner that offers
// AUTH CRAM-MD5 and refuses it, and refuses every recipient, quoting its
// name each time. It answers until the test ends.
func fakeSMTP(t *testing.T, banner string) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	testutil.Must(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = conn.Close() }()
				_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
				w := func(s string) { _, _ = conn.Write([]byte(s + "\r\n")) }
				w("220 " + banner + " ESMTP SecretMTA 9.1 ready")
				sc := bufio.NewScanner(conn)
				for sc.Scan() {
					cmd := strings.ToUpper(sc.Text())
					switch {
					case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
						w("250-" + banner + " greets you")
						w("250 AUTH CRAM-MD5")
					case strings.HasPrefix(cmd, "AUTH"):
						w("535 5.7.8 " + banner + " rejects these credentials")
					case strings.HasPrefix(cmd, "MAIL"):
						w("250 ok " + banner)
					case strings.HasPrefix(cmd, "RCPT"):
						w("550 5.1.1 " + banner + " knows no such user")
					case strings.HasPrefix(cmd, "QUIT"):
						w("221 " + banner + " bye")
						return
					default:
						w("250 ok " + banner)
					}
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// silentListener accepts connections and never says a word.
func silentListener(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	testutil.Must(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}
