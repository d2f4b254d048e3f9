package model_test

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/demo"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// planCase is one request of the ticket list whose page query must read
// tickets over an index in the order asked: no temporary table, no sort of
// the table, no full scan. index is the index it must use ("" for the
// primary key or the planner's choice of equals; alternatives joined by |).
type planCase struct {
	name   string
	filter model.TicketFilter
	sort   string
	offset int
	index  string
	// fromEnd: the page is read with its ids first at this offset (of
	// planTickets), nearer the end than the start: from the end.
	fromEnd bool
}

// planTickets is how many tickets the plan tests seed.
const planTickets = 120

func id64(n int64) *int64 { return &n }

// planCases: the default order, every sort key in both directions, each
// indexed filter alone, the web app's default, and deep pages.
func planCases() []planCase {
	sortIndex := map[string]string{
		"priority": "idx_tickets_priority_id_id", "priority_desc": "idx_tickets_priority_desc_id",
		"title": "idx_tickets_title_key_id", "title_desc": "idx_tickets_title_key_desc_id",
		"ticketid": "", "ticketid_desc": "",
		"addedby": "idx_tickets_starter_key_id", "addedby_desc": "idx_tickets_starter_key_desc_id",
		"addedon": "idx_tickets_date_added_id", "addedon_desc": "idx_tickets_date_added_desc_id",
		"last_updated": "idx_tickets_last_updated_id", "last_updated_desc": "idx_tickets_last_updated_desc_id",
		"replies": "idx_tickets_num_replies_id", "replies_desc": "idx_tickets_num_replies_desc_id",
		"department_category": "idx_tickets_dept_cat_key_id", "department_category_desc": "idx_tickets_dept_cat_key_desc_id",
		"status": "idx_tickets_status_id_id", "status_desc": "idx_tickets_status_desc_id",
		"assigned": "idx_tickets_assignee_key_id", "assigned_desc": "idx_tickets_assignee_key_desc_id",
		"time": "idx_tickets_total_hours_id", "time_desc": "idx_tickets_total_hours_desc_id",
	}
	cases := []planCase{{name: "default"}}
	for _, key := range model.TicketSortKeys() {
		idx, ok := sortIndex[key]
		if !ok {
			panic("no expected index for sort " + key)
		}
		cases = append(cases, planCase{name: "sort=" + key, sort: key, index: idx})
	}
	cases = append(cases,
		planCase{name: "department", filter: model.TicketFilter{DepartmentID: id64(2)}, index: "idx_tickets_department_id_id"},
		planCase{name: "category", filter: model.TicketFilter{CategoryIDs: []int64{5}}, index: "idx_tickets_category_id_id"},
		planCase{name: "status", filter: model.TicketFilter{StatusID: id64(model.StatusInWork)}, index: "idx_tickets_status_id_id|idx_tickets_status_desc_id"},
		planCase{name: "state=open", filter: model.TicketFilter{State: model.StateOpen}, index: "idx_tickets_closed_id"},
		planCase{name: "state=closed", filter: model.TicketFilter{State: model.StateClosed}, index: "idx_tickets_closed_id"},
		planCase{name: "priority", filter: model.TicketFilter{PriorityID: id64(3)}, index: "idx_tickets_priority_id_id"},
		planCase{name: "assigned_id", filter: model.TicketFilter{AssignedID: id64(3)}, index: "idx_tickets_assigned_id_id"},
		planCase{name: "created_id", filter: model.TicketFilter{CreatedID: id64(3)}, index: "idx_tickets_started_id_id"},
		planCase{name: "web app default", filter: model.TicketFilter{State: model.StateOpen}, sort: "priority_desc",
			index: "idx_tickets_closed_priority_desc_id"},
		// Deep pages: the ids come from an index alone (checked by
		// indexOnly for every case past shallowOffset), in the default
		// order from migration 0030's index of ids (PostgreSQL: the
		// primary key), never from the table's rows.
		planCase{name: "deep page", offset: 5000, index: "idx_tickets_id"},
		// MariaDB/MySQL walk ids downwards over a descending index (0033).
		planCase{name: "deep page sort=ticketid_desc", sort: "ticketid_desc", offset: 5000, index: "idx_tickets_id|idx_tickets_id_desc"},
		planCase{name: "deep page sort=title_desc", sort: "title_desc", offset: 5000, index: "idx_tickets_title_key_desc_id"},
		planCase{name: "deep page sort=assigned", sort: "assigned", offset: 5000, index: "idx_tickets_assignee_key_id"},
		planCase{name: "deep page sort=addedon_desc", sort: "addedon_desc", offset: 90000, index: "idx_tickets_date_added_desc_id"},
		planCase{name: "deep page department", filter: model.TicketFilter{DepartmentID: id64(2)}, offset: 5000,
			index: "idx_tickets_department_id_id"},
		planCase{name: "deep page web app default", filter: model.TicketFilter{State: model.StateOpen}, sort: "priority_desc",
			offset: 5000, index: "idx_tickets_closed_priority_desc_id"},
		// Deep pages nearer the end: the same indexes read the other way,
		// from the end (the index of ids downwards on MariaDB/MySQL).
		planCase{name: "from the end", offset: 100, fromEnd: true, index: "idx_tickets_id|idx_tickets_id_desc"},
		planCase{name: "from the end sort=ticketid_desc", sort: "ticketid_desc", offset: 100, fromEnd: true, index: "idx_tickets_id"},
		planCase{name: "from the end sort=title", sort: "title", offset: 100, fromEnd: true, index: "idx_tickets_title_key_id"},
		planCase{name: "from the end sort=assigned_desc", sort: "assigned_desc", offset: 100, fromEnd: true, index: "idx_tickets_assignee_key_desc_id"},
		planCase{name: "from the end department", filter: model.TicketFilter{DepartmentID: id64(2)}, offset: 10, fromEnd: true,
			index: "idx_tickets_department_id_id"},
		planCase{name: "from the end assigned_id", filter: model.TicketFilter{AssignedID: id64(3)}, offset: 1, fromEnd: true,
			index: "idx_tickets_assigned_id_id"},
		planCase{name: "from the end web app default", filter: model.TicketFilter{State: model.StateOpen}, sort: "priority_desc",
			offset: 60, fromEnd: true, index: "idx_tickets_closed_priority_desc_id"},
	)
	return cases
}

