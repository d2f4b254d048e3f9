// Package migrations holds Flicket's versioned schema changes, one file each,
// applied in order by gormigrate. Every migration works on SQLite, MariaDB/MySQL
// and PostgreSQL and can be rolled back.
package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// All returns every migration in the order it is applied.
func All() []*gormigrate.Migration {
	return []*gormigrate.Migration{
		m0001InitialSchema(),
		m0002MailOutboxMigration(),
		m0003PasswordResets(),
		m0004CaseInsensitiveUnique(),
		m0005ContentHTML(),
		m0006TicketSortIndexes(),
		m0007TicketListColumns(),
		m0010ShardedCounters(),
		m0015UploadNamesWithoutBidi(),
		m0019SearchSQLite(),
		m0020SearchPostgres(),
		m0021SearchMySQL(),
		m0022IdempotencyKeys(),
		m0030TicketIDIndex(),
		m0031UserStartedCounters(),
		m0032SubscriptionsUserTicketIndex(),
		m0033TicketIDDescIndex(),
		m0036SearchPairsPostgres(),
		m0040MailUndoHold(),
		m0045TicketSeenMigration(),
		m0046Notifications(),
		m0047SavedViews(),
		m0048LastReplyUser(),
		m0060CannedReplies(),
		m0063NotificationUndo(),
		m0064NotificationsReadAt(),
		m0070SQLiteFTSStats(),
		m0075SearchPairsMySQL(),
		m0076SearchPairsSQLite(),
	}
}

// createTables creates the given frozen tables in order. On MySQL the tables are
// InnoDB in utf8mb4, so foreign keys hold and any Unicode text fits.
func createTables(tx *gorm.DB, tables ...any) error {
	if tx.Name() == "mysql" {
		tx = tx.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci")
	}
	for _, t := range tables {
		if err := tx.Migrator().CreateTable(t); err != nil {
			return fmt.Errorf("create table for %T: %w", t, err)
		}
	}
	return nil
}

// dropTables drops the given tables in reverse order (dependants first).
func dropTables(tx *gorm.DB, tables ...any) error {
	for i := len(tables) - 1; i >= 0; i-- {
		if err := tx.Migrator().DropTable(tables[i]); err != nil {
			return fmt.Errorf("drop table for %T: %w", tables[i], err)
		}
	}
	return nil
}
