package migrations

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// Attachment names lose their bidirectional controls (U+202E and the like),
// which made "x\u202Egnp.txt" display as "xtxt.png". New uploads are cleaned
// as they arrive; this cleans the names stored before. Nothing to undo.
func m0015UploadNamesWithoutBidi() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0015_upload_names_without_bidi",
		Migrate: func(tx *gorm.DB) error {
			type row struct {
				ID               int64
				OriginalFilename string
			}
			var lastID int64
			for {
				var rows []row
				if err := tx.Table("uploads").Select("id, original_filename").Where("id > ?", lastID).
					Order("id").Limit(1000).Find(&rows).Error; err != nil {
					return fmt.Errorf("read upload names: %w", err)
				}
				for _, r := range rows {
					clean := strings.TrimSpace(strings.Map(func(c rune) rune {
						if unicode.Is(unicode.Bidi_Control, c) {
							return -1
						}
						return c
					}, r.OriginalFilename))
					if clean == "" {
						clean = "file"
					}
					if clean != r.OriginalFilename {
						if err := tx.Table("uploads").Where("id = ?", r.ID).Update("original_filename", clean).Error; err != nil {
							return fmt.Errorf("clean upload %d's name: %w", r.ID, err)
						}
					}
				}
				if len(rows) < 1000 {
					return nil
				}
				lastID = rows[len(rows)-1].ID
			}
		},
		Rollback: func(*gorm.DB) error { return nil },
	}
}
