package model_test

import (
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestUserEmailStoredNormalised: whatever path creates users (one row or a
// batch, through the model), the e-mail is stored trimmed and lower-case, so
// sign-in by e-mail and the unique index see one spelling.
func TestUserEmailStoredNormalised(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		now := time.Now().UTC()
		one := &model.User{Username: "mixed", Name: "Mixed Case", Email: " Mixed@Example.COM ", Password: "x", Locale: "en", DateAdded: now}
		testutil.Must(t, tdb.DB.Create(one).Error)
		batch := []model.User{
			{Username: "batch1", Name: "Batch One", Email: "Batch1@EXAMPLE.com", Password: "x", Locale: "en", DateAdded: now},
			{Username: "batch2", Name: "Batch Two", Email: "BATCH2@example.com", Password: "x", Locale: "en", DateAdded: now},
		}
		testutil.Must(t, tdb.DB.CreateInBatches(&batch, 10).Error)
		var emails []string
		testutil.Must(t, tdb.DB.Model(&model.User{}).Order("username").Pluck("email", &emails).Error)
		want := []string{"batch1@example.com", "batch2@example.com", "mixed@example.com"}
		if len(emails) != len(want) {
			t.Fatalf("emails = %v, want %v", emails, want)
		}
		for i := range want {
			if emails[i] != want[i] {
				t.Errorf("emails = %v, want %v", emails, want)
			}
		}
		u, err := model.FindUserByLogin(t.Context(), tdb.DB, "MIXED@example.com")
		testutil.Must(t, err)
		if u.ID != one.ID {
			t.Errorf("sign-in by e-mail found user %d, want %d", u.ID, one.ID)
		}
	})
}
