package model

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"gorm.io/gorm"
)

// CounterChange is one stored counter that did not match the data.
type CounterChange struct {
	// What names the counter, e.g. `user "alice" total_posts`.
	What     string
	Old, New string
}

// RecountAll recomputes every denormalised counter in one transaction:
// users' total_posts (tickets started + replies written), total_assigned
// (tickets assigned), total_started and total_self_assigned (tickets started,
// and of them those assigned to their starter), folded into the users row with their user_counts
// shards emptied, tickets.num_replies, tickets.total_hours (ticket hours +
// reply hours), ticket_counts and the columns each ticket keeps for the list
// (its department and sort keys). It returns what it corrected. The API keeps
// these exact; this repairs imported or hand-edited databases.
func RecountAll(ctx context.Context, db *gorm.DB) ([]CounterChange, error) {
	var changes []CounterChange
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := recountUsers(ctx, tx)
		if err != nil {
			return err
		}
		t, err := recountTicketTotals(ctx, tx)
		if err != nil {
			return err
		}
		c, err := recountTicketCounts(ctx, tx)
		if err != nil {
			return err
		}
		k, err := rebuildTicketKeys(ctx, tx)
		if err != nil {
			return err
		}
		changes = append(append(append(u, t...), c...), k...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recount: %w", err)
	}
	return changes, nil
}

// RecountUsers recomputes the users' counters (total_posts, total_assigned,
// total_started, total_self_assigned) and
// returns what it corrected (after bulk inserts, such as the demo data).
func RecountUsers(ctx context.Context, db *gorm.DB) ([]CounterChange, error) {
	var changes []CounterChange
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		changes, err = recountUsers(ctx, tx)
		return err
	})
	return changes, err
}

type countedUser struct {
	ID                int64
	Username          string
	TotalPosts        int64 // the users row plus its user_counts shards
	TotalAssigned     int64
	TotalStarted      int64
	TotalSelfAssigned int64
	Shards            int64 // how many user_counts rows the user has
	WantPosts         int64
	WantAssigned      int64
	WantStarted       int64
	WantSelfAssigned  int64
}

func recountUsers(ctx context.Context, tx *gorm.DB) ([]CounterChange, error) {
	rows, err := tx.WithContext(ctx).Table("users").Select(`users.id, users.username,
		users.total_posts + COALESCE((SELECT SUM(c.total_posts) FROM user_counts c WHERE c.user_id = users.id), 0) AS total_posts,
		users.total_assigned + COALESCE((SELECT SUM(c.total_assigned) FROM user_counts c WHERE c.user_id = users.id), 0) AS total_assigned,
		users.total_started + COALESCE((SELECT SUM(c.total_started) FROM user_counts c WHERE c.user_id = users.id), 0) AS total_started,
		users.total_self_assigned + COALESCE((SELECT SUM(c.total_self_assigned) FROM user_counts c WHERE c.user_id = users.id), 0) AS total_self_assigned,
		(SELECT COUNT(*) FROM user_counts c WHERE c.user_id = users.id) AS shards,
		(SELECT COUNT(*) FROM tickets t WHERE t.started_id = users.id)
		  + (SELECT COUNT(*) FROM posts p WHERE p.user_id = users.id) AS want_posts,
		(SELECT COUNT(*) FROM tickets t WHERE t.assigned_id = users.id) AS want_assigned,
		(SELECT COUNT(*) FROM tickets t WHERE t.started_id = users.id) AS want_started,
		(SELECT COUNT(*) FROM tickets t WHERE t.started_id = users.id AND t.assigned_id = users.id) AS want_self_assigned`).
		Order("users.id").Rows()
	if err != nil {
		return nil, fmt.Errorf("count user posts: %w", err)
	}
	// Collect first: the transaction's one connection cannot update while
	// rows are open.
	var wrong []countedUser
	for rows.Next() {
		var u countedUser
		if err := tx.ScanRows(rows, &u); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("scan user counts: %w", err)
		}
		if u.TotalPosts != u.WantPosts || u.TotalAssigned != u.WantAssigned || u.TotalStarted != u.WantStarted ||
			u.TotalSelfAssigned != u.WantSelfAssigned || u.Shards > 0 {
			wrong = append(wrong, u)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("read user counts: %w", err)
	}
	var changes []CounterChange
	for _, u := range wrong {
		err := tx.WithContext(ctx).Model(&User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"total_posts": u.WantPosts, "total_assigned": u.WantAssigned,
				"total_started": u.WantStarted, "total_self_assigned": u.WantSelfAssigned}).Error
		if err != nil {
			return nil, fmt.Errorf("fix user %d counts: %w", u.ID, err)
		}
		if err := tx.WithContext(ctx).Where("user_id = ?", u.ID).Delete(&UserCount{}).Error; err != nil {
			return nil, fmt.Errorf("fold user %d counts: %w", u.ID, err)
		}
		if u.TotalPosts != u.WantPosts {
			changes = append(changes, CounterChange{fmt.Sprintf("user %q total_posts", u.Username),
				strconv.FormatInt(u.TotalPosts, 10), strconv.FormatInt(u.WantPosts, 10)})
		}
		for _, c := range []struct {
			col       string
			old, want int64
		}{{"total_assigned", u.TotalAssigned, u.WantAssigned}, {"total_started", u.TotalStarted, u.WantStarted},
			{"total_self_assigned", u.TotalSelfAssigned, u.WantSelfAssigned}} {
			if c.old != c.want {
				changes = append(changes, CounterChange{fmt.Sprintf("user %q %s", u.Username, c.col),
					strconv.FormatInt(c.old, 10), strconv.FormatInt(c.want, 10)})
			}
		}
	}
	return changes, nil
}