// deepOffset is where ListTickets starts finding a page's ids first
// (model.shallowOffset).
const deepOffset = 2000

// TestTicketListPlans EXPLAINs the statement that finds each page (as
// ListTickets runs it) on a small table. SQLite plans without statistics
// as for a large table; MariaDB/MySQL are told the index; PostgreSQL is
// steered off sequential and bitmap scans, which on a few rows beat reading
// an index in order and at 100k rows do not.
func TestTicketListPlans(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		testutil.Seed(t, tdb.DB)
		_, err := demo.Seed(ctx, tdb.DB, testutil.Hasher(), demo.Options{Tickets: planTickets, PostsPerTicket: 0, Users: 4, BatchSize: planTickets}, nil)
		testutil.Must(t, err)
		if tdb.Dialect == database.SQLite {
			// demo.Seed analyzes; plans here are those of a database
			// whose statistics are not those of 120 tickets.
			testutil.Must(t, tdb.DB.Exec("DROP TABLE IF EXISTS sqlite_stat1").Error)
			testutil.Must(t, tdb.DB.Exec("DROP TABLE IF EXISTS sqlite_stat4").Error)
		}
		rec, stmts := testutil.RecordStatements(tdb.DB)
		for _, c := range planCases() {
			var s model.TicketSort
			if c.sort != "" {
				var ok bool
				if s, ok = model.ParseTicketSort(c.sort); !ok {
					t.Fatalf("bad sort %q", c.sort)
				}
			}
			stmts.Take()
			if c.fromEnd {
				if _, _, ok, err := model.ListTicketsFromEnd(ctx, rec, c.filter, s, c.offset, 50); err != nil || !ok {
					t.Fatalf("%s: not read from the end (%v)", c.name, err)
				}
			} else if _, _, err := model.ListTickets(ctx, rec, c.filter, s, c.offset, 50); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			page := pageStatement(t, stmts.Take())
			plan := explain(t, tdb, page)
			msg := badPlan(tdb.Dialect, plan, c.index)
			// SQLite and MariaDB/MySQL are told the index: with statistics
			// (ANALYZE at 100k) SQLite took (started_id, last_reply_user_id)
			// for created_id and sorted its tickets.
			if msg == "" && c.index != "" && tdb.Dialect != database.Postgres && !namesIndex(page, c.index) {
				msg = "does not name its index " + c.index
			}
			// SQLite never reads an index alone when the query names a
			// virtual generated column (closed, the state filter): it
			// counts the columns the expression reads as used. Known;
			// see the README.
			sqliteClosed := tdb.Dialect == database.SQLite && c.filter.State != ""
			if msg == "" && (c.offset >= deepOffset || c.fromEnd) && !sqliteClosed {
				msg = notIndexOnly(tdb.Dialect, plan, c.index)
			}
			if msg != "" {
				t.Errorf("%s: %s\nquery: %s\nplan:\n%s", c.name, msg, page, strings.Join(plan, "\n"))
			}
		}
	})
}

