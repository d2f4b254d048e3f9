package model

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Domain events: each domain change (change.go and the functions it runs)
// produces its event in one place, and whoever cares subscribes to the
// Writer: the mail outbox today, live updates and webhooks next. The kinds
// are stable names an integrator may see in a webhook one day.
const (
	EventTicketCreated         = "ticket.created"
	EventTicketEdited          = "ticket.edited" // title, content
	EventTicketDeleted         = "ticket.deleted"
	EventTicketStatusChanged   = "ticket.status_changed"
	EventTicketPriorityChanged = "ticket.priority_changed"
	EventTicketCategoryChanged = "ticket.category_changed"
	EventTicketHoursChanged    = "ticket.hours_changed"
	EventTicketAssigned        = "ticket.assigned" // by someone to AssigneeID
	EventTicketClaimed         = "ticket.claimed"  // the actor took it
	EventTicketReleased        = "ticket.released"
	EventTicketClosed          = "ticket.closed"
	EventPostCreated           = "post.created"
	EventPostEdited            = "post.edited"
	EventPostDeleted           = "post.deleted"
)

// Event is one domain change that happened, as its subscribers see it.
type Event struct {
	Kind     string
	TicketID int64
	ActorID  int64
	At       time.Time
	// PostID is the reply concerned (post.* events).
	PostID *int64
	// Content is the new reply's text (post.created; nil when the event
	// was made without it), so a sink need not read the reply back.
	Content *string
	// AssigneeID is the new assignee (ticket.assigned, ticket.claimed).
	AssigneeID *int64
	// From and To are the ids before and after the change of one field: the
	// status (*.status_changed, ticket.closed), priority or category
	// (*_changed), or the assignee (ticket.assigned, .claimed, .released;
	// 0 is nobody). Both are 0 for other events.
	From, To int64
}

// Undoable fields: a change made from one of a ticket's fields, which its
// author may undo for a few seconds (see mail.Outbox.EnqueueUndoable).
const (
	FieldStatus   = "status"
	FieldPriority = "priority"
	FieldCategory = "category"
	FieldAssignee = "assignee"
)

// Field names the one field a workflow event changed, from From to To (""
// for other events).
func (ev Event) Field() string {
	switch ev.Kind {
	case EventTicketStatusChanged, EventTicketClosed:
		return FieldStatus
	case EventTicketPriorityChanged:
		return FieldPriority
	case EventTicketCategoryChanged:
		return FieldCategory
	case EventTicketAssigned, EventTicketClaimed, EventTicketReleased:
		return FieldAssignee
	}
	return ""
}

// EventSink consumes events inside the transaction of their change, so what
// it stores (the mail outbox's rows, a webhook's delivery rows) commits if
// and only if the change does. It must ignore kinds it does not handle.
type EventSink interface {
	Enqueue(ctx context.Context, tx *gorm.DB, ev Event) error
}

// NoEvents is an EventSink that drops events (tests, tools).
type NoEvents struct{}

// Enqueue does nothing.
func (NoEvents) Enqueue(context.Context, *gorm.DB, Event) error { return nil }
