package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// On MariaDB/MySQL every transaction runs at READ COMMITTED, PostgreSQL's
// level, instead of InnoDB's default REPEATABLE READ. At REPEATABLE READ a
// statement that finds no row locks the gap where it would be: two writers
// adding to the same counter row that does not exist yet (a user's shard of
// user_counts after `flicket recount`, a ticket cell's first ticket) both
// lock the gap, both try to insert into it, and one is a deadlock victim —
// under 16 concurrent creates the Writer's retries ran out (make bench, a
// million tickets). READ COMMITTED takes no gap locks for searches, and each
// statement reads what is committed, as on PostgreSQL, so the three
// databases behave alike.
const readCommitted = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"

// readCommittedConnector sets READ COMMITTED on each new connection.
type readCommittedConnector struct{ driver.Connector }

func (c readCommittedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		_ = conn.Close()
		return nil, errors.New("the mysql connection cannot run statements")
	}
	if _, err := ex.ExecContext(ctx, readCommitted, nil); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("set the transaction isolation level: %w", err)
	}
	return conn, nil
}

// mysqlConnector is the pool's connector: READ COMMITTED unless the server
// writes a statement-based binary log, which cannot log READ COMMITTED
// writes (every write would fail with error 1665); the server's default
// (REPEATABLE READ) is kept then, with a warning.
func mysqlConnector(ctx context.Context, base driver.Connector, log *slog.Logger) (driver.Connector, error) {
	probe := sql.OpenDB(base)
	defer func() { _ = probe.Close() }()
	var logBin int
	var format string
	err := probe.QueryRowContext(ctx, "SELECT @@log_bin, @@binlog_format").Scan(&logBin, &format)
	if err != nil {
		return nil, fmt.Errorf("read the server's binary log format: %w", err)
	}
	if logBin == 1 && strings.EqualFold(format, "STATEMENT") {
		if log != nil {
			log.Warn("the database server writes a statement-based binary log: transactions keep REPEATABLE READ, " +
				"and concurrent writes may meet more deadlocks; set binlog_format=MIXED or ROW")
		}
		return base, nil
	}
	return readCommittedConnector{base}, nil
}