// namesIndex tells whether the query names one of the indexes (a|b) as the
// one to read (INDEXED BY, FORCE INDEX).
func namesIndex(q, index string) bool {
	for _, ix := range strings.Split(index, "|") {
		if strings.Contains(q, "INDEXED BY "+ix+" ") || strings.Contains(q, "FORCE INDEX ("+ix+")") {
			return true
		}
	}
	return false
}

// pageStatement is the statement that finds the page among a list
// request's statements: the first with an ORDER BY (a deep page may read
// the counters first).
func pageStatement(t *testing.T, stmts []string) string {
	t.Helper()
	for _, q := range stmts {
		if strings.Contains(q, "ORDER BY") {
			return q
		}
	}
	t.Fatalf("no page query among %q", stmts)
	return ""
}

// explain returns the plan of q, one line per step.
func explain(t *testing.T, tdb *testutil.TestDB, q string) []string {
	t.Helper()
	var lines []string
	err := tdb.DB.Transaction(func(tx *gorm.DB) error {
		prefix := "EXPLAIN "
		switch tdb.Dialect {
		case database.SQLite:
			prefix = "EXPLAIN QUERY PLAN "
		case database.Postgres:
			// On a few rows a bitmap scan and a sort of what it found is
			// cheapest; on many, reading the index in order until the page
			// is full is (LIMIT). Steer as for many.
			for _, set := range []string{"enable_seqscan", "enable_bitmapscan"} {
				if err := tx.Exec("SET LOCAL " + set + " = off").Error; err != nil {
					return err
				}
			}
		}
		rows, err := tx.Raw(prefix + q).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			var parts []string
			for i, c := range cols {
				switch tdb.Dialect {
				case database.SQLite:
					if c == "detail" {
						parts = append(parts, vals[i].String)
					}
				case database.MySQL:
					switch strings.ToLower(c) {
					case "table", "type", "key", "extra":
						parts = append(parts, strings.ToLower(c)+"="+vals[i].String)
					}
				default:
					parts = append(parts, vals[i].String)
				}
			}
			lines = append(lines, strings.Join(parts, " "))
		}
		return rows.Err()
	})
	testutil.Must(t, err)
	return lines
}

// badPlan says what is wrong with a page's plan ("" when nothing is).
func badPlan(d database.Dialect, plan []string, index string) string {
	all := strings.Join(plan, "\n")
	uses := index == ""
	for _, ix := range strings.Split(index, "|") {
		uses = uses || strings.Contains(all, ix+" ") || strings.Contains(all, ix+"\n") || strings.HasSuffix(all, ix)
	}
	switch d {
	case database.SQLite:
		if strings.Contains(all, "TEMP B-TREE") {
			return "sorts in a temporary b-tree"
		}
		for _, l := range plan {
			if strings.HasPrefix(l, "SCAN tickets") && !strings.Contains(l, "INDEX") && index != "" {
				return "scans the table"
			}
		}
	case database.MySQL:
		for _, l := range plan {
			if !strings.Contains(l, "table=tickets") {
				continue
			}
			if strings.Contains(l, "filesort") || strings.Contains(l, "temporary") {
				return "sorts with a filesort or temporary table"
			}
			if strings.Contains(l, "type=ALL") {
				return "scans the table"
			}
		}
	case database.Postgres:
		for _, l := range plan {
			l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "->"))
			if strings.HasPrefix(l, "Sort") || strings.HasPrefix(l, "Incremental Sort") {
				return "sorts"
			}
			if strings.HasPrefix(l, "Seq Scan on tickets") {
				return "scans the table"
			}
		}
		// The planner may equally walk the primary key for a filter on a
		// tiny table; the order must come from an index all the same.
		return ""
	}
	if !uses {
		return fmt.Sprintf("does not use %s", index)
	}
	return ""
}

