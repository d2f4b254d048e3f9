package mail_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestNotificationRecipients(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		author := f.user("Alice Author")
		bob := f.user("Bob Subscriber")
		gone := f.user("Dora Disabled", testutil.Disabled())
		fr := f.user("Fanny French", testutil.WithLocale("fr"))
		eve := f.user("Eve Assignee")
		sender := f.sender()

		cases := []struct {
			name string
			ev   func(tk *model.Ticket) model.Event
			want []*model.User
		}{
			{"reply: every subscriber but the author", func(tk *model.Ticket) model.Event {
				p := f.post(tk, author, "Have you tried turning it off and on again?")
				return model.Event{Kind: model.EventPostCreated, TicketID: tk.ID, ActorID: author.ID, PostID: &p.ID}
			}, []*model.User{bob, fr}},
			{"assign: every subscriber plus the new assignee", func(tk *model.Ticket) model.Event {
				return model.Event{Kind: model.EventTicketAssigned, TicketID: tk.ID, ActorID: author.ID, AssigneeID: &eve.ID}
			}, []*model.User{author, bob, fr, eve}},
			{"assign: a subscribed assignee gets one mail", func(tk *model.Ticket) model.Event {
				return model.Event{Kind: model.EventTicketAssigned, TicketID: tk.ID, ActorID: author.ID, AssigneeID: &bob.ID}
			}, []*model.User{author, bob, fr}},
			{"assign: a disabled assignee gets none", func(tk *model.Ticket) model.Event {
				return model.Event{Kind: model.EventTicketAssigned, TicketID: tk.ID, ActorID: author.ID, AssigneeID: &gone.ID}
			}, []*model.User{author, bob, fr}},
			{"claim: every subscriber, the claimer too", func(tk *model.Ticket) model.Event {
				return model.Event{Kind: model.EventTicketClaimed, TicketID: tk.ID, ActorID: bob.ID, AssigneeID: &bob.ID}
			}, []*model.User{author, bob, fr}},
			{"release: every subscriber", func(tk *model.Ticket) model.Event {
				return model.Event{Kind: model.EventTicketReleased, TicketID: tk.ID, ActorID: bob.ID}
			}, []*model.User{author, bob, fr}},
			{"close: every subscriber", func(tk *model.Ticket) model.Event {
				return model.Event{Kind: model.EventTicketClosed, TicketID: tk.ID, ActorID: author.ID}
			}, []*model.User{author, bob, fr}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := len(f.smtp.Messages())
				tk := f.ticket(author, "Printer "+tc.name, author, bob, gone, fr)
				f.enqueue(tc.ev(tk))
				if p := f.drain(sender); p.Sent != len(tc.want) {
					t.Fatalf("sent %d, want %d (%+v)", p.Sent, len(tc.want), p)
				}
				got := recipients(f.smtp.Messages()[before:])
				if !sameStrings(got, emails(tc.want...)) {
					t.Fatalf("recipients %v, want %v", got, emails(tc.want...))
				}
			})
		}

		t.Run("no subscribers, no mail", func(t *testing.T) {
			tk := f.ticket(author, "Lonely ticket")
			f.enqueue(model.Event{Kind: model.EventTicketClosed, TicketID: tk.ID, ActorID: author.ID})
			var n int64
			testutil.Must(t, f.db.Model(&model.OutboxMail{}).Where("ticket_id = ?", tk.ID).Count(&n).Error)
			if n != 0 {
				t.Fatalf("%d rows queued", n)
			}
		})

		t.Run("events nobody is mailed about queue nothing", func(t *testing.T) {
			tk := f.ticket(author, "Quiet events", bob)
			for _, kind := range []string{model.EventTicketStatusChanged, model.EventTicketPriorityChanged, model.EventPostEdited, "explode"} {
				err := f.db.Transaction(func(tx *gorm.DB) error {
					return f.outbox.Enqueue(context.Background(), tx, model.Event{Kind: kind, TicketID: tk.ID, ActorID: author.ID})
				})
				if err != nil {
					t.Fatalf("%s: %v", kind, err)
				}
			}
			var n int64
			testutil.Must(t, f.db.Model(&model.OutboxMail{}).Where("ticket_id = ?", tk.ID).Count(&n).Error)
			if n != 0 {
				t.Fatalf("%d mails queued", n)
			}
		})
	})
}

