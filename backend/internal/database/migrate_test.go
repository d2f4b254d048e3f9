package database_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/database/migrations"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

var allTables = []string{
	"users", "user_groups", "group_members", "statuses", "priorities", "departments", "categories",
	"tickets", "posts", "uploads", "histories", "subscriptions", "actions", "config", "api_tokens", "ticket_counts",
	"mail_outbox", "password_resets", "user_counts", "idempotency_keys",
	"ticket_seen", "notifications", "saved_views", "notification_undo_holds",
}

func TestMigrationsUpDown(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			tdb := testutil.NewEmptyDB(t, d)
			db := tdb.DB

			st, err := database.Status(ctx, db)
			testutil.Must(t, err)
			if len(st) != len(migrations.All()) || st[0].Applied {
				t.Fatalf("status on an empty database = %+v", st)
			}

			testutil.Must(t, database.MigrateUp(ctx, db))
			for _, table := range allTables {
				if !db.Migrator().HasTable(table) {
					t.Errorf("table %s missing after migrate up", table)
				}
			}
			assertCaseInsensitiveIndexes(t, db, true)
			// Applying again is a no-op.
			testutil.Must(t, database.MigrateUp(ctx, db))
			n, err := database.Pending(ctx, db)
			testutil.Must(t, err)
			if n != 0 {
				t.Errorf("pending after up = %d", n)
			}

			undone, err := database.MigrateDown(ctx, db, true)
			testutil.Must(t, err)
			if undone != len(migrations.All()) {
				t.Errorf("down --all undid %d migrations, want %d", undone, len(migrations.All()))
			}
			for _, table := range allTables {
				if db.Migrator().HasTable(table) {
					t.Errorf("table %s still there after migrate down", table)
				}
			}
			// And up again works after a full rollback.
			testutil.Must(t, database.MigrateUp(ctx, db))
			if !db.Migrator().HasTable("tickets") {
				t.Error("tickets missing after up-down-up")
			}
			one, err := database.MigrateDown(ctx, db, false)
			testutil.Must(t, err)
			if one != 1 {
				t.Errorf("down without --all undid %d, want 1", one)
			}
			// Back to 0021: 0022's idempotency keys (and anything later) are gone.
			testutil.Must(t, database.RollbackTo(ctx, db, "0021_search_mysql"))
			if db.Migrator().HasTable("idempotency_keys") {
				t.Error("idempotency_keys still there after rolling back 0022")
			}
			if d != database.Postgres && db.Migrator().HasIndex("tickets", "idx_tickets_id") {
				t.Error("idx_tickets_id still there after rolling back 0030")
			}
			// Back to 0006: 0007's columns (and anything later) are gone.
			testutil.Must(t, database.RollbackTo(ctx, db, "0006_ticket_sort_indexes"))
			for _, c := range []string{"department_id", "closed", "title_key", "dept_cat_key"} {
				if db.Migrator().HasColumn("tickets", c) {
					t.Errorf("tickets.%s still there after rolling back 0007", c)
				}
			}
			// Back to 0005: 0006's indexes are gone.
			testutil.Must(t, database.RollbackTo(ctx, db, "0005_content_html"))
			if db.Migrator().HasIndex("tickets", "idx_tickets_priority_desc_id") {
				t.Error("idx_tickets_priority_desc_id still there after rolling back 0006")
			}
			if one, err = database.MigrateDown(ctx, db, false); err != nil || one != 1 {
				t.Fatalf("down: %d, %v", one, err)
			}
			// Then 0005: the stored HTML columns are gone.
			if db.Migrator().HasColumn("tickets", "content_html") || db.Migrator().HasColumn("posts", "content_html") {
				t.Error("content_html still there after rolling back 0005")
			}
			// Then 0004: its indexes are gone, the tables stay.
			if one, err = database.MigrateDown(ctx, db, false); err != nil || one != 1 {
				t.Fatalf("second down: %d, %v", one, err)
			}
			assertCaseInsensitiveIndexes(t, db, false)
			if !db.Migrator().HasTable("users") {
				t.Error("users missing after rolling back the last migration")
			}
			testutil.Must(t, database.MigrateUp(ctx, db))
			assertCaseInsensitiveIndexes(t, db, true)
			if !db.Migrator().HasColumn("tickets", "content_html") || !db.Migrator().HasColumn("posts", "content_html") {
				t.Error("content_html missing after up again")
			}
			if !db.Migrator().HasIndex("tickets", "idx_tickets_priority_desc_id") || !db.Migrator().HasIndex("tickets", "idx_tickets_last_updated_desc_id") {
				t.Error("sort indexes missing after up again")
			}
		})
	}
}

