package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// CannedReply is a snippet of reply text (issue 13 §7): private to its
// owner, or shared with everyone by an administrator.
type CannedReply struct {
	ID        int64
	UserID    int64
	Title     string
	Content   string
	Shared    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName pins the table name.
func (CannedReply) TableName() string { return "canned_replies" }

// CanEdit tells whether u may change or delete the reply: its owner while
// it is private; an administrator when it is shared.
func (r *CannedReply) CanEdit(u *User) bool {
	if r.Shared {
		return u.Can().ManageConfig
	}
	return r.UserID == u.ID
}

// cannedVisibleTo is the replies u sees: their own and the shared ones.
func cannedVisibleTo(db *gorm.DB, u *User) *gorm.DB {
	return db.Where("canned_replies.user_id = ? OR canned_replies.shared = ?", u.ID, true)
}

// ListCannedReplies is every reply u sees, by title. Not paged: a person
// keeps tens of snippets, and the reply box's menu searches them all.
func ListCannedReplies(ctx context.Context, db *gorm.DB, u *User) ([]CannedReply, error) {
	var out []CannedReply
	err := cannedVisibleTo(db.WithContext(ctx).Model(&CannedReply{}), u).
		Order("canned_replies.title, canned_replies.id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list canned replies: %w", err)
	}
	return out, nil
}

// FindCannedReply loads a reply u sees (another's private one is ErrNotFound).
func FindCannedReply(ctx context.Context, db *gorm.DB, u *User, id int64) (*CannedReply, error) {
	var r CannedReply
	err := cannedVisibleTo(db.WithContext(ctx), u).Where("canned_replies.id = ?", id).First(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find canned reply: %w", err)
	}
	return &r, nil
}

// CannedReplyInput is a reply's fields as given (nil: unchanged, on update).
type CannedReplyInput struct {
	Title   *string
	Content *string
	Shared  *bool
}

// checkCannedShared refuses sharing by a user who is not an administrator.
func checkCannedShared(u *User, shared *bool) error {
	if shared != nil && *shared && !u.Can().ManageConfig {
		return Forbidden("Only administrators may share a canned reply with everyone.")
	}
	return nil
}

// checkCannedTitle refuses a title the owner already gave another of their
// replies, or a shared one already has (everyone sees those beside theirs).
func checkCannedTitle(ctx context.Context, db *gorm.DB, r *CannedReply) error {
	var n int64
	err := db.WithContext(ctx).Model(&CannedReply{}).Where("title = ? AND id <> ?", r.Title, r.ID).
		Where("user_id = ? OR shared = ?", r.UserID, true).Count(&n).Error
	if err != nil {
		return fmt.Errorf("check canned reply title: %w", err)
	}
	if n > 0 {
		return WithParams(Conflict("canned_reply.duplicate", "title", "A canned reply titled %q already exists.", r.Title), map[string]any{"title": r.Title})
	}
	return nil
}

// CreateCannedReply saves a reply of u's (shared only by an administrator).
func CreateCannedReply(ctx context.Context, tx *Tx, u *User, in CannedReplyInput) (*CannedReply, error) {
	if err := checkCannedShared(u, in.Shared); err != nil {
		return nil, err
	}
	r := &CannedReply{UserID: u.ID, Title: *in.Title, Content: *in.Content, CreatedAt: tx.Now, UpdatedAt: tx.Now}
	if in.Shared != nil {
		r.Shared = *in.Shared
	}
	if err := checkCannedTitle(ctx, tx.DB, r); err != nil {
		return nil, err
	}
	if err := tx.DB.WithContext(ctx).Create(r).Error; err != nil {
		return nil, fmt.Errorf("create canned reply: %w", err)
	}
	return r, nil
}

// lockCannedReply loads a reply u sees, for a change u may make.
func lockCannedReply(ctx context.Context, tx *Tx, u *User, id int64) (*CannedReply, error) {
	var r CannedReply
	err := cannedVisibleTo(forUpdate(tx.DB.WithContext(ctx)), u).Where("canned_replies.id = ?", id).First(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lock canned reply: %w", err)
	}
	if !r.CanEdit(u) {
		return nil, Forbidden("Only administrators may change a shared canned reply.")
	}
	return &r, nil
}

// UpdateCannedReply changes a reply (see CannedReply.CanEdit) and gives it back.
func UpdateCannedReply(ctx context.Context, tx *Tx, u *User, id int64, in CannedReplyInput) (*CannedReply, error) {
	r, err := lockCannedReply(ctx, tx, u, id)
	if err != nil {
		return nil, err
	}
	if err := checkCannedShared(u, in.Shared); err != nil {
		return nil, err
	}
	if in.Title != nil {
		r.Title = *in.Title
	}
	if in.Content != nil {
		r.Content = *in.Content
	}
	if in.Shared != nil {
		r.Shared = *in.Shared
	}
	if err := checkCannedTitle(ctx, tx.DB, r); err != nil {
		return nil, err
	}
	r.UpdatedAt = tx.Now
	err = tx.DB.WithContext(ctx).Model(&CannedReply{}).Where("id = ?", id).
		Updates(map[string]any{"title": r.Title, "content": r.Content, "shared": r.Shared, "updated_at": r.UpdatedAt}).Error
	if err != nil {
		return nil, fmt.Errorf("update canned reply: %w", err)
	}
	return r, nil
}

// DeleteCannedReply removes a reply (see CannedReply.CanEdit).
func DeleteCannedReply(ctx context.Context, tx *Tx, u *User, id int64) error {
	if _, err := lockCannedReply(ctx, tx, u, id); err != nil {
		return err
	}
	if err := tx.DB.WithContext(ctx).Delete(&CannedReply{}, id).Error; err != nil {
		return fmt.Errorf("delete canned reply: %w", err)
	}
	return nil
}