type recountedTicket struct {
	ID              int64
	NumReplies      int64
	Hours           Hours
	TotalHours      Hours
	LastReplyUserID *int64
	WantReplies     int64
	ReplyHours      Hours
	WantLastReplier *int64
}

func recountTicketTotals(ctx context.Context, tx *gorm.DB) ([]CounterChange, error) {
	rows, err := tx.WithContext(ctx).Table("tickets").Select(`tickets.id, tickets.num_replies, tickets.hours, tickets.total_hours,
		(SELECT COUNT(*) FROM posts p WHERE p.ticket_id = tickets.id) AS want_replies,
		(SELECT COALESCE(SUM(p.hours), 0) FROM posts p WHERE p.ticket_id = tickets.id) AS reply_hours,
		tickets.last_reply_user_id,
		(SELECT p.user_id FROM posts p WHERE p.ticket_id = tickets.id ORDER BY p.id DESC LIMIT 1) AS want_last_replier`).
		Order("tickets.id").Rows()
	if err != nil {
		return nil, fmt.Errorf("count ticket replies: %w", err)
	}
	var wrong []recountedTicket
	for rows.Next() {
		var t recountedTicket
		if err := tx.ScanRows(rows, &t); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("scan ticket counts: %w", err)
		}
		if t.NumReplies != t.WantReplies || t.TotalHours != t.Hours+t.ReplyHours || !sameID(t.LastReplyUserID, t.WantLastReplier) {
			wrong = append(wrong, t)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("read ticket counts: %w", err)
	}
	var changes []CounterChange
	for _, t := range wrong {
		want := t.Hours + t.ReplyHours
		err := tx.WithContext(ctx).Model(&Ticket{}).Where("id = ?", t.ID).
			Updates(map[string]any{"num_replies": t.WantReplies, "total_hours": want, "last_reply_user_id": t.WantLastReplier}).Error
		if err != nil {
			return nil, fmt.Errorf("fix ticket %d counts: %w", t.ID, err)
		}
		if t.NumReplies != t.WantReplies {
			changes = append(changes, CounterChange{fmt.Sprintf("ticket %05d num_replies", t.ID),
				strconv.FormatInt(t.NumReplies, 10), strconv.FormatInt(t.WantReplies, 10)})
		}
		if t.TotalHours != want {
			changes = append(changes, CounterChange{fmt.Sprintf("ticket %05d total_hours", t.ID), t.TotalHours.String(), want.String()})
		}
		if !sameID(t.LastReplyUserID, t.WantLastReplier) {
			changes = append(changes, CounterChange{fmt.Sprintf("ticket %05d last_reply_user_id", t.ID),
				idText(t.LastReplyUserID), idText(t.WantLastReplier)})
		}
	}
	return changes, nil
}

// recountTicketCounts rebuilds ticket_counts and reports the cells that moved.
func recountTicketCounts(ctx context.Context, tx *gorm.DB) ([]CounterChange, error) {
	type cell struct{ cat, status, priority int64 }
	read := func() (map[cell]int64, error) {
		var rows []TicketCount
		if err := tx.WithContext(ctx).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("read ticket counts: %w", err)
		}
		m := make(map[cell]int64, len(rows))
		for _, r := range rows {
			m[cell{r.CategoryID, r.StatusID, r.TicketPriorityID}] += r.N
		}
		for k, n := range m {
			if n == 0 {
				delete(m, k)
			}
		}
		return m, nil
	}
	before, err := read()
	if err != nil {
		return nil, err
	}
	if err := RecountTickets(ctx, tx); err != nil {
		return nil, err
	}
	after, err := read()
	if err != nil {
		return nil, err
	}
	keys := make([]cell, 0, len(before)+len(after))
	for k := range before {
		keys = append(keys, k)
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].cat != keys[j].cat {
			return keys[i].cat < keys[j].cat
		}
		if keys[i].status != keys[j].status {
			return keys[i].status < keys[j].status
		}
		return keys[i].priority < keys[j].priority
	})
	var changes []CounterChange
	for _, k := range keys {
		if before[k] != after[k] {
			changes = append(changes, CounterChange{fmt.Sprintf("ticket_counts category %d status %d priority %d", k.cat, k.status, k.priority),
				strconv.FormatInt(before[k], 10), strconv.FormatInt(after[k], 10)})
		}
	}
	return changes, nil
}

func sameID(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func idText(id *int64) string {
	if id == nil {
		return "none"
	}
	return strconv.FormatInt(*id, 10)
}
