package api

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// caseVariant spells name with the letters whose bit is set in i upper-cased,
// so every i < 2^letters gives a different spelling of the same name.
func caseVariant(name string, i int) string {
	b := []byte(name)
	bit := 0
	for j, c := range b {
		if c >= 'a' && c <= 'z' {
			if i&(1<<bit) != 0 {
				b[j] = c - 'a' + 'A'
			}
			bit++
		}
	}
	return string(b)
}

// uniqueCase is one name the database must keep unique in any letter case.
type uniqueCase struct {
	name        string
	code, field string
	// table is where the contested row goes.
	table string
	// setup prepares the rows the requests need (targets to rename, ...).
	setup func(t *testing.T, env *testEnv, n int) []int64
	// request is the i-th competing request.
	request func(ids []int64, i int) (method, path string, body any)
	// count tells how many rows ended up with the contested name.
	count string
	// inject writes a row that takes the contested name: what a concurrent
	// request could do between the model's check and its write.
	inject func(ids []int64) string
}

func uniqueCases() []uniqueCase {
	newUsers := func(t *testing.T, env *testEnv, n int) []int64 {
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = testutil.NewUser(t, env.db, testutil.Unique("renamee"), nil).ID
		}
		return ids
	}
	newDepartments := func(t *testing.T, env *testEnv, n int) []int64 {
		ids := make([]int64, n)
		for i := range ids {
			d, err := model.CreateDepartment(t.Context(), env.srv.writer, testutil.Unique("Dept "))
			testutil.Must(t, err)
			ids[i] = d.ID
		}
		return ids
	}
	// The first id is the department every category lives in.
	newCategories := func(t *testing.T, env *testEnv, n int) []int64 {
		d, err := model.CreateDepartment(t.Context(), env.srv.writer, testutil.Unique("Dept "))
		testutil.Must(t, err)
		ids := []int64{d.ID}
		for range n {
			c, err := model.CreateCategory(t.Context(), env.srv.writer, testutil.Unique("Cat "), d.ID)
			testutil.Must(t, err)
			ids = append(ids, c.ID)
		}
		return ids
	}
	newGroups := func(t *testing.T, env *testEnv, n int) []int64 {
		ids := make([]int64, n)
		for i := range ids {
			g, err := model.CreateGroup(t.Context(), env.srv.writer, testutil.Unique("group "))
			testutil.Must(t, err)
			ids[i] = g.ID
		}
		return ids
	}
	noSetup := func(*testing.T, *testEnv, int) []int64 { return nil }
	newUserBody := func(username, email string) map[string]any {
		return map[string]any{"username": username, "email": email, "name": "Racer X", "password": "s3cret-passw0rd"}
	}
	userRow := func(username, email string) func([]int64) string {
		return func([]int64) string {
			return fmt.Sprintf("INSERT INTO users (username, name, email, password, locale, date_added) "+
				"VALUES ('%s', 'Injected', '%s', 'x', 'en', CURRENT_TIMESTAMP)", username, email)
		}
	}
	fixed := func(sql string) func([]int64) string { return func([]int64) string { return sql } }
	return []uniqueCase{
		{
			name: "create users with one username", code: "user.username_taken", field: "username", table: "users", setup: noSetup,
			request: func(_ []int64, i int) (string, string, any) {
				return http.MethodPost, "/flicket-api/users", newUserBody(caseVariant("racer", i), fmt.Sprintf("racer%d@example.com", i))
			},
			count:  "SELECT COUNT(*) FROM users WHERE LOWER(username) = 'racer'",
			inject: userRow("RACER", "injected1@example.com"),
		},
		{
			name: "create users with one e-mail", code: "user.email_taken", field: "email", table: "users", setup: noSetup,
			request: func(_ []int64, i int) (string, string, any) {
				return http.MethodPost, "/flicket-api/users", newUserBody(fmt.Sprintf("mailer%d", i), caseVariant("mailer@example.com", i))
			},
			count:  "SELECT COUNT(*) FROM users WHERE email = 'mailer@example.com'",
			inject: userRow("injected2", "mailer@example.com"),
		},
		{
			name: "rename users to one username", code: "user.username_taken", field: "username", table: "users", setup: newUsers,
			request: func(ids []int64, i int) (string, string, any) {
				return http.MethodPatch, "/flicket-api/user/" + itoa(ids[i]), map[string]any{"username": caseVariant("renamed", i)}
			},
			count:  "SELECT COUNT(*) FROM users WHERE LOWER(username) = 'renamed'",
			inject: userRow("RENAMED", "injected3@example.com"),
		},
		{
			// Username and e-mail change together: the e-mail is the one taken.
			name: "change users' e-mail to one address", code: "user.email_taken", field: "email", table: "users", setup: newUsers,
			request: func(ids []int64, i int) (string, string, any) {
				return http.MethodPatch, "/flicket-api/user/" + itoa(ids[i]), map[string]any{
					"email": caseVariant("remailer@example.com", i), "username": fmt.Sprintf("remailer%d", i), "name": "Mail Racer",
				}
			},
			count:  "SELECT COUNT(*) FROM users WHERE email = 'remailer@example.com'",
			inject: userRow("injected4", "remailer@example.com"),
		},
		{
			name: "create departments", code: "department.duplicate", field: "department", table: "departments", setup: noSetup,
			request: func(_ []int64, i int) (string, string, any) {
				return http.MethodPost, "/flicket-api/departments", map[string]any{"department": caseVariant("racing", i)}
			},
			count:  "SELECT COUNT(*) FROM departments WHERE LOWER(department) = 'racing'",
			inject: fixed("INSERT INTO departments (department) VALUES ('RACING')"),
		},
		{
			name: "rename departments", code: "department.duplicate", field: "department", table: "departments", setup: newDepartments,
			request: func(ids []int64, i int) (string, string, any) {
				return http.MethodPatch, "/flicket-api/department/" + itoa(ids[i]), map[string]any{"department": caseVariant("rerouting", i)}
			},
			count:  "SELECT COUNT(*) FROM departments WHERE LOWER(department) = 'rerouting'",
			inject: fixed("INSERT INTO departments (department) VALUES ('REROUTING')"),
		},
		{
			name: "create categories in one department", code: "category.duplicate", field: "category", table: "categories", setup: newCategories,
			request: func(ids []int64, i int) (string, string, any) {
				return http.MethodPost, "/flicket-api/categories", map[string]any{"category": caseVariant("racing", i), "department_id": ids[0]}
			},
			count: "SELECT COUNT(*) FROM categories WHERE LOWER(category) = 'racing'",
			inject: func(ids []int64) string {
				return fmt.Sprintf("INSERT INTO categories (category, department_id) VALUES ('RACING', %d)", ids[0])
			},
		},
		{
			name: "rename categories of one department", code: "category.duplicate", field: "category", table: "categories", setup: newCategories,
			request: func(ids []int64, i int) (string, string, any) {
				return http.MethodPatch, "/flicket-api/category/" + itoa(ids[i+1]), map[string]any{"category": caseVariant("rerouting", i)}
			},
			count: "SELECT COUNT(*) FROM categories WHERE LOWER(category) = 'rerouting'",
			inject: func(ids []int64) string {
				return fmt.Sprintf("INSERT INTO categories (category, department_id) VALUES ('REROUTING', %d)", ids[0])
			},
		},
		{
			name: "create groups", code: "group.duplicate", field: "group_name", table: "user_groups", setup: noSetup,
			request: func(_ []int64, i int) (string, string, any) {
				return http.MethodPost, "/flicket-api/groups", map[string]any{"group_name": caseVariant("racers", i)}
			},
			count:  "SELECT COUNT(*) FROM user_groups WHERE LOWER(group_name) = 'racers'",
			inject: fixed("INSERT INTO user_groups (group_name) VALUES ('RACERS')"),
		},
		{
			name: "rename groups", code: "group.duplicate", field: "group_name", table: "user_groups", setup: newGroups,
			request: func(ids []int64, i int) (string, string, any) {
				return http.MethodPatch, "/flicket-api/group/" + itoa(ids[i]), map[string]any{"group_name": caseVariant("renamers", i)}
			},
			count:  "SELECT COUNT(*) FROM user_groups WHERE LOWER(group_name) = 'renamers'",
			inject: fixed("INSERT INTO user_groups (group_name) VALUES ('RENAMERS')"),
		},
	}
}

