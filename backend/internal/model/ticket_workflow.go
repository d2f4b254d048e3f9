package model

import (
	"context"
	"errors"
	"fmt"

	"github.com/flicket/flicket/backend/internal/sortkey"
)

// The domain changes of a ticket, one function each, used by every entry
// point (the API, the bulk endpoint, the CLI, tests). Each runs inside a
// Writer transaction (tx), locks the ticket, checks the rules, and saves
// through ticketChange: the row, its history/action, its counters and its
// one event, in one place.

// TicketEdit is a partial update of a ticket's body (nil = unchanged).
type TicketEdit struct {
	Title            *string
	Content          *string
	ContentHTML      *string // the rendered Content, given with it
	TicketPriorityID *int64
	CategoryID       *int64
	Hours            *Hours
}

// EditTicket applies an edit by u: creator or administrator, not closed. A
// changed body keeps its previous text in the history (credited to whoever
// wrote it); a priority or category change is logged as an action, and a
// category change follows the change-category switches and moves the
// counter. It tells whether anything changed.
func EditTicket(ctx context.Context, tx *Tx, id int64, u *User, e TicketEdit) (bool, error) {
	c, err := lockChange(ctx, tx, id, u)
	if err != nil {
		return false, err
	}
	t := c.t
	if err := t.CanEdit(u); err != nil {
		return false, err
	}
	edited := false
	if e.Title != nil && *e.Title != t.Title {
		c.set["title"] = *e.Title
		c.set["title_key"] = sortkey.Key(*e.Title)
		edited = true
	}
	if e.Content != nil && *e.Content != t.Content {
		author := t.ModifiedID
		if author == nil {
			author = t.StartedID
		}
		h := &History{TicketID: &t.ID, DateModified: tx.Now, OriginalContent: t.Content, UserID: author}
		if err := RecordHistory(ctx, tx.DB, h); err != nil {
			return false, err
		}
		c.set["content"] = *e.Content
		c.set["content_html"] = e.ContentHTML
		edited = true
	}
	if edited {
		c.search = true
		c.event(Event{Kind: EventTicketEdited})
	}
	if e.TicketPriorityID != nil && *e.TicketPriorityID != t.TicketPriorityID {
		p, err := findPriorityField(ctx, tx, *e.TicketPriorityID)
		if err != nil {
			return false, err
		}
		c.changePriority(p, nil)
	}
	if e.CategoryID != nil && *e.CategoryID != t.CategoryID {
		settings, err := tx.Settings(ctx)
		if err != nil {
			return false, err
		}
		if err := t.CanChangeCategory(u, settings); err != nil {
			return false, err
		}
		l, err := findCategoryLabel(ctx, tx.DB, *e.CategoryID)
		if err != nil {
			return false, err
		}
		c.changeCategory(l)
	}
	if e.Hours != nil && *e.Hours != t.Hours {
		c.changeHours(*e.Hours)
	}
	if len(c.set) == 0 {
		return false, nil
	}
	c.set["modified_id"] = u.ID
	c.set["date_modified"] = tx.Now
	return true, c.save(ctx, tx)
}

// ChangeHours sets the ticket's own hours (its creator or an administrator,
// not once closed); total_hours follows.
func ChangeHours(ctx context.Context, tx *Tx, id int64, u *User, h Hours) error {
	_, err := EditTicket(ctx, tx, id, u, TicketEdit{Hours: &h})
	return err
}

// DeletedTicket is what DeleteTicket removed that lives outside the database.
type DeletedTicket struct {
	// Files are the stored names of the ticket's and its replies' attachments.
	Files []string
}

