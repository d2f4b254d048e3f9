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
