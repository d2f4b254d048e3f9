package model

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Action kinds recorded in a ticket's activity log.
const (
	ActionAssign             = "assign"
	ActionClaim              = "claim"
	ActionRelease            = "release"
	ActionClose              = "close"
	ActionReopen             = "reopen"
	ActionStatus             = "status"
	ActionPriority           = "priority"
	ActionDepartmentCategory = "department_category"
	ActionSubscribe          = "subscribe"
	ActionUnsubscribe        = "unsubscribe"
)

// Action is one entry of a ticket's activity log (features §1.12). Data is
// a JSON object (or nil) with the values the action set, never HTML.
type Action struct {
	ID          int64
	TicketID    int64
	PostID      *int64
	Action      string
	Data        *string
	UserID      *int64
	RecipientID *int64
	DateAdded   time.Time
}

// TableName pins the table name.
func (Action) TableName() string { return "actions" }

// RecordAction appends an entry to a ticket's activity log. data (may be
// nil) is stored as a JSON object. Call it inside the transaction that makes
// the change.
func RecordAction(ctx context.Context, tx *gorm.DB, a *Action, data map[string]any) error {
	if data != nil {
		raw, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("encode action data: %w", err)
		}
		s := string(raw)
		a.Data = &s
	}
	if a.DateAdded.IsZero() {
		a.DateAdded = time.Now().UTC()
	}
	if err := tx.WithContext(ctx).Create(a).Error; err != nil {
		return fmt.Errorf("record %s action: %w", a.Action, err)
	}
	return nil
}
