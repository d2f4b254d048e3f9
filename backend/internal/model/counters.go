package model

import (
	"cmp"
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

// pendingCounters are the shared counter changes of one transaction
// (ticket_counts and user_counts rows, by shard), gathered from every change
// it makes and written by flush just before the commit. A counter row is
// shared by many tickets and, for a user's counters, by everything the user
// does, so its lock must be held for as short a time as possible: taken
// after the events' sinks (notifications, the mail outbox) have run, it is
// held for the counter statements and the commit alone. All of them are
// taken in one order — ticket_counts by (category, status, priority,
// shard), then user_counts by (user, shard) — so two transactions cannot
// take the same rows in opposite orders, however many tickets each changes.
type pendingCounters struct {
	tickets map[ticketCountKey]int64
	users   map[userCountKey]UserCount
}

type ticketCountKey struct {
	cell  TicketCell
	shard int64
}

type userCountKey struct{ user, shard int64 }

// add gathers the shared counters of a change to the ticket ticketID.
func (p *pendingCounters) add(ticketID int64, d CounterDelta) {
	if p.tickets == nil {
		p.tickets, p.users = map[ticketCountKey]int64{}, map[userCountKey]UserCount{}
	}
	for cell, n := range d.Tickets {
		p.tickets[ticketCountKey{cell, counterShard(ticketID)}] += n
	}
	shard := userCounterShard(ticketID)
	for id, n := range d.userDeltas() {
		k := userCountKey{id, shard}
		c := p.users[k]
		c.UserID, c.Shard = id, shard
		c.TotalPosts += n.TotalPosts
		c.TotalAssigned += n.TotalAssigned
		c.TotalStarted += n.TotalStarted
		c.TotalSelfAssigned += n.TotalSelfAssigned
		p.users[k] = c
	}
}

// flush writes the gathered counters in their fixed order and forgets them
// (deltas that cancel out are not written).
func (p *pendingCounters) flush(ctx context.Context, tx *gorm.DB) error {
	tickets := slices.SortedFunc(maps.Keys(p.tickets), func(a, b ticketCountKey) int {
		if c := a.cell.compare(b.cell); c != 0 {
			return c
		}
		return cmp.Compare(a.shard, b.shard)
	})
	for _, k := range tickets {
		if err := adjustTicketCount(ctx, tx, k.shard, k.cell, p.tickets[k]); err != nil {
			return err
		}
	}
	users := slices.SortedFunc(maps.Keys(p.users), func(a, b userCountKey) int {
		if c := cmp.Compare(a.user, b.user); c != 0 {
			return c
		}
		return cmp.Compare(a.shard, b.shard)
	})
	for _, k := range users {
		if err := addUserCount(ctx, tx, p.users[k]); err != nil {
			return err
		}
	}
	p.tickets, p.users = nil, nil
	return nil
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
