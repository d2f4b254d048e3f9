package flicketimport

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/sortkey"
)

// ticketIndex and postIndex remember what later tables point at, in id
// order (the source is read in id order), found by binary search.
type ticketRec struct {
	ID, Started int64 // Started 0: nobody
	Added       time.Time
}

type ticketIndex []ticketRec

func (x ticketIndex) find(id int64) (ticketRec, bool) {
	i := sort.Search(len(x), func(i int) bool { return x[i].ID >= id })
	if i < len(x) && x[i].ID == id {
		return x[i], true
	}
	return ticketRec{}, false
}

type postRec struct {
	ID, Ticket, User int64
	Added            time.Time
}

type postIndex []postRec

func (x postIndex) find(id int64) (postRec, bool) {
	i := sort.Search(len(x), func(i int) bool { return x[i].ID >= id })
	if i < len(x) && x[i].ID == id {
		return x[i], true
	}
	return postRec{}, false
}

// pump reads and converts batches in one goroutine (produce calls emit)
// while this one writes them, so reading the source and writing the target
// overlap.
func (im *importer) pump(ctx context.Context, table string, cols []string, produce func(emit func([][]any) error) error) error {
	total := im.rep.Source[table]
	im.progress(table, 0, total)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan [][]any, 2)
	errc := make(chan error, 1)
	go func() {
		defer close(ch)
		errc <- produce(func(b [][]any) error {
			select {
			case ch <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	done := 0
	for b := range ch {
		if err := im.insert(ctx, table, cols, b); err != nil {
			cancel()
			for range ch { //nolint:revive // drain so the reader ends
			}
			if rerr := <-errc; rerr != nil && !errors.Is(rerr, context.Canceled) {
				return errors.Join(err, rerr)
			}
			return err
		}
		done += len(b)
		im.progress(table, done, total)
	}
	if err := <-errc; err != nil {
		return err
	}
	im.progress(table, total, total)
	return nil
}

// batcher collects rows and emits them chunk by chunk.
type batcher struct {
	rows [][]any
	emit func([][]any) error
	prep func([][]any) // runs on each batch before it is emitted (may be nil)
}

func (b *batcher) add(r []any) error {
	b.rows = append(b.rows, r)
	if len(b.rows) >= chunk {
		return b.flush()
	}
	return nil
}

func (b *batcher) flush() error {
	if len(b.rows) == 0 {
		return nil
	}
	if b.prep != nil {
		b.prep(b.rows)
	}
	err := b.emit(b.rows)
	b.rows = nil
	return err
}

// renderAll fills column html of each row with the markdown of column src,
// on every core.
func (im *importer) renderAll(rows [][]any, src, html int) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(rows); i += workers {
				out := im.md.MustRender(rows[i][src].(string))
				rows[i][html] = &out
			}
		}(w)
	}
	wg.Wait()
}

// ref returns a reference to a user as written, or nil (with a warning)
// when it points at nobody.
func (im *importer) userRef(n nInt, where string) *int64 {
	if !n.Valid {
		return nil
	}
	if !im.userIDs[n.V] {
		im.rep.warn(WarnDanglingReference, "%s points at user %d, who does not exist: set to nobody", where, n.V)
		return nil
	}
	v := n.V
	return &v
}

func (im *importer) timeOr(t nTime, def time.Time, where string) time.Time {
	if t.Valid {
		return t.in(im.o.Timezone)
	}
	im.rep.warn(WarnMissingValue, "%s has no date: %s used", where, def.Format(time.RFC3339))
	return def
}

// nonNil keeps an empty sort key a value (the columns are NOT NULL).
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

type ticketAgg struct {
	n         int64
	hours     model.Hours
	lastReply nInt // who wrote the ticket's latest reply
}