func TestConcurrentMigrateUp(t *testing.T) {
	for _, d := range testutil.Dialects() {
		if d == database.SQLite {
			continue // one process owns a SQLite file
		}
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewEmptyDB(t, d)
			var wg sync.WaitGroup
			errs := make([]error, 3)
			for i := range errs {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					db, _, err := database.Open(context.Background(), tdb.URL, database.Options{MaxOpenConns: 2})
					if err != nil {
						errs[i] = err
						return
					}
					defer database.Close(db)
					errs[i] = database.MigrateUp(context.Background(), db)
				}(i)
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatalf("concurrent migrate up: %v", err)
			}
		})
	}
}

// TestSchemaConstraints checks the unique keys and foreign keys hold on
// every database.
func TestSchemaConstraints(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		db := tdb.DB
		now := time.Now().UTC()
		exec := func(sql string, args ...any) error { return db.Exec(sql, args...).Error }
		mustFail := func(what string, err error, want error) {
			t.Helper()
			if err == nil {
				t.Errorf("%s: accepted", what)
			} else if errors.Is(want, gorm.ErrForeignKeyViolated) && model.IsForeignKeyViolation(err) {
				return
			} else if want != nil && !errors.Is(err, want) {
				t.Errorf("%s: error %v, want %v", what, err, want)
			}
		}
		user := "INSERT INTO users (username, name, email, password, locale, date_added) VALUES (?, 'n', ?, 'x', 'en', ?)"
		testutil.Must(t, exec(user, "alice", "alice@example.com", now))
		mustFail("duplicate username", exec(user, "alice", "other@example.com", now), gorm.ErrDuplicatedKey)
		mustFail("username in another letter case", exec(user, "ALICE", "other@example.com", now), gorm.ErrDuplicatedKey)
		mustFail("duplicate e-mail", exec(user, "alice2", "alice@example.com", now), gorm.ErrDuplicatedKey)

		testutil.Must(t, exec("INSERT INTO departments (department) VALUES ('IT')"))
		mustFail("duplicate department", exec("INSERT INTO departments (department) VALUES ('IT')"), gorm.ErrDuplicatedKey)
		mustFail("department in another letter case", exec("INSERT INTO departments (department) VALUES ('it')"), gorm.ErrDuplicatedKey)
		var depID int64
		testutil.Must(t, db.Raw("SELECT id FROM departments WHERE department = 'IT'").Scan(&depID).Error)
		testutil.Must(t, exec("INSERT INTO departments (department) VALUES ('HR')"))
		var hrID int64
		testutil.Must(t, db.Raw("SELECT id FROM departments WHERE department = 'HR'").Scan(&hrID).Error)
		testutil.Must(t, exec("INSERT INTO categories (category, department_id) VALUES ('Other', ?)", depID))
		testutil.Must(t, exec("INSERT INTO categories (category, department_id) VALUES ('Other', ?)", hrID))
		mustFail("duplicate category in a department", exec("INSERT INTO categories (category, department_id) VALUES ('Other', ?)", depID), gorm.ErrDuplicatedKey)
		mustFail("category in another letter case", exec("INSERT INTO categories (category, department_id) VALUES ('OTHER', ?)", depID), gorm.ErrDuplicatedKey)
		testutil.Must(t, exec("UPDATE categories SET category = 'OTHER' WHERE department_id = ?", hrID)) // its own name, recased
		testutil.Must(t, exec("INSERT INTO categories (category, department_id) VALUES ('Misc', ?)", depID))
		mustFail("rename a category to another's name in another letter case",
			exec("UPDATE categories SET category = 'other' WHERE category = 'Misc'"), gorm.ErrDuplicatedKey)
		testutil.Must(t, exec("INSERT INTO user_groups (group_name) VALUES ('Helpdesk')"))
		mustFail("group in another letter case", exec("INSERT INTO user_groups (group_name) VALUES ('HELPDESK')"), gorm.ErrDuplicatedKey)
		mustFail("category of a missing department", exec("INSERT INTO categories (category, department_id) VALUES ('X', 999)"), gorm.ErrForeignKeyViolated)
		mustFail("delete a department with categories", exec("DELETE FROM departments WHERE id = ?", depID), gorm.ErrForeignKeyViolated)
		mustFail("ticket with missing status", exec(`INSERT INTO tickets (title, content, status_id, category_id, ticket_priority_id, date_added, last_updated)
			VALUES ('t', 'c', 9, 9, 9, ?, ?)`, now, now), gorm.ErrForeignKeyViolated)
	})
}

