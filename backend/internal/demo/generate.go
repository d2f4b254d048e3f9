package demo

import (
	"context"
	"runtime"
	"time"

	"github.com/brianvoe/gofakeit/v7"

	"github.com/flicket/flicket/backend/internal/markdown"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/sortkey"
)

// batch is the data of one insert transaction: tickets with their ids set,
// their replies and subscriptions.
type batch struct {
	tickets []model.Ticket
	posts   []model.Post
	subs    []model.Subscription
	err     error
}

// generator makes the demo batches. Batch i depends only on the seed and i,
// so the data is the same whatever the number of cores.
type generator struct {
	o          Options
	categories []int64
	users      []int64
	start, now time.Time
	firstID    int64
	md         *markdown.Renderer
	keys       *model.TicketKeys
}

// run generates every batch on all cores, at most a few ahead of the
// consumer, and hands them over in order. The channel closes after the last
// batch or when ctx ends.
func (g *generator) run(ctx context.Context) <-chan batch {
	n := (g.o.Tickets + g.o.BatchSize - 1) / g.o.BatchSize
	workers := runtime.GOMAXPROCS(0)
	slots := make([]chan batch, n)
	for i := range slots {
		slots[i] = make(chan batch, 1)
	}
	ahead := make(chan struct{}, workers+1) // batches generated but not yet handed over
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range n {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		go func() {
			for i := range next {
				slots[i] <- g.batch(i)
			}
		}()
	}
	out := make(chan batch)
	go func() {
		defer close(out)
		for i := range n {
			var b batch
			select {
			case b = <-slots[i]:
			case <-ctx.Done():
				return
			}
			select {
			case out <- b:
			case <-ctx.Done():
				return
			}
			<-ahead
		}
	}()
	return out
}

// batch generates batch i (i >= 0).
func (g *generator) batch(i int) batch {
	f := gofakeit.New(g.o.Seed*1_000_003 + uint64(i)) //nolint:gosec // i is a non-negative batch number

	first := i * g.o.BatchSize
	n := min(g.o.BatchSize, g.o.Tickets-first)
	postsPer := g.o.PostsPerTicket
	b := batch{
		tickets: make([]model.Ticket, n),
		posts:   make([]model.Post, 0, n*postsPer),
		subs:    make([]model.Subscription, 0, 2*n),
	}
	users := g.users
	keyer := sortkey.New()
	for k := range b.tickets {
		added := f.DateRange(g.start, g.now.Add(-time.Hour))
		status := pickStatus(f)
		creator := users[f.IntRange(0, len(users)-1)]
		t := model.Ticket{
			ID:    g.firstID + int64(first+k),
			Title: truncate(title(f), 128), StartedID: &creator,
			DateAdded: added, StatusID: status,
			CategoryID:       g.categories[f.IntRange(0, len(g.categories)-1)],
			TicketPriorityID: int64(f.IntRange(1, 3)),
			Hours:            model.Hours(f.IntRange(0, 8) * 25),
		}
		if status == model.StatusInWork || (status == model.StatusAwaitingInformation && f.IntRange(0, 1) == 1) {
			a := users[f.IntRange(0, len(users)-1)]
			t.AssignedID = &a
		}
		t.Content = body(f)
		t.ContentHTML = rendered(g.md, t.Content)
		at, hours := added, t.Hours
		for range postsPer {
			at = at.Add(time.Duration(f.IntRange(5, 72*60)) * time.Minute)
			if at.After(g.now) {
				at = g.now
			}
			author := users[f.IntRange(0, len(users)-1)]
			h := model.Hours(f.IntRange(0, 4) * 25)
			hours += h
			content := postText(f)
			b.posts = append(b.posts, model.Post{TicketID: t.ID, Content: content, ContentHTML: rendered(g.md, content), UserID: &author, DateAdded: at, Hours: h})
		}
		t.NumReplies, t.TotalHours, t.LastUpdated = int64(postsPer), hours, at
		if n := len(b.posts); postsPer > 0 {
			t.LastReplyUserID = b.posts[n-1].UserID
		}
		g.keys.Fill(keyer, &t)
		b.tickets[k] = t
		b.subs = append(b.subs, model.Subscription{TicketID: t.ID, UserID: creator, DateAdded: added})
		if t.AssignedID != nil && *t.AssignedID != creator {
			b.subs = append(b.subs, model.Subscription{TicketID: t.ID, UserID: *t.AssignedID, DateAdded: added})
		}
	}
	return b
}
