package database

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database/migrations"
)

// migrationsTable records which migrations have run.
const migrationsTable = "schema_migrations"

// MigrationStatus is one line of `flicket migrate status`.
type MigrationStatus struct {
	ID      string
	Applied bool
}

func newMigrator(db *gorm.DB) *gormigrate.Gormigrate {
	opts := &gormigrate.Options{
		TableName:    migrationsTable,
		IDColumnName: "id",
		IDColumnSize: 190,
		// PostgreSQL and SQLite roll back a failed migration as a whole;
		// MySQL commits DDL implicitly whatever we do.
		UseTransaction:            DialectOf(db) != MySQL,
		ValidateUnknownMigrations: false,
	}
	return gormigrate.New(db, opts, migrations.All())
}

// MigrateUp applies every pending migration. Concurrent callers (several
// replicas starting at once) are serialised by a database lock.
func MigrateUp(ctx context.Context, db *gorm.DB) error {
	return withMigrationLock(ctx, db, func(conn *gorm.DB) error {
		if err := newMigrator(conn).Migrate(); err != nil {
			return fmt.Errorf("migrate up: %w", err)
		}
		return nil
	})
}

// MigrateDown rolls back the last applied migration, or all of them.
func MigrateDown(ctx context.Context, db *gorm.DB, all bool) (int, error) {
	n := 0
	err := withMigrationLock(ctx, db, func(conn *gorm.DB) error {
		for {
			st, err := Status(ctx, conn)
			if err != nil {
				return err
			}
			applied := 0
			for _, s := range st {
				if s.Applied {
					applied++
				}
			}
			if applied == 0 {
				return nil
			}
			if err := newMigrator(conn).RollbackLast(); err != nil {
				if errors.Is(err, gormigrate.ErrNoRunMigration) {
					return nil
				}
				return fmt.Errorf("migrate down: %w", err)
			}
			n++
			if !all {
				return nil
			}
		}
	})
	return n, err
}

// Status lists every known migration and whether it has been applied.
func Status(ctx context.Context, db *gorm.DB) ([]MigrationStatus, error) {
	applied := map[string]bool{}
	if db.WithContext(ctx).Migrator().HasTable(migrationsTable) {
		var ids []string
		if err := db.WithContext(ctx).Table(migrationsTable).Pluck("id", &ids).Error; err != nil {
			return nil, fmt.Errorf("read %s: %w", migrationsTable, err)
		}
		for _, id := range ids {
			applied[id] = true
		}
	}
	all := migrations.All()
	out := make([]MigrationStatus, 0, len(all))
	for _, m := range all {
		out = append(out, MigrationStatus{ID: m.ID, Applied: applied[m.ID]})
	}
	return out, nil
}

// Pending tells how many migrations have not run yet.
func Pending(ctx context.Context, db *gorm.DB) (int, error) {
	st, err := Status(ctx, db)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range st {
		if !s.Applied {
			n++
		}
	}
	return n, nil
}

// mysqlLockName fits MySQL's 64-character lock names whatever the database is called.
const mysqlLockName = "CONCAT('flicket-migrations-', MD5(DATABASE()))"

// withMigrationLock runs fn while holding a database-wide lock, so two
// processes never migrate at the same time. The lock lives on one dedicated
// connection; fn runs on the pool (some migrator calls need a pool of their own).
func withMigrationLock(ctx context.Context, db *gorm.DB, fn func(*gorm.DB) error) error {
	dialect := DialectOf(db)
	if dialect == SQLite {
		return fn(db.WithContext(ctx))
	}
	key := int64(crc32.ChecksumIEEE([]byte("flicket-migrations")))
	return db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		switch dialect {
		case Postgres:
			if err := conn.Exec("SELECT pg_advisory_lock(?)", key).Error; err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
			defer conn.Exec("SELECT pg_advisory_unlock(?)", key)
		case MySQL:
			// GET_LOCK is server-wide (pg_advisory_lock is per database), so the
			// name carries the database: migrating one database never waits
			// for another on the same server.
			var got int
			if err := conn.Raw("SELECT GET_LOCK(" + mysqlLockName + ", 60)").Scan(&got).Error; err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
			if got != 1 {
				return errors.New("take migration lock: another process held it for 60 seconds")
			}
			defer conn.Exec("SELECT RELEASE_LOCK(" + mysqlLockName + ")")
		}
		return fn(db.WithContext(ctx))
	})
}
