package model

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// ExportedUser is one entry of `flicket users export`, in the original's
// users.json format.
type ExportedUser struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"` // the bcrypt hash
}

// ExportUsers returns every user, by id, in the export format.
func ExportUsers(ctx context.Context, db *gorm.DB) ([]ExportedUser, error) {
	out := []ExportedUser{}
	err := db.WithContext(ctx).Model(&User{}).Select("username, name, email, password").Order("id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("export users: %w", err)
	}
	return out, nil
}

// TakenLogins returns which of the e-mails and (lower-cased) usernames
// already belong to users.
func TakenLogins(ctx context.Context, db *gorm.DB, emails, usernames []string) (map[string]bool, map[string]bool, error) {
	takenEmails, takenNames := map[string]bool{}, map[string]bool{}
	for start := 0; start < max(len(emails), len(usernames)); start += 500 {
		var found []string
		if start < len(emails) {
			chunk := emails[start:min(start+500, len(emails))]
			if err := db.WithContext(ctx).Model(&User{}).Where("email IN ?", chunk).Pluck("email", &found).Error; err != nil {
				return nil, nil, fmt.Errorf("check e-mails: %w", err)
			}
			for _, e := range found {
				takenEmails[NormalizeEmail(e)] = true
			}
		}
		if start < len(usernames) {
			found = nil
			chunk := usernames[start:min(start+500, len(usernames))]
			if err := db.WithContext(ctx).Model(&User{}).Where("LOWER(username) IN ?", chunk).Pluck("username", &found).Error; err != nil {
				return nil, nil, fmt.Errorf("check usernames: %w", err)
			}
			for _, u := range found {
				takenNames[strings.ToLower(u)] = true
			}
		}
	}
	return takenEmails, takenNames, nil
}

// CreateUsers inserts the users in one transaction: all of them or none.
func CreateUsers(ctx context.Context, db *gorm.DB, users []User) error {
	if len(users) == 0 {
		return nil
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return tx.CreateInBatches(users, 100).Error
	})
	if err != nil {
		return fmt.Errorf("import users: %w", err)
	}
	return nil
}
