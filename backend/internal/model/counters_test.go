package model_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestCountersEqualARecount is a property test of the denormalised counters
// (ticket_counts by category, status and priority in shards, the users'
// total_posts, total_assigned, total_started and total_self_assigned in
// user_counts shards, num_replies and
// total_hours): after a random mix of ticket and reply changes, made by four
// concurrent workers, a recount finds nothing to correct, and the totals the
// list takes from the counters equal a COUNT over the tickets.
func TestCountersEqualARecount(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		db := tdb.DB
		admin := testutil.Seed(t, db).Admin
		users := []*model.User{admin}
		for i := range 3 {
			users = append(users, testutil.NewUser(t, db, fmt.Sprintf("counted%d", i), nil))
		}
		var categories []int64
		testutil.Must(t, db.Model(&model.Category{}).Order("id").Pluck("id", &categories).Error)

		writer := model.NewWriter(db, model.WriterOptions{})
		var mu sync.Mutex
		var tickets []int64 // may hold deleted ids: those changes fail with not found
		pickTicket := func(r *rand.Rand) int64 {
			mu.Lock()
			defer mu.Unlock()
			if len(tickets) == 0 {
				return 1
			}
			return tickets[r.IntN(len(tickets))]
		}
		const workers, opsPerWorker = 4, 160
		counts := make([]map[string]int, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(w), 7))
				counts[w] = map[string]int{}
				for range opsPerWorker {
					name, op := randomChange(r, users, categories, pickTicket)
					var created *model.Ticket
					// Through the one write helper, which retries deadlock victims.
					err := writer.Do(ctx, func(tx *model.Tx) error {
						var err error
						created, err = op(ctx, tx)
						return err
					})
					if err == nil && created != nil {
						mu.Lock()
						tickets = append(tickets, created.ID)
						mu.Unlock()
					}
					if err != nil && !expectedRefusal(err) {
						t.Errorf("%s: %v", name, err)
						return
					}
					if err == nil {
						counts[w][name]++
					}
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		done := map[string]int{}
		for _, c := range counts {
			for k, n := range c {
				done[k] += n
			}
		}
		for _, name := range []string{"create", "reply", "edit reply", "delete reply", "edit", "assign", "release", "close", "status", "priority", "category", "hours", "delete"} {
			if done[name] == 0 {
				t.Errorf("no %q change succeeded (%v): the mix does not exercise it", name, done)
			}
		}

		// The list's totals from the counters equal a COUNT.
		open, high, dept := model.StatusOpen, model.PriorityHigh, int64(1)
		inDept := "category_id IN (SELECT id FROM categories WHERE department_id = 1)"
		type countCase struct {
			f     model.TicketFilter
			where string
			args  []any
		}
		cases := []countCase{
			{model.TicketFilter{}, "1 = 1", nil},
			{model.TicketFilter{PriorityID: &high}, "ticket_priority_id = ?", []any{high}},
			{model.TicketFilter{StatusID: &open}, "status_id = ?", []any{open}},
			{model.TicketFilter{State: model.StateOpen, PriorityID: &high}, "status_id <> ? AND ticket_priority_id = ?", []any{model.StatusClosed, high}},
			{model.TicketFilter{DepartmentID: &dept, StatusID: &open}, inDept + " AND status_id = ?", []any{open}},
			{model.TicketFilter{DepartmentID: &dept, PriorityID: &high}, inDept + " AND ticket_priority_id = ?", []any{high}},
			{model.TicketFilter{CategoryIDs: categories[:2], State: model.StateClosed}, "category_id IN ? AND status_id = ?", []any{categories[:2], model.StatusClosed}},
		}
		// assigned_id, created_id, user and view=mine alone are each
		// user's counters (user: started + assigned - both).
		for _, u := range users {
			id := u.ID
			cases = append(cases,
				countCase{model.TicketFilter{AssignedID: &id}, "assigned_id = ?", []any{id}},
				countCase{model.TicketFilter{CreatedID: &id}, "started_id = ?", []any{id}},
				countCase{model.TicketFilter{UserID: &id}, "(started_id = ? OR assigned_id = ?)", []any{id, id}},
				countCase{model.TicketFilter{MineOf: &id}, "(started_id = ? OR assigned_id = ?)", []any{id, id}},
				countCase{model.TicketFilter{UserID: &id, MineOf: &id}, "(started_id = ? OR assigned_id = ?)", []any{id, id}},
				// view=subscribed alone counts the user's subscriptions.
				countCase{model.TicketFilter{SubscribedBy: &id}, "id IN (SELECT ticket_id FROM subscriptions WHERE user_id = ?)", []any{id}})
		}
		for _, c := range cases {
			got, err := model.CountTickets(ctx, db, c.f)
			testutil.Must(t, err)
			var want int64
			testutil.Must(t, db.Model(&model.Ticket{}).Where(c.where, c.args...).Count(&want).Error)
			if got != want {
				t.Errorf("counted total where %s %v = %d, a COUNT says %d", c.where, c.args, got, want)
			}
		}
		// Every user's figure (row plus shards) is what the data says.
		var selfAssigned int64
		for _, u := range users {
			fresh, err := model.FindUser(ctx, db, u.ID)
			testutil.Must(t, err)
			testutil.Must(t, model.LoadUserTotals(ctx, db, fresh))
			var started, replies, assigned, self int64
			testutil.Must(t, db.Model(&model.Ticket{}).Where("started_id = ?", u.ID).Count(&started).Error)
			testutil.Must(t, db.Model(&model.Post{}).Where("user_id = ?", u.ID).Count(&replies).Error)
			testutil.Must(t, db.Model(&model.Ticket{}).Where("assigned_id = ?", u.ID).Count(&assigned).Error)
			testutil.Must(t, db.Model(&model.Ticket{}).Where("started_id = ? AND assigned_id = ?", u.ID, u.ID).Count(&self).Error)
			if fresh.TotalPosts != started+replies || fresh.TotalAssigned != assigned ||
				fresh.TotalStarted != started || fresh.TotalSelfAssigned != self {
				t.Errorf("%s: total_posts %d (real %d), total_assigned %d (real %d), total_started %d (real %d), total_self_assigned %d (real %d)",
					u.Username, fresh.TotalPosts, started+replies, fresh.TotalAssigned, assigned,
					fresh.TotalStarted, started, fresh.TotalSelfAssigned, self)
			}
			selfAssigned += self
		}
		if selfAssigned == 0 {
			t.Error("no ticket started by and assigned to the same user: the mix does not exercise total_self_assigned")
		}
		changes, err := model.RecountAll(ctx, db)
		testutil.Must(t, err)
		if len(changes) != 0 {
			t.Errorf("a recount after %v corrected %d counters: %+v", done, len(changes), changes)
		}
		// The recount folded the shards: figures unchanged, no shard left.
		var shards int64
		testutil.Must(t, db.Model(&model.UserCount{}).Count(&shards).Error)
		if shards != 0 {
			t.Errorf("%d user_counts rows left after a recount", shards)
		}
		if changes, err = model.RecountAll(ctx, db); err != nil || len(changes) != 0 {
			t.Errorf("second recount: %v, %+v", err, changes)
		}
	})
}