// notIndexOnly says why the plan of a deep page's ids reads more than the
// index (its rows, or the table's rows in the primary key's order) ("" when
// it reads the index alone).
func notIndexOnly(d database.Dialect, plan []string, index string) string {
	if alts := strings.Split(index, "|"); len(alts) > 1 {
		for _, ix := range alts {
			if notIndexOnly(d, plan, ix) == "" {
				return ""
			}
		}
		return "does not find the ids from an index alone"
	}
	for _, l := range plan {
		switch d {
		case database.SQLite:
			if strings.Contains(l, "tickets") && strings.Contains(l, "COVERING INDEX "+index) {
				return ""
			}
		case database.MySQL:
			if !strings.Contains(l, "table=tickets") {
				continue
			}
			usingIndex := false
			for _, part := range strings.Split(l[strings.Index(l, "extra=")+len("extra="):], ";") {
				usingIndex = usingIndex || strings.TrimSpace(part) == "Using index"
			}
			// InnoDB says "Using index" of its primary key too: the rows.
			if usingIndex && strings.Contains(l, "key="+index+" ") {
				return ""
			}
		case database.Postgres:
			if strings.Contains(l, "Index Only Scan") && strings.Contains(l, " on tickets") {
				return ""
			}
		}
	}
	return "does not find the ids from an index alone"
}

// TestTicketListIDsFirstSamePages: a page read in two steps, as deep pages
// are (ids over an index, then rows by id), is the page read in one, row for
// row, for every sort key and the indexed filters.
func TestTicketListIDsFirstSamePages(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		testutil.Seed(t, tdb.DB)
		_, err := demo.Seed(ctx, tdb.DB, testutil.Hasher(), demo.Options{Tickets: 90, PostsPerTicket: 0, Users: 4, BatchSize: 90}, nil)
		testutil.Must(t, err)
		for _, c := range planCases() {
			var s model.TicketSort
			if c.sort != "" {
				s, _ = model.ParseTicketSort(c.sort)
			}
			// 60, 65, 80 and 89 of 90 are read from the end.
			for _, offset := range []int{0, 25, 60, 65, 80, 89, 200} {
				want, wantTotal, err := model.ListTickets(ctx, tdb.DB, c.filter, s, offset, 25)
				testutil.Must(t, err)
				got, gotTotal, err := model.ListTicketsIDsFirst(ctx, tdb.DB, c.filter, s, offset, 25)
				testutil.Must(t, err)
				if gotTotal != wantTotal || !reflect.DeepEqual(got, want) {
					t.Errorf("%s, offset %d: ids first %v (total %d), in one step %v (total %d)",
						c.name, offset, viewIDs(got), gotTotal, viewIDs(want), wantTotal)
				}
				if offset == 25 && len(want) == 0 && wantTotal > 25 {
					t.Errorf("%s: an empty page at offset 25 of %d", c.name, wantTotal)
				}
			}
		}
	})
}

func viewIDs(items []model.TicketView) []int64 {
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	return ids
}

// involvedSorts are the orders in which a "created by or assigned to" page
// is merged from its two index walks (model.mergesInvolved).
var involvedSorts = []string{"", "ticketid", "ticketid_desc"}

