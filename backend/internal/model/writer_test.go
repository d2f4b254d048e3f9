package model_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// sinkFunc is an EventSink from a function.
type sinkFunc func(ctx context.Context, tx *gorm.DB, ev model.Event) error

func (f sinkFunc) Enqueue(ctx context.Context, tx *gorm.DB, ev model.Event) error {
	return f(ctx, tx, ev)
}

// TestDomainChangesEmitOneEvent runs each domain function once and checks
// it produced exactly its one event (a reply that also changes the status
// and priority is three changes: three events), with the ids subscribers
// need, handed to the sinks inside the transaction and to the after-commit
// listeners once committed.
func TestDomainChangesEmitOneEvent(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		db := tdb.DB
		admin := testutil.Seed(t, db).Admin
		bob := testutil.NewUser(t, db, "bob", nil)
		var inTx, committed []model.Event
		w := model.NewWriter(db, model.WriterOptions{
			Sinks: []model.EventSink{sinkFunc(func(_ context.Context, tx *gorm.DB, ev model.Event) error {
				if tx == nil {
					return errors.New("no transaction")
				}
				inTx = append(inTx, ev)
				return nil
			})},
			AfterCommit: []func(context.Context, []model.Event){func(_ context.Context, evs []model.Event) {
				committed = append(committed, evs...)
			}},
		})
		tk := testutil.NewTicket(t, w, bob)
		var post *model.Post
		inProgress, hours := model.StatusInWork, model.Hours(75)
		steps := []struct {
			name  string
			run   func(tx *model.Tx) error
			kinds []string
		}{
			{"reply", func(tx *model.Tx) (err error) {
				post, err = model.CreatePost(ctx, tx, tk.ID, bob, model.PostInput{Content: "On it"})
				return err
			}, []string{model.EventPostCreated}},
			{"reply that changes status and priority", func(tx *model.Tx) error {
				high := model.PriorityHigh
				_, err := model.CreatePost(ctx, tx, tk.ID, bob, model.PostInput{Content: "Urgent", StatusID: &inProgress, PriorityID: &high})
				return err
			}, []string{model.EventTicketStatusChanged, model.EventTicketPriorityChanged, model.EventPostCreated}},
			{"edit reply", func(tx *model.Tx) error {
				_, err := model.EditPost(ctx, tx, post.ID, bob, model.PostEdit{Hours: &hours})
				return err
			}, []string{model.EventPostEdited}},
			{"status", func(tx *model.Tx) error {
				return model.ChangeStatus(ctx, tx, tk.ID, admin, model.StatusAwaitingInformation)
			}, []string{model.EventTicketStatusChanged}},
			{"priority", func(tx *model.Tx) error { return model.ChangePriority(ctx, tx, tk.ID, admin, model.PriorityLow) },
				[]string{model.EventTicketPriorityChanged}},
			{"category", func(tx *model.Tx) error { return model.ChangeCategory(ctx, tx, tk.ID, admin, 2) },
				[]string{model.EventTicketCategoryChanged}},
			{"hours", func(tx *model.Tx) error { return model.ChangeHours(ctx, tx, tk.ID, admin, 300) },
				[]string{model.EventTicketHoursChanged}},
			{"assign", func(tx *model.Tx) error { return model.Assign(ctx, tx, tk.ID, admin, bob.ID) },
				[]string{model.EventTicketAssigned}},
			{"release", func(tx *model.Tx) error { return model.Release(ctx, tx, tk.ID, bob) },
				[]string{model.EventTicketReleased}},
			{"claim", func(tx *model.Tx) error { return model.Claim(ctx, tx, tk.ID, admin) },
				[]string{model.EventTicketClaimed}},
			{"close", func(tx *model.Tx) error { return model.Close(ctx, tx, tk.ID, admin) },
				[]string{model.EventTicketClosed}},
			{"reopen", func(tx *model.Tx) error { return model.ChangeStatus(ctx, tx, tk.ID, admin, model.StatusOpen) },
				[]string{model.EventTicketStatusChanged}},
			{"delete reply", func(tx *model.Tx) error {
				_, err := model.DeletePost(ctx, tx, post.ID, admin)
				return err
			}, []string{model.EventPostDeleted}},
			{"delete ticket", func(tx *model.Tx) error {
				_, err := model.DeleteTicket(ctx, tx, tk.ID, admin)
				return err
			}, []string{model.EventTicketDeleted}},
		}
		for _, s := range steps {
			inTx, committed = nil, nil
			testutil.Write(t, w, s.run)
			if len(inTx) != len(s.kinds) || len(committed) != len(s.kinds) {
				t.Errorf("%s: events in the transaction %+v, after the commit %+v, want %v", s.name, inTx, committed, s.kinds)
				continue
			}
			for i, ev := range inTx {
				if ev.Kind != s.kinds[i] || ev.TicketID != tk.ID || ev.ActorID == 0 || ev.At.IsZero() || committed[i] != ev {
					t.Errorf("%s: event %d = %+v (after commit %+v), want kind %s", s.name, i, ev, committed[i], s.kinds[i])
				}
				if (ev.Kind == model.EventPostCreated || ev.Kind == model.EventPostEdited || ev.Kind == model.EventPostDeleted) && ev.PostID == nil {
					t.Errorf("%s: %s without its post", s.name, ev.Kind)
				}
				if (ev.Kind == model.EventTicketAssigned || ev.Kind == model.EventTicketClaimed) && ev.AssigneeID == nil {
					t.Errorf("%s: %s without its assignee", s.name, ev.Kind)
				}
			}
		}

		// A refused change emits nothing; a sink's failure rolls the change
		// back and nobody hears of it after.
		inTx, committed = nil, nil
		other := testutil.NewTicket(t, w, bob)
		inTx, committed = nil, nil
		err := w.Do(ctx, func(tx *model.Tx) error { return model.ChangeStatus(ctx, tx, other.ID, bob, model.StatusClosed) })
		var ve *model.ValidationError
		if !errors.As(err, &ve) || len(inTx)+len(committed) != 0 {
			t.Errorf("closing through ChangeStatus: %v, events %+v %+v", err, inTx, committed)
		}
		boom := errors.New("outbox down")
		failing := model.NewWriter(db, model.WriterOptions{
			Sinks: []model.EventSink{sinkFunc(func(context.Context, *gorm.DB, model.Event) error { return boom })},
			AfterCommit: []func(context.Context, []model.Event){func(_ context.Context, evs []model.Event) {
				committed = append(committed, evs...)
			}},
		})
		err = failing.Do(ctx, func(tx *model.Tx) error { return model.Claim(ctx, tx, other.ID, bob) })
		reloaded, ferr := model.FindTicket(ctx, db, other.ID)
		testutil.Must(t, ferr)
		if !errors.Is(err, boom) || reloaded.AssignedID != nil || len(committed) != 0 {
			t.Errorf("a failing sink: %v, assignee %v, after-commit events %+v", err, reloaded.AssignedID, committed)
		}
	})
}

