package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Post is a reply to a ticket (features §1.8).
type Post struct {
	ID           int64
	TicketID     int64
	Content      string
	UserID       *int64
	DateAdded    time.Time
	DateModified *time.Time
	ModifiedID   *int64
	Hours        Hours
	// ContentHTML is Content rendered and sanitised (nil: render on read).
	ContentHTML *string
}

// TableName pins the table name.
func (Post) TableName() string { return "posts" }

// IsAuthor tells whether u wrote the reply.
func (p *Post) IsAuthor(u *User) bool {
	return u != nil && p.UserID != nil && *p.UserID == u.ID
}

// FindPost loads one reply.
func FindPost(ctx context.Context, db *gorm.DB, id int64) (*Post, error) {
	var p Post
	if err := db.WithContext(ctx).First(&p, id).Error; err != nil {
		return nil, notFound(err, "find post")
	}
	return &p, nil
}

// ListPosts returns one page of a ticket's replies in the order they were
// written, and their number.
func ListPosts(ctx context.Context, db *gorm.DB, ticketID int64, offset, limit int) ([]Post, int64, error) {
	q := db.WithContext(ctx).Model(&Post{}).Where("ticket_id = ?", ticketID)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count posts: %w", err)
	}
	posts := []Post{}
	if total > int64(offset) {
		if err := q.Order("date_added, id").Offset(offset).Limit(limit).Find(&posts).Error; err != nil {
			return nil, 0, fmt.Errorf("list posts: %w", err)
		}
	}
	return posts, total, nil
}