func (im *importer) postTotals(ctx context.Context) (map[int64]ticketAgg, error) {
	rows, err := im.src.tx.QueryContext(ctx, "SELECT ticket_id, COUNT(*), SUM(hours) FROM flicket_post WHERE ticket_id IS NOT NULL GROUP BY ticket_id")
	if err != nil {
		return nil, fmt.Errorf("sum replies per ticket: %w", err)
	}
	defer func() { _ = rows.Close() }()
	out := map[int64]ticketAgg{}
	for rows.Next() {
		var id, n nInt
		var h model.Hours
		var hours sql.RawBytes
		if err := rows.Scan(&id, &n, &hours); err != nil {
			return nil, fmt.Errorf("sum replies per ticket: %w", err)
		}
		if hours != nil {
			if err := h.Scan([]byte(hours)); err != nil {
				return nil, fmt.Errorf("sum replies per ticket: %w", err)
			}
		}
		out[id.V] = ticketAgg{n: n.V, hours: h}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sum replies per ticket: %w", err)
	}
	last, err := im.src.tx.QueryContext(ctx, `SELECT p.ticket_id, p.user_id FROM flicket_post p
		JOIN (SELECT ticket_id, MAX(id) AS id FROM flicket_post WHERE ticket_id IS NOT NULL GROUP BY ticket_id) m ON m.id = p.id`)
	if err != nil {
		return nil, fmt.Errorf("find each ticket's latest reply: %w", err)
	}
	defer func() { _ = last.Close() }()
	for last.Next() {
		var id, user nInt
		if err := last.Scan(&id, &user); err != nil {
			return nil, fmt.Errorf("find each ticket's latest reply: %w", err)
		}
		agg := out[id.V]
		agg.lastReply = user
		out[id.V] = agg
	}
	return out, last.Err()
}

func (im *importer) writeTickets(ctx context.Context) error {
	totals, err := im.postTotals(ctx)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	in := []string{"id", "title", "content", "started_id", "date_added", "date_modified", "modified_id", "status_id",
		"category_id", "assigned_id", "ticket_priority_id", "hours", "last_updated"}
	out := []string{"id", "title", "content", "content_html", "started_id", "date_added", "date_modified", "modified_id",
		"status_id", "category_id", "assigned_id", "ticket_priority_id", "hours", "last_updated", "num_replies", "total_hours",
		"department_id", "title_key", "starter_key", "assignee_key", "dept_cat_key", "last_reply_user_id"}
	// The list's columns (department, sort keys) are computed here from the
	// names already written, so the final recount finds nothing to fix.
	var keys *model.TicketKeys
	if im.tx != nil {
		if keys, err = model.LoadTicketKeys(ctx, im.tx.DB()); err != nil {
			return err
		}
	}
	fallbackPrio := model.PriorityMedium
	if !im.prioIDs[fallbackPrio] && len(im.priorities) > 0 {
		fallbackPrio = im.priorities[0].ID
	}
	return im.pump(ctx, "tickets", out, func(emit func([][]any) error) error {
		keyer := sortkey.New()
		b := &batcher{emit: emit, prep: func(rows [][]any) { im.renderAll(rows, 2, 3) }}
		err := im.src.each(ctx, "flicket_topic", in, func(rows *sql.Rows) (int64, error) {
			var id, started, modifiedBy, status, category, assigned, prio nInt
			var title, content nText
			var added, modified, lastUpdated nTime
			var hours model.Hours
			if err := rows.Scan(&id, &title, &content, &started, &added, &modified, &modifiedBy, &status, &category, &assigned, &prio, &hours, &lastUpdated); err != nil {
				return 0, fmt.Errorf("read flicket_topic: %w", err)
			}
			where := fmt.Sprintf("ticket %d", id.V)
			t := strings.TrimSpace(im.str(title, where+" title"))
			if t == "" {
				t = "(no title)"
				im.rep.warn(WarnMissingValue, "%s has no title: %q", where, t)
			}
			body := im.str(content, where+" content")
			a := im.timeOr(added, now, where)
			var mod *time.Time
			if modified.Valid {
				m := modified.in(im.o.Timezone)
				mod = &m
			}
			last := a
			if lastUpdated.Valid {
				last = lastUpdated.in(im.o.Timezone)
			} else if mod != nil && mod.After(a) {
				last = *mod
			}
			st := status.V
			if !im.statusIDs[st] {
				im.rep.warn(WarnDanglingReference, "%s has status %d, which does not exist: Open", where, st)
				st = model.StatusOpen
			}
			pr := prio.V
			if !im.prioIDs[pr] {
				im.rep.warn(WarnDanglingReference, "%s has priority %d, which does not exist: priority %d", where, pr, fallbackPrio)
				pr = fallbackPrio
			}
			cat := category.V
			if !im.catIDs[cat] || cat == im.fallbackCat {
				im.rep.warn(WarnDanglingReference, "%s has category %d, which does not exist: category %d \"Without category\"", where, cat, im.fallbackCat)
				cat = im.fallbackCat
			}
			starter := im.userRef(started, where+" started_id")
			agg := totals[id.V]
			rec := ticketRec{ID: id.V, Added: a}
			if starter != nil {
				rec.Started = *starter
			}
			im.tickets = append(im.tickets, rec)
			var lastReplier *int64 // a reply's missing author is warned about with the replies
			if agg.lastReply.Valid && im.userIDs[agg.lastReply.V] {
				lastReplier = &agg.lastReply.V
			}
			tk := model.Ticket{Title: fit(t, 128), CategoryID: cat, StartedID: starter, AssignedID: im.userRef(assigned, where+" assigned_id")}
			if keys != nil {
				keys.Fill(keyer, &tk)
			}
			return id.V, b.add([]any{id.V, tk.Title, body, nil, starter, a, mod, im.userRef(modifiedBy, where+" modified_id"),
				st, cat, tk.AssignedID, pr, hours, last, agg.n, hours + agg.hours,
				tk.DepartmentID, nonNil(tk.TitleKey), nonNil(tk.StarterKey), nonNil(tk.AssigneeKey), nonNil(tk.DeptCatKey), lastReplier})
		})
		if err != nil {
			return err
		}
		return b.flush()
	})
}

