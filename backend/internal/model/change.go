package model

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/search"
	"github.com/flicket/flicket/backend/internal/sortkey"
)

// ticketChange is one domain change to one locked ticket, built up by the
// steps below (a reply may reopen, re-status and re-prioritise its ticket:
// the same steps as the workflow's) and written by save, the one place that
// writes the row, its actions, subscriptions, search entry and counters and
// emits the events. Every domain function goes through it, so a rule for
// "how a ticket changes" lives here once.
type ticketChange struct {
	t      *Ticket // the row as locked
	actor  *User
	before Counted
	after  Counted
	set    map[string]any
	// actions are recorded in order; post nil attaches to the latest reply.
	actions   []pendingAction
	events    []Event
	subscribe []int64
	search    bool
	// keepLastUpdated: the change is not activity (a deleted reply).
	keepLastUpdated bool
	// seenPost is the reply the actor wrote, which becomes the last one
	// they saw (markOwnChange).
	seenPost *int64
}

// pendingAction is an action to record once the ticket row is saved.
type pendingAction struct {
	kind      string
	data      map[string]any
	recipient *int64
	post      *int64
}

// lockChange locks the ticket and starts a change to it by actor.
func lockChange(ctx context.Context, tx *Tx, ticketID int64, actor *User) (*ticketChange, error) {
	t, err := LockTicket(ctx, tx.DB, ticketID)
	if err != nil {
		return nil, err
	}
	return newChange(t, actor), nil
}

func newChange(t *Ticket, actor *User) *ticketChange {
	c := countedTicket(t)
	return &ticketChange{t: t, actor: actor, before: c, after: c, set: map[string]any{}}
}

// status is the ticket's status as changed so far.
func (c *ticketChange) status() int64 { return c.after.Cell.StatusID }

// assignee is the ticket's assignee as changed so far (0: nobody).
func (c *ticketChange) assignee() int64 {
	if c.after.Assignee == nil {
		return 0
	}
	return *c.after.Assignee
}

func (c *ticketChange) event(ev Event) {
	ev.TicketID, ev.ActorID = c.t.ID, c.actor.ID
	c.events = append(c.events, ev)
}

func (c *ticketChange) action(kind string, data map[string]any, recipient, post *int64) {
	c.actions = append(c.actions, pendingAction{kind: kind, data: data, recipient: recipient, post: post})
}

// moveStatus writes the status and moves the counter cell.
func (c *ticketChange) moveStatus(id int64) {
	c.after.Cell.StatusID = id
	c.set["status_id"] = id
}

// changeStatus sets a status that is not Closed: from Closed it is a
// reopen. The action attaches to post (nil: the latest reply).
func (c *ticketChange) changeStatus(st *Status, post *int64) {
	kind := ActionStatus
	if c.status() == StatusClosed {
		kind = ActionReopen
	}
	from := c.status()
	c.moveStatus(st.ID)
	c.action(kind, statusData(st), nil, post)
	c.event(Event{Kind: EventTicketStatusChanged, From: from, To: st.ID})
}

// reopenByPost reopens a closed ticket a reply is written to (the original
// did so silently: an action without data).
func (c *ticketChange) reopenByPost(post *int64) {
	c.moveStatus(StatusOpen)
	c.action(ActionReopen, nil, nil, post)
	c.event(Event{Kind: EventTicketStatusChanged, From: StatusClosed, To: StatusOpen})
}

func (c *ticketChange) changePriority(p *Priority, post *int64) {
	from := c.after.Cell.PriorityID
	c.after.Cell.PriorityID = p.ID
	c.set["ticket_priority_id"] = p.ID
	c.action(ActionPriority, priorityData(p), nil, post)
	c.event(Event{Kind: EventTicketPriorityChanged, From: from, To: p.ID})
}

func (c *ticketChange) changeCategory(l *categoryLabel) {
	from := c.after.Cell.CategoryID
	c.after.Cell.CategoryID = l.CategoryID
	c.set["category_id"] = l.CategoryID
	c.set["department_id"] = l.DepartmentID
	c.set["dept_cat_key"] = l.sortKey(sortkey.New())
	c.action(ActionDepartmentCategory, l.actionData(), nil, nil)
	c.event(Event{Kind: EventTicketCategoryChanged, From: from, To: l.CategoryID})
}

