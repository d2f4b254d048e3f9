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

// ActionView is an action with the names of its actor and recipient, read in
// one query.
type ActionView struct {
	Action            `gorm:"embedded"`
	UserUsername      *string
	UserName          *string
	RecipientUsername *string
	RecipientName     *string
}

func actionViews(ctx context.Context, db *gorm.DB) *gorm.DB {
	return db.WithContext(ctx).Table("actions").
		Select(`actions.*, actor.username AS user_username, actor.name AS user_name,
			recipient.username AS recipient_username, recipient.name AS recipient_name`).
		Joins("LEFT JOIN users actor ON actor.id = actions.user_id").
		Joins("LEFT JOIN users recipient ON recipient.id = actions.recipient_id")
}

// FindActionView loads one action with its users' names.
func FindActionView(ctx context.Context, db *gorm.DB, id int64) (*ActionView, error) {
	var v ActionView
	if err := actionViews(ctx, db).Where("actions.id = ?", id).Take(&v).Error; err != nil {
		return nil, notFound(err, "find action")
	}
	return &v, nil
}

// ListActions returns one page of a ticket's activity log, oldest first, and
// its length.
func ListActions(ctx context.Context, db *gorm.DB, ticketID int64, offset, limit int) ([]ActionView, int64, error) {
	var total int64
	if err := db.WithContext(ctx).Model(&Action{}).Where("ticket_id = ?", ticketID).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count actions: %w", err)
	}
	items := []ActionView{}
	if total > int64(offset) {
		err := actionViews(ctx, db).Where("actions.ticket_id = ?", ticketID).
			Order("actions.date_added, actions.id").Offset(offset).Limit(limit).Find(&items).Error
		if err != nil {
			return nil, 0, fmt.Errorf("list actions: %w", err)
		}
	}
	return items, total, nil
}
