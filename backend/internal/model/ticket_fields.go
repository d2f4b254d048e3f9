package model

import (
	"strings"

	"gorm.io/gorm"
)

// The ticket read queries (one ticket, a list page) select columns and scan
// them positionally, one Scan per row: the list is the hottest query, and
// GORM's reflective scanning cost more than the query itself. So that the
// SELECT and the Scan cannot drift apart, both are built from one list of
// fields, each naming its column and the TicketView field it reads into.
// Adding a field to the read path is one line here (plus the API type);
// TestTicketFieldsMatchTheirColumns fails when a line's column and field
// disagree, or a Ticket column is neither read nor listed as not read.

// ticketField is one selected column and where it scans to.
type ticketField struct {
	column string // a select expression: a column, or an expression AS its field's column
	dest   func(v *TicketView) any
}

// ticketFields is an ordered list of selected columns.
type ticketFields []ticketField

// ticketRowFields are the ticket's own columns a list row shows, bodies aside.
var ticketRowFields = ticketFields{
	{"tickets.id", func(v *TicketView) any { return &v.ID }},
	{"tickets.title", func(v *TicketView) any { return &v.Title }},
	{"tickets.started_id", func(v *TicketView) any { return &v.StartedID }},
	{"tickets.date_added", func(v *TicketView) any { return &v.DateAdded }},
	{"tickets.date_modified", func(v *TicketView) any { return &v.DateModified }},
	{"tickets.modified_id", func(v *TicketView) any { return &v.ModifiedID }},
	{"tickets.status_id", func(v *TicketView) any { return &v.StatusID }},
	{"tickets.category_id", func(v *TicketView) any { return &v.CategoryID }},
	{"tickets.assigned_id", func(v *TicketView) any { return &v.AssignedID }},
	{"tickets.ticket_priority_id", func(v *TicketView) any { return &v.TicketPriorityID }},
	{"tickets.hours", func(v *TicketView) any { return &v.Hours }},
	{"tickets.last_updated", func(v *TicketView) any { return &v.LastUpdated }},
	{"tickets.num_replies", func(v *TicketView) any { return &v.NumReplies }},
	{"tickets.total_hours", func(v *TicketView) any { return &v.TotalHours }},
	{"tickets.department_id", func(v *TicketView) any { return &v.DepartmentID }},
}

// ticketBodyFields are the (large) body columns.
var ticketBodyFields = ticketFields{
	{"tickets.content", func(v *TicketView) any { return &v.Content }},
	{"tickets.content_html", func(v *TicketView) any { return &v.ContentHTML }},
}

// ticketNameFields are the names one ticket is read with, joined by
// ticketViews (a list page reads them apart: fillTicketNames).
var ticketNameFields = ticketFields{
	{"departments.department AS department_name", func(v *TicketView) any { return &v.DepartmentName }},
	{"categories.category AS category_name", func(v *TicketView) any { return &v.CategoryName }},
	{"statuses.status AS status_name", func(v *TicketView) any { return &v.StatusName }},
	{"priorities.priority AS priority_name", func(v *TicketView) any { return &v.PriorityName }},
	{"starter.username AS starter_username", func(v *TicketView) any { return &v.StarterUsername }},
	{"starter.name AS starter_name", func(v *TicketView) any { return &v.StarterName }},
	{"assignee.username AS assignee_username", func(v *TicketView) any { return &v.AssigneeUsername }},
	{"assignee.name AS assignee_name", func(v *TicketView) any { return &v.AssigneeName }},
	{"modifier.username AS modifier_username", func(v *TicketView) any { return &v.ModifierUsername }},
	{"modifier.name AS modifier_name", func(v *TicketView) any { return &v.ModifierName }},
}

// The field lists the read queries use.
var (
	ticketListFields         = ticketRowFields
	ticketListFieldsWithBody = ticketRowFields.with(ticketBodyFields...)
	ticketViewFields         = ticketRowFields.with(ticketNameFields...).with(ticketBodyFields...)
)

// with is the list followed by more fields (a new slice).
func (fs ticketFields) with(more ...ticketField) ticketFields {
	return append(append(make(ticketFields, 0, len(fs)+len(more)), fs...), more...)
}

// columns is the SELECT list.
func (fs ticketFields) columns() string {
	cols := make([]string, len(fs))
	for i, f := range fs {
		cols[i] = f.column
	}
	return strings.Join(cols, ", ")
}

// scan runs a query selecting fs.columns() (then any extra columns) and
// reads each row with one Scan; the extra columns go to extra, the same
// destinations on every row.
func (fs ticketFields) scan(q *gorm.DB, capacity int, extra ...any) ([]TicketView, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	items := make([]TicketView, 0, capacity)
	dest := make([]any, len(fs)+len(extra))
	copy(dest[len(fs):], extra)
	for rows.Next() {
		items = append(items, TicketView{})
		v := &items[len(items)-1]
		for i, f := range fs {
			dest[i] = f.dest(v)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
	}
	return items, rows.Err()
}