// TestWriterRetriesDeadlocksWithFreshEvents: a transaction the database
// picked as a deadlock victim runs again, and only the last run's events
// reach the listeners.
func TestWriterRetriesDeadlocksWithFreshEvents(t *testing.T) {
	tdb := testutil.NewDB(t, "sqlite")
	ctx := context.Background()
	admin := testutil.Seed(t, tdb.DB).Admin
	var committed []model.Event
	w := model.NewWriter(tdb.DB, model.WriterOptions{AfterCommit: []func(context.Context, []model.Event){
		func(_ context.Context, evs []model.Event) { committed = append(committed, evs...) },
	}})
	tk := testutil.NewTicket(t, w, admin)
	committed = nil
	deadlock := errors.New("Error 1213 (40001): Deadlock found when trying to get lock; try restarting transaction")
	runs := 0
	err := w.Do(ctx, func(tx *model.Tx) error {
		runs++
		if err := model.ChangePriority(ctx, tx, tk.ID, admin, model.PriorityHigh); err != nil {
			return err
		}
		if runs < 2 {
			return deadlock
		}
		return nil
	})
	if err != nil || runs != 2 || len(committed) != 1 || committed[0].Kind != model.EventTicketPriorityChanged {
		t.Errorf("err %v after %d runs, events %+v", err, runs, committed)
	}
	runs = 0
	if err := w.Do(ctx, func(*model.Tx) error { runs++; return deadlock }); !errors.Is(err, deadlock) || runs != model.WriteAttempts {
		t.Errorf("err %v after %d runs", err, runs)
	}
}

