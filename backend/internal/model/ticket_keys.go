package model

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/sortkey"
)

// TicketKeys computes the columns a ticket keeps for the list (its
// department and the sort keys of its names, see Ticket) from every
// category's and user's name held in memory: for bulk writers (the demo
// data) and for rebuilding them (`flicket recount`).
type TicketKeys struct {
	k          *sortkey.Keyer
	categories map[int64]categoryKey
	users      map[int64][]byte
}

type categoryKey struct {
	departmentID int64
	key          []byte
}

// LoadTicketKeys reads every category's and user's name.
func LoadTicketKeys(ctx context.Context, db *gorm.DB) (*TicketKeys, error) {
	tk := &TicketKeys{k: sortkey.New(), categories: map[int64]categoryKey{}, users: map[int64][]byte{}}
	var cats []categoryLabel
	err := db.WithContext(ctx).Table("categories").
		Select(`categories.id AS category_id, categories.category AS category_name,
			departments.id AS department_id, departments.department AS department_name`).
		Joins("JOIN departments ON departments.id = categories.department_id").Scan(&cats).Error
	if err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	for _, c := range cats {
		tk.categories[c.CategoryID] = categoryKey{c.DepartmentID, c.sortKey(tk.k)}
	}
	var users []struct {
		ID   int64
		Name string
	}
	if err := db.WithContext(ctx).Model(&User{}).Select("id, name").Scan(&users).Error; err != nil {
		return nil, fmt.Errorf("read user names: %w", err)
	}
	for _, u := range users {
		tk.users[u.ID] = tk.k.Key(u.Name)
	}
	return tk, nil
}

// Fill sets t's list columns from its title, category and users. Not safe
// for concurrent use.
func (tk *TicketKeys) Fill(t *Ticket) {
	c := tk.categories[t.CategoryID]
	t.DepartmentID, t.DeptCatKey = c.departmentID, c.key
	t.TitleKey = tk.k.Key(t.Title)
	t.StarterKey, t.AssigneeKey = tk.user(t.StartedID), tk.user(t.AssignedID)
}

func (tk *TicketKeys) user(id *int64) []byte {
	if id == nil || tk.users[*id] == nil {
		return []byte{}
	}
	return tk.users[*id]
}

// rebuildTicketKeys recomputes every ticket's list columns and writes those
// that were wrong (renames made behind the API's back, or a new collation
// table after an upgrade), reporting each ticket it fixed.
func rebuildTicketKeys(ctx context.Context, tx *gorm.DB) ([]CounterChange, error) {
	tk, err := LoadTicketKeys(ctx, tx)
	if err != nil {
		return nil, err
	}
	const batch = 1000
	var changes []CounterChange
	var after int64
	for {
		var stored []Ticket
		err := tx.WithContext(ctx).Model(&Ticket{}).
			Select("id, title, started_id, assigned_id, category_id, department_id, title_key, starter_key, assignee_key, dept_cat_key").
			Where("id > ?", after).Order("id").Limit(batch).Find(&stored).Error
		if err != nil {
			return nil, fmt.Errorf("read ticket keys: %w", err)
		}
		if len(stored) == 0 {
			return changes, nil
		}
		for i := range stored {
			old := &stored[i]
			want := *old
			tk.Fill(&want)
			var wrong []string
			for _, c := range []struct {
				name     string
				old, new []byte
			}{{"title", old.TitleKey, want.TitleKey}, {"creator", old.StarterKey, want.StarterKey},
				{"assignee", old.AssigneeKey, want.AssigneeKey}, {"department/category", old.DeptCatKey, want.DeptCatKey}} {
				if !bytes.Equal(c.old, c.new) {
					wrong = append(wrong, c.name)
				}
			}
			if old.DepartmentID != want.DepartmentID {
				changes = append(changes, CounterChange{fmt.Sprintf("ticket %s department_id", TicketNumber(old.ID)),
					fmt.Sprint(old.DepartmentID), fmt.Sprint(want.DepartmentID)})
			}
			if len(wrong) > 0 {
				changes = append(changes, CounterChange{fmt.Sprintf("ticket %s sort keys (%s)", TicketNumber(old.ID), strings.Join(wrong, ", ")),
					"stale", "rebuilt"})
			}
			if len(wrong) == 0 && old.DepartmentID == want.DepartmentID {
				continue
			}
			err := tx.WithContext(ctx).Model(&Ticket{}).Where("id = ?", old.ID).UpdateColumns(map[string]any{
				"department_id": want.DepartmentID, "title_key": want.TitleKey, "starter_key": want.StarterKey,
				"assignee_key": want.AssigneeKey, "dept_cat_key": want.DeptCatKey,
			}).Error
			if err != nil {
				return nil, fmt.Errorf("fix ticket %d keys: %w", old.ID, err)
			}
		}
		after = stored[len(stored)-1].ID
	}
}