// caseInsensitiveColumns are the names 0004 makes unique in any letter case.
var caseInsensitiveColumns = []struct{ table, column, index string }{
	{"users", "username", "uq_users_username_lower"},
	{"departments", "department", "uq_departments_department_lower"},
	{"categories", "category", "uq_categories_department_category_lower"},
	{"user_groups", "group_name", "uq_user_groups_name_lower"},
}

// assertCaseInsensitiveIndexes checks the LOWER() indexes of 0004 exist (or
// not) on SQLite and PostgreSQL. MySQL needs none: see TestMySQLCollationIgnoresCase.
func assertCaseInsensitiveIndexes(t *testing.T, db *gorm.DB, want bool) {
	t.Helper()
	if database.DialectOf(db) == database.MySQL {
		return
	}
	for _, c := range caseInsensitiveColumns {
		if got := db.Migrator().HasIndex(c.table, c.index); got != want {
			t.Errorf("index %s exists = %v, want %v", c.index, got, want)
		}
	}
}

// TestMySQLCollationIgnoresCase checks what 0004 relies on for MariaDB/MySQL:
// the columns' collation ignores letter case, so the unique indexes of 0001
// already refuse names that differ only in case (TestSchemaConstraints tries
// it on every database).
func TestMySQLCollationIgnoresCase(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		if tdb.Dialect != database.MySQL {
			t.Skip("collations matter on MySQL only")
		}
		for _, c := range caseInsensitiveColumns {
			var collation string
			testutil.Must(t, tdb.DB.Raw(`SELECT COLLATION_NAME FROM information_schema.COLUMNS
				WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?`, c.table, c.column).Scan(&collation).Error)
			if collation != "utf8mb4_unicode_ci" {
				t.Errorf("%s.%s collation = %q, want utf8mb4_unicode_ci", c.table, c.column, collation)
			}
			if tdb.DB.Migrator().HasColumn(c.table, c.column+"_lower") {
				t.Errorf("%s has a generated %s_lower column it does not need", c.table, c.column)
			}
		}
	})
}