// TestSharedCountersAreWrittenLast: the counter rows every writer shares
// (ticket_counts, user_counts) are written after everything else in the
// transaction — the ticket rows, the search index and the events' sinks —
// so their locks are held for those statements and the commit alone; and
// in one order (ticket_counts by cell and shard, then user_counts by user
// and shard), gathered over every change of the transaction, so two
// transactions cannot take them in opposite orders.
func TestSharedCountersAreWrittenLast(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		admin := testutil.Seed(t, tdb.DB).Admin
		bob := testutil.NewUser(t, tdb.DB, "bob", nil)
		carol := testutil.NewUser(t, tdb.DB, "carol", nil)
		plain := model.NewWriter(tdb.DB, model.WriterOptions{})
		first := testutil.NewTicket(t, plain, carol)
		second := testutil.NewTicket(t, plain, bob)

		rec, stmts := testutil.RecordStatements(tdb.DB)
		w := model.NewWriter(rec, model.WriterOptions{Sinks: []model.EventSink{sinkFunc(func(ctx context.Context, tx *gorm.DB, _ model.Event) error {
			return tx.WithContext(ctx).Exec("SELECT 'sink'").Error
		})}})
		// Carol's reply comes first, to the higher shards' ticket: neither
		// the order of the changes nor their tickets may decide the order of
		// the counters.
		testutil.Write(t, w, func(tx *model.Tx) error {
			if _, err := model.CreatePost(ctx, tx, second.ID, carol, model.PostInput{Content: "Carol's reply"}); err != nil {
				return err
			}
			if _, err := model.CreatePost(ctx, tx, first.ID, bob, model.PostInput{Content: "Bob's reply"}); err != nil {
				return err
			}
			if err := model.ChangeStatus(ctx, tx, second.ID, admin, model.StatusInWork); err != nil {
				return err
			}
			return model.ChangePriority(ctx, tx, first.ID, admin, model.PriorityHigh)
		})
		got := stmts.Take()
		lastOther := -1
		var counters []string
		for i, s := range got {
			if strings.Contains(s, "ticket_counts") || strings.Contains(s, "user_counts") {
				counters = append(counters, s)
				continue
			}
			if len(counters) > 0 {
				t.Fatalf("statement after the counters:\n%s\nall:\n%s", s, strings.Join(got, "\n"))
			}
			lastOther = i
		}
		if lastOther < 0 || !strings.Contains(got[lastOther], "'sink'") {
			t.Errorf("the statement before the counters is not the sinks':\n%s", strings.Join(got, "\n"))
		}
		// Two cells move (a status, a priority): four ticket_counts rows,
		// each once; the replies add to bob's and carol's counters.
		// (An UPDATE that found no row is followed by the INSERT of it.)
		var keys []string
		for _, s := range counters {
			if strings.HasPrefix(s, "UPDATE") {
				keys = append(keys, counterKey(t, s))
			}
		}
		want := []string{
			fmt.Sprintf("ticket_counts 1/%d/%d/%d", model.StatusOpen, model.PriorityLow, first.ID%8),
			fmt.Sprintf("ticket_counts 1/%d/%d/%d", model.StatusOpen, model.PriorityLow, second.ID%8),
			fmt.Sprintf("ticket_counts 1/%d/%d/%d", model.StatusOpen, model.PriorityHigh, first.ID%8),
			fmt.Sprintf("ticket_counts 1/%d/%d/%d", model.StatusInWork, model.PriorityLow, second.ID%8),
			fmt.Sprintf("user_counts %d/%d", bob.ID, first.ID%64),
			fmt.Sprintf("user_counts %d/%d", carol.ID, second.ID%64),
		}
		if !slices.Equal(keys, want) {
			t.Errorf("counter rows written %q, want %q:\n%s", keys, want, strings.Join(counters, "\n"))
		}
	})
}

// counterKey names the counter row an UPDATE of ticket_counts or user_counts
// writes, from its WHERE clause.
func counterKey(t *testing.T, stmt string) string {
	t.Helper()
	num := func(col string) string {
		m := regexp.MustCompile(col + `"? = (\d+)`).FindStringSubmatch(stmt)
		if m == nil {
			t.Fatalf("no %s in %s", col, stmt)
		}
		return m[1]
	}
	if strings.Contains(stmt, "ticket_counts") {
		return "ticket_counts " + num("category_id") + "/" + num("status_id") + "/" + num("ticket_priority_id") + "/" + num("shard")
	}
	return "user_counts " + num("user_id") + "/" + num("shard")
}

