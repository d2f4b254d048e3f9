package model

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// The seeded statuses. Their ids are fixed by setup, and the workflow relies
// on them (features §1.16).
const (
	StatusOpen                int64 = 1
	StatusClosed              int64 = 2
	StatusInWork              int64 = 3
	StatusAwaitingInformation int64 = 4
)

// Status is a ticket status (seed data; there is no API to change them).
type Status struct {
	ID     int64
	Status string
}

// TableName pins the table name.
func (Status) TableName() string { return "statuses" }

// FindStatus loads one status.
func FindStatus(ctx context.Context, db *gorm.DB, id int64) (*Status, error) {
	var s Status
	if err := db.WithContext(ctx).First(&s, id).Error; err != nil {
		return nil, notFound(err, "find status")
	}
	return &s, nil
}

// ListStatuses returns one page of statuses by id, and the total.
func ListStatuses(ctx context.Context, db *gorm.DB, offset, limit int) ([]Status, int64, error) {
	return listPage[Status](ctx, db, "id", offset, limit)
}

// listPage reads one page of a small lookup table and its row count.
func listPage[T any](ctx context.Context, db *gorm.DB, order string, offset, limit int) ([]T, int64, error) {
	var total int64
	var zero T
	if err := db.WithContext(ctx).Model(&zero).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count %T: %w", zero, err)
	}
	items := []T{}
	if total > int64(offset) {
		if err := db.WithContext(ctx).Order(order).Offset(offset).Limit(limit).Find(&items).Error; err != nil {
			return nil, 0, fmt.Errorf("list %T: %w", zero, err)
		}
	}
	return items, total, nil
}

// StatusIDs lists every status's id, in order.
func StatusIDs(ctx context.Context, db *gorm.DB) ([]int64, error) {
	var ids []int64
	if err := db.WithContext(ctx).Model(&Status{}).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list status ids: %w", err)
	}
	return ids, nil
}
