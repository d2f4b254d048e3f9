package model

import (
	"context"

	"gorm.io/gorm"
)

// ListTicketsIDsFirst is ListTickets reading every page as it reads deep
// ones: the ids over an index, then the rows by id.
func ListTicketsIDsFirst(ctx context.Context, db *gorm.DB, f TicketFilter, s TicketSort, offset, limit int) ([]TicketView, int64, error) {
	return listTickets(ctx, db, f, s, offset, limit, true)
}

// ListTicketsFromEnd is listFromEnd: ok tells whether the page was read
// from the end.
func ListTicketsFromEnd(ctx context.Context, db *gorm.DB, f TicketFilter, s TicketSort, offset, limit int) ([]TicketView, int64, bool, error) {
	return listFromEnd(ctx, db, f, s, offset, limit)
}
