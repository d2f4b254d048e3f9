package model

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// departmentCategorySep joins a department and a category in their display
// name, "Design / Dataset".
const departmentCategorySep = " / "

// maxDepartmentCategoryRunes is the longest possible display name: both
// columns hold at most 30 characters.
const maxDepartmentCategoryRunes = 30 + len(departmentCategorySep) + 30

// DepartmentCategory is a category with its department (features §1.13): the
// original's read-only view, also the row behind the category resource.
type DepartmentCategory struct {
	CategoryID   int64
	Category     string
	DepartmentID int64
	Department   string
}

// Name is the display name "Department / Category". It is built here, not
// with SQL concat(), which the original relied on and which older SQLite
// lacks.
func (dc DepartmentCategory) Name() string {
	return dc.Department + departmentCategorySep + dc.Category
}

// departmentCategories is categories joined with their departments, with no
// columns chosen yet (so it can be counted).
func departmentCategories(ctx context.Context, db *gorm.DB) *gorm.DB {
	return db.WithContext(ctx).Table("categories").
		Joins("JOIN departments ON departments.id = categories.department_id")
}

const departmentCategoryColumns = "categories.id AS category_id, categories.category, categories.department_id, departments.department"

// FindDepartmentCategory loads a category with its department.
func FindDepartmentCategory(ctx context.Context, db *gorm.DB, categoryID int64) (*DepartmentCategory, error) {
	var dc DepartmentCategory
	err := departmentCategories(ctx, db).Select(departmentCategoryColumns).
		Where("categories.id = ?", categoryID).Take(&dc).Error
	if err != nil {
		return nil, notFound(err, "find department category")
	}
	return &dc, nil
}

// DepartmentCategoryFilter narrows ListDepartmentCategories.
type DepartmentCategoryFilter struct {
	// Term is a case-insensitive substring of "Department / Category".
	Term string
	// DepartmentID keeps one department (0: all).
	DepartmentID int64
	// Department keeps the department with this name, in any letter case.
	Department string
}

// ListDepartmentCategories returns one page ordered by department then
// category, and the total.
func ListDepartmentCategories(ctx context.Context, db *gorm.DB, f DepartmentCategoryFilter, offset, limit int) ([]DepartmentCategory, int64, error) {
	filtered := func() *gorm.DB {
		q := departmentCategories(ctx, db)
		if f.Term != "" {
			cond, args := nameContains(f.Term)
			q = q.Where(cond, args...)
		}
		return filterDepartment(q, f.DepartmentID, f.Department)
	}
	return pageOfDepartmentCategories(filtered,
		"LOWER(departments.department), LOWER(categories.category), categories.id", offset, limit)
}

// filterDepartment applies the department_id and department filters shared
// by the category lists.
func filterDepartment(q *gorm.DB, id int64, name string) *gorm.DB {
	if id != 0 {
		q = q.Where("categories.department_id = ?", id)
	}
	if name != "" {
		q = q.Where("LOWER(departments.department) = ?", strings.ToLower(name))
	}
	return q
}

// pageOfDepartmentCategories counts and reads one page of a filtered join;
// filtered builds a fresh query each time so the count does not leak into
// the select.
func pageOfDepartmentCategories(filtered func() *gorm.DB, order string, offset, limit int) ([]DepartmentCategory, int64, error) {
	var total int64
	if err := filtered().Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count categories: %w", err)
	}
	items := []DepartmentCategory{}
	if total > int64(offset) {
		err := filtered().Select(departmentCategoryColumns).Order(order).Offset(offset).Limit(limit).Scan(&items).Error
		if err != nil {
			return nil, 0, fmt.Errorf("list categories: %w", err)
		}
	}
	return items, total, nil
}

// nameContains is a portable WHERE clause for "term is a substring of
// department + ' / ' + category", ignoring case, without SQL string
// concatenation (concat() and || differ between the three databases). An
// occurrence lies in the department, in the category, or across the
// separator: then its head is a suffix of the department, its middle matches
// the separator and its tail is a prefix of the category. Each alignment
// across the separator is checked here and becomes one LIKE pair.
func nameContains(term string) (string, []any) {
	t := strings.ToLower(term)
	if utf8.RuneCountInString(t) > maxDepartmentCategoryRunes {
		return "1 = 0", nil
	}
	conds := []string{
		"LOWER(departments.department) LIKE ? ESCAPE '!'",
		"LOWER(categories.category) LIKE ? ESCAPE '!'",
	}
	args := []any{LikePattern(t), LikePattern(t)}
	sep := departmentCategorySep
	n := len(t)
	// s is where the occurrence starts relative to the separator's first
	// byte; every s in this range overlaps the separator.
	for s := -(n - 1); s < len(sep); s++ {
		end := s + n
		match := true
		for i := max(0, s); i < min(len(sep), end); i++ {
			if t[i-s] != sep[i] {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		var parts []string
		if s < 0 {
			parts = append(parts, "LOWER(departments.department) LIKE ? ESCAPE '!'")
			args = append(args, "%"+likeEscape(t[:-s]))
		}
		if end > len(sep) {
			parts = append(parts, "LOWER(categories.category) LIKE ? ESCAPE '!'")
			args = append(args, likeEscape(t[len(sep)-s:])+"%")
		}
		if len(parts) == 0 {
			// The term lies inside the separator: every row matches.
			return "1 = 1", nil
		}
		conds = append(conds, "("+strings.Join(parts, " AND ")+")")
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// likeEscape escapes LIKE wildcards with '!' (see LikePattern).
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}
