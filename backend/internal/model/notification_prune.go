package model

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Notifications are kept bounded by a janitor (api janitor.go), outside the
// write transactions so that it never holds up a change:
//   - a notification read more than NotificationReadTTL ago is deleted;
//   - each user keeps their NotificationsPerUser newest, read or not: a
//     follower who never signs in does not grow the table for ever;
//   - an undo hold whose window ended an hour ago is deleted.
const (
	NotificationReadTTL  = 90 * 24 * time.Hour
	NotificationsPerUser = 200
	// notificationPruneBatch bounds one DELETE, so a first pass over a
	// long backlog never locks much at once.
	notificationPruneBatch = 1000
)

// NotificationPruner applies the rules above. It remembers the newest
// notification id it has looked at, so that each pass counts only the
// notifications of users notified since (the first pass counts everyone's,
// once, in one grouped scan of the (user_id, id) index).
type NotificationPruner struct {
	seen int64
}

// NotificationsPruned says what one pass deleted.
type NotificationsPruned struct {
	Read, OverCap, Holds int64
}

// Prune runs one pass at now.
func (p *NotificationPruner) Prune(ctx context.Context, db *gorm.DB, now time.Time) (NotificationsPruned, error) {
	var out NotificationsPruned
	db = db.WithContext(ctx)
	var err error
	if out.Read, err = pruneReadNotifications(db, now.Add(-NotificationReadTTL)); err != nil {
		return out, err
	}
	if out.OverCap, err = p.pruneOverCap(db); err != nil {
		return out, err
	}
	out.Holds, err = pruneNotificationHolds(db, now.Add(-time.Hour))
	return out, err
}

// pruneReadNotifications deletes those read before cutoff, a batch at a
// time, along idx_notifications_read_at.
func pruneReadNotifications(db *gorm.DB, cutoff time.Time) (int64, error) {
	var total int64
	for {
		var ids []int64
		err := db.Model(&Notification{}).Where("read_at < ?", cutoff).Order("read_at").
			Limit(notificationPruneBatch).Pluck("id", &ids).Error
		if err != nil {
			return total, fmt.Errorf("find old read notifications: %w", err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		res := db.Where("id IN ?", ids).Delete(&Notification{})
		if res.Error != nil {
			return total, fmt.Errorf("delete old read notifications: %w", res.Error)
		}
		total += res.RowsAffected
		if len(ids) < notificationPruneBatch {
			return total, nil
		}
	}
}

// pruneOverCap deletes, for each user notified since the last pass who has
// more than NotificationsPerUser, all but their newest NotificationsPerUser.
// Each statement is a range of one index or a list of ids: a subquery over
// the same table let MariaDB scan a whole index, and a range of ids with
// the user scan the primary key.
func (p *NotificationPruner) pruneOverCap(db *gorm.DB) (int64, error) {
	var newest int64
	if err := db.Model(&Notification{}).Select("COALESCE(MAX(id), 0)").Scan(&newest).Error; err != nil {
		return 0, fmt.Errorf("newest notification: %w", err)
	}
	if newest <= p.seen {
		return 0, nil
	}
	var notified []int64
	err := db.Model(&Notification{}).Distinct("user_id").Where("id > ? AND id <= ?", p.seen, newest).Pluck("user_id", &notified).Error
	if err != nil {
		return 0, fmt.Errorf("find the users notified: %w", err)
	}
	var total int64
	for chunk := range slices.Chunk(notified, notificationPruneBatch) {
		var over []int64
		err := db.Model(&Notification{}).Where("user_id IN ?", chunk).
			Group("user_id").Having("COUNT(*) > ?", NotificationsPerUser).Pluck("user_id", &over).Error
		if err != nil {
			return total, fmt.Errorf("find users over the notification cap: %w", err)
		}
		for _, u := range over {
			n, err := pruneUserOverCap(db, u)
			total += n
			if err != nil {
				return total, err
			}
		}
	}
	p.seen = newest
	return total, nil
}

// pruneUserOverCap deletes a user's notifications beyond their newest
// NotificationsPerUser, a batch at a time.
func pruneUserOverCap(db *gorm.DB, userID int64) (int64, error) {
	var total int64
	for {
		var ids []int64
		err := db.Model(&Notification{}).Where("user_id = ?", userID).Order("id DESC").
			Offset(NotificationsPerUser).Limit(notificationPruneBatch).Pluck("id", &ids).Error
		if err != nil {
			return total, fmt.Errorf("find notifications over the cap: %w", err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		res := db.Where("id IN ?", ids).Delete(&Notification{})
		if res.Error != nil {
			return total, fmt.Errorf("delete notifications over the cap: %w", res.Error)
		}
		total += res.RowsAffected
		if len(ids) < notificationPruneBatch {
			return total, nil
		}
	}
}

// pruneNotificationHolds deletes the undo holds that ended before cutoff,
// unlinking their notifications first, a batch at a time.
func pruneNotificationHolds(db *gorm.DB, cutoff time.Time) (int64, error) {
	var total int64
	for {
		var ids []int64
		err := db.Model(&NotificationUndoHold{}).Where("until < ?", cutoff).Order("id").
			Limit(notificationPruneBatch).Pluck("id", &ids).Error
		if err != nil {
			return total, fmt.Errorf("find ended undo holds: %w", err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		if err := releaseNotificationHolds(db, "undo_hold_id IN ?", ids); err != nil {
			return total, err
		}
		res := db.Where("id IN ?", ids).Delete(&NotificationUndoHold{})
		if res.Error != nil {
			return total, fmt.Errorf("delete ended undo holds: %w", res.Error)
		}
		total += res.RowsAffected
		if len(ids) < notificationPruneBatch {
			return total, nil
		}
	}
}
