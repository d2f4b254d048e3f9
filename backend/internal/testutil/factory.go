package testutil

import (
	"context"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/setup"
)

// Password is every factory user's password.
const Password = "correct-horse-1"

// Hasher hashes at bcrypt's minimum cost, so tests (and -race) stay fast.
func Hasher() *auth.Hasher { return auth.NewHasher(bcrypt.MinCost) }

// Seeded is what Seed created.
type Seeded struct {
	Admin *model.User
}

// Seed runs setup (statuses, priorities, groups, config, sample departments)
// with an administrator "admin" whose password is Password.
func Seed(t testing.TB, db *gorm.DB) Seeded {
	t.Helper()
	ctx := context.Background()
	res, err := setup.Run(ctx, db, Hasher(), setup.Options{
		AdminUsername: "admin", AdminPassword: Password, AdminEmail: "admin@example.com",
		BaseURL: "http://flicket.test", SampleDepartments: true,
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	admin, err := model.FindUser(ctx, db, res.AdminID)
	if err != nil {
		t.Fatalf("seed: load admin: %v", err)
	}
	return Seeded{Admin: admin}
}

// UserOpt changes a factory user before it is saved.
type UserOpt func(*model.User)

// Disabled makes the user disabled.
func Disabled() UserOpt { return func(u *model.User) { u.Disabled = true } }

// WithName sets the display name.
func WithName(name string) UserOpt { return func(u *model.User) { u.Name = name } }

// WithEmail sets the e-mail.
func WithEmail(email string) UserOpt { return func(u *model.User) { u.Email = email } }

// WithLocale sets the locale.
func WithLocale(l string) UserOpt { return func(u *model.User) { u.Locale = l } }

// NewUser creates a user with password Password, in the given groups.
func NewUser(t testing.TB, db *gorm.DB, username string, groups []string, opts ...UserOpt) *model.User {
	t.Helper()
	ctx := context.Background()
	hash, err := Hasher().Hash(Password)
	Must(t, err)
	u := &model.User{
		Username: username, Name: "User " + username, Email: username + "@example.com",
		Password: hash, Locale: "en", DateAdded: time.Now().UTC(),
	}
	for _, o := range opts {
		o(u)
	}
	u.Email = model.NormalizeEmail(u.Email)
	if err := db.WithContext(ctx).Create(u).Error; err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	for _, name := range groups {
		g, err := model.FindGroupByName(ctx, db, name)
		if err != nil {
			g = &model.Group{GroupName: name}
			Must(t, db.Create(g).Error)
		}
		Must(t, model.AddToGroup(ctx, db, u.ID, g.ID))
	}
	Must(t, model.LoadRoles(ctx, db, u))
	return u
}

// Clock is the one clock of a test: the server, the model's Writer and the
// factories read it, and the test moves it.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at the present time (UTC).
func NewClock() *Clock { return &Clock{t: time.Now().UTC()} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// NewWriter is the model's write helper over db on clock (nil: time.Now),
// dropping events: what tests build goes through the same domain functions
// as the API, with the same counters.
func NewWriter(db *gorm.DB, clock *Clock) *model.Writer {
	o := model.WriterOptions{}
	if clock != nil {
		o.Now = clock.Now
	}
	return model.NewWriter(db, o)
}

// Write runs fn in one write transaction of w and fails the test on error.
func Write(t testing.TB, w *model.Writer, fn func(tx *model.Tx) error) {
	t.Helper()
	Must(t, w.Do(context.Background(), fn))
}

// TicketOpt changes a factory ticket before it is filed.
type TicketOpt func(*model.Ticket)

// InCategory files the ticket under a category.
func InCategory(id int64) TicketOpt { return func(t *model.Ticket) { t.CategoryID = id } }

// WithPriority sets the ticket's priority.
func WithPriority(id int64) TicketOpt { return func(t *model.Ticket) { t.TicketPriorityID = id } }

// WithHours sets the ticket's own hours.
func WithHours(h model.Hours) TicketOpt { return func(t *model.Ticket) { t.Hours = h } }

// WithTitle sets the ticket's title.
func WithTitle(s string) TicketOpt { return func(t *model.Ticket) { t.Title = s } }

// NewTicket files a ticket by starter through model.CreateTicket (category
// 1, priority low unless opts say otherwise).
func NewTicket(t testing.TB, w *model.Writer, starter *model.User, opts ...TicketOpt) *model.Ticket {
	t.Helper()
	tk := &model.Ticket{Title: "A ticket title", Content: "Some ticket content", CategoryID: 1,
		TicketPriorityID: model.PriorityLow, StartedID: &starter.ID}
	for _, o := range opts {
		o(tk)
	}
	Write(t, w, func(tx *model.Tx) error { return model.CreateTicket(context.Background(), tx, tk) })
	return tk
}

// NewPost writes a reply through model.CreatePost.
func NewPost(t testing.TB, w *model.Writer, ticketID int64, author *model.User, content string, hours model.Hours) *model.Post {
	t.Helper()
	var p *model.Post
	Write(t, w, func(tx *model.Tx) error {
		var err error
		p, err = model.CreatePost(context.Background(), tx, ticketID, author, model.PostInput{Content: content, Hours: hours})
		return err
	})
	return p
}