func (im *importer) writePosts(ctx context.Context) error {
	in := []string{"id", "ticket_id", "content", "user_id", "date_added", "date_modified", "modified_id", "hours"}
	out := []string{"id", "ticket_id", "content", "content_html", "user_id", "date_added", "date_modified", "modified_id", "hours"}
	return im.pump(ctx, "posts", out, func(emit func([][]any) error) error {
		b := &batcher{emit: emit, prep: func(rows [][]any) { im.renderAll(rows, 2, 3) }}
		err := im.src.each(ctx, "flicket_post", in, func(rows *sql.Rows) (int64, error) {
			var id, ticket, user, modifiedBy nInt
			var content nText
			var added, modified nTime
			var hours model.Hours
			if err := rows.Scan(&id, &ticket, &content, &user, &added, &modified, &modifiedBy, &hours); err != nil {
				return 0, fmt.Errorf("read flicket_post: %w", err)
			}
			where := fmt.Sprintf("reply %d", id.V)
			t, ok := im.tickets.find(ticket.V)
			if !ticket.Valid || !ok {
				im.rep.warn(WarnOrphan, "%s belongs to ticket %d, which does not exist: not imported", where, ticket.V)
				return id.V, nil
			}
			a := im.timeOr(added, t.Added, where)
			var mod *time.Time
			if modified.Valid {
				m := modified.in(im.o.Timezone)
				mod = &m
			}
			author := im.userRef(user, where+" user_id")
			rec := postRec{ID: id.V, Ticket: t.ID, Added: a}
			if author != nil {
				rec.User = *author
			}
			im.posts = append(im.posts, rec)
			return id.V, b.add([]any{id.V, t.ID, im.str(content, where+" content"), nil, author, a, mod, im.userRef(modifiedBy, where+" modified_id"), hours})
		})
		if err != nil {
			return err
		}
		return b.flush()
	})
}

