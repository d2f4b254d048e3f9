package model

import (
	"context"
	"fmt"

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

// GroupMember links a user to a group.
type GroupMember struct {
	UserID  int64 `gorm:"primaryKey;autoIncrement:false"`
	GroupID int64 `gorm:"primaryKey;autoIncrement:false"`
}

// TableName pins the table name.
func (GroupMember) TableName() string { return "group_members" }

// FindGroupByName loads a group by its exact name.
func FindGroupByName(ctx context.Context, db *gorm.DB, name string) (*Group, error) {
	var g Group
	if err := db.WithContext(ctx).Where("group_name = ?", name).First(&g).Error; err != nil {
		return nil, notFound(err, "find group")
	}
	return &g, nil
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
