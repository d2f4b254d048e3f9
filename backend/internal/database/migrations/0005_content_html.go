package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// Rendered markdown is stored beside its source, written with it, so lists
// do not run the renderer and sanitiser for every row on every request.
// NULL means "not rendered yet": readers render on the fly.

func m0005ContentHTML() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0005_content_html",
		Migrate: func(tx *gorm.DB) error {
			// HTML of a 5000-character body can outgrow MySQL's 64 KB TEXT.
			typ := "text"
			if tx.Name() == "mysql" {
				typ = "mediumtext"
			}
			for _, table := range []string{"tickets", "posts"} {
				if err := tx.Exec(fmt.Sprintf("ALTER TABLE %s ADD COLUMN content_html %s NULL", table, typ)).Error; err != nil {
					return fmt.Errorf("add %s.content_html: %w", table, err)
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, table := range []string{"posts", "tickets"} {
				if err := tx.Exec(fmt.Sprintf("ALTER TABLE %s DROP COLUMN content_html", table)).Error; err != nil {
					return fmt.Errorf("drop %s.content_html: %w", table, err)
				}
			}
			return nil
		},
	}
}
