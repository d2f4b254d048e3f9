package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0047SavedView is a named set of the ticket list's filters: its owner's
// alone, or shared with everyone (only administrators share). Query is the
// list's query string, as the web app puts it in the URL.
type m0047SavedView struct {
	ID        int64      `gorm:"primaryKey;autoIncrement"`
	UserID    int64      `gorm:"not null;index:idx_saved_views_user_id"`
	Name      string     `gorm:"size:60;not null"`
	Query     string     `gorm:"size:1000;not null"`
	Shared    bool       `gorm:"not null;default:false;index:idx_saved_views_shared"`
	CreatedAt time.Time  `gorm:"not null"`
	UpdatedAt time.Time  `gorm:"not null"`
	User      *m0001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

func (m0047SavedView) TableName() string { return "saved_views" }

func m0047SavedViews() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0047_saved_views",
		Migrate: func(tx *gorm.DB) error {
			return createTables(tx, &m0047SavedView{})
		},
		Rollback: func(tx *gorm.DB) error {
			return dropTables(tx, &m0047SavedView{})
		},
	}
}
