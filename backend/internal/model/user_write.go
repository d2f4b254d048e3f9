package model

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/sortkey"
)

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
			return errUsernameTaken(username)
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
			return errEmailTaken(email)
		}
	}
	return nil
}

func errUsernameTaken(username string) error {
	return WithParams(Conflict("user.username_taken", "username", "The username %q is already taken.", username),
		map[string]any{"username": username})
}

func errEmailTaken(email string) error {
	return WithParams(Conflict("user.email_taken", "email", "Another user already has the e-mail address %s.", NormalizeEmail(email)),
		map[string]any{"email": NormalizeEmail(email)})
}

// errDuplicateUser is the answer when the unique indexes refused a row but
// the clashing one is gone by the time we look for it.
var errDuplicateUser = Conflict("user.duplicate", "", "Another user already has this username or e-mail address.")

// BeforeCreate stores the e-mail normalised whatever path creates the user
// (API, setup, imports, demo data): lookups and the unique index rely on it.
func (u *User) BeforeCreate(*gorm.DB) error {
	u.Email = NormalizeEmail(u.Email)
	return nil
}

// CreateUser stores a new user (the caller fills the row field by field and
// hashes the password) and makes it a member of the named groups, in one
// transaction of w. The e-mail is stored normalised.
func CreateUser(ctx context.Context, w *Writer, u *User, groups []string) error {
	u.Email = NormalizeEmail(u.Email)
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB.WithContext(ctx)
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
		// A concurrent request took the username or the e-mail after the
		// check, and committed (the index waits for that): outside the
		// rolled-back transaction, checking again names the field.
		if err := checkUserUnique(ctx, w.db, u.Username, u.Email, 0); err != nil {
			return err
		}
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
	// KeepTokenID is the one API token a new password or a disabled account
	// does not revoke (the caller's own, when users change themselves).
	KeepTokenID string
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

// CanDelete refuses to delete user 1, and to let anyone delete themself.
func (u *User) CanDelete(actor *User) error {
	if u.ID == ProtectedUserID {
		return Forbidden("User %d is the first administrator; it cannot be deleted.", ProtectedUserID)
	}
	if actor != nil && actor.ID == u.ID {
		return Forbidden("You cannot delete your own account.")
	}
	return nil
}

// UpdateUser applies the changes to user id (memberships and the row change
// together); it returns the updated user with roles. A new password or
// e-mail address voids the user's pending password-reset links; a new
// password or a disabled account revokes every API token of the user but
// upd.KeepTokenID — the rule every path (administrator, self-service, reset
// link) shares.
func UpdateUser(ctx context.Context, t *Tx, id int64, upd UserUpdate) (*User, error) {
	tx, now := t.DB, t.Now
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
	if upd.Name != nil && *upd.Name != u.Name {
		if err := setUserSortKeys(ctx, tx, id, sortkey.Key(*upd.Name)); err != nil {
			return nil, err
		}
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
	_, newPassword := cols["password"]
	_, newEmail := cols["email"]
	if len(cols) > 0 {
		cols["date_modified"] = now
		if err := updateUserColumns(ctx, tx, id, cols); err != nil {
			return nil, err
		}
	}
	if newPassword || newEmail {
		if err := VoidPasswordResets(ctx, tx, id, now); err != nil {
			return nil, err
		}
	}
	if upd.PasswordHash != nil || (upd.Disabled != nil && *upd.Disabled) {
		if err := RevokeUserTokens(ctx, tx, id, upd.KeepTokenID, now); err != nil {
			return nil, err
		}
	}
	return FindUser(ctx, tx, id)
}

// updateUserColumns writes the changed columns. The unique ones go first,
// each in a statement of its own: if a concurrent request took the name
// after checkUserUnique, the index refuses that very statement, which names
// the field. (Looking the clash up afterwards is no option: the caller owns
// the transaction, and PostgreSQL runs no query in a failed one.)
func updateUserColumns(ctx context.Context, tx *gorm.DB, id int64, cols map[string]any) error {
	update := func(cols map[string]any) error {
		return tx.WithContext(ctx).Model(&User{}).Where("id = ?", id).Updates(cols).Error
	}
	unique := []struct {
		col   string
		taken func(string) error
	}{{"username", errUsernameTaken}, {"email", errEmailTaken}}
	for _, u := range unique {
		v, ok := cols[u.col].(string)
		if !ok {
			continue
		}
		delete(cols, u.col)
		if err := update(map[string]any{u.col: v}); errors.Is(err, gorm.ErrDuplicatedKey) {
			return u.taken(v)
		} else if err != nil {
			return fmt.Errorf("update user %s: %w", u.col, err)
		}
	}
	if err := update(cols); err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	return nil
}

// setUserSortKeys sets the key the ticket list sorts the user's tickets by
// creator and by assignee.
func setUserSortKeys(ctx context.Context, tx *gorm.DB, id int64, key []byte) error {
	for _, c := range []struct{ key, id string }{{"starter_key", "started_id"}, {"assignee_key", "assigned_id"}} {
		err := tx.WithContext(ctx).Model(&Ticket{}).Where(c.id+" = ?", id).UpdateColumn(c.key, key).Error
		if err != nil {
			return fmt.Errorf("update tickets' %s: %w", c.key, err)
		}
	}
	return nil
}

// DeleteUser removes an account. Its tickets, replies, uploads and log
// entries stay with a null author (ON DELETE SET NULL); its subscriptions,
// tokens and memberships go with it (CASCADE). Other users' counters do not
// change: their posts and assignments are untouched. It returns the deleted
// row, so the caller can remove the avatar file once committed.
func DeleteUser(ctx context.Context, t *Tx, actor *User, id int64) (*User, error) {
	var u User
	tx := t.DB.WithContext(ctx)
	if err := tx.First(&u, id).Error; err != nil {
		return nil, notFound(err, "find user")
	}
	if err := u.CanDelete(actor); err != nil {
		return nil, err
	}
	// The foreign keys clear the ticket's user ids; their keys go too
	// (no user sorts first, as an empty name).
	if err := setUserSortKeys(ctx, tx, id, []byte{}); err != nil {
		return nil, err
	}
	if err := tx.Delete(&User{}, id).Error; err != nil {
		return nil, fmt.Errorf("delete user: %w", err)
	}
	return &u, nil
}
