package model

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Values of TicketFilter.State.
const (
	StateOpen   = "open"   // every status but Closed
	StateClosed = "closed" // Closed only
)

// TicketFilter narrows the ticket list and the CSV export. Nil and empty
// fields do not filter; set fields are combined with AND.
type TicketFilter struct {
	DepartmentID *int64
	// CategoryIDs: the ticket's category is one of these (a category name
	// can name one category in each of several departments).
	CategoryIDs []int64
	StatusID    *int64
	State       string
	PriorityID  *int64
	// UserID: created by or assigned to this user.
	UserID     *int64
	AssignedID *int64
	CreatedID  *int64
	// MineOf: created by or assigned to this user (view=mine).
	MineOf *int64
	// SubscribedBy: this user is subscribed to the ticket (view=subscribed).
	SubscribedBy *int64
	// WaitingOn: open, created by this user, and its latest reply is
	// someone else's (view=waiting: the requester's turn), over
	// idx_tickets_started_last_reply.
	WaitingOn *int64
	// Q: words in the title, the body or any reply (internal/search),
	// parsed into Search by NewTicketSearch.
	Q      string
	Search *TicketSearch
}

// countedByCounters tells whether the filter only uses columns the
// ticket_counts table is keyed by (department through category, category,
// status, state, priority), so the total is a sum over a few counter rows
// instead of a COUNT over the tickets.
func (f TicketFilter) countedByCounters() bool {
	return f.UserID == nil && f.AssignedID == nil && f.CreatedID == nil &&
		f.MineOf == nil && f.SubscribedBy == nil && f.WaitingOn == nil && f.Q == ""
}

// onlyPeople tells whether the filter names people (user, view=mine,
// assigned_id, created_id) and nothing else.
func (f TicketFilter) onlyPeople() bool {
	return f.DepartmentID == nil && f.CategoryIDs == nil && f.StatusID == nil && f.State == "" &&
		f.PriorityID == nil && f.SubscribedBy == nil && f.WaitingOn == nil && f.Q == ""
}

// involved is the user of "created by or assigned to" (user, view=mine):
// ok when exactly one user is named so (user and view=mine may name the
// same one).
func (f TicketFilter) involved() (id int64, ok bool) {
	switch {
	case f.UserID != nil && f.MineOf != nil:
		return *f.UserID, *f.UserID == *f.MineOf
	case f.UserID != nil:
		return *f.UserID, true
	case f.MineOf != nil:
		return *f.MineOf, true
	}
	return 0, false
}

// userCounter is the user counter that holds the filter's total when one
// does: total_assigned for assigned_id alone, total_started for created_id
// alone, and for user or view=mine alone (created by or assigned to) the
// tickets started plus those assigned minus those both started by and
// assigned to the user (counted once). column is an expression over the
// counter columns of users and user_counts alike.
func (f TicketFilter) userCounter() (column string, userID int64, ok bool) {
	if !f.onlyPeople() {
		return "", 0, false
	}
	involved, isInvolved := f.involved()
	switch {
	case f.AssignedID != nil && f.CreatedID == nil && f.UserID == nil && f.MineOf == nil:
		return "total_assigned", *f.AssignedID, true
	case f.CreatedID != nil && f.AssignedID == nil && f.UserID == nil && f.MineOf == nil:
		return "total_started", *f.CreatedID, true
	case isInvolved && f.AssignedID == nil && f.CreatedID == nil:
		return "total_started + total_assigned - total_self_assigned", involved, true
	}
	return "", 0, false
}

// userCounterSum is the SQL of a user counter (the users row plus its
// user_counts shards); 0 for an id that names no user.
func userCounterSum(column string, userID int64) (string, []any) {
	return `SELECT COALESCE((SELECT ` + column + ` FROM users WHERE users.id = ?), 0) +
		COALESCE((SELECT SUM(` + column + `) FROM user_counts WHERE user_counts.user_id = ?), 0)`,
		[]any{userID, userID}
}