// LatestReplyID is the ticket's most recent reply, or nil. Actions that are
// not about a reply are attached to it, as in the original, so a timeline
// shows them after the reply they followed.
func LatestReplyID(ctx context.Context, db *gorm.DB, ticketID int64) (*int64, error) {
	var ids []int64
	err := db.WithContext(ctx).Model(&Post{}).Where("ticket_id = ?", ticketID).
		Order("date_added DESC, id DESC").Limit(1).Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("latest reply: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return &ids[0], nil
}

// PostPeople loads, with their roles, every author and last editor of the
// given replies in one query, keyed by id. Users that are gone are missing.
func PostPeople(ctx context.Context, db *gorm.DB, posts []Post) (map[int64]*User, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, p := range posts {
		for _, id := range []*int64{p.UserID, p.ModifiedID} {
			if id != nil && !seen[*id] {
				seen[*id] = true
				ids = append(ids, *id)
			}
		}
	}
	out := make(map[int64]*User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var users []User
	if err := db.WithContext(ctx).Where("id IN ?", ids).Find(&users).Error; err != nil {
		return nil, fmt.Errorf("load post users: %w", err)
	}
	if err := LoadRoles(ctx, db, sliceOfPointers(users)...); err != nil {
		return nil, err
	}
	for i := range users {
		out[users[i].ID] = &users[i]
	}
	return out, nil
}

// AdjustTotalPosts adds delta to a user's total_posts (tickets started plus
// replies written), in the shard of the ticket concerned. Call it in the
// transaction that adds or removes the post.
func AdjustTotalPosts(ctx context.Context, tx *gorm.DB, ticketID, userID, delta int64) error {
	return addUserCount(ctx, tx, ticketID, &userID, userTotalPosts, delta)
}

// ReplyInput is a new reply and what it does to its ticket.
type ReplyInput struct {
	Content     string
	ContentHTML *string // the rendered Content
	Hours       Hours
	// StatusID and PriorityID, when set, change the ticket.
	StatusID   *int64
	PriorityID *int64
}

// CreateReply adds a reply to a ticket locked with LockTicket, inside the
// caller's transaction: a Closed ticket is reopened (action reopen), the
// requested status and priority are applied (actions attached to the new
// reply), the author is subscribed, and the ticket's num_replies,
// total_hours and last_updated and the author's total_posts follow.
func CreateReply(ctx context.Context, tx *gorm.DB, t *Ticket, author *User, in ReplyInput, now time.Time) (*Post, error) {
	st, pr, err := lookupStatusPriority(ctx, tx, in.StatusID, in.PriorityID)
	if err != nil {
		return nil, err
	}
	from := t.Cell()
	p := &Post{TicketID: t.ID, Content: in.Content, ContentHTML: in.ContentHTML, UserID: &author.ID, DateAdded: now, Hours: in.Hours}
	if err := tx.WithContext(ctx).Create(p).Error; err != nil {
		return nil, fmt.Errorf("create post: %w", err)
	}
	if t.IsClosed() {
		// Replying to a closed ticket reopens it (the original did so silently).
		t.StatusID = StatusOpen
		a := &Action{TicketID: t.ID, PostID: &p.ID, Action: ActionReopen, UserID: &author.ID, DateAdded: now}
		if err := RecordAction(ctx, tx, a, nil); err != nil {
			return nil, err
		}
	}
	if err := applyStatusPriority(ctx, tx, t, p.ID, author.ID, st, pr, now); err != nil {
		return nil, err
	}
	t.NumReplies++
	t.TotalHours += in.Hours
	t.LastUpdated = now
	if err := saveTicketState(ctx, tx, t); err != nil {
		return nil, err
	}
	if _, err := Subscribe(ctx, tx, t.ID, author.ID, now); err != nil {
		return nil, err
	}
	if err := refreshSearch(ctx, tx, t.ID); err != nil {
		return nil, err
	}
	// The counters come last (ticket_counts, then user_counts), so their
	// row locks are held for the shortest time.
	if err := MoveTicketCount(ctx, tx, t.ID, from, t.Cell()); err != nil {
		return nil, err
	}
	if err := AdjustTotalPosts(ctx, tx, t.ID, author.ID, 1); err != nil {
		return nil, err
	}
	return p, nil
}

// ReplyEdit lists the fields a PATCH changes (nil: unchanged).
type ReplyEdit struct {
	Content     *string
	ContentHTML *string // the rendered Content, given with it
	Hours       *Hours
	StatusID    *int64
	PriorityID  *int64
}

// UpdateReply edits a reply of a ticket locked with LockTicket, inside the
// caller's transaction. A content change keeps the previous text in the
// history; the ticket's total_hours follows the hours; status and priority
// changes are applied to the ticket with actions attached to this reply.
// It tells whether anything changed.
func UpdateReply(ctx context.Context, tx *gorm.DB, t *Ticket, p *Post, editor *User, in ReplyEdit, now time.Time) (bool, error) {
	st, pr, err := lookupStatusPriority(ctx, tx, in.StatusID, in.PriorityID)
	if err != nil {
		return false, err
	}
	from := t.Cell()
	postChanged := false
	if in.Content != nil && *in.Content != p.Content {
		// The history row credits whoever wrote the text being replaced.
		writer := p.UserID
		if p.ModifiedID != nil {
			writer = p.ModifiedID
		}
		h := &History{PostID: &p.ID, DateModified: now, OriginalContent: p.Content, UserID: writer}
		if err := RecordHistory(ctx, tx, h); err != nil {
			return false, err
		}
		p.Content = *in.Content
		p.ContentHTML = in.ContentHTML
		postChanged = true
	}
	ticketChanged := false
	if in.Hours != nil && *in.Hours != p.Hours {
		t.TotalHours += *in.Hours - p.Hours
		p.Hours = *in.Hours
		postChanged, ticketChanged = true, true
	}
	if (st != nil && st.ID != t.StatusID) || (pr != nil && pr.ID != t.TicketPriorityID) {
		ticketChanged = true
	}
	if !postChanged && !ticketChanged {
		return false, nil
	}
	if postChanged {
		p.ModifiedID, p.DateModified = &editor.ID, &now
		err := tx.WithContext(ctx).Model(&Post{}).Where("id = ?", p.ID).Updates(map[string]any{
			"content": p.Content, "content_html": p.ContentHTML, "hours": p.Hours, "modified_id": p.ModifiedID, "date_modified": p.DateModified,
		}).Error
		if err != nil {
			return false, fmt.Errorf("update post: %w", err)
		}
		if err := refreshSearch(ctx, tx, t.ID); err != nil {
			return false, err
		}
	}
	if err := applyStatusPriority(ctx, tx, t, p.ID, editor.ID, st, pr, now); err != nil {
		return false, err
	}
	t.LastUpdated = now
	if err := saveTicketState(ctx, tx, t); err != nil {
		return false, err
	}
	if err := MoveTicketCount(ctx, tx, t.ID, from, t.Cell()); err != nil {
		return false, err
	}
	return true, nil
}

// DeleteReply removes a reply of a ticket locked with LockTicket, inside the
// caller's transaction; its attachments and histories go with it (ON DELETE
// CASCADE) and its actions stay, detached. The ticket's counters and the
// author's total_posts follow. It returns the stored names of the reply's
// attachments, for the caller to remove once the transaction has committed.
func DeleteReply(ctx context.Context, tx *gorm.DB, t *Ticket, p *Post) ([]string, error) {
	var names []string
	if err := tx.WithContext(ctx).Model(&Upload{}).Where("post_id = ?", p.ID).Pluck("filename", &names).Error; err != nil {
		return nil, fmt.Errorf("list reply attachments: %w", err)
	}
	res := tx.WithContext(ctx).Delete(&Post{}, p.ID)
	if res.Error != nil {
		return nil, fmt.Errorf("delete post: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	if err := refreshSearch(ctx, tx, t.ID); err != nil {
		return nil, err
	}
	t.NumReplies--
	t.TotalHours -= p.Hours
	if err := saveTicketState(ctx, tx, t); err != nil {
		return nil, err
	}
	if p.UserID != nil {
		if err := AdjustTotalPosts(ctx, tx, t.ID, *p.UserID, -1); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// lookupStatusPriority checks the requested status and priority exist; a
// reply may not close its ticket (closing has its own rules and endpoint).
func lookupStatusPriority(ctx context.Context, db *gorm.DB, statusID, priorityID *int64) (*Status, *Priority, error) {
	var st *Status
	var pr *Priority
	if statusID != nil {
		if *statusID == StatusClosed {
			return nil, nil, Invalid("status_id", "closed",
				"status_id cannot be Closed here; close the ticket with POST /flicket-api/ticket/{id}/close.")
		}
		s, err := FindStatus(ctx, db, *statusID)
		if err != nil {
			return nil, nil, lookupErr(err, "status_id", "status")
		}
		st = s
	}
	if priorityID != nil {
		p, err := FindPriority(ctx, db, *priorityID)
		if err != nil {
			return nil, nil, lookupErr(err, "ticket_priority_id", "priority")
		}
		pr = p
	}
	return st, pr, nil
}

// lookupErr turns a missing referenced row into a 422 naming the field.
func lookupErr(err error, field, what string) error {
	if errors.Is(err, ErrNotFound) {
		return Invalid(field, "not_found", "%s names no %s.", field, what)
	}
	return err
}

// applyStatusPriority sets the ticket's status and priority when they
// differ (in memory: the caller saves the row and moves its counter),
// recording status / priority actions attached to the reply.
func applyStatusPriority(ctx context.Context, tx *gorm.DB, t *Ticket, postID, actorID int64, st *Status, pr *Priority, now time.Time) error {
	if st != nil && st.ID != t.StatusID {
		t.StatusID = st.ID
		a := &Action{TicketID: t.ID, PostID: &postID, Action: ActionStatus, UserID: &actorID, DateAdded: now}
		if err := RecordAction(ctx, tx, a, statusData(st)); err != nil {
			return err
		}
	}
	if pr != nil && pr.ID != t.TicketPriorityID {
		t.TicketPriorityID = pr.ID
		a := &Action{TicketID: t.ID, PostID: &postID, Action: ActionPriority, UserID: &actorID, DateAdded: now}
		if err := RecordAction(ctx, tx, a, priorityData(pr)); err != nil {
			return err
		}
	}
	return nil
}

// saveTicketState writes the columns a reply changes. The row is locked, so
// absolute values computed from it cannot lose a concurrent update.
func saveTicketState(ctx context.Context, tx *gorm.DB, t *Ticket) error {
	err := tx.WithContext(ctx).Model(&Ticket{}).Where("id = ?", t.ID).Updates(map[string]any{
		"status_id":          t.StatusID,
		"ticket_priority_id": t.TicketPriorityID,
		"num_replies":        t.NumReplies,
		"total_hours":        t.TotalHours,
		"last_updated":       t.LastUpdated,
	}).Error
	if err != nil {
		return fmt.Errorf("update ticket after reply: %w", err)
	}
	return nil
}
