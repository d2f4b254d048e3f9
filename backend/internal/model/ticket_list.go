package model

import (
	"context"
	"fmt"
	"slices"
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
	// Q: case-insensitive text in the title, the body or any reply.
	Q string
}

// countedByCounters tells whether the filter only uses columns the
// ticket_counts table is keyed by (department through category, category,
// status, state, priority), so the total is a sum over a few counter rows
// instead of a COUNT over the tickets.
func (f TicketFilter) countedByCounters() bool {
	return f.UserID == nil && f.AssignedID == nil && f.CreatedID == nil &&
		f.MineOf == nil && f.SubscribedBy == nil && f.Q == ""
}

// apply adds the filter's conditions to a query over tickets.
func (f TicketFilter) apply(q *gorm.DB) *gorm.DB {
	if f.DepartmentID != nil {
		q = q.Where("tickets.category_id IN (SELECT id FROM categories WHERE department_id = ?)", *f.DepartmentID)
	}
	if f.CategoryIDs != nil {
		q = q.Where("tickets.category_id IN ?", f.CategoryIDs)
	}
	if f.StatusID != nil {
		q = q.Where("tickets.status_id = ?", *f.StatusID)
	}
	switch f.State {
	case StateOpen:
		q = q.Where("tickets.status_id <> ?", StatusClosed)
	case StateClosed:
		q = q.Where("tickets.status_id = ?", StatusClosed)
	}
	if f.PriorityID != nil {
		q = q.Where("tickets.ticket_priority_id = ?", *f.PriorityID)
	}
	for _, id := range []*int64{f.UserID, f.MineOf} {
		if id != nil {
			q = q.Where("(tickets.started_id = ? OR tickets.assigned_id = ?)", *id, *id)
		}
	}
	if f.AssignedID != nil {
		q = q.Where("tickets.assigned_id = ?", *f.AssignedID)
	}
	if f.CreatedID != nil {
		q = q.Where("tickets.started_id = ?", *f.CreatedID)
	}
	if f.SubscribedBy != nil {
		q = q.Where("tickets.id IN (SELECT ticket_id FROM subscriptions WHERE user_id = ?)", *f.SubscribedBy)
	}
	if f.Q != "" {
		p := LikePattern(f.Q)
		q = q.Where(`(LOWER(tickets.title) LIKE ? ESCAPE '!' OR LOWER(tickets.content) LIKE ? ESCAPE '!'
			OR EXISTS (SELECT 1 FROM posts WHERE posts.ticket_id = tickets.id AND LOWER(posts.content) LIKE ? ESCAPE '!'))`, p, p, p)
	}
	return q
}

// CountTickets counts the tickets the filter selects: a sum over
// ticket_counts when only department, category, status, state or priority
// filter; an indexed COUNT for the user and view filters; a full COUNT for
// text search.
func CountTickets(ctx context.Context, db *gorm.DB, f TicketFilter) (int64, error) {
	if f.countedByCounters() {
		return sumTicketCounts(ctx, db, f)
	}
	var n int64
	if err := f.apply(db.WithContext(ctx).Table("tickets")).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count tickets: %w", err)
	}
	return n, nil
}