func (c *ticketChange) changeHours(h Hours) {
	c.after.Hours = h
	c.set["hours"] = h
	c.event(Event{Kind: EventTicketHoursChanged})
}

// take makes u the assignee, In Work, subscribed.
func (c *ticketChange) take(u *User) {
	c.after.Assignee = &u.ID
	c.moveStatus(StatusInWork)
	c.set["assigned_id"] = u.ID
	c.set["assignee_key"] = sortkey.Key(u.Name)
	c.subscribe = append(c.subscribe, u.ID)
}

// drop clears the assignee and sets the status.
func (c *ticketChange) drop(statusID int64) {
	c.after.Assignee = nil
	c.moveStatus(statusID)
	c.set["assigned_id"] = nil
	c.set["assignee_key"] = []byte{}
}

// save writes the change: the ticket row (with its num_replies and
// total_hours), the actions, the actor's seen mark, the subscriptions and the
// search entry; hands the shared counters (ticket_counts, user_counts) to the
// transaction, which writes them just before its commit so their row locks
// are held for the shortest time (see pendingCounters); and emits the events.
func (c *ticketChange) save(ctx context.Context, tx *Tx) error {
	d := CounterDeltas(c.before, c.after)
	if c.after.Exists && c.before.Exists {
		// A new row is written whole; a deleted one needs nothing.
		d.rowColumns(c.t, c.set)
		if !c.keepLastUpdated {
			c.set["last_updated"] = tx.Now
		}
		if len(c.set) > 0 {
			if err := setTicketColumns(ctx, tx.DB, c.t.ID, c.set); err != nil {
				return err
			}
		}
	}
	if err := c.recordActions(ctx, tx); err != nil {
		return err
	}
	// The actor's own activity is not news to them (a created ticket is
	// activity; a deleted reply is not).
	if c.after.Exists && (!c.keepLastUpdated || !c.before.Exists) {
		if err := markOwnChange(ctx, tx, c.t.ID, c.actor.ID, c.seenPost); err != nil {
			return err
		}
	}
	for _, id := range c.subscribe {
		if _, err := Subscribe(ctx, tx.DB, c.t.ID, id, tx.Now); err != nil {
			return err
		}
	}
	if c.search {
		if err := c.refreshSearch(ctx, tx.DB); err != nil {
			return err
		}
	}
	if !c.after.Exists && c.before.Exists {
		if err := search.Remove(ctx, tx.DB, c.t.ID); err != nil {
			return err
		}
	}
	tx.counters.add(c.t.ID, d)
	for _, ev := range c.events {
		tx.emit(ev)
	}
	return nil
}

// recordActions logs the change's actions; those about the ticket attach,
// as in the original, to its latest reply at that moment (if any).
func (c *ticketChange) recordActions(ctx context.Context, tx *Tx) error {
	var latest *int64
	looked := false
	for _, a := range c.actions {
		post := a.post
		if post == nil {
			if !looked {
				var err error
				if latest, err = LatestPostID(ctx, tx.DB, c.t.ID); err != nil {
					return err
				}
				looked = true
			}
			post = latest
		}
		row := &Action{TicketID: c.t.ID, PostID: post, Action: a.kind, UserID: &c.actor.ID, RecipientID: a.recipient, DateAdded: tx.Now}
		if err := RecordAction(ctx, tx.DB, row, a.data); err != nil {
			return err
		}
	}
	return nil
}

func statusData(st *Status) map[string]any {
	return map[string]any{"status_id": st.ID, "status": st.Status}
}

func priorityData(p *Priority) map[string]any {
	return map[string]any{"priority_id": p.ID, "priority": p.Priority}
}

// setTicketColumns writes the given columns of one ticket.
func setTicketColumns(ctx context.Context, tx *gorm.DB, id int64, set map[string]any) error {
	if err := tx.WithContext(ctx).Model(&Ticket{}).Where("id = ?", id).Updates(set).Error; err != nil {
		return fmt.Errorf("update ticket: %w", err)
	}
	return nil
}
