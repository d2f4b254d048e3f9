package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PasswordReset is one single-use password-reset link. Only the SHA-256 of
// its token is stored (features §8.1 S5: the original reset passwords without
// any confirmation).
type PasswordReset struct {
	ID        int64
	UserID    int64
	TokenHash string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// TableName pins the table name.
func (PasswordReset) TableName() string { return "password_resets" }

// CreatePasswordReset stores a reset and forgets resets that expired a day
// ago, so the table stays small.
func CreatePasswordReset(ctx context.Context, tx *gorm.DB, r *PasswordReset) error {
	if err := tx.WithContext(ctx).Where("expires_at < ?", r.CreatedAt.Add(-24*time.Hour)).Delete(&PasswordReset{}).Error; err != nil {
		return fmt.Errorf("prune password resets: %w", err)
	}
	if err := tx.WithContext(ctx).Create(r).Error; err != nil {
		return fmt.Errorf("store password reset: %w", err)
	}
	return nil
}

// FindPasswordReset returns the live (unused, unexpired) reset with this
// token hash, or ErrNotFound. It does not use it up: the confirmation checks
// the token with it before spending a bcrypt hash on the new password.
func FindPasswordReset(ctx context.Context, db *gorm.DB, tokenHash string, now time.Time) (*PasswordReset, error) {
	var r PasswordReset
	err := db.WithContext(ctx).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", tokenHash, now).Take(&r).Error
	if err != nil {
		return nil, notFound(err, "find password reset")
	}
	return &r, nil
}

// UsePasswordReset marks the reset with this token hash used and returns it.
// An unknown, used or expired token is ErrNotFound. The conditional UPDATE
// makes a token usable once even under concurrent requests.
func UsePasswordReset(ctx context.Context, tx *gorm.DB, tokenHash string, now time.Time) (*PasswordReset, error) {
	res := tx.WithContext(ctx).Model(&PasswordReset{}).
		Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", tokenHash, now).
		Update("used_at", now)
	if res.Error != nil {
		return nil, fmt.Errorf("use password reset: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, ErrNotFound
	}
	var r PasswordReset
	if err := tx.WithContext(ctx).Where("token_hash = ?", tokenHash).Take(&r).Error; err != nil {
		return nil, notFound(err, "load password reset")
	}
	return &r, nil
}

// SetPasswordAfterReset stores the new hash through UpdateUser: the user's
// other reset links are voided and every API token revoked, so whoever held
// the old password (or a token got with it) is locked out.
func SetPasswordAfterReset(ctx context.Context, tx *Tx, userID int64, hash string) error {
	_, err := UpdateUser(ctx, tx, userID, UserUpdate{PasswordHash: &hash})
	return err
}

// VoidPasswordResets uses up every pending reset link of the user. It runs
// whenever the password or the e-mail address changes: a link mailed
// before (perhaps to an address the user no longer controls) must not
// take the account afterwards.
func VoidPasswordResets(ctx context.Context, tx *gorm.DB, userID int64, now time.Time) error {
	err := tx.WithContext(ctx).Model(&PasswordReset{}).
		Where("user_id = ? AND used_at IS NULL", userID).Update("used_at", now).Error
	if err != nil {
		return fmt.Errorf("void password resets: %w", err)
	}
	return nil
}
