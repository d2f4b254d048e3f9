package mail_test

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/mail/mailtest"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// clock is a clock tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a seeded database, an SMTP server it is configured to use, an
// outbox and a movable clock.
type fixture struct {
	t      *testing.T
	tdb    *testutil.TestDB
	db     *gorm.DB
	clock  *clock
	outbox *mail.Outbox
	smtp   *mailtest.Server
	admin  *model.User
	catID  int64
}

func newFixture(t *testing.T, tdb *testutil.TestDB) *fixture {
	t.Helper()
	seeded := testutil.Seed(t, tdb.DB)
	f := &fixture{
		t: t, tdb: tdb, db: tdb.DB, admin: seeded.Admin,
		clock: &clock{t: time.Now().UTC().Truncate(time.Second)},
		smtp:  mailtest.Start(t),
	}
	f.smtp.Configure(t, f.db)
	f.outbox = mail.NewOutbox(f.db, mail.Options{Now: f.clock.Now})
	var cat model.Category
	testutil.Must(t, f.db.Order("id").First(&cat).Error)
	f.catID = cat.ID
	return f
}

// sender builds a sender on the fixture's clock with fast retries.
func (f *fixture) sender(opts ...func(*mail.SenderOptions)) *mail.Sender {
	o := mail.SenderOptions{Now: f.clock.Now, RetryBase: time.Minute, RetryMax: time.Hour, MaxAttempts: 3, Timeout: 5 * time.Second}
	for _, fn := range opts {
		fn(&o)
	}
	return mail.NewSender(f.db, o)
}

func (f *fixture) drain(s *mail.Sender) mail.Pass {
	f.t.Helper()
	p, err := s.Drain(context.Background())
	testutil.Must(f.t, err)
	return p
}

// user creates an enabled English user unless options say otherwise.
func (f *fixture) user(name string, opts ...testutil.UserOpt) *model.User {
	username := testutil.Unique(strings.ToLower(strings.Fields(name)[0]))
	return testutil.NewUser(f.t, f.db, username, nil, append([]testutil.UserOpt{testutil.WithName(name)}, opts...)...)
}

// ticket creates a ticket started by starter, with the given subscribers.
func (f *fixture) ticket(starter *model.User, title string, subscribers ...*model.User) *model.Ticket {
	f.t.Helper()
	now := f.clock.Now()
	tk := &model.Ticket{
		Title: title, Content: "The printer on floor 2\nprints <nothing>.", StartedID: &starter.ID, DateAdded: now,
		StatusID: model.StatusOpen, CategoryID: f.catID, TicketPriorityID: model.PriorityHigh, LastUpdated: now,
	}
	testutil.Must(f.t, f.db.Create(tk).Error)
	for _, u := range subscribers {
		testutil.Must(f.t, f.db.Create(&model.Subscription{TicketID: tk.ID, UserID: u.ID, DateAdded: now}).Error)
	}
	return tk
}

func (f *fixture) post(tk *model.Ticket, author *model.User, content string) *model.Post {
	f.t.Helper()
	p := &model.Post{TicketID: tk.ID, Content: content, UserID: &author.ID, DateAdded: f.clock.Now()}
	testutil.Must(f.t, f.db.Create(p).Error)
	return p
}

// enqueue hands the event to the outbox inside a transaction, as handlers do.
func (f *fixture) enqueue(ev model.Event) {
	f.t.Helper()
	err := f.db.Transaction(func(tx *gorm.DB) error { return f.outbox.Enqueue(context.Background(), tx, ev) })
	testutil.Must(f.t, err)
}

func (f *fixture) rows() []model.OutboxMail {
	f.t.Helper()
	var rows []model.OutboxMail
	testutil.Must(f.t, f.db.Order("id").Find(&rows).Error)
	return rows
}

// recipients lists the envelope recipients of the messages, sorted.
func recipients(msgs []mailtest.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.To...)
	}
	sort.Strings(out)
	return out
}

func emails(users ...*model.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.Email
	}
	sort.Strings(out)
	return out
}

func sameStrings(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

// outboxWithBase is an outbox with FLICKET_BASE_URL set.
func (f *fixture) outboxWithBase(base string) *mail.Outbox {
	return mail.NewOutbox(f.db, mail.Options{BaseURL: base, Now: f.clock.Now})
}
