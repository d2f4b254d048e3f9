package setup_test

import (
	"context"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/setup"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestSetupSeedsAndIsIdempotent(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		db := tdb.DB
		opts := setup.Options{
			AdminUsername: "admin", AdminPassword: "s3cret-pass", AdminEmail: "Admin@Example.com",
			BaseURL: "https://help.example.com/", SampleDepartments: true,
		}
		first, err := setup.Run(ctx, db, testutil.Hasher(), opts)
		testutil.Must(t, err)
		if !first.AdminCreated || first.AdminID != 1 || !first.SettingsCreated || first.DepartmentsAdded != 6 {
			t.Fatalf("first run = %+v", first)
		}

		counts := func() map[string]int64 {
			out := map[string]int64{}
			for _, table := range []string{"users", "user_groups", "group_members", "statuses", "priorities", "departments", "categories", "config"} {
				var n int64
				testutil.Must(t, db.Table(table).Count(&n).Error)
				out[table] = n
			}
			return out
		}
		before := counts()
		want := map[string]int64{"users": 1, "user_groups": 2, "group_members": 1, "statuses": 4, "priorities": 3, "departments": 6, "config": 1}
		for k, v := range want {
			if before[k] != v {
				t.Errorf("%s = %d rows, want %d", k, before[k], v)
			}
		}

		// Again, with another password: nothing changes, nothing fails.
		opts.AdminPassword = "different-pass"
		second, err := setup.Run(ctx, db, testutil.Hasher(), opts)
		testutil.Must(t, err)
		if second.AdminCreated || second.SettingsCreated || second.DepartmentsAdded != 0 || second.AdminID != 1 {
			t.Errorf("second run = %+v", second)
		}
		after := counts()
		for k, v := range before {
			if after[k] != v {
				t.Errorf("second run changed %s: %d → %d", k, v, after[k])
			}
		}

		for id, name := range map[int64]string{1: "Open", 2: "Closed", 3: "In Work", 4: "Awaiting Information"} {
			st, err := model.FindStatus(ctx, db, id)
			testutil.Must(t, err)
			if st.Status != name {
				t.Errorf("status %d = %q, want %q", id, st.Status, name)
			}
		}
		for id, name := range map[int64]string{1: "low", 2: "medium", 3: "high"} {
			p, err := model.FindPriority(ctx, db, id)
			testutil.Must(t, err)
			if p.Priority != name {
				t.Errorf("priority %d = %q, want %q", id, p.Priority, name)
			}
		}

		admin, err := model.FindUser(ctx, db, 1)
		testutil.Must(t, err)
		if !admin.IsAdmin || admin.Email != "admin@example.com" {
			t.Errorf("admin = %+v", admin)
		}
		if !testutil.Hasher().Verify(admin.Password, "s3cret-pass") {
			t.Error("the second run changed the admin's password")
		}

		s, err := model.LoadSettings(ctx, db)
		testutil.Must(t, err)
		if s.BaseURL != "https://help.example.com" || s.PostsPerPage != 50 || s.CSVDumpLimit != 1000 ||
			s.MailPort != 465 || s.ApplicationTitle != "Flicket" || s.AllowedExtensions != model.DefaultAllowedExtensions ||
			len(s.SecretKey) < 32 || s.MailDebug {
			t.Errorf("settings = %+v", s)
		}

		// Unlike the original, every sample department gets "Other".
		var withOther int64
		testutil.Must(t, db.Table("categories").Where("category = ?", "Other").Count(&withOther).Error)
		if withOther != 6 {
			t.Errorf("departments with Other = %d, want 6", withOther)
		}
		// No legacy "notification" user.
		if _, err := model.FindUserByUsername(ctx, db, "notification"); err == nil {
			t.Error("setup created the unused notification user")
		}

		// New rows after seeding get fresh ids (PostgreSQL sequences moved on).
		testutil.Must(t, db.Create(&model.Status{Status: "Extra"}).Error)
	})
}

func TestSetupRefusesBadAdmin(t *testing.T) {
	tdb := testutil.NewDB(t, "sqlite")
	cases := []setup.Options{
		{AdminUsername: "ad", AdminPassword: "longenough", AdminEmail: "a@b.c"},
		{AdminUsername: "admin", AdminPassword: "short", AdminEmail: "a@b.c"},
		{AdminUsername: "admin", AdminPassword: "longenough", AdminEmail: "not-an-email"},
	}
	for _, o := range cases {
		if _, err := setup.Run(context.Background(), tdb.DB, testutil.Hasher(), o); err == nil {
			t.Errorf("setup accepted %+v", o)
		}
	}
	var n int64
	testutil.Must(t, tdb.DB.Table("statuses").Count(&n).Error)
	if n != 0 {
		t.Errorf("a refused setup left %d statuses behind", n)
	}
}
