package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
)

// The columns the demo writes; the others keep their defaults.
var (
	ticketColumns = []string{"id", "title", "content", "content_html", "started_id", "date_added", "status_id",
		"category_id", "assigned_id", "ticket_priority_id", "hours", "last_updated", "num_replies", "total_hours",
		"department_id", "title_key", "starter_key", "assignee_key", "dept_cat_key", "last_reply_user_id"}
	postColumns         = []string{"ticket_id", "content", "content_html", "user_id", "date_added", "hours"}
	subscriptionColumns = []string{"ticket_id", "user_id", "date_added"}
)

func ticketRow(t *model.Ticket, hours func(model.Hours) any) []any {
	return []any{t.ID, t.Title, t.Content, t.ContentHTML, t.StartedID, t.DateAdded, t.StatusID,
		t.CategoryID, t.AssignedID, t.TicketPriorityID, hours(t.Hours), t.LastUpdated, t.NumReplies, hours(t.TotalHours),
		t.DepartmentID, t.TitleKey, t.StarterKey, t.AssigneeKey, t.DeptCatKey, t.LastReplyUserID}
}

func postRow(p *model.Post, hours func(model.Hours) any) []any {
	return []any{p.TicketID, p.Content, p.ContentHTML, p.UserID, p.DateAdded, hours(p.Hours)}
}

func subscriptionRow(s *model.Subscription) []any {
	return []any{s.TicketID, s.UserID, s.DateAdded}
}

// writer inserts batches, each in one transaction: COPY on PostgreSQL,
// multi-row INSERTs elsewhere. It bypasses GORM, whose per-row reflection
// cost more than the database's work.
type writer struct {
	db   *gorm.DB
	conn *sql.Conn // one connection for every batch
}

func newWriter(ctx context.Context, db *gorm.DB) (*writer, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	w := &writer{db: db}
	if w.conn, err = sqlDB.Conn(ctx); err != nil {
		return nil, fmt.Errorf("demo: connect: %w", err)
	}
	if db.Name() == "sqlite" {
		// A large page cache keeps the indexes' pages in memory while they
		// grow, instead of reading them back from the file.
		if _, err := w.conn.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
			w.close()
			return nil, fmt.Errorf("demo: set the page cache: %w", err)
		}
	}
	return w, nil
}

func (w *writer) close() { _ = w.conn.Close() }

func (w *writer) write(ctx context.Context, b batch) error {
	if w.db.Name() == "postgres" {
		return w.copyBatch(ctx, b)
	}
	return w.insertBatch(ctx, b)
}

// finish moves PostgreSQL's id sequence past the ids the demo gave (MySQL
// and SQLite do it themselves).
func (w *writer) finish(ctx context.Context) error {
	if w.db.Name() != "postgres" {
		return nil
	}
	_, err := w.conn.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT MAX(id) FROM tickets))")
	if err != nil {
		return fmt.Errorf("demo: advance the ticket id sequence: %w", err)
	}
	return nil
}

// pgHours is Hours as a NUMERIC for COPY's binary format.
func pgHours(h model.Hours) any {
	return pgtype.Numeric{Int: big.NewInt(int64(h)), Exp: -2, Valid: true}
}

func (w *writer) copyBatch(ctx context.Context, b batch) error {
	return w.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("demo: unexpected PostgreSQL driver connection %T", dc)
		}
		return pgx.BeginFunc(ctx, sc.Conn(), func(tx pgx.Tx) error {
			tickets := make([][]any, len(b.tickets))
			for i := range b.tickets {
				tickets[i] = ticketRow(&b.tickets[i], pgHours)
			}
			posts := make([][]any, len(b.posts))
			for i := range b.posts {
				posts[i] = postRow(&b.posts[i], pgHours)
			}
			subs := make([][]any, len(b.subs))
			for i := range b.subs {
				subs[i] = subscriptionRow(&b.subs[i])
			}
			for _, c := range []struct {
				table string
				cols  []string
				rows  [][]any
			}{{"tickets", ticketColumns, tickets}, {"posts", postColumns, posts}, {"subscriptions", subscriptionColumns, subs}} {
				if len(c.rows) == 0 {
					continue
				}
				if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
					return fmt.Errorf("demo: copy %s: %w", c.table, err)
				}
			}
			return nil
		})
	})
}

// maxParams is how many placeholders one INSERT carries: MySQL takes up to
// 65,535 and each statement is a round trip, so many; the SQLite driver
// matches each placeholder against every argument (quadratic), so few.
func (w *writer) maxParams() int {
	if w.db.Name() == "sqlite" {
		return 256
	}
	return 30000
}

func (w *writer) insertBatch(ctx context.Context, b batch) (err error) {
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("demo: begin: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreDone(tx.Rollback()))
		}
	}()
	valuer := func(h model.Hours) any { return h }
	rows := make([][]any, 0, len(b.posts))
	for i := range b.tickets {
		rows = append(rows, ticketRow(&b.tickets[i], valuer))
	}
	if err := insertRows(ctx, tx, w.maxParams(), "tickets", ticketColumns, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for i := range b.posts {
		rows = append(rows, postRow(&b.posts[i], valuer))
	}
	if err := insertRows(ctx, tx, w.maxParams(), "posts", postColumns, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for i := range b.subs {
		rows = append(rows, subscriptionRow(&b.subs[i]))
	}
	if err := insertRows(ctx, tx, w.maxParams(), "subscriptions", subscriptionColumns, rows); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("demo: commit: %w", err)
	}
	return nil
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// insertRows writes rows with multi-row INSERTs of up to maxParams
// placeholders, the full-size statement prepared once.
func insertRows(ctx context.Context, tx *sql.Tx, maxParams int, table string, cols []string, rows [][]any) error {
	per := max(1, maxParams/len(cols))
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	statement := func(n int) string {
		return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			_ = full.Close()
		}
	}()
	args := make([]any, 0, min(per, len(rows))*len(cols))
	for len(rows) > 0 {
		chunk := rows[:min(per, len(rows))]
		rows = rows[len(chunk):]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		var err error
		if len(chunk) < per {
			_, err = tx.ExecContext(ctx, statement(len(chunk)), args...)
		} else {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, statement(per)); err != nil {
					return fmt.Errorf("demo: prepare the %s insert: %w", table, err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		}
		if err != nil {
			return fmt.Errorf("demo: insert %s: %w", table, err)
		}
	}
	return nil
}
