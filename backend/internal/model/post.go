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

// PostIndex is the number of the ticket's replies written before postID,
// in ListPosts' order (date, then id): the reply is on page index/perPage+1.
// ok is false when postID is no reply of the ticket. One statement on the
// ticket's replies, as ListPosts' count.
func PostIndex(ctx context.Context, db *gorm.DB, ticketID, postID int64) (index int64, ok bool, err error) {
	var rows []struct{ N int64 }
	err = db.WithContext(ctx).Table("posts target").
		Select("COUNT(earlier.id) AS n").
		Joins("LEFT JOIN posts earlier ON earlier.ticket_id = target.ticket_id AND "+
			"(earlier.date_added < target.date_added OR (earlier.date_added = target.date_added AND earlier.id < target.id))").
		Where("target.id = ? AND target.ticket_id = ?", postID, ticketID).
		Group("target.id").Scan(&rows).Error
	if err != nil {
		return 0, false, fmt.Errorf("place reply: %w", err)
	}
	if len(rows) == 0 {
		return 0, false, nil
	}
	return rows[0].N, true, nil
}

// LatestPostID is the ticket's most recent reply, or nil. Actions that are
// not about a reply are attached to it, as in the original, so a timeline
// shows them after the reply they followed.
func LatestPostID(ctx context.Context, db *gorm.DB, ticketID int64) (*int64, error) {
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

// lastReplyUser is the author of the ticket's latest reply (nil: no reply,
// or an author since deleted), as tickets.last_reply_user_id keeps it.
func lastReplyUser(ctx context.Context, db *gorm.DB, ticketID int64) (*int64, error) {
	var rows []struct{ UserID *int64 }
	err := db.WithContext(ctx).Model(&Post{}).Select("user_id").Where("ticket_id = ?", ticketID).
		Order("id DESC").Limit(1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("latest reply's author: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return rows[0].UserID, nil
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

// PostInput is a new reply and what it does to its ticket.
type PostInput struct {
	Content     string
	ContentHTML *string // the rendered Content
	Hours       Hours
	// StatusID and PriorityID, when set, change the ticket.
	StatusID   *int64
	PriorityID *int64
}

// CreatePost adds a reply to a ticket (anyone may): a Closed ticket is
// reopened (action reopen), the requested status and priority are applied
// with the workflow's own steps (actions attached to the new reply), the
// author is subscribed, and the counters follow. An unknown ticket is a 422
// on ticket_id.
func CreatePost(ctx context.Context, tx *Tx, ticketID int64, author *User, in PostInput) (*Post, error) {
	c, err := lockChange(ctx, tx, ticketID, author)
	if errors.Is(err, ErrNotFound) {
		return nil, Invalid("ticket_id", "not_found", "ticket_id names no ticket.")
	}
	if err != nil {
		return nil, err
	}
	if err := c.t.CanPost(author); err != nil {
		return nil, err
	}
	st, pr, err := lookupStatusPriority(ctx, tx, ticketID, in.StatusID, in.PriorityID)
	if err != nil {
		return nil, err
	}
	p := &Post{TicketID: ticketID, Content: in.Content, ContentHTML: in.ContentHTML, UserID: &author.ID, DateAdded: tx.Now, Hours: in.Hours}
	if err := tx.DB.WithContext(ctx).Create(p).Error; err != nil {
		return nil, fmt.Errorf("create post: %w", err)
	}
	c.after = c.after.withPosts(countedPost(p))
	if c.status() == StatusClosed {
		c.reopenByPost(&p.ID)
	}
	c.statusPriority(st, pr, &p.ID)
	c.subscribe = []int64{author.ID}
	c.search = true
	c.seenPost = &p.ID
	c.set["last_reply_user_id"] = author.ID
	c.event(Event{Kind: EventPostCreated, PostID: &p.ID, Content: &p.Content})
	return p, c.save(ctx, tx)
}

// PostEdit lists the fields an edit changes (nil: unchanged).
type PostEdit struct {
	Content     *string
	ContentHTML *string // the rendered Content, given with it
	Hours       *Hours
	StatusID    *int64
	PriorityID  *int64
}

// EditPost edits a reply (its author or an administrator, while the ticket
// is not closed). A content change keeps the previous text in the history;
// the ticket's total_hours follows the hours; status and priority changes
// are applied to the ticket with actions attached to this reply. It returns
// the reply as it is now.
func EditPost(ctx context.Context, tx *Tx, id int64, editor *User, in PostEdit) (*Post, error) {
	c, p, err := lockPost(ctx, tx, id, editor)
	if err != nil {
		return nil, err
	}
	if err := p.CanEdit(editor, c.t); err != nil {
		return nil, err
	}
	st, pr, err := lookupStatusPriority(ctx, tx, c.t.ID, in.StatusID, in.PriorityID)
	if err != nil {
		return nil, err
	}
	c.before = c.before.withPosts(countedPost(p))
	set := map[string]any{}
	if in.Content != nil && *in.Content != p.Content {
		// The history row credits whoever wrote the text being replaced.
		writer := p.UserID
		if p.ModifiedID != nil {
			writer = p.ModifiedID
		}
		h := &History{PostID: &p.ID, DateModified: tx.Now, OriginalContent: p.Content, UserID: writer}
		if err := RecordHistory(ctx, tx.DB, h); err != nil {
			return nil, err
		}
		p.Content, p.ContentHTML = *in.Content, in.ContentHTML
		set["content"], set["content_html"] = p.Content, p.ContentHTML
		c.search = true
	}
	if in.Hours != nil && *in.Hours != p.Hours {
		p.Hours = *in.Hours
		set["hours"] = p.Hours
	}
	c.after = c.after.withPosts(countedPost(p))
	if len(set) > 0 {
		p.ModifiedID, p.DateModified = &editor.ID, &tx.Now
		set["modified_id"], set["date_modified"] = p.ModifiedID, p.DateModified
		if err := tx.DB.WithContext(ctx).Model(&Post{}).Where("id = ?", p.ID).Updates(set).Error; err != nil {
			return nil, fmt.Errorf("update post: %w", err)
		}
		c.event(Event{Kind: EventPostEdited, PostID: &p.ID})
	}
	c.statusPriority(st, pr, &p.ID)
	if len(c.events) == 0 {
		return p, nil // nothing changed
	}
	return p, c.save(ctx, tx)
}

// DeletePost removes a reply (its author or an administrator); its
// attachments and histories go with it (ON DELETE CASCADE) and its actions
// stay, detached. The counters follow; the ticket's last activity does not
// move. It returns the stored names of the reply's attachments, for the
// caller to remove once the transaction has committed.
func DeletePost(ctx context.Context, tx *Tx, id int64, actor *User) ([]string, error) {
	c, p, err := lockPost(ctx, tx, id, actor)
	if err != nil {
		return nil, err
	}
	if err := p.CanDelete(actor); err != nil {
		return nil, err
	}
	var names []string
	if err := tx.DB.WithContext(ctx).Model(&Upload{}).Where("post_id = ?", p.ID).Pluck("filename", &names).Error; err != nil {
		return nil, fmt.Errorf("list reply attachments: %w", err)
	}
	res := tx.DB.WithContext(ctx).Delete(&Post{}, p.ID)
	if res.Error != nil {
		return nil, fmt.Errorf("delete post: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	c.before = c.before.withPosts(countedPost(p))
	c.keepLastUpdated = true
	c.search = true
	last, err := lastReplyUser(ctx, tx.DB, c.t.ID)
	if err != nil {
		return nil, err
	}
	c.set["last_reply_user_id"] = last
	c.event(Event{Kind: EventPostDeleted, PostID: &p.ID})
	return names, c.save(ctx, tx)
}

// lockPost locks the ticket of a reply, then reads the reply under that
// lock (it may have changed or gone meanwhile). A missing reply or ticket
// is ErrNotFound.
func lockPost(ctx context.Context, tx *Tx, id int64, actor *User) (*ticketChange, *Post, error) {
	p, err := FindPost(ctx, tx.DB, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := lockChange(ctx, tx, p.TicketID, actor)
	if err != nil {
		return nil, nil, err
	}
	// Read it again, locked: on MariaDB a plain read inside the transaction
	// answers from the snapshot of the first one, so a reply deleted while
	// we waited for the ticket still looked present, and the action written
	// for it failed its foreign key (TestCountersEqualARecount, 1 run in 12).
	if p, err = FindPost(ctx, forUpdate(tx.DB), id); err != nil {
		return nil, nil, err
	}
	return c, p, nil
}

// statusPriority applies a reply's requested status and priority when they
// differ from the ticket's, with actions attached to the reply.
func (c *ticketChange) statusPriority(st *Status, pr *Priority, post *int64) {
	if st != nil && st.ID != c.status() {
		c.changeStatus(st, post)
	}
	if pr != nil && pr.ID != c.after.Cell.PriorityID {
		c.changePriority(pr, post)
	}
}

// lookupStatusPriority checks the requested status and priority exist; a
// reply may not close its ticket (closing has its own rules and endpoint).
func lookupStatusPriority(ctx context.Context, tx *Tx, ticketID int64, statusID, priorityID *int64) (*Status, *Priority, error) {
	var st *Status
	var pr *Priority
	if statusID != nil {
		s, err := findStatusField(ctx, tx, ticketID, *statusID)
		if err != nil {
			return nil, nil, err
		}
		st = s
	}
	if priorityID != nil {
		p, err := findPriorityField(ctx, tx, *priorityID)
		if err != nil {
			return nil, nil, err
		}
		pr = p
	}
	return st, pr, nil
}
