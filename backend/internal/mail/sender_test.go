package mail_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/mail/mailtest"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// queue puts n plain mails in the outbox, to r00@example.com, r01@... .
func (f *fixture) queue(n int, prefix string) {
	f.t.Helper()
	now := f.clock.Now()
	mails := make([]model.OutboxMail, n)
	for i := range mails {
		mails[i] = model.OutboxMail{
			Kind: model.MailKindClose, RecipientEmail: fmt.Sprintf("%s%02d@example.com", prefix, i), Locale: "en",
			Subject: fmt.Sprintf("Mail %d", i), BodyText: "text", BodyHTML: "<p>html</p>",
			Status: model.MailPending, NextAttemptAt: now, CreatedAt: now,
		}
	}
	testutil.Must(f.t, model.EnqueueMails(context.Background(), f.db, mails))
}

func (f *fixture) setSettings(values map[string]any) {
	f.t.Helper()
	testutil.Must(f.t, f.db.Model(&model.Settings{}).Where("id = ?", model.SettingsID).Updates(values).Error)
}

// onceEach fails unless every address got exactly one message.
func onceEach(t *testing.T, msgs []mailtest.Message, want []string) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range msgs {
		for _, to := range m.To {
			seen[to]++
		}
	}
	for _, w := range want {
		if seen[w] != 1 {
			t.Errorf("%s got %d messages, want 1", w, seen[w])
		}
		delete(seen, w)
	}
	for to, n := range seen {
		t.Errorf("unexpected %d message(s) to %s", n, to)
	}
}

func TestDeliveryAfterOutage(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		a, b, c := f.user("Alice"), f.user("Bob"), f.user("Carol")
		tk := f.ticket(a, "Outage", a, b, c)
		f.smtp.Stop()
		f.enqueue(model.Event{Kind: model.EventTicketClosed, TicketID: tk.ID, ActorID: a.ID})
		s := f.sender()

		p := f.drain(s)
		if p.Sent != 0 || p.Released != 3 || p.ServerError == nil || !strings.Contains(p.ServerError.Error(), "refused") {
			t.Fatalf("pass with the server down: %+v", p)
		}
		start := f.clock.Now()
		for _, r := range f.rows() {
			if r.Status != model.MailPending || r.Attempts != 0 || !r.NextAttemptAt.Equal(start.Add(time.Minute)) ||
				r.LastError == nil || !strings.Contains(*r.LastError, "refused") || r.ClaimedUntil != nil {
				t.Fatalf("row after a refused connection: %+v (last_error %v)", r, deref(r.LastError))
			}
		}
		// Not due yet: nothing is even tried.
		if p := f.drain(s); p.Claimed != 0 {
			t.Fatalf("retried before the backoff: %+v", p)
		}
		// Still down a minute later: the wait doubles.
		f.clock.Advance(time.Minute)
		if p := f.drain(s); p.Released != 3 {
			t.Fatalf("second try: %+v", p)
		}
		for _, r := range f.rows() {
			if want := f.clock.Now().Add(2 * time.Minute); !r.NextAttemptAt.Equal(want) || r.Attempts != 0 {
				t.Fatalf("second backoff: next %v, want %v; attempts %d", r.NextAttemptAt, want, r.Attempts)
			}
		}

		f.smtp.Restart(t)
		if p := f.drain(s); p.Claimed != 0 {
			t.Fatalf("sent before the backoff ran out: %+v", p)
		}
		f.clock.Advance(2 * time.Minute)
		if p := f.drain(s); p.Sent != 3 {
			t.Fatalf("after the server came back: %+v", p)
		}
		f.clock.Advance(time.Hour)
		if p := f.drain(s); p.Claimed != 0 {
			t.Fatalf("sent again: %+v", p)
		}
		onceEach(t, f.smtp.Messages(), emails(a, b, c))
		for _, r := range f.rows() {
			if r.Status != model.MailSent || r.Attempts != 1 || r.SentAt == nil || r.LastError != nil || r.ClaimToken != nil {
				t.Fatalf("row after delivery: %+v", r)
			}
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestTwoSendersNeverSendTwice runs two senders, each with its own
// connection pool as two server processes would have, over the same rows.
func TestTwoSendersNeverSendTwice(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		const n = 80
		f.queue(n, "r")
		f.smtp.SlowData(2 * time.Millisecond)
		var want []string
		for i := 0; i < n; i++ {
			want = append(want, fmt.Sprintf("r%02d@example.com", i))
		}

		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var wg sync.WaitGroup
		sent := make([]int, 2)
		errs := make([]error, 2)
		for i := range 2 {
			db, _, err := database.Open(ctx, tdb.URL, database.Options{MaxOpenConns: 4})
			testutil.Must(t, err)
			defer func() { _ = database.Close(db) }()
			s := mail.NewSender(db, mail.SenderOptions{Now: f.clock.Now, BatchSize: 3, Timeout: 10 * time.Second})
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					p, err := s.Drain(ctx)
					if err != nil {
						errs[i] = err
						return
					}
					sent[i] += p.Sent
					var left int64
					if err := db.Model(&model.OutboxMail{}).Where("status = ?", model.MailPending).Count(&left).Error; err != nil {
						errs[i] = err
						return
					}
					if left == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			testutil.Must(t, err)
		}
		if sent[0]+sent[1] != n || sent[0] == 0 || sent[1] == 0 {
			t.Logf("sender split: %v", sent) // both should have worked, but the split is up to the scheduler
		}
		onceEach(t, f.smtp.Messages(), want)
		var bad int64
		testutil.Must(t, f.db.Model(&model.OutboxMail{}).Where("status <> ? OR attempts <> 1", model.MailSent).Count(&bad).Error)
		if bad != 0 {
			t.Fatalf("%d rows not sent exactly once", bad)
		}
	})
}

