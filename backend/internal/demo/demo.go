// Package demo fills a database with realistic fake tickets, replies and
// users, quickly (batched inserts), for trying Flicket out and for load
// benchmarks. Counters are rebuilt at the end, so the data is consistent.
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/markdown"
	"github.com/flicket/flicket/backend/internal/model"
)

// Options size the demo data.
type Options struct {
	Tickets        int
	PostsPerTicket int
	Users          int
	// Seed makes runs repeatable (0: a fixed default).
	Seed uint64
	// BatchSize is the number of tickets per insert transaction.
	BatchSize int
	// Password is given to every demo user.
	Password string
}

// Result counts what was inserted.
type Result struct {
	Users, Tickets, Posts int
}

// Progress is told how many tickets are done so far.
type Progress func(done int)

// DemoPassword is the default password of demo users.
const DemoPassword = "demo-password-1"

// Seed inserts the demo data. The database must have been set up (statuses,
// priorities, at least one category).
func Seed(ctx context.Context, db *gorm.DB, hasher *auth.Hasher, o Options, progress Progress) (Result, error) {
	if o.Tickets < 0 || o.PostsPerTicket < 0 || o.Users < 0 {
		return Result{}, errors.New("demo: counts must not be negative")
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	if o.Seed == 0 {
		o.Seed = 42
	}
	if o.Password == "" {
		o.Password = DemoPassword
	}
	f := gofakeit.New(o.Seed)
	md := markdown.New()
	var res Result

	var categories []int64
	if err := db.WithContext(ctx).Model(&model.Category{}).Order("id").Pluck("id", &categories).Error; err != nil {
		return res, fmt.Errorf("demo: list categories: %w", err)
	}
	if len(categories) == 0 {
		return res, errors.New("demo: no categories; run `flicket setup` first")
	}
	users, created, err := ensureUsers(ctx, db, hasher, f, o)
	if err != nil {
		return res, err
	}
	res.Users = created
	keys, err := model.LoadTicketKeys(ctx, db)
	if err != nil {
		return res, fmt.Errorf("demo: %w", err)
	}

	now := time.Now().UTC().Truncate(time.Second)
	start := now.AddDate(-2, 0, 0)
	for done := 0; done < o.Tickets; done += o.BatchSize {
		n := min(o.BatchSize, o.Tickets-done)
		posts, err := insertBatch(ctx, db, f, md, keys, n, o.PostsPerTicket, categories, users, start, now)
		if err != nil {
			return res, err
		}
		res.Tickets += n
		res.Posts += posts
		if progress != nil {
			progress(res.Tickets)
		}
	}
	if err := model.RecountTickets(ctx, db); err != nil {
		return res, err
	}
	if _, err := model.RecountUsers(ctx, db); err != nil {
		return res, fmt.Errorf("demo: %w", err)
	}
	return res, analyze(ctx, db)
}

// analyze refreshes the planner's statistics after a bulk load, so the first
// queries do not run with plans made for empty tables.
func analyze(ctx context.Context, db *gorm.DB) error {
	var q string
	switch db.Name() {
	case "postgres", "sqlite":
		q = "ANALYZE"
	case "mysql":
		q = "ANALYZE TABLE users, tickets, posts, subscriptions, ticket_counts, categories, departments"
	default:
		return nil
	}
	if err := db.WithContext(ctx).Exec(q).Error; err != nil {
		return fmt.Errorf("demo: analyze: %w", err)
	}
	return nil
}

// ensureUsers makes sure there are o.Users demo users and returns the ids of
// every enabled user.
func ensureUsers(ctx context.Context, db *gorm.DB, hasher *auth.Hasher, f *gofakeit.Faker, o Options) ([]int64, int, error) {
	var existing int64
	if err := db.WithContext(ctx).Model(&model.User{}).Where("username LIKE ? ESCAPE '!'", "demo!_%").Count(&existing).Error; err != nil {
		return nil, 0, fmt.Errorf("demo: count users: %w", err)
	}
	created := 0
	if missing := o.Users - int(existing); missing > 0 {
		hash, err := hasher.Hash(o.Password)
		if err != nil {
			return nil, 0, err
		}
		batch := make([]model.User, 0, missing)
		for i := 0; i < missing; i++ {
			first, last := f.FirstName(), f.LastName()
			title := f.JobTitle()
			if len(title) > 64 {
				title = title[:64]
			}
			n := int(existing) + i + 1
			batch = append(batch, model.User{
				Username: fmt.Sprintf("demo_%d", n), Name: truncate(first+" "+last, 60),
				Email: fmt.Sprintf("demo_%d@example.com", n), Password: hash, JobTitle: &title,
				Locale: []string{"en", "en", "fr"}[i%3], DateAdded: time.Now().UTC(),
			})
		}
		if err := db.WithContext(ctx).CreateInBatches(&batch, 200).Error; err != nil {
			return nil, 0, fmt.Errorf("demo: create users: %w", err)
		}
		created = missing
	}
	var ids []int64
	if err := db.WithContext(ctx).Model(&model.User{}).Where("disabled = ?", false).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, 0, fmt.Errorf("demo: list users: %w", err)
	}
	return ids, created, nil
}

