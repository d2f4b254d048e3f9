// Package setup seeds a new Flicket database: statuses, priorities, the two
// role groups, the config row, the first administrator and sample
// departments. Running it again changes nothing that exists.
package setup

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
)

// Options are the inputs of a setup run.
type Options struct {
	AdminUsername string
	AdminPassword string
	AdminEmail    string
	// BaseURL is stored in the config row; when the row exists it is only
	// changed if BaseURL is not empty.
	BaseURL string
	// SampleDepartments seeds the original's departments and categories on a
	// database that has none.
	SampleDepartments bool
}

// Result says what the run created.
type Result struct {
	AdminCreated     bool
	AdminID          int64
	SettingsCreated  bool
	DepartmentsAdded int
}

// Statuses and priorities with their fixed ids (features §1.15).
var (
	seedStatuses = []model.Status{
		{ID: model.StatusOpen, Status: "Open"},
		{ID: model.StatusClosed, Status: "Closed"},
		{ID: model.StatusInWork, Status: "In Work"},
		{ID: model.StatusAwaitingInformation, Status: "Awaiting Information"},
	}
	seedPriorities = []model.Priority{
		{ID: model.PriorityLow, Priority: "low"},
		{ID: model.PriorityMedium, Priority: "medium"},
		{ID: model.PriorityHigh, Priority: "high"},
	}
)

// SampleDepartments are the original's seeded departments. Unlike the
// original, every department gets its "Other" category.
var SampleDepartments = []struct {
	Name       string
	Categories []string
}{
	{"Design", []string{"Dataset", "ECN", "ECR", "Other"}},
	{"Manufacturing", []string{"Process Planning", "Tooling", "Equipment", "Other"}},
	{"IT", []string{"Internet", "Intranet", "Other"}},
	{"Quality", []string{"Procedures", "Manuals", "Other"}},
	{"Human Resources", []string{"Holidays", "Sick Leave", "Other"}},
	{"Commercial", []string{"Approved Suppliers", "Other"}},
}

// Validate checks the admin fields before anything is written.
func (o Options) Validate() error {
	n := len([]rune(o.AdminUsername))
	switch {
	case n < 3 || n > 24:
		return errors.New("admin username must be 3 to 24 characters long")
	case strings.ContainsAny(o.AdminUsername, " @/\\"):
		return errors.New("admin username must not contain spaces, @ or slashes")
	case len(o.AdminPassword) < 8:
		return errors.New("admin password must be at least 8 characters long")
	case len(o.AdminPassword) > auth.MaxPasswordBytes:
		return errors.New("admin password must be at most 72 bytes long")
	case !strings.Contains(o.AdminEmail, "@") || len(o.AdminEmail) > 60:
		return errors.New("admin e-mail must be an e-mail address of at most 60 characters")
	}
	return nil
}

// Run seeds the database in one transaction.
func Run(ctx context.Context, db *gorm.DB, hasher *auth.Hasher, o Options) (Result, error) {
	var res Result
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := seedIDs(tx, "statuses", seedStatuses); err != nil {
			return err
		}
		if err := seedIDs(tx, "priorities", seedPriorities); err != nil {
			return err
		}
		adminGroup, err := ensureGroup(ctx, tx, model.AdminGroup)
		if err != nil {
			return err
		}
		if _, err := ensureGroup(ctx, tx, model.SuperUserGroup); err != nil {
			return err
		}
		if err := ensureSettings(ctx, tx, o.BaseURL, &res); err != nil {
			return err
		}
		if err := ensureAdmin(ctx, tx, hasher, o, adminGroup.ID, &res); err != nil {
			return err
		}
		if o.SampleDepartments {
			return seedDepartments(ctx, tx, &res)
		}
		return nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("setup: %w", err)
	}
	return res, nil
}

// IsSetUp tells whether setup has run (the config row exists).
func IsSetUp(ctx context.Context, db *gorm.DB) (bool, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&model.Settings{}).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check setup: %w", err)
	}
	return n > 0, nil
}