// totalSQL is the SQL of the filter's total when counters hold it (ok false
// when only a COUNT over tickets can tell).
func (f TicketFilter) totalSQL() (q string, args []any, ok bool) {
	switch {
	case f.countedByCounters():
		q, args = f.counterSum()
		return q, args, true
	}
	if column, id, ok := f.userCounter(); ok {
		q, args = userCounterSum(column, id)
		return q, args, true
	}
	if f.subscribedAlone() {
		q, args = f.subscribedCount()
		return q, args, true
	}
	return "", nil, false
}

// where is the filter's condition over tickets ("1 = 1" when it has none).
func (f TicketFilter) where() (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if f.DepartmentID != nil {
		add("tickets.department_id = ?", *f.DepartmentID)
	}
	if f.CategoryIDs != nil {
		add("tickets.category_id IN ?", f.CategoryIDs)
	}
	if f.StatusID != nil {
		add("tickets.status_id = ?", *f.StatusID)
	}
	switch f.State {
	case StateOpen:
		add("tickets.closed = ?", false)
	case StateClosed:
		add("tickets.closed = ?", true)
	}
	if f.PriorityID != nil {
		add("tickets.ticket_priority_id = ?", *f.PriorityID)
	}
	for _, id := range []*int64{f.UserID, f.MineOf} {
		if id != nil {
			add("(tickets.started_id = ? OR tickets.assigned_id = ?)", *id, *id)
		}
	}
	if f.AssignedID != nil {
		add("tickets.assigned_id = ?", *f.AssignedID)
	}
	if f.CreatedID != nil {
		add("tickets.started_id = ?", *f.CreatedID)
	}
	if f.SubscribedBy != nil {
		add("tickets.id IN (SELECT ticket_id FROM subscriptions WHERE user_id = ?)", *f.SubscribedBy)
	}
	if f.WaitingOn != nil {
		add("tickets.started_id = ? AND tickets.last_reply_user_id <> ? AND tickets.closed = ?", *f.WaitingOn, *f.WaitingOn, false)
	}
	if f.Q != "" {
		cond, a := f.searchCondition()
		add(cond, a...)
	}
	return strings.Join(conds, " AND "), args
}

// apply adds the filter's conditions to a query over tickets.
func (f TicketFilter) apply(q *gorm.DB) *gorm.DB {
	cond, args := f.where()
	return q.Where(cond, args...)
}

// filterIndex names the index that serves the filter alone in the default
// order (by id), or "" when the filter is not exactly one indexed column.
func (f TicketFilter) filterIndex() string {
	var found []string
	if f.DepartmentID != nil {
		found = append(found, "idx_tickets_department_id_id")
	}
	if f.CategoryIDs != nil {
		found = append(found, "idx_tickets_category_id_id")
	}
	if f.StatusID != nil {
		found = append(found, "idx_tickets_status_id_id")
	}
	if f.State != "" {
		found = append(found, "idx_tickets_closed_id")
	}
	if f.PriorityID != nil {
		found = append(found, "idx_tickets_priority_id_id")
	}
	if f.AssignedID != nil {
		found = append(found, "idx_tickets_assigned_id_id")
	}
	if f.CreatedID != nil {
		found = append(found, "idx_tickets_started_id_id")
	}
	if f.UserID != nil || f.MineOf != nil || f.SubscribedBy != nil || f.WaitingOn != nil || f.Q != "" ||
		len(found) != 1 || len(f.CategoryIDs) > 1 {
		return ""
	}
	return found[0]
}

// emptyBesidesSearch tells whether the filter selects by nothing but its
// search (q).
func (f TicketFilter) emptyBesidesSearch() bool {
	f.Q = ""
	return f.empty()
}

// empty tells whether the filter selects every ticket.
func (f TicketFilter) empty() bool {
	return f.DepartmentID == nil && f.CategoryIDs == nil && f.StatusID == nil && f.State == "" &&
		f.PriorityID == nil && f.UserID == nil && f.AssignedID == nil && f.CreatedID == nil &&
		f.MineOf == nil && f.SubscribedBy == nil && f.WaitingOn == nil && f.Q == ""
}

