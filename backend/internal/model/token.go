package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// APIToken is the server-side record of an issued bearer token. The JWT's id
// (jti) is the key, so a revocation is seen at once by every replica.
type APIToken struct {
	ID        string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

// TableName pins the table name.
func (APIToken) TableName() string { return "api_tokens" }

// CreateAPIToken stores a newly issued token.
func CreateAPIToken(ctx context.Context, db *gorm.DB, t *APIToken) error {
	if err := db.WithContext(ctx).Create(t).Error; err != nil {
		return fmt.Errorf("store token: %w", err)
	}
	return nil
}

// TokenOwner is a token row joined with its user and the user's roles,
// read in one query on every authenticated request.
type TokenOwner struct {
	User
	TokenExpiresAt time.Time
	TokenRevokedAt *time.Time
	TokenIsAdmin   bool
	TokenIsSuper   bool
}

// FindTokenOwner loads a token and its user. It returns ErrNotFound for an
// unknown id; expiry, revocation and disabled accounts are for the caller to
// judge, so it can say which one applies.
func FindTokenOwner(ctx context.Context, db *gorm.DB, id string) (*TokenOwner, error) {
	var o TokenOwner
	err := db.WithContext(ctx).Table("api_tokens").
		Select(`users.*, api_tokens.expires_at AS token_expires_at, api_tokens.revoked_at AS token_revoked_at,
			EXISTS (SELECT 1 FROM group_members gm JOIN user_groups g ON g.id = gm.group_id
			        WHERE gm.user_id = users.id AND g.group_name = ?) AS token_is_admin,
			EXISTS (SELECT 1 FROM group_members gm JOIN user_groups g ON g.id = gm.group_id
			        WHERE gm.user_id = users.id AND g.group_name = ?) AS token_is_super`, AdminGroup, SuperUserGroup).
		Joins("JOIN users ON users.id = api_tokens.user_id").
		Where("api_tokens.id = ?", id).
		Take(&o).Error
	if err != nil {
		return nil, notFound(err, "find token")
	}
	o.IsAdmin, o.IsSuperUser = o.TokenIsAdmin, o.TokenIsSuper
	return &o, nil
}

// RevokeAPIToken marks one token revoked.
func RevokeAPIToken(ctx context.Context, db *gorm.DB, id string, now time.Time) error {
	err := db.WithContext(ctx).Model(&APIToken{}).
		Where("id = ? AND revoked_at IS NULL", id).
		Update("revoked_at", now).Error
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	return nil
}

// RevokeUserTokens revokes every live token of a user but the one kept
// (pass "" to revoke them all), e.g. after a password change.
func RevokeUserTokens(ctx context.Context, db *gorm.DB, userID int64, keep string, now time.Time) error {
	q := db.WithContext(ctx).Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID)
	if keep != "" {
		q = q.Where("id <> ?", keep)
	}
	if err := q.Update("revoked_at", now).Error; err != nil {
		return fmt.Errorf("revoke user tokens: %w", err)
	}
	return nil
}

// PruneAPITokens deletes tokens that expired before the given time.
func PruneAPITokens(ctx context.Context, db *gorm.DB, before time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("expires_at < ?", before).Delete(&APIToken{})
	if res.Error != nil {
		return 0, fmt.Errorf("prune tokens: %w", res.Error)
	}
	return res.RowsAffected, nil
}