// DeleteTicket removes a ticket and everything hanging off it (replies,
// attachments rows, histories, subscriptions, actions: the foreign keys
// cascade), and takes it and its replies out of every counter. The caller
// removes the files after the commit.
func DeleteTicket(ctx context.Context, tx *Tx, id int64, u *User) (*DeletedTicket, error) {
	c, err := lockChange(ctx, tx, id, u)
	if err != nil {
		return nil, err
	}
	t := c.t
	if err := t.CanDelete(u); err != nil {
		return nil, err
	}
	db := tx.DB.WithContext(ctx)
	var out DeletedTicket
	err = db.Model(&Upload{}).
		Where("ticket_id = ? OR post_id IN (SELECT id FROM posts WHERE ticket_id = ?)", t.ID, t.ID).
		Order("id").Pluck("filename", &out.Files).Error
	if err != nil {
		return nil, fmt.Errorf("list ticket files: %w", err)
	}
	type authorCount struct {
		UserID *int64
		N      int64
	}
	var authors []authorCount
	err = db.Model(&Post{}).Select("user_id, COUNT(*) AS n").
		Where("ticket_id = ?", t.ID).Group("user_id").Scan(&authors).Error
	if err != nil {
		return nil, fmt.Errorf("count reply authors: %w", err)
	}
	var posts []CountedPost
	for _, a := range authors {
		for range a.N {
			posts = append(posts, CountedPost{Author: a.UserID})
		}
	}
	c.before = c.before.withPosts(posts...)
	c.after = Counted{}
	if err := db.Delete(&Ticket{}, t.ID).Error; err != nil {
		return nil, fmt.Errorf("delete ticket: %w", err)
	}
	c.event(Event{Kind: EventTicketDeleted})
	return &out, c.save(ctx, tx)
}

// Assign gives a ticket to a user (anyone may): not on a closed ticket, not
// to the current assignee, not to an unknown or disabled account. The
// ticket goes In Work, the assignee is subscribed and total_assigned moves
// from the previous assignee to the new one.
func Assign(ctx context.Context, tx *Tx, id int64, actor *User, assigneeID int64) error {
	c, err := lockChange(ctx, tx, id, actor)
	if err != nil {
		return err
	}
	t := c.t
	if err := t.CanAssign(actor); err != nil {
		return err
	}
	assignee, err := FindUser(ctx, tx.DB, assigneeID)
	if errors.Is(err, ErrNotFound) {
		return Invalid("user_id", "not_found", "user_id names no user.")
	}
	if err != nil {
		return err
	}
	if assignee.Disabled {
		return Invalid("user_id", "disabled", "user_id names a disabled account.")
	}
	if t.AssignedID != nil && *t.AssignedID == assigneeID {
		return Conflict("ticket.already_assigned", "user_id", "The ticket is already assigned to this user.")
	}
	from := c.assignee()
	c.take(assignee)
	c.action(ActionAssign, nil, &assignee.ID, nil)
	c.event(Event{Kind: EventTicketAssigned, AssigneeID: &assignee.ID, From: from, To: assignee.ID})
	return c.save(ctx, tx)
}

// Claim assigns the ticket to u: not on a closed ticket, nor when it is
// already u's. The ticket goes In Work and u is subscribed.
func Claim(ctx context.Context, tx *Tx, id int64, u *User) error {
	c, err := lockChange(ctx, tx, id, u)
	if err != nil {
		return err
	}
	if err := c.t.CanClaim(u); err != nil {
		return err
	}
	from := c.assignee()
	c.take(u)
	c.action(ActionClaim, nil, nil, nil)
	c.event(Event{Kind: EventTicketClaimed, AssigneeID: &u.ID, From: from, To: u.ID})
	return c.save(ctx, tx)
}

// Release un-assigns the ticket (its assignee or an administrator); it goes
// back to Open.
func Release(ctx context.Context, tx *Tx, id int64, u *User) error {
	c, err := lockChange(ctx, tx, id, u)
	if err != nil {
		return err
	}
	if err := c.t.CanRelease(u); err != nil {
		return err
	}
	from := c.assignee()
	c.drop(StatusOpen)
	c.action(ActionRelease, nil, nil, nil)
	c.event(Event{Kind: EventTicketReleased, From: from})
	return c.save(ctx, tx)
}

