package model

import (
	"context"
	"maps"
	"slices"

	"gorm.io/gorm"
)

// Counters from one place. Every counter Flicket keeps — ticket_counts (by
// category, status, priority), the users' total_posts (tickets started plus
// replies written), total_assigned, total_started and total_self_assigned
// (tickets they started and are assigned to), and a ticket's num_replies and
// total_hours (its own hours plus its replies') — is a function of the
// tickets and replies. A domain change describes what it touches before and
// after (Counted), counterDeltas derives every delta from the two, and
// applyCounters writes them. No call site adds to a counter by hand.

// Counted is what the counters follow of one ticket: its row, and the
// replies a change adds, removes or edits (only those: the others are the
// same before and after, so they cancel out).
type Counted struct {
	Exists   bool
	Cell     TicketCell
	Starter  *int64
	Assignee *int64
	Hours    Hours // the ticket's own hours
	Posts    []CountedPost
}

// CountedPost is what the counters follow of one reply.
type CountedPost struct {
	Author *int64
	Hours  Hours
}

// countedTicket is the counted state of a ticket row, without replies.
func countedTicket(t *Ticket) Counted {
	return Counted{Exists: true, Cell: t.Cell(), Starter: t.StartedID, Assignee: t.AssignedID, Hours: t.Hours}
}

// countedPost is the counted state of a reply.
func countedPost(p *Post) CountedPost { return CountedPost{Author: p.UserID, Hours: p.Hours} }

// withPosts is c with the given replies.
func (c Counted) withPosts(posts ...CountedPost) Counted {
	c.Posts = posts
	return c
}

// CounterDelta is what a change does to every counter.
type CounterDelta struct {
	Tickets    map[TicketCell]int64
	TotalPosts map[int64]int64 // by user
	Assigned   map[int64]int64 // by user
	Started    map[int64]int64 // by user: tickets started
	// SelfAssigned: tickets started by and assigned to the user, so that
	// started + assigned - self-assigned counts "created by or assigned to".
	SelfAssigned map[int64]int64
	NumReplies   int64 // the ticket row's num_replies
	TotalHours   Hours // the ticket row's total_hours
}

// CounterDeltas derives every counter's delta from the state before and
// after a change. Zero deltas are left out.
func CounterDeltas(before, after Counted) CounterDelta {
	d := CounterDelta{Tickets: map[TicketCell]int64{}, TotalPosts: map[int64]int64{}, Assigned: map[int64]int64{},
		Started: map[int64]int64{}, SelfAssigned: map[int64]int64{}}
	add := func(c Counted, sign int64) {
		if !c.Exists {
			return
		}
		d.Tickets[c.Cell] += sign
		if c.Starter != nil {
			d.TotalPosts[*c.Starter] += sign
			d.Started[*c.Starter] += sign
			if c.Assignee != nil && *c.Assignee == *c.Starter {
				d.SelfAssigned[*c.Starter] += sign
			}
		}
		if c.Assignee != nil {
			d.Assigned[*c.Assignee] += sign
		}
		d.TotalHours += Hours(sign) * c.Hours
		for _, p := range c.Posts {
			d.NumReplies += sign
			d.TotalHours += Hours(sign) * p.Hours
			if p.Author != nil {
				d.TotalPosts[*p.Author] += sign
			}
		}
	}
	add(before, -1)
	add(after, 1)
	maps.DeleteFunc(d.Tickets, func(_ TicketCell, n int64) bool { return n == 0 })
	maps.DeleteFunc(d.TotalPosts, func(_ int64, n int64) bool { return n == 0 })
	maps.DeleteFunc(d.Assigned, func(_ int64, n int64) bool { return n == 0 })
	maps.DeleteFunc(d.Started, func(_ int64, n int64) bool { return n == 0 })
	maps.DeleteFunc(d.SelfAssigned, func(_ int64, n int64) bool { return n == 0 })
	return d
}

// rowColumns adds the ticket row's counter columns to an UPDATE of the row
// locked as t: absolute values computed from a locked row cannot lose a
// concurrent update.
func (d CounterDelta) rowColumns(t *Ticket, set map[string]any) {
	if d.NumReplies != 0 {
		t.NumReplies += d.NumReplies
		set["num_replies"] = t.NumReplies
	}
	if d.TotalHours != 0 {
		t.TotalHours += d.TotalHours
		set["total_hours"] = t.TotalHours
	}
}

// applyShared writes the counters shared between tickets: ticket_counts in
// key order, then user_counts in user id order, so two transactions cannot
// take their rows in opposite orders. They come last in a change, so their
// row locks are held for the shortest time.
func (d CounterDelta) applyShared(ctx context.Context, tx *gorm.DB, ticketID int64) error {
	cells := slices.SortedFunc(maps.Keys(d.Tickets), func(a, b TicketCell) int { return a.compare(b) })
	for _, c := range cells {
		if err := adjustTicketCount(ctx, tx, ticketID, c, d.Tickets[c]); err != nil {
			return err
		}
	}
	return addUserCounts(ctx, tx, ticketID, d.userDeltas())
}

// userDeltas gathers the change's user counters by user, each user's
// columns written in one statement.
func (d CounterDelta) userDeltas() map[int64]UserCount {
	out := map[int64]UserCount{}
	for _, col := range []struct {
		m   map[int64]int64
		set func(*UserCount, int64)
	}{
		{d.TotalPosts, func(c *UserCount, n int64) { c.TotalPosts = n }},
		{d.Assigned, func(c *UserCount, n int64) { c.TotalAssigned = n }},
		{d.Started, func(c *UserCount, n int64) { c.TotalStarted = n }},
		{d.SelfAssigned, func(c *UserCount, n int64) { c.TotalSelfAssigned = n }},
	} {
		for id, n := range col.m {
			c := out[id]
			c.UserID = id
			col.set(&c, n)
			out[id] = c
		}
	}
	return out
}
