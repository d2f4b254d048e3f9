package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A change of a ticket's field made from the ticket page may be undone for a
// few seconds, and the undo is just the change back, by the same user,
// through the same endpoints (api ticket_workflow.go). The mail outbox holds
// such a change's mails (mail/undo.go); the in-app notifications, written at
// once, are withdrawn instead: while the undo window is open, the latest
// change of the assignee by one user on one ticket is remembered in a
// NotificationUndoHold (one per UndoKey), and the notifications it wrote
// point at it. The same user's next change of that assignee before the hold
// ends then
//   - continues it (it starts where the held change left the assignee): the
//     held change's notifications are deleted, and if the assignee is back
//     where the held change found it, it is an undo and notifies nobody;
//     otherwise its own notifications, for the net change, join the hold;
//   - or, when someone else changed the assignee in between, or the window
//     is over, starts a new hold and the earlier notifications stay.
// The hold is kept even when the change notified nobody (claiming a ticket
// assigned to Ann), so that its undo (assigning Ann again) does not tell Ann
// she was assigned. Only the assignee is tracked: no other field's change
// writes a notification. The ticket's row lock serialises changes of one
// ticket, so two changes never decide on the same hold at once.

// undoWindowKey carries, in a change's context, when its undo window ends.
type undoWindowKey struct{}

// WithUndoWindow marks the changes made with ctx as undoable until until:
// their mails are held and their notifications may be withdrawn.
func WithUndoWindow(ctx context.Context, until time.Time) context.Context {
	return context.WithValue(ctx, undoWindowKey{}, until)
}

// UndoWindowEnd says until when the changes made with ctx may be undone
// (false: they may not).
func UndoWindowEnd(ctx context.Context) (time.Time, bool) {
	until, ok := ctx.Value(undoWindowKey{}).(time.Time)
	return until, ok && !until.IsZero()
}

// NotificationUndoHold is the undo window of the latest assignee change by
// one user on one ticket (see above).
type NotificationUndoHold struct {
	ID       int64
	UndoKey  string
	UndoFrom int64
	UndoTo   int64
	Until    time.Time
}

// TableName pins the table name.
func (NotificationUndoHold) TableName() string { return "notification_undo_holds" }

// notificationHold decides what an undoable event does to the in-app
// notifications (see above). It answers the hold the event's notifications
// join (nil: none, the event is not undoable), or done when the event is an
// undo and notifies nobody.
func notificationHold(ctx context.Context, db *gorm.DB, ev Event) (hold *NotificationUndoHold, done bool, err error) {
	until, ok := UndoWindowEnd(ctx)
	if !ok || ev.Field() != FieldAssignee {
		return nil, false, nil
	}
	key := UndoKey(ev.TicketID, FieldAssignee, ev.ActorID)
	var h NotificationUndoHold
	err = forUpdate(db).Where("undo_key = ?", key).Take(&h).Error
	found := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, fmt.Errorf("load notification undo hold: %w", err)
	}
	if found && h.Until.After(ev.At) && h.UndoTo == ev.From {
		// It continues the held change: that change's notifications go.
		if err := db.Where("undo_hold_id = ?", h.ID).Delete(&Notification{}).Error; err != nil {
			return nil, false, fmt.Errorf("withdraw notifications: %w", err)
		}
		if ev.To == h.UndoFrom {
			if err := db.Delete(&h).Error; err != nil {
				return nil, false, fmt.Errorf("end notification undo hold: %w", err)
			}
			return nil, true, nil // undone: back where it was, nobody hears of it
		}
		h.UndoTo, h.Until = ev.To, until
		if err := db.Model(&h).Updates(map[string]any{"undo_to": h.UndoTo, "until": h.Until}).Error; err != nil {
			return nil, false, fmt.Errorf("extend notification undo hold: %w", err)
		}
		return &h, false, nil
	}
	if found {
		// Over, or broken by someone else's change: what it wrote stays.
		if err := releaseNotificationHolds(db, "undo_hold_id = ?", h.ID); err != nil {
			return nil, false, err
		}
		h.UndoFrom, h.UndoTo, h.Until = ev.From, ev.To, until
		err := db.Model(&h).Updates(map[string]any{"undo_from": h.UndoFrom, "undo_to": h.UndoTo, "until": h.Until}).Error
		if err != nil {
			return nil, false, fmt.Errorf("renew notification undo hold: %w", err)
		}
		return &h, false, nil
	}
	h = NotificationUndoHold{UndoKey: key, UndoFrom: ev.From, UndoTo: ev.To, Until: until}
	if err := db.Create(&h).Error; err != nil {
		return nil, false, fmt.Errorf("create notification undo hold: %w", err)
	}
	return &h, false, nil
}

// releaseNotificationHolds unlinks notifications from their holds (where,
// args select them by undo_hold_id): no undo may withdraw them any more.
func releaseNotificationHolds(db *gorm.DB, where string, args ...any) error {
	err := db.Model(&Notification{}).Where(where, args...).Update("undo_hold_id", nil).Error
	if err != nil {
		return fmt.Errorf("keep notifications: %w", err)
	}
	return nil
}
