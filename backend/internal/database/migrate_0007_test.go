package database_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/sortkey"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestTicketListColumnsOnExistingTickets runs 0007 over tickets written
// before it: each gets its category's department, its closed flag and the
// sort keys of its names (more than one batch of titles).
func TestTicketListColumnsOnExistingTickets(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := testutil.NewEmptyDB(t, d).DB
			testutil.Must(t, database.MigrateTo(ctx, db, "0006_ticket_sort_indexes"))
			exec := func(sql string, args ...any) { t.Helper(); testutil.Must(t, db.Exec(sql, args...).Error) }
			now := time.Now().UTC()
			exec("INSERT INTO statuses (id, status) VALUES (1, 'Open'), (2, 'Closed')")
			exec("INSERT INTO priorities (id, priority) VALUES (1, 'low')")
			exec("INSERT INTO departments (id, department) VALUES (1, 'Études'), (2, 'IT')")
			exec("INSERT INTO categories (id, category, department_id) VALUES (1, 'Other', 1), (2, 'Printers', 2)")
			user := "INSERT INTO users (id, username, name, email, password, locale, date_added) VALUES (?, ?, ?, ?, 'x', 'en', ?)"
			exec(user, 1, "zoe", "Zoë Adams", "zoe@example.com", now)
			exec(user, 2, "emile", "Émile Zola", "emile@example.com", now)
			const n = 1203
			var values []string
			var args []any
			for i := 1; i <= n; i++ {
				values = append(values, "(?, ?, 'c', ?, ?, ?, ?, ?, 1, ?)")
				var assigned any
				if i%3 == 0 {
					assigned = 2
				}
				args = append(args, i, fmt.Sprintf("Ticket n°%d", i), 1+i%2, now, 1+i%2, 1+i%2, assigned, now)
			}
			// Inserted in chunks: SQLite takes at most 32766 parameters a statement.
			for from := 0; from < n; from += 400 {
				to := min(from+400, n)
				exec(`INSERT INTO tickets (id, title, content, started_id, date_added, status_id, category_id, assigned_id,
					ticket_priority_id, last_updated) VALUES `+strings.Join(values[from:to], ", "), args[from*8:to*8]...)
			}
			testutil.Must(t, database.MigrateUp(ctx, db))

			var tickets []model.Ticket
			testutil.Must(t, db.Order("id").Find(&tickets).Error)
			if len(tickets) != n {
				t.Fatalf("%d tickets, want %d", len(tickets), n)
			}
			users := map[int64][]byte{1: sortkey.Key("Zoë Adams"), 2: sortkey.Key("Émile Zola")}
			pairs := map[int64][]byte{1: sortkey.Pair("Études", "Other"), 2: sortkey.Pair("IT", "Printers")}
			for _, tk := range tickets {
				wantAssignee := []byte{}
				if tk.AssignedID != nil {
					wantAssignee = users[*tk.AssignedID]
				}
				if tk.DepartmentID != tk.CategoryID || !bytes.Equal(tk.TitleKey, sortkey.Key(tk.Title)) ||
					!bytes.Equal(tk.StarterKey, users[*tk.StartedID]) || !bytes.Equal(tk.AssigneeKey, wantAssignee) ||
					!bytes.Equal(tk.DeptCatKey, pairs[tk.CategoryID]) {
					t.Fatalf("ticket %d after 0007: %+v", tk.ID, tk)
				}
			}
			var closed int64
			testutil.Must(t, db.Raw("SELECT COUNT(*) FROM tickets WHERE closed = ?", true).Scan(&closed).Error)
			if want := int64((n + 1) / 2); closed != want {
				t.Errorf("%d closed tickets, want %d", closed, want)
			}
		})
	}
}