// CountTickets counts the tickets the filter selects: a sum over
// ticket_counts when only department, category, status, state or priority
// filter; the user's counters for assigned_id, created_id, user or view=mine
// alone; for view=subscribed alone a count of the user's subscriptions; an
// indexed COUNT for people filters combined with others; for text search a COUNT that stops at
// the search's CountLimit (setting Capped).
func CountTickets(ctx context.Context, db *gorm.DB, f TicketFilter) (int64, error) {
	if q, args, ok := f.totalSQL(); ok {
		var n int64
		if err := db.WithContext(ctx).Raw(q, args...).Row().Scan(&n); err != nil {
			return 0, fmt.Errorf("sum ticket counts: %w", err)
		}
		return n, nil
	}
	if f.Search != nil {
		return countSearch(ctx, db, f)
	}
	var n int64
	if err := f.apply(db.WithContext(ctx).Table("tickets")).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count tickets: %w", err)
	}
	return n, nil
}

// counterSum is the SQL that adds up the counter rows the filter selects
// (for filters where countedByCounters holds).
func (f TicketFilter) counterSum() (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("SELECT COALESCE(SUM(ticket_counts.n), 0) FROM ticket_counts")
	if f.DepartmentID != nil {
		b.WriteString(" JOIN categories ON categories.id = ticket_counts.category_id")
	}
	b.WriteString(" WHERE 1 = 1")
	if f.DepartmentID != nil {
		b.WriteString(" AND categories.department_id = ?")
		args = append(args, *f.DepartmentID)
	}
	if f.CategoryIDs != nil {
		b.WriteString(" AND ticket_counts.category_id IN ?")
		args = append(args, f.CategoryIDs)
	}
	if f.StatusID != nil {
		b.WriteString(" AND ticket_counts.status_id = ?")
		args = append(args, *f.StatusID)
	}
	switch f.State {
	case StateOpen:
		b.WriteString(" AND ticket_counts.status_id <> ?")
		args = append(args, StatusClosed)
	case StateClosed:
		b.WriteString(" AND ticket_counts.status_id = ?")
		args = append(args, StatusClosed)
	}
	if f.PriorityID != nil {
		b.WriteString(" AND ticket_counts.ticket_priority_id = ?")
		args = append(args, *f.PriorityID)
	}
	return b.String(), args
}

// TicketSort orders the ticket list. The zero value is by id.
type TicketSort struct {
	Key  string
	Desc bool
	// reverse reads the order backwards: a deep page nearer the end of the
	// list than its start is found from the end (listFromEnd).
	reverse bool
}

// ticketSortKey is what one of the original's sort keys (features §3.5)
// orders by: a column of tickets (names by their collation keys, see
// migration 0007; a missing user sorts as an empty name, first) and the
// indexes that serve it in each direction, ties by id ascending. An empty
// column is the primary key.
type ticketSortKey struct {
	column          string
	ascIdx, descIdx string
}

var ticketSortKeys = map[string]ticketSortKey{
	"priority":            {"ticket_priority_id", "idx_tickets_priority_id_id", "idx_tickets_priority_desc_id"},
	"title":               {"title_key", "idx_tickets_title_key_id", "idx_tickets_title_key_desc_id"},
	"ticketid":            {"", "", ""},
	"addedby":             {"starter_key", "idx_tickets_starter_key_id", "idx_tickets_starter_key_desc_id"},
	"addedon":             {"date_added", "idx_tickets_date_added_id", "idx_tickets_date_added_desc_id"},
	"last_updated":        {"last_updated", "idx_tickets_last_updated_id", "idx_tickets_last_updated_desc_id"},
	"replies":             {"num_replies", "idx_tickets_num_replies_id", "idx_tickets_num_replies_desc_id"},
	"department_category": {"dept_cat_key", "idx_tickets_dept_cat_key_id", "idx_tickets_dept_cat_key_desc_id"},
	"status":              {"status_id", "idx_tickets_status_id_id", "idx_tickets_status_desc_id"},
	"assigned":            {"assignee_key", "idx_tickets_assignee_key_id", "idx_tickets_assignee_key_desc_id"},
	"time":                {"total_hours", "idx_tickets_total_hours_id", "idx_tickets_total_hours_desc_id"},
}

// TicketSortKeys lists the accepted sort values (each key and key_desc).
func TicketSortKeys() []string {
	keys := []string{
		"priority", "title", "ticketid", "addedby", "addedon", "last_updated",
		"replies", "department_category", "status", "assigned", "time",
	}
	out := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		out = append(out, k, k+"_desc")
	}
	return out
}

