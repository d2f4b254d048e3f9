package migrations

import (
	"fmt"
	"strings"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/sortkey"
)

// 0007 lets every page of the ticket list come from the tickets table alone,
// over an index, for every sort key and filter:
//
//   - department_id: the category's department, kept on the ticket (the
//     department filter and the names of a page);
//   - closed: generated from status_id (the state filter), so no write path
//     can forget it;
//   - title_key, starter_key, assignee_key, dept_cat_key: collation keys of
//     the names the list sorts by (package sortkey), compared bytewise on
//     every database, kept exact in the transaction of every change to the
//     names (and rebuilt by `flicket recount`);
//   - an index per sort key and direction, each ending in id ascending (the
//     list's tie-break), and one per filter ending in id (the default order).
//
// The single-column indexes of 0001 that a new index now leads are dropped:
// every extra index costs each ticket write.

// m0007Closed is the Closed status's id (setup creates it so; statuses
// cannot be added or changed).
const m0007Closed = 2

var m0007KeyColumns = []string{"title_key", "starter_key", "assignee_key", "dept_cat_key"}

var m0007Indexes = []struct{ name, columns string }{
	// Sort keys, ascending and descending (priority and last_updated
	// descending are 0006's).
	{"idx_tickets_priority_id_id", "ticket_priority_id, id"},
	{"idx_tickets_title_key_id", "title_key, id"},
	{"idx_tickets_title_key_desc_id", "title_key DESC, id"},
	{"idx_tickets_starter_key_id", "starter_key, id"},
	{"idx_tickets_starter_key_desc_id", "starter_key DESC, id"},
	{"idx_tickets_date_added_id", "date_added, id"},
	{"idx_tickets_date_added_desc_id", "date_added DESC, id"},
	{"idx_tickets_last_updated_id", "last_updated, id"},
	{"idx_tickets_num_replies_id", "num_replies, id"},
	{"idx_tickets_num_replies_desc_id", "num_replies DESC, id"},
	{"idx_tickets_dept_cat_key_id", "dept_cat_key, id"},
	{"idx_tickets_dept_cat_key_desc_id", "dept_cat_key DESC, id"},
	{"idx_tickets_status_id_id", "status_id, id"},
	{"idx_tickets_status_desc_id", "status_id DESC, id"},
	{"idx_tickets_assignee_key_id", "assignee_key, id"},
	{"idx_tickets_assignee_key_desc_id", "assignee_key DESC, id"},
	{"idx_tickets_total_hours_id", "total_hours, id"},
	{"idx_tickets_total_hours_desc_id", "total_hours DESC, id"},
	// Filters, in the default order (by id).
	{"idx_tickets_department_id_id", "department_id, id"},
	{"idx_tickets_category_id_id", "category_id, id"},
	{"idx_tickets_closed_id", "closed, id"},
	{"idx_tickets_started_id_id", "started_id, id"},
	{"idx_tickets_assigned_id_id", "assigned_id, id"},
	// The web app's default: open tickets, highest priority first.
	{"idx_tickets_closed_priority_desc_id", "closed, ticket_priority_id DESC, id"},
}

// m0007Replaced are 0001's indexes that a 0007 index now leads.
var m0007Replaced = []struct{ name, column string }{
	{"idx_tickets_title", "title"},
	{"idx_tickets_started_id", "started_id"},
	{"idx_tickets_date_added", "date_added"},
	{"idx_tickets_status_id", "status_id"},
	{"idx_tickets_category_id", "category_id"},
	{"idx_tickets_category_status", "category_id"}, // despite its name
	{"idx_tickets_assigned_id", "assigned_id"},
	{"idx_tickets_priority_id", "ticket_priority_id"},
	{"idx_tickets_last_updated", "last_updated"},
	{"idx_tickets_num_replies", "num_replies"},
	{"idx_tickets_total_hours", "total_hours"},
}

func m0007TicketListColumns() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0007_ticket_list_columns",
		Migrate: func(tx *gorm.DB) error {
			if err := m0007AddColumns(tx); err != nil {
				return err
			}
			// Filled before the indexes exist: one index build instead of
			// an update of each index per row.
			if err := m0007Fill(tx); err != nil {
				return err
			}
			for _, ix := range m0007Indexes {
				if err := tx.Exec(fmt.Sprintf("CREATE INDEX %s ON tickets (%s)", ix.name, ix.columns)).Error; err != nil {
					return fmt.Errorf("create index %s: %w", ix.name, err)
				}
			}
			for _, ix := range m0007Replaced {
				if err := tx.Migrator().DropIndex("tickets", ix.name); err != nil {
					return fmt.Errorf("drop index %s: %w", ix.name, err)
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, ix := range m0007Replaced {
				if err := tx.Exec(fmt.Sprintf("CREATE INDEX %s ON tickets (%s)", ix.name, ix.column)).Error; err != nil {
					return fmt.Errorf("create index %s: %w", ix.name, err)
				}
			}
			for _, ix := range m0007Indexes {
				if err := tx.Migrator().DropIndex("tickets", ix.name); err != nil {
					return fmt.Errorf("drop index %s: %w", ix.name, err)
				}
			}
			for _, c := range append([]string{"closed", "department_id"}, m0007KeyColumns...) {
				if err := tx.Exec("ALTER TABLE tickets DROP COLUMN " + c).Error; err != nil {
					return fmt.Errorf("drop tickets.%s: %w", c, err)
				}
			}
			return nil
		},
	}
}

