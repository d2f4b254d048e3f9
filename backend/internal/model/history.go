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
