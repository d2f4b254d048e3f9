package database_test

import (
	"context"
	"errors"
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
		mustFail("duplicate e-mail", exec(user, "alice2", "alice@example.com", now), gorm.ErrDuplicatedKey)

		testutil.Must(t, exec("INSERT INTO departments (department) VALUES ('IT')"))
		mustFail("duplicate department", exec("INSERT INTO departments (department) VALUES ('IT')"), gorm.ErrDuplicatedKey)
		var depID int64
		testutil.Must(t, db.Raw("SELECT id FROM departments WHERE department = 'IT'").Scan(&depID).Error)
		testutil.Must(t, exec("INSERT INTO departments (department) VALUES ('HR')"))
		var hrID int64
		testutil.Must(t, db.Raw("SELECT id FROM departments WHERE department = 'HR'").Scan(&hrID).Error)
		testutil.Must(t, exec("INSERT INTO categories (category, department_id) VALUES ('Other', ?)", depID))
		testutil.Must(t, exec("INSERT INTO categories (category, department_id) VALUES ('Other', ?)", hrID))
		mustFail("duplicate category in a department", exec("INSERT INTO categories (category, department_id) VALUES ('Other', ?)", depID), gorm.ErrDuplicatedKey)
		mustFail("category of a missing department", exec("INSERT INTO categories (category, department_id) VALUES ('X', 999)"), gorm.ErrForeignKeyViolated)
		mustFail("delete a department with categories", exec("DELETE FROM departments WHERE id = ?", depID), gorm.ErrForeignKeyViolated)
		mustFail("ticket with missing status", exec(`INSERT INTO tickets (title, content, status_id, category_id, ticket_priority_id, date_added, last_updated)
			VALUES ('t', 'c', 9, 9, 9, ?, ?)`, now, now), gorm.ErrForeignKeyViolated)
	})
}