// sumTicketCounts adds up the counter rows the filter selects.
func sumTicketCounts(ctx context.Context, db *gorm.DB, f TicketFilter) (int64, error) {
	query, args := f.counterSum()
	var n int64
	if err := db.WithContext(ctx).Raw(query, args...).Row().Scan(&n); err != nil {
		return 0, fmt.Errorf("sum ticket counts: %w", err)
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
}

// ticketSortColumns maps the original's sort keys (features §3.5) to the
// expressions they order by. Names sort case-insensitively; a missing user
// sorts as an empty name, so NULLs land in the same place on every database.
var ticketSortColumns = map[string][]string{
	"priority":            {"tickets.ticket_priority_id"},
	"title":               {"LOWER(tickets.title)"},
	"ticketid":            {"tickets.id"},
	"addedby":             {"LOWER(COALESCE(starter.name, ''))"},
	"addedon":             {"tickets.date_added"},
	"last_updated":        {"tickets.last_updated"},
	"replies":             {"tickets.num_replies"},
	"department_category": {"LOWER(departments.department)", "LOWER(categories.category)"},
	"status":              {"tickets.status_id"},
	"assigned":            {"LOWER(COALESCE(assignee.name, ''))"},
	"time":                {"tickets.total_hours"},
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
	if _, ok := ticketSortColumns[key]; !ok {
		return TicketSort{}, false
	}
	return TicketSort{Key: key, Desc: desc}, true
}

// orderBy is the ORDER BY clause; ties always break by id ascending.
func (s TicketSort) orderBy() string {
	cols, ok := ticketSortColumns[s.Key]
	if !ok {
		return "tickets.id"
	}
	dir := " ASC"
	if s.Desc {
		dir = " DESC"
	}
	parts := make([]string, 0, len(cols)+1)
	for _, c := range cols {
		parts = append(parts, c+dir)
	}
	return strings.Join(append(parts, "tickets.id ASC"), ", ")
}

// ListTickets returns one page of tickets with their names, and the total.
func ListTickets(ctx context.Context, db *gorm.DB, f TicketFilter, s TicketSort, offset, limit int) ([]TicketView, int64, error) {
	// The list is the hottest request: for the common filters and the first
	// pages, the page and its total come back in one query.
	if f.countedByCounters() && offset < shallowOffset {
		items, total, err := listWithCounterTotal(ctx, db, f, s, offset, limit)
		if err != nil || len(items) > 0 {
			return items, total, err
		}
	}
	total, err := CountTickets(ctx, db, f)
	if err != nil {
		return nil, 0, err
	}
	items := []TicketView{}
	if total > int64(offset) {
		items, err = FindTicketViews(ctx, db, f, s, offset, limit, true)
		if err != nil {
			return nil, 0, err
		}
	}
	return items, total, nil
}

// shallowOffset is how far into the list a page is read with its names in
// one query; deeper pages find their ids first (see FindTicketViews).
const shallowOffset = 2000

// listWithCounterTotal reads a page with the counter sum as an extra column
// (an uncorrelated subquery, evaluated once). An empty page gets no total.
func listWithCounterTotal(ctx context.Context, db *gorm.DB, f TicketFilter, s TicketSort, offset, limit int) ([]TicketView, int64, error) {
	sumSQL, sumArgs := f.counterSum()
	q := f.apply(ticketViews(ctx, db, true).Select(ticketViewColumns+", tickets.content, tickets.content_html, ("+sumSQL+") AS total", sumArgs...))
	q = q.Order(s.orderBy()).Offset(offset).Limit(limit)
	var total int64
	items, err := scanTicketRows(q, true, limit, &total)
	if err != nil {
		return nil, 0, fmt.Errorf("list tickets: %w", err)
	}
	return items, total, nil
}

// FindTicketViews reads one page of tickets with their names, without a
// total (the CSV export, the dashboard). withContent adds the bodies.
//
// It runs two simple queries rather than one: the page's ids first (over
// tickets alone, plus the joins the sort needs), then the names of just those
// rows. A deep page then skips its offset over an index instead of over
// eight joined tables, and each query stays cheap to plan.
func FindTicketViews(ctx context.Context, db *gorm.DB, f TicketFilter, s TicketSort, offset, limit int, withContent bool) ([]TicketView, error) {
	var ids []int64
	q := s.joins(f.apply(db.WithContext(ctx).Table("tickets").Select("tickets.id")))
	if err := q.Order(s.orderBy()).Offset(offset).Limit(limit).Pluck("tickets.id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list ticket ids: %w", err)
	}
	if len(ids) == 0 {
		return []TicketView{}, nil
	}
	items, err := scanTicketViews(ticketViews(ctx, db, withContent).Where("tickets.id IN ?", ids), withContent, len(ids))
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

// joins adds the tables the sort orders by.
func (s TicketSort) joins(q *gorm.DB) *gorm.DB {
	switch s.Key {
	case "addedby":
		return q.Joins("LEFT JOIN users starter ON starter.id = tickets.started_id")
	case "assigned":
		return q.Joins("LEFT JOIN users assignee ON assignee.id = tickets.assigned_id")
	case "department_category":
		return q.Joins("JOIN categories ON categories.id = tickets.category_id").
			Joins("JOIN departments ON departments.id = categories.department_id")
	}
	return q
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