func TestSuppressAndUnconfigured(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		s := f.sender()
		u := f.user("Ursula")

		t.Run("suppress_send marks mail suppressed without a server", func(t *testing.T) {
			f.setSettings(map[string]any{"mail_suppress_send": true, "mail_port": mailtest.ClosedPort(t)})
			f.queue(2, "s")
			err := f.db.Transaction(func(tx *gorm.DB) error {
				return f.outbox.EnqueuePasswordReset(context.Background(), tx, u, "secret-token")
			})
			testutil.Must(t, err)
			p := f.drain(s)
			if p.Suppressed != 3 || p.Claimed != 0 || p.ServerError != nil {
				t.Fatalf("pass: %+v", p)
			}
			for _, r := range f.rows() {
				if r.Status != model.MailSuppressed || r.SentAt != nil || r.Attempts != 0 {
					t.Fatalf("row: %+v", r)
				}
				if r.Kind == model.MailKindPasswordReset && (strings.Contains(r.BodyText, "secret-token") || strings.Contains(r.BodyHTML, "secret-token")) {
					t.Fatal("a suppressed reset mail keeps its link")
				}
			}
			// Switching sending on later does not send them.
			f.smtp.Configure(t, f.db)
			if p := f.drain(s); p.Claimed != 0 || len(f.smtp.Messages()) != 0 {
				t.Fatalf("suppressed mail sent later: %+v", p)
			}
		})

		t.Run("no mail server: mail waits, then goes", func(t *testing.T) {
			testutil.Must(t, f.db.Where("1 = 1").Delete(&model.OutboxMail{}).Error)
			f.setSettings(map[string]any{"mail_server": nil})
			f.queue(2, "w")
			if p := f.drain(s); !p.NotConfigured || p.Claimed != 0 {
				t.Fatalf("pass: %+v", p)
			}
			for _, r := range f.rows() {
				if r.Status != model.MailPending || r.Attempts != 0 || r.LastError != nil {
					t.Fatalf("waiting row: %+v", r)
				}
			}
			f.smtp.Configure(t, f.db)
			if p := f.drain(s); p.Sent != 2 {
				t.Fatalf("after configuring: %+v", p)
			}
			onceEach(t, f.smtp.Messages(), []string{"w00@example.com", "w01@example.com"})
		})
	})
}

