package bulkdb

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestFoldKey(t *testing.T) {
	cases := []struct {
		d    database.Dialect
		a, b string
		same bool
	}{
		{database.SQLite, "Bob", "bob", true},
		{database.SQLite, "École", "école", false},
		{database.Postgres, "École", "école", true},
		{database.Postgres, "École", "Ecole", false},
		{database.MySQL, "École", "ecole", true},
		{database.MySQL, "IT ", "it", true},
	}
	for _, c := range cases {
		if got := FoldKey(c.d, c.a) == FoldKey(c.d, c.b); got != c.same {
			t.Errorf("%s: %q and %q the same = %v, want %v", c.d, c.a, c.b, got, c.same)
		}
	}
	dups := FindDuplicates(database.Postgres, []string{"1", "1", "2"}, []string{"Other", "other", "OTHER"})
	if fmt.Sprint(dups) != "[{1 0}]" {
		t.Errorf("duplicates = %v", dups)
	}
}

// TestInsertAndSequences writes rows with their ids on every database and
// checks that ids created afterwards continue past them.
func TestInsertAndSequences(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		if _, err := CheckTarget(ctx, tdb.DB); err != nil {
			t.Fatalf("a migrated empty database is refused: %v", err)
		}
		tx, err := Begin(ctx, tdb.DB)
		testutil.Must(t, err)
		rows := make([][]any, 0, 2500)
		for i := 1; i <= 2500; i++ {
			rows = append(rows, []any{int64(i * 2), fmt.Sprintf("Dept %d", i)})
		}
		testutil.Must(t, tx.Insert(ctx, "departments", []string{"id", "department"}, rows))
		testutil.Must(t, tx.MoveSequences(ctx, "departments"))
		testutil.Must(t, tx.Commit())
		testutil.Must(t, MoveAutoIncrement(ctx, tdb.DB, "departments"))
		d := model.Department{Department: "after"}
		testutil.Must(t, tdb.DB.Create(&d).Error)
		if d.ID != 5001 {
			t.Errorf("next id = %d, want 5001", d.ID)
		}
		st, err := CheckTarget(ctx, tdb.DB)
		if err != nil || !st.SetupOnly {
			t.Errorf("departments are setup's rows: %+v %v", st, err)
		}
		testutil.NewUser(t, tdb.DB, "one", nil)
		testutil.NewUser(t, tdb.DB, "two", nil)
		_, err = CheckTarget(ctx, tdb.DB)
		var refused *RefusedError
		if !errors.As(err, &refused) || refused.Error() != "the target database is not empty (2 users): it must be empty or hold only what `flicket setup` creates" {
			t.Errorf("two users: %v", err)
		}
	})
}

// TestRollback leaves nothing behind.
func TestRollback(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		tx, err := Begin(ctx, tdb.DB)
		testutil.Must(t, err)
		testutil.Must(t, tx.Insert(ctx, "statuses", []string{"id", "status"}, [][]any{{int64(1), "Open"}}))
		if err := tx.Insert(ctx, "statuses", []string{"id", "status"}, [][]any{{int64(1), "Again"}}); err == nil {
			t.Fatal("a duplicate id was accepted")
		}
		tx.Rollback()
		var n int64
		testutil.Must(t, tdb.DB.Table("statuses").Count(&n).Error)
		if n != 0 {
			t.Errorf("%d statuses after the rollback", n)
		}
	})
}