// TestTicketListInvolvedPlans: the page of view=subscribed alone reads its
// ids in order from the user's (user_id, ticket_id) index of subscriptions,
// nothing else. The page of `user` (and view=mine), created
// by or assigned to one user, reads tickets over the (started_id, id) and
// (assigned_id, id) indexes in order, each walk stopping at offset+limit
// entries (the page's rows are then read by id): no scan of tickets, and
// nothing sorted but the merged ids of the two walks (at most 2 x
// (offset+limit)).
func TestTicketListInvolvedPlans(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		testutil.Seed(t, tdb.DB)
		_, err := demo.Seed(ctx, tdb.DB, testutil.Hasher(), demo.Options{Tickets: 120, PostsPerTicket: 0, Users: 4, BatchSize: 120}, nil)
		testutil.Must(t, err)
		if tdb.Dialect == database.SQLite {
			testutil.Must(t, tdb.DB.Exec("DROP TABLE IF EXISTS sqlite_stat1").Error)
			testutil.Must(t, tdb.DB.Exec("DROP TABLE IF EXISTS sqlite_stat4").Error)
		}
		rec, stmts := testutil.RecordStatements(tdb.DB)
		filters := map[string]model.TicketFilter{
			"user":      {UserID: id64(3)},
			"view=mine": {MineOf: id64(3)},
		}
		for _, sort := range involvedSorts {
			s, _ := model.ParseTicketSort(sort)
			for _, offset := range []int{0, 5000} {
				stmts.Take()
				if _, _, err := model.ListTickets(ctx, rec, model.TicketFilter{SubscribedBy: id64(3)}, s, offset, 50); err != nil {
					t.Fatalf("view=subscribed sort=%s: %v", sort, err)
				}
				page := stmts.Take()[0]
				plan := explain(t, tdb, page)
				if msg := badSubscribedPlan(tdb.Dialect, plan); msg != "" {
					t.Errorf("view=subscribed sort=%s offset %d: %s\nquery: %s\nplan:\n%s", sort, offset, msg, page, strings.Join(plan, "\n"))
				}
			}
		}
		for name, f := range filters {
			for _, sort := range involvedSorts {
				s, _ := model.ParseTicketSort(sort)
				for _, offset := range []int{0, 5000} {
					stmts.Take()
					if _, _, err := model.ListTickets(ctx, rec, f, s, offset, 50); err != nil {
						t.Fatalf("%s sort=%s: %v", name, sort, err)
					}
					page := stmts.Take()[0]
					plan := explain(t, tdb, page)
					if msg := badInvolvedPlan(tdb.Dialect, plan); msg != "" {
						t.Errorf("%s sort=%s offset %d: %s\nquery: %s\nplan:\n%s", name, sort, offset, msg, page, strings.Join(plan, "\n"))
					}
				}
			}
		}
	})
}

// badSubscribedPlan says what is wrong with the plan of a view=subscribed
// page's ids ("" when nothing is).
func badSubscribedPlan(d database.Dialect, plan []string) string {
	all := strings.Join(plan, "\n")
	switch {
	case !strings.Contains(all, "idx_subscriptions_user_id_ticket_id"):
		return "does not read idx_subscriptions_user_id_ticket_id"
	case strings.Contains(all, "tickets"):
		return "reads tickets"
	case d == database.SQLite && strings.Contains(all, "TEMP B-TREE"),
		d == database.MySQL && (strings.Contains(all, "filesort") || strings.Contains(all, "temporary")),
		d == database.Postgres && strings.Contains(all, "Sort"):
		return "sorts"
	}
	return ""
}

// badInvolvedPlan says what is wrong with the plan of a merged page ("" when
// nothing is).
func badInvolvedPlan(d database.Dialect, plan []string) string {
	all := strings.Join(plan, "\n")
	for _, ix := range []string{"idx_tickets_started_id_id", "idx_tickets_assigned_id_id"} {
		if !strings.Contains(all, ix) {
			return "does not walk " + ix
		}
	}
	for _, l := range plan {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "->"))
		switch d {
		case database.SQLite:
			// Each walk's ids are sorted again for the merge (SQLite does
			// not know a subquery's order): at most offset+limit of them.
			if strings.HasPrefix(l, "SCAN tickets") {
				return "scans tickets"
			}
		case database.MySQL:
			if strings.Contains(l, "table=tickets") &&
				(strings.Contains(l, "filesort") || strings.Contains(l, "temporary") || strings.Contains(l, "type=ALL") || strings.Contains(l, "type=index")) {
				return "scans or sorts tickets"
			}
		case database.Postgres:
			if strings.HasPrefix(l, "Seq Scan on tickets") {
				return "scans tickets"
			}
			// The only sort is of the merged ids.
			if key, ok := strings.CutPrefix(l, "Sort Key: "); ok && !strings.HasSuffix(strings.TrimSuffix(key, " DESC"), ".id") {
				return "sorts by " + key
			}
		}
	}
	return ""
}