// Close closes the ticket (its creator, its assignee or an administrator)
// and clears the assignee.
func Close(ctx context.Context, tx *Tx, id int64, u *User) error {
	c, err := lockChange(ctx, tx, id, u)
	if err != nil {
		return err
	}
	if err := c.t.CanClose(u); err != nil {
		return err
	}
	st, err := FindStatus(ctx, tx.DB, StatusClosed)
	if err != nil {
		return err
	}
	c.drop(StatusClosed)
	c.action(ActionClose, statusData(st), nil, nil)
	c.event(Event{Kind: EventTicketClosed, From: c.before.Cell.StatusID, To: StatusClosed})
	return c.save(ctx, tx)
}

// ChangeStatus moves the ticket to any status but Closed (that is Close's
// job, with its permission rule). From Closed it is a reopen.
func ChangeStatus(ctx context.Context, tx *Tx, id int64, u *User, statusID int64) error {
	c, err := lockChange(ctx, tx, id, u)
	if err != nil {
		return err
	}
	if err := c.t.CanSetStatus(u, statusID); err != nil {
		return err
	}
	st, err := findStatusField(ctx, tx, id, statusID)
	if err != nil {
		return err
	}
	if c.t.StatusID == st.ID {
		return Conflict("ticket.same_status", "status_id", "The ticket already has this status.")
	}
	c.changeStatus(st, nil)
	return c.save(ctx, tx)
}

// ChangePriority changes the priority of an open ticket.
func ChangePriority(ctx context.Context, tx *Tx, id int64, u *User, priorityID int64) error {
	c, err := lockChange(ctx, tx, id, u)
	if err != nil {
		return err
	}
	if err := c.t.CanChangePriority(u); err != nil {
		return err
	}
	p, err := findPriorityField(ctx, tx, priorityID)
	if err != nil {
		return err
	}
	if c.t.TicketPriorityID == p.ID {
		return Conflict("ticket.same_priority", "ticket_priority_id", "The ticket already has this priority.")
	}
	c.changePriority(p, nil)
	return c.save(ctx, tx)
}

// ChangeCategory re-files the ticket, within the change-category switches.
func ChangeCategory(ctx context.Context, tx *Tx, id int64, u *User, categoryID int64) error {
	c, err := lockChange(ctx, tx, id, u)
	if err != nil {
		return err
	}
	settings, err := tx.Settings(ctx)
	if err != nil {
		return err
	}
	if err := c.t.CanChangeCategory(u, settings); err != nil {
		return err
	}
	l, err := findCategoryLabel(ctx, tx.DB, categoryID)
	if err != nil {
		return err
	}
	if c.t.CategoryID == l.CategoryID {
		return Conflict("ticket.same_category", "category_id", "The ticket is already filed under this category.")
	}
	c.changeCategory(l)
	return c.save(ctx, tx)
}

// findStatusField loads a status; an unknown or Closed one is a 422 on
// status_id (Closed is Close's: the one refusal every path shares).
func findStatusField(ctx context.Context, tx *Tx, ticketID, id int64) (*Status, error) {
	if id == StatusClosed {
		return nil, errClosedStatus(ticketID)
	}
	st, err := FindStatus(ctx, tx.DB, id)
	if errors.Is(err, ErrNotFound) {
		return nil, Invalid("status_id", "not_found", "not a valid status_id")
	}
	return st, err
}

// errClosedStatus refuses Closed as a status to set, on every path (the
// status endpoint, a reply, its edit): one field, one code.
func errClosedStatus(ticketID int64) error {
	return Invalid("status_id", "closed", "Close a ticket with POST /flicket-api/ticket/%d/close.", ticketID)
}

// findPriorityField loads a priority; an unknown one is a 422 on
// ticket_priority_id.
func findPriorityField(ctx context.Context, tx *Tx, id int64) (*Priority, error) {
	p, err := FindPriority(ctx, tx.DB, id)
	if errors.Is(err, ErrNotFound) {
		return nil, Invalid("ticket_priority_id", "not_found", "not a valid ticket_priority_id")
	}
	return p, err
}
