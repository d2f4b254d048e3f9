package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SavedView is a named set of the ticket list's filters (issue 13 §4d):
// private to its owner, or shared with everyone by an administrator.
type SavedView struct {
	ID        int64
	UserID    int64
	Name      string
	Query     string // the list's query string, normalised (url.Values.Encode)
	Shared    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName pins the table name.
func (SavedView) TableName() string { return "saved_views" }

// SavedViewView is a view with its owner's names.
type SavedViewView struct {
	SavedView
	OwnerUsername *string
	OwnerName     *string
}

// CanEdit tells whether u may change or delete the view: its owner while
// it is private; an administrator when it is shared.
func (v *SavedView) CanEdit(u *User) bool {
	if v.Shared {
		return u.Can().ManageConfig
	}
	return v.UserID == u.ID
}

// visibleTo is the views u sees: their own and the shared ones.
func visibleTo(db *gorm.DB, u *User) *gorm.DB {
	return db.Where("saved_views.user_id = ? OR saved_views.shared = ?", u.ID, true)
}

func savedViewViews(ctx context.Context, db *gorm.DB) *gorm.DB {
	return db.WithContext(ctx).Table("saved_views").
		Select("saved_views.*, owner.username AS owner_username, owner.name AS owner_name").
		Joins("LEFT JOIN users owner ON owner.id = saved_views.user_id")
}

// ListSavedViews is a page of the views u sees: shared ones first, then
// their own, each by name.
func ListSavedViews(ctx context.Context, db *gorm.DB, u *User, offset, limit int) ([]SavedViewView, int64, error) {
	var total int64
	if err := visibleTo(db.WithContext(ctx).Model(&SavedView{}), u).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count saved views: %w", err)
	}
	var out []SavedViewView
	err := visibleTo(savedViewViews(ctx, db), u).
		Order("saved_views.shared DESC, saved_views.name, saved_views.id").Offset(offset).Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, 0, fmt.Errorf("list saved views: %w", err)
	}
	return out, total, nil
}

// FindSavedView loads a view u sees (another's private one is ErrNotFound).
func FindSavedView(ctx context.Context, db *gorm.DB, u *User, id int64) (*SavedViewView, error) {
	var out []SavedViewView
	if err := visibleTo(savedViewViews(ctx, db).Where("saved_views.id = ?", id), u).Limit(1).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("find saved view: %w", err)
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return &out[0], nil
}

// SavedViewInput is a view's fields as given (nil: unchanged, on update).
type SavedViewInput struct {
	Name   *string
	Query  *string
	Shared *bool
}

// checkShared refuses sharing by a user who is not an administrator.
func checkShared(u *User, shared *bool) error {
	if shared != nil && *shared && !u.Can().ManageConfig {
		return Forbidden("Only administrators may share a view with everyone.")
	}
	return nil
}

// checkName refuses a name the owner already gave another of their views,
// or a shared one already has (everyone sees those beside theirs).
func checkName(ctx context.Context, db *gorm.DB, v *SavedView) error {
	var n int64
	q := db.WithContext(ctx).Model(&SavedView{}).Where("name = ? AND id <> ?", v.Name, v.ID)
	if v.Shared {
		q = q.Where("shared = ? OR user_id = ?", true, v.UserID)
	} else {
		q = q.Where("user_id = ? OR shared = ?", v.UserID, true)
	}
	if err := q.Count(&n).Error; err != nil {
		return fmt.Errorf("check view name: %w", err)
	}
	if n > 0 {
		return WithParams(Conflict("view.duplicate", "name", "A view named %q already exists.", v.Name), map[string]any{"name": v.Name})
	}
	return nil
}

// CreateSavedView saves a view of u's (shared only by an administrator).
func CreateSavedView(ctx context.Context, tx *Tx, u *User, in SavedViewInput) (*SavedView, error) {
	if err := checkShared(u, in.Shared); err != nil {
		return nil, err
	}
	v := &SavedView{UserID: u.ID, Name: *in.Name, Query: *in.Query, CreatedAt: tx.Now, UpdatedAt: tx.Now}
	if in.Shared != nil {
		v.Shared = *in.Shared
	}
	if err := checkName(ctx, tx.DB, v); err != nil {
		return nil, err
	}
	if err := tx.DB.WithContext(ctx).Create(v).Error; err != nil {
		return nil, fmt.Errorf("create saved view: %w", err)
	}
	return v, nil
}

// lockSavedView loads a view u sees, for a change u may make.
func lockSavedView(ctx context.Context, tx *Tx, u *User, id int64) (*SavedView, error) {
	var v SavedView
	err := visibleTo(forUpdate(tx.DB.WithContext(ctx)), u).Where("saved_views.id = ?", id).First(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lock saved view: %w", err)
	}
	if !v.CanEdit(u) {
		return nil, Forbidden("Only administrators may change a shared view.")
	}
	return &v, nil
}

// UpdateSavedView changes a view (see SavedView.CanEdit).
func UpdateSavedView(ctx context.Context, tx *Tx, u *User, id int64, in SavedViewInput) error {
	v, err := lockSavedView(ctx, tx, u, id)
	if err != nil {
		return err
	}
	if err := checkShared(u, in.Shared); err != nil {
		return err
	}
	if in.Name != nil {
		v.Name = *in.Name
	}
	if in.Query != nil {
		v.Query = *in.Query
	}
	if in.Shared != nil {
		v.Shared = *in.Shared
	}
	if err := checkName(ctx, tx.DB, v); err != nil {
		return err
	}
	v.UpdatedAt = tx.Now
	err = tx.DB.WithContext(ctx).Model(&SavedView{}).Where("id = ?", id).
		Updates(map[string]any{"name": v.Name, "query": v.Query, "shared": v.Shared, "updated_at": v.UpdatedAt}).Error
	if err != nil {
		return fmt.Errorf("update saved view: %w", err)
	}
	return nil
}

// DeleteSavedView removes a view (see SavedView.CanEdit).
func DeleteSavedView(ctx context.Context, tx *Tx, u *User, id int64) error {
	if _, err := lockSavedView(ctx, tx, u, id); err != nil {
		return err
	}
	if err := tx.DB.WithContext(ctx).Delete(&SavedView{}, id).Error; err != nil {
		return fmt.Errorf("delete saved view: %w", err)
	}
	return nil
}