// TestTicketListInvolvedSamePages: the merged pages of `user` and view=mine,
// and the pages of view=subscribed read from subscriptions, are the pages and totals of the plain condition (started_id = ? OR
// assigned_id = ?), for every user, at several offsets, alone and with
// another filter, in the merged orders and another sort.
func TestTicketListInvolvedSamePages(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		db := tdb.DB
		admin := testutil.Seed(t, db).Admin
		_, err := demo.Seed(ctx, db, testutil.Hasher(), demo.Options{Tickets: 150, PostsPerTicket: 0, Users: 4, BatchSize: 150}, nil)
		testutil.Must(t, err)
		var users []int64
		testutil.Must(t, db.Model(&model.User{}).Order("id").Pluck("id", &users).Error)
		// Some tickets started by and assigned to the same user, counted once.
		writer := model.NewWriter(db, model.WriterOptions{})
		for _, u := range users[1:] {
			var ids []int64
			testutil.Must(t, db.Model(&model.Ticket{}).Where("started_id = ? AND status_id <> ? AND (assigned_id IS NULL OR assigned_id <> ?)", u, model.StatusClosed, u).Order("id").Limit(3).Pluck("id", &ids).Error)
			for _, id := range ids {
				testutil.Must(t, writer.Do(ctx, func(tx *model.Tx) error { return model.Assign(ctx, tx, id, admin, u) }))
			}
		}
		// view=subscribed: its pages and totals are those of the plain
		// condition too.
		for _, u := range users {
			where := "id IN (SELECT ticket_id FROM subscriptions WHERE user_id = ?)"
			for _, sort := range append(involvedSorts, "title_desc") {
				s, _ := model.ParseTicketSort(sort)
				order := map[string]string{"": "id ASC", "ticketid": "id ASC", "ticketid_desc": "id DESC", "title_desc": "title_key DESC, id ASC"}[sort]
				for _, offset := range []int{0, 7, 40, 1000} {
					var want []int64
					testutil.Must(t, db.Model(&model.Ticket{}).Where(where, u).Order(order).Offset(offset).Limit(20).Pluck("id", &want).Error)
					var wantTotal int64
					testutil.Must(t, db.Model(&model.Ticket{}).Where(where, u).Count(&wantTotal).Error)
					got, gotTotal, err := model.ListTickets(ctx, db, model.TicketFilter{SubscribedBy: &u}, s, offset, 20)
					testutil.Must(t, err)
					if gotTotal != wantTotal || !slices.Equal(viewIDs(got), want) {
						t.Errorf("view=subscribed user %d sort=%s offset %d: %v (total %d), want %v (total %d)",
							u, sort, offset, viewIDs(got), gotTotal, want, wantTotal)
					}
					if offset == 0 && wantTotal == 0 && u != users[0] {
						t.Errorf("user %d subscribes to nothing: the test shows nothing", u)
					}
				}
			}
		}
		for _, u := range users {
			for _, extra := range []struct {
				name  string
				f     model.TicketFilter
				where string
			}{{"alone", model.TicketFilter{}, "1 = 1"}, {"open", model.TicketFilter{State: model.StateOpen}, "status_id <> 2"}} {
				for _, sort := range append(involvedSorts, "title_desc") {
					s, _ := model.ParseTicketSort(sort)
					order := "id ASC"
					switch sort {
					case "ticketid_desc":
						order = "id DESC"
					case "title_desc":
						order = "title_key DESC, id ASC"
					}
					for _, offset := range []int{0, 7, 40, 1000} {
						var want []int64
						testutil.Must(t, db.Model(&model.Ticket{}).Where("(started_id = ? OR assigned_id = ?) AND "+extra.where, u, u).
							Order(order).Offset(offset).Limit(20).Pluck("id", &want).Error)
						var wantTotal int64
						testutil.Must(t, db.Model(&model.Ticket{}).Where("(started_id = ? OR assigned_id = ?) AND "+extra.where, u, u).Count(&wantTotal).Error)
						for _, view := range []bool{false, true} {
							f := extra.f
							if view {
								f.MineOf = &u
							} else {
								f.UserID = &u
							}
							got, gotTotal, err := model.ListTickets(ctx, db, f, s, offset, 20)
							testutil.Must(t, err)
							if gotTotal != wantTotal || !slices.Equal(viewIDs(got), want) {
								t.Errorf("user %d %s sort=%s offset %d view=%v: %v (total %d), want %v (total %d)",
									u, extra.name, sort, offset, view, viewIDs(got), gotTotal, want, wantTotal)
							}
						}
					}
				}
			}
		}
	})
}
