package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TicketSeen is when a user last looked at a ticket and the latest reply
// they saw then (issue 13 §4: what changed since). A ticket without a mark
// has never been opened by the user.
type TicketSeen struct {
	UserID         int64 `gorm:"primaryKey;autoIncrement:false"`
	TicketID       int64 `gorm:"primaryKey;autoIncrement:false"`
	LastSeenPostID *int64
	SeenAt         time.Time
}

// TableName pins the table name.
func (TicketSeen) TableName() string { return "ticket_seen" }

// Unread tells whether a ticket changed since the mark (nil: never seen).
// The user's own changes move their mark (ticketChange.save), so they are
// not news to them.
func (s *TicketSeen) Unread(lastUpdated time.Time) bool {
	return s == nil || lastUpdated.After(s.SeenAt)
}

// SeenMarks are the user's marks on the given tickets, keyed by ticket id:
// one range of the (user_id, ticket_id) primary key, whatever the page
// (the list reads it beside its page query, never joined into it).
func SeenMarks(ctx context.Context, db *gorm.DB, userID int64, ticketIDs []int64) (map[int64]*TicketSeen, error) {
	out := make(map[int64]*TicketSeen, len(ticketIDs))
	if len(ticketIDs) == 0 {
		return out, nil
	}
	var rows []TicketSeen
	err := db.WithContext(ctx).Where("user_id = ? AND ticket_id IN ?", userID, ticketIDs).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read seen marks: %w", err)
	}
	for i := range rows {
		out[rows[i].TicketID] = &rows[i]
	}
	return out, nil
}

// SeenResult is a mark as set, with what was new since the one before.
type SeenResult struct {
	Seen TicketSeen
	// Previous is the mark before (nil: first visit).
	Previous *TicketSeen
	// NewReplies counts the replies by others after the previous mark's
	// reply (0 on a first visit: the whole ticket is new).
	NewReplies int64
	// FirstUnreadPostID is the first of them (nil when none).
	FirstUnreadPostID *int64
}

// MarkTicketSeen records that u saw the ticket up to postID (nil: its
// latest reply), now, and says what was new to them. A postID must be a
// reply of this ticket (422 on post_id); an unknown ticket is ErrNotFound.
// Not a change to the ticket: no event, no activity.
func MarkTicketSeen(ctx context.Context, tx *Tx, ticketID int64, u *User, postID *int64) (*SeenResult, error) {
	if err := TicketExists(ctx, tx.DB, ticketID); err != nil {
		return nil, err
	}
	if postID != nil {
		var n int64
		if err := tx.DB.WithContext(ctx).Model(&Post{}).Where("id = ? AND ticket_id = ?", *postID, ticketID).Count(&n).Error; err != nil {
			return nil, fmt.Errorf("check seen reply: %w", err)
		}
		if n == 0 {
			return nil, Invalid("post_id", "not_found", "post_id names no reply of this ticket.")
		}
	} else {
		latest, err := LatestPostID(ctx, tx.DB, ticketID)
		if err != nil {
			return nil, err
		}
		postID = latest
	}
	res := &SeenResult{Seen: TicketSeen{UserID: u.ID, TicketID: ticketID, LastSeenPostID: postID, SeenAt: tx.Now}}
	var prev []TicketSeen
	if err := tx.DB.WithContext(ctx).Where("user_id = ? AND ticket_id = ?", u.ID, ticketID).Limit(1).Find(&prev).Error; err != nil {
		return nil, fmt.Errorf("read seen mark: %w", err)
	}
	if len(prev) == 1 {
		res.Previous = &prev[0]
		if err := countNewReplies(ctx, tx.DB, res); err != nil {
			return nil, err
		}
	}
	err := tx.DB.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "ticket_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"last_seen_post_id", "seen_at"}),
	}).Create(&res.Seen).Error
	if err != nil {
		return nil, fmt.Errorf("mark ticket seen: %w", err)
	}
	return res, nil
}

// PeekTicketSeen is what MarkTicketSeen would answer about what is new to
// u, without moving the mark (a read, for GET /ticket/{id}?include=seen):
// Previous is the mark as it stands (nil: never opened, and then nothing is
// counted as new, as on a first visit); Seen holds only the ids. The caller
// has checked that the ticket exists.
func PeekTicketSeen(ctx context.Context, db *gorm.DB, ticketID int64, u *User) (*SeenResult, error) {
	res := &SeenResult{Seen: TicketSeen{UserID: u.ID, TicketID: ticketID}}
	var prev []TicketSeen
	if err := db.WithContext(ctx).Where("user_id = ? AND ticket_id = ?", u.ID, ticketID).Limit(1).Find(&prev).Error; err != nil {
		return nil, fmt.Errorf("read seen mark: %w", err)
	}
	if len(prev) == 1 {
		res.Previous = &prev[0]
		if err := countNewReplies(ctx, db, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// countNewReplies fills NewReplies and FirstUnreadPostID: the replies by
// others after the previous mark's reply (all of them when it saw none).
func countNewReplies(ctx context.Context, db *gorm.DB, res *SeenResult) error {
	q := func() *gorm.DB {
		q := db.WithContext(ctx).Model(&Post{}).
			Where("ticket_id = ? AND (user_id IS NULL OR user_id <> ?)", res.Seen.TicketID, res.Seen.UserID)
		if res.Previous.LastSeenPostID != nil {
			q = q.Where("id > ?", *res.Previous.LastSeenPostID)
		}
		return q
	}
	if err := q().Count(&res.NewReplies).Error; err != nil {
		return fmt.Errorf("count new replies: %w", err)
	}
	if res.NewReplies == 0 {
		return nil
	}
	var ids []int64
	if err := q().Order("id").Limit(1).Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("first new reply: %w", err)
	}
	if len(ids) == 1 {
		res.FirstUnreadPostID = &ids[0]
	}
	return nil
}

// markOwnChange moves the actor's mark on a ticket they just changed: what
// they did is not news to them. The reply they wrote, if any, becomes the
// last one they saw; otherwise a new mark holds no reply (those before are
// still new to them) and an existing one keeps its reply.
func markOwnChange(ctx context.Context, tx *Tx, ticketID, userID int64, post *int64) error {
	cols := []string{"seen_at"}
	if post != nil {
		cols = append(cols, "last_seen_post_id")
	}
	err := tx.DB.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "ticket_id"}},
		DoUpdates: clause.AssignmentColumns(cols),
	}).Create(&TicketSeen{UserID: userID, TicketID: ticketID, LastSeenPostID: post, SeenAt: tx.Now}).Error
	if err != nil {
		return fmt.Errorf("mark own change seen: %w", err)
	}
	return nil
}