// insertBatch writes n tickets with their replies and subscriptions in one
// transaction and returns the number of replies. Everything, counters
// included, is computed before the inserts, so nothing is updated afterwards.
func insertBatch(ctx context.Context, db *gorm.DB, f *gofakeit.Faker, md *markdown.Renderer, keys *model.TicketKeys, n, postsPer int, categories, users []int64, start, now time.Time) (int, error) {
	tickets := make([]model.Ticket, n)
	posts := make([]model.Post, 0, n*postsPer)
	owner := make([]int, 0, n*postsPer) // posts[k] belongs to tickets[owner[k]]
	for i := range tickets {
		added := f.DateRange(start, now.Add(-time.Hour))
		status := pickStatus(f)
		creator := users[f.IntRange(0, len(users)-1)]
		t := model.Ticket{
			Title: truncate(title(f), 128), StartedID: &creator,
			DateAdded: added, StatusID: status,
			CategoryID:       categories[f.IntRange(0, len(categories)-1)],
			TicketPriorityID: int64(f.IntRange(1, 3)),
			Hours:            model.Hours(f.IntRange(0, 8) * 25),
		}
		if status == model.StatusInWork || (status == model.StatusAwaitingInformation && f.IntRange(0, 1) == 1) {
			a := users[f.IntRange(0, len(users)-1)]
			t.AssignedID = &a
		}
		t.Content = body(f)
		t.ContentHTML = rendered(md, t.Content)
		at, hours := added, t.Hours
		for j := 0; j < postsPer; j++ {
			at = at.Add(time.Duration(f.IntRange(5, 72*60)) * time.Minute)
			if at.After(now) {
				at = now
			}
			author := users[f.IntRange(0, len(users)-1)]
			h := model.Hours(f.IntRange(0, 4) * 25)
			hours += h
			content := reply(f)
			posts = append(posts, model.Post{Content: content, ContentHTML: rendered(md, content), UserID: &author, DateAdded: at, Hours: h})
			owner = append(owner, i)
		}
		t.NumReplies, t.TotalHours, t.LastUpdated = int64(postsPer), hours, at
		keys.Fill(&t)
		tickets[i] = t
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(&tickets, 250).Error; err != nil {
			return fmt.Errorf("demo: insert tickets: %w", err)
		}
		for k := range posts {
			posts[k].TicketID = tickets[owner[k]].ID
		}
		if len(posts) > 0 {
			if err := tx.CreateInBatches(&posts, 500).Error; err != nil {
				return fmt.Errorf("demo: insert replies: %w", err)
			}
		}
		subs := make([]model.Subscription, 0, 2*n)
		for i := range tickets {
			t := &tickets[i]
			subs = append(subs, model.Subscription{TicketID: t.ID, UserID: *t.StartedID, DateAdded: t.DateAdded})
			if t.AssignedID != nil && *t.AssignedID != *t.StartedID {
				subs = append(subs, model.Subscription{TicketID: t.ID, UserID: *t.AssignedID, DateAdded: t.DateAdded})
			}
		}
		if err := tx.CreateInBatches(&subs, 500).Error; err != nil {
			return fmt.Errorf("demo: insert subscriptions: %w", err)
		}
		return nil
	})
	return len(posts), err
}

func pickStatus(f *gofakeit.Faker) int64 {
	switch r := f.IntRange(1, 100); {
	case r <= 30:
		return model.StatusOpen
	case r <= 70:
		return model.StatusClosed
	case r <= 90:
		return model.StatusInWork
	default:
		return model.StatusAwaitingInformation
	}
}

var (
	problems = []string{
		"is not showing in the portal", "returns stale results", "fails with a timeout", "double-booked room B",
		"cannot be opened on the new laptops", "keeps asking for a password", "sends e-mails to an old mailbox",
		"prints blank pages", "is missing last month's figures", "needs a new licence", "crashes on start-up",
		"is very slow since Monday", "shows the wrong currency", "lost the attachments", "needs approval",
	}
	subjects = []string{
		"The intranet search", "The meeting room booking system", "Sick leave records for March", "The VPN client",
		"The CAD workstation", "The supplier database", "The holiday planner", "The website contact form",
		"The label printer", "The quality manual", "Purchase order PO-%d", "Drawing DWG-%d", "The expenses portal",
		"Engineering change request ECR-%d", "The shared drive",
	}
)

func title(f *gofakeit.Faker) string {
	s := subjects[f.IntRange(0, len(subjects)-1)]
	if strings.Contains(s, "%d") {
		s = fmt.Sprintf(s, f.IntRange(1000, 9999))
	}
	return s + " " + problems[f.IntRange(0, len(problems)-1)] + "."
}

func body(f *gofakeit.Faker) string {
	var b strings.Builder
	b.WriteString(f.HackerPhrase())
	b.WriteString("\n\n")
	for i := 0; i < f.IntRange(1, 3); i++ {
		b.WriteString(f.Sentence())
		b.WriteString(" ")
	}
	if f.IntRange(0, 3) == 0 {
		b.WriteString("\n\nSteps:\n\n1. Open the application\n2. ")
		b.WriteString(f.Sentence())
		b.WriteString("\n3. **It fails.**")
	}
	return truncate(b.String(), 5000)
}

func reply(f *gofakeit.Faker) string {
	switch f.IntRange(0, 4) {
	case 0:
		return "Thanks, I am looking into it."
	case 1:
		return "Could you send a screenshot of the error?"
	default:
		return truncate(f.Sentence()+" "+f.Sentence(), 5000)
	}
}

// rendered stores the HTML with the source, as the API does.
func rendered(md *markdown.Renderer, src string) *string {
	html := md.MustRender(src)
	return &html
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