// seedIDs inserts rows with fixed ids unless they exist, then moves
// PostgreSQL's id sequence past them.
func seedIDs[T any](tx *gorm.DB, table string, rows []T) error {
	// GORM writes ids back into what it inserts: work on a copy, not on the
	// package's seed lists (concurrent setups would race on them).
	rows = append([]T(nil), rows...)
	for i := range rows {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows[i]).Error; err != nil {
			return fmt.Errorf("seed %s: %w", table, err)
		}
	}
	if database.DialectOf(tx) == database.Postgres {
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", table, table)
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("reset %s sequence: %w", table, err)
		}
	}
	return nil
}

func ensureGroup(ctx context.Context, tx *gorm.DB, name string) (*model.Group, error) {
	g, err := model.FindGroupByName(ctx, tx, name)
	if err == nil {
		return g, nil
	}
	if !errors.Is(err, model.ErrNotFound) {
		return nil, err
	}
	g = &model.Group{GroupName: name}
	if err := tx.Create(g).Error; err != nil {
		return nil, fmt.Errorf("create group %s: %w", name, err)
	}
	return g, nil
}

func ensureSettings(ctx context.Context, tx *gorm.DB, baseURL string, res *Result) error {
	defaults := model.DefaultSettings(strings.TrimRight(baseURL, "/"))
	key, err := randomKey()
	if err != nil {
		return err
	}
	defaults.SecretKey = key
	s, created, err := model.EnsureSettings(ctx, tx, defaults)
	if err != nil {
		return err
	}
	res.SettingsCreated = created
	updates := map[string]any{}
	if !created && baseURL != "" && s.BaseURL != strings.TrimRight(baseURL, "/") {
		updates["base_url"] = strings.TrimRight(baseURL, "/")
	}
	if s.SecretKey == "" {
		updates["secret_key"] = key
	}
	if len(updates) > 0 {
		if err := tx.Model(&model.Settings{}).Where("id = ?", model.SettingsID).Updates(updates).Error; err != nil {
			return fmt.Errorf("update settings: %w", err)
		}
	}
	return nil
}

func ensureAdmin(ctx context.Context, tx *gorm.DB, hasher *auth.Hasher, o Options, groupID int64, res *Result) error {
	u, err := model.FindUserByUsername(ctx, tx, o.AdminUsername)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return err
	}
	if u == nil {
		if err := o.Validate(); err != nil {
			return err
		}
		hash, err := hasher.Hash(o.AdminPassword)
		if err != nil {
			return err
		}
		title := "admin"
		u = &model.User{
			Username: o.AdminUsername, Name: o.AdminUsername, Email: model.NormalizeEmail(o.AdminEmail),
			Password: hash, JobTitle: &title, Locale: "en", DateAdded: time.Now().UTC(),
		}
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return fmt.Errorf("another user already has the e-mail %s", o.AdminEmail)
			}
			return fmt.Errorf("create admin: %w", err)
		}
		res.AdminCreated = true
	}
	res.AdminID = u.ID
	return model.AddToGroup(ctx, tx, u.ID, groupID)
}

func seedDepartments(ctx context.Context, tx *gorm.DB, res *Result) error {
	var n int64
	if err := tx.WithContext(ctx).Model(&model.Department{}).Count(&n).Error; err != nil {
		return fmt.Errorf("count departments: %w", err)
	}
	if n > 0 {
		return nil
	}
	for _, d := range SampleDepartments {
		dep := model.Department{Department: d.Name}
		if err := tx.Create(&dep).Error; err != nil {
			return fmt.Errorf("create department %s: %w", d.Name, err)
		}
		for _, c := range d.Categories {
			if err := tx.Create(&model.Category{Category: c, DepartmentID: dep.ID}).Error; err != nil {
				return fmt.Errorf("create category %s/%s: %w", d.Name, c, err)
			}
		}
		res.DepartmentsAdded++
	}
	return nil
}

func randomKey() (string, error) {
	b := make([]byte, 48)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate secret key: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// RandomPassword makes a readable 16-character password for the first admin.
func RandomPassword() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