func TestRefusedMailRetriesThenFails(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		f.smtp.RejectRcpt(func(to string) error {
			switch to {
			case "r00@example.com":
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "mailbox busy, try later"}
			case "r01@example.com":
				return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
			}
			return nil
		})
		f.queue(3, "r")
		s := f.sender() // MaxAttempts 3, RetryBase 1m
		byTo := func() map[string]model.OutboxMail {
			m := map[string]model.OutboxMail{}
			for _, r := range f.rows() {
				m[r.RecipientEmail] = r
			}
			return m
		}

		if p := f.drain(s); p.Sent != 1 || p.Retried != 1 || p.Failed != 1 {
			t.Fatalf("first pass: %+v", p)
		}
		rows := byTo()
		if r := rows["r02@example.com"]; r.Status != model.MailSent {
			t.Errorf("the good mail: %+v", r)
		}
		if r := rows["r01@example.com"]; r.Status != model.MailFailed || !strings.Contains(deref(r.LastError), "no such user") {
			t.Errorf("permanently refused mail: %+v (%s)", r, deref(r.LastError))
		}
		busy := rows["r00@example.com"]
		if busy.Status != model.MailPending || busy.Attempts != 1 || !busy.NextAttemptAt.Equal(f.clock.Now().Add(time.Minute)) ||
			!strings.Contains(deref(busy.LastError), "try later") {
			t.Fatalf("temporarily refused mail: %+v (%s)", busy, deref(busy.LastError))
		}
		f.clock.Advance(time.Minute)
		if p := f.drain(s); p.Retried != 1 {
			t.Fatalf("second pass: %+v", p)
		}
		if busy = byTo()["r00@example.com"]; busy.Attempts != 2 || !busy.NextAttemptAt.Equal(f.clock.Now().Add(2*time.Minute)) {
			t.Fatalf("backoff did not double: %+v", busy)
		}
		f.clock.Advance(2 * time.Minute)
		if p := f.drain(s); p.Failed != 1 {
			t.Fatalf("third pass: %+v", p)
		}
		if busy = byTo()["r00@example.com"]; busy.Status != model.MailFailed || busy.Attempts != 3 || !strings.Contains(deref(busy.LastError), "451") {
			t.Fatalf("after the last attempt: %+v (%s)", busy, deref(busy.LastError))
		}
		if n := len(f.smtp.Messages()); n != 1 {
			t.Fatalf("%d messages delivered, want 1", n)
		}
	})
}

func TestSettingsAreReadAtSendTime(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		s := f.sender()
		f.queue(1, "first")
		f.drain(s)
		other := mailtest.Start(t)
		other.Configure(t, f.db)
		f.queue(1, "second")
		f.drain(s)
		onceEach(t, f.smtp.Messages(), []string{"first00@example.com"})
		onceEach(t, other.Messages(), []string{"second00@example.com"})
	})
}

func TestPasswordResetMail(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		fr := f.user("Fanny", testutil.WithLocale("fr"))
		err := f.db.Transaction(func(tx *gorm.DB) error {
			return f.outbox.EnqueuePasswordReset(context.Background(), tx, fr, "tok-123_abc")
		})
		testutil.Must(t, err)
		f.drain(f.sender())
		m := f.smtp.WaitFor(t, 1, 5*time.Second)[0]
		link := "http://flicket.test/reset-password?token=tok-123_abc"
		if m.Subject != "Réinitialisation du mot de passe" || !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, `href="`+link+`"`) ||
			!strings.Contains(m.Text, "Bonjour Fanny,") || !strings.Contains(m.Text, fr.Username) {
			t.Fatalf("reset mail %q:\n%s\n%s", m.Subject, m.Text, m.HTML)
		}
		r := f.rows()[0]
		if r.Kind != model.MailKindPasswordReset || r.Status != model.MailSent || r.BodyText != model.MailRedacted || r.BodyHTML != model.MailRedacted {
			t.Fatalf("sent reset row keeps its body: %+v", r)
		}
	})
}

func TestRunDeliversAndStops(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		s := mail.NewSender(f.db, mail.SenderOptions{PollInterval: 20 * time.Millisecond})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			s.Run(ctx)
			close(done)
		}()
		f.queue(2, "run")
		f.smtp.WaitFor(t, 2, 10*time.Second)
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not stop")
		}
		onceEach(t, f.smtp.Messages(), []string{"run00@example.com", "run01@example.com"})
	})
}
