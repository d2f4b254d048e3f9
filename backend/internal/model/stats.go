package model

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// DepartmentStatusCount is the number of tickets of one department with one
// status.
type DepartmentStatusCount struct {
	DepartmentID   int64
	DepartmentName string
	StatusID       int64
	StatusName     string
	N              int64
}

// CountByDepartmentAndStatus returns one row per department × status, every
// department and every status included (with 0 where there are no tickets),
// ordered by department name then status id. It reads the ticket_counts
// counters in one query instead of counting tickets.
func CountByDepartmentAndStatus(ctx context.Context, db *gorm.DB) ([]DepartmentStatusCount, error) {
	var rows []DepartmentStatusCount
	err := db.WithContext(ctx).Raw(`
		SELECT departments.id AS department_id, departments.department AS department_name,
		       statuses.id AS status_id, statuses.status AS status_name,
		       COALESCE(SUM(ticket_counts.n), 0) AS n
		FROM departments
		CROSS JOIN statuses
		LEFT JOIN categories ON categories.department_id = departments.id
		LEFT JOIN ticket_counts ON ticket_counts.category_id = categories.id
		     AND ticket_counts.status_id = statuses.id
		GROUP BY departments.id, departments.department, statuses.id, statuses.status
		ORDER BY departments.department, departments.id, statuses.id`).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count tickets by department and status: %w", err)
	}
	return rows, nil
}

// HighPriorityOpenTickets returns up to limit tickets of high priority that
// are Open (the dashboard's list), oldest first, without their bodies.
func HighPriorityOpenTickets(ctx context.Context, db *gorm.DB, limit int) ([]TicketView, error) {
	high, open := PriorityHigh, StatusOpen
	return FindTicketViews(ctx, db, TicketFilter{PriorityID: &high, StatusID: &open}, TicketSort{}, 0, limit, false)
}
