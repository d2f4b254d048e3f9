package model

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/sortkey"
)

// Category belongs to a department; tickets are filed under a category
// (features §1.6).
type Category struct {
	ID           int64
	Category     string
	DepartmentID int64
}

// TableName pins the table name.
func (Category) TableName() string { return "categories" }

// FindCategory loads one category.
func FindCategory(ctx context.Context, db *gorm.DB, id int64) (*Category, error) {
	var c Category
	if err := db.WithContext(ctx).First(&c, id).Error; err != nil {
		return nil, notFound(err, "find category")
	}
	return &c, nil
}

// CategoryFilter narrows ListCategories.
type CategoryFilter struct {
	// DepartmentID keeps one department (0: all).
	DepartmentID int64
	// Department keeps the department with this name, in any letter case.
	Department string
}

// ListCategories returns one page of categories with their department,
// ordered by category name, and the total.
func ListCategories(ctx context.Context, db *gorm.DB, f CategoryFilter, offset, limit int) ([]DepartmentCategory, int64, error) {
	filtered := func() *gorm.DB {
		return filterDepartment(departmentCategories(ctx, db), f.DepartmentID, f.Department)
	}
	return pageOfDepartmentCategories(filtered, "LOWER(categories.category), categories.id", offset, limit)
}

// checkCategory refuses an unknown department (a 422 on department_id, where
// the original crashed) and a name already used in that department in any
// letter case.
func checkCategory(ctx context.Context, tx *gorm.DB, name string, departmentID, exceptID int64) error {
	if _, err := FindDepartment(ctx, tx, departmentID); errors.Is(err, ErrNotFound) {
		return Invalid("department_id", "not_found", "department_id %d names no department.", departmentID)
	} else if err != nil {
		return err
	}
	var n int64
	err := tx.WithContext(ctx).Model(&Category{}).
		Where("department_id = ? AND LOWER(category) = ? AND id <> ?", departmentID, strings.ToLower(name), exceptID).
		Count(&n).Error
	if err != nil {
		return fmt.Errorf("check category name: %w", err)
	}
	if n > 0 {
		return errDuplicateCategory(name)
	}
	return nil
}

func errDuplicateCategory(name string) error {
	return WithParams(Conflict("category.duplicate", "category", "The department already has a category named %q.", name),
		map[string]any{"name": name})
}

// CreateCategory adds a category to a department.
func CreateCategory(ctx context.Context, w *Writer, name string, departmentID int64) (*Category, error) {
	c := &Category{Category: name, DepartmentID: departmentID}
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB
		if err := checkCategory(ctx, tx, name, departmentID, 0); err != nil {
			return err
		}
		return tx.Create(c).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, errDuplicateCategory(name)
	}
	if err != nil {
		return nil, fmt.Errorf("create category: %w", err)
	}
	return c, nil
}

// CategoryUpdate lists the changes to a category; nil leaves a field alone.
type CategoryUpdate struct {
	Category     *string
	DepartmentID *int64
}

// UpdateCategory renames a category and/or moves it (with its tickets) to
// another department.
func UpdateCategory(ctx context.Context, w *Writer, id int64, upd CategoryUpdate) (*Category, error) {
	var c *Category
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB
		var err error
		if c, err = FindCategory(ctx, tx, id); err != nil {
			return err
		}
		if upd.Category != nil {
			c.Category = *upd.Category
		}
		if upd.DepartmentID != nil {
			c.DepartmentID = *upd.DepartmentID
		}
		if err := checkCategory(ctx, tx, c.Category, c.DepartmentID, c.ID); err != nil {
			return err
		}
		if err := tx.Model(c).Select("category", "department_id").Updates(c).Error; err != nil {
			return err
		}
		return setCategorySortKeys(ctx, tx, "id = ?", c.ID)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, errDuplicateCategory(c.Category)
	}
	if err != nil {
		return nil, fmt.Errorf("update category: %w", err)
	}
	return c, nil
}

// setCategorySortKeys copies the department and the sort key of the
// categories the condition selects onto their tickets.
func setCategorySortKeys(ctx context.Context, tx *gorm.DB, cond string, arg any) error {
	var ids []int64
	if err := tx.WithContext(ctx).Model(&Category{}).Where(cond, arg).Order("id").Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("list categories: %w", err)
	}
	k := sortkey.New()
	for _, id := range ids {
		c, err := findCategoryLabel(ctx, tx, id)
		if err != nil {
			return err
		}
		err = tx.WithContext(ctx).Model(&Ticket{}).Where("category_id = ?", id).
			UpdateColumns(map[string]any{"department_id": c.DepartmentID, "dept_cat_key": c.sortKey(k)}).Error
		if err != nil {
			return fmt.Errorf("update tickets of category %d: %w", id, err)
		}
	}
	return nil
}

// DeleteCategory removes a category no ticket uses (features §3.13), with
// its ticket counters.
func DeleteCategory(ctx context.Context, w *Writer, id int64) error {
	inUse := Conflict("category.in_use", "", "Tickets are filed under this category; move or delete them first.")
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB
		if _, err := FindCategory(ctx, tx, id); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Ticket{}).Where("category_id = ?", id).Count(&n).Error; err != nil {
			return fmt.Errorf("count tickets: %w", err)
		}
		if n > 0 {
			return inUse
		}
		if err := tx.Where("category_id = ?", id).Delete(&TicketCount{}).Error; err != nil {
			return fmt.Errorf("delete ticket counts: %w", err)
		}
		return tx.Delete(&Category{}, id).Error
	})
	if IsForeignKeyViolation(err) {
		// A ticket was filed meanwhile; the RESTRICT key refused the delete.
		return inUse
	}
	if err != nil {
		return fmt.Errorf("delete category: %w", err)
	}
	return nil
}
