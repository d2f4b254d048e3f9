package model

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"gorm.io/gorm"
)

// A page past OFFSET rows walks OFFSET index entries, on every database. When
// the page is nearer the end of the list than its start and the total is
// known from counters, listFromEnd reads it backwards from the end instead:
// OFFSET total-offset-limit in the reversed order (the same index read the
// other way), then turns the ids round. The total and the page must come
// from one snapshot, or a ticket written in between would shift the page:
// on PostgreSQL and SQLite one statement computes LIMIT and OFFSET from the
// counters itself; MariaDB/MySQL (whose LIMIT takes constants only) reads
// both in one REPEATABLE READ transaction.

// backwardCost is how many entries of a forward walk one entry of a backward
// walk costs, by database: InnoDB reads an index backwards at about a third
// of the speed (SHOW PROFILES at 100k: 12,450 entries backwards 4-10 ms,
// 87,500 forwards 14-32 ms), so MariaDB/MySQL read the default order from
// the end over a descending index of ids instead (migration 0033).
func backwardCost(db *gorm.DB, f TicketFilter, s TicketSort) int {
	if db.Name() == "mysql" && (!f.empty() || ticketSortKeys[s.Key].column != "") {
		return 3
	}
	return 1
}

// listFromEnd reads a deep page from the end when that walks fewer entries
// (ok false: read it from the start).
func listFromEnd(ctx context.Context, db *gorm.DB, f TicketFilter, s TicketSort, offset, limit int) ([]TicketView, int64, bool, error) {
	sumSQL, sumArgs, counted := f.totalSQL()
	// Only where one index serves the order (read either way).
	if !counted || s.reverse || (!f.empty() && pageIndex(f, s) == "") {
		return nil, 0, false, nil
	}
	r := s
	r.reverse = true
	var ids []int64
	var total int64
	fromEnd := false
	read := func(tx *gorm.DB) error {
		if err := tx.Raw(sumSQL, sumArgs...).Row().Scan(&total); err != nil {
			return fmt.Errorf("sum ticket counts: %w", err)
		}
		rest := total - int64(offset) - int64(limit)
		if int64(offset) >= total || max(rest, 0)*int64(backwardCost(db, f, s)) >= int64(offset) {
			return nil
		}
		fromEnd = true
		var q, cols string
		var args []any
		if db.Name() == "mysql" {
			// The transaction's snapshot holds total still.
			q, args = ticketPageSQL(tx, "tickets.id", nil, f, r, int(max(rest, 0)), int(min(int64(limit), total-int64(offset))), true)
		} else {
			// One statement, one snapshot: LIMIT and OFFSET from the
			// counters as this statement sees them (never negative: a
			// negative LIMIT is no limit on SQLite).
			least, greatest := "LEAST", "GREATEST"
			if db.Name() == "sqlite" {
				least, greatest = "MIN", "MAX"
			}
			n, o := strconv.Itoa(limit), strconv.Itoa(offset)
			lim := fmt.Sprintf("%s(%s(%s, (%s) - %s), 0)", greatest, least, n, sumSQL, o)
			off := fmt.Sprintf("%s((%s) - %s - %s, 0)", greatest, sumSQL, o, n)
			// The total as the statement saw it, beside each id.
			cols = ", (" + sumSQL + ") AS total"
			q, args = ticketPageSQLExpr(tx, "tickets.id"+cols, sumArgs, f, r, lim, off, slices.Concat(sumArgs, sumArgs), true)
		}
		rows, err := tx.Raw(q, args...).Rows()
		if err != nil {
			return fmt.Errorf("list ticket ids from the end: %w", err)
		}
		for rows.Next() {
			var id int64
			dest := []any{&id}
			if cols != "" {
				dest = append(dest, &total)
			}
			if err := rows.Scan(dest...); err != nil {
				_ = rows.Close()
				return fmt.Errorf("list ticket ids from the end: %w", err)
			}
			ids = append(ids, id)
		}
		return errors.Join(rows.Err(), rows.Close())
	}
	var err error
	if db.Name() == "mysql" {
		err = db.WithContext(ctx).Transaction(read, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	} else {
		err = read(db.WithContext(ctx))
	}
	if err != nil || !fromEnd {
		return nil, 0, false, err
	}
	slices.Reverse(ids)
	items, err := ticketRows(ctx, db, ticketListFieldsWithBody, ids)
	if err != nil {
		return nil, 0, false, err
	}
	return items, total, true, nil
}
