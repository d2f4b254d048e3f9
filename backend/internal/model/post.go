package model

import (
	"context"
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
}

// TableName pins the table name.
func (Post) TableName() string { return "posts" }

// IsAuthor tells whether u wrote the reply.
func (p *Post) IsAuthor(u *User) bool {
	return u != nil && p.UserID != nil && *p.UserID == u.ID
}

// CanEdit: the author or an administrator, and not on a closed ticket.
func (p *Post) CanEdit(u *User, t *Ticket) error {
	if !p.IsAuthor(u) && !u.IsAdmin {
		return Forbidden("Only the reply's author or an administrator may edit it.")
	}
	if t.IsClosed() {
		return Conflict("ticket.closed", "", "Replies on a closed ticket cannot be edited.")
	}
	return nil
}

// CanDelete: the author or an administrator (the original let anyone, S3).
func (p *Post) CanDelete(u *User) error {
	if !p.IsAuthor(u) && !u.IsAdmin {
		return Forbidden("Only the reply's author or an administrator may delete it.")
	}
	return nil
}

// FindPost loads one reply.
func FindPost(ctx context.Context, db *gorm.DB, id int64) (*Post, error) {
	var p Post
	if err := db.WithContext(ctx).First(&p, id).Error; err != nil {
		return nil, notFound(err, "find post")
	}
	return &p, nil
}
