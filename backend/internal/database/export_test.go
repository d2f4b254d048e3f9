package database

import (
	"context"

	"gorm.io/gorm"
)

// MigrateTo applies the migrations up to and including id, so a test can
// prepare the schema a later migration starts from.
func MigrateTo(ctx context.Context, db *gorm.DB, id string) error {
	return withMigrationLock(ctx, db, func(conn *gorm.DB) error {
		return newMigrator(conn).MigrateTo(id)
	})
}

// RollbackTo undoes every migration after id (id stays applied), so a test
// reaches a given version whatever migrations later work adds.
func RollbackTo(ctx context.Context, db *gorm.DB, id string) error {
	return withMigrationLock(ctx, db, func(conn *gorm.DB) error {
		return newMigrator(conn).RollbackTo(id)
	})
}

// NewGormLogger is the GORM logger Open installs.
var NewGormLogger = newGormLogger