// ParseTicketSort reads a sort value such as "title" or "replies_desc".
func ParseTicketSort(s string) (TicketSort, bool) {
	key, desc := s, false
	if k, ok := strings.CutSuffix(s, "_desc"); ok {
		key, desc = k, true
	}
	if _, ok := ticketSortKeys[key]; !ok {
		return TicketSort{}, false
	}
	return TicketSort{Key: key, Desc: desc}, true
}

// byID tells whether the sort is the default order, by id ascending.
func (s TicketSort) byID() bool {
	return ticketSortKeys[s.Key].column == "" && !s.Desc
}

// orderBy is the ORDER BY clause; ties always break by id ascending.
func (s TicketSort) orderBy() string {
	k := ticketSortKeys[s.Key]
	asc, desc := " ASC", " DESC"
	if s.reverse {
		asc, desc = desc, asc
	}
	dir := asc
	if s.Desc {
		dir = desc
	}
	if k.column == "" {
		return "tickets.id" + dir
	}
	return "tickets." + k.column + dir + ", tickets.id" + asc
}

// index names the index that serves the sort alone ("" for the primary key).
func (s TicketSort) index() string {
	if s.Desc {
		return ticketSortKeys[s.Key].descIdx
	}
	return ticketSortKeys[s.Key].ascIdx
}

// pageIndex names the index a page of the list is read over when one index
// serves the whole request: the sort's with no filter, the filter's in the
// default order, and the web app's default (open or closed tickets, highest
// priority first). Other combinations are left to the planner (see README).
func pageIndex(f TicketFilter, s TicketSort) string {
	switch {
	case f.empty():
		return s.index()
	case s.byID():
		return f.filterIndex()
	case s.Key == "priority" && s.Desc && f.State != "" &&
		f.filterIndex() == "idx_tickets_closed_id":
		return "idx_tickets_closed_priority_desc_id"
	}
	return ""
}

// idIndex is the index of ids alone that deep pages in the default order
// walk on SQLite and MariaDB/MySQL (migration 0030); PostgreSQL walks its
// primary key.
const idIndex = "idx_tickets_id"

// idIndexDesc is the index of ids in descending order that MariaDB/MySQL
// walk for the default order read backwards (migration 0033).
const idIndexDesc = "idx_tickets_id_desc"

// ticketPageSQL is the query of one page over tickets alone, its ORDER BY
// served by an index. On MariaDB/MySQL the index is named (FORCE INDEX): its
// optimizer otherwise re-plans each execution and at times sorts the whole
// table; on SQLite too (INDEXED BY): with statistics it may take another
// index leading with the filter's column and sort; PostgreSQL chooses it
// itself. idsOnly is the first step of a deep page (cols hold no more than
// the id): it reads the index alone, and in the default order MariaDB/MySQL
// and SQLite are sent to the index of ids rather than the table.
func ticketPageSQL(db *gorm.DB, cols string, colArgs []any, f TicketFilter, s TicketSort, offset, limit int, idsOnly bool) (string, []any) {
	return ticketPageSQLExpr(db, cols, colArgs, f, s, strconv.Itoa(limit), strconv.Itoa(offset), nil, idsOnly)
}

// ticketPageSQLExpr is ticketPageSQL with LIMIT and OFFSET given as SQL
// expressions (their arguments in limitArgs, LIMIT's first).
func ticketPageSQLExpr(db *gorm.DB, cols string, colArgs []any, f TicketFilter, s TicketSort, limit, offset string, limitArgs []any, idsOnly bool) (string, []any) {
	from := "tickets"
	idx := pageIndex(f, s)
	if idsOnly && idx == "" && f.empty() && ticketSortKeys[s.Key].column == "" {
		idx = idIndex
		if db.Name() == "mysql" && s.Desc != s.reverse {
			// InnoDB reads an index backwards at about a third of the
			// speed (migration 0033).
			idx = idIndexDesc
		}
	}
	switch {
	case idx == "":
	case db.Name() == "mysql":
		from += " FORCE INDEX (" + idx + ")"
	case db.Name() == "sqlite":
		// With statistics (ANALYZE) SQLite may prefer another index that
		// leads with the filter's column, e.g. (started_id,
		// last_reply_user_id), and sort what it finds.
		from += " INDEXED BY " + idx
	}
	join, joinArgs := f.searchJoin(s)
	cond, args := f.where()
	order, orderArgs := f.orderBy(s)
	q := fmt.Sprintf("SELECT %s FROM %s%s WHERE %s ORDER BY %s LIMIT %s OFFSET %s",
		cols, from, join, cond, order, limit, offset)
	return q, slices.Concat(colArgs, joinArgs, args, orderArgs, limitArgs)
}

