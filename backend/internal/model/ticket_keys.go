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
// data) and for rebuilding them (`flicket recount`). It is read-only once
// loaded: goroutines may share it, each with its own sortkey.Keyer.
type TicketKeys struct {
	categories map[int64]categoryKey
	users      map[int64][]byte
}

type categoryKey struct {
	departmentID int64
	key          []byte
}

// LoadTicketKeys reads every category's and user's name.
func LoadTicketKeys(ctx context.Context, db *gorm.DB) (*TicketKeys, error) {
	k := sortkey.New()
	tk := &TicketKeys{categories: map[int64]categoryKey{}, users: map[int64][]byte{}}
	var cats []categoryLabel
	err := db.WithContext(ctx).Table("categories").
		Select(`categories.id AS category_id, categories.category AS category_name,
			departments.id AS department_id, departments.department AS department_name`).
		Joins("JOIN departments ON departments.id = categories.department_id").Scan(&cats).Error
	if err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	for _, c := range cats {
		tk.categories[c.CategoryID] = categoryKey{c.DepartmentID, c.sortKey(k)}
	}
	var users []struct {
		ID   int64
		Name string
	}
	if err := db.WithContext(ctx).Model(&User{}).Select("id, name").Scan(&users).Error; err != nil {
		return nil, fmt.Errorf("read user names: %w", err)
	}
	for _, u := range users {
		tk.users[u.ID] = k.Key(u.Name)
	}
	return tk, nil
}

// Fill sets t's list columns from its title, category and users, computing
// the title's key with k.
func (tk *TicketKeys) Fill(k *sortkey.Keyer, t *Ticket) {
	c := tk.categories[t.CategoryID]
	t.DepartmentID, t.DeptCatKey = c.departmentID, c.key
	t.TitleKey = k.Key(t.Title)
	t.StarterKey, t.AssigneeKey = tk.user(t.StartedID), tk.user(t.AssignedID)
}

func (tk *TicketKeys) user(id *int64) []byte {
	if id == nil || tk.users[*id] == nil {
		return []byte{}
	}
	return tk.users[*id]
}

// rebuildTicketKeys recomputes every ticket's list columns and writes those
// that were wrong (rows written behind the API's back, such as an import,
// or a new collation table after an upgrade), reporting how many of each it
// fixed. It works set by set: one statement per category, per user and per
// 1000 titles, not one per ticket.
func rebuildTicketKeys(ctx context.Context, tx *gorm.DB) ([]CounterChange, error) {
	db := tx.WithContext(ctx)
	k := sortkey.New()
	var changes []CounterChange
	report := func(what string, n int64) {
		if n > 0 {
			changes = append(changes, CounterChange{"tickets' " + what, fmt.Sprintf("%d stale", n), "rebuilt"})
		}
	}
	res := db.Exec(`UPDATE tickets SET department_id =
		(SELECT categories.department_id FROM categories WHERE categories.id = tickets.category_id)
		WHERE department_id <> (SELECT categories.department_id FROM categories WHERE categories.id = tickets.category_id)`)
	if res.Error != nil {
		return nil, fmt.Errorf("rebuild tickets' department_id: %w", res.Error)
	}
	report("department_id", res.RowsAffected)

	var cats []categoryLabel
	err := db.Table("categories").
		Select(`categories.id AS category_id, categories.category AS category_name,
			departments.id AS department_id, departments.department AS department_name`).
		Joins("JOIN departments ON departments.id = categories.department_id").Order("categories.id").Scan(&cats).Error
	if err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	var n int64
	for _, c := range cats {
		key := c.sortKey(k)
		res := db.Exec("UPDATE tickets SET dept_cat_key = ? WHERE category_id = ? AND dept_cat_key <> ?", key, c.CategoryID, key)
		if res.Error != nil {
			return nil, fmt.Errorf("rebuild tickets' dept_cat_key: %w", res.Error)
		}
		n += res.RowsAffected
	}
	report("department/category sort keys", n)

	var users []struct {
		ID   int64
		Name string
	}
	if err := db.Model(&User{}).Select("id, name").Order("id").Scan(&users).Error; err != nil {
		return nil, fmt.Errorf("read user names: %w", err)
	}
	for _, c := range []struct{ key, id, what string }{
		{"starter_key", "started_id", "creator sort keys"}, {"assignee_key", "assigned_id", "assignee sort keys"},
	} {
		res := db.Exec(fmt.Sprintf("UPDATE tickets SET %s = ? WHERE %s IS NULL AND %s <> ?", c.key, c.id, c.key), []byte{}, []byte{})
		if res.Error != nil {
			return nil, fmt.Errorf("rebuild tickets' %s: %w", c.key, res.Error)
		}
		n := res.RowsAffected
		for _, u := range users {
			key := k.Key(u.Name)
			res := db.Exec(fmt.Sprintf("UPDATE tickets SET %s = ? WHERE %s = ? AND %s <> ?", c.key, c.id, c.key), key, u.ID, key)
			if res.Error != nil {
				return nil, fmt.Errorf("rebuild tickets' %s: %w", c.key, res.Error)
			}
			n += res.RowsAffected
		}
		report(c.what, n)
	}

	n, err = rebuildTitleKeys(ctx, tx, k)
	if err != nil {
		return nil, err
	}
	report("title sort keys", n)
	return changes, nil
}

// rebuildTitleKeys rewrites the title keys that are wrong: one statement per
// 1000 tickets read.
func rebuildTitleKeys(ctx context.Context, tx *gorm.DB, k *sortkey.Keyer) (int64, error) {
	const batch = 1000
	type row struct {
		ID       int64
		Title    string
		TitleKey []byte
	}
	var fixed int64
	var after int64
	for {
		var rows []row
		err := tx.WithContext(ctx).Model(&Ticket{}).Select("id, title, title_key").
			Where("id > ?", after).Order("id").Limit(batch).Scan(&rows).Error
		if err != nil {
			return 0, fmt.Errorf("read titles: %w", err)
		}
		if len(rows) == 0 {
			return fixed, nil
		}
		// PostgreSQL types a CASE of parameters as text unless told.
		then := " WHEN ? THEN ?"
		if tx.Name() == "postgres" {
			then = " WHEN ? THEN ?::bytea" // not CAST(?): GORM spreads a []byte in parentheses
		}
		var sql strings.Builder
		var args []any
		var ids []int64
		sql.WriteString("UPDATE tickets SET title_key = CASE id")
		for _, r := range rows {
			if key := k.Key(r.Title); !bytes.Equal(key, r.TitleKey) {
				sql.WriteString(then)
				args = append(args, r.ID, key)
				ids = append(ids, r.ID)
			}
		}
		if len(ids) > 0 {
			sql.WriteString(" END WHERE id IN ?")
			if err := tx.WithContext(ctx).Exec(sql.String(), append(args, ids)...).Error; err != nil {
				return 0, fmt.Errorf("rebuild title keys: %w", err)
			}
			fixed += int64(len(ids))
		}
		after = rows[len(rows)-1].ID
	}
}
