package model

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// Whom to suggest for a ticket's assignee, before anything is typed: the
// caller, then the people who worked the department's latest tickets.
const (
	// suggestFromTickets is how many of the department's newest tickets
	// are read for their assignees: a bounded walk of
	// idx_tickets_department_id_id, whatever the department's size.
	suggestFromTickets = 200
	// suggestRecent is how many of those assignees are put first.
	suggestRecent = 20
)

// AssigneeSuggestions ranks whom u is likely to assign t to, for
// UserFilter.First: u, then the people assigned the newest tickets of t's
// department (the newest first), never t's current assignee (assigning
// them again is a conflict). The list filter still applies, so disabled
// accounts are left out by Disabled=false.
func AssigneeSuggestions(ctx context.Context, db *gorm.DB, t *Ticket, u *User) ([]int64, error) {
	var recent []sql.NullInt64
	err := db.WithContext(ctx).Model(&Ticket{}).Where("department_id = ?", t.DepartmentID).
		Order("id DESC").Limit(suggestFromTickets).Pluck("assigned_id", &recent).Error
	if err != nil {
		return nil, fmt.Errorf("recent assignees: %w", err)
	}
	out := make([]int64, 0, suggestRecent+1)
	add := func(id int64) {
		if (t.AssignedID == nil || *t.AssignedID != id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	add(u.ID)
	for _, id := range recent {
		if id.Valid && len(out) <= suggestRecent {
			add(id.Int64)
		}
	}
	return out, nil
}

// listUsersPage reads one page of the users q keeps: those of first, in
// first's order, then the others by username. Without first it is one
// query; with it, one for first's users and one for the rest of the page.
func listUsersPage(q *gorm.DB, first []int64, offset, limit int) ([]User, error) {
	byName := func(q *gorm.DB, offset, limit int) ([]User, error) {
		var users []User
		if err := q.Order("LOWER(username), id").Offset(offset).Limit(limit).Find(&users).Error; err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		return users, nil
	}
	if len(first) == 0 {
		return byName(q, offset, limit)
	}
	var found []User
	if err := q.Where("id IN ?", first).Find(&found).Error; err != nil {
		return nil, fmt.Errorf("list suggested users: %w", err)
	}
	slices.SortFunc(found, func(a, b User) int {
		return slices.Index(first, a.ID) - slices.Index(first, b.ID)
	})
	var page []User
	if offset < len(found) {
		page = found[offset:min(len(found), offset+limit)]
	}
	if len(page) == limit {
		return page, nil
	}
	ids := make([]int64, len(found))
	for i, u := range found {
		ids[i] = u.ID
	}
	rest := q
	if len(ids) > 0 {
		rest = rest.Where("id NOT IN ?", ids)
	}
	others, err := byName(rest, max(0, offset-len(found)), limit-len(page))
	if err != nil {
		return nil, err
	}
	return append(page, others...), nil
}
