package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Subscription makes a user receive a ticket's notifications.
type Subscription struct {
	ID        int64
	TicketID  int64
	UserID    int64
	DateAdded time.Time
}

// TableName pins the table name.
func (Subscription) TableName() string { return "subscriptions" }

// CanUnsubscribe: oneself, or anyone for administrators and super users.
func (s *Subscription) CanUnsubscribe(u *User) error {
	if s.UserID != u.ID && !u.IsAdminOrSuper() {
		return Forbidden("Only administrators and super users may unsubscribe other people.")
	}
	return nil
}

// Subscribe makes sure the user is subscribed to the ticket and tells
// whether a subscription was added. The (ticket, user) pair is unique, so a
// concurrent duplicate is ignored rather than failing.
func Subscribe(ctx context.Context, tx *gorm.DB, ticketID, userID int64, now time.Time) (bool, error) {
	var n int64
	if err := tx.WithContext(ctx).Model(&Subscription{}).
		Where("ticket_id = ? AND user_id = ?", ticketID, userID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check subscription: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	err := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&Subscription{TicketID: ticketID, UserID: userID, DateAdded: now}).Error
	if err != nil {
		return false, fmt.Errorf("subscribe: %w", err)
	}
	return true, nil
}