func TestNotificationContentAndLanguage(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		author := f.user("Alice Author")
		en := f.user("Bob English")
		fr := f.user("Fanny Française", testutil.WithLocale("fr"))
		tk := f.ticket(author, `Printer <b>"jam"</b>`, author, en, fr)
		p := f.post(tk, author, "Try <script>alert(1)</script>\nthen reboot.")
		f.enqueue(model.Event{Kind: model.EventPostCreated, TicketID: tk.ID, ActorID: author.ID, PostID: &p.ID})
		f.drain(f.sender())
		msgs := f.smtp.WaitFor(t, 2, 5*time.Second)
		num := fmt.Sprintf("%05d", tk.ID)
		link := fmt.Sprintf("http://flicket.test/tickets/%d", tk.ID)
		byTo := map[string]int{}
		for i, m := range msgs {
			byTo[m.To[0]] = i
		}

		m := msgs[byTo[en.Email]]
		if want := `Ticket #` + num + ` - "Printer <b>"jam"</b>" has new replies.`; m.Subject != want {
			t.Errorf("English subject %q, want %q", m.Subject, want)
		}
		for _, want := range []string{"There are new replies to ticket " + num, "Alice Author replied:", "Try <script>alert(1)</script>\nthen reboot.",
			"Status: Open", "Priority: high", "Assigned: ticket not claimed", "Title: Printer <b>\"jam\"</b>", link, "prints <nothing>."} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("English text lacks %q:\n%s", want, m.Text)
			}
		}
		for _, want := range []string{`href="` + link + `"`, "Printer &lt;b&gt;&#34;jam&#34;&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;", "prints &lt;nothing&gt;."} {
			if !strings.Contains(m.HTML, want) {
				t.Errorf("English HTML lacks %q:\n%s", want, m.HTML)
			}
		}
		if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, "<b>") {
			t.Errorf("HTML part is not escaped:\n%s", m.HTML)
		}
		if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
			t.Errorf("Content-Type %q, want multipart/alternative", ct)
		}
		if m.From != "flicket@example.com" || m.Header.Get("Auto-Submitted") != "auto-generated" || m.Header.Get("Message-Id") == "" {
			t.Errorf("envelope from %q, headers %v", m.From, m.Header)
		}

		m = msgs[byTo[fr.Email]]
		if want := `Ticket n° ` + num + ` - « Printer <b>"jam"</b> » a de nouvelles réponses.`; m.Subject != want {
			t.Errorf("French subject %q, want %q", m.Subject, want)
		}
		for _, want := range []string{"Le ticket " + num + " a de nouvelles réponses.", "Alice Author a répondu :", "Statut : Ouvert", "Priorité : haute",
			"Assigné à : ticket non attribué", link} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("French text lacks %q:\n%s", want, m.Text)
			}
		}
		if !strings.Contains(m.HTML, `lang="fr"`) || !strings.Contains(m.HTML, "Ouvrir le ticket "+num) {
			t.Errorf("French HTML:\n%s", m.HTML)
		}

		t.Run("assign names the assignee, in each language", func(t *testing.T) {
			before := len(f.smtp.Messages())
			tk := f.ticket(author, "Screen", fr)
			testutil.Must(t, f.db.Model(tk).Updates(map[string]any{"assigned_id": en.ID, "status_id": model.StatusInWork}).Error)
			f.enqueue(model.Event{Kind: model.EventTicketAssigned, TicketID: tk.ID, ActorID: author.ID, AssigneeID: &en.ID})
			f.drain(f.sender())
			msgs := f.smtp.WaitFor(t, before+2, 5*time.Second)[before:]
			for _, m := range msgs {
				switch m.To[0] {
				case fr.Email:
					if !strings.HasSuffix(m.Subject, "a été assigné à Bob English.") || !strings.Contains(m.Text, "Statut : En cours") {
						t.Errorf("French assign mail: %q\n%s", m.Subject, m.Text)
					}
				case en.Email:
					if !strings.HasSuffix(m.Subject, "has been assigned to Bob English.") || !strings.Contains(m.Text, "Assigned: Bob English") {
						t.Errorf("English assign mail: %q\n%s", m.Subject, m.Text)
					}
				default:
					t.Errorf("unexpected recipient %v", m.To)
				}
			}
		})

		t.Run("FLICKET_BASE_URL wins over the config row", func(t *testing.T) {
			o := f.outboxWithBase("https://help.example.org/")
			tk := f.ticket(author, "Base URL", en)
			err := f.db.Transaction(func(tx *gorm.DB) error {
				return o.Enqueue(context.Background(), tx, model.Event{Kind: model.EventTicketClosed, TicketID: tk.ID, ActorID: author.ID})
			})
			testutil.Must(t, err)
			var row model.OutboxMail
			testutil.Must(t, f.db.Where("ticket_id = ?", tk.ID).First(&row).Error)
			if !strings.Contains(row.BodyText, fmt.Sprintf("https://help.example.org/tickets/%d", tk.ID)) {
				t.Fatalf("link not on the configured base:\n%s", row.BodyText)
			}
		})
	})
}