func (im *importer) writeSubscriptions(ctx context.Context) error {
	seen := map[[2]int64]bool{}
	out := []string{"id", "ticket_id", "user_id", "date_added"}
	return im.pump(ctx, "subscriptions", out, func(emit func([][]any) error) error {
		b := &batcher{emit: emit}
		err := im.src.each(ctx, "flicket_ticket_subscription", []string{"id", "ticket_id", "user_id"}, func(rows *sql.Rows) (int64, error) {
			var id, ticket, user nInt
			if err := rows.Scan(&id, &ticket, &user); err != nil {
				return 0, fmt.Errorf("read flicket_ticket_subscription: %w", err)
			}
			t, ok := im.tickets.find(ticket.V)
			if !ticket.Valid || !ok || !user.Valid || !im.userIDs[user.V] {
				im.rep.warn(WarnOrphan, "subscription %d (ticket %d, user %d) points at a missing ticket or user: not imported", id.V, ticket.V, user.V)
				return id.V, nil
			}
			k := [2]int64{ticket.V, user.V}
			if seen[k] {
				im.rep.warn(WarnDuplicate, "subscription %d: user %d is subscribed to ticket %d twice: kept once", id.V, user.V, ticket.V)
				return id.V, nil
			}
			seen[k] = true
			// The original does not date subscriptions: the ticket's date stands in.
			return id.V, b.add([]any{id.V, t.ID, user.V, t.Added})
		})
		if err != nil {
			return err
		}
		return b.flush()
	})
}

func (im *importer) writeHistories(ctx context.Context) error {
	in := []string{"id", "post_id", "topic_id", "date_modified", "original_content", "user_id"}
	out := []string{"id", "post_id", "ticket_id", "date_modified", "original_content", "user_id"}
	return im.pump(ctx, "histories", out, func(emit func([][]any) error) error {
		b := &batcher{emit: emit}
		err := im.src.each(ctx, "flicket_history", in, func(rows *sql.Rows) (int64, error) {
			var id, post, topic, user nInt
			var date nTime
			var content nText
			if err := rows.Scan(&id, &post, &topic, &date, &content, &user); err != nil {
				return 0, fmt.Errorf("read flicket_history: %w", err)
			}
			where := fmt.Sprintf("history %d", id.V)
			var postID, ticketID *int64
			var def time.Time
			if p, ok := im.posts.find(post.V); post.Valid && ok {
				postID, def = &p.ID, p.Added
			} else if t, ok := im.tickets.find(topic.V); topic.Valid && ok {
				ticketID, def = &t.ID, t.Added
			} else {
				im.rep.warn(WarnOrphan, "%s (reply %d, ticket %d) belongs to nothing that exists: not imported", where, post.V, topic.V)
				return id.V, nil
			}
			return id.V, b.add([]any{id.V, postID, ticketID, im.timeOr(date, def, where), im.str(content, where+" original_content"), im.userRef(user, where+" user_id")})
		})
		if err != nil {
			return err
		}
		return b.flush()
	})
}

// knownActions are the kinds the original writes (and Flicket shows).
var knownActions = map[string]bool{
	model.ActionAssign: true, model.ActionClaim: true, model.ActionRelease: true, model.ActionClose: true,
	model.ActionStatus: true, model.ActionPriority: true, model.ActionDepartmentCategory: true,
	model.ActionSubscribe: true, model.ActionUnsubscribe: true,
}

