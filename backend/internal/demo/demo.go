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
	"github.com/flicket/flicket/backend/internal/search"
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
// priorities, at least one category), and nothing else should write tickets
// meanwhile: ticket ids are given by Seed, so that replies and subscriptions
// are inserted without reading ids back.
//
// The data of each batch is generated from its own seed on every core while
// earlier batches are being inserted; each batch is a few multi-row INSERTs
// (COPY on PostgreSQL) in one transaction, and the counters are rebuilt once
// at the end.
func Seed(ctx context.Context, db *gorm.DB, hasher *auth.Hasher, o Options, progress Progress) (Result, error) {
	if o.Tickets < 0 || o.PostsPerTicket < 0 || o.Users < 0 {
		return Result{}, errors.New("demo: counts must not be negative")
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}
	if o.Seed == 0 {
		o.Seed = 42
	}
	if o.Password == "" {
		o.Password = DemoPassword
	}
	var res Result

	var categories []int64
	if err := db.WithContext(ctx).Model(&model.Category{}).Order("id").Pluck("id", &categories).Error; err != nil {
		return res, fmt.Errorf("demo: list categories: %w", err)
	}
	if len(categories) == 0 {
		return res, errors.New("demo: no categories; run `flicket setup` first")
	}
	users, created, err := ensureUsers(ctx, db, hasher, gofakeit.New(o.Seed), o)
	if err != nil {
		return res, err
	}
	res.Users = created
	keys, err := model.LoadTicketKeys(ctx, db)
	if err != nil {
		return res, fmt.Errorf("demo: %w", err)
	}
	var lastID int64
	if err := db.WithContext(ctx).Raw("SELECT COALESCE(MAX(id), 0) FROM tickets").Row().Scan(&lastID); err != nil {
		return res, fmt.Errorf("demo: read the last ticket id: %w", err)
	}

	now := time.Now().UTC().Truncate(time.Second)
	g := generator{o: o, categories: categories, users: users, start: now.AddDate(-2, 0, 0), now: now, firstID: lastID + 1, md: markdown.New(), keys: keys}
	// Search answers "not ready" until the new tickets are indexed.
	if err := search.SetReady(ctx, db, false); err != nil {
		return res, fmt.Errorf("demo: %w", err)
	}
	w, err := newWriter(ctx, db)
	if err != nil {
		return res, err
	}
	defer w.close()
	ctx, cancel := context.WithCancel(ctx) // stops the generator on an error
	defer cancel()
	batches := g.run(ctx)
	for b := range batches {
		if b.err != nil {
			return res, b.err
		}
		if err := w.write(ctx, b); err != nil {
			return res, err
		}
		res.Tickets += len(b.tickets)
		res.Posts += len(b.posts)
		if progress != nil {
			progress(res.Tickets)
		}
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if err := w.finish(ctx); err != nil {
		return res, err
	}
	if err := model.RecountTickets(ctx, db); err != nil {
		return res, err
	}
	if _, err := model.RecountUsers(ctx, db); err != nil {
		return res, fmt.Errorf("demo: %w", err)
	}
	// The batches bypass the domain functions that keep the search index.
	if err := search.Reindex(ctx, db, nil); err != nil {
		return res, fmt.Errorf("demo: %w", err)
	}
	return res, analyze(ctx, db)
}

// analyze refreshes the planner's statistics after a bulk load, so the first
// queries do not run with plans made for empty tables. On PostgreSQL it
// vacuums too, as autovacuum soon would: until the visibility map marks the
// new pages all-visible, an index-only scan (a deep page's ids) still reads
// every row it skips.
func analyze(ctx context.Context, db *gorm.DB) error {
	var q string
	switch db.Name() {
	case "postgres":
		q = "VACUUM ANALYZE"
	case "sqlite":
		q = "ANALYZE"
	case "mysql":
		q = "ANALYZE TABLE users, tickets, posts, subscriptions, ticket_counts, categories, departments"
	default:
		return nil
	}
	if err := db.WithContext(ctx).Exec(q).Error; err != nil {
		return fmt.Errorf("demo: analyze: %w", err)
	}
	// Not for the search index's own tables (SQLite): see
	// search.ForgetIndexStats.
	if err := search.ForgetIndexStats(ctx, db); err != nil {
		return fmt.Errorf("demo: %w", err)
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

func postText(f *gofakeit.Faker) string {
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