// expectConflictOn checks a 409 names the field with the code.
func (r *response) expectConflictOn(t *testing.T, code, field string) {
	t.Helper()
	body := r.expectError(t, http.StatusConflict, code)
	if len(body.Errors) != 1 || body.Errors[0].Field != field || body.Errors[0].Code != code {
		t.Errorf("409 errors = %+v, want field %q", body.Errors, field)
	}
}

// TestCaseInsensitiveUniqueRace sends many requests at once that differ only
// in the letter case of a name: exactly one wins, every other one is the
// same 409 naming the field the model's own check gives, never a 500.
func TestCaseInsensitiveUniqueRace(t *testing.T) {
	const n = 12
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		asAdmin := env.as(env.admin)
		for _, tc := range uniqueCases() {
			t.Run(tc.name, func(t *testing.T) {
				ids := tc.setup(t, env, n)
				var wg sync.WaitGroup
				start := make(chan struct{})
				responses := make([]*response, n)
				for i := range n {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						method, path, body := tc.request(ids, i)
						responses[i] = env.call(method, path, body, asAdmin)
					}()
				}
				close(start)
				wg.Wait()
				won := 0
				for i, r := range responses {
					if r.Code == http.StatusOK || r.Code == http.StatusCreated {
						won++
						continue
					}
					if r.Code != http.StatusConflict {
						t.Fatalf("request %d: status %d, want 409 or success; body: %s", i, r.Code, r.Body)
					}
					r.expectConflictOn(t, tc.code, tc.field)
				}
				if won != 1 {
					t.Errorf("%d requests succeeded, want exactly 1", won)
				}
				var rows int64
				testutil.Must(t, env.db.Raw(tc.count).Scan(&rows).Error)
				if rows != 1 {
					t.Errorf("%d rows hold the name, want 1", rows)
				}
			})
		}
	})
}

