package model

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// SetAvatar stores a user's new avatar file name (nil: the default picture)
// and returns the previous one, whose file the caller removes once the
// transaction has committed. The user row is locked so two concurrent
// changes cannot both see the same previous file and orphan one.
func SetAvatar(ctx context.Context, tx *gorm.DB, userID int64, name *string) (*string, error) {
	q := forUpdate(tx.WithContext(ctx))
	var u User
	if err := q.Select("id", "avatar").First(&u, userID).Error; err != nil {
		return nil, notFound(err, "lock user for avatar")
	}
	if err := tx.WithContext(ctx).Model(&User{}).Where("id = ?", userID).Update("avatar", name).Error; err != nil {
		return nil, fmt.Errorf("set avatar: %w", err)
	}
	return u.Avatar, nil
}
