// Package dbcopy copies a whole Flicket database into an empty database of
// another kind (`flicket copy --to URL`): the way from the embedded SQLite to
// PostgreSQL or MariaDB. It reads one snapshot of the source (safe while the
// server runs), checks that the target's uniqueness rules accept every row
// before writing anything, writes everything in one transaction
// (internal/bulkdb) and verifies the row counts before committing.
package dbcopy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/flicket/flicket/backend/internal/bulkdb"
	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/search"
)

// Options are the inputs of a copy.
type Options struct {
	// From is the database copied (FLICKET_DATABASE_URL); To the target.
	From, To string
	// Progress is told each table's progress (may be nil).
	Progress func(table string, done, total int)
}

// TableCount is one table's rows, read and written.
type TableCount struct {
	Table string
	Rows  int
}

// ErrRefused wraps every reason the copy did not start writing.
var ErrRefused = errors.New("copy refused")

// batchRows is how many rows go to the target at once.
const batchRows = 5000

// Run copies everything. On any failure the target is left as it was.
func Run(ctx context.Context, o Options) ([]TableCount, error) {
	if sameDatabase(o.From, o.To) {
		return nil, fmt.Errorf("%w: --to is the database being copied", ErrRefused)
	}
	snap, err := bulkdb.OpenSnapshot(ctx, o.From)
	if err != nil {
		return nil, fmt.Errorf("open the database to copy: %w", err)
	}
	defer snap.Close()
	if n, err := database.Pending(ctx, snap.DB); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, fmt.Errorf("%w: the database to copy has %d pending migration(s): run `flicket migrate up` first", ErrRefused, n)
	}
	target, _, err := database.Open(ctx, o.To, database.Options{MaxOpenConns: 4})
	if err != nil {
		return nil, fmt.Errorf("--to: %w", err)
	}
	defer func() { _ = database.Close(target) }()
	if err := database.MigrateUp(ctx, target); err != nil {
		return nil, fmt.Errorf("--to: %w", err)
	}
	state, err := bulkdb.CheckTarget(ctx, target)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	tables, err := bulkdb.Tables(ctx, target)
	if err != nil {
		return nil, err
	}
	counts := make([]TableCount, len(tables))
	for i, t := range tables {
		n, err := countRows(ctx, snap, t.Name)
		if err != nil {
			return nil, err
		}
		counts[i] = TableCount{Table: t.Name, Rows: n}
	}
	if problems, err := checkUnique(ctx, snap, database.DialectOf(target)); err != nil {
		return nil, err
	} else if len(problems) > 0 {
		return nil, fmt.Errorf("%w: the target's uniqueness rules refuse these rows (nothing was written):\n  %s", ErrRefused, strings.Join(problems, "\n  "))
	}
	tx, err := bulkdb.Begin(ctx, target)
	if err != nil {
		return nil, err
	}
	if err := write(ctx, snap, tx, tables, counts, state, o.Progress); err != nil {
		tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	var seqs []string
	for _, t := range tables {
		if t.HasIntID() {
			seqs = append(seqs, t.Name)
		}
	}
	if err := bulkdb.MoveAutoIncrement(ctx, target, seqs...); err != nil {
		return counts, err
	}
	return counts, nil
}

func write(ctx context.Context, snap *bulkdb.Snapshot, tx *bulkdb.Tx, tables []bulkdb.Table, counts []TableCount, state bulkdb.TargetState, progress func(string, int, int)) error {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	if state.SetupOnly {
		if err := tx.ClearSetup(ctx); err != nil {
			return err
		}
	}
	var seqs []string
	for i, t := range tables {
		if err := copyTable(ctx, snap, tx, t, counts[i].Rows, progress); err != nil {
			return err
		}
		if t.HasIntID() {
			seqs = append(seqs, t.Name)
		}
	}
	// Every table holds exactly what the snapshot had.
	for _, c := range counts {
		var n int64
		if err := tx.DB().WithContext(ctx).Table(c.Table).Count(&n).Error; err != nil {
			return fmt.Errorf("count %s in the target: %w", c.Table, err)
		}
		if n != int64(c.Rows) {
			return fmt.Errorf("%s: %d rows written, %d read: nothing was kept", c.Table, n, c.Rows)
		}
	}
	// The search index is not copied (each database has its own kind):
	// it is built from the copied tickets in the same transaction.
	if err := search.Rebuild(ctx, tx.DB(), nil); err != nil {
		return err
	}
	return tx.MoveSequences(ctx, seqs...)
}

