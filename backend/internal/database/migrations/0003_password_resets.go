package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0003PasswordReset is one password-reset link. Only the SHA-256 of the
// token is stored, so a copy of the database does not hand out resets.
type m0003PasswordReset struct {
	ID        int64      `gorm:"primaryKey;autoIncrement"`
	UserID    int64      `gorm:"not null;index:idx_password_resets_user_id"`
	TokenHash string     `gorm:"size:64;not null;uniqueIndex:uq_password_resets_token_hash"`
	CreatedAt time.Time  `gorm:"not null"`
	ExpiresAt time.Time  `gorm:"not null;index:idx_password_resets_expires_at"`
	UsedAt    *time.Time `gorm:""`
	User      *m0001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

func (m0003PasswordReset) TableName() string { return "password_resets" }

func m0003PasswordResets() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0003_password_resets",
		Migrate: func(tx *gorm.DB) error {
			return createTables(tx, &m0003PasswordReset{})
		},
		Rollback: func(tx *gorm.DB) error {
			return dropTables(tx, &m0003PasswordReset{})
		},
	}
}
