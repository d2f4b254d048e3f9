package bulkdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
)

// Snapshot is a database read in one read-only transaction, so every table
// comes from the same moment while others keep writing (PostgreSQL and
// MariaDB: REPEATABLE READ; SQLite: a read transaction on the WAL file).
type Snapshot struct {
	Dialect database.Dialect
	// Tx is the read transaction; DB a gorm handle on the same database.
	Tx   *sql.Tx
	DB   *gorm.DB
	conn *sql.Conn
}

// OpenSnapshot connects to the database behind rawURL and starts the
// snapshot. A SQLite file is opened read-only and must exist.
func OpenSnapshot(ctx context.Context, rawURL string) (*Snapshot, error) {
	t, err := database.ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if t.Dialect == database.SQLite {
		if t.Path == "" {
			return nil, errors.New("an in-memory SQLite database cannot be read from another process")
		}
		if _, err := os.Stat(t.Path); err != nil {
			return nil, err
		}
		// Read-only, and no BEGIN IMMEDIATE: the copy must not hold the
		// write lock a running server needs.
		q := url.Values{}
		q.Set("mode", "ro")
		q.Add("_pragma", "busy_timeout(10000)")
		t.DSN = "file:" + t.Path + "?" + q.Encode()
	}
	gdb, err := database.OpenTarget(ctx, t, database.Options{MaxOpenConns: 4})
	if err != nil {
		return nil, err
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		_ = database.Close(gdb)
		return nil, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		_ = database.Close(gdb)
		return nil, fmt.Errorf("connect: %w", err)
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if t.Dialect != database.SQLite {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		_ = conn.Close()
		_ = database.Close(gdb)
		return nil, fmt.Errorf("begin a snapshot: %w", err)
	}
	return &Snapshot{Dialect: t.Dialect, Tx: tx, DB: gdb, conn: conn}, nil
}

// Close ends the snapshot and the connection.
func (s *Snapshot) Close() {
	_ = s.Tx.Rollback()
	_ = s.conn.Close()
	_ = database.Close(s.DB)
}

// Quote quotes a table or column name for the dialect.
func Quote(d database.Dialect, name string) string {
	if d == database.MySQL {
		return "`" + name + "`"
	}
	return `"` + name + `"`
}