func (im *importer) writeActions(ctx context.Context) error {
	in := []string{"id", "ticket_id", "post_id", "user_id", "recipient_id", "date", "action", "data"}
	out := []string{"id", "ticket_id", "post_id", "action", "data", "user_id", "recipient_id", "date_added"}
	withPost := 0
	err := im.pump(ctx, "actions", out, func(emit func([][]any) error) error {
		b := &batcher{emit: emit}
		err := im.src.each(ctx, "flicket_ticket_action", in, func(rows *sql.Rows) (int64, error) {
			var id, ticket, post, user, recipient nInt
			var date nTime
			var kind, data nText
			if err := rows.Scan(&id, &ticket, &post, &user, &recipient, &date, &kind, &data); err != nil {
				return 0, fmt.Errorf("read flicket_ticket_action: %w", err)
			}
			where := fmt.Sprintf("action %d", id.V)
			t, ok := im.tickets.find(ticket.V)
			if !ticket.Valid || !ok {
				im.rep.warn(WarnOrphan, "%s belongs to ticket %d, which does not exist: not imported", where, ticket.V)
				return id.V, nil
			}
			var postID *int64
			if post.Valid {
				if p, ok := im.posts.find(post.V); ok && p.Ticket == t.ID {
					postID = &p.ID
					withPost++
				} else {
					im.rep.warn(WarnDanglingReference, "%s points at reply %d, which is not a reply of ticket %d: set to none", where, post.V, t.ID)
				}
			}
			k := strings.TrimSpace(im.str(kind, where+" action"))
			if !knownActions[k] {
				im.rep.warn(WarnActionKind, "%s has kind %q, which the original no longer writes: kept as is", where, k)
			}
			var payload *string
			if data.Valid {
				s := im.str(data, where+" data")
				if s != "" && s != "null" {
					if json.Valid([]byte(s)) {
						payload = &s
					} else {
						im.rep.warn(WarnInvalidJSON, "%s has data that is not JSON: dropped (%.60q)", where, s)
					}
				}
			}
			return id.V, b.add([]any{id.V, t.ID, postID, fit(k, 30), payload, im.userRef(user, where+" user_id"),
				im.userRef(recipient, where+" recipient_id"), im.timeOr(date, t.Added, where)})
		})
		if err != nil {
			return err
		}
		return b.flush()
	})
	if err == nil && withPost > 0 {
		im.rep.warn(WarnActionPost, "%d actions keep their post_id, which is (as in the original) the ticket's latest reply when the action was taken, not a reply the action belongs to", withPost)
	}
	return err
}

func (im *importer) writeUploads(ctx context.Context) error {
	in := []string{"id", "posts_id", "topic_id", "filename", "original_filename"}
	out := []string{"id", "post_id", "ticket_id", "user_id", "filename", "original_filename", "content_type", "size", "date_added"}
	names := map[string]bool{}
	return im.pump(ctx, "uploads", out, func(emit func([][]any) error) error {
		b := &batcher{emit: emit}
		err := im.src.each(ctx, "flicket_uploads", in, func(rows *sql.Rows) (int64, error) {
			var id, post, topic nInt
			var filename, original nText
			if err := rows.Scan(&id, &post, &topic, &filename, &original); err != nil {
				return 0, fmt.Errorf("read flicket_uploads: %w", err)
			}
			where := fmt.Sprintf("upload %d", id.V)
			var postID, ticketID, user *int64
			var date time.Time
			if p, ok := im.posts.find(post.V); post.Valid && ok {
				postID, date = &p.ID, p.Added
				if p.User != 0 {
					user = &p.User
				}
			} else if t, ok := im.tickets.find(topic.V); topic.Valid && ok {
				ticketID, date = &t.ID, t.Added
				if t.Started != 0 {
					user = &t.Started
				}
			} else {
				im.rep.warn(WarnOrphan, "%s (reply %d, ticket %d) belongs to nothing that exists: not imported", where, post.V, topic.V)
				return id.V, nil
			}
			name := strings.TrimSpace(string(filename.B))
			if name == "" || names[name] {
				im.rep.warn(WarnOrphan, "%s has no file name, or one used twice (%q): not imported", where, name)
				return id.V, nil
			}
			names[name] = true
			orig := fit(strings.TrimSpace(im.str(original, where+" original_filename")), 255)
			if orig == "" {
				orig = name
			}
			info := copiedFile{ContentType: contentType(nil)}
			if im.uploadDir == "" {
				im.rep.warn(WarnMissingFile, "%s %s (%s): no --files given, imported as missing", where, name, orig)
			} else {
				var err error
				info, err = im.files.copy(filepath.Join(im.uploadDir, name), "", name)
				if errors.Is(err, errMissing) {
					info = copiedFile{ContentType: contentType(nil)}
					im.rep.warn(WarnMissingFile, "%s %s (%s) is not in %s: imported as missing", where, name, orig, im.uploadDir)
				} else if err != nil {
					return 0, fmt.Errorf("%s: %w", where, err)
				}
			}
			return id.V, b.add([]any{id.V, postID, ticketID, user, fit(name, 128), orig, info.ContentType, info.Size, date})
		})
		if err != nil {
			return err
		}
		return b.flush()
	})
}