// TestWriterQueues: on SQLite the Writer lets its transactions in one at a
// time, in order (see TestGateIsFIFO); on the other databases, which
// lock rows, two per CPU or as many as told (FLICKET_DB_WRITERS; see
// TestGateSlots). 16 concurrent replies all get through.
func TestWriterQueues(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		admin := testutil.Seed(t, tdb.DB).Admin
		w := model.NewWriter(tdb.DB, model.WriterOptions{})
		unset, told := model.DefaultWriters(), 3
		if tdb.Dialect == "sqlite" {
			unset, told = 1, 1
		}
		if got := w.Writers(); got != unset {
			t.Fatalf("%d transactions at once, want %d", got, unset)
		}
		if got := model.NewWriter(tdb.DB, model.WriterOptions{Writers: 3}).Writers(); got != told {
			t.Fatalf("told 3: %d transactions at once, want %d", got, told)
		}
		tk := testutil.NewTicket(t, w, admin)
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := w.Do(ctx, func(tx *model.Tx) error {
					_, err := model.CreatePost(ctx, tx, tk.ID, admin, model.PostInput{Content: fmt.Sprintf("Reply %d", i)})
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		var n int64
		testutil.Must(t, tdb.DB.Model(&model.Post{}).Where("ticket_id = ?", tk.ID).Count(&n).Error)
		if n != 16 {
			t.Errorf("%d replies, want 16", n)
		}
	})
}

// TestSinksReadSubscribersOnce: the in-app notifications and the mail
// outbox both need a reply's subscribers; within one dispatch each ticket's
// are read once for every sink and event, and both still reach everyone.
func TestSinksReadSubscribersOnce(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		testutil.Seed(t, tdb.DB)
		bob := testutil.NewUser(t, tdb.DB, "bob", nil)
		carol := testutil.NewUser(t, tdb.DB, "carol", nil)
		dave := testutil.NewUser(t, tdb.DB, "dave", nil)
		plain := model.NewWriter(tdb.DB, model.WriterOptions{})
		first := testutil.NewTicket(t, plain, carol) // carol subscribed
		second := testutil.NewTicket(t, plain, dave) // dave subscribed
		testutil.Write(t, plain, func(tx *model.Tx) error {
			_, err := model.Subscribe(ctx, tx.DB, first.ID, dave.ID, tx.Now)
			return err
		})

		rec, stmts := testutil.RecordStatements(tdb.DB)
		outbox := mail.NewOutbox(rec, mail.Options{BaseURL: "http://flicket.test"})
		w := model.NewWriter(rec, model.WriterOptions{Sinks: []model.EventSink{outbox}})
		stmts.Take()
		status := model.StatusInWork
		testutil.Write(t, w, func(tx *model.Tx) error {
			// Two replies to the first ticket (one changing its status:
			// two events) and one to the second.
			if _, err := model.CreatePost(ctx, tx, first.ID, bob, model.PostInput{Content: "One."}); err != nil {
				return err
			}
			if _, err := model.CreatePost(ctx, tx, first.ID, bob, model.PostInput{Content: "Two.", StatusID: &status}); err != nil {
				return err
			}
			_, err := model.CreatePost(ctx, tx, second.ID, bob, model.PostInput{Content: "Three."})
			return err
		})
		reads := 0
		for _, s := range stmts.Take() {
			if strings.Contains(s, "JOIN subscriptions") || strings.Contains(s, "FROM \"subscriptions\" JOIN") || strings.Contains(s, "FROM `subscriptions` JOIN") {
				reads++
			}
		}
		if reads != 2 {
			t.Errorf("subscribers read %d times, want once per ticket (2)", reads)
		}
		// Before bob subscribed by replying: carol and dave hear of the
		// first ticket's replies, dave of the second's; after, bob is
		// subscribed but is their author.
		count := func(table string) map[int64]int64 {
			var rows []struct{ UserID, N int64 }
			col := "user_id"
			if table == "mail_outbox" {
				col = "recipient_user_id"
			}
			testutil.Must(t, tdb.DB.Table(table).Select(col+" AS user_id, COUNT(*) AS n").Group(col).Scan(&rows).Error)
			out := map[int64]int64{}
			for _, r := range rows {
				out[r.UserID] = r.N
			}
			return out
		}
		want := map[int64]int64{carol.ID: 2, dave.ID: 3}
		for _, table := range []string{"notifications", "mail_outbox"} {
			if got := count(table); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s per user %v, want %v", table, got, want)
			}
		}
	})
}
