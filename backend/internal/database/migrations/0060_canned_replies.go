package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0060CannedReply is a snippet of reply text: its owner's alone, or shared
// with everyone (only administrators share).
type m0060CannedReply struct {
	ID        int64      `gorm:"primaryKey;autoIncrement"`
	UserID    int64      `gorm:"not null;index:idx_canned_replies_user_id"`
	Title     string     `gorm:"size:100;not null"`
	Content   string     `gorm:"type:text;not null"`
	Shared    bool       `gorm:"not null;default:false;index:idx_canned_replies_shared"`
	CreatedAt time.Time  `gorm:"not null"`
	UpdatedAt time.Time  `gorm:"not null"`
	User      *m0001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

func (m0060CannedReply) TableName() string { return "canned_replies" }

func m0060CannedReplies() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0060_canned_replies",
		Migrate: func(tx *gorm.DB) error {
			return createTables(tx, &m0060CannedReply{})
		},
		Rollback: func(tx *gorm.DB) error {
			return dropTables(tx, &m0060CannedReply{})
		},
	}
}
