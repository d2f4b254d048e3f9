package migrations

import (
	"fmt"
	"strings"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0004Unique is one name that must be unique in any letter case, frozen as
// of this migration. Scope is a column the name is unique within ("" for
// the whole table).
type m0004Unique struct {
	Index  string
	Table  string
	Scope  string
	Column string
	Size   int
}

var m0004Uniques = []m0004Unique{
	{Index: "uq_users_username_lower", Table: "users", Column: "username", Size: 24},
	{Index: "uq_departments_department_lower", Table: "departments", Column: "department", Size: 30},
	{Index: "uq_categories_department_category_lower", Table: "categories", Scope: "department_id", Column: "category", Size: 30},
	{Index: "uq_user_groups_name_lower", Table: "user_groups", Column: "group_name", Size: 64},
}

// lowerColumn names the MySQL generated column holding LOWER(Column).
func (u m0004Unique) lowerColumn() string { return u.Column + "_lower" }

// keyColumns lists the index's columns or expressions.
func (u m0004Unique) keyColumns(key string) string {
	if u.Scope == "" {
		return key
	}
	return u.Scope + ", " + key
}

// m0004CaseInsensitiveUnique makes the database refuse two usernames,
// departments, categories (within a department) or groups that differ only
// in letter case, so two concurrent requests cannot both pass the check the
// model makes first.
//
// PostgreSQL and SQLite get unique indexes on LOWER(column). SQLite's
// LOWER() folds ASCII letters only, so there "École" and "école" remain two
// names (usernames are ASCII anyway). On MySQL/MariaDB the columns use the
// case-insensitive utf8mb4_unicode_ci collation (0001 creates the tables so),
// which already makes the existing unique indexes case-insensitive; a column
// whose collation was changed to a case-sensitive one gets a stored
// generated LOWER() column with a unique index instead.
func m0004CaseInsensitiveUnique() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0004_case_insensitive_unique",
		Migrate: func(tx *gorm.DB) error {
			// Check every table before changing any: MySQL commits DDL at
			// once, so a refusal halfway would leave half the work done.
			for _, u := range m0004Uniques {
				if err := m0004CheckDuplicates(tx, u); err != nil {
					return err
				}
			}
			for _, u := range m0004Uniques {
				var err error
				if tx.Name() == "mysql" {
					err = m0004MySQLUp(tx, u)
				} else {
					err = tx.Exec(fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s (%s)",
						u.Index, u.Table, u.keyColumns("LOWER("+u.Column+")"))).Error
				}
				if err != nil {
					return fmt.Errorf("create index %s: %w", u.Index, err)
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, u := range m0004Uniques {
				if tx.Name() == "mysql" {
					if err := m0004MySQLDown(tx, u); err != nil {
						return err
					}
					continue
				}
				if err := tx.Exec("DROP INDEX IF EXISTS " + u.Index).Error; err != nil {
					return fmt.Errorf("drop index %s: %w", u.Index, err)
				}
			}
			return nil
		},
	}
}

// m0004CheckDuplicates refuses to go on, with names an administrator can act
// on, when existing rows already differ only in letter case (only a race
// before this migration could have stored them).
func m0004CheckDuplicates(tx *gorm.DB, u m0004Unique) error {
	groups := fmt.Sprintf("SELECT LOWER(%s) AS k FROM %s GROUP BY LOWER(%s) HAVING COUNT(*) > 1", u.Column, u.Table, u.Column)
	on := "LOWER(t." + u.Column + ") = d.k"
	if u.Scope != "" {
		groups = fmt.Sprintf("SELECT %s AS s, LOWER(%s) AS k FROM %s GROUP BY %s, LOWER(%s) HAVING COUNT(*) > 1",
			u.Scope, u.Column, u.Table, u.Scope, u.Column)
		on += " AND t." + u.Scope + " = d.s"
	}
	var dups []string
	err := tx.Raw(fmt.Sprintf("SELECT t.%s FROM %s t JOIN (%s) d ON %s ORDER BY t.%s",
		u.Column, u.Table, groups, on, u.Column)).Scan(&dups).Error
	if err != nil {
		return fmt.Errorf("look for %s.%s duplicates: %w", u.Table, u.Column, err)
	}
	if len(dups) > 0 {
		return fmt.Errorf("%s.%s has names that differ only in letter case (%s): rename them, then migrate again",
			u.Table, u.Column, strings.Join(dups, ", "))
	}
	return nil
}

// m0004MySQLUp adds a generated LOWER() column and its unique index, unless
// the column's collation already ignores case.
func m0004MySQLUp(tx *gorm.DB, u m0004Unique) error {
	var collation string
	err := tx.Raw(`SELECT COALESCE(COLLATION_NAME, '') FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?`, u.Table, u.Column).
		Scan(&collation).Error
	if err != nil {
		return fmt.Errorf("read the collation of %s.%s: %w", u.Table, u.Column, err)
	}
	if strings.HasSuffix(collation, "_ci") {
		return nil
	}
	// Each step is skipped when done: MySQL commits DDL at once, so a run
	// that failed halfway is simply run again.
	m := tx.Migrator()
	if !m.HasColumn(u.Table, u.lowerColumn()) {
		err := tx.Exec(fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s VARCHAR(%d) GENERATED ALWAYS AS (LOWER(%s)) STORED",
			u.Table, u.lowerColumn(), u.Size, u.Column)).Error
		if err != nil {
			return fmt.Errorf("add column %s.%s: %w", u.Table, u.lowerColumn(), err)
		}
	}
	if !m.HasIndex(u.Table, u.Index) {
		err := tx.Exec(fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s (%s)", u.Index, u.Table, u.keyColumns(u.lowerColumn()))).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// m0004MySQLDown removes what m0004MySQLUp may have added.
func m0004MySQLDown(tx *gorm.DB, u m0004Unique) error {
	m := tx.Migrator()
	if m.HasIndex(u.Table, u.Index) {
		if err := tx.Exec(fmt.Sprintf("DROP INDEX %s ON %s", u.Index, u.Table)).Error; err != nil {
			return fmt.Errorf("drop index %s: %w", u.Index, err)
		}
	}
	if m.HasColumn(u.Table, u.lowerColumn()) {
		if err := tx.Exec(fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", u.Table, u.lowerColumn())).Error; err != nil {
			return fmt.Errorf("drop column %s.%s: %w", u.Table, u.lowerColumn(), err)
		}
	}
	return nil
}