func m0007AddColumns(tx *gorm.DB) error {
	var key, closed string
	switch tx.Name() {
	case "mysql":
		key = fmt.Sprintf("VARBINARY(%d) NOT NULL DEFAULT ''", sortkey.MaxLen)
		closed = fmt.Sprintf("TINYINT(1) AS (status_id = %d) STORED", m0007Closed)
	case "postgres":
		key = "BYTEA NOT NULL DEFAULT ''::bytea"
		closed = fmt.Sprintf("BOOLEAN GENERATED ALWAYS AS (status_id = %d) STORED", m0007Closed)
	default:
		// SQLite adds only virtual generated columns; they can be indexed.
		key = "BLOB NOT NULL DEFAULT x''"
		closed = fmt.Sprintf("INTEGER GENERATED ALWAYS AS (status_id = %d) VIRTUAL", m0007Closed)
	}
	cols := []string{"department_id BIGINT NOT NULL DEFAULT 0", "closed " + closed}
	for _, c := range m0007KeyColumns {
		cols = append(cols, c+" "+key)
	}
	for _, c := range cols {
		if err := tx.Exec("ALTER TABLE tickets ADD COLUMN " + c).Error; err != nil {
			return fmt.Errorf("add tickets.%s: %w", strings.Fields(c)[0], err)
		}
	}
	return nil
}

// m0007Fill computes the new columns of the existing tickets.
func m0007Fill(tx *gorm.DB) error {
	err := tx.Exec(`UPDATE tickets SET department_id =
		(SELECT categories.department_id FROM categories WHERE categories.id = tickets.category_id)`).Error
	if err != nil {
		return fmt.Errorf("fill tickets.department_id: %w", err)
	}
	k := sortkey.New()
	type category struct {
		ID                   int64
		Category, Department string
	}
	var cats []category
	err = tx.Raw(`SELECT categories.id, categories.category, departments.department
		FROM categories JOIN departments ON departments.id = categories.department_id`).Scan(&cats).Error
	if err != nil {
		return fmt.Errorf("read categories: %w", err)
	}
	for _, c := range cats {
		if err := tx.Exec("UPDATE tickets SET dept_cat_key = ? WHERE category_id = ?", k.Pair(c.Department, c.Category), c.ID).Error; err != nil {
			return fmt.Errorf("fill tickets.dept_cat_key: %w", err)
		}
	}
	type user struct {
		ID   int64
		Name string
	}
	var users []user
	err = tx.Raw(`SELECT id, name FROM users WHERE id IN (SELECT started_id FROM tickets)
		OR id IN (SELECT assigned_id FROM tickets)`).Scan(&users).Error
	if err != nil {
		return fmt.Errorf("read users: %w", err)
	}
	for _, u := range users {
		key := k.Key(u.Name)
		if err := tx.Exec("UPDATE tickets SET starter_key = ? WHERE started_id = ?", key, u.ID).Error; err != nil {
			return fmt.Errorf("fill tickets.starter_key: %w", err)
		}
		if err := tx.Exec("UPDATE tickets SET assignee_key = ? WHERE assigned_id = ?", key, u.ID).Error; err != nil {
			return fmt.Errorf("fill tickets.assignee_key: %w", err)
		}
	}
	return m0007FillTitles(tx, k)
}

// m0007FillTitles sets title_key in batches of one statement per 500 rows.
func m0007FillTitles(tx *gorm.DB, k *sortkey.Keyer) error {
	const batch = 500
	type row struct {
		ID    int64
		Title string
	}
	var after int64
	for {
		var rows []row
		if err := tx.Raw("SELECT id, title FROM tickets WHERE id > ? ORDER BY id LIMIT ?", after, batch).Scan(&rows).Error; err != nil {
			return fmt.Errorf("read titles: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		// PostgreSQL types a CASE of parameters as text unless told.
		then := " WHEN ? THEN ?"
		if tx.Name() == "postgres" {
			then = " WHEN ? THEN ?::bytea" // not CAST(?): GORM spreads a []byte in parentheses
		}
		var sql strings.Builder
		args := make([]any, 0, 2*len(rows)+1)
		ids := make([]int64, len(rows))
		sql.WriteString("UPDATE tickets SET title_key = CASE id")
		for i, r := range rows {
			sql.WriteString(then)
			args = append(args, r.ID, k.Key(r.Title))
			ids[i] = r.ID
		}
		sql.WriteString(" END WHERE id IN ?")
		if err := tx.Exec(sql.String(), append(args, ids)...).Error; err != nil {
			return fmt.Errorf("fill tickets.title_key: %w", err)
		}
		after = rows[len(rows)-1].ID
	}
}
