package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// In-app notification kinds (issue 13 §4b).
const (
	NotifyAssigned = "assigned" // ticket.assigned to the user, by someone else
	NotifyReply    = "reply"    // post.created on a ticket the user follows
)

// Notification is one in-app notification to one user.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      string
	TicketID  int64
	PostID    *int64
	ActorID   *int64
	CreatedAt time.Time
	ReadAt    *time.Time
	// UndoHoldID names the undo window of the change that wrote it, while
	// an undo may still withdraw it (notification_undo.go).
	UndoHoldID *int64
}

// TableName pins the table name.
func (Notification) TableName() string { return "notifications" }

// Notifications is the EventSink that turns domain events into in-app
// notifications, inside the transaction of their change (so a rolled-back
// change notifies nobody). Every Writer has it (NewWriter):
//   - ticket.assigned: the new assignee, unless they assigned themselves;
//   - post.created: every subscriber but the author;
//   - any other event: nobody.
//
// Disabled users get none. An undo withdraws the notifications of the change
// it undoes and writes none (notification_undo.go).
type Notifications struct{}

var _ EventSink = Notifications{}

// Enqueue writes the notifications of one event.
func (Notifications) Enqueue(ctx context.Context, tx *gorm.DB, ev Event) error {
	var kind string
	var to []int64
	db := tx.WithContext(ctx)
	hold, undone, err := notificationHold(ctx, db, ev)
	if err != nil || undone {
		return err
	}
	switch ev.Kind {
	case EventTicketAssigned:
		if ev.AssigneeID == nil || *ev.AssigneeID == ev.ActorID {
			return nil
		}
		kind = NotifyAssigned
		if err := db.Model(&User{}).Where("id = ? AND disabled = ?", *ev.AssigneeID, false).Pluck("id", &to).Error; err != nil {
			return fmt.Errorf("notify assignee: %w", err)
		}
	case EventPostCreated:
		kind = NotifyReply
		subs, err := TicketSubscribers(ctx, tx, ev.TicketID)
		if err != nil {
			return fmt.Errorf("notify subscribers: %w", err)
		}
		for _, u := range subs {
			if u.ID != ev.ActorID {
				to = append(to, u.ID)
			}
		}
	default:
		return nil
	}
	if len(to) == 0 {
		return nil
	}
	actor := ev.ActorID
	var holdID *int64
	if hold != nil {
		holdID = &hold.ID
	}
	rows := make([]Notification, len(to))
	for i, u := range to {
		rows[i] = Notification{UserID: u, Kind: kind, TicketID: ev.TicketID, PostID: ev.PostID, ActorID: &actor, CreatedAt: ev.At, UndoHoldID: holdID}
	}
	if err := db.CreateInBatches(rows, 100).Error; err != nil {
		return fmt.Errorf("write notifications: %w", err)
	}
	return nil
}

// NotificationView is a notification with the names it shows.
type NotificationView struct {
	Notification
	TicketTitle   string
	ActorUsername *string
	ActorName     *string
}

// ListNotifications is a page of the user's notifications, newest first,
// over (user_id, id); unread alone when unreadOnly. The total counts the
// same set.
func ListNotifications(ctx context.Context, db *gorm.DB, userID int64, unreadOnly bool, offset, limit int) ([]NotificationView, int64, error) {
	base := func() *gorm.DB {
		q := db.WithContext(ctx).Table("notifications").Where("notifications.user_id = ?", userID)
		if unreadOnly {
			q = q.Where("notifications.read_at IS NULL")
		}
		return q
	}
	var total int64
	if err := base().Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count notifications: %w", err)
	}
	var out []NotificationView
	if total == 0 || offset >= int(total) {
		return out, total, nil
	}
	err := base().Select(`notifications.id, notifications.user_id, notifications.kind, notifications.ticket_id,
		notifications.post_id, notifications.actor_id, notifications.created_at, notifications.read_at,
		tickets.title AS ticket_title, actor.username AS actor_username, actor.name AS actor_name`).
		Joins("JOIN tickets ON tickets.id = notifications.ticket_id").
		Joins("LEFT JOIN users actor ON actor.id = notifications.actor_id").
		Order("notifications.id DESC").Offset(offset).Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, 0, fmt.Errorf("list notifications: %w", err)
	}
	return out, total, nil
}

// MarkNotificationRead marks one of the user's notifications read (already
// read: unchanged). Someone else's or an unknown id is ErrNotFound.
func MarkNotificationRead(ctx context.Context, tx *Tx, userID, id int64) error {
	var n int64
	if err := tx.DB.WithContext(ctx).Model(&Notification{}).Where("id = ? AND user_id = ?", id, userID).Count(&n).Error; err != nil {
		return fmt.Errorf("find notification: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	err := tx.DB.WithContext(ctx).Model(&Notification{}).Where("id = ? AND read_at IS NULL", id).Update("read_at", tx.Now).Error
	if err != nil {
		return fmt.Errorf("mark notification read: %w", err)
	}
	return nil
}

// MarkAllNotificationsRead marks every unread notification of the user
// read, and says how many.
func MarkAllNotificationsRead(ctx context.Context, tx *Tx, userID int64) (int64, error) {
	res := tx.DB.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Update("read_at", tx.Now)
	if res.Error != nil {
		return 0, fmt.Errorf("mark notifications read: %w", res.Error)
	}
	return res.RowsAffected, nil
}