func TestEnqueueIsPartOfTheTransaction(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		a, b := f.user("Alice"), f.user("Bob")
		tk := f.ticket(a, "Rolled back", a, b)
		boom := errors.New("boom")
		err := f.db.Transaction(func(tx *gorm.DB) error {
			if err := f.outbox.Enqueue(context.Background(), tx, model.Event{Kind: model.EventTicketClosed, TicketID: tk.ID, ActorID: a.ID}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		if rows := f.rows(); len(rows) != 0 {
			t.Fatalf("%d mails survived the rollback", len(rows))
		}
	})
}

func TestOutstandingDigest(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		starter := f.user("Sam Starter")
		worker := f.user("Wanda Worker", testutil.WithLocale("fr"))
		closedOnly := f.user("Carl Closed")
		disabled := f.user("Dan Disabled", testutil.Disabled())
		f.user("Nora Nothing")

		open := f.ticket(starter, "Open & assigned")
		testutil.Must(t, f.db.Model(open).Updates(map[string]any{"assigned_id": worker.ID, "status_id": model.StatusInWork}).Error)
		f.ticket(starter, "Second open one")
		closed := f.ticket(closedOnly, "Closed one")
		testutil.Must(t, f.db.Model(closed).Update("status_id", model.StatusClosed).Error)
		f.ticket(disabled, "Disabled user's ticket")

		n, err := f.outbox.EnqueueOutstanding(context.Background())
		testutil.Must(t, err)
		if n != 2 {
			t.Fatalf("queued %d digests, want 2 (starter, worker)", n)
		}
		f.drain(f.sender())
		msgs := f.smtp.WaitFor(t, 2, 5*time.Second)
		if got := recipients(msgs); !sameStrings(got, emails(starter, worker)) {
			t.Fatalf("recipients %v", got)
		}
		for _, m := range msgs {
			switch m.To[0] {
			case starter.Email:
				for _, want := range []string{"Outstanding Ticket Notifications"} {
					if m.Subject != want {
						t.Errorf("subject %q", m.Subject)
					}
				}
				for _, want := range []string{"Hello Sam Starter,", "Tickets Still Awaiting Resolution", fmt.Sprintf("%05d", open.ID), "Open & assigned",
					"Second open one", "Wanda Worker", "ticket not claimed", fmt.Sprintf("http://flicket.test/tickets/%d", open.ID)} {
					if !strings.Contains(m.Text, want) {
						t.Errorf("starter's digest lacks %q:\n%s", want, m.Text)
					}
				}
				if strings.Contains(m.Text, "Closed one") || strings.Contains(m.Text, "Disabled user") {
					t.Errorf("starter's digest lists others' tickets:\n%s", m.Text)
				}
				if !strings.Contains(m.HTML, "Open &amp; assigned") {
					t.Errorf("HTML digest:\n%s", m.HTML)
				}
			case worker.Email:
				if m.Subject != "Notification des tickets en suspens" || !strings.Contains(m.Text, "Open & assigned") ||
					strings.Contains(m.Text, "Second open one") || !strings.Contains(m.Text, "En cours") {
					t.Errorf("worker's digest %q:\n%s", m.Subject, m.Text)
				}
			}
		}
	})
}

// A reply event that carries its text, on an outbox given the settings (as
// `serve` wires it), queues the very mails the outbox makes by reading the
// reply and the config row, without those two reads, nor one for the
// replier's name when they are a subscriber.
func TestNotificationFromWhatTheEventCarries(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		f := newFixture(t, tdb)
		author := f.user("Alice Author")
		en := f.user("Bob English")
		fr := f.user("Fanny Française", testutil.WithLocale("fr"))
		tk := f.ticket(author, "Printer jam", author, en, fr)
		p := f.post(tk, author, "Try *this*\nthen reboot.")
		ctx := context.Background()
		st, err := model.LoadSettings(ctx, f.db)
		testutil.Must(t, err)
		settingsRead := 0
		carried := mail.NewOutbox(f.db, mail.Options{Now: f.clock.Now, Settings: func(context.Context) (model.Settings, error) {
			settingsRead++
			return *st, nil
		}})

		queue := func(o *mail.Outbox, ev model.Event) ([]model.OutboxMail, []string) {
			t.Helper()
			rec, stmts := testutil.RecordStatements(f.db)
			var before int64
			testutil.Must(t, f.db.Model(&model.OutboxMail{}).Select("COALESCE(MAX(id), 0)").Scan(&before).Error)
			stmts.Take()
			testutil.Must(t, rec.Transaction(func(tx *gorm.DB) error { return o.Enqueue(ctx, tx, ev) }))
			ran := stmts.Take()
			var rows []model.OutboxMail
			testutil.Must(t, f.db.Where("id > ?", before).Order("recipient_email").Find(&rows).Error)
			return rows, ran
		}
		ev := model.Event{Kind: model.EventPostCreated, TicketID: tk.ID, ActorID: author.ID, PostID: &p.ID}
		read, _ := queue(f.outbox, ev)
		ev.Content = &p.Content
		got, ran := queue(carried, ev)
		if len(read) != 2 || len(got) != len(read) {
			t.Fatalf("queued %d and %d mails, want 2 each", len(read), len(got))
		}
		for i := range read {
			if got[i].RecipientEmail != read[i].RecipientEmail || got[i].Subject != read[i].Subject ||
				got[i].BodyText != read[i].BodyText || got[i].BodyHTML != read[i].BodyHTML || got[i].Locale != read[i].Locale {
				t.Errorf("mail to %s differs:\n%+v\nwant\n%+v", read[i].RecipientEmail, got[i], read[i])
			}
		}
		if settingsRead != 1 {
			t.Errorf("the Settings option was read %d times, want 1", settingsRead)
		}
		if len(ran) != 3 {
			t.Errorf("%d statements, want 3 (subscribers, the ticket with its names, the insert):\n%s", len(ran), strings.Join(ran, "\n"))
		}
	})
}
