package model

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Group is a named set of users. Only flicket_admin and super_user carry
// permissions; other groups are labels.
type Group struct {
	ID        int64
	GroupName string
}

// TableName pins the table name.
func (Group) TableName() string { return "user_groups" }

// IsProtected is true for the groups that carry permissions: renaming or
// deleting them would silently take roles away.
func (g *Group) IsProtected() bool {
	return g.GroupName == AdminGroup || g.GroupName == SuperUserGroup
}

// CanChange refuses to rename or delete a protected group.
func (g *Group) CanChange() error {
	if g.IsProtected() {
		return Forbidden("The group %s carries permissions; it cannot be renamed or deleted.", g.GroupName)
	}
	return nil
}

// GroupMember links a user to a group.
type GroupMember struct {
	UserID  int64 `gorm:"primaryKey;autoIncrement:false"`
	GroupID int64 `gorm:"primaryKey;autoIncrement:false"`
}

// TableName pins the table name.
func (GroupMember) TableName() string { return "group_members" }

// GroupInfo is a group with its number of members.
type GroupInfo struct {
	Group
	Members int64
}

// groupInfos selects groups with their member counts.
func groupInfos(ctx context.Context, db *gorm.DB) *gorm.DB {
	return db.WithContext(ctx).Model(&Group{}).
		Select("user_groups.id, user_groups.group_name, " +
			"(SELECT COUNT(*) FROM group_members WHERE group_members.group_id = user_groups.id) AS members")
}

// FindGroup loads one group with its member count.
func FindGroup(ctx context.Context, db *gorm.DB, id int64) (*GroupInfo, error) {
	var g GroupInfo
	if err := groupInfos(ctx, db).Where("user_groups.id = ?", id).Take(&g).Error; err != nil {
		return nil, notFound(err, "find group")
	}
	return &g, nil
}

// ListGroups returns one page of groups ordered by name, with member counts,
// and the total.
func ListGroups(ctx context.Context, db *gorm.DB, offset, limit int) ([]GroupInfo, int64, error) {
	var total int64
	if err := db.WithContext(ctx).Model(&Group{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count groups: %w", err)
	}
	items := []GroupInfo{}
	if total > int64(offset) {
		err := groupInfos(ctx, db).Order("LOWER(user_groups.group_name), user_groups.id").
			Offset(offset).Limit(limit).Scan(&items).Error
		if err != nil {
			return nil, 0, fmt.Errorf("list groups: %w", err)
		}
	}
	return items, total, nil
}

// FindGroupByName loads a group by its exact name.
func FindGroupByName(ctx context.Context, db *gorm.DB, name string) (*Group, error) {
	var g Group
	if err := db.WithContext(ctx).Where("group_name = ?", name).First(&g).Error; err != nil {
		return nil, notFound(err, "find group")
	}
	return &g, nil
}

func groupNameTaken(ctx context.Context, db *gorm.DB, name string, exceptID int64) error {
	var n int64
	err := db.WithContext(ctx).Model(&Group{}).
		Where("LOWER(group_name) = ? AND id <> ?", strings.ToLower(name), exceptID).Count(&n).Error
	if err != nil {
		return fmt.Errorf("check group name: %w", err)
	}
	if n > 0 {
		return errDuplicateGroup(name)
	}
	return nil
}

func errDuplicateGroup(name string) error {
	return WithParams(Conflict("group.duplicate", "group_name", "A group named %q already exists.", name),
		map[string]any{"name": name})
}

// CreateGroup adds a group; its name must be new in any letter case.
func CreateGroup(ctx context.Context, w *Writer, name string) (*Group, error) {
	g := &Group{GroupName: name}
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB
		if err := groupNameTaken(ctx, tx, name, 0); err != nil {
			return err
		}
		return tx.Create(g).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, errDuplicateGroup(name)
	}
	if err != nil {
		return nil, fmt.Errorf("create group: %w", err)
	}
	return g, nil
}