// expectedRefusal: the model refused a change the random mix asked for
// (not allowed, conflicting, invalid or on a deleted ticket).
func expectedRefusal(err error) bool {
	var f *model.ForbiddenError
	var c *model.ConflictError
	var v *model.ValidationError
	return errors.As(err, &f) || errors.As(err, &c) || errors.As(err, &v) || errors.Is(err, model.ErrNotFound)
}

type change func(ctx context.Context, tx *model.Tx) (*model.Ticket, error)

// randomChange picks one change to a ticket, its replies or its workflow.
func randomChange(r *rand.Rand, users []*model.User, categories []int64, pick func(*rand.Rand) int64) (string, change) {
	user := users[r.IntN(len(users))]
	admin := users[0]
	priority := int64(1 + r.IntN(3))
	category := categories[r.IntN(len(categories))]
	status := []int64{model.StatusOpen, model.StatusInWork, model.StatusAwaitingInformation}[r.IntN(3)]
	id := pick(r)
	switch n := r.IntN(23); {
	case n < 5:
		return "create", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			t := &model.Ticket{Title: "Counted ticket", Content: "Counted content", CategoryID: category,
				TicketPriorityID: priority, StartedID: &user.ID, Hours: model.Hours(r.IntN(300))}
			return t, model.CreateTicket(ctx, tx, t)
		}
	case n < 9:
		return "reply", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			in := model.PostInput{Content: "A counted reply", Hours: model.Hours(r.IntN(200))}
			if r.IntN(2) == 0 {
				in.StatusID = &status
			}
			if r.IntN(3) == 0 {
				in.PriorityID = &priority
			}
			_, err := model.CreatePost(ctx, tx, id, user, in)
			return nil, err
		}
	case n < 11:
		return "edit reply", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			p, err := latestPost(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			h := model.Hours(r.IntN(400))
			_, err = model.EditPost(ctx, tx, p, admin, model.PostEdit{Hours: &h, StatusID: &status, PriorityID: &priority})
			return nil, err
		}
	case n < 12:
		return "delete reply", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			p, err := latestPost(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			_, err = model.DeletePost(ctx, tx, p, admin)
			return nil, err
		}
	case n < 13:
		return "edit", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			h := model.Hours(r.IntN(100))
			_, err := model.EditTicket(ctx, tx, id, admin, model.TicketEdit{TicketPriorityID: &priority, CategoryID: &category, Hours: &h})
			return nil, err
		}
	case n < 15:
		return "assign", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			if r.IntN(2) == 0 {
				return nil, model.Claim(ctx, tx, id, user)
			}
			return nil, model.Assign(ctx, tx, id, admin, user.ID)
		}
	case n < 17:
		return "release", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			return nil, model.Release(ctx, tx, id, admin)
		}
	case n < 18:
		return "close", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			return nil, model.Close(ctx, tx, id, admin)
		}
	case n < 19:
		return "status", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			return nil, model.ChangeStatus(ctx, tx, id, admin, status)
		}
	case n < 20:
		return "priority", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			return nil, model.ChangePriority(ctx, tx, id, admin, priority)
		}
	case n < 21:
		return "category", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			return nil, model.ChangeCategory(ctx, tx, id, admin, category)
		}
	case n < 22:
		return "hours", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			return nil, model.ChangeHours(ctx, tx, id, admin, model.Hours(r.IntN(500)))
		}
	default:
		return "delete", func(ctx context.Context, tx *model.Tx) (*model.Ticket, error) {
			_, err := model.DeleteTicket(ctx, tx, id, admin)
			return nil, err
		}
	}
}

// latestPost is the id of a ticket's latest reply.
func latestPost(ctx context.Context, tx *model.Tx, ticketID int64) (int64, error) {
	latest, err := model.LatestPostID(ctx, tx.DB, ticketID)
	if err != nil {
		return 0, err
	}
	if latest == nil {
		return 0, model.ErrNotFound
	}
	return *latest, nil
}
