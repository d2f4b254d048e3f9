package model

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Department groups categories (features §1.5).
type Department struct {
	ID         int64
	Department string
}

// TableName pins the table name.
func (Department) TableName() string { return "departments" }

// FindDepartment loads one department.
func FindDepartment(ctx context.Context, db *gorm.DB, id int64) (*Department, error) {
	var d Department
	if err := db.WithContext(ctx).First(&d, id).Error; err != nil {
		return nil, notFound(err, "find department")
	}
	return &d, nil
}

// ListDepartments returns one page of departments ordered by name (any
// letter case), and the total.
func ListDepartments(ctx context.Context, db *gorm.DB, offset, limit int) ([]Department, int64, error) {
	return listPage[Department](ctx, db, "LOWER(department), id", offset, limit)
}

// CategoriesOf returns the categories of the given departments, by name, in
// one query (a list page asks once, not once per department).
func CategoriesOf(ctx context.Context, db *gorm.DB, departmentIDs ...int64) (map[int64][]Category, error) {
	out := make(map[int64][]Category, len(departmentIDs))
	if len(departmentIDs) == 0 {
		return out, nil
	}
	var cats []Category
	err := db.WithContext(ctx).Where("department_id IN ?", departmentIDs).
		Order("LOWER(category), id").Find(&cats).Error
	if err != nil {
		return nil, fmt.Errorf("load categories of departments: %w", err)
	}
	for _, c := range cats {
		out[c.DepartmentID] = append(out[c.DepartmentID], c)
	}
	return out, nil
}

// departmentNameTaken tells whether another department has this name in any
// letter case (the unique index only catches exact duplicates on SQLite and
// PostgreSQL).
func departmentNameTaken(ctx context.Context, db *gorm.DB, name string, exceptID int64) error {
	var n int64
	err := db.WithContext(ctx).Model(&Department{}).
		Where("LOWER(department) = ? AND id <> ?", strings.ToLower(name), exceptID).Count(&n).Error
	if err != nil {
		return fmt.Errorf("check department name: %w", err)
	}
	if n > 0 {
		return errDuplicateDepartment(name)
	}
	return nil
}

func errDuplicateDepartment(name string) error {
	return WithParams(Conflict("department.duplicate", "department", "A department named %q already exists.", name),
		map[string]any{"name": name})
}

// CreateDepartment adds a department; a name already used (in any letter
// case) is a conflict on the field "department".
func CreateDepartment(ctx context.Context, w *Writer, name string) (*Department, error) {
	d := &Department{Department: name}
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB
		if err := departmentNameTaken(ctx, tx, name, 0); err != nil {
			return err
		}
		return tx.Create(d).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, errDuplicateDepartment(name)
	}
	if err != nil {
		return nil, fmt.Errorf("create department: %w", err)
	}
	return d, nil
}

// RenameDepartment renames a department, with the same rules as creating one.
func RenameDepartment(ctx context.Context, w *Writer, id int64, name string) (*Department, error) {
	var d *Department
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB
		var err error
		if d, err = FindDepartment(ctx, tx, id); err != nil {
			return err
		}
		if err := departmentNameTaken(ctx, tx, name, id); err != nil {
			return err
		}
		d.Department = name
		if err := tx.Model(d).Update("department", name).Error; err != nil {
			return err
		}
		return setCategorySortKeys(ctx, tx, "department_id = ?", id)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, errDuplicateDepartment(name)
	}
	if err != nil {
		return nil, fmt.Errorf("rename department: %w", err)
	}
	return d, nil
}

// DeleteDepartment removes a department that has no categories left
// (features §3.13); one that still has some is a conflict.
func DeleteDepartment(ctx context.Context, w *Writer, id int64) error {
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB
		if _, err := FindDepartment(ctx, tx, id); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Category{}).Where("department_id = ?", id).Count(&n).Error; err != nil {
			return fmt.Errorf("count categories: %w", err)
		}
		if n > 0 {
			return Conflict("department.in_use", "",
				"The department still has %d categories; delete or move them first.", n)
		}
		return tx.Delete(&Department{}, id).Error
	})
	if IsForeignKeyViolation(err) {
		// A category was added meanwhile; the RESTRICT key refused the delete.
		return Conflict("department.in_use", "", "The department still has categories; delete or move them first.")
	}
	if err != nil {
		return fmt.Errorf("delete department: %w", err)
	}
	return nil
}
