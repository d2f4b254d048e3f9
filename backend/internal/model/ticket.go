package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Ticket is a ticket; its opening message lives in the row itself
// (features §1.7). NumReplies and TotalHours (ticket hours plus every
// reply's hours) are kept in the same transaction as every change, so the
// list can show and sort by them without a query per row.
type Ticket struct {
	ID               int64
	Title            string
	Content          string
	StartedID        *int64
	DateAdded        time.Time
	DateModified     *time.Time
	ModifiedID       *int64
	StatusID         int64
	CategoryID       int64
	AssignedID       *int64
	TicketPriorityID int64
	Hours            Hours
	LastUpdated      time.Time
	NumReplies       int64
	TotalHours       Hours
}

// TableName pins the table name.
func (Ticket) TableName() string { return "tickets" }

// IsClosed is true for the Closed status.
func (t *Ticket) IsClosed() bool { return t.StatusID == StatusClosed }

// IsCreator tells whether u started the ticket.
func (t *Ticket) IsCreator(u *User) bool {
	return u != nil && t.StartedID != nil && *t.StartedID == u.ID
}

// IsAssignee tells whether u is assigned the ticket.
func (t *Ticket) IsAssignee(u *User) bool {
	return u != nil && t.AssignedID != nil && *t.AssignedID == u.ID
}

// CanEdit: the creator or an administrator, and not once closed (§2.2).
func (t *Ticket) CanEdit(u *User) error {
	if !t.IsCreator(u) && !u.IsAdmin {
		return Forbidden("Only the ticket's creator or an administrator may edit it.")
	}
	if t.IsClosed() {
		return Conflict("ticket.closed", "", "A closed ticket cannot be edited.")
	}
	return nil
}

// CanClose: the creator, the assignee or an administrator (§2.2).
func (t *Ticket) CanClose(u *User) error {
	if !t.IsCreator(u) && !t.IsAssignee(u) && !u.IsAdmin {
		return Forbidden("Only the ticket's creator, its assignee or an administrator may close it.")
	}
	if t.IsClosed() {
		return Conflict("ticket.already_closed", "", "The ticket is already closed.")
	}
	return nil
}

// CanRelease: the assignee or an administrator, on an assigned ticket.
func (t *Ticket) CanRelease(u *User) error {
	if t.AssignedID == nil {
		return Conflict("ticket.not_assigned", "", "The ticket is not assigned to anyone.")
	}
	if !t.IsAssignee(u) && !u.IsAdmin {
		return Forbidden("Only the assignee or an administrator may release the ticket.")
	}
	return nil
}

// CanDelete: administrators only.
func (t *Ticket) CanDelete(u *User) error {
	if !u.IsAdmin {
		return Forbidden("Only administrators may delete tickets.")
	}
	return nil
}

// CanChangeCategory applies the config switches (§2.2, §3.9).
func (t *Ticket) CanChangeCategory(u *User, s *Settings) error {
	if !s.ChangeCategory && !u.IsAdmin {
		return Forbidden("Changing a ticket's category is switched off.")
	}
	if s.ChangeCategoryOnlyAdminOrSuperUser && !u.IsAdminOrSuper() {
		return Forbidden("Only administrators and super users may change a ticket's category.")
	}
	if t.IsClosed() {
		return Conflict("ticket.closed", "", "A closed ticket's category cannot be changed.")
	}
	return nil
}

// FindTicket loads one ticket.
func FindTicket(ctx context.Context, db *gorm.DB, id int64) (*Ticket, error) {
	var t Ticket
	if err := db.WithContext(ctx).First(&t, id).Error; err != nil {
		return nil, notFound(err, "find ticket")
	}
	return &t, nil
}

// LockTicket loads a ticket inside a transaction and locks its row until the
// transaction ends (SELECT ... FOR UPDATE; SQLite's immediate transactions
// already serialise writers), so concurrent changes to one ticket queue up
// instead of losing updates.
func LockTicket(ctx context.Context, tx *gorm.DB, id int64) (*Ticket, error) {
	q := tx.WithContext(ctx)
	if tx.Dialector.Name() != "sqlite" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var t Ticket
	if err := q.First(&t, id).Error; err != nil {
		return nil, notFound(err, "lock ticket")
	}
	return &t, nil
}

// TouchTicket sets last_updated, the "last activity" shown and sorted on.
func TouchTicket(ctx context.Context, tx *gorm.DB, id int64, now time.Time) error {
	if err := tx.WithContext(ctx).Model(&Ticket{}).Where("id = ?", id).Update("last_updated", now).Error; err != nil {
		return fmt.Errorf("touch ticket: %w", err)
	}
	return nil
}