// TestCaseInsensitiveUniqueInterleaved makes the race certain: a row with
// the contested name is committed by another connection right after the
// model's check passed and right before its write. The unique index must
// refuse the write, and the answer must still be the field's 409. (SQLite
// cannot interleave: its transactions take the write lock when they begin,
// so the other connection would wait; the concurrent test covers it.)
func TestCaseInsensitiveUniqueInterleaved(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		if tdb.Dialect == database.SQLite {
			t.Skip("SQLite serialises writers: nothing can commit between the check and the write")
		}
		env := newTestEnv(t, tdb)
		asAdmin := env.as(env.admin)
		for _, tc := range uniqueCases() {
			t.Run(tc.name, func(t *testing.T) {
				ids := tc.setup(t, env, 1)
				injectBeforeWrite(t, env.db, tc.table, tc.inject(ids))
				method, path, body := tc.request(ids, 0)
				env.call(method, path, body, asAdmin).expectConflictOn(t, tc.code, tc.field)
				var rows int64
				testutil.Must(t, env.db.Raw(tc.count).Scan(&rows).Error)
				if rows != 1 {
					t.Errorf("%d rows hold the name, want 1 (the injected one)", rows)
				}
			})
		}
	})
}

// injectBeforeWrite runs sql once, on a connection of its own (so it commits
// at once), just before the next INSERT or UPDATE GORM sends to table.
func injectBeforeWrite(t *testing.T, db *gorm.DB, table, sql string) {
	t.Helper()
	var done atomic.Bool
	name := "test:inject:" + testutil.Unique("")
	hook := func(tx *gorm.DB) {
		if tx.Statement.Table != table || done.Swap(true) {
			return
		}
		if err := db.Exec(sql).Error; err != nil {
			t.Errorf("inject %q: %v", sql, err)
		}
	}
	testutil.Must(t, db.Callback().Create().Before("gorm:create").Register(name, hook))
	testutil.Must(t, db.Callback().Update().Before("gorm:update").Register(name, hook))
	t.Cleanup(func() {
		_ = db.Callback().Create().Remove(name)
		_ = db.Callback().Update().Remove(name)
	})
}
