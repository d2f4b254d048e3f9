package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Upload is an attachment of a ticket or of a reply (exactly one of TicketID
// and PostID is set). Filename is the random name on disk; the file lives
// under FLICKET_UPLOAD_DIR, never in a public folder.
type Upload struct {
	ID               int64
	PostID           *int64
	TicketID         *int64
	UserID           *int64
	Filename         string
	OriginalFilename string
	ContentType      string
	Size             int64
	DateAdded        time.Time
}

// TableName pins the table name.
func (Upload) TableName() string { return "uploads" }

// UploadFilter narrows ListUploads.
type UploadFilter struct {
	TicketID *int64 // attachments of the ticket body
	PostID   *int64 // attachments of one reply
}

// FindUpload loads one attachment.
func FindUpload(ctx context.Context, db *gorm.DB, id int64) (*Upload, error) {
	var u Upload
	if err := db.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, notFound(err, "find upload")
	}
	return &u, nil
}

// ListUploads returns one page of attachments by id, and the total.
func ListUploads(ctx context.Context, db *gorm.DB, f UploadFilter, offset, limit int) ([]Upload, int64, error) {
	q := db.WithContext(ctx).Model(&Upload{})
	if f.TicketID != nil {
		q = q.Where("ticket_id = ?", *f.TicketID)
	}
	if f.PostID != nil {
		q = q.Where("post_id = ?", *f.PostID)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count uploads: %w", err)
	}
	items := []Upload{}
	if total > int64(offset) {
		if err := q.Order("id").Offset(offset).Limit(limit).Find(&items).Error; err != nil {
			return nil, 0, fmt.Errorf("list uploads: %w", err)
		}
	}
	return items, total, nil
}

// UploadsOfPosts loads the attachments of the given replies in one query,
// keyed by reply id, each list by id.
func UploadsOfPosts(ctx context.Context, db *gorm.DB, postIDs []int64) (map[int64][]Upload, error) {
	out := make(map[int64][]Upload, len(postIDs))
	if len(postIDs) == 0 {
		return out, nil
	}
	var rows []Upload
	if err := db.WithContext(ctx).Where("post_id IN ?", postIDs).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load post uploads: %w", err)
	}
	for _, u := range rows {
		out[*u.PostID] = append(out[*u.PostID], u)
	}
	return out, nil
}

// CreateUploads inserts attachment rows (their files are already stored).
func CreateUploads(ctx context.Context, tx *gorm.DB, uploads []Upload) error {
	if len(uploads) == 0 {
		return nil
	}
	if err := tx.WithContext(ctx).Create(&uploads).Error; err != nil {
		return fmt.Errorf("create uploads: %w", err)
	}
	return nil
}

// DeleteUpload removes an attachment row; the caller removes the file after
// the transaction commits.
func DeleteUpload(ctx context.Context, tx *gorm.DB, id int64) error {
	res := tx.WithContext(ctx).Delete(&Upload{}, id)
	if res.Error != nil {
		return fmt.Errorf("delete upload: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// UploadTicketID is the ticket an attachment belongs to, directly or
// through its reply.
func UploadTicketID(ctx context.Context, db *gorm.DB, u *Upload) (int64, *Post, error) {
	if u.TicketID != nil {
		return *u.TicketID, nil, nil
	}
	if u.PostID == nil {
		return 0, nil, fmt.Errorf("upload %d belongs to nothing: %w", u.ID, ErrNotFound)
	}
	p, err := FindPost(ctx, db, *u.PostID)
	if err != nil {
		return 0, nil, err
	}
	return p.TicketID, p, nil
}
