package api

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// Helpers for the reply, subscription and attachment tests. Tickets are made
// directly with GORM, the way the ticket endpoints keep their counters.

// seedPostTicket files a ticket started by starter through the model's own
// functions (CreateTicket, then Close for closedTicket), so it is
// subscribed and counted as any ticket is.
func seedPostTicket(t *testing.T, env *testEnv, starter *model.User, opts ...func(*model.Ticket)) *model.Ticket {
	t.Helper()
	ctx := context.Background()
	var cats []int64
	testutil.Must(t, env.db.Model(&model.Category{}).Order("id").Limit(1).Pluck("id", &cats).Error)
	if len(cats) == 0 {
		t.Fatal("no seeded category")
	}
	tk := &model.Ticket{
		Title: "Printer on fire", Content: "It is on fire, please help.", StartedID: &starter.ID,
		StatusID: model.StatusOpen, CategoryID: cats[0], TicketPriorityID: model.PriorityLow,
	}
	for _, o := range opts {
		o(tk)
	}
	status := tk.StatusID
	err := env.srv.write(ctx, func(tx *model.Tx) error {
		if err := model.CreateTicket(ctx, tx, tk); err != nil {
			return err
		}
		if status == model.StatusClosed {
			return model.Close(ctx, tx, tk.ID, starter)
		}
		return nil
	})
	testutil.Must(t, err)
	return reloadTicket(t, env, tk.ID)
}

func closedTicket(tk *model.Ticket) { tk.StatusID = model.StatusClosed }

// reloadTicket reads a ticket back from the database.
func reloadTicket(t *testing.T, env *testEnv, id int64) *model.Ticket {
	t.Helper()
	tk, err := model.FindTicket(context.Background(), env.db, id)
	testutil.Must(t, err)
	return tk
}

func reloadUser(t *testing.T, env *testEnv, id int64) *model.User {
	t.Helper()
	u, err := model.FindUser(context.Background(), env.db, id)
	testutil.Must(t, err)
	testutil.Must(t, model.LoadUserTotals(context.Background(), env.db, u))
	return u
}

// postOut decodes a Post response (model.Hours only marshals).
type postOut struct {
	Content      string      `json:"content"`
	ContentHTML  string      `json:"content_html"`
	DateModified *string     `json:"date_modified"`
	Hours        float64     `json:"hours"`
	ID           int64       `json:"id"`
	ModifiedBy   *UserRef    `json:"modified_by"`
	ModifiedID   *int64      `json:"modified_id"`
	TicketID     int64       `json:"ticket_id"`
	Uploads      []Upload    `json:"uploads"`
	User         *PostAuthor `json:"user"`
	UserID       *int64      `json:"user_id"`
}

// newPost posts a reply through the API and returns it.
func newPost(t *testing.T, env *testEnv, as reqOpt, body map[string]any) postOut {
	t.Helper()
	var p postOut
	env.call(http.MethodPost, "/flicket-api/posts", body, as).expect(t, http.StatusCreated).decode(t, &p)
	return p
}

// actionsOf lists a ticket's actions by id.
func actionsOf(t *testing.T, env *testEnv, ticketID int64) []model.Action {
	t.Helper()
	var out []model.Action
	testutil.Must(t, env.db.Where("ticket_id = ?", ticketID).Order("id").Find(&out).Error)
	return out
}

// checkCounters compares every denormalised counter with a real count:
// tickets.num_replies and total_hours, ticket_counts (summed over shards),
// users' total_posts (the row plus its user_counts shards).
func checkCounters(t *testing.T, env *testEnv) {
	t.Helper()
	var tickets []model.Ticket
	testutil.Must(t, env.db.Find(&tickets).Error)
	for _, tk := range tickets {
		var n int64
		testutil.Must(t, env.db.Model(&model.Post{}).Where("ticket_id = ?", tk.ID).Count(&n).Error)
		var posts []model.Post
		testutil.Must(t, env.db.Where("ticket_id = ?", tk.ID).Find(&posts).Error)
		sum := tk.Hours
		for _, p := range posts {
			sum += p.Hours
		}
		if tk.NumReplies != n || tk.TotalHours != sum {
			t.Errorf("ticket %d: num_replies %d (real %d), total_hours %s (real %s)", tk.ID, tk.NumReplies, n, tk.TotalHours, sum)
		}
	}
	real := map[model.TicketCell]int64{}
	for _, tk := range tickets {
		real[tk.Cell()]++
	}
	var counts []model.TicketCount
	testutil.Must(t, env.db.Find(&counts).Error)
	stored := map[model.TicketCell]int64{}
	for _, c := range counts {
		stored[model.TicketCell{CategoryID: c.CategoryID, StatusID: c.StatusID, PriorityID: c.TicketPriorityID}] += c.N
	}
	for k, n := range stored {
		if n == 0 {
			delete(stored, k)
		}
	}
	if len(real) != len(stored) {
		t.Errorf("ticket_counts %v, real %v", stored, real)
	}
	for k, v := range real {
		if stored[k] != v {
			t.Errorf("ticket_counts %v = %d, real %d", k, stored[k], v)
		}
	}
	var users []model.User
	testutil.Must(t, env.db.Find(&users).Error)
	for i := range users {
		testutil.Must(t, model.LoadUserTotals(context.Background(), env.db, &users[i]))
	}
	for _, u := range users {
		var started, replies int64
		testutil.Must(t, env.db.Model(&model.Ticket{}).Where("started_id = ?", u.ID).Count(&started).Error)
		testutil.Must(t, env.db.Model(&model.Post{}).Where("user_id = ?", u.ID).Count(&replies).Error)
		if u.TotalPosts != started+replies {
			t.Errorf("user %s: total_posts %d, real %d", u.Username, u.TotalPosts, started+replies)
		}
	}
}

// sameInstant compares database times at the precision every engine keeps.
func sameInstant(a, b time.Time) bool {
	return a.Truncate(time.Second).Equal(b.Truncate(time.Second))
}

// eventRecorder is an EventSink that remembers events.
type eventRecorder struct {
	mu     sync.Mutex
	events []model.Event
}

func (r *eventRecorder) Enqueue(_ context.Context, _ *gorm.DB, ev model.Event) error {
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
	return nil
}

func (r *eventRecorder) all() []model.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]model.Event(nil), r.events...)
}

// queryCounter counts the SQL statements run on a database.
type queryCounter struct {
	mu sync.Mutex
	n  int
}

func countQueries(t *testing.T, db *gorm.DB) *queryCounter {
	t.Helper()
	qc := &queryCounter{}
	inc := func(*gorm.DB) { qc.mu.Lock(); qc.n++; qc.mu.Unlock() }
	testutil.Must(t, db.Callback().Query().After("gorm:query").Register("test:count_query", inc))
	testutil.Must(t, db.Callback().Row().After("gorm:row").Register("test:count_row", inc))
	return qc
}

func (q *queryCounter) during(fn func()) int {
	q.mu.Lock()
	before := q.n
	q.mu.Unlock()
	fn()
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n - before
}