// TestCaseInsensitiveMigrationOnExistingData runs 0004 over a database where
// names already differ only in letter case: it refuses with the names, and
// works once they are fixed. On MySQL the columns are first made
// case-sensitive (utf8mb4_bin), which is the only way such rows can exist
// there, and 0004 then adds generated LOWER() columns with unique indexes.
func TestCaseInsensitiveMigrationOnExistingData(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := testutil.NewEmptyDB(t, d).DB
			testutil.Must(t, database.MigrateTo(ctx, db, "0001_initial_schema"))
			exec := func(sql string, args ...any) error { return db.Exec(sql, args...).Error }
			if d == database.MySQL {
				for _, alter := range []string{
					"ALTER TABLE users MODIFY username VARCHAR(24) NOT NULL COLLATE utf8mb4_bin",
					"ALTER TABLE departments MODIFY department VARCHAR(30) NOT NULL COLLATE utf8mb4_bin",
					"ALTER TABLE categories MODIFY category VARCHAR(30) NOT NULL COLLATE utf8mb4_bin",
					"ALTER TABLE user_groups MODIFY group_name VARCHAR(64) NOT NULL COLLATE utf8mb4_bin",
				} {
					testutil.Must(t, exec(alter))
				}
			}
			now := time.Now().UTC()
			user := "INSERT INTO users (username, name, email, password, locale, date_added) VALUES (?, 'n', ?, 'x', 'en', ?)"
			testutil.Must(t, exec(user, "alice", "alice@example.com", now))
			testutil.Must(t, exec(user, "Alice", "alice2@example.com", now))
			testutil.Must(t, exec("INSERT INTO departments (department) VALUES ('IT'), ('HR')"))
			var depID, hrID int64
			testutil.Must(t, db.Raw("SELECT id FROM departments WHERE department = 'IT'").Scan(&depID).Error)
			testutil.Must(t, db.Raw("SELECT id FROM departments WHERE department = 'HR'").Scan(&hrID).Error)
			testutil.Must(t, exec("INSERT INTO categories (category, department_id) VALUES ('Other', ?), ('OTHER', ?), ('other', ?)", depID, depID, hrID))

			refused := func(what string, want ...string) error {
				t.Helper()
				err := database.MigrateUp(ctx, db)
				if err == nil || !strings.Contains(err.Error(), what+" has names that differ only in letter case") {
					t.Fatalf("migrate over %s duplicates: %v", what, err)
				}
				for _, name := range want {
					if !strings.Contains(err.Error(), name) {
						t.Errorf("the error does not name %q: %v", name, err)
					}
				}
				return err
			}
			refused("users.username", "Alice", "alice")
			testutil.Must(t, exec("DELETE FROM users WHERE username = 'Alice'"))
			// Only names within one department clash.
			if err := refused("categories.category", "Other", "OTHER"); strings.Contains(err.Error(), "other") {
				t.Errorf("the other department's category was named: %v", err)
			}
			testutil.Must(t, exec("DELETE FROM categories WHERE category = 'OTHER' AND department_id = ?", depID))
			testutil.Must(t, database.MigrateUp(ctx, db))
			if err := exec(user, "ALICE", "alice3@example.com", now); !errors.Is(err, gorm.ErrDuplicatedKey) {
				t.Errorf("username in another letter case after 0004: %v", err)
			}
			if err := exec("INSERT INTO departments (department) VALUES ('it')"); !errors.Is(err, gorm.ErrDuplicatedKey) {
				t.Errorf("department in another letter case after 0004: %v", err)
			}
			if err := exec("INSERT INTO categories (category, department_id) VALUES ('OTHER', ?)", depID); !errors.Is(err, gorm.ErrDuplicatedKey) {
				t.Errorf("category in another letter case after 0004: %v", err)
			}
			testutil.Must(t, exec("INSERT INTO user_groups (group_name) VALUES ('Helpdesk')"))
			if err := exec("INSERT INTO user_groups (group_name) VALUES ('HELPDESK')"); !errors.Is(err, gorm.ErrDuplicatedKey) {
				t.Errorf("group in another letter case after 0004: %v", err)
			}
			// The models still read and write the rows (MySQL's generated
			// columns are invisible to them).
			var u model.User
			testutil.Must(t, db.Where("username = ?", "alice").First(&u).Error)
			testutil.Must(t, db.Model(&u).Update("username", "alicia").Error)

			if d == database.MySQL {
				for _, c := range caseInsensitiveColumns {
					if !db.Migrator().HasColumn(c.table, c.column+"_lower") || !db.Migrator().HasIndex(c.table, c.index) {
						t.Errorf("%s: no generated %s_lower column with index %s", c.table, c.column, c.index)
					}
				}
			} else {
				assertCaseInsensitiveIndexes(t, db, true)
			}
			// Undo everything after 0003, 0004 included.
			testutil.Must(t, database.RollbackTo(ctx, db, "0003_password_resets"))
			for _, c := range caseInsensitiveColumns {
				if db.Migrator().HasColumn(c.table, c.column+"_lower") || db.Migrator().HasIndex(c.table, c.index) {
					t.Errorf("%s: %s_lower or %s left after rollback", c.table, c.column, c.index)
				}
			}
			// Case-sensitive again where the collation is.
			testutil.Must(t, exec("INSERT INTO user_groups (group_name) VALUES ('HELPDESK')"))
		})
	}
}

