package model

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/search"
	"github.com/flicket/flicket/backend/internal/sortkey"
)

// The ticket workflow. Each function locks the ticket, checks the rules,
// writes the ticket, its counters (ticket_counts, user_counts), its
// subscriptions and its action row, and bumps last_updated. Call them inside
// one transaction; the caller adds the notification event to it.

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
func EditTicket(ctx context.Context, tx *gorm.DB, id int64, u *User, e TicketEdit, settings *Settings, now time.Time) (bool, error) {
	t, err := LockTicket(ctx, tx, id)
	if err != nil {
		return false, err
	}
	if err := t.CanEdit(u); err != nil {
		return false, err
	}
	set := map[string]any{}
	var actions []pendingAction
	from, to := t.Cell(), t.Cell()
	if e.Title != nil && *e.Title != t.Title {
		set["title"] = *e.Title
		set["title_key"] = sortkey.Key(*e.Title)
	}
	if e.Content != nil && *e.Content != t.Content {
		author := t.ModifiedID
		if author == nil {
			author = t.StartedID
		}
		h := &History{TicketID: &t.ID, DateModified: now, OriginalContent: t.Content, UserID: author}
		if err := RecordHistory(ctx, tx, h); err != nil {
			return false, err
		}
		set["content"] = *e.Content
		set["content_html"] = e.ContentHTML
	}
	if e.TicketPriorityID != nil && *e.TicketPriorityID != t.TicketPriorityID {
		p, err := FindPriority(ctx, tx, *e.TicketPriorityID)
		if errors.Is(err, ErrNotFound) {
			return false, Invalid("ticket_priority_id", "not_found", "not a valid ticket_priority_id")
		}
		if err != nil {
			return false, err
		}
		set["ticket_priority_id"] = p.ID
		to.PriorityID = p.ID
		actions = append(actions, pendingAction{kind: ActionPriority, data: priorityData(p)})
	}
	if e.CategoryID != nil && *e.CategoryID != t.CategoryID {
		if err := t.CanChangeCategory(u, settings); err != nil {
			return false, err
		}
		c, err := findCategoryLabel(ctx, tx, *e.CategoryID)
		if err != nil {
			return false, err
		}
		set["category_id"] = c.CategoryID
		to.CategoryID = c.CategoryID
		set["department_id"] = c.DepartmentID
		set["dept_cat_key"] = c.sortKey(sortkey.New())
		actions = append(actions, pendingAction{kind: ActionDepartmentCategory, data: c.actionData()})
	}
	if e.Hours != nil && *e.Hours != t.Hours {
		set["hours"] = *e.Hours
		set["total_hours"] = t.TotalHours + *e.Hours - t.Hours
	}
	if len(set) == 0 {
		return false, nil
	}
	set["modified_id"] = u.ID
	set["date_modified"] = now
	set["last_updated"] = now
	if err := setTicketColumns(ctx, tx, t.ID, set); err != nil {
		return false, err
	}
	if _, ok := set["title"]; ok || set["content"] != nil {
		if err := refreshSearch(ctx, tx, t.ID); err != nil {
			return false, err
		}
	}
	if err := MoveTicketCount(ctx, tx, t.ID, from, to); err != nil {
		return false, err
	}
	for _, a := range actions {
		if err := recordTicketAction(ctx, tx, t.ID, a.kind, u.ID, nil, a.data, now); err != nil {
			return false, err
		}
	}
	return true, nil
}

// pendingAction is an action to record once the ticket row is saved.
type pendingAction struct {
	kind string
	data map[string]any
}

// DeletedTicket is what DeleteTicket removed that lives outside the database.
type DeletedTicket struct {
	// Files are the stored names of the ticket's and its replies' attachments.
	Files []string
}

