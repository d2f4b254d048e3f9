package model

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// FindTicketDetail is FindTicketView plus every status's id, in order (what
// TicketView.Can needs), read in the same statement: GET /ticket/{id} and
// every change to a ticket answer with both, and asked for the statuses in
// a round trip of their own.
func FindTicketDetail(ctx context.Context, db *gorm.DB, id int64) (*TicketView, []int64, error) {
	agg := "group_concat(all_statuses.id)"
	switch db.Name() {
	case "postgres":
		agg = "string_agg(CAST(all_statuses.id AS text), ',')"
	case "mysql":
		agg = "GROUP_CONCAT(all_statuses.id)"
	}
	var list string
	q := ticketViews(ctx, db).
		Select(ticketViewFields.columns()+", (SELECT "+agg+" FROM statuses all_statuses) AS status_ids").
		Where("tickets.id = ?", id)
	items, err := ticketViewFields.scan(q, 1, &list)
	if err != nil {
		return nil, nil, fmt.Errorf("find ticket view: %w", err)
	}
	if len(items) == 0 {
		return nil, nil, ErrNotFound
	}
	statuses := make([]int64, 0, 4)
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, nil, fmt.Errorf("find ticket view: status id %q: %w", s, err)
		}
		statuses = append(statuses, n)
	}
	slices.Sort(statuses)
	return &items[0], statuses, nil
}
