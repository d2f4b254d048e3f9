package testutil

import (
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/setup"
)

// Password is every factory user's password.
const Password = "correct-horse-1"

// Hasher hashes at bcrypt's minimum cost, so tests (and -race) stay fast.
func Hasher() *auth.Hasher { return auth.NewHasher(bcrypt.MinCost) }

// Seeded is what Seed created.
type Seeded struct {
	Admin *model.User
}

// Seed runs setup (statuses, priorities, groups, config, sample departments)
// with an administrator "admin" whose password is Password.
func Seed(t testing.TB, db *gorm.DB) Seeded {
	t.Helper()
	ctx := context.Background()
	res, err := setup.Run(ctx, db, Hasher(), setup.Options{
		AdminUsername: "admin", AdminPassword: Password, AdminEmail: "admin@example.com",
		BaseURL: "http://flicket.test", SampleDepartments: true,
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	admin, err := model.FindUser(ctx, db, res.AdminID)
	if err != nil {
		t.Fatalf("seed: load admin: %v", err)
	}
	return Seeded{Admin: admin}
}

// UserOpt changes a factory user before it is saved.
type UserOpt func(*model.User)

// Disabled makes the user disabled.
func Disabled() UserOpt { return func(u *model.User) { u.Disabled = true } }

// WithName sets the display name.
func WithName(name string) UserOpt { return func(u *model.User) { u.Name = name } }

// WithEmail sets the e-mail.
func WithEmail(email string) UserOpt { return func(u *model.User) { u.Email = email } }

// WithLocale sets the locale.
func WithLocale(l string) UserOpt { return func(u *model.User) { u.Locale = l } }

// NewUser creates a user with password Password, in the given groups.
func NewUser(t testing.TB, db *gorm.DB, username string, groups []string, opts ...UserOpt) *model.User {
	t.Helper()
	ctx := context.Background()
	hash, err := Hasher().Hash(Password)
	Must(t, err)
	u := &model.User{
		Username: username, Name: "User " + username, Email: username + "@example.com",
		Password: hash, Locale: "en", DateAdded: time.Now().UTC(),
	}
	for _, o := range opts {
		o(u)
	}
	u.Email = model.NormalizeEmail(u.Email)
	if err := db.WithContext(ctx).Create(u).Error; err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	for _, name := range groups {
		g, err := model.FindGroupByName(ctx, db, name)
		if err != nil {
			g = &model.Group{GroupName: name}
			Must(t, db.Create(g).Error)
		}
		Must(t, model.AddToGroup(ctx, db, u.ID, g.ID))
	}
	Must(t, model.LoadRoles(ctx, db, u))
	return u
}