// ListTickets returns one page of tickets with their names, and the total.
func ListTickets(ctx context.Context, db *gorm.DB, f TicketFilter, s TicketSort, offset, limit int) ([]TicketView, int64, error) {
	if f.rankedSearch(s) {
		return listRankedSearch(ctx, db, f, offset, limit)
	}
	return listTickets(ctx, db, f, s, offset, limit, offset >= shallowOffset)
}

// listTickets is ListTickets; idsFirst reads the page in two steps (its ids
// over an index, then its rows), as deep pages are.
func listTickets(ctx context.Context, db *gorm.DB, f TicketFilter, s TicketSort, offset, limit int, idsFirst bool) ([]TicketView, int64, error) {
	// The list is the hottest request: for the common filters, the page
	// and its total come back in one query (the counter sum as a column).
	if idsFirst {
		items, total, ok, err := listFromEnd(ctx, db, f, s, offset, limit)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			if err := fillTicketNames(ctx, db, items); err != nil {
				return nil, 0, err
			}
			return items, total, nil
		}
	}
	var total int64 = -1
	var extra []any
	cols, colArgs := "", []any(nil)
	if sumSQL, sumArgs, ok := f.totalSQL(); ok {
		cols, colArgs = ", ("+sumSQL+") AS total", sumArgs
		extra = []any{&total}
	}
	items, err := findTicketPage(ctx, db, f, s, offset, limit, true, idsFirst, cols, colArgs, extra...)
	if err != nil {
		return nil, 0, err
	}
	if total < 0 {
		if total, err = CountTickets(ctx, db, f); err != nil {
			return nil, 0, err
		}
	}
	if err := fillTicketNames(ctx, db, items); err != nil {
		return nil, 0, err
	}
	return items, total, nil
}

// shallowOffset is how far into the list a page is read in one query over
// the sort's index; deeper pages find their ids first (an index-only scan)
// and then read just their rows.
const shallowOffset = 2000

// FindTicketViews reads one page of tickets with their names, without a
// total (the CSV export, the dashboard). withContent adds the bodies.
func FindTicketViews(ctx context.Context, db *gorm.DB, f TicketFilter, s TicketSort, offset, limit int, withContent bool) ([]TicketView, error) {
	items, err := findTicketPage(ctx, db, f, s, offset, limit, withContent, offset >= shallowOffset, "", nil)
	if err != nil {
		return nil, err
	}
	if err := fillTicketNames(ctx, db, items); err != nil {
		return nil, err
	}
	return items, nil
}

// findTicketPage reads the rows of one page from tickets alone, without
// names. extraCols (with their arguments) are added to the query that
// finds the page and scanned into extra, on its first row only. idsFirst
// finds the page's ids first, reading an index alone however far it skips
// (a deferred join), then reads those rows by id.
func findTicketPage(ctx context.Context, db *gorm.DB, f TicketFilter, s TicketSort, offset, limit int, withContent, idsFirst bool,
	extraCols string, extraArgs []any, extra ...any) ([]TicketView, error) {
	fields := ticketListFields
	if withContent {
		fields = ticketListFieldsWithBody
	}
	cols := fields.columns()
	idsQ, idsArgs, ownIDs := f.pageIDsSQL(db, extraCols, extraArgs, s, offset, limit)
	if !idsFirst && !ownIDs {
		q, args := ticketPageSQL(db, cols+extraCols, extraArgs, f, s, offset, limit, false)
		items, err := fields.scan(db.WithContext(ctx).Raw(q, args...), limit, extra...)
		if err != nil {
			return nil, fmt.Errorf("list tickets: %w", err)
		}
		return items, nil
	}
	// A people filter may find its ids elsewhere (ticket_list_people.go).
	q, args := idsQ, idsArgs
	if !ownIDs {
		q, args = ticketPageSQL(db, "tickets.id"+extraCols, extraArgs, f, s, offset, limit, true)
	}
	rows, err := db.WithContext(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("list ticket ids: %w", err)
	}
	ids := make([]int64, 0, limit)
	for rows.Next() {
		var id int64
		if err := rows.Scan(append([]any{&id}, extra...)...); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("list ticket ids: %w", err)
		}
		ids = append(ids, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("list ticket ids: %w", err)
	}
	return ticketRows(ctx, db, fields, ids)
}

