package model

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Group names with a meaning in the code (features §2.1).
const (
	AdminGroup     = "flicket_admin"
	SuperUserGroup = "super_user"
)

// ProtectedUserID is the first administrator, who can never be deleted.
const ProtectedUserID = 1

// User is a Flicket account. Roles are memberships of the groups AdminGroup
// and SuperUserGroup; they are loaded with LoadRoles, never stored on the row.
type User struct {
	ID            int64
	Username      string
	Name          string
	Email         string
	Password      string `json:"-"` // bcrypt hash; never serialised
	JobTitle      *string
	Avatar        *string
	Locale        string
	Disabled      bool
	TotalPosts    int64
	TotalAssigned int64
	// TotalStarted: tickets the user started; TotalSelfAssigned: those of
	// them assigned to the user (see LoadUserTotals).
	TotalStarted      int64
	TotalSelfAssigned int64
	DateAdded         time.Time
	DateModified      *time.Time

	// Filled by LoadRoles.
	Groups      []string `gorm:"-"`
	IsAdmin     bool     `gorm:"-"`
	IsSuperUser bool     `gorm:"-"`
}

// TableName pins the table name.
func (User) TableName() string { return "users" }

// IsAdminOrSuper is true for members of flicket_admin or super_user.
func (u *User) IsAdminOrSuper() bool { return u != nil && (u.IsAdmin || u.IsSuperUser) }

// NormalizeEmail lower-cases and trims an address; e-mails are unique
// whatever their case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// FindUser loads one user with roles.
func FindUser(ctx context.Context, db *gorm.DB, id int64) (*User, error) {
	var u User
	if err := db.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, notFound(err, "find user")
	}
	if err := LoadRoles(ctx, db, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// NormalizeLogin is the form FindUserByLogin looks a login up by: trimmed
// and lower-cased. Every spelling that finds the same user normalises alike
// (unless the database's collation is looser still).
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

// FindUserByLogin finds a user by username (any letter case) or e-mail.
func FindUserByLogin(ctx context.Context, db *gorm.DB, login string) (*User, error) {
	login = NormalizeLogin(login)
	if login == "" {
		return nil, ErrNotFound
	}
	var u User
	q := db.WithContext(ctx)
	var err error
	if strings.Contains(login, "@") {
		err = q.Where("email = ?", login).First(&u).Error
	} else {
		err = q.Where("LOWER(username) = ?", login).First(&u).Error
	}
	if err != nil {
		return nil, notFound(err, "find user by login")
	}
	if err := LoadRoles(ctx, db, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// FindUserByUsername finds a user by username, ignoring letter case.
func FindUserByUsername(ctx context.Context, db *gorm.DB, username string) (*User, error) {
	var u User
	err := db.WithContext(ctx).Where("LOWER(username) = ?", strings.ToLower(strings.TrimSpace(username))).First(&u).Error
	if err != nil {
		return nil, notFound(err, "find user by username")
	}
	return &u, nil
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	// Name is the original API's filter: a case-insensitive substring of the
	// display name.
	Name string
	// Q matches username, name or e-mail (the web directory's search).
	Q string
	// Disabled keeps the disabled accounts only (true) or the enabled ones
	// only (false: whom a ticket may be assigned to); nil keeps both.
	Disabled *bool
	// First lists users to put first, in this order (those the filter
	// keeps), before the others by username: AssigneeSuggestions.
	First []int64
}

// ListUsers returns one page of users ordered by username (f.First
// first), and the total.
func ListUsers(ctx context.Context, db *gorm.DB, f UserFilter, offset, limit int) ([]User, int64, error) {
	q := db.WithContext(ctx).Model(&User{})
	if f.Name != "" {
		q = q.Where("LOWER(name) LIKE ? ESCAPE '!'", LikePattern(f.Name))
	}
	if f.Q != "" {
		p := LikePattern(f.Q)
		q = q.Where("(LOWER(username) LIKE ? ESCAPE '!' OR LOWER(name) LIKE ? ESCAPE '!' OR LOWER(email) LIKE ? ESCAPE '!')", p, p, p)
	}
	if f.Disabled != nil {
		q = q.Where("disabled = ?", *f.Disabled)
	}
	q = q.Session(&gorm.Session{}) // each query below starts from the filter alone
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	var users []User
	if total > int64(offset) {
		var err error
		if users, err = listUsersPage(q, f.First, offset, limit); err != nil {
			return nil, 0, err
		}
	}
	if err := LoadRoles(ctx, db, sliceOfPointers(users)...); err != nil {
		return nil, 0, err
	}
	if err := LoadUserTotals(ctx, db, sliceOfPointers(users)...); err != nil {
		return nil, 0, err
	}
	return users, total, nil
}

// LikePattern builds a lower-case "%term%" pattern with LIKE wildcards in the
// term escaped by '!', so a search for "50%" finds "50%" only.
func LikePattern(term string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return "%" + r.Replace(strings.ToLower(term)) + "%"
}

// LoadRoles fills Groups, IsAdmin and IsSuperUser for the given users with one
// query.
func LoadRoles(ctx context.Context, db *gorm.DB, users ...*User) error {
	if len(users) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(users))
	byID := make(map[int64][]*User, len(users))
	for _, u := range users {
		u.Groups, u.IsAdmin, u.IsSuperUser = []string{}, false, false
		ids = append(ids, u.ID)
		byID[u.ID] = append(byID[u.ID], u)
	}
	type row struct {
		UserID    int64
		GroupName string
	}
	var rows []row
	err := db.WithContext(ctx).Table("group_members").
		Select("group_members.user_id, user_groups.group_name").
		Joins("JOIN user_groups ON user_groups.id = group_members.group_id").
		Where("group_members.user_id IN ?", ids).
		Order("user_groups.group_name").
		Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	for _, r := range rows {
		for _, u := range byID[r.UserID] {
			u.Groups = append(u.Groups, r.GroupName)
			switch r.GroupName {
			case AdminGroup:
				u.IsAdmin = true
			case SuperUserGroup:
				u.IsSuperUser = true
			}
		}
	}
	return nil
}

func sliceOfPointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}
