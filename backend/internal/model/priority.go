package model

import (
	"context"

	"gorm.io/gorm"
)

// The seeded priorities (features §1.15); the dashboard's "high" list uses
// PriorityHigh.
const (
	PriorityLow    int64 = 1
	PriorityMedium int64 = 2
	PriorityHigh   int64 = 3
)

// Priority is a ticket priority (seed data).
type Priority struct {
	ID       int64
	Priority string
}

// TableName pins the table name.
func (Priority) TableName() string { return "priorities" }

// FindPriority loads one priority.
func FindPriority(ctx context.Context, db *gorm.DB, id int64) (*Priority, error) {
	var p Priority
	if err := db.WithContext(ctx).First(&p, id).Error; err != nil {
		return nil, notFound(err, "find priority")
	}
	return &p, nil
}

// ListPriorities returns one page of priorities by id, and the total.
func ListPriorities(ctx context.Context, db *gorm.DB, offset, limit int) ([]Priority, int64, error) {
	return listPage[Priority](ctx, db, "id", offset, limit)
}
