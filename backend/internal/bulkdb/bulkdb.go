// Package bulkdb writes many rows fast into Flicket's database, all or
// nothing: one transaction on one connection, PostgreSQL's COPY where it
// exists and multi-row INSERTs elsewhere, then id sequences moved past the
// highest id. It is shared by the importer from the original Flicket and by
// `flicket copy`, the only writers that do not go through the per-change
// domain functions.
package bulkdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
)

// Tx is one write transaction held on one connection.
type Tx struct {
	dialect database.Dialect
	conn    *sql.Conn
	tx      *sql.Tx
	gdb     *gorm.DB
	done    bool
}

// Begin opens a transaction on a connection of its own.
func Begin(ctx context.Context, db *gorm.DB) (*Tx, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("bulk: connection pool: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("bulk: connect: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("bulk: begin: %w", err)
	}
	// A gorm handle on the same transaction, for the model's queries
	// (counters, settings) that run inside the bulk write.
	gdb := db.Session(&gorm.Session{NewDB: true, Context: ctx})
	gdb.Statement.ConnPool = tx
	return &Tx{dialect: database.DialectOf(db), conn: conn, tx: tx, gdb: gdb}, nil
}

// Dialect is the database written to.
func (t *Tx) Dialect() database.Dialect { return t.dialect }

// DB is a gorm handle bound to the transaction.
func (t *Tx) DB() *gorm.DB { return t.gdb }

// Exec runs one statement in the transaction.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) error {
	if _, err := t.tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("bulk: %s: %w", firstWords(query), err)
	}
	return nil
}

// Commit makes everything written visible.
func (t *Tx) Commit() error {
	if t.done {
		return errors.New("bulk: transaction already finished")
	}
	t.done = true
	err := t.tx.Commit()
	_ = t.conn.Close()
	if err != nil {
		return fmt.Errorf("bulk: commit: %w", err)
	}
	return nil
}

// Rollback undoes everything written; it is a no-op after Commit.
func (t *Tx) Rollback() {
	if t.done {
		return
	}
	t.done = true
	_ = t.tx.Rollback()
	_ = t.conn.Close()
}

// maxParams keeps a multi-row INSERT under every driver's placeholder limit
// (SQLite 32766, MySQL 65535) and its packet reasonably small.
const (
	maxParams = 30000
	maxRows   = 1000
)

// Insert writes rows (each one value per column, in cols order) into table.
func (t *Tx) Insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if t.dialect == database.Postgres {
		return t.copyRows(ctx, table, cols, rows)
	}
	per := max(1, min(maxRows, maxParams/len(cols)))
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		if err := t.insertBatch(ctx, table, cols, rows[start:end]); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) insertBatch(ctx context.Context, table string, cols []string, rows [][]any) error {
	var b strings.Builder
	b.Grow(64 + len(rows)*(len(cols)*2+3))
	b.WriteString("INSERT INTO ")
	b.WriteString(t.quote(table))
	b.WriteString(" (")
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(t.quote(c))
	}
	b.WriteString(") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	args := make([]any, 0, len(rows)*len(cols))
	for i, r := range rows {
		if len(r) != len(cols) {
			return fmt.Errorf("bulk: %s row has %d values for %d columns", table, len(r), len(cols))
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
		args = append(args, r...)
	}
	if _, err := t.tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("bulk: insert into %s: %w", table, err)
	}
	return nil
}

// copyRows streams rows with PostgreSQL's COPY on the transaction's own
// connection (the BEGIN above was sent on it, so COPY runs inside it).
func (t *Tx) copyRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	for _, r := range rows {
		for i, v := range r {
			// pgx encodes COPY in binary and wants plain values.
			if dv, ok := v.(driver.Valuer); ok {
				plain, err := dv.Value()
				if err != nil {
					return fmt.Errorf("bulk: %s.%s value: %w", table, cols[i], err)
				}
				r[i] = plain
			}
		}
	}
	return t.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("bulk: PostgreSQL driver %T has no COPY", dc)
		}
		_, err := sc.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("bulk: copy into %s: %w", table, err)
		}
		return nil
	})
}

func (t *Tx) quote(name string) string {
	if t.dialect == database.MySQL {
		return "`" + name + "`"
	}
	return `"` + name + `"`
}

// MoveSequences sets each table's PostgreSQL id sequence past its highest
// id, so rows created later do not collide with the ids kept. MariaDB/MySQL
// see MoveAutoIncrement; SQLite needs nothing (its rowid follows the highest
// id by itself).
func (t *Tx) MoveSequences(ctx context.Context, tables ...string) error {
	if t.dialect != database.Postgres {
		return nil
	}
	for _, table := range tables {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false)`, table, t.quote(table))
		if err := t.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// MoveAutoIncrement raises MariaDB/MySQL AUTO_INCREMENT counters past the
// highest ids, after the commit (ALTER TABLE would commit the transaction).
// InnoDB already keeps the counter above explicitly inserted ids; this is
// the safety net for servers where it does not persist it.
func MoveAutoIncrement(ctx context.Context, db *gorm.DB, tables ...string) error {
	if database.DialectOf(db) != database.MySQL {
		return nil
	}
	for _, table := range tables {
		var maxID sql.NullInt64
		if err := db.WithContext(ctx).Raw("SELECT MAX(id) FROM `" + table + "`").Scan(&maxID).Error; err != nil {
			return fmt.Errorf("bulk: highest id of %s: %w", table, err)
		}
		if !maxID.Valid {
			continue
		}
		q := fmt.Sprintf("ALTER TABLE `%s` AUTO_INCREMENT = %d", table, maxID.Int64+1)
		if err := db.WithContext(ctx).Exec(q).Error; err != nil {
			return fmt.Errorf("bulk: move %s auto-increment: %w", table, err)
		}
	}
	return nil
}

func firstWords(q string) string {
	f := strings.Fields(q)
	if len(f) > 3 {
		f = f[:3]
	}
	return strings.Join(f, " ")
}