// ticketRows reads the rows of the given ids, in that order.
func ticketRows(ctx context.Context, db *gorm.DB, fields ticketFields, ids []int64) ([]TicketView, error) {
	if len(ids) == 0 {
		return []TicketView{}, nil
	}
	items, err := fields.scan(db.WithContext(ctx).Raw("SELECT "+fields.columns()+" FROM tickets WHERE tickets.id IN ?", ids), len(ids))
	if err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(items, func(a, b TicketView) int { return pos[a.ID] - pos[b.ID] })
	return items, nil
}

// Kinds of names in fillTicketNames' query.
const (
	nameUser = iota + 1
	nameCategory
	nameDepartment
	nameStatus
	namePriority
)

// fillTicketNames sets the names shown beside a page's ids, read in one
// query of keyed lookups for just these rows (no join over the tickets).
// On PostgreSQL each kind's ids travel as one array, so the statement's text
// is the same for every page and stays in the driver's statement cache
// (with a list per id, nearly every page was a new statement to prepare).
func fillTicketNames(ctx context.Context, db *gorm.DB, items []TicketView) error {
	if len(items) == 0 {
		return nil
	}
	var ids [namePriority + 1][]int64
	ids[nameUser] = make([]int64, 0, 3*len(items))
	for k := nameCategory; k <= namePriority; k++ {
		ids[k] = make([]int64, 0, len(items))
	}
	for i := range items {
		t := &items[i].Ticket
		for _, u := range [...]*int64{t.StartedID, t.AssignedID, t.ModifiedID} {
			if u != nil {
				ids[nameUser] = append(ids[nameUser], *u)
			}
		}
		ids[nameCategory] = append(ids[nameCategory], t.CategoryID)
		ids[nameDepartment] = append(ids[nameDepartment], t.DepartmentID)
		ids[nameStatus] = append(ids[nameStatus], t.StatusID)
		ids[namePriority] = append(ids[namePriority], t.TicketPriorityID)
	}
	for k := nameUser; k <= namePriority; k++ {
		slices.Sort(ids[k])
		ids[k] = slices.Compact(ids[k])
	}
	in, args := "IN ?", make([]any, 0, namePriority)
	for k := nameUser; k <= namePriority; k++ {
		args = append(args, ids[k])
	}
	if db.Name() == "postgres" {
		in = "= ANY(string_to_array(?, ',')::bigint[])"
		for k := nameUser; k <= namePriority; k++ {
			args[k-1] = joinIDs(ids[k])
		}
	}
	rows, err := db.WithContext(ctx).Raw(fmt.Sprintf(`SELECT %d AS kind, id, username AS a, name AS b FROM users WHERE id %s
		UNION ALL SELECT %d, id, category, '' FROM categories WHERE id %s
		UNION ALL SELECT %d, id, department, '' FROM departments WHERE id %s
		UNION ALL SELECT %d, id, status, '' FROM statuses WHERE id %s
		UNION ALL SELECT %d, id, priority, '' FROM priorities WHERE id %s`,
		nameUser, in, nameCategory, in, nameDepartment, in, nameStatus, in, namePriority, in), args...).Rows()
	if err != nil {
		return fmt.Errorf("read ticket names: %w", err)
	}
	defer rows.Close()
	// names[kind][i] is the name of ids[kind][i] (and usernames[i] of
	// ids[nameUser][i]); rows point at these strings, shared.
	var names [namePriority + 1][]string
	for k := nameUser; k <= namePriority; k++ {
		names[k] = make([]string, len(ids[k]))
	}
	found := make([]bool, len(ids[nameUser]))
	usernames := make([]string, len(ids[nameUser]))
	for rows.Next() {
		var kind int
		var id int64
		var a, b string
		if err := rows.Scan(&kind, &id, &a, &b); err != nil {
			return fmt.Errorf("read ticket names: %w", err)
		}
		if kind < nameUser || kind > namePriority {
			continue
		}
		i, ok := slices.BinarySearch(ids[kind], id)
		if !ok {
			continue
		}
		if kind == nameUser {
			usernames[i], names[kind][i], found[i] = a, b, true
		} else {
			names[kind][i] = a
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read ticket names: %w", err)
	}
	name := func(kind int, id int64) string {
		if i, ok := slices.BinarySearch(ids[kind], id); ok {
			return names[kind][i]
		}
		return ""
	}
	userRef := func(id *int64, username, name **string) {
		if id == nil {
			return
		}
		if i, ok := slices.BinarySearch(ids[nameUser], *id); ok && found[i] {
			*username, *name = &usernames[i], &names[nameUser][i]
		}
	}
	for i := range items {
		v := &items[i]
		v.CategoryName = name(nameCategory, v.CategoryID)
		v.DepartmentName = name(nameDepartment, v.DepartmentID)
		v.StatusName = name(nameStatus, v.StatusID)
		v.PriorityName = name(namePriority, v.TicketPriorityID)
		userRef(v.StartedID, &v.StarterUsername, &v.StarterName)
		userRef(v.AssignedID, &v.AssigneeUsername, &v.AssigneeName)
		userRef(v.ModifiedID, &v.ModifierUsername, &v.ModifierName)
	}
	return nil
}

// joinIDs writes ids as "1,2,3".
func joinIDs(ids []int64) string {
	b := make([]byte, 0, 8*len(ids))
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}

// lookupID resolves an id-or-name filter on a lookup table: by id when
// name is empty, else by the exact name in column.
func lookupID(ctx context.Context, db *gorm.DB, model any, column string, id int64, name string) (int64, error) {
	q := db.WithContext(ctx).Model(model)
	if name != "" {
		q = q.Where(column+" = ?", name)
	} else {
		q = q.Where("id = ?", id)
	}
	var ids []int64
	if err := q.Order("id").Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("look up %s: %w", column, err)
	}
	if len(ids) == 0 {
		return 0, ErrNotFound
	}
	return ids[0], nil
}