// RenameGroup renames a group that carries no permissions.
func RenameGroup(ctx context.Context, w *Writer, id int64, name string) error {
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB
		var g Group
		if err := tx.First(&g, id).Error; err != nil {
			return notFound(err, "find group")
		}
		if err := g.CanChange(); err != nil {
			return err
		}
		if err := groupNameTaken(ctx, tx, name, id); err != nil {
			return err
		}
		return tx.Model(&g).Update("group_name", name).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return errDuplicateGroup(name)
	}
	if err != nil {
		return fmt.Errorf("rename group: %w", err)
	}
	return nil
}

// DeleteGroup removes a group that carries no permissions, and its
// memberships.
func DeleteGroup(ctx context.Context, w *Writer, id int64) error {
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB
		var g Group
		if err := tx.First(&g, id).Error; err != nil {
			return notFound(err, "find group")
		}
		if err := g.CanChange(); err != nil {
			return err
		}
		if err := tx.Where("group_id = ?", id).Delete(&GroupMember{}).Error; err != nil {
			return fmt.Errorf("delete memberships: %w", err)
		}
		return tx.Delete(&Group{}, id).Error
	})
	if err != nil {
		return fmt.Errorf("delete group: %w", err)
	}
	return nil
}

// AddToGroup makes the user a member of the group (a no-op if already one).
func AddToGroup(ctx context.Context, db *gorm.DB, userID, groupID int64) error {
	var n int64
	q := db.WithContext(ctx).Model(&GroupMember{}).Where("user_id = ? AND group_id = ?", userID, groupID)
	if err := q.Count(&n).Error; err != nil {
		return fmt.Errorf("check membership: %w", err)
	}
	if n > 0 {
		return nil
	}
	if err := db.WithContext(ctx).Create(&GroupMember{UserID: userID, GroupID: groupID}).Error; err != nil {
		return fmt.Errorf("add to group: %w", err)
	}
	return nil
}

// ResolveGroups maps group names (exact) to groups; an unknown name is a 422
// on the field "groups". Duplicates in names are ignored.
func ResolveGroups(ctx context.Context, db *gorm.DB, names []string) ([]Group, error) {
	if len(names) == 0 {
		return []Group{}, nil
	}
	var found []Group
	if err := db.WithContext(ctx).Where("group_name IN ?", names).Order("group_name").Find(&found).Error; err != nil {
		return nil, fmt.Errorf("resolve groups: %w", err)
	}
	wanted := make(map[string]bool, len(names))
	for _, n := range names {
		wanted[n] = true
	}
	// MySQL compares names without case; keep exact matches only.
	out := make([]Group, 0, len(found))
	known := make(map[string]bool, len(found))
	for _, g := range found {
		if wanted[g.GroupName] && !known[g.GroupName] {
			known[g.GroupName] = true
			out = append(out, g)
		}
	}
	for _, n := range names {
		if !known[n] {
			return nil, WithParams(Invalid("groups", "not_found", "There is no group named %q.", n), map[string]any{"name": n})
		}
	}
	return out, nil
}

// SetUserGroups replaces the user's memberships with the given groups. Call
// it inside the transaction that changes the user.
func SetUserGroups(ctx context.Context, tx *gorm.DB, userID int64, groups []Group) error {
	if err := tx.WithContext(ctx).Where("user_id = ?", userID).Delete(&GroupMember{}).Error; err != nil {
		return fmt.Errorf("clear memberships: %w", err)
	}
	if len(groups) == 0 {
		return nil
	}
	rows := make([]GroupMember, len(groups))
	for i, g := range groups {
		rows[i] = GroupMember{UserID: userID, GroupID: g.ID}
	}
	if err := tx.WithContext(ctx).Create(&rows).Error; err != nil {
		return fmt.Errorf("set memberships: %w", err)
	}
	return nil
}