// TestEveryForeignKeyIsIndexed checks that each foreign key column leads an
// index (MySQL adds one itself; PostgreSQL and SQLite do not), so joins and
// ON DELETE checks never scan a table.
func TestEveryForeignKeyIsIndexed(t *testing.T) {
	fks := map[string][]string{
		"group_members":    {"user_id", "group_id"},
		"categories":       {"department_id"},
		"tickets":          {"started_id", "modified_id", "status_id", "category_id", "assigned_id", "ticket_priority_id"},
		"posts":            {"ticket_id", "user_id", "modified_id"},
		"uploads":          {"post_id", "ticket_id", "user_id"},
		"histories":        {"post_id", "ticket_id", "user_id"},
		"subscriptions":    {"ticket_id", "user_id"},
		"actions":          {"ticket_id", "post_id", "user_id", "recipient_id"},
		"api_tokens":       {"user_id"},
		"ticket_counts":    {"category_id", "status_id", "ticket_priority_id"},
		"user_counts":      {"user_id"},
		"idempotency_keys": {"user_id"},
		"ticket_seen":      {"user_id", "ticket_id"},
		"notifications":    {"user_id", "ticket_id", "actor_id"},
		"saved_views":      {"user_id"},
	}
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		for table, cols := range fks {
			var first []string
			var q string
			switch tdb.Dialect {
			case database.SQLite:
				q = `SELECT ii.name FROM pragma_index_list(?) il JOIN pragma_index_info(il.name) ii WHERE ii.seqno = 0`
			case database.Postgres:
				q = `SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
					JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] WHERE c.relname = ?`
			case database.MySQL:
				q = `SELECT column_name FROM information_schema.statistics
					WHERE table_schema = DATABASE() AND table_name = ? AND seq_in_index = 1`
			}
			testutil.Must(t, tdb.DB.Raw(q, table).Scan(&first).Error)
			leading := map[string]bool{}
			for _, c := range first {
				leading[strings.ToLower(c)] = true
			}
			for _, c := range cols {
				if !leading[c] {
					t.Errorf("%s.%s has a foreign key but no index starting with it", table, c)
				}
			}
		}
	})
}

// TestUploadNamesLoseBidiControls: 0015 strips U+202E and the other
// bidirectional controls from attachment names stored before it.
func TestUploadNamesLoseBidiControls(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := testutil.NewEmptyDB(t, d).DB
			testutil.Must(t, database.MigrateTo(ctx, db, "0006_ticket_sort_indexes"))
			names := map[string]string{
				"invoice\u202Efdp.exe":                              "invoicefdp.exe",
				"\u2066a\u2067b\u2068c\u2069\u202Dd.txt":            "abcd.txt",
				"\u200Eleft\u200F\u061Cright\u202A\u202B\u202C.png": "leftright.png",
				"plain café.txt":                                    "plain café.txt",
				" \u202E ":                                          "file",
			}
			i := 0
			for name := range names {
				i++
				testutil.Must(t, db.Exec("INSERT INTO uploads (filename, original_filename, content_type, size, date_added) VALUES (?, ?, 'text/plain', 1, ?)",
					strings.Repeat("0", 31)+string(rune('a'+i)), name, time.Now().UTC()).Error)
			}
			testutil.Must(t, database.MigrateUp(ctx, db))
			var got []string
			testutil.Must(t, db.Table("uploads").Order("id").Pluck("original_filename", &got).Error)
			want := map[string]bool{}
			for _, w := range names {
				want[w] = true
			}
			for _, g := range got {
				if !want[g] {
					t.Errorf("name after 0015: %q (%U)", g, []rune(g))
				}
			}
			if len(got) != len(names) {
				t.Errorf("%d rows", len(got))
			}
		})
	}
}