func copyTable(ctx context.Context, snap *bulkdb.Snapshot, tx *bulkdb.Tx, t bulkdb.Table, total int, progress func(string, int, int)) error {
	progress(t.Name, 0, total)
	cols := t.ColumnNames()
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = bulkdb.Quote(snap.Dialect, c)
	}
	q := "SELECT " + strings.Join(quoted, ", ") + " FROM " + bulkdb.Quote(snap.Dialect, t.Name) //nolint:gosec // names read from the schema
	rows, err := snap.Tx.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	defer func() { _ = rows.Close() }()
	batch := make([][]any, 0, batchRows)
	done := 0
	flush := func() error {
		if err := tx.Insert(ctx, t.Name, cols, batch); err != nil {
			return err
		}
		done += len(batch)
		progress(t.Name, done, total)
		batch = make([][]any, 0, batchRows)
		return nil
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", t.Name, err)
		}
		for i, v := range vals {
			col := t.Columns[i]
			if b, ok := v.([]byte); ok && b == nil {
				v = nil
			}
			if v == nil && col.NotNull && col.Kind == bulkdb.KindBytes {
				// SQLite hands an empty BLOB over as nil.
				v = []byte{}
			}
			c, err := bulkdb.Convert(col.Kind, v)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", t.Name, cols[i], err)
			}
			vals[i] = c
		}
		batch = append(batch, vals)
		if len(batch) == batchRows {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	if len(batch) > 0 {
		return flush()
	}
	return nil
}

func countRows(ctx context.Context, snap *bulkdb.Snapshot, table string) (int, error) {
	var n int
	if err := snap.Tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+bulkdb.Quote(snap.Dialect, table)).Scan(&n); err != nil { //nolint:gosec // names read from the schema
		return 0, fmt.Errorf("count %s (is the source a Flicket database of this version?): %w", table, err)
	}
	return n, nil
}

// uniqueKeys are the unique indexes over text: folded ones compare in any
// letter case (on every database), exact ones as written (but MariaDB's
// collation folds those too).
var uniqueKeys = []struct {
	table, scope, column string
	folded               bool
}{
	{"users", "", "username", true},
	{"users", "", "email", false},
	{"departments", "", "department", true},
	{"categories", "department_id", "category", true},
	{"user_groups", "", "group_name", true},
	{"statuses", "", "status", false},
	{"priorities", "", "priority", false},
	{"uploads", "", "filename", false},
}

// checkUnique lists the rows the target's unique indexes would refuse,
// e.g. departments "École" and "école": two on SQLite, one on PostgreSQL.
func checkUnique(ctx context.Context, snap *bulkdb.Snapshot, target database.Dialect) ([]string, error) {
	var problems []string
	for _, k := range uniqueKeys {
		if !k.folded && target != database.MySQL {
			continue // the source's own index already held them apart
		}
		scopeCol := "''"
		if k.scope != "" {
			scopeCol = bulkdb.Quote(snap.Dialect, k.scope)
		}
		q := fmt.Sprintf("SELECT id, %s, %s FROM %s ORDER BY id", scopeCol, bulkdb.Quote(snap.Dialect, k.column), bulkdb.Quote(snap.Dialect, k.table)) //nolint:gosec // constant names
		rows, err := snap.Tx.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("read %s.%s: %w", k.table, k.column, err)
		}
		var ids []int64
		var scopes, values []string
		for rows.Next() {
			var id int64
			var scope, value string
			if err := rows.Scan(&id, &scope, &value); err != nil {
				_ = rows.Close()
				return nil, fmt.Errorf("read %s.%s: %w", k.table, k.column, err)
			}
			ids, scopes, values = append(ids, id), append(scopes, scope), append(values, value)
		}
		_ = rows.Close()
		for _, d := range bulkdb.FindDuplicates(target, scopes, values) {
			problems = append(problems, fmt.Sprintf("%s %d %q and %d %q are one %s for %s: rename one, then copy again",
				k.table, ids[d.First], values[d.First], ids[d.Index], values[d.Index], k.column, target))
		}
	}
	sort.Strings(problems)
	return problems, nil
}

// sameDatabase tells whether two URLs name the same database.
func sameDatabase(a, b string) bool {
	ta, errA := database.ParseURL(a)
	tb, errB := database.ParseURL(b)
	return errA == nil && errB == nil && ta.Dialect == tb.Dialect && ta.DSN == tb.DSN
}