// FindDepartmentID resolves a department by id or exact name.
func FindDepartmentID(ctx context.Context, db *gorm.DB, id int64, name string) (int64, error) {
	return lookupID(ctx, db, &Department{}, "department", id, name)
}

// FindStatusID resolves a status by id or exact name.
func FindStatusID(ctx context.Context, db *gorm.DB, id int64, name string) (int64, error) {
	return lookupID(ctx, db, &Status{}, "status", id, name)
}

// FindPriorityID resolves a priority by id or exact name.
func FindPriorityID(ctx context.Context, db *gorm.DB, id int64, name string) (int64, error) {
	return lookupID(ctx, db, &Priority{}, "priority", id, name)
}

// FindUserID resolves a user by id or username (any letter case).
func FindUserID(ctx context.Context, db *gorm.DB, id int64, username string) (int64, error) {
	if username != "" {
		u, err := FindUserByUsername(ctx, db, username)
		if err != nil {
			return 0, err
		}
		return u.ID, nil
	}
	return lookupID(ctx, db, &User{}, "username", id, "")
}

// FindCategoryIDs resolves a category filter: an id names one category, a
// name every category of that name (in any department).
func FindCategoryIDs(ctx context.Context, db *gorm.DB, id int64, name string) ([]int64, error) {
	var ids []int64
	q := db.WithContext(ctx).Model(&Category{})
	if name != "" {
		q = q.Where("category = ?", name)
	} else {
		q = q.Where("id = ?", id)
	}
	if err := q.Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("find categories: %w", err)
	}
	if len(ids) == 0 {
		return nil, ErrNotFound
	}
	return ids, nil
}