// DeleteTicket removes a ticket and everything hanging off it (replies,
// attachments rows, histories, subscriptions, actions: the foreign keys
// cascade), and takes it out of every counter: ticket_counts, the creator's
// and reply authors' total_posts, the assignee's total_assigned. The caller
// removes the files after the commit.
func DeleteTicket(ctx context.Context, tx *gorm.DB, id int64, u *User) (*DeletedTicket, error) {
	t, err := LockTicket(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := t.CanDelete(u); err != nil {
		return nil, err
	}
	db := tx.WithContext(ctx)
	var out DeletedTicket
	err = db.Model(&Upload{}).
		Where("ticket_id = ? OR post_id IN (SELECT id FROM posts WHERE ticket_id = ?)", t.ID, t.ID).
		Order("id").Pluck("filename", &out.Files).Error
	if err != nil {
		return nil, fmt.Errorf("list ticket files: %w", err)
	}
	type authorCount struct {
		UserID int64
		N      int64
	}
	var authors []authorCount
	err = db.Model(&Post{}).Select("user_id, COUNT(*) AS n").
		Where("ticket_id = ? AND user_id IS NOT NULL", t.ID).Group("user_id").Scan(&authors).Error
	if err != nil {
		return nil, fmt.Errorf("count reply authors: %w", err)
	}
	posts := map[int64]int64{}
	for _, a := range authors {
		posts[a.UserID] -= a.N
	}
	if t.StartedID != nil {
		posts[*t.StartedID]--
	}
	if err := AdjustTicketCount(ctx, tx, t.ID, t.Cell(), -1); err != nil {
		return nil, err
	}
	if err := addUserCounts(ctx, tx, t.ID, userTotalPosts, posts); err != nil {
		return nil, err
	}
	if err := addUserCount(ctx, tx, t.ID, t.AssignedID, userTotalAssigned, -1); err != nil {
		return nil, err
	}
	if err := db.Delete(&Ticket{}, t.ID).Error; err != nil {
		return nil, fmt.Errorf("delete ticket: %w", err)
	}
	if err := search.Remove(ctx, tx, t.ID); err != nil {
		return nil, err
	}
	return &out, nil
}

// AssignTicket gives a ticket to a user (anyone may): not on a closed ticket,
// not to the current assignee, not to an unknown or disabled account. The
// ticket goes In Work, the assignee is subscribed and total_assigned moves
// from the previous assignee to the new one.
func AssignTicket(ctx context.Context, tx *gorm.DB, id int64, actor *User, assigneeID int64, now time.Time) error {
	t, err := LockTicket(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := t.CanAssign(actor); err != nil {
		return err
	}
	assignee, err := FindUser(ctx, tx, assigneeID)
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
	if err := takeTicket(ctx, tx, t, assignee, now); err != nil {
		return err
	}
	return recordTicketAction(ctx, tx, t.ID, ActionAssign, actor.ID, &assigneeID, nil, now)
}

// ClaimTicket assigns the ticket to u: not on a closed ticket, nor when it is
// already u's. The ticket goes In Work and u is subscribed.
func ClaimTicket(ctx context.Context, tx *gorm.DB, id int64, u *User, now time.Time) error {
	t, err := LockTicket(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := t.CanClaim(u); err != nil {
		return err
	}
	if err := takeTicket(ctx, tx, t, u, now); err != nil {
		return err
	}
	return recordTicketAction(ctx, tx, t.ID, ActionClaim, u.ID, nil, nil, now)
}

// takeTicket makes the user the assignee, In Work, subscribed.
func takeTicket(ctx context.Context, tx *gorm.DB, t *Ticket, assignee *User, now time.Time) error {
	userID := assignee.ID
	moves := map[int64]int64{userID: 1}
	if t.AssignedID != nil {
		moves[*t.AssignedID]--
	}
	to := t.Cell()
	to.StatusID = StatusInWork
	if err := MoveTicketCount(ctx, tx, t.ID, t.Cell(), to); err != nil {
		return err
	}
	if err := addUserCounts(ctx, tx, t.ID, userTotalAssigned, moves); err != nil {
		return err
	}
	err := setTicketColumns(ctx, tx, t.ID, map[string]any{
		"assigned_id": userID, "assignee_key": sortkey.Key(assignee.Name), "status_id": StatusInWork, "last_updated": now,
	})
	if err != nil {
		return err
	}
	_, err = Subscribe(ctx, tx, t.ID, userID, now)
	return err
}

// ReleaseTicket un-assigns the ticket (its assignee or an administrator); it
// goes back to Open.
func ReleaseTicket(ctx context.Context, tx *gorm.DB, id int64, u *User, now time.Time) error {
	t, err := LockTicket(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := t.CanRelease(u); err != nil {
		return err
	}
	if err := moveTicketStatus(ctx, tx, t, StatusOpen); err != nil {
		return err
	}
	if err := addUserCount(ctx, tx, t.ID, t.AssignedID, userTotalAssigned, -1); err != nil {
		return err
	}
	err = setTicketColumns(ctx, tx, t.ID, map[string]any{
		"assigned_id": nil, "assignee_key": []byte{}, "status_id": StatusOpen, "last_updated": now,
	})
	if err != nil {
		return err
	}
	return recordTicketAction(ctx, tx, t.ID, ActionRelease, u.ID, nil, nil, now)
}

// CloseTicket closes the ticket (its creator, its assignee or an
// administrator) and clears the assignee.
func CloseTicket(ctx context.Context, tx *gorm.DB, id int64, u *User, now time.Time) error {
	t, err := LockTicket(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := t.CanClose(u); err != nil {
		return err
	}
	st, err := FindStatus(ctx, tx, StatusClosed)
	if err != nil {
		return err
	}
	if err := moveTicketStatus(ctx, tx, t, StatusClosed); err != nil {
		return err
	}
	if err := addUserCount(ctx, tx, t.ID, t.AssignedID, userTotalAssigned, -1); err != nil {
		return err
	}
	err = setTicketColumns(ctx, tx, t.ID, map[string]any{
		"assigned_id": nil, "assignee_key": []byte{}, "status_id": StatusClosed, "last_updated": now,
	})
	if err != nil {
		return err
	}
	return recordTicketAction(ctx, tx, t.ID, ActionClose, u.ID, nil, statusData(st), now)
}

// SetTicketStatus moves the ticket to any status but Closed (that is
// CloseTicket's job, with its permission rule). From Closed it is a reopen.
func SetTicketStatus(ctx context.Context, tx *gorm.DB, id int64, u *User, statusID int64, now time.Time) error {
	t, err := LockTicket(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := t.CanSetStatus(u, statusID); err != nil {
		return err
	}
	st, err := FindStatus(ctx, tx, statusID)
	if errors.Is(err, ErrNotFound) {
		return Invalid("status_id", "not_found", "not a valid status_id")
	}
	if err != nil {
		return err
	}
	if t.StatusID == st.ID {
		return Conflict("ticket.same_status", "status_id", "The ticket already has this status.")
	}
	kind := ActionStatus
	if t.IsClosed() {
		kind = ActionReopen
	}
	if err := moveTicketStatus(ctx, tx, t, st.ID); err != nil {
		return err
	}
	if err := setTicketColumns(ctx, tx, t.ID, map[string]any{"status_id": st.ID, "last_updated": now}); err != nil {
		return err
	}
	return recordTicketAction(ctx, tx, t.ID, kind, u.ID, nil, statusData(st), now)
}

// SetTicketPriority changes the priority of an open ticket.
func SetTicketPriority(ctx context.Context, tx *gorm.DB, id int64, u *User, priorityID int64, now time.Time) error {
	t, err := LockTicket(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := t.CanChangePriority(u); err != nil {
		return err
	}
	p, err := FindPriority(ctx, tx, priorityID)
	if errors.Is(err, ErrNotFound) {
		return Invalid("ticket_priority_id", "not_found", "not a valid ticket_priority_id")
	}
	if err != nil {
		return err
	}
	if t.TicketPriorityID == p.ID {
		return Conflict("ticket.same_priority", "ticket_priority_id", "The ticket already has this priority.")
	}
	to := t.Cell()
	to.PriorityID = p.ID
	if err := MoveTicketCount(ctx, tx, t.ID, t.Cell(), to); err != nil {
		return err
	}
	if err := setTicketColumns(ctx, tx, t.ID, map[string]any{"ticket_priority_id": p.ID, "last_updated": now}); err != nil {
		return err
	}
	return recordTicketAction(ctx, tx, t.ID, ActionPriority, u.ID, nil, priorityData(p), now)
}

// SetTicketCategory re-files the ticket, within the change-category switches.
func SetTicketCategory(ctx context.Context, tx *gorm.DB, id int64, u *User, categoryID int64, settings *Settings, now time.Time) error {
	t, err := LockTicket(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := t.CanChangeCategory(u, settings); err != nil {
		return err
	}
	c, err := findCategoryLabel(ctx, tx, categoryID)
	if err != nil {
		return err
	}
	if t.CategoryID == c.CategoryID {
		return Conflict("ticket.same_category", "category_id", "The ticket is already filed under this category.")
	}
	to := t.Cell()
	to.CategoryID = c.CategoryID
	if err := MoveTicketCount(ctx, tx, t.ID, t.Cell(), to); err != nil {
		return err
	}
	err = setTicketColumns(ctx, tx, t.ID, map[string]any{
		"category_id": c.CategoryID, "department_id": c.DepartmentID, "dept_cat_key": c.sortKey(sortkey.New()), "last_updated": now,
	})
	if err != nil {
		return err
	}
	return recordTicketAction(ctx, tx, t.ID, ActionDepartmentCategory, u.ID, nil, c.actionData(), now)
}

// moveTicketStatus moves the ticket's counter to another status.
func moveTicketStatus(ctx context.Context, tx *gorm.DB, t *Ticket, statusID int64) error {
	to := t.Cell()
	to.StatusID = statusID
	return MoveTicketCount(ctx, tx, t.ID, t.Cell(), to)
}

// IsDeadlock tells whether a transaction failed only because the database
// chose it as the victim of a deadlock or serialization conflict
// (SQLSTATE 40001 / 40P01, MariaDB error 1213), so running it again may
// succeed.
func IsDeadlock(err error) bool {
	if err == nil {
		return false
	}
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		code := st.SQLState()
		return code == "40001" || code == "40P01"
	}
	// The MySQL driver's error has no method for it; its text is stable.
	msg := err.Error()
	return strings.Contains(msg, "Error 1213 ") || strings.Contains(msg, "(40001)")
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

// recordTicketAction logs an action, attached as in the original to the
// ticket's latest reply at that moment (if any).
func recordTicketAction(ctx context.Context, tx *gorm.DB, ticketID int64, kind string, actorID int64, recipientID *int64, data map[string]any, now time.Time) error {
	latest, err := LatestReplyID(ctx, tx, ticketID)
	if err != nil {
		return err
	}
	a := &Action{TicketID: ticketID, PostID: latest, Action: kind, UserID: &actorID, RecipientID: recipientID, DateAdded: now}
	return RecordAction(ctx, tx, a, data)
}
