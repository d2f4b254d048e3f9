package model

import (
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// The "created by or assigned to" filter (user, view=mine) is two index
// walks: the user's tickets by started_id and by assigned_id. Read as one
// condition (started_id = ? OR assigned_id = ?), each database reads both
// sets whole and sorts them for every page. In id order each set is already
// sorted by its (person, id) index, so the page comes from the first
// offset+limit ids of each walk, merged: a ticket within the first
// offset+limit of the union is within the first offset+limit of the walk
// that holds it. UNION drops a ticket both started by and assigned to the
// user. Each walk stops after offset+limit entries, whoever the user is.
// The rows are then read by id, in a second query: joined in the same one,
// PostgreSQL may merge-join the page's ids with the whole primary key.

// subscribedAlone tells whether the filter is view=subscribed and nothing
// else: its total is the user's subscriptions, counted over their
// (user_id, ticket_id) index (each names an existing ticket, once: foreign
// key with ON DELETE CASCADE, unique pair), and in id order its page's ids
// come from that index too (subscribedIDsSQL).
func (f TicketFilter) subscribedAlone() bool {
	return f.SubscribedBy != nil && f.DepartmentID == nil && f.CategoryIDs == nil && f.StatusID == nil &&
		f.State == "" && f.PriorityID == nil && f.UserID == nil && f.MineOf == nil && f.AssignedID == nil &&
		f.CreatedID == nil && f.Q == ""
}

// subscribedCount is the SQL of subscribedAlone's total.
func (f TicketFilter) subscribedCount() (string, []any) {
	return "SELECT COUNT(*) FROM subscriptions WHERE subscriptions.user_id = ?", []any{*f.SubscribedBy}
}

// pageIDsSQL is the query of a page's ids when one of the people filters
// reads them from something other than one index of tickets (ok false
// otherwise): extraCols (", expr AS name", their arguments in colArgs)
// beside each id.
func (f TicketFilter) pageIDsSQL(db *gorm.DB, extraCols string, colArgs []any, s TicketSort, offset, limit int) (string, []any, bool) {
	switch {
	case f.mergesInvolved(s):
		q, args := involvedIDsSQL(db, extraCols, colArgs, f, s, offset, limit)
		return q, args, true
	case f.subscribedAlone() && ticketSortKeys[s.Key].column == "":
		q, args := subscribedIDsSQL(db, extraCols, colArgs, f, s, offset, limit)
		return q, args, true
	}
	return "", nil, false
}

// subscribedIDsSQL is the query of a view=subscribed page's ids in id
// order: the user's (user_id, ticket_id) index, read in order up to the page.
func subscribedIDsSQL(db *gorm.DB, extraCols string, colArgs []any, f TicketFilter, s TicketSort, offset, limit int) (string, []any) {
	from := "subscriptions"
	if db.Name() == "mysql" {
		from += " FORCE INDEX (idx_subscriptions_user_id_ticket_id)"
	}
	dir := " ASC"
	if s.Desc {
		dir = " DESC"
	}
	q := fmt.Sprintf("SELECT subscriptions.ticket_id AS id%s FROM %s WHERE subscriptions.user_id = ? ORDER BY subscriptions.ticket_id%s LIMIT %d OFFSET %d",
		extraCols, from, dir, limit, offset)
	return q, slices.Concat(colArgs, []any{*f.SubscribedBy})
}

// mergesInvolved tells whether the page is read by merging the two walks:
// the filter names one "created by or assigned to" user and no other person,
// in id order either way (the sorts the (person, id) indexes serve).
func (f TicketFilter) mergesInvolved(s TicketSort) bool {
	_, ok := f.involved()
	return ok && f.AssignedID == nil && f.CreatedID == nil && f.Q == "" && ticketSortKeys[s.Key].column == ""
}

// involvedIDsSQL is the query of a page's ids for mergesInvolved, with
// extraCols (", expr AS name", their arguments in colArgs) beside each id:
// the first offset+limit ids of both walks, merged.
func involvedIDsSQL(db *gorm.DB, extraCols string, colArgs []any, f TicketFilter, s TicketSort, offset, limit int) (string, []any) {
	user, _ := f.involved()
	rest := f
	rest.UserID, rest.MineOf = nil, nil
	cond, condArgs := rest.where()
	dir := " ASC"
	if s.Desc {
		dir = " DESC"
	}
	walk := func(column, index string) string {
		from := "tickets"
		switch db.Name() {
		case "mysql":
			// As for every page: the optimizer may otherwise pick another
			// index and sort what it finds.
			from += " FORCE INDEX (" + index + ")"
		case "sqlite":
			from += " INDEXED BY " + index
		}
		return fmt.Sprintf("SELECT tickets.id FROM %s WHERE tickets.%s = ? AND %s ORDER BY tickets.id%s LIMIT %d",
			from, column, cond, dir, offset+limit)
	}
	q := fmt.Sprintf(`SELECT page.id%s FROM (SELECT id FROM (%s) started UNION SELECT id FROM (%s) assigned
		ORDER BY id%s LIMIT %d OFFSET %d) page ORDER BY page.id%s`,
		extraCols, walk("started_id", "idx_tickets_started_id_id"), walk("assigned_id", "idx_tickets_assigned_id_id"),
		dir, limit, offset, dir)
	return q, slices.Concat(colArgs, []any{user}, condArgs, []any{user}, condArgs)
}
