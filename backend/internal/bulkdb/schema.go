package bulkdb

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
)

// Kind is how a column's values are handed to the driver.
type Kind int

// The column kinds a copy converts between.
const (
	KindOther Kind = iota
	KindBool
	KindInt
	KindDecimal
	KindFloat
	KindText
	KindBytes
	KindTime
)

// Column is one writable column (generated columns are left out).
type Column struct {
	Name    string
	Kind    Kind
	NotNull bool
}

// Table is a table with its writable columns.
type Table struct {
	Name    string
	Columns []Column
}

// HasIntID tells whether the table has an integer id (and so a sequence).
func (t Table) HasIntID() bool {
	for _, c := range t.Columns {
		if c.Name == "id" {
			return c.Kind == KindInt
		}
	}
	return false
}

// ColumnNames lists the columns' names.
func (t Table) ColumnNames() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// Tables lists the database's tables (but its migrations table) with
// their writable columns, referenced tables before the tables that point
// at them.
func Tables(ctx context.Context, db *gorm.DB) ([]Table, error) {
	names, err := db.WithContext(ctx).Migrator().GetTables()
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	d := database.DialectOf(db)
	byName := map[string]Table{}
	for _, n := range names {
		// The search index is each database's own, rebuilt after a copy.
		if n == migrationsTable || strings.HasPrefix(n, "sqlite_") || searchTable(n) {
			continue
		}
		cols, err := columns(ctx, db, d, n)
		if err != nil {
			return nil, err
		}
		byName[n] = Table{Name: n, Columns: cols}
	}
	deps, err := foreignKeys(ctx, db, d, byName)
	if err != nil {
		return nil, err
	}
	// Depth-first topological order, alphabetical among equals so the order
	// is the same on every run.
	keys := make([]string, 0, len(byName))
	for n := range byName {
		keys = append(keys, n)
	}
	sort.Strings(keys)
	var out []Table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(n string)
	visit = func(n string) {
		if state[n] != 0 {
			return
		}
		state[n] = 1
		refs := deps[n]
		sort.Strings(refs)
		for _, r := range refs {
			if r != n && state[r] == 0 {
				visit(r)
			}
		}
		state[n] = 2
		out = append(out, byName[n])
	}
	for _, n := range keys {
		visit(n)
	}
	return out, nil
}

func columns(ctx context.Context, db *gorm.DB, d database.Dialect, table string) ([]Column, error) {
	type info struct {
		Name, Type, Full, Extra string
		NotNull                 bool
	}
	var infos []info
	var err error
	switch d {
	case database.Postgres:
		err = db.WithContext(ctx).Raw(`SELECT column_name AS name, data_type AS type, data_type AS full, is_generated AS extra, is_nullable = 'NO' AS not_null
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, table).Scan(&infos).Error
	case database.MySQL:
		err = db.WithContext(ctx).Raw(`SELECT COLUMN_NAME AS name, DATA_TYPE AS type, COLUMN_TYPE AS full, EXTRA AS extra, IS_NULLABLE = 'NO' AS not_null
			FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, table).Scan(&infos).Error
	default:
		err = db.WithContext(ctx).Raw(`SELECT name, type, type AS full, '' AS extra, "notnull" <> 0 AS not_null FROM pragma_table_info(?) ORDER BY cid`, table).Scan(&infos).Error
	}
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", table, err)
	}
	var out []Column
	for _, c := range infos {
		extra := strings.ToUpper(c.Extra)
		if strings.Contains(extra, "GENERATED") || extra == "ALWAYS" {
			continue
		}
		out = append(out, Column{Name: c.Name, Kind: kindOf(d, strings.ToLower(c.Type), strings.ToLower(c.Full)), NotNull: c.NotNull})
	}
	return out, nil
}

func kindOf(d database.Dialect, typ, full string) Kind {
	switch {
	case typ == "boolean" || full == "tinyint(1)" || (d == database.SQLite && typ == "numeric"):
		return KindBool
	case strings.Contains(typ, "int"):
		return KindInt
	case strings.HasPrefix(typ, "decimal") || strings.HasPrefix(typ, "numeric"):
		return KindDecimal
	case strings.Contains(typ, "real") || strings.Contains(typ, "double") || strings.Contains(typ, "float"):
		return KindFloat
	case strings.Contains(typ, "char") || strings.Contains(typ, "text") || strings.Contains(typ, "json"):
		return KindText
	case strings.Contains(typ, "blob") || strings.Contains(typ, "binary") || typ == "bytea":
		return KindBytes
	case strings.Contains(typ, "time") || strings.Contains(typ, "date"):
		return KindTime
	}
	return KindOther
}

// foreignKeys maps each table to the tables it references.
func foreignKeys(ctx context.Context, db *gorm.DB, d database.Dialect, tables map[string]Table) (map[string][]string, error) {
	type ref struct{ From, To string }
	var refs []ref
	var err error
	switch d {
	case database.Postgres:
		err = db.WithContext(ctx).Raw(`SELECT DISTINCT tc.table_name AS "from", ccu.table_name AS "to"
			FROM information_schema.table_constraints tc
			JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema
			WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`).Scan(&refs).Error
	case database.MySQL:
		err = db.WithContext(ctx).Raw("SELECT DISTINCT TABLE_NAME AS `from`, REFERENCED_TABLE_NAME AS `to` FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL").Scan(&refs).Error
	default:
		for name := range tables {
			var to []string
			if err := db.WithContext(ctx).Raw(`SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name).Scan(&to).Error; err != nil {
				return nil, fmt.Errorf("read the foreign keys of %s: %w", name, err)
			}
			for _, t := range to {
				refs = append(refs, ref{name, t})
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read foreign keys: %w", err)
	}
	out := map[string][]string{}
	for _, r := range refs {
		out[r.From] = append(out[r.From], r.To)
	}
	return out, nil
}
