package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// History keeps the text of a ticket body or reply before an edit
// (features §1.10). UserID wrote that previous version.
type History struct {
	ID              int64
	PostID          *int64
	TicketID        *int64
	DateModified    time.Time
	OriginalContent string
	UserID          *int64
}

// TableName pins the table name.
func (History) TableName() string { return "histories" }

// RecordHistory keeps the previous text of a ticket body or reply. Call it
// inside the transaction that saves the edit.
func RecordHistory(ctx context.Context, tx *gorm.DB, h *History) error {
	if h.DateModified.IsZero() {
		h.DateModified = time.Now().UTC()
	}
	if err := tx.WithContext(ctx).Create(h).Error; err != nil {
		return fmt.Errorf("record history: %w", err)
	}
	return nil
}

// HistoryView is a history row with the name of who wrote that version.
type HistoryView struct {
	History      `gorm:"embedded"`
	UserUsername *string
	UserName     *string
}

// HistoryFilter narrows ListHistories (nil = any).
type HistoryFilter struct {
	TicketID *int64
	PostID   *int64
}

func historyViews(ctx context.Context, db *gorm.DB) *gorm.DB {
	return db.WithContext(ctx).Table("histories").
		Select("histories.*, author.username AS user_username, author.name AS user_name").
		Joins("LEFT JOIN users author ON author.id = histories.user_id")
}

func (f HistoryFilter) apply(q *gorm.DB) *gorm.DB {
	if f.TicketID != nil {
		q = q.Where("histories.ticket_id = ?", *f.TicketID)
	}
	if f.PostID != nil {
		q = q.Where("histories.post_id = ?", *f.PostID)
	}
	return q
}

// FindHistoryView loads one history row with its author's name.
func FindHistoryView(ctx context.Context, db *gorm.DB, id int64) (*HistoryView, error) {
	var v HistoryView
	if err := historyViews(ctx, db).Where("histories.id = ?", id).Take(&v).Error; err != nil {
		return nil, notFound(err, "find history")
	}
	return &v, nil
}

// ListHistories returns one page of history rows, oldest first, and the total.
func ListHistories(ctx context.Context, db *gorm.DB, f HistoryFilter, offset, limit int) ([]HistoryView, int64, error) {
	var total int64
	if err := f.apply(db.WithContext(ctx).Table("histories")).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count histories: %w", err)
	}
	items := []HistoryView{}
	if total > int64(offset) {
		err := f.apply(historyViews(ctx, db)).Order("histories.date_modified, histories.id").
			Offset(offset).Limit(limit).Find(&items).Error
		if err != nil {
			return nil, 0, fmt.Errorf("list histories: %w", err)
		}
	}
	return items, total, nil
}
