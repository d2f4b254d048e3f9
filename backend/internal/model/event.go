package model

import (
	"context"

	"gorm.io/gorm"
)

// Ticket events that send notifications (features §5).
const (
	EventReply   = "reply"
	EventAssign  = "assign"
	EventClaim   = "claim"
	EventRelease = "release"
	EventClose   = "close"
)

// TicketEvent describes a change that notifies people. It is handed to an
// EventSink inside the transaction that makes the change, so the
// notification is stored (in the outbox) if and only if the change is.
type TicketEvent struct {
	Kind     string
	TicketID int64
	ActorID  int64
	// PostID is the new reply, for EventReply.
	PostID *int64
	// AssigneeID is the new assignee, for EventAssign and EventClaim.
	AssigneeID *int64
}

// EventSink records ticket events; the mail outbox implements it.
type EventSink interface {
	Enqueue(ctx context.Context, tx *gorm.DB, ev TicketEvent) error
}

// NoEvents is an EventSink that drops events (tests, tools).
type NoEvents struct{}

// Enqueue does nothing.
func (NoEvents) Enqueue(context.Context, *gorm.DB, TicketEvent) error { return nil }
