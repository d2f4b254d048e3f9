package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0022IdempotencyKey is the first answer to a create sent with an
// Idempotency-Key header, kept a day so a retried request gets it again
// instead of creating a second record. The key is stored as its SHA-256, so
// every database compares it byte for byte (MariaDB's collation would fold
// case) and its length is fixed. StatusCode 0 marks a request in progress.
type m0022IdempotencyKey struct {
	ID          int64      `gorm:"primaryKey;autoIncrement"`
	UserID      int64      `gorm:"not null;uniqueIndex:uq_idempotency_keys_user_key,priority:1"`
	KeyHash     string     `gorm:"size:64;not null;uniqueIndex:uq_idempotency_keys_user_key,priority:2"`
	RequestHash string     `gorm:"size:64;not null"`
	StatusCode  int        `gorm:"not null;default:0"`
	ContentType string     `gorm:"size:255;not null;default:''"`
	Location    string     `gorm:"size:2048;not null;default:''"`
	Body        []byte     `gorm:""`
	CreatedAt   time.Time  `gorm:"not null;index:idx_idempotency_keys_created_at"`
	User        *m0001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

func (m0022IdempotencyKey) TableName() string { return "idempotency_keys" }

func m0022IdempotencyKeys() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0022_idempotency_keys",
		Migrate: func(tx *gorm.DB) error {
			return createTables(tx, &m0022IdempotencyKey{})
		},
		Rollback: func(tx *gorm.DB) error {
			return dropTables(tx, &m0022IdempotencyKey{})
		},
	}
}
