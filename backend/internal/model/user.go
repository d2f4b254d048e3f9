package model

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
	DateAdded     time.Time
	DateModified  *time.Time

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

// FindUserByLogin finds a user by username (any letter case) or e-mail.
func FindUserByLogin(ctx context.Context, db *gorm.DB, login string) (*User, error) {
	login = strings.TrimSpace(login)
	if login == "" {
		return nil, ErrNotFound
	}
	var u User
	q := db.WithContext(ctx)
	var err error
	if strings.Contains(login, "@") {
		err = q.Where("email = ?", NormalizeEmail(login)).First(&u).Error
	} else {
		err = q.Where("LOWER(username) = ?", strings.ToLower(login)).First(&u).Error
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
}

// ListUsers returns one page of users ordered by username, and the total.
func ListUsers(ctx context.Context, db *gorm.DB, f UserFilter, offset, limit int) ([]User, int64, error) {
	q := db.WithContext(ctx).Model(&User{})
	if f.Name != "" {
		q = q.Where("LOWER(name) LIKE ? ESCAPE '!'", LikePattern(f.Name))
	}
	if f.Q != "" {
		p := LikePattern(f.Q)
		q = q.Where("(LOWER(username) LIKE ? ESCAPE '!' OR LOWER(name) LIKE ? ESCAPE '!' OR LOWER(email) LIKE ? ESCAPE '!')", p, p, p)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	var users []User
	if total > int64(offset) {
		if err := q.Order("LOWER(username), id").Offset(offset).Limit(limit).Find(&users).Error; err != nil {
			return nil, 0, fmt.Errorf("list users: %w", err)
		}
	}
	if err := LoadRoles(ctx, db, sliceOfPointers(users)...); err != nil {
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

// checkUserUnique refuses a username or an e-mail another user has, in any
// letter case (an empty value is not checked).
func checkUserUnique(ctx context.Context, tx *gorm.DB, username, email string, exceptID int64) error {
	if username != "" {
		var n int64
		err := tx.WithContext(ctx).Model(&User{}).
			Where("LOWER(username) = ? AND id <> ?", strings.ToLower(username), exceptID).Count(&n).Error
		if err != nil {
			return fmt.Errorf("check username: %w", err)
		}
		if n > 0 {
			return Conflict("user.username_taken", "username", "The username %q is already taken.", username)
		}
	}
	if email != "" {
		var n int64
		err := tx.WithContext(ctx).Model(&User{}).
			Where("LOWER(email) = ? AND id <> ?", NormalizeEmail(email), exceptID).Count(&n).Error
		if err != nil {
			return fmt.Errorf("check e-mail: %w", err)
		}
		if n > 0 {
			return Conflict("user.email_taken", "email", "Another user already has the e-mail address %s.", NormalizeEmail(email))
		}
	}
	return nil
}

// errDuplicateUser is what a race past checkUserUnique ends in: the unique
// indexes refuse the row.
var errDuplicateUser = Conflict("user.duplicate", "", "Another user already has this username or e-mail address.")

// CreateUser stores a new user (the caller fills the row field by field and
// hashes the password) and makes it a member of the named groups, in one
// transaction. The e-mail is stored normalised.
func CreateUser(ctx context.Context, db *gorm.DB, u *User, groups []string) error {
	u.Email = NormalizeEmail(u.Email)
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkUserUnique(ctx, tx, u.Username, u.Email, 0); err != nil {
			return err
		}
		gs, err := ResolveGroups(ctx, tx, groups)
		if err != nil {
			return err
		}
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		return SetUserGroups(ctx, tx, u.ID, gs)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return errDuplicateUser
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// UserUpdate lists the changes to an account; nil leaves a field alone.
type UserUpdate struct {
	Username *string
	Name     *string
	Email    *string
	// JobTitle "" clears the job title.
	JobTitle *string
	Locale   *string
	Disabled *bool
	// PasswordHash is a new bcrypt hash.
	PasswordHash *string
	// Groups replaces every membership (by exact group name).
	Groups *[]string
}

// CanUpdate refuses the changes that would lock the first administrator
// out: disabling user 1 or taking it out of flicket_admin.
func (u *User) CanUpdate(upd UserUpdate) error {
	if u.ID != ProtectedUserID {
		return nil
	}
	if upd.Disabled != nil && *upd.Disabled {
		return Forbidden("User %d is the first administrator; it cannot be disabled.", ProtectedUserID)
	}
	if upd.Groups != nil && !slices.Contains(*upd.Groups, AdminGroup) {
		return Forbidden("User %d is the first administrator; it cannot be removed from %s.", ProtectedUserID, AdminGroup)
	}
	return nil
}

// CanDelete: never user 1, never oneself.
func (u *User) CanDelete(actor *User) error {
	if u.ID == ProtectedUserID {
		return Forbidden("User %d is the first administrator; it cannot be deleted.", ProtectedUserID)
	}
	if actor != nil && actor.ID == u.ID {
		return Forbidden("You cannot delete your own account.")
	}
	return nil
}

// UpdateUser applies the changes to user id. Call it inside a transaction
// (memberships and the row change together); it returns the updated user
// with roles.
func UpdateUser(ctx context.Context, tx *gorm.DB, id int64, upd UserUpdate, now time.Time) (*User, error) {
	u, err := FindUser(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := u.CanUpdate(upd); err != nil {
		return nil, err
	}
	cols := map[string]any{}
	var username, email string
	if upd.Username != nil && *upd.Username != u.Username {
		username = *upd.Username
		cols["username"] = username
	}
	if upd.Email != nil && NormalizeEmail(*upd.Email) != u.Email {
		email = NormalizeEmail(*upd.Email)
		cols["email"] = email
	}
	if err := checkUserUnique(ctx, tx, username, email, id); err != nil {
		return nil, err
	}
	if upd.Name != nil {
		cols["name"] = *upd.Name
	}
	if upd.JobTitle != nil {
		if *upd.JobTitle == "" {
			cols["job_title"] = nil
		} else {
			cols["job_title"] = *upd.JobTitle
		}
	}
	if upd.Locale != nil {
		cols["locale"] = *upd.Locale
	}
	if upd.Disabled != nil {
		cols["disabled"] = *upd.Disabled
	}
	if upd.PasswordHash != nil {
		cols["password"] = *upd.PasswordHash
	}
	if upd.Groups != nil {
		gs, err := ResolveGroups(ctx, tx, *upd.Groups)
		if err != nil {
			return nil, err
		}
		if err := SetUserGroups(ctx, tx, id, gs); err != nil {
			return nil, err
		}
	}
	if len(cols) > 0 {
		cols["date_modified"] = now
		err := tx.WithContext(ctx).Model(&User{}).Where("id = ?", id).Updates(cols).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, errDuplicateUser
		}
		if err != nil {
			return nil, fmt.Errorf("update user: %w", err)
		}
	}
	return FindUser(ctx, tx, id)
}

// DeleteUser removes an account. Its tickets, replies, uploads and log
// entries stay with a null author (ON DELETE SET NULL); its subscriptions,
// tokens and memberships go with it (CASCADE). Other users' counters do not
// change: their posts and assignments are untouched. It returns the deleted
// row, so the caller can remove the avatar file once committed.
func DeleteUser(ctx context.Context, db *gorm.DB, actor *User, id int64) (*User, error) {
	var u User
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&u, id).Error; err != nil {
			return notFound(err, "find user")
		}
		if err := u.CanDelete(actor); err != nil {
			return err
		}
		return tx.Delete(&User{}, id).Error
	})
	if err != nil {
		return nil, fmt.Errorf("delete user: %w", err)
	}
	return &u, nil
}
