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

// SubscriptionView is a subscription with its subscriber's name and
// username (the original's user_def).
type SubscriptionView struct {
	ID        int64
	TicketID  int64
	UserID    int64
	DateAdded time.Time
	UserName  string
	Username  string
}

func subscriptionViews(ctx context.Context, db *gorm.DB) *gorm.DB {
	return db.WithContext(ctx).Table("subscriptions").
		Select("subscriptions.id, subscriptions.ticket_id, subscriptions.user_id, subscriptions.date_added, " +
			"users.name AS user_name, users.username AS username").
		Joins("JOIN users ON users.id = subscriptions.user_id")
}

// FindSubscription loads one subscription with its subscriber's names.
func FindSubscription(ctx context.Context, db *gorm.DB, id int64) (*SubscriptionView, error) {
	var rows []SubscriptionView
	if err := subscriptionViews(ctx, db).Where("subscriptions.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find subscription: %w", err)
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	return &rows[0], nil
}

// ListSubscriptions returns one page of subscriptions by id, of one ticket
// or (ticketID nil) of all tickets, and the total.
func ListSubscriptions(ctx context.Context, db *gorm.DB, ticketID *int64, offset, limit int) ([]SubscriptionView, int64, error) {
	count := db.WithContext(ctx).Model(&Subscription{})
	page := subscriptionViews(ctx, db)
	if ticketID != nil {
		count = count.Where("ticket_id = ?", *ticketID)
		page = page.Where("subscriptions.ticket_id = ?", *ticketID)
	}
	var total int64
	if err := count.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count subscriptions: %w", err)
	}
	rows := []SubscriptionView{}
	if total > int64(offset) {
		if err := page.Order("subscriptions.id").Offset(offset).Limit(limit).Scan(&rows).Error; err != nil {
			return nil, 0, fmt.Errorf("list subscriptions: %w", err)
		}
	}
	return rows, total, nil
}

// SubscribeUser subscribes a user to a ticket on request (not as a side
// effect): a conflict when already subscribed, and a subscribe action naming
// the user. It returns the new subscription's id.
func SubscribeUser(ctx context.Context, tx *gorm.DB, ticketID, userID, actorID int64, now time.Time) (int64, error) {
	added, err := Subscribe(ctx, tx, ticketID, userID, now)
	if err != nil {
		return 0, err
	}
	if !added {
		return 0, Conflict("subscription.exists", "user_id", "The user is already subscribed to this ticket.")
	}
	var ids []int64
	err = tx.WithContext(ctx).Model(&Subscription{}).
		Where("ticket_id = ? AND user_id = ?", ticketID, userID).Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, fmt.Errorf("read new subscription: %w", err)
	}
	latest, err := LatestPostID(ctx, tx, ticketID)
	if err != nil {
		return 0, err
	}
	a := &Action{TicketID: ticketID, PostID: latest, Action: ActionSubscribe, UserID: &actorID, RecipientID: &userID, DateAdded: now}
	if err := RecordAction(ctx, tx, a, nil); err != nil {
		return 0, err
	}
	return ids[0], nil
}

// Unsubscribe deletes a subscription, logs an unsubscribe action naming the
// user and counts as activity on the ticket (last_updated).
func Unsubscribe(ctx context.Context, tx *gorm.DB, s *SubscriptionView, actorID int64, now time.Time) error {
	res := tx.WithContext(ctx).Delete(&Subscription{}, s.ID)
	if res.Error != nil {
		return fmt.Errorf("unsubscribe: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	latest, err := LatestPostID(ctx, tx, s.TicketID)
	if err != nil {
		return err
	}
	userID := s.UserID
	a := &Action{TicketID: s.TicketID, PostID: latest, Action: ActionUnsubscribe, UserID: &actorID, RecipientID: &userID, DateAdded: now}
	if err := RecordAction(ctx, tx, a, nil); err != nil {
		return err
	}
	return TouchTicket(ctx, tx, s.TicketID, now)
}
